"""LINE message objects for push, multicast and validate bodies, checked as LINE checks them.

Every model is a frozen attrs class with snake_case fields; `line_braze._convert` writes them
as LINE's camelCase JSON (optional fields left at ``None`` are omitted; every message,
template and action carries its ``type``). Sequences are stored as tuples.

Each limit of LIMITS.md section 2 that concerns message objects is enforced at construction
and raises `line_braze.errors.ValidationError` naming the field (``text``,
``columns[2].actions``, ``actions[0].label``), counted as LINE counts: UTF-16 code units for
message text, ``altText`` and sender names; grapheme clusters for action labels, action
texts and template titles and texts (see `line_braze.line._count`).

Choices where LINE's documents disagree or are silent:

* URI action ``uri``: at most 10000 characters (the spec behind LINE's SDK 3.27.0; older
  documents said 1000). ``altUri.desktop`` stays at 1000, as in the spec.
* URLs must already be percent-encoded: ASCII without spaces or control characters.
* Sender ``name`` may not contain the word "LINE" (any case, not inside a longer Latin word);
  LINE reserves "certain words such as LINE" without listing them.
* A LINE emoji's ``$`` placeholder counts 1 unit; LINE counts the emoji's undisclosed
  alternative text instead, so a text near 5000 units with emoji may still be refused.
* Image formats and sizes (JPEG/PNG, 10 MB / 1 MB) cannot be checked from a URL.

Example:
    >>> from line_braze._convert import wire
    >>> msg = TemplateMessage(
    ...     alt_text="Menu",
    ...     template=ConfirmTemplate(
    ...         text="Continue?",
    ...         actions=[MessageAction(label="Yes", text="yes"),
    ...                  MessageAction(label="No", text="no")],
    ...     ),
    ... )
    >>> wire(msg)["template"]["actions"][0]
    {'type': 'message', 'text': 'yes', 'label': 'Yes'}
    >>> message_from_wire(wire(msg)) == msg
    True
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final, Literal, Union

import attrs

from line_braze._check import is_bare
from line_braze._convert import register_tagged_union, structure_checked
from line_braze._display import Display
from line_braze.errors import ValidationError
from line_braze.line._count import graphemes, has_lone_surrogate, utf16_len

__all__ = [
    "ALT_TEXT_MAX",
    "ALT_URI_MAX",
    "IMAGE_URL_MAX",
    "LABEL_MAX",
    "MESSAGES_MAX",
    "TEXT_MAX",
    "URI_MAX",
    "Action",
    "AltUri",
    "ButtonsTemplate",
    "CarouselColumn",
    "CarouselTemplate",
    "ConfirmTemplate",
    "DatetimePickerAction",
    "Emoji",
    "ImageMessage",
    "Message",
    "MessageAction",
    "PostbackAction",
    "QuickReply",
    "QuickReplyItem",
    "Sender",
    "StickerMessage",
    "Template",
    "TemplateMessage",
    "TextMessage",
    "UriAction",
    "check_messages",
    "message_from_wire",
    "messages_from_wire",
]

_Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]
_Unit = Literal["utf16", "graphemes"]

#: Messages per push, reply, multicast, broadcast or validate request (1 to this).
MESSAGES_MAX: Final = 5
#: Text message ``text``, in UTF-16 code units.
TEXT_MAX: Final = 5000
#: LINE emoji per text message.
EMOJIS_MAX: Final = 20
#: Template message ``altText``, in UTF-16 code units.
ALT_TEXT_MAX: Final = 400
#: Action ``label``, in grapheme clusters.
LABEL_MAX: Final = 20
#: Postback ``data`` (UTF-16 units) and message/postback action texts (grapheme clusters).
ACTION_TEXT_MAX: Final = 300
#: Image URLs (``originalContentUrl``, ``previewImageUrl``, thumbnails, icons), characters.
IMAGE_URL_MAX: Final = 2000
#: URI action ``uri``, characters (LINE's current spec; older documents said 1000).
URI_MAX: Final = 10_000
#: URI action ``altUri.desktop``, characters.
ALT_URI_MAX: Final = 1000
#: Template ``title``, in grapheme clusters.
TITLE_MAX: Final = 40
#: Carousel column ``text`` without / with an image or title, in grapheme clusters.
CAROUSEL_TEXT_MAX: Final = 120
CAROUSEL_TEXT_WITH_HEADER_MAX: Final = 60
#: Buttons template ``text`` without / with an image or title, in grapheme clusters.
BUTTONS_TEXT_MAX: Final = 160
BUTTONS_TEXT_WITH_HEADER_MAX: Final = 60
#: Confirm template ``text``, in grapheme clusters.
CONFIRM_TEXT_MAX: Final = 240
#: Carousel columns, actions per column, buttons actions, quick reply items.
COLUMNS_MAX: Final = 10
COLUMN_ACTIONS_MAX: Final = 3
BUTTONS_ACTIONS_MAX: Final = 4
QUICK_REPLY_MAX: Final = 13
#: Sender ``name``, in UTF-16 code units.
SENDER_NAME_MAX: Final = 20

_UNIT_NAME: Final[Mapping[str, str]] = {
    "utf16": "UTF-16 code units",
    "graphemes": "characters (grapheme clusters)",
}
_COLOR = re.compile(r"#[0-9A-Fa-f]{6}")
_RESERVED_NAME = re.compile(r"(?<![A-Za-z])line(?![A-Za-z])", re.IGNORECASE)
_IMAGE_SCHEMES: Final = ("https",)
_URI_SCHEMES: Final = ("http", "https", "line", "tel")


# -- checks -----------------------------------------------------------------------------------


def _check_str(
    field: str, value: object, *, limit: int | None, unit: _Unit, allow_empty: bool = False
) -> str:
    if not isinstance(value, str):
        raise ValidationError(field, f"must be a string, got {type(value).__name__}")
    if not value and not allow_empty:
        raise ValidationError(field, "must not be empty")
    if has_lone_surrogate(value):
        raise ValidationError(field, "holds an unpaired surrogate, which UTF-8 cannot carry")
    if limit is not None and len(value) > limit // 2:  # below half the limit nothing can fail
        n = utf16_len(value) if unit == "utf16" else graphemes(value)
        if n > limit:
            raise ValidationError(field, f"at most {limit} {_UNIT_NAME[unit]}, got {n}")
    return value


def _text(
    limit: int | None, unit: _Unit = "utf16", *, optional: bool = False, allow_empty: bool = False
) -> _Validator:
    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        _check_str(attribute.name, value, limit=limit, unit=unit, allow_empty=allow_empty)

    return check


def _check_url(field: str, value: object, *, limit: int, schemes: tuple[str, ...]) -> None:
    text = _check_str(field, value, limit=None, unit="utf16")
    if len(text) > limit:
        raise ValidationError(field, f"at most {limit} characters, got {len(text)}")
    if not text.isascii() or any(c.isspace() or not c.isprintable() for c in text):
        raise ValidationError(
            field, "must be percent-encoded: ASCII without spaces (use urllib.parse.quote)"
        )
    scheme, colon, rest = text.partition(":")
    scheme = scheme.lower()
    if not colon or scheme not in schemes:
        wanted = "an https URL" if schemes == ("https",) else f"a {'/'.join(schemes)} URI"
        raise ValidationError(field, f"must be {wanted}")
    if scheme in ("http", "https"):
        try:
            host = urllib.parse.urlsplit(text).hostname
        except ValueError:
            host = None
        if not rest.startswith("//") or not host:
            raise ValidationError(field, "has no host")
    elif not rest:
        raise ValidationError(field, "is incomplete")


def _url(
    limit: int = IMAGE_URL_MAX,
    schemes: tuple[str, ...] = _IMAGE_SCHEMES,
    *,
    optional: bool = True,
) -> _Validator:
    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        _check_url(attribute.name, value, limit=limit, schemes=schemes)

    return check


def _one_of(*allowed: str, optional: bool = True) -> _Validator:
    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        if value not in allowed:
            shown = ", ".join(repr(a) for a in allowed)
            raise ValidationError(attribute.name, f"must be one of {shown}")

    return check


def _color(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not (isinstance(value, str) and _COLOR.fullmatch(value)):
        raise ValidationError(attribute.name, "must be an RGB color like '#FFFFFF'")


def _instance(*classes: type, optional: bool = True) -> _Validator:
    names = " or ".join(c.__name__ for c in classes)

    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        _check_instance(attribute.name, value, classes, names)

    return check


def _check_instance(field: str, value: object, classes: tuple[type, ...], names: str) -> None:
    if not isinstance(value, classes):
        hint = " (build models; message_from_wire reads JSON)" if isinstance(value, Mapping) else ""
        raise ValidationError(field, f"must be {names}, got {type(value).__name__}{hint}")


def _check_items(
    field: str,
    value: object,
    classes: tuple[type, ...],
    *,
    low: int,
    high: int,
    noun: str,
) -> tuple[Any, ...]:
    if not isinstance(value, tuple):
        raise ValidationError(field, f"must be a sequence of {noun}, got {type(value).__name__}")
    if not low <= len(value) <= high:
        span = f"exactly {low}" if low == high else f"{low} to {high}"
        raise ValidationError(field, f"must hold {span} {noun}, got {len(value)}")
    names = " or ".join(c.__name__ for c in classes)
    for i, item in enumerate(value):
        _check_instance(f"{field}[{i}]", item, classes, names)
    return value


def _check_labelled(field: str, actions: Iterable[Action]) -> None:
    for i, action in enumerate(actions):
        if action.label is None:
            raise ValidationError(f"{field}[{i}].label", "is required here")


def _tuple(value: Iterable[Any]) -> Any:
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        return value  # the validator names the wrong type
    return tuple(value)


# One converter per element type, so that type checkers see what each field takes.
def _actions_tuple(value: Iterable[Action]) -> tuple[Action, ...]:
    result: tuple[Action, ...] = _tuple(value)
    return result


def _columns_tuple(value: Iterable[CarouselColumn]) -> tuple[CarouselColumn, ...]:
    result: tuple[CarouselColumn, ...] = _tuple(value)
    return result


def _items_tuple(value: Iterable[QuickReplyItem]) -> tuple[QuickReplyItem, ...]:
    result: tuple[QuickReplyItem, ...] = _tuple(value)
    return result


def _emojis_tuple(value: Iterable[Emoji] | None) -> tuple[Emoji, ...] | None:
    """Store emojis as a tuple; an empty sequence means none."""
    if value is None:
        return None
    result: tuple[Emoji, ...] | None = _tuple(value)
    return result or None


# -- actions ----------------------------------------------------------------------------------

_label = _text(LABEL_MAX, "graphemes", optional=True)


@attrs.frozen(kw_only=True)
class AltUri(Display):
    """The URI opened on LINE for macOS and Windows instead of `UriAction.uri`.

    Attributes:
        desktop: http, https, line or tel URI, at most 1000 characters.

    Example:
        >>> UriAction(label="Open", uri="https://example.com/m", alt_uri="https://example.com/d")
        UriAction(label='Open', uri='https://example.com/m', alt_uri=AltUri(desktop='https://example.com/d'))
    """

    desktop: str = attrs.field(validator=_url(ALT_URI_MAX, _URI_SCHEMES, optional=False))


def _alt_uri(value: AltUri | str | None) -> AltUri | None:
    return AltUri(desktop=value) if isinstance(value, str) else value


@attrs.frozen(kw_only=True)
class UriAction(Display):
    """Open a URI (``type: uri``).

    Attributes:
        label: button text, at most 20 grapheme clusters; required in templates and quick
            replies, optional in a ``default_action``.
        uri: http, https, line or tel URI, percent-encoded, at most 10000 characters.
        alt_uri: a different URI for LINE on desktop (an `AltUri` or a string).

    Example:
        >>> from line_braze._convert import wire
        >>> wire(UriAction(label="Shop", uri="https://example.com"))
        {'type': 'uri', 'uri': 'https://example.com', 'label': 'Shop'}
    """

    type: Literal["uri"] = attrs.field(default="uri", init=False, repr=False)
    label: str | None = attrs.field(default=None, validator=_label)
    uri: str = attrs.field(validator=_url(URI_MAX, _URI_SCHEMES, optional=False))
    alt_uri: AltUri | None = attrs.field(
        default=None, converter=_alt_uri, validator=_instance(AltUri)
    )


@attrs.frozen(kw_only=True)
class MessageAction(Display):
    """Send ``text`` as a message from the user (``type: message``).

    Attributes:
        label: button text, at most 20 grapheme clusters (required in templates).
        text: the message sent, at most 300 grapheme clusters.

    Example:
        >>> MessageAction(label="Yes", text="y" * 301)
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: text: at most 300 characters (grapheme clusters), got 301
    """

    type: Literal["message"] = attrs.field(default="message", init=False, repr=False)
    label: str | None = attrs.field(default=None, validator=_label)
    text: str = attrs.field(validator=_text(ACTION_TEXT_MAX, "graphemes"))


@attrs.frozen(kw_only=True)
class PostbackAction(Display):
    """Return ``data`` to the bot in a postback webhook event (``type: postback``).

    Attributes:
        label: button text, at most 20 grapheme clusters (required in templates).
        data: returned in the webhook, at most 300 UTF-16 units (may be empty).
        display_text: shown in the chat as the user's message, at most 300 grapheme clusters.
        text: deprecated form of ``display_text`` (not both), at most 300 grapheme clusters.
        input_option: ``closeRichMenu``, ``openRichMenu``, ``openKeyboard`` or ``openVoice``.
        fill_in_text: text put in the keyboard, at most 300 grapheme clusters; only with
            ``input_option="openKeyboard"``.

    Example:
        >>> PostbackAction(label="Buy", data="sku=1", display_text="Buy it").data
        'sku=1'
    """

    type: Literal["postback"] = attrs.field(default="postback", init=False, repr=False)
    label: str | None = attrs.field(default=None, validator=_label)
    data: str = attrs.field(validator=_text(ACTION_TEXT_MAX, "utf16", allow_empty=True))
    display_text: str | None = attrs.field(
        default=None, validator=_text(ACTION_TEXT_MAX, "graphemes", optional=True)
    )
    text: str | None = attrs.field(
        default=None, validator=_text(ACTION_TEXT_MAX, "graphemes", optional=True)
    )
    input_option: Literal["closeRichMenu", "openRichMenu", "openKeyboard", "openVoice"] | None = (
        attrs.field(
            default=None,
            validator=_one_of("closeRichMenu", "openRichMenu", "openKeyboard", "openVoice"),
        )
    )
    fill_in_text: str | None = attrs.field(
        default=None, validator=_text(ACTION_TEXT_MAX, "graphemes", optional=True)
    )

    def __attrs_post_init__(self) -> None:
        """Check the rules between fields."""
        if self.text is not None and self.display_text is not None:
            raise ValidationError("text", "set display_text or the deprecated text, not both")
        if self.fill_in_text is not None and self.input_option != "openKeyboard":
            raise ValidationError("fill_in_text", "needs input_option='openKeyboard'")


_DT_FORMATS: Final[Mapping[str, tuple[str, str, str, str]]] = {
    # mode: (pattern for strptime, example, lowest, highest)
    "date": ("%Y-%m-%d", "2100-12-31", "1900-01-01", "2100-12-31"),
    "time": ("%H:%M", "23:59", "00:00", "23:59"),
    "datetime": ("%Y-%m-%dT%H:%M", "2100-12-31T23:59", "1900-01-01T00:00", "2100-12-31T23:59"),
}
_DT_SHAPES: Final[Mapping[str, re.Pattern[str]]] = {
    "date": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "time": re.compile(r"\d{2}:\d{2}"),
    "datetime": re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}"),
}


@attrs.frozen(kw_only=True)
class DatetimePickerAction(Display):
    """Let the user pick a date and/or time, returned in a postback (``type: datetimepicker``).

    Attributes:
        label: button text, at most 20 grapheme clusters (required in templates).
        data: returned in the webhook, at most 300 UTF-16 units.
        mode: ``date`` (``2017-12-25``), ``time`` (``00:00``) or ``datetime``
            (``2017-12-25T00:00``).
        initial: preselected value, between ``min`` and ``max``.
        max: latest value (later than ``min``).
        min: earliest value. Dates run from 1900-01-01 to 2100-12-31.

    Example:
        >>> DatetimePickerAction(label="When", data="d", mode="date", initial="2024-02-30")
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: initial: not a valid date (like '2100-12-31')
    """

    type: Literal["datetimepicker"] = attrs.field(default="datetimepicker", init=False, repr=False)
    label: str | None = attrs.field(default=None, validator=_label)
    data: str = attrs.field(validator=_text(ACTION_TEXT_MAX, "utf16", allow_empty=True))
    mode: Literal["date", "time", "datetime"] = attrs.field(
        validator=_one_of("date", "time", "datetime", optional=False)
    )
    initial: str | None = attrs.field(default=None)
    max: str | None = attrs.field(default=None)
    min: str | None = attrs.field(default=None)

    def __attrs_post_init__(self) -> None:
        """Check the formats and the order of ``min``, ``initial`` and ``max``."""
        values = {
            name: self._parse(name, getattr(self, name)) for name in ("initial", "max", "min")
        }
        low, high, initial = values["min"], values["max"], values["initial"]
        if low is not None and high is not None and not low < high:
            raise ValidationError("max", "must be later than min")
        if initial is not None and (
            (low is not None and initial < low) or (high is not None and initial > high)
        ):
            raise ValidationError("initial", "must lie between min and max")

    def _parse(self, name: str, value: object) -> str | None:
        if value is None:
            return None
        fmt, example, lowest, highest = _DT_FORMATS[self.mode]
        shape_ok = isinstance(value, str) and _DT_SHAPES[self.mode].fullmatch(value)
        text = value.replace("t", "T") if isinstance(value, str) else ""
        try:
            dt.datetime.strptime(text, fmt)  # noqa: DTZ007 - a wall-clock value, no zone
        except ValueError:
            shape_ok = False
        if not shape_ok:
            raise ValidationError(name, f"not a valid {self.mode} (like {example!r})")
        if not lowest <= text <= highest:
            raise ValidationError(name, f"must lie between {lowest} and {highest}")
        return text


#: An action object. Closed: LINE's other action kinds are not modelled.
Action = Union[UriAction, MessageAction, PostbackAction, DatetimePickerAction]  # noqa: UP007
_ACTIONS: Final = (UriAction, MessageAction, PostbackAction, DatetimePickerAction)


def _actions(low: int, high: int) -> _Validator:
    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        _check_items(attribute.name, value, _ACTIONS, low=low, high=high, noun="actions")
        _check_labelled(attribute.name, value)

    return check


# -- quick reply and sender -------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class QuickReplyItem(Display):
    """One quick reply button (``type: action``).

    Attributes:
        action: the action; its ``label`` is required.
        image_url: icon, an https PNG URL of at most 2000 characters.

    Example:
        >>> QuickReplyItem(action=MessageAction(text="hi"))
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: action.label: is required here
    """

    type: Literal["action"] = attrs.field(default="action", init=False, repr=False)
    action: Action = attrs.field(validator=_instance(*_ACTIONS, optional=False))
    image_url: str | None = attrs.field(default=None, validator=_url())

    def __attrs_post_init__(self) -> None:
        """Require the action's label."""
        if self.action.label is None:
            raise ValidationError("action.label", "is required here")


@attrs.frozen(kw_only=True)
class QuickReply(Display):
    """Quick reply buttons shown under a message.

    Attributes:
        items: 1 to 13 `QuickReplyItem`.

    Example:
        >>> qr = QuickReply(items=[QuickReplyItem(action=MessageAction(label="A", text="a"))])
        >>> len(qr.items)
        1
    """

    items: tuple[QuickReplyItem, ...] = attrs.field(converter=_items_tuple)

    @items.validator
    def _check_items(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        _check_items(
            attribute.name, value, (QuickReplyItem,), low=1, high=QUICK_REPLY_MAX, noun="items"
        )


@attrs.frozen(kw_only=True)
class Sender(Display):
    """The name and icon shown for the sender of one message.

    Attributes:
        name: at most 20 UTF-16 units; may not contain the word "LINE".
        icon_url: https URL of at most 2000 characters.

    Example:
        >>> Sender(name="LINE Shop")
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: name: may not contain the word 'LINE'
    """

    name: str | None = attrs.field(
        default=None, validator=_text(SENDER_NAME_MAX, "utf16", optional=True)
    )
    icon_url: str | None = attrs.field(default=None, validator=_url())

    @name.validator
    def _check_name(self, attribute: attrs.Attribute[Any], value: str | None) -> None:
        if value is not None and _RESERVED_NAME.search(value):
            raise ValidationError(attribute.name, "may not contain the word 'LINE'")


# -- templates --------------------------------------------------------------------------------


def _check_template_text(
    field: str, value: object, *, header: bool, limit: int, header_limit: int
) -> None:
    if header:
        try:
            _check_str(field, value, limit=header_limit, unit="graphemes")
        except ValidationError as err:
            raise ValidationError(err.field, f"{err.reason} (with an image or title)") from None
    else:
        _check_str(field, value, limit=limit, unit="graphemes")


@attrs.frozen(kw_only=True)
class CarouselColumn(Display):
    """One column of a `CarouselTemplate`.

    Attributes:
        text: at most 120 grapheme clusters, or 60 with a thumbnail or title.
        actions: 1 to 3 actions, each with a label; every column of a carousel has the same
            number.
        title: at most 40 grapheme clusters.
        thumbnail_image_url: https JPEG/PNG URL, at most 2000 characters.
        image_background_color: ``#RRGGBB``.
        default_action: action for a tap on the image, title or text.

    Example:
        >>> CarouselColumn(title="T", text="x" * 61, actions=[UriAction(label="Go", uri="https://e.x")])
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: text: at most 60 characters (grapheme clusters), got 61 (with an image or title)
    """  # noqa: E501

    text: str = attrs.field()
    actions: tuple[Action, ...] = attrs.field(
        converter=_actions_tuple, validator=_actions(1, COLUMN_ACTIONS_MAX)
    )
    title: str | None = attrs.field(
        default=None, validator=_text(TITLE_MAX, "graphemes", optional=True)
    )
    thumbnail_image_url: str | None = attrs.field(default=None, validator=_url())
    image_background_color: str | None = attrs.field(default=None, validator=_color)
    default_action: Action | None = attrs.field(default=None, validator=_instance(*_ACTIONS))

    @text.validator
    def _check_text(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        header = self.title is not None or self.thumbnail_image_url is not None
        _check_template_text(
            attribute.name,
            value,
            header=header,
            limit=CAROUSEL_TEXT_MAX,
            header_limit=CAROUSEL_TEXT_WITH_HEADER_MAX,
        )


@attrs.frozen(kw_only=True)
class CarouselTemplate(Display):
    """Columns the user scrolls sideways (``type: carousel``).

    Attributes:
        columns: 1 to 10 `CarouselColumn`, all with the same number of actions; if one
            column has a thumbnail (or a title), all must.
        image_aspect_ratio: ``rectangle`` (1.51:1, default) or ``square``.
        image_size: ``cover`` (default) or ``contain``.

    Example:
        >>> go = UriAction(label="Go", uri="https://example.com")
        >>> CarouselTemplate(columns=[
        ...     CarouselColumn(text="a", actions=[go]),
        ...     CarouselColumn(text="b", actions=[go, go]),
        ... ])
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: columns[1].actions: every column needs the same number of actions: column 0 has 1, this one 2
    """  # noqa: E501

    type: Literal["carousel"] = attrs.field(default="carousel", init=False, repr=False)
    columns: tuple[CarouselColumn, ...] = attrs.field(converter=_columns_tuple)
    image_aspect_ratio: Literal["rectangle", "square"] | None = attrs.field(
        default=None, validator=_one_of("rectangle", "square")
    )
    image_size: Literal["cover", "contain"] | None = attrs.field(
        default=None, validator=_one_of("cover", "contain")
    )

    @columns.validator
    def _check_columns(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        columns: tuple[CarouselColumn, ...] = _check_items(
            attribute.name, value, (CarouselColumn,), low=1, high=COLUMNS_MAX, noun="columns"
        )
        first = len(columns[0].actions)
        for i, column in enumerate(columns):
            if len(column.actions) != first:
                raise ValidationError(
                    f"columns[{i}].actions",
                    "every column needs the same number of actions: "
                    f"column 0 has {first}, this one {len(column.actions)}",
                )
        for name in ("thumbnail_image_url", "title"):
            has = [getattr(c, name) is not None for c in columns]
            if any(has) and not all(has):
                i, j = has.index(False), has.index(True)
                raise ValidationError(
                    f"columns[{i}].{name}",
                    f"is required when any column has one (column {j} has)",
                )


@attrs.frozen(kw_only=True)
class ButtonsTemplate(Display):
    """An optional image and title, a text and up to 4 buttons (``type: buttons``).

    Attributes:
        text: at most 160 grapheme clusters, or 60 with a thumbnail or title.
        actions: 1 to 4 actions, each with a label.
        title: at most 40 grapheme clusters.
        thumbnail_image_url: https JPEG/PNG URL, at most 2000 characters.
        image_aspect_ratio: ``rectangle`` or ``square``.
        image_size: ``cover`` or ``contain``.
        image_background_color: ``#RRGGBB``.
        default_action: action for a tap on the image, title or text.

    Example:
        >>> ok = MessageAction(label="OK", text="ok")
        >>> len(ButtonsTemplate(text="Pick", actions=[ok] * 4).actions)
        4
    """

    type: Literal["buttons"] = attrs.field(default="buttons", init=False, repr=False)
    text: str = attrs.field()
    actions: tuple[Action, ...] = attrs.field(
        converter=_actions_tuple, validator=_actions(1, BUTTONS_ACTIONS_MAX)
    )
    title: str | None = attrs.field(
        default=None, validator=_text(TITLE_MAX, "graphemes", optional=True)
    )
    thumbnail_image_url: str | None = attrs.field(default=None, validator=_url())
    image_aspect_ratio: Literal["rectangle", "square"] | None = attrs.field(
        default=None, validator=_one_of("rectangle", "square")
    )
    image_size: Literal["cover", "contain"] | None = attrs.field(
        default=None, validator=_one_of("cover", "contain")
    )
    image_background_color: str | None = attrs.field(default=None, validator=_color)
    default_action: Action | None = attrs.field(default=None, validator=_instance(*_ACTIONS))

    @text.validator
    def _check_text(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        header = self.title is not None or self.thumbnail_image_url is not None
        _check_template_text(
            attribute.name,
            value,
            header=header,
            limit=BUTTONS_TEXT_MAX,
            header_limit=BUTTONS_TEXT_WITH_HEADER_MAX,
        )


@attrs.frozen(kw_only=True)
class ConfirmTemplate(Display):
    """A question with exactly two buttons (``type: confirm``).

    Attributes:
        text: at most 240 grapheme clusters.
        actions: exactly 2 actions, each with a label.

    Example:
        >>> ConfirmTemplate(text="Sure?", actions=[MessageAction(label="Yes", text="y")])
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: actions: must hold exactly 2 actions, got 1
    """

    type: Literal["confirm"] = attrs.field(default="confirm", init=False, repr=False)
    text: str = attrs.field(validator=_text(CONFIRM_TEXT_MAX, "graphemes"))
    actions: tuple[Action, ...] = attrs.field(converter=_actions_tuple, validator=_actions(2, 2))


#: A template object. Closed: image carousels are not modelled.
Template = Union[CarouselTemplate, ButtonsTemplate, ConfirmTemplate]  # noqa: UP007
_TEMPLATES: Final = (CarouselTemplate, ButtonsTemplate, ConfirmTemplate)


# -- messages ---------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Emoji(Display):
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
class TextMessage(Display):
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
class StickerMessage(Display):
    """A sticker (``type: sticker``) from LINE's list of stickers bots may send.

    Attributes:
        package_id: the sticker package ID, a string of digits.
        sticker_id: the sticker ID, a string of digits.
        quote_token: quote token of a message to quote.
        quick_reply: buttons under the message.
        sender: the name and icon shown for this message.

    Example:
        >>> from line_braze._convert import wire
        >>> wire(StickerMessage(package_id="446", sticker_id="1988"))
        {'type': 'sticker', 'packageId': '446', 'stickerId': '1988'}
    """

    type: Literal["sticker"] = attrs.field(default="sticker", init=False, repr=False)
    package_id: str = attrs.field(validator=_sticker_id)
    sticker_id: str = attrs.field(validator=_sticker_id)
    quote_token: str | None = attrs.field(default=None, validator=_text(None, optional=True))
    quick_reply: QuickReply | None = attrs.field(default=None, validator=_instance(QuickReply))
    sender: Sender | None = attrs.field(default=None, validator=_instance(Sender))


@attrs.frozen(kw_only=True)
class ImageMessage(Display):
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
class TemplateMessage(Display):
    """A buttons, confirm or carousel template (``type: template``).

    Attributes:
        alt_text: shown where templates are not (notifications, chat list), non-empty, at
            most 400 UTF-16 code units.
        template: a `ButtonsTemplate`, `ConfirmTemplate` or `CarouselTemplate`.
        quick_reply: buttons under the message.
        sender: the name and icon shown for this message.

    Example:
        >>> TemplateMessage(alt_text="", template=ConfirmTemplate(
        ...     text="?", actions=[MessageAction(label="a", text="a")] * 2))
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: alt_text: must not be empty
    """

    type: Literal["template"] = attrs.field(default="template", init=False, repr=False)
    alt_text: str = attrs.field(validator=_text(ALT_TEXT_MAX, "utf16"))
    template: Template = attrs.field(validator=_instance(*_TEMPLATES, optional=False))
    quick_reply: QuickReply | None = attrs.field(default=None, validator=_instance(QuickReply))
    sender: Sender | None = attrs.field(default=None, validator=_instance(Sender))


#: A message object. Closed: LINE's other message kinds (video, flex, ...) are not modelled.
Message = Union[TextMessage, StickerMessage, ImageMessage, TemplateMessage]  # noqa: UP007
_MESSAGES: Final = (TextMessage, StickerMessage, ImageMessage, TemplateMessage)
_MESSAGE_NAMES: Final = "TextMessage, StickerMessage, ImageMessage or TemplateMessage"

register_tagged_union(
    Message,
    {
        "text": TextMessage,
        "sticker": StickerMessage,
        "image": ImageMessage,
        "template": TemplateMessage,
    },
    noun="message",
)
register_tagged_union(
    Template,
    {"carousel": CarouselTemplate, "buttons": ButtonsTemplate, "confirm": ConfirmTemplate},
    noun="template",
)
register_tagged_union(
    Action,
    {
        "uri": UriAction,
        "message": MessageAction,
        "postback": PostbackAction,
        "datetimepicker": DatetimePickerAction,
    },
    noun="action",
)


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
        line_braze.errors.ValidationError: messages[0]: must be TextMessage, StickerMessage, ImageMessage or TemplateMessage, got dict (build models; message_from_wire reads JSON)
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
        >>> message_from_wire({"type": "flex", "altText": "x", "contents": {}})
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: messages[0].type: unknown message type 'flex'; supported: image, sticker, template, text
    """  # noqa: E501
    result: Message = structure_checked(data, Message, path)
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
