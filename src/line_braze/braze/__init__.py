"""The Braze half of line_braze: `BrazeClient`, its services and models.

Example:
    >>> from line_braze.braze import BrazeClient, UserAlias
    >>> BrazeClient("key", rest_endpoint="JP-01").base_url
    'https://rest.jp-01.braze.com'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from line_braze._lazy import lazy_exports

if TYPE_CHECKING:
    from line_braze.braze._ratelimit import (
        Limiter,
        RateLimit,
    )
    from line_braze.braze.client import (
        BrazeClient,
    )
    from line_braze.braze.content_blocks import (
        ContentBlocks,
    )
    from line_braze.braze.endpoints import (
        BRAZE_INSTANCES,
        resolve_rest_endpoint,
    )
    from line_braze.braze.models import (
        Attributes,
        BatchOutcome,
        ContentBlock,
        ContentBlockRef,
        ContentBlockSummary,
        DispatchResult,
        Event,
        ExportResult,
        FailedBatch,
        IdentityResult,
        Purchase,
        TrackError,
        TrackItem,
        TrackResult,
        UserAlias,
        WebhookMessage,
    )
    from line_braze.braze.sends import (
        Campaigns,
        Canvas,
        Messages,
        Sends,
        line_id_exists_audience,
    )
    from line_braze.braze.users import (
        Users,
    )

#: Public name -> the module that defines it; imported on first attribute access.
_LAZY: dict[str, str] = {
    "Limiter": "line_braze.braze._ratelimit",
    "RateLimit": "line_braze.braze._ratelimit",
    "BrazeClient": "line_braze.braze.client",
    "ContentBlocks": "line_braze.braze.content_blocks",
    "BRAZE_INSTANCES": "line_braze.braze.endpoints",
    "resolve_rest_endpoint": "line_braze.braze.endpoints",
    "Attributes": "line_braze.braze.models",
    "BatchOutcome": "line_braze.braze.models",
    "ContentBlock": "line_braze.braze.models",
    "ContentBlockRef": "line_braze.braze.models",
    "ContentBlockSummary": "line_braze.braze.models",
    "DispatchResult": "line_braze.braze.models",
    "Event": "line_braze.braze.models",
    "ExportResult": "line_braze.braze.models",
    "FailedBatch": "line_braze.braze.models",
    "IdentityResult": "line_braze.braze.models",
    "Purchase": "line_braze.braze.models",
    "TrackError": "line_braze.braze.models",
    "TrackItem": "line_braze.braze.models",
    "TrackResult": "line_braze.braze.models",
    "UserAlias": "line_braze.braze.models",
    "WebhookMessage": "line_braze.braze.models",
    "Campaigns": "line_braze.braze.sends",
    "Canvas": "line_braze.braze.sends",
    "Messages": "line_braze.braze.sends",
    "Sends": "line_braze.braze.sends",
    "line_id_exists_audience": "line_braze.braze.sends",
    "Users": "line_braze.braze.users",
}

__all__ = [
    "BRAZE_INSTANCES",
    "Attributes",
    "BatchOutcome",
    "BrazeClient",
    "Campaigns",
    "Canvas",
    "ContentBlock",
    "ContentBlockRef",
    "ContentBlockSummary",
    "ContentBlocks",
    "DispatchResult",
    "Event",
    "ExportResult",
    "FailedBatch",
    "IdentityResult",
    "Limiter",
    "Messages",
    "Purchase",
    "RateLimit",
    "Sends",
    "TrackError",
    "TrackItem",
    "TrackResult",
    "UserAlias",
    "Users",
    "WebhookMessage",
    "line_id_exists_audience",
    "resolve_rest_endpoint",
]

# Hidden from type checkers, so a misspelt name is a type error, not Any.
if not TYPE_CHECKING:
    __getattr__, __dir__ = lazy_exports(__name__, _LAZY, __all__)
