"""Content Blocks: validation (hypothesis), create/update/get/list/find, retries, secrecy."""

from __future__ import annotations

import json
import logging
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses
from hypothesis import given, settings
from hypothesis import strategies as st
from responses.registries import OrderedRegistry

from line_braze._secret import Secret
from line_braze.braze import BrazeClient, ContentBlock
from line_braze.braze.content_blocks import (
    MAX_CONTENT_BYTES,
    check_content,
    check_description,
    check_name,
)
from line_braze.errors import BadRequest, LineBrazeError, RequestTimeout, ValidationError
from line_braze.testing import fake_time

KEY = "braze-KEY-5ecret-9a8b7c6d"
TOKEN = "LINE-TOKEN-c0ntent-SECRET-1234567890abcdef"
BASE = "https://rest.fra-01.braze.eu"
NAME = "LINE_Channel_AccessToken"
NAME_RE = re.compile(r"[A-Za-z0-9_-]+")


def client(**kwargs: Any) -> BrazeClient:
    return fake_time(
        BrazeClient(KEY, rest_endpoint="EU-01", **kwargs), sleep=lambda _s: None, random=lambda: 0.0
    )


def info(block_id: str = "cb1", name: str = NAME, content: str = TOKEN) -> dict[str, Any]:
    return {
        "content_block_id": block_id,
        "name": name,
        "content": content,
        "description": "LINE token",
        "content_type": "text",
        "tags": ["t"],
        "created_at": "2024-01-01T00:00:00Z",
        "last_edited": "2024-01-02T00:00:00Z",
        "inclusion_count": 2,
        "message": "success",
    }


def summary(n: int, name: str | None = None) -> dict[str, Any]:
    return {
        "content_block_id": f"id{n}",
        "name": name or f"block_{n}",
        "content_type": "text",
        "liquid_tag": "{{content_blocks.${x}}}",
        "inclusion_count": 0,
        "created_at": "c",
        "last_edited": "e",
        "tags": [],
    }


# -- validation --------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_name_valid_iff_charset_and_length(name: str) -> None:
    valid = bool(NAME_RE.fullmatch(name)) and len(name) < 100
    if valid:
        assert check_name(name) == name
    else:
        with pytest.raises(ValidationError) as info_:
            check_name(name)
        assert info_.value.field == "name"


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="AZaz09_-", min_size=1, max_size=120))
def test_name_length_bound(name: str) -> None:
    if len(name) < 100:
        assert check_name(name) == name
    else:
        with pytest.raises(ValidationError, match="shorter than 100"):
            check_name(name)


@pytest.mark.parametrize("bad", ["a\n", "a b", "ä", "a.b", "", "x" * 100, "name$"])
def test_bad_names(bad: str) -> None:
    with pytest.raises(ValidationError):
        check_name(bad)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=60_000), st.sampled_from(["a", "é", "あ", "😀"]))
def test_content_size_counts_utf8_bytes(count: int, char: str) -> None:
    content = char * (count // len(char.encode()) or 1)
    size = len(content.encode())
    if size < MAX_CONTENT_BYTES:
        assert check_content(content).reveal() == content
    else:
        with pytest.raises(ValidationError) as info_:
            check_content(content)
        assert content[:20] not in str(info_.value)


def test_content_bound_exact() -> None:
    check_content("a" * (MAX_CONTENT_BYTES - 1))
    with pytest.raises(ValidationError):
        check_content("a" * MAX_CONTENT_BYTES)
    with pytest.raises(ValidationError, match="blank"):
        check_content(" \n")


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=300))
def test_description_bound(description: str) -> None:
    valid = bool(description.strip()) and len(description) < 250
    try:
        check_description(description)
    except ValidationError:
        assert not valid
    else:
        assert valid


@responses.activate
def test_invalid_create_sends_nothing() -> None:
    braze = client()
    with pytest.raises(ValidationError):
        braze.content_blocks.create(name="bad name", content=TOKEN)
    with pytest.raises(ValidationError):
        braze.content_blocks.create(name=NAME, content=TOKEN, state="archived")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        braze.content_blocks.create(name=NAME, content="x" * MAX_CONTENT_BYTES)
    with pytest.raises(ValidationError):
        braze.content_blocks.update("cb1")
    assert len(responses.calls) == 0


# -- endpoints ---------------------------------------------------------------------------


@responses.activate
def test_create_sends_the_documented_body() -> None:
    responses.add(
        responses.POST,
        BASE + "/content_blocks/create",
        status=201,
        json={
            "content_block_id": "cb1",
            "liquid_tag": "{{content_blocks.${LINE_Channel_AccessToken}}}",
            "created_at": "2024-01-01T00:00:00Z",
            "message": "success",
        },
    )
    block = client().content_blocks.create(
        name=NAME, content=Secret(TOKEN), description="d", tags=["line"]
    )
    body = json.loads(responses.calls[0].request.body or b"")
    assert body == {
        "name": NAME,
        "content": TOKEN,
        "description": "d",
        "state": "active",
        "tags": ["line"],
    }
    assert block.content_block_id == "cb1"
    assert block.content.reveal() == TOKEN
    assert block.liquid_tag == "{{content_blocks.${LINE_Channel_AccessToken}}}"


@responses.activate
def test_update_get_roundtrip() -> None:
    responses.add(
        responses.POST,
        BASE + "/content_blocks/update",
        status=201,
        json={"content_block_id": "cb1", "liquid_tag": "t", "message": "success"},
    )
    responses.add(responses.GET, BASE + "/content_blocks/info", json=info(content="new-token"))
    braze = client()
    ref = braze.content_blocks.update("cb1", content="new-token")
    assert ref.content_block_id == "cb1"
    assert json.loads(responses.calls[0].request.body or b"") == {
        "content_block_id": "cb1",
        "content": "new-token",
    }
    block = braze.content_blocks.get("cb1")
    assert block.content.reveal() == "new-token"
    assert block.tags == ("t",)
    assert block.inclusion_count == 2
    assert parse_qs(urlsplit(responses.calls[1].request.url or "").query) == {
        "content_block_id": ["cb1"]
    }


@responses.activate(registry=OrderedRegistry)
def test_update_is_retried_on_503() -> None:
    url = BASE + "/content_blocks/update"
    responses.add(responses.POST, url, status=503, json={"message": "busy"})
    responses.add(responses.POST, url, status=201, json={"content_block_id": "cb1"})
    client().content_blocks.update("cb1", content="x")
    assert len(responses.calls) == 2


def test_list_pages_lazily_by_offset() -> None:
    with responses.RequestsMock() as mock:
        url = BASE + "/content_blocks/list"
        page1 = [summary(n) for n in range(3)]
        page2 = [summary(n) for n in range(3, 5)]
        mock.add(responses.GET, url, json={"count": 5, "content_blocks": page1})
        mock.add(responses.GET, url, json={"count": 5, "content_blocks": page2})
        items = client().content_blocks.list(page_size=3, modified_after="2024-01-01T00:00:00Z")
        assert len(mock.calls) == 0  # nothing until iterated
        first = next(items)
        assert first.name == "block_0"
        assert len(mock.calls) == 1
        rest = list(items)
        queries = [parse_qs(urlsplit(c.request.url or "").query) for c in mock.calls]
    assert [s.content_block_id for s in [first, *rest]] == [f"id{n}" for n in range(5)]
    assert "offset" not in queries[0]  # Braze is reported to refuse offset=0
    assert queries[0]["limit"] == ["3"]
    assert queries[1]["offset"] == ["3"]
    assert queries[0]["modified_after"] == ["2024-01-01T00:00:00Z"]


def test_list_rejects_bad_page_size() -> None:
    with pytest.raises(ValidationError):
        client().content_blocks.list(page_size=1001)


@responses.activate(registry=OrderedRegistry)
def test_find_pages_through_two_pages_then_reads_info() -> None:
    url = BASE + "/content_blocks/list"
    responses.add(
        responses.GET,
        url,
        json={"count": 1001, "content_blocks": [summary(n) for n in range(1000)]},
    )
    responses.add(responses.GET, url, json={"count": 1001, "content_blocks": [summary(1000, NAME)]})
    responses.add(responses.GET, BASE + "/content_blocks/info", json=info("id1000"))
    block = client().content_blocks.find(NAME)
    assert block is not None
    assert block.content_block_id == "id1000"
    assert block.content.reveal() == TOKEN
    assert len(responses.calls) == 3


@responses.activate
def test_find_returns_none_when_absent() -> None:
    responses.add(
        responses.GET,
        BASE + "/content_blocks/list",
        json={"count": 2, "content_blocks": [summary(0), summary(1)]},
    )
    assert client().content_blocks.find(NAME) is None
    assert len(responses.calls) == 1


@responses.activate(registry=OrderedRegistry)
def test_create_already_exists_on_retried_attempt_returns_the_block() -> None:
    create = BASE + "/content_blocks/create"
    responses.add(responses.POST, create, status=429, json={"message": "rate"})
    responses.add(
        responses.POST,
        create,
        status=400,
        json={"message": "Content Block with this name already exists"},
    )
    responses.add(
        responses.GET,
        BASE + "/content_blocks/list",
        json={"count": 1, "content_blocks": [summary(7, NAME)]},
    )
    responses.add(responses.GET, BASE + "/content_blocks/info", json=info("id7"))
    block = client().content_blocks.create(name=NAME, content=TOKEN)
    assert block.content_block_id == "id7"


@responses.activate(registry=OrderedRegistry)
def test_create_already_exists_with_other_content_raises() -> None:
    create = BASE + "/content_blocks/create"
    responses.add(responses.POST, create, status=429, json={"message": "rate"})
    responses.add(
        responses.POST,
        create,
        status=400,
        json={"message": "Content Block with this name already exists"},
    )
    responses.add(
        responses.GET,
        BASE + "/content_blocks/list",
        json={"count": 1, "content_blocks": [summary(7, NAME)]},
    )
    responses.add(responses.GET, BASE + "/content_blocks/info", json=info("id7", content="old"))
    with pytest.raises(BadRequest, match="already exists"):
        client().content_blocks.create(name=NAME, content=TOKEN)


@responses.activate
def test_create_already_exists_on_first_attempt_raises() -> None:
    responses.add(
        responses.POST,
        BASE + "/content_blocks/create",
        status=400,
        json={"message": "Content Block with this name already exists"},
    )
    with pytest.raises(BadRequest):
        client().content_blocks.create(name=NAME, content=TOKEN)
    assert len(responses.calls) == 1


@responses.activate(registry=OrderedRegistry)
def test_create_timeout_is_not_retried_but_recovered_by_lookup() -> None:
    responses.add(responses.POST, BASE + "/content_blocks/create", body=requests.ReadTimeout())
    responses.add(
        responses.GET, BASE + "/content_blocks/list", json={"count": 0, "content_blocks": []}
    )
    with pytest.raises(RequestTimeout):
        client().content_blocks.create(name=NAME, content=TOKEN)
    assert [c.request.method for c in responses.calls] == ["POST", "GET"]


# -- secrecy -----------------------------------------------------------------------------


@responses.activate
def test_content_never_in_repr_str_errors_or_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    responses.add(responses.GET, BASE + "/content_blocks/info", json=info())
    responses.add(
        responses.POST,
        BASE + "/content_blocks/update",
        status=400,
        json={"message": "Content contains malformed liquid"},
    )
    braze = client()
    block = braze.content_blocks.get("cb1")
    shown = [repr(block), str(block), block._repr_html_(), repr(list(block.__rich_repr__()))]
    with pytest.raises(LineBrazeError) as err:
        braze.content_blocks.update("cb1", content=TOKEN)
    shown += [str(err.value), repr(err.value), repr(vars(err.value))]
    with pytest.raises(ValidationError) as err2:
        braze.content_blocks.create(name=NAME, content=TOKEN + "x" * MAX_CONTENT_BYTES)
    shown += [str(err2.value), caplog.text, repr(braze), repr(vars(braze))]
    for text in shown:
        assert TOKEN not in text
        assert KEY not in text
    assert block.content.reveal() == TOKEN


def test_content_block_model_hides_content() -> None:
    block = ContentBlock(content_block_id="c", name=NAME, content=Secret(TOKEN))
    assert TOKEN not in repr(block) + str(block) + block._repr_html_()
