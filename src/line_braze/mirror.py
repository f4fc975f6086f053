"""The webhook mirror: LINE follows and unfollows kept in step in Braze.

This module owns the contract between the mirror and the store that remembers what it did.
An event store answers two questions for every webhook delivery, whichever worker gets it:

* was this ``webhookEventId`` already *written* (a redelivery to skip)?
* what is the newest follow/unfollow already applied for this user (so an older,
  redelivered or out-of-order event is skipped as stale)?

An event counts as handled only once its Braze write succeeded: `EventStore.mark_handled`
and `EventStore.advance` are called after the write, never before, so a failed write is
redelivered by LINE and written then.

The rules `line_braze.Integration.handle_webhook` follows for one delivery:

1. Events already handled are skipped (``duplicates``).
2. Per user, the follow or unfollow with the latest ``timestamp`` wins: the older ones in
   the same body are covered by its write (reported ``stale``, "superseded"), and one that
   is not newer than ``store.last_applied(user)`` is skipped as ``stale`` (unless it *is*
   that state, applied but never marked handled: it is written again). Each user is one
   object of one ``/users/track`` call, never in two concurrent batches.
3. A ``userId`` that is not a LINE user ID (``U`` + 32 lowercase hex) writes nothing and is
   reported as ``skipped``.
4. After a write succeeded: `EventStore.advance`, then `EventStore.mark_handled` for every
   event it covered. If ``advance`` loses (another worker applied a newer state meanwhile),
   the stored newer state is written again, so Braze ends on the newest state; if it wins
   but the stored state changed while ours was written, ours is written again.
5. What could not be written raises `line_braze.errors.PartialFailure` naming the events;
   they stay unhandled, so LINE's redelivery writes them.

Example:
    >>> state = AppliedState(timestamp=1_700_000_000_000, following=False)
    >>> state.newer_than(AppliedState(timestamp=1_600_000_000_000, following=True))
    True
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final, Literal, Protocol

import attrs

from line_braze._check import is_line_user_id
from line_braze._display import Display
from line_braze.errors import LineBrazeError, PartialFailure, ValidationError

if TYPE_CHECKING:
    from line_braze.braze.results import TrackResult
    from line_braze.integration import Integration

__all__ = [
    "AppliedState",
    "BoundedEventStore",
    "EventStore",
    "WebhookReport",
    "WebhookWrite",
]


@attrs.frozen(kw_only=True)
class AppliedState:
    """The newest follow or unfollow applied to one LINE user.

    Attributes:
        timestamp: the LINE event's ``timestamp`` (milliseconds since the epoch).
        following: ``True`` for a follow, ``False`` for an unfollow.

    Example:
        >>> AppliedState(timestamp=2, following=True).newer_than(None)
        True
    """

    timestamp: int
    following: bool

    def newer_than(self, other: AppliedState | None) -> bool:
        """Return whether this state should replace ``other`` (strictly later, or no other)."""
        return other is None or self.timestamp > other.timestamp


class EventStore(Protocol):
    """Remembers handled webhook events and the newest state applied per user.

    Implementations must be safe to call from many threads (and, for shared stores such as
    `line_braze.redis.RedisEventStore`, from many processes). The in-memory
    `BoundedEventStore` keeps a bounded number of entries.

    Example:
        >>> store: EventStore = BoundedEventStore()
        >>> store.advance("U1", AppliedState(timestamp=5, following=True)) is None
        True
        >>> store.last_applied("U1")
        AppliedState(timestamp=5, following=True)
    """

    def is_handled(self, event_id: str) -> bool:
        """Return whether the event with this ``webhookEventId`` was already written."""
        ...

    def mark_handled(self, event_id: str) -> None:
        """Record that this event was written (called only after its write succeeded)."""
        ...

    def last_applied(self, user_id: str) -> AppliedState | None:
        """Return the newest follow/unfollow applied for ``user_id``, or ``None``."""
        ...

    def advance(self, user_id: str, state: AppliedState) -> AppliedState | None:
        """Store ``state`` for ``user_id`` atomically if it is newer than the stored one.

        Returns:
            ``None`` when ``state`` was stored; otherwise the stored state, whose timestamp
            is equal or later (compare-and-set lost: the caller's write is stale).
        """
        ...


class BoundedEventStore:
    """An in-memory `EventStore` for one process: thread-safe, bounded, least recent out.

    It keeps at most ``maxsize`` handled event IDs and, separately, at most ``maxsize``
    per-user states; past that the least recently used entry is forgotten. A forgotten
    event ID makes a very late redelivery look new (it is written again, which is
    harmless); a forgotten state lets a very late, older event through. Behind a load
    balancer, share one store between processes (``line_braze.redis.RedisEventStore``).

    Args:
        maxsize: entries kept of each kind; at least 1.

    Raises:
        line_braze.errors.ValidationError: ``maxsize`` is below 1.

    Example:
        >>> store = BoundedEventStore(maxsize=2)
        >>> store.is_handled("a")
        False
        >>> store.mark_handled("a"); store.is_handled("a")
        True
        >>> store.advance("U1", AppliedState(timestamp=2, following=False)) is None
        True
        >>> store.advance("U1", AppliedState(timestamp=1, following=True))
        AppliedState(timestamp=2, following=False)
    """

    def __init__(self, maxsize: int = 100_000) -> None:
        """Keep at most ``maxsize`` event IDs and ``maxsize`` user states."""
        if isinstance(maxsize, bool) or not isinstance(maxsize, int) or maxsize < 1:
            raise ValidationError(
                "BoundedEventStore.maxsize", f"must be an int of at least 1, got {maxsize!r}"
            )
        self._maxsize = maxsize
        self._handled: OrderedDict[str, None] = OrderedDict()
        self._states: OrderedDict[str, AppliedState] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def maxsize(self) -> int:
        """Entries kept of each kind (event IDs, user states)."""
        return self._maxsize

    def __repr__(self) -> str:
        """Summarise the sizes, never the IDs."""
        return (
            f"<BoundedEventStore maxsize={self._maxsize} events={len(self._handled)} "
            f"users={len(self._states)}>"
        )

    def is_handled(self, event_id: str) -> bool:
        """Return whether ``event_id`` was marked handled (and is still remembered)."""
        with self._lock:
            if event_id in self._handled:
                self._handled.move_to_end(event_id)
                return True
            return False

    def mark_handled(self, event_id: str) -> None:
        """Remember ``event_id`` as handled, forgetting the least recent one past maxsize."""
        with self._lock:
            self._handled[event_id] = None
            self._handled.move_to_end(event_id)
            if len(self._handled) > self._maxsize:
                self._handled.popitem(last=False)

    def last_applied(self, user_id: str) -> AppliedState | None:
        """Return the newest state applied for ``user_id``, or ``None``."""
        with self._lock:
            state = self._states.get(user_id)
            if state is not None:
                self._states.move_to_end(user_id)
            return state

    def advance(self, user_id: str, state: AppliedState) -> AppliedState | None:
        """Store ``state`` if it is newer than the stored one; else return the stored one."""
        with self._lock:
            stored = self._states.get(user_id)
            if not state.newer_than(stored):
                self._states.move_to_end(user_id)
                return stored
            self._states[user_id] = state
            self._states.move_to_end(user_id)
            if len(self._states) > self._maxsize:
                self._states.popitem(last=False)
            return None

    def __len__(self) -> int:
        """Return how many handled event IDs are remembered."""
        return len(self._handled)


Action = Literal["upserted", "unset", "identified", "skipped", "stale"]


@attrs.frozen(kw_only=True)
class WebhookWrite(Display):
    """What `line_braze.Integration.handle_webhook` did for one follow, unfollow or link.

    Attributes:
        event_type: the LINE event type (``follow``, ``unfollow``, ``accountLink``).
        line_id: the LINE user ID concerned (as received, for a skip).
        action: ``upserted`` (follow written), ``unset`` (unfollow written),
            ``identified`` (link written), ``skipped`` (nothing to write: see ``detail``)
            or ``stale`` (an older follow/unfollow than one already applied, or than a
            later one in the same delivery).
        detail: why, for a skip or a stale event, or what was written.
        event_id: the event's ``webhookEventId``.

    Example:
        >>> WebhookWrite(event_type="follow", line_id="U1", action="skipped",
        ...              detail="not a LINE user ID").action
        'skipped'
    """

    event_type: str
    line_id: str | None
    action: Action
    detail: str = ""
    event_id: str | None = None


@attrs.frozen(kw_only=True)
class WebhookReport(Display):
    """What `line_braze.Integration.handle_webhook` wrote, skipped and left to you.

    Every answer here means "answer LINE 200". A delivery that could not be written raises
    `line_braze.errors.PartialFailure` instead, with this report as ``report`` and the
    events not written in ``failed``.

    Attributes:
        writes: one entry per follow, unfollow or accountLink event that was not a
            duplicate: written, skipped or stale (see `WebhookWrite.action`).
        duplicates: events skipped because their ``webhookEventId`` was handled before.
        ignored: events of other types (messages, postbacks, ...), left to your handler.
        events: every parsed event, in order, for your own handling.
        stale: follows/unfollows not written because a later one for the same user was
            applied before or is in this delivery.
        failed: ``webhookEventId`` (or ``events[i]``) of events Braze did not take; only
            set on the report of a `line_braze.errors.PartialFailure`.

    Example:
        >>> WebhookReport(writes=(), duplicates=1, ignored=0, events=()).stale
        0
    """

    writes: tuple[WebhookWrite, ...]
    duplicates: int
    ignored: int
    events: tuple[Any, ...] = attrs.field(repr=lambda e: f"<{len(e)} events>")
    stale: int = 0
    failed: tuple[str, ...] = ()

    @property
    def skipped(self) -> tuple[WebhookWrite, ...]:
        """The events that wrote nothing on purpose, each with its reason in ``detail``."""
        return tuple(w for w in self.writes if w.action == "skipped")

    @property
    def written(self) -> tuple[WebhookWrite, ...]:
        """The events Braze took: ``upserted``, ``unset`` or ``identified``."""
        return tuple(w for w in self.writes if w.action in {"upserted", "unset", "identified"})


# -- the handler ------------------------------------------------------------------------------

_NOT_A_USER: Final = "userId is not a LINE user ID (U + 32 lowercase hex)"
_SHOWN_ID: Final = 80


def handle_events(integ: Integration, events: Sequence[Any]) -> WebhookReport:
    """Mirror verified, parsed webhook ``events`` into Braze for ``integ`` (see module doc).

    `line_braze.Integration.handle_webhook` verifies the signature and calls this.

    Example:
        >>> from line_braze import BrazeClient, Integration, LineClient
        >>> integ = Integration(line=LineClient("t"), braze=BrazeClient("k", rest_endpoint="US-01"))
        >>> handle_events(integ, []).writes
        ()

    Raises:
        line_braze.errors.PartialFailure: some events could not be written; they are named
            in the message and in ``err.report.failed``, and left unhandled.
    """
    return _Delivery(integ, events).run()


@attrs.define
class _Plan:
    """One user's follow/unfollow of this delivery: the winner and every event it covers."""

    user_id: str
    position: int
    state: AppliedState
    covered: list[int]
    seen: AppliedState | None  # the stored state when the write was planned


def _event_id(event: Any) -> str | None:
    value = getattr(event, "webhook_event_id", None)
    return value if isinstance(value, str) and value else None


def _kind(event: Any) -> str | None:
    from line_braze.line import webhook as wh

    if isinstance(event, wh.FollowEvent):
        return "follow"
    if isinstance(event, wh.UnfollowEvent):
        return "unfollow"
    if isinstance(event, wh.AccountLinkEvent):
        return "accountLink"
    return None


def _iso(timestamp_ms: int) -> str | None:
    try:
        when = dt.datetime.fromtimestamp(timestamp_ms / 1000, tz=dt.timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None  # an impossible time: still unset line_id, skip the timestamp
    return when.isoformat().replace("+00:00", "Z")


def _unwritten(result: TrackResult, count: int) -> dict[int, str]:
    """Return index -> reason for the attributes objects ``result`` says were not written."""
    if result.stopped is not None:
        return dict.fromkeys(range(count), str(result.stopped))
    reasons: dict[int, str] = {}
    for failure in result.failures:
        for item in failure.items:
            if item.array == "attributes":
                reasons[item.index] = str(failure.error)
    for error in result.errors:
        if error.array == "attributes":
            reasons.setdefault(error.index, f"Braze refused the object: {error.reason}")
    return reasons


class _Delivery:
    """One webhook delivery: what to write, what was written, what to report."""

    def __init__(self, integ: Integration, events: Sequence[Any]) -> None:
        self.integ = integ
        self.config = integ.config
        self.store: EventStore = integ.event_store
        self.events = tuple(events)
        self.entries: dict[int, WebhookWrite] = {}
        self.quiet: list[str] = []  # handled without a write: marked if nothing failed
        self.failed: dict[int, str] = {}
        self.cause: BaseException | None = None
        self.duplicates = 0
        self.ignored = 0

    def run(self) -> WebhookReport:
        users: dict[str, list[int]] = {}
        links: list[tuple[int, str, str]] = []
        for pos, event in enumerate(self.events):
            event_id = _event_id(event)
            if event_id is not None and self.store.is_handled(event_id):
                self.duplicates += 1
                continue
            kind = _kind(event)
            if kind is None:
                self.ignored += 1
                self._quiet(pos)
                continue
            user_id = event.user_id
            if not is_line_user_id(user_id):
                self._note(pos, "skipped", _NOT_A_USER, line_id=user_id)
                self._quiet(pos)
            elif kind == "accountLink":
                self._link_event(pos, user_id, links)
            else:
                users.setdefault(user_id, []).append(pos)
        self._track(
            [plan for user, positions in users.items() if (plan := self._plan(user, positions))]
        )
        self._identify(links)
        return self._finish()

    # -- bookkeeping ------------------------------------------------------------------------

    def _note(self, pos: int, action: Action, detail: str = "", *, line_id: object) -> None:
        event = self.events[pos]
        shown = line_id[:_SHOWN_ID] if isinstance(line_id, str) else None
        self.entries[pos] = WebhookWrite(
            event_type=_kind(event) or str(getattr(event, "type", "")),
            line_id=shown,
            action=action,
            detail=detail,
            event_id=_event_id(event),
        )

    def _quiet(self, pos: int) -> None:
        event_id = _event_id(self.events[pos])
        if event_id is not None:
            self.quiet.append(event_id)

    def _fail(self, positions: Sequence[int], reason: str, cause: BaseException | None) -> None:
        for pos in positions:
            self.entries.pop(pos, None)
            self.failed[pos] = reason
        if self.cause is None and cause is not None:
            self.cause = cause

    def _handled(self, positions: Sequence[int]) -> None:
        for pos in positions:
            event_id = _event_id(self.events[pos])
            if event_id is not None:
                self.store.mark_handled(event_id)

    def _name(self, pos: int) -> str:
        return _event_id(self.events[pos]) or f"events[{pos}]"

    def _finish(self) -> WebhookReport:
        writes = tuple(self.entries[pos] for pos in sorted(self.entries))
        report = WebhookReport(
            writes=writes,
            duplicates=self.duplicates,
            ignored=self.ignored,
            events=self.events,
            stale=sum(1 for w in writes if w.action == "stale"),
            failed=tuple(self._name(pos) for pos in sorted(self.failed)),
        )
        if not self.failed:
            for event_id in self.quiet:
                self.store.mark_handled(event_id)
            return report
        first = self.failed[min(self.failed)]
        message = (
            f"{len(self.failed)} webhook event(s) not written to Braze, left for LINE to "
            f"redeliver (answer 5xx): {', '.join(report.failed)}; first cause: {first}"
        )
        raise PartialFailure(message, resume_from=None, report=report) from self.cause

    # -- follows and unfollows ----------------------------------------------------------------

    def _plan(self, user_id: str, positions: list[int]) -> _Plan | None:
        """Collapse one user's events to the latest; ``None`` when it is not newer than stored."""
        winner = max(positions, key=lambda pos: (self.events[pos].timestamp, pos))
        event = self.events[winner]
        state = AppliedState(timestamp=event.timestamp, following=_kind(event) == "follow")
        last = self.store.last_applied(user_id)
        # Equal to the stored state yet not handled: applied, then the worker stopped before
        # marking it (or could not finish). Writing the same state again is harmless.
        if not state.newer_than(last) and state != last:
            assert last is not None  # noqa: S101 - newer_than(None) is always true
            applied = "follow" if last.following else "unfollow"
            for pos in positions:
                detail = f"not newer than the {applied} at {last.timestamp} already applied"
                self._note(pos, "stale", detail, line_id=user_id)
                self._quiet(pos)
            return None
        for pos in positions:
            if pos != winner:
                detail = f"superseded by the {_kind(event)} at {event.timestamp} in this delivery"
                self._note(pos, "stale", detail, line_id=user_id)
        if state.following:
            self._note(winner, "upserted", line_id=user_id)
        else:
            self._note(winner, "unset", line_id=user_id)
        return _Plan(user_id=user_id, position=winner, state=state, covered=positions, seen=last)

    def _object(self, user_id: str, state: AppliedState) -> dict[str, Any]:
        return (
            self._follow(user_id) if state.following else self._unfollow(user_id, state.timestamp)
        )

    def _send(self, objects: list[dict[str, Any]]) -> dict[int, str]:
        """Write ``objects`` with ``/users/track``; return index -> reason for those not written.

        ``track`` raises when a batch failed (the error itself, or `PartialFailure` carrying
        the `TrackResult`); a result it returns can only hold Braze's per-object refusals.
        """
        from line_braze.braze.results import TrackResult

        if not objects:
            return {}
        try:
            result = self.integ.braze.users.track(attributes=objects)
        except PartialFailure as exc:
            if self.cause is None:
                self.cause = exc
            if isinstance(exc.report, TrackResult):
                return _unwritten(exc.report, len(objects)) or dict.fromkeys(
                    range(len(objects)), str(exc)
                )
            return dict.fromkeys(range(len(objects)), str(exc))
        except LineBrazeError as exc:
            if self.cause is None:
                self.cause = exc
            return dict.fromkeys(range(len(objects)), str(exc))
        return _unwritten(result, len(objects))

    def _track(self, plans: list[_Plan]) -> None:
        reasons = self._send([self._object(p.user_id, p.state) for p in plans])
        for index, plan in enumerate(plans):
            if index in reasons:
                self._fail(plan.covered, reasons[index], None)
            else:
                self._applied(plan)

    def _applied(self, plan: _Plan) -> None:
        """The write succeeded: advance the user's state, then mark the events handled.

        Braze keeps the last write, the store the newest state; when another worker applied
        a state while ours was being written, its write may have landed after ours, so the
        state the store ends on is written again.
        """
        before = self.store.last_applied(plan.user_id)
        stored = self.store.advance(plan.user_id, plan.state)
        if stored is None or stored == plan.state:
            if stored is None and before != plan.seen:
                reason = "another worker applied a state while this one was written"
                if not self._rewrite(plan, plan.state, reason):
                    return
            self._handled(plan.covered)
            return
        applied = "follow" if stored.following else "unfollow"
        reason = f"a newer {applied} at {stored.timestamp} was applied meanwhile"
        if not self._rewrite(plan, stored, reason):
            return
        self._note(plan.position, "stale", f"{reason}; rewritten", line_id=plan.user_id)
        self._handled(plan.covered)

    def _rewrite(self, plan: _Plan, state: AppliedState, reason: str) -> bool:
        """Write ``state`` again; on failure leave the plan's events unhandled."""
        again = self._send([self._object(plan.user_id, state)])
        if again:
            self._fail(plan.covered, f"{reason}, and writing it again failed: {again[0]}", None)
            return False
        return True

    def _follow(self, user_id: str) -> dict[str, Any]:
        obj = self.integ.follower_object(user_id)
        if self.config.unfollowed_at_attribute:
            obj[self.config.unfollowed_at_attribute] = None
        if self.config.profile_on_follow:
            try:
                profile = self.integ.line.profiles.get(user_id)
            except LineBrazeError:
                pass
            else:
                obj["line_display_name"] = profile.display_name
                if profile.language:
                    obj["language"] = profile.language
        return obj

    def _unfollow(self, user_id: str, timestamp: int) -> dict[str, Any]:
        # Update only: an unfollow must not create a profile for someone we never knew.
        obj: dict[str, Any] = {
            "user_alias": {"alias_name": user_id, "alias_label": self.config.alias_label},
            "_update_existing_only": True,
            self.config.attribute: None,
        }
        if self.config.native_line_id:
            obj["native_line_id"] = None
        if self.config.unfollowed_at_attribute:
            stamp = _iso(timestamp)
            if stamp is not None:
                obj[self.config.unfollowed_at_attribute] = stamp
        return obj

    # -- account links --------------------------------------------------------------------------

    def _link_event(self, pos: int, user_id: str, links: list[tuple[int, str, str]]) -> None:
        link = self.events[pos].link
        if getattr(link, "result", None) != "ok":
            self._note(pos, "skipped", "link failed", line_id=user_id)
            self._quiet(pos)
            return
        resolve = self.integ.resolve_nonce
        external_id = resolve(link.nonce) if resolve is not None and link.nonce else None
        if not external_id:
            self._note(pos, "skipped", "nonce not resolved (pass resolve_nonce=)", line_id=user_id)
            self._quiet(pos)
            return
        self._note(pos, "identified", f"external_id={external_id}", line_id=user_id)
        links.append((pos, user_id, external_id))

    def _identify(self, links: list[tuple[int, str, str]]) -> None:
        unwritten = {self._user_of(pos) for pos in self.failed}
        for pos, user_id, external_id in links:
            if user_id in unwritten:
                # Identify needs the alias-only profile: link once the follow is written.
                self._fail([pos], "the user's follow or unfollow was not written", None)
            else:
                self._identify_one(pos, user_id, external_id)

    def _user_of(self, pos: int) -> str | None:
        user_id = getattr(self.events[pos], "user_id", None)
        return user_id if isinstance(user_id, str) else None

    def _identify_one(self, pos: int, user_id: str, external_id: str) -> None:
        """Identify one linked user; the event is handled only once ``/users/identify`` took it."""
        try:
            self.integ.link(user_id, external_id)
        except LineBrazeError as exc:
            self._fail([pos], str(exc), exc)
        else:
            self._handled([pos])
