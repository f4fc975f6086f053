"""WebhookApp in process: each failure's status, the request checks, the log line.

An `Integration` stand-in raises each error ``handle_webhook`` documents, so the mapping to
statuses is tested exactly; the process test (test_serve_process.py) runs the real thing.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable
from typing import Any, cast

import pytest
from hypothesis import given
from hypothesis import strategies as st

from line_braze.errors import (
    LineBrazeError,
    PartialFailure,
    ServerError,
    SignatureError,
    ValidationError,
    WebhookParseError,
)
from line_braze.integration import Integration
from line_braze.server import WebhookApp, WebhookResponse


class _Report:
    def __init__(self, events: tuple[Any, ...]) -> None:
        self.events = events


class _Integration:
    """Answers ``handle_webhook`` with a report or one of its documented errors."""

    def __init__(self, outcome: BaseException | tuple[Any, ...] = ()) -> None:
        self.outcome = outcome
        self.calls: list[tuple[bytes, str | None]] = []

    def handle_webhook(self, body: bytes, signature: str | None) -> _Report:
        self.calls.append((body, signature))
        if isinstance(self.outcome, BaseException):
            raise self.outcome
        return _Report(self.outcome)


def _app(outcome: BaseException | tuple[Any, ...] = (), **options: Any) -> WebhookApp:
    return WebhookApp(cast("Integration", _Integration(outcome)), **options)


def _call(
    app: WebhookApp,
    method: str = "POST",
    path: str = "/callback",
    body: bytes = b"{}",
    *,
    length: str | None = None,
    signature: str | None = "sig",
) -> tuple[str, dict[str, str], bytes]:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "CONTENT_LENGTH": str(len(body)) if length is None else length,
        "wsgi.input": io.BytesIO(body),
    }
    if signature is not None:
        environ["HTTP_X_LINE_SIGNATURE"] = signature
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        seen["status"], seen["headers"] = status, dict(headers)

    chunks: Iterable[bytes] = app(environ, start_response)
    return seen["status"], seen["headers"], b"".join(chunks)


def test_handled_events_answer_200_and_reach_the_hook() -> None:
    got: list[Any] = []
    app = _app(("e1", "e2"), on_events=got.extend)
    status, headers, body = _call(app, body=b'{"events":[]}', signature="abc")
    assert (status, body) == ("200 OK", b"OK\n")
    assert headers["Content-Length"] == "3"
    assert got == ["e1", "e2"]
    integ = cast("_Integration", app.integration)
    assert integ.calls == [(b'{"events":[]}', "abc")]


def test_an_empty_delivery_does_not_call_the_hook() -> None:
    got: list[Any] = []
    status, _, _ = _call(_app((), on_events=got.extend))
    assert status == "200 OK"
    assert got == []


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (SignatureError(), "400 Bad Request"),
        (WebhookParseError("$.events: must be a list"), "400 Bad Request"),
        (ValidationError("channel_secret", "needed"), "500 Internal Server Error"),
        (PartialFailure("1 of 1 batch failed", resume_from=None, report=None), "503 "),
        (ServerError("braze", "POST", "/users/track", 500, "down"), "503 "),
        (LineBrazeError("anything else of ours"), "503 "),
        (ConnectionError("event store down"), "500 Internal Server Error"),
    ],
)
def test_each_failure_has_its_status(error: BaseException, status: str) -> None:
    got, _, _ = _call(_app(error))
    assert got.startswith(status)


def test_a_failing_hook_answers_500_after_the_writes() -> None:
    def hook(events: Any) -> None:
        raise RuntimeError("app bug")

    status, _, body = _call(_app(("e",), on_events=hook))
    assert status == "500 Internal Server Error"
    assert body == b"event handler failed\n"


def test_health_other_paths_and_methods() -> None:
    app = _app()
    assert _call(app, "GET", "/healthz")[::2] == ("200 OK", b"ok\n")
    assert _call(app, "HEAD", "/healthz")[::2] == ("200 OK", b"")
    assert _call(app, "GET", "/elsewhere")[0] == "404 Not Found"
    status, headers, _ = _call(app, "GET", "/callback")
    assert (status, headers["Allow"]) == ("405 Method Not Allowed", "POST")
    assert cast("_Integration", app.integration).calls == []


def test_bodies_are_checked_before_the_integration_sees_them() -> None:
    app = _app(max_body_bytes=10)
    assert _call(app, body=b"x" * 11)[0] == "413 Request Entity Too Large"
    assert _call(app, body=b"x" * 5, length="")[0] == "411 Length Required"
    assert _call(app, body=b"x" * 5, length="-1")[0] == "411 Length Required"
    assert _call(app, body=b"x" * 5, length="9")[0] == "400 Bad Request"
    assert cast("_Integration", app.integration).calls == []
    assert app.handle(b"x" * 11, "sig").status == 413
    assert _call(app, body=b"x" * 10)[0] == "200 OK"


@given(st.binary(max_size=64), st.integers(min_value=1, max_value=64))
def test_the_size_limit_is_exact(body: bytes, limit: int) -> None:
    status = _app(max_body_bytes=limit).handle(body, "s").status
    assert status == (413 if len(body) > limit else 200)


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"path": "callback"}, "path"),
        ({"path": "/healthz"}, "path"),
        ({"max_body_bytes": 0}, "max_body_bytes"),
    ],
)
def test_bad_options_name_the_field(options: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        _app(**options)
    assert info.value.field == field


def test_one_log_line_a_request_without_secrets(caplog: pytest.LogCaptureFixture) -> None:
    leak = ServerError("braze", "POST", "/users/track", 500, "Authorization: Bearer abcdefghijkl")
    caplog.set_level(logging.INFO, logger="line_braze.server")
    _call(_app(leak), body=b'{"events":[]}', signature="the-signature")
    _call(_app(("e",)), "GET", "/healthz")
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 2
    assert lines[0].startswith("POST /callback 503 13B 0 events ")
    assert "ServerError: " in lines[0]
    assert "abcdefghijkl" not in lines[0]
    assert "the-signature" not in lines[0]
    assert lines[1].startswith("GET /healthz 200 0B 0 events ")
    assert [r.levelname for r in caplog.records] == ["WARNING", "INFO"]


def test_a_response_reads_as_a_status_line() -> None:
    assert WebhookResponse(status=413).status_line == "413 Request Entity Too Large"
