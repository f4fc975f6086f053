"""RedisRateLimiter against a real redis-server: one /users/track limit for many processes."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from typing import Any

import pytest
import redis

from line_braze import BrazeClient
from line_braze.braze import Limiter, RateLimit
from line_braze.errors import ValidationError
from line_braze.redis import RedisRateLimiter
from line_braze.testing import BrazeEmulator
from line_braze.testing._server import Reply, Request


def test_it_is_a_limiter_the_braze_client_accepts(redis_client: redis.Redis) -> None:
    limiter = RedisRateLimiter(redis_client, RateLimit(10, per=1.0))
    assert isinstance(limiter, Limiter)
    braze = BrazeClient("key", rest_endpoint="US-01", rate_limit=limiter)
    assert braze.rate_limit == RateLimit(10, per=1.0)
    assert braze.with_options().rate_limit == RateLimit(10, per=1.0)


def test_the_braze_client_refuses_anything_else() -> None:
    with pytest.raises(ValidationError, match="rate_limit: must be a RateLimit"):
        BrazeClient("key", rest_endpoint="US-01", rate_limit=3000)  # type: ignore[arg-type]


def test_bad_arguments_name_the_field(redis_client: redis.Redis) -> None:
    with pytest.raises(ValidationError, match=r"^limit: "):
        RedisRateLimiter(redis_client, 10)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"^name: "):
        RedisRateLimiter(redis_client, RateLimit(10), name="")


def test_requests_past_the_limit_wait_for_the_window(redis_client: redis.Redis) -> None:
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        time.sleep(seconds)

    limiter = RedisRateLimiter(redis_client, RateLimit(3, per=0.4), sleep=sleep)
    started = time.monotonic()
    for _ in range(3):
        limiter.acquire()
    assert waits == []
    limiter.acquire()
    assert time.monotonic() - started >= 0.35
    assert waits
    assert 0 < waits[0] <= 0.4
    assert limiter.waited == pytest.approx(sum(waits))


def test_two_limiters_with_one_name_share_one_window(
    redis_client: redis.Redis, redis_url: str
) -> None:
    waits: list[float] = []
    other = redis.Redis.from_url(redis_url)
    a = RedisRateLimiter(redis_client, RateLimit(2, per=5.0))
    b = RedisRateLimiter(other, RateLimit(2, per=5.0), sleep=waits.append)
    c = RedisRateLimiter(other, RateLimit(2, per=5.0), name="another-workspace")
    a.acquire()
    a.acquire()
    c.acquire()  # another name: its own window
    assert waits == []

    def fail_after_first_wait(seconds: float) -> None:
        waits.append(seconds)
        raise _Stop

    b._sleep = fail_after_first_wait
    with pytest.raises(_Stop):
        b.acquire()
    assert 4.0 < waits[0] <= 5.0
    other.close()


class _Stop(Exception):
    pass


def test_a_pause_holds_every_process_and_only_extends(redis_client: redis.Redis) -> None:
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        raise _Stop

    limiter = RedisRateLimiter(redis_client, RateLimit(100, per=1.0), sleep=sleep)
    limiter.pause(2.0)
    limiter.pause(0.5)  # shorter: does not shorten the pause
    limiter.pause(float("nan"))
    limiter.pause(-1)
    with pytest.raises(_Stop):
        limiter.acquire()
    assert 1.5 < waits[0] <= 2.0


def test_observe_pauses_when_braze_says_the_window_is_spent(redis_client: redis.Redis) -> None:
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        raise _Stop

    limiter = RedisRateLimiter(redis_client, RateLimit(100, per=1.0), sleep=sleep)
    limiter.observe({"X-RateLimit-Remaining": "5", "X-RateLimit-Reset": "3"})
    limiter.acquire()  # not spent: no pause
    limiter.observe({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "3"})
    with pytest.raises(_Stop):
        limiter.acquire()
    assert 2.0 < waits[0] <= 3.0


def test_repr_shows_the_limit_not_the_client(redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url.replace("//", "//:hunter2@"))
    text = repr(RedisRateLimiter(client, RateLimit(3000, per=3.0)))
    assert text == "<RedisRateLimiter 3000 per 3s name='line_braze:users_track'>"
    client.close()


class _TimedBraze(BrazeEmulator):
    """The Braze emulator, noting when each /users/track request arrived."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.arrivals: list[float] = []
        self._arrivals_lock = threading.Lock()

    def _handle(self, request: Request) -> Reply:
        if request.path == "/users/track":
            with self._arrivals_lock:
                self.arrivals.append(time.monotonic())
        return super()._handle(request)


_JOB = """
import json, sys, redis
from line_braze import BrazeClient
from line_braze.braze import RateLimit
from line_braze.redis import RedisRateLimiter
redis_url, braze_url, key, n, requests, per, count = sys.argv[1:]
limit = RateLimit(int(requests), per=float(per))
shared = redis_url != "in-process"
limiter = RedisRateLimiter(redis.Redis.from_url(redis_url), limit) if shared else limit
braze = BrazeClient(
    key, rest_endpoint=braze_url, rate_limit=limiter, batch_size=1, max_concurrency=4
)
objects = [
    {"external_id": f"job{n}-{i}", "line_id": "U" + "0" * 32} for i in range(int(count))
]
result = braze.users.track(attributes=objects)
print(json.dumps({"requests": result.requests, "errors": len(result.errors)}))
"""


def _max_in_window(arrivals: list[float], window: float) -> int:
    arrivals = sorted(arrivals)
    best = 0
    for i, start in enumerate(arrivals):
        inside = sum(1 for t in arrivals[i:] if t < start + window)
        best = max(best, inside)
    return best


def _run_two_jobs(
    redis_url: str, requests: int, per: float, count: int
) -> tuple[list[float], list[dict[str, int]]]:
    with _TimedBraze() as braze:
        jobs = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    _JOB,
                    redis_url,
                    braze.url,
                    braze.api_key,
                    str(n),
                    str(requests),
                    str(per),
                    str(count),
                ],
                stdout=subprocess.PIPE,
                text=True,
            )
            for n in range(2)
        ]
        outputs = [job.communicate(timeout=120)[0] for job in jobs]
        arrivals = list(braze.arrivals)
    assert [job.returncode for job in jobs] == [0, 0]
    return arrivals, [json.loads(out) for out in outputs]


@pytest.mark.integration
def test_two_processes_together_keep_one_shared_limit(redis_url: str) -> None:
    requests, per, count = 8, 0.5, 24
    arrivals, results = _run_two_jobs(redis_url, requests, per, count)
    assert results == [{"requests": count, "errors": 0}] * 2
    assert len(arrivals) == 2 * count
    # Each process alone would send 8 per window; together they still send at most 8
    # (a 150 ms margin for the trip from the limiter to the emulator on a busy machine).
    assert _max_in_window(arrivals, per - 0.15) <= requests
    # ... and 48 requests at 8 per 0.5 s cannot take less than 5 full windows.
    assert max(arrivals) - min(arrivals) >= 5 * per - 0.1


@pytest.mark.integration
def test_without_redis_two_processes_each_spend_the_whole_limit() -> None:
    # the control: the same jobs with a limiter each exceed the limit together
    requests, per, count = 8, 0.5, 16
    arrivals, _ = _run_two_jobs("in-process", requests, per, count)
    assert _max_in_window(arrivals, per - 0.15) > requests


def test_redis_down_fails_acquire_with_our_error_and_only_logs_a_lost_pause(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from line_braze.errors import ConnectError

    port = _closed_port()
    client = redis.Redis(host="127.0.0.1", port=port, password="hunter2", socket_timeout=1)
    limiter = RedisRateLimiter(client, RateLimit(10))
    with pytest.raises(ConnectError) as info:
        limiter.acquire()
    assert info.value.path == "/users/track"
    assert not info.value.may_have_taken_effect
    assert "shared rate limit is unavailable" in str(info.value)
    assert "hunter2" not in str(info.value)
    limiter.pause(1.0)
    assert "could not share a 1.0s pause" in caplog.text
    client.close()


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port
