"""LINE imagemap messages: one image with tappable areas, and optionally a video.

LINE fetches the image at ``{base_url}/{width}`` for widths 1040, 700, 460, 300 and 240;
``base_size`` is the image at 1040 pixels wide, and every area is in those pixels. The
class names are those of LINE's SDK.

Example:
    >>> from line_braze.line import ImagemapMessage
    >>> from line_braze.line.models.imagemap import (
    ...     ImagemapArea, ImagemapBaseSize, URIImagemapAction)
    >>> msg = ImagemapMessage(
    ...     base_url="https://example.com/rich", alt_text="Sale",
    ...     base_size=ImagemapBaseSize(width=1040, height=1040),
    ...     actions=[URIImagemapAction(link_uri="https://example.com/a",
    ...                                area=ImagemapArea(x=0, y=0, width=1040, height=520))])
    >>> msg.to_wire()["actions"][0]["linkUri"]
    'https://example.com/a'
    >>> ImagemapArea(x=0, y=600, width=1040, height=520).fits(msg.base_size)
    False
"""

from __future__ import annotations

import typing
from collections.abc import Iterable
from typing import Any, Final, Literal, Union

import attrs

from line_braze.errors import ValidationError
from line_braze.line.models._base import (
    _URI_SCHEMES,
    WireModel,
    _check_items,
    _instance,
    _text,
    _tuple,
    _url,
)
from line_braze.line.models.actions import CLIPBOARD_TEXT_MAX, QuickReply, Sender

__all__ = [
    "EXTERNAL_LINK_LABEL_MAX",
    "IMAGEMAP_ACTIONS_MAX",
    "IMAGEMAP_ALT_TEXT_MAX",
    "IMAGEMAP_LABEL_MAX",
    "IMAGEMAP_TEXT_MAX",
    "IMAGEMAP_URI_MAX",
    "IMAGEMAP_WIDTH",
    "ClipboardImagemapAction",
    "ImagemapAction",
    "ImagemapArea",
    "ImagemapBaseSize",
    "ImagemapExternalLink",
    "ImagemapMessage",
    "ImagemapVideo",
    "MessageImagemapAction",
    "URIImagemapAction",
]

#: Imagemap ``altText``, in UTF-16 code units.
IMAGEMAP_ALT_TEXT_MAX: Final = 1500
#: The width of ``baseSize``: always 1040 pixels.
IMAGEMAP_WIDTH: Final = 1040
#: Actions per imagemap.
IMAGEMAP_ACTIONS_MAX: Final = 50
#: Imagemap action ``linkUri``, characters.
IMAGEMAP_URI_MAX: Final = 1000
#: Imagemap message action ``text``, in UTF-16 code units.
IMAGEMAP_TEXT_MAX: Final = 400
#: Imagemap action ``label`` (read aloud by screen readers), characters.
IMAGEMAP_LABEL_MAX: Final = 50
#: Video external link ``label``, characters.
EXTERNAL_LINK_LABEL_MAX: Final = 30


def _pixels(low: int) -> Any:
    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or value < low:
            raise ValidationError(attribute.name, f"must be an integer of {low} or more")

    return check


@attrs.frozen(kw_only=True)
class ImagemapBaseSize(WireModel):
    """The image's size at 1040 pixels wide.

    Attributes:
        width: always 1040.
        height: the height at that width, 1 or more.

    Example:
        >>> ImagemapBaseSize(width=700, height=700)
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: width: must be 1040 (LINE scales the image from it)
    """

    width: int = attrs.field()
    height: int = attrs.field(validator=_pixels(1))

    @width.validator
    def _check_width(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value != IMAGEMAP_WIDTH or isinstance(value, bool):
            raise ValidationError(attribute.name, "must be 1040 (LINE scales the image from it)")


@attrs.frozen(kw_only=True)
class ImagemapArea(WireModel):
    """A rectangle of the image, in pixels of the 1040-wide base image.

    Attributes:
        x: left edge, 0 or more.
        y: top edge, 0 or more.
        width: 1 or more.
        height: 1 or more.

    Example:
        >>> ImagemapArea(x=0, y=0, width=0, height=10)
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: width: must be an integer of 1 or more
    """

    x: int = attrs.field(validator=_pixels(0))
    y: int = attrs.field(validator=_pixels(0))
    width: int = attrs.field(validator=_pixels(1))
    height: int = attrs.field(validator=_pixels(1))

    def fits(self, size: ImagemapBaseSize) -> bool:
        """Return whether the area lies inside an image of ``size``."""
        return self.x + self.width <= size.width and self.y + self.height <= size.height


_area = _instance(ImagemapArea, optional=False)
_label = _text(IMAGEMAP_LABEL_MAX, "utf16", optional=True)


@attrs.frozen(kw_only=True)
class URIImagemapAction(WireModel):
    """Open a URI when the area is tapped (``type: uri``).

    Attributes:
        link_uri: http, https, line or tel URI, at most 1000 characters.
        area: the tappable area.
        label: read aloud by screen readers, at most 50 characters.

    Example:
        >>> URIImagemapAction(link_uri="ftp://example.com",
        ...                   area=ImagemapArea(x=0, y=0, width=1, height=1))
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: link_uri: must be a http/https/line/tel URI
    """

    type: Literal["uri"] = attrs.field(default="uri", init=False, repr=False)
    link_uri: str = attrs.field(validator=_url(IMAGEMAP_URI_MAX, _URI_SCHEMES, optional=False))
    area: ImagemapArea = attrs.field(validator=_area)
    label: str | None = attrs.field(default=None, validator=_label)


@attrs.frozen(kw_only=True)
class MessageImagemapAction(WireModel):
    """Send ``text`` as the user's message when the area is tapped (``type: message``).

    Attributes:
        text: the message, at most 400 UTF-16 code units.
        area: the tappable area.
        label: read aloud by screen readers, at most 50 characters.

    Example:
        >>> MessageImagemapAction(text="hi", area=ImagemapArea(x=0, y=0, width=1, height=1)).type
        'message'
    """

    type: Literal["message"] = attrs.field(default="message", init=False, repr=False)
    text: str = attrs.field(validator=_text(IMAGEMAP_TEXT_MAX, "utf16"))
    area: ImagemapArea = attrs.field(validator=_area)
    label: str | None = attrs.field(default=None, validator=_label)


@attrs.frozen(kw_only=True)
class ClipboardImagemapAction(WireModel):
    """Copy text to the clipboard when the area is tapped (``type: clipboard``).

    Attributes:
        clipboard_text: the text copied, 1 to 1000 characters.
        area: the tappable area.
        label: read aloud by screen readers, at most 50 characters.

    Example:
        >>> ClipboardImagemapAction(clipboard_text="CODE42",
        ...     area=ImagemapArea(x=0, y=0, width=1, height=1)).to_wire()["clipboardText"]
        'CODE42'
    """

    type: Literal["clipboard"] = attrs.field(default="clipboard", init=False, repr=False)
    clipboard_text: str = attrs.field(validator=_text(CLIPBOARD_TEXT_MAX, "utf16"))
    area: ImagemapArea = attrs.field(validator=_area)
    label: str | None = attrs.field(default=None, validator=_label)


#: An imagemap action, keyed on ``type``.
ImagemapAction = Union[  # noqa: UP007
    URIImagemapAction, MessageImagemapAction, ClipboardImagemapAction
]
_IMAGEMAP_ACTIONS: Final[tuple[type, ...]] = typing.get_args(ImagemapAction)


@attrs.frozen(kw_only=True)
class ImagemapExternalLink(WireModel):
    """The link shown after an imagemap video ends.

    Attributes:
        link_uri: http, https, line or tel URI, at most 1000 characters.
        label: the link's text, at most 30 characters.

    Example:
        >>> ImagemapExternalLink(link_uri="https://example.com", label="More").label
        'More'
    """

    link_uri: str = attrs.field(validator=_url(IMAGEMAP_URI_MAX, _URI_SCHEMES, optional=False))
    label: str = attrs.field(validator=_text(EXTERNAL_LINK_LABEL_MAX, "utf16"))


@attrs.frozen(kw_only=True)
class ImagemapVideo(WireModel):
    """A video played in an area of the imagemap.

    Attributes:
        original_content_url: https MP4 URL, at most 2000 characters.
        preview_image_url: https JPEG/PNG URL, at most 2000 characters.
        area: where the video plays.
        external_link: a link shown when the video ends.

    Example:
        >>> ImagemapVideo(original_content_url="https://example.com/v.mp4",
        ...     preview_image_url="https://example.com/v.png",
        ...     area=ImagemapArea(x=0, y=0, width=1040, height=585)).area.height
        585
    """

    original_content_url: str = attrs.field(validator=_url(optional=False))
    preview_image_url: str = attrs.field(validator=_url(optional=False))
    area: ImagemapArea = attrs.field(validator=_area)
    external_link: ImagemapExternalLink | None = attrs.field(
        default=None, validator=_instance(ImagemapExternalLink)
    )


def _imagemap_actions_tuple(value: Iterable[ImagemapAction]) -> tuple[ImagemapAction, ...]:
    result: tuple[ImagemapAction, ...] = _tuple(value)
    return result


@attrs.frozen(kw_only=True)
class ImagemapMessage(WireModel):
    """An image with tappable areas (``type: imagemap``).

    Attributes:
        base_url: https URL the sized images are under (``{base_url}/1040`` ...), at most
            2000 characters.
        alt_text: shown in notifications and the chat list, at most 1500 UTF-16 units.
        base_size: the image's size at 1040 pixels wide.
        actions: up to 50 imagemap actions, each area inside the image.
        video: a video played in an area, inside the image.
        quick_reply: buttons under the message.
        sender: the name and icon shown for this message.

    Example:
        >>> ImagemapMessage(base_url="https://example.com/m", alt_text="m",
        ...     base_size=ImagemapBaseSize(width=1040, height=100),
        ...     actions=[MessageImagemapAction(text="a",
        ...         area=ImagemapArea(x=0, y=0, width=1040, height=101))])
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: actions[0].area: must lie inside the 1040x100 image
    """

    type: Literal["imagemap"] = attrs.field(default="imagemap", init=False, repr=False)
    base_url: str = attrs.field(validator=_url(optional=False))
    alt_text: str = attrs.field(validator=_text(IMAGEMAP_ALT_TEXT_MAX, "utf16"))
    base_size: ImagemapBaseSize = attrs.field(validator=_instance(ImagemapBaseSize, optional=False))
    actions: tuple[ImagemapAction, ...] = attrs.field(converter=_imagemap_actions_tuple)
    video: ImagemapVideo | None = attrs.field(default=None, validator=_instance(ImagemapVideo))
    quick_reply: QuickReply | None = attrs.field(default=None, validator=_instance(QuickReply))
    sender: Sender | None = attrs.field(default=None, validator=_instance(Sender))

    @actions.validator
    def _check_actions(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        actions = _check_items(
            attribute.name,
            value,
            _IMAGEMAP_ACTIONS,
            low=0,
            high=IMAGEMAP_ACTIONS_MAX,
            noun="actions",
        )
        for i, action in enumerate(actions):
            self._check_area(f"{attribute.name}[{i}].area", action.area)

    def __attrs_post_init__(self) -> None:
        """Check that the video lies inside the image."""
        if self.video is not None:
            self._check_area("video.area", self.video.area)

    def _check_area(self, field: str, area: ImagemapArea) -> None:
        if not area.fits(self.base_size):
            size = self.base_size
            raise ValidationError(field, f"must lie inside the {size.width}x{size.height} image")
