"""The engine behind ``users.track``: stream, check, batch, send concurrently, tally.

Input of any length is read lazily: the caller's thread reads objects, checks them, and packs
them into batches of at most ``batch_size`` objects (at most 75 of any one array). At most
``2 * max_concurrency`` batches exist at once (in flight or queued), so memory stays flat
however long the input is. Worker threads send the batches under the client-side rate limit
and tally the answers; refused objects are mapped back to their index in the caller's input.
"""

from __future__ import annotations

import concurrent.futures
import itertools
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Final

import attrs

from line_braze._transport import Retry, Transport
from line_braze.braze._answers import TrackAnswer, read_answer
from line_braze.braze._ratelimit import Limiter
from line_braze.braze.models import (
    Attributes,
    BatchOutcome,
    Event,
    FailedBatch,
    Purchase,
    TrackArray,
    TrackError,
    TrackItem,
    TrackResult,
    identifier_of,
    identity_problem,
)
from line_braze.errors import (
    AuthenticationError,
    LineBrazeError,
    NotFound,
    PermissionDenied,
    RateLimited,
    ResponseError,
    ServerError,
    TransportError,
    ValidationError,
)

__all__ = ["MAX_PER_ARRAY", "TrackEngine"]

PATH: Final = "/users/track"
#: Braze's cap per array in one request, whatever the contract.
MAX_PER_ARRAY: Final = 75
ARRAYS: Final[tuple[TrackArray, ...]] = ("attributes", "events", "purchases")
#: Seconds the caller's thread waits at a time, so a pending Ctrl-C is seen promptly.
SLICE: Final = 0.05
_MODEL: Final[Mapping[TrackArray, type]] = {
    "attributes": Attributes,
    "events": Event,
    "purchases": Purchase,
}
_REQUIRED: Final[Mapping[TrackArray, tuple[str, ...]]] = {
    "attributes": (),
    "events": ("name", "time"),
    "purchases": ("product_id", "currency", "price", "time"),
}
HINTS: Final = {
    403: "if Braze says 'Access Denied', the REST API key lacks the permission 'users.track' "
    "(a key's permissions cannot be edited: create a key that has it)"
}
#: Errors every later batch would meet too: stop reading input.
_FATAL: Final = (AuthenticationError, PermissionDenied, NotFound)

OnBatch = Callable[[BatchOutcome], None]


@attrs.define
class _Batch:
    start: int
    end: int = 0
    body: dict[str, list[Any]] = attrs.field(factory=dict)
    # per array, by position in the request: the object's global index
    refs: dict[str, list[int]] = attrs.field(factory=dict)
    refused: list[TrackError] = attrs.field(factory=list)
    size: int = 0

    @property
    def carries_events(self) -> bool:
        return bool(self.body.get("events") or self.body.get("purchases"))

    def items(self) -> tuple[TrackItem, ...]:
        return tuple(TrackItem(name, index) for name in ARRAYS for index in self.refs.get(name, ()))


def prepare(array: TrackArray, obj: object) -> tuple[Any, str | None]:
    """Return ``(wire object, None)`` for a good object, ``(None, reason)`` for a bad one.

    Example:
        >>> prepare("attributes", {"user_alias": {"alias_name": "U1", "alias_label": "l"}})
        ({'user_alias': {'alias_name': 'U1', 'alias_label': 'l'}, '_update_existing_only': False}, None)
        >>> prepare("events", {"external_id": "u"})
        (None, 'missing name, time')
    """  # noqa: E501
    if array == "attributes" and _ready_alias_object(obj):
        return obj, None
    return _checked(array, obj)


def _ready_alias_object(obj: object) -> bool:
    """Whether ``obj`` is a complete alias-only attributes dict (the follower sync's shape).

    Such an object passes every check of `_checked` unchanged; recognising it in a few
    type tests saves a tenth of a large sync's CPU.
    """
    if type(obj) is not dict or "_update_existing_only" not in obj:
        return False
    if "external_id" in obj or "braze_id" in obj or "email" in obj or "phone" in obj:
        return False
    alias = obj.get("user_alias")
    if type(alias) is not dict or len(alias) != 2:  # noqa: PLR2004
        return False
    name, label = alias.get("alias_name"), alias.get("alias_label")
    return type(name) is str and type(label) is str and bool(name) and bool(label)


def _checked(array: TrackArray, obj: object) -> tuple[Any, str | None]:
    if type(obj) is not dict and isinstance(obj, Attributes | Event | Purchase):
        if not isinstance(obj, _MODEL[array]):
            return None, f"a {type(obj).__name__} does not belong in {array}"
        return obj.to_wire(), None
    if type(obj) is not dict and not isinstance(obj, Mapping):
        return None, f"must be a mapping or a line_braze.braze model, got {type(obj).__name__}"
    reason = identity_problem(obj)
    if reason is not None:
        return None, reason
    missing = [k for k in _REQUIRED[array] if obj.get(k) is None]
    if missing:
        return None, f"missing {', '.join(missing)}"
    wire: Any = obj
    if (
        array == "attributes"
        and obj.get("user_alias") is not None
        and "_update_existing_only" not in obj
    ):
        wire = dict(obj)
        wire["_update_existing_only"] = False
    elif not isinstance(obj, dict):
        wire = dict(obj)
    return wire, None


class _Tally:
    """The running sums, shared by the worker threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.processed = dict.fromkeys(ARRAYS, 0)
        self.errors: list[TrackError] = []
        self.failures: list[FailedBatch] = []
        self.notices: list[str] = []
        self.requests = 0
        self.answered = 0  # requests Braze answered with success: something was written
        self.queued = 0
        self.stopped: LineBrazeError | None = None
        self.raised: BaseException | None = None


class TrackEngine:
    """One ``users.track`` call. Not public: `Users.track` builds and runs it."""

    def __init__(
        self,
        transport: Transport,
        limiter: Limiter,
        *,
        batch_size: int,
        max_concurrency: int,
        on_batch: OnBatch | None,
    ) -> None:
        """Prepare a call; `run` sends it."""
        self._transport = transport
        self._limiter = limiter
        self._batch_size = batch_size
        self._per_array = min(batch_size, MAX_PER_ARRAY)
        self._max_concurrency = max_concurrency
        self._on_batch = on_batch
        self._tally = _Tally()
        self._read: dict[str, int] = dict.fromkeys(ARRAYS, 0)

    # -- reading ---------------------------------------------------------------------------

    def _stream(
        self, inputs: Mapping[TrackArray, Iterable[object]]
    ) -> Iterator[tuple[TrackArray, int, object]]:
        for name in ARRAYS:
            for index, obj in enumerate(inputs[name]):
                self._read[name] = index + 1
                yield name, index, obj

    def _batches(self, inputs: Mapping[TrackArray, Iterable[object]]) -> Iterator[_Batch]:
        batch = _Batch(start=0)
        position = 0
        for name, index, obj in self._stream(inputs):
            wire, reason = prepare(name, obj)
            position += 1
            if wire is None:
                ident = identifier_of(obj) if isinstance(obj, Mapping) else None
                batch.refused.append(
                    TrackError(
                        index=index,
                        array=name,
                        reason=reason or "invalid",
                        identifier=ident,
                        source="client",
                    )
                )
                continue
            in_array = batch.body.setdefault(name, [])
            if len(in_array) >= self._per_array:
                # the array's share is full: close the batch before this object
                batch.end = position - 1
                yield batch
                batch = _Batch(start=position - 1)
                in_array = batch.body.setdefault(name, [])
            in_array.append(wire)
            batch.refs.setdefault(name, []).append(index)
            batch.size += 1
            if batch.size >= self._batch_size:
                batch.end = position
                yield batch
                batch = _Batch(start=position)
        batch.end = position
        if batch.size or batch.refused:
            yield batch

    # -- sending ---------------------------------------------------------------------------

    def _send(self, batch: _Batch) -> BatchOutcome:
        tally = self._tally
        if not batch.size:
            return self._record(batch, sent=False)
        if tally.stopped is not None:
            return self._fail(batch, tally.stopped, sent=False)
        retry = Retry.UNRECORDED if batch.carries_events else Retry.SAFE
        self._limiter.acquire()
        with tally.lock:
            tally.requests += 1
        try:
            response = self._transport.request(
                "POST", PATH, json_body=batch.body, retry=retry, hints=HINTS
            )
        except (TypeError, ValueError) as exc:
            if isinstance(exc, LineBrazeError):
                raise
            # json.dumps refused an object: nothing was sent
            with tally.lock:
                tally.requests -= 1
            reason = f"an object is not JSON-serialisable ({type(exc).__name__})"
            return self._fail(batch, ValidationError("body", reason), sent=False)
        except LineBrazeError as err:
            if isinstance(err, RateLimited) and err.retry_after is not None:
                self._limiter.pause(err.retry_after)
            if isinstance(err, _FATAL):
                with tally.lock:
                    if tally.stopped is None:
                        tally.stopped = err
            return self._fail(batch, err, sent=True)
        self._limiter.observe(response.headers)
        with tally.lock:
            tally.answered += 1
        try:
            answer = read_answer(
                response.body, TrackAnswer, method="POST", path=PATH, status=response.status
            )
        except ResponseError as err:  # answered, but unreadable: which objects were written?
            return self._fail(batch, err, sent=True)
        return self._record(batch, sent=True, answer=answer)

    def _fail(self, batch: _Batch, err: LineBrazeError, *, sent: bool) -> BatchOutcome:
        ambiguous = sent and (
            (isinstance(err, TransportError) and err.may_have_taken_effect)
            or isinstance(err, ServerError | ResponseError)
        )
        failure = FailedBatch(
            start=batch.start,
            end=batch.end,
            items=batch.items(),
            error=err,
            may_have_been_recorded=ambiguous,
            carries_events=batch.carries_events,
        )
        with self._tally.lock:
            self._tally.failures.append(failure)
            self._tally.errors.extend(batch.refused)
        return BatchOutcome(
            start=batch.start, end=batch.end, sent=sent, errors=tuple(batch.refused), error=err
        )

    def _record(
        self, batch: _Batch, *, sent: bool, answer: TrackAnswer | None = None
    ) -> BatchOutcome:
        errors = list(batch.refused)
        notices: list[str] = []
        counts = dict.fromkeys(ARRAYS, 0)
        queued = 0
        if answer is not None:
            counts["attributes"] = answer.attributes_processed or 0
            counts["events"] = answer.events_processed or 0
            counts["purchases"] = answer.purchases_processed or 0
            if answer.message == "queued":
                queued = batch.size
            for entry in answer.errors or ():
                error = self._map_error(batch, entry)
                if error is None:
                    notices.append(str(entry)[:200])
                else:
                    errors.append(error)
        tally = self._tally
        with tally.lock:
            for name in ARRAYS:
                tally.processed[name] += counts[name]
            tally.errors.extend(errors)
            tally.notices.extend(notices)
            tally.queued += queued
        return BatchOutcome(
            start=batch.start,
            end=batch.end,
            sent=sent,
            errors=tuple(errors),
            attributes_processed=counts["attributes"],
            events_processed=counts["events"],
            purchases_processed=counts["purchases"],
        )

    @staticmethod
    def _map_error(batch: _Batch, entry: object) -> TrackError | None:
        if not isinstance(entry, Mapping):
            return None
        array = entry.get("input_array")
        index = entry.get("index")
        if array not in ARRAYS or not isinstance(index, int):
            return None
        name: TrackArray = array
        refs = batch.refs.get(name)
        if refs is None or not 0 <= index < len(refs):
            return None
        global_index = refs[index]
        ident = identifier_of(batch.body[name][index])
        reason = entry.get("type") or entry.get("message") or "refused"
        return TrackError(
            index=global_index,
            array=name,
            reason=str(reason),
            identifier=ident,
        )

    def _deliver(self, outcome: BatchOutcome) -> None:
        if self._on_batch is None:
            return
        try:
            self._on_batch(outcome)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            with self._tally.lock:
                if self._tally.raised is None:
                    self._tally.raised = exc

    def _job(self, batch: _Batch) -> None:
        try:
            outcome = self._send(batch)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            with self._tally.lock:
                if self._tally.raised is None:
                    self._tally.raised = exc
            return
        self._deliver(outcome)

    # -- the call ---------------------------------------------------------------------------

    def _halted(self) -> bool:
        tally = self._tally
        return tally.stopped is not None or tally.raised is not None

    def run(self, inputs: Mapping[TrackArray, Iterable[object]]) -> TrackResult:
        """Send everything and return the tally.

        Exceptions from the input or ``on_batch`` propagate once the batches in flight have
        finished.
        """
        batches = self._batches(inputs)
        if self._max_concurrency == 1:
            for batch in batches:
                self._job(batch)
                if self._halted():
                    break
            return self._result()
        first = next(batches, None)
        try:
            second = next(batches, None)
        except BaseException:
            if first is not None:
                self._job(first)  # as the pool would have: sent before the input failed
            raise
        if first is not None and second is not None:
            self._run_pool(itertools.chain((first, second), batches))
        elif first is not None:
            self._job(first)  # one request (a webhook's): no thread pool to start
        return self._result()

    def raise_if_unfinished(self, result: TrackResult) -> None:
        """Raise if a batch failed after retries or the call stopped; `run` must have run.

        Nothing written (no request answered): the error itself, as a single request would
        raise it. Some batches written: `PartialFailure` carrying ``result`` (``report``).
        """
        if result.ok:
            return
        if self._tally.answered == 0:
            raise result.stopped or result.failures[0].error
        result.raise_for_failures()

    def _run_pool(self, batches: Iterator[_Batch]) -> None:
        slots = threading.BoundedSemaphore(2 * self._max_concurrency)
        flight = _Flight()

        def job(batch: _Batch) -> None:
            sending = flight.begin()
            try:
                if sending:
                    self._job(batch)
            finally:
                flight.end(sending=sending)
                slots.release()

        pool = concurrent.futures.ThreadPoolExecutor(
            max_workers=self._max_concurrency, thread_name_prefix="line-braze-track"
        )
        try:
            try:
                for batch in batches:
                    while not slots.acquire(timeout=SLICE):
                        pass
                    if self._halted():
                        slots.release()
                        if self._tally.stopped is not None:
                            self._fail(batch, self._tally.stopped, sent=False)
                        break
                    pool.submit(job, batch)
                    flight.submitted()
            except KeyboardInterrupt:
                raise
            except BaseException:
                flight.wait_all()  # the input failed: the batches submitted are still sent
                raise
            flight.wait_all()
        except KeyboardInterrupt:
            # Ctrl-C, wherever it landed: send no more, let the requests in flight finish
            # (and report). Counted by `_Flight`, not by joining the pool's threads: the
            # interrupt may have landed inside the pool's own bookkeeping.
            flight.stop()
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)  # every batch is done or skipped

    def _result(self) -> TrackResult:
        tally = self._tally
        if tally.raised is not None:
            raise tally.raised
        order = {name: n for n, name in enumerate(ARRAYS)}
        errors = sorted(tally.errors, key=lambda e: (order[e.array], e.index))
        failures = sorted(tally.failures, key=lambda f: f.start)
        return TrackResult(
            attributes_processed=tally.processed["attributes"],
            events_processed=tally.processed["events"],
            purchases_processed=tally.processed["purchases"],
            errors=tuple(errors),
            failures=tuple(failures),
            requests=tally.requests,
            queued=tally.queued,
            read=dict(self._read),
            notices=tuple(tally.notices),
            stopped=tally.stopped,
        )


class _Flight:
    """The pool's batches, counted by the engine itself so a Ctrl-C loses none.

    A ``KeyboardInterrupt`` lands in the caller's thread wherever it happens to be, even
    between the pool starting a worker and recording it, so the engine does not rely on
    joining the pool's threads. The caller's waits here are cut into `SLICE` long slices:
    Ctrl-C's flag, set while the caller's thread is blocked, is seen within one.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._submitted = 0
        self._finished = 0
        self._sending = 0
        self._stopped = False

    def submitted(self) -> None:
        """Count a batch handed to the pool (caller's thread)."""
        with self._cond:
            self._submitted += 1

    def begin(self) -> bool:
        """Whether a worker may send its batch: not once stopped (any thread)."""
        with self._cond:
            if self._stopped:
                return False
            self._sending += 1
            return True

    def end(self, *, sending: bool) -> None:
        """Count a batch sent and reported, or skipped (any thread)."""
        with self._cond:
            self._finished += 1
            self._sending -= sending
            self._cond.notify_all()

    def wait_all(self) -> None:
        """Wait until every batch submitted is sent and reported."""
        with self._cond:
            while self._finished < self._submitted:
                self._cond.wait(SLICE)

    def stop(self) -> None:
        """Let no more batches start; wait for the ones being sent to be reported."""
        with self._cond:
            self._stopped = True
            while self._sending:
                self._cond.wait(SLICE)
