"""`fake_time`: make a client's retries and rate limit wait on your clock, not the wall's.

The public constructors take no test seams; this is the switch tests use instead.
"""

from __future__ import annotations

from typing import Any, TypeVar

import attrs

from line_braze._client import BaseClient
from line_braze._options import Clock
from line_braze._retry import Sleep, Uniform
from line_braze.errors import ValidationError

__all__ = ["fake_time"]

C = TypeVar("C", bound=BaseClient)


def fake_time(
    client: C,
    *,
    sleep: Sleep | None = None,
    random: Uniform | None = None,
    clock: Clock | None = None,
) -> C:
    """Make ``client`` wait with ``sleep``, draw jitter from ``random`` and read ``clock``.

    It changes the client in place (and the clients `with_options` makes from it later)
    and returns it. A `BrazeClient`'s ``/users/track`` rate limiter waits and reads the
    time through the same ``sleep`` and ``clock``.

    Args:
        client: a `line_braze.LineClient` or `line_braze.BrazeClient`.
        sleep: called with the seconds to wait instead of `time.sleep`.
        random: the jitter source in ``[0, 1)`` instead of `random.random`.
        clock: the epoch seconds instead of `time.time` (``Retry-After`` dates, the
            rate limit's window).

    Returns:
        ``client``.

    Raises:
        line_braze.errors.ValidationError: an argument that is not callable, naming it.

    Example:
        >>> from line_braze import LineClient
        >>> from line_braze.testing import fake_time
        >>> waits = []
        >>> line = fake_time(LineClient("token"), sleep=waits.append, random=lambda: 0.0)
    """
    if not isinstance(client, BaseClient):
        raise ValidationError("client", f"must be a LineClient or BrazeClient, got {client!r}")
    changes: dict[str, Any] = {
        name: value
        for name, value in (("sleep", sleep), ("random", random), ("clock", clock))
        if value is not None
    }
    for name, value in changes.items():
        if not callable(value):
            raise ValidationError(name, f"must be callable, got {type(value).__name__}")
    transport = client._transport  # noqa: SLF001
    transport.runtime = attrs.evolve(transport.runtime, **changes)
    limiter = getattr(client, "_limiter", None)
    if limiter is not None:
        if sleep is not None and hasattr(limiter, "_sleep"):
            limiter._sleep = sleep  # noqa: SLF001
        if clock is not None and hasattr(limiter, "_clock"):
            limiter._clock = clock  # noqa: SLF001
    return client
