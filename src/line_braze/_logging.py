"""Logging helpers: a filter that redacts credentials from any record it sees."""

from __future__ import annotations

import logging
import re
from typing import Final

__all__ = ["REDACTED_LOGGERS", "RedactingFilter", "install_redacting_filter", "redact"]

_PATTERNS: Final = (
    re.compile(r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?)(bearer\s+)?[^\s'\",}]+"),
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]{8,}"),
    re.compile(
        r"(?i)((?:access_token|client_secret|client_assertion|api_key|channel_secret)['\"]?\s*[:=]\s*['\"]?)[^\s&'\",}]+"
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

    line_braze installs one on each logger of `REDACTED_LOGGERS` when it is imported (see
    `install_redacting_filter`). A logger's filter sees only the records made on that very
    logger, so add one to your own handlers to protect records of other libraries.

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
        """Redact the record's message (and its traceback text) in place; keep the record."""
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(_FORMATTER.formatException(record.exc_info))
        return True


_FORMATTER: Final = logging.Formatter()

#: The loggers that can show a credential at DEBUG: ours, and urllib3's request lines (LINE's
#: v2.1 verify carries the token in its query string, which only ``GET`` accepts).
REDACTED_LOGGERS: Final = (
    "line_braze",
    "line_braze.testing",
    "requests",
    "urllib3",
    "urllib3.connection",
    "urllib3.connectionpool",
    "urllib3.http2.connection",
    "urllib3.poolmanager",
    "urllib3.response",
    "urllib3.util.retry",
)


def install_redacting_filter() -> None:
    """Put a `RedactingFilter` on each logger of `REDACTED_LOGGERS` that lacks one.

    line_braze calls it on import; calling it again adds nothing.

    Example:
        >>> import logging
        >>> install_redacting_filter()
        >>> sum(isinstance(f, RedactingFilter) for f in logging.getLogger("urllib3.connectionpool").filters)
        1
    """  # noqa: E501
    for name in REDACTED_LOGGERS:
        log = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in log.filters):
            log.addFilter(RedactingFilter())
