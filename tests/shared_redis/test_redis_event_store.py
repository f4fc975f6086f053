"""RedisEventStore against a real redis-server: handled IDs, TTLs, compare-and-set races."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from typing import Any

import pytest
import redis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from line_braze.errors import ValidationError
from line_braze.mirror import AppliedState, EventStore
from line_braze.redis import RedisEventStore

USER = "U" + "a" * 32


def test_it_satisfies_the_event_store_protocol(redis_client: redis.Redis) -> None:
    store: EventStore = RedisEventStore(redis_client)
    assert store.last_applied(USER) is None


def test_handled_ids_are_remembered_then_expire(redis_client: redis.Redis) -> None:
    # a TTL a loaded CI machine cannot outlast between two commands; the sleep outlasts it
    store = RedisEventStore(redis_client, event_ttl=1.0)
    assert not store.is_handled("E1")
    store.mark_handled("E1")
    assert store.is_handled("E1")
    assert not store.is_handled("E2")
    assert 0 < redis_client.pttl("line_braze:event:E1") <= 1000
    time.sleep(1.1)
    assert not store.is_handled("E1")


def test_a_second_store_on_the_same_redis_sees_the_first_ones_writes(
    redis_client: redis.Redis, redis_url: str
) -> None:
    first = RedisEventStore(redis_client)
    other_client = redis.Redis.from_url(redis_url, decode_responses=True)
    second = RedisEventStore(other_client)
    first.mark_handled("E1")
    assert first.advance(USER, AppliedState(timestamp=10, following=True)) is None
    assert second.is_handled("E1")
    assert second.last_applied(USER) == AppliedState(timestamp=10, following=True)
    assert second.advance(USER, AppliedState(timestamp=5, following=False)) == AppliedState(
        timestamp=10, following=True
    )
    other_client.close()


def test_advance_stores_only_strictly_newer_states(redis_client: redis.Redis) -> None:
    store = RedisEventStore(redis_client)
    follow = AppliedState(timestamp=1_700_000_000_000, following=True)
    assert store.advance(USER, follow) is None
    assert store.last_applied(USER) == follow
    same_time = AppliedState(timestamp=follow.timestamp, following=False)
    assert store.advance(USER, same_time) == follow
    older = AppliedState(timestamp=follow.timestamp - 1, following=False)
    assert store.advance(USER, older) == follow
    newer = AppliedState(timestamp=follow.timestamp + 1, following=False)
    assert store.advance(USER, newer) is None
    assert store.last_applied(USER) == newer


def test_states_expire_after_their_ttl(redis_client: redis.Redis) -> None:
    store = RedisEventStore(redis_client, state_ttl=1.0)  # see above
    store.advance(USER, AppliedState(timestamp=1, following=True))
    assert 0 < redis_client.pttl("line_braze:user:" + USER) <= 1000
    time.sleep(1.1)
    assert store.last_applied(USER) is None


def test_the_prefix_namespaces_every_key(redis_client: redis.Redis) -> None:
    a = RedisEventStore(redis_client, prefix="app-a:")
    b = RedisEventStore(redis_client, prefix="app-b:")
    a.mark_handled("E1")
    a.advance(USER, AppliedState(timestamp=1, following=True))
    assert not b.is_handled("E1")
    assert b.last_applied(USER) is None
    assert sorted(redis_client.keys("*")) == [b"app-a:event:E1", b"app-a:user:" + USER.encode()]


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"event_ttl": 0}, "event_ttl"),
        ({"state_ttl": float("nan")}, "state_ttl"),
        ({"event_ttl": -1.0}, "event_ttl"),
        ({"prefix": ""}, "prefix"),
        ({"prefix": "has space"}, "prefix"),
    ],
)
def test_bad_options_name_the_field(
    redis_client: redis.Redis, options: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as info:
        RedisEventStore(redis_client, **options)
    assert info.value.field == field


def test_repr_never_shows_the_connection_password(redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url.replace("//", "//:hunter2@"))
    text = repr(RedisEventStore(client))
    assert "hunter2" not in text
    assert text.startswith("<RedisEventStore prefix='line_braze:'")
    client.close()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(st.integers(min_value=-(2**70), max_value=2**70), st.booleans()), max_size=12
    )
)
def test_advance_matches_the_newer_than_model_at_any_size(
    redis_client: redis.Redis, steps: list[tuple[int, bool]]
) -> None:
    redis_client.flushdb()
    store = RedisEventStore(redis_client)
    model: AppliedState | None = None
    for timestamp, following in steps:
        state = AppliedState(timestamp=timestamp, following=following)
        expected = None if state.newer_than(model) else model
        assert store.advance(USER, state) == expected
        if expected is None:
            model = state
        assert store.last_applied(USER) == model


def test_threads_racing_advance_leave_the_newest_and_each_wins_at_most_once(
    redis_url: str, redis_client: redis.Redis
) -> None:
    stores = [RedisEventStore(redis.Redis.from_url(redis_url)) for _ in range(8)]
    won: list[int] = []
    bad_losses: list[tuple[int, AppliedState]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(stores))

    def run(n: int) -> None:
        barrier.wait()
        for i in range(50):
            timestamp = i * len(stores) + n
            stored = stores[n].advance(USER, AppliedState(timestamp=timestamp, following=True))
            with lock:
                if stored is None:
                    won.append(timestamp)
                elif stored.timestamp < timestamp:  # lost to an older state: not atomic
                    bad_losses.append((timestamp, stored))

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(stores))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    newest = 49 * len(stores) + len(stores) - 1
    assert RedisEventStore(redis_client).last_applied(USER) == AppliedState(
        timestamp=newest, following=True
    )
    # compare-and-set: a call loses only to a state at least as new as its own
    assert bad_losses == []
    assert len(set(won)) == len(won)
    assert newest in won


_WORKER = """
import sys, redis
from line_braze.mirror import AppliedState
from line_braze.redis import RedisEventStore
url, n, user = sys.argv[1], int(sys.argv[2]), sys.argv[3]
store = RedisEventStore(redis.Redis.from_url(url))
wins = []
for i in range(200):
    ts = i * 4 + n
    if store.advance(user, AppliedState(timestamp=ts, following=ts % 2 == 0)) is None:
        wins.append(ts)
print(",".join(map(str, wins)))
"""


def test_processes_racing_advance_never_move_a_user_back(
    redis_url: str, redis_client: redis.Redis
) -> None:
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, redis_url, str(n), USER],
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    outputs = [p.communicate(timeout=60)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs)
    wins = [int(x) for out in outputs for x in out.strip().split(",") if x]
    assert max(wins) == 199 * 4 + 3
    assert len(set(wins)) == len(wins)
    assert RedisEventStore(redis_client).last_applied(USER) == AppliedState(
        timestamp=199 * 4 + 3, following=False
    )
