"""Ctrl-C during users.track and in the follower prefetch: nothing sent goes unreported.

A ``KeyboardInterrupt`` lands in the caller's thread wherever it happens to be, even inside
the thread pool's own bookkeeping. These tests deliver a real SIGINT to the main thread at
the moment it waits for the last batches, and set Ctrl-C's flag from another thread while
the main thread waits for a page, the two places a wait used to hide or lose it.
"""

from __future__ import annotations

import _thread
import json
import signal
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import responses

from line_braze._prefetch import Prefetch
from line_braze.braze import BatchOutcome, BrazeClient

KEY = "braze-KEY-5ecret-0f1e2d3c4b5a"
BASE = "https://rest.iad-01.braze.com"
URL = BASE + "/users/track"

needs_pthread_kill = pytest.mark.skipif(
    not hasattr(signal, "pthread_kill"), reason="signal.pthread_kill is POSIX only"
)


def ext(n: int) -> dict[str, Any]:
    return {"external_id": f"user-{n}", "n": n}


def _main_thread_waits(inside: str, deadline: float = 10.0) -> bool:
    """Whether the main thread is (or within ``deadline`` s becomes) blocked in a threading
    wait called from the module file named ``inside``."""
    main = threading.main_thread().ident
    assert main is not None
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        frame = sys._current_frames().get(main)
        if frame is not None and frame.f_code.co_filename.endswith("threading.py"):
            while frame is not None and not frame.f_code.co_filename.endswith(inside):
                frame = frame.f_back
            if frame is not None:
                return True
        time.sleep(0.001)
    return False


def _track_threads_done() -> None:
    for thread in threading.enumerate():
        if thread.name.startswith("line-braze-track"):
            thread.join(10)


@needs_pthread_kill
@pytest.mark.usefixtures("ctrl_c")
def test_ctrl_c_while_waiting_for_the_last_batches_reports_every_batch_sent() -> None:
    """Regression: Ctrl-C in the final wait returned while a batch was still in flight."""
    input_done = threading.Event()
    raised = threading.Event()
    outcomes: list[BatchOutcome] = []
    sent: list[int] = []
    lock = threading.Lock()

    def source() -> Iterator[dict[str, Any]]:
        yield from (ext(n) for n in range(225))  # three batches of 75
        input_done.set()

    def answer(request: Any) -> tuple[int, dict[str, str], str]:
        body = json.loads(request.body)
        first = body["attributes"][0]["n"]
        with lock:
            sent.append(first)
        if first == 0:
            # every batch is submitted and the caller waits for them: press Ctrl-C now
            assert input_done.wait(10)
            assert _main_thread_waits("_track.py")
            signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)
        else:
            # still in flight when Ctrl-C lands; answers once the call returned (or 1 s)
            raised.wait(1)
        return 201, {}, json.dumps({"message": "success", "attributes_processed": 75})

    client = BrazeClient(KEY, rest_endpoint=BASE, max_concurrency=2)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_callback(responses.POST, URL, callback=answer)
        with pytest.raises(KeyboardInterrupt):
            client.users.track(attributes=source(), on_batch=outcomes.append)
        reported = len(outcomes)
        raised.set()
        _track_threads_done()
    # every batch sent was reported before track raised, and none after
    assert reported == len(outcomes) == len(sent)
    assert {o.start for o in outcomes} == set(sent)


@pytest.mark.usefixtures("ctrl_c")
def test_ctrl_c_from_another_thread_is_seen_while_waiting_for_a_page() -> None:
    """The flag ``interrupt_main`` sets is seen within a slice, not when the page arrives."""
    release = threading.Event()

    def slow_pages() -> Iterator[int]:
        yield 1
        release.wait(30)  # a page LINE is slow to serve
        yield 2

    prefetch = Prefetch(slow_pages())
    pages = iter(prefetch)
    assert next(pages) == 1

    def press() -> None:
        if _main_thread_waits("_prefetch.py"):
            _thread.interrupt_main()

    presser = threading.Thread(target=press, daemon=True)
    presser.start()
    started = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            next(pages)
        assert time.monotonic() - started < 10  # far below the 30 s page
    finally:
        release.set()
        presser.join(10)
