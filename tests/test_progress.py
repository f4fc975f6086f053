"""The progress display: tqdm on a terminal and in Jupyter, plain lines in a log."""

from __future__ import annotations

import ast
import fcntl
import io
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

import line_braze.progress as progress_module
from line_braze import BrazeClient, Integration, LineClient, SyncProgress
from line_braze.progress import ProgressBar
from line_braze.testing import BrazeEmulator, LineEmulator

SRC = Path(__file__).resolve().parents[1] / "src" / "line_braze"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def snapshot(pages: int, *, per_page: int = 1000, elapsed: float = 1.0) -> SyncProgress:
    return SyncProgress(
        followers_read=pages * per_page,
        profiles_written=pages * per_page,
        pages=pages,
        resume_token=None,
        elapsed=elapsed,
    )


def test_on_a_terminal_the_bar_fills_to_the_total_with_counts_and_rate() -> None:
    term = Terminal()
    with ProgressBar(term, total=30_000) as bar:
        for pages in range(1, 31):
            bar(snapshot(pages))
    text = term.getvalue()
    last = text.rstrip("\n").rsplit("\r", 1)[-1]
    assert last.startswith("sync: 100%|")
    assert "30.0k/30.0k" in last
    assert "profiles/s" in last
    assert "30,000 read, 30 pages" in last
    # A bar that fills, not one that wraps: the last frame's bar is full.
    bar_part = last.split("|")[1]
    assert set(bar_part) == {"#"}


def test_on_a_terminal_without_a_total_it_counts_and_shows_the_rate() -> None:
    term = Terminal()
    with ProgressBar(term) as bar:
        bar(snapshot(3))
    last = term.getvalue().rstrip("\n").rsplit("\r", 1)[-1]
    assert last.startswith("sync: 3.00k profiles")
    assert "profiles/s" in last


def test_more_followers_than_the_total_keeps_the_bar_true() -> None:
    term = Terminal()
    with ProgressBar(term, total=1000) as bar:
        bar(snapshot(2))
    assert "2.00k/2.00k" in term.getvalue()


def test_off_a_terminal_lines_are_throttled_but_end_on_the_last_snapshot() -> None:
    log = io.StringIO()
    with ProgressBar(log, label="sync", total=3000) as bar:
        for pages in (1, 2, 3):
            bar(snapshot(pages))
    lines = log.getvalue().splitlines()
    assert lines == [
        "sync: 1,000 read, 1,000 of 3,000 written, 1 pages, 1,000/s",
        "sync: 3,000 read, 3,000 of 3,000 written, 3 pages, 3,000/s",
    ]


def test_in_jupyter_without_ipywidgets_it_falls_back_to_tqdms_text_bar(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(progress_module, "_in_notebook", lambda: True)
    err = Terminal()
    monkeypatch.setattr(sys, "stderr", err)
    bar = ProgressBar(total=10)
    assert bar.notebook
    assert bar.tty
    bar(snapshot(1, per_page=10))
    bar.done()
    assert "100%" in err.getvalue()


def test_sync_followers_progress_true_draws_and_closes_a_bar(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with LineEmulator(followers=1500) as line_api, BrazeEmulator() as braze_api:
        line = LineClient(line_api.access_token, base_url=line_api.url)
        braze = BrazeClient(braze_api.api_key, rest_endpoint=braze_api.url)
        report = Integration(line=line, braze=braze).sync_followers(progress=True)
    assert report.complete
    err = capsys.readouterr().err
    assert err.splitlines()[-1].startswith("sync: 1,500 read, 1,500 written, 2 pages")


def test_importing_line_braze_does_not_import_tqdm() -> None:
    code = "import sys, line_braze, line_braze.progress; print('tqdm' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "False"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module is not None
    }


def test_the_cli_and_the_demo_do_not_import_each_other() -> None:
    assert "line_braze.cli" not in _imports(SRC / "demo.py")
    assert "line_braze.cli" not in _imports(SRC / "progress.py")


def _draw_on_a_pty(columns: int) -> str:
    master, slave = pty.openpty()
    if columns:
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    with os.fdopen(slave, "w", encoding="utf-8") as term, ProgressBar(term, total=10) as bar:
        bar(snapshot(1, per_page=10))
    data = os.read(master, 65536).decode("utf-8", errors="replace")
    os.close(master)
    return data.replace("\r\n", "\n").rsplit("\r", 1)[-1].strip()


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX pseudo-terminal")
@pytest.mark.parametrize(("columns", "width"), [(0, 80), (100, 100)])
def test_on_a_real_terminal_the_bar_fits_its_width(columns: int, width: int) -> None:
    # A pty that reports no size (as under `script`) still gets a bar, 80 columns wide.
    last = _draw_on_a_pty(columns)
    assert last.startswith("sync: 100%|")
    assert width - 1 <= len(last) <= width  # tqdm leaves the last column free
