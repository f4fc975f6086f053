"""LINE flex messages: bubbles and carousels of boxes, texts, buttons, images and more.

The class names are those of LINE's SDK (``linebot.v3.messaging``), the fields snake_case.
Every property of LINE's spec is modelled, and checked when the object is built:

* enums (``layout``, ``position``, ``align``, ``gravity``, ``weight``, ``style`` ...);
* sizes, margins, spacings, paddings and offsets: one of LINE's keywords, or pixels
  (``"12px"``), or, where LINE allows it, a percentage (``"10%"``);
* colors ``#RRGGBB`` or ``#RRGGBBAA``; aspect ratios ``"{width}:{height}"`` (1 to 100000
  each, the height at most three times the width); URLs https, at most 2000 characters;
* where components may go: spans only in a text, icons only in a baseline box (which holds
  only texts, icons and fillers), a video only as a bubble's hero, quick-reply-only actions
  nowhere;
* a carousel holds 1 to 12 bubbles; at most 10 animated images per message; a bubble's JSON
  at most 30 KB, a carousel's 50 KB (LINE's documented sizes, counted in UTF-8 bytes of
  compact JSON).

Example:
    >>> from line_braze.line import FlexBox, FlexBubble, FlexMessage, FlexText
    >>> msg = FlexMessage(alt_text="Hi", contents=FlexBubble(
    ...     body=FlexBox(layout="vertical", contents=[FlexText(text="Hello")])))
    >>> msg.to_wire()["contents"]["body"]["contents"]
    [{'type': 'text', 'text': 'Hello'}]
    >>> FlexBox(layout="baseline", contents=[FlexText(text="a")], margin="huge")
    Traceback (most recent call last):
    ...
    line_braze.errors.ValidationError: margin: must be one of none, xs, sm, md, lg, xl, xxl or pixels like '12px'
"""  # noqa: E501

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any, Final, Literal, Union

import attrs

from line_braze.errors import ValidationError
from line_braze.line.models._base import WireModel, _check_items, _instance, _one_of, _text, _tuple
from line_braze.line.models.actions import Action, QuickReply, Sender, _tap_action
from line_braze.line.models.flex_components import (
    FlexBox,
    FlexComponent,
    FlexImage,
    FlexVideo,
    _bool,
    _flex_color,
)

__all__ = [
    "ANIMATED_IMAGES_MAX",
    "BUBBLE_JSON_MAX",
    "CAROUSEL_BUBBLES_MAX",
    "CAROUSEL_JSON_MAX",
    "FLEX_ALT_TEXT_MAX",
    "FlexBlockStyle",
    "FlexBubble",
    "FlexBubbleStyles",
    "FlexCarousel",
    "FlexContainer",
    "FlexMessage",
]

#: Flex message ``altText``, in UTF-16 code units.
FLEX_ALT_TEXT_MAX: Final = 1500
#: Bubbles per carousel.
CAROUSEL_BUBBLES_MAX: Final = 12
#: Animated images per flex message.
ANIMATED_IMAGES_MAX: Final = 10
#: Compact JSON of one bubble / of a carousel, in UTF-8 bytes.
BUBBLE_JSON_MAX: Final = 30 * 1024
CAROUSEL_JSON_MAX: Final = 50 * 1024


@attrs.frozen(kw_only=True)
class FlexBlockStyle(WireModel):
    """The style of one block of a bubble.

    Attributes:
        background_color: ``#RRGGBB`` or ``#RRGGBBAA``.
        separator: draw a separator above the block.
        separator_color: ``#RRGGBB`` or ``#RRGGBBAA``.

    Example:
        >>> FlexBlockStyle(separator=True).to_wire()
        {'separator': True}
    """

    background_color: str | None = attrs.field(default=None, validator=_flex_color)
    separator: bool | None = attrs.field(default=None, validator=_bool)
    separator_color: str | None = attrs.field(default=None, validator=_flex_color)


_block_style = _instance(FlexBlockStyle)


@attrs.frozen(kw_only=True)
class FlexBubbleStyles(WireModel):
    """The styles of a bubble's blocks.

    Attributes:
        header: style of the header block.
        hero: style of the hero block.
        body: style of the body block.
        footer: style of the footer block.

    Example:
        >>> FlexBubbleStyles(footer=FlexBlockStyle(separator=True)).to_wire()
        {'footer': {'separator': True}}
    """

    header: FlexBlockStyle | None = attrs.field(default=None, validator=_block_style)
    hero: FlexBlockStyle | None = attrs.field(default=None, validator=_block_style)
    body: FlexBlockStyle | None = attrs.field(default=None, validator=_block_style)
    footer: FlexBlockStyle | None = attrs.field(default=None, validator=_block_style)


_block = _instance(FlexBox)
_BUBBLE_SIZES: Final = ("nano", "micro", "deca", "hecto", "kilo", "mega", "giga")
_VIDEO_SIZES: Final = ("kilo", "mega", "giga")


@attrs.frozen(kw_only=True)
class FlexBubble(WireModel):
    """One message bubble (``type: bubble``): header, hero, body and footer blocks.

    Attributes:
        direction: ``ltr`` or ``rtl``.
        styles: the blocks' styles.
        header: a `FlexBox`.
        hero: a `FlexBox`, `FlexImage` or `FlexVideo`.
        body: a `FlexBox`.
        footer: a `FlexBox`.
        size: ``nano``, ``micro``, ``deca``, ``hecto``, ``kilo``, ``mega`` or ``giga``
            (``kilo`` or more with a video hero).
        action: what a tap on the bubble does.

    Example:
        >>> FlexBubble(size="huge")
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: size: must be one of 'nano', 'micro', 'deca', 'hecto', 'kilo', 'mega', 'giga'
    """  # noqa: E501

    type: Literal["bubble"] = attrs.field(default="bubble", init=False, repr=False)
    direction: Literal["ltr", "rtl"] | None = attrs.field(
        default=None, validator=_one_of("ltr", "rtl")
    )
    styles: FlexBubbleStyles | None = attrs.field(
        default=None, validator=_instance(FlexBubbleStyles)
    )
    header: FlexBox | None = attrs.field(default=None, validator=_block)
    hero: FlexComponent | None = attrs.field(
        default=None, validator=_instance(FlexBox, FlexImage, FlexVideo)
    )
    body: FlexBox | None = attrs.field(default=None, validator=_block)
    footer: FlexBox | None = attrs.field(default=None, validator=_block)
    size: Literal["nano", "micro", "deca", "hecto", "kilo", "mega", "giga"] | None = attrs.field(
        default=None, validator=_one_of(*_BUBBLE_SIZES)
    )
    action: Action | None = attrs.field(default=None, validator=_tap_action)

    def __attrs_post_init__(self) -> None:
        """Check the video hero's bubble size."""
        if isinstance(self.hero, FlexVideo) and self.size not in _VIDEO_SIZES:
            raise ValidationError("size", "must be kilo, mega or giga with a video hero")


def _bubbles_tuple(value: Iterable[FlexBubble]) -> tuple[FlexBubble, ...]:
    result: tuple[FlexBubble, ...] = _tuple(value)
    return result


@attrs.frozen(kw_only=True)
class FlexCarousel(WireModel):
    """Bubbles the user scrolls sideways (``type: carousel``).

    Attributes:
        contents: 1 to 12 `FlexBubble`.

    Example:
        >>> FlexCarousel(contents=[FlexBubble()] * 13)
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: contents: must hold 1 to 12 bubbles, got 13
    """

    type: Literal["carousel"] = attrs.field(default="carousel", init=False, repr=False)
    contents: tuple[FlexBubble, ...] = attrs.field(converter=_bubbles_tuple)

    @contents.validator
    def _check_contents(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        _check_items(
            attribute.name,
            value,
            (FlexBubble,),
            low=1,
            high=CAROUSEL_BUBBLES_MAX,
            noun="bubbles",
        )


#: A flex container, keyed on ``type``.
FlexContainer = Union[FlexBubble, FlexCarousel]  # noqa: UP007


def _walk(node: object) -> Iterator[object]:
    """Yield every model below ``node`` (``node`` included), depth first."""
    yield node
    cls: Any = type(node)
    if attrs.has(cls):
        for a in attrs.fields(cls):
            value = getattr(node, a.name)
            if isinstance(value, tuple):
                for item in value:
                    yield from _walk(item)
            elif attrs.has(type(value)):
                yield from _walk(value)


def _json_size(model: WireModel) -> int:
    text = json.dumps(model.to_wire(), ensure_ascii=False, separators=(",", ":"))
    return len(text.encode("utf-8", "surrogatepass"))


@attrs.frozen(kw_only=True)
class FlexMessage(WireModel):
    """A flex message (``type: flex``): a bubble or a carousel of bubbles.

    Attributes:
        alt_text: shown where flex is not (notifications, chat list), non-empty, at most
            1500 UTF-16 code units.
        contents: a `FlexBubble` or `FlexCarousel`.
        quick_reply: buttons under the message.
        sender: the name and icon shown for this message.

    Example:
        >>> FlexMessage(alt_text="Hi", contents=FlexBubble()).to_wire()
        {'type': 'flex', 'altText': 'Hi', 'contents': {'type': 'bubble'}}
    """

    type: Literal["flex"] = attrs.field(default="flex", init=False, repr=False)
    alt_text: str = attrs.field(validator=_text(FLEX_ALT_TEXT_MAX, "utf16"))
    contents: FlexContainer = attrs.field(
        validator=_instance(FlexBubble, FlexCarousel, optional=False)
    )
    quick_reply: QuickReply | None = attrs.field(default=None, validator=_instance(QuickReply))
    sender: Sender | None = attrs.field(default=None, validator=_instance(Sender))

    def __attrs_post_init__(self) -> None:
        """Check the animated images and the JSON sizes LINE allows."""
        animated = sum(1 for n in _walk(self.contents) if isinstance(n, FlexImage) and n.animated)
        if animated > ANIMATED_IMAGES_MAX:
            raise ValidationError(
                "contents", f"at most {ANIMATED_IMAGES_MAX} animated images, got {animated}"
            )
        if isinstance(self.contents, FlexCarousel):
            for i, bubble in enumerate(self.contents.contents):
                _check_size(f"contents.contents[{i}]", bubble, BUBBLE_JSON_MAX, "a bubble")
            _check_size("contents", self.contents, CAROUSEL_JSON_MAX, "a carousel")
        else:
            _check_size("contents", self.contents, BUBBLE_JSON_MAX, "a bubble")


def _check_size(field: str, model: WireModel, limit: int, noun: str) -> None:
    size = _json_size(model)
    if size > limit:
        raise ValidationError(
            field, f"the JSON of {noun} may be at most {limit // 1024} KB, got {size} bytes"
        )
