"""A real redis-server for the tests that need one: started once per session, then stopped.

Used by tests/shared_redis/, tests/server/ (workers sharing one store) and tests/test_docs.py
(the Redis example of docs/guides/server.md). It starts only when a test asks for
``redis_url``. Debian's ``redis-server`` must be installed (``.ci/run`` installs it when
missing). Each session starts its own server on a free loopback port, in a temporary
directory, with no persistence; each test gets a client on a flushed database.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _start(exe: str, directory: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    proc = subprocess.Popen(
        [
            exe,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(directory),
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
            "--loglevel",
            "warning",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with redis.Redis.from_url(url, socket_timeout=1) as client:
                client.ping()
        except redis.ConnectionError:
            time.sleep(0.05)
            continue
        return proc, url
    proc.kill()
    proc.wait()
    raise RuntimeError(f"redis-server did not start on port {port}")


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a redis-server this session started (stopped when the session ends)."""
    exe = shutil.which("redis-server")
    if exe is None:
        pytest.fail("redis-server is not installed: apt-get install redis-server (.ci/run does)")
    for attempt in range(3):  # a free port can be taken between the probe and the bind
        try:
            proc, url = _start(exe, tmp_path_factory.mktemp(f"redis{attempt}"))
        except RuntimeError:
            continue
        break
    else:
        pytest.fail("redis-server did not start")
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    """A client on an empty database."""
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    try:
        yield client
    finally:
        client.flushdb()
        client.close()


@pytest.fixture
def ctrl_c() -> Iterator[None]:
    """SIGINT raises ``KeyboardInterrupt`` in this test (and its child processes), as in a
    terminal, even when the suite was started with SIGINT ignored: a background job of a
    non-interactive shell (``python3 dev.py test &``, some CI runners) inherits SIG_IGN,
    and then neither ``interrupt_main`` nor a real SIGINT does anything."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
