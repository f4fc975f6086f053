"""LINE template messages: buttons, confirm, carousel and image carousel.

Example:
    >>> from line_braze.line import ImageCarouselColumn, ImageCarouselTemplate, UriAction
    >>> column = ImageCarouselColumn(
    ...     image_url="https://example.com/a.png",
    ...     action=UriAction(label="View", uri="https://example.com/a"),
    ... )
    >>> ImageCarouselTemplate(columns=[column]).to_wire()["columns"][0]["imageUrl"]
    'https://example.com/a.png'
"""

from __future__ import annotations

import typing
from collections.abc import Iterable
from typing import Any, Final, Literal, Union

import attrs

from line_braze.errors import ValidationError
from line_braze.line.models._base import (
    ALT_TEXT_MAX,
    BUTTONS_ACTIONS_MAX,
    BUTTONS_TEXT_MAX,
    BUTTONS_TEXT_WITH_HEADER_MAX,
    CAROUSEL_TEXT_MAX,
    CAROUSEL_TEXT_WITH_HEADER_MAX,
    COLUMN_ACTIONS_MAX,
    COLUMNS_MAX,
    CONFIRM_TEXT_MAX,
    TITLE_MAX,
    WireModel,
    _check_items,
    _check_str,
    _color,
    _instance,
    _one_of,
    _text,
    _tuple,
    _url,
    _Validator,
)
from line_braze.line.models.actions import (
    Action,
    QuickReply,
    Sender,
    _actions,
    _actions_tuple,
    _tap_action,
    _tap_actions,
)

__all__ = [
    "IMAGE_CAROUSEL_LABEL_MAX",
    "ButtonsTemplate",
    "CarouselColumn",
    "CarouselTemplate",
    "ConfirmTemplate",
    "ImageCarouselColumn",
    "ImageCarouselTemplate",
    "Template",
    "TemplateMessage",
]

#: Image carousel action ``label``, in grapheme clusters.
IMAGE_CAROUSEL_LABEL_MAX: Final = 12


def _columns_tuple(value: Iterable[CarouselColumn]) -> tuple[CarouselColumn, ...]:
    result: tuple[CarouselColumn, ...] = _tuple(value)
    return result


def _image_columns_tuple(
    value: Iterable[ImageCarouselColumn],
) -> tuple[ImageCarouselColumn, ...]:
    result: tuple[ImageCarouselColumn, ...] = _tuple(value)
    return result


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


def _header_text(limit: int, header_limit: int) -> _Validator:
    """Return the validator of a text whose limit is lower under an image or a title."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        header = instance.title is not None or instance.thumbnail_image_url is not None
        _check_template_text(
            attribute.name, value, header=header, limit=limit, header_limit=header_limit
        )

    return check


@attrs.frozen(kw_only=True)
class CarouselColumn(WireModel):
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
        >>> from line_braze.line import MessageAction, UriAction
        >>> CarouselColumn(title="T", text="x" * 61, actions=[UriAction(label="Go", uri="https://e.x")])
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: text: at most 60 characters (grapheme clusters), got 61 (with an image or title)
    """  # noqa: E501

    text: str = attrs.field(
        validator=_header_text(CAROUSEL_TEXT_MAX, CAROUSEL_TEXT_WITH_HEADER_MAX)
    )
    actions: tuple[Action, ...] = attrs.field(
        converter=_actions_tuple, validator=_actions(1, COLUMN_ACTIONS_MAX)
    )
    title: str | None = attrs.field(
        default=None, validator=_text(TITLE_MAX, "graphemes", optional=True)
    )
    thumbnail_image_url: str | None = attrs.field(default=None, validator=_url())
    image_background_color: str | None = attrs.field(default=None, validator=_color)
    default_action: Action | None = attrs.field(default=None, validator=_tap_action)


@attrs.frozen(kw_only=True)
class CarouselTemplate(WireModel):
    """Columns the user scrolls sideways (``type: carousel``).

    Attributes:
        columns: 1 to 10 `CarouselColumn`, all with the same number of actions; if one
            column has a thumbnail (or a title), all must.
        image_aspect_ratio: ``rectangle`` (1.51:1, default) or ``square``.
        image_size: ``cover`` (default) or ``contain``.

    Example:
        >>> from line_braze.line import MessageAction, UriAction
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
class ButtonsTemplate(WireModel):
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
        >>> from line_braze.line import MessageAction, UriAction
        >>> ok = MessageAction(label="OK", text="ok")
        >>> len(ButtonsTemplate(text="Pick", actions=[ok] * 4).actions)
        4
    """

    type: Literal["buttons"] = attrs.field(default="buttons", init=False, repr=False)
    text: str = attrs.field(validator=_header_text(BUTTONS_TEXT_MAX, BUTTONS_TEXT_WITH_HEADER_MAX))
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
    default_action: Action | None = attrs.field(default=None, validator=_tap_action)


@attrs.frozen(kw_only=True)
class ConfirmTemplate(WireModel):
    """A question with exactly two buttons (``type: confirm``).

    Attributes:
        text: at most 240 grapheme clusters.
        actions: exactly 2 actions, each with a label.

    Example:
        >>> from line_braze.line import MessageAction, UriAction
        >>> ConfirmTemplate(text="Sure?", actions=[MessageAction(label="Yes", text="y")])
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: actions: must hold exactly 2 actions, got 1
    """

    type: Literal["confirm"] = attrs.field(default="confirm", init=False, repr=False)
    text: str = attrs.field(validator=_text(CONFIRM_TEXT_MAX, "graphemes"))
    actions: tuple[Action, ...] = attrs.field(converter=_actions_tuple, validator=_actions(2, 2))


@attrs.frozen(kw_only=True)
class ImageCarouselColumn(WireModel):
    """One image of an `ImageCarouselTemplate`.

    Attributes:
        image_url: https JPEG/PNG URL (1:1, at most 1024 px wide), at most 2000 characters.
        action: what a tap on the image does; a label, if any, is at most 12 characters.

    Example:
        >>> from line_braze.line import MessageAction, UriAction
        >>> ImageCarouselColumn(image_url="https://example.com/a.png",
        ...     action=MessageAction(label="Label too long", text="a"))
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: action.label: at most 12 characters (grapheme clusters), got 14
    """  # noqa: E501

    image_url: str = attrs.field(validator=_url(optional=False))
    action: Action = attrs.field(validator=_tap_actions(optional=False))

    @action.validator
    def _check_label(self, _attribute: attrs.Attribute[Any], value: Action) -> None:
        if value.label is not None:
            try:
                _check_str(
                    "action.label", value.label, limit=IMAGE_CAROUSEL_LABEL_MAX, unit="graphemes"
                )
            except ValidationError as err:
                raise err from None


@attrs.frozen(kw_only=True)
class ImageCarouselTemplate(WireModel):
    """Images the user scrolls sideways, each with one action (``type: image_carousel``).

    Attributes:
        columns: 1 to 10 `ImageCarouselColumn`.

    Example:
        >>> from line_braze.line import MessageAction, UriAction
        >>> ImageCarouselTemplate(columns=[])
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: columns: must hold 1 to 10 columns, got 0
    """

    type: Literal["image_carousel"] = attrs.field(default="image_carousel", init=False, repr=False)
    columns: tuple[ImageCarouselColumn, ...] = attrs.field(converter=_image_columns_tuple)

    @columns.validator
    def _check_columns(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        _check_items(
            attribute.name,
            value,
            (ImageCarouselColumn,),
            low=1,
            high=COLUMNS_MAX,
            noun="columns",
        )


#: A template object, keyed on ``type``.
Template = Union[  # noqa: UP007
    CarouselTemplate, ButtonsTemplate, ConfirmTemplate, ImageCarouselTemplate
]
_TEMPLATES: Final[tuple[type, ...]] = typing.get_args(Template)


@attrs.frozen(kw_only=True)
class TemplateMessage(WireModel):
    """A buttons, confirm or carousel template (``type: template``).

    Attributes:
        alt_text: shown where templates are not (notifications, chat list), non-empty, at
            most 400 UTF-16 code units.
        template: a `ButtonsTemplate`, `ConfirmTemplate` or `CarouselTemplate`.
        quick_reply: buttons under the message.
        sender: the name and icon shown for this message.

    Example:
        >>> from line_braze.line import MessageAction, UriAction
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
