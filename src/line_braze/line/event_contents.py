"""The parts of LINE webhook events: sources, message contents and event details.

Every class is a frozen attrs value with snake_case fields, read from LINE's camelCase JSON
by `line_braze.line.webhook`. Types LINE may add later are kept raw: `UnknownSource`,
`UnknownMessageContent`.

Example:
    >>> LocationMessageContent(id="1", latitude=35.6, longitude=139.7).title is None
    True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final, Literal

import attrs

from line_braze._display import Display, short_repr

__all__ = [
    "BeaconContent",
    "ContentProvider",
    "DeliveryContext",
    "FollowDetail",
    "GroupSource",
    "ImageMessageContent",
    "ImageSet",
    "JoinedMembers",
    "LeftMembers",
    "LinkContent",
    "MembershipContent",
    "Mentionee",
    "MessageContent",
    "MessageEmoji",
    "MessageMention",
    "PostbackContent",
    "RoomSource",
    "Source",
    "StickerMessageContent",
    "TextMessageContent",
    "UnknownMessageContent",
    "UnknownSource",
    "UnsendDetail",
    "UserSource",
    "VideoPlayComplete",
]


def _raw_repr(value: object) -> str:
    return short_repr(value, 120)


def _is(tag: str) -> Callable[[Any, attrs.Attribute[Any], object], None]:
    """Return an attrs validator: the ``type`` tag of a class is its own, nothing else."""

    def check(_instance: Any, _attribute: attrs.Attribute[Any], value: object) -> None:
        if value != tag:
            raise _Bad(f"must be {tag!r}")

    return check


def _tag(tag: str) -> Any:
    """Return the ``type`` field of a class tagged ``tag``: its default, hidden, checked."""
    return attrs.field(default=tag, repr=False, validator=_is(tag))


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

    type: Literal["user"] = _tag("user")
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

    type: Literal["group"] = _tag("group")
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

    type: Literal["room"] = _tag("room")
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

    type: Literal["text"] = _tag("text")
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

    type: Literal["image"] = _tag("image")
    id: str
    content_provider: ContentProvider | None = None
    image_set: ImageSet | None = None
    quote_token: str | None = None
    mark_as_read_token: str | None = None


@attrs.frozen(kw_only=True)
class VideoMessageContent(Display):
    """A video a user sent.

    Attributes:
        id: LINE's message ID (use it to download the video).
        content_provider: where the file is.
        duration: length in milliseconds.
        quote_token: token to quote this message in a reply.
        mark_as_read_token: token to mark the message as read.

    Example:
        >>> VideoMessageContent(id="1", duration=60000).duration
        60000
    """

    type: Literal["video"] = _tag("video")
    id: str
    content_provider: ContentProvider | None = None
    duration: int | None = None
    quote_token: str | None = None
    mark_as_read_token: str | None = None


@attrs.frozen(kw_only=True)
class AudioMessageContent(Display):
    """An audio clip a user sent.

    Attributes:
        id: LINE's message ID (use it to download the audio).
        content_provider: where the file is.
        duration: length in milliseconds.
        quote_token: token to quote this message (LINE's SDK fixtures carry it).
        mark_as_read_token: token to mark the message as read.

    Example:
        >>> AudioMessageContent(id="1", duration=6000).type
        'audio'
    """

    type: Literal["audio"] = _tag("audio")
    id: str
    content_provider: ContentProvider | None = None
    duration: int | None = None
    quote_token: str | None = None
    mark_as_read_token: str | None = None


@attrs.frozen(kw_only=True)
class FileMessageContent(Display):
    """A file a user sent.

    Attributes:
        id: LINE's message ID (use it to download the file).
        file_name: the file's name.
        file_size: its size in bytes.
        mark_as_read_token: token to mark the message as read.

    Example:
        >>> FileMessageContent(id="1", file_name="a.pdf", file_size=2138).file_size
        2138
    """

    type: Literal["file"] = _tag("file")
    id: str
    file_name: str
    file_size: int
    mark_as_read_token: str | None = None


@attrs.frozen(kw_only=True)
class LocationMessageContent(Display):
    """A location a user sent.

    Attributes:
        id: LINE's message ID.
        title: the place's name, if any.
        address: its address, if any.
        latitude: latitude.
        longitude: longitude.
        mark_as_read_token: token to mark the message as read.

    Example:
        >>> LocationMessageContent(id="1", latitude=35.6, longitude=139.7).latitude
        35.6
    """

    type: Literal["location"] = _tag("location")
    id: str
    title: str | None = None
    address: str | None = None
    latitude: float
    longitude: float
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

    type: Literal["sticker"] = _tag("sticker")
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
    """A message content of a type LINE added later, or malformed, kept raw.

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
    TextMessageContent
    | ImageMessageContent
    | VideoMessageContent
    | AudioMessageContent
    | FileMessageContent
    | LocationMessageContent
    | StickerMessageContent
    | UnknownMessageContent
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


@attrs.frozen(kw_only=True)
class ChatControl(Display):
    """How long a module channel has chat control.

    Attributes:
        expire_at: when control ends, in milliseconds since the epoch.

    Example:
        >>> ChatControl(expire_at=1462629479960).expire_at
        1462629479960
    """

    expire_at: int


@attrs.frozen(kw_only=True)
class AttachedModuleContent(Display):
    """A module channel was attached to an account (``type: attached``).

    Attributes:
        bot_id: the user ID of the account's bot.
        scopes: the permissions the account's admin granted.

    Example:
        >>> AttachedModuleContent(bot_id="U1", scopes=("message:send",)).type
        'attached'
    """

    type: Literal["attached"] = _tag("attached")
    bot_id: str
    scopes: tuple[str, ...]


@attrs.frozen(kw_only=True)
class DetachedModuleContent(Display):
    """A module channel was detached from an account (``type: detached``).

    Attributes:
        bot_id: the user ID of the account's bot.
        reason: why, such as ``"bot_deleted"`` (a new value is kept).

    Example:
        >>> DetachedModuleContent(bot_id="U1", reason="bot_deleted").reason
        'bot_deleted'
    """

    type: Literal["detached"] = _tag("detached")
    bot_id: str
    reason: str


#: What happened to a module channel.
ModuleContent = AttachedModuleContent | DetachedModuleContent
_MODULE_TYPES: Final[Mapping[str, type[Any]]] = {
    "attached": AttachedModuleContent,
    "detached": DetachedModuleContent,
}


@attrs.frozen(kw_only=True)
class PnpDelivery(Display):
    """A delivered LINE notification message.

    Attributes:
        data: the hashed phone number, or the ``X-Line-Delivery-Tag`` sent with the message.

    Example:
        >>> PnpDelivery(data="tag").data
        'tag'
    """

    data: str


_SOURCE_TYPES: Final[Mapping[str, type[Any]]] = {
    "user": UserSource,
    "group": GroupSource,
    "room": RoomSource,
}
_CONTENT_TYPES: Final[Mapping[str, type[Any]]] = {
    "text": TextMessageContent,
    "image": ImageMessageContent,
    "video": VideoMessageContent,
    "audio": AudioMessageContent,
    "file": FileMessageContent,
    "location": LocationMessageContent,
    "sticker": StickerMessageContent,
}
