"""Channel access tokens: form bodies, no Authorization, OAuth errors, secrets kept hidden."""

from __future__ import annotations

import logging
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
import responses
import yaml
from responses import matchers
from responses.registries import OrderedRegistry

from line_braze._secret import Secret
from line_braze.errors import (
    BadRequest,
    ConnectError,
    RequestTimeout,
    ResponseError,
    ServerError,
    ValidationError,
)
from line_braze.line.client import LineClient
from line_braze.line.responses import IssuedToken, TokenInfo
from line_braze.line.tokens import JWT_BEARER, Tokens
from line_braze.testing import fake_time

CLIENT_TOKEN = "tok-CLIENT-OWN-5ecret-000111"
CHANNEL_SECRET = "chsec-9f8e7d6c5b4a-SECRET"
NEW_TOKEN = "tok-ISSUED-NEW-5ecret-222333"
ASSERTION = "eyJhbGciOiJSUzI1NiJ9.ASSERTION-SECRET.sig"
BASE = "https://api.line.me"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def line() -> Iterator[LineClient]:
    with fake_time(LineClient(CLIENT_TOKEN), sleep=lambda _s: None, random=lambda: 0.0) as client:
        yield client


def _no_auth_and_form(call: responses.Call) -> None:
    assert "Authorization" not in call.request.headers
    assert call.request.headers["Content-Type"] == FORM


def _issued(expires: int = 2592000, **extra: object) -> dict[str, object]:
    return {"access_token": NEW_TOKEN, "expires_in": expires, "token_type": "Bearer", **extra}


@responses.activate
def test_issue_short_lived_posts_a_form_and_wraps_the_token(line: LineClient) -> None:
    responses.post(
        BASE + "/v2/oauth/accessToken",
        json=_issued(),
        match=[
            matchers.urlencoded_params_matcher(
                {
                    "grant_type": "client_credentials",
                    "client_id": "1234567890",
                    "client_secret": CHANNEL_SECRET,
                }
            )
        ],
    )
    issued = line.tokens.issue_short_lived(1234567890, Secret(CHANNEL_SECRET))
    _no_auth_and_form(responses.calls[0])
    assert isinstance(issued, IssuedToken)
    assert issued.access_token.reveal() == NEW_TOKEN
    assert issued.expires_in == 2592000
    for shown in (
        repr(issued),
        str(issued),
        issued._repr_html_(),
        repr(list(issued.__rich_repr__())),
    ):
        assert NEW_TOKEN not in shown
        assert CHANNEL_SECRET not in shown


@responses.activate
def test_issue_stateless_by_secret(line: LineClient) -> None:
    responses.post(
        BASE + "/oauth2/v3/token",
        json=_issued(899),
        match=[
            matchers.urlencoded_params_matcher(
                {
                    "grant_type": "client_credentials",
                    "client_id": "42",
                    "client_secret": CHANNEL_SECRET,
                }
            )
        ],
    )
    assert line.tokens.issue_stateless("42", CHANNEL_SECRET).expires_in == 899
    _no_auth_and_form(responses.calls[0])


@responses.activate
def test_issue_stateless_by_assertion(line: LineClient) -> None:
    responses.post(
        BASE + "/oauth2/v3/token",
        json=_issued(899),
        match=[
            matchers.urlencoded_params_matcher(
                {
                    "grant_type": "client_credentials",
                    "client_assertion_type": JWT_BEARER,
                    "client_assertion": ASSERTION,
                }
            )
        ],
    )
    assert (
        line.tokens.issue_stateless(client_assertion=ASSERTION).access_token.reveal() == NEW_TOKEN
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"channel_id": "1", "channel_secret": "s", "client_assertion": "a"},
        {"channel_id": "1"},
        {"channel_secret": "s"},
    ],
)
def test_issue_stateless_needs_exactly_one_credential(
    line: LineClient, kwargs: dict[str, str]
) -> None:
    with responses.RequestsMock(), pytest.raises(ValidationError):
        line.tokens.issue_stateless(**kwargs)


@responses.activate
def test_issue_v21_returns_the_key_id(line: LineClient) -> None:
    responses.post(
        BASE + "/oauth2/v2.1/token",
        json=_issued(key_id="sDTOzw5wIfxxxxPEzcmeQA"),
        match=[
            matchers.urlencoded_params_matcher(
                {
                    "grant_type": "client_credentials",
                    "client_assertion_type": JWT_BEARER,
                    "client_assertion": ASSERTION,
                }
            )
        ],
    )
    assert line.tokens.issue_v21(ASSERTION).key_id == "sDTOzw5wIfxxxxPEzcmeQA"


@pytest.mark.parametrize(("channel_id", "secret"), [("abc", CHANNEL_SECRET), ("1", ""), ("", "s")])
def test_bad_credentials_are_refused_before_sending(
    line: LineClient, channel_id: str, secret: str
) -> None:
    with responses.RequestsMock(), pytest.raises(ValidationError) as info:
        line.tokens.issue_short_lived(channel_id, secret)
    assert CHANNEL_SECRET not in str(info.value)


@responses.activate
def test_oauth_errors_become_our_message_with_a_hint(
    line: LineClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    responses.post(
        BASE + "/v2/oauth/accessToken",
        status=400,
        json={"error": "invalid_client", "error_description": "invalid client_secret"},
    )
    with pytest.raises(BadRequest) as info:
        line.tokens.issue_short_lived("1234567890", CHANNEL_SECRET)
    err = info.value
    assert err.message == "invalid client_secret"
    assert str(err).startswith("LINE POST /v2/oauth/accessToken -> 400: invalid client_secret")
    assert "check the channel ID and channel secret" in str(err)
    for shown in (str(err), repr(err), repr(vars(err)), caplog.text):
        assert CHANNEL_SECRET not in shown
        assert CLIENT_TOKEN not in shown


@responses.activate(registry=OrderedRegistry)
def test_issuing_is_not_retried_after_a_lost_answer(line: LineClient) -> None:
    url = BASE + "/v2/oauth/accessToken"
    responses.post(url, status=503, json={"message": "busy"})
    responses.post(url, json=_issued())
    with pytest.raises(ServerError, match="503"):
        line.tokens.issue_short_lived("1", CHANNEL_SECRET)
    assert len(responses.calls) == 1


@responses.activate(registry=OrderedRegistry)
def test_issuing_is_not_retried_after_a_timeout(line: LineClient) -> None:
    url = BASE + "/v2/oauth/accessToken"
    responses.post(url, body=requests.ReadTimeout("slow"))
    responses.post(url, json=_issued())
    with pytest.raises(RequestTimeout):
        line.tokens.issue_short_lived("1", CHANNEL_SECRET)
    assert len(responses.calls) == 1


@responses.activate(registry=OrderedRegistry)
def test_issuing_is_retried_when_nothing_reached_line(line: LineClient) -> None:
    url = BASE + "/v2/oauth/accessToken"
    responses.post(url, body=requests.ConnectTimeout("no route"))
    responses.post(url, status=429, json={"error": "too_many_requests"})
    responses.post(url, json=_issued())
    assert line.tokens.issue_short_lived("1", CHANNEL_SECRET).expires_in == 2592000
    assert len(responses.calls) == 3


@responses.activate
def test_connect_failures_name_the_endpoint_not_the_secret(line: LineClient) -> None:
    for _ in range(4):
        responses.post(BASE + "/v2/oauth/accessToken", body=requests.ConnectTimeout("x"))
    with pytest.raises(ConnectError) as info:
        line.tokens.issue_short_lived("1", CHANNEL_SECRET)
    assert info.value.attempts == 4
    assert CHANNEL_SECRET not in str(info.value)


@responses.activate
def test_verify_posts_the_token_in_a_form(line: LineClient) -> None:
    responses.post(
        BASE + "/v2/oauth/verify",
        json={"client_id": "1350031035", "expires_in": 3138007490, "scope": "P CM"},
        match=[matchers.urlencoded_params_matcher({"access_token": NEW_TOKEN})],
    )
    info = line.tokens.verify(NEW_TOKEN)
    assert info == TokenInfo(client_id="1350031035", expires_in=3138007490, scope="P CM")
    _no_auth_and_form(responses.calls[0])


@responses.activate
def test_verify_accepts_an_issued_token(line: LineClient) -> None:
    responses.post(
        BASE + "/v2/oauth/verify",
        json={"client_id": "1", "expires_in": 5},
        match=[matchers.urlencoded_params_matcher({"access_token": NEW_TOKEN})],
    )
    issued = IssuedToken(access_token=Secret(NEW_TOKEN), expires_in=5)
    assert line.tokens.verify(issued).scope is None


@responses.activate
def test_verify_of_a_bad_token_is_a_bad_request_with_a_hint(line: LineClient) -> None:
    responses.post(
        BASE + "/v2/oauth/verify",
        status=400,
        json={"error": "invalid_request", "error_description": "access token expired"},
    )
    with pytest.raises(BadRequest) as info:
        line.tokens.verify(NEW_TOKEN)
    assert "access token expired" in str(info.value)
    assert "invalid, expired or revoked" in str(info.value)
    assert NEW_TOKEN not in str(info.value)


@responses.activate
def test_verify_v21_uses_a_query_and_keeps_it_out_of_errors(line: LineClient) -> None:
    responses.get(
        BASE + "/oauth2/v2.1/verify",
        status=400,
        json={"error": "invalid_request", "error_description": "invalid token"},
        match=[matchers.query_param_matcher({"access_token": NEW_TOKEN})],
    )
    with pytest.raises(BadRequest) as info:
        line.tokens.verify_v21(NEW_TOKEN)
    assert info.value.path == "/oauth2/v2.1/verify"
    assert NEW_TOKEN not in str(info.value)


@responses.activate(registry=OrderedRegistry)
def test_revoke_is_a_form_and_is_retried(line: LineClient) -> None:
    url = BASE + "/v2/oauth/revoke"
    match = [matchers.urlencoded_params_matcher({"access_token": NEW_TOKEN})]
    responses.post(url, status=500, match=match)
    responses.post(url, body="", match=match)
    line.tokens.revoke(Secret(NEW_TOKEN))
    assert len(responses.calls) == 2
    _no_auth_and_form(responses.calls[1])


@responses.activate
def test_revoke_v21_sends_channel_credentials(line: LineClient) -> None:
    responses.post(
        BASE + "/oauth2/v2.1/revoke",
        match=[
            matchers.urlencoded_params_matcher(
                {"client_id": "7", "client_secret": CHANNEL_SECRET, "access_token": NEW_TOKEN}
            )
        ],
    )
    line.tokens.revoke_v21(NEW_TOKEN, channel_id="7", channel_secret=CHANNEL_SECRET)


@pytest.mark.parametrize(
    "body",
    [
        {"expires_in": 1},
        {"access_token": "", "expires_in": 1},
        {"access_token": NEW_TOKEN, "expires_in": "soon"},
        [],
        None,
    ],
)
@responses.activate
def test_malformed_issue_answers_are_response_errors(line: LineClient, body: object) -> None:
    if body is None:
        responses.post(BASE + "/v2/oauth/accessToken", body="")
    else:
        responses.post(BASE + "/v2/oauth/accessToken", json=body)
    with pytest.raises(ResponseError) as info:
        line.tokens.issue_short_lived("1", CHANNEL_SECRET)
    assert NEW_TOKEN not in str(info.value)


@responses.activate
def test_a_malformed_answer_names_the_key_as_line_spells_it(line: LineClient) -> None:
    """``access_token`` is snake_case on this endpoint: the path must not say accessToken."""
    responses.post(BASE + "/v2/oauth/accessToken", json={"expires_in": 1})
    with pytest.raises(ResponseError, match=r"is required @ \$\.access_token$"):
        line.tokens.issue_short_lived("1", CHANNEL_SECRET)


# --- the forms we send are the forms the spec defines --------------------------------

SPECS = Path(__file__).resolve().parents[1] / "specs" / "line"


def _spec_forms(path: str) -> list[tuple[set[str], set[str]]]:
    """Return (properties, required) of each form variant the spec allows at ``path``."""
    spec_file = SPECS / "channel-access-token.yml"
    if not spec_file.exists():
        pytest.fail("the vendored LINE specs are missing from tests/specs/line")
    spec = yaml.safe_load(spec_file.read_text(encoding="utf-8"))
    schemas = spec["components"]["schemas"]
    body = spec["paths"][path]["post"]["requestBody"]["content"]
    schema = body["application/x-www-form-urlencoded"]["schema"]
    refs = [s["$ref"].rsplit("/", 1)[1] for s in schema.get("oneOf", ())]
    variants = [schemas[r] for r in refs] or [schema]
    return [(set(v["properties"]), set(v.get("required", ()))) for v in variants]


@pytest.mark.parametrize(
    ("path", "call"),
    [
        ("/v2/oauth/accessToken", lambda t: t.issue_short_lived("1", CHANNEL_SECRET)),
        ("/oauth2/v3/token", lambda t: t.issue_stateless("1", CHANNEL_SECRET)),
        ("/oauth2/v3/token", lambda t: t.issue_stateless(client_assertion=ASSERTION)),
        ("/oauth2/v2.1/token", lambda t: t.issue_v21(ASSERTION)),
        ("/v2/oauth/verify", lambda t: t.verify(NEW_TOKEN)),
        ("/v2/oauth/revoke", lambda t: t.revoke(NEW_TOKEN)),
        (
            "/oauth2/v2.1/revoke",
            lambda t: t.revoke_v21(NEW_TOKEN, channel_id="1", channel_secret=CHANNEL_SECRET),
        ),
    ],
)
def test_form_fields_match_the_spec(
    line: LineClient, path: str, call: Callable[[Tokens], object]
) -> None:
    variants = _spec_forms(path)
    with responses.RequestsMock() as mock:
        mock.post(BASE + path, json={**_issued(), "client_id": "1"})
        call(line.tokens)
        sent = dict(urllib.parse.parse_qsl(str(mock.calls[0].request.body)))
    assert any(set(sent) <= props and required <= set(sent) for props, required in variants)
