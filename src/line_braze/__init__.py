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

from typing import TYPE_CHECKING

from line_braze._lazy import lazy_exports
from line_braze._version import __version__

if TYPE_CHECKING:
    from line_braze._options import ClientOptions, Timeout
    from line_braze._retry import RetryPolicy
    from line_braze._secret import Secret
    from line_braze.braze import (
        Attributes,
        BrazeClient,
        ContentBlock,
        Event,
        Purchase,
        RateLimit,
        TrackError,
        TrackResult,
        UserAlias,
        WebhookMessage,
    )
    from line_braze.errors import (
        APIError,
        AuthenticationError,
        LineBrazeError,
        NotFound,
        PartialFailure,
        PermissionDenied,
        RateLimited,
        RequestTimeout,
        ServerError,
        SignatureError,
        SyncInterrupted,
        TransportError,
        ValidationError,
        WebhookParseError,
    )
    from line_braze.integration import (
        Integration,
        IntegrationConfig,
        RefusedFollower,
        RotationResult,
        SyncProgress,
        SyncReport,
    )
    from line_braze.line import LineClient
    from line_braze.mirror import WebhookReport
    from line_braze.preview import Preview, render_preview
    from line_braze.templates import WebhookTemplate, build_webhook_template

#: Public name -> the module that defines it; imported on first attribute access.
_LAZY: dict[str, str] = {
    "ClientOptions": "line_braze._options",
    "RetryPolicy": "line_braze._retry",
    "Secret": "line_braze._secret",
    "Timeout": "line_braze._options",
    "Attributes": "line_braze.braze",
    "BrazeClient": "line_braze.braze",
    "ContentBlock": "line_braze.braze",
    "Event": "line_braze.braze",
    "Purchase": "line_braze.braze",
    "RateLimit": "line_braze.braze",
    "TrackError": "line_braze.braze",
    "TrackResult": "line_braze.braze",
    "UserAlias": "line_braze.braze",
    "WebhookMessage": "line_braze.braze",
    "APIError": "line_braze.errors",
    "AuthenticationError": "line_braze.errors",
    "LineBrazeError": "line_braze.errors",
    "NotFound": "line_braze.errors",
    "PartialFailure": "line_braze.errors",
    "PermissionDenied": "line_braze.errors",
    "RateLimited": "line_braze.errors",
    "RequestTimeout": "line_braze.errors",
    "ServerError": "line_braze.errors",
    "SignatureError": "line_braze.errors",
    "SyncInterrupted": "line_braze.errors",
    "TransportError": "line_braze.errors",
    "ValidationError": "line_braze.errors",
    "WebhookParseError": "line_braze.errors",
    "Integration": "line_braze.integration",
    "IntegrationConfig": "line_braze.integration",
    "RefusedFollower": "line_braze.integration",
    "RotationResult": "line_braze.integration",
    "SyncProgress": "line_braze.integration",
    "SyncReport": "line_braze.integration",
    "WebhookReport": "line_braze.mirror",
    "LineClient": "line_braze.line",
    "Preview": "line_braze.preview",
    "render_preview": "line_braze.preview",
    "WebhookTemplate": "line_braze.templates",
    "build_webhook_template": "line_braze.templates",
}

__all__ = [
    "APIError",
    "Attributes",
    "AuthenticationError",
    "BrazeClient",
    "ClientOptions",
    "ContentBlock",
    "Event",
    "Integration",
    "IntegrationConfig",
    "LineBrazeError",
    "LineClient",
    "NotFound",
    "PartialFailure",
    "PermissionDenied",
    "Preview",
    "Purchase",
    "RateLimit",
    "RateLimited",
    "RefusedFollower",
    "RequestTimeout",
    "RetryPolicy",
    "RotationResult",
    "Secret",
    "ServerError",
    "SignatureError",
    "SyncInterrupted",
    "SyncProgress",
    "SyncReport",
    "Timeout",
    "TrackError",
    "TrackResult",
    "TransportError",
    "UserAlias",
    "ValidationError",
    "WebhookMessage",
    "WebhookParseError",
    "WebhookReport",
    "WebhookTemplate",
    "__version__",
    "build_webhook_template",
    "render_preview",
]


# Hidden from type checkers, so a misspelt name is a type error, not Any.
if not TYPE_CHECKING:
    __getattr__, __dir__ = lazy_exports(__name__, _LAZY, __all__)
