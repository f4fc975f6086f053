"""Braze models and answers on the one wire layer: snake_case, round-trips, strictness, paths."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import cattrs
import pytest
import responses
from hypothesis import given
from hypothesis import strategies as st

from line_braze._wire import describe, strict_converter, to_snake, wire
from line_braze.braze import Attributes, BrazeClient, Event, Purchase, TrackResult, UserAlias
from line_braze.braze._answers import (
    BlockAnswer,
    BlockListAnswer,
    DispatchAnswer,
    ExportAnswer,
    IdentityAnswer,
    TrackAnswer,
    read_answer,
)
from line_braze.errors import PartialFailure, ResponseError
from line_braze.testing import fake_time

KEY = "braze-KEY-5ecret-wire"
BASE = "https://rest.iad-03.braze.com"

names = st.text(st.characters(codec="utf-8"), min_size=1, max_size=20)
json_scalars = st.none() | st.booleans() | st.integers(-(2**31), 2**31) | names
props = st.dictionaries(names, json_scalars, max_size=4)
aliases = st.builds(UserAlias, names, names)
times = st.datetimes(timezones=st.just(dt.timezone.utc)).map(lambda d: d.isoformat())
identity = st.one_of(
    st.fixed_dictionaries({"external_id": names}),
    st.fixed_dictionaries({"user_alias": aliases}),
    st.fixed_dictionaries({"braze_id": names}),
    st.fixed_dictionaries({"email": names}),
)


def client() -> BrazeClient:
    return fake_time(
        BrazeClient(KEY, rest_endpoint="US-03"), sleep=lambda _s: None, random=lambda: 0.0
    )


def read(data: Any, cls: type[Any]) -> Any:
    return strict_converter.structure(data, cls)


def test_user_alias_is_written_and_read_in_braze_names() -> None:
    alias = UserAlias("U1", "line_id")
    assert wire(alias) == alias.to_wire() == {"alias_name": "U1", "alias_label": "line_id"}
    assert read({"alias_name": "U1", "alias_label": "line_id"}, UserAlias) == alias


@given(identity, names, times, st.none() | props, st.none() | names)
def test_event_round_trips(
    ids: dict[str, Any], name: str, time: str, properties: Any, app_id: Any
) -> None:
    event = Event(name=name, time=time, properties=properties, app_id=app_id, **ids)
    data = event.to_wire()
    assert read(data, Event) == event
    assert None not in data.values()  # Braze gets no explicit nulls for unset fields


@given(identity, names, st.integers(0, 10**6) | st.floats(0, 1e6), st.none() | st.integers(1, 9))
def test_purchase_round_trips(ids: dict[str, Any], product: str, price: Any, qty: Any) -> None:
    purchase = Purchase(
        product_id=product,
        currency="JPY",
        price=price,
        quantity=qty,
        time="2024-01-01T00:00:00Z",
        **ids,
    )
    assert read(purchase.to_wire(), Purchase) == purchase


@given(identity, st.none() | st.booleans(), props)
def test_attributes_round_trip_on_the_wire(
    ids: dict[str, Any], flag: Any, custom: dict[str, Any]
) -> None:
    custom = {k: v for k, v in custom.items() if k not in {*ids, "update_existing_only"}}
    attributes = Attributes(update_existing_only=flag, **ids, **custom)
    data = attributes.to_wire()
    assert wire(read(data, Attributes)) == data
    assert {k: data[k] for k in custom} == custom  # custom attributes sit beside the ids
    if "user_alias" in ids and flag is None:
        assert data["_update_existing_only"] is False


def test_attributes_read_back_keeps_custom_keys() -> None:
    back = read({"external_id": "u1", "first_name": "Ann", "tier": None}, Attributes)
    assert back == Attributes(external_id="u1", first_name="Ann", tier=None)


@pytest.mark.parametrize(
    ("data", "cls", "where", "reason"),
    [
        ({"name": {"a": 1}, "external_id": "u", "time": "t"}, Event, "$.name", "a string"),
        (
            {"name": "n", "time": "t", "user_alias": {"alias_name": 1, "alias_label": "l"}},
            Event,
            "$.user_alias.alias_name",
            "a string",
        ),
        (
            {"product_id": "p", "currency": "JPY", "price": "1", "external_id": "u", "time": "t"},
            Purchase,
            "$.price",
            "a number",
        ),
        (
            {"external_id": "u", "_update_existing_only": "yes"},
            Attributes,
            "$._update_existing_only",
            "a boolean",
        ),
        ({"external_id": 7}, Attributes, "$.external_id", "a string"),
    ],
)
def test_wrong_types_are_refused_with_braze_paths(
    data: dict[str, Any], cls: type[Any], where: str, reason: str
) -> None:
    with pytest.raises((cattrs.BaseValidationError, ValueError)) as info:
        read(data, cls)
    found = describe(info.value, naming=to_snake)
    assert any(path.startswith(where) and reason in why for path, why in found), found


def test_an_identifier_problem_names_the_field() -> None:
    with pytest.raises((cattrs.BaseValidationError, ValueError)) as info:
        read({"name": "n", "time": "t"}, Event)
    assert describe(info.value, naming=to_snake)[0][0] == "$.identifier"


def test_an_answer_with_a_wrong_type_names_its_path() -> None:
    with pytest.raises(ResponseError) as info:
        read_answer({"message": {"a": 1}}, IdentityAnswer, method="POST", path="/p", status=201)
    assert "must be a string, got an object @ $.message" in str(info.value)
    assert info.value.service == "braze"


def test_an_answer_without_a_body_reads_as_empty() -> None:
    answer = read_answer(None, IdentityAnswer, method="POST", path="/p", status=201)
    assert answer.processed == 0
    assert answer.errors is None


@responses.activate
def test_identify_refuses_a_garbled_answer_naming_the_path() -> None:
    responses.add(
        responses.POST,
        BASE + "/users/identify",
        status=201,
        json={"aliases_processed": 1, "message": {"a": 1}},
    )
    with pytest.raises(ResponseError) as info:
        client().users.identify([{"external_id": "u", "user_alias": UserAlias("U1", "line_id")}])
    assert "@ $.message" in str(info.value)
    assert KEY not in str(info.value)


@responses.activate
def test_content_block_list_refuses_a_wrong_type_with_its_index() -> None:
    responses.add(
        responses.GET,
        BASE + "/content_blocks/list",
        json={"content_blocks": [{"content_block_id": "c1", "name": 5}], "count": 1},
    )
    with pytest.raises(ResponseError) as info:
        list(client().content_blocks.list())
    assert "must be a string, got a number @ $.content_blocks[0].name" in str(info.value)


@responses.activate
def test_send_reads_dispatch_ids_and_keeps_errors() -> None:
    responses.add(
        responses.POST,
        BASE + "/messages/send",
        status=201,
        json={"dispatch_id": "d1", "errors": [{"type": "x"}], "notice": None},
    )
    hook = {"url": "https://example.com/hook", "body": "{}"}
    result = client().messages.send(external_user_ids=["u1"], webhook=hook)
    assert result.dispatch_id == "d1"
    assert result.errors == ({"type": "x"},)
    assert result.notices == ()


@responses.activate
def test_an_unreadable_track_answer_fails_its_batch_as_uncertain() -> None:
    """Braze answered 201 but its counts cannot be read: which objects were written?"""
    responses.add(
        responses.POST,
        BASE + "/users/track",
        status=201,
        json={"attributes_processed": "2", "message": "success"},
    )
    with pytest.raises(PartialFailure) as info:
        client().users.track(attributes=[{"external_id": "u1"}, {"external_id": "u2"}])
    report = info.value.report
    assert isinstance(report, TrackResult)
    (failure,) = report.failures
    assert isinstance(failure.error, ResponseError)
    assert "must be an integer, got a string @ $.attributes_processed" in str(failure.error)
    assert failure.may_have_been_recorded
    assert len(responses.calls) == 1  # read, not retried


@responses.activate
def test_track_answer_counts_and_refusals_are_read() -> None:
    responses.add(
        responses.POST,
        BASE + "/users/track",
        status=201,
        json={
            "attributes_processed": 1,
            "message": "success",
            "errors": [{"type": "bad", "input_array": "attributes", "index": 1}, "odd"],
        },
    )
    result = client().users.track(attributes=[{"external_id": "u1"}, {"external_id": "u2"}])
    assert result.attributes_processed == 1
    assert [(e.index, e.reason, e.identifier) for e in result.errors] == [(1, "bad", "u2")]
    assert result.notices == ("odd",)


json_values = st.recursive(
    json_scalars | st.floats(allow_nan=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(names, inner, max_size=3),
    max_leaves=8,
)
ANSWERS = (BlockAnswer, BlockListAnswer, DispatchAnswer, ExportAnswer, IdentityAnswer, TrackAnswer)
FIELDS = sorted({a.name for cls in ANSWERS for a in attrs.fields(cls)})


@given(st.sampled_from(ANSWERS), st.dictionaries(st.sampled_from(FIELDS), json_values))
def test_any_answer_reads_or_is_a_response_error_that_echoes_nothing(
    cls: type[Any], body: dict[str, Any]
) -> None:
    body = {k: v for k, v in body.items() if k in attrs.fields_dict(cls)}
    try:
        read_answer(body, cls, method="GET", path="/p", status=200)
    except ResponseError as exc:
        text = str(exc)
        assert "unexpected answer: " in text
        for value in body.values():
            if isinstance(value, str) and len(value) > 3:
                assert value not in text.split("@", maxsplit=1)[0]
