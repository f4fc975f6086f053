"""LineEmulator over a real socket, with plain requests."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from line_braze.testing import LineEmulator, follow_event, follower_id, unfollow_event
from line_braze.testing.line_emulator import DEFAULT_ACCESS_TOKEN

pytestmark = pytest.mark.integration

TOKEN = DEFAULT_ACCESS_TOKEN
USER = follower_id(0)


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def push(
    session: requests.Session,
    line: LineEmulator,
    body: dict[str, Any],
    *,
    key: str | None = None,
    token: str = TOKEN,
    path: str = "/v2/bot/message/push",
) -> requests.Response:
    headers = auth(token)
    if key is not None:
        headers["X-Line-Retry-Key"] = key
    return session.post(line.url + path, json=body, headers=headers, timeout=5)


@pytest.fixture
def session() -> Iterator[requests.Session]:
    with requests.Session() as s:
        yield s


def text(value: str = "Hi") -> dict[str, str]:
    return {"type": "text", "text": value}


def test_follower_pages_cover_every_id_once(session: requests.Session) -> None:
    with LineEmulator(followers=2345) as line:
        seen: list[str] = []
        start = None
        pages = 0
        while True:
            params: dict[str, Any] = {"limit": 1000}
            if start:
                params["start"] = start
            answer = session.get(
                line.url + "/v2/bot/followers/ids", params=params, headers=auth(), timeout=5
            )
            assert answer.status_code == 200
            assert answer.headers["x-line-request-id"]
            body = answer.json()
            seen.extend(body["userIds"])
            pages += 1
            start = body.get("next")
            if not start:
                break
    assert pages == 3
    assert len(seen) == len(set(seen)) == 2345
    assert seen[:2] == [follower_id(0), follower_id(1)]
    assert all(len(u) == 33 and u.startswith("U") for u in seen)


def test_follower_page_default_limit_and_bounds(
    session: requests.Session, line_emulator_factory: Callable[..., LineEmulator]
) -> None:
    line = line_emulator_factory(followers=301)
    url = line.url + "/v2/bot/followers/ids"
    first = session.get(url, headers=auth(), timeout=5).json()
    assert len(first["userIds"]) == 300
    rest = session.get(url, params={"start": first["next"]}, headers=auth(), timeout=5).json()
    assert rest == {"userIds": [follower_id(300)]}
    too_big = session.get(url, params={"limit": 1001}, headers=auth(), timeout=5)
    assert too_big.status_code == 400
    assert too_big.json()["details"][0]["property"] == "limit"
    bad_start = session.get(url, params={"start": "garbage!"}, headers=auth(), timeout=5)
    assert bad_start.status_code == 400


def test_unfollow_and_follow_change_pages(
    session: requests.Session, line_emulator_factory: Callable[..., LineEmulator]
) -> None:
    newcomer = "U" + "1" * 32
    line = line_emulator_factory(followers=3)
    line.unfollow(follower_id(1))
    line.follow(newcomer)
    ids = session.get(line.url + "/v2/bot/followers/ids", headers=auth(), timeout=5).json()
    assert ids["userIds"] == [follower_id(0), follower_id(2), newcomer]
    assert line.follower_count == 3
    assert not line.is_follower(follower_id(1))


def test_explicit_follower_list_and_unverified_account(
    session: requests.Session, line_emulator_factory: Callable[..., LineEmulator]
) -> None:
    line = line_emulator_factory(followers=[USER], verified=False)
    answer = session.get(line.url + "/v2/bot/followers/ids", headers=auth(), timeout=5)
    assert answer.status_code == 403
    assert "not available" in answer.json()["message"]


def test_wrong_or_missing_token_is_401(
    session: requests.Session, line_emulator: LineEmulator
) -> None:
    for headers in ({}, auth("nope"), {"Authorization": "Basic x"}):
        answer = session.get(
            line_emulator.url + "/v2/bot/followers/ids", headers=headers, timeout=5
        )
        assert answer.status_code == 401
        assert "Authentication failed" in answer.json()["message"]
    assert (
        push(session, line_emulator, {"to": USER, "messages": [text()]}, token="x").status_code
        == 401
    )
    assert line_emulator.pushes == []


def test_push_records_once_per_retry_key_even_when_the_answer_is_lost(
    session: requests.Session, line_emulator: LineEmulator
) -> None:
    key = str(uuid.uuid4())
    body = {"to": USER, "messages": [text("once")]}
    line_emulator.queue_fault("lost", path="/v2/bot/message/push")
    with pytest.raises(requests.ConnectionError):
        push(session, line_emulator, body, key=key)
    assert len(line_emulator.pushes) == 1  # the effect happened
    accepted_id = line_emulator.pushes[0].request_id

    again = push(session, line_emulator, body, key=key)
    assert again.status_code == 409
    assert again.json()["message"] == "The retry key is already accepted"
    assert again.json()["sentMessages"] == [dict(m) for m in line_emulator.pushes[0].sent_messages]
    assert again.headers["x-line-accepted-request-id"] == accepted_id
    assert again.headers["x-line-request-id"] != accepted_id
    assert len(line_emulator.pushes) == 1
    assert [r.status for r in line_emulator.request_log] == [None, 409]
    assert [r.fault for r in line_emulator.request_log] == ["lost", None]


def test_push_answer_and_record(session: requests.Session, line_emulator: LineEmulator) -> None:
    answer = push(session, line_emulator, {"to": USER, "messages": [text(), text("b")]})
    assert answer.status_code == 200
    sent = answer.json()["sentMessages"]
    assert len(sent) == 2
    assert {"id", "quoteToken"} <= sent[0].keys()
    (record,) = line_emulator.pushes_to(USER)
    assert record.kind == "push"
    assert record.messages[1]["text"] == "b"
    assert record.request_id == answer.headers["x-line-request-id"]
    assert record.retry_key is None


def test_retry_key_must_be_a_uuid(session: requests.Session, line_emulator: LineEmulator) -> None:
    answer = push(session, line_emulator, {"to": USER, "messages": [text()]}, key="not-a-uuid")
    assert answer.status_code == 400
    assert line_emulator.pushes == []


def test_retry_key_is_refused_outside_sends(
    session: requests.Session, line_emulator: LineEmulator
) -> None:
    headers = {**auth(), "X-Line-Retry-Key": str(uuid.uuid4())}
    answer = session.get(line_emulator.url + f"/v2/bot/profile/{USER}", headers=headers, timeout=5)
    assert answer.status_code == 400


@pytest.mark.parametrize(
    ("body", "prop"),
    [
        ({"to": USER, "messages": []}, "messages"),
        ({"to": USER, "messages": [text()] * 6}, "messages"),
        ({"to": "someone", "messages": [text()]}, "to"),
        ({"messages": [text()]}, "to"),
        ({"to": USER, "messages": [{"text": "no type"}]}, "messages[0].type"),
        ({"to": USER, "messages": [text(), {"type": "text", "text": ""}]}, "messages[1].text"),
        ({"to": USER, "messages": [{"type": "text", "text": "x" * 5001}]}, "messages[0].text"),
        ({"to": USER, "messages": [{"type": "bogus"}]}, "messages[0].type"),
    ],
)
def test_push_body_errors_use_line_shape(
    session: requests.Session, line_emulator: LineEmulator, body: dict[str, Any], prop: str
) -> None:
    answer = push(session, line_emulator, body, key=str(uuid.uuid4()))
    assert answer.status_code == 400
    payload = answer.json()
    assert payload["message"].startswith("The request body has ")
    assert prop in [d["property"] for d in payload["details"]]
    assert line_emulator.pushes == []


def test_a_refused_key_can_be_used_again(
    session: requests.Session, line_emulator: LineEmulator
) -> None:
    key = str(uuid.uuid4())
    assert push(session, line_emulator, {"to": USER, "messages": []}, key=key).status_code == 400
    assert (
        push(session, line_emulator, {"to": USER, "messages": [text()]}, key=key).status_code == 200
    )


def test_multicast(session: requests.Session, line_emulator: LineEmulator) -> None:
    to = [follower_id(i) for i in range(3)]
    path = "/v2/bot/message/multicast"
    ok = push(session, line_emulator, {"to": to, "messages": [text()]}, path=path)
    assert ok.status_code == 200
    assert ok.json() == {}
    assert line_emulator.pushes[0].to == tuple(to)
    too_many = [follower_id(i) for i in range(501)]
    assert (
        push(session, line_emulator, {"to": too_many, "messages": [text()]}, path=path).status_code
        == 400
    )
    group = {"to": ["C" + "0" * 32], "messages": [text()]}
    assert (
        push(session, line_emulator, group, path=path).json()["details"][0]["property"] == "to[0]"
    )


def test_validate_endpoint(session: requests.Session, line_emulator: LineEmulator) -> None:
    url = line_emulator.url + "/v2/bot/message/validate/push"
    ok = session.post(url, json={"messages": [text()]}, headers=auth(), timeout=5)
    assert (ok.status_code, ok.content) == (200, b"")
    bad = session.post(url, json={"messages": [{"type": "text"}]}, headers=auth(), timeout=5)
    assert bad.status_code == 400
    assert bad.json()["details"][0]["property"] == "messages[0].text"
    assert line_emulator.pushes == []


def test_profile_and_link_token(
    session: requests.Session, line_emulator_factory: Callable[..., LineEmulator]
) -> None:
    line = line_emulator_factory(followers=2)
    line.set_profile(USER, displayName="Ann")
    profile = session.get(line.url + f"/v2/bot/profile/{USER}", headers=auth(), timeout=5)
    assert profile.status_code == 200
    assert profile.json()["displayName"] == "Ann"
    assert profile.json()["userId"] == USER
    stranger = "U" + "e" * 32
    missing = session.get(line.url + f"/v2/bot/profile/{stranger}", headers=auth(), timeout=5)
    assert missing.status_code == 404
    link = session.post(line.url + f"/v2/bot/user/{USER}/linkToken", headers=auth(), timeout=5)
    assert link.status_code == 200
    assert line.link_tokens == {link.json()["linkToken"]: USER}


def form_post(session: requests.Session, url: str, data: dict[str, str]) -> requests.Response:
    return session.post(url, data=data, timeout=5)


def test_token_lifecycle(session: requests.Session, line_emulator: LineEmulator) -> None:
    url = line_emulator.url
    issued = form_post(
        session,
        url + "/v2/oauth/accessToken",
        {
            "grant_type": "client_credentials",
            "client_id": line_emulator.channel_id,
            "client_secret": line_emulator.channel_secret,
        },
    )
    assert issued.status_code == 200
    new = issued.json()["access_token"]
    assert issued.json()["expires_in"] == 2592000
    assert issued.json()["token_type"] == "Bearer"
    ids_url = url + "/v2/bot/followers/ids"
    assert session.get(ids_url, headers=auth(new), timeout=5).status_code == 200

    verify = form_post(session, url + "/v2/oauth/verify", {"access_token": new})
    assert verify.status_code == 200
    assert verify.json()["client_id"] == line_emulator.channel_id

    assert form_post(session, url + "/v2/oauth/revoke", {"access_token": new}).status_code == 200
    assert session.get(ids_url, headers=auth(new), timeout=5).status_code == 401
    after = form_post(session, url + "/v2/oauth/verify", {"access_token": new})
    assert after.status_code == 400
    assert after.json() == {"error": "invalid_request", "error_description": "access token expired"}


def test_token_errors_use_oauth_shape(
    session: requests.Session, line_emulator: LineEmulator
) -> None:
    url = line_emulator.url
    wrong = form_post(
        session,
        url + "/oauth2/v3/token",
        {
            "grant_type": "client_credentials",
            "client_id": line_emulator.channel_id,
            "client_secret": "x",
        },
    )
    assert wrong.status_code == 400
    assert wrong.json()["error"] == "invalid_client"
    missing = form_post(
        session, url + "/v2/oauth/accessToken", {"grant_type": "client_credentials"}
    )
    assert missing.json() == {
        "error": "invalid_request",
        "error_description": "some parameters missed or invalid",
    }
    as_json = session.post(url + "/v2/oauth/verify", json={"access_token": TOKEN}, timeout=5)
    assert as_json.status_code == 400
    assert as_json.json()["error"] == "invalid_request"


def test_stateless_token_expires_with_the_clock(session: requests.Session) -> None:
    now = [1_000_000.0]
    with LineEmulator(clock=lambda: now[0]) as line:
        issued = form_post(
            session,
            line.url + "/oauth2/v3/token",
            {
                "grant_type": "client_credentials",
                "client_id": line.channel_id,
                "client_secret": line.channel_secret,
            },
        ).json()
        assert issued["expires_in"] == 899
        assert line.token_is_valid(issued["access_token"])
        now[0] += 901
        assert not line.token_is_valid(issued["access_token"])
        answer = session.get(
            line.url + "/v2/bot/followers/ids", headers=auth(issued["access_token"]), timeout=5
        )
        assert answer.status_code == 401


def _verify(secret: str, body: bytes, signature: str) -> bool:
    """Check with the library's verifier and, independently, with hmac itself; both must agree."""
    from line_braze.line.webhook import verify_signature

    expected = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest())
    by_hand = hmac.compare_digest(expected.decode(), signature)
    assert verify_signature(body, signature, secret) is by_hand
    return by_hand


def test_webhook_to_a_callable_is_signed(line_emulator: LineEmulator) -> None:
    received: list[tuple[bytes, str]] = []

    def handler(body: bytes, sig: str) -> str:
        received.append((body, sig))
        return "ok"

    delivery = line_emulator.deliver_webhook(
        handler,
        [follow_event(USER), unfollow_event(USER)],
    )
    assert delivery.result == "ok"
    ((body, signature),) = received
    assert _verify(line_emulator.channel_secret, body, signature)
    assert not _verify("another-secret", body, signature)
    payload = json.loads(body)
    assert payload["destination"] == line_emulator.bot_user_id
    assert [e["type"] for e in payload["events"]] == ["follow", "unfollow"]
    assert payload["events"][0]["follow"] == {"isUnblocked": False}


def test_webhook_to_a_loopback_url(line_emulator_factory: Callable[..., LineEmulator]) -> None:
    sink = line_emulator_factory()  # any loopback server will do: it answers 404 JSON
    line = line_emulator_factory()
    delivery = line.follow("U" + "2" * 32, deliver_to=sink.url + "/callback")
    assert delivery is not None
    assert delivery.status == 404
    (record,) = sink.request_log
    assert record.path == "/callback"
    assert record.headers["x-line-signature"] == delivery.signature
    assert _verify(line.channel_secret, delivery.body, delivery.signature)
    assert line.is_follower("U" + "2" * 32)


def test_webhook_refuses_non_loopback_urls(line_emulator: LineEmulator) -> None:
    from line_braze.errors import ValidationError

    with pytest.raises(ValidationError):
        line_emulator.deliver_webhook("https://example.com/hook", [])
