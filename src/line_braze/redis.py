"""Redis between web workers and sync jobs: one event store, one ``/users/track`` limit.

Install the extra: ``pip install 'line-braze[redis]'`` (redis-py). Both classes take a
``redis.Redis`` client you build and own (its URL, TLS, pool and timeouts are yours).

* `RedisEventStore` is the webhook `line_braze.mirror.EventStore` every worker shares:
  handled ``webhookEventId`` values expire after ``event_ttl`` seconds, and the newest
  follow/unfollow applied per user is advanced by an atomic compare-and-set (a Lua script),
  so a redelivered or stale event is skipped whichever worker receives it.
* `RedisRateLimiter` is a `line_braze.braze.Limiter` every process shares: a sliding window
  kept in one sorted set, timed by the Redis server's clock, so two sync jobs on two hosts
  together start at most ``RateLimit.requests`` requests in any window.

Keys carry a prefix (``line_braze:`` by default); the limiter's keys share one hash tag, so
they live on one Redis Cluster slot. Redis 5 or later is needed (scripts read ``TIME``).

Example:
    >>> from line_braze.redis import RedisEventStore
    >>> RedisEventStore.__name__
    'RedisEventStore'
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from line_braze._logging import redact
from line_braze._retry import Sleep
from line_braze.braze._ratelimit import RateLimit, pause_from_headers
from line_braze.errors import ConnectError, ValidationError
from line_braze.mirror import AppliedState

if TYPE_CHECKING:
    import redis

__all__ = ["RedisEventStore", "RedisRateLimiter"]

DEFAULT_PREFIX: Final = "line_braze:"
#: LINE redelivers a failed webhook for a limited time; a week of remembered IDs covers it.
DEFAULT_EVENT_TTL: Final = 7 * 24 * 3600.0
#: The per-user state outlives any redelivery by far.
DEFAULT_STATE_TTL: Final = 30 * 24 * 3600.0
_MAX_PAUSE_MS: Final = 60_000  # as the in-process limiter: at most a minute of silence
_LOG = logging.getLogger("line_braze.redis")

# KEYS[1] the user's state; ARGV: timestamp, following (0/1), ttl ms.
# Timestamps are compared as decimal strings, exactly, at any size (Lua numbers are doubles).
_ADVANCE: Final = """
local function cmp(a, b)
  local na, nb = a:sub(1, 1) == '-', b:sub(1, 1) == '-'
  if na ~= nb then return na and -1 or 1 end
  local r
  if a == b then return 0 end
  if #a ~= #b then r = (#a < #b) and -1 or 1 else r = (a < b) and -1 or 1 end
  if na then r = -r end
  return r
end
local current = redis.call('GET', KEYS[1])
if current then
  local ts = string.match(current, '^(-?%d+):')
  if ts and cmp(ts, ARGV[1]) >= 0 then return current end
end
redis.call('SET', KEYS[1], ARGV[1] .. ':' .. ARGV[2], 'PX', ARGV[3])
return false
"""

# KEYS: window (sorted set), pause, sequence. ARGV: requests, window ms.
# Returns 0 when a start was counted, else the milliseconds to wait.
_ACQUIRE: Final = """
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < paused then return paused - now end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  local seq = redis.call('INCR', KEYS[3])
  redis.call('ZADD', KEYS[1], now, now .. ':' .. seq)
  redis.call('PEXPIRE', KEYS[1], window + 1000)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
"""

# KEYS[1] pause. ARGV[1] pause ms. A pause only ever extends.
_PAUSE: Final = """
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local until_ms = now + tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if until_ms > current then
  redis.call('SET', KEYS[1], string.format('%d', until_ms), 'PX', tonumber(ARGV[1]) + 1000)
end
return 0
"""


def _ttl_ms(name: str, seconds: float) -> int:
    if not (seconds > 0 and math.isfinite(seconds)):
        raise ValidationError(name, f"must be > 0 seconds, got {seconds!r}")
    return max(1, math.ceil(seconds * 1000))


def _key_part(field: str, value: str) -> str:
    checked: object = value
    if not isinstance(checked, str) or not checked or any(c.isspace() for c in checked):
        raise ValidationError(field, f"must be a non-empty string without spaces: {value!r}")
    return checked


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class RedisEventStore:
    """A `line_braze.mirror.EventStore` in Redis, shared by every web worker.

    Args:
        client: a ``redis.Redis`` client (bytes or ``decode_responses=True``, either works).
        prefix: prepended to every key (``line_braze:event:<id>``, ``line_braze:user:<id>``).
        event_ttl: seconds a handled ``webhookEventId`` is remembered (default a week).
        state_ttl: seconds the newest state per user is kept after its last change
            (default 30 days).

    Raises:
        line_braze.errors.ValidationError: a TTL that is not a positive number of seconds,
            or an empty prefix.

    Example:
        >>> RedisEventStore(None, event_ttl=0)
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: event_ttl: must be > 0 seconds, got 0
    """

    def __init__(
        self,
        client: redis.Redis,
        *,
        prefix: str = DEFAULT_PREFIX,
        event_ttl: float = DEFAULT_EVENT_TTL,
        state_ttl: float = DEFAULT_STATE_TTL,
    ) -> None:
        """Use ``client``; see the class docstring."""
        self._event_ttl_ms = _ttl_ms("event_ttl", event_ttl)
        self._state_ttl_ms = _ttl_ms("state_ttl", state_ttl)
        self._prefix = _key_part("prefix", prefix)
        self._client = client
        self._advance = client.register_script(_ADVANCE)

    def _event_key(self, event_id: str) -> str:
        return f"{self._prefix}event:{event_id}"

    def _user_key(self, user_id: str) -> str:
        return f"{self._prefix}user:{user_id}"

    def is_handled(self, event_id: str) -> bool:
        """Return whether the event with this ``webhookEventId`` was already written."""
        return bool(self._client.exists(self._event_key(event_id)))

    def mark_handled(self, event_id: str) -> None:
        """Record that this event was written; it is forgotten after ``event_ttl``."""
        self._client.set(self._event_key(event_id), b"1", px=self._event_ttl_ms)

    def last_applied(self, user_id: str) -> AppliedState | None:
        """Return the newest follow/unfollow applied for ``user_id``, or ``None``."""
        return _state(self._client.get(self._user_key(user_id)))

    def advance(self, user_id: str, state: AppliedState) -> AppliedState | None:
        """Store ``state`` for ``user_id`` if it is newer, atomically across every process.

        Returns:
            ``None`` when ``state`` was stored; otherwise the stored state, whose timestamp
            is equal or later (the caller's event is stale).
        """
        stored = self._advance(
            keys=[self._user_key(user_id)],
            args=[str(int(state.timestamp)), int(state.following), self._state_ttl_ms],
        )
        return _state(stored)

    def __repr__(self) -> str:
        """Show the prefix and TTLs (never the client's URL, which may hold a password)."""
        return (
            f"<RedisEventStore prefix={self._prefix!r} event_ttl={self._event_ttl_ms / 1000:g}s "
            f"state_ttl={self._state_ttl_ms / 1000:g}s>"
        )


def _describe(exc: BaseException) -> str:
    return redact(f"{type(exc).__name__}: {exc}")


def _state(raw: Any) -> AppliedState | None:
    if raw is None:
        return None
    timestamp, _, following = _text(raw).partition(":")
    return AppliedState(timestamp=int(timestamp), following=following == "1")


class RedisRateLimiter:
    """A ``/users/track`` rate limit shared by every process using one Redis.

    Pass it as ``BrazeClient(..., rate_limit=RedisRateLimiter(client, RateLimit(...)))`` in
    each process. At most ``limit.requests`` requests start in any window of ``limit.per``
    seconds, counted across all of them; the window is timed by the Redis server's clock,
    so the hosts' clocks need not agree. A pause one process learns from Braze (a 429, or
    ``X-RateLimit-Remaining: 0``) holds every process.

    Args:
        client: a ``redis.Redis`` client.
        limit: the workspace's limit, e.g. ``RateLimit(3000, per=3.0)``.
        name: names the shared window: processes with the same name share one limit.
        sleep: how to wait (tests pass a recorder).

    Raises:
        line_braze.errors.ValidationError: ``limit`` is not a `RateLimit`, or ``name`` is
            empty.

    Example:
        >>> from line_braze.braze import RateLimit
        >>> RedisRateLimiter(None, 3000)
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: limit: must be a RateLimit(requests, per=seconds)
    """

    def __init__(
        self,
        client: redis.Redis,
        limit: RateLimit,
        *,
        name: str = "line_braze:users_track",
        sleep: Sleep = time.sleep,
    ) -> None:
        """Share ``limit`` through ``client``; see the class docstring."""
        checked: object = limit
        if not isinstance(checked, RateLimit):
            raise ValidationError("limit", "must be a RateLimit(requests, per=seconds)")
        name = _key_part("name", name)
        self._limit = limit
        self._name = name
        tag = "{" + name + "}"
        self._keys = [f"{tag}:window", f"{tag}:pause", f"{tag}:seq"]
        self._window_ms = max(1, round(limit.per * 1000))
        self._client = client
        self._sleep = sleep
        self._acquire = client.register_script(_ACQUIRE)
        self._pause = client.register_script(_PAUSE)
        #: Seconds this process waited for the limit, in total.
        self.waited = 0.0

    @property
    def limit(self) -> RateLimit:
        """The shared limit."""
        return self._limit

    def acquire(self) -> None:
        """Block until one more request may start in the shared window, then count it.

        Raises:
            line_braze.errors.ConnectError: Redis could not be asked (nothing was sent to
                Braze; the limit is never skipped).
        """
        import redis

        while True:
            try:
                wait_ms = int(
                    self._acquire(keys=self._keys, args=[self._limit.requests, self._window_ms])
                )
            except redis.RedisError as exc:
                reason = f"the shared rate limit is unavailable: {_describe(exc)}"
                raise ConnectError("braze", "POST", "/users/track", reason) from None
            if wait_ms <= 0:
                return
            seconds = wait_ms / 1000
            self.waited += seconds
            self._sleep(seconds)

    def pause(self, seconds: float) -> None:
        """Let no process start a request for ``seconds`` (capped at a minute)."""
        if not (seconds > 0 and math.isfinite(seconds)):
            return
        import redis

        millis = min(math.ceil(seconds * 1000), _MAX_PAUSE_MS)
        try:
            self._pause(keys=self._keys[1:2], args=[millis])
        except redis.RedisError as exc:  # the answer is in hand: losing the pause is safer
            _LOG.warning("could not share a %.1fs pause: %s", seconds, _describe(exc))

    def observe(self, headers: Mapping[str, str]) -> None:
        """Pause every process until Braze's window resets when it says none are left."""
        wait = pause_from_headers(headers, now=time.time())
        if wait is not None:
            self.pause(wait)

    def __repr__(self) -> str:
        """Show the limit and the window's name."""
        return (
            f"<RedisRateLimiter {self._limit.requests} per {self._limit.per:g}s "
            f"name={self._name!r}>"
        )
