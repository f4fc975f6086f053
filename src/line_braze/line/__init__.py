"""The LINE half of line_braze: `LineClient`, message models, responses and webhooks.

Everything here is importable from ``line_braze.line``; names load on first use so a web app
that only parses webhooks does not pay for the client, and the reverse.

Example:
    >>> from line_braze.line import TextMessage, StickerMessage, check_messages
    >>> hi = TextMessage(text="Hi")
    >>> check_messages([hi, StickerMessage(package_id="446", sticker_id="1988")])[0] is hi
    True
    >>> TextMessage(text="")
    Traceback (most recent call last):
    ...
    line_braze.errors.ValidationError: text: must not be empty
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from line_braze._lazy import lazy_exports

if TYPE_CHECKING:
    from line_braze.line.client import (
        DEFAULT_BASE_URL,
        DEFAULT_DATA_BASE_URL,
        LineClient,
    )
    from line_braze.line.linking import (
        AccountLink,
    )
    from line_braze.line.models import (
        ALT_TEXT_MAX,
        ALT_URI_MAX,
        IMAGE_URL_MAX,
        LABEL_MAX,
        MESSAGES_MAX,
        TEXT_MAX,
        URI_MAX,
        Action,
        AltUri,
        ButtonsTemplate,
        CarouselColumn,
        CarouselTemplate,
        ConfirmTemplate,
        DatetimePickerAction,
        Emoji,
        ImageMessage,
        Message,
        MessageAction,
        PostbackAction,
        QuickReply,
        QuickReplyItem,
        Sender,
        StickerMessage,
        Template,
        TemplateMessage,
        TextMessage,
        UriAction,
        check_messages,
        message_from_wire,
        messages_from_wire,
    )
    from line_braze.line.responses import (
        FollowerPage,
        IssuedToken,
        MulticastChunk,
        MulticastResult,
        Profile,
        PushResult,
        ReplyResult,
        SentMessage,
        TokenInfo,
    )
    from line_braze.line.webhook import (
        AccountLinkEvent,
        FollowEvent,
        MessageEvent,
        PostbackEvent,
        UnfollowEvent,
        UnknownEvent,
        WebhookEvent,
        WebhookPayload,
        compute_signature,
        parse_events,
        parse_webhook,
        verify_signature,
    )

#: Public name -> the module that defines it; imported on first attribute access.
_LAZY: dict[str, str] = {
    "ALT_TEXT_MAX": "line_braze.line.models",
    "ALT_URI_MAX": "line_braze.line.models",
    "IMAGE_URL_MAX": "line_braze.line.models",
    "LABEL_MAX": "line_braze.line.models",
    "MESSAGES_MAX": "line_braze.line.models",
    "TEXT_MAX": "line_braze.line.models",
    "URI_MAX": "line_braze.line.models",
    "Action": "line_braze.line.models",
    "AltUri": "line_braze.line.models",
    "ButtonsTemplate": "line_braze.line.models",
    "CarouselColumn": "line_braze.line.models",
    "CarouselTemplate": "line_braze.line.models",
    "ConfirmTemplate": "line_braze.line.models",
    "DatetimePickerAction": "line_braze.line.models",
    "Emoji": "line_braze.line.models",
    "ImageMessage": "line_braze.line.models",
    "Message": "line_braze.line.models",
    "MessageAction": "line_braze.line.models",
    "PostbackAction": "line_braze.line.models",
    "QuickReply": "line_braze.line.models",
    "QuickReplyItem": "line_braze.line.models",
    "Sender": "line_braze.line.models",
    "StickerMessage": "line_braze.line.models",
    "Template": "line_braze.line.models",
    "TemplateMessage": "line_braze.line.models",
    "TextMessage": "line_braze.line.models",
    "UriAction": "line_braze.line.models",
    "check_messages": "line_braze.line.models",
    "message_from_wire": "line_braze.line.models",
    "messages_from_wire": "line_braze.line.models",
    "FollowerPage": "line_braze.line.responses",
    "IssuedToken": "line_braze.line.responses",
    "MulticastChunk": "line_braze.line.responses",
    "MulticastResult": "line_braze.line.responses",
    "Profile": "line_braze.line.responses",
    "PushResult": "line_braze.line.responses",
    "ReplyResult": "line_braze.line.responses",
    "SentMessage": "line_braze.line.responses",
    "TokenInfo": "line_braze.line.responses",
    "LineClient": "line_braze.line.client",
    "DEFAULT_BASE_URL": "line_braze.line.client",
    "DEFAULT_DATA_BASE_URL": "line_braze.line.client",
    "AccountLink": "line_braze.line.linking",
    "parse_webhook": "line_braze.line.webhook",
    "verify_signature": "line_braze.line.webhook",
    "compute_signature": "line_braze.line.webhook",
    "parse_events": "line_braze.line.webhook",
    "WebhookPayload": "line_braze.line.webhook",
    "WebhookEvent": "line_braze.line.webhook",
    "FollowEvent": "line_braze.line.webhook",
    "UnfollowEvent": "line_braze.line.webhook",
    "MessageEvent": "line_braze.line.webhook",
    "AccountLinkEvent": "line_braze.line.webhook",
    "PostbackEvent": "line_braze.line.webhook",
    "UnknownEvent": "line_braze.line.webhook",
}

__all__ = [
    "ALT_TEXT_MAX",
    "ALT_URI_MAX",
    "DEFAULT_BASE_URL",
    "DEFAULT_DATA_BASE_URL",
    "IMAGE_URL_MAX",
    "LABEL_MAX",
    "MESSAGES_MAX",
    "TEXT_MAX",
    "URI_MAX",
    "AccountLink",
    "AccountLinkEvent",
    "Action",
    "AltUri",
    "ButtonsTemplate",
    "CarouselColumn",
    "CarouselTemplate",
    "ConfirmTemplate",
    "DatetimePickerAction",
    "Emoji",
    "FollowEvent",
    "FollowerPage",
    "ImageMessage",
    "IssuedToken",
    "LineClient",
    "Message",
    "MessageAction",
    "MessageEvent",
    "MulticastChunk",
    "MulticastResult",
    "PostbackAction",
    "PostbackEvent",
    "Profile",
    "PushResult",
    "QuickReply",
    "QuickReplyItem",
    "ReplyResult",
    "Sender",
    "SentMessage",
    "StickerMessage",
    "Template",
    "TemplateMessage",
    "TextMessage",
    "TokenInfo",
    "UnfollowEvent",
    "UnknownEvent",
    "UriAction",
    "WebhookEvent",
    "WebhookPayload",
    "check_messages",
    "compute_signature",
    "message_from_wire",
    "messages_from_wire",
    "parse_events",
    "parse_webhook",
    "verify_signature",
]


# Hidden from type checkers, so a misspelt name is a type error, not Any.
if not TYPE_CHECKING:
    __getattr__, __dir__ = lazy_exports(__name__, _LAZY, __all__)
