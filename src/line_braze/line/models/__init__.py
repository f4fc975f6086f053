"""LINE message objects for push, multicast and validate bodies, checked as LINE checks them.

Every model is a frozen attrs class with snake_case fields and the class name of LINE's SDK
(``linebot.v3.messaging``); ``to_wire()`` writes LINE's camelCase JSON (optional fields left
at ``None`` are omitted; every message, template, action and flex component carries its
``type``), and `message_from_wire` reads it back. Sequences are stored as tuples. The models
live in one module per family: `actions` (with quick replies and the sender), `templates`,
`flex` (its components in `flex_components`), `imagemap` and `messages` (text, text v2,
sticker, image, video, audio, location, coupon, and reading JSON back); this package holds
them all.

Each limit of LIMITS.md section 2 that concerns message objects, and each limit LINE's spec
and reference state for the other kinds, is enforced at construction and raises
`line_braze.errors.ValidationError` naming the field (``text``, ``columns[2].actions``,
``actions[0].label``), counted as LINE counts: UTF-16 code units for message text,
``altText`` and sender names; grapheme clusters for action labels, action texts and
template titles and texts (see `line_braze.line._count`).

Choices where LINE's documents disagree or are silent:

* URI action ``uri``: at most 10000 characters (the spec behind LINE's SDK 3.27.0; older
  documents said 1000). ``altUri.desktop`` stays at 1000, as in the spec.
* URLs must already be percent-encoded: ASCII without spaces or control characters.
* Sender ``name`` may not contain the word "LINE" (any case, not inside a longer Latin word);
  LINE reserves "certain words such as LINE" without listing them.
* A LINE emoji's ``$`` placeholder counts 1 unit; LINE counts the emoji's undisclosed
  alternative text instead, so a text near 5000 units with emoji may still be refused.
* Flex and imagemap ``altText``: at most 1500 UTF-16 units (LINE's reference); template
  ``altText`` stays at 400.
* Image formats and sizes (JPEG/PNG, 10 MB / 1 MB) cannot be checked from a URL.

Example:
    >>> from line_braze.line.models import (
    ...     ConfirmTemplate, MessageAction, TemplateMessage, message_from_wire)
    >>> msg = TemplateMessage(
    ...     alt_text="Menu",
    ...     template=ConfirmTemplate(
    ...         text="Continue?",
    ...         actions=[MessageAction(label="Yes", text="yes"),
    ...                  MessageAction(label="No", text="no")],
    ...     ),
    ... )
    >>> msg.to_wire()["template"]["actions"][0]
    {'type': 'message', 'text': 'yes', 'label': 'Yes'}
    >>> message_from_wire(msg.to_wire()) == msg
    True
"""

from __future__ import annotations

from typing import Final

from line_braze._lazy import Exports, lazy_package

#: Each public name, written once, under the module that defines it; it loads on first
#: use. ``__init__.pyi``, generated from this (see tests/test_exports.py), shows type
#: checkers the same names.
_EXPORTS: Final[Exports] = {
    "line_braze.line.models._base": (
        "ALT_TEXT_MAX",
        "ALT_URI_MAX",
        "IMAGE_URL_MAX",
        "LABEL_MAX",
        "MESSAGES_MAX",
        "TEXT_MAX",
        "URI_MAX",
    ),
    "line_braze.line.models.actions": (
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
    ),
    "line_braze.line.models.flex": (
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
    ),
    "line_braze.line.models.flex_components": (
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
    ),
    "line_braze.line.models.imagemap": (
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
    ),
    "line_braze.line.models.messages": (
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
    ),
    "line_braze.line.models.templates": (
        "IMAGE_CAROUSEL_LABEL_MAX",
        "ButtonsTemplate",
        "CarouselColumn",
        "CarouselTemplate",
        "ConfirmTemplate",
        "ImageCarouselColumn",
        "ImageCarouselTemplate",
        "Template",
        "TemplateMessage",
    ),
}

__all__, __getattr__, __dir__ = lazy_package(__name__, _EXPORTS)
