"""5xx answers and connection errors are retried on the policy's schedule.

A rate-limit reset header (Braze's ``X-RateLimit-Reset``, ``X-Ratelimit-Retry-After``) speaks
of the rate-limit window; it governs 429 answers only. A 503 that happens to carry one (Braze
sends the window headers on every answer) is retried on the policy's backoff like any 5xx.
"""

from __future__ import annotations

import time

import pytest
import responses

from line_braze import BrazeClient, LineClient, RetryPolicy
from line_braze.errors import RateLimited, ServerError
from line_braze.testing import fake_time, follower_id

pytestmark = pytest.mark.reliability

LINE_URL = "https://api.line.me"
BRAZE_URL = "https://rest.iad-01.braze.com"
PROFILE = f"/v2/bot/profile/{follower_id(1)}"
POLICY = RetryPolicy(attempts=3, wait_initial=0.5, wait_jitter=0)
HOUR_AWAY = {"X-RateLimit-Reset": str(int(time.time()) + 3600), "X-RateLimit-Remaining": "0"}


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.mark.parametrize(
    "headers",
    [
        HOUR_AWAY,
        {"X-RateLimit-Reset": "3600"},
        {"X-Ratelimit-Retry-After": "3600"},
        {"Retry-After": "3600"},
    ],
    ids=["reset-epoch", "reset-delta", "x-retry-after", "retry-after"],
)
@responses.activate
def test_a_503_beside_a_far_wait_header_is_retried_on_the_schedule(
    headers: dict[str, str],
) -> None:
    ok = {"userId": follower_id(1), "displayName": "A"}
    responses.get(LINE_URL + PROFILE, status=503, json={"message": "busy"}, headers=headers)
    responses.get(LINE_URL + PROFILE, status=503, json={"message": "busy"}, headers=headers)
    responses.get(LINE_URL + PROFILE, json=ok)
    sleeps = Sleeps()
    line = fake_time(LineClient("token-value", retry=POLICY), sleep=sleeps)
    assert line.profiles.get(follower_id(1)).display_name == "A"
    assert sleeps == [0.5, 1.0]


@responses.activate
def test_a_503_retry_after_within_the_cap_is_honoured() -> None:
    responses.get(
        LINE_URL + PROFILE, status=503, json={"message": "busy"}, headers={"Retry-After": "3"}
    )
    responses.get(LINE_URL + PROFILE, json={"userId": follower_id(1), "displayName": "A"})
    sleeps = Sleeps()
    fake_time(LineClient("token-value", retry=POLICY), sleep=sleeps).profiles.get(follower_id(1))
    assert sleeps == [3.0]


@responses.activate
def test_a_5xx_that_stays_down_is_a_server_error_after_every_attempt() -> None:
    for _ in range(3):
        responses.get(BRAZE_URL + "/content_blocks/info", status=503, headers=HOUR_AWAY)
    sleeps = Sleeps()
    braze = fake_time(
        BrazeClient("api-key-value", rest_endpoint=BRAZE_URL, retry=POLICY), sleep=sleeps
    )
    with pytest.raises(ServerError) as info:
        braze.content_blocks.get("block")
    assert info.value.attempts == 3
    assert sleeps == [0.5, 1.0]


@responses.activate
def test_a_429_with_a_reset_an_hour_away_still_fails_fast() -> None:
    responses.get(LINE_URL + PROFILE, status=429, json={"message": "slow down"}, headers=HOUR_AWAY)
    sleeps = Sleeps()
    line = fake_time(LineClient("token-value", retry=POLICY), sleep=sleeps)
    with pytest.raises(RateLimited) as info:
        line.profiles.get(follower_id(1))
    assert sleeps == []
    assert info.value.retry_after is not None
    assert info.value.retry_after > 3000


@responses.activate
def test_a_429_with_a_short_reset_waits_as_asked() -> None:
    responses.get(
        LINE_URL + PROFILE, status=429, json={"message": "slow"}, headers={"X-RateLimit-Reset": "4"}
    )
    responses.get(LINE_URL + PROFILE, json={"userId": follower_id(1), "displayName": "A"})
    sleeps = Sleeps()
    fake_time(LineClient("token-value", retry=POLICY), sleep=sleeps).profiles.get(follower_id(1))
    assert sleeps == [4.0]


@responses.activate
def test_connection_errors_are_retried_on_the_schedule() -> None:
    import requests

    responses.get(LINE_URL + PROFILE, body=requests.ConnectionError("refused"))
    responses.get(LINE_URL + PROFILE, body=requests.ConnectionError("refused"))
    responses.get(LINE_URL + PROFILE, json={"userId": follower_id(1), "displayName": "A"})
    sleeps = Sleeps()
    fake_time(LineClient("token-value", retry=POLICY), sleep=sleeps).profiles.get(follower_id(1))
    assert sleeps == [0.5, 1.0]
