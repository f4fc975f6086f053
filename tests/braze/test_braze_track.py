"""users.track: batching, index mapping, retries, uncertainty, laziness, rate-limit headers."""

from __future__ import annotations

import concurrent.futures
import itertools
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import responses
from responses.registries import OrderedRegistry

from line_braze._retry import RetryPolicy
from line_braze.braze import (
    Attributes,
    BatchOutcome,
    BrazeClient,
    Event,
    Purchase,
    RateLimit,
    TrackResult,
    UserAlias,
)
from line_braze.errors import (
    AuthenticationError,
    BadRequest,
    PartialFailure,
    PermissionDenied,
    RequestTimeout,
    ServerError,
    ValidationError,
)
from line_braze.testing import fake_time

KEY = "braze-KEY-5ecret-0f1e2d3c4b5a"
BASE = "https://rest.iad-01.braze.com"
URL = BASE + "/users/track"


class Recorder:
    """A fake clock whose sleep advances it, recording every wait."""

    def __init__(self) -> None:
        self.now = 1_700_000_000.0
        self.waits: list[float] = []
        self.lock = threading.Lock()

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.waits.append(seconds)
            self.now += seconds


def client(rec: Recorder | None = None, **kwargs: Any) -> BrazeClient:
    rec = rec or Recorder()
    options: dict[str, Any] = {
        "rest_endpoint": BASE,
        "max_concurrency": 1,
    }
    options.update(kwargs)
    return fake_time(
        BrazeClient(KEY, **options), sleep=rec.sleep, clock=rec.clock, random=lambda: 0.0
    )


def alias_obj(n: int) -> dict[str, Any]:
    name = f"U{n:032x}"
    return {"user_alias": {"alias_name": name, "alias_label": "line_id"}, "line_id": name}


def ext(n: int) -> dict[str, Any]:
    return {"external_id": f"user-{n}", "n": n}


def event(n: int) -> dict[str, Any]:
    return {"external_id": f"user-{n}", "name": "followed", "time": "2024-01-01T00:00:00Z"}


def bodies(mock: responses.RequestsMock) -> list[dict[str, Any]]:
    out = []
    for call in mock.calls:
        body = call.request.body
        assert body is not None
        out.append(json.loads(body))
    return out


def success(request: Any) -> tuple[int, dict[str, str], str]:
    body = json.loads(request.body)
    answer: dict[str, Any] = {"message": "success"}
    for name in ("attributes", "events", "purchases"):
        if name in body:
            answer[f"{name}_processed"] = len(body[name])
    return 201, {}, json.dumps(answer)


@pytest.mark.parametrize(
    ("count", "sizes"),
    [(0, []), (1, [1]), (74, [74]), (75, [75]), (76, [75, 1]), (151, [75, 75, 1])],
)
@responses.activate
def test_batch_boundaries(count: int, sizes: list[int]) -> None:
    responses.add_callback(responses.POST, URL, callback=success)
    result = client().users.track(attributes=(ext(n) for n in range(count)))
    sent = bodies(responses.mock)
    assert [len(b["attributes"]) for b in sent] == sizes
    assert result.requests == len(sizes)
    assert result.attributes_processed == count
    assert result.ok
    assert result.read["attributes"] == count
    # order and identity preserved
    assert [o["n"] for b in sent for o in b["attributes"]] == list(range(count))


@responses.activate
def test_arrays_count_together_toward_75() -> None:
    responses.add_callback(responses.POST, URL, callback=success)
    result = client().users.track(
        attributes=[ext(n) for n in range(50)],
        events=[event(n) for n in range(50)],
        purchases=[
            {"external_id": "p", "product_id": "x", "currency": "JPY", "price": 1, "time": "t"}
        ]
        * 10,
    )
    sent = bodies(responses.mock)
    sizes = [sum(len(b.get(k, ())) for k in ("attributes", "events", "purchases")) for b in sent]
    assert sizes == [75, 35]
    assert sent[0].keys() == {"attributes", "events"}
    assert len(sent[0]["attributes"]) == 50
    assert len(sent[0]["events"]) == 25
    assert result.attributes_processed == 50
    assert result.events_processed == 50
    assert result.purchases_processed == 10


@responses.activate
def test_larger_batch_size_still_caps_each_array_at_75() -> None:
    responses.add_callback(responses.POST, URL, callback=success)
    client(batch_size=225).users.track(attributes=[ext(n) for n in range(100)])
    assert [len(b["attributes"]) for b in bodies(responses.mock)] == [75, 25]


@responses.activate
def test_item_errors_map_to_global_indexes_across_batches() -> None:
    answers = iter(
        [
            {
                "message": "success",
                "attributes_processed": 74,
                "errors": [{"type": "EMAIL_BAD_FORMAT", "input_array": "attributes", "index": 10}],
            },
            {
                "message": "success",
                "attributes_processed": 74,
                "errors": [{"type": "BAD_PHONE", "input_array": "attributes", "index": 3}],
            },
            {
                "message": "success",
                "attributes_processed": 4,
                "events_processed": 4,
                "errors": [
                    {"type": "BAD_EVENT", "input_array": "events", "index": 1},
                    {"type": "a batch-level complaint"},
                ],
            },
        ]
    )
    responses.add_callback(
        responses.POST, URL, callback=lambda _r: (201, {}, json.dumps(next(answers)))
    )
    result = client().users.track(
        attributes=[ext(n) for n in range(155)], events=[event(n) for n in range(5)]
    )
    found = [(e.array, e.index, e.reason, e.identifier) for e in result.errors]
    assert found == [
        ("attributes", 10, "EMAIL_BAD_FORMAT", "user-10"),
        ("attributes", 78, "BAD_PHONE", "user-78"),
        ("events", 1, "BAD_EVENT", "user-1"),
    ]
    assert result.notices == ("{'type': 'a batch-level complaint'}",)
    assert result.attributes_processed == 152


@responses.activate
def test_queued_202_is_success() -> None:
    responses.add(responses.POST, URL, status=202, json={"message": "queued"})
    result = client().users.track(attributes=[ext(n) for n in range(3)])
    assert result.ok
    assert result.queued == 3
    assert result.errors == ()
    result.raise_for_failures()


@responses.activate
def test_update_existing_only_false_added_for_alias_objects_only() -> None:
    responses.add_callback(responses.POST, URL, callback=success)
    alias = UserAlias("U" + "a" * 32, "line_id")
    client().users.track(
        attributes=[
            alias_obj(1),
            {**alias_obj(2), "_update_existing_only": True},
            ext(3),
            {"email": "ann@example.com", "first_name": "Ann"},
            Attributes(user_alias=alias, line_id=alias.alias_name),
            Attributes(external_id="x", update_existing_only=True),
        ],
        events=[{**event(1), "user_alias": None}],
    )
    (body,) = bodies(responses.mock)
    flags = [o.get("_update_existing_only", "absent") for o in body["attributes"]]
    assert flags == [False, True, "absent", "absent", False, True]
    assert "_update_existing_only" not in body["events"][0]


@responses.activate
def test_invalid_objects_are_reported_not_sent() -> None:
    responses.add_callback(responses.POST, URL, callback=success)
    result = client().users.track(
        attributes=[
            ext(0),
            {"external_id": "a", "braze_id": "b"},
            {"first_name": "nobody"},
            {"external_id": "é" * 494},  # 988 bytes
            42,  # type: ignore[list-item]
            ext(5),
        ],
        events=[{"external_id": "u"}],
    )
    (body,) = bodies(responses.mock)
    assert [o["external_id"] for o in body["attributes"]] == ["user-0", "user-5"]
    assert "events" not in body
    assert [(e.array, e.index, e.source) for e in result.errors] == [
        ("attributes", 1, "client"),
        ("attributes", 2, "client"),
        ("attributes", 3, "client"),
        ("attributes", 4, "client"),
        ("events", 0, "client"),
    ]
    assert "987 bytes" in result.errors[2].reason
    assert "more than one primary identifier" in result.errors[0].reason


def test_typed_helpers_refuse_bad_identifiers_at_construction() -> None:
    with pytest.raises(ValidationError):
        Attributes(first_name="x")
    with pytest.raises(ValidationError):
        Attributes(external_id="a", braze_id="b")
    with pytest.raises(ValidationError):
        Event(name="e")
    with pytest.raises(ValidationError):
        Purchase(product_id="p", currency="JPY", price=1, external_id="x" * 988)
    assert Attributes(email="a@example.com").to_wire() == {"email": "a@example.com"}


@responses.activate(registry=OrderedRegistry)
def test_attribute_batch_is_retried_on_500() -> None:
    responses.add(responses.POST, URL, status=500, json={"message": "oops"})
    responses.add(responses.POST, URL, status=201, json={"attributes_processed": 2})
    rec = Recorder()
    result = client(rec).users.track(attributes=[ext(0), ext(1)])
    assert len(responses.calls) == 2
    assert result.ok
    assert result.requests == 1
    assert rec.waits == [0.5]


@responses.activate(registry=OrderedRegistry)
def test_events_batch_not_retried_on_500_and_reported_uncertain() -> None:
    responses.add(responses.POST, URL, status=201, json={"attributes_processed": 75})
    responses.add(responses.POST, URL, status=500, json={"message": "Internal Server Error"})
    responses.add(responses.POST, URL, status=201, json={"events_processed": 5})
    with pytest.raises(PartialFailure) as info:
        client().users.track(
            attributes=[ext(n) for n in range(75)], events=[event(n) for n in range(80)]
        )
    result = info.value.report
    assert isinstance(result, TrackResult)
    assert len(responses.calls) == 3  # no retry of the events batch; the next one still went
    assert not result.ok
    (failure,) = result.failures
    assert isinstance(failure.error, ServerError)
    assert failure.may_have_been_recorded
    assert failure.carries_events
    assert not failure.safe_to_resend
    assert [(i.array, i.index) for i in result.uncertain] == [("events", n) for n in range(75)]
    assert result.events_processed == 5
    assert isinstance(info.value.__cause__, ServerError)
    assert "75 may or may not have been recorded" in str(info.value)


@responses.activate(registry=OrderedRegistry)
def test_events_batch_is_retried_on_429_with_server_wait() -> None:
    responses.add(
        responses.POST,
        URL,
        status=429,
        json={"message": "rl"},
        headers={"X-Ratelimit-Retry-After": "2"},
    )
    responses.add(responses.POST, URL, status=201, json={"events_processed": 1})
    rec = Recorder()
    result = client(rec).users.track(events=[event(0)])
    assert result.ok
    assert 2.0 in rec.waits


@responses.activate
def test_timeout_on_events_is_uncertain_and_not_retried() -> None:
    responses.add(responses.POST, URL, body=requests.ReadTimeout("slow"))
    with pytest.raises(RequestTimeout) as info:
        client().users.track(events=[event(0), event(1)])
    assert len(responses.calls) == 1
    assert info.value.may_have_taken_effect


@responses.activate
def test_400_on_a_batch_is_a_failure_that_was_not_recorded() -> None:
    responses.add(responses.POST, URL, status=400, json={"message": "Max Input Length Exceeded"})
    with pytest.raises(BadRequest, match="Max Input Length Exceeded"):
        client().users.track(attributes=[ext(0)])


@responses.activate
def test_401_stops_reading_input() -> None:
    responses.add(responses.POST, URL, status=401, json={"message": "Unauthorized"})
    consumed = []

    def source() -> Iterator[dict[str, Any]]:
        for n in range(10_000):
            consumed.append(n)
            yield ext(n)

    with pytest.raises(AuthenticationError) as info:
        client().users.track(attributes=source())
    assert len(responses.calls) == 1
    assert len(consumed) < 200
    assert "instance" in str(info.value)


@responses.activate
def test_403_hint_names_the_permission() -> None:
    responses.add(responses.POST, URL, status=403, json={"message": "Access Denied"})
    with pytest.raises(PermissionDenied, match=r"users\.track"):
        client().users.track(attributes=[ext(0)])


def test_generator_is_consumed_lazily() -> None:
    consumed = [0]
    seen_at_first_request: list[int] = []

    def source() -> Iterator[dict[str, Any]]:
        for n in range(5_000):
            consumed[0] = n + 1
            yield ext(n)

    def callback(request: Any) -> tuple[int, dict[str, str], str]:
        if not seen_at_first_request:
            seen_at_first_request.append(consumed[0])
        return success(request)

    for concurrency in (1, 4):
        seen_at_first_request.clear()
        with responses.RequestsMock() as mock:
            mock.add_callback(responses.POST, URL, callback=callback)
            result = client(max_concurrency=concurrency).users.track(attributes=source())
        assert result.attributes_processed == 5_000
        # at most (2 * concurrency) batches are formed ahead of the first answer
        assert seen_at_first_request[0] <= (2 * concurrency + 1) * 75 + 1


def test_concurrent_batches_every_object_once_and_on_batch_tiles_the_stream() -> None:
    outcomes: list[BatchOutcome] = []
    lock = threading.Lock()

    def on_batch(outcome: BatchOutcome) -> None:
        with lock:
            outcomes.append(outcome)

    with responses.RequestsMock() as mock:
        mock.add_callback(responses.POST, URL, callback=success)
        result = client(max_concurrency=8).users.track(
            attributes=(ext(n) for n in range(3_000)), on_batch=on_batch
        )
        sent = bodies(mock)
    assert sorted(o["n"] for b in sent for o in b["attributes"]) == list(range(3_000))
    assert result.requests == 40
    ranges = sorted((o.start, o.end) for o in outcomes)
    assert ranges[0][0] == 0
    assert ranges[-1][1] == 3_000
    assert all(a[1] == b[0] for a, b in itertools.pairwise(ranges))


def test_on_batch_exception_propagates() -> None:
    def on_batch(_outcome: BatchOutcome) -> None:
        raise KeyError("boom")

    with responses.RequestsMock() as mock:
        mock.add_callback(responses.POST, URL, callback=success)
        with pytest.raises(KeyError):
            client(max_concurrency=3).users.track(
                attributes=(ext(n) for n in range(1000)), on_batch=on_batch
            )


def test_one_batch_is_sent_without_a_thread_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    """A webhook's single ``/users/track`` must not pay for starting worker threads."""

    def no_pool(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a thread pool was started for one batch")

    monkeypatch.setattr(concurrent.futures, "ThreadPoolExecutor", no_pool)
    outcomes: list[BatchOutcome] = []
    with responses.RequestsMock() as mock:
        mock.add_callback(responses.POST, URL, callback=success)
        result = client(max_concurrency=16).users.track(
            attributes=[alias_obj(n) for n in range(5)], on_batch=outcomes.append
        )
    assert (result.attributes_processed, result.requests) == (5, 1)
    assert [(o.start, o.end) for o in outcomes] == [(0, 5)]

    def on_batch(_outcome: BatchOutcome) -> None:
        raise KeyError("boom")

    with responses.RequestsMock() as mock:
        mock.add_callback(responses.POST, URL, callback=success)
        with pytest.raises(KeyError):
            client(max_concurrency=16).users.track(attributes=[ext(1)], on_batch=on_batch)


def test_input_exception_propagates_after_in_flight_batches() -> None:
    outcomes: list[BatchOutcome] = []

    def source() -> Iterator[dict[str, Any]]:
        yield from (ext(n) for n in range(100))
        raise RuntimeError("source broke")

    with responses.RequestsMock() as mock:
        mock.add_callback(responses.POST, URL, callback=success)
        with pytest.raises(RuntimeError, match="source broke"):
            client(max_concurrency=2).users.track(attributes=source(), on_batch=outcomes.append)
    assert [(o.start, o.end) for o in outcomes] == [(0, 75)]


@responses.activate
def test_unserialisable_object_fails_its_batch_only() -> None:
    responses.add_callback(responses.POST, URL, callback=success)
    with pytest.raises(PartialFailure) as info:
        client(batch_size=2).users.track(
            attributes=[ext(0), {"external_id": "x", "bad": object()}, ext(2)]
        )
    result = info.value.report
    assert isinstance(result, TrackResult)
    assert len(result.failures) == 1
    assert isinstance(result.failures[0].error, ValidationError)
    assert result.attributes_processed == 1


@pytest.mark.parametrize("reset", ["epoch", "seconds"])
@responses.activate
def test_remaining_zero_pauses_until_reset(reset: str) -> None:
    rec = Recorder()
    value = str(int(rec.now) + 7) if reset == "epoch" else "7"
    responses.add(
        responses.POST,
        URL,
        status=201,
        json={"attributes_processed": 1},
        headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": value},
    )
    result = client(rec, batch_size=1).users.track(attributes=[ext(0), ext(1)])
    assert result.requests == 2
    assert rec.waits == [7.0]


@responses.activate
def test_client_side_rate_limit_spaces_requests() -> None:
    rec = Recorder()
    responses.add_callback(responses.POST, URL, callback=success)
    client(rec, batch_size=1, rate_limit=RateLimit(2, per=3.0)).users.track(
        attributes=[ext(n) for n in range(5)]
    )
    assert len(responses.calls) == 5
    assert sum(rec.waits) == pytest.approx(6.0)


def test_result_repr_is_short() -> None:
    result = TrackResult(attributes_processed=1)
    assert repr(result).startswith("TrackResult(attributes_processed=1")
    assert "<table>" in result._repr_html_()


@responses.activate
def test_key_never_in_result_errors_or_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG")
    responses.add(responses.POST, URL, status=503, json={"message": "down"})
    with pytest.raises(ServerError) as info:
        client(retry=RetryPolicy(attempts=2)).users.track(attributes=[ext(0)])
    shown = str(info.value) + repr(info.value) + caplog.text
    assert KEY not in shown
    assert "down" in str(info.value)
