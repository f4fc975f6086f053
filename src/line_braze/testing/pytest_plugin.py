"""pytest fixtures for the line_braze emulators (a public API, loaded automatically).

Installing line_braze registers this module as a pytest plugin (entry point ``pytest11``),
so any test suite can ask for:

``line_emulator``
    A started `line_braze.testing.LineEmulator` (function scope), stopped afterwards.
``braze_emulator``
    A started `line_braze.testing.BrazeEmulator` (function scope), stopped afterwards.
``line_emulator_factory`` / ``braze_emulator_factory``
    Callables taking the emulator's keyword arguments and returning a started emulator;
    every emulator made is stopped at the end of the test.

Configure the plain fixtures per test with markers, whose keyword arguments go to the
constructor::

    @pytest.mark.line_emulator(followers=2500, verified=True)
    @pytest.mark.braze_emulator(rate_limit=10, reset_as_seconds=True)
    def test_sync(line_emulator, braze_emulator):
        line = LineClient(line_emulator.access_token, base_url=line_emulator.url)
        ...

The module imports nothing heavy until a fixture is used.

Example:
    >>> from line_braze.testing import pytest_plugin
    >>> sorted(n for n in dir(pytest_plugin) if n.endswith("emulator") or n.endswith("factory"))
    ['braze_emulator', 'braze_emulator_factory', 'line_emulator', 'line_emulator_factory']
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from line_braze.testing import BrazeEmulator, LineEmulator

__all__ = ["braze_emulator", "braze_emulator_factory", "line_emulator", "line_emulator_factory"]


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``line_emulator`` and ``braze_emulator`` markers."""
    config.addinivalue_line(
        "markers", "line_emulator(**kwargs): LineEmulator arguments for the line_emulator fixture"
    )
    config.addinivalue_line(
        "markers",
        "braze_emulator(**kwargs): BrazeEmulator arguments for the braze_emulator fixture",
    )


def _marker_kwargs(request: pytest.FixtureRequest, name: str) -> dict[str, Any]:
    marker = request.node.get_closest_marker(name)
    return dict(marker.kwargs) if marker is not None else {}


@pytest.fixture
def line_emulator_factory() -> Iterator[Callable[..., LineEmulator]]:
    """Return a callable making started `LineEmulator` objects, all stopped at teardown."""
    from line_braze.testing import LineEmulator

    made: list[LineEmulator] = []

    def make(**kwargs: Any) -> LineEmulator:
        emulator = LineEmulator(**kwargs)
        emulator.start()
        made.append(emulator)
        return emulator

    yield make
    for emulator in made:
        emulator.stop()


@pytest.fixture
def braze_emulator_factory() -> Iterator[Callable[..., BrazeEmulator]]:
    """Return a callable making started `BrazeEmulator` objects, all stopped at teardown."""
    from line_braze.testing import BrazeEmulator

    made: list[BrazeEmulator] = []

    def make(**kwargs: Any) -> BrazeEmulator:
        emulator = BrazeEmulator(**kwargs)
        emulator.start()
        made.append(emulator)
        return emulator

    yield make
    for emulator in made:
        emulator.stop()


@pytest.fixture
def line_emulator(
    request: pytest.FixtureRequest, line_emulator_factory: Callable[..., LineEmulator]
) -> LineEmulator:
    """A started `LineEmulator`; ``@pytest.mark.line_emulator(**kwargs)`` configures it."""
    return line_emulator_factory(**_marker_kwargs(request, "line_emulator"))


@pytest.fixture
def braze_emulator(
    request: pytest.FixtureRequest, braze_emulator_factory: Callable[..., BrazeEmulator]
) -> BrazeEmulator:
    """A started `BrazeEmulator`; ``@pytest.mark.braze_emulator(**kwargs)`` configures it."""
    return braze_emulator_factory(**_marker_kwargs(request, "braze_emulator"))
