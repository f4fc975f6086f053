"""The webhook mirror under failure: nothing lost, the latest event wins, only LINE IDs written.

Real HTTP to the loopback emulators. A Braze failure is injected with the emulator's scripted
faults (or, for the shapes a ``users.track`` failure can take, a stand-in ``track``), then the
same body is delivered again as LINE would, and the end state is read from the emulator.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from line_braze import BrazeClient, Integration, LineClient, RetryPolicy
from line_braze.braze.results import FailedBatch, TrackError, TrackItem, TrackResult
from line_braze.errors import PartialFailure, ServerError, ValidationError
from line_braze.mirror import AppliedState, BoundedEventStore, WebhookReport
from line_braze.testing import BrazeEmulator, LineEmulator, follower_id
from line_braze.testing.webhooks import (
    account_link_event,
    follow_event,
    message_event,
    unfollow_event,
)

pytestmark = pytest.mark.reliability

Events = Sequence[Mapping[str, Any]]


@attrs.define
class World:
    integ: Integration
    line_emu: LineEmulator
    braze_emu: BrazeEmulator

    def deliver(self, events: Events) -> WebhookReport:
        """Sign ``events`` as LINE would and hand them to ``handle_webhook``."""
        result = self.line_emu.deliver_webhook(self.integ.handle_webhook, events).result
        assert isinstance(result, WebhookReport)
        return result

    def line_id(self, user: str) -> str | None:
        """The ``line_id`` attribute of the user's alias-only profile (``None``: unset)."""
        profile = self.braze_emu.profile(alias=("line_id", user))
        assert profile is not None, f"no profile for {user}"
        value = profile.attributes.get("line_id")
        return value if isinstance(value, str) else None


@pytest.fixture
def world(
    line_emulator_factory: Callable[..., LineEmulator],
    braze_emulator_factory: Callable[..., BrazeEmulator],
) -> Iterator[World]:
    line_emu = line_emulator_factory()
    braze_emu = braze_emulator_factory()
    line = LineClient(line_emu.access_token, base_url=line_emu.url, retry=RetryPolicy.none())
    braze = BrazeClient(braze_emu.api_key, rest_endpoint=braze_emu.url, retry=RetryPolicy.none())
    integ = Integration(
        line=line,
        braze=braze,
        channel_secret=line_emu.channel_secret,
        resolve_nonce={"nonce-1": "customer-1"}.get,
    )
    yield World(integ, line_emu, braze_emu)
    line.close()
    braze.close()


def redelivered(events: Events) -> list[dict[str, Any]]:
    """The same events as LINE redelivers them: same IDs, ``isRedelivery`` set."""
    return [{**e, "deliveryContext": {"isRedelivery": True}} for e in events]


# -- a failed write is not a handled event ----------------------------------------------------


def test_a_follow_braze_did_not_take_is_written_when_line_redelivers(world: World) -> None:
    user = follower_id(1)
    events = [follow_event(user, event_id="E-FOLLOW"), message_event(user, "hi", event_id="E-MSG")]
    world.braze_emu.queue_fault("server_error", path="/users/track", status=503)

    with pytest.raises(PartialFailure) as info:
        world.deliver(events)

    err = info.value
    assert "E-FOLLOW" in str(err)
    assert err.resume_from is None
    assert isinstance(err.report, WebhookReport)
    assert err.report.failed == ("E-FOLLOW",)
    assert err.report.written == ()
    assert isinstance(err.__cause__, ServerError)
    assert world.braze_emu.profile(alias=("line_id", user)) is None

    again = world.deliver(redelivered(events))
    assert again.duplicates == 0
    assert again.ignored == 1  # the message comes back to your handler too
    assert [w.action for w in again.writes] == ["upserted"]
    assert world.line_id(user) == user
    assert world.deliver(redelivered(events)).duplicates == 2


def test_an_unfollow_braze_did_not_take_is_applied_on_redelivery(world: World) -> None:
    user = follower_id(2)
    world.deliver([follow_event(user, timestamp_ms=1)])
    events = [unfollow_event(user, timestamp_ms=2, event_id="E-UNFOLLOW")]
    world.braze_emu.queue_fault("lost", path="/users/track")

    with pytest.raises(PartialFailure, match="E-UNFOLLOW"):
        world.deliver(events)
    assert world.integ.event_store.last_applied(user) == AppliedState(timestamp=1, following=True)

    assert [w.action for w in world.deliver(redelivered(events)).writes] == ["unset"]
    assert world.line_id(user) is None


def test_an_account_link_braze_did_not_take_is_identified_on_redelivery(world: World) -> None:
    user = follower_id(3)
    world.deliver([follow_event(user)])
    events = [account_link_event(user, "nonce-1", event_id="E-LINK")]
    world.braze_emu.queue_fault("server_error", path="/users/identify", status=500)

    with pytest.raises(PartialFailure, match="E-LINK") as info:
        world.deliver(events)
    assert isinstance(info.value.report, WebhookReport)
    assert info.value.report.failed == ("E-LINK",)
    assert world.braze_emu.profile(external_id="customer-1") is None

    again = world.deliver(redelivered(events))
    assert [w.action for w in again.writes] == ["identified"]
    profile = world.braze_emu.profile(external_id="customer-1")
    assert profile is not None
    assert profile.alias("line_id") == user


def test_a_link_waits_for_the_follow_braze_did_not_take(world: World) -> None:
    user = follower_id(8)
    events = [
        follow_event(user, event_id="E-FOLLOW"),
        account_link_event(user, "nonce-1", event_id="E-LINK"),
    ]
    world.braze_emu.queue_fault("server_error", path="/users/track", status=503)

    with pytest.raises(PartialFailure) as info:
        world.deliver(events)
    assert isinstance(info.value.report, WebhookReport)
    assert info.value.report.failed == ("E-FOLLOW", "E-LINK")

    again = world.deliver(redelivered(events))
    assert [w.action for w in again.writes] == ["upserted", "identified"]
    profile = world.braze_emu.profile(external_id="customer-1")
    assert profile is not None
    assert profile.alias("line_id") == user


def _refused_second(objects: list[Any]) -> TrackResult:
    return TrackResult(
        attributes_processed=len(objects) - 1,
        errors=(TrackError(index=1, array="attributes", reason="INVALID"),),
    )


def _failed_second(objects: list[Any]) -> TrackResult:
    error = ServerError("braze", "POST", "/users/track", 500, "oops")
    batch = FailedBatch(
        start=1,
        end=2,
        items=(TrackItem("attributes", 1),),
        error=error,
        may_have_been_recorded=True,
        carries_events=False,
    )
    return TrackResult(attributes_processed=len(objects) - 1, failures=(batch,))


def _raise_partial(objects: list[Any]) -> TrackResult:
    result = _failed_second(objects)
    raise PartialFailure("1 batch failed", resume_from=None, report=result)


@pytest.mark.parametrize(
    "answer",
    [_refused_second, _failed_second, _raise_partial],
    ids=["refused-in-result", "failed-batch-in-result", "raises-partial-failure"],
)
def test_only_the_users_braze_did_not_take_are_left_for_redelivery(
    world: World, monkeypatch: pytest.MonkeyPatch, answer: Callable[[list[Any]], TrackResult]
) -> None:
    first, second = follower_id(4), follower_id(5)
    events = [follow_event(first, event_id="E-1"), follow_event(second, event_id="E-2")]
    real_track = world.integ.braze.users.track

    def track(attributes: Any = (), **kwargs: Any) -> TrackResult:
        objects = list(attributes)
        real_track(attributes=objects[:1], **kwargs)  # Braze took the first object only
        return answer(objects)

    monkeypatch.setattr(world.integ.braze.users, "track", track)
    with pytest.raises(PartialFailure) as info:
        world.deliver(events)
    report = info.value.report
    assert isinstance(report, WebhookReport)
    assert report.failed == ("E-2",)
    assert "E-2" in str(info.value)
    assert "E-1" not in str(info.value)
    assert [(w.line_id, w.action) for w in report.writes] == [(first, "upserted")]

    monkeypatch.undo()
    again = world.deliver(redelivered(events))
    assert again.duplicates == 1
    assert [(w.line_id, w.action) for w in again.writes] == [(second, "upserted")]
    assert world.line_id(second) == second


def test_a_track_that_raises_leaves_every_event_for_redelivery(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def track(attributes: Any = (), **_kwargs: Any) -> TrackResult:
        list(attributes)
        raise ServerError("braze", "POST", "/users/track", 503, "down")

    monkeypatch.setattr(world.integ.braze.users, "track", track)
    events = [follow_event(follower_id(6), event_id="E-A"), unfollow_event(follower_id(7))]
    with pytest.raises(PartialFailure, match="E-A") as info:
        world.deliver(events)
    assert isinstance(info.value.report, WebhookReport)
    assert len(info.value.report.failed) == 2
    assert not world.integ.event_store.is_handled("E-A")


# -- the latest event wins --------------------------------------------------------------------


def test_within_one_body_the_latest_timestamp_wins(world: World) -> None:
    user = follower_id(10)
    world.deliver([follow_event(user, timestamp_ms=1)])

    report = world.deliver(
        [
            unfollow_event(user, timestamp_ms=3, event_id="E-UNFOLLOW"),
            follow_event(user, timestamp_ms=2, event_id="E-FOLLOW"),
        ]
    )

    assert world.line_id(user) is None
    assert [(w.event_type, w.action) for w in report.writes] == [
        ("unfollow", "unset"),
        ("follow", "stale"),
    ]
    assert report.stale == 1
    store = world.integ.event_store
    assert store.is_handled("E-UNFOLLOW")
    assert store.is_handled("E-FOLLOW")  # covered by the unfollow's write
    assert store.last_applied(user) == AppliedState(timestamp=3, following=False)


def test_a_redelivered_follow_older_than_an_applied_unfollow_is_stale(world: World) -> None:
    user = follower_id(11)
    follow = follow_event(user, timestamp_ms=4, event_id="E-OLD-FOLLOW")
    world.deliver([follow_event(user, timestamp_ms=1)])
    world.deliver([unfollow_event(user, timestamp_ms=5)])
    requests = world.braze_emu.request_count

    report = world.deliver(redelivered([follow]))
    tie = world.deliver([follow_event(user, timestamp_ms=5)])  # not newer: stale too

    assert world.line_id(user) is None
    assert world.braze_emu.request_count == requests  # nothing written
    assert [w.action for w in report.writes] == ["stale"]
    assert report.stale == 1
    assert "unfollow at 5" in report.writes[0].detail
    assert tie.stale == 1
    assert world.integ.event_store.is_handled("E-OLD-FOLLOW")


def test_one_user_is_one_object_of_one_track_call(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    users = [follower_id(100 + n) for n in range(80)]  # more than one 75-object batch
    events: list[dict[str, Any]] = []
    for n, user in enumerate(users):
        events += [follow_event(user, timestamp_ms=n), unfollow_event(user, timestamp_ms=n + 1)]
        events.append(follow_event(user, timestamp_ms=n + 2))
    calls: list[list[Any]] = []
    real_track = world.integ.braze.users.track

    def track(attributes: Any = (), **kwargs: Any) -> TrackResult:
        objects = list(attributes)
        calls.append(objects)
        return real_track(attributes=objects, **kwargs)

    monkeypatch.setattr(world.integ.braze.users, "track", track)
    report = world.deliver(events)

    (objects,) = calls
    names = [obj["user_alias"]["alias_name"] for obj in objects]
    assert sorted(names) == sorted(users)
    assert report.stale == 2 * len(users)
    assert all(world.line_id(user) == user for user in users)


class LosingStore(BoundedEventStore):
    """A store where another worker always applied a newer unfollow just before us."""

    def advance(self, user_id: str, state: AppliedState) -> AppliedState | None:
        newer = AppliedState(timestamp=state.timestamp + 10, following=False)
        super().advance(user_id, newer)
        return newer


def test_a_lost_compare_and_set_writes_the_newer_state_again(world: World) -> None:
    user = follower_id(12)
    world.deliver([follow_event(user, timestamp_ms=1)])  # the profile exists
    store = LosingStore()
    world.integ.event_store = store

    report = world.deliver([follow_event(user, timestamp_ms=2, event_id="E-LATE")])

    assert world.line_id(user) is None  # Braze ends on the other worker's newer unfollow
    assert [w.action for w in report.writes] == ["stale"]
    assert "unfollow at 12" in report.writes[0].detail
    assert store.is_handled("E-LATE")


def test_a_lost_compare_and_set_that_cannot_rewrite_leaves_the_event_unhandled(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = follower_id(13)
    world.deliver([follow_event(user, timestamp_ms=1)])
    store = LosingStore()
    world.integ.event_store = store
    real_track = world.integ.braze.users.track
    calls: list[int] = []

    def track(attributes: Any = (), **kwargs: Any) -> TrackResult:
        calls.append(1)
        if len(calls) > 1:
            raise ServerError("braze", "POST", "/users/track", 503, "down")
        return real_track(attributes=attributes, **kwargs)

    monkeypatch.setattr(world.integ.braze.users, "track", track)
    with pytest.raises(PartialFailure, match="E-LATE"):
        world.deliver([follow_event(user, timestamp_ms=2, event_id="E-LATE")])
    assert not store.is_handled("E-LATE")


class RacingStore(BoundedEventStore):
    """A store where another worker applies ``theirs`` just after our plan read the state."""

    def __init__(self, theirs: AppliedState) -> None:
        super().__init__()
        self.theirs: AppliedState | None = theirs

    def last_applied(self, user_id: str) -> AppliedState | None:
        seen = super().last_applied(user_id)
        if self.theirs is not None:
            super().advance(user_id, self.theirs)
            self.theirs = None
        return seen


def test_a_state_applied_while_ours_was_written_is_overwritten_by_ours(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = follower_id(14)
    world.deliver([follow_event(user, timestamp_ms=1)])
    world.integ.event_store = RacingStore(AppliedState(timestamp=2, following=True))
    real_track = world.integ.braze.users.track
    calls: list[list[Any]] = []

    def track(attributes: Any = (), **kwargs: Any) -> TrackResult:
        objects = list(attributes)
        calls.append(objects)
        result = real_track(attributes=objects, **kwargs)
        if len(calls) == 1:  # the other worker's follow (t=2) lands after our unfollow
            real_track(attributes=[world.integ.follower_object(user)])
        return result

    monkeypatch.setattr(world.integ.braze.users, "track", track)
    report = world.deliver([unfollow_event(user, timestamp_ms=3, event_id="E-NEWEST")])

    assert world.line_id(user) is None  # Braze ends on the newest state, ours
    assert len(calls) == 2
    assert [w.action for w in report.writes] == ["unset"]
    assert world.integ.event_store.is_handled("E-NEWEST")


def test_an_event_applied_but_never_marked_handled_is_written_again(world: World) -> None:
    user = follower_id(15)
    world.deliver([follow_event(user, timestamp_ms=1)])
    store = world.integ.event_store
    # a worker advanced the unfollow, then stopped before Braze had it and before marking it
    store.advance(user, AppliedState(timestamp=3, following=False))

    report = world.deliver(redelivered([unfollow_event(user, timestamp_ms=3, event_id="E-U")]))

    assert [w.action for w in report.writes] == ["unset"]
    assert world.line_id(user) is None
    assert store.is_handled("E-U")


def test_concurrent_deliveries_end_on_each_users_latest_event(world: World) -> None:
    users = [follower_id(200 + n) for n in range(30)]
    world.deliver([follow_event(user, timestamp_ms=1) for user in users])
    bodies: list[list[dict[str, Any]]] = []
    for user in users:
        bodies += [[follow_event(user, timestamp_ms=2)], [unfollow_event(user, timestamp_ms=3)]]
    bodies += [redelivered(body) for body in bodies]  # LINE repeats some deliveries
    random.Random(11).shuffle(bodies)  # noqa: S311 - a test order, not a secret

    with ThreadPoolExecutor(max_workers=4) as pool:
        reports = list(pool.map(world.deliver, bodies))

    assert all(world.line_id(user) is None for user in users)
    store = world.integ.event_store
    assert all(store.last_applied(u) == AppliedState(timestamp=3, following=False) for u in users)
    assert sum(len(r.written) for r in reports) <= 2 * len(users)


# -- only LINE user IDs are written ------------------------------------------------------------


@pytest.mark.parametrize(
    "user_id", ["U" + "A" * 32, "U123", "C" + "0" * 32, "U" + "0" * 32 + "\n", "' OR 1=1"]
)
def test_a_user_id_that_is_not_a_line_user_id_writes_nothing(world: World, user_id: str) -> None:
    before = world.braze_emu.request_count

    report = world.deliver(
        [
            follow_event(user_id),
            unfollow_event(user_id),
            account_link_event(user_id, "nonce-1"),
        ]
    )

    assert world.braze_emu.request_count == before
    assert world.braze_emu.profile_count == 0
    assert [w.action for w in report.skipped] == ["skipped"] * 3
    assert all("not a LINE user ID" in w.detail for w in report.skipped)
    assert report.written == ()


# -- the in-memory store ----------------------------------------------------------------------


@pytest.mark.parametrize("maxsize", [0, -1, True, 1.5])
def test_a_bounded_event_store_needs_room_for_one_entry(maxsize: Any) -> None:
    with pytest.raises(ValidationError, match="maxsize"):
        BoundedEventStore(maxsize=maxsize)


def test_an_event_store_of_the_old_add_shape_is_refused(world: World) -> None:
    class AddOnly:
        def add(self, event_id: str) -> bool:
            return bool(event_id)

    with pytest.raises(ValidationError, match="is_handled"):
        Integration(line=world.integ.line, braze=world.integ.braze, event_store=AddOnly())  # type: ignore[arg-type]


def test_an_empty_store_passed_in_is_the_one_used(world: World) -> None:
    store = BoundedEventStore(maxsize=10)
    integ = Integration(line=world.integ.line, braze=world.integ.braze, event_store=store)
    assert integ.event_store is store


operations = st.lists(
    st.one_of(
        st.tuples(st.just("mark"), st.sampled_from("abcdefgh")),
        st.tuples(st.just("advance"), st.sampled_from("uvwxyz"), st.integers(0, 20)),
    ),
    max_size=60,
)


@settings(max_examples=150, deadline=None)
@given(maxsize=st.integers(1, 4), ops=operations)
def test_the_bounded_store_stays_bounded(maxsize: int, ops: list[tuple[Any, ...]]) -> None:
    store = BoundedEventStore(maxsize=maxsize)
    for op in ops:
        if op[0] == "mark":
            store.mark_handled(op[1])
            assert store.is_handled(op[1])
        else:
            store.advance(op[1], AppliedState(timestamp=op[2], following=True))
        assert len(store) <= maxsize
        assert sum(store.last_applied(u) is not None for u in "uvwxyz") <= maxsize


@settings(max_examples=150, deadline=None)
@given(ops=operations)
def test_advance_is_a_compare_and_set_on_the_newest_timestamp(ops: list[tuple[Any, ...]]) -> None:
    store = BoundedEventStore(maxsize=10)  # room for every key: nothing is forgotten
    model: dict[str, AppliedState] = {}
    for op in ops:
        if op[0] == "mark":
            store.mark_handled(op[1])
            continue
        _, user, ts = op
        state = AppliedState(timestamp=ts, following=ts % 2 == 0)
        stored = model.get(user)
        lost = store.advance(user, state)
        if stored is None or ts > stored.timestamp:
            assert lost is None
            model[user] = state
        else:
            assert lost == stored
        assert store.last_applied(user) == model[user]


def test_concurrent_advances_keep_the_newest_state() -> None:
    store = BoundedEventStore()
    stamps = list(range(2000))
    random.Random(7).shuffle(stamps)  # noqa: S311 - a test order, not a secret
    won: list[int] = []
    lock = threading.Lock()

    def worker(part: list[int]) -> None:
        for ts in part:
            if store.advance("U", AppliedState(timestamp=ts, following=True)) is None:
                with lock:
                    won.append(ts)

    threads = [threading.Thread(target=worker, args=(stamps[n::8],)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.last_applied("U") == AppliedState(timestamp=1999, following=True)
    assert max(won) == 1999
