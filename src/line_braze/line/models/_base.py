"""Shared pieces of the LINE message models: the limits, the checks, and the wire base class.

Every limit of LIMITS.md section 2 that concerns message objects is enforced at construction
and raises `line_braze.errors.ValidationError` naming the field (``text``,
``columns[2].actions``, ``actions[0].label``), counted as LINE counts: UTF-16 code units for
message text, ``altText`` and sender names; grapheme clusters for action labels, action
texts and template titles and texts (see `line_braze.line._count`).
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final, Literal

import attrs

from line_braze._display import Display
from line_braze.errors import ValidationError
from line_braze.line._count import graphemes, has_lone_surrogate, utf16_len

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


def _tuple(value: Iterable[Any]) -> Any:
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        return value  # the validator names the wrong type
    return tuple(value)


class WireModel(Display):
    """Base of every LINE message model: `to_wire` gives LINE's JSON."""

    def to_wire(self) -> dict[str, Any]:
        """Return LINE's JSON for this object: camelCase keys, optional fields left out.

        Example:
            >>> from line_braze.line import TextMessage
            >>> TextMessage(text="Hi").to_wire()
            {'type': 'text', 'text': 'Hi'}
        """
        from line_braze._wire import wire

        result: dict[str, Any] = wire(self)
        return result


def tag_of(cls: type) -> str:
    """Return the ``type`` value a model class writes (its discriminator)."""
    return str(attrs.fields_dict(cls)["type"].default)
