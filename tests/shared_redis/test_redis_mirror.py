"""Two web workers, one `RedisEventStore`: the mirror's rules hold whichever worker LINE picks.

Each "worker" is its own `Integration` with its own clients and its own Redis connection, as
two processes behind a load balancer would be; they share the loopback LINE and Braze
emulators and one real redis-server. Deliveries are signed as LINE signs them, and the end
state is read from the Braze emulator.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import attrs
import pytest
import redis

from line_braze import BrazeClient, Integration, LineClient, RetryPolicy
from line_braze.errors import PartialFailure
from line_braze.mirror import AppliedState, WebhookReport
from line_braze.redis import RedisEventStore
from line_braze.server import WebhookApp
from line_braze.testing import BrazeEmulator, LineEmulator, follower_id
from line_braze.testing.webhooks import follow_event, unfollow_event, webhook_body

pytestmark = pytest.mark.integration

Events = Sequence[Mapping[str, Any]]
T0 = 1_700_000_000_000


@attrs.define
class Workers:
    a: Integration
    b: Integration
    line_emu: LineEmulator
    braze_emu: BrazeEmulator

    def deliver(self, worker: Integration, events: Events) -> WebhookReport:
        """Sign ``events`` as LINE would and hand them to ``worker``."""
        result = self.line_emu.deliver_webhook(worker.handle_webhook, events).result
        assert isinstance(result, WebhookReport)
        return result

    def tracks(self) -> int:
        return sum(1 for r in self.braze_emu.request_log if r.path == "/users/track")

    def line_id(self, user: str) -> str | None:
        """The ``line_id`` attribute of the user's alias-only profile (``None``: unset)."""
        profile = self.braze_emu.profile(alias=("line_id", user))
        assert profile is not None, f"no profile for {user}"
        value = profile.attributes.get("line_id")
        return value if isinstance(value, str) else None


@pytest.fixture
def workers(
    redis_client: redis.Redis,  # flushes the database before and after
    redis_url: str,
    line_emulator_factory: Callable[..., LineEmulator],
    braze_emulator_factory: Callable[..., BrazeEmulator],
) -> Iterator[Workers]:
    line_emu = line_emulator_factory()
    braze_emu = braze_emulator_factory()
    made: list[tuple[Integration, redis.Redis]] = []
    for _ in range(2):
        connection = redis.Redis.from_url(redis_url)
        integ = Integration(
            line=LineClient(line_emu.access_token, base_url=line_emu.url, retry=RetryPolicy.none()),
            braze=BrazeClient(
                braze_emu.api_key, rest_endpoint=braze_emu.url, retry=RetryPolicy.none()
            ),
            channel_secret=line_emu.channel_secret,
            event_store=RedisEventStore(connection),
        )
        made.append((integ, connection))
    yield Workers(made[0][0], made[1][0], line_emu, braze_emu)
    assert redis_client.ping()
    for integ, connection in made:
        integ.line.close()
        integ.braze.close()
        connection.close()


def redelivered(events: Events) -> list[dict[str, Any]]:
    """The same events as LINE redelivers them: same IDs, ``isRedelivery`` set."""
    return [{**e, "deliveryContext": {"isRedelivery": True}} for e in events]


def test_a_redelivery_to_the_other_worker_is_skipped(workers: Workers) -> None:
    user = follower_id(1)
    events = [follow_event(user, event_id="E-1", timestamp_ms=T0)]

    first = workers.deliver(workers.a, events)
    assert [w.action for w in first.writes] == ["upserted"]
    tracks = workers.tracks()

    again = workers.deliver(workers.b, redelivered(events))
    assert (again.duplicates, again.writes) == (1, ())
    assert workers.tracks() == tracks  # nothing written twice
    assert workers.line_id(user) == user


@pytest.mark.parametrize("order", ["a-then-b", "b-then-a"])
def test_a_stale_event_is_skipped_whichever_worker_gets_it(workers: Workers, order: str) -> None:
    user = follower_id(2)
    first, second = (workers.a, workers.b) if order == "a-then-b" else (workers.b, workers.a)
    # The follow reaches Braze, then the (later) unfollow on the first worker...
    workers.deliver(first, [follow_event(user, event_id="E-F", timestamp_ms=T0)])
    workers.deliver(first, [unfollow_event(user, event_id="E-U", timestamp_ms=T0 + 2)])
    assert workers.line_id(user) is None
    tracks = workers.tracks()

    # ...and an older follow, new to both workers, arrives late on the other one.
    late = workers.deliver(second, [follow_event(user, event_id="E-OLD", timestamp_ms=T0 + 1)])

    assert [w.action for w in late.writes] == ["stale"]
    assert late.stale == 1
    assert "unfollow" in late.writes[0].detail
    assert workers.tracks() == tracks
    assert workers.line_id(user) is None  # the user stays unfollowed
    # Handled without a write: its redelivery to either worker is a duplicate.
    for worker in (workers.a, workers.b):
        again = [follow_event(user, event_id="E-OLD", timestamp_ms=T0 + 1)]
        assert workers.deliver(worker, redelivered(again)).duplicates == 1


def test_a_write_braze_refused_on_one_worker_is_written_on_redelivery_to_the_other(
    workers: Workers,
) -> None:
    user = follower_id(3)
    events = [follow_event(user, event_id="E-LOST", timestamp_ms=T0)]
    workers.braze_emu.queue_fault("server_error", path="/users/track", status=503)

    with pytest.raises(PartialFailure) as info:
        workers.deliver(workers.a, events)
    assert isinstance(info.value.report, WebhookReport)
    assert info.value.report.failed == ("E-LOST",)
    assert workers.braze_emu.profile(alias=("line_id", user)) is None
    # Neither the event nor the user's state was recorded: the other worker writes it.
    assert workers.b.event_store.last_applied(user) is None

    again = workers.deliver(workers.b, redelivered(events))
    assert (again.duplicates, [w.action for w in again.written]) == (0, ["upserted"])
    assert workers.line_id(user) == user
    assert workers.a.event_store.last_applied(user) == AppliedState(timestamp=T0, following=True)
    assert workers.deliver(workers.a, redelivered(events)).duplicates == 1


def test_a_worker_whose_redis_is_down_answers_500_and_the_redelivery_is_written(
    workers: Workers,
) -> None:
    with socket.socket() as sock:  # bound, never listening: Redis refuses at once
        sock.bind(("127.0.0.1", 0))
        down = redis.Redis(port=sock.getsockname()[1], socket_connect_timeout=1)
        broken = Integration(
            line=workers.a.line,
            braze=workers.a.braze,
            channel_secret=workers.line_emu.channel_secret,
            event_store=RedisEventStore(down),
        )
        user = follower_id(4)
        events = [follow_event(user, event_id="E-DOWN", timestamp_ms=T0)]
        body = webhook_body(events, destination=workers.line_emu.bot_user_id)
        signature = workers.line_emu.sign(body)
        answer = WebhookApp(broken).handle(body, signature)
    down.close()

    assert answer.status == 500  # LINE redelivers a 5xx
    assert workers.tracks() == 0  # nothing was written without the store

    again = workers.deliver(workers.b, redelivered(events))
    assert [w.action for w in again.written] == ["upserted"]
    assert workers.line_id(user) == user
