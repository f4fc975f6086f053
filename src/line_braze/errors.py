"""Every exception line_braze raises.

The tree::

    LineBrazeError
     ├─ ValidationError (ValueError)      bad input; nothing was sent
     ├─ SignatureError                    a webhook body whose X-Line-Signature does not match
     ├─ WebhookParseError                 a signed webhook body that is not LINE's JSON shape
     ├─ ResponseError                     an HTTP answer we cannot read (not JSON, truncated,
     │                                    a value of the wrong type: "@ $.message")
     ├─ TransportError                    no HTTP answer at all
     │   ├─ ConnectError                  the connection could not be made (nothing was sent)
     │   ├─ ConnectionLost                sent, then the connection dropped (it may have happened)
     │   └─ RequestTimeout                sent, but no answer in time (it may have happened)
     ├─ APIError                          the service answered with an error status
     │   ├─ BadRequest 400                ├─ Conflict 409
     │   ├─ AuthenticationError 401       ├─ PayloadTooLarge 413
     │   ├─ PermissionDenied 403          ├─ RateLimited 429
     │   ├─ NotFound 404                  └─ ServerError 5xx
     └─ PartialFailure                    a batch job stopped part-way; says what to resume

    KeyboardInterrupt
     └─ SyncInterrupted                   Ctrl-C stopped a follower sync; says what to resume

Every error's ``str`` is one line a person can act on. None of them holds request headers,
a token, an API key or a Content Block body, nor chains to an exception that does. Every one
survives `pickle` and `copy.deepcopy` with its type, message and fields, so it crosses a
process pool.

Example:
    >>> from line_braze.errors import ValidationError
    >>> err = ValidationError("messages", "at most 5 messages per request, got 6")
    >>> str(err)
    'messages: at most 5 messages per request, got 6'
    >>> isinstance(err, ValueError)
    True
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Final, Literal

__all__ = [
    "APIError",
    "AuthenticationError",
    "BadRequest",
    "Conflict",
    "ConnectError",
    "ConnectionLost",
    "LineBrazeError",
    "NotFound",
    "PartialFailure",
    "PayloadTooLarge",
    "PermissionDenied",
    "RateLimited",
    "RequestTimeout",
    "ResponseError",
    "ServerError",
    "SignatureError",
    "SyncInterrupted",
    "TransportError",
    "ValidationError",
    "WebhookParseError",
    "error_class_for_status",
]

Service = Literal["line", "braze"]


class LineBrazeError(Exception):
    """Root of every exception raised by line_braze.

    Attributes:
        retry_key: for a failed push, the ``X-Line-Retry-Key`` every attempt carried (the
            one line_braze minted, or yours). Pass it as ``retry_key=`` to resend without
            risk of a second delivery. ``None`` elsewhere. Not a secret.

    Example:
        >>> from line_braze.errors import LineBrazeError, NotFound
        >>> issubclass(NotFound, LineBrazeError)
        True
    """

    retry_key: str | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle by state: rebuilt without calling ``__init__``, every field kept.

        Exception's own pickling calls ``cls(*args)``, which fails for errors whose
        constructor takes other arguments than their message.
        """
        return _reduce_error(self)


def _reduce_error(err: BaseException) -> tuple[Any, ...]:
    return (_rebuild_error, (type(err), err.args, dict(vars(err))))


def _rebuild_error(
    cls: type[BaseException], args: tuple[Any, ...], state: dict[str, Any]
) -> BaseException:
    err = cls.__new__(cls, *args)
    err.__dict__.update(state)
    return err


class ValidationError(LineBrazeError, ValueError):
    """Input that the API would refuse; raised before anything is sent.

    Attributes:
        field: dotted path of the offending field (``messages[0].text``), or ``""``.
        reason: what is wrong, in words.

    Example:
        >>> str(ValidationError("text", "at most 5000 UTF-16 units, got 5001"))
        'text: at most 5000 UTF-16 units, got 5001'
    """

    def __init__(self, field: str, reason: str) -> None:
        """Build the error from the field path and the reason."""
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}" if field else reason)

    def prefixed(self, prefix: str) -> ValidationError:
        """Return the same error with ``prefix`` put in front of the field path.

        Example:
            >>> str(ValidationError("text", "empty").prefixed("messages[0]"))
            'messages[0].text: empty'
        """
        if not prefix:
            return self
        if not self.field:
            field = prefix
        elif self.field.startswith("["):
            field = prefix + self.field
        else:
            field = f"{prefix}.{self.field}"
        return type(self)(field, self.reason)


class SignatureError(LineBrazeError):
    """A webhook request whose ``X-Line-Signature`` does not match its body.

    Example:
        >>> str(SignatureError())
        'X-Line-Signature does not match the request body'
    """

    def __init__(self, message: str = "X-Line-Signature does not match the request body") -> None:
        """Build the error with an explanation (never the secret or the signature)."""
        super().__init__(message)


class WebhookParseError(LineBrazeError):
    """A correctly signed webhook body that is not LINE's webhook JSON.

    Example:
        >>> str(WebhookParseError("$.events: must be a list"))
        '$.events: must be a list'
    """


class ResponseError(LineBrazeError):
    """An HTTP answer that cannot be read as the API's JSON (a proxy page, a truncated body).

    Attributes:
        service: ``"line"`` or ``"braze"``.
        method: HTTP method.
        path: request path, without the query string.
        status: HTTP status of the answer.

    Example:
        >>> str(ResponseError("line", "GET", "/v2/bot/followers/ids", 200, "body is not JSON"))
        'LINE GET /v2/bot/followers/ids -> 200: body is not JSON'
    """

    def __init__(self, service: Service, method: str, path: str, status: int, reason: str) -> None:
        """Build the error from where it happened and what was wrong."""
        self.service = service
        self.method = method
        self.path = path
        self.status = status
        self.reason = reason
        super().__init__(f"{service.upper()} {method} {path} -> {status}: {reason}")


class TransportError(LineBrazeError):
    """No HTTP answer: the connection failed or timed out.

    Attributes:
        service: ``"line"`` or ``"braze"``.
        method: HTTP method.
        path: request path, without the query string.
        attempts: how many attempts were made.

    Example:
        >>> str(ConnectError("braze", "POST", "/users/track", "connection refused", attempts=3))
        'BRAZE POST /users/track: connection refused (attempts=3)'
    """

    def __init__(
        self, service: Service, method: str, path: str, reason: str, *, attempts: int = 1
    ) -> None:
        """Build the error from where it happened, the cause in words and the attempt count."""
        self.service = service
        self.method = method
        self.path = path
        self.reason = reason
        self.attempts = attempts
        super().__init__(f"{service.upper()} {method} {path}: {reason} (attempts={attempts})")

    @property
    def may_have_taken_effect(self) -> bool:
        """Whether the server may have acted on the request although no answer arrived."""
        return not isinstance(self, ConnectError)


class ConnectError(TransportError):
    """The connection could not be made; the request was not sent."""


class ConnectionLost(TransportError):
    """The request was sent, then the connection dropped; it may have taken effect."""


class RequestTimeout(TransportError):
    """The request was sent but no answer came in time; it may have taken effect."""


class APIError(LineBrazeError):
    """The service answered with an error status.

    Attributes:
        service: ``"line"`` or ``"braze"``.
        method: HTTP method.
        path: request path without the query string.
        status: HTTP status code.
        message: the service's own message (LINE ``message``, Braze ``message``, OAuth
            ``error_description``).
        details: LINE's ``details`` list (``{"message", "property"}`` mappings).
        errors: Braze's ``errors`` list.
        request_id: LINE's ``x-line-request-id``, when present.
        attempts: how many attempts were made before giving up.
        hint: what to do about it, where line_braze knows.
        accepted_request_id: on a LINE 409 for a retry key already accepted, LINE's
            ``x-line-accepted-request-id`` (the request that was accepted), else ``None``.

    Example:
        >>> err = BadRequest(
        ...     "line", "POST", "/v2/bot/message/push", 400, "May not be empty",
        ...     details=[{"message": "May not be empty", "property": "messages[0].text"}],
        ...     request_id="abc",
        ... )
        >>> str(err)
        'LINE POST /v2/bot/message/push -> 400: May not be empty (messages[0].text) (request_id=abc, attempts=1)'
    """  # noqa: E501

    def __init__(
        self,
        service: Service,
        method: str,
        path: str,
        status: int,
        message: str,
        *,
        details: Sequence[Mapping[str, Any]] = (),
        errors: Sequence[Any] = (),
        request_id: str | None = None,
        attempts: int = 1,
        hint: str | None = None,
        retry_after: float | None = None,
        accepted_request_id: str | None = None,
    ) -> None:
        """Build the error; see the class attributes."""
        self.service = service
        self.method = method
        self.path = path
        self.status = status
        self.message = message
        self.details = [dict(d) for d in details]
        self.errors = list(errors)
        self.request_id = request_id
        self.attempts = attempts
        self.hint = hint
        self.retry_after = retry_after
        self.accepted_request_id = accepted_request_id
        super().__init__(self._line())

    def _line(self) -> str:
        text = self.message or "(no message)"
        if self.details:
            # LINE's top message is often only "The request body has 1 error(s)": the
            # details say what is wrong and where, so they lead.
            parts = [_detail(d) for d in self.details[:3]]
            if len(self.details) > 3:  # noqa: PLR2004
                parts.append(f"and {len(self.details) - 3} more")
            listed = "; ".join(p for p in parts if p)
            if listed:
                generic = not self.message or _GENERIC_LINE_MESSAGE.match(self.message)
                text = listed if generic or self.message in listed else f"{text}: {listed}"
        if self.errors and self.service == "braze":
            text += f" ({_summarise_errors(self.errors)})"
        meta = []
        if self.request_id:
            meta.append(f"request_id={self.request_id}")
        if self.accepted_request_id:
            meta.append(f"accepted_request_id={self.accepted_request_id}")
        meta.append(f"attempts={self.attempts}")
        line = f"{self.service.upper()} {self.method} {self.path} -> {self.status}: {text}"
        line += f" ({', '.join(meta)})"
        if self.hint:
            line += f"; {self.hint}"
        return line


_GENERIC_LINE_MESSAGE: Final = re.compile(r"The request body has \d+ error")


def _detail(detail: Mapping[str, Any]) -> str:
    message, prop = detail.get("message"), detail.get("property")
    if message and prop:
        return f"{message} ({prop})"
    return str(message or prop or "")


def _summarise_errors(errors: Sequence[Any]) -> str:
    shown = [e if isinstance(e, str) else str(e.get("type", e)) for e in errors[:3]]
    more = f" and {len(errors) - 3} more" if len(errors) > 3 else ""  # noqa: PLR2004
    return "; ".join(shown) + more


class BadRequest(APIError):
    """400: the service refused the request's content."""


class AuthenticationError(APIError):
    """401: the token or API key is wrong, expired, or (Braze) meant for another instance."""


class PermissionDenied(APIError):
    """403: the credential may not call this endpoint."""


class NotFound(APIError):
    """404: no such resource (or, for LINE profiles, not a friend / no consent)."""


class Conflict(APIError):
    """409: conflict (LINE: the retry key was already accepted)."""


class PayloadTooLarge(APIError):
    """413: the request body is too large."""


class RateLimited(APIError):
    """429: rate limited or out of quota; ``retry_after`` says how long to wait, if known."""


class ServerError(APIError):
    """5xx: the service failed."""


_BY_STATUS: dict[int, type[APIError]] = {
    400: BadRequest,
    401: AuthenticationError,
    403: PermissionDenied,
    404: NotFound,
    409: Conflict,
    413: PayloadTooLarge,
    429: RateLimited,
}


def error_class_for_status(status: int) -> type[APIError]:
    """Return the `APIError` subclass for an HTTP status.

    Example:
        >>> error_class_for_status(503).__name__
        'ServerError'
        >>> error_class_for_status(418).__name__
        'APIError'
    """
    if status >= 500:  # noqa: PLR2004
        return ServerError
    return _BY_STATUS.get(status, APIError)


class PartialFailure(LineBrazeError):
    """A batch job stopped part-way. Everything before ``resume_from`` was written.

    Attributes:
        resume_from: token (or index) to pass back to resume, or ``None`` to start over.
        report: the job's report up to the failure.
        cause: the error that stopped it (also ``__cause__``).

    Example:
        >>> err = PartialFailure("sync stopped", resume_from="tok", report=None)
        >>> err.resume_from
        'tok'
    """

    def __init__(self, message: str, *, resume_from: str | None, report: object) -> None:
        """Build the error with what to resume from and the report so far."""
        self.resume_from = resume_from
        self.report = report
        super().__init__(message)


class SyncInterrupted(KeyboardInterrupt):
    """Ctrl-C (``KeyboardInterrupt``) stopped a follower sync; everything before ``resume_from`` is written.

    It carries what `PartialFailure` carries, and is still a ``KeyboardInterrupt``: code
    that does not know it stops as it would on any Ctrl-C. It is deliberately *not* a
    `LineBrazeError`: that would make it an ``Exception``, and an ``except Exception`` (or
    ``except LineBrazeError``) written for API errors would then swallow the user's Ctrl-C
    and carry on. Catch it by name to save the token.

    Batches already in flight when Ctrl-C came are let finish and no new one starts, so the
    report and the token say what Braze holds. (With ``max_concurrency=1`` the request goes
    out from your own thread and Ctrl-C abandons it: that one batch may or may not be
    written, and is not counted; writing it again on resume is harmless.) The
    ``KeyboardInterrupt`` itself is ``__cause__``.

    Attributes:
        resume_from: the ``next`` token after the last page fully written, to pass back as
            ``start=``; ``None`` when no page was fully written (start again from the top).
        report: the sync's report up to the interrupt (a `line_braze.SyncReport`).

    Example:
        >>> err = SyncInterrupted("sync interrupted", resume_from="tok", report=None)
        >>> err.resume_from, isinstance(err, KeyboardInterrupt), isinstance(err, Exception)
        ('tok', True, False)
    """  # noqa: E501

    def __init__(self, message: str, *, resume_from: str | None, report: object) -> None:
        """Build the interrupt with what to resume from and the report so far."""
        self.resume_from = resume_from
        self.report = report
        super().__init__(message)


def _picklable_everywhere() -> None:
    """Give every exception class of ``__all__`` outside `LineBrazeError` the same pickling.

    Run last, so a class added to this module and to ``__all__`` (a ``KeyboardInterrupt``
    subclass, say) pickles with all its fields without further work.
    """
    for name in __all__:
        cls = globals()[name]
        if (
            isinstance(cls, type)
            and issubclass(cls, BaseException)
            and not issubclass(cls, LineBrazeError)
            and "__reduce__" not in vars(cls)
        ):
            cls.__reduce__ = _reduce_error  # type: ignore[assignment,method-assign]


_picklable_everywhere()
