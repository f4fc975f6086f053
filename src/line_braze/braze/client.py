"""`BrazeClient`: the Braze REST API, as small services on one transport.

Example:
    >>> from line_braze.braze.client import BrazeClient
    >>> braze = BrazeClient("my-rest-api-key", rest_endpoint="https://rest.iad-01.braze.com")
    >>> braze
    <BrazeClient base_url='https://rest.iad-01.braze.com' retry=RetryPolicy(attempts=4) max_concurrency=16 rate_limit=RateLimit(requests=3000, per=3.0)>
    >>> "my-rest-api-key" in repr(vars(braze))
    False
"""  # noqa: E501

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Final

import requests
from typing_extensions import Unpack

from line_braze._client import BaseClient
from line_braze._options import DEFAULT_RUNTIME, ClientOptions, OptionKeywords, build_options
from line_braze._retry import RetryPolicy
from line_braze._secret import Secret, as_secret
from line_braze._transport import Service, Timeout
from line_braze.braze._ratelimit import Limiter, RateLimit, RateLimiter
from line_braze.braze.endpoints import resolve_rest_endpoint
from line_braze.errors import ValidationError

if TYPE_CHECKING:
    from line_braze.braze.content_blocks import ContentBlocks
    from line_braze.braze.sends import Campaigns, Canvas, Messages, Sends
    from line_braze.braze.users import Users

__all__ = ["DEFAULT_RATE_LIMIT", "BrazeClient"]

#: Braze's base ``/users/track`` limit: 3,000 requests per 3 seconds per workspace.
DEFAULT_RATE_LIMIT: Final = RateLimit(3000, per=3.0)
ENV_API_KEY: Final = "BRAZE_API_KEY"
ENV_REST_ENDPOINT: Final = "BRAZE_REST_ENDPOINT"
#: Three arrays of 75: the most one ``/users/track`` request may carry on any contract.
#: Objects per request, combined: three arrays of at most 75 (``_track.MAX_PER_ARRAY``).
MAX_BATCH_SIZE: Final = 3 * 75


class BrazeClient(BaseClient):
    """A client of one Braze workspace's REST API.

    Services: ``users`` (``/users/track`` at scale, identify, aliases, merge, delete,
    export), ``content_blocks``, ``messages`` (``/messages/send``), ``campaigns`` and
    ``canvas`` (API triggers), ``sends`` (send IDs). They share one `requests.Session`, one
    retry policy and one ``/users/track`` rate limiter.

    Args:
        api_key: the REST API key, as a string or `line_braze.Secret`.
        rest_endpoint: the workspace's instance name (``"US-03"``, ``"EU-01"``, ...) or REST
            endpoint (``https://rest.iad-03.braze.com``). Required: a key sent to another
            instance answers 401. Loopback ``http://`` URLs are accepted for test servers.
        timeout: connect and read timeouts (default 5 s and 30 s).
        retry: the `RetryPolicy` for requests that are safe to repeat.
        session: a `requests.Session` to use; it stays yours (never closed here).
        pool_size: connections kept to the host (default 32); at least ``max_concurrency``.
        max_concurrency: ``/users/track`` requests in flight at once.
        rate_limit: the client-side ``/users/track`` limit (Braze's default: 3,000 per 3
            seconds; MAU contracts have their own, shown in the dashboard): a `RateLimit`
            for a limiter in this process, or a `Limiter` such as
            `line_braze.redis.RedisRateLimiter` to share the limit between processes.
        batch_size: objects per ``/users/track`` request, combined across the three arrays
            (75 is safe on every contract; at most 75 of any one array).
        options: the shared options as one `line_braze.ClientOptions`; ``timeout``,
            ``retry``, ``session`` and ``pool_size``, where given, take precedence over it.

    Raises:
        line_braze.errors.ValidationError: an empty or padded key, an endpoint that is not
            Braze's, or contradictory options.

    Example:
        >>> BrazeClient("key", rest_endpoint="eu-02").base_url
        'https://rest.fra-02.braze.eu'
        >>> BrazeClient("key", rest_endpoint="http://rest.iad-01.braze.com")
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: rest_endpoint: plain http is allowed only for loopback hosts (127.0.0.0/8, localhost, ::1); use https://rest.iad-01.braze.com
    """  # noqa: E501

    _service: ClassVar[Service] = "braze"

    def __init__(
        self,
        api_key: str | Secret,
        *,
        rest_endpoint: str,
        timeout: Timeout | None = None,
        retry: RetryPolicy | None = None,
        session: requests.Session | None = None,
        pool_size: int | None = None,
        max_concurrency: int = 16,
        rate_limit: RateLimit | Limiter = DEFAULT_RATE_LIMIT,
        batch_size: int = 75,
        options: ClientOptions | None = None,
    ) -> None:
        """Build the client; see the class docstring."""
        base_url = resolve_rest_endpoint(rest_endpoint)
        secret = as_secret(api_key, name="api_key")
        built = build_options(
            options, timeout=timeout, retry=retry, session=session, pool_size=pool_size
        )
        pool_size = built.pool_size
        if not 1 <= batch_size <= MAX_BATCH_SIZE:
            raise ValidationError("batch_size", f"must be 1..{MAX_BATCH_SIZE}, got {batch_size}")
        if max_concurrency < 1:
            raise ValidationError("max_concurrency", f"must be >= 1, got {max_concurrency}")
        if pool_size < max_concurrency:
            raise ValidationError(
                "pool_size",
                f"must be >= max_concurrency ({max_concurrency}), got {pool_size}; "
                "raise pool_size or lower max_concurrency",
            )
        checked: object = rate_limit
        limiter: Limiter
        if isinstance(checked, RateLimit):
            limiter = RateLimiter(checked, clock=DEFAULT_RUNTIME.clock, sleep=DEFAULT_RUNTIME.sleep)
        elif isinstance(checked, Limiter):
            limiter = checked
        else:
            raise ValidationError(
                "rate_limit",
                "must be a RateLimit(requests, per=seconds) or a shared Limiter "
                "(line_braze.redis.RedisRateLimiter)",
            )
        self._max_concurrency = max_concurrency
        self._batch_size = batch_size
        self._limiter = limiter
        super().__init__(secret, base_url=base_url, options=built)

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        max_concurrency: int = 16,
        rate_limit: RateLimit | Limiter = DEFAULT_RATE_LIMIT,
        batch_size: int = 75,
        **options: Unpack[OptionKeywords],
    ) -> BrazeClient:
        """Build a client from ``BRAZE_API_KEY`` and ``BRAZE_REST_ENDPOINT``.

        Without ``pool_size`` or ``options``, the pool is sized to hold
        ``max_concurrency`` connections (at least 32).

        Args:
            environ: where to read the variables (default ``os.environ``).
            max_concurrency: as for the constructor.
            rate_limit: as for the constructor.
            batch_size: as for the constructor.
            **options: ``timeout``, ``retry``, ``session``, ``pool_size`` and ``options``,
                as for the constructor.

        Raises:
            line_braze.errors.ValidationError: a variable is missing or invalid.

        Example:
            >>> env = {"BRAZE_API_KEY": "k", "BRAZE_REST_ENDPOINT": "US-01"}
            >>> BrazeClient.from_env(env).base_url
            'https://rest.iad-01.braze.com'
            >>> BrazeClient.from_env({"BRAZE_API_KEY": "k"})
            Traceback (most recent call last):
            ...
            line_braze.errors.ValidationError: BRAZE_REST_ENDPOINT: environment variable is not set; set it to your instance (US-01 ... KR-01) or REST endpoint (https://rest.iad-01.braze.com)
        """  # noqa: E501
        env = os.environ if environ is None else environ
        key = env.get(ENV_API_KEY, "")
        if not key:
            raise ValidationError(
                ENV_API_KEY,
                "environment variable is not set; set it to a REST API key (Settings > "
                "APIs and Identifiers)",
            )
        endpoint = env.get(ENV_REST_ENDPOINT, "")
        if not endpoint:
            raise ValidationError(
                ENV_REST_ENDPOINT,
                "environment variable is not set; set it to your instance (US-01 ... KR-01) "
                "or REST endpoint (https://rest.iad-01.braze.com)",
            )
        try:
            secret = as_secret(key, name=ENV_API_KEY)
            base_url = resolve_rest_endpoint(endpoint, name=ENV_REST_ENDPOINT)
        except ValidationError as exc:
            raise ValidationError(exc.field, exc.reason) from None
        if options.get("pool_size") is None and options.get("options") is None:
            options["pool_size"] = max(32, max_concurrency)
        return cls(
            secret,
            rest_endpoint=base_url,
            max_concurrency=max_concurrency,
            rate_limit=rate_limit,
            batch_size=batch_size,
            **options,
        )

    @property
    def max_concurrency(self) -> int:
        """``/users/track`` requests in flight at once."""
        return self._max_concurrency

    @property
    def batch_size(self) -> int:
        """Objects per ``/users/track`` request, combined."""
        return self._batch_size

    @property
    def rate_limit(self) -> RateLimit:
        """The client-side ``/users/track`` rate limit."""
        return self._limiter.limit

    def _extra_state(self) -> dict[str, Any]:
        # copies share the limiter: the limit is per workspace
        return {
            "_max_concurrency": self._max_concurrency,
            "_batch_size": self._batch_size,
            "_limiter": self._limiter,
        }

    # Services load on first use: `import line_braze` stays cheap.

    @functools.cached_property
    def users(self) -> Users:
        """``/users/*``: track, identify, aliases, merge, delete, export: `Users`."""
        from line_braze.braze.users import Users

        return Users(
            self._transport,
            self._limiter,
            batch_size=self._batch_size,
            max_concurrency=self._max_concurrency,
        )

    @functools.cached_property
    def content_blocks(self) -> ContentBlocks:
        """Content Blocks: create, update, get, list, find: `ContentBlocks`."""
        from line_braze.braze.content_blocks import ContentBlocks

        return ContentBlocks(self._transport)

    @functools.cached_property
    def messages(self) -> Messages:
        """``/messages/send``: `Messages`."""
        from line_braze.braze.sends import Messages

        return Messages(self._transport)

    @functools.cached_property
    def campaigns(self) -> Campaigns:
        """API-triggered campaigns: `Campaigns`."""
        from line_braze.braze.sends import Campaigns

        return Campaigns(self._transport)

    @functools.cached_property
    def canvas(self) -> Canvas:
        """API-triggered Canvases: `Canvas`."""
        from line_braze.braze.sends import Canvas

        return Canvas(self._transport)

    @functools.cached_property
    def sends(self) -> Sends:
        """Send IDs for tracking: `Sends`."""
        from line_braze.braze.sends import Sends

        return Sends(self._transport)

    def __repr__(self) -> str:
        """Summarise the client without its key."""
        return (
            f"<BrazeClient base_url={self.base_url!r} retry={self.retry!r} "
            f"max_concurrency={self._max_concurrency} rate_limit={self.rate_limit!r}>"
        )
