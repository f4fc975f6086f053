"""The loopback HTTP server both emulators run on: threads, keep-alive, faults, the log.

`Emulator` owns a `http.server.ThreadingHTTPServer` bound to 127.0.0.1 on a free port,
served from a daemon thread. Connections are HTTP/1.1 keep-alive with exact
``Content-Length`` (so a `requests.Session` reuses them), Nagle is off, and each answer is
written in one ``send``. Subclasses implement ``_handle(request) -> Reply``; this class adds
latency, injected faults, the request log and the service's common headers.
"""

from __future__ import annotations

import collections
import http.server
import json
import logging
import selectors
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, Final

import attrs

from line_braze._transport import is_loopback_host
from line_braze.testing.faults import FaultInjector, FaultKind, Faults

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["Emulator", "Reply", "Request", "RequestRecord", "Sleep", "json_reply"]

logger: Final = logging.getLogger("line_braze.testing")

Sleep = Callable[[float], None]
Clock = Callable[[], float]

#: Request headers never kept in the request log.
_SENSITIVE_HEADERS: Final = frozenset({"authorization", "cookie", "proxy-authorization"})


@attrs.frozen(kw_only=True)
class RequestRecord:
    """One request as the emulator's log keeps it (never its Authorization header or body).

    Attributes:
        method: HTTP method.
        path: path without the query string.
        query: query parameters (first value of each).
        status: the status answered, or ``None`` when the answer was lost on purpose.
        fault: the injected fault kind, or ``None``.
        headers: request headers with lower-case names, minus Authorization and cookies.

    Example:
        >>> RequestRecord(method="GET", path="/x", query={}, status=200, fault=None, headers={})
        RequestRecord(method='GET', path='/x', query={}, status=200, fault=None)
    """

    method: str
    path: str
    query: Mapping[str, str]
    status: int | None
    fault: FaultKind | None
    headers: Mapping[str, str] = attrs.field(repr=False, eq=False)


@attrs.frozen(kw_only=True)
class Request:
    """A parsed request handed to an emulator's handler.

    Attributes:
        method: HTTP method, upper case.
        path: path without the query string.
        query: query parameters (first value of each).
        headers: headers with lower-case names.
        body: the raw body.
    """

    method: str
    path: str
    query: Mapping[str, str]
    headers: Mapping[str, str] = attrs.field(repr=False)
    body: bytes = attrs.field(repr=False)

    def json(self) -> Any:
        """Return the body parsed as JSON; raise `ValueError` if it is not JSON."""
        return json.loads(self.body)

    def form(self) -> dict[str, str]:
        """Return the body parsed as ``application/x-www-form-urlencoded``."""
        text = self.body.decode("utf-8", "replace")
        return dict(urllib.parse.parse_qsl(text, keep_blank_values=True))


@attrs.define(kw_only=True)
class Reply:
    """An answer: status, headers and body bytes."""

    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = attrs.field(factory=dict)

    def encode(self, *, close: bool) -> bytes:
        """Return the whole HTTP/1.1 response as bytes."""
        reason = http.server.BaseHTTPRequestHandler.responses.get(self.status, ("",))[0]
        lines = [f"HTTP/1.1 {self.status} {reason}", f"Content-Length: {len(self.body)}"]
        if self.body:
            lines.append(f"Content-Type: {self.content_type}")
        lines.extend(f"{k}: {v}" for k, v in self.headers.items())
        if close:
            lines.append("Connection: close")
        head = "\r\n".join(lines) + "\r\n\r\n"
        return head.encode("latin-1") + self.body


def json_reply(status: int, obj: Any, headers: Mapping[str, str] | None = None) -> Reply:
    """Return a JSON `Reply` (compact, UTF-8).

    Example:
        >>> json_reply(200, {"a": 1}).body
        b'{"a":1}'
    """
    body = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()
    return Reply(status=status, body=body, headers=dict(headers or {}))


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _Server

    def do_GET(self) -> None:
        self.server.emulator._serve(self)  # noqa: SLF001

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_GET  # noqa: N815

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Stay quiet; the emulator keeps its own request log."""


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)
        self.socket.setblocking(False)  # noqa: FBT003

    def verify_request(self, request: Any, client_address: Any) -> bool:  # noqa: ARG002
        return is_loopback_host(str(client_address[0]))

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.connections_lock:
            self.connections.add(request)
            self.emulator._connections_accepted += 1  # noqa: SLF001
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:  # noqa: ARG002
        logger.debug("connection from %s ended with an error", client_address, exc_info=True)  # noqa: LOG014 - socketserver calls this from its except block


class Emulator:
    """Base of `LineEmulator` and `BrazeEmulator`: a loopback HTTP server in a thread.

    Use it as a context manager, or call `start` and `stop`. State is guarded by a lock,
    so tests may inspect it while clients send requests from many threads.

    Args:
        faults: the initial fault configuration (none by default).
        sleep: how latency is waited (``time.sleep``; tests may pass a recorder).
        clock: wall clock in epoch seconds (``time.time``), for expiry and rate windows.
        max_log: how many `RequestRecord` entries to keep (oldest dropped first).
        max_body_bytes: larger request bodies are answered 413.
    """

    service: ClassVar[str] = "emulator"

    def __init__(
        self,
        *,
        faults: Faults | None = None,
        sleep: Sleep = time.sleep,
        clock: Clock = time.time,
        max_log: int = 100_000,
        max_body_bytes: int = 4 * 1024 * 1024,
    ) -> None:
        """Configure the emulator; it does not listen until `start`."""
        self._injector = FaultInjector(faults or Faults())
        self._sleep = sleep
        self._clock = clock
        self._max_body_bytes = max_body_bytes
        self._lock = threading.RLock()
        self._log: collections.deque[RequestRecord] = collections.deque(maxlen=max_log)
        self._request_count = 0
        self._connections_accepted = 0
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._wake: tuple[socket.socket, socket.socket] | None = None

    # -- lifecycle ----------------------------------------------------------------------

    def start(self) -> Self:
        """Start listening on 127.0.0.1 (a free port) and return ``self``."""
        if self._server is not None:
            raise RuntimeError(f"{type(self).__name__} is already running at {self.url}")
        server = _Server(self)
        self._wake = socket.socketpair()
        self._server = server
        self._thread = threading.Thread(
            target=self._loop,
            args=(server, self._wake[0]),
            name=f"{type(self).__name__}:{server.server_address[1]}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening and close every open connection. Safe to call twice."""
        server, thread, wake = self._server, self._thread, self._wake
        if server is None or thread is None or wake is None:
            return
        wake[1].send(b"x")
        thread.join()
        server.server_close()
        with server.connections_lock:
            open_connections = list(server.connections)
        for conn in open_connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:  # noqa: PERF203 - already closed by the client
                continue
        for end in wake:
            end.close()
        self._server = self._thread = self._wake = None

    @staticmethod
    def _loop(server: _Server, wake: socket.socket) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(server.socket, selectors.EVENT_READ, "accept")
            selector.register(wake, selectors.EVENT_READ, "wake")
            while True:
                events = selector.select()
                if any(key.data == "wake" for key, _ in events):
                    return
                server.handle_request()

    def __enter__(self) -> Self:
        """Start (if not yet running) and return ``self``."""
        if self._server is None:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop."""
        self.stop()

    @property
    def running(self) -> bool:
        """Whether the server is listening."""
        return self._server is not None

    @property
    def port(self) -> int:
        """The port the server listens on (raises `RuntimeError` before `start`)."""
        if self._server is None:
            raise RuntimeError(f"{type(self).__name__} is not running: call start() first")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """Base URL, ``http://127.0.0.1:<port>``: pass it as the client's base URL."""
        return f"http://127.0.0.1:{self.port}"

    def __repr__(self) -> str:
        """Show the class, the URL (when running) and the request count."""
        where = self.url if self._server is not None else "stopped"
        return f"<{type(self).__name__} {where} requests={self._request_count}>"

    # -- faults -------------------------------------------------------------------------

    @property
    def faults(self) -> Faults:
        """The fault configuration; assign a new `Faults` to change it (re-seeds the RNG)."""
        return self._injector.faults

    @faults.setter
    def faults(self, value: Faults) -> None:
        self._injector.configure(value)

    def queue_fault(
        self,
        kind: FaultKind,
        *,
        path: str | None = None,
        count: int = 1,
        status: int | None = None,
    ) -> None:
        """Make the next ``count`` requests under ``path`` fail with ``kind``.

        Scripted faults come before the random rates and do not draw from the RNG's sequence
        differently: the rates keep their order.

        Args:
            kind: one of ``rate_limited``, ``server_error``, ``proxy_html``, ``lost``,
                ``truncated``.
            path: a path prefix (``None``: any request).
            count: how many requests fail.
            status: the status for ``server_error`` (default: the first configured one).
        """
        self._injector.queue(kind, path=path, count=count, status=status)

    def clear_faults(self) -> None:
        """Remove scripted faults and set the rates to none (latency included)."""
        self._injector.clear_scripted()
        self._injector.configure(Faults())

    # -- request log --------------------------------------------------------------------

    @property
    def request_log(self) -> list[RequestRecord]:
        """A copy of the request log, oldest first."""
        with self._lock:
            return list(self._log)

    @property
    def request_count(self) -> int:
        """How many requests arrived since start (or `clear_request_log`)."""
        return self._request_count

    @property
    def connection_count(self) -> int:
        """How many TCP connections were accepted since construction (keep-alive reuses one)."""
        return self._connections_accepted

    def clear_request_log(self) -> None:
        """Empty the request log and reset `request_count`."""
        with self._lock:
            self._log.clear()
            self._request_count = 0

    # -- serving ------------------------------------------------------------------------

    def _handle(self, request: Request) -> Reply:  # pragma: no cover - abstract
        raise NotImplementedError

    def _decorate(self, request: Request, reply: Reply) -> None:
        """Add the service's common headers to every answer (faults included)."""

    def _fault_reply(self, kind: FaultKind, status: int, request: Request) -> Reply:  # noqa: ARG002
        if kind == "proxy_html":
            page = (
                b"<html><head><title>502 Bad Gateway</title></head><body>Bad Gateway</body></html>"
            )
            return Reply(status=502, body=page, content_type="text/html")
        if kind == "rate_limited":
            return json_reply(429, {"message": "Too many requests (injected fault)"})
        return json_reply(status, {"message": "Internal server error (injected fault)"})

    def _serve(self, handler: _Handler) -> None:
        split = urllib.parse.urlsplit(handler.path)
        path = split.path
        query = dict(reversed(urllib.parse.parse_qsl(split.query, keep_blank_values=True)))
        headers = {k.lower(): v for k, v in handler.headers.items()}
        try:
            body = self._read_body(handler, headers)
        except _BodyTooLarge:
            handler.close_connection = True
            request = Request(
                method=handler.command, path=path, query=query, headers=headers, body=b""
            )
            reply = json_reply(413, {"message": "Request Entity Too Large"})
            self._write_reply(handler, request, reply, None)
            return
        request = Request(
            method=handler.command, path=path, query=query, headers=headers, body=body
        )
        decision = self._injector.decide(path)
        if decision.delay_s > 0:
            self._sleep(decision.delay_s)
        kind = decision.kind
        if kind in {"rate_limited", "server_error", "proxy_html"}:
            reply = self._fault_reply(kind, decision.status, request)
        else:
            try:
                reply = self._handle(request)
            except Exception:
                logger.exception("%s failed on %s %s", type(self).__name__, request.method, path)
                reply = json_reply(
                    500, {"message": "emulator error (see the line_braze.testing log)"}
                )
        self._write_reply(handler, request, reply, kind)

    def _write_reply(
        self, handler: _Handler, request: Request, reply: Reply, kind: FaultKind | None
    ) -> None:
        self._decorate(request, reply)
        lost = kind == "lost"
        record = RequestRecord(
            method=request.method,
            path=request.path,
            query=request.query,
            status=None if lost else reply.status,
            fault=kind,
            headers={k: v for k, v in request.headers.items() if k not in _SENSITIVE_HEADERS},
        )
        with self._lock:
            self._log.append(record)
            self._request_count += 1
        if lost:
            handler.close_connection = True
            return
        if request.method == "HEAD":
            reply.body = b""
        data = reply.encode(close=handler.close_connection or kind == "truncated")
        if kind == "truncated":
            handler.close_connection = True
            cut = len(reply.body) // 2 + 1
            data = data[:-cut]
        try:
            handler.wfile.write(data)
        except OSError:
            handler.close_connection = True

    def _read_body(self, handler: _Handler, headers: Mapping[str, str]) -> bytes:
        if headers.get("transfer-encoding", "").lower() == "chunked":
            chunks: list[bytes] = []
            size = 0
            while True:
                line = handler.rfile.readline(65537)
                length = int(line.split(b";", 1)[0].strip() or b"0", 16)
                if length == 0:
                    while handler.rfile.readline(65537) not in {b"\r\n", b"\n", b""}:
                        pass
                    return b"".join(chunks)
                size += length
                if size > self._max_body_bytes:
                    raise _BodyTooLarge
                chunks.append(handler.rfile.read(length))
                handler.rfile.readline(65537)
        length = int(headers.get("content-length", "0") or "0")
        if length > self._max_body_bytes:
            raise _BodyTooLarge
        return handler.rfile.read(length) if length > 0 else b""


class _BodyTooLarge(Exception):
    pass
