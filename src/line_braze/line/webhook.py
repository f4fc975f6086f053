"""LINE webhooks: check ``X-Line-Signature``, then read the body into typed events.

LINE signs every webhook request: ``X-Line-Signature`` is the base64 HMAC-SHA256 of the raw
request body, keyed with the channel secret. `parse_webhook` checks that signature over the
bytes exactly as received (never a re-serialisation), in constant time, and only then parses
them. The result is a `WebhookPayload` whose ``events`` are frozen attrs values:
`FollowEvent`, `UnfollowEvent`, `MessageEvent`, `AccountLinkEvent`, `PostbackEvent`, and the
rest. Nothing here needs a web framework: give it the body bytes and the header value.

What is forgiven and what is not:

- A wrong or missing signature raises `line_braze.errors.SignatureError`; nothing is parsed.
- A signed body that is not UTF-8 JSON, not an object, without a string ``destination`` or
  without an ``events`` list raises `line_braze.errors.WebhookParseError` naming the JSON
  path (``$.events``).
- One bad event never costs the others: an event of a type not modelled here (a new LINE
  event, ``messageEdited``) or of a known type but the wrong shape becomes an `UnknownEvent`
  that keeps ``type`` and the raw mapping, and, for a wrong shape, ``error`` with the JSON
  path (``$.events[3].source: ...``). A message whose content is not text, image or sticker,
  or is malformed, keeps the event a `MessageEvent` with `UnknownMessageContent`.
- Unknown keys are ignored; unknown enum values (a new ``mode``, link ``result`` or beacon
  ``type``) are kept as plain strings. Every field LINE may leave out is optional.
- Values of the wrong JSON type are not coerced: ``"isRedelivery": "false"`` is an error,
  not ``True``.

Every event has ``timestamp`` (ms since the epoch), ``mode`` (``"active"``, or ``"standby"``
when another channel has chat control: do not reply), ``webhook_event_id`` (a ULID: the key
for de-duplicating redeliveries), ``delivery_context``, ``source`` (`UserSource`,
`GroupSource`, `RoomSource` or `UnknownSource`) and the properties ``is_redelivery`` and
``user_id``; events LINE lets you answer have ``reply_token``. `UnknownEvent` offers the same
names as properties read from its raw mapping.

Parsing any input raises nothing but `line_braze.errors.LineBrazeError` subclasses.

In a web app (Flask here; any framework that gives the raw body works the same)::

    from line_braze.errors import SignatureError
    from line_braze.line.webhook import FollowEvent, UnfollowEvent, parse_webhook

    @app.post("/callback")
    def callback():
        try:
            payload = parse_webhook(
                request.get_data(), request.headers.get("X-Line-Signature"), channel_secret
            )
        except SignatureError:
            abort(400)
        for event in payload.events:
            if isinstance(event, FollowEvent):
                remember(event.user_id, unblocked=event.is_unblocked)
            elif isinstance(event, UnfollowEvent):
                forget(event.user_id)
        return "OK"

Example:
    >>> import json
    >>> from line_braze.line.webhook import FollowEvent, compute_signature, parse_webhook
    >>> body = json.dumps({"destination": "U" + "0" * 32, "events": [{
    ...     "type": "follow", "mode": "active", "timestamp": 1462629479859,
    ...     "source": {"type": "user", "userId": "U" + "a" * 32},
    ...     "webhookEventId": "01FZ74A0TDDPYRVKNK77XKC3ZR",
    ...     "deliveryContext": {"isRedelivery": False},
    ...     "replyToken": "nHuyWiB7yP5Zw52FIkcQobQuGDXCTA", "follow": {"isUnblocked": False},
    ... }]}).encode()
    >>> signature = compute_signature(body, "my-channel-secret")  # what LINE sends
    >>> payload = parse_webhook(body, signature, "my-channel-secret")
    >>> event = payload.events[0]
    >>> isinstance(event, FollowEvent), event.is_unblocked, event.user_id == "U" + "a" * 32
    (True, False, True)
    >>> parse_webhook(body, signature, "another-secret")
    Traceback (most recent call last):
    ...
    line_braze.errors.SignatureError: X-Line-Signature does not match the request body
"""

from __future__ import annotations

import base64
import binascii
import contextvars
import hashlib
import hmac
import json
from collections.abc import Callable, Mapping
from typing import Any, Final, Literal

import attrs
import cattrs
from cattrs.errors import CattrsError
from cattrs.gen import make_dict_structure_fn, override

from line_braze._convert import register_unstructure_hook, to_camel
from line_braze._display import Display, short_repr
from line_braze._secret import Secret
from line_braze.errors import SignatureError, ValidationError, WebhookParseError

__all__ = [
    "SIGNATURE_HEADER",
    "AccountLinkEvent",
    "BeaconContent",
    "BeaconEvent",
    "Body",
    "ContentProvider",
    "DeliveryContext",
    "FollowDetail",
    "FollowEvent",
    "GroupSource",
    "ImageMessageContent",
    "ImageSet",
    "JoinEvent",
    "JoinedMembers",
    "LeaveEvent",
    "LeftMembers",
    "LinkContent",
    "MemberJoinedEvent",
    "MemberLeftEvent",
    "MembershipContent",
    "MembershipEvent",
    "Mentionee",
    "MessageContent",
    "MessageEmoji",
    "MessageEvent",
    "MessageMention",
    "PostbackContent",
    "PostbackEvent",
    "RoomSource",
    "Source",
    "StickerMessageContent",
    "TextMessageContent",
    "UnfollowEvent",
    "UnknownEvent",
    "UnknownMessageContent",
    "UnknownSource",
    "UnsendDetail",
    "UnsendEvent",
    "UserSource",
    "VideoPlayComplete",
    "VideoPlayCompleteEvent",
    "WebhookEvent",
    "WebhookPayload",
    "compute_signature",
    "parse_events",
    "parse_webhook",
    "verify_signature",
]

#: A raw request body: what web frameworks hand over (``bytes``, or a buffer of them).
Body = bytes | bytearray | memoryview

#: The request header carrying LINE's signature.
SIGNATURE_HEADER: Final = "X-Line-Signature"

_DIGEST_SIZE: Final = hashlib.sha256().digest_size


def _raw_repr(value: object) -> str:
    return short_repr(value, 120)


def _is(tag: str) -> Callable[[Any, attrs.Attribute[Any], object], None]:
    """Return an attrs validator: the ``type`` tag of a class is its own, nothing else."""

    def check(_instance: Any, _attribute: attrs.Attribute[Any], value: object) -> None:
        if value != tag:
            raise _Bad(f"must be {tag!r}")

    return check


class _Bad(ValueError):
    """A value of the wrong JSON type or shape; its message holds no input values."""


# -- sources ---------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class UserSource(Display):
    """The event came from a user in a one-to-one chat.

    Attributes:
        user_id: the user's ID (``U`` + 32 hex). LINE leaves it out for some users (for
            example users of LINE on desktop, in group events).

    Example:
        >>> UserSource(user_id="U" + "a" * 32).type
        'user'
    """

    type: Literal["user"] = attrs.field(default="user", repr=False, validator=_is("user"))
    user_id: str | None = None


@attrs.frozen(kw_only=True)
class GroupSource(Display):
    """The event came from a group chat.

    Attributes:
        group_id: the group's ID.
        user_id: the user who caused the event, when LINE includes it (message events).

    Example:
        >>> GroupSource(group_id="C" + "0" * 32).user_id is None
        True
    """

    type: Literal["group"] = attrs.field(default="group", repr=False, validator=_is("group"))
    group_id: str
    user_id: str | None = None


@attrs.frozen(kw_only=True)
class RoomSource(Display):
    """The event came from a multi-person chat (a "room").

    Attributes:
        room_id: the room's ID.
        user_id: the user who caused the event, when LINE includes it (message events).

    Example:
        >>> RoomSource(room_id="R" + "0" * 32).type
        'room'
    """

    type: Literal["room"] = attrs.field(default="room", repr=False, validator=_is("room"))
    room_id: str
    user_id: str | None = None


@attrs.frozen(kw_only=True)
class UnknownSource(Display):
    """A source of a type this version does not model, kept as LINE sent it.

    Attributes:
        type: the source's ``type``.
        raw: the source object as received.

    Example:
        >>> UnknownSource(type="square", raw={"type": "square", "userId": "U1"}).user_id
        'U1'
    """

    type: str
    raw: Mapping[str, Any] = attrs.field(repr=_raw_repr)

    @property
    def user_id(self) -> str | None:
        """The raw ``userId``, if it is a string."""
        value = self.raw.get("userId")
        return value if isinstance(value, str) else None


#: Where an event came from.
Source = UserSource | GroupSource | RoomSource | UnknownSource


@attrs.frozen(kw_only=True)
class DeliveryContext(Display):
    """How the event was delivered.

    Attributes:
        is_redelivery: whether LINE is sending this event again (an earlier delivery was not
            acknowledged). De-duplicate on ``webhook_event_id``.

    Example:
        >>> DeliveryContext(is_redelivery=True).is_redelivery
        True
    """

    is_redelivery: bool


# -- message contents ------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class MessageEmoji(Display):
    """A LINE emoji inside a received text message.

    Attributes:
        index: position of the emoji's placeholder in ``text`` (UTF-16 units, from 0).
        length: length of the placeholder, e.g. 7 for ``(hello)``.
        product_id: the emoji set.
        emoji_id: the emoji within the set.

    Example:
        >>> MessageEmoji(index=0, length=6, product_id="5ac1", emoji_id="001").emoji_id
        '001'
    """

    index: int
    length: int | None = None
    product_id: str
    emoji_id: str


@attrs.frozen(kw_only=True)
class Mentionee(Display):
    """One mention in a received text message.

    Attributes:
        type: ``"user"`` (one user) or ``"all"`` (everyone); other values are kept.
        index: position of the mention in ``text`` (from 0).
        length: length of the mention text, e.g. 8 for ``@example``.
        user_id: the mentioned user, when ``type`` is ``"user"`` and the user consented.
        is_self: whether the mentioned user is this bot.

    Example:
        >>> Mentionee(type="all", index=0, length=4).user_id is None
        True
    """

    type: str
    index: int
    length: int
    user_id: str | None = None
    is_self: bool | None = None


@attrs.frozen(kw_only=True)
class MessageMention(Display):
    """The mentions in a received text message.

    Attributes:
        mentionees: who was mentioned (at most 20).

    Example:
        >>> MessageMention(mentionees=()).mentionees
        ()
    """

    mentionees: tuple[Mentionee, ...]


@attrs.frozen(kw_only=True)
class TextMessageContent(Display):
    """A text message a user sent.

    Attributes:
        id: LINE's message ID.
        text: the text.
        emojis: LINE emoji in the text.
        mention: mentions in the text (group chats).
        quote_token: token to quote this message in a reply.
        quoted_message_id: the message this one quotes, if any.
        mark_as_read_token: token to mark the message as read.

    Example:
        >>> TextMessageContent(id="1", text="Hello").text
        'Hello'
    """

    type: Literal["text"] = attrs.field(default="text", repr=False, validator=_is("text"))
    id: str
    text: str
    emojis: tuple[MessageEmoji, ...] = ()
    mention: MessageMention | None = None
    quote_token: str | None = None
    quoted_message_id: str | None = None
    mark_as_read_token: str | None = None


@attrs.frozen(kw_only=True)
class ContentProvider(Display):
    """Where a received image's file is.

    Attributes:
        type: ``"line"`` (download it with the message content API) or ``"external"``.
        original_content_url: the file's URL (``external`` only).
        preview_image_url: the preview's URL (``external`` only).

    Example:
        >>> ContentProvider(type="line").original_content_url is None
        True
    """

    type: str
    original_content_url: str | None = None
    preview_image_url: str | None = None


@attrs.frozen(kw_only=True)
class ImageSet(Display):
    """The set a received image belongs to, when several were sent at once.

    Attributes:
        id: the set's ID.
        index: this image's number in the set, from 1 (absent from old Android clients).
        total: how many images the set has.

    Example:
        >>> ImageSet(id="E005D41A7288F41B655", index=2, total=2).total
        2
    """

    id: str
    index: int | None = None
    total: int | None = None


@attrs.frozen(kw_only=True)
class ImageMessageContent(Display):
    """An image a user sent.

    Attributes:
        id: LINE's message ID (use it to download the image).
        content_provider: where the file is.
        image_set: the set the image belongs to, when several were sent at once.
        quote_token: token to quote this message in a reply.
        mark_as_read_token: token to mark the message as read.

    Example:
        >>> ImageMessageContent(id="1", content_provider=ContentProvider(type="line")).id
        '1'
    """

    type: Literal["image"] = attrs.field(default="image", repr=False, validator=_is("image"))
    id: str
    content_provider: ContentProvider | None = None
    image_set: ImageSet | None = None
    quote_token: str | None = None
    mark_as_read_token: str | None = None


@attrs.frozen(kw_only=True)
class StickerMessageContent(Display):
    """A sticker a user sent.

    Attributes:
        id: LINE's message ID.
        package_id: the sticker's package.
        sticker_id: the sticker.
        sticker_resource_type: ``STATIC``, ``ANIMATION``, ... (new values are kept).
        keywords: up to 15 words describing the sticker (experimental on LINE's side).
        text: text the user typed into a message sticker.
        quote_token: token to quote this message in a reply.
        quoted_message_id: the message this one quotes, if any.
        mark_as_read_token: token to mark the message as read.

    Example:
        >>> StickerMessageContent(id="1", package_id="446", sticker_id="1988").sticker_id
        '1988'
    """

    type: Literal["sticker"] = attrs.field(default="sticker", repr=False, validator=_is("sticker"))
    id: str
    package_id: str
    sticker_id: str
    sticker_resource_type: str | None = None
    keywords: tuple[str, ...] = ()
    text: str | None = None
    quote_token: str | None = None
    quoted_message_id: str | None = None
    mark_as_read_token: str | None = None


@attrs.frozen(kw_only=True)
class UnknownMessageContent(Display):
    """A message content not modelled here (video, audio, file, location, new types), raw.

    Attributes:
        type: the content's ``type``, if it is a string.
        id: the message ID, if it is a string.
        raw: the message object as received.
        error: ``None`` when the type is simply not modelled; otherwise why a modelled type
            could not be read, with the JSON path.

    Example:
        >>> c = UnknownMessageContent(type="location", id="1", raw={"type": "location"})
        >>> c.type, c.error
        ('location', None)
    """

    type: str | None
    id: str | None = None
    raw: Mapping[str, Any] = attrs.field(repr=_raw_repr)
    error: str | None = None


#: The content of a `MessageEvent`.
MessageContent = (
    TextMessageContent | ImageMessageContent | StickerMessageContent | UnknownMessageContent
)


# -- event details ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class FollowDetail(Display):
    """Details of a follow.

    Attributes:
        is_unblocked: ``True`` when the user unblocked the account, ``False`` when the user
            added it as a friend for the first time.

    Example:
        >>> FollowDetail(is_unblocked=True).is_unblocked
        True
    """

    is_unblocked: bool


@attrs.frozen(kw_only=True)
class LinkContent(Display):
    """The outcome of an account-link flow.

    Attributes:
        result: ``"ok"`` or ``"failed"`` (a new value is kept as it is).
        nonce: the nonce the link URL carried; look it up to find your user.

    Example:
        >>> LinkContent(result="ok", nonce="Vb771wDYtXuammLszK6h9A").ok
        True
    """

    result: str
    nonce: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the link succeeded."""
        return self.result == "ok"


@attrs.frozen(kw_only=True)
class PostbackContent(Display):
    """What a postback action sent.

    Attributes:
        data: the action's ``data``.
        params: picker results (``date``, ``time``, ``datetime``) or rich-menu switch details.

    Example:
        >>> PostbackContent(data="action=buy&item=1", params={"date": "2013-04-01"}).params
        {'date': '2013-04-01'}
    """

    data: str
    params: Mapping[str, str] | None = None


@attrs.frozen(kw_only=True)
class UnsendDetail(Display):
    """Which message the user unsent.

    Attributes:
        message_id: the unsent message's ID.

    Example:
        >>> UnsendDetail(message_id="325708").message_id
        '325708'
    """

    message_id: str


@attrs.frozen(kw_only=True)
class JoinedMembers(Display):
    """Users who joined a group or room.

    Attributes:
        members: the users.

    Example:
        >>> JoinedMembers(members=(UserSource(user_id="U1"),)).members[0].user_id
        'U1'
    """

    members: tuple[UserSource, ...]


@attrs.frozen(kw_only=True)
class LeftMembers(Display):
    """Users who left a group or room.

    Attributes:
        members: the users.

    Example:
        >>> len(LeftMembers(members=()).members)
        0
    """

    members: tuple[UserSource, ...]


@attrs.frozen(kw_only=True)
class VideoPlayComplete(Display):
    """Which video a user finished watching.

    Attributes:
        tracking_id: the ``trackingId`` of the video message sent.

    Example:
        >>> VideoPlayComplete(tracking_id="track_id").tracking_id
        'track_id'
    """

    tracking_id: str


@attrs.frozen(kw_only=True)
class BeaconContent(Display):
    """A LINE Beacon detection.

    Attributes:
        hwid: the beacon's hardware ID.
        type: ``"enter"``, ``"banner"`` or ``"stay"`` (a new value is kept).
        dm: the beacon's device message, if any.

    Example:
        >>> BeaconContent(hwid="d41d8cd98f", type="enter").dm is None
        True
    """

    hwid: str
    type: str
    dm: str | None = None


@attrs.frozen(kw_only=True)
class MembershipContent(Display):
    """A membership change.

    Attributes:
        type: ``"joined"``, ``"left"`` or ``"renewed"`` (a new value is kept).
        membership_id: the membership plan's ID.

    Example:
        >>> MembershipContent(type="joined", membership_id=3).membership_id
        3
    """

    type: str
    membership_id: int | None = None


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
        >>> e = FollowEvent(timestamp=0, source=UserSource(user_id="U1"))
        >>> e.user_id, e.is_unblocked
        ('U1', None)
    """

    type: Literal["follow"] = attrs.field(default="follow", repr=False, validator=_is("follow"))
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
        >>> UnfollowEvent(timestamp=0, source=UserSource(user_id="U1")).user_id
        'U1'
    """

    type: Literal["unfollow"] = attrs.field(
        default="unfollow", repr=False, validator=_is("unfollow")
    )


@attrs.frozen(kw_only=True)
class MessageEvent(_Event):
    """A user sent a message.

    Attributes:
        reply_token: token to reply to this event.
        message: `TextMessageContent`, `ImageMessageContent`, `StickerMessageContent`, or
            `UnknownMessageContent` for anything else.

    Example:
        >>> e = MessageEvent(timestamp=0, message=TextMessageContent(id="1", text="hi"))
        >>> e.message.type
        'text'
    """

    type: Literal["message"] = attrs.field(default="message", repr=False, validator=_is("message"))
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

    type: Literal["unsend"] = attrs.field(default="unsend", repr=False, validator=_is("unsend"))
    unsend: UnsendDetail


@attrs.frozen(kw_only=True)
class JoinEvent(_Event):
    """The account joined a group or room.

    Attributes:
        reply_token: token to reply to this event.

    Example:
        >>> JoinEvent(timestamp=0, source=GroupSource(group_id="C1")).user_id is None
        True
    """

    type: Literal["join"] = attrs.field(default="join", repr=False, validator=_is("join"))
    reply_token: str | None = None


@attrs.frozen(kw_only=True)
class LeaveEvent(_Event):
    """The account left, or was removed from, a group or room.

    Example:
        >>> LeaveEvent(timestamp=0).type
        'leave'
    """

    type: Literal["leave"] = attrs.field(default="leave", repr=False, validator=_is("leave"))


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

    type: Literal["memberJoined"] = attrs.field(
        default="memberJoined", repr=False, validator=_is("memberJoined")
    )
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

    type: Literal["memberLeft"] = attrs.field(
        default="memberLeft", repr=False, validator=_is("memberLeft")
    )
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

    type: Literal["postback"] = attrs.field(
        default="postback", repr=False, validator=_is("postback")
    )
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

    type: Literal["videoPlayComplete"] = attrs.field(
        default="videoPlayComplete", repr=False, validator=_is("videoPlayComplete")
    )
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

    type: Literal["beacon"] = attrs.field(default="beacon", repr=False, validator=_is("beacon"))
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

    type: Literal["accountLink"] = attrs.field(
        default="accountLink", repr=False, validator=_is("accountLink")
    )
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

    type: Literal["membership"] = attrs.field(
        default="membership", repr=False, validator=_is("membership")
    )
    reply_token: str | None = None
    membership: MembershipContent


@attrs.frozen(kw_only=True)
class UnknownEvent(Display):
    """An event not modelled here, or of a modelled type but not the shape LINE documents.

    The raw mapping is kept, so a handler can still read it; the common fields are offered
    as properties, read from it where they have the right JSON type.

    Attributes:
        type: the event's ``type``, if it is a string (``"messageEdited"``, ``"module"``...).
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
    | UnknownEvent
)


@attrs.frozen(kw_only=True)
class WebhookPayload(Display):
    """One webhook request: the bot it is for and its events, in LINE's order.

    An empty ``events`` is LINE checking that the endpoint answers: reply 200.

    Attributes:
        destination: the user ID of the bot the events are for.
        events: the events; see the module docs for what becomes an `UnknownEvent`.

    Example:
        >>> payload = parse_events(b'{"destination": "U1", "events": []}')
        >>> payload
        WebhookPayload(destination='U1', events=())
    """

    destination: str
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
}
_SOURCE_TYPES: Final[Mapping[str, type[Any]]] = {
    "user": UserSource,
    "group": GroupSource,
    "room": RoomSource,
}
_CONTENT_TYPES: Final[Mapping[str, type[Any]]] = {
    "text": TextMessageContent,
    "image": ImageMessageContent,
    "sticker": StickerMessageContent,
}


# -- signatures ------------------------------------------------------------------------------


def _body_bytes(body: object) -> bytes:
    if isinstance(body, bytes):
        return body
    if isinstance(body, (bytearray, memoryview)):
        return bytes(body)
    raise ValidationError(
        "body",
        f"must be the raw request body as bytes, got {type(body).__name__} "
        "(in Flask: request.get_data(); the signature covers the exact bytes)",
    )


def _secret_key(channel_secret: object) -> bytes:
    if isinstance(channel_secret, Secret):
        value = channel_secret.reveal()
    elif isinstance(channel_secret, str):
        value = channel_secret
    else:
        raise ValidationError(
            "channel_secret",
            f"must be a str or line_braze.Secret, got {type(channel_secret).__name__}",
        )
    if not value:
        raise ValidationError("channel_secret", "must not be empty")
    if value != value.strip():
        raise ValidationError(
            "channel_secret",
            "has leading or trailing whitespace (a pasted secret often ends in a newline)",
        )
    return value.encode()


def compute_signature(body: Body, channel_secret: str | Secret) -> str:
    """Return the ``X-Line-Signature`` LINE would send with ``body``.

    Args:
        body: the exact request body bytes.
        channel_secret: the channel secret (a `line_braze.Secret` or a plain string).

    Raises:
        line_braze.errors.ValidationError: ``body`` is not bytes, or the secret is empty.

    Example:
        >>> compute_signature(b"bodybodybodybody", "channel_secret")
        '/gg9a+LvFevTH1sd7XCQycD7tsWclCsInj7MhBHxN7k='
    """
    digest = hmac.digest(_secret_key(channel_secret), _body_bytes(body), "sha256")
    return base64.b64encode(digest).decode("ascii")


def verify_signature(
    body: Body, signature: str | bytes | None, channel_secret: str | Secret
) -> bool:
    """Return whether ``signature`` is LINE's signature of ``body``, compared in constant time.

    Anything that is not the base64 of a 32-byte digest (a missing header, garbage, the
    wrong length) is simply ``False``.

    Args:
        body: the raw request body, exactly as received (not re-serialised JSON).
        signature: the ``X-Line-Signature`` header value (``None`` if it was missing).
        channel_secret: the channel secret (a `line_braze.Secret` or a plain string).

    Raises:
        line_braze.errors.ValidationError: ``body`` is not bytes (a decoded ``str`` is
            refused: the signature covers bytes), or the secret is empty.

    Example:
        >>> sig = "/gg9a+LvFevTH1sd7XCQycD7tsWclCsInj7MhBHxN7k="
        >>> verify_signature(b"bodybodybodybody", sig, "channel_secret")
        True
        >>> verify_signature(b"bodybodybodybody", "invalid_signature", "channel_secret")
        False
    """
    raw = _body_bytes(body)
    key = _secret_key(channel_secret)
    if signature is None:
        return False
    if isinstance(signature, str):
        signature = signature.strip()
    try:
        given = base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError, TypeError):
        return False
    if len(given) != _DIGEST_SIZE:
        return False
    return hmac.compare_digest(given, hmac.digest(key, raw, "sha256"))


# -- parsing ---------------------------------------------------------------------------------


def parse_webhook(
    body: Body, signature: str | bytes | None, channel_secret: str | Secret
) -> WebhookPayload:
    """Verify ``X-Line-Signature`` over the raw body, then parse the events.

    Args:
        body: the raw request body, exactly as received.
        signature: the ``X-Line-Signature`` header value (``None`` if it was missing).
        channel_secret: the channel secret (a `line_braze.Secret` or a plain string).

    Raises:
        line_braze.errors.SignatureError: the signature is missing or does not match;
            nothing was parsed. Answer the request with 400 (or 401).
        line_braze.errors.WebhookParseError: correctly signed, but not LINE's webhook JSON.
        line_braze.errors.ValidationError: ``body`` is not bytes or the secret is empty.

    Example:
        >>> body = b'{"destination":"U1","events":[]}'
        >>> parse_webhook(body, compute_signature(body, "s3cret"), "s3cret").events
        ()
        >>> parse_webhook(body, None, "s3cret")
        Traceback (most recent call last):
        ...
        line_braze.errors.SignatureError: the X-Line-Signature header is missing
    """
    raw = _body_bytes(body)
    _secret_key(channel_secret)  # a configuration error is reported as such, first
    if not signature:
        raise SignatureError(f"the {SIGNATURE_HEADER} header is missing")
    if not verify_signature(raw, signature, channel_secret):
        raise SignatureError
    return parse_events(raw)


def parse_events(body: Body | str | Mapping[str, Any]) -> WebhookPayload:
    """Parse a webhook body whose signature was already checked (see `parse_webhook`).

    Args:
        body: the body as bytes (UTF-8 JSON), as text, or already decoded from JSON.

    Raises:
        line_braze.errors.WebhookParseError: not JSON, not an object, no string
            ``destination`` or no ``events`` list. A bad *event* does not raise: it becomes
            an `UnknownEvent` with ``error`` set.

    Example:
        >>> payload = parse_events({"destination": "U1", "events": [
        ...     {"type": "unfollow", "timestamp": 5, "source": {"type": "user", "userId": "U2"}},
        ...     {"type": "follow", "timestamp": "yesterday"},
        ...     {"type": "somethingNew", "timestamp": 6},
        ... ]})
        >>> [type(e).__name__ for e in payload.events]
        ['UnfollowEvent', 'UnknownEvent', 'UnknownEvent']
        >>> payload.events[1].error
        '$.events[1].timestamp: expected an integer'
        >>> parse_events(b'{"destination": "U1", "events": {}}')
        Traceback (most recent call last):
        ...
        line_braze.errors.WebhookParseError: $.events: must be a JSON array, got object
    """
    return _parse(_load(body), _converter(strict=False))


_JSON_KINDS: Final = ((bool, "boolean"), ((int, float), "number"), (str, "string"))


def _json_kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, list):
        return "array"
    if isinstance(value, Mapping):
        return "object"
    for kinds, name in _JSON_KINDS:
        if isinstance(value, kinds):
            return name
    return type(value).__name__


def _reject_constant(name: str) -> Any:
    msg = f"{name} is not JSON"
    raise ValueError(msg)


def _load(body: object) -> Any:
    if isinstance(body, Mapping):
        return body
    if isinstance(body, str):
        text = body
    else:
        raw = _body_bytes(body)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise WebhookParseError("$: the body is not UTF-8 text") from None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        raise WebhookParseError(f"$: the body is not JSON ({exc.msg}: {where})") from None
    except (ValueError, RecursionError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else "a value is invalid"
        raise WebhookParseError(f"$: the body is not JSON we can read ({reason})") from None


def _parse(data: Any, conv: cattrs.Converter) -> WebhookPayload:
    if not isinstance(data, Mapping):
        raise WebhookParseError(f"$: must be a JSON object, got {_json_kind(data)}")
    destination = data.get("destination")
    if not isinstance(destination, str):
        got = "nothing" if "destination" not in data else _json_kind(destination)
        raise WebhookParseError(f"$.destination: must be a string, got {got}")
    events = data.get("events")
    if not isinstance(events, list):
        got = "nothing" if "events" not in data else _json_kind(events)
        raise WebhookParseError(f"$.events: must be a JSON array, got {got}")
    return WebhookPayload(
        destination=destination,
        events=tuple(_event(raw, index, conv) for index, raw in enumerate(events)),
    )


_PATH: Final = contextvars.ContextVar("line_braze_webhook_path", default="$")


def _event(raw: object, index: int, conv: cattrs.Converter) -> WebhookEvent:
    path = f"$.events[{index}]"
    if not isinstance(raw, Mapping):
        return UnknownEvent(
            type=None, raw={}, error=f"{path}: must be a JSON object, got {_json_kind(raw)}"
        )
    kind = raw.get("type")
    if not isinstance(kind, str):
        got = _json_kind(kind) if "type" in raw else "nothing"
        return UnknownEvent(type=None, raw=raw, error=f"{path}.type: must be a string, got {got}")
    cls = _EVENT_TYPES.get(kind)
    if cls is None:
        return UnknownEvent(type=kind, raw=raw)
    token = _PATH.set(path)
    try:
        event: WebhookEvent = conv.structure(raw, cls)
    except Exception as exc:  # noqa: BLE001 - one bad event must not cost the batch
        return UnknownEvent(type=kind, raw=raw, error=_describe(exc, path=path))
    finally:
        _PATH.reset(token)
    return event


# -- the private converters --------------------------------------------------------------------
#
# The shared converter coerces (``bool("false") is True``, ``str({...})``); webhook input is
# untrusted, so these converters accept exactly the JSON types the spec names. They use the
# shared camelCase rule (`to_camel`) and are built on first use to keep imports fast.


def _describe(exc: BaseException, *, path: str) -> str:
    """Return ``"<json path>: <reason>"`` for a structuring failure, with LINE's key names.

    Only reasons we wrote are shown verbatim; they never quote the input, so no message
    text, token or other payload value ends up in an error or a log line.
    """
    found: list[str] = []
    try:
        _walk(exc, path, found)
    except Exception:  # noqa: BLE001 - describing an error must never raise another
        found = []
    shown = "; ".join(found[:3])
    if len(found) > 3:  # noqa: PLR2004
        shown += f"; and {len(found) - 3} more"
    return shown or f"{path}: invalid"


def _walk(exc: BaseException, path: str, found: list[str]) -> None:
    if isinstance(exc, cattrs.ClassValidationError | cattrs.IterableValidationError):
        for sub in exc.exceptions:
            where = path
            for note in getattr(sub, "__notes__", ()):
                if isinstance(note, cattrs.AttributeValidationNote):
                    where = f"{path}.{to_camel(note.name)}"
                elif isinstance(note, cattrs.IterableValidationNote):
                    where = f"{path}[{note.index!r}]"
            _walk(sub, where, found)
        return
    found.append(f"{path}: {_reason(exc)}")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, cattrs.ForbiddenExtraKeysError):
        return f"unknown fields ({', '.join(sorted(exc.extra_fields))})"
    if isinstance(exc, _Bad):
        return str(exc)
    if isinstance(exc, CattrsError):  # e.g. a Literal tag that does not match
        return "unexpected value"
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return f"invalid ({type(exc).__name__})"


def _exact_str(value: object, _: object) -> str:
    if isinstance(value, str):
        return value
    raise _Bad("expected a string")


def _exact_bool(value: object, _: object) -> bool:
    if isinstance(value, bool):
        return value
    raise _Bad("expected a boolean")


def _exact_int(value: object, _: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise _Bad("expected an integer")


def _str_mapping(value: object, _: object) -> Mapping[str, str]:
    if not isinstance(value, Mapping) or not all(isinstance(v, str) for v in value.values()):
        raise _Bad("expected an object of strings")
    return dict(value)


def _is_ours(cls: type) -> bool:
    return attrs.has(cls) and cls.__module__ == __name__


def _source_hook(value: object, _: object) -> Source:
    """Structure a source with the lenient converter (also used by `UnknownEvent.source`)."""
    hooks = _hooks(strict=False)
    return hooks.source(value, Source)


def _is_homogeneous_tuple(tp: Any) -> bool:
    args: tuple[Any, ...] = getattr(tp, "__args__", ())
    return getattr(tp, "__origin__", None) is tuple and args[1:] == (Ellipsis,)


def _item_error(exc: Exception, index: int, item_type: Any) -> Exception:
    notes = [*getattr(exc, "__notes__", []), cattrs.IterableValidationNote("", index, item_type)]
    exc.__notes__ = notes  # type: ignore[attr-defined]
    return exc


class _Hooks:
    """The structuring hooks of one webhook converter (``strict``: unknown keys refused)."""

    def __init__(self, *, strict: bool) -> None:
        self.strict = strict
        conv = self.conv = cattrs.Converter(forbid_extra_keys=strict)
        conv.register_structure_hook(str, _exact_str)
        conv.register_structure_hook(bool, _exact_bool)
        conv.register_structure_hook(int, _exact_int)
        conv.register_structure_hook_func(lambda t: t == Mapping[str, str], _str_mapping)
        conv.register_structure_hook_func(lambda t: t == Source, self.source)
        conv.register_structure_hook_func(lambda t: t == (Source | None), self.optional_source)
        conv.register_structure_hook_func(lambda t: t == MessageContent, self.content)
        conv.register_structure_hook_factory(_is_homogeneous_tuple, self.tuple_hook)
        conv.register_structure_hook_factory(_is_ours, self.class_hook)

    def tuple_hook(self, tp: Any) -> Callable[[Any, Any], tuple[Any, ...]]:
        item_type = tp.__args__[0]

        def one(item: object, index: int) -> tuple[Any, Exception | None]:
            try:
                return self.conv.structure(item, item_type), None
            except Exception as exc:  # noqa: BLE001 - collected, raised as a group below
                return None, _item_error(exc, index, item_type)

        def structure(value: object, _: object) -> tuple[Any, ...]:
            if not isinstance(value, list):
                raise _Bad("expected an array")
            results = [one(item, i) for i, item in enumerate(value)]
            errors = [err for _, err in results if err is not None]
            if errors:
                raise cattrs.IterableValidationError("invalid items", errors, tp)
            return tuple(item for item, _ in results)

        return structure

    def class_hook(self, cls: type) -> Callable[[Any, Any], Any]:
        overrides = {
            a.name: override(rename=a.metadata.get("wire") or to_camel(a.name))
            for a in attrs.fields(cls)
        }
        generated = _make_structure_fn(cls, self.conv, self.strict, overrides)

        def structure(value: object, tp: object) -> Any:
            if not isinstance(value, Mapping):
                raise _Bad("expected an object")
            return generated(value, tp)

        return structure

    def source(self, value: object, _: object) -> Source:
        if not isinstance(value, Mapping):
            raise _Bad("expected an object")
        kind = value.get("type")
        if not isinstance(kind, str):
            raise _Bad("type must be a string")
        cls = _SOURCE_TYPES.get(kind)
        if cls is None:
            return UnknownSource(type=kind, raw=value)
        result: Source = self.conv.structure(value, cls)
        return result

    def optional_source(self, value: object, tp: object) -> Source | None:
        return None if value is None else self.source(value, tp)

    def content(self, value: object, _: object) -> MessageContent:
        if not isinstance(value, Mapping):
            raise _Bad("expected an object")
        kind, mid = value.get("type"), value.get("id")
        known = kind if isinstance(kind, str) else None
        msg_id = mid if isinstance(mid, str) else None
        cls = _CONTENT_TYPES.get(known) if known is not None else None
        if cls is None:
            error = None if known else f"{_PATH.get()}.message.type: must be a string"
            return UnknownMessageContent(type=known, id=msg_id, raw=value, error=error)
        try:
            result: MessageContent = self.conv.structure(value, cls)
        except Exception as exc:  # noqa: BLE001 - keep the event, degrade the content
            error = _describe(exc, path=f"{_PATH.get()}.message")
            return UnknownMessageContent(type=known, id=msg_id, raw=value, error=error)
        return result


def _make_structure_fn(
    cls: type, conv: cattrs.Converter, strict: bool, overrides: dict[str, Any]
) -> Callable[[Any, Any], Any]:
    return make_dict_structure_fn(cls, conv, _cattrs_forbid_extra_keys=strict, **overrides)


_HOOKS: dict[bool, _Hooks] = {}


def _hooks(*, strict: bool) -> _Hooks:
    hooks = _HOOKS.get(strict)
    if hooks is None:
        hooks = _HOOKS.setdefault(strict, _Hooks(strict=strict))
    return hooks


def _converter(*, strict: bool) -> cattrs.Converter:
    """Return the webhook converter; ``strict`` forbids unknown keys (the test suite's)."""
    return _hooks(strict=strict).conv


def _raw_of(obj: UnknownEvent | UnknownSource | UnknownMessageContent) -> dict[str, Any]:
    return dict(obj.raw)


for _unknown in (UnknownEvent, UnknownSource, UnknownMessageContent):
    register_unstructure_hook(_unknown, _raw_of)
