"""``line-braze serve`` as a user runs it: a process on a real port, LINE-signed requests.

The server talks to the loopback LINE and Braze emulators; the test reads its log lines from
standard error and stops it with SIGTERM.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator

import pytest
import redis
import requests

from line_braze.testing import BrazeEmulator, LineEmulator
from line_braze.testing._server import Reply, Request
from line_braze.testing.webhooks import (
    follow_event,
    message_event,
    sign_body,
    unfollow_event,
    webhook_body,
)

pytestmark = pytest.mark.integration

BOT = "U" + "0" * 32
MAX_BODY = 4096
_READY = re.compile(r"serving (http://\S+)/callback")


class Served:
    """A running ``line-braze serve`` process and the lines it wrote to standard error."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self._pump_thread = threading.Thread(target=self._pump, daemon=True)
        self._pump_thread.start()
        self.url = self._wait_for(_READY).group(1)

    def _pump(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.put(line.rstrip("\n"))

    def _wait_for(self, pattern: re.Pattern[str], timeout: float = 30) -> re.Match[str]:
        while True:
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                pytest.fail(f"no line matching {pattern.pattern!r}; saw {self.seen!r}")
            self.seen.append(line)
            match = pattern.search(line)
            if match:
                return match

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self._pump_thread.join(10)
        assert self.proc.stderr is not None
        self.proc.stderr.close()

    def drain(self) -> list[str]:
        """Every line, once the process has exited."""
        self._pump_thread.join(10)
        while not self.lines.empty():
            self.seen.append(self.lines.get_nowait())
        return self.seen


@pytest.fixture
def emulators(
    line_emulator_factory: Callable[..., LineEmulator],
    braze_emulator_factory: Callable[..., BrazeEmulator],
) -> tuple[LineEmulator, BrazeEmulator]:
    return line_emulator_factory(followers=0), braze_emulator_factory()


def _launch(line: LineEmulator, braze: BrazeEmulator, **extra_env: str) -> Served:
    """Start ``line-braze serve`` on a free port against the emulators; wait until it serves."""
    env = {
        **os.environ,
        "LINE_CHANNEL_ACCESS_TOKEN": line.access_token,
        "LINE_CHANNEL_SECRET": line.channel_secret,
        "LINE_API_BASE_URL": line.url,
        "BRAZE_API_KEY": braze.api_key,
        "BRAZE_REST_ENDPOINT": braze.url,
        "PYTHONUNBUFFERED": "1",
        **extra_env,
    }
    command = [sys.executable, "-m", "line_braze", "serve", "--port", "0"]
    proc = subprocess.Popen(
        [*command, "--max-body", str(MAX_BODY)],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        return Served(proc)
    except BaseException:
        proc.kill()
        proc.communicate()
        raise


@pytest.fixture
def served(emulators: tuple[LineEmulator, BrazeEmulator]) -> Iterator[Served]:
    server = _launch(*emulators)
    try:
        yield server
    finally:
        server.close()


def _post(served: Served, body: bytes, signature: str | None) -> requests.Response:
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["X-Line-Signature"] = signature
    return requests.post(served.url + "/callback", data=body, headers=headers, timeout=60)


def test_the_server_answers_each_case_logs_each_request_and_stops_on_sigterm(
    served: Served, emulators: tuple[LineEmulator, BrazeEmulator]
) -> None:
    line, braze = emulators
    secret = line.channel_secret
    friend, leaver = "U" + "1" * 32, "U" + "2" * 32
    body = webhook_body(
        [follow_event(friend), unfollow_event(leaver), message_event(friend, "hi")],
        destination=BOT,
    )
    signatures: list[str] = []

    def sign(raw: bytes, key: str = secret) -> str:
        signatures.append(sign_body(raw, key))
        return signatures[-1]

    requests_made = 0

    assert requests.get(served.url + "/healthz", timeout=10).status_code == 200
    requests_made += 1

    # handled: the follow is written to Braze
    answer = _post(served, body, sign(body))
    requests_made += 1
    assert (answer.status_code, answer.text) == (200, "OK\n")
    assert braze.profile(alias=("line_id", friend)) is not None
    writes = len([r for r in braze.request_log if r.path == "/users/track"])

    # a redelivery: 200, and nothing is written twice
    assert _post(served, body, sign(body)).status_code == 200
    requests_made += 1
    assert len([r for r in braze.request_log if r.path == "/users/track"]) == writes

    requests_made += _check_refusals(served, braze, sign)
    assert len([r for r in braze.request_log if r.path == "/users/track"]) == writes

    # too large: refused before it is read
    big = b"x" * (MAX_BODY + 1)
    answer = _post(served, big, sign(big))
    requests_made += 1
    assert answer.status_code == 413

    # Braze cannot take the write: 503 so that LINE redelivers
    braze.queue_fault("server_error", path="/users/track", count=20, status=500)
    late = webhook_body([follow_event("U" + "4" * 32)], destination=BOT)
    answer = _post(served, late, sign(late))
    requests_made += 1
    assert answer.status_code == 503
    braze.clear_faults()

    # other paths and methods
    assert requests.get(served.url + "/nope", timeout=10).status_code == 404
    answer = requests.get(served.url + "/callback", timeout=10)
    assert (answer.status_code, answer.headers["Allow"]) == (405, "POST")
    requests_made += 2

    # SIGTERM: a clean stop
    served.proc.send_signal(signal.SIGTERM)
    assert served.proc.wait(timeout=20) == 0
    log = served.drain()
    request_lines = [ln for ln in log if re.search(r"line_braze\.server: (GET|POST) /", ln)]
    assert len(request_lines) == requests_made, log
    assert any(" POST /callback 200 " in ln and " 3 events " in ln for ln in request_lines)
    assert any(" POST /callback 503 " in ln and "PartialFailure" in ln for ln in request_lines)
    assert any(" POST /callback 400 " in ln and "SignatureError" in ln for ln in request_lines)
    assert any(" POST /callback 413 " in ln for ln in request_lines)
    assert log[-1].endswith("line_braze.server: stopped")
    text = "\n".join(log)
    for secret_text in (line.access_token, line.channel_secret, braze.api_key, *signatures):
        assert secret_text not in text


def _check_refusals(served: Served, braze: BrazeEmulator, sign: Callable[..., str]) -> int:
    """A forged signature, a missing one, a signed body that is not LINE's JSON: 400."""
    other = webhook_body([follow_event("U" + "3" * 32)], destination=BOT)
    assert _post(served, other, sign(other, "not-the-secret")).status_code == 400
    assert _post(served, other, None).status_code == 400
    assert _post(served, b"{not json", sign(b"{not json")).status_code == 400
    assert braze.profile(alias=("line_id", "U" + "3" * 32)) is None
    return 3


def test_serve_refuses_to_start_without_the_channel_secret(
    emulators: tuple[LineEmulator, BrazeEmulator],
) -> None:
    line, braze = emulators
    env = {
        "PATH": os.environ.get("PATH", ""),
        "LINE_CHANNEL_ACCESS_TOKEN": line.access_token,
        "BRAZE_API_KEY": braze.api_key,
        "BRAZE_REST_ENDPOINT": braze.url,
    }
    done = subprocess.run(
        [sys.executable, "-m", "line_braze", "serve", "--port", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "LINE_CHANNEL_SECRET" in done.stderr


def test_sigterm_lets_the_request_in_flight_finish_and_refuses_new_ones(
    served: Served, emulators: tuple[LineEmulator, BrazeEmulator]
) -> None:
    line, braze = emulators
    arrived = threading.Event()
    handle = braze._handle

    def slow_braze(request: Request) -> Reply:
        if request.path == "/users/track":
            arrived.set()
            time.sleep(1.5)
        return handle(request)

    braze._handle = slow_braze  # type: ignore[method-assign]
    friend = "U" + "6" * 32
    body = webhook_body([follow_event(friend)], destination=BOT)
    answers: list[requests.Response] = []
    slow = threading.Thread(
        target=lambda: answers.append(_post(served, body, sign_body(body, line.channel_secret)))
    )
    slow.start()
    assert arrived.wait(30)  # the request is in the server, waiting for Braze
    served.proc.send_signal(signal.SIGTERM)
    served._wait_for(re.compile(r"stopping: finishing the requests in flight"))
    with pytest.raises(requests.ConnectionError):
        requests.get(served.url + "/healthz", timeout=5)
    slow.join(30)
    assert [a.status_code for a in answers] == [200]
    assert braze.profile(alias=("line_id", friend)) is not None
    assert served.proc.wait(timeout=20) == 0


def test_servers_sharing_redis_write_a_delivery_answered_503_on_its_redelivery(
    emulators: tuple[LineEmulator, BrazeEmulator], redis_url: str, redis_client: redis.Redis
) -> None:
    line, braze = emulators
    first = _launch(line, braze, REDIS_URL=redis_url)
    second = _launch(line, braze, REDIS_URL=redis_url)
    try:
        assert "(handled events shared in Redis)" in first.seen[-1]
        friend = "U" + "7" * 32
        body = webhook_body([follow_event(friend, event_id="E-503")], destination=BOT)
        again = webhook_body(
            [follow_event(friend, event_id="E-503", redelivery=True)], destination=BOT
        )
        # Braze refuses every attempt of the first server's write: 503, nothing recorded.
        braze.queue_fault("server_error", path="/users/track", count=4, status=503)
        assert _post(first, body, sign_body(body, line.channel_secret)).status_code == 503
        assert braze.profile(alias=("line_id", friend)) is None
        assert not redis_client.keys("line_braze:event:*")
        braze.clear_faults()

        # LINE redelivers to the other server, which writes it...
        assert _post(second, again, sign_body(again, line.channel_secret)).status_code == 200
        profile = braze.profile(alias=("line_id", friend))
        assert profile is not None
        assert profile.attributes.get("line_id") == friend
        tracks = len([r for r in braze.request_log if r.path == "/users/track"])

        # ...and a further redelivery, to either server, is a duplicate: written once.
        for server in (first, second):
            answer = _post(server, again, sign_body(again, line.channel_secret))
            assert answer.status_code == 200
        assert len([r for r in braze.request_log if r.path == "/users/track"]) == tracks
    finally:
        first.close()
        second.close()
    text = "\n".join(first.drain() + second.drain())
    assert redis_url not in text
    assert line.access_token not in text
    assert braze.api_key not in text


def test_serve_refuses_a_redis_url_it_cannot_reach(
    emulators: tuple[LineEmulator, BrazeEmulator],
) -> None:
    line, braze = emulators
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, never listening: refused
        url = f"redis://:pass-w0rd@127.0.0.1:{port}/0"
        env = {
            "PATH": os.environ.get("PATH", ""),
            "LINE_CHANNEL_ACCESS_TOKEN": line.access_token,
            "LINE_CHANNEL_SECRET": line.channel_secret,
            "BRAZE_API_KEY": braze.api_key,
            "BRAZE_REST_ENDPOINT": braze.url,
            "REDIS_URL": url,
        }
        done = subprocess.run(
            [sys.executable, "-m", "line_braze", "serve", "--port", "0"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 2
    assert "REDIS_URL: Redis did not answer" in done.stderr
    assert "pass-w0rd" not in done.stderr + done.stdout
