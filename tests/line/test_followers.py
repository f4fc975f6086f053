"""Follower IDs: lazy paging, resume tokens, limits, the 403 hint."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator

import pytest
import responses
from hypothesis import given, settings
from hypothesis import strategies as st
from responses import matchers
from responses.registries import OrderedRegistry

from line_braze.errors import PermissionDenied, ResponseError, ValidationError
from line_braze.line.client import LineClient
from line_braze.line.responses import FollowerPage
from line_braze.pagination import Page
from line_braze.testing import fake_time

TOKEN = "tok-FOLLOWERS-5ecret-0123456789"
URL = "https://api.line.me/v2/bot/followers/ids"


def _query(call: responses.Call) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(str(call.request.url)).query))


def uid(n: int) -> str:
    return f"U{n:032x}"


@pytest.fixture
def line() -> Iterator[LineClient]:
    waits: list[float] = []
    with fake_time(LineClient(TOKEN), sleep=waits.append, random=lambda: 0.0) as client:
        yield client


def _three_pages() -> None:
    responses.get(
        URL,
        json={"userIds": [uid(1), uid(2)], "next": "t2"},
        match=[matchers.query_param_matcher({"limit": "1000"})],
    )
    responses.get(
        URL,
        json={"userIds": [uid(3), uid(4)], "next": "t3"},
        match=[matchers.query_param_matcher({"limit": "1000", "start": "t2"})],
    )
    responses.get(
        URL,
        json={"userIds": [uid(5)]},
        match=[matchers.query_param_matcher({"limit": "1000", "start": "t3"})],
    )


@responses.activate
def test_iter_ids_walks_three_pages_following_next(line: LineClient) -> None:
    _three_pages()
    assert list(line.followers.iter_ids()) == [uid(i) for i in range(1, 6)]
    assert len(responses.calls) == 3
    assert all(c.request.headers["Authorization"] == "Bearer " + TOKEN for c in responses.calls)


@responses.activate
def test_iter_ids_is_lazy(line: LineClient) -> None:
    _three_pages()
    ids = line.followers.iter_ids()
    assert len(responses.calls) == 0
    assert next(ids) == uid(1)
    assert next(ids) == uid(2)
    assert len(responses.calls) == 1
    assert next(ids) == uid(3)
    assert len(responses.calls) == 2


@responses.activate
def test_pages_carry_user_ids_and_next_and_are_pages(line: LineClient) -> None:
    _three_pages()
    pages = list(line.followers.pages())
    assert [p.user_ids for p in pages] == [(uid(1), uid(2)), (uid(3), uid(4)), (uid(5),)]
    assert [p.next for p in pages] == ["t2", "t3", None]
    assert all(isinstance(p, FollowerPage) and isinstance(p, Page) for p in pages)
    assert "<2 items>" in repr(pages[0])


@responses.activate
def test_resume_from_a_saved_token(line: LineClient) -> None:
    _three_pages()
    first = next(line.followers.pages())
    assert first.next == "t2"
    resumed = list(line.followers.iter_ids(start=first.next))
    assert resumed == [uid(3), uid(4), uid(5)]
    starts = [_query(c).get("start") for c in responses.calls]
    assert starts == [None, "t2", "t3"]


@responses.activate
def test_limit_is_sent(line: LineClient) -> None:
    responses.get(
        URL, json={"userIds": [uid(1)]}, match=[matchers.query_param_matcher({"limit": "7"})]
    )
    page = line.followers.page(limit=7)
    assert page.user_ids == (uid(1),)
    assert page.next is None


@responses.activate
def test_a_next_equal_to_the_token_does_not_loop(line: LineClient) -> None:
    responses.get(URL, json={"userIds": [uid(1)], "next": "same"})
    assert list(line.followers.iter_ids(start="same")) == [uid(1)]
    assert len(responses.calls) == 1


@responses.activate
def test_empty_next_ends_the_stream(line: LineClient) -> None:
    responses.get(URL, json={"userIds": [], "next": ""})
    assert list(line.followers.pages()) == [FollowerPage(items=(), next=None)]


@pytest.mark.parametrize("limit", [0, -1, 1001, True, 2.5])
@responses.activate
def test_bad_limit_is_refused_at_call_time(line: LineClient, limit: int) -> None:
    for call in (line.followers.iter_ids, line.followers.pages, line.followers.page):
        with pytest.raises(ValidationError) as info:
            call(limit=limit)
        assert info.value.field == "limit"
    assert len(responses.calls) == 0


@settings(max_examples=30, deadline=None)
@given(limit=st.integers(1, 1000))
def test_every_limit_in_range_is_accepted(limit: int) -> None:
    with responses.RequestsMock() as mock:
        mock.get(URL, json={"userIds": []})
        client = LineClient(TOKEN)
        assert list(client.followers.iter_ids(limit=limit)) == []
        assert _query(mock.calls[0])["limit"] == str(limit)


def test_empty_start_is_refused(line: LineClient) -> None:
    with pytest.raises(ValidationError) as info:
        line.followers.iter_ids(start="")
    assert info.value.field == "start"


@responses.activate
def test_403_says_which_accounts_may_call_and_what_else_to_do(line: LineClient) -> None:
    responses.get(
        URL,
        status=403,
        json={"message": "Access to this API is not available for your account"},
        headers={"x-line-request-id": "r403"},
    )
    with pytest.raises(PermissionDenied) as info:
        list(line.followers.iter_ids())
    text = str(info.value)
    assert "verified or premium" in text
    assert "follow webhooks" in text
    assert "request_id=r403" in text
    assert len(responses.calls) == 1
    assert TOKEN not in text


@responses.activate(registry=OrderedRegistry)
def test_reads_are_retried(line: LineClient) -> None:
    responses.get(URL, status=500, json={"message": "boom"})
    responses.get(URL, json={"userIds": [uid(9)]})
    assert list(line.followers.iter_ids()) == [uid(9)]


@pytest.mark.parametrize(
    "body", [{"next": "x"}, {"userIds": "U1"}, [uid(1)], {"userIds": [{"id": 1}]}]
)
@responses.activate
def test_malformed_answers_are_response_errors(line: LineClient, body: object) -> None:
    responses.get(URL, json=body)
    with pytest.raises(ResponseError) as info:
        list(line.followers.iter_ids())
    assert str(info.value).startswith("LINE GET /v2/bot/followers/ids -> 200: ")


@responses.activate
def test_unknown_keys_are_ignored(line: LineClient) -> None:
    responses.get(URL, json={"userIds": [uid(1)], "newField": 1})
    assert list(line.followers.iter_ids()) == [uid(1)]
