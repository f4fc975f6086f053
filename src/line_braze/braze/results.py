"""What ``users.track`` returns: per-object errors, failed batches and the sums.

Example:
    >>> TrackResult(attributes_processed=75).ok
    True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import attrs

from line_braze._display import Display
from line_braze.errors import LineBrazeError, PartialFailure

__all__ = ["BatchOutcome", "FailedBatch", "TrackArray", "TrackError", "TrackItem", "TrackResult"]

TrackArray = Literal["attributes", "events", "purchases"]


@attrs.frozen
class TrackItem:
    """One object of a ``track`` call: which input array, and its index there.

    Example:
        >>> TrackItem("events", 78)
        TrackItem(array='events', index=78)
    """

    array: TrackArray
    index: int


@attrs.frozen(kw_only=True)
class TrackError:
    """An object Braze (or line_braze, before sending) refused; the rest went through.

    Attributes:
        index: the object's index in the caller's own input sequence for ``array``.
        array: ``"attributes"``, ``"events"`` or ``"purchases"``.
        reason: Braze's error ``type`` or line_braze's reason.
        identifier: the object's external ID or alias name, when it has one.
        source: ``"braze"`` (refused in the answer) or ``"client"`` (never sent).

    Example:
        >>> TrackError(index=78, array="attributes", reason="EMAIL_BAD_FORMAT").index
        78
    """

    index: int
    array: TrackArray
    reason: str
    identifier: str | None = None
    source: Literal["braze", "client"] = "braze"


def _ranges(items: Sequence[TrackItem]) -> str:
    parts: list[str] = []
    for name in ("attributes", "events", "purchases"):
        indexes = [i.index for i in items if i.array == name]
        if indexes:
            parts.append(f"{name}[{indexes[0]}..{indexes[-1]}]")
    return " ".join(parts) or "no items"


@attrs.frozen(kw_only=True)
class FailedBatch:
    """A ``/users/track`` request that failed after retries.

    Attributes:
        start: position of the batch's first object in the combined input stream
            (attributes first, then events, then purchases).
        end: position after its last object.
        items: every object in the batch, by array and global index.
        error: why it failed (the `line_braze.errors` exception).
        may_have_been_recorded: the failure was ambiguous (timeout, lost connection, 5xx,
            unreadable answer): Braze may or may not have recorded these objects.
        carries_events: the batch held events or purchases, which Braze does not
            de-duplicate: resending an ambiguous one can count them twice.

    Example:
        >>> from line_braze.errors import ServerError
        >>> err = ServerError("braze", "POST", "/users/track", 500, "oops")
        >>> FailedBatch(start=0, end=1, items=(TrackItem("events", 0),), error=err,
        ...             may_have_been_recorded=True, carries_events=True).safe_to_resend
        False
    """

    start: int
    end: int
    items: tuple[TrackItem, ...] = attrs.field(repr=_ranges)
    error: LineBrazeError
    may_have_been_recorded: bool
    carries_events: bool

    @property
    def safe_to_resend(self) -> bool:
        """Whether sending these objects again cannot double anything."""
        return not (self.may_have_been_recorded and self.carries_events)


@attrs.frozen(kw_only=True)
class BatchOutcome:
    """What happened to one batch; handed to ``track(on_batch=...)`` (from any thread).

    Attributes:
        start: position of the batch's first object in the combined input stream.
        end: position after its last object (batches tile the stream without gaps; a range
            holding only objects refused before sending has ``sent`` false).
        sent: whether a request was made.
        errors: refused objects of this batch.
        error: the failure, if the request failed after retries.
        attributes_processed: Braze's count for this request.
        events_processed: Braze's count for this request.
        purchases_processed: Braze's count for this request.
    """

    start: int
    end: int
    sent: bool
    errors: tuple[TrackError, ...] = ()
    error: LineBrazeError | None = None
    attributes_processed: int = 0
    events_processed: int = 0
    purchases_processed: int = 0


def _short_seq(items: Sequence[object]) -> str:
    return repr(tuple(items)) if len(items) <= 3 else f"<{len(items)} items>"  # noqa: PLR2004


@attrs.frozen(kw_only=True)
class TrackResult(Display):
    """The sum of a ``users.track`` call over all its batches.

    Refused objects (``errors``) are partial success, not failures: Braze processed
    everything else, and ``track`` returns. When a batch fails after retries, ``track``
    finishes the other batches, then raises: the error itself if nothing was written, else
    `line_braze.errors.PartialFailure` whose ``report`` is this result, with the failed
    batches in ``failures`` (with their cause) and ``uncertain``.

    Attributes:
        attributes_processed: sum of Braze's ``attributes_processed``.
        events_processed: sum of Braze's ``events_processed``.
        purchases_processed: sum of Braze's ``purchases_processed``.
        errors: every refused object, with its global index in the caller's input.
        failures: batches that failed after retries.
        requests: ``/users/track`` requests made (retries not counted).
        queued: objects in batches Braze answered ``202 queued`` (accepted, not counted).
        read: objects read from each input array.
        notices: Braze error entries that named no object.
        stopped: the error that stopped the call early (401, 403: every batch would fail
            alike); objects after ``read`` were not read.

    Example:
        >>> TrackResult().ok
        True
    """

    attributes_processed: int = 0
    events_processed: int = 0
    purchases_processed: int = 0
    errors: tuple[TrackError, ...] = attrs.field(default=(), repr=_short_seq)
    failures: tuple[FailedBatch, ...] = attrs.field(default=(), repr=_short_seq)
    requests: int = 0
    queued: int = 0
    read: Mapping[str, int] = attrs.field(
        factory=lambda: {"attributes": 0, "events": 0, "purchases": 0}
    )
    notices: tuple[str, ...] = attrs.field(default=(), repr=False)
    stopped: LineBrazeError | None = None

    @property
    def ok(self) -> bool:
        """Whether every batch was sent and answered (refused objects aside)."""
        return not self.failures and self.stopped is None

    @property
    def uncertain(self) -> tuple[TrackItem, ...]:
        """Objects of failed batches that Braze may or may not have recorded."""
        return tuple(i for f in self.failures if f.may_have_been_recorded for i in f.items)

    @property
    def failed_items(self) -> tuple[TrackItem, ...]:
        """Every object of every failed batch."""
        return tuple(i for f in self.failures for i in f.items)

    def raise_for_failures(self) -> None:
        """Raise `line_braze.errors.PartialFailure` if a batch failed or the call stopped.

        The exception's ``report`` is this result and its ``__cause__`` the first error.
        Refused objects alone do not raise.

        Example:
            >>> TrackResult().raise_for_failures()
        """
        if self.ok:
            return
        cause = self.stopped or self.failures[0].error
        uncertain = len(self.uncertain)
        parts = [f"{len(self.failures)} /users/track batch(es) failed"]
        if self.failures:
            parts.append(f"{len(self.failed_items)} objects not confirmed")
        if uncertain:
            parts.append(f"{uncertain} may or may not have been recorded (see .uncertain)")
        if self.stopped is not None:
            parts.append(f"stopped after reading {dict(self.read)}")
        message = "; ".join(parts) + f": {cause}"
        raise PartialFailure(message, resume_from=None, report=self) from cause
