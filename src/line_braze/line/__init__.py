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

from typing import Final

from line_braze._lazy import Exports, lazy_package
from line_braze.line.models import _EXPORTS as _MODELS

#: Each public name, written once, under the module that defines it; it loads on first
#: use. ``__init__.pyi``, generated from this (see tests/test_exports.py), shows type
#: checkers the same names.
_EXPORTS: Final[Exports] = {
    **_MODELS,
    "line_braze.line.client": (
        "DEFAULT_BASE_URL",
        "DEFAULT_DATA_BASE_URL",
        "LineClient",
    ),
    "line_braze.line.followers": ("FollowerPage",),
    "line_braze.line.linking": ("AccountLink",),
    "line_braze.line.responses": (
        "IssuedToken",
        "MulticastChunk",
        "MulticastResult",
        "Profile",
        "PushResult",
        "ReplyResult",
        "SentMessage",
        "TokenInfo",
    ),
    "line_braze.line.webhook": (
        "AccountLinkEvent",
        "FollowEvent",
        "MessageEvent",
        "PostbackEvent",
        "UnfollowEvent",
        "UnknownEvent",
        "WebhookEvent",
        "WebhookPayload",
        "compute_signature",
        "parse_events",
        "parse_webhook",
        "verify_signature",
    ),
}

__all__, __getattr__, __dir__ = lazy_package(__name__, _EXPORTS)
