"""Configuration that could never work is refused when the client is built, before any request.

A credential that cannot be an HTTP header value, a base URL with whitespace or control
characters, a timeout that is not a finite, sane number of seconds and wrongly typed retry
settings each raise `ValidationError` naming the field, at construction: no retry loop, no
socket. Plain http is allowed for loopback hosts only, and only ``localhost``, 127.0.0.0/8 and
``::1`` are loopback.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests
import responses
from hypothesis import given
from hypothesis import strategies as st

from line_braze import BrazeClient, ClientOptions, LineClient, RetryPolicy, Secret, Timeout
from line_braze._secret import as_secret
from line_braze._transport import check_base_url, is_loopback_host
from line_braze.errors import ValidationError
from line_braze.testing import fake_time

pytestmark = pytest.mark.reliability

BAD_TOKENS = [
    "tok\ren-value",
    "tok\nen-value",
    "tok\r\nX-Injected: 1",
    "tok\x00en-value",
    "tok\x1ben-value",
    "tok\x7fen-value",
    "tok\ten-value",
    "tok en-value",
    "tökén-value",
    "token-value\u2028",
    "token\u00a0value",
    " token-value",
    "token-value\n",
]


@pytest.fixture
def no_http() -> Any:
    """A `responses` registry with nothing registered: any request at all fails the test."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock
    assert len(mock.calls) == 0


@pytest.mark.parametrize("token", BAD_TOKENS, ids=repr)
def test_a_credential_that_cannot_be_a_header_value_is_refused_at_construction(
    token: str, no_http: responses.RequestsMock
) -> None:
    for build, field in (
        (LineClient, "channel_access_token"),
        (lambda value: LineClient(Secret(value)), "channel_access_token"),
        (lambda value: BrazeClient(value, rest_endpoint="US-01"), "api_key"),
        (lambda value: BrazeClient(Secret(value), rest_endpoint="US-01"), "api_key"),
    ):
        with pytest.raises(ValidationError) as info:
            build(token)
        assert info.value.field == field
        assert token.strip() not in str(info.value)
    line = LineClient("good-token-value")
    with pytest.raises(ValidationError) as swap:
        line.set_channel_access_token(token)
    assert swap.value.field == "channel_access_token"
    with pytest.raises(ValidationError):
        line.tokens.verify(token)
    with pytest.raises(ValidationError):
        line.tokens.issue_short_lived("1656789012", token)


@pytest.mark.parametrize(
    "url",
    [
        " https://api.line.me",
        "https://api.line.me ",
        "https://api.line.me\n",
        "https://api.line.me/\t",
        "https://api.li\nne.me",
        "https://api.line.me/v2\x00",
        "https://api.line.me/a b",
        "https://api.line.me\x7f",
        "http://127.0.0.1:8080\r\n",
    ],
    ids=repr,
)
def test_a_base_url_with_whitespace_or_control_characters_is_refused(url: str) -> None:
    with pytest.raises(ValidationError) as info:
        LineClient("token", base_url=url)
    assert info.value.field == "base_url"
    with pytest.raises(ValidationError) as data_info:
        LineClient("token", data_base_url=url)
    assert data_info.value.field == "data_base_url"
    if url.strip().startswith("https://api.line.me"):
        braze_url = url.replace("api.line.me", "rest.iad-01.braze.com")
        with pytest.raises(ValidationError) as braze_info:
            BrazeClient("key", rest_endpoint=braze_url)
        assert braze_info.value.field == "rest_endpoint"


@pytest.mark.parametrize(
    "host",
    [
        "evil.localhost",
        "localhost.evil.example",
        "localhost.",
        "127.0.0.1.nip.io",
        "10.0.0.1",
        "::ffff:127.0.0.1",
        "0.0.0.0",  # noqa: S104 - the point is that it is refused
        "::",
    ],
)
def test_only_localhost_127_8_and_ipv6_1_are_loopback(host: str) -> None:
    assert not is_loopback_host(host)
    shown = f"[{host}]" if ":" in host else host
    with pytest.raises(ValidationError):
        LineClient("token", base_url=f"http://{shown}:8080")
    with pytest.raises(ValidationError):
        BrazeClient("key", rest_endpoint=f"http://{shown}:8080")


@pytest.mark.parametrize("host", ["localhost", "LOCALHOST", "127.0.0.1", "127.9.8.7", "[::1]"])
def test_real_loopback_hosts_may_use_plain_http(host: str) -> None:
    assert LineClient("token", base_url=f"http://{host}:8080").base_url.startswith("http://")
    assert BrazeClient("key", rest_endpoint=f"http://{host}:8080").base_url.startswith("http://")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"read": float("inf")},
        {"connect": float("inf")},
        {"read": float("nan")},
        {"read": -1},
        {"read": 0},
        {"read": 1e9},
        {"connect": 86_400},
        {"read": "5"},
        {"read": True},
        {"connect": None},
    ],
    ids=repr,
)
def test_non_finite_absurd_or_mistyped_timeouts_are_refused(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as info:
        Timeout(**kwargs)
    assert info.value.field == f"Timeout.{next(iter(kwargs))}"


def test_sane_timeouts_are_kept() -> None:
    assert Timeout(connect=1, read=3600).as_requests() == (1, 3600)
    assert Timeout(connect=0.05, read=2.5).as_requests() == (0.05, 2.5)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"attempts": "3"},
        {"attempts": 2.5},
        {"attempts": True},
        {"attempts": None},
        {"wait_initial": "1"},
        {"wait_max": None},
        {"wait_jitter": False},
        {"exp_base": "2"},
        {"max_retry_after": [1]},
        {"retry_statuses": 503},
        {"retry_statuses": "503"},
        {"retry_statuses": ["503"]},
        {"retry_statuses": [503.0]},
        {"retry_statuses": [True]},
        {"retry_statuses": [200]},
        {"retry_statuses": [99]},
    ],
    ids=repr,
)
def test_wrongly_typed_retry_settings_are_refused(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as info:
        RetryPolicy(**kwargs)
    assert info.value.field == f"RetryPolicy.{next(iter(kwargs))}"


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("timeout", 5),
        ("timeout", (1, 2)),
        ("retry", 3),
        ("retry", "never"),
        ("session", "a session"),
        ("pool_size", "32"),
        ("pool_size", True),
        ("pool_size", 2.5),
        ("pool_size", 0),
        ("options", {"timeout": 5}),
    ],
    ids=repr,
)
def test_wrongly_typed_client_options_are_refused_at_construction(
    option: str, value: Any, no_http: responses.RequestsMock
) -> None:
    with pytest.raises(ValidationError) as info:
        LineClient("token", **{option: value})
    assert info.value.field == option
    with pytest.raises(ValidationError) as braze_info:
        BrazeClient("key", rest_endpoint="US-01", **{option: value})
    assert braze_info.value.field == option


@pytest.mark.parametrize(
    ("option", "value"),
    [("timeout", 5), ("retry", "never"), ("session", "a session"), ("pool_size", "32")],
    ids=repr,
)
def test_wrongly_typed_client_options_are_refused_by_client_options(
    option: str, value: Any
) -> None:
    with pytest.raises(ValidationError) as info:
        ClientOptions(**{option: value})
    assert info.value.field == option


def test_keywords_take_precedence_over_the_options_object(no_http: responses.RequestsMock) -> None:
    options = ClientOptions(timeout=Timeout(read=7), retry=RetryPolicy(attempts=2), pool_size=40)
    line = LineClient("token", options=options, retry=RetryPolicy(attempts=5))
    assert line.timeout == Timeout(read=7)
    assert line.retry == RetryPolicy(attempts=5)
    assert line.options.pool_size == 40
    braze = BrazeClient("key", rest_endpoint="US-01", options=options, max_concurrency=40)
    assert braze.timeout == Timeout(read=7)
    with pytest.raises(ValidationError) as info:
        BrazeClient("key", rest_endpoint="US-01", options=options, max_concurrency=41)
    assert info.value.field == "pool_size"


def test_from_env_forwards_every_option(no_http: responses.RequestsMock) -> None:
    options = ClientOptions(timeout=Timeout(read=7), pool_size=40)
    session = requests.Session()
    env = {
        "LINE_CHANNEL_ACCESS_TOKEN": "token",
        "BRAZE_API_KEY": "key",
        "BRAZE_REST_ENDPOINT": "US-01",
    }
    line = LineClient.from_env(env, options=options, retry=RetryPolicy(attempts=2))
    assert (line.timeout, line.retry, line.options.pool_size) == (
        Timeout(read=7),
        RetryPolicy(attempts=2),
        40,
    )
    braze = BrazeClient.from_env(env, options=options, session=session, max_concurrency=40)
    assert (braze.timeout, braze.session, braze.max_concurrency) == (Timeout(read=7), session, 40)
    assert BrazeClient.from_env(env, max_concurrency=64).options.pool_size == 64
    with pytest.raises(ValidationError) as info:
        BrazeClient.from_env(env, timeout=5)  # type: ignore[arg-type]
    assert info.value.field == "timeout"


@pytest.mark.parametrize(("seam", "value"), [("sleep", 1), ("random", 0.5), ("clock", "now")])
def test_fake_time_refuses_what_is_not_callable(seam: str, value: Any) -> None:
    with pytest.raises(ValidationError) as info:
        fake_time(LineClient("token"), **{seam: value})
    assert info.value.field == seam


@pytest.mark.parametrize("seam", ["sleep", "random", "clock"])
def test_the_test_seams_are_not_constructor_keywords(seam: str) -> None:
    seams: dict[str, Any] = {seam: lambda *_: 0.0}
    with pytest.raises(TypeError):
        LineClient("token", **seams)
    with pytest.raises(TypeError):
        BrazeClient("key", rest_endpoint="US-01", **seams)


@pytest.mark.parametrize(("option", "value"), [("timeout", 5), ("retry", 3)])
def test_with_options_refuses_wrongly_typed_options(option: str, value: Any) -> None:
    line = LineClient("token")
    with pytest.raises(ValidationError) as info:
        line.with_options(**{option: value})
    assert info.value.field == option


@given(st.text(max_size=40))
def test_any_credential_accepted_is_a_valid_header_value(text: str) -> None:
    refused: str | None
    try:
        secret = as_secret(text, name="channel_access_token")
    except ValidationError as err:
        refused = err.field
    else:
        refused = None
    if refused is not None:
        assert refused == "channel_access_token"
        return
    value = "Bearer " + secret.reveal()
    requests.utils.check_header_validity(("Authorization", value))
    assert value.encode("ascii").decode("ascii") == value
    assert value == value.strip()


@given(st.text(max_size=60))
def test_any_base_url_is_accepted_or_refused_with_a_validation_error(url: str) -> None:
    refused: str | None
    try:
        checked = check_base_url(url)
    except ValidationError as err:
        refused = err.field
    else:
        refused = None
    if refused is not None:
        assert refused == "base_url"
        return
    assert not any(ch.isspace() or not ch.isprintable() for ch in checked)
    assert checked.startswith(("https://", "http://"))


def test_fake_time_reaches_clients_made_with_with_options() -> None:
    waits: list[float] = []
    line = fake_time(LineClient("token"), sleep=waits.append, random=lambda: 0.0)
    copy = line.with_options(retry=RetryPolicy(attempts=2, wait_initial=0.25, wait_jitter=0))
    with responses.RequestsMock() as mock:
        url = "https://api.line.me/v2/bot/profile/U" + "a" * 32
        mock.get(url, status=503)
        mock.get(url, json={"userId": "U" + "a" * 32, "displayName": "A"})
        copy.profiles.get("U" + "a" * 32)
    assert waits == [0.25]
