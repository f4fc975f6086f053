"""Fault storms on the emulators: nothing lost, nothing delivered twice, failures say what to retry.

Each storm runs real HTTP against the loopback emulators with `Faults` (429s, 5xx, answers
lost after the effect, truncated answers, latency spikes) and checks the end state held by the
emulators, not only what the client reported. Seeds are fixed and the Braze side runs with
``max_concurrency=1`` where a test counts on determinism; retries wait on a fake clock.
"""

# Outcomes under a storm are random by design: a call may succeed or fail, and the assertions
# inside `except` check what a failure must carry, so PT017 does not apply; retry loops catch
# per item on purpose (PERF203).
# ruff: noqa: PT017, PERF203

from __future__ import annotations

import base64
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from line_braze import (
    BrazeClient,
    Integration,
    IntegrationConfig,
    LineClient,
    RetryPolicy,
    SyncReport,
)
from line_braze._transport import Timeout
from line_braze.braze.models import Event, TrackResult
from line_braze.errors import (
    APIError,
    Conflict,
    LineBrazeError,
    PartialFailure,
    ResponseError,
    TransportError,
)
from line_braze.line import TextMessage
from line_braze.line.responses import PushResult
from line_braze.testing import BrazeEmulator, Faults, LineEmulator, fake_time, follower_id

pytestmark = pytest.mark.reliability

HI = (TextMessage(text="Hello from the storm"),)


class FakeTime:
    """A clock that only moves when someone sleeps: retries and rate limits never wait."""

    def __init__(self) -> None:
        self.now = time.time()
        self.waits: list[float] = []
        self._lock = threading.Lock()

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.waits.append(seconds)
            self.now += max(0.0, seconds)


def storm(seed: int, *, lost: float = 0.05, truncated: float = 0.0, scale: float = 1.0) -> Faults:
    """The issue's storm: 10 % 429/5xx, 5 % lost after the effect, latency spikes."""
    return Faults(
        rate_limited=0.05 * scale,
        server_error=0.05 * scale,
        lost=lost * scale,
        truncated=truncated * scale,
        spike_rate=0.05,
        spike_ms=15,
        seed=seed,
    )


@contextmanager
def world(
    *,
    followers: int = 0,
    line_faults: Faults | None = None,
    braze_faults: Faults | None = None,
    attempts: int = 5,
    concurrency: int = 1,
    page_size: int = 1000,
) -> Iterator[tuple[Integration, LineEmulator, BrazeEmulator, FakeTime]]:
    """Emulators plus an Integration whose clients never really sleep."""
    fake = FakeTime()
    policy = RetryPolicy(attempts=attempts, wait_jitter=0)
    timeout = Timeout(connect=2, read=5)
    with ExitStack() as stack:
        line_emu = stack.enter_context(LineEmulator(followers=followers, faults=line_faults))
        braze_emu = stack.enter_context(BrazeEmulator(faults=braze_faults))
        line = stack.enter_context(
            fake_time(
                LineClient(
                    line_emu.access_token, base_url=line_emu.url, retry=policy, timeout=timeout
                ),
                sleep=fake.sleep,
                clock=fake.clock,
            )
        )
        braze = stack.enter_context(
            fake_time(
                BrazeClient(
                    braze_emu.api_key,
                    rest_endpoint=braze_emu.url,
                    retry=policy,
                    timeout=timeout,
                    max_concurrency=concurrency,
                ),
                sleep=fake.sleep,
                clock=fake.clock,
            )
        )
        integ = Integration(
            line=line,
            braze=braze,
            channel_secret=line_emu.channel_secret,
            config=IntegrationConfig(page_size=page_size),
        )
        yield integ, line_emu, braze_emu, fake


def token_offset(token: str | None) -> int:
    """The follower index a LineEmulator ``next`` token points at (0 for the start)."""
    if token is None:
        return 0
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    prefix, _, number = raw.partition(":")
    assert prefix == "followers"
    return int(number)


def synced_ids(braze_emu: BrazeEmulator) -> Counter[str]:
    """LINE IDs held by Braze profiles, checking each profile is the alias-only follower shape."""
    seen: Counter[str] = Counter()
    for profile in braze_emu.profiles:
        line_id = profile.attributes.get("line_id")
        assert isinstance(line_id, str)
        assert profile.alias("line_id") == line_id
        assert profile.external_id is None
        seen[line_id] += 1
    return seen


def sync_until_complete(
    integ: Integration, braze_emu: BrazeEmulator, *, max_rounds: int = 12
) -> list[PartialFailure]:
    """Run sync_followers, resuming from each PartialFailure; check each resume point."""
    failures: list[PartialFailure] = []
    start: str | None = None
    for _ in range(max_rounds):
        try:
            report = integ.sync_followers(start)
        except PartialFailure as exc:
            failures.append(exc)
            # the failure says what to retry with, in words and as a value
            if exc.resume_from is None:
                assert "start again from the beginning" in str(exc)
                assert "start=None" not in str(exc)
            else:
                assert f"start={exc.resume_from!r}" in str(exc)
            assert isinstance(exc.__cause__, LineBrazeError)
            # "everything before resume_from was written" holds at the moment of failure
            written = synced_ids(braze_emu)
            offset = token_offset(exc.resume_from)
            assert offset >= token_offset(start)
            assert all(follower_id(i) in written for i in range(offset))
            start = exc.resume_from
            continue
        assert report.complete
        assert report.resume_token is None
        return failures
    pytest.fail(f"sync did not complete in {max_rounds} rounds: {failures[-1]}")


# -- sync ------------------------------------------------------------------------------------------


def test_sync_5000_followers_through_a_storm_loses_nothing() -> None:
    with world(
        followers=5000,
        line_faults=storm(101),
        braze_faults=storm(202, truncated=0.02),
    ) as (integ, line_emu, braze_emu, fake):
        failures = sync_until_complete(integ, braze_emu)
        seen = synced_ids(braze_emu)
        assert len(seen) == 5000
        assert set(seen) == {follower_id(i) for i in range(5000)}
        assert braze_emu.profile_count == 5000
        # the storm really happened on both sides, and retries waited on the fake clock only
        faults = Counter(r.fault for r in braze_emu.request_log if r.fault)
        assert {"rate_limited", "server_error", "lost", "truncated"} <= set(faults)
        assert any(r.fault for r in line_emu.request_log)
        assert fake.waits
        assert failures == []  # 5 attempts ride out a 17 % storm at this seed


def test_sync_with_few_retries_fails_part_way_and_resumes_without_loss() -> None:
    with world(
        followers=3000,
        line_faults=storm(7, scale=2.0),
        braze_faults=storm(8, truncated=0.02, scale=2.0),
        attempts=2,
        page_size=500,
    ) as (integ, _line_emu, braze_emu, _fake):
        failures = sync_until_complete(integ, braze_emu, max_rounds=40)
        assert failures, "the seed was chosen so that this storm stops the sync at least once"
        assert set(synced_ids(braze_emu)) == {follower_id(i) for i in range(3000)}
        for exc in failures:
            assert isinstance(exc.report, SyncReport)
            assert exc.report.complete is False
            assert exc.report.resume_token == exc.resume_from


def test_sync_storm_with_concurrent_batches_loses_nothing() -> None:
    with world(
        followers=2400,
        line_faults=storm(31),
        braze_faults=storm(32, truncated=0.02),
        attempts=3,
        concurrency=4,
    ) as (integ, _line_emu, braze_emu, _fake):
        sync_until_complete(integ, braze_emu, max_rounds=40)
        assert set(synced_ids(braze_emu)) == {follower_id(i) for i in range(2400)}


# -- push ------------------------------------------------------------------------------------------


def push_until_delivered(
    integ: Integration, users: list[str], *, max_rounds: int = 10
) -> tuple[dict[str, PushResult], int]:
    """Push to each user with a caller-minted key; resend failures with the same key."""
    keys = {user: str(uuid.uuid4()) for user in users}
    results: dict[str, PushResult] = {}
    conflicts: dict[str, str] = {}
    pending = list(users)
    failed_attempts = 0
    for _ in range(max_rounds):
        retry_later: list[str] = []
        for user in pending:
            try:
                results[user] = integ.line.messages.push(user, HI, retry_key=keys[user])
            except Conflict as exc:
                # a resend whose key LINE had accepted before: delivered, and it says which
                assert exc.accepted_request_id
                conflicts[user] = exc.accepted_request_id
            except (APIError, TransportError, ResponseError) as exc:
                assert not isinstance(exc, APIError) or exc.status == 429 or exc.status >= 500
                failed_attempts += 1
                retry_later.append(user)
        pending = retry_later
        if not pending:
            break
    assert pending == []
    for user, result in results.items():
        assert result.retry_key == keys[user]
    assert set(results) | set(conflicts) == set(users)
    return results, failed_attempts


def test_push_storm_delivers_each_message_exactly_once() -> None:
    users = [follower_id(i) for i in range(80)]
    with world(line_faults=storm(404, truncated=0.03), attempts=4) as (integ, line_emu, _, _f):
        results, _failed = push_until_delivered(integ, users)
        for user in users:
            assert len(line_emu.pushes_to(user)) == 1, user
        assert len(line_emu.pushes) == len(users)
        # lost answers were retried and recognised through the 409 of the accepted key
        accepted = {u: r for u, r in results.items() if r.already_accepted}
        assert accepted
        for user, result in accepted.items():
            (push,) = line_emu.pushes_to(user)
            assert push.retry_key == result.retry_key
            assert result.accepted_request_id == push.request_id


def test_push_with_one_attempt_reports_failures_that_resend_safely() -> None:
    users = [follower_id(i) for i in range(40)]
    with world(line_faults=storm(405, truncated=0.03, scale=2.0), attempts=1) as (
        integ,
        line_emu,
        _,
        _f,
    ):
        _results, failed = push_until_delivered(integ, users, max_rounds=20)
        assert failed > 0
        assert Counter(p.to[0] for p in line_emu.pushes) == dict.fromkeys(users, 1)


def test_a_failed_push_reports_the_retry_key_to_resend_with() -> None:
    with world(attempts=1) as (integ, line_emu, _, _f):
        line_emu.queue_fault("lost", path="/v2/bot/message/push")
        with pytest.raises(TransportError) as info:
            integ.line.messages.push(follower_id(1), HI)
        key = getattr(info.value, "retry_key", None)
        assert isinstance(key, str)
        assert key == line_emu.pushes[0].retry_key


def test_resending_a_push_whose_answer_was_lost_is_not_delivered_twice() -> None:
    with world(attempts=1) as (integ, line_emu, _, _f):
        line_emu.queue_fault("lost", path="/v2/bot/message/push")
        key = str(uuid.uuid4())
        with pytest.raises(TransportError) as info:
            integ.line.messages.push(follower_id(3), HI, retry_key=key)
        assert info.value.may_have_taken_effect
        assert "may have taken effect" in str(info.value)
        again = integ.line.messages.push(follower_id(3), HI, retry_key=key)
        (push,) = line_emu.pushes
        assert again.already_accepted
        assert again.accepted_request_id == push.request_id
    with world(attempts=3) as (integ, line_emu, _, _f):
        # inside one call the same thing is success, not an error
        line_emu.queue_fault("lost", path="/v2/bot/message/push")
        result = integ.line.messages.push(follower_id(3), HI)
        (push,) = line_emu.pushes
        assert result.already_accepted
        assert result.accepted_request_id == push.request_id
        assert result.attempts == 2


def test_resending_a_multicast_chunk_whose_answer_was_lost_is_not_delivered_twice() -> None:
    users = [follower_id(i) for i in range(700)]
    with world(attempts=1) as (integ, line_emu, _, _f):
        line_emu.queue_fault("lost", path="/v2/bot/message/multicast")
        result = integ.line.messages.multicast(users, HI)
        assert [c.status for c in result.chunks] == ["failed", "sent"]
        (lost,) = result.failed
        assert isinstance(lost.error, TransportError)
        assert lost.error.may_have_taken_effect
        with pytest.raises(PartialFailure, match="resend failed chunks with their retry_key"):
            result.raise_for_errors()
        redo = integ.line.messages.multicast(lost.recipients, HI, retry_key=lost.retry_key)
        (chunk,) = redo.chunks
        assert chunk.status == "sent"
        assert chunk.error is None
        assert chunk.accepted_request_id == line_emu.pushes[0].request_id
        delivered = Counter(uid for p in line_emu.pushes for uid in p.to)
        assert delivered == dict.fromkeys(users, 1)


# -- multicast -------------------------------------------------------------------------------------


def test_multicast_storm_delivers_each_recipient_exactly_once() -> None:
    users = [follower_id(i) for i in range(1234)]
    with world(line_faults=storm(606, truncated=0.03, scale=3.0), attempts=1) as (
        integ,
        line_emu,
        _,
        _f,
    ):
        result = integ.line.messages.multicast(users, HI)
        assert [len(c) for c in result.chunks] == [500, 500, 234]
        assert {c.status for c in result.chunks} <= {"sent", "failed"}
        resend = list(result.failed)
        assert resend, "the seed was chosen so that a chunk fails on its only attempt"
        rounds = 0
        while resend:
            rounds += 1
            assert rounds < 20
            again = []
            for chunk in resend:
                # every failure says what to retry: the chunk's recipients and retry key
                assert chunk.error is not None
                assert chunk.retry_key
                retry = integ.line.messages.multicast(
                    chunk.recipients, HI, retry_key=chunk.retry_key
                )
                for redo in retry.failed:
                    if isinstance(redo.error, Conflict) and redo.error.accepted_request_id:
                        continue  # an earlier attempt was accepted after all: delivered
                    again.append(redo)
            resend = again
        delivered = Counter(uid for p in line_emu.pushes for uid in p.to)
        assert delivered == dict.fromkeys(users, 1)
        assert len(line_emu.pushes) == 3


def test_multicast_with_retries_rides_out_the_storm() -> None:
    users = [follower_id(i) for i in range(1100)]
    with world(line_faults=storm(607, truncated=0.03), attempts=5) as (integ, line_emu, _, _f):
        result = integ.line.messages.multicast(users, HI).raise_for_errors()
        assert result.sent_count == 1100
        delivered = Counter(uid for p in line_emu.pushes for uid in p.to)
        assert delivered == dict.fromkeys(users, 1)


# -- track with events -----------------------------------------------------------------------------


def _ambiguous(exc: LineBrazeError) -> bool:
    """Whether a failed request may have been recorded (what FailedBatch says per batch)."""
    if isinstance(exc, TransportError):
        return exc.may_have_taken_effect
    return isinstance(exc, ResponseError) or (isinstance(exc, APIError) and exc.status >= 500)


def test_track_events_storm_never_double_counts_unless_reported_uncertain() -> None:
    total = 900
    events = [
        Event(
            name="storm_event",
            external_id=f"user-{n % 60}",
            time="2024-01-01T00:00:00Z",
            properties={"seq": n},
        )
        for n in range(total)
    ]
    with world(braze_faults=storm(808, truncated=0.03), attempts=4) as (integ, _, braze_emu, _f):
        braze = integ.braze
        with pytest.raises(PartialFailure) as info:
            braze.users.track(events=events)
        result = info.value.report
        assert isinstance(result, TrackResult)
        assert result.requests == total // 75
        assert result.failures, "the seed was chosen so that some batches fail"

        def recorded() -> Counter[int]:
            seqs: Counter[int] = Counter()
            for profile in braze_emu.profiles:
                for event in profile.events:
                    seqs[event["properties"]["seq"]] += 1
            return seqs

        first = recorded()
        assert max(first.values()) == 1  # nothing counted twice
        assert braze_emu.stats["events_processed"] == sum(first.values())
        confirmed = result.events_processed
        failed = {i.index for i in result.failed_items if i.array == "events"}
        uncertain = {i.index for i in result.uncertain if i.array == "events"}
        assert confirmed + len(failed) == total
        # whatever Braze holds beyond what was confirmed is among the uncertain ones
        unconfirmed_but_recorded = set(first) & failed
        assert unconfirmed_but_recorded <= uncertain
        assert uncertain, "lost and truncated answers are reported as uncertain"
        for failure in result.failures:
            assert failure.carries_events
            assert failure.safe_to_resend is not failure.may_have_been_recorded

        # resend only what is safe: never a double count, and everything missing was flagged
        safe = [(i, events[i]) for i in sorted(failed - uncertain)]
        while safe:
            try:
                braze.users.track(events=[e for _, e in safe])
            except PartialFailure as exc:
                assert isinstance(exc.report, TrackResult)
                failures = exc.report.failures
            except LineBrazeError as exc:  # nothing written: the error itself
                if _ambiguous(exc):
                    uncertain |= {i for i, _ in safe}
                    break
                continue
            else:
                break
            uncertain |= {
                safe[i.index][0] for f in failures if not f.safe_to_resend for i in f.items
            }
            safe = [safe[i.index] for f in failures if f.safe_to_resend for i in f.items]
        final = recorded()
        assert max(final.values()) == 1
        assert set(range(total)) - set(final) <= uncertain


def test_track_attributes_storm_upserts_every_profile_once() -> None:
    objects = [{"external_id": f"user-{n}", "tier": n % 3} for n in range(1500)]
    with world(braze_faults=storm(909, truncated=0.03), attempts=6, concurrency=4) as (
        integ,
        _,
        braze_emu,
        _f,
    ):
        result = integ.braze.users.track(attributes=objects)
        assert result.ok
        assert result.attributes_processed >= 1500  # a lost answer's retry is counted again
        assert braze_emu.profile_count == 1500
        for n in (0, 749, 1499):
            profile = braze_emu.profile(external_id=f"user-{n}")
            assert profile is not None
            assert profile.attributes["tier"] == n % 3


# -- Content Blocks --------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [11, 12, 13, 14])
def test_content_block_create_and_update_in_a_storm_leave_one_block(seed: int) -> None:
    with world(braze_faults=storm(seed, truncated=0.03, scale=2.0), attempts=4) as (
        integ,
        _,
        braze_emu,
        _f,
    ):
        tokens = [f"storm-token-{seed}-{n}" for n in range(4)]
        for token in tokens:
            for _ in range(20):
                try:
                    block = integ.install_access_token(token)
                except (APIError, TransportError, ResponseError):
                    continue
                break
            else:
                pytest.fail("install_access_token never succeeded")
            assert block.name == "LINE_Channel_AccessToken"
            assert token not in repr(block)
        blocks = [b for b in braze_emu.content_blocks if b.name == "LINE_Channel_AccessToken"]
        assert len(blocks) == 1
        assert blocks[0].content == tokens[-1]


# -- a few seeds chosen by hypothesis --------------------------------------------------------------


@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(seed=st.integers(min_value=0, max_value=2**31))
def test_any_seed_loses_nothing_and_delivers_once(seed: int) -> None:
    with world(
        followers=400,
        line_faults=storm(seed, truncated=0.02),
        braze_faults=storm(seed + 1, truncated=0.02),
        attempts=3,
        page_size=150,
    ) as (integ, line_emu, braze_emu, _f):
        sync_until_complete(integ, braze_emu, max_rounds=40)
        assert set(synced_ids(braze_emu)) == {follower_id(i) for i in range(400)}
        users = [follower_id(i) for i in range(12)]
        push_until_delivered(integ, users, max_rounds=30)
        assert Counter(p.to[0] for p in line_emu.pushes) == dict.fromkeys(users, 1)
