# Generated from _EXPORTS in __init__.py by tests/test_exports.py: do not edit.

from line_braze._options import ClientOptions as ClientOptions
from line_braze._options import Timeout as Timeout
from line_braze._retry import RetryPolicy as RetryPolicy
from line_braze._secret import Secret as Secret
from line_braze._version import __version__ as __version__
from line_braze.braze import Attributes as Attributes
from line_braze.braze import BrazeClient as BrazeClient
from line_braze.braze import ContentBlock as ContentBlock
from line_braze.braze import Event as Event
from line_braze.braze import Purchase as Purchase
from line_braze.braze import RateLimit as RateLimit
from line_braze.braze import TrackError as TrackError
from line_braze.braze import TrackResult as TrackResult
from line_braze.braze import UserAlias as UserAlias
from line_braze.braze import WebhookMessage as WebhookMessage
from line_braze.errors import APIError as APIError
from line_braze.errors import AuthenticationError as AuthenticationError
from line_braze.errors import LineBrazeError as LineBrazeError
from line_braze.errors import NotFound as NotFound
from line_braze.errors import PartialFailure as PartialFailure
from line_braze.errors import PermissionDenied as PermissionDenied
from line_braze.errors import RateLimited as RateLimited
from line_braze.errors import RequestTimeout as RequestTimeout
from line_braze.errors import ServerError as ServerError
from line_braze.errors import SignatureError as SignatureError
from line_braze.errors import SyncInterrupted as SyncInterrupted
from line_braze.errors import TransportError as TransportError
from line_braze.errors import ValidationError as ValidationError
from line_braze.errors import WebhookParseError as WebhookParseError
from line_braze.integration import Integration as Integration
from line_braze.integration import IntegrationConfig as IntegrationConfig
from line_braze.integration import RefusedFollower as RefusedFollower
from line_braze.integration import RotationResult as RotationResult
from line_braze.integration import SyncProgress as SyncProgress
from line_braze.integration import SyncReport as SyncReport
from line_braze.line import LineClient as LineClient
from line_braze.mirror import WebhookReport as WebhookReport
from line_braze.preview import Preview as Preview
from line_braze.preview import render_preview as render_preview
from line_braze.templates import WebhookTemplate as WebhookTemplate
from line_braze.templates import build_webhook_template as build_webhook_template

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
