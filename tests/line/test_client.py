"""LineClient: construction, options, from_env, services, and no token anywhere."""

from __future__ import annotations

import logging
import pickle

import pytest
import requests
import responses
from responses.registries import OrderedRegistry

from line_braze._retry import RetryPolicy
from line_braze._secret import Secret
from line_braze._transport import Timeout
from line_braze.errors import AuthenticationError, ValidationError
from line_braze.line.client import LineClient
from line_braze.line.followers import Followers
from line_braze.line.linking import Linking
from line_braze.line.messages import Messages
from line_braze.line.profiles import Profiles
from line_braze.line.tokens import Tokens
from line_braze.testing import fake_time

TOKEN = "tok-CLIENT-5ecret-a1b2c3d4e5f6"


def test_repr_summarises_without_the_token() -> None:
    line = LineClient(TOKEN)
    assert repr(line) == "<LineClient base_url='https://api.line.me' retry=RetryPolicy(attempts=4)>"
    assert TOKEN not in str(line)
    assert TOKEN not in repr(vars(line))
    assert TOKEN not in repr(vars(line._transport))


def test_services_are_attributes_on_one_transport() -> None:
    line = LineClient(Secret(TOKEN))
    assert isinstance(line.followers, Followers)
    assert isinstance(line.messages, Messages)
    assert isinstance(line.profiles, Profiles)
    assert isinstance(line.linking, Linking)
    assert isinstance(line.tokens, Tokens)
    transports = {
        id(s._transport)
        for s in (line.followers, line.messages, line.profiles, line.linking, line.tokens)
    }
    assert transports == {id(line._transport)}


def test_defaults() -> None:
    line = LineClient(TOKEN)
    assert line.base_url == "https://api.line.me"
    assert line.data_base_url == "https://api-data.line.me"
    assert line.timeout == Timeout()
    assert line.retry == RetryPolicy()


@pytest.mark.parametrize("bad", ["", " " + TOKEN, TOKEN + "\n"])
def test_bad_tokens_are_refused_without_echoing_them(bad: str) -> None:
    with pytest.raises(ValidationError) as info:
        LineClient(bad)
    assert info.value.field == "channel_access_token"
    assert TOKEN not in str(info.value)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"base_url": "http://api.line.me"}, "base_url"),
        ({"data_base_url": "http://api-data.line.me"}, "data_base_url"),
        ({"base_url": "api.line.me"}, "base_url"),
        ({"pool_size": 0}, "pool_size"),
    ],
)
def test_bad_configuration_fails_at_construction(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        LineClient(TOKEN, **kwargs)  # type: ignore[arg-type]
    assert info.value.field == field


def test_loopback_http_is_allowed_for_test_servers() -> None:
    line = LineClient(TOKEN, base_url="http://127.0.0.1:9999/", data_base_url="http://localhost:1")
    assert line.base_url == "http://127.0.0.1:9999"
    assert line.data_base_url == "http://localhost:1"


def test_with_options_shares_the_session_and_keeps_the_data_host() -> None:
    line = LineClient(TOKEN, data_base_url="https://data.example.com")
    fast = line.with_options(timeout=Timeout(read=5), retry=RetryPolicy(attempts=2))
    assert fast.session is line.session
    assert fast.timeout.read == 5
    assert fast.retry.attempts == 2
    assert fast.data_base_url == "https://data.example.com"
    assert fast.messages._transport is fast._transport
    assert line.timeout.read == 30


def test_a_callers_session_is_never_closed() -> None:
    class Recording(requests.Session):
        closed = False

        def close(self) -> None:
            self.closed = True
            super().close()

    session = Recording()
    with LineClient(TOKEN, session=session) as line:
        assert line.session is session
    assert session.closed is False
    own = LineClient(TOKEN)
    own.close()


def test_from_env_reads_token_and_base_url() -> None:
    line = LineClient.from_env(
        {"LINE_CHANNEL_ACCESS_TOKEN": TOKEN, "LINE_API_BASE_URL": "http://127.0.0.1:8000"}
    )
    assert line.base_url == "http://127.0.0.1:8000"
    assert line._transport._secret.reveal() == TOKEN


def test_from_env_defaults_to_os_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINE_CHANNEL_ACCESS_TOKEN", TOKEN)
    monkeypatch.delenv("LINE_API_BASE_URL", raising=False)
    assert LineClient.from_env().base_url == "https://api.line.me"


@pytest.mark.parametrize("env", [{}, {"LINE_CHANNEL_ACCESS_TOKEN": ""}])
def test_from_env_names_the_missing_variable(env: dict[str, str]) -> None:
    with pytest.raises(ValidationError) as info:
        LineClient.from_env(env)
    assert info.value.field == "LINE_CHANNEL_ACCESS_TOKEN"
    assert "not set" in str(info.value)


def test_from_env_refuses_a_pasted_newline_without_echoing() -> None:
    with pytest.raises(ValidationError) as info:
        LineClient.from_env({"LINE_CHANNEL_ACCESS_TOKEN": TOKEN + "\n"})
    assert info.value.field == "LINE_CHANNEL_ACCESS_TOKEN"
    assert "newline" in str(info.value)
    assert TOKEN not in str(info.value)


def test_from_env_names_a_bad_base_url_variable() -> None:
    with pytest.raises(ValidationError) as info:
        LineClient.from_env(
            {"LINE_CHANNEL_ACCESS_TOKEN": TOKEN, "LINE_API_BASE_URL": "http://api.line.me"}
        )
    assert info.value.field == "LINE_API_BASE_URL"


def test_client_cannot_be_pickled() -> None:
    with pytest.raises(TypeError):
        pickle.dumps(LineClient(TOKEN))


@responses.activate(registry=OrderedRegistry)
def test_the_token_never_appears_in_errors_or_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    url = "https://api.line.me/v2/bot/followers/ids"
    responses.get(url, status=503, json={"message": "busy"})
    responses.get(url, status=401, json={"message": "Authentication failed"})
    line = fake_time(LineClient(TOKEN), sleep=lambda _s: None)
    with pytest.raises(AuthenticationError) as info:
        list(line.followers.iter_ids())
    err = info.value
    assert responses.calls[0].request.headers["Authorization"] == "Bearer " + TOKEN
    for shown in (str(err), repr(err), repr(vars(err)), caplog.text, repr(line)):
        assert TOKEN not in shown
    assert any("retrying" in r.getMessage() for r in caplog.records)
