"""`RetryPolicy` and the parsing of server wait hints. Pure: no I/O, no sleeping."""

from __future__ import annotations

import email.utils
import math
from collections.abc import Iterable, Mapping
from typing import NoReturn, Protocol

import attrs

__all__ = [
    "RetryPolicy",
    "Sleep",
    "Uniform",
    "parse_rate_limit_wait",
    "parse_retry_after",
    "parse_server_wait",
]

_EPOCH_THRESHOLD = 1_000_000_000  # a Reset value above this is epoch seconds, below a delta


class Sleep(Protocol):
    """What the transport calls to wait: `time.sleep` in production, a recorder in tests."""

    def __call__(self, seconds: float, /) -> None:
        """Wait ``seconds``."""


class Uniform(Protocol):
    """A source of jitter: returns a float in ``[0, 1)``, like `random.random`."""

    def __call__(self) -> float:
        """Return a random float in ``[0, 1)``."""


def _refuse(field: str, reason: str) -> NoReturn:
    from line_braze.errors import ValidationError

    raise ValidationError(f"RetryPolicy.{field}", reason)


def _positive(_inst: object, attr: attrs.Attribute[float], value: float) -> None:
    checked: object = value
    if not isinstance(checked, int | float) or isinstance(checked, bool):
        _refuse(attr.name, f"must be a number of seconds, got {type(checked).__name__}")
    if not (value >= 0 and math.isfinite(value)):
        _refuse(attr.name, f"must be a finite number >= 0, got {value!r}")


def _at_least_one(_inst: object, attr: attrs.Attribute[int], value: int) -> None:
    checked: object = value
    if not isinstance(checked, int) or isinstance(checked, bool):
        _refuse(attr.name, f"must be a whole number, got {type(checked).__name__}")
    if value < 1:
        _refuse(attr.name, f"must be >= 1, got {value!r}")


def _statuses(value: Iterable[int]) -> frozenset[int]:
    checked: object = value
    if isinstance(checked, str | bytes) or not isinstance(checked, Iterable):
        _refuse("retry_statuses", f"must be a set of HTTP statuses, got {checked!r}")
    statuses = frozenset(checked)
    for status in statuses:
        if not isinstance(status, int) or isinstance(status, bool):
            _refuse("retry_statuses", f"must hold int HTTP statuses, got {status!r}")
        if not 400 <= status <= 599:  # noqa: PLR2004 - the error status range
            _refuse("retry_statuses", f"must hold error statuses 400-599, got {status}")
    return statuses


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """How often and how patiently to retry a request that is safe to repeat.

    Waits grow exponentially: ``wait_initial * exp_base ** (attempt - 1)``, capped at
    ``wait_max``, plus up to ``wait_jitter`` seconds of random jitter. On a 429, the server's
    wait hint (``Retry-After``, Braze's ``X-Ratelimit-Retry-After`` / ``X-RateLimit-Reset``)
    replaces the computed wait when it is not above ``max_retry_after``; above it, the request
    is not retried and `line_braze.errors.RateLimited` says how long the server asked for. A
    5xx or a connection error is retried on this schedule: only a ``Retry-After`` within
    ``max_retry_after`` replaces the backoff there, and rate-limit headers are ignored (see
    `parse_server_wait`).

    Attributes:
        attempts: total attempts, the first included (1 disables retrying).
        wait_initial: first backoff, seconds.
        wait_max: cap on a computed backoff, seconds.
        wait_jitter: at most this many seconds of random jitter added to each wait.
        exp_base: growth factor per attempt.
        max_retry_after: longest server-requested wait that is honoured, seconds.
        retry_statuses: HTTP statuses that are retried (when the request is safe to repeat).

    Example:
        >>> policy = RetryPolicy(attempts=5, wait_initial=0.5, wait_jitter=0)
        >>> [policy.delay(n) for n in (1, 2, 3)]
        [0.5, 1.0, 2.0]
        >>> policy.delay(1, retry_after=3.0)
        3.0
        >>> RetryPolicy.none().attempts
        1
    """

    attempts: int = attrs.field(default=4, validator=_at_least_one)
    wait_initial: float = attrs.field(default=0.5, validator=_positive)
    wait_max: float = attrs.field(default=8.0, validator=_positive)
    wait_jitter: float = attrs.field(default=0.5, validator=_positive)
    exp_base: float = attrs.field(default=2.0, validator=_positive)
    max_retry_after: float = attrs.field(default=60.0, validator=_positive)
    retry_statuses: frozenset[int] = attrs.field(
        default=frozenset({429, 500, 502, 503, 504}), converter=_statuses
    )

    @classmethod
    def none(cls) -> RetryPolicy:
        """Return a policy that never retries."""
        return cls(attempts=1)

    def delay(self, attempt: int, *, retry_after: float | None = None, rand: float = 0.0) -> float:
        """Return the seconds to wait after failed attempt number ``attempt`` (1-based).

        Args:
            attempt: the attempt that just failed, starting at 1.
            retry_after: the server's wait hint in seconds, if it gave one.
            rand: a number in ``[0, 1)`` scaling the jitter.
        """
        if retry_after is not None:
            return max(0.0, retry_after)
        try:
            backoff = self.wait_initial * self.exp_base ** (attempt - 1)
        except OverflowError:
            backoff = self.wait_max
        return min(backoff, self.wait_max) + self.wait_jitter * rand

    def honours(self, retry_after: float | None) -> bool:
        """Return whether a server-requested wait is short enough to wait for."""
        return retry_after is None or retry_after <= self.max_retry_after

    def __repr__(self) -> str:
        """Show the knobs that differ from the defaults, plus ``attempts``."""
        parts = [f"attempts={self.attempts}"]
        for a in attrs.fields(RetryPolicy):
            if a.name == "attempts":
                continue
            value = getattr(self, a.name)
            if value != a.default:
                shown = sorted(value) if isinstance(value, frozenset) else value
                parts.append(f"{a.name}={shown!r}")
        return f"RetryPolicy({', '.join(parts)})"


def parse_retry_after(value: str | None, *, now: float) -> float | None:
    """Parse an HTTP ``Retry-After`` value (delta seconds or an HTTP date) into seconds.

    Example:
        >>> parse_retry_after("7", now=0)
        7.0
        >>> parse_retry_after("Thu, 01 Jan 1970 00:00:30 GMT", now=10.0)
        20.0
        >>> parse_retry_after("soon", now=0) is None
        True
    """
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        return max(0.0, when.timestamp() - now)
    if not math.isfinite(seconds) or seconds < 0:
        return None
    return seconds


def parse_rate_limit_wait(headers: Mapping[str, str], *, now: float) -> float | None:
    """Return how long a 429 asks us to wait, from any header Braze or HTTP defines.

    Order: ``X-Ratelimit-Retry-After`` (seconds), ``Retry-After`` (seconds or date), then
    ``X-RateLimit-Reset``, read as epoch seconds when above 10^9 and as a delta otherwise
    (Braze documents it both ways). ``headers`` must be case-insensitive.

    Example:
        >>> from requests.structures import CaseInsensitiveDict
        >>> parse_rate_limit_wait(CaseInsensitiveDict({"x-ratelimit-reset": "1000000060"}), now=1e9)
        60.0
        >>> parse_rate_limit_wait(CaseInsensitiveDict({"X-RateLimit-Reset": "2"}), now=1e9)
        2.0
    """
    for name in ("X-Ratelimit-Retry-After", "Retry-After"):
        parsed = parse_retry_after(headers.get(name), now=now)
        if parsed is not None:
            return parsed
    reset = headers.get("X-RateLimit-Reset")
    if reset is None:
        return None
    try:
        value = float(reset.strip())
    except ValueError:
        return None
    if not math.isfinite(value) or value < 0:
        return None
    if value > _EPOCH_THRESHOLD:
        return max(0.0, value - now)
    return value


def parse_server_wait(status: int, headers: Mapping[str, str], *, now: float) -> float | None:
    """Return how long an error answer of ``status`` asks us to wait, or ``None``.

    Rate-limit headers speak of the rate-limit window, so they govern a 429 only (Braze
    sends ``X-RateLimit-Reset`` on every answer, a 503 included). Any other status is
    read for the HTTP ``Retry-After`` alone. ``headers`` must be case-insensitive.

    Example:
        >>> from requests.structures import CaseInsensitiveDict
        >>> window = CaseInsensitiveDict({"X-RateLimit-Reset": "3600"})
        >>> parse_server_wait(429, window, now=0), parse_server_wait(503, window, now=0)
        (3600.0, None)
        >>> parse_server_wait(503, CaseInsensitiveDict({"Retry-After": "2"}), now=0)
        2.0
    """
    if status == 429:  # noqa: PLR2004
        return parse_rate_limit_wait(headers, now=now)
    return parse_retry_after(headers.get("Retry-After"), now=now)
