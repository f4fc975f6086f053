# Generated from _EXPORTS in __init__.py by tests/test_exports.py: do not edit.

from line_braze.braze._ratelimit import Limiter as Limiter
from line_braze.braze._ratelimit import RateLimit as RateLimit
from line_braze.braze.client import BrazeClient as BrazeClient
from line_braze.braze.content_blocks import ContentBlocks as ContentBlocks
from line_braze.braze.endpoints import BRAZE_INSTANCES as BRAZE_INSTANCES
from line_braze.braze.endpoints import resolve_rest_endpoint as resolve_rest_endpoint
from line_braze.braze.models import Attributes as Attributes
from line_braze.braze.models import BatchOutcome as BatchOutcome
from line_braze.braze.models import ContentBlock as ContentBlock
from line_braze.braze.models import ContentBlockRef as ContentBlockRef
from line_braze.braze.models import ContentBlockSummary as ContentBlockSummary
from line_braze.braze.models import DispatchResult as DispatchResult
from line_braze.braze.models import Event as Event
from line_braze.braze.models import ExportResult as ExportResult
from line_braze.braze.models import FailedBatch as FailedBatch
from line_braze.braze.models import IdentityResult as IdentityResult
from line_braze.braze.models import Purchase as Purchase
from line_braze.braze.models import TrackError as TrackError
from line_braze.braze.models import TrackItem as TrackItem
from line_braze.braze.models import TrackResult as TrackResult
from line_braze.braze.models import UserAlias as UserAlias
from line_braze.braze.models import WebhookMessage as WebhookMessage
from line_braze.braze.sends import Campaigns as Campaigns
from line_braze.braze.sends import Canvas as Canvas
from line_braze.braze.sends import Messages as Messages
from line_braze.braze.sends import Sends as Sends
from line_braze.braze.sends import line_id_exists_audience as line_id_exists_audience
from line_braze.braze.users import Users as Users

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
