"""A progress display for `Integration.sync_followers`: tqdm on a terminal and in Jupyter.

`ProgressBar` takes the `SyncProgress` snapshots the sync hands its ``progress`` callback.
On a terminal or in a Jupyter notebook it draws a tqdm bar (``tqdm.auto``: a widget in a
notebook, a line on a terminal) with the profiles written, the rate and, when the follower
count is known, a bar that fills. tqdm is imported only when a bar is drawn, so
``import line_braze`` stays fast. Off a terminal (a cron job's log) it writes plain lines
instead, at most one a second, and always the last snapshot.

``Integration.sync_followers(progress=True)`` makes one and closes it when the sync ends.

Example:
    >>> import io
    >>> from line_braze import SyncProgress
    >>> log = io.StringIO()
    >>> with ProgressBar(log, label="sync") as bar:
    ...     bar(SyncProgress(followers_read=1000, profiles_written=1000, pages=1,
    ...                      resume_token="t1", elapsed=0.5))
    >>> print(log.getvalue().strip())
    sync: 1,000 read, 1,000 written, 1 pages, 2,000/s
"""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from types import TracebackType
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from typing_extensions import Self

    from line_braze.integration import SyncProgress

__all__ = ["ProgressBar"]


def _in_notebook() -> bool:
    """Whether this runs in a Jupyter kernel (IPython's kernel app is configured)."""
    ipython = sys.modules.get("IPython")
    get = getattr(ipython, "get_ipython", None)
    shell = get() if callable(get) else None
    return shell is not None and "IPKernelApp" in getattr(shell, "config", {})


class ProgressBar:
    """Show `SyncProgress` snapshots: a tqdm bar on a terminal or in Jupyter, else log lines.

    Args:
        stream: where to draw (default: standard error).
        label: the text before the counts.
        total: the number of followers, when known: the bar fills up to it.
        interval: off a terminal, the least seconds between two lines.

    Example:
        >>> import io
        >>> bar = ProgressBar(io.StringIO(), total=3000)
        >>> bar.total, bar.tty
        (3000, False)
    """

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        label: str = "sync",
        total: int | None = None,
        interval: float = 1.0,
    ) -> None:
        """Draw on ``stream``; see the class docstring."""
        self.stream = stream if stream is not None else sys.stderr
        self.label = label
        self.total = total
        self.interval = interval
        self.notebook = stream is None and _in_notebook()
        self.tty = self.notebook or _isatty(self.stream)
        self._bar: Any = None
        self._last = float("-inf")
        self._pending: SyncProgress | None = None

    def __call__(self, p: SyncProgress) -> None:
        """Show one snapshot."""
        if self.tty:
            self._draw_bar(p)
            return
        now = time.monotonic()
        if now - self._last < self.interval:
            self._pending = p
            return
        self._last = now
        self._pending = None
        self._write_line(p)

    def _draw_bar(self, p: SyncProgress) -> None:
        if self._bar is None:
            self._bar = self._new_bar()
        bar = self._bar
        if self.total is not None and p.profiles_written > self.total:
            bar.total = p.profiles_written  # more followers than expected: keep the bar true
        bar.set_postfix_str(f"{p.followers_read:,} read, {p.pages} pages", refresh=False)
        bar.update(p.profiles_written - bar.n)

    def _new_bar(self) -> Any:
        options: dict[str, Any] = {
            "total": self.total,
            "desc": self.label,
            "unit": " profiles",
            "unit_scale": True,
            "leave": True,
        }
        # Follow the terminal's width; one that reports no size (a bare pty) would get
        # nothing drawn by tqdm, so it gets 80 columns and 24 rows.
        if _columns(self.stream) > 0:
            options["dynamic_ncols"] = True
        else:
            options.update(ncols=80, nrows=24)
        # Without ipywidgets tqdm's widget cannot draw: its text bar, which Jupyter shows too.
        if self.notebook and importlib.util.find_spec("ipywidgets") is not None:
            from tqdm.notebook import tqdm as notebook_tqdm

            return notebook_tqdm(**options)
        from tqdm import tqdm

        return tqdm(file=self.stream, **options)

    def _write_line(self, p: SyncProgress) -> None:
        rate = p.profiles_written / p.elapsed if p.elapsed > 0 else 0.0
        of = f" of {self.total:,}" if self.total is not None else ""
        self.stream.write(
            f"{self.label}: {p.followers_read:,} read, {p.profiles_written:,}{of} written, "
            f"{p.pages} pages, {rate:,.0f}/s\n"
        )
        self.stream.flush()

    def done(self) -> None:
        """End the display: close the bar, or write the last snapshot not yet written."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        if self._pending is not None:
            self._write_line(self._pending)
            self._pending = None

    close = done

    def __enter__(self) -> Self:
        """Return the display; `done` is called on exit."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Call `done`."""
        self.done()


def _columns(stream: TextIO) -> int:
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):  # not a terminal, or no fileno
        return 0


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or minimal stream
        return False
