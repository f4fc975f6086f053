"""Logging helpers: a filter that redacts credentials from any record it sees."""

from __future__ import annotations

import logging
import re
from typing import Final

__all__ = ["RedactingFilter", "redact"]

_PATTERNS: Final = (
    re.compile(r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?)(bearer\s+)?[^\s'\",}]+"),
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]{8,}"),
    re.compile(
        r"(?i)((?:access_token|client_secret|api_key|channel_secret)['\"]?\s*[:=]\s*['\"]?)[^\s&'\",}]+"
    ),
)


def redact(text: str) -> str:
    """Replace credentials in ``text`` with ``********``.

    Example:
        >>> redact("Authorization: Bearer abcdefghijk")
        'Authorization: ********'
        >>> redact("client_secret=xyz&grant_type=client_credentials")
        'client_secret=********&grant_type=client_credentials'
    """
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + "********", text)
    return text


class RedactingFilter(logging.Filter):
    """A `logging.Filter` that redacts Authorization headers and token fields.

    line_braze installs one on its ``line_braze`` logger; add it to your own handlers to
    protect records other libraries (urllib3 at DEBUG, say) emit.

    Example:
        >>> import logging
        >>> args = ("abcdefghijkl",)
        >>> record = logging.LogRecord("x", logging.INFO, "", 0, "Bearer %s", args, None)
        >>> RedactingFilter().filter(record)
        True
        >>> record.getMessage()
        'Bearer ********'
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the record's message in place; always keep the record."""
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        return True
