"""line_braze: connect a LINE Official Account to a Braze workspace.

Typed clients for LINE's Messaging API (`LineClient`) and Braze's REST API (`BrazeClient`),
composed by the `Integration` facade that runs the five steps of the LINE-Braze partnership:
followers into Braze, the access token in a Content Block, the four LINE webhook templates,
preview and test sends, and LINE's follow/unfollow webhooks.

Names are imported on first use, so ``import line_braze`` costs little more than importing
requests, attrs and cattrs.

Example:
    >>> import line_braze
    >>> from line_braze import LineClient, BrazeClient, Integration
    >>> line = LineClient("my-channel-access-token", base_url="http://127.0.0.1:9")
    >>> line
    <LineClient base_url='http://127.0.0.1:9' retry=RetryPolicy(attempts=4)>
"""

from __future__ import annotations

from typing import Final

from line_braze._lazy import Exports, lazy_package

#: Each public name, written once, under the module that defines it; it loads on first
#: use. ``__init__.pyi``, generated from this (see tests/test_exports.py), shows type
#: checkers the same names.
_EXPORTS: Final[Exports] = {
    "line_braze._options": (
        "ClientOptions",
        "Timeout",
    ),
    "line_braze._retry": ("RetryPolicy",),
    "line_braze._secret": ("Secret",),
    "line_braze._version": ("__version__",),
    "line_braze.braze": (
        "Attributes",
        "BrazeClient",
        "ContentBlock",
        "Event",
        "Purchase",
        "RateLimit",
        "TrackError",
        "TrackResult",
        "UserAlias",
        "WebhookMessage",
    ),
    "line_braze.errors": (
        "APIError",
        "AuthenticationError",
        "LineBrazeError",
        "NotFound",
        "PartialFailure",
        "PermissionDenied",
        "RateLimited",
        "RequestTimeout",
        "ServerError",
        "SignatureError",
        "SyncInterrupted",
        "TransportError",
        "ValidationError",
        "WebhookParseError",
    ),
    "line_braze.integration": (
        "Integration",
        "IntegrationConfig",
        "RefusedFollower",
        "RotationResult",
        "SyncProgress",
        "SyncReport",
    ),
    "line_braze.line": ("LineClient",),
    "line_braze.mirror": ("WebhookReport",),
    "line_braze.preview": (
        "Preview",
        "render_preview",
    ),
    "line_braze.templates": (
        "WebhookTemplate",
        "build_webhook_template",
    ),
}

__all__, __getattr__, __dir__ = lazy_package(__name__, _EXPORTS)
