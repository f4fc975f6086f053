"""Push, multicast, reply, validate: retry keys, 409 semantics, recipients checked first."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
import responses
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from responses import matchers
from responses.registries import OrderedRegistry

from line_braze.errors import (
    BadRequest,
    Conflict,
    PartialFailure,
    PermissionDenied,
    RequestTimeout,
    ServerError,
    ValidationError,
)
from line_braze.line.client import LineClient
from line_braze.line.messages import Messages, check_recipient
from line_braze.line.models import TextMessage
from line_braze.line.responses import MulticastResult, PushResult, SentMessage
from line_braze.testing import fake_time

TOKEN = "tok-MESSAGES-5ecret-445566"
BASE = "https://api.line.me"
PUSH = BASE + "/v2/bot/message/push"
MULTI = BASE + "/v2/bot/message/multicast"
USER = "U" + "0123456789abcdef" * 2
HI = [TextMessage(text="Hi")]
HI_WIRE = [{"type": "text", "text": "Hi"}]
KEY = "123e4567-e89b-12d3-a456-426614174000"


class Waits(list[float]):
    def __call__(self, seconds: float, /) -> None:
        self.append(seconds)


@pytest.fixture
def waits() -> Waits:
    return Waits()


@pytest.fixture
def line(waits: Waits) -> Iterator[LineClient]:
    with fake_time(LineClient(TOKEN), sleep=waits, random=lambda: 0.0) as client:
        yield client


def uid(n: int) -> str:
    return f"U{n:032x}"


def _body(call: responses.Call) -> object:
    return json.loads(call.request.body or b"")


def _key(call: responses.Call) -> str:
    return str(call.request.headers["X-Line-Retry-Key"])


# --- push --------------------------------------------------------------------------


@responses.activate
def test_push_sends_the_body_and_a_fresh_uuid_key(line: LineClient) -> None:
    responses.post(
        PUSH,
        json={"sentMessages": [{"id": "461230966842064897", "quoteToken": "IStG5h1Tz7b"}]},
        headers={"x-line-request-id": "req-1"},
        match=[
            matchers.json_params_matcher({"to": USER, "messages": HI_WIRE}),
            matchers.header_matcher({"Authorization": "Bearer " + TOKEN}),
        ],
    )
    result = line.messages.push(USER, HI)
    assert isinstance(result, PushResult)
    assert result.request_id == "req-1"
    assert result.sent_messages == (
        SentMessage(id="461230966842064897", quote_token="IStG5h1Tz7b"),
    )
    assert result.accepted_request_id is None
    assert result.attempts == 1
    key = _key(responses.calls[0])
    assert key == result.retry_key
    assert uuid.UUID(key).version == 4
    assert str(uuid.UUID(key)) == key


@responses.activate
def test_each_push_gets_its_own_key(line: LineClient) -> None:
    responses.post(PUSH, json={"sentMessages": [{"id": "1"}]})
    keys = {line.messages.push(USER, HI).retry_key for _ in range(5)}
    assert len(keys) == 5


@responses.activate
def test_notification_disabled_is_sent(line: LineClient) -> None:
    responses.post(
        PUSH,
        json={"sentMessages": [{"id": "1"}]},
        match=[
            matchers.json_params_matcher(
                {"to": USER, "messages": HI_WIRE, "notificationDisabled": True}
            )
        ],
    )
    line.messages.push(USER, HI, notification_disabled=True)


@responses.activate(registry=OrderedRegistry)
def test_push_503_503_200_reuses_one_key_and_records_the_waits(
    line: LineClient, waits: Waits, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    responses.post(PUSH, status=503, json={"message": "busy"})
    responses.post(PUSH, status=503, json={"message": "busy"})
    responses.post(PUSH, json={"sentMessages": [{"id": "9"}]}, headers={"x-line-request-id": "r3"})
    result = line.messages.push(USER, HI)
    assert len(responses.calls) == 3
    assert {_key(c) for c in responses.calls} == {result.retry_key}
    assert all(_body(c) == {"to": USER, "messages": HI_WIRE} for c in responses.calls)
    assert waits == [0.5, 1.0]  # default policy, jitter source fixed at 0
    assert result.attempts == 3
    assert result.message_ids == ("9",)
    assert TOKEN not in caplog.text


@responses.activate(registry=OrderedRegistry)
def test_409_on_a_retry_is_success_with_the_accepted_request_id(line: LineClient) -> None:
    responses.post(PUSH, body=requests.ReadTimeout("answer lost"))
    responses.post(
        PUSH,
        status=409,
        json={"message": "The retry key is already accepted", "sentMessages": [{"id": "7"}]},
        headers={"x-line-request-id": "req-2", "x-line-accepted-request-id": "req-1"},
    )
    result = line.messages.push(USER, HI, retry_key=KEY)
    assert result.already_accepted
    assert result.accepted_request_id == "req-1"
    assert result.request_id == "req-2"
    assert result.retry_key == KEY
    assert result.sent_messages == (SentMessage(id="7"),)
    assert [_key(c) for c in responses.calls] == [KEY, KEY]


@responses.activate(registry=OrderedRegistry)
def test_409_on_a_retry_without_a_readable_body_is_still_success(line: LineClient) -> None:
    responses.post(PUSH, status=500, json={"message": "oops"})
    responses.post(
        PUSH, status=409, body="conflict", headers={"x-line-accepted-request-id": "req-1"}
    )
    result = line.messages.push(USER, HI)
    assert result.accepted_request_id == "req-1"
    assert result.sent_messages == ()


@responses.activate
def test_409_on_the_first_attempt_is_a_conflict(line: LineClient) -> None:
    """A key line_braze minted cannot be known to LINE: a 409 then is a real conflict."""
    responses.post(
        PUSH,
        status=409,
        json={"message": "The retry key is already accepted"},
        headers={"x-line-request-id": "req-9", "x-line-accepted-request-id": "req-1"},
    )
    with pytest.raises(Conflict) as info:
        line.messages.push(USER, HI)
    err = info.value
    assert err.accepted_request_id == "req-1"
    assert err.attempts == 1
    assert err.retry_key is not None
    assert "accepted_request_id=req-1" in str(err)
    assert "mint a new key" in str(err)
    assert len(responses.calls) == 1


@responses.activate
def test_resending_with_a_key_line_already_accepted_is_success(line: LineClient) -> None:
    responses.post(
        PUSH,
        status=409,
        json={"message": "The retry key is already accepted"},
        headers={"x-line-request-id": "req-9", "x-line-accepted-request-id": "req-1"},
    )
    result = line.messages.push(USER, HI, retry_key=KEY)
    assert result.already_accepted
    assert result.accepted_request_id == "req-1"
    assert result.retry_key == KEY
    assert len(responses.calls) == 1


@responses.activate
def test_a_409_without_an_accepted_id_stays_a_conflict_even_when_resending(
    line: LineClient,
) -> None:
    responses.post(PUSH, status=409, json={"message": "Conflict"})
    with pytest.raises(Conflict) as info:
        line.messages.push(USER, HI, retry_key=KEY)
    assert info.value.retry_key == KEY


@responses.activate(registry=OrderedRegistry)
def test_a_push_whose_answers_never_come_tells_the_caller_to_retry_with_the_key(
    line: LineClient,
) -> None:
    for _ in range(4):
        responses.post(PUSH, body=requests.ReadTimeout("slow"))
    with pytest.raises(RequestTimeout) as info:
        line.messages.push(USER, HI, retry_key=KEY)
    assert info.value.may_have_taken_effect
    assert {_key(c) for c in responses.calls} == {KEY}


@pytest.mark.parametrize(
    "given_key", [KEY.upper(), KEY.replace("-", ""), uuid.UUID(KEY), "{" + KEY + "}"]
)
@responses.activate
def test_a_callers_key_is_sent_in_canonical_form(
    line: LineClient, given_key: str | uuid.UUID
) -> None:
    responses.post(PUSH, json={"sentMessages": [{"id": "1"}]})
    assert line.messages.push(USER, HI, retry_key=given_key).retry_key == KEY
    assert _key(responses.calls[0]) == KEY


@pytest.mark.parametrize("bad_key", ["", "not-a-uuid", "123", 42])
def test_a_bad_retry_key_is_refused_before_sending(line: LineClient, bad_key: object) -> None:
    with responses.RequestsMock() as mock:
        with pytest.raises(ValidationError) as info:
            line.messages.push(USER, HI, retry_key=bad_key)  # type: ignore[arg-type]
        assert info.value.field == "retry_key"
        assert len(mock.calls) == 0


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "U123",
        "u" + "0" * 32,
        "U" + "G" * 32,
        "U" + "A" * 32,
        "X" + "0" * 32,
        " U" + "0" * 32,
        "U" + "0" * 32 + "\n",
        None,
        ["U" + "0" * 32],
    ],
)
def test_bad_recipients_raise_before_any_call(line: LineClient, bad: object) -> None:
    with responses.RequestsMock() as mock:
        with pytest.raises(ValidationError) as info:
            line.messages.push(bad, HI)  # type: ignore[arg-type]
        assert info.value.field == "to"
        assert len(mock.calls) == 0


@pytest.mark.parametrize("prefix", ["U", "C", "R"])
def test_users_groups_and_rooms_are_recipients(prefix: str) -> None:
    assert check_recipient(prefix + "f" * 32) == prefix + "f" * 32


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=40))
def test_only_the_documented_id_shape_is_a_recipient(text: str) -> None:
    import re

    ok = re.fullmatch(r"[UCR][0-9a-f]{32}", text) is not None
    try:
        check_recipient(text)
    except ValidationError:
        assert not ok
    else:
        assert ok


def test_bad_messages_raise_before_any_call(line: LineClient) -> None:
    with responses.RequestsMock() as mock:
        with pytest.raises(ValidationError) as info:
            line.messages.push(USER, [])
        assert info.value.field.startswith("messages")
        with pytest.raises(ValidationError):
            line.messages.push(USER, HI * 6)
        assert len(mock.calls) == 0


@responses.activate
def test_line_400_names_the_property(line: LineClient) -> None:
    responses.post(
        PUSH,
        status=400,
        json={
            "message": "The request body has 1 error(s)",
            "details": [{"message": "May not be empty", "property": "messages[0].text"}],
        },
        headers={"x-line-request-id": "rq"},
    )
    with pytest.raises(BadRequest) as info:
        line.messages.push(USER, HI)
    assert str(info.value).startswith(
        "LINE POST /v2/bot/message/push -> 400: May not be empty "
        "(messages[0].text) (request_id=rq, attempts=1)"
    )
    assert TOKEN not in repr(info.value)


def test_push_result_displays_show_no_more_than_repr() -> None:
    result = PushResult(request_id="r", retry_key=KEY, sent_messages=(SentMessage(id="1"),))
    assert KEY in repr(result)
    assert "<table>" in result._repr_html_()
    assert dict(result.__rich_repr__())["retry_key"] == KEY


# --- multicast ---------------------------------------------------------------------


@responses.activate
def test_multicast_1001_recipients_makes_3_requests_with_distinct_keys(line: LineClient) -> None:
    responses.post(MULTI, json={}, headers={"x-line-request-id": "m"})
    recipients = [uid(i) for i in range(1001)]
    result = line.messages.multicast(recipients, HI)
    assert isinstance(result, MulticastResult)
    assert len(responses.calls) == 3
    bodies = [_body(c) for c in responses.calls]
    assert [len(b["to"]) for b in bodies] == [500, 500, 1]  # type: ignore[index]
    assert [x for b in bodies for x in b["to"]] == recipients  # type: ignore[index]
    assert all(b["messages"] == HI_WIRE for b in bodies)  # type: ignore[index]
    keys = [_key(c) for c in responses.calls]
    assert len(set(keys)) == 3
    assert [c.retry_key for c in result.chunks] == keys
    assert result.ok
    assert result.sent_count == 1001
    assert result.raise_for_errors() is result


@responses.activate(registry=OrderedRegistry)
def test_multicast_retries_a_chunk_with_its_own_key(line: LineClient) -> None:
    responses.post(MULTI, json={})
    responses.post(MULTI, status=503, json={"message": "busy"})
    responses.post(
        MULTI, status=409, json={"message": "accepted"}, headers={"x-line-accepted-request-id": "a"}
    )
    result = line.messages.multicast([uid(i) for i in range(501)], HI)
    keys = [_key(c) for c in responses.calls]
    assert keys[1] == keys[2] != keys[0]
    assert result.chunks[1].accepted_request_id == "a"
    assert result.ok


@responses.activate(registry=OrderedRegistry)
def test_a_failed_chunk_does_not_hide_the_sent_ones(line: LineClient) -> None:
    responses.post(MULTI, json={}, headers={"x-line-request-id": "c0"})
    responses.post(MULTI, json={}, headers={"x-line-request-id": "c1"})
    for _ in range(4):
        responses.post(MULTI, status=500, json={"message": "down"})
    responses.post(MULTI, json={}, headers={"x-line-request-id": "c3"})
    result = line.messages.multicast([uid(i) for i in range(1600)], HI)
    assert [c.status for c in result.chunks] == ["sent", "sent", "failed", "sent"]
    assert [c.request_id for c in result.sent] == ["c0", "c1", "c3"]
    failed = result.failed[0]
    assert isinstance(failed.error, ServerError)
    assert failed.attempts == 4
    assert len(failed) == 500
    assert result.errors == (failed.error,)
    assert not result.ok
    with pytest.raises(PartialFailure) as info:
        result.raise_for_errors()
    assert info.value.report is result
    assert info.value.__cause__ is failed.error
    assert "3 of 4 chunks sent, 1 failed" in str(info.value)


@responses.activate
def test_a_failed_chunk_can_be_resent_with_its_key(line: LineClient) -> None:
    responses.post(MULTI, json={})
    recipients = [uid(i) for i in range(3)]
    result = line.messages.multicast(recipients, HI, retry_key=KEY)
    assert result.chunks[0].retry_key == KEY
    assert _key(responses.calls[0]) == KEY


def test_one_key_cannot_cover_several_chunks(line: LineClient) -> None:
    with responses.RequestsMock() as mock:
        with pytest.raises(ValidationError) as info:
            line.messages.multicast([uid(i) for i in range(501)], HI, retry_key=KEY)
        assert info.value.field == "retry_key"
        assert len(mock.calls) == 0


@responses.activate(registry=OrderedRegistry)
def test_after_a_403_the_remaining_chunks_are_skipped(line: LineClient) -> None:
    responses.post(MULTI, status=403, json={"message": "not allowed"})
    result = line.messages.multicast([uid(i) for i in range(1200)], HI)
    assert [c.status for c in result.chunks] == ["failed", "skipped", "skipped"]
    assert isinstance(result.chunks[0].error, PermissionDenied)
    assert len(responses.calls) == 1


@responses.activate(registry=OrderedRegistry)
def test_stop_on_error_skips_the_rest(line: LineClient) -> None:
    responses.post(MULTI, status=400, json={"message": "bad"})
    result = line.messages.multicast([uid(i) for i in range(1200)], HI, stop_on_error=True)
    assert [c.status for c in result.chunks] == ["failed", "skipped", "skipped"]
    assert len(result.skipped) == 2


@pytest.mark.parametrize(
    ("to", "field"),
    [
        ([], "to"),
        (USER, "to"),
        ([USER, "C" + "0" * 32], "to[1]"),
        ([uid(i) for i in range(700)] + ["bad"], "to[700]"),
    ],
)
def test_multicast_recipients_are_user_ids_checked_before_sending(
    line: LineClient, to: list[str], field: str
) -> None:
    with responses.RequestsMock() as mock:
        with pytest.raises(ValidationError) as info:
            line.messages.multicast(to, HI)
        assert info.value.field == field
        assert len(mock.calls) == 0


def test_multicast_takes_any_iterable(line: LineClient) -> None:
    with responses.RequestsMock() as mock:
        mock.post(MULTI, json={})
        result = line.messages.multicast((uid(i) for i in range(3)), HI)
        assert result.chunks[0].recipients == (uid(0), uid(1), uid(2))


# --- reply and validate ------------------------------------------------------------


@responses.activate(registry=OrderedRegistry)
def test_reply_has_no_retry_key_and_is_never_retried(line: LineClient) -> None:
    url = BASE + "/v2/bot/message/reply"
    responses.post(url, status=500, json={"message": "oops"})
    responses.post(url, json={"sentMessages": [{"id": "1"}]})
    with pytest.raises(ServerError):
        line.messages.reply("reply-token-1", HI)
    assert len(responses.calls) == 1
    assert "X-Line-Retry-Key" not in responses.calls[0].request.headers
    assert _body(responses.calls[0]) == {"replyToken": "reply-token-1", "messages": HI_WIRE}


@responses.activate
def test_reply_returns_sent_messages(line: LineClient) -> None:
    responses.post(BASE + "/v2/bot/message/reply", json={"sentMessages": [{"id": "5"}]})
    assert line.messages.reply("rt", HI).sent_messages == (SentMessage(id="5"),)


def test_reply_needs_a_token(line: LineClient) -> None:
    with pytest.raises(ValidationError) as info:
        line.messages.reply(" ", HI)
    assert info.value.field == "reply_token"


@pytest.mark.parametrize("kind", ["push", "reply", "multicast", "narrowcast", "broadcast"])
@responses.activate
def test_validate_calls_the_dry_run_endpoint(line: LineClient, kind: str) -> None:
    responses.post(
        f"{BASE}/v2/bot/message/validate/{kind}",
        body="",
        match=[matchers.json_params_matcher({"messages": HI_WIRE})],
    )
    assert line.messages.validate(HI, kind=kind) is None  # type: ignore[arg-type,func-returns-value]
    assert "X-Line-Retry-Key" not in responses.calls[0].request.headers


@responses.activate
def test_validate_reports_lines_verdict(line: LineClient) -> None:
    responses.post(
        BASE + "/v2/bot/message/validate/push",
        status=400,
        json={
            "message": "The request body has 1 error(s)",
            "details": [
                {"message": "Length must be between 0 and 5000", "property": "messages[0].text"}
            ],
        },
    )
    with pytest.raises(BadRequest) as info:
        line.messages.validate(HI)
    assert info.value.details[0]["property"] == "messages[0].text"


def test_validate_kind_is_checked(line: LineClient) -> None:
    with pytest.raises(ValidationError) as info:
        line.messages.validate(HI, kind="pigeon")  # type: ignore[arg-type]
    assert info.value.field == "kind"


# --- request bodies use only properties the spec defines -------------------------------

SPEC = Path(__file__).resolve().parents[1] / "specs" / "line" / "messaging-api.yml"


@pytest.mark.parametrize(
    ("url", "schema", "send"),
    [
        (PUSH, "PushMessageRequest", lambda m: m.push(USER, HI, notification_disabled=True)),
        (MULTI, "MulticastRequest", lambda m: m.multicast([USER], HI, notification_disabled=True)),
        (
            BASE + "/v2/bot/message/reply",
            "ReplyMessageRequest",
            lambda m: m.reply("rt", HI, notification_disabled=True),
        ),
        (
            BASE + "/v2/bot/message/validate/push",
            "ValidateMessageRequest",
            lambda m: m.validate(HI),
        ),
    ],
)
def test_request_bodies_match_the_spec(
    line: LineClient, url: str, schema: str, send: Callable[[Messages], object]
) -> None:
    if not SPEC.exists():
        pytest.fail("the vendored LINE specs are missing from tests/specs/line")
    definition = yaml.safe_load(SPEC.read_text(encoding="utf-8"))["components"]["schemas"][schema]
    with responses.RequestsMock() as mock:
        mock.post(url, json={"sentMessages": [{"id": "1"}]})
        send(line.messages)
        body = _body(mock.calls[0])
    assert isinstance(body, dict)
    assert set(body) <= set(definition["properties"])
    assert set(definition.get("required", ())) <= set(body)
