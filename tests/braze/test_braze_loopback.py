"""BrazeClient over a real socket against line_braze.testing's Braze emulator.

The emulator and the client share one fake clock, advanced only by the client's injected
sleep, so rate windows and 429 waits pass without waiting.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest

from line_braze._retry import RetryPolicy
from line_braze._transport import Timeout
from line_braze.braze import BrazeClient, RateLimit, TrackResult
from line_braze.errors import PartialFailure
from line_braze.testing import fake_time

pytestmark = pytest.mark.integration

emulator_mod = pytest.importorskip("line_braze.testing.braze_emulator")
BrazeEmulator = emulator_mod.BrazeEmulator
faults_mod = pytest.importorskip("line_braze.testing.faults")
Faults = faults_mod.Faults

TOKEN = "LINE-token-in-a-block-SECRET-abcdef0123"


class FakeTime:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0
        self.lock = threading.Lock()
        self.waits: list[float] = []

    def clock(self) -> float:
        with self.lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.waits.append(seconds)
            self.now += max(seconds, 0.0)


def follower(n: int) -> dict[str, Any]:
    name = f"U{n:032x}"
    return {"user_alias": {"alias_name": name, "alias_label": "line_id"}, "line_id": name}


def make_client(emulator: Any, fake: FakeTime, **kwargs: Any) -> BrazeClient:
    options: dict[str, Any] = {
        "rest_endpoint": emulator.url,
        "timeout": Timeout(connect=5, read=10),
    }
    options.update(kwargs)
    return fake_time(
        BrazeClient(emulator.api_key, **options),
        sleep=fake.sleep,
        clock=fake.clock,
        random=lambda: 0.0,
    )


def test_concurrent_track_under_server_429s_delivers_every_object_once() -> None:
    fake = FakeTime()
    storm = Faults(rate_limited=0.2, server_error=0.1, paths="/users/track", seed=3)
    with BrazeEmulator(rate_limit=20, rate_window=1.0, clock=fake.clock, faults=storm) as emulator:
        braze = make_client(
            emulator,
            fake,
            max_concurrency=8,
            rate_limit=RateLimit(10_000, per=1.0),  # let the server do the refusing
            retry=RetryPolicy(attempts=30),
        )
        result = braze.users.track(attributes=(follower(n) for n in range(3_000)))
        statuses = [r.status for r in emulator.request_log]
        profiles = emulator.profile_count
        stats = emulator.stats
    assert result.ok, result.failures[:1]
    assert result.requests == 40
    assert result.attributes_processed == 3_000
    assert profiles == 3_000  # alias-only profiles were created: _update_existing_only false
    assert stats["attributes_processed"] == 3_000
    assert statuses.count(429) > 0  # the server did push back (window and injected)
    assert any(s is not None and s >= 500 for s in statuses)  # 5xx: attributes are retried
    assert statuses.count(201) == 40  # and each batch landed exactly once


def test_client_side_limit_keeps_under_the_server_limit() -> None:
    fake = FakeTime()
    with BrazeEmulator(rate_limit=10, rate_window=1.0, clock=fake.clock) as emulator:
        braze = make_client(
            emulator, fake, max_concurrency=1, rate_limit=RateLimit(10, per=1.0), batch_size=10
        )
        result = braze.users.track(attributes=(follower(n) for n in range(500)))
        statuses = [r.status for r in emulator.request_log]
    assert result.ok
    assert result.requests == 50
    assert 429 not in statuses
    assert sum(fake.waits) >= 4.0  # 50 requests at 10 a second


@pytest.mark.parametrize("reset_as_seconds", [False, True])
def test_rate_limit_headers_in_both_reset_forms_slow_the_client(reset_as_seconds: bool) -> None:
    fake = FakeTime()
    with BrazeEmulator(
        rate_limit=5, rate_window=3.0, clock=fake.clock, reset_as_seconds=reset_as_seconds
    ) as emulator:
        braze = make_client(
            emulator, fake, max_concurrency=1, rate_limit=RateLimit(1000), batch_size=1
        )
        result = braze.users.track(attributes=(follower(n) for n in range(12)))
        statuses = [r.status for r in emulator.request_log]
    assert result.ok
    assert 429 not in statuses  # Remaining hit 0 and the client waited for the reset
    assert any(w >= 1.0 for w in fake.waits)


def test_lost_answer_on_events_batch_is_uncertain_not_resent() -> None:
    fake = FakeTime()
    events = [
        {"external_id": f"u{n}", "name": "followed", "time": "2024-01-01T00:00:00Z"}
        for n in range(80)
    ]
    with BrazeEmulator(clock=fake.clock) as emulator:
        emulator.queue_fault("lost", path="/users/track", count=1)
        braze = make_client(emulator, fake, max_concurrency=1)
        with pytest.raises(PartialFailure) as info:
            braze.users.track(events=events)
        stats = emulator.stats
    result = info.value.report
    assert isinstance(result, TrackResult)
    assert stats["events_processed"] == 80  # the lost batch did take effect, once
    assert result.events_processed == 5
    (failure,) = result.failures
    assert failure.may_have_been_recorded
    assert [i.index for i in result.uncertain] == list(range(75))


def test_content_block_lifecycle_and_find_across_pages() -> None:
    fake = FakeTime()
    with BrazeEmulator(clock=fake.clock, reject_zero_offset=True) as emulator:
        braze = make_client(emulator, fake)
        for n in range(5):
            braze.content_blocks.create(name=f"other_{n}", content=f"c{n}")
        block = braze.content_blocks.create(name="LINE_Channel_AccessToken", content=TOKEN)
        assert braze.content_blocks.find("LINE_Channel_AccessToken") is not None
        found = None
        for _ in braze.content_blocks.list(page_size=2):
            pass
        braze.content_blocks.update(block.content_block_id, content="new-token")
        found = braze.content_blocks.find("LINE_Channel_AccessToken")
        assert braze.content_blocks.find("Absent_Block") is None
        listed = [s.name for s in braze.content_blocks.list(page_size=2)]
    assert found is not None
    assert found.content.reveal() == "new-token"
    assert found.content_block_id == block.content_block_id
    assert len(listed) == 6
    assert TOKEN not in repr(block) + repr(found)


def test_lost_create_answer_is_recovered_by_name() -> None:
    fake = FakeTime()
    with BrazeEmulator(clock=fake.clock) as emulator:
        emulator.queue_fault("lost", path="/content_blocks/create", count=1)
        braze = make_client(emulator, fake)
        block = braze.content_blocks.create(name="LINE_Channel_AccessToken", content=TOKEN)
        blocks = emulator.content_blocks
    assert len(blocks) == 1
    assert block.content_block_id == blocks[0].content_block_id


def test_identify_sends_and_export_against_emulator() -> None:
    fake = FakeTime()
    with BrazeEmulator(clock=fake.clock) as emulator:
        braze = make_client(emulator, fake)
        braze.users.track(attributes=[follower(n) for n in range(60)])
        result = braze.users.identify(
            {"external_id": f"user-{n}", "user_alias": follower(n)["user_alias"]} for n in range(60)
        )
        exported = braze.users.export_ids(external_ids=[f"user-{n}" for n in range(3)])
        sent = braze.messages.send(
            external_user_ids=["user-1"], webhook={"url": "https://api.line.me/v2/bot/message/push"}
        )
        dispatches = emulator.dispatches
    assert result.requests == 2
    assert len(exported.users) == 3
    assert sent.dispatch_id is not None
    assert len(dispatches) == 1


def test_no_key_or_block_content_in_debug_logs_over_a_socket(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level("DEBUG")
    fake = FakeTime()
    with BrazeEmulator(clock=fake.clock, api_key="emulator-KEY-5ecret-42") as emulator:
        emulator.queue_fault("server_error", path="/content_blocks/update", count=1)
        braze = make_client(emulator, fake)
        block = braze.content_blocks.create(name="LINE_Channel_AccessToken", content=TOKEN)
        braze.content_blocks.update(block.content_block_id, content=TOKEN + "2")
        got = braze.content_blocks.get(block.content_block_id)
        result = braze.users.track(attributes=[follower(1)])
    shown = caplog.text + repr(block) + repr(got) + repr(result) + repr(braze)
    assert "retrying" in caplog.text  # the update was retried and logged
    assert "emulator-KEY-5ecret-42" not in shown
    assert TOKEN not in shown
    assert got.content.reveal() == TOKEN + "2"
