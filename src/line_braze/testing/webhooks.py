"""LINE webhook bodies for tests: event builders, signing and delivery.

The builders return plain mappings in LINE's wire shape (``webhook.yml``): ``follow``,
``unfollow``, ``accountLink`` and text ``message`` events from a user. `sign_body` computes
``X-Line-Signature`` exactly as LINE does (base64 of HMAC-SHA256 over the raw body, keyed
with the channel secret), and `deliver` posts a signed body to a loopback URL or hands it to
a Python callable. `line_braze.testing.LineEmulator.deliver_webhook` wraps these with the
emulator's own channel secret and bot user ID.

Example:
    >>> from line_braze.testing.webhooks import follow_event, webhook_body, sign_body
    >>> event = follow_event("U" + "0" * 32, timestamp_ms=0, event_id="E1")
    >>> body = webhook_body([event], destination="U" + "f" * 32)
    >>> body[:16]
    b'{"destination":"'
    >>> sign_body(b'{"destination":"U1","events":[]}', "secret")
    '9a6kxZ9i5nWMf5b8hc6KEcGGkvVpRrwtLnjZ/UIHOrM='
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

import attrs
import requests

from line_braze._secret import Secret
from line_braze._transport import is_loopback_host
from line_braze.errors import ValidationError

__all__ = [
    "WebhookDelivery",
    "WebhookTarget",
    "account_link_event",
    "deliver",
    "follow_event",
    "message_event",
    "sign_body",
    "unfollow_event",
    "webhook_body",
]

#: A URL on a loopback host, or a callable taking ``(body_bytes, signature)``.
WebhookTarget = str | Callable[[bytes, str], Any]

_CROCKFORD: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _ulid(timestamp_ms: int) -> str:
    value = (timestamp_ms << 80) | int.from_bytes(os.urandom(10), "big")
    chars = []
    for _ in range(26):
        chars.append(_CROCKFORD[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def _base(
    kind: str,
    user_id: str,
    *,
    timestamp_ms: int | None,
    event_id: str | None,
    redelivery: bool,
) -> dict[str, Any]:
    ts = int(time.time() * 1000) if timestamp_ms is None else timestamp_ms
    return {
        "type": kind,
        "mode": "active",
        "timestamp": ts,
        "source": {"type": "user", "userId": user_id},
        "webhookEventId": event_id or _ulid(ts),
        "deliveryContext": {"isRedelivery": redelivery},
    }


def _reply_token() -> str:
    return os.urandom(16).hex()


def follow_event(
    user_id: str,
    *,
    unblocked: bool = False,
    timestamp_ms: int | None = None,
    event_id: str | None = None,
    redelivery: bool = False,
) -> dict[str, Any]:
    """Return a ``follow`` event: ``user_id`` added the account (or unblocked it).

    Example:
        >>> event = follow_event("U" + "a" * 32, unblocked=True)
        >>> event["type"], event["follow"], event["source"]["type"]
        ('follow', {'isUnblocked': True}, 'user')
    """
    event = _base(
        "follow", user_id, timestamp_ms=timestamp_ms, event_id=event_id, redelivery=redelivery
    )
    event["replyToken"] = _reply_token()
    event["follow"] = {"isUnblocked": unblocked}
    return event


def unfollow_event(
    user_id: str,
    *,
    timestamp_ms: int | None = None,
    event_id: str | None = None,
    redelivery: bool = False,
) -> dict[str, Any]:
    """Return an ``unfollow`` event: ``user_id`` blocked the account (no reply token).

    Example:
        >>> sorted(unfollow_event("U" + "a" * 32))
        ['deliveryContext', 'mode', 'source', 'timestamp', 'type', 'webhookEventId']
    """
    return _base(
        "unfollow", user_id, timestamp_ms=timestamp_ms, event_id=event_id, redelivery=redelivery
    )


def account_link_event(
    user_id: str,
    nonce: str,
    *,
    result: str = "ok",
    timestamp_ms: int | None = None,
    event_id: str | None = None,
) -> dict[str, Any]:
    """Return an ``accountLink`` event; a reply token only when ``result`` is ``"ok"``.

    Example:
        >>> account_link_event("U" + "a" * 32, "n" * 16, result="failed")["link"]
        {'result': 'failed', 'nonce': 'nnnnnnnnnnnnnnnn'}
    """
    event = _base(
        "accountLink", user_id, timestamp_ms=timestamp_ms, event_id=event_id, redelivery=False
    )
    if result == "ok":
        event["replyToken"] = _reply_token()
    event["link"] = {"result": result, "nonce": nonce}
    return event


def message_event(
    user_id: str,
    text: str,
    *,
    timestamp_ms: int | None = None,
    event_id: str | None = None,
) -> dict[str, Any]:
    """Return a text ``message`` event from ``user_id``.

    Example:
        >>> message_event("U" + "a" * 32, "hi")["message"]["text"]
        'hi'
    """
    event = _base(
        "message", user_id, timestamp_ms=timestamp_ms, event_id=event_id, redelivery=False
    )
    event["replyToken"] = _reply_token()
    event["message"] = {
        "id": str(int.from_bytes(os.urandom(6), "big")),
        "type": "text",
        "text": text,
        "quoteToken": _reply_token(),
    }
    return event


def webhook_body(events: Sequence[Mapping[str, Any]], *, destination: str) -> bytes:
    """Return the raw body LINE would POST: ``{"destination", "events"}``, compact UTF-8.

    Example:
        >>> webhook_body([], destination="U" + "0" * 32)
        b'{"destination":"U00000000000000000000000000000000","events":[]}'
    """
    payload = {"destination": destination, "events": [dict(e) for e in events]}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def sign_body(body: bytes, channel_secret: str | Secret) -> str:
    """Return ``X-Line-Signature`` for ``body``: base64(HMAC-SHA256(secret, body)).

    Example:
        >>> sign_body(b"{}", "s")
        'FDyo1Re6GxgQJdcysc8nXZAQT8pXuwKlZVQpeKoYxLY='
    """
    key = channel_secret.reveal() if isinstance(channel_secret, Secret) else channel_secret
    digest = hmac.new(key.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


@attrs.frozen(kw_only=True)
class WebhookDelivery:
    """What a webhook delivery sent and got back.

    Attributes:
        body: the raw body sent.
        signature: the ``X-Line-Signature`` sent with it.
        status: the HTTP status of the answer (URL targets), or ``None`` for a callable.
        result: the callable's return value, or the answer's text for a URL.
    """

    body: bytes = attrs.field(repr=False)
    signature: str = attrs.field(repr=False)
    status: int | None
    result: Any = attrs.field(repr=False)

    @property
    def ok(self) -> bool:
        """Whether a URL answered 2xx (always true for a callable that returned)."""
        return self.status is None or 200 <= self.status < 300  # noqa: PLR2004


def deliver(
    target: WebhookTarget,
    body: bytes,
    signature: str,
    *,
    timeout: float = 10.0,
    session: requests.Session | None = None,
) -> WebhookDelivery:
    """Send a signed webhook body to ``target``: a loopback URL or a callable.

    URLs must be on a loopback host: the emulators never send anything off the machine.

    Raises:
        line_braze.errors.ValidationError: the URL is not a loopback http(s) URL.

    Example:
        >>> seen = []
        >>> d = deliver(lambda body, sig: seen.append(sig) or "handled", b"{}", "sig")
        >>> d.result, seen
        ('handled', ['sig'])
    """
    if callable(target):
        return WebhookDelivery(
            body=body, signature=signature, status=None, result=target(body, signature)
        )
    parts = urllib.parse.urlsplit(target)
    if parts.scheme not in {"http", "https"} or not is_loopback_host(parts.hostname or ""):
        raise ValidationError(
            "target", "webhooks are delivered only to loopback URLs (127.0.0.1, localhost, ::1)"
        )
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "X-Line-Signature": signature,
        "User-Agent": "LineBotWebhook/2.0",
    }
    poster = session or requests
    answer = poster.post(target, data=body, headers=headers, timeout=timeout)
    return WebhookDelivery(
        body=body, signature=signature, status=answer.status_code, result=answer.text
    )
