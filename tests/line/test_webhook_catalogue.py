"""Every event type and message content of LINE's webhook spec parses into its typed model.

The bodies are LINE's documented examples (Messaging API reference and partner docs), read
through the strict converter too, so a key our models do not know fails here.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from line_braze._wire import wire
from line_braze.line import webhook as wh
from line_braze.line.webhook import (
    ActivatedEvent,
    AttachedModuleContent,
    AudioMessageContent,
    BotResumedEvent,
    BotSuspendedEvent,
    ChatControl,
    ContentProvider,
    DeactivatedEvent,
    DetachedModuleContent,
    FileMessageContent,
    LocationMessageContent,
    MessageEditedEvent,
    MessageEvent,
    ModuleEvent,
    PnpDelivery,
    PnpDeliveryCompletionEvent,
    TextMessageContent,
    UnknownEvent,
    UnknownMessageContent,
    VideoMessageContent,
    compute_signature,
    parse_events,
    parse_webhook,
)

USER = "U4af4980629" + "0" * 22
BOT = "U" + "f" * 32
COMMON: dict[str, Any] = {
    "mode": "active",
    "timestamp": 1462629479859,
    "source": {"type": "user", "userId": USER},
    "webhookEventId": "01FZ74A0TDDPYRVKNK77XKC3ZR",
    "deliveryContext": {"isRedelivery": False},
}


def _parse(event: dict[str, Any], *, strict: bool = False) -> Any:
    body = {"destination": BOT, "events": [{**COMMON, **event}]}
    if strict:
        payload = wh._parse(body, wh._converter(strict=True))
    else:
        raw = json.dumps(body).encode()
        payload = parse_webhook(raw, compute_signature(raw, "s3cret"), "s3cret")
    (parsed,) = payload.events
    return parsed


CASES: list[tuple[dict[str, Any], Any]] = [
    (
        {"type": "activated", "chatControl": {"expireAt": 1462629479960}},
        lambda e: (
            isinstance(e, ActivatedEvent) and e.chat_control == ChatControl(expire_at=1462629479960)
        ),
    ),
    ({"type": "deactivated"}, lambda e: isinstance(e, DeactivatedEvent)),
    ({"type": "botSuspended"}, lambda e: isinstance(e, BotSuspendedEvent)),
    ({"type": "botResumed"}, lambda e: isinstance(e, BotResumedEvent)),
    (
        {"type": "delivery", "delivery": {"data": "aaaaa"}},
        lambda e: (
            isinstance(e, PnpDeliveryCompletionEvent) and e.delivery == PnpDelivery(data="aaaaa")
        ),
    ),
    (
        {
            "type": "module",
            "module": {
                "type": "attached",
                "botId": "U0e0c1a3cbb2e25fe0f54f7c0dd76b0c1",
                "scopes": ["message:send", "message:receive"],
            },
        },
        lambda e: (
            isinstance(e, ModuleEvent)
            and e.module
            == AttachedModuleContent(
                bot_id="U0e0c1a3cbb2e25fe0f54f7c0dd76b0c1",
                scopes=("message:send", "message:receive"),
            )
        ),
    ),
    (
        {
            "type": "module",
            "module": {
                "type": "detached",
                "botId": "U0e0c1a3cbb2e25fe0f54f7c0dd76b0c1",
                "reason": "bot_deleted",
            },
        },
        lambda e: (
            isinstance(e, ModuleEvent)
            and e.module
            == DetachedModuleContent(
                bot_id="U0e0c1a3cbb2e25fe0f54f7c0dd76b0c1", reason="bot_deleted"
            )
        ),
    ),
    (
        {
            "type": "messageEdited",
            "replyToken": "nHuyWiB7yP5Zw52FIkcQobQuGDXCTA",
            "message": {"id": "325708", "type": "text", "text": "Hello, edited world"},
        },
        lambda e: (
            isinstance(e, MessageEditedEvent)
            and e.message == TextMessageContent(id="325708", text="Hello, edited world")
            and e.reply_token == "nHuyWiB7yP5Zw52FIkcQobQuGDXCTA"
        ),
    ),
    (
        {
            "type": "message",
            "replyToken": "r",
            "message": {
                "id": "325708",
                "type": "video",
                "duration": 60000,
                "contentProvider": {"type": "line"},
                "quoteToken": "q",
            },
        },
        lambda e: (
            e.message
            == VideoMessageContent(
                id="325708",
                duration=60000,
                content_provider=ContentProvider(type="line"),
                quote_token="q",
            )
        ),
    ),
    (
        {
            "type": "message",
            "replyToken": "r",
            "message": {
                "id": "325708",
                "type": "audio",
                "duration": 60000,
                "contentProvider": {"type": "line"},
            },
        },
        lambda e: (
            e.message
            == AudioMessageContent(
                id="325708", duration=60000, content_provider=ContentProvider(type="line")
            )
        ),
    ),
    (
        {
            "type": "message",
            "replyToken": "r",
            "message": {"id": "325708", "type": "file", "fileName": "file.txt", "fileSize": 2138},
        },
        lambda e: (
            e.message == FileMessageContent(id="325708", file_name="file.txt", file_size=2138)
        ),
    ),
    (
        {
            "type": "message",
            "replyToken": "r",
            "message": {
                "id": "325708",
                "type": "location",
                "title": "my location",
                "address": "1-3 Kioicho, Chiyoda-ku, Tokyo, 102-8282, Japan",
                "latitude": 35.67966,
                "longitude": 139,
            },
        },
        lambda e: (
            e.message
            == LocationMessageContent(
                id="325708",
                title="my location",
                address="1-3 Kioicho, Chiyoda-ku, Tokyo, 102-8282, Japan",
                latitude=35.67966,
                longitude=139.0,
            )
        ),
    ),
]


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize(("event", "check"), CASES)
def test_each_documented_event_parses_typed(
    event: dict[str, Any], check: Any, strict: bool
) -> None:
    parsed = _parse(event, strict=strict)
    assert check(parsed), parsed
    assert parsed.user_id == USER
    assert parsed.webhook_event_id == COMMON["webhookEventId"]


@pytest.mark.parametrize(("event", "check"), CASES)
def test_each_event_round_trips_through_wire_json(event: dict[str, Any], check: Any) -> None:
    parsed = _parse(event)
    again = parse_events({"destination": BOT, "events": [wire(parsed)]}).events[0]
    assert again == parsed


@pytest.mark.parametrize(
    ("event", "where"),
    [
        ({"type": "activated"}, "$.events[0].chatControl: is required"),
        (
            {"type": "module", "module": {"type": "moved", "botId": "U1"}},
            "$.events[0].module.type: unknown module type",
        ),
        ({"type": "delivery", "delivery": {"data": 5}}, "$.events[0].delivery.data"),
        (
            {"type": "message", "message": {"id": "1", "type": "location", "latitude": "35"}},
            None,
        ),
    ],
)
def test_a_malformed_new_event_stays_readable(event: dict[str, Any], where: str | None) -> None:
    parsed = _parse(event)
    if where is None:  # a bad content keeps the event, degrades the content
        assert isinstance(parsed, MessageEvent)
        assert isinstance(parsed.message, UnknownMessageContent)
        assert parsed.message.error is not None
        assert parsed.message.error.startswith("$.events[0].message.latitude")
        return
    assert isinstance(parsed, UnknownEvent)
    assert parsed.error is not None
    assert parsed.error.startswith(where)


def test_a_body_without_destination_parses() -> None:
    body = json.dumps({"events": [{**COMMON, "type": "unfollow"}]}).encode()
    payload = parse_webhook(body, compute_signature(body, "s3cret"), "s3cret")
    assert payload.destination is None
    assert payload.events[0].user_id == USER


def test_a_boolean_is_not_a_number_in_a_location() -> None:
    parsed = _parse(
        {
            "type": "message",
            "message": {"id": "1", "type": "location", "latitude": True, "longitude": 1},
        }
    )
    assert isinstance(parsed.message, UnknownMessageContent)
    assert parsed.message.error == "$.events[0].message.latitude: must be a number, got a boolean"
