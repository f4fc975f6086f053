"""LINE webhooks: check ``X-Line-Signature``, then read the body into typed events.

LINE signs every webhook request: ``X-Line-Signature`` is the base64 HMAC-SHA256 of the raw
request body, keyed with the channel secret. `parse_webhook` checks that signature over the
bytes exactly as received (never a re-serialisation), in constant time, and only then parses
them. The result is a `WebhookPayload` whose ``events`` are frozen attrs values, one class
per event type of LINE's webhook spec, with the names of LINE's SDK: `FollowEvent`,
`UnfollowEvent`, `MessageEvent`, `MessageEditedEvent`, `PostbackEvent`, `AccountLinkEvent`,
`MembershipEvent`, `ModuleEvent`, `ActivatedEvent`, `PnpDeliveryCompletionEvent`, and the
rest; every message content is typed too (text, image, video, audio, file, location,
sticker). Nothing here needs a web framework: give it the body bytes and the header value.
The models live in `line_braze.line.events` and `line_braze.line.event_contents`, the
signature in `line_braze.line.signature`; this module offers them all.

What is forgiven and what is not:

- A wrong or missing signature raises `line_braze.errors.SignatureError`; nothing is parsed.
- A signed body that is not UTF-8 JSON, not an object, with a ``destination`` that is not a
  string (it may be absent: ``None``, as in LINE's own SDK tests), or without an ``events``
  list raises `line_braze.errors.WebhookParseError` naming the JSON path (``$.events``).
- One bad event never costs the others: an event of a type LINE adds later, or of a known
  type but the wrong shape, becomes an `UnknownEvent` that keeps ``type`` and the raw
  mapping, and, for a wrong shape, ``error`` with the JSON path
  (``$.events[3].source: ...``). A message content of a new type, or malformed, keeps the
  event a `MessageEvent` with `UnknownMessageContent`.
- Unknown keys are ignored; unknown enum values (a new ``mode``, link ``result`` or beacon
  ``type``) are kept as plain strings. Every field LINE may leave out is optional.
- Values of the wrong JSON type are not coerced: ``"isRedelivery": "false"`` is an error,
  not ``True``.

Every event has ``timestamp`` (ms since the epoch), ``mode`` (``"active"``, or ``"standby"``
when another channel has chat control: do not reply), ``webhook_event_id`` (a ULID: the key
for de-duplicating redeliveries), ``delivery_context``, ``source`` (`UserSource`,
`GroupSource`, `RoomSource` or `UnknownSource`) and the properties ``is_redelivery`` and
``user_id``; events LINE lets you answer have ``reply_token``. `UnknownEvent` offers the same
names as properties read from its raw mapping.

Parsing any input raises nothing but `line_braze.errors.LineBrazeError` subclasses.

In a web app (Flask here; any framework that gives the raw body works the same)::

    from line_braze.errors import SignatureError
    from line_braze.line.webhook import FollowEvent, UnfollowEvent, parse_webhook

    @app.post("/callback")
    def callback():
        try:
            payload = parse_webhook(
                request.get_data(), request.headers.get("X-Line-Signature"), channel_secret
            )
        except SignatureError:
            abort(400)
        for event in payload.events:
            if isinstance(event, FollowEvent):
                remember(event.user_id, unblocked=event.is_unblocked)
            elif isinstance(event, UnfollowEvent):
                forget(event.user_id)
        return "OK"

Example:
    >>> import json
    >>> from line_braze.line.webhook import FollowEvent, compute_signature, parse_webhook
    >>> body = json.dumps({"destination": "U" + "0" * 32, "events": [{
    ...     "type": "follow", "mode": "active", "timestamp": 1462629479859,
    ...     "source": {"type": "user", "userId": "U" + "a" * 32},
    ...     "webhookEventId": "01FZ74A0TDDPYRVKNK77XKC3ZR",
    ...     "deliveryContext": {"isRedelivery": False},
    ...     "replyToken": "nHuyWiB7yP5Zw52FIkcQobQuGDXCTA", "follow": {"isUnblocked": False},
    ... }]}).encode()
    >>> signature = compute_signature(body, "my-channel-secret")  # what LINE sends
    >>> payload = parse_webhook(body, signature, "my-channel-secret")
    >>> event = payload.events[0]
    >>> isinstance(event, FollowEvent), event.is_unblocked, event.user_id == "U" + "a" * 32
    (True, False, True)
    >>> parse_webhook(body, signature, "another-secret")
    Traceback (most recent call last):
    ...
    line_braze.errors.SignatureError: X-Line-Signature does not match the request body
"""

from __future__ import annotations

import contextvars
import json
from collections.abc import Callable, Mapping
from typing import Any, Final

import cattrs

from line_braze._secret import Secret
from line_braze._wire import (
    WireError,
    converter,
    describe,
    json_type,
    register_union,
    register_unstructure_hook,
    strict_converter,
)
from line_braze.errors import SignatureError, WebhookParseError
from line_braze.line.event_contents import (
    _CONTENT_TYPES,
    _MODULE_TYPES,
    _SOURCE_TYPES,
    AttachedModuleContent,
    AudioMessageContent,
    BeaconContent,
    ChatControl,
    ContentProvider,
    DeliveryContext,
    DetachedModuleContent,
    FileMessageContent,
    FollowDetail,
    GroupSource,
    ImageMessageContent,
    ImageSet,
    JoinedMembers,
    LeftMembers,
    LinkContent,
    LocationMessageContent,
    MembershipContent,
    Mentionee,
    MessageContent,
    MessageEmoji,
    MessageMention,
    ModuleContent,
    PnpDelivery,
    PostbackContent,
    RoomSource,
    Source,
    StickerMessageContent,
    TextMessageContent,
    UnknownMessageContent,
    UnknownSource,
    UnsendDetail,
    UserSource,
    VideoMessageContent,
    VideoPlayComplete,
)
from line_braze.line.events import (
    _EVENT_TYPES,
    AccountLinkEvent,
    ActivatedEvent,
    BeaconEvent,
    BotResumedEvent,
    BotSuspendedEvent,
    DeactivatedEvent,
    FollowEvent,
    JoinEvent,
    LeaveEvent,
    MemberJoinedEvent,
    MemberLeftEvent,
    MembershipEvent,
    MessageEditedEvent,
    MessageEvent,
    ModuleEvent,
    PnpDeliveryCompletionEvent,
    PostbackEvent,
    UnfollowEvent,
    UnknownEvent,
    UnsendEvent,
    VideoPlayCompleteEvent,
    WebhookEvent,
    WebhookPayload,
)
from line_braze.line.signature import (
    SIGNATURE_HEADER,
    Body,
    _body_bytes,
    _secret_key,
    compute_signature,
    verify_signature,
)

__all__ = [
    "SIGNATURE_HEADER",
    "AccountLinkEvent",
    "ActivatedEvent",
    "AttachedModuleContent",
    "AudioMessageContent",
    "BeaconContent",
    "BeaconEvent",
    "Body",
    "BotResumedEvent",
    "BotSuspendedEvent",
    "ChatControl",
    "ContentProvider",
    "DeactivatedEvent",
    "DeliveryContext",
    "DetachedModuleContent",
    "FileMessageContent",
    "FollowDetail",
    "FollowEvent",
    "GroupSource",
    "ImageMessageContent",
    "ImageSet",
    "JoinEvent",
    "JoinedMembers",
    "LeaveEvent",
    "LeftMembers",
    "LinkContent",
    "LocationMessageContent",
    "MemberJoinedEvent",
    "MemberLeftEvent",
    "MembershipContent",
    "MembershipEvent",
    "Mentionee",
    "MessageContent",
    "MessageEditedEvent",
    "MessageEmoji",
    "MessageEvent",
    "MessageMention",
    "ModuleContent",
    "ModuleEvent",
    "PnpDelivery",
    "PnpDeliveryCompletionEvent",
    "PostbackContent",
    "PostbackEvent",
    "RoomSource",
    "Source",
    "StickerMessageContent",
    "TextMessageContent",
    "UnfollowEvent",
    "UnknownEvent",
    "UnknownMessageContent",
    "UnknownSource",
    "UnsendDetail",
    "UnsendEvent",
    "UserSource",
    "VideoMessageContent",
    "VideoPlayComplete",
    "VideoPlayCompleteEvent",
    "WebhookEvent",
    "WebhookPayload",
    "compute_signature",
    "parse_events",
    "parse_webhook",
    "verify_signature",
]

# -- parsing ---------------------------------------------------------------------------------


def parse_webhook(
    body: Body, signature: str | bytes | None, channel_secret: str | Secret
) -> WebhookPayload:
    """Verify ``X-Line-Signature`` over the raw body, then parse the events.

    Args:
        body: the raw request body, exactly as received.
        signature: the ``X-Line-Signature`` header value (``None`` if it was missing).
        channel_secret: the channel secret (a `line_braze.Secret` or a plain string).

    Raises:
        line_braze.errors.SignatureError: the signature is missing or does not match;
            nothing was parsed. Answer the request with 400 (or 401).
        line_braze.errors.WebhookParseError: correctly signed, but not LINE's webhook JSON.
        line_braze.errors.ValidationError: ``body`` is not bytes or the secret is empty.

    Example:
        >>> body = b'{"destination":"U1","events":[]}'
        >>> parse_webhook(body, compute_signature(body, "s3cret"), "s3cret").events
        ()
        >>> parse_webhook(body, None, "s3cret")
        Traceback (most recent call last):
        ...
        line_braze.errors.SignatureError: the X-Line-Signature header is missing
    """
    raw = _body_bytes(body)
    _secret_key(channel_secret)  # a configuration error is reported as such, first
    if not signature:
        raise SignatureError(f"the {SIGNATURE_HEADER} header is missing")
    if not verify_signature(raw, signature, channel_secret):
        raise SignatureError
    return parse_events(raw)


def parse_events(body: Body | str | Mapping[str, Any]) -> WebhookPayload:
    """Parse a webhook body whose signature was already checked (see `parse_webhook`).

    Args:
        body: the body as bytes (UTF-8 JSON), as text, or already decoded from JSON.

    Raises:
        line_braze.errors.WebhookParseError: not JSON, not an object, a ``destination``
            that is not a string (absent is fine) or no ``events`` list. A bad *event* does
            not raise: it becomes an `UnknownEvent` with ``error`` set.

    Example:
        >>> payload = parse_events({"destination": "U1", "events": [
        ...     {"type": "unfollow", "timestamp": 5, "source": {"type": "user", "userId": "U2"}},
        ...     {"type": "follow", "timestamp": "yesterday"},
        ...     {"type": "somethingNew", "timestamp": 6},
        ... ]})
        >>> [type(e).__name__ for e in payload.events]
        ['UnfollowEvent', 'UnknownEvent', 'UnknownEvent']
        >>> payload.events[1].error
        '$.events[1].timestamp: must be an integer, got a string'
        >>> parse_events(b'{"destination": "U1", "events": {}}')
        Traceback (most recent call last):
        ...
        line_braze.errors.WebhookParseError: $.events: must be a JSON array, got object
    """
    return _parse(_load(body), _converter(strict=False))


_JSON_KINDS: Final = ((bool, "boolean"), ((int, float), "number"), (str, "string"))


def _json_kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, list):
        return "array"
    if isinstance(value, Mapping):
        return "object"
    for kinds, name in _JSON_KINDS:
        if isinstance(value, kinds):
            return name
    return type(value).__name__


def _reject_constant(name: str) -> Any:
    msg = f"{name} is not JSON"
    raise ValueError(msg)


def _load(body: object) -> Any:
    if isinstance(body, Mapping):
        return body
    if isinstance(body, str):
        text = body
    else:
        raw = _body_bytes(body)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise WebhookParseError("$: the body is not UTF-8 text") from None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        raise WebhookParseError(f"$: the body is not JSON ({exc.msg}: {where})") from None
    except (ValueError, RecursionError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else "a value is invalid"
        raise WebhookParseError(f"$: the body is not JSON we can read ({reason})") from None


def _parse(data: Any, conv: cattrs.Converter) -> WebhookPayload:
    if not isinstance(data, Mapping):
        raise WebhookParseError(f"$: must be a JSON object, got {_json_kind(data)}")
    destination = data.get("destination")
    if destination is not None and not isinstance(destination, str):
        raise WebhookParseError(f"$.destination: must be a string, got {_json_kind(destination)}")
    events = data.get("events")
    if not isinstance(events, list):
        got = "nothing" if "events" not in data else _json_kind(events)
        raise WebhookParseError(f"$.events: must be a JSON array, got {got}")
    return WebhookPayload(
        destination=destination,
        events=tuple(_event(raw, index, conv) for index, raw in enumerate(events)),
    )


_PATH: Final = contextvars.ContextVar("line_braze_webhook_path", default="$")


def _event(raw: object, index: int, conv: cattrs.Converter) -> WebhookEvent:
    path = f"$.events[{index}]"
    if not isinstance(raw, Mapping):
        return UnknownEvent(
            type=None, raw={}, error=f"{path}: must be a JSON object, got {_json_kind(raw)}"
        )
    kind = raw.get("type")
    if not isinstance(kind, str):
        got = _json_kind(kind) if "type" in raw else "nothing"
        return UnknownEvent(type=None, raw=raw, error=f"{path}.type: must be a string, got {got}")
    token = _PATH.set(path)
    union: Any = WebhookEvent  # a tagged union: a type LINE adds later is an UnknownEvent
    try:
        event: WebhookEvent = conv.structure(raw, union)
    except Exception as exc:  # noqa: BLE001 - one bad event must not cost the batch
        return UnknownEvent(type=kind, raw=raw, error=_describe(exc, path=path))
    finally:
        _PATH.reset(token)
    return event


# -- hooks on the shared wire layer -----------------------------------------------------------
#
# Webhook input is untrusted: `line_braze._wire` gives strict scalars, camelCase and tagged
# unions. What is webhook policy stays here: unknown sources kept raw, a bad message content
# degraded to `UnknownMessageContent` without costing the event.


def _describe(exc: BaseException, *, path: str) -> str:
    """Return ``"<json path>: <reason>"`` for up to three failures, with LINE's key names."""
    found = [f"{where}: {reason}" for where, reason in describe(exc, path)]
    shown = "; ".join(found[:3])
    if len(found) > 3:  # noqa: PLR2004
        shown += f"; and {len(found) - 3} more"
    return shown


def _unknown_source(value: Mapping[str, Any]) -> UnknownSource:
    kind = value.get("type")
    if not isinstance(kind, str):
        raise WireError("type must be a string")
    return UnknownSource(type=kind, raw=value)


def _source_hook(value: object, _: object) -> Source:
    """Structure a source leniently (also used by `UnknownEvent.source`)."""
    union: Any = Source
    result: Source = converter.structure(value, union)
    return result


def _content_hook(conv: cattrs.Converter) -> Callable[[Any, Any], MessageContent]:
    def content(value: object, _: object) -> MessageContent:
        if not isinstance(value, Mapping):
            raise WireError(f"must be an object, got {json_type(value)}")
        kind, mid = value.get("type"), value.get("id")
        known = kind if isinstance(kind, str) else None
        msg_id = mid if isinstance(mid, str) else None
        cls = _CONTENT_TYPES.get(known) if known is not None else None
        if cls is None:
            error = None if known else f"{_PATH.get()}.message.type: must be a string"
            return UnknownMessageContent(type=known, id=msg_id, raw=value, error=error)
        try:
            result: MessageContent = conv.structure(value, cls)
        except Exception as exc:  # noqa: BLE001 - keep the event, degrade the content
            error = _describe(exc, path=f"{_PATH.get()}.message")
            return UnknownMessageContent(type=known, id=msg_id, raw=value, error=error)
        return result

    return content


def _converter(*, strict: bool) -> cattrs.Converter:
    """Return the wire layer's converter; ``strict`` forbids unknown keys (the test suite's)."""
    return strict_converter if strict else converter


def _raw_of(obj: UnknownEvent | UnknownSource | UnknownMessageContent) -> dict[str, Any]:
    return dict(obj.raw)


register_union(
    Source,
    list(_SOURCE_TYPES.values()),
    noun="source",
    fallback=_unknown_source,
)
register_union(ModuleContent, list(_MODULE_TYPES.values()), noun="module")
register_union(
    WebhookEvent,
    list(_EVENT_TYPES.values()),
    noun="event",
    fallback=lambda raw: UnknownEvent(type=raw.get("type"), raw=raw),
)
for _conv in (converter, strict_converter):
    _conv.register_structure_hook_func(lambda t: t == MessageContent, _content_hook(_conv))
for _unknown in (UnknownEvent, UnknownSource, UnknownMessageContent):
    register_unstructure_hook(_unknown, _raw_of)
