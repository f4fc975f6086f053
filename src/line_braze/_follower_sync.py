"""The follower-sync engine behind `Integration.sync_followers`: LINE pages in, Braze out.

LINE's follower pages are read ahead in a background thread (`Prefetch`) while earlier
pages' ``/users/track`` batches are in flight. The engine keeps, in page order, where each
page ends; a page's ``next`` token becomes the resume token only once every follower up to
the end of that page is written, so resuming from it never skips anyone.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import attrs

from line_braze._display import Display
from line_braze._prefetch import Prefetch
from line_braze.errors import LineBrazeError, PartialFailure

if TYPE_CHECKING:
    from line_braze.braze.models import TrackError, TrackResult
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
            ``start=`` to continue. ``None`` when the sync reached the end.
        complete: whether every follower was read and written.

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
        # page bookkeeping: (end_index, next_token) in page order; done counts by page
        self.page_ends: list[tuple[int, str | None]] = []
        self.done_upto = 0  # all followers with index < done_upto are written
        self.completed: dict[int, int] = {}  # batch start -> batch end, out of order
        self.resume_token = start
        self.pages = 0
        self.read = 0
        self.failed: BaseException | None = None
        self.refused: list[RefusedFollower] = []

    def _pages(self) -> Iterator[Any]:
        return iter(self.integ.line.followers.pages(self.start, limit=self.integ.config.page_size))

    def _objects(self) -> Iterator[dict[str, Any]]:
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
                for user_id in ids:
                    yield self.integ.follower_object(user_id)
        finally:
            prefetch.close()

    def on_batch(self, batch: Any) -> None:
        """Called by the Braze client after each batch (any thread)."""
        with self.lock:
            if batch.error is not None:
                if self.failed is None:
                    self.failed = batch.error
                return
            self.completed[batch.start] = batch.end
            while self.done_upto in self.completed:
                self.done_upto = self.completed.pop(self.done_upto)
            advanced = False
            while self.page_ends and self.page_ends[0][0] <= self.done_upto:
                _, token = self.page_ends.pop(0)
                self.resume_token = token
                advanced = True
            snapshot = self._progress() if advanced else None
        if snapshot is not None and self.progress is not None:
            self.progress(snapshot)

    def _progress(self) -> SyncProgress:
        return SyncProgress(
            followers_read=self.read,
            profiles_written=self.done_upto - len(self.refused),
            pages=self.pages,
            resume_token=self.resume_token,
            elapsed=time.perf_counter() - self.t0,
        )

    def run(self) -> SyncReport:
        result: TrackResult | None = None
        try:
            result = self.integ.braze.users._track(  # noqa: SLF001 - failures stay per batch
                attributes=self._objects(), on_batch=self.on_batch
            )
        except LineBrazeError as exc:
            self.failed = exc
        if result is not None:
            for err in result.errors:
                self.refused.append(_refused(err))
            if self.failed is None and result.stopped is not None:
                self.failed = result.stopped
        report = self._report(result)
        if self.failed is not None or (result is not None and result.failures):
            cause = self.failed or _first_failure(result)
            raise PartialFailure(
                f"follower sync stopped after {report.profiles_written} profiles; "
                f"resume with start={report.resume_token!r}: {cause}",
                resume_from=report.resume_token,
                report=report,
            ) from cause if isinstance(cause, BaseException) else None
        return report

    def _report(self, result: TrackResult | None) -> SyncReport:
        complete = (
            self.failed is None
            and bool(self.page_ends == [])
            and (result is not None and not result.failures)
        )
        written = (result.attributes_processed if result is not None else 0) or max(
            0, self.done_upto - len(self.refused)
        )
        return SyncReport(
            followers_read=self.read,
            profiles_written=written,
            refused=tuple(self.refused),
            pages=self.pages,
            requests=result.requests if result is not None else 0,
            elapsed=time.perf_counter() - self.t0,
            resume_token=None if complete else self.resume_token,
            complete=complete,
        )


def _refused(err: TrackError) -> RefusedFollower:
    return RefusedFollower(index=err.index, line_id=str(err.identifier or ""), reason=err.reason)


def _first_failure(result: TrackResult | None) -> BaseException | str:
    if result is None or not result.failures:
        return "unknown failure"
    failure = result.failures[0]
    return getattr(failure, "error", None) or str(failure)


def run_sync(
    integ: Integration,
    start: str | None,
    progress: Callable[[SyncProgress], None] | None,
) -> SyncReport:
    """Run one follower sync; see `Integration.sync_followers`."""
    return _FollowerSync(integ, start, progress).run()
