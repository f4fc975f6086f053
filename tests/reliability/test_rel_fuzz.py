"""Fuzzing webhook input: arbitrary bytes, JSON and signatures never raise but `LineBrazeError`.

A webhook endpoint faces the internet. Whatever arrives (noise, JSON of any shape, LINE's shape
with wrong types in every field, any signature header), `parse_webhook`, `verify_signature`,
`parse_events` and `Integration.handle_webhook` either return a clean result or raise one of
line_braze's own errors, which a web framework can map to a 4xx.
"""

# Fuzzed input may parse or be refused; the assertions inside `except` check what a refusal
# must be, so PT017 does not apply (pytest.raises would demand a failure).
# ruff: noqa: PT017, PERF203

from __future__ import annotations

import base64
import hmac
import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from line_braze import BrazeClient, Integration, LineClient, RetryPolicy
from line_braze.errors import LineBrazeError, SignatureError, ValidationError, WebhookParseError
from line_braze.line import events as line_events
from line_braze.line import webhook as wh
from line_braze.line.webhook import (
    UnknownEvent,
    WebhookPayload,
    compute_signature,
    parse_events,
    parse_webhook,
    verify_signature,
)
from line_braze.testing import BrazeEmulator, follower_id

pytestmark = pytest.mark.reliability

SECRET = "fuzz-channel-secret"
FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

EVENT_TYPES = [
    "follow",
    "unfollow",
    "message",
    "postback",
    "accountLink",
    "join",
    "leave",
    "memberJoined",
    "memberLeft",
    "unsend",
    "videoPlayComplete",
    "beacon",
    "membership",
    "somethingNew",
]

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=10,
)
user_ids = st.one_of(st.just(follower_id(1)), st.just(follower_id(2)), st.text(max_size=40))
timestamps = st.one_of(
    st.integers(min_value=0, max_value=2_000_000_000_000),
    st.integers(),
    st.integers(min_value=-(2**70), max_value=2**70),
    json_values,
)


def _or_junk(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(strategy, json_values)


sources = _or_junk(
    st.fixed_dictionaries(
        {"type": st.sampled_from(["user", "group", "room", "other"])},
        optional={
            "userId": _or_junk(user_ids),
            "groupId": _or_junk(st.text(max_size=40)),
            "roomId": _or_junk(st.text(max_size=40)),
        },
    )
)
messages = _or_junk(
    st.fixed_dictionaries(
        {"type": st.sampled_from(["text", "image", "sticker", "video", "location"])},
        optional={
            "id": _or_junk(st.text(max_size=12)),
            "text": _or_junk(st.text(max_size=40)),
            "quoteToken": _or_junk(st.text(max_size=20)),
            "emojis": _or_junk(
                st.lists(
                    st.fixed_dictionaries(
                        {"index": _or_junk(st.integers()), "length": _or_junk(st.integers())},
                        optional={"productId": st.text(max_size=5), "emojiId": st.text(max_size=5)},
                    ),
                    max_size=3,
                )
            ),
            "mention": json_values,
            "packageId": _or_junk(st.text(max_size=5)),
            "stickerId": _or_junk(st.text(max_size=5)),
            "contentProvider": json_values,
        },
    )
)


def make_events(stamps: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Webhook events of every type with junk in every field; ``stamps`` for timestamps."""
    return _or_junk(
        st.fixed_dictionaries(
            {"type": _or_junk(st.sampled_from(EVENT_TYPES))},
            optional={
                "timestamp": stamps,
                "mode": _or_junk(st.sampled_from(["active", "standby"])),
                "source": sources,
                "webhookEventId": _or_junk(st.text(max_size=30)),
                "deliveryContext": _or_junk(st.fixed_dictionaries({"isRedelivery": json_values})),
                "replyToken": _or_junk(st.text(max_size=30)),
                "message": messages,
                "link": _or_junk(
                    st.fixed_dictionaries(
                        {"result": _or_junk(st.sampled_from(["ok", "failed"]))},
                        optional={"nonce": _or_junk(st.text(max_size=20))},
                    )
                ),
                "postback": _or_junk(
                    st.fixed_dictionaries({"data": _or_junk(st.text(max_size=20))})
                ),
                "follow": _or_junk(st.fixed_dictionaries({"isUnblocked": json_values})),
                "joined": json_values,
                "left": json_values,
                "unsend": json_values,
                "beacon": json_values,
                "membership": json_values,
                "videoPlayComplete": json_values,
                "extraKey": json_values,
            },
        )
    )


def make_payloads(events: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Whole webhook bodies (as JSON values): LINE's shape, a broken shape, or anything."""
    return st.one_of(
        st.fixed_dictionaries(
            {
                "destination": _or_junk(st.text(max_size=40)),
                "events": _or_junk(st.lists(events, max_size=6)),
            }
        ),
        st.fixed_dictionaries(
            {"destination": st.just("U" + "b0" * 16), "events": st.lists(events, max_size=6)}
        ),
        json_values,
    )


events = make_events(timestamps)
payloads = make_payloads(events)
# Times Python's datetime can hold (year 1..9999): see the impossible-timestamp test too.
sane_payloads = make_payloads(
    make_events(
        st.one_of(
            st.integers(0, 253_402_300_799_999),
            st.none() | st.booleans() | st.text(max_size=10) | st.floats(allow_nan=False),
            st.lists(st.integers(), max_size=2),
        )
    )
)


def _encode(value: Any) -> bytes:
    return json.dumps(value).encode()


def _check_payload(payload: WebhookPayload, data: Any) -> None:
    assert isinstance(payload, WebhookPayload)
    assert isinstance(data, dict)
    assert len(payload.events) == len(data["events"])
    for event in payload.events:
        # every event is typed or kept raw; repr and str never fail
        assert isinstance(event, UnknownEvent | line_events._Event)
        repr(event)
        str(event)


# -- parse_events ----------------------------------------------------------------------------------


@FUZZ
@given(body=st.binary(max_size=300))
@example(body=b"\xff\xfe{}")
@example(body=b"[" * 100_000)
@example(body=b'{"destination": "U1", "events": [NaN]}')
@example(body=b'{"destination": "U1", "events": [], "x": 1e999}')
def test_parse_events_on_arbitrary_bytes(body: bytes) -> None:
    try:
        payload = parse_events(body)
    except LineBrazeError as exc:
        assert isinstance(exc, WebhookParseError)
        assert str(exc).startswith("$")
    else:
        _check_payload(payload, json.loads(body))


@FUZZ
@given(data=payloads)
def test_parse_events_on_arbitrary_json(data: Any) -> None:
    for body in (_encode(data), json.dumps(data), data):
        try:
            payload = parse_events(body)
        except LineBrazeError as exc:
            assert isinstance(exc, WebhookParseError | ValidationError)
        else:
            _check_payload(payload, data)


@settings(FUZZ, max_examples=40)
@given(
    data=st.fixed_dictionaries(
        {"destination": st.text(max_size=5), "events": st.lists(events, min_size=1, max_size=5)}
    )
)
def test_a_bad_event_never_costs_the_others(data: dict[str, Any]) -> None:
    good = {
        "type": "unfollow",
        "timestamp": 1,
        "mode": "active",
        "source": {"type": "user", "userId": follower_id(7)},
        "webhookEventId": "01GOOD",
        "deliveryContext": {"isRedelivery": False},
    }
    data["events"].append(good)
    payload = parse_events(_encode(data))
    last = payload.events[-1]
    assert isinstance(last, wh.UnfollowEvent)
    assert last.user_id == follower_id(7)


# -- signatures ------------------------------------------------------------------------------------

signatures = st.one_of(
    st.none(),
    st.text(max_size=60),
    st.binary(max_size=60),
    st.binary(min_size=32, max_size=32).map(lambda b: __import__("base64").b64encode(b).decode()),
)
secrets_ = st.one_of(st.just(SECRET), st.text(max_size=30))


@FUZZ
@given(body=st.binary(max_size=200), signature=signatures, secret=secrets_)
def test_verify_signature_is_a_bool_or_a_configuration_error(
    body: bytes, signature: str | bytes | None, secret: str
) -> None:
    try:
        ok = verify_signature(body, signature, secret)
    except LineBrazeError as exc:
        assert isinstance(exc, ValidationError)
        assert exc.field == "channel_secret"
    else:
        assert isinstance(ok, bool)
        if ok:  # only the HMAC of this body under this secret verifies
            assert signature is not None
            digest = hmac.digest(secret.encode(), body, "sha256")
            assert base64.b64decode(signature) == digest


@FUZZ
@given(body=st.binary(max_size=200), secret=st.text(min_size=1, max_size=30))
def test_only_the_right_signature_verifies(body: bytes, secret: str) -> None:
    assume(secret == secret.strip())
    signature = compute_signature(body, secret)
    assert verify_signature(body, signature, secret)
    assert verify_signature(body, signature.encode(), secret)
    assert not verify_signature(body + b" ", signature, secret)
    assert not verify_signature(body, signature, secret + "x")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    assert not verify_signature(body, flipped, secret)


@FUZZ
@given(body=st.one_of(st.binary(max_size=300), payloads.map(_encode)), signature=signatures)
def test_parse_webhook_with_any_signature(body: bytes, signature: str | bytes | None) -> None:
    try:
        parse_webhook(body, signature, SECRET)
    except SignatureError as exc:
        assert SECRET not in str(exc)
    except LineBrazeError as exc:
        # only a correctly signed body gets past the signature check
        assert isinstance(exc, WebhookParseError)
        assert verify_signature(body, signature, SECRET)


@FUZZ
@given(body=st.one_of(st.binary(max_size=300), payloads.map(_encode)))
def test_parse_webhook_with_the_right_signature(body: bytes) -> None:
    try:
        parse_webhook(body, compute_signature(body, SECRET), SECRET)
    except LineBrazeError as exc:
        assert isinstance(exc, WebhookParseError)


@pytest.mark.parametrize("body", ["a str", None, 123, {"destination": "U1", "events": []}])
def test_parse_webhook_refuses_a_body_that_is_not_bytes(body: Any) -> None:
    with pytest.raises(ValidationError, match="body"):
        parse_webhook(body, "sig", SECRET)


# -- Integration.handle_webhook --------------------------------------------------------------------


@pytest.fixture(scope="module")
def integration() -> Iterator[tuple[Integration, BrazeEmulator]]:
    with BrazeEmulator() as braze_emu:
        line = LineClient("line-token", retry=RetryPolicy.none())
        braze = BrazeClient(
            braze_emu.api_key, rest_endpoint=braze_emu.url, retry=RetryPolicy.none()
        )
        integ = Integration(
            line=line,
            braze=braze,
            channel_secret=SECRET,
            resolve_nonce=lambda nonce: f"ext-{nonce}" if nonce else None,
        )
        yield integ, braze_emu
        braze.close()
        line.close()


@FUZZ
@given(body=st.one_of(st.binary(max_size=300), sane_payloads.map(_encode)), signed=st.booleans())
def test_handle_webhook_never_raises_anything_but_line_braze_errors(
    integration: tuple[Integration, BrazeEmulator], body: bytes, signed: bool
) -> None:
    integ, _braze_emu = integration
    integ.event_store = wh_store()
    signature = compute_signature(body, SECRET) if signed else "bm90IGEgc2lnbmF0dXJl"
    try:
        report = integ.handle_webhook(body, signature)
    except LineBrazeError as exc:
        assert signed or isinstance(exc, SignatureError)
        assert SECRET not in str(exc)
    else:
        assert signed
        assert report.duplicates + report.ignored + len(report.writes) <= len(report.events)
        repr(report)


def wh_store() -> Any:
    from line_braze.mirror import BoundedEventStore

    return BoundedEventStore(maxsize=100)


def _unfollow_at(timestamp: int) -> bytes:
    return _encode(
        {
            "destination": "U1",
            "events": [
                {
                    "type": "unfollow",
                    "timestamp": timestamp,
                    "mode": "active",
                    "source": {"type": "user", "userId": follower_id(1)},
                    "webhookEventId": f"01T{timestamp}",
                    "deliveryContext": {"isRedelivery": False},
                }
            ],
        }
    )


@pytest.mark.parametrize("timestamp", [10**20, -(10**20), 2**63, 253_402_300_800_000])
def test_an_unfollow_with_an_impossible_timestamp_is_a_line_braze_error_or_handled(
    integration: tuple[Integration, BrazeEmulator], timestamp: int
) -> None:
    integ, _ = integration
    integ.event_store = wh_store()  # a fresh store: the previous timestamps are not newer
    body = _unfollow_at(timestamp)
    try:
        report = integ.handle_webhook(body, compute_signature(body, SECRET))
    except LineBrazeError:
        return
    assert report.writes[0].action == "unset"
