"""LINE webhooks: signatures over raw bytes, typed events, forgiving parsing, no leaks."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from line_braze._secret import Secret
from line_braze._wire import wire
from line_braze.errors import LineBrazeError, SignatureError, ValidationError, WebhookParseError
from line_braze.line import webhook as wh
from line_braze.line.webhook import (
    AccountLinkEvent,
    BeaconEvent,
    FollowEvent,
    GroupSource,
    ImageMessageContent,
    JoinEvent,
    LeaveEvent,
    MemberJoinedEvent,
    MemberLeftEvent,
    MessageEditedEvent,
    MessageEvent,
    PostbackEvent,
    RoomSource,
    StickerMessageContent,
    TextMessageContent,
    UnfollowEvent,
    UnknownEvent,
    UnknownMessageContent,
    UnknownSource,
    UnsendEvent,
    UserSource,
    VideoMessageContent,
    VideoPlayCompleteEvent,
    WebhookPayload,
    compute_signature,
    parse_events,
    parse_webhook,
    verify_signature,
)

FIXTURES = Path(__file__).resolve().parents[1] / "specs" / "line" / "fixtures"
SECRET = "planted-channel-secret-5f1b9c"
USER = "U" + "a" * 32
BOT = "U" + "0" * 32


def fixture_bytes(name: str) -> bytes:
    path = FIXTURES / name
    if not path.is_file():
        pytest.fail("the vendored LINE specs are missing from tests/specs/line")
    return path.read_bytes()


def vectors() -> list[dict[str, Any]]:
    path = FIXTURES / "signature-vectors.json"
    if not path.is_file():
        return []
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return list(data["vectors"])


def event(kind: str = "follow", **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "type": kind,
        "mode": "active",
        "timestamp": 1462629479859,
        "source": {"type": "user", "userId": USER},
        "webhookEventId": "01FZ74A0TDDPYRVKNK77XKC3ZR",
        "deliveryContext": {"isRedelivery": False},
    }
    base.update(fields)
    return {k: v for k, v in base.items() if v is not None}


def body_of(*events: Any, destination: str = BOT) -> bytes:
    return json.dumps({"destination": destination, "events": list(events)}).encode()


def signed(body: bytes, secret: str = SECRET) -> tuple[bytes, str]:
    return body, compute_signature(body, secret)


# -- signatures ------------------------------------------------------------------------------


@pytest.mark.parametrize("vector", vectors(), ids=lambda v: str(v["id"]))
def test_signature_vectors(vector: dict[str, Any]) -> None:
    if "body_file" in vector:
        body = fixture_bytes(vector["body_file"])
        assert len(body) == vector["body_length"]
        assert hashlib.sha256(body).hexdigest() == vector["body_sha256"]
    else:
        body = vector["body"].encode("utf-8")
    secret = vector["channel_secret"]
    assert verify_signature(body, vector["signature"], secret) is vector["valid"]
    assert verify_signature(body, vector["signature"], Secret(secret)) is vector["valid"]
    assert (compute_signature(body, secret) == vector["signature"]) is vector["valid"]
    if not vector["valid"]:
        with pytest.raises(SignatureError):
            parse_webhook(body, vector["signature"], secret)


def test_signature_vectors_are_present() -> None:
    found = vectors()
    if not found:
        pytest.fail("the vendored LINE specs are missing from tests/specs/line")
    ids = {v["id"] for v in found}
    assert "non-ascii-reserialized" in ids
    assert any(not v["valid"] for v in found)


def test_reserialised_json_is_rejected() -> None:
    body = '{"destination":"U1","events":[],"text":"こんにちは 🍎"}'.encode()
    signature = compute_signature(body, SECRET)
    again = json.dumps(json.loads(body), separators=(",", ":")).encode()
    assert again != body
    assert verify_signature(body, signature, SECRET)
    assert not verify_signature(again, signature, SECRET)


@pytest.mark.parametrize(
    "signature",
    [
        None,
        "",
        "   ",
        "not base64 at all!",
        "AAAA",  # valid base64, wrong length
        base64.b64encode(b"\0" * 31).decode(),
        base64.b64encode(b"\0" * 33).decode(),
        base64.b64encode(b"\0" * 32).decode(),  # right length, wrong digest
        "ü" * 44,
        b"\xff\xfe",
    ],
)
def test_malformed_signatures_are_false(signature: str | bytes | None) -> None:
    body = b'{"destination":"U1","events":[]}'
    assert verify_signature(body, signature, SECRET) is False
    with pytest.raises(SignatureError):
        parse_webhook(body, signature, SECRET)


def test_signature_accepts_bytes_header_and_surrounding_whitespace() -> None:
    body, signature = signed(b'{"destination":"U1","events":[]}')
    assert verify_signature(body, signature.encode(), SECRET)
    assert verify_signature(body, f" {signature}\r\n", SECRET)
    assert verify_signature(bytearray(body), signature, SECRET)
    assert verify_signature(memoryview(body), signature, SECRET)


def test_a_one_bit_change_in_body_or_signature_fails() -> None:
    body, signature = signed(body_of(event()))
    flipped = bytes([body[0] ^ 1]) + body[1:]
    assert not verify_signature(flipped, signature, SECRET)
    digest = bytearray(base64.b64decode(signature))
    digest[-1] ^= 1
    assert not verify_signature(body, base64.b64encode(bytes(digest)).decode(), SECRET)


def test_compare_is_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return bool(real(a, b))

    monkeypatch.setattr(hmac, "compare_digest", spy)
    body, signature = signed(b"{}")
    assert verify_signature(body, signature, SECRET)
    assert len(calls) == 1


def test_str_body_is_refused_with_a_hint() -> None:
    with pytest.raises(ValidationError, match=r"body: must be the raw request body as bytes"):
        verify_signature("{}", "x", SECRET)  # type: ignore[arg-type]


@pytest.mark.parametrize("secret", ["", " padded", "padded\n", 42, b"bytes"])
def test_bad_channel_secret_is_a_validation_error(secret: Any) -> None:
    with pytest.raises(ValidationError, match="channel_secret"):
        verify_signature(b"{}", "x", secret)
    with pytest.raises(ValidationError, match="channel_secret"):
        parse_webhook(b"{}", None, secret)


# -- parse_webhook ---------------------------------------------------------------------------


def test_forged_signature_raises_and_parses_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[object] = []
    monkeypatch.setattr(wh, "parse_events", parsed.append)
    body = body_of(event())
    forged = compute_signature(body, "someone-elses-secret")
    with pytest.raises(SignatureError, match="does not match"):
        parse_webhook(body, forged, SECRET)
    with pytest.raises(SignatureError, match="header is missing"):
        parse_webhook(body, None, SECRET)
    assert parsed == []


def test_unsigned_garbage_is_a_signature_error_not_a_parse_error() -> None:
    with pytest.raises(SignatureError):
        parse_webhook(b"\xff not json", "AAAA", SECRET)


def test_parse_webhook_returns_typed_payload() -> None:
    body, signature = signed(body_of(event(follow={"isUnblocked": True}, replyToken="r")))
    payload = parse_webhook(body, signature, Secret(SECRET))
    assert isinstance(payload, WebhookPayload)
    assert payload.destination == BOT
    (follow,) = payload.events
    assert isinstance(follow, FollowEvent)
    assert follow.is_unblocked is True
    assert follow.user_id == USER
    assert follow.reply_token == "r"
    assert follow.timestamp == 1462629479859
    assert follow.mode == "active"
    assert follow.webhook_event_id == "01FZ74A0TDDPYRVKNK77XKC3ZR"
    assert follow.is_redelivery is False


def test_empty_events_is_the_connectivity_check() -> None:
    body, signature = signed(b'{"destination":"U0123456789abcdef0123456789abcdef","events":[]}')
    payload = parse_webhook(body, signature, SECRET)
    assert payload.events == ()
    assert payload.destination == "U0123456789abcdef0123456789abcdef"


# -- LINE's fixtures -------------------------------------------------------------------------

V3_COUNTS = {
    "MessageEvent": 11,
    "FollowEvent": 1,
    "UnfollowEvent": 1,
    "JoinEvent": 1,
    "LeaveEvent": 1,
    "PostbackEvent": 4,
    "BeaconEvent": 2,
    "AccountLinkEvent": 1,
    "MemberJoinedEvent": 1,
    "MemberLeftEvent": 1,
    "UnsendEvent": 1,
    "VideoPlayCompleteEvent": 1,
    "MessageEditedEvent": 1,
    "UnknownEvent": 1,
}


@pytest.mark.parametrize("strict", [False, True])
def test_v3_fixture_counts(strict: bool) -> None:
    body = fixture_bytes("sdk-python-v3-webhook.json")
    if strict:  # our own models must know every key LINE's fixture uses for them
        payload = wh._parse(json.loads(body), wh._converter(strict=True))
    else:
        payload = parse_webhook(body, compute_signature(body, "channel_secret"), "channel_secret")
    assert len(payload.events) == 28
    assert Counter(type(e).__name__ for e in payload.events) == V3_COUNTS
    unknown = [e for e in payload.events if isinstance(e, UnknownEvent)]
    assert [e.type for e in unknown] == ["undefined"]
    assert all(e.error is None for e in unknown)
    assert unknown[0].raw["undefinedField"] == {"1": 1}
    assert unknown[0].user_id == "U206d25c2ea6bd87c17655609a1c37cb8"
    assert unknown[0].is_redelivery is True
    (edited,) = [e for e in payload.events if isinstance(e, MessageEditedEvent)]
    assert isinstance(edited.message, TextMessageContent)
    assert edited.message.text == "Hello, edited world"
    contents = Counter(
        type(e.message).__name__ for e in payload.events if isinstance(e, MessageEvent)
    )
    assert contents == {
        "TextMessageContent": 4,
        "ImageMessageContent": 2,
        "StickerMessageContent": 1,
        "VideoMessageContent": 1,
        "AudioMessageContent": 1,
        "LocationMessageContent": 1,
        "FileMessageContent": 1,
    }
    assert all(
        e.message.error is None
        for e in payload.events
        if isinstance(e, MessageEvent) and isinstance(e.message, UnknownMessageContent)
    )


def test_v3_fixture_details() -> None:
    payload = parse_events(fixture_bytes("sdk-python-v3-webhook.json"))
    ev = payload.events
    assert payload.destination == "U123"
    text = ev[0]
    assert isinstance(text, MessageEvent)
    assert text.message == TextMessageContent(
        id="325708", text="Hello, world", quote_token="quoteToken"
    )
    image = ev[1]
    assert isinstance(image, MessageEvent)
    assert isinstance(image.source, RoomSource)
    assert image.source.room_id == "Ra8dbf4673c4c812cd491258042226c99"
    assert isinstance(image.message, ImageMessageContent)
    assert image.message.content_provider is not None
    assert image.message.content_provider.type == "external"
    assert image.message.content_provider.original_content_url == "https://example.com"
    video = ev[2]
    assert isinstance(video, MessageEvent)
    assert isinstance(video.message, VideoMessageContent)
    assert (video.message.type, video.message.id) == ("video", "325708")
    assert video.message.duration == 60000
    sticker = ev[5]
    assert isinstance(sticker, MessageEvent)
    assert isinstance(sticker.message, StickerMessageContent)
    assert sticker.message.keywords == ("Love You", "Love")
    assert sticker.message.sticker_resource_type == "STATIC"
    assert sticker.message.text == "Just sticker"
    follow = ev[6]
    assert isinstance(follow, FollowEvent)
    assert follow.is_unblocked is True


def test_v3_fixture_details_other_events() -> None:
    ev = parse_events(fixture_bytes("sdk-python-v3-webhook.json")).events
    unfollow = ev[7]
    assert isinstance(unfollow, UnfollowEvent)
    assert unfollow.user_id == "U206d25c2ea6bd87c17655609a1c37cb8"
    join = ev[8]
    assert isinstance(join, JoinEvent)
    assert isinstance(join.source, GroupSource)
    assert join.source.group_id == "Ca56f94637cc4347f90a25382909b24b9"
    assert join.user_id is None
    assert isinstance(ev[9], LeaveEvent)
    postback = ev[10]
    assert isinstance(postback, PostbackEvent)
    assert postback.postback.data == "action=buyItem&itemId=123123&color=red"
    assert postback.postback.params == {"datetime": "2017-12-25T01:00"}
    beacon = ev[12]
    assert isinstance(beacon, BeaconEvent)
    assert (beacon.beacon.hwid, beacon.beacon.type, beacon.beacon.dm) == (
        "d41d8cd98f",
        "enter",
        "1234567890abcdef",
    )
    link = ev[13]
    assert isinstance(link, AccountLinkEvent)
    assert link.link.ok
    assert link.link.nonce == "Vb771wDYtXuammLszK6h9A"
    group_text = ev[14]
    assert isinstance(group_text, MessageEvent)
    assert isinstance(group_text.source, GroupSource)
    assert group_text.user_id == "U206d25c2ea6bd87c17655609a1c37cb8"
    joined = ev[19]
    assert isinstance(joined, MemberJoinedEvent)
    assert [m.user_id for m in joined.joined.members] == ["U4af4980629...", "U91eeaf62d9..."]
    left = ev[20]
    assert isinstance(left, MemberLeftEvent)
    assert len(left.left.members) == 2
    unsend = ev[22]
    assert isinstance(unsend, UnsendEvent)
    assert unsend.unsend.message_id == "325708"
    video_done = ev[23]
    assert isinstance(video_done, VideoPlayCompleteEvent)
    assert video_done.video_play_complete.tracking_id == "track_id"
    image_set = ev[24]
    assert isinstance(image_set, MessageEvent)
    assert isinstance(image_set.message, ImageMessageContent)
    assert image_set.message.image_set is not None
    assert (image_set.message.image_set.index, image_set.message.image_set.total) == (2, 2)
    redelivered = ev[25]
    assert isinstance(redelivered, MessageEvent)
    assert redelivered.is_redelivery is True


def test_legacy_fixture_counts_and_follow_without_detail() -> None:
    body = fixture_bytes("sdk-python-legacy-webhook.json")
    payload = parse_webhook(body, compute_signature(body, "channel_secret"), "channel_secret")
    counts = Counter(type(e).__name__ for e in payload.events)
    assert len(payload.events) == 27
    legacy = {k: v for k, v in V3_COUNTS.items() if k != "MessageEditedEvent"}
    assert counts == legacy  # the legacy fixture has no messageEdited event
    (follow,) = [e for e in payload.events if isinstance(e, FollowEvent)]
    assert follow.follow is None
    assert follow.is_unblocked is None
    texts = [
        e.message
        for e in payload.events
        if isinstance(e, MessageEvent) and isinstance(e.message, TextMessageContent)
    ]
    assert texts
    assert all(t.quote_token is None for t in texts)
    postback = next(e for e in payload.events if isinstance(e, PostbackEvent))
    assert postback.postback.params is None
    # the strict converter (unknown keys refused) also reads the legacy fixture
    strict = wh._parse(json.loads(body), wh._converter(strict=True))
    assert [type(e) for e in strict.events] == [type(e) for e in payload.events]


def test_fixture_events_round_trip_through_the_wire_form() -> None:
    payload = parse_events(fixture_bytes("sdk-python-v3-webhook.json"))
    again = parse_events(wire(payload))
    assert again == payload
    raw = json.loads(fixture_bytes("sdk-python-v3-webhook.json"))
    assert wire(payload.events[6]) == raw["events"][6]  # follow: every key modelled


# -- forgiving parsing -----------------------------------------------------------------------


def parse_one(raw: Any) -> Any:
    payload = parse_events({"destination": BOT, "events": [event("unfollow"), raw]})
    assert isinstance(payload.events[0], UnfollowEvent)  # the neighbour always survives
    return payload.events[1]


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        (event(source={"type": "group"}), "$.events[1].source.groupId: is required"),
        (event(source=5), "$.events[1].source: must be a source object"),
        (
            event(source={"type": "user", "userId": 5}),
            "$.events[1].source.userId: must be a string",
        ),
        (
            event(deliveryContext={"isRedelivery": "false"}),
            "$.events[1].deliveryContext.isRedelivery: must be a boolean",
        ),
        (event(timestamp=None), "$.events[1].timestamp: is required"),
        (event(timestamp="1"), "$.events[1].timestamp: must be an integer"),
        (event(timestamp=True), "$.events[1].timestamp: must be an integer"),
        (event(follow={"isUnblocked": 1}), "$.events[1].follow.isUnblocked: must be a boolean"),
        (event("message"), "$.events[1].message: is required"),
        (event("message", message=[1]), "$.events[1].message: must be an object"),
        (event("accountLink", link={"nonce": "n"}), "$.events[1].link.result: is required"),
        (
            event("postback", postback={"data": "d", "params": {"a": 1}}),
            "$.events[1].postback.params.a: must be a string",
        ),
        (
            event("memberJoined", joined={"members": [{"type": "user", "userId": "U1"}, 3]}),
            "$.events[1].joined.members[1]: must be an object",
        ),
        (
            event("memberLeft", left={"members": [{"type": "group", "groupId": "C1"}]}),
            "$.events[1].left.members[0].type: must be 'user'",
        ),
        ({"timestamp": 1}, "$.events[1].type: must be a string, got nothing"),
        ({"type": 7}, "$.events[1].type: must be a string, got number"),
        ([1, 2], "$.events[1]: must be a JSON object, got array"),
        (None, "$.events[1]: must be a JSON object, got null"),
    ],
)
def test_a_malformed_event_becomes_unknown_with_a_path(raw: Any, error: str) -> None:
    got = parse_one(raw)
    assert isinstance(got, UnknownEvent)
    assert got.error is not None
    assert got.error.startswith(error), got.error
    assert got.raw == (raw if isinstance(raw, dict) else {})


def test_wrong_types_are_never_coerced() -> None:
    got = parse_one(event(deliveryContext={"isRedelivery": "false"}))
    assert isinstance(got, UnknownEvent)
    assert got.is_redelivery is False  # "false" is not true


def test_integral_float_timestamp_is_accepted() -> None:
    got = parse_one(event(timestamp=1462629479859.0))
    assert isinstance(got, FollowEvent)
    assert got.timestamp == 1462629479859
    assert isinstance(got.timestamp, int)


def test_unknown_enum_values_and_extra_keys_are_kept_or_ignored() -> None:
    got = parse_one(
        event(
            "accountLink",
            mode="paused",
            link={"result": "expired", "nonce": "n", "newKey": 1},
            brandNewField={"x": 1},
        )
    )
    assert isinstance(got, AccountLinkEvent)
    assert got.mode == "paused"
    assert got.link.result == "expired"
    assert not got.link.ok
    beacon = parse_one(event("beacon", beacon={"hwid": "h", "type": "leave"}))
    assert isinstance(beacon, BeaconEvent)
    assert beacon.beacon.type == "leave"


def test_unknown_source_type_is_kept() -> None:
    got = parse_one(event(source={"type": "square", "userId": "U9", "squareId": "S1"}))
    assert isinstance(got, FollowEvent)
    assert isinstance(got.source, UnknownSource)
    assert got.source.type == "square"
    assert got.user_id == "U9"


def test_old_payload_without_newer_common_fields() -> None:
    got = parse_one({"type": "unfollow", "timestamp": 1, "source": {"type": "user"}})
    assert isinstance(got, UnfollowEvent)
    assert (got.mode, got.webhook_event_id, got.delivery_context) == (None, None, None)
    assert got.is_redelivery is False
    assert got.user_id is None


def test_account_link_failed_has_no_reply_token() -> None:
    got = parse_one(event("accountLink", link={"result": "failed", "nonce": "abc"}))
    assert isinstance(got, AccountLinkEvent)
    assert got.reply_token is None
    assert not got.link.ok


def test_malformed_message_content_keeps_the_message_event() -> None:
    got = parse_one(event("message", replyToken="r", message={"type": "text", "id": "1"}))
    assert isinstance(got, MessageEvent)
    assert got.reply_token == "r"
    assert isinstance(got.message, UnknownMessageContent)
    assert got.message.type == "text"
    assert got.message.id == "1"
    assert got.message.error == "$.events[1].message.text: is required"
    no_type = parse_one(event("message", message={"id": "1"}))
    assert isinstance(no_type, MessageEvent)
    assert isinstance(no_type.message, UnknownMessageContent)
    assert no_type.message.error == "$.events[1].message.type: must be a string"


def test_text_with_emoji_and_mentions() -> None:
    got = parse_one(
        event(
            "message",
            source={"type": "group", "groupId": "C1", "userId": USER},
            message={
                "type": "text",
                "id": "1",
                "text": "@bot $ hi",
                "emojis": [{"index": 5, "length": 1, "productId": "p", "emojiId": "e"}],
                "mention": {
                    "mentionees": [
                        {"index": 0, "length": 4, "type": "user", "userId": "U2", "isSelf": True},
                        {"index": 0, "length": 4, "type": "all"},
                    ]
                },
                "quotedMessageId": "0",
                "markAsReadToken": "m",
            },
        )
    )
    assert isinstance(got, MessageEvent)
    message = got.message
    assert isinstance(message, TextMessageContent)
    assert message.emojis[0].product_id == "p"
    assert message.mention is not None
    assert [m.type for m in message.mention.mentionees] == ["user", "all"]
    assert message.mention.mentionees[0].is_self is True
    assert (message.quoted_message_id, message.mark_as_read_token) == ("0", "m")


def test_unknown_event_properties_read_the_raw_mapping_safely() -> None:
    got = parse_one(
        {
            "type": "somethingNew",
            "timestamp": "soon",
            "mode": 3,
            "webhookEventId": "W",
            "replyToken": "r",
            "source": {"type": "group"},  # malformed: no groupId
            "deliveryContext": {"isRedelivery": True},
        }
    )
    assert isinstance(got, UnknownEvent)
    assert got.error is None
    assert (got.timestamp, got.mode, got.webhook_event_id, got.reply_token) == (
        None,
        None,
        "W",
        "r",
    )
    assert got.source is None
    assert got.user_id is None
    assert got.is_redelivery is True


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "$: the body is not JSON"),
        (b"\xff\xfe", "$: the body is not UTF-8 text"),
        (b"{", "$: the body is not JSON"),
        (b"[]", "$: must be a JSON object, got array"),
        (b'"x"', "$: must be a JSON object, got string"),
        (b"{}", "$.events: must be a JSON array, got nothing"),
        (b'{"destination": 1, "events": []}', "$.destination: must be a string, got number"),
        (b'{"destination": "U1"}', "$.events: must be a JSON array, got nothing"),
        (b'{"destination": "U1", "events": null}', "$.events: must be a JSON array, got null"),
        (b'{"destination": "U1", "events": "[]"}', "$.events: must be a JSON array, got string"),
        (b'{"destination": "U1", "events": [NaN]}', "$: the body is not JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "$: the body is not JSON"),
        (b'{"destination": "U1", "events": [], "n": 1' + b"0" * 5000 + b"}", "$: the body is not"),
    ],
)
def test_signed_but_not_webhook_json_is_a_parse_error(body: bytes, message: str) -> None:
    body, signature = signed(body)
    with pytest.raises(WebhookParseError) as info:
        parse_webhook(body, signature, SECRET)
    assert str(info.value).startswith(message), str(info.value)
    assert isinstance(info.value, LineBrazeError)


def test_parse_events_accepts_text_and_mappings() -> None:
    raw = {"destination": BOT, "events": [event()]}
    from_text = parse_events(json.dumps(raw))
    from_mapping = parse_events(raw)
    assert from_text == from_mapping
    assert isinstance(from_text.events[0], FollowEvent)
    with pytest.raises(ValidationError, match="body"):
        parse_events(12)  # type: ignore[arg-type]


def test_models_refuse_a_foreign_type_tag() -> None:
    with pytest.raises(ValueError, match="must be 'follow'"):
        FollowEvent(timestamp=0, type="unfollow")  # type: ignore[arg-type]
    assert UserSource(user_id="U1").type == "user"


def test_match_statement_on_events() -> None:
    payload = parse_events({"destination": BOT, "events": [event(follow={"isUnblocked": False})]})
    match payload.events[0]:
        case FollowEvent(follow=detail) if detail is not None:
            assert detail.is_unblocked is False
        case _:
            pytest.fail("no match")


# -- secrets never show ----------------------------------------------------------------------


def test_the_channel_secret_never_appears(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    secret = Secret(SECRET)
    body, signature = signed(body_of(event(), {"type": "x"}, event("message", message=5)))
    seen: list[str] = []
    payload = parse_webhook(body, signature, secret)
    seen += [repr(payload), str(payload), payload._repr_html_()]
    seen += [repr(e) for e in payload.events]
    for bad_sig in (None, "AAAA", compute_signature(body, "other")):
        with pytest.raises(SignatureError) as info:
            parse_webhook(body, bad_sig, secret)
        seen += [str(info.value), repr(info.value)]
    for bad_secret in (f" {SECRET}", f"{SECRET}\n"):
        with pytest.raises(ValidationError) as err:
            parse_webhook(body, signature, bad_secret)
        seen += [str(err.value), repr(err.value)]
    bad_body, bad_signature = signed(b"not json " + SECRET.encode())  # echoed nowhere
    with pytest.raises(WebhookParseError) as parse_err:
        parse_webhook(bad_body, bad_signature, secret)
    seen += [str(parse_err.value), repr(parse_err.value)]
    seen += [r.getMessage() for r in caplog.records]
    for text in seen:
        assert SECRET not in text
        assert signature not in text


def test_error_messages_do_not_quote_payload_values() -> None:
    planted = "PLANTED-VALUE-7c2e"
    got = parse_one(
        event(
            "message",
            source={"type": "user", "userId": {"v": planted}},
            message={"type": "text", "id": planted, "text": [planted]},
        )
    )
    assert isinstance(got, UnknownEvent)
    assert got.error is not None
    assert planted not in got.error
    content = parse_one(event("message", message={"type": "text", "id": "1", "text": [planted]}))
    assert isinstance(content, MessageEvent)
    assert isinstance(content.message, UnknownMessageContent)
    assert content.message.error is not None
    assert planted not in content.message.error


def test_display_forms_show_the_same_fields() -> None:
    payload = parse_events({"destination": BOT, "events": [event(replyToken="r")]})
    follow = payload.events[0]
    assert isinstance(follow, FollowEvent)
    fields = dict(follow.__rich_repr__())
    assert "type" not in fields  # the tag is the class name
    assert fields["reply_token"] == "r"
    assert "FollowEvent" in follow._repr_html_()
    assert "reply_token" in follow._repr_html_()
