"""The components of LINE flex messages: box, text, span, button, image, video, icon, ...

See `line_braze.line.models.flex` for the containers (bubble, carousel) and the message, and
for the rules every component follows.

Example:
    >>> from line_braze.line import FlexBox, FlexIcon, FlexText
    >>> FlexBox(layout="baseline", contents=[
    ...     FlexIcon(url="https://example.com/star.png"), FlexText(text="4.0")]).to_wire()["layout"]
    'baseline'
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterable
from typing import Any, Final, Literal, Union

import attrs

from line_braze.errors import ValidationError
from line_braze.line.models._base import (
    WireModel,
    _check_items,
    _instance,
    _one_of,
    _text,
    _tuple,
    _url,
    _Validator,
)
from line_braze.line.models.actions import Action, _tap_action, _tap_actions

__all__ = [
    "ASPECT_MAX",
    "FlexAltContent",
    "FlexBox",
    "FlexBoxLinearGradient",
    "FlexButton",
    "FlexComponent",
    "FlexFiller",
    "FlexIcon",
    "FlexImage",
    "FlexSeparator",
    "FlexSpan",
    "FlexText",
    "FlexVideo",
]

#: ``aspectRatio`` width and height bounds.
ASPECT_MAX: Final = 100_000

_SPACES: Final = ("none", "xs", "sm", "md", "lg", "xl", "xxl")
_FONT_SIZES: Final = ("xxs", "xs", "sm", "md", "lg", "xl", "xxl", "3xl", "4xl", "5xl")
_IMAGE_SIZES: Final = (*_FONT_SIZES, "full")
_BORDER_WIDTHS: Final = ("none", "light", "normal", "medium", "semi-bold", "bold")
_PX = re.compile(r"(0|[1-9][0-9]*)(\.[0-9]+)?px")
_PCT = re.compile(r"(0|[1-9][0-9]*)(\.[0-9]+)?%")
_FLEX_COLOR = re.compile(r"#[0-9A-Fa-f]{6}([0-9A-Fa-f]{2})?")
_RATIO = re.compile(r"([1-9][0-9]*(?:\.[0-9]+)?):([1-9][0-9]*(?:\.[0-9]+)?)")
_ANGLE = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?deg")

_Position = Literal["relative", "absolute"]
_Gravity = Literal["top", "bottom", "center"]
_Align = Literal["start", "end", "center"]
_Weight = Literal["regular", "bold"]
_Style = Literal["normal", "italic"]
_Decoration = Literal["none", "underline", "line-through"]


def _dimension(
    *keywords: str, px: bool = True, pct: bool = False, optional: bool = True
) -> _Validator:
    """A size-like property: one of ``keywords``, pixels and/or a percentage."""
    forms = [", ".join(keywords)] if keywords else []
    if px:
        forms.append("pixels like '12px'")
    if pct:
        forms.append("a percentage like '10%'")
    wanted = "must be " + ("one of " if keywords else "") + " or ".join(forms)

    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        ok = isinstance(value, str) and (
            value in keywords
            or (px and _PX.fullmatch(value) is not None)
            or (pct and _PCT.fullmatch(value) is not None)
        )
        if not ok:
            raise ValidationError(attribute.name, wanted)

    return check


def _flex_color(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not (isinstance(value, str) and _FLEX_COLOR.fullmatch(value)):
        raise ValidationError(attribute.name, "must be a color like '#RRGGBB' or '#RRGGBBAA'")


def _flex_int(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
        raise ValidationError(attribute.name, "must be an integer of 0 or more")


def _bool(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not isinstance(value, bool):
        raise ValidationError(attribute.name, f"must be a bool, got {type(value).__name__}")


def _aspect_ratio(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    match = _RATIO.fullmatch(value) if isinstance(value, str) else None
    width, height = (float(match[1]), float(match[2])) if match else (0.0, 0.0)
    if not match or width > ASPECT_MAX or height > ASPECT_MAX:
        raise ValidationError(
            attribute.name, "must be '{width}:{height}', each from 1 to 100000, like '20:13'"
        )
    if height > 3 * width:
        raise ValidationError(attribute.name, "the height may be at most 3 times the width")


def _angle(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not (isinstance(value, str) and _ANGLE.fullmatch(value)):
        raise ValidationError(attribute.name, "must be an angle like '90deg'")


_margin = _dimension(*_SPACES)
_offset = _dimension(*_SPACES, pct=True)
_padding = _dimension(*_SPACES, pct=True)
_length = _dimension(pct=True)
_position = _one_of("relative", "absolute")
_gravity = _one_of("top", "bottom", "center")
_align = _one_of("start", "end", "center")
_weight = _one_of("regular", "bold")
_style = _one_of("normal", "italic")
_decoration = _one_of("none", "underline", "line-through")
_image_url = _url(optional=False)
_flex_text = _text(None)


# -- components -------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class FlexSpan(WireModel):
    """A run of differently styled text inside a `FlexText` (``type: span``).

    Attributes:
        text: the text, not empty.
        size: a font size keyword (``xxs`` to ``5xl``) or pixels.
        color: ``#RRGGBB`` or ``#RRGGBBAA``.
        weight: ``regular`` or ``bold``.
        style: ``normal`` or ``italic``.
        decoration: ``none``, ``underline`` or ``line-through``.

    Example:
        >>> FlexSpan(text="Sale", weight="bold", color="#FF0000").to_wire()
        {'type': 'span', 'text': 'Sale', 'color': '#FF0000', 'weight': 'bold'}
    """

    type: Literal["span"] = attrs.field(default="span", init=False, repr=False)
    text: str = attrs.field(validator=_flex_text)
    size: str | None = attrs.field(default=None, validator=_dimension(*_FONT_SIZES))
    color: str | None = attrs.field(default=None, validator=_flex_color)
    weight: _Weight | None = attrs.field(default=None, validator=_weight)
    style: _Style | None = attrs.field(default=None, validator=_style)
    decoration: _Decoration | None = attrs.field(default=None, validator=_decoration)


def _spans_tuple(value: Iterable[FlexSpan] | None) -> tuple[FlexSpan, ...] | None:
    if value is None:
        return None
    result: tuple[FlexSpan, ...] | None = _tuple(value)
    return result


@attrs.frozen(kw_only=True)
class FlexText(WireModel):
    """A text (``type: text``), plain or made of `FlexSpan` runs.

    Attributes:
        text: the text; required unless ``contents`` holds spans.
        contents: spans that replace ``text``.
        flex: the share of the parent box's space (0 or more).
        size: font size keyword (``xxs`` to ``5xl``) or pixels.
        align: ``start``, ``end`` or ``center``.
        gravity: ``top``, ``bottom`` or ``center``.
        color: ``#RRGGBB`` or ``#RRGGBBAA``.
        weight: ``regular`` or ``bold``.
        style: ``normal`` or ``italic``.
        decoration: ``none``, ``underline`` or ``line-through``.
        wrap: whether long text wraps.
        line_spacing: pixels between lines.
        margin: space before it: a spacing keyword or pixels.
        position: ``relative`` or ``absolute`` (what the offsets are from).
        offset_top: keyword, pixels or percentage (as the other offsets).
        offset_bottom: see ``offset_top``.
        offset_start: see ``offset_top``.
        offset_end: see ``offset_top``.
        action: what a tap does.
        max_lines: lines shown at most (0 = no limit).
        adjust_mode: ``shrink-to-fit``.
        scaling: whether the font follows the user's font size setting.

    Example:
        >>> FlexText(contents=[FlexSpan(text="a")]).text is None
        True
        >>> FlexText()
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: text: is required unless contents holds spans
    """

    type: Literal["text"] = attrs.field(default="text", init=False, repr=False)
    text: str | None = attrs.field(default=None, validator=_text(None, optional=True))
    contents: tuple[FlexSpan, ...] | None = attrs.field(default=None, converter=_spans_tuple)
    flex: int | None = attrs.field(default=None, validator=_flex_int)
    size: str | None = attrs.field(default=None, validator=_dimension(*_FONT_SIZES))
    align: _Align | None = attrs.field(default=None, validator=_align)
    gravity: _Gravity | None = attrs.field(default=None, validator=_gravity)
    color: str | None = attrs.field(default=None, validator=_flex_color)
    weight: _Weight | None = attrs.field(default=None, validator=_weight)
    style: _Style | None = attrs.field(default=None, validator=_style)
    decoration: _Decoration | None = attrs.field(default=None, validator=_decoration)
    wrap: bool | None = attrs.field(default=None, validator=_bool)
    line_spacing: str | None = attrs.field(default=None, validator=_dimension())
    margin: str | None = attrs.field(default=None, validator=_margin)
    position: _Position | None = attrs.field(default=None, validator=_position)
    offset_top: str | None = attrs.field(default=None, validator=_offset)
    offset_bottom: str | None = attrs.field(default=None, validator=_offset)
    offset_start: str | None = attrs.field(default=None, validator=_offset)
    offset_end: str | None = attrs.field(default=None, validator=_offset)
    action: Action | None = attrs.field(default=None, validator=_tap_action)
    max_lines: int | None = attrs.field(default=None, validator=_flex_int)
    adjust_mode: Literal["shrink-to-fit"] | None = attrs.field(
        default=None, validator=_one_of("shrink-to-fit")
    )
    scaling: bool | None = attrs.field(default=None, validator=_bool)

    def __attrs_post_init__(self) -> None:
        """Check the spans, and that there is something to show."""
        if self.contents is not None:
            _check_items("contents", self.contents, (FlexSpan,), low=0, high=10**6, noun="spans")
        if self.text is None and not self.contents:
            raise ValidationError("text", "is required unless contents holds spans")


@attrs.frozen(kw_only=True)
class FlexButton(WireModel):
    """A button (``type: button``).

    Attributes:
        action: what a tap does; its label, required, is the button's text.
        flex: the share of the parent box's space (0 or more).
        color: ``#RRGGBB`` or ``#RRGGBBAA``.
        style: ``primary``, ``secondary`` or ``link``.
        gravity: ``top``, ``bottom`` or ``center``.
        margin: a spacing keyword or pixels.
        position: ``relative`` or ``absolute``.
        offset_top: keyword, pixels or percentage (as the other offsets).
        offset_bottom: see ``offset_top``.
        offset_start: see ``offset_top``.
        offset_end: see ``offset_top``.
        height: ``md`` or ``sm``.
        adjust_mode: ``shrink-to-fit``.
        scaling: whether the font follows the user's font size setting.

    Example:
        >>> from line_braze.line import UriAction
        >>> FlexButton(action=UriAction(label="Go", uri="https://example.com"),
        ...            style="primary").to_wire()["style"]
        'primary'
    """

    type: Literal["button"] = attrs.field(default="button", init=False, repr=False)
    action: Action = attrs.field(validator=_tap_actions(optional=False))
    flex: int | None = attrs.field(default=None, validator=_flex_int)
    color: str | None = attrs.field(default=None, validator=_flex_color)
    style: Literal["primary", "secondary", "link"] | None = attrs.field(
        default=None, validator=_one_of("primary", "secondary", "link")
    )
    gravity: _Gravity | None = attrs.field(default=None, validator=_gravity)
    margin: str | None = attrs.field(default=None, validator=_margin)
    position: _Position | None = attrs.field(default=None, validator=_position)
    offset_top: str | None = attrs.field(default=None, validator=_offset)
    offset_bottom: str | None = attrs.field(default=None, validator=_offset)
    offset_start: str | None = attrs.field(default=None, validator=_offset)
    offset_end: str | None = attrs.field(default=None, validator=_offset)
    height: Literal["md", "sm"] | None = attrs.field(default=None, validator=_one_of("md", "sm"))
    adjust_mode: Literal["shrink-to-fit"] | None = attrs.field(
        default=None, validator=_one_of("shrink-to-fit")
    )
    scaling: bool | None = attrs.field(default=None, validator=_bool)

    def __attrs_post_init__(self) -> None:
        """Require the action's label: it is the button's text."""
        if self.action.label is None:
            raise ValidationError("action.label", "is required here (it is the button's text)")


@attrs.frozen(kw_only=True)
class FlexImage(WireModel):
    """An image (``type: image``).

    Attributes:
        url: https JPEG/PNG URL (1024x1024 px, 10 MB; 300 KB if animated), at most 2000
            characters.
        flex: the share of the parent box's space (0 or more).
        margin: a spacing keyword or pixels.
        position: ``relative`` or ``absolute``.
        offset_top: keyword, pixels or percentage (as the other offsets).
        offset_bottom: see ``offset_top``.
        offset_start: see ``offset_top``.
        offset_end: see ``offset_top``.
        align: ``start``, ``end`` or ``center``.
        gravity: ``top``, ``bottom`` or ``center``.
        size: ``xxs`` to ``5xl``, ``full``, pixels or a percentage.
        aspect_ratio: ``"{width}:{height}"``.
        aspect_mode: ``fit`` or ``cover``.
        background_color: ``#RRGGBB`` or ``#RRGGBBAA``.
        action: what a tap does.
        animated: play an animated PNG (at most 10 per message).

    Example:
        >>> FlexImage(url="https://example.com/a.png", aspect_ratio="1:4")
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: aspect_ratio: the height may be at most 3 times the width
    """

    type: Literal["image"] = attrs.field(default="image", init=False, repr=False)
    url: str = attrs.field(validator=_image_url)
    flex: int | None = attrs.field(default=None, validator=_flex_int)
    margin: str | None = attrs.field(default=None, validator=_margin)
    position: _Position | None = attrs.field(default=None, validator=_position)
    offset_top: str | None = attrs.field(default=None, validator=_offset)
    offset_bottom: str | None = attrs.field(default=None, validator=_offset)
    offset_start: str | None = attrs.field(default=None, validator=_offset)
    offset_end: str | None = attrs.field(default=None, validator=_offset)
    align: _Align | None = attrs.field(default=None, validator=_align)
    gravity: _Gravity | None = attrs.field(default=None, validator=_gravity)
    size: str | None = attrs.field(default=None, validator=_dimension(*_IMAGE_SIZES, pct=True))
    aspect_ratio: str | None = attrs.field(default=None, validator=_aspect_ratio)
    aspect_mode: Literal["fit", "cover"] | None = attrs.field(
        default=None, validator=_one_of("fit", "cover")
    )
    background_color: str | None = attrs.field(default=None, validator=_flex_color)
    action: Action | None = attrs.field(default=None, validator=_tap_action)
    animated: bool | None = attrs.field(default=None, validator=_bool)


@attrs.frozen(kw_only=True)
class FlexIcon(WireModel):
    """A small icon beside a text, in a baseline box (``type: icon``).

    Attributes:
        url: https PNG URL, at most 2000 characters.
        size: ``xxs`` to ``5xl``, pixels or a percentage.
        aspect_ratio: ``"{width}:{height}"``.
        margin: a spacing keyword or pixels.
        position: ``relative`` or ``absolute``.
        offset_top: keyword, pixels or percentage (as the other offsets).
        offset_bottom: see ``offset_top``.
        offset_start: see ``offset_top``.
        offset_end: see ``offset_top``.
        scaling: whether the icon follows the user's font size setting.

    Example:
        >>> FlexIcon(url="https://example.com/star.png", size="sm").to_wire()["size"]
        'sm'
    """

    type: Literal["icon"] = attrs.field(default="icon", init=False, repr=False)
    url: str = attrs.field(validator=_image_url)
    size: str | None = attrs.field(default=None, validator=_dimension(*_FONT_SIZES, pct=True))
    aspect_ratio: str | None = attrs.field(default=None, validator=_aspect_ratio)
    margin: str | None = attrs.field(default=None, validator=_margin)
    position: _Position | None = attrs.field(default=None, validator=_position)
    offset_top: str | None = attrs.field(default=None, validator=_offset)
    offset_bottom: str | None = attrs.field(default=None, validator=_offset)
    offset_start: str | None = attrs.field(default=None, validator=_offset)
    offset_end: str | None = attrs.field(default=None, validator=_offset)
    scaling: bool | None = attrs.field(default=None, validator=_bool)


@attrs.frozen(kw_only=True)
class FlexSeparator(WireModel):
    """A line between components (``type: separator``).

    Attributes:
        margin: a spacing keyword or pixels.
        color: ``#RRGGBB`` or ``#RRGGBBAA``.

    Example:
        >>> FlexSeparator().to_wire()
        {'type': 'separator'}
    """

    type: Literal["separator"] = attrs.field(default="separator", init=False, repr=False)
    margin: str | None = attrs.field(default=None, validator=_margin)
    color: str | None = attrs.field(default=None, validator=_flex_color)


@attrs.frozen(kw_only=True)
class FlexFiller(WireModel):
    """Empty space (``type: filler``).

    Attributes:
        flex: the share of the parent box's space (0 or more).

    Example:
        >>> FlexFiller(flex=2).to_wire()
        {'type': 'filler', 'flex': 2}
    """

    type: Literal["filler"] = attrs.field(default="filler", init=False, repr=False)
    flex: int | None = attrs.field(default=None, validator=_flex_int)


@attrs.frozen(kw_only=True)
class FlexBoxLinearGradient(WireModel):
    """A linear gradient behind a box (``type: linearGradient``).

    Attributes:
        angle: direction, like ``"90deg"``.
        start_color: ``#RRGGBB`` or ``#RRGGBBAA``.
        end_color: ``#RRGGBB`` or ``#RRGGBBAA``.
        center_color: an optional middle color.
        center_position: where the middle color sits, a percentage.

    Example:
        >>> FlexBoxLinearGradient(angle="0deg", start_color="#000000", end_color="#FFFFFF")
        FlexBoxLinearGradient(angle='0deg', start_color='#000000', end_color='#FFFFFF', center_color=None, center_position=None)
    """  # noqa: E501

    type: Literal["linearGradient"] = attrs.field(default="linearGradient", init=False, repr=False)
    angle: str = attrs.field(validator=_angle)
    start_color: str = attrs.field(validator=[_flex_color, _text(None)])
    end_color: str = attrs.field(validator=[_flex_color, _text(None)])
    center_color: str | None = attrs.field(default=None, validator=_flex_color)
    center_position: str | None = attrs.field(
        default=None, validator=_dimension(px=False, pct=True)
    )


def _components_tuple(value: Iterable[FlexComponent]) -> tuple[FlexComponent, ...]:
    result: tuple[FlexComponent, ...] = _tuple(value)
    return result


#: What a box of each layout may hold.
_BASELINE_ONLY: Final = ("icon",)
_IN_BASELINE: Final = ("text", "icon", "filler")
_IN_BOX: Final = ("box", "button", "image", "text", "separator", "filler")


@attrs.frozen(kw_only=True)
class FlexBox(WireModel):
    """A box laying out components (``type: box``).

    Attributes:
        layout: ``horizontal``, ``vertical`` or ``baseline`` (texts, icons and fillers
            aligned on their baseline).
        contents: the components (boxes, buttons, images, texts, separators, fillers; icons
            only in a baseline box).
        flex: the share of the parent box's space (0 or more).
        spacing: space between components: a spacing keyword or pixels.
        margin: space before the box: a spacing keyword or pixels.
        position: ``relative`` or ``absolute``.
        offset_top: keyword, pixels or percentage (as the other offsets).
        offset_bottom: see ``offset_top``.
        offset_start: see ``offset_top``.
        offset_end: see ``offset_top``.
        background_color: ``#RRGGBB`` or ``#RRGGBBAA``.
        border_color: ``#RRGGBB`` or ``#RRGGBBAA``.
        border_width: ``none``, ``light``, ``normal``, ``medium``, ``semi-bold``, ``bold`` or
            pixels.
        corner_radius: a spacing keyword or pixels.
        width: pixels or a percentage.
        max_width: pixels or a percentage.
        height: pixels or a percentage.
        max_height: pixels or a percentage.
        padding_all: a spacing keyword, pixels or a percentage (as the other paddings).
        padding_top: see ``padding_all``.
        padding_bottom: see ``padding_all``.
        padding_start: see ``padding_all``.
        padding_end: see ``padding_all``.
        action: what a tap does.
        justify_content: ``center``, ``flex-start``, ``flex-end``, ``space-between``,
            ``space-around`` or ``space-evenly``.
        align_items: ``center``, ``flex-start`` or ``flex-end``.
        background: a `FlexBoxLinearGradient`.

    Example:
        >>> FlexBox(layout="vertical", contents=[FlexIcon(url="https://example.com/i.png")])
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: contents[0]: an icon may only be in a baseline box
    """

    type: Literal["box"] = attrs.field(default="box", init=False, repr=False)
    layout: Literal["horizontal", "vertical", "baseline"] = attrs.field(
        validator=_one_of("horizontal", "vertical", "baseline", optional=False)
    )
    contents: tuple[FlexComponent, ...] = attrs.field(converter=_components_tuple)
    flex: int | None = attrs.field(default=None, validator=_flex_int)
    spacing: str | None = attrs.field(default=None, validator=_margin)
    margin: str | None = attrs.field(default=None, validator=_margin)
    position: _Position | None = attrs.field(default=None, validator=_position)
    offset_top: str | None = attrs.field(default=None, validator=_offset)
    offset_bottom: str | None = attrs.field(default=None, validator=_offset)
    offset_start: str | None = attrs.field(default=None, validator=_offset)
    offset_end: str | None = attrs.field(default=None, validator=_offset)
    background_color: str | None = attrs.field(default=None, validator=_flex_color)
    border_color: str | None = attrs.field(default=None, validator=_flex_color)
    border_width: str | None = attrs.field(default=None, validator=_dimension(*_BORDER_WIDTHS))
    corner_radius: str | None = attrs.field(default=None, validator=_margin)
    width: str | None = attrs.field(default=None, validator=_length)
    max_width: str | None = attrs.field(default=None, validator=_length)
    height: str | None = attrs.field(default=None, validator=_length)
    max_height: str | None = attrs.field(default=None, validator=_length)
    padding_all: str | None = attrs.field(default=None, validator=_padding)
    padding_top: str | None = attrs.field(default=None, validator=_padding)
    padding_bottom: str | None = attrs.field(default=None, validator=_padding)
    padding_start: str | None = attrs.field(default=None, validator=_padding)
    padding_end: str | None = attrs.field(default=None, validator=_padding)
    action: Action | None = attrs.field(default=None, validator=_tap_action)
    justify_content: (
        Literal["center", "flex-start", "flex-end", "space-between", "space-around", "space-evenly"]
        | None
    ) = attrs.field(
        default=None,
        validator=_one_of(
            "center", "flex-start", "flex-end", "space-between", "space-around", "space-evenly"
        ),
    )
    align_items: Literal["center", "flex-start", "flex-end"] | None = attrs.field(
        default=None, validator=_one_of("center", "flex-start", "flex-end")
    )
    background: FlexBoxLinearGradient | None = attrs.field(
        default=None, validator=_instance(FlexBoxLinearGradient)
    )

    @contents.validator
    def _check_contents(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        items = _check_items(
            attribute.name, value, _COMPONENTS, low=0, high=10**6, noun="components"
        )
        allowed = _IN_BASELINE if self.layout == "baseline" else _IN_BOX
        for i, item in enumerate(items):
            kind = item.type
            if kind not in allowed:
                where = (
                    "only be in a baseline box"
                    if kind in _BASELINE_ONLY
                    else "not be in a baseline box"
                    if self.layout == "baseline"
                    else "only be a bubble's hero"
                    if kind == "video"
                    else "only be in a text's contents"
                )
                raise ValidationError(f"{attribute.name}[{i}]", f"{_article(kind)} may {where}")


def _article(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


@attrs.frozen(kw_only=True)
class FlexVideo(WireModel):
    """A video, only as the hero of a kilo, mega or giga bubble (``type: video``).

    Attributes:
        url: https MP4 URL, at most 2000 characters.
        preview_url: https JPEG/PNG preview URL, at most 2000 characters.
        alt_content: a `FlexBox` or `FlexImage` shown where video is not supported.
        aspect_ratio: ``"{width}:{height}"``.
        action: a URI action shown after the video.

    Example:
        >>> FlexVideo(url="https://example.com/v.mp4", preview_url="https://example.com/p.png",
        ...           alt_content=FlexImage(url="https://example.com/p.png")).type
        'video'
    """

    type: Literal["video"] = attrs.field(default="video", init=False, repr=False)
    url: str = attrs.field(validator=_image_url)
    preview_url: str = attrs.field(validator=_image_url)
    alt_content: FlexAltContent = attrs.field()
    aspect_ratio: str | None = attrs.field(default=None, validator=_aspect_ratio)
    action: Action | None = attrs.field(default=None, validator=_tap_action)

    @alt_content.validator
    def _check_alt(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        _instance(FlexBox, FlexImage, optional=False)(self, attribute, value)


#: What a `FlexVideo` shows where video is not supported.
FlexAltContent = Union[FlexBox, FlexImage]  # noqa: UP007

#: A flex component, keyed on ``type``.
FlexComponent = Union[  # noqa: UP007
    FlexBox,
    FlexButton,
    FlexImage,
    FlexVideo,
    FlexIcon,
    FlexText,
    FlexSpan,
    FlexSeparator,
    FlexFiller,
]
_COMPONENTS: Final[tuple[type, ...]] = typing.get_args(FlexComponent)
