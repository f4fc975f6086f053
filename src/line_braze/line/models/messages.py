"""LINE message objects for push, multicast and validate bodies, and reading them back.

Text (and text v2 with mentions and emoji), sticker, image, video, audio, location and
coupon messages live here; templates, flex and imagemap messages in their own modules. A
`Message` is any of them; `message_from_wire` reads LINE's JSON (as LINE's SDK writes it)
back into models, with the JSON path of anything wrong.

Example:
    >>> from line_braze.line import LocationMessage
    >>> msg = LocationMessage(title="Shop", address="1-1 Chiyoda", latitude=35.68,
    ...                       longitude=139.76)
    >>> message_from_wire(msg.to_wire()) == msg
    True
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterable, Mapping
from typing import Any, Final, Literal, Union

import attrs

from line_braze._check import is_bare
from line_braze._wire import describe, register_union, strict_converter
from line_braze.errors import ValidationError
from line_braze.line.models._base import (
    EMOJIS_MAX,
    MESSAGES_MAX,
    TEXT_MAX,
    WireModel,
    _check_instance,
    _check_items,
    _check_str,
    _instance,
    _text,
    _tuple,
    _url,
)
from line_braze.line.models.actions import Action, QuickReply, Sender
from line_braze.line.models.flex import FlexContainer, FlexMessage
from line_braze.line.models.flex_components import (
    FlexAltContent,
    FlexComponent,
)
from line_braze.line.models.imagemap import ImagemapAction, ImagemapMessage
from line_braze.line.models.templates import Template, TemplateMessage

__all__ = [
    "DELIVERY_TAG_MAX",
    "LOCATION_TEXT_MAX",
    "TRACKING_ID_MAX",
    "AllMentionTarget",
    "AudioMessage",
    "CouponMessage",
    "Emoji",
    "EmojiSubstitutionObject",
    "ImageMessage",
    "LocationMessage",
    "MentionSubstitutionObject",
    "MentionTarget",
    "Message",
    "StickerMessage",
    "SubstitutionObject",
    "TextMessage",
    "TextMessageV2",
    "UserMentionTarget",
    "VideoMessage",
    "check_messages",
    "message_from_wire",
    "messages_from_wire",
]

#: Video ``trackingId``, characters.
TRACKING_ID_MAX: Final = 100
#: Location ``title`` and ``address``, characters.
LOCATION_TEXT_MAX: Final = 100
#: Coupon ``deliveryTag``, characters.
DELIVERY_TAG_MAX: Final = 30

_TRACKING_ID = re.compile(r"[A-Za-z0-9\-.=,+*()%$&;:@{}!?<>\[\]]+")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def _emojis_tuple(value: Iterable[Emoji] | None) -> tuple[Emoji, ...] | None:
    """Store emojis as a tuple; an empty sequence means none."""
    if value is None:
        return None
    result: tuple[Emoji, ...] | None = _tuple(value)
    return result or None


@attrs.frozen(kw_only=True)
class Emoji(WireModel):
    """A LINE emoji replacing the ``$`` at ``index`` of a `TextMessage`'s text.

    Attributes:
        index: position of the ``$`` in the text, in UTF-16 code units from 0.
        product_id: the emoji set's product ID.
        emoji_id: the emoji's ID within the set.

    Example:
        >>> TextMessage(text="🍎$", emojis=[Emoji(index=2, product_id="p", emoji_id="001")]).text
        '🍎$'
    """

    index: int = attrs.field()
    product_id: str = attrs.field(validator=_text(None))
    emoji_id: str = attrs.field(validator=_text(None))

    @index.validator
    def _check_index(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValidationError(attribute.name, "must be an integer of 0 or more")


@attrs.frozen(kw_only=True)
class TextMessage(WireModel):
    """A text message (``type: text``), optionally with LINE emoji.

    Attributes:
        text: at most 5000 UTF-16 code units (🍎 counts 2); each LINE emoji is a ``$``.
        emojis: up to 20 `Emoji`, each pointing at a ``$`` of ``text``.
        quote_token: quote token of a message to quote.
        quick_reply: buttons under the message.
        sender: the name and icon shown for this message.

    Example:
        >>> TextMessage(text="🍎" * 2500).text[:1]
        '🍎'
        >>> TextMessage(text="🍎" * 2500 + "!")
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: text: at most 5000 UTF-16 code units, got 5001
    """

    type: Literal["text"] = attrs.field(default="text", init=False, repr=False)
    text: str = attrs.field(validator=_text(TEXT_MAX, "utf16"))
    emojis: tuple[Emoji, ...] | None = attrs.field(default=None, converter=_emojis_tuple)
    quote_token: str | None = attrs.field(default=None, validator=_text(None, optional=True))
    quick_reply: QuickReply | None = attrs.field(default=None, validator=_instance(QuickReply))
    sender: Sender | None = attrs.field(default=None, validator=_instance(Sender))

    @emojis.validator
    def _check_emojis(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None:
            return
        emojis: tuple[Emoji, ...] = _check_items(
            attribute.name, value, (Emoji,), low=1, high=EMOJIS_MAX, noun="emojis"
        )
        units = self.text.encode("utf-16-le", "surrogatepass")
        seen: set[int] = set()
        for i, emoji in enumerate(emojis):
            at = emoji.index * 2
            if units[at : at + 2] != b"$\x00":
                raise ValidationError(
                    f"emojis[{i}].index",
                    f"must point at a '$' in text (UTF-16 position), got {emoji.index}",
                )
            if emoji.index in seen:
                raise ValidationError(f"emojis[{i}].index", f"{emoji.index} is used twice")
            seen.add(emoji.index)


_digits = re.compile(r"[0-9]+")


def _sticker_id(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    _check_str(attribute.name, value, limit=None, unit="utf16")
    if not _digits.fullmatch(value):
        raise ValidationError(attribute.name, "must be a string of digits, like '446'")


@attrs.frozen(kw_only=True)
class StickerMessage(WireModel):
    """A sticker (``type: sticker``) from LINE's list of stickers bots may send.

    Attributes:
        package_id: the sticker package ID, a string of digits.
        sticker_id: the sticker ID, a string of digits.
        quote_token: quote token of a message to quote.
        quick_reply: buttons under the message.
        sender: the name and icon shown for this message.

    Example:
        >>> StickerMessage(package_id="446", sticker_id="1988").to_wire()
        {'type': 'sticker', 'packageId': '446', 'stickerId': '1988'}
    """

    type: Literal["sticker"] = attrs.field(default="sticker", init=False, repr=False)
    package_id: str = attrs.field(validator=_sticker_id)
    sticker_id: str = attrs.field(validator=_sticker_id)
    quote_token: str | None = attrs.field(default=None, validator=_text(None, optional=True))
    quick_reply: QuickReply | None = attrs.field(default=None, validator=_instance(QuickReply))
    sender: Sender | None = attrs.field(default=None, validator=_instance(Sender))


@attrs.frozen(kw_only=True)
class ImageMessage(WireModel):
    """An image (``type: image``).

    Attributes:
        original_content_url: https JPEG/PNG URL (10 MB at most), at most 2000 characters.
        preview_image_url: https JPEG/PNG URL (1 MB at most), at most 2000 characters.
        quick_reply: buttons under the message.
        sender: the name and icon shown for this message.

    Example:
        >>> ImageMessage(original_content_url="http://example.com/a.png",
        ...              preview_image_url="https://example.com/p.png")
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: original_content_url: must be an https URL
    """

    type: Literal["image"] = attrs.field(default="image", init=False, repr=False)
    original_content_url: str = attrs.field(validator=_url(optional=False))
    preview_image_url: str = attrs.field(validator=_url(optional=False))
    quick_reply: QuickReply | None = attrs.field(default=None, validator=_instance(QuickReply))
    sender: Sender | None = attrs.field(default=None, validator=_instance(Sender))


@attrs.frozen(kw_only=True)
class VideoMessage(WireModel):
    """A video (``type: video``).

    Attributes:
        original_content_url: https MP4 URL (200 MB at most), at most 2000 characters.
        preview_image_url: https JPEG/PNG URL (1 MB at most), at most 2000 characters.
        tracking_id: returned in the ``videoPlayComplete`` webhook event, at most 100 of
            ``A-Z a-z 0-9`` and ``-.=,+*()%$&;:@{}!?<>[]``.
        quick_reply: buttons under the message.
        sender: the name and icon shown for this message.

    Example:
        >>> VideoMessage(original_content_url="https://example.com/v.mp4",
        ...              preview_image_url="https://example.com/v.png", tracking_id="a b")
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: tracking_id: may hold only A-Z a-z 0-9 and -.=,+*()%$&;:@{}!?<>[]
    """  # noqa: E501

    type: Literal["video"] = attrs.field(default="video", init=False, repr=False)
    original_content_url: str = attrs.field(validator=_url(optional=False))
    preview_image_url: str = attrs.field(validator=_url(optional=False))
    tracking_id: str | None = attrs.field(
        default=None, validator=_text(TRACKING_ID_MAX, "utf16", optional=True)
    )
    quick_reply: QuickReply | None = attrs.field(default=None, validator=_instance(QuickReply))
    sender: Sender | None = attrs.field(default=None, validator=_instance(Sender))

    @tracking_id.validator
    def _check_tracking_id(self, attribute: attrs.Attribute[Any], value: str | None) -> None:
        if value is not None and not _TRACKING_ID.fullmatch(value):
            raise ValidationError(
                attribute.name, "may hold only A-Z a-z 0-9 and -.=,+*()%$&;:@{}!?<>[]"
            )


def _duration(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValidationError(attribute.name, "must be a whole number of milliseconds, 1 or more")


@attrs.frozen(kw_only=True)
class AudioMessage(WireModel):
    """An audio clip (``type: audio``).

    Attributes:
        original_content_url: https MP3 or M4A URL (200 MB at most), at most 2000
            characters.
        duration: the clip's length in milliseconds.
        quick_reply: buttons under the message.
        sender: the name and icon shown for this message.

    Example:
        >>> AudioMessage(original_content_url="https://example.com/a.m4a", duration=60000).to_wire()
        {'type': 'audio', 'originalContentUrl': 'https://example.com/a.m4a', 'duration': 60000}
    """

    type: Literal["audio"] = attrs.field(default="audio", init=False, repr=False)
    original_content_url: str = attrs.field(validator=_url(optional=False))
    duration: int = attrs.field(validator=_duration)
    quick_reply: QuickReply | None = attrs.field(default=None, validator=_instance(QuickReply))
    sender: Sender | None = attrs.field(default=None, validator=_instance(Sender))


def _degrees(limit: float) -> Any:
    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if (
            not isinstance(value, (int, float))
            or isinstance(value, bool)
            or not -limit <= value <= limit
        ):
            raise ValidationError(attribute.name, f"must be a number from -{limit:g} to {limit:g}")

    return check


@attrs.frozen(kw_only=True)
class LocationMessage(WireModel):
    """A place on a map (``type: location``).

    Attributes:
        title: at most 100 characters.
        address: at most 100 characters.
        latitude: -90 to 90.
        longitude: -180 to 180.
        quick_reply: buttons under the message.
        sender: the name and icon shown for this message.

    Example:
        >>> LocationMessage(title="t", address="a", latitude=91, longitude=0)
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: latitude: must be a number from -90 to 90
    """

    type: Literal["location"] = attrs.field(default="location", init=False, repr=False)
    title: str = attrs.field(validator=_text(LOCATION_TEXT_MAX, "utf16"))
    address: str = attrs.field(validator=_text(LOCATION_TEXT_MAX, "utf16"))
    latitude: float = attrs.field(validator=_degrees(90))
    longitude: float = attrs.field(validator=_degrees(180))
    quick_reply: QuickReply | None = attrs.field(default=None, validator=_instance(QuickReply))
    sender: Sender | None = attrs.field(default=None, validator=_instance(Sender))


@attrs.frozen(kw_only=True)
class CouponMessage(WireModel):
    """A coupon made in LINE Official Account Manager (``type: coupon``).

    Attributes:
        coupon_id: the coupon's ID.
        delivery_tag: a tag for LINE's analytics, at most 30 characters.
        quick_reply: buttons under the message.
        sender: the name and icon shown for this message.

    Example:
        >>> CouponMessage(coupon_id="01JYNW8JMQVFBNPP5MBRDQ7VR5").to_wire()["couponId"]
        '01JYNW8JMQVFBNPP5MBRDQ7VR5'
    """

    type: Literal["coupon"] = attrs.field(default="coupon", init=False, repr=False)
    coupon_id: str = attrs.field(validator=_text(None))
    delivery_tag: str | None = attrs.field(
        default=None, validator=_text(DELIVERY_TAG_MAX, "utf16", optional=True)
    )
    quick_reply: QuickReply | None = attrs.field(default=None, validator=_instance(QuickReply))
    sender: Sender | None = attrs.field(default=None, validator=_instance(Sender))


# -- text v2 ----------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class UserMentionTarget(WireModel):
    """Mention one user (``type: user``) in a `TextMessageV2`.

    Attributes:
        user_id: the user's ID.

    Example:
        >>> UserMentionTarget(user_id="U" + "0" * 32).type
        'user'
    """

    type: Literal["user"] = attrs.field(default="user", init=False, repr=False)
    user_id: str = attrs.field(validator=_text(None))


@attrs.frozen(kw_only=True)
class AllMentionTarget(WireModel):
    """Mention everyone in the group (``type: all``) in a `TextMessageV2`.

    Example:
        >>> AllMentionTarget().to_wire()
        {'type': 'all'}
    """

    type: Literal["all"] = attrs.field(default="all", init=False, repr=False)


#: Who a mention points at, keyed on ``type``.
MentionTarget = Union[UserMentionTarget, AllMentionTarget]  # noqa: UP007


@attrs.frozen(kw_only=True)
class MentionSubstitutionObject(WireModel):
    """A ``{key}`` of a `TextMessageV2` replaced by a mention (``type: mention``).

    Attributes:
        mentionee: a `UserMentionTarget` or `AllMentionTarget`.

    Example:
        >>> MentionSubstitutionObject(mentionee=AllMentionTarget()).to_wire()
        {'type': 'mention', 'mentionee': {'type': 'all'}}
    """

    type: Literal["mention"] = attrs.field(default="mention", init=False, repr=False)
    mentionee: MentionTarget = attrs.field(
        validator=_instance(UserMentionTarget, AllMentionTarget, optional=False)
    )


@attrs.frozen(kw_only=True)
class EmojiSubstitutionObject(WireModel):
    """A ``{key}`` of a `TextMessageV2` replaced by a LINE emoji (``type: emoji``).

    Attributes:
        product_id: the emoji set's product ID.
        emoji_id: the emoji's ID within the set.

    Example:
        >>> EmojiSubstitutionObject(product_id="5ac1bfd5040ab15980c9b435", emoji_id="002").type
        'emoji'
    """

    type: Literal["emoji"] = attrs.field(default="emoji", init=False, repr=False)
    product_id: str = attrs.field(validator=_text(None))
    emoji_id: str = attrs.field(validator=_text(None))


#: What replaces a ``{key}`` of a `TextMessageV2`, keyed on ``type``.
SubstitutionObject = Union[MentionSubstitutionObject, EmojiSubstitutionObject]  # noqa: UP007
_SUBSTITUTIONS: Final[tuple[type, ...]] = typing.get_args(SubstitutionObject)


def _substitution(
    value: Mapping[str, SubstitutionObject] | None,
) -> Mapping[str, SubstitutionObject] | None:
    if value is None or not isinstance(value, Mapping):
        return value
    return dict(value) or None


@attrs.frozen(kw_only=True)
class TextMessageV2(WireModel):
    """A text whose ``{key}`` placeholders become mentions or LINE emoji (``type: textV2``).

    Attributes:
        text: at most 5000 UTF-16 code units; ``{key}`` marks a substitution.
        substitution: key -> `MentionSubstitutionObject` or `EmojiSubstitutionObject`;
            every key must appear in ``text`` as ``{key}``.
        quote_token: quote token of a message to quote.
        quick_reply: buttons under the message.
        sender: the name and icon shown for this message.

    Example:
        >>> msg = TextMessageV2(text="Welcome, {user}! {smile}", substitution={
        ...     "user": MentionSubstitutionObject(
        ...         mentionee=UserMentionTarget(user_id="U" + "0" * 32)),
        ...     "smile": EmojiSubstitutionObject(product_id="5ac1bfd5040ab15980c9b435",
        ...                                      emoji_id="002")})
        >>> msg.to_wire()["substitution"]["smile"]
        {'type': 'emoji', 'productId': '5ac1bfd5040ab15980c9b435', 'emojiId': '002'}
        >>> TextMessageV2(text="Hi", substitution={"user": msg.substitution["user"]})
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: substitution.user: '{user}' is not in text
    """

    type: Literal["textV2"] = attrs.field(default="textV2", init=False, repr=False)
    text: str = attrs.field(validator=_text(TEXT_MAX, "utf16"))
    substitution: Mapping[str, SubstitutionObject] | None = attrs.field(
        default=None, converter=_substitution, hash=False
    )
    quote_token: str | None = attrs.field(default=None, validator=_text(None, optional=True))
    quick_reply: QuickReply | None = attrs.field(default=None, validator=_instance(QuickReply))
    sender: Sender | None = attrs.field(default=None, validator=_instance(Sender))

    @substitution.validator
    def _check_substitution(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None:
            return
        if not isinstance(value, Mapping):
            raise ValidationError(
                attribute.name, f"must be a mapping of key -> substitution, got {type(value)}"
            )
        used = set(_PLACEHOLDER.findall(self.text))
        for key, item in value.items():
            if not isinstance(key, str) or not key:
                raise ValidationError(attribute.name, "keys must be non-empty strings")
            _check_instance(
                f"{attribute.name}.{key}",
                item,
                _SUBSTITUTIONS,
                "MentionSubstitutionObject or EmojiSubstitutionObject",
            )
            if key not in used:
                raise ValidationError(f"{attribute.name}.{key}", f"'{{{key}}}' is not in text")


# -- every message ----------------------------------------------------------------------------

#: A message object, keyed on ``type``.
Message = Union[  # noqa: UP007
    TextMessage,
    TextMessageV2,
    StickerMessage,
    ImageMessage,
    VideoMessage,
    AudioMessage,
    LocationMessage,
    ImagemapMessage,
    TemplateMessage,
    FlexMessage,
    CouponMessage,
]
_MESSAGES: Final[tuple[type, ...]] = typing.get_args(Message)
_MESSAGE_NAMES: Final = "a message model (TextMessage, FlexMessage, ...)"


# Innermost first: a model's structuring function takes the hooks of its fields' types
# when it is generated, and cattrs' strategy generates the members' functions right away.
register_union(MentionTarget, noun="mention target")
register_union(SubstitutionObject, noun="substitution")
register_union(Action, noun="action")
register_union(ImagemapAction, noun="imagemap action")
register_union(FlexAltContent, noun="flex alt content")
register_union(FlexComponent, noun="flex component")
register_union(FlexContainer, noun="flex container")
register_union(Template, noun="template")
register_union(Message, noun="message")


# -- whole requests ---------------------------------------------------------------------------


def check_messages(messages: Iterable[Message]) -> tuple[Message, ...]:
    """Check the ``messages`` of one request: 1 to 5 message models.

    Each element's own validators run again (they already ran at construction), so a model
    changed behind attrs' back is still caught. Errors name ``messages`` or ``messages[i]...``.

    Example:
        >>> check_messages([TextMessage(text="a")] * 6)
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: messages: must hold 1 to 5 messages, got 6
        >>> check_messages([{"type": "text", "text": "a"}])
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: messages[0]: must be a message model (TextMessage, FlexMessage, ...), got dict (build models; message_from_wire reads JSON)
    """  # noqa: E501
    if is_bare(messages) or isinstance(messages, _MESSAGES) or not isinstance(messages, Iterable):
        raise ValidationError(
            "messages", f"must be a list of message models, got {type(messages).__name__}"
        )
    items = tuple(messages)
    if not 1 <= len(items) <= MESSAGES_MAX:
        raise ValidationError(
            "messages", f"must hold 1 to {MESSAGES_MAX} messages, got {len(items)}"
        )
    for i, item in enumerate(items):
        _check_instance(f"messages[{i}]", item, _MESSAGES, _MESSAGE_NAMES)
        try:
            attrs.validate(item)
        except ValidationError as err:
            raise err.prefixed(f"messages[{i}]") from None
    return items


def message_from_wire(data: object, path: str = "messages[0]") -> Message:
    """Build one message model from LINE's wire JSON (camelCase, as in a push body).

    Raises:
        line_braze.errors.ValidationError: the JSON path of the problem: an unknown
            ``type``, a missing or undefined property, a wrong JSON type, a broken limit.

    Example:
        >>> message_from_wire({"type": "text", "text": "Hi", "sender": {"name": "Shop"}})
        TextMessage(text='Hi', emojis=None, quote_token=None, quick_reply=None, sender=Sender(name='Shop', icon_url=None))
        >>> message_from_wire({"type": "flex", "altText": "x", "contents": {"type": "box"}})
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: messages[0].contents.type: unknown flex container type 'box'; supported: bubble, carousel
    """  # noqa: E501
    union: Any = Message
    try:
        result: Message = strict_converter.structure(data, union)
    except Exception as exc:  # noqa: BLE001 - every failure becomes one ValidationError
        where, reason = describe(exc, path)[0]
        raise ValidationError(where, reason) from None
    return result


def messages_from_wire(data: object) -> tuple[Message, ...]:
    """Build the models of a request's ``messages`` array (1 to 5 message objects).

    Raises:
        line_braze.errors.ValidationError: with the JSON path (``messages[1].template.columns[0].actions[2].label``).

    Example:
        >>> messages_from_wire([{"type": "sticker", "packageId": "446", "stickerId": "1988"}])
        (StickerMessage(package_id='446', sticker_id='1988', quote_token=None, quick_reply=None, sender=None),)
        >>> messages_from_wire([{"type": "image", "originalContentUrl": "https://e.x/a.png"}])
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: messages[0].previewImageUrl: is required
    """  # noqa: E501
    if isinstance(data, (str, bytes, Mapping)) or not isinstance(data, (list, tuple)):
        raise ValidationError("messages", "must be an array of message objects")
    if not 1 <= len(data) <= MESSAGES_MAX:
        raise ValidationError(
            "messages", f"must hold 1 to {MESSAGES_MAX} messages, got {len(data)}"
        )
    return tuple(message_from_wire(item, f"messages[{i}]") for i, item in enumerate(data))
