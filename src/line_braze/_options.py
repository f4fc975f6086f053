"""What every client takes, in one frozen value; and the private runtime the transport uses.

`ClientOptions` holds the options `LineClient` and `BrazeClient` share (timeouts, retry
policy, session, pool size, user agent). It is checked once, when it is made: a wrongly
typed option raises `line_braze.errors.ValidationError` naming it. The clients' keywords
(``timeout=``, ``retry=``, ...) are sugar that build one; ``with_options`` evolves it.

`Runtime` is not public: how the transport sleeps, draws jitter and reads the clock. Tests
replace it through `line_braze.testing.fake_time`, so the public constructors carry no test
seams.
"""

from __future__ import annotations

import random as _random
import time
from collections.abc import Callable
from typing import Any, Final, TypedDict

import attrs
import requests

from line_braze._retry import RetryPolicy, Sleep, Uniform
from line_braze._version import __version__
from line_braze.errors import ValidationError

__all__ = [
    "DEFAULT_RUNTIME",
    "MAX_TIMEOUT",
    "USER_AGENT",
    "ClientOptions",
    "Clock",
    "OptionKeywords",
    "Runtime",
    "Timeout",
    "build_options",
]

Clock = Callable[[], float]
USER_AGENT: Final = f"line-braze/{__version__} (+python-requests)"

#: The longest timeout accepted, in seconds: no LINE or Braze call should wait an hour.
MAX_TIMEOUT: Final = 3600.0


def _positive_timeout(_inst: object, attr: attrs.Attribute[float], value: float) -> None:
    field = f"Timeout.{attr.name}"
    checked: object = value
    if not isinstance(checked, int | float) or isinstance(checked, bool):
        raise ValidationError(field, f"must be a number of seconds, got {type(checked).__name__}")
    if not 0 < value <= MAX_TIMEOUT:  # NaN fails too
        raise ValidationError(
            field, f"must be more than 0 and at most {MAX_TIMEOUT:.0f} seconds, got {value!r}"
        )


@attrs.frozen(kw_only=True)
class Timeout:
    """Connect and read timeouts in seconds, each above 0 and at most an hour.

    There is no "no timeout": ``None``, infinity and NaN are refused.

    Example:
        >>> Timeout(read=5)
        Timeout(connect=5.0, read=5)
    """

    connect: float = attrs.field(default=5.0, validator=_positive_timeout)
    read: float = attrs.field(default=30.0, validator=_positive_timeout)

    def as_requests(self) -> tuple[float, float]:
        """Return the ``(connect, read)`` tuple that requests takes."""
        return (self.connect, self.read)


def _instance_of(kind: type, what: str) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    def check(_inst: object, attr: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, kind):
            raise ValidationError(attr.name, f"must be {what} or None, got {type(value).__name__}")

    return check


def _optional_session(_inst: object, _attr: Any, value: object) -> None:
    if value is not None and not isinstance(value, requests.Session):
        raise ValidationError(
            "session", f"must be a requests.Session or None, got {type(value).__name__}"
        )


def _pool_size(_inst: object, _attr: Any, value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValidationError("pool_size", f"must be an int, got {type(value).__name__}")
    if value < 1:
        raise ValidationError("pool_size", f"must be >= 1, got {value}")


def _user_agent(_inst: object, _attr: Any, value: object) -> None:
    if not isinstance(value, str) or not value or not value.isprintable() or not value.isascii():
        raise ValidationError("user_agent", "must be a non-empty printable ASCII string")


@attrs.frozen(kw_only=True)
class ClientOptions:
    """The options every client takes, checked once when made.

    Pass it as ``options=`` to `line_braze.LineClient` or `line_braze.BrazeClient` (or
    their ``from_env``); the keywords ``timeout=``, ``retry=``, ``session=`` and
    ``pool_size=`` given beside it take precedence. Change one with `attrs.evolve`.

    Attributes:
        timeout: connect and read timeouts (default 5 s and 30 s).
        retry: the `RetryPolicy` for requests that are safe to repeat.
        session: a `requests.Session` to use; it stays yours (never closed by a client).
        pool_size: connections kept per host, for concurrent callers.
        user_agent: the ``User-Agent`` header.

    Raises:
        line_braze.errors.ValidationError: an option of the wrong type, naming it.

    Example:
        >>> from line_braze import ClientOptions, LineClient, Timeout
        >>> options = ClientOptions(timeout=Timeout(read=5), pool_size=8)
        >>> LineClient("token", options=options).timeout
        Timeout(connect=5.0, read=5)
        >>> ClientOptions(timeout=5)
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: timeout: must be a Timeout(connect=..., read=...) or None, got int
    """  # noqa: E501

    timeout: Timeout = attrs.field(
        default=Timeout(), validator=_instance_of(Timeout, "a Timeout(connect=..., read=...)")
    )
    retry: RetryPolicy = attrs.field(
        default=RetryPolicy(), validator=_instance_of(RetryPolicy, "a RetryPolicy(...)")
    )
    session: requests.Session | None = attrs.field(
        default=None, validator=_optional_session, repr=False, eq=False
    )
    pool_size: int = attrs.field(default=32, validator=_pool_size)
    user_agent: str = attrs.field(default=USER_AGENT, validator=_user_agent)


class OptionKeywords(TypedDict, total=False):
    """The option keywords every client constructor and ``from_env`` take."""

    timeout: Timeout | None
    retry: RetryPolicy | None
    session: requests.Session | None
    pool_size: int | None
    options: ClientOptions | None


def build_options(
    options: ClientOptions | None = None,
    *,
    timeout: Timeout | None = None,
    retry: RetryPolicy | None = None,
    session: requests.Session | None = None,
    pool_size: int | None = None,
) -> ClientOptions:
    """Return ``options`` (or the defaults) with the keywords given (not ``None``) applied.

    Raises:
        line_braze.errors.ValidationError: ``options`` is not a `ClientOptions`, or a
            keyword of the wrong type.

    Example:
        >>> build_options(pool_size=4).pool_size
        4
    """
    if options is not None and not isinstance(options, ClientOptions):
        raise ValidationError(
            "options", f"must be a ClientOptions(...) or None, got {type(options).__name__}"
        )
    changes: dict[str, Any] = {
        name: value
        for name, value in (
            ("timeout", timeout),
            ("retry", retry),
            ("session", session),
            ("pool_size", pool_size),
        )
        if value is not None
    }
    if options is None:
        return ClientOptions(**changes)
    return attrs.evolve(options, **changes) if changes else options


def _callable(_inst: object, attr: attrs.Attribute[Any], value: object) -> None:
    if not callable(value):
        raise ValidationError(attr.name, f"must be callable, got {type(value).__name__}")


@attrs.frozen(kw_only=True)
class Runtime:
    """How a transport waits, draws jitter and reads the time. Not public.

    Production uses the defaults; `line_braze.testing.fake_time` swaps in recorders.
    """

    sleep: Sleep = attrs.field(default=time.sleep, validator=_callable)
    # Our own generator: a retry (in any thread) never moves the `random` module's state
    # under the caller's seeded code, or under Hypothesis drawing examples.
    random: Uniform = attrs.field(
        default=_random.Random().random,  # noqa: S311 - retry jitter, not a secret
        validator=_callable,
    )
    clock: Clock = attrs.field(default=time.time, validator=_callable)


DEFAULT_RUNTIME: Final = Runtime()
