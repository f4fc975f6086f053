"""Read an iterator one item ahead in a background thread, so slow fetches overlap work."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import Generic, TypeVar

__all__ = ["Prefetch"]

T = TypeVar("T")

_DONE = object()
#: Seconds the consumer waits at a time, so a pending Ctrl-C is seen promptly.
_SLICE = 0.05


class Prefetch(Generic[T]):
    """Iterate ``source`` in a daemon thread, at most ``depth`` items ahead of the consumer.

    Exceptions raised by ``source`` are re-raised in the consumer, after the items that came
    before them. `close` stops the reader after its current item, so an abandoned prefetch
    does not keep fetching pages.

    Example:
        >>> list(Prefetch(iter(range(5))))
        [0, 1, 2, 3, 4]
    """

    def __init__(self, source: Iterator[T], *, depth: int = 1) -> None:
        """Start reading ``source`` ahead."""
        self._queue: queue.Queue[object] = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._source = source
        self._thread = threading.Thread(target=self._run, name="line-braze-prefetch", daemon=True)
        self._thread.start()

    def _put(self, item: object) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=_SLICE)
            except queue.Full:
                continue
            return True
        return False

    def _run(self) -> None:
        try:
            for item in self._source:
                if not self._put(item):
                    return
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer
            self._put(_Raised(exc))
            return
        self._put(_DONE)

    def __iter__(self) -> Iterator[T]:
        """Yield the source's items in order."""
        try:
            while True:
                try:
                    item = self._queue.get(timeout=_SLICE)
                except queue.Empty:
                    continue
                if item is _DONE:
                    return
                if isinstance(item, _Raised):
                    raise item.exc
                yield item  # type: ignore[misc]
        finally:
            self.close()

    def close(self) -> None:
        """Stop reading ahead."""
        self._stop.set()


class _Raised:
    __slots__ = ("exc",)

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc
