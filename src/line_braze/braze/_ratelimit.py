"""The client-side rate limit of ``/users/track``: a thread-safe sliding window.

Braze allows 3,000 ``/users/track`` requests per 3 seconds per workspace by default. The
limiter lets at most ``RateLimit.requests`` requests start in any window of ``per`` seconds,
and pauses every caller when the server says the window is spent (``X-RateLimit-Remaining:
0``) or answers 429 with a wait. Time and sleeping are injected, so tests never wait.
"""

from __future__ import annotations

import collections
import math
import threading
from collections.abc import Mapping
from typing import Protocol, runtime_checkable

import attrs

from line_braze._retry import Sleep, parse_rate_limit_wait
from line_braze._transport import Clock
from line_braze.errors import ValidationError

__all__ = ["Limiter", "RateLimit", "RateLimiter"]

_MAX_PAUSE = 60.0  # never believe a header asking for more than a minute of silence


def _positive_int(_inst: object, attr: attrs.Attribute[int], value: int) -> None:
    if value < 1:
        raise ValidationError(f"RateLimit.{attr.name}", f"must be >= 1, got {value!r}")


def _positive_float(_inst: object, attr: attrs.Attribute[float], value: float) -> None:
    if not (value > 0 and math.isfinite(value)):
        raise ValidationError(f"RateLimit.{attr.name}", f"must be > 0 seconds, got {value!r}")


@attrs.frozen
class RateLimit:
    """At most ``requests`` requests started in any ``per``-second window.

    Attributes:
        requests: requests allowed per window.
        per: the window, in seconds.

    Example:
        >>> RateLimit(3000, per=3.0)
        RateLimit(requests=3000, per=3.0)
        >>> RateLimit(0)
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: RateLimit.requests: must be >= 1, got 0
    """

    requests: int = attrs.field(validator=_positive_int)
    per: float = attrs.field(default=1.0, kw_only=True, validator=_positive_float)


@runtime_checkable
class Limiter(Protocol):
    """What `BrazeClient` needs of a ``/users/track`` rate limiter.

    `RateLimiter` (built from a `RateLimit`) is shared by the threads of one process;
    `line_braze.redis.RedisRateLimiter` by every process using one Redis. Pass either to
    ``BrazeClient(rate_limit=...)``.
    """

    @property
    def limit(self) -> RateLimit:
        """The limit enforced."""
        ...

    def acquire(self) -> None:
        """Block until one more request may start, then count it."""
        ...

    def pause(self, seconds: float) -> None:
        """Let no request start for ``seconds`` (the server asked for a pause)."""
        ...

    def observe(self, headers: Mapping[str, str]) -> None:
        """Read a response's rate-limit headers (case-insensitive mapping)."""
        ...


def pause_from_headers(headers: Mapping[str, str], *, now: float) -> float | None:
    """Return how long to pause when Braze says the window is spent, else ``None``.

    ``X-RateLimit-Reset`` is read as epoch seconds or as seconds remaining (Braze documents
    both, told apart by size); ``now`` is the current time in epoch seconds.

    Example:
        >>> pause_from_headers({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "2"}, now=1e9)
        2.0
        >>> pause_from_headers({"X-RateLimit-Remaining": "7"}, now=10.0) is None
        True
    """
    remaining = headers.get("X-RateLimit-Remaining")
    if remaining is None:
        return None
    try:
        left = float(remaining)
    except ValueError:
        return None
    if left > 0:
        return None
    return parse_rate_limit_wait(headers, now=now)


class RateLimiter:
    """A sliding-window limiter shared by every thread of one client.

    Example:
        >>> now = [0.0]
        >>> waits = []
        >>> def sleep(s):
        ...     waits.append(s)
        ...     now[0] += s
        >>> limiter = RateLimiter(RateLimit(2, per=1.0), clock=lambda: now[0], sleep=sleep)
        >>> for _ in range(3):
        ...     limiter.acquire()
        >>> waits
        [1.0]
    """

    def __init__(self, limit: RateLimit, *, clock: Clock, sleep: Sleep) -> None:
        """Create a limiter for ``limit`` reading ``clock`` and waiting with ``sleep``."""
        self.limit = limit
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._starts: collections.deque[float] = collections.deque()
        self._paused_until = 0.0
        self.waited = 0.0

    def acquire(self) -> None:
        """Block until one more request may start, then count it."""
        while True:
            with self._lock:
                now = self._clock()
                window = self.limit.per
                while self._starts and self._starts[0] <= now - window:
                    self._starts.popleft()
                if now < self._paused_until:
                    wait = self._paused_until - now
                elif len(self._starts) < self.limit.requests:
                    self._starts.append(now)
                    return
                else:
                    wait = self._starts[0] + window - now
                self.waited += wait
            self._sleep(wait)

    def pause(self, seconds: float) -> None:
        """Let no request start for ``seconds`` (capped at a minute)."""
        if not (seconds > 0 and math.isfinite(seconds)):
            return
        with self._lock:
            until = self._clock() + min(seconds, _MAX_PAUSE)
            self._paused_until = max(self._paused_until, until)

    def observe(self, headers: Mapping[str, str]) -> None:
        """Pause until the server's window resets when it says none are left.

        ``headers`` must be case-insensitive. ``X-RateLimit-Reset`` is read as epoch seconds
        or as seconds remaining (Braze documents both).
        """
        wait = pause_from_headers(headers, now=self._clock())
        if wait is not None:
            self.pause(wait)

    def __repr__(self) -> str:
        """Show the limit."""
        return f"<RateLimiter {self.limit.requests} per {self.limit.per:g}s>"
