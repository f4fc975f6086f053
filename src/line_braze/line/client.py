"""`LineClient`: the LINE Messaging API, as small services on one transport.

Example:
    >>> from line_braze.line.client import LineClient
    >>> line = LineClient("my-channel-access-token")
    >>> line
    <LineClient base_url='https://api.line.me' retry=RetryPolicy(attempts=4)>
    >>> "my-channel-access-token" in repr(vars(line))
    False
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Final

import requests
from typing_extensions import Unpack

from line_braze._client import BaseClient
from line_braze._options import ClientOptions, OptionKeywords, build_options
from line_braze._retry import RetryPolicy
from line_braze._secret import Secret, as_secret
from line_braze._transport import Service, Timeout, check_base_url
from line_braze.errors import ValidationError

if TYPE_CHECKING:
    from line_braze.line.followers import Followers
    from line_braze.line.linking import Linking
    from line_braze.line.messages import Messages
    from line_braze.line.profiles import Profiles
    from line_braze.line.tokens import Tokens

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_DATA_BASE_URL", "LineClient"]

DEFAULT_BASE_URL: Final = "https://api.line.me"
DEFAULT_DATA_BASE_URL: Final = "https://api-data.line.me"
ENV_TOKEN: Final = "LINE_CHANNEL_ACCESS_TOKEN"  # noqa: S105 (a variable name)
ENV_BASE_URL: Final = "LINE_API_BASE_URL"


class LineClient(BaseClient):
    """A client of the LINE Messaging API for one channel.

    Services: ``followers`` (follower IDs, lazily), ``messages`` (push, multicast, reply,
    validate), ``profiles``, ``linking`` (account-link tokens and URLs) and ``tokens``
    (channel access tokens). They share one `requests.Session` and one retry policy.

    Args:
        channel_access_token: the channel access token, as a string or `line_braze.Secret`.
        base_url: the API host; change it only for a test server (plain ``http://`` is
            accepted for loopback hosts only).
        data_base_url: the host for content (``api-data.line.me``).
        timeout: connect and read timeouts (default 5 s and 30 s).
        retry: the `RetryPolicy` for requests that are safe to repeat.
        session: a `requests.Session` to use; it stays yours (never closed here).
        pool_size: connections kept per host, for concurrent callers (default 32).
        options: the same options as one `line_braze.ClientOptions`; the keywords above,
            where given, take precedence over it.

    Raises:
        line_braze.errors.ValidationError: empty or padded token, or a bad base URL.

    Example:
        >>> LineClient("token", base_url="http://127.0.0.1:8080").base_url
        'http://127.0.0.1:8080'
        >>> LineClient("token", base_url="http://api.example.com")
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: base_url: plain http is allowed only for loopback hosts (127.0.0.0/8, localhost, ::1); use https://api.example.com
    """  # noqa: E501

    _service: ClassVar[Service] = "line"

    def __init__(
        self,
        channel_access_token: str | Secret,
        *,
        base_url: str = DEFAULT_BASE_URL,
        data_base_url: str = DEFAULT_DATA_BASE_URL,
        timeout: Timeout | None = None,
        retry: RetryPolicy | None = None,
        session: requests.Session | None = None,
        pool_size: int | None = None,
        options: ClientOptions | None = None,
    ) -> None:
        """Build the client; see the class docstring."""
        base = check_base_url(base_url)
        self._data_base_url = check_base_url(data_base_url, name="data_base_url")
        secret = as_secret(channel_access_token, name="channel_access_token")
        built = build_options(
            options, timeout=timeout, retry=retry, session=session, pool_size=pool_size
        )
        super().__init__(secret, base_url=base, options=built)

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        **options: Unpack[OptionKeywords],
    ) -> LineClient:
        """Build a client from ``LINE_CHANNEL_ACCESS_TOKEN`` (and ``LINE_API_BASE_URL``).

        Args:
            environ: where to read the variables (default ``os.environ``).
            **options: ``timeout``, ``retry``, ``session``, ``pool_size`` and ``options``,
                as for the constructor.

        Raises:
            line_braze.errors.ValidationError: the token variable is missing or empty.

        Example:
            >>> LineClient.from_env({"LINE_CHANNEL_ACCESS_TOKEN": "t"}).base_url
            'https://api.line.me'
            >>> LineClient.from_env({})
            Traceback (most recent call last):
            ...
            line_braze.errors.ValidationError: LINE_CHANNEL_ACCESS_TOKEN: environment variable is not set; set it to the channel access token (LINE Developers Console, Messaging API tab)
        """  # noqa: E501
        env = os.environ if environ is None else environ
        token = env.get(ENV_TOKEN, "")
        if not token:
            raise ValidationError(
                ENV_TOKEN,
                "environment variable is not set; set it to the channel access token "
                "(LINE Developers Console, Messaging API tab)",
            )
        try:
            secret = as_secret(token, name=ENV_TOKEN)
        except ValidationError as exc:
            raise ValidationError(ENV_TOKEN, exc.reason) from None
        base_url = env.get(ENV_BASE_URL) or DEFAULT_BASE_URL
        return cls(
            secret,
            base_url=check_base_url(base_url, name=ENV_BASE_URL),
            **options,
        )

    @property
    def data_base_url(self) -> str:
        """The content host (``https://api-data.line.me`` unless changed)."""
        return self._data_base_url

    def set_channel_access_token(self, channel_access_token: str | Secret) -> None:
        """Use another channel access token from the next request on (after a rotation).

        Requests already in flight finish with the old token. Clients made earlier with
        `with_options` keep theirs.

        Raises:
            line_braze.errors.ValidationError: an empty token or one with surrounding
                whitespace.

        Example:
            >>> line = LineClient("old-token")
            >>> line.set_channel_access_token("new-token")
            >>> line._transport.secret == "new-token"
            True
        """
        self._transport.replace_secret(as_secret(channel_access_token, name="channel_access_token"))

    def _extra_state(self) -> dict[str, Any]:
        return {"_data_base_url": self._data_base_url}

    # Services load on first use: `import line_braze` stays cheap, and a web app that only
    # pushes never imports the token or linking code.

    @functools.cached_property
    def followers(self) -> Followers:
        """Follower IDs: `Followers.iter_ids`, `Followers.pages`."""
        from line_braze.line.followers import Followers

        return Followers(self._transport)

    @functools.cached_property
    def messages(self) -> Messages:
        """Push, multicast, reply, broadcast and validate: `Messages`."""
        from line_braze.line.messages import Messages

        return Messages(self._transport)

    @functools.cached_property
    def profiles(self) -> Profiles:
        """User profiles: `Profiles.get`."""
        from line_braze.line.profiles import Profiles

        return Profiles(self._transport)

    @functools.cached_property
    def linking(self) -> Linking:
        """Account linking: link tokens and the link URL."""
        from line_braze.line.linking import Linking

        return Linking(self._transport)

    @functools.cached_property
    def tokens(self) -> Tokens:
        """Channel access tokens: issue, verify, revoke."""
        from line_braze.line.tokens import Tokens

        return Tokens(self._transport)
