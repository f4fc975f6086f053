"""Property tests: whatever arrives, webhook parsing raises only line_braze errors."""

from __future__ import annotations

import contextlib
import copy
import json
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from line_braze._wire import wire
from line_braze.errors import LineBrazeError, SignatureError, WebhookParseError
from line_braze.line import events as line_events
from line_braze.line import webhook as wh
from line_braze.line.webhook import (
    AccountLinkEvent,
    DeliveryContext,
    FollowDetail,
    FollowEvent,
    GroupSource,
    LinkContent,
    MessageEmoji,
    MessageEvent,
    PostbackContent,
    PostbackEvent,
    RoomSource,
    StickerMessageContent,
    TextMessageContent,
    UnfollowEvent,
    UnknownEvent,
    UserSource,
    WebhookPayload,
    compute_signature,
    parse_events,
    parse_webhook,
    verify_signature,
)

FIXTURES = Path(__file__).resolve().parents[1] / "specs" / "line" / "fixtures"
SECRET = "prop-channel-secret"
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


def load_fixture(name: str) -> dict[str, Any]:
    path = FIXTURES / name
    if not path.is_file():
        pytest.fail("the vendored LINE specs are missing from tests/specs/line")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def fixture_events() -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    for name in ("sdk-python-v3-webhook.json", "sdk-python-legacy-webhook.json"):
        path = FIXTURES / name
        if path.is_file():
            events += json.loads(path.read_text(encoding="utf-8"))["events"]
    return events


FIXTURE_EVENTS = fixture_events()


def parse_signed(body: bytes) -> WebhookPayload | None:
    """Parse a correctly signed body; a WebhookParseError is an allowed outcome."""
    try:
        return parse_webhook(body, compute_signature(body, SECRET), SECRET)
    except WebhookParseError:
        return None


# -- nothing but LineBrazeError --------------------------------------------------------------


@FAST
@given(st.binary(max_size=300))
def test_random_signed_bytes_raise_only_parse_errors(body: bytes) -> None:
    payload = parse_signed(body)
    assert payload is None or isinstance(payload, WebhookPayload)


@FAST
@given(json_values)
def test_random_signed_json_raises_only_parse_errors(value: Any) -> None:
    body = json.dumps(value).encode()
    payload = parse_signed(body)
    if payload is not None:
        assert isinstance(value, dict)
        assert payload.destination == value["destination"]


@FAST
@given(st.text(max_size=10), st.lists(json_values, max_size=6))
def test_any_events_list_keeps_one_event_per_entry(destination: str, events: list[Any]) -> None:
    body = json.dumps({"destination": destination, "events": events}).encode()
    payload = parse_signed(body)
    assert payload is not None
    assert len(payload.events) == len(events)
    for raw, parsed in zip(events, payload.events, strict=True):
        if not isinstance(raw, dict):
            assert isinstance(parsed, UnknownEvent)
            assert parsed.error is not None


@FAST
@given(st.binary(max_size=64), st.text(max_size=60) | st.binary(max_size=60) | st.none())
def test_verify_signature_is_a_plain_bool(body: bytes, signature: str | bytes | None) -> None:
    assert verify_signature(body, signature, SECRET) in {True, False}
    with contextlib.suppress(LineBrazeError):
        parse_webhook(body, signature, SECRET)


@FAST
@given(st.binary(max_size=200), st.text(min_size=1, max_size=40).filter(lambda s: s == s.strip()))
def test_signatures_verify_only_with_the_same_secret_and_body(body: bytes, secret: str) -> None:
    signature = compute_signature(body, secret)
    assert verify_signature(body, signature, secret)
    assert not verify_signature(body + b" ", signature, secret)
    assert not verify_signature(body, signature, secret + "x")
    if body:
        with pytest.raises(SignatureError):
            parse_webhook(body[:-1], signature, secret)


# -- LINE's fixture events under mutation ----------------------------------------------------


def extra_keys(taken: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(
        st.text(min_size=1, max_size=10).filter(lambda k: k not in taken), json_values, max_size=3
    )


@st.composite
def event_with_extra_keys(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    if not FIXTURE_EVENTS:
        pytest.fail("the vendored LINE specs are missing from tests/specs/line")
    original = draw(st.sampled_from(FIXTURE_EVENTS))
    mutated = copy.deepcopy(original)
    mutated.update(draw(extra_keys(mutated)))
    for key, value in list(mutated.items()):  # nested objects get extra keys too
        if isinstance(value, dict) and key in original and draw(st.booleans()):
            value.update(draw(extra_keys(value)))
    return original, mutated


@settings(FAST, max_examples=80)
@given(event_with_extra_keys())
def test_fixture_events_with_random_extra_keys_parse_the_same(
    pair: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    original, mutated = pair
    before = parse_events({"destination": "U1", "events": [original]}).events[0]
    after = parse_events({"destination": "U1", "events": [mutated]}).events[0]
    if isinstance(before, UnknownEvent):  # the raw mapping keeps what arrived
        assert isinstance(after, UnknownEvent)
        assert after.type == before.type
        assert after.raw == mutated
    else:
        assert type(after) is type(before)
        assert without_raw(attrs.asdict(after)) == without_raw(attrs.asdict(before))


def without_raw(value: Any) -> Any:
    """Drop the ``raw`` mappings (which keep extra keys by design) from an ``asdict`` tree."""
    if isinstance(value, dict):
        return {k: without_raw(v) for k, v in value.items() if k != "raw"}
    if isinstance(value, (list, tuple)):
        return [without_raw(v) for v in value]
    return value


@FAST
@given(
    st.sampled_from(range(max(len(FIXTURE_EVENTS), 1))),
    st.text(max_size=15).filter(lambda t: t not in line_events._EVENT_TYPES),
)
def test_fixture_events_with_unknown_types_become_unknown(index: int, kind: str) -> None:
    if not FIXTURE_EVENTS:
        pytest.fail("the vendored LINE specs are missing from tests/specs/line")
    raw = dict(FIXTURE_EVENTS[index], type=kind)
    neighbour = FIXTURE_EVENTS[0]
    payload = parse_events({"destination": "U1", "events": [raw, neighbour]})
    first, second = payload.events
    assert isinstance(first, UnknownEvent)
    assert (first.type, first.raw, first.error) == (kind, raw, None)
    assert first.webhook_event_id == raw.get("webhookEventId")
    assert isinstance(second, MessageEvent)


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path into a JSON value: ``("message", "contentProvider", "type")``..."""
    found: list[tuple[Any, ...]] = []
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, child in items:
        found.append((*prefix, key))
        if isinstance(child, (dict, list)):
            found += paths(child, (*prefix, key))
    return found


@FAST
@given(st.data())
def test_any_fixture_value_replaced_by_random_json_never_costs_the_batch(
    data: st.DataObject,
) -> None:
    if not FIXTURE_EVENTS:
        pytest.fail("the vendored LINE specs are missing from tests/specs/line")
    index = data.draw(st.sampled_from(range(len(FIXTURE_EVENTS))))
    raw = copy.deepcopy(FIXTURE_EVENTS[index])
    path = data.draw(st.sampled_from([p for p in paths(raw) if p != ("type",)]))
    parent: Any = raw
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = data.draw(json_values)
    events = [FIXTURE_EVENTS[0], raw, FIXTURE_EVENTS[7]]
    body = json.dumps({"destination": "U1", "events": events}).encode()
    payload = parse_signed(body)
    assert payload is not None
    assert len(payload.events) == 3
    assert payload.events[0] == parse_events({"destination": "U", "events": events[:1]}).events[0]
    assert isinstance(payload.events[2], UnfollowEvent)


# -- models round-trip through their wire form -----------------------------------------------

ids = st.text(alphabet="0123456789abcdef", min_size=1, max_size=33)
texts = st.text(max_size=30)
sources = st.one_of(
    st.builds(UserSource, user_id=st.none() | ids),
    st.builds(GroupSource, group_id=ids, user_id=st.none() | ids),
    st.builds(RoomSource, room_id=ids, user_id=st.none() | ids),
)
common = {
    "timestamp": st.integers(min_value=0, max_value=2**53),
    "mode": st.none() | st.sampled_from(["active", "standby", "somethingNew"]),
    "webhook_event_id": st.none() | ids,
    "delivery_context": st.none() | st.builds(DeliveryContext, is_redelivery=st.booleans()),
    "source": st.none() | sources,
}
contents = st.one_of(
    st.builds(
        TextMessageContent,
        id=ids,
        text=texts,
        emojis=st.lists(
            st.builds(
                MessageEmoji,
                index=st.integers(0, 100),
                length=st.none() | st.integers(0, 10),
                product_id=ids,
                emoji_id=ids,
            ),
            max_size=2,
        ).map(tuple),
        quote_token=st.none() | texts,
    ),
    st.builds(
        StickerMessageContent,
        id=ids,
        package_id=ids,
        sticker_id=ids,
        keywords=st.lists(texts, max_size=3).map(tuple),
        text=st.none() | texts,
    ),
)
events = st.one_of(
    st.builds(
        FollowEvent,
        reply_token=st.none() | texts,
        follow=st.none() | st.builds(FollowDetail, is_unblocked=st.booleans()),
        **common,
    ),
    st.builds(UnfollowEvent, **common),
    st.builds(MessageEvent, reply_token=st.none() | texts, message=contents, **common),
    st.builds(
        AccountLinkEvent,
        reply_token=st.none() | texts,
        link=st.builds(
            LinkContent, result=st.sampled_from(["ok", "failed"]), nonce=st.none() | texts
        ),
        **common,
    ),
    st.builds(
        PostbackEvent,
        postback=st.builds(
            PostbackContent,
            data=texts,
            params=st.none() | st.dictionaries(st.text(max_size=5), texts, max_size=3),
        ),
        **common,
    ),
)


@FAST
@given(st.lists(events, max_size=4), ids)
def test_events_round_trip_through_wire_json_and_a_signature(
    built: list[Any], destination: str
) -> None:
    payload = WebhookPayload(destination=destination, events=tuple(built))
    body = json.dumps(wire(payload), ensure_ascii=False).encode()
    assume(len(body) < 100_000)
    again = parse_webhook(body, compute_signature(body, SECRET), SECRET)
    assert again == payload
    strict = wh._parse(json.loads(body), wh._converter(strict=True))
    assert strict == payload
