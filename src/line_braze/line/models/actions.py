"""LINE action objects, quick replies and the sender override.

Actions are what a tap does: open a URI, send a message, post back data, pick a date, open
the camera or camera roll, share a location, copy text, or switch the rich menu. The camera,
camera roll and location actions work only in quick reply buttons; the models refuse them
elsewhere.

Example:
    >>> from line_braze.line import CameraAction, QuickReply, QuickReplyItem
    >>> QuickReply(items=[QuickReplyItem(action=CameraAction(label="Photo"))]).to_wire()
    {'items': [{'type': 'action', 'action': {'type': 'camera', 'label': 'Photo'}}]}
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from collections.abc import Iterable, Mapping
from typing import Any, Final, Literal, Union

import attrs

from line_braze.errors import ValidationError
from line_braze.line.models._base import (
    _RESERVED_NAME,
    _URI_SCHEMES,
    ACTION_TEXT_MAX,
    ALT_URI_MAX,
    LABEL_MAX,
    QUICK_REPLY_MAX,
    SENDER_NAME_MAX,
    URI_MAX,
    WireModel,
    _check_items,
    _instance,
    _one_of,
    _text,
    _tuple,
    _url,
    _Validator,
)

__all__ = [
    "CLIPBOARD_TEXT_MAX",
    "RICH_MENU_ALIAS_MAX",
    "Action",
    "AltUri",
    "CameraAction",
    "CameraRollAction",
    "ClipboardAction",
    "DatetimePickerAction",
    "LocationAction",
    "MessageAction",
    "PostbackAction",
    "QuickReply",
    "QuickReplyItem",
    "RichMenuSwitchAction",
    "Sender",
    "UriAction",
]

#: Clipboard action ``clipboardText``, characters (1 to this).
CLIPBOARD_TEXT_MAX: Final = 1000
#: Rich menu switch ``richMenuAliasId``, characters.
RICH_MENU_ALIAS_MAX: Final = 32

_label = _text(LABEL_MAX, "graphemes", optional=True)


@attrs.frozen(kw_only=True)
class AltUri(WireModel):
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
class UriAction(WireModel):
    """Open a URI (``type: uri``).

    Attributes:
        label: button text, at most 20 grapheme clusters; required in templates and quick
            replies, optional in a ``default_action``.
        uri: http, https, line or tel URI, percent-encoded, at most 10000 characters.
        alt_uri: a different URI for LINE on desktop (an `AltUri` or a string).

    Example:
        >>> from line_braze._wire import wire
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
class MessageAction(WireModel):
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
class PostbackAction(WireModel):
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
class DatetimePickerAction(WireModel):
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


@attrs.frozen(kw_only=True)
class CameraAction(WireModel):
    """Open the camera (``type: camera``); only in quick reply buttons.

    Attributes:
        label: button text, at most 20 grapheme clusters (required in a quick reply).

    Example:
        >>> CameraAction(label="Camera").to_wire()
        {'type': 'camera', 'label': 'Camera'}
    """

    type: Literal["camera"] = attrs.field(default="camera", init=False, repr=False)
    label: str | None = attrs.field(default=None, validator=_label)


@attrs.frozen(kw_only=True)
class CameraRollAction(WireModel):
    """Open the camera roll (``type: cameraRoll``); only in quick reply buttons.

    Attributes:
        label: button text, at most 20 grapheme clusters (required in a quick reply).

    Example:
        >>> CameraRollAction(label="Pick a photo").to_wire()
        {'type': 'cameraRoll', 'label': 'Pick a photo'}
    """

    type: Literal["cameraRoll"] = attrs.field(default="cameraRoll", init=False, repr=False)
    label: str | None = attrs.field(default=None, validator=_label)


@attrs.frozen(kw_only=True)
class LocationAction(WireModel):
    """Open the location screen (``type: location``); only in quick reply buttons.

    Attributes:
        label: button text, at most 20 grapheme clusters (required in a quick reply).

    Example:
        >>> LocationAction(label="Where am I").to_wire()
        {'type': 'location', 'label': 'Where am I'}
    """

    type: Literal["location"] = attrs.field(default="location", init=False, repr=False)
    label: str | None = attrs.field(default=None, validator=_label)


@attrs.frozen(kw_only=True)
class ClipboardAction(WireModel):
    """Copy ``clipboard_text`` to the clipboard (``type: clipboard``).

    Attributes:
        label: button text, at most 20 grapheme clusters.
        clipboard_text: the text copied, 1 to 1000 characters.

    Example:
        >>> ClipboardAction(label="Copy code", clipboard_text="")
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: clipboard_text: must not be empty
    """

    type: Literal["clipboard"] = attrs.field(default="clipboard", init=False, repr=False)
    label: str | None = attrs.field(default=None, validator=_label)
    clipboard_text: str = attrs.field(validator=_text(CLIPBOARD_TEXT_MAX, "utf16"))


@attrs.frozen(kw_only=True)
class RichMenuSwitchAction(WireModel):
    """Switch the user's rich menu to the one with an alias (``type: richmenuswitch``).

    Attributes:
        label: button text, at most 20 grapheme clusters.
        rich_menu_alias_id: alias of the rich menu to show, 1 to 32 characters.
        data: returned in the postback event, at most 300 UTF-16 units.

    Example:
        >>> RichMenuSwitchAction(rich_menu_alias_id="menu-b", data="to=b").to_wire()
        {'type': 'richmenuswitch', 'richMenuAliasId': 'menu-b', 'data': 'to=b'}
    """

    type: Literal["richmenuswitch"] = attrs.field(default="richmenuswitch", init=False, repr=False)
    label: str | None = attrs.field(default=None, validator=_label)
    rich_menu_alias_id: str = attrs.field(validator=_text(RICH_MENU_ALIAS_MAX, "utf16"))
    data: str = attrs.field(validator=_text(ACTION_TEXT_MAX, "utf16", allow_empty=True))


#: An action object, keyed on ``type``.
Action = Union[  # noqa: UP007
    UriAction,
    MessageAction,
    PostbackAction,
    DatetimePickerAction,
    CameraAction,
    CameraRollAction,
    LocationAction,
    ClipboardAction,
    RichMenuSwitchAction,
]
#: Every action class.
_ACTIONS: Final[tuple[type, ...]] = typing.get_args(Action)
#: Actions LINE accepts only in quick reply buttons.
_QUICK_REPLY_ONLY: Final = (CameraAction, CameraRollAction, LocationAction)
#: Actions allowed in templates, flex and imagemaps.
_TAP_ACTIONS: Final = tuple(a for a in _ACTIONS if a not in _QUICK_REPLY_ONLY)


def _check_labelled(field: str, actions: Iterable[Action]) -> None:
    for i, action in enumerate(actions):
        if action.label is None:
            raise ValidationError(f"{field}[{i}].label", "is required here")


def _refuse_quick_reply_only(field: str, value: object) -> None:
    if isinstance(value, _QUICK_REPLY_ONLY):
        raise ValidationError(field, f"{type(value).__name__} works only in quick reply buttons")


def _actions(low: int, high: int) -> _Validator:
    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if isinstance(value, tuple):
            for i, item in enumerate(value):
                _refuse_quick_reply_only(f"{attribute.name}[{i}]", item)
        _check_items(attribute.name, value, _TAP_ACTIONS, low=low, high=high, noun="actions")
        _check_labelled(attribute.name, value)

    return check


def _tap_actions(*, optional: bool) -> _Validator:
    """Validate an action where a tap may do anything but quick-reply-only things."""
    instance = _instance(*_TAP_ACTIONS, optional=optional)

    def check(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        _refuse_quick_reply_only(attribute.name, value)
        instance(inst, attribute, value)

    return check


def _actions_tuple(value: Iterable[Action]) -> tuple[Action, ...]:
    result: tuple[Action, ...] = _tuple(value)
    return result


def _items_tuple(value: Iterable[QuickReplyItem]) -> tuple[QuickReplyItem, ...]:
    result: tuple[QuickReplyItem, ...] = _tuple(value)
    return result


_tap_action = _tap_actions(optional=True)

# -- quick reply and sender -------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class QuickReplyItem(WireModel):
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
class QuickReply(WireModel):
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
class Sender(WireModel):
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
