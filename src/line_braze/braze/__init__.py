"""The Braze half of line_braze: `BrazeClient`, its services and models.

Example:
    >>> from line_braze.braze import BrazeClient, UserAlias
    >>> BrazeClient("key", rest_endpoint="JP-01").base_url
    'https://rest.jp-01.braze.com'
"""

from __future__ import annotations

from typing import Final

from line_braze._lazy import Exports, lazy_package

#: Each public name, written once, under the module that defines it; it loads on first
#: use. ``__init__.pyi``, generated from this (see tests/test_exports.py), shows type
#: checkers the same names.
_EXPORTS: Final[Exports] = {
    "line_braze.braze._ratelimit": (
        "Limiter",
        "RateLimit",
    ),
    "line_braze.braze.client": ("BrazeClient",),
    "line_braze.braze.content_blocks": ("ContentBlocks",),
    "line_braze.braze.endpoints": (
        "BRAZE_INSTANCES",
        "resolve_rest_endpoint",
    ),
    "line_braze.braze.models": (
        "Attributes",
        "BatchOutcome",
        "ContentBlock",
        "ContentBlockRef",
        "ContentBlockSummary",
        "DispatchResult",
        "Event",
        "ExportResult",
        "FailedBatch",
        "IdentityResult",
        "Purchase",
        "TrackError",
        "TrackItem",
        "TrackResult",
        "UserAlias",
        "WebhookMessage",
    ),
    "line_braze.braze.sends": (
        "Campaigns",
        "Canvas",
        "Messages",
        "Sends",
        "line_id_exists_audience",
    ),
    "line_braze.braze.users": ("Users",),
}

__all__, __getattr__, __dir__ = lazy_package(__name__, _EXPORTS)
