"""The Braze half of line_braze: `BrazeClient`, its services and models.

Example:
    >>> from line_braze.braze import BrazeClient, UserAlias
    >>> BrazeClient("key", rest_endpoint="JP-01").base_url
    'https://rest.jp-01.braze.com'
"""

from line_braze.braze._ratelimit import RateLimit
from line_braze.braze.client import BrazeClient
from line_braze.braze.content_blocks import ContentBlocks
from line_braze.braze.endpoints import BRAZE_INSTANCES, resolve_rest_endpoint
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
from line_braze.braze.sends import Campaigns, Canvas, Messages, Sends, line_id_exists_audience
from line_braze.braze.users import Users

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
