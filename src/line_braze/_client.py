"""What every client shares: construction, options, closing, repr. No HTTP code here."""

from __future__ import annotations

from types import TracebackType
from typing import Any, ClassVar, TypeVar

import attrs
import requests
from typing_extensions import Self

from line_braze._options import ClientOptions
from line_braze._retry import RetryPolicy
from line_braze._secret import Secret
from line_braze._transport import Service, Timeout, Transport

__all__ = ["BaseClient", "BaseService"]

C = TypeVar("C", bound="BaseClient")


class BaseService:
    """Base of every service (``line.messages``, ``braze.content_blocks``, ...).

    A service holds its client's `Transport` and nothing else of the client; the client
    builds it on first use.
    """

    def __init__(self, transport: Transport) -> None:
        """Create the service on a client's transport (the client does this)."""
        self._transport = transport


class BaseClient:
    """Base of `LineClient` and `BrazeClient`: owns a `Transport`, composes services.

    Subclasses set ``_service`` and expose their services as cached properties, built on
    first use from ``self._transport``.
    """

    _service: ClassVar[Service]

    def __init__(self, secret: Secret, *, base_url: str, options: ClientOptions) -> None:
        """Build the transport; subclasses check ``base_url``, the secret and options first."""
        self._transport = Transport(
            service=self._service, base_url=base_url, secret=secret, options=options
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

        The client's `ClientOptions`, evolved; the new client never closes the shared
        session: close the original.

        Raises:
            line_braze.errors.ValidationError: an option of the wrong type.

        Example:
            >>> from line_braze import LineClient, Timeout
            >>> line = LineClient("token")
            >>> fast = line.with_options(timeout=Timeout(read=5))
            >>> fast.timeout.read
            5
        """
        changes: dict[str, Any] = {}
        if timeout is not None:
            changes["timeout"] = timeout
        if retry is not None:
            changes["retry"] = retry
        options = attrs.evolve(self._transport.options, **changes)
        return type(self)._from_transport(  # noqa: SLF001
            self._transport.copy(options), **self._extra_state()
        )

    @property
    def options(self) -> ClientOptions:
        """The `ClientOptions` in use (``session`` is ``None`` unless you passed one)."""
        return self._transport.options

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
