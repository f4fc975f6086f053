"""LINE webhook events: every event type of LINE's webhook spec, as frozen attrs values.

`line_braze.line.webhook.parse_webhook` builds them; an event type LINE adds later becomes an
`UnknownEvent` keeping the raw mapping.

Example:
    >>> from line_braze.line.webhook import UserSource
    >>> FollowEvent(timestamp=0, source=UserSource(user_id="U1")).user_id
    'U1'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, Literal

import attrs

from line_braze._display import Display
from line_braze.line.event_contents import (
    BeaconContent,
    ChatControl,
    DeliveryContext,
    FollowDetail,
    JoinedMembers,
    LeftMembers,
    LinkContent,
    MembershipContent,
    MessageContent,
    ModuleContent,
    PnpDelivery,
    PostbackContent,
    Source,
    UnsendDetail,
    VideoPlayComplete,
    _raw_repr,
    _tag,
)

__all__ = [
    "AccountLinkEvent",
    "BeaconEvent",
    "FollowEvent",
    "JoinEvent",
    "LeaveEvent",
    "MemberJoinedEvent",
    "MemberLeftEvent",
    "MembershipEvent",
    "MessageEvent",
    "PostbackEvent",
    "UnfollowEvent",
    "UnknownEvent",
    "UnsendEvent",
    "VideoPlayCompleteEvent",
    "WebhookEvent",
    "WebhookPayload",
]

# -- events ----------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _Event(Display):
    """Fields every webhook event has."""

    timestamp: int
    mode: str | None = None
    webhook_event_id: str | None = None
    delivery_context: DeliveryContext | None = None
    source: Source | None = None

    @property
    def is_redelivery(self) -> bool:
        """Whether LINE says this is a redelivery (``False`` when it does not say)."""
        return self.delivery_context is not None and self.delivery_context.is_redelivery

    @property
    def user_id(self) -> str | None:
        """The user who caused the event, when the source names one."""
        return None if self.source is None else self.source.user_id


@attrs.frozen(kw_only=True)
class FollowEvent(_Event):
    """A user added the account as a friend, or unblocked it.

    Attributes:
        reply_token: token to reply to this event.
        follow: whether this was an unblock; absent from older payloads.

    Example:
        >>> from line_braze.line.webhook import UserSource
        >>> e = FollowEvent(timestamp=0, source=UserSource(user_id="U1"))
        >>> e.user_id, e.is_unblocked
        ('U1', None)
    """

    type: Literal["follow"] = _tag("follow")
    reply_token: str | None = None
    follow: FollowDetail | None = None

    @property
    def is_unblocked(self) -> bool | None:
        """``True`` for an unblock, ``False`` for a new friend, ``None`` if LINE did not say."""
        return None if self.follow is None else self.follow.is_unblocked


@attrs.frozen(kw_only=True)
class UnfollowEvent(_Event):
    """A user blocked the account. There is no reply token.

    Example:
        >>> from line_braze.line.webhook import UserSource
        >>> UnfollowEvent(timestamp=0, source=UserSource(user_id="U1")).user_id
        'U1'
    """

    type: Literal["unfollow"] = _tag("unfollow")


@attrs.frozen(kw_only=True)
class MessageEvent(_Event):
    """A user sent a message.

    Attributes:
        reply_token: token to reply to this event.
        message: `TextMessageContent`, `ImageMessageContent`, `StickerMessageContent`, or
            `UnknownMessageContent` for anything else.

    Example:
        >>> from line_braze.line.webhook import TextMessageContent
        >>> e = MessageEvent(timestamp=0, message=TextMessageContent(id="1", text="hi"))
        >>> e.message.type
        'text'
    """

    type: Literal["message"] = _tag("message")
    reply_token: str | None = None
    message: MessageContent


@attrs.frozen(kw_only=True)
class UnsendEvent(_Event):
    """A user unsent a message.

    Attributes:
        unsend: which message.

    Example:
        >>> UnsendEvent(timestamp=0, unsend=UnsendDetail(message_id="1")).unsend.message_id
        '1'
    """

    type: Literal["unsend"] = _tag("unsend")
    unsend: UnsendDetail


@attrs.frozen(kw_only=True)
class JoinEvent(_Event):
    """The account joined a group or room.

    Attributes:
        reply_token: token to reply to this event.

    Example:
        >>> from line_braze.line.webhook import GroupSource
        >>> JoinEvent(timestamp=0, source=GroupSource(group_id="C1")).user_id is None
        True
    """

    type: Literal["join"] = _tag("join")
    reply_token: str | None = None


@attrs.frozen(kw_only=True)
class LeaveEvent(_Event):
    """The account left, or was removed from, a group or room.

    Example:
        >>> LeaveEvent(timestamp=0).type
        'leave'
    """

    type: Literal["leave"] = _tag("leave")


@attrs.frozen(kw_only=True)
class MemberJoinedEvent(_Event):
    """Users joined a group or room the account is in.

    Attributes:
        reply_token: token to reply to this event.
        joined: who joined.

    Example:
        >>> MemberJoinedEvent(timestamp=0, joined=JoinedMembers(members=())).joined.members
        ()
    """

    type: Literal["memberJoined"] = _tag("memberJoined")
    reply_token: str | None = None
    joined: JoinedMembers


@attrs.frozen(kw_only=True)
class MemberLeftEvent(_Event):
    """Users left a group or room the account is in.

    Attributes:
        left: who left.

    Example:
        >>> MemberLeftEvent(timestamp=0, left=LeftMembers(members=())).type
        'memberLeft'
    """

    type: Literal["memberLeft"] = _tag("memberLeft")
    left: LeftMembers


@attrs.frozen(kw_only=True)
class PostbackEvent(_Event):
    """A user tapped a postback action.

    Attributes:
        reply_token: token to reply to this event.
        postback: the action's data and picker parameters.

    Example:
        >>> PostbackEvent(timestamp=0, postback=PostbackContent(data="a=1")).postback.data
        'a=1'
    """

    type: Literal["postback"] = _tag("postback")
    reply_token: str | None = None
    postback: PostbackContent


@attrs.frozen(kw_only=True)
class VideoPlayCompleteEvent(_Event):
    """A user finished watching a video message that had a ``trackingId``.

    Attributes:
        reply_token: token to reply to this event.
        video_play_complete: which video.

    Example:
        >>> e = VideoPlayCompleteEvent(
        ...     timestamp=0, video_play_complete=VideoPlayComplete(tracking_id="t"))
        >>> e.video_play_complete.tracking_id
        't'
    """

    type: Literal["videoPlayComplete"] = _tag("videoPlayComplete")
    reply_token: str | None = None
    video_play_complete: VideoPlayComplete


@attrs.frozen(kw_only=True)
class BeaconEvent(_Event):
    """A user came into range of a LINE Beacon.

    Attributes:
        reply_token: token to reply to this event.
        beacon: the detection.

    Example:
        >>> BeaconEvent(timestamp=0, beacon=BeaconContent(hwid="h", type="enter")).beacon.type
        'enter'
    """

    type: Literal["beacon"] = _tag("beacon")
    reply_token: str | None = None
    beacon: BeaconContent


@attrs.frozen(kw_only=True)
class AccountLinkEvent(_Event):
    """A user finished the account-link flow (successfully or not).

    Attributes:
        reply_token: token to reply to this event; LINE leaves it out when linking failed.
        link: the result and the nonce.

    Example:
        >>> e = AccountLinkEvent(timestamp=0, link=LinkContent(result="failed", nonce="n"))
        >>> e.link.ok, e.reply_token
        (False, None)
    """

    type: Literal["accountLink"] = _tag("accountLink")
    reply_token: str | None = None
    link: LinkContent


@attrs.frozen(kw_only=True)
class MembershipEvent(_Event):
    """A user joined, left or renewed one of the account's memberships.

    Attributes:
        reply_token: token to reply to this event.
        membership: what changed.

    Example:
        >>> MembershipEvent(timestamp=0, membership=MembershipContent(type="left")).type
        'membership'
    """

    type: Literal["membership"] = _tag("membership")
    reply_token: str | None = None
    membership: MembershipContent


@attrs.frozen(kw_only=True)
class MessageEditedEvent(_Event):
    """A user edited a message they had sent (``type: messageEdited``).

    Attributes:
        reply_token: token to reply to this event.
        message: the message as it now reads.

    Example:
        >>> from line_braze.line.webhook import TextMessageContent
        >>> e = MessageEditedEvent(timestamp=0, message=TextMessageContent(id="1", text="hi!"))
        >>> e.message.text
        'hi!'
    """

    type: Literal["messageEdited"] = _tag("messageEdited")
    reply_token: str | None = None
    message: MessageContent


@attrs.frozen(kw_only=True)
class ModuleEvent(_Event):
    """A module channel was attached to or detached from an account (``type: module``).

    Attributes:
        module: an `AttachedModuleContent` or `DetachedModuleContent`.

    Example:
        >>> from line_braze.line.webhook import DetachedModuleContent
        >>> ModuleEvent(timestamp=0, module=DetachedModuleContent(
        ...     bot_id="U1", reason="bot_deleted")).module.reason
        'bot_deleted'
    """

    type: Literal["module"] = _tag("module")
    module: ModuleContent


@attrs.frozen(kw_only=True)
class ActivatedEvent(_Event):
    """A module channel became the active channel (``type: activated``).

    Attributes:
        chat_control: until when it has chat control.

    Example:
        >>> from line_braze.line.webhook import ChatControl
        >>> ActivatedEvent(timestamp=0, chat_control=ChatControl(expire_at=5)).type
        'activated'
    """

    type: Literal["activated"] = _tag("activated")
    chat_control: ChatControl


@attrs.frozen(kw_only=True)
class DeactivatedEvent(_Event):
    """A module channel became a standby channel (``type: deactivated``).

    Example:
        >>> DeactivatedEvent(timestamp=0).type
        'deactivated'
    """

    type: Literal["deactivated"] = _tag("deactivated")


@attrs.frozen(kw_only=True)
class BotSuspendedEvent(_Event):
    """The account was suspended (``type: botSuspended``).

    Example:
        >>> BotSuspendedEvent(timestamp=0).type
        'botSuspended'
    """

    type: Literal["botSuspended"] = _tag("botSuspended")


@attrs.frozen(kw_only=True)
class BotResumedEvent(_Event):
    """The account came back from suspension (``type: botResumed``).

    Example:
        >>> BotResumedEvent(timestamp=0).type
        'botResumed'
    """

    type: Literal["botResumed"] = _tag("botResumed")


@attrs.frozen(kw_only=True)
class PnpDeliveryCompletionEvent(_Event):
    """A LINE notification message was delivered (``type: delivery``).

    Attributes:
        delivery: which one.

    Example:
        >>> from line_braze.line.webhook import PnpDelivery
        >>> PnpDeliveryCompletionEvent(timestamp=0, delivery=PnpDelivery(data="d")).type
        'delivery'
    """

    type: Literal["delivery"] = _tag("delivery")
    delivery: PnpDelivery


@attrs.frozen(kw_only=True)
class UnknownEvent(Display):
    """An event not modelled here, or of a modelled type but not the shape LINE documents.

    The raw mapping is kept, so a handler can still read it; the common fields are offered
    as properties, read from it where they have the right JSON type.

    Attributes:
        type: the event's ``type``, if it is a string (a type LINE added later).
        raw: the event object as received (``{}`` if the entry was not a JSON object).
        error: ``None`` when the type is simply not modelled; otherwise why the event could
            not be read, with its JSON path (``$.events[3].source: ...``).

    Example:
        >>> e = UnknownEvent(type="messageEdited", raw={"type": "messageEdited",
        ...     "timestamp": 1, "webhookEventId": "01H", "source": {"type": "user",
        ...     "userId": "U1"}})
        >>> e.webhook_event_id, e.timestamp, e.user_id, e.error
        ('01H', 1, 'U1', None)
    """

    type: str | None
    raw: Mapping[str, Any] = attrs.field(repr=_raw_repr)
    error: str | None = None

    def _str(self, key: str) -> str | None:
        value = self.raw.get(key)
        return value if isinstance(value, str) else None

    @property
    def timestamp(self) -> int | None:
        """The raw ``timestamp``, if it is an integer."""
        value = self.raw.get("timestamp")
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    @property
    def mode(self) -> str | None:
        """The raw ``mode``, if it is a string."""
        return self._str("mode")

    @property
    def webhook_event_id(self) -> str | None:
        """The raw ``webhookEventId``, if it is a string."""
        return self._str("webhookEventId")

    @property
    def reply_token(self) -> str | None:
        """The raw ``replyToken``, if it is a string."""
        return self._str("replyToken")

    @property
    def is_redelivery(self) -> bool:
        """The raw ``deliveryContext.isRedelivery`` if it is ``true``, else ``False``."""
        context = self.raw.get("deliveryContext")
        return isinstance(context, Mapping) and context.get("isRedelivery") is True

    @property
    def source(self) -> Source | None:
        """The raw ``source`` read as a `Source`, or ``None`` if absent or malformed."""
        raw = self.raw.get("source")
        if not isinstance(raw, Mapping):
            return None
        try:
            from line_braze.line.webhook import _source_hook

            return _source_hook(raw, Source)
        except Exception:  # noqa: BLE001 - best effort by design: None means "unreadable"
            return None

    @property
    def user_id(self) -> str | None:
        """The user who caused the event, when the source names one."""
        source = self.source
        return None if source is None else source.user_id


#: Any webhook event.
WebhookEvent = (
    FollowEvent
    | UnfollowEvent
    | MessageEvent
    | UnsendEvent
    | JoinEvent
    | LeaveEvent
    | MemberJoinedEvent
    | MemberLeftEvent
    | PostbackEvent
    | VideoPlayCompleteEvent
    | BeaconEvent
    | AccountLinkEvent
    | MembershipEvent
    | MessageEditedEvent
    | ModuleEvent
    | ActivatedEvent
    | DeactivatedEvent
    | BotSuspendedEvent
    | BotResumedEvent
    | PnpDeliveryCompletionEvent
    | UnknownEvent
)


@attrs.frozen(kw_only=True)
class WebhookPayload(Display):
    """One webhook request: the bot it is for and its events, in LINE's order.

    An empty ``events`` is LINE checking that the endpoint answers: reply 200.

    Attributes:
        destination: the user ID of the bot the events are for (``None`` if LINE left it
            out, as some of LINE's own test bodies do).
        events: the events; see the module docs for what becomes an `UnknownEvent`.

    Example:
        >>> from line_braze.line.webhook import parse_events
        >>> payload = parse_events(b'{"destination": "U1", "events": []}')
        >>> payload
        WebhookPayload(destination='U1', events=())
    """

    destination: str | None
    events: tuple[WebhookEvent, ...] = ()


_EVENT_TYPES: Final[Mapping[str, type[Any]]] = {
    "follow": FollowEvent,
    "unfollow": UnfollowEvent,
    "message": MessageEvent,
    "unsend": UnsendEvent,
    "join": JoinEvent,
    "leave": LeaveEvent,
    "memberJoined": MemberJoinedEvent,
    "memberLeft": MemberLeftEvent,
    "postback": PostbackEvent,
    "videoPlayComplete": VideoPlayCompleteEvent,
    "beacon": BeaconEvent,
    "accountLink": AccountLinkEvent,
    "membership": MembershipEvent,
    "messageEdited": MessageEditedEvent,
    "module": ModuleEvent,
    "activated": ActivatedEvent,
    "deactivated": DeactivatedEvent,
    "botSuspended": BotSuspendedEvent,
    "botResumed": BotResumedEvent,
    "delivery": PnpDeliveryCompletionEvent,
}
