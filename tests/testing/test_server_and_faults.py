"""The shared server machinery: lifecycle, keep-alive, faults, threads, secrets."""

from __future__ import annotations

import concurrent.futures
import contextlib
import logging
import uuid
from collections.abc import Callable

import pytest
import requests

from line_braze._options import ClientOptions, Runtime
from line_braze._retry import RetryPolicy
from line_braze._secret import Secret
from line_braze._transport import Retry, Timeout, Transport
from line_braze.errors import ValidationError
from line_braze.testing import BrazeEmulator, Faults, LineEmulator, follower_id

pytestmark = pytest.mark.integration

USER = follower_id(0)


def get_ids(session: requests.Session, line: LineEmulator) -> requests.Response:
    return session.get(
        line.url + "/v2/bot/followers/ids",
        headers={"Authorization": f"Bearer {line.access_token}"},
        timeout=5,
    )


def statuses(faults: Faults, n: int = 60) -> list[int | None]:
    recorded: list[float] = []
    with (
        LineEmulator(followers=3, faults=faults, sleep=recorded.append) as line,
        requests.Session() as s,
    ):
        for _ in range(n):
            with contextlib.suppress(requests.RequestException):
                get_ids(s, line)
        return [r.status for r in line.request_log]


def test_the_same_seed_gives_the_same_faults() -> None:
    storm = Faults(rate_limited=0.1, server_error=0.2, lost=0.1, proxy_html=0.05, seed=42)
    first = statuses(storm)
    assert first == statuses(storm)
    assert first != statuses(
        Faults(rate_limited=0.1, server_error=0.2, lost=0.1, proxy_html=0.05, seed=43)
    )
    assert {429, 200, 502, None} <= set(first)
    assert set(first) - {200, 429, 500, 502, 503, None} == set()


def test_latency_and_spikes_go_through_the_injected_sleep(
    line_emulator_factory: Callable[..., LineEmulator],
) -> None:
    recorded: list[float] = []
    line = line_emulator_factory(
        faults=Faults(latency_ms=20, spike_rate=0.5, spike_ms=100, seed=1), sleep=recorded.append
    )
    with requests.Session() as s:
        for _ in range(20):
            assert get_ids(s, line).status_code == 200
    assert len(recorded) == 20
    assert all(round(d, 6) in {0.02, 0.12} for d in recorded)
    assert 0 < sum(d > 0.1 for d in recorded) < 20


def test_faults_change_at_run_time_and_can_be_scoped(line_emulator: LineEmulator) -> None:
    with requests.Session() as s:
        line_emulator.faults = Faults(server_error=1.0, server_error_statuses=(503,))
        broken = get_ids(s, line_emulator)
        assert broken.status_code == 503
        assert broken.headers["x-line-request-id"]
        assert broken.json()["message"]
        line_emulator.faults = Faults(server_error=1.0, paths="/v2/bot/message")
        assert get_ids(s, line_emulator).status_code == 200
        line_emulator.clear_faults()
        line_emulator.queue_fault("proxy_html", count=2)
        html = get_ids(s, line_emulator)
        assert (html.status_code, html.headers["Content-Type"]) == (502, "text/html")
        assert get_ids(s, line_emulator).status_code == 502
        assert get_ids(s, line_emulator).status_code == 200


def test_bad_fault_configuration_is_refused() -> None:
    with pytest.raises(ValidationError, match="add up"):
        Faults(server_error=0.6, lost=0.6)
    with pytest.raises(ValidationError):
        Faults(server_error_statuses=(404,))
    with pytest.raises(ValidationError):
        LineEmulator().queue_fault("explode")  # type: ignore[arg-type]


def test_braze_fault_429_carries_rate_limit_headers(braze_emulator: BrazeEmulator) -> None:
    braze_emulator.faults = Faults(rate_limited=1.0, retry_after=2)
    answer = requests.post(
        braze_emulator.url + "/users/track",
        json={"attributes": [{"external_id": "u"}]},
        headers={"Authorization": f"Bearer {braze_emulator.api_key}"},
        timeout=5,
    )
    assert answer.status_code == 429
    assert answer.headers["X-Ratelimit-Retry-After"] == "2"
    assert answer.headers["X-RateLimit-Remaining"] == "0"
    assert braze_emulator.profile_count == 0


def test_truncated_answer_after_the_effect(braze_emulator: BrazeEmulator) -> None:
    braze_emulator.queue_fault("truncated", path="/users/track")
    with pytest.raises(requests.RequestException):
        requests.post(
            braze_emulator.url + "/users/track",
            json={"attributes": [{"external_id": "u"}]},
            headers={"Authorization": f"Bearer {braze_emulator.api_key}"},
            timeout=5,
        )
    assert braze_emulator.profile(external_id="u") is not None


def test_transport_retry_key_round_trip_through_a_lost_answer(line_emulator: LineEmulator) -> None:
    """The foundation's transport, the emulator's retry-key rule: one push, reported once."""
    waits: list[float] = []
    transport = Transport(
        service="line",
        base_url=line_emulator.url,
        secret=Secret(line_emulator.access_token),
        options=ClientOptions(timeout=Timeout(read=5), retry=RetryPolicy(attempts=3)),
        runtime=Runtime(sleep=waits.append),
    )
    line_emulator.queue_fault("lost", path="/v2/bot/message/push")
    try:
        answer = transport.request(
            "POST",
            "/v2/bot/message/push",
            json_body={"to": USER, "messages": [{"type": "text", "text": "hi"}]},
            headers={"X-Line-Retry-Key": str(uuid.uuid4())},
            retry=Retry.SAFE,
            conflict_ok_on_retry=True,
        )
    finally:
        transport.close()
    assert answer.status == 409
    assert answer.attempts == 2
    assert len(waits) == 1
    (push,) = line_emulator.pushes
    assert answer.accepted_request_id == push.request_id


def test_keep_alive_reuses_one_connection(line_emulator: LineEmulator) -> None:
    with requests.Session() as s:
        for _ in range(30):
            assert get_ids(s, line_emulator).status_code == 200
    assert line_emulator.connection_count == 1
    assert line_emulator.request_count == 30


def test_concurrent_pushes_with_duplicate_keys_are_recorded_once(
    line_emulator: LineEmulator,
) -> None:
    keys = [str(uuid.uuid4()) for _ in range(40)]
    body = {"to": USER, "messages": [{"type": "text", "text": "x"}]}
    headers = {"Authorization": f"Bearer {line_emulator.access_token}"}

    def send(key: str) -> int:
        answer = requests.post(
            line_emulator.url + "/v2/bot/message/push",
            json=body,
            headers={**headers, "X-Line-Retry-Key": key},
            timeout=5,
        )
        return answer.status_code

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(send, keys * 3))
    assert codes.count(200) == 40
    assert codes.count(409) == 80
    assert sorted(p.retry_key or "" for p in line_emulator.pushes) == sorted(keys)


def test_lifecycle() -> None:
    line = LineEmulator()
    with pytest.raises(RuntimeError, match="start"):
        _ = line.url
    line.start()
    url = line.url
    with pytest.raises(RuntimeError, match="already running"):
        line.start()
    with requests.Session() as s:
        assert get_ids(s, line).status_code == 200  # leaves an idle keep-alive connection
        line.stop()
        line.stop()
        with pytest.raises(requests.ConnectionError):
            s.get(url + "/v2/bot/followers/ids", timeout=2)
    with pytest.raises(RuntimeError, match="not running"):
        _ = line.port
    with line:
        assert line.running
        assert line.url != url


def test_body_over_two_megabytes_is_413(line_emulator: LineEmulator) -> None:
    answer = requests.post(
        line_emulator.url + "/v2/bot/message/push",
        data=b"x" * (2 * 1024 * 1024 + 1),
        headers={"Authorization": f"Bearer {line_emulator.access_token}"},
        timeout=5,
    )
    assert answer.status_code == 413


def test_secrets_never_show(caplog: pytest.LogCaptureFixture) -> None:
    token = "TOKEN-5f1d2c3b4a"
    secret = "CHANNEL-SECRET-9e8d7c"
    api_key = "BRAZE-KEY-1a2b3c4d"
    block = "BLOCK-CONTENT-TOKEN-77aa"
    caplog.set_level(logging.DEBUG)
    with (
        LineEmulator(access_token=token, channel_secret=secret) as line,
        BrazeEmulator(api_key=api_key) as braze,
    ):
        requests.get(
            line.url + "/v2/bot/followers/ids",
            headers={"Authorization": f"Bearer {token}"},
            timeout=5,
        )
        requests.post(
            braze.url + "/content_blocks/create",
            json={"name": "LINE_Channel_AccessToken", "content": block},
            headers={"Authorization": f"Bearer {api_key}"},
            timeout=5,
        )
        requests.post(
            braze.url + "/messages/send",
            json={
                "external_user_ids": ["u"],
                "messages": {
                    "webhook": {
                        "url": "https://x",
                        "request_method": "POST",
                        "request_headers": {"Authorization": f"Bearer {token}"},
                    }
                },
            },
            headers={"Authorization": f"Bearer {api_key}"},
            timeout=5,
        )
        delivery = line.deliver_webhook(lambda _body, _sig: None, [])
        shown = [
            repr(line),
            str(line),
            repr(braze),
            repr(line.tokens),
            repr(line.request_log),
            repr(braze.request_log),
            repr([r.headers for r in line.request_log + braze.request_log]),
            repr(braze.content_blocks),
            repr(braze.dispatches),
            repr(delivery),
            caplog.text,
        ]
    for text in shown:
        for planted in (token, secret, api_key, block):
            assert planted not in text
