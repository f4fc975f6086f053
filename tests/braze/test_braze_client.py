"""BrazeClient: endpoints, construction, from_env, options, repr and the key's secrecy."""

from __future__ import annotations

import logging
import pickle
import re
import threading

import pytest
import responses
from hypothesis import given, settings
from hypothesis import strategies as st

from line_braze._secret import Secret
from line_braze._transport import Timeout
from line_braze.braze import BRAZE_INSTANCES, BrazeClient, RateLimit, resolve_rest_endpoint
from line_braze.braze._ratelimit import RateLimiter
from line_braze.errors import AuthenticationError, ValidationError

KEY = "braze-KEY-5ecret-77aa88bb99cc"


@pytest.mark.parametrize(
    ("given_", "expected"),
    [
        ("US-01", "https://rest.iad-01.braze.com"),
        ("us-08", "https://rest.iad-08.braze.com"),
        ("US-10", "https://rest.us-10.braze.com"),
        ("eu-01", "https://rest.fra-01.braze.eu"),
        ("EU-02", "https://rest.fra-02.braze.eu"),
        ("AU-01", "https://rest.au-01.braze.com"),
        ("ID-01", "https://rest.id-01.braze.com"),
        ("JP-01", "https://rest.jp-01.braze.com"),
        ("kr-01", "https://rest.kr-01.braze.com"),
        (" US-03 ", "https://rest.iad-03.braze.com"),
        ("https://rest.iad-05.braze.com/", "https://rest.iad-05.braze.com"),
        ("https://REST.fra-02.braze.eu", "https://rest.fra-02.braze.eu"),
        ("https://rest.newcluster-9.braze.com", "https://rest.newcluster-9.braze.com"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("http://localhost:1234", "http://localhost:1234"),
    ],
)
def test_accepted_endpoints(given_: str, expected: str) -> None:
    assert resolve_rest_endpoint(given_) == expected


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        ("US-09", "not a known Braze instance"),
        ("", "must not be empty"),
        ("http://rest.iad-01.braze.com", "use https://rest.iad-01.braze.com"),
        ("https://api.example.com", "not a Braze REST host"),
        ("https://rest.iad-01.braze.com.evil.example", "not a Braze REST host"),
        ("https://dashboard-01.braze.com", "not a Braze REST host"),
        ("https://rest.iad-01.braze.com/api", "without a path"),
        ("ftp://rest.iad-01.braze.com", "absolute https"),
    ],
)
def test_refused_endpoints_say_what_to_do(bad: str, words: str) -> None:
    with pytest.raises(ValidationError) as info:
        BrazeClient(KEY, rest_endpoint=bad)
    assert info.value.field == "rest_endpoint"
    assert words in str(info.value)


def test_every_instance_is_https_braze() -> None:
    assert len(BRAZE_INSTANCES) == 15
    assert "US-09" not in BRAZE_INSTANCES
    for url in BRAZE_INSTANCES.values():
        assert resolve_rest_endpoint(url) == url


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40))
def test_arbitrary_text_is_refused_or_a_braze_url(text: str) -> None:
    try:
        url = resolve_rest_endpoint(text)
    except ValidationError:
        return
    assert url in BRAZE_INSTANCES.values()


def test_rest_endpoint_is_required() -> None:
    with pytest.raises(TypeError):
        BrazeClient(KEY)  # type: ignore[call-arg]


@pytest.mark.parametrize("bad", ["", " key", "key\n"])
def test_bad_key_refused(bad: str) -> None:
    with pytest.raises(ValidationError) as info:
        BrazeClient(bad, rest_endpoint="US-01")
    assert info.value.field == "api_key"


def test_contradictory_options_fail_at_construction() -> None:
    with pytest.raises(ValidationError, match="pool_size"):
        BrazeClient(KEY, rest_endpoint="US-01", max_concurrency=16, pool_size=8)
    with pytest.raises(ValidationError, match="batch_size"):
        BrazeClient(KEY, rest_endpoint="US-01", batch_size=0)
    with pytest.raises(ValidationError, match="batch_size"):
        BrazeClient(KEY, rest_endpoint="US-01", batch_size=226)
    with pytest.raises(ValidationError, match="max_concurrency"):
        BrazeClient(KEY, rest_endpoint="US-01", max_concurrency=0)
    with pytest.raises(ValidationError, match="RateLimit"):
        RateLimit(10, per=0)


def test_from_env() -> None:
    env = {"BRAZE_API_KEY": KEY, "BRAZE_REST_ENDPOINT": "JP-01"}
    braze = BrazeClient.from_env(env, max_concurrency=2)
    assert braze.base_url == "https://rest.jp-01.braze.com"
    assert braze.max_concurrency == 2
    with pytest.raises(ValidationError) as info:
        BrazeClient.from_env({"BRAZE_REST_ENDPOINT": "US-01"})
    assert info.value.field == "BRAZE_API_KEY"
    with pytest.raises(ValidationError) as info:
        BrazeClient.from_env({"BRAZE_API_KEY": KEY, "BRAZE_REST_ENDPOINT": "mars"})
    assert info.value.field == "BRAZE_REST_ENDPOINT"
    with pytest.raises(ValidationError) as info:
        BrazeClient.from_env({"BRAZE_API_KEY": KEY + "\n", "BRAZE_REST_ENDPOINT": "US-01"})
    assert KEY not in str(info.value)


def test_from_env_reads_os_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRAZE_API_KEY", KEY)
    monkeypatch.setenv("BRAZE_REST_ENDPOINT", "https://rest.iad-02.braze.com")
    assert BrazeClient.from_env().base_url == "https://rest.iad-02.braze.com"


def test_services_and_with_options_share_session_and_limiter() -> None:
    braze = BrazeClient(Secret(KEY), rest_endpoint="US-02", max_concurrency=3, batch_size=50)
    fast = braze.with_options(timeout=Timeout(read=5))
    assert fast.session is braze.session
    assert fast._limiter is braze._limiter
    assert fast.max_concurrency == 3
    assert fast.batch_size == 50
    assert fast.timeout.read == 5
    for name in ("users", "content_blocks", "messages", "campaigns", "canvas", "sends"):
        assert getattr(fast, name)._transport is fast._transport


def test_repr_and_vars_never_show_the_key() -> None:
    braze = BrazeClient(KEY, rest_endpoint="US-01")
    assert repr(braze).startswith("<BrazeClient base_url='https://rest.iad-01.braze.com'")
    for text in (repr(braze), str(braze), repr(vars(braze)), repr(vars(braze._transport))):
        assert KEY not in text
    with pytest.raises(TypeError):
        pickle.dumps(braze._transport.secret)


@responses.activate
def test_401_hint_and_key_absent_from_errors_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    responses.add(
        responses.GET,
        "https://rest.iad-01.braze.com/content_blocks/info",
        status=401,
        json={"message": "Unauthorized"},
    )
    braze = BrazeClient(KEY, rest_endpoint="US-01")
    with pytest.raises(AuthenticationError) as info:
        braze.content_blocks.get("x")
    assert "instance" in str(info.value)
    assert responses.calls[0].request.headers["Authorization"] == "Bearer " + KEY
    for text in (str(info.value), repr(info.value), repr(vars(info.value)), caplog.text):
        assert KEY not in text


def test_close_only_closes_own_session() -> None:
    import requests

    mine = requests.Session()
    with BrazeClient(KEY, rest_endpoint="US-01", session=mine) as braze:
        assert braze.session is mine
    assert mine.adapters  # still usable
    mine.close()


class TestRateLimiter:
    def make(self, limit: RateLimit) -> tuple[RateLimiter, list[float], list[float]]:
        now = [1_700_000_000.0]
        waits: list[float] = []

        def sleep(seconds: float) -> None:
            waits.append(seconds)
            now[0] += seconds

        return RateLimiter(limit, clock=lambda: now[0], sleep=sleep), waits, now

    def test_sliding_window(self) -> None:
        limiter, waits, now = self.make(RateLimit(3, per=3.0))
        for _ in range(3):
            limiter.acquire()
        assert waits == []
        now[0] += 1.0
        limiter.acquire()
        assert waits == [2.0]

    @pytest.mark.parametrize("epoch", [True, False])
    def test_remaining_zero_pauses_until_reset(self, epoch: bool) -> None:
        from requests.structures import CaseInsensitiveDict

        limiter, waits, now = self.make(RateLimit(1000))
        reset = str(int(now[0]) + 5) if epoch else "5"
        limiter.observe(
            CaseInsensitiveDict({"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset})
        )
        limiter.acquire()
        assert waits == [5.0]

    def test_remaining_positive_does_not_pause(self) -> None:
        from requests.structures import CaseInsensitiveDict

        limiter, waits, _ = self.make(RateLimit(1000))
        limiter.observe(
            CaseInsensitiveDict({"X-RateLimit-Remaining": "3", "X-RateLimit-Reset": "9"})
        )
        limiter.observe(CaseInsensitiveDict({"X-RateLimit-Remaining": "junk"}))
        limiter.acquire()
        assert waits == []

    def test_pause_is_capped(self) -> None:
        limiter, waits, _ = self.make(RateLimit(1000))
        limiter.pause(10_000)
        limiter.pause(float("nan"))
        limiter.acquire()
        assert waits == [60.0]

    def test_threads_share_one_window(self) -> None:
        lock = threading.Lock()
        now = [0.0]
        waits: list[float] = []

        def sleep(seconds: float) -> None:
            with lock:
                waits.append(seconds)
                now[0] += 0.25

        limiter = RateLimiter(RateLimit(5, per=1.0), clock=lambda: now[0], sleep=sleep)

        def work() -> None:
            for _ in range(5):
                limiter.acquire()

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        # 20 starts at 5 a second cannot all happen before 3 seconds have passed
        assert now[0] >= 3.0
        assert all(w > 0 for w in waits)


@pytest.mark.parametrize(
    "bad",
    [
        "http://api.example.com",
        "http://rest.iad-01.braze.com",
        "http://rest.iad-01.braze.com:8080/x",
        "https://rest.iad-01.braze.com/path",
        "https://rest.iad-01.braze.com:8443",
    ],
)
def test_a_url_the_error_suggests_is_accepted(bad: str) -> None:
    with pytest.raises(ValidationError) as info:
        resolve_rest_endpoint(bad)
    suggested = [u for u in re.findall(r"https://[^\s,()]+", str(info.value)) if "<" not in u]
    for url in suggested:
        assert resolve_rest_endpoint(url) == url
