"""Sending messages: push, multicast, reply and the validate dry run.

Every push and multicast request carries an ``X-Line-Retry-Key``: a UUID minted once per
logical send (or the caller's own), sent unchanged on every attempt. If an attempt whose
answer was lost had in fact been accepted, LINE answers the retry with 409 and the request
id of the accepted attempt; that is reported as success, so a retried push is delivered
once. A 409 on the *first* attempt means the caller reused a key: that is a
`line_braze.errors.Conflict`.

Example:
    >>> import responses
    >>> from line_braze.line.client import LineClient
    >>> from line_braze.line.models import TextMessage
    >>> line = LineClient("token")
    >>> with responses.RequestsMock() as mock:
    ...     _ = mock.post("https://api.line.me/v2/bot/message/push",
    ...                   json={"sentMessages": [{"id": "4613"}]},
    ...                   headers={"x-line-request-id": "req-1"})
    ...     result = line.messages.push("U" + "a" * 32, [TextMessage(text="Hi")])
    >>> result.request_id, result.message_ids
    ('req-1', ('4613',))
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Final, Literal, get_args

from line_braze._check import check_bool, check_items, is_line_user_id
from line_braze._client import BaseService
from line_braze._transport import Retry
from line_braze._wire import wire
from line_braze.errors import (
    APIError,
    AuthenticationError,
    Conflict,
    LineBrazeError,
    PermissionDenied,
    ResponseError,
    TransportError,
    ValidationError,
)
from line_braze.line.responses import (
    MulticastChunk,
    MulticastResult,
    PushResult,
    ReplyResult,
    SentMessage,
    sent_messages,
)

if TYPE_CHECKING:
    from line_braze.line.models import Message

__all__ = [
    "MULTICAST_CHUNK",
    "Messages",
    "ValidateKind",
    "check_recipient",
    "check_retry_key",
    "check_user_id",
]

MULTICAST_CHUNK: Final = 500
RETRY_KEY_HEADER: Final = "X-Line-Retry-Key"
ValidateKind = Literal["reply", "push", "multicast", "narrowcast", "broadcast"]

_RECIPIENT: Final = re.compile(r"[UCR][0-9a-f]{32}")
_CONFLICT_HINT: Final = (
    "this X-Line-Retry-Key was already accepted by an earlier send (accepted_request_id); "
    "mint a new key (retry_key=None) for a new message"
)


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."  # noqa: PLR2004


def check_recipient(to: object, *, field: str = "to") -> str:
    """Return ``to`` if it is a LINE user, group or room ID (``U``/``C``/``R`` + 32 hex).

    Raises:
        line_braze.errors.ValidationError: anything else.

    Example:
        >>> check_recipient("C" + "0" * 32)[:1]
        'C'
        >>> check_recipient("someone@example.com")
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: to: must be a LINE user, group or room ID (U, C or R + 32 lowercase hex), got 'someone@example.com'
    """  # noqa: E501
    if not isinstance(to, str) or not _RECIPIENT.fullmatch(to):
        raise ValidationError(
            field,
            "must be a LINE user, group or room ID (U, C or R + 32 lowercase hex), "
            f"got {_shown(to)}",
        )
    return to


def check_user_id(user_id: object, *, field: str = "user_id") -> str:
    """Return ``user_id`` if it is a LINE user ID (``U`` + 32 lowercase hex).

    Raises:
        line_braze.errors.ValidationError: anything else.

    Example:
        >>> check_user_id("U" + "f" * 32)[:2]
        'Uf'
    """
    if not is_line_user_id(user_id):
        raise ValidationError(
            field, f"must be a LINE user ID (U + 32 lowercase hex), got {_shown(user_id)}"
        )
    return user_id


def check_retry_key(key: str | uuid.UUID | None) -> str:
    """Return a retry key in LINE's form: the caller's UUID, or a fresh uuid4.

    Raises:
        line_braze.errors.ValidationError: ``key`` is not a UUID.

    Example:
        >>> check_retry_key("123E4567-E89B-12D3-A456-426614174000")
        '123e4567-e89b-12d3-a456-426614174000'
        >>> len(check_retry_key(None))
        36
    """
    if key is None:
        return str(uuid.uuid4())
    if isinstance(key, uuid.UUID):
        return str(key)
    if isinstance(key, str):
        try:
            return str(uuid.UUID(key))
        except ValueError:
            pass
    raise ValidationError(
        "retry_key",
        f"must be a UUID such as 123e4567-e89b-12d3-a456-426614174000, got {_shown(key)}",
    )


def _user_id(value: object, field: str) -> str:
    return check_user_id(value, field=field)


def _user_ids(to: Iterable[str]) -> tuple[str, ...]:
    checked = check_items(to, "to", _user_id, what="a list of user IDs")
    if not checked:
        raise ValidationError("to", "needs at least one user ID")
    return checked


class Messages(BaseService):
    """Push, multicast, reply and validate. Reach it as ``line.messages``.

    Messages are checked (1 to 5, every LIMITS.md limit) and recipients too before anything
    is sent; a bad one raises `line_braze.errors.ValidationError` naming the field.
    """

    def push(
        self,
        to: str,
        messages: Sequence[Message],
        *,
        notification_disabled: bool = False,
        retry_key: str | uuid.UUID | None = None,
    ) -> PushResult:
        """Send 1 to 5 messages to one user, group or room, at most once.

        Args:
            to: a user (``U...``), group (``C...``) or room (``R...``) ID.
            messages: 1 to 5 message models.
            notification_disabled: deliver without a push notification.
            retry_key: a UUID to send as ``X-Line-Retry-Key``; by default a fresh one.
                Pass a key from an earlier `PushResult` or failed call to repeat that send
                without delivering it twice.

        Returns:
            The `PushResult`; ``accepted_request_id`` is set when a retry found the send
            already accepted.

        Raises:
            line_braze.errors.ValidationError: bad recipient, messages, key or a non-bool
                ``notification_disabled``; nothing sent.
            line_braze.errors.Conflict: a 409 without an accepted request id. When you
                pass ``retry_key`` and LINE had already accepted it, that is not an error:
                the result has ``already_accepted`` set (the message went out once).
            line_braze.errors.APIError: another error status, after retries.
            line_braze.errors.TransportError: no answer, after retries; resend with the
                error's ``retry_key`` to be safe (every error of a push carries it).
        """
        check_recipient(to)
        check_bool(notification_disabled, "notification_disabled")
        body: dict[str, Any] = {"to": to, "messages": self._wire(messages)}
        if notification_disabled:
            body["notificationDisabled"] = True
        key = check_retry_key(retry_key)
        path = "/v2/bot/message/push"
        try:
            resp = self._transport.request(
                "POST",
                path,
                json_body=body,
                headers={RETRY_KEY_HEADER: key},
                retry=Retry.SAFE,
                conflict_ok_on_retry=True,
                hints={409: _CONFLICT_HINT},
            )
        except Conflict as exc:
            if retry_key is not None and exc.accepted_request_id:
                # The caller is resending a send LINE already accepted: delivered once.
                return PushResult(
                    request_id=exc.request_id,
                    retry_key=key,
                    accepted_request_id=exc.accepted_request_id,
                    attempts=exc.attempts,
                )
            exc.retry_key = key
            raise
        except LineBrazeError as exc:
            exc.retry_key = key
            raise
        return PushResult(
            request_id=resp.request_id,
            retry_key=key,
            accepted_request_id=resp.accepted_request_id,
            sent_messages=sent_messages(resp.body, method="POST", path=path, status=resp.status)
            if resp.status != 409  # noqa: PLR2004
            else _lenient_sent(resp.body),
            attempts=resp.attempts,
        )

    def multicast(
        self,
        to: Iterable[str],
        messages: Sequence[Message],
        *,
        notification_disabled: bool = False,
        retry_key: str | uuid.UUID | None = None,
        stop_on_error: bool = False,
    ) -> MulticastResult:
        """Send the same messages to many users, 500 per request, each with its own retry key.

        All input is checked before the first request. A chunk that fails after that does
        not raise: its error is recorded on that chunk and the next chunk is sent, so a
        failure of chunk 3 never hides that chunks 1 and 2 went out. After a 401 or 403
        (which every later chunk would get too), or any failure with ``stop_on_error=True``,
        the remaining chunks are marked ``"skipped"``. Call
        `MulticastResult.raise_for_errors` to turn failures into an exception.

        Args:
            to: user IDs (``U...``) only; LINE refuses group and room IDs here.
            messages: 1 to 5 message models.
            notification_disabled: deliver without a push notification.
            retry_key: only for at most 500 recipients (one chunk): the key of a chunk to
                resend, from `MulticastChunk.retry_key`. If LINE had already accepted it,
                the chunk is ``"sent"`` with ``accepted_request_id`` (delivered once).
            stop_on_error: skip the remaining chunks after the first failure.

        Raises:
            line_braze.errors.ValidationError: bad recipients (a bare str is not a list of
                them), messages, key or a non-bool flag; nothing sent.
        """
        recipients = _user_ids(to)
        check_bool(notification_disabled, "notification_disabled")
        check_bool(stop_on_error, "stop_on_error")
        wired = self._wire(messages)
        if retry_key is not None and len(recipients) > MULTICAST_CHUNK:
            raise ValidationError(
                "retry_key",
                f"one retry key covers one request of at most {MULTICAST_CHUNK} recipients, "
                f"got {len(recipients)}; resend chunks one by one with their own keys",
            )
        chunks = [
            tuple(recipients[i : i + MULTICAST_CHUNK])
            for i in range(0, len(recipients), MULTICAST_CHUNK)
        ]
        keys = [check_retry_key(retry_key)] + [check_retry_key(None) for _ in chunks[1:]]
        done: list[MulticastChunk] = []
        stopped = False
        for index, (chunk, key) in enumerate(zip(chunks, keys, strict=True)):
            if stopped:
                done.append(
                    MulticastChunk(index=index, recipients=chunk, retry_key=key, status="skipped")
                )
                continue
            outcome = self._multicast_chunk(
                index, chunk, key, wired, notification_disabled, resend=retry_key is not None
            )
            done.append(outcome)
            if outcome.error is not None and (
                stop_on_error or isinstance(outcome.error, AuthenticationError | PermissionDenied)
            ):
                stopped = True
        return MulticastResult(chunks=tuple(done))

    def _multicast_chunk(
        self,
        index: int,
        chunk: tuple[str, ...],
        key: str,
        wired: list[Any],
        notification_disabled: bool,
        *,
        resend: bool = False,
    ) -> MulticastChunk:
        body: dict[str, Any] = {"to": list(chunk), "messages": wired}
        if notification_disabled:
            body["notificationDisabled"] = True
        try:
            resp = self._transport.request(
                "POST",
                "/v2/bot/message/multicast",
                json_body=body,
                headers={RETRY_KEY_HEADER: key},
                retry=Retry.SAFE,
                conflict_ok_on_retry=True,
                hints={409: _CONFLICT_HINT},
            )
        except Conflict as exc:
            if not resend or not exc.accepted_request_id:
                return _failed_chunk(index, chunk, key, exc)
            # The caller is resending a chunk LINE already accepted: delivered once.
            return MulticastChunk(
                index=index,
                recipients=chunk,
                retry_key=key,
                status="sent",
                request_id=exc.request_id,
                accepted_request_id=exc.accepted_request_id,
                attempts=exc.attempts,
            )
        except (APIError, TransportError, ResponseError) as exc:
            return _failed_chunk(index, chunk, key, exc)
        return MulticastChunk(
            index=index,
            recipients=chunk,
            retry_key=key,
            status="sent",
            request_id=resp.request_id,
            accepted_request_id=resp.accepted_request_id,
            attempts=resp.attempts,
        )

    def reply(
        self,
        reply_token: str,
        messages: Sequence[Message],
        *,
        notification_disabled: bool = False,
    ) -> ReplyResult:
        """Reply to a webhook event with 1 to 5 messages.

        Never retried and never given a retry key (LINE refuses one on replies, and a reply
        token works once).

        Args:
            reply_token: the event's ``reply_token``.
            messages: 1 to 5 message models.
            notification_disabled: deliver without a push notification.

        Raises:
            line_braze.errors.ValidationError: empty token, bad messages or a non-bool
                ``notification_disabled``; nothing sent.
            line_braze.errors.BadRequest: the token is invalid, used or expired.
        """
        if not isinstance(reply_token, str) or not reply_token.strip():
            raise ValidationError("reply_token", "must be the non-empty reply token of an event")
        check_bool(notification_disabled, "notification_disabled")
        body: dict[str, Any] = {"replyToken": reply_token, "messages": self._wire(messages)}
        if notification_disabled:
            body["notificationDisabled"] = True
        path = "/v2/bot/message/reply"
        resp = self._transport.request("POST", path, json_body=body, retry=Retry.NEVER)
        return ReplyResult(
            request_id=resp.request_id,
            sent_messages=sent_messages(resp.body, method="POST", path=path, status=resp.status),
        )

    def validate(self, messages: Sequence[Message], *, kind: ValidateKind = "push") -> None:
        """Ask LINE whether it would accept these messages (a dry run; nothing is sent).

        Args:
            messages: 1 to 5 message models.
            kind: which send to validate for: ``reply``, ``push``, ``multicast``,
                ``narrowcast`` or ``broadcast``.

        Raises:
            line_braze.errors.ValidationError: a limit line_braze enforces itself.
            line_braze.errors.BadRequest: LINE refused them; ``details`` name the fields.
        """
        if kind not in get_args(ValidateKind):
            raise ValidationError(
                "kind", f"must be one of {', '.join(get_args(ValidateKind))}, got {_shown(kind)}"
            )
        body = {"messages": self._wire(messages)}
        self._transport.request(
            "POST", f"/v2/bot/message/validate/{kind}", json_body=body, retry=Retry.SAFE
        )

    @staticmethod
    def _wire(messages: Sequence[Message]) -> list[Any]:
        # Imported here: the message models (and their grapheme counting) load only when a
        # message is sent, which keeps `import line_braze` fast.
        from line_braze.line.models import check_messages

        checked = check_messages(messages)
        return list(wire(list(checked)))


def _failed_chunk(
    index: int, chunk: tuple[str, ...], key: str, exc: APIError | TransportError | ResponseError
) -> MulticastChunk:
    exc.retry_key = key
    return MulticastChunk(
        index=index,
        recipients=chunk,
        retry_key=key,
        status="failed",
        request_id=exc.request_id if isinstance(exc, APIError) else None,
        accepted_request_id=exc.accepted_request_id if isinstance(exc, APIError) else None,
        error=exc,
        attempts=exc.attempts if isinstance(exc, APIError | TransportError) else 1,
    )


def _lenient_sent(body: Any) -> tuple[SentMessage, ...]:
    """Read ``sentMessages`` from a 409 body if it is there and well formed, else ``()``."""
    try:
        return sent_messages(body, method="POST", path="", status=409)
    except ResponseError:
        return ()
