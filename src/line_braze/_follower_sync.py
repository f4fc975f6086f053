"""The follower-sync engine behind `Integration.sync_followers`: LINE pages in, Braze out.

LINE's follower pages are read ahead in a background thread (`Prefetch`) while earlier
pages' ``/users/track`` batches are in flight. The engine keeps, in page order, where each
page ends; a page's ``next`` token becomes the resume token only once every follower up to
the end of that page is written, so resuming from it never skips anyone.

Whatever stops a sync, the report says what Braze really holds: it is kept from the batch
outcomes as they arrive, not from a result the stop may never deliver. A failure raises
`PartialFailure`, Ctrl-C `SyncInterrupted` (still a ``KeyboardInterrupt``), both with the
resume token; a token LINE has just refused is never offered again.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterator
from typing import TYPE_CHECKING, Any

import attrs

from line_braze._display import Display
from line_braze._prefetch import Prefetch
from line_braze.errors import BadRequest, LineBrazeError, PartialFailure, SyncInterrupted

if TYPE_CHECKING:
    from line_braze.braze.models import BatchOutcome, TrackError, TrackResult
    from line_braze.integration import Integration

__all__ = ["RefusedFollower", "SyncProgress", "SyncReport", "run_sync"]


@attrs.frozen(kw_only=True)
class SyncProgress(Display):
    """A snapshot handed to the ``progress`` callback of `Integration.sync_followers`.

    Attributes:
        followers_read: LINE user IDs read so far.
        profiles_written: profiles Braze accepted so far.
        pages: LINE pages read so far.
        resume_token: the token to resume from after everything written so far.
        elapsed: seconds since the sync started.
    """

    followers_read: int
    profiles_written: int
    pages: int
    resume_token: str | None
    elapsed: float


@attrs.frozen(kw_only=True)
class RefusedFollower:
    """A follower Braze refused, with its LINE user ID and Braze's reason.

    Attributes:
        index: position in the sync (0 = first follower read).
        line_id: the LINE user ID.
        reason: Braze's error type or message.
    """

    index: int
    line_id: str
    reason: str


@attrs.frozen(kw_only=True)
class SyncReport(Display):
    """What `Integration.sync_followers` did.

    Attributes:
        followers_read: LINE user IDs read.
        profiles_written: profiles Braze accepted (sent minus refused).
        refused: followers Braze refused, each with the reason.
        pages: LINE pages read.
        requests: ``/users/track`` requests sent.
        elapsed: seconds taken.
        resume_token: the ``next`` token after the last page fully written; pass it as
            ``start=`` to continue. ``None`` when the sync reached the end, or when it
            stopped before any page was fully written (or LINE refused the token it had):
            start again from the beginning.
        complete: whether every follower was read and written (an account without
            followers is complete after one empty page).

    Example:
        >>> r = SyncReport(followers_read=3, profiles_written=3, refused=(), pages=1,
        ...                requests=1, elapsed=0.1, resume_token=None, complete=True)
        >>> r.complete
        True
    """

    followers_read: int
    profiles_written: int
    refused: tuple[RefusedFollower, ...] = attrs.field(
        repr=lambda r: f"<{len(r)} refused>" if len(r) > 3 else repr(r)  # noqa: PLR2004
    )
    pages: int
    requests: int
    elapsed: float
    resume_token: str | None
    complete: bool


class _FollowerSync:
    """One run of `Integration.sync_followers`: LINE pages in, track batches out."""

    def __init__(
        self,
        integ: Integration,
        start: str | None,
        progress: Callable[[SyncProgress], None] | None,
    ) -> None:
        self.integ = integ
        self.start = start
        self.progress = progress
        self.t0 = time.perf_counter()
        self.lock = threading.Lock()
        # page bookkeeping: (end_index, next_token) in page order, oldest first
        self.page_ends: deque[tuple[int, str | None]] = deque()
        self.done_upto = 0  # all followers with index < done_upto are written
        self.completed: dict[int, int] = {}  # batch start -> batch end, out of order
        self.resume_token = start
        self.reading = start  # the token of the next page asked of LINE
        self.all_read = False
        self.pages = 0
        self.read = 0
        self.written = 0
        self.requests = 0
        self.failed: BaseException | None = None
        self.read_error: LineBrazeError | None = None  # a page LINE would not serve
        self.refused: list[RefusedFollower] = []

    def _pages(self) -> Iterator[Any]:
        return iter(self.integ.line.followers.pages(self.start, limit=self.integ.config.page_size))

    def _objects(self) -> Generator[dict[str, Any], None, None]:
        prefetch = Prefetch(self._pages(), depth=4)
        try:
            for page in prefetch:
                if self.failed is not None:
                    return
                ids = page.user_ids
                with self.lock:
                    self.pages += 1
                    self.read += len(ids)
                    self.page_ends.append((self.read, page.next))
                    self.reading = page.next
                    snapshot = self._advance()  # an empty page is written as soon as read
                self._show(snapshot)
                for user_id in ids:
                    yield self.integ.follower_object(user_id)
            self.all_read = True
        except LineBrazeError as exc:
            # End the input instead of raising through the Braze client: the batch it is
            # packing (the tail of the last page read) is still sent, so that page counts.
            self.read_error = exc
        finally:
            prefetch.close()

    def on_batch(self, batch: BatchOutcome) -> None:
        """Called by the Braze client after each batch (any thread)."""
        with self.lock:
            self.requests += batch.sent
            self.refused.extend(_refused(err) for err in batch.errors)
            if batch.error is not None:
                if self.failed is None:
                    self.failed = batch.error
                return
            self.written += batch.end - batch.start - len(batch.errors)
            self.completed[batch.start] = batch.end
            while self.done_upto in self.completed:
                self.done_upto = self.completed.pop(self.done_upto)
            snapshot = self._advance()
        self._show(snapshot)

    def _advance(self) -> SyncProgress | None:
        """Move the resume token past every page now fully written (holding the lock)."""
        advanced = False
        while self.page_ends and self.page_ends[0][0] <= self.done_upto:
            _, self.resume_token = self.page_ends.popleft()
            advanced = True
        return self._progress() if advanced else None

    def _show(self, snapshot: SyncProgress | None) -> None:
        if snapshot is not None and self.progress is not None:
            self.progress(snapshot)

    def _progress(self) -> SyncProgress:
        return SyncProgress(
            followers_read=self.read,
            profiles_written=self.written,
            pages=self.pages,
            resume_token=self.resume_token,
            elapsed=time.perf_counter() - self.t0,
        )

    def run(self) -> SyncReport:
        result: TrackResult | None = None
        objects = self._objects()
        try:
            result = self.integ.braze.users._track(  # noqa: SLF001 - failures stay per batch
                attributes=objects, on_batch=self.on_batch
            )
        except LineBrazeError as exc:
            self.failed = exc
        except KeyboardInterrupt as exc:
            report = self._report(interrupted=True)
            raise SyncInterrupted(
                _stopped("interrupted", report, exc), resume_from=report.resume_token, report=report
            ) from exc
        finally:
            objects.close()  # stop reading LINE ahead, whatever happened
        if self.failed is None:
            self.failed = self.read_error
        if result is not None and self.failed is None:
            self.failed = result.stopped or next((f.error for f in result.failures), None)
        report = self._report(interrupted=False)
        if self.failed is not None:
            raise PartialFailure(
                _stopped("stopped", report, self.failed),
                resume_from=report.resume_token,
                report=report,
            ) from self.failed
        return report

    def _report(self, *, interrupted: bool) -> SyncReport:
        with self.lock:
            complete = (
                not interrupted and self.failed is None and self.all_read and not self.page_ends
            )
            token = None if complete or self._token_refused() else self.resume_token
            return SyncReport(
                followers_read=self.read,
                profiles_written=self.written,
                refused=tuple(sorted(self.refused, key=lambda r: r.index)),
                pages=self.pages,
                requests=self.requests,
                elapsed=time.perf_counter() - self.t0,
                resume_token=token,
                complete=complete,
            )

    def _token_refused(self) -> bool:
        """Whether LINE refused the page the resume token points at (never offer it again)."""
        failed = self.read_error
        return (
            isinstance(failed, BadRequest)
            and failed.service == "line"
            and self.resume_token is not None
            and self.resume_token == self.reading
        )


def _stopped(verb: str, report: SyncReport, cause: BaseException) -> str:
    what = f"follower sync {verb} after {report.profiles_written:,} profiles written"
    if report.resume_token is not None:
        where = f"resume with start={report.resume_token!r}"
    elif isinstance(cause, BadRequest) and cause.service == "line":
        where = "LINE refused the page token: start again from the beginning"
    else:
        where = "no page was fully written: start again from the beginning"
    reason = str(cause) or type(cause).__name__
    return f"{what}; {where}: {reason}"


def _refused(err: TrackError) -> RefusedFollower:
    return RefusedFollower(index=err.index, line_id=str(err.identifier or ""), reason=err.reason)


def run_sync(
    integ: Integration,
    start: str | None,
    progress: Callable[[SyncProgress], None] | None,
) -> SyncReport:
    """Run one follower sync; see `Integration.sync_followers`."""
    return _FollowerSync(integ, start, progress).run()
