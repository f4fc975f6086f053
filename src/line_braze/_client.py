"""What every client shares: construction, options, closing, repr. No HTTP code here."""

from __future__ import annotations

import random
import time
from types import TracebackType
from typing import Any, ClassVar, TypeVar

import requests
from typing_extensions import Self

from line_braze._retry import RetryPolicy, Sleep, Uniform
from line_braze._secret import Secret
from line_braze._transport import Clock, Service, Timeout, Transport

__all__ = ["BaseClient", "check_options"]

C = TypeVar("C", bound="BaseClient")


def check_options(
    *,
    timeout: object = None,
    retry: object = None,
    session: object = None,
    pool_size: object = 1,
    sleep: object = time.sleep,
    random: object = random.random,
    clock: object = time.time,
) -> None:
    """Refuse client options of the wrong type, naming the option, before anything is built.

    Values themselves are checked by `Timeout` and `RetryPolicy` when they are made; this
    catches the plain number or tuple passed where one of them belongs.

    Raises:
        line_braze.errors.ValidationError: an option of the wrong type, or ``pool_size < 1``.

    Example:
        >>> check_options(timeout=5)
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: timeout: must be a Timeout(connect=..., read=...) or None, got int
    """  # noqa: E501
    from line_braze.errors import ValidationError

    expected: tuple[tuple[str, object, type, str], ...] = (
        ("timeout", timeout, Timeout, "a Timeout(connect=..., read=...)"),
        ("retry", retry, RetryPolicy, "a RetryPolicy(...)"),
        ("session", session, requests.Session, "a requests.Session"),
    )
    for name, value, kind, what in expected:
        if value is not None and not isinstance(value, kind):
            raise ValidationError(name, f"must be {what} or None, got {type(value).__name__}")
    if not isinstance(pool_size, int) or isinstance(pool_size, bool):
        raise ValidationError("pool_size", f"must be an int, got {type(pool_size).__name__}")
    if pool_size < 1:
        raise ValidationError("pool_size", f"must be >= 1, got {pool_size}")
    for name, value in (("sleep", sleep), ("random", random), ("clock", clock)):
        if not callable(value):
            raise ValidationError(name, f"must be callable, got {type(value).__name__}")


class BaseClient:
    """Base of `LineClient` and `BrazeClient`: owns a `Transport`, composes services.

    Subclasses set ``_service`` and expose their services as cached properties, built on
    first use from ``self._transport``.
    """

    _service: ClassVar[Service]

    def __init__(
        self,
        secret: Secret,
        *,
        base_url: str,
        timeout: Timeout | None = None,
        retry: RetryPolicy | None = None,
        session: requests.Session | None = None,
        pool_size: int = 32,
        sleep: Sleep = time.sleep,
        random: Uniform = random.random,
        clock: Clock = time.time,
    ) -> None:
        """Build the transport; subclasses validate ``base_url`` and the secret first."""
        check_options(
            timeout=timeout,
            retry=retry,
            session=session,
            pool_size=pool_size,
            sleep=sleep,
            random=random,
            clock=clock,
        )
        self._transport = Transport(
            service=self._service,
            base_url=base_url,
            secret=secret,
            timeout=timeout or Timeout(),
            retry=retry or RetryPolicy(),
            session=session,
            pool_size=pool_size,
            sleep=sleep,
            random=random,
            clock=clock,
        )

    @classmethod
    def _from_transport(cls, transport: Transport, **state: Any) -> Self:
        new = cls.__new__(cls)
        new._transport = transport  # noqa: SLF001
        new.__dict__.update(state)
        return new

    def _extra_state(self) -> dict[str, Any]:
        """Subclass state that `with_options` copies (besides the transport)."""
        return {}

    def with_options(
        self, *, timeout: Timeout | None = None, retry: RetryPolicy | None = None
    ) -> Self:
        """Return a client sharing this one's session, with other timeouts or retries.

        The new client never closes the shared session; close the original.

        Example:
            >>> from line_braze import LineClient, Timeout
            >>> line = LineClient("token")
            >>> fast = line.with_options(timeout=Timeout(read=5))
            >>> fast.timeout.read
            5
        """
        check_options(timeout=timeout, retry=retry)
        return type(self)._from_transport(  # noqa: SLF001
            self._transport.copy(timeout=timeout, retry=retry), **self._extra_state()
        )

    @property
    def base_url(self) -> str:
        """The service base URL requests go to."""
        return self._transport.base_url

    @property
    def timeout(self) -> Timeout:
        """Connect and read timeouts."""
        return self._transport.timeout

    @property
    def retry(self) -> RetryPolicy:
        """The retry policy."""
        return self._transport.retry

    @property
    def session(self) -> requests.Session:
        """The `requests.Session` in use (yours if you passed one)."""
        return self._transport.session

    def close(self) -> None:
        """Close the HTTP session if this client created it (a session you passed stays open)."""
        self._transport.close()

    def __enter__(self) -> Self:
        """Enter a ``with`` block; the session is closed on exit."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the client."""
        self.close()

    def __repr__(self) -> str:
        """Summarise the client without its credential."""
        return f"<{type(self).__name__} base_url={self.base_url!r} retry={self.retry!r}>"
