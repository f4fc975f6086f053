"""The webhook server: LINE's webhooks into an `Integration`, with the right status codes.

`WebhookApp` is a plain WSGI application (no framework), so any WSGI server runs it;
``line-braze serve`` runs it on waitress (``pip install 'line-braze[serve]'``). Its
`WebhookApp.handle` answers one delivery as a `WebhookResponse`, for the views of apps that
already have a framework (Flask, FastAPI, Django: see the server guide).

What LINE gets back:

| the delivery                          | status | why                                       |
| ------------------------------------- | ------ | ----------------------------------------- |
| handled, duplicate or stale events    | 200    | done; nothing to redeliver                |
| bad ``X-Line-Signature`` or body      | 400    | nothing written; a redelivery won't help  |
| body over ``max_body_bytes``          | 413    | refused before it is read                 |
| no ``Content-Length``                 | 411    | the body's size must be known first       |
| no channel secret configured          | 500    | a configuration error, logged             |
| your ``on_events`` hook raised        | 500    | Braze was written; the hook's bug, logged |
| Braze could not take the write        | 503    | events not marked handled: LINE redelivers|
| the event store cannot be reached     | 500    | what is not marked handled is redelivered |
| ``GET /healthz``                      | 200    | for load balancers and orchestrators      |

One line is logged per request on the ``line_braze.server`` logger: method, path, status,
body size, event count, milliseconds and, for a failure, the error; never a body, a
signature, a token or a key.

Example:
    >>> from line_braze.server import WebhookResponse
    >>> WebhookResponse(status=503, text="Braze could not take the write").status_line
    '503 Service Unavailable'
"""

from __future__ import annotations

import http
import logging
import signal
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Final

import attrs

from line_braze._logging import redact
from line_braze.errors import (
    LineBrazeError,
    SignatureError,
    ValidationError,
    WebhookParseError,
)

if TYPE_CHECKING:
    from types import FrameType

    from line_braze.integration import Integration
    from line_braze.line.webhook import WebhookEvent

__all__ = ["DEFAULT_MAX_BODY_BYTES", "EventHook", "WebhookApp", "WebhookResponse", "serve"]

#: LINE sends small JSON bodies; a megabyte leaves room for many events in one delivery.
DEFAULT_MAX_BODY_BYTES: Final = 1024 * 1024
#: The app's own handling of the events: called with every parsed event, after Braze.
EventHook = Callable[[Sequence["WebhookEvent"]], object]
HEALTH_PATH: Final = "/healthz"

_LOG = logging.getLogger("line_braze.server")
_CHUNK: Final = 64 * 1024

_StartResponse = Callable[[str, list[tuple[str, str]]], Any]


@attrs.frozen(kw_only=True)
class WebhookResponse:
    """The answer to one webhook delivery.

    Attributes:
        status: the HTTP status to answer LINE with.
        text: a short plain-text body (``OK`` or what went wrong, never a secret).
        events: how many events the body carried (0 when it was refused).
        error: the error's one-line description for the log, or ``""``.
    """

    status: int
    text: str = "OK"
    events: int = 0
    error: str = ""

    @property
    def status_line(self) -> str:
        """The WSGI status line, e.g. ``'200 OK'``."""
        return f"{self.status} {http.HTTPStatus(self.status).phrase}"


class WebhookApp:
    """A WSGI application serving LINE's webhooks for an `Integration`.

    Args:
        integration: verifies the deliveries and mirrors follows and unfollows into Braze
            (it needs the channel secret).
        on_events: your handling of the events (messages, postbacks, ...): called with every
            parsed event after the Braze writes succeeded, redeliveries included (check
            ``webhook_event_id`` to skip those). If it raises, LINE gets a 500.
        path: the webhook URL's path, as set in the LINE Developers Console.
        max_body_bytes: bodies larger than this are refused with 413.

    Raises:
        line_braze.errors.ValidationError: a path not starting with ``/``, or a size limit
            below 1.

    Example:
        >>> from line_braze import BrazeClient, Integration, LineClient
        >>> integ = Integration(line=LineClient("t"), braze=BrazeClient("k", rest_endpoint="US-01"))
        >>> WebhookApp(integ, path="/line/callback")
        <WebhookApp path='/line/callback' max_body_bytes=1048576>
    """

    def __init__(
        self,
        integration: Integration,
        *,
        on_events: EventHook | None = None,
        path: str = "/callback",
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    ) -> None:
        """Serve ``integration``; see the class docstring."""
        if not path.startswith("/") or path == HEALTH_PATH:
            raise ValidationError("path", f"must start with '/' and not be {HEALTH_PATH}")
        if max_body_bytes < 1:
            raise ValidationError("max_body_bytes", f"must be >= 1, got {max_body_bytes}")
        self.integration = integration
        self.on_events = on_events
        self.path = path
        self.max_body_bytes = max_body_bytes

    def __repr__(self) -> str:
        """Show the path and the size limit."""
        return f"<WebhookApp path={self.path!r} max_body_bytes={self.max_body_bytes}>"

    def handle(self, body: bytes, signature: str | None) -> WebhookResponse:
        """Answer one delivery: verify, write to Braze, run the hook, choose the status.

        Args:
            body: the raw request body bytes, exactly as received.
            signature: the ``X-Line-Signature`` header value.

        Returns:
            the status and text to answer with; it never raises for a delivery's content.
        """
        if len(body) > self.max_body_bytes:
            return _too_large(self.max_body_bytes)
        try:
            report = self.integration.handle_webhook(body, signature)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a status
            return _failure(exc)
        events = len(report.events)
        if self.on_events is not None and report.events:
            try:
                self.on_events(report.events)
            except Exception as exc:  # noqa: BLE001 - the hook's failure is reported, not raised
                return WebhookResponse(
                    status=500, text="event handler failed", events=events, error=_describe(exc)
                )
        return WebhookResponse(status=200, events=events)

    def __call__(self, environ: dict[str, Any], start_response: _StartResponse) -> Iterable[bytes]:
        """Serve one WSGI request."""
        started = time.perf_counter()
        method = str(environ.get("REQUEST_METHOD", "GET")).upper()
        path = str(environ.get("PATH_INFO", "") or "/")
        size = 0
        if path == HEALTH_PATH and method in {"GET", "HEAD"}:
            response = WebhookResponse(status=200, text="ok")
        elif path != self.path:
            response = WebhookResponse(status=404, text="not found")
        elif method != "POST":
            response = WebhookResponse(status=405, text="use POST")
        else:
            response, size = self._post(environ)
        payload = b"" if method == "HEAD" else (response.text + "\n").encode()
        headers = [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", str(len(payload))),
        ]
        if response.status == 405:  # noqa: PLR2004 - Method Not Allowed names what is
            headers.append(("Allow", "POST"))
        start_response(response.status_line, headers)
        _log(method, path, response, size, started)
        return [payload]

    def _post(self, environ: dict[str, Any]) -> tuple[WebhookResponse, int]:
        raw_length = str(environ.get("CONTENT_LENGTH", "") or "").strip()
        if not raw_length.isdigit():
            return WebhookResponse(status=411, text="Content-Length required"), 0
        length = int(raw_length)
        if length > self.max_body_bytes:
            return _too_large(self.max_body_bytes), length
        body = _read(environ["wsgi.input"], length)
        if len(body) < length:
            return WebhookResponse(status=400, text="body shorter than Content-Length"), len(body)
        signature = environ.get("HTTP_X_LINE_SIGNATURE")
        return self.handle(body, signature if isinstance(signature, str) else None), length


def _read(stream: Any, length: int) -> bytes:
    parts: list[bytes] = []
    left = length
    while left > 0:
        chunk = stream.read(min(left, _CHUNK))
        if not chunk:
            break
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


def _failure(exc: Exception) -> WebhookResponse:
    error = _describe(exc)
    if isinstance(exc, SignatureError | WebhookParseError):
        return WebhookResponse(status=400, text=str(exc), error=error)
    if isinstance(exc, ValidationError):  # no channel secret: the server is misconfigured
        return WebhookResponse(status=500, text="server configuration error", error=error)
    if isinstance(exc, LineBrazeError):  # PartialFailure, API or transport errors
        text = "Braze could not take the write; redeliver"
        return WebhookResponse(status=503, text=text, error=error)
    # an event store that is down, or a bug: LINE should try again later
    return WebhookResponse(status=500, text="internal error", error=error)


def _too_large(limit: int) -> WebhookResponse:
    return WebhookResponse(status=413, text=f"body over {limit} bytes", error="body too large")


def _describe(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:300]
    return redact(f"{type(exc).__name__}: {text}" if text else type(exc).__name__)


def _log(method: str, path: str, response: WebhookResponse, size: int, started: float) -> None:
    millis = (time.perf_counter() - started) * 1000
    level = logging.WARNING if response.status >= 400 else logging.INFO  # noqa: PLR2004
    _LOG.log(
        level,
        "%s %s %d %dB %d events %.0fms%s",
        method,
        path[:200],
        response.status,
        size,
        response.events,
        millis,
        f" {response.error}" if response.error else "",
    )


def serve(
    app: WebhookApp,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    threads: int = 8,
    on_ready: Callable[[str], object] | None = None,
    grace: float = 10.0,
) -> None:
    """Run ``app`` on waitress until SIGTERM or Ctrl-C, then stop cleanly.

    On SIGTERM (or Ctrl-C) the listening socket closes at once, the requests in flight are
    finished and answered (for up to ``grace`` seconds), then the connections close. Needs
    the ``serve`` extra: ``pip install 'line-braze[serve]'``.

    Args:
        app: the webhook application.
        host: the interface to listen on (``0.0.0.0`` for every interface).
        port: the TCP port; ``0`` picks a free one (``on_ready`` is told which).
        threads: requests handled at once.
        on_ready: called with the URL once the socket listens.
        grace: seconds the requests in flight get to finish after the signal.

    Raises:
        line_braze.errors.ValidationError: waitress is not installed.
    """
    try:
        from waitress.server import create_server
    except ImportError:  # pragma: no cover - the extra is installed in the tests
        raise ValidationError("serve", "needs waitress: pip install 'line-braze[serve]'") from None
    server: Any = create_server(
        app,
        host=host,
        port=port,
        threads=threads,
        ident="line-braze",
        # waitress buffers the body before the app runs: refuse much larger ones there
        max_request_body_size=app.max_body_bytes + _CHUNK,
    )
    stopping = threading.Event()

    def terminate(_signum: int, _frame: FrameType | None) -> None:
        stopping.set()

    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, terminate) if in_main else None
    try:
        if on_ready is not None:
            on_ready(f"http://{server.effective_host}:{server.effective_port}")
        try:
            while not stopping.is_set():
                _poll(server, 0.2)
        except KeyboardInterrupt:
            pass
        _LOG.info("stopping: finishing the requests in flight")
        _drain(server, grace)
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, previous)
        server.task_dispatcher.shutdown(timeout=1)
        _close_all(server)
    _LOG.info("stopped")


def _poll(server: Any, timeout: float) -> None:
    from waitress import wasyncore

    wasyncore.loop(timeout=timeout, map=server._map, count=1)  # noqa: SLF001


def _close_all(server: Any) -> None:
    from waitress import wasyncore

    wasyncore.close_all(server._map)  # noqa: SLF001


def _drain(server: Any, grace: float) -> None:
    """Stop accepting, then serve the open requests until they are answered or time is up."""
    from waitress import wasyncore
    from waitress.channel import HTTPChannel

    wasyncore.dispatcher.close(server)  # the listening socket only

    def busy() -> bool:
        return any(
            isinstance(ch, HTTPChannel)
            and (ch.requests or ch.request is not None or ch.total_outbufs_len > 0)
            for ch in list(server._map.values())  # noqa: SLF001
        )

    deadline = time.monotonic() + grace
    while busy() and time.monotonic() < deadline:
        _poll(server, 0.05)
