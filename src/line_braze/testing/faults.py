"""Fault injection for the emulators: rates drawn from a seeded RNG, plus scripted faults.

A `Faults` value says how often each kind of failure happens and how slow answers are.
Every request in scope draws the same number of random numbers from one seeded
`random.Random`, so a run of sequential requests fails the same way every time. Scripted
faults (`line_braze.testing.Emulator.queue_fault`) come first and ignore the rates: use them
when a test needs exactly one lost answer on exactly one path.

The kinds:

======================  ==========================================================  =========
kind                    what the client sees                                        effect?
======================  ==========================================================  =========
``"rate_limited"``      429 in the service's shape (Braze: ``X-RateLimit-*`` and    no
                        ``X-Ratelimit-Retry-After``)
``"server_error"``      a 5xx (from ``server_error_statuses``) in the service's      no
                        JSON shape
``"proxy_html"``        502 with an HTML page, as a proxy in front of the API sends  no
``"lost"``              the request is handled, then the connection closes with no   yes
                        answer at all
``"truncated"``         the request is handled, the answer is cut short and the      yes
                        connection closed
======================  ==========================================================  =========

Example:
    >>> from line_braze.testing import Faults
    >>> storm = Faults(rate_limited=0.1, server_error=0.1, lost=0.05, latency_ms=20, seed=7)
    >>> storm.total_rate
    0.25
    >>> Faults(lost=2.0)
    Traceback (most recent call last):
    ...
    line_braze.errors.ValidationError: Faults.lost: must be a rate between 0 and 1, got 2.0
"""

from __future__ import annotations

import math
import random
import threading
from collections.abc import Sequence
from typing import Final, Literal

import attrs

from line_braze.errors import ValidationError

__all__ = ["FAULT_KINDS", "FaultKind", "Faults"]

FaultKind = Literal["rate_limited", "server_error", "proxy_html", "lost", "truncated"]
FAULT_KINDS: Final[tuple[FaultKind, ...]] = (
    "rate_limited",
    "server_error",
    "proxy_html",
    "lost",
    "truncated",
)
#: Kinds after which the request has taken effect on the emulator's state.
EFFECT_KINDS: Final = frozenset({"lost", "truncated"})


def _rate(_inst: object, attr: attrs.Attribute[float], value: float) -> None:
    if not (math.isfinite(value) and 0.0 <= value <= 1.0):
        raise ValidationError(f"Faults.{attr.name}", f"must be a rate between 0 and 1, got {value}")


def _non_negative(_inst: object, attr: attrs.Attribute[float], value: float) -> None:
    if not (math.isfinite(value) and value >= 0):
        raise ValidationError(f"Faults.{attr.name}", f"must be >= 0, got {value}")


def _paths(value: Sequence[str] | str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _statuses(value: Sequence[int]) -> tuple[int, ...]:
    statuses = tuple(value)
    if not statuses or any(not 500 <= s <= 599 for s in statuses):  # noqa: PLR2004
        raise ValidationError("Faults.server_error_statuses", f"must be 5xx codes, got {value!r}")
    return statuses


@attrs.frozen(kw_only=True)
class Faults:
    """How often an emulator fails, and how slowly it answers.

    Attributes:
        rate_limited: share of requests answered 429 (nothing happens).
        server_error: share answered with a 5xx (nothing happens).
        proxy_html: share answered 502 with an HTML body (nothing happens).
        lost: share handled and then left without an answer (the effect happened).
        truncated: share handled and answered with a body cut short (the effect happened).
        latency_ms: added to every request, in milliseconds.
        spike_rate: share of requests that get ``spike_ms`` more.
        spike_ms: the extra latency of a spike, in milliseconds.
        seed: seed of the RNG; the same seed gives the same sequence of faults.
        paths: path prefixes the rates and latency apply to (``None``: every path).
        retry_after: seconds a fault 429 asks the client to wait (Braze headers).
        server_error_statuses: statuses a ``server_error`` picks from.

    Example:
        >>> Faults(server_error=0.5, paths="/users/track").paths
        ('/users/track',)
    """

    rate_limited: float = attrs.field(default=0.0, validator=_rate)
    server_error: float = attrs.field(default=0.0, validator=_rate)
    proxy_html: float = attrs.field(default=0.0, validator=_rate)
    lost: float = attrs.field(default=0.0, validator=_rate)
    truncated: float = attrs.field(default=0.0, validator=_rate)
    latency_ms: float = attrs.field(default=0.0, validator=_non_negative)
    spike_rate: float = attrs.field(default=0.0, validator=_rate)
    spike_ms: float = attrs.field(default=0.0, validator=_non_negative)
    seed: int | None = 0
    paths: tuple[str, ...] | None = attrs.field(default=None, converter=_paths)
    retry_after: float = attrs.field(default=1.0, validator=_non_negative)
    server_error_statuses: tuple[int, ...] = attrs.field(default=(500, 503), converter=_statuses)

    def __attrs_post_init__(self) -> None:
        """Check that the rates do not add up to more than 1."""
        if self.total_rate > 1.0 + 1e-9:
            raise ValidationError("Faults", f"the fault rates add up to {self.total_rate} > 1")

    @property
    def total_rate(self) -> float:
        """The share of requests that fail in some way."""
        total = self.rate_limited + self.server_error + self.proxy_html + self.lost + self.truncated
        return round(total, 12)

    def applies_to(self, path: str) -> bool:
        """Return whether the rates and latency apply to ``path``.

        Example:
            >>> Faults(paths=("/v2/bot/message",)).applies_to("/v2/bot/message/push")
            True
            >>> Faults(paths=("/v2/bot/message",)).applies_to("/v2/bot/followers/ids")
            False
        """
        return self.paths is None or any(path.startswith(p) for p in self.paths)


@attrs.frozen
class Decision:
    """What the injector decided for one request (private to the emulators)."""

    kind: FaultKind | None
    status: int
    delay_s: float


@attrs.define
class _Scripted:
    kind: FaultKind
    path: str | None
    remaining: int
    status: int | None


class FaultInjector:
    """Draws fault decisions; thread-safe. Private to the emulators."""

    def __init__(self, faults: Faults) -> None:
        """Start with ``faults`` and an RNG seeded from it."""
        self._lock = threading.Lock()
        self._faults = faults
        self._rng = random.Random(faults.seed)  # noqa: S311 - test fixture, not crypto
        self._scripted: list[_Scripted] = []

    @property
    def faults(self) -> Faults:
        """The current configuration."""
        return self._faults

    def configure(self, faults: Faults) -> None:
        """Replace the configuration and re-seed the RNG."""
        with self._lock:
            self._faults = faults
            self._rng = random.Random(faults.seed)  # noqa: S311

    def queue(self, kind: FaultKind, *, path: str | None, count: int, status: int | None) -> None:
        """Script ``count`` faults of ``kind`` for the next requests under ``path``."""
        if kind not in FAULT_KINDS:
            raise ValidationError("kind", f"must be one of {', '.join(FAULT_KINDS)}, got {kind!r}")
        if count < 1:
            raise ValidationError("count", f"must be >= 1, got {count}")
        with self._lock:
            self._scripted.append(_Scripted(kind, path, count, status))

    def clear_scripted(self) -> None:
        """Forget every scripted fault not yet used."""
        with self._lock:
            self._scripted.clear()

    def decide(self, path: str) -> Decision:  # noqa: C901
        """Return the fault (or none) and the delay for a request to ``path``."""
        with self._lock:
            faults = self._faults
            delay = 0.0
            kind: FaultKind | None = None
            status = 0
            if faults.applies_to(path):
                fault_draw = self._rng.random()
                spike_draw = self._rng.random()
                status_draw = self._rng.random()
                delay = faults.latency_ms / 1000.0
                if spike_draw < faults.spike_rate:
                    delay += faults.spike_ms / 1000.0
                threshold = 0.0
                for name in FAULT_KINDS:
                    threshold += getattr(faults, name)
                    if fault_draw < threshold:
                        kind = name
                        break
                statuses = faults.server_error_statuses
                status = statuses[min(int(status_draw * len(statuses)), len(statuses) - 1)]
            for item in self._scripted:
                if item.path is None or path.startswith(item.path):
                    kind = item.kind
                    if item.status is not None:
                        status = item.status
                    elif kind == "server_error":
                        status = faults.server_error_statuses[0]
                    item.remaining -= 1
                    if item.remaining == 0:
                        self._scripted.remove(item)
                    break
            if kind == "rate_limited":
                status = 429
            elif kind == "proxy_html":
                status = 502
            return Decision(kind, status, delay)
