"""``line-braze emulators``: both loopback emulators as a process, for a shell or a guide.

It starts a `LineEmulator` and a `BrazeEmulator` on 127.0.0.1, prints one ``export`` line
for every environment variable the CLI and the ``from_env`` constructors read (see
`emulator_env`), and serves until interrupted (Ctrl-C or SIGTERM), then stops both
servers and exits 0. ``python -m line_braze.testing`` does the same.
"""

from __future__ import annotations

import shlex
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from types import FrameType
from typing import TextIO

from line_braze.testing.braze_emulator import BrazeEmulator
from line_braze.testing.line_emulator import LineEmulator

__all__ = ["emulator_env", "serve_emulators"]


def emulator_env(line: LineEmulator, braze: BrazeEmulator) -> dict[str, str]:
    """Return the environment variables that point line_braze at this emulator pair.

    Every variable the CLI and `LineClient.from_env` / `BrazeClient.from_env` read, with the
    emulators' credentials and loopback URLs.

    Example:
        >>> with LineEmulator() as line, BrazeEmulator() as braze:
        ...     sorted(emulator_env(line, braze))
        ['BRAZE_API_KEY', 'BRAZE_REST_ENDPOINT', 'LINE_API_BASE_URL', 'LINE_CHANNEL_ACCESS_TOKEN', 'LINE_CHANNEL_ID', 'LINE_CHANNEL_SECRET']
    """  # noqa: E501
    return {
        "LINE_CHANNEL_ACCESS_TOKEN": line.access_token,
        "LINE_CHANNEL_SECRET": line.channel_secret,
        "LINE_CHANNEL_ID": line.channel_id,
        "LINE_API_BASE_URL": line.url,
        "BRAZE_API_KEY": braze.api_key,
        "BRAZE_REST_ENDPOINT": braze.url,
    }


def serve_emulators(
    *,
    followers: int = 3000,
    out: TextIO | None = None,
    err: TextIO | None = None,
    stop: threading.Event | None = None,
) -> int:
    """Start both emulators, print their ``export`` lines, serve until stopped; return 0.

    Stops when ``stop`` is set, or (in the main thread) on SIGINT (Ctrl-C) or SIGTERM.

    Args:
        followers: how many followers the LINE emulator has.
        out: where the ``export`` lines go (default: standard output).
        err: where the notes go (default: standard error).
        stop: an event that ends serving when set (default: only a signal ends it).

    Example:
        >>> import io, threading
        >>> stop = threading.Event()
        >>> stop.set()
        >>> out = io.StringIO()
        >>> serve_emulators(followers=5, out=out, err=io.StringIO(), stop=stop)
        0
        >>> out.getvalue().splitlines()[3].startswith("export LINE_API_BASE_URL=http://127.0.0.1:")
        True
    """
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    stop = stop if stop is not None else threading.Event()
    restore = _on_signals(stop)
    try:
        with LineEmulator(followers=followers) as line, BrazeEmulator() as braze:
            for name, value in emulator_env(line, braze).items():
                out.write(f"export {name}={shlex.quote(value)}\n")
            out.flush()
            err.write(
                f"line-braze: LINE emulator on {line.url} ({followers:,} followers), Braze "
                f"emulator on {braze.url}; serving until interrupted (Ctrl-C)\n"
            )
            err.flush()
            try:
                while not stop.wait(0.5):
                    pass
            except KeyboardInterrupt:
                pass
        err.write("line-braze: emulators stopped\n")
        err.flush()
    finally:
        restore()
    return 0


def _on_signals(stop: threading.Event) -> Callable[[], None]:
    """Make SIGINT and SIGTERM set ``stop`` (main thread only); return what undoes it.

    SIGINT too, explicitly: a shell starts a background job (``line-braze emulators &``)
    with SIGINT ignored, and ``kill -INT`` should still stop it.
    """
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def handler(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}

    def restore() -> None:
        for sig, old in previous.items():
            signal.signal(sig, old)

    return restore


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m line_braze.testing [--followers N]``: ``line-braze emulators``, same options."""
    from line_braze.cli import main as cli_main

    return cli_main(["emulators", *(sys.argv[1:] if argv is None else argv)])
