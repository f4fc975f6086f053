"""The shared transport: the retry loop, wait hints, error mapping, URL checks, no leaks."""

from __future__ import annotations

import email.utils
import http.client
import logging
import random
from collections.abc import Callable
from typing import Any

import pytest
import requests
import responses
import urllib3.exceptions
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from responses import matchers
from responses.registries import OrderedRegistry

from line_braze._options import ClientOptions, Runtime
from line_braze._retry import RetryPolicy
from line_braze._secret import Secret
from line_braze._transport import (
    Retry,
    Timeout,
    Transport,
    _prepare,
    check_base_url,
    is_loopback_host,
    is_plain_url,
)
from line_braze.errors import (
    APIError,
    AuthenticationError,
    BadRequest,
    Conflict,
    ConnectError,
    ConnectionLost,
    RateLimited,
    RequestTimeout,
    ResponseError,
    ServerError,
    TransportError,
    ValidationError,
)

TOKEN = "tok-7f3a9c1e-TRANSPORT-SECRET"
BASE = "https://api.line.me"
NOW = 1_700_000_000.0
PUSH = "/v2/bot/message/push"


class SleepRecorder:
    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float, /) -> None:
        self.waits.append(seconds)


@pytest.fixture
def sleep() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
def make(sleep: SleepRecorder) -> Callable[..., Transport]:
    def build(service: str = "line", **policy: float) -> Transport:
        return Transport(
            service=service,  # type: ignore[arg-type]
            base_url=BASE,
            secret=Secret(TOKEN),
            options=ClientOptions(
                timeout=Timeout(connect=1, read=2),
                retry=RetryPolicy(wait_initial=0.5, wait_jitter=0.25, **policy),  # type: ignore[arg-type]
            ),
            runtime=Runtime(sleep=sleep, random=lambda: 0.5, clock=lambda: NOW),
        )

    return build


def _connect_refused() -> requests.ConnectionError:
    inner = urllib3.exceptions.NewConnectionError(None, "Connection refused")  # type: ignore[arg-type]
    reason = urllib3.exceptions.MaxRetryError(None, "/x", inner)  # type: ignore[arg-type]
    return requests.ConnectionError(reason)


def _connection_dropped() -> requests.ConnectionError:
    inner = http.client.RemoteDisconnected("Remote end closed connection without response")
    return requests.ConnectionError(urllib3.exceptions.ProtocolError("Connection aborted.", inner))


def _assert_no_token(*texts: object) -> None:
    for text in texts:
        assert TOKEN not in str(text)


# --- the retry loop -----------------------------------------------------------------


@responses.activate(registry=OrderedRegistry)
def test_503_503_200_retries_with_the_same_headers_and_recorded_waits(
    make: Callable[..., Transport], sleep: SleepRecorder, caplog: pytest.LogCaptureFixture
) -> None:
    key = "123e4567-e89b-12d3-a456-426614174000"
    expected = matchers.header_matcher(
        {"X-Line-Retry-Key": key, "Authorization": "Bearer " + TOKEN}
    )
    responses.post(BASE + PUSH, status=503, json={"message": "busy"}, match=[expected])
    responses.post(BASE + PUSH, status=503, json={"message": "busy"}, match=[expected])
    responses.post(
        BASE + PUSH,
        json={"sentMessages": [{"id": "1"}]},
        headers={"x-line-request-id": "req-3"},
        match=[expected, matchers.json_params_matcher({"to": "U1"})],
    )
    caplog.set_level(logging.DEBUG, logger="line_braze")

    resp = make().request("POST", PUSH, json_body={"to": "U1"}, headers={"X-Line-Retry-Key": key})

    assert resp.status == 200
    assert resp.attempts == 3
    assert resp.request_id == "req-3"
    assert resp.body == {"sentMessages": [{"id": "1"}]}
    assert len(responses.calls) == 3
    assert {c.request.headers["X-Line-Retry-Key"] for c in responses.calls} == {key}
    # wait_initial * 2**(n-1) + jitter * random(), random() = 0.5
    assert sleep.waits == [0.5 + 0.125, 1.0 + 0.125]
    retry_lines = [r for r in caplog.records if "retrying" in r.getMessage()]
    assert len(retry_lines) == 2
    assert "503" in retry_lines[0].getMessage()
    _assert_no_token(*(r.getMessage() for r in caplog.records))


@responses.activate(registry=OrderedRegistry)
def test_retries_stop_at_the_policy_and_report_attempts(
    make: Callable[..., Transport], sleep: SleepRecorder
) -> None:
    for _ in range(3):
        responses.get(BASE + "/v2/bot/info", status=500, json={"message": "oops"})
    with pytest.raises(ServerError) as info:
        make(attempts=3).request("GET", "/v2/bot/info")
    assert info.value.attempts == 3
    assert len(sleep.waits) == 2
    assert "attempts=3" in str(info.value)


@responses.activate(registry=OrderedRegistry)
def test_retry_after_seconds_replaces_the_backoff(
    make: Callable[..., Transport], sleep: SleepRecorder
) -> None:
    responses.get(BASE + "/x", status=429, headers={"Retry-After": "7"}, json={"message": "slow"})
    responses.get(BASE + "/x", json={})
    make().request("GET", "/x")
    assert sleep.waits == [7.0]


@responses.activate(registry=OrderedRegistry)
def test_retry_after_http_date_is_read_against_the_injected_clock(
    make: Callable[..., Transport], sleep: SleepRecorder
) -> None:
    when = email.utils.formatdate(NOW + 12, usegmt=True)
    responses.get(BASE + "/x", status=503, headers={"Retry-After": when})
    responses.get(BASE + "/x", json={})
    make().request("GET", "/x")
    assert sleep.waits == [12.0]


@responses.activate(registry=OrderedRegistry)
def test_retry_after_above_the_cap_raises_rate_limited_without_waiting(
    make: Callable[..., Transport], sleep: SleepRecorder
) -> None:
    responses.get(BASE + "/x", status=429, headers={"Retry-After": "600"}, json={"message": "q"})
    with pytest.raises(RateLimited) as info:
        make(max_retry_after=60).request("GET", "/x")
    err = info.value
    assert sleep.waits == []
    assert len(responses.calls) == 1
    assert err.retry_after == 600.0
    assert err.attempts == 1
    assert "600s" in str(err)
    assert "max_retry_after=60s" in str(err)


@responses.activate(registry=OrderedRegistry)
def test_429_without_hint_backs_off_on_its_own_schedule(
    make: Callable[..., Transport], sleep: SleepRecorder
) -> None:
    responses.get(BASE + "/x", status=429, json={"message": "Too many requests"})
    responses.get(BASE + "/x", json={"ok": True})
    assert make().request("GET", "/x").body == {"ok": True}
    assert sleep.waits == [0.625]


# --- what each Retry mode retries ---------------------------------------------------


FAILURES: dict[str, Callable[[], Exception]] = {
    "connect": _connect_refused,
    "connect-timeout": lambda: requests.ConnectTimeout("connect timed out"),
    "read-timeout": lambda: requests.ReadTimeout("read timed out"),
    "lost": _connection_dropped,
}
ERROR_TYPE: dict[str, type[TransportError]] = {
    "connect": ConnectError,
    "connect-timeout": ConnectError,
    "read-timeout": RequestTimeout,
    "lost": ConnectionLost,
}
RETRIED: dict[Retry, set[str]] = {
    Retry.SAFE: {"connect", "connect-timeout", "read-timeout", "lost"},
    Retry.UNRECORDED: {"connect", "connect-timeout"},
    Retry.NEVER: set(),
}


@pytest.mark.parametrize("mode", list(Retry))
@pytest.mark.parametrize("failure", list(FAILURES))
@responses.activate(registry=OrderedRegistry)
def test_transport_failures_are_typed_and_retried_only_when_safe(
    make: Callable[..., Transport], sleep: SleepRecorder, mode: Retry, failure: str
) -> None:
    responses.post(BASE + "/x", body=FAILURES[failure]())
    responses.post(BASE + "/x", json={"done": True})
    transport = make()
    if failure in RETRIED[mode]:
        resp = transport.request("POST", "/x", json_body={}, retry=mode)
        assert resp.attempts == 2
        assert len(sleep.waits) == 1
    else:
        with pytest.raises(ERROR_TYPE[failure]) as info:
            transport.request("POST", "/x", json_body={}, retry=mode)
        err = info.value
        assert err.attempts == 1
        assert sleep.waits == []
        assert err.may_have_taken_effect is (ERROR_TYPE[failure] is not ConnectError)
        assert str(err).startswith("LINE POST /x: ")
        _assert_no_token(str(err), repr(err), err.__cause__, err.__context__)


@pytest.mark.parametrize(
    ("mode", "status", "retried"),
    [
        (Retry.SAFE, 503, True),
        (Retry.SAFE, 429, True),
        (Retry.UNRECORDED, 429, True),
        (Retry.UNRECORDED, 503, False),
        (Retry.UNRECORDED, 500, False),
        (Retry.NEVER, 429, False),
        (Retry.NEVER, 503, False),
        (Retry.SAFE, 400, False),
        (Retry.SAFE, 404, False),
    ],
)
@responses.activate(registry=OrderedRegistry)
def test_statuses_are_retried_only_when_the_mode_allows(
    make: Callable[..., Transport], sleep: SleepRecorder, mode: Retry, status: int, retried: bool
) -> None:
    responses.post(BASE + "/x", status=status, json={"message": "no"})
    responses.post(BASE + "/x", json={})
    if retried:
        assert make().request("POST", "/x", retry=mode).attempts == 2
    else:
        with pytest.raises(APIError) as info:
            make().request("POST", "/x", retry=mode)
        assert info.value.status == status
        assert len(responses.calls) == 1


@responses.activate(registry=OrderedRegistry)
def test_connect_errors_exhaust_into_a_connect_error_with_the_count(
    make: Callable[..., Transport], sleep: SleepRecorder
) -> None:
    for _ in range(2):
        responses.get(BASE + "/x", body=_connect_refused())
    with pytest.raises(ConnectError) as info:
        make(attempts=2).request("GET", "/x")
    assert info.value.attempts == 2
    assert str(info.value) == "LINE GET /x: connection failed (attempts=2)"
    assert info.value.may_have_taken_effect is False


# --- 409 on a retried send ----------------------------------------------------------


@responses.activate(registry=OrderedRegistry)
def test_409_after_a_retry_is_success_when_asked(make: Callable[..., Transport]) -> None:
    responses.post(BASE + PUSH, body=requests.ReadTimeout("lost"))
    responses.post(
        BASE + PUSH,
        status=409,
        json={"message": "The retry key is already accepted"},
        headers={"x-line-request-id": "req-2", "x-line-accepted-request-id": "req-1"},
    )
    resp = make().request("POST", PUSH, json_body={}, conflict_ok_on_retry=True)
    assert resp.status == 409
    assert resp.accepted_request_id == "req-1"
    assert resp.request_id == "req-2"


@responses.activate
def test_409_on_the_first_attempt_is_a_conflict_naming_the_accepted_request(
    make: Callable[..., Transport],
) -> None:
    responses.post(
        BASE + PUSH,
        status=409,
        json={"message": "The retry key is already accepted"},
        headers={"x-line-request-id": "req-9", "x-line-accepted-request-id": "req-1"},
    )
    with pytest.raises(Conflict) as info:
        make().request("POST", PUSH, json_body={}, conflict_ok_on_retry=True)
    assert info.value.accepted_request_id == "req-1"
    assert "accepted_request_id=req-1" in str(info.value)


# --- error bodies and messages ------------------------------------------------------


@responses.activate
def test_line_error_str_is_one_actionable_line(make: Callable[..., Transport]) -> None:
    responses.post(
        BASE + PUSH,
        status=400,
        json={
            "message": "The request body has 1 error(s)",
            "details": [{"message": "May not be empty", "property": "messages[0].text"}],
        },
        headers={"x-line-request-id": "abc"},
    )
    with pytest.raises(BadRequest) as info:
        make().request("POST", PUSH, json_body={"messages": []}, params={"q": TOKEN})
    err = info.value
    assert str(err) == (
        "LINE POST /v2/bot/message/push -> 400: May not be empty "
        "(messages[0].text) (request_id=abc, attempts=1)"
    )
    assert err.details == [{"message": "May not be empty", "property": "messages[0].text"}]
    assert "\n" not in str(err)
    _assert_no_token(str(err), repr(err), vars(err))


@responses.activate
def test_oauth_error_body_becomes_the_message(make: Callable[..., Transport]) -> None:
    responses.post(
        BASE + "/v2/oauth/accessToken",
        status=400,
        json={"error": "invalid_client", "error_description": "invalid client_secret"},
    )
    with pytest.raises(BadRequest) as info:
        make().request("POST", "/v2/oauth/accessToken", form={"a": "b"}, auth=False)
    assert info.value.message == "invalid client_secret"
    assert "Authorization" not in responses.calls[0].request.headers


@responses.activate
def test_html_error_page_from_a_proxy_is_described_not_dumped(
    make: Callable[..., Transport],
) -> None:
    page = "<html><body><h1>502 Bad Gateway</h1>" + "x" * 500 + "</body></html>"
    responses.get(BASE + "/x", status=502, body=page, content_type="text/html")
    with pytest.raises(ServerError) as info:
        make(attempts=1).request("GET", "/x")
    text = str(info.value)
    assert "Bad Gateway (body is not JSON: text/html" in text
    assert "<html>" not in text
    assert len(text) < 200


@responses.activate
def test_non_json_success_is_a_response_error(make: Callable[..., Transport]) -> None:
    responses.get(BASE + "/x", status=200, body="<html>captive portal</html>")
    with pytest.raises(ResponseError) as info:
        make().request("GET", "/x")
    assert str(info.value).startswith("LINE GET /x -> 200: answer is not JSON")


@responses.activate
def test_truncated_json_is_a_response_error(make: Callable[..., Transport]) -> None:
    responses.get(BASE + "/x", body='{"userIds": ["U1", "U2"', content_type="application/json")
    with pytest.raises(ResponseError):
        make().request("GET", "/x")


@responses.activate
def test_empty_success_body_is_none(make: Callable[..., Transport]) -> None:
    responses.post(BASE + "/v2/oauth/revoke", body="")
    assert make().request("POST", "/v2/oauth/revoke", form={"access_token": "x"}).body is None


@responses.activate
def test_401_has_the_default_hint_and_hides_the_token(
    make: Callable[..., Transport], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    responses.get(BASE + "/x", status=401, json={"message": "Authentication failed"})
    with pytest.raises(AuthenticationError) as info:
        make().request("GET", "/x")
    assert "check the channel access token" in str(info.value)
    _assert_no_token(str(info.value), repr(info.value), vars(info.value), caplog.text)


@responses.activate
def test_a_hint_for_the_status_is_appended(make: Callable[..., Transport]) -> None:
    responses.get(BASE + "/x", status=403, json={"message": "Access to this API is not available"})
    with pytest.raises(APIError) as info:
        make().request("GET", "/x", hints={403: "only verified accounts"})
    assert str(info.value).endswith("; only verified accounts")


@responses.activate
def test_requests_carry_timeouts_user_agent_and_no_redirects(
    make: Callable[..., Transport],
) -> None:
    responses.get(BASE + "/x", status=302, headers={"Location": "http://evil.example/x"})
    with pytest.raises(APIError) as info:
        make().request("GET", "/x")
    assert info.value.status == 302
    assert len(responses.calls) == 1
    sent = responses.calls[0].request
    assert sent.headers["User-Agent"].startswith("line-braze/")
    assert sent.req_kwargs["timeout"] == (1, 2)  # type: ignore[attr-defined]


# --- URLs --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["http://api.line.me", "http://10.0.0.1:8080", "http://example.com/", "http://127.example.com"],
)
def test_plain_http_to_a_real_host_is_refused(url: str) -> None:
    with pytest.raises(ValidationError) as info:
        check_base_url(url)
    assert "plain http is allowed only for loopback hosts" in str(info.value)


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9000", "http://127.1.2.3"],
)
def test_plain_http_to_loopback_is_accepted(url: str) -> None:
    assert check_base_url(url + "/") == url


@pytest.mark.parametrize(
    "url", ["api.line.me", "ftp://api.line.me", "https://u:p@api.line.me", "https://h/?q=1", ""]
)
def test_malformed_base_urls_are_refused(url: str) -> None:
    with pytest.raises(ValidationError):
        check_base_url(url)


@settings(max_examples=50, deadline=None)
@given(st.ip_addresses(v=4))
def test_loopback_is_exactly_127_slash_8(address: object) -> None:
    assert is_loopback_host(str(address)) == str(address).startswith("127.")


_PARAM_VALUES = st.one_of(
    st.none(),
    st.text(max_size=8),
    st.integers(),
    st.lists(st.one_of(st.none(), st.text(max_size=5)), max_size=3),
)


@settings(max_examples=150, deadline=None)
@given(
    path=st.text(alphabet="abcXYZ019-._~/ %é?", max_size=20),
    params=st.none() | st.dictionaries(st.text(min_size=1, max_size=6), _PARAM_VALUES, max_size=4),
    body=st.none() | st.binary(max_size=30) | st.text(alphabet="ab=&%+", max_size=20),
    method=st.sampled_from(["GET", "POST", "DELETE", "PUT"]),
)
def test_the_direct_path_prepares_what_requests_prepares(
    path: str, params: dict[str, Any] | None, body: bytes | str | None, method: str
) -> None:
    """Our own session skips `prepare_request`; the request sent must not change."""
    session = requests.Session()
    session.trust_env = False
    url = BASE + "/" + path
    assume(is_plain_url(url))  # any other URL takes requests' own path
    headers = {"User-Agent": "ua", "Accept": "application/json", "Authorization": "Bearer t"}
    ours = _prepare(method, url, params, body, headers, session)
    theirs = session.prepare_request(
        requests.Request(method, url, params=params, data=body, headers=headers)
    )
    assert (ours.method, ours.url, ours.body) == (theirs.method, theirs.url, theirs.body)
    assert dict(ours.headers) == dict(theirs.headers)


def test_a_hook_on_the_client_session_sends_through_requests(
    make: Callable[..., Transport],
) -> None:
    """Something `prepare_request` would merge (a hook here) keeps requests' own path."""
    transport = make()
    seen: list[str] = []
    transport.session.hooks["response"].append(lambda r, **_: seen.append(r.url))
    with responses.RequestsMock() as mock:
        mock.get(BASE + "/x", json={})
        transport.request("GET", "/x")
    assert seen == [BASE + "/x"]


@responses.activate
def test_default_jitter_leaves_the_global_random_state_alone(sleep: SleepRecorder) -> None:
    """A retry in a background thread must not move `random`'s state under the caller
    (a seeded simulation, or Hypothesis drawing examples, would see it change)."""
    responses.post(BASE + PUSH, status=503, json={"message": "busy"})
    responses.post(BASE + PUSH, json={"sentMessages": [{"id": "1"}]})
    transport = Transport(
        service="line",
        base_url=BASE,
        secret=Secret(TOKEN),
        options=ClientOptions(retry=RetryPolicy(wait_initial=0.5, wait_jitter=0.25)),
        runtime=Runtime(sleep=sleep, clock=lambda: NOW),
    )
    state = random.getstate()
    assert transport.request("POST", PUSH, json_body={"to": "U1"}).attempts == 2
    assert random.getstate() == state
    [wait] = sleep.waits
    assert 0.5 <= wait < 0.75  # still jittered
