"""What the LINE client returns: push and multicast results, profiles, tokens, follower pages.

Every class here is a frozen attrs value. Answers are read with the wire layer's converter
(`line_braze._wire`: LINE's camelCase, strict scalars, unknown keys ignored); an answer of
the wrong shape raises `line_braze.errors.ResponseError` naming the JSON path. Issued
channel access tokens are held in a `line_braze.Secret`, so no repr, str or notebook
display shows them.

Example:
    >>> from line_braze.line.responses import PushResult, SentMessage
    >>> result = PushResult(
    ...     request_id="req-1", retry_key="123e4567-e89b-12d3-a456-426614174000",
    ...     sent_messages=(SentMessage(id="4613"),),
    ... )
    >>> result.already_accepted
    False
    >>> result.message_ids
    ('4613',)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import attrs
import cattrs

from line_braze._display import Display
from line_braze._secret import Secret
from line_braze._wire import converter, describe_structure_error
from line_braze.errors import LineBrazeError, PartialFailure, ResponseError
from line_braze.line.followers import FollowerPage

if TYPE_CHECKING:
    from line_braze._transport import Reader

__all__ = [
    "FollowerPage",
    "IssuedToken",
    "MulticastChunk",
    "MulticastResult",
    "Profile",
    "PushResult",
    "ReplyResult",
    "SentMessage",
    "TokenInfo",
]

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class SentMessage(Display):
    """One message LINE accepted.

    Attributes:
        id: LINE's message id.
        quote_token: token to quote this message later, when LINE returned one.

    Example:
        >>> SentMessage(id="461230966842064897", quote_token="IStG5h1Tz7b")
        SentMessage(id='461230966842064897', quote_token='IStG5h1Tz7b')
    """

    id: str
    quote_token: str | None = None


@attrs.frozen(kw_only=True)
class PushResult(Display):
    """The outcome of one push: LINE accepted it (once, whatever the retries).

    Attributes:
        request_id: ``x-line-request-id`` of the answer we got.
        retry_key: the ``X-Line-Retry-Key`` sent on every attempt. Pass it back as
            ``retry_key=`` to repeat this send safely (within LINE's 24 hours).
        accepted_request_id: set when a retry found the key already accepted (409): the
            request id of the earlier attempt LINE accepted.
        sent_messages: the messages LINE reported (may be empty after a 409).
        attempts: attempts made, the successful one included.

    Example:
        >>> r = PushResult(request_id="b", retry_key="k", accepted_request_id="a", attempts=2)
        >>> r.already_accepted
        True
    """

    request_id: str | None
    retry_key: str
    accepted_request_id: str | None = None
    sent_messages: tuple[SentMessage, ...] = ()
    attempts: int = 1

    @property
    def already_accepted(self) -> bool:
        """Whether an earlier attempt had been accepted and a retry was answered 409."""
        return self.accepted_request_id is not None

    @property
    def message_ids(self) -> tuple[str, ...]:
        """The ids of the messages LINE reported."""
        return tuple(m.id for m in self.sent_messages)


@attrs.frozen(kw_only=True)
class ReplyResult(Display):
    """The outcome of a reply.

    Attributes:
        request_id: ``x-line-request-id`` of the answer.
        sent_messages: the messages LINE reported.

    Example:
        >>> ReplyResult(request_id="r1").sent_messages
        ()
    """

    request_id: str | None
    sent_messages: tuple[SentMessage, ...] = ()


ChunkStatus = Literal["sent", "failed", "skipped"]


@attrs.frozen(kw_only=True)
class MulticastChunk(Display):
    """One request of a multicast: up to 500 recipients under one retry key.

    Attributes:
        index: position of the chunk, from 0.
        recipients: the user IDs of this chunk.
        retry_key: the ``X-Line-Retry-Key`` of this chunk. To resend a failed chunk safely,
            call ``multicast(chunk.recipients, messages, retry_key=chunk.retry_key)``: if an
            earlier attempt did reach LINE, it is not delivered twice.
        status: ``"sent"``, ``"failed"`` or ``"skipped"`` (not tried after an error that
            every later chunk would get too, or with ``stop_on_error=True``).
        request_id: ``x-line-request-id`` of the answer, if any.
        accepted_request_id: set when a retry found the key already accepted.
        error: what went wrong, for a failed chunk.
        attempts: attempts made.

    Example:
        >>> chunk = MulticastChunk(index=0, recipients=("U" + "0" * 32,), retry_key="k",
        ...                        status="sent", request_id="r")
        >>> chunk.ok, len(chunk)
        (True, 1)
    """

    index: int
    recipients: tuple[str, ...] = attrs.field(repr=lambda r: f"<{len(r)} recipients>")
    retry_key: str
    status: ChunkStatus
    request_id: str | None = None
    accepted_request_id: str | None = None
    error: LineBrazeError | None = attrs.field(default=None, eq=False)
    attempts: int = 0

    @property
    def ok(self) -> bool:
        """Whether LINE accepted this chunk."""
        return self.status == "sent"

    def __len__(self) -> int:
        """Return the number of recipients in the chunk."""
        return len(self.recipients)


@attrs.frozen(kw_only=True)
class MulticastResult(Display):
    """The outcome of a multicast, chunk by chunk. A failed chunk never hides a sent one.

    ``multicast`` does not raise for a chunk that fails after validation: it records the
    error on that chunk and goes on (see `MulticastChunk.status`). Check `ok`, or call
    `raise_for_errors`.

    Attributes:
        chunks: one entry per request, in order.

    Example:
        >>> sent = MulticastChunk(index=0, recipients=("U1",), retry_key="k0", status="sent")
        >>> lost = MulticastChunk(index=1, recipients=("U2",), retry_key="k1", status="failed")
        >>> result = MulticastResult(chunks=(sent, lost))
        >>> result.ok, result.sent_count, [c.index for c in result.failed]
        (False, 1, [1])
    """

    chunks: tuple[MulticastChunk, ...]

    @property
    def ok(self) -> bool:
        """Whether every chunk was sent."""
        return all(c.ok for c in self.chunks)

    @property
    def sent(self) -> tuple[MulticastChunk, ...]:
        """The chunks LINE accepted."""
        return tuple(c for c in self.chunks if c.status == "sent")

    @property
    def failed(self) -> tuple[MulticastChunk, ...]:
        """The chunks that were tried and failed (resend them with their retry keys)."""
        return tuple(c for c in self.chunks if c.status == "failed")

    @property
    def skipped(self) -> tuple[MulticastChunk, ...]:
        """The chunks that were not tried."""
        return tuple(c for c in self.chunks if c.status == "skipped")

    @property
    def errors(self) -> tuple[LineBrazeError, ...]:
        """The error of each failed chunk, in order."""
        return tuple(c.error for c in self.chunks if c.error is not None)

    @property
    def sent_count(self) -> int:
        """How many recipients were in accepted chunks."""
        return sum(len(c) for c in self.sent)

    def raise_for_errors(self) -> MulticastResult:
        """Return ``self`` if every chunk was sent, else raise `PartialFailure`.

        The exception's ``report`` is this result and its ``__cause__`` the first error.

        Raises:
            line_braze.errors.PartialFailure: a chunk failed or was skipped.
        """
        if self.ok:
            return self
        first = self.errors[0] if self.errors else None
        message = (
            f"multicast: {len(self.sent)} of {len(self.chunks)} chunks sent, "
            f"{len(self.failed)} failed, {len(self.skipped)} skipped"
        )
        if first is not None:
            message += f"; first error: {first}"
        message += "; resend failed chunks with their retry_key"
        raise PartialFailure(message, resume_from=None, report=self) from first


@attrs.frozen(kw_only=True)
class Profile(Display):
    """A LINE user's profile.

    Attributes:
        user_id: the user ID (``U`` + 32 hex).
        display_name: the user's display name.
        picture_url: profile image URL, if any.
        status_message: status message, if any.
        language: BCP-47 language tag, absent without the user's consent.

    Example:
        >>> Profile(user_id="U" + "a" * 32, display_name="Mina").language is None
        True
    """

    user_id: str
    display_name: str
    picture_url: str | None = None
    status_message: str | None = None
    language: str | None = None


@attrs.frozen(kw_only=True)
class IssuedToken(Display):
    """A channel access token LINE just issued. Its repr never shows the token.

    Attributes:
        access_token: the token, as a `Secret` (``.reveal()`` to use it elsewhere).
        expires_in: lifetime in seconds.
        token_type: ``"Bearer"``.
        key_id: the key id of a v2.1 token, else ``None``.

    Example:
        >>> IssuedToken(access_token=Secret("fresh-token"), expires_in=899)
        IssuedToken(access_token=Secret('********'), expires_in=899, token_type='Bearer', key_id=None)
    """  # noqa: E501

    access_token: Secret
    expires_in: int
    token_type: str = "Bearer"  # noqa: S105 (a token kind, not a token)
    key_id: str | None = None


@attrs.frozen(kw_only=True)
class TokenInfo(Display):
    """What LINE says about a channel access token it verified.

    Attributes:
        client_id: the channel ID the token belongs to.
        expires_in: seconds until it expires.
        scope: the token's scopes, space separated, if given.

    Example:
        >>> TokenInfo(client_id="1350031035", expires_in=3138007490, scope="P CM").client_id
        '1350031035'
    """

    client_id: str = attrs.field(metadata={"wire": "client_id"})
    expires_in: int = attrs.field(metadata={"wire": "expires_in"})
    scope: str | None = None


# --- wire shapes of answers (private) -------------------------------------------------


@attrs.frozen(kw_only=True)
class _SentMessagesBody:
    sent_messages: tuple[SentMessage, ...] = ()


@attrs.frozen(kw_only=True)
class _LinkTokenBody:
    link_token: str


@attrs.frozen(kw_only=True)
class _IssuedTokenBody:
    access_token: str = attrs.field(repr=False, metadata={"wire": "access_token"})
    expires_in: int = attrs.field(metadata={"wire": "expires_in"})
    token_type: str = attrs.field(default="Bearer", metadata={"wire": "token_type"})
    key_id: str | None = attrs.field(default=None, metadata={"wire": "key_id"})


def read_body(body: Any, cls: type[T], *, method: str, path: str, status: int) -> T:
    """Structure a LINE answer into ``cls``, or raise `ResponseError` naming the JSON path.

    Not public: the services call it.
    """
    if not isinstance(body, Mapping):
        shown = "empty" if body is None else type(body).__name__
        raise ResponseError("line", method, path, status, f"expected a JSON object, got {shown}")
    try:
        return converter.structure(body, cls)
    except (cattrs.BaseValidationError, TypeError, ValueError, KeyError, AttributeError) as exc:
        raise ResponseError(
            "line", method, path, status, f"unexpected answer: {describe_structure_error(exc)}"
        ) from None


def reads(cls: type[T]) -> Reader[T]:
    """Return the `Reader` that structures an answer into ``cls`` (see `read_body`)."""

    def read(body: Any, *, method: str, path: str, status: int) -> T:
        return read_body(body, cls, method=method, path=path, status=status)

    return read


def sent_messages(body: Any, *, method: str, path: str, status: int) -> tuple[SentMessage, ...]:
    """Return the ``sentMessages`` of a push or reply answer (empty if the body is empty)."""
    if body is None:
        return ()
    return read_body(body, _SentMessagesBody, method=method, path=path, status=status).sent_messages


def link_token(body: Any, *, method: str, path: str, status: int) -> str:
    """Return the ``linkToken`` of a link-token answer."""
    return read_body(body, _LinkTokenBody, method=method, path=path, status=status).link_token


def issued_token(body: Any, *, method: str, path: str, status: int) -> IssuedToken:
    """Return the `IssuedToken` of a token-endpoint answer; the token goes into a `Secret`."""
    wire = read_body(body, _IssuedTokenBody, method=method, path=path, status=status)
    if not wire.access_token:
        raise ResponseError("line", method, path, status, "unexpected answer: empty access_token")
    return IssuedToken(
        access_token=Secret(wire.access_token),
        expires_in=wire.expires_in,
        token_type=wire.token_type,
        key_id=wire.key_id,
    )
