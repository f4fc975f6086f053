"""Profiles and account linking: IDs checked first, 404 hint, link URL and nonce."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator

import pytest
import responses
from hypothesis import given, settings
from hypothesis import strategies as st
from responses.registries import OrderedRegistry

from line_braze.errors import NotFound, ResponseError, ValidationError
from line_braze.line.client import LineClient
from line_braze.line.linking import ACCOUNT_LINK_URL, AccountLink, new_nonce
from line_braze.line.responses import Profile
from line_braze.testing import fake_time

TOKEN = "tok-PROFILES-5ecret-778899"
BASE = "https://api.line.me"
USER = "U" + "4af4980629" * 3 + "ab"


@pytest.fixture
def line() -> Iterator[LineClient]:
    with fake_time(LineClient(TOKEN), sleep=lambda _s: None) as client:
        yield client


@responses.activate
def test_profile_is_read_from_camel_case_and_ignores_unknown_keys(line: LineClient) -> None:
    responses.get(
        f"{BASE}/v2/bot/profile/{USER}",
        json={
            "userId": USER,
            "displayName": "LINE taro",
            "pictureUrl": "https://profile.line-scdn.net/abc",
            "statusMessage": "Hello",
            "language": "en",
            "somethingNew": {"x": 1},
        },
    )
    assert line.profiles.get(USER) == Profile(
        user_id=USER,
        display_name="LINE taro",
        picture_url="https://profile.line-scdn.net/abc",
        status_message="Hello",
        language="en",
    )


@responses.activate
def test_optional_profile_fields_may_be_absent(line: LineClient) -> None:
    responses.get(f"{BASE}/v2/bot/profile/{USER}", json={"userId": USER, "displayName": "A"})
    profile = line.profiles.get(USER)
    assert profile.language is None
    assert profile.picture_url is None
    assert "<table>" in profile._repr_html_()


@responses.activate
def test_profile_404_explains_why(line: LineClient) -> None:
    responses.get(f"{BASE}/v2/bot/profile/{USER}", status=404, json={"message": "Not found"})
    with pytest.raises(NotFound) as info:
        line.profiles.get(USER)
    assert "not a friend" in str(info.value)
    assert TOKEN not in str(info.value)


@responses.activate
def test_profile_missing_required_field_is_a_response_error(line: LineClient) -> None:
    responses.get(f"{BASE}/v2/bot/profile/{USER}", json={"userId": USER})
    with pytest.raises(ResponseError) as info:
        line.profiles.get(USER)
    # the path names the field as LINE spells it
    assert "is required @ $.displayName" in str(info.value)


@responses.activate
@pytest.mark.parametrize("bad", [{"a": 1}, 5, True, None, ["A"]])
def test_a_display_name_that_is_not_a_string_is_refused_not_coerced(
    line: LineClient, bad: object
) -> None:
    # The one wire layer has strict scalars: no str({"a": 1}) as a display name.
    responses.get(f"{BASE}/v2/bot/profile/{USER}", json={"userId": USER, "displayName": bad})
    with pytest.raises(ResponseError) as info:
        line.profiles.get(USER)
    assert "must be a string" in str(info.value)
    assert "@ $.displayName" in str(info.value)


@pytest.mark.parametrize(
    "bad", ["", "U123", "C" + "0" * 32, "U" + "A" * 32, "U" + "0" * 33, "../../v2/bot/info"]
)
def test_bad_user_ids_are_refused_before_sending(line: LineClient, bad: str) -> None:
    with responses.RequestsMock() as mock:
        with pytest.raises(ValidationError) as info:
            line.profiles.get(bad)
        assert info.value.field == "user_id"
        with pytest.raises(ValidationError):
            line.linking.issue_link_token(bad)
        assert len(mock.calls) == 0


@responses.activate(registry=OrderedRegistry)
def test_issue_link_token_posts_without_a_body(line: LineClient) -> None:
    url = f"{BASE}/v2/bot/user/{USER}/linkToken"
    responses.post(url, status=502, body="<html>gateway</html>", content_type="text/html")
    responses.post(url, json={"linkToken": "NMZTNuVrPTqlr2IF8Bnymkb7rXfYv5EY"})
    assert line.linking.issue_link_token(USER) == "NMZTNuVrPTqlr2IF8Bnymkb7rXfYv5EY"
    assert responses.calls[1].request.body is None


@responses.activate
def test_start_issues_a_token_and_returns_the_url(line: LineClient) -> None:
    responses.post(f"{BASE}/v2/bot/user/{USER}/linkToken", json={"linkToken": "LT1"})
    url, nonce = line.linking.start(USER)
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
    assert query == {"linkToken": "LT1", "nonce": nonce}


def test_link_url_has_the_documented_shape(line: LineClient) -> None:
    link = line.linking.link_url("abc+/=", nonce="n" * 10)
    parts = urllib.parse.urlsplit(link.url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == ACCOUNT_LINK_URL
    assert urllib.parse.parse_qs(parts.query) == {"linkToken": ["abc+/="], "nonce": ["n" * 10]}
    assert isinstance(link, AccountLink)
    assert link.nonce == "n" * 10


def test_generated_nonces_are_long_random_and_url_safe() -> None:
    nonces = {new_nonce() for _ in range(200)}
    assert len(nonces) == 200
    for nonce in nonces:
        assert 10 <= len(nonce) <= 255
        assert urllib.parse.quote(nonce, safe="") == nonce


@pytest.mark.parametrize("nonce", ["", "x" * 9, "x" * 256])
def test_nonce_length_is_enforced(line: LineClient, nonce: str) -> None:
    with pytest.raises(ValidationError) as info:
        line.linking.link_url("LT", nonce=nonce)
    assert info.value.field == "nonce"


@settings(max_examples=40, deadline=None)
@given(nonce=st.text(min_size=10, max_size=255))
def test_any_nonce_in_range_round_trips_through_the_url(nonce: str) -> None:
    link = AccountLink.build("LT", nonce=nonce)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(link.url).query, keep_blank_values=True)
    assert query["nonce"] == [nonce]


def test_empty_link_token_is_refused(line: LineClient) -> None:
    with pytest.raises(ValidationError) as info:
        line.linking.link_url(" ")
    assert info.value.field == "link_token"
