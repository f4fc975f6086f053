"""Channel access tokens: issue, verify, revoke (``channel-access-token.yml``).

These endpoints take form bodies, need no ``Authorization`` header and answer errors as
OAuth's ``{error, error_description}``, which become the ``message`` of the
`line_braze.errors.APIError`. Issued tokens come back inside a `line_braze.Secret`; the channel
secret and every token travel only in request bodies, never in a repr, error or log line.

Issuing is not idempotent (each call makes a new token, and short-lived and v2.1 tokens are
capped at 30 a channel), so issue calls are retried only when nothing can have reached LINE
(``Retry.UNRECORDED``). Verify and revoke are safe to repeat.

Example:
    >>> import responses
    >>> from line_braze.line.client import LineClient
    >>> line = LineClient("token")
    >>> with responses.RequestsMock() as mock:
    ...     _ = mock.post("https://api.line.me/v2/oauth/accessToken",
    ...                   json={"access_token": "new-token", "expires_in": 2592000,
    ...                         "token_type": "Bearer"})
    ...     issued = line.tokens.issue_short_lived("1234567890", "channel-secret")
    >>> issued
    IssuedToken(access_token=Secret('********'), expires_in=2592000, token_type='Bearer', key_id=None)
"""  # noqa: E501

from __future__ import annotations

from typing import Final

from line_braze._client import BaseService
from line_braze._secret import Secret, as_secret
from line_braze._transport import Retry
from line_braze.errors import ValidationError
from line_braze.line.responses import IssuedToken, TokenInfo, issued_token, reads

__all__ = ["JWT_BEARER", "TokenLike", "Tokens"]

JWT_BEARER: Final = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
TokenLike = str | Secret | IssuedToken

_ISSUE_HINT: Final = (
    "check the channel ID and channel secret (LINE Developers Console, Basic settings)"
)
_ISSUE_JWT_HINT: Final = (
    "check the JWT assertion: signed with the channel's assertion-signing key (RS256), "
    "kid registered in the console, expiring within 30 minutes"
)
_VERIFY_HINT: Final = "the token is invalid, expired or revoked"


def _channel_id(value: str | int) -> str:
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if not isinstance(text, str) or not text.isdigit():
        raise ValidationError("channel_id", "must be the channel's numeric ID")
    return text


def _token(value: TokenLike, *, name: str = "access_token") -> Secret:
    if isinstance(value, IssuedToken):
        return value.access_token
    return as_secret(value, name=name)


class Tokens(BaseService):
    """Issue, verify and revoke channel access tokens. Reach it as ``line.tokens``.

    These calls do not use the client's own token; any `LineClient` can make them.
    """

    def issue_short_lived(self, channel_id: str | int, channel_secret: str | Secret) -> IssuedToken:
        """Issue a short-lived token (30 days; at most 30 live per channel).

        ``POST /v2/oauth/accessToken`` with ``grant_type=client_credentials``.

        Raises:
            line_braze.errors.ValidationError: empty or malformed credentials; nothing sent.
            line_braze.errors.BadRequest: LINE refused the credentials.
        """
        form = {
            "grant_type": "client_credentials",
            "client_id": _channel_id(channel_id),
            "client_secret": as_secret(channel_secret, name="channel_secret").reveal(),
        }
        return self._issue("/v2/oauth/accessToken", form, _ISSUE_HINT)

    def issue_stateless(
        self,
        channel_id: str | int | None = None,
        channel_secret: str | Secret | None = None,
        *,
        client_assertion: str | Secret | None = None,
    ) -> IssuedToken:
        """Issue a stateless token (15 minutes; cannot be revoked; no cap).

        ``POST /oauth2/v3/token``, with either the channel ID and secret or a JWT
        ``client_assertion``, not both.

        Raises:
            line_braze.errors.ValidationError: neither or both kinds of credential.
            line_braze.errors.BadRequest: LINE refused the credentials.
        """
        by_secret = channel_id is not None or channel_secret is not None
        if by_secret == (client_assertion is not None):
            raise ValidationError(
                "client_assertion",
                "pass either channel_id and channel_secret, or client_assertion (not both)",
            )
        if client_assertion is not None:
            form = {
                "grant_type": "client_credentials",
                "client_assertion_type": JWT_BEARER,
                "client_assertion": as_secret(client_assertion, name="client_assertion").reveal(),
            }
            return self._issue("/oauth2/v3/token", form, _ISSUE_JWT_HINT)
        if channel_id is None or channel_secret is None:
            raise ValidationError(
                "channel_secret" if channel_id is not None else "channel_id",
                "channel_id and channel_secret go together",
            )
        form = {
            "grant_type": "client_credentials",
            "client_id": _channel_id(channel_id),
            "client_secret": as_secret(channel_secret, name="channel_secret").reveal(),
        }
        return self._issue("/oauth2/v3/token", form, _ISSUE_HINT)

    def issue_v21(self, client_assertion: str | Secret) -> IssuedToken:
        """Issue a v2.1 token from a signed JWT assertion (``POST /oauth2/v2.1/token``).

        The expiry is the one the JWT's ``token_exp`` asks for; ``key_id`` is set.
        """
        form = {
            "grant_type": "client_credentials",
            "client_assertion_type": JWT_BEARER,
            "client_assertion": as_secret(client_assertion, name="client_assertion").reveal(),
        }
        return self._issue("/oauth2/v2.1/token", form, _ISSUE_JWT_HINT)

    def verify(self, access_token: TokenLike) -> TokenInfo:
        """Verify a long-lived or short-lived token (``POST /v2/oauth/verify``).

        Raises:
            line_braze.errors.BadRequest: the token is invalid, expired or revoked.
        """
        path = "/v2/oauth/verify"
        return self._transport.fetch(
            "POST",
            path,
            into=reads(TokenInfo),
            form={"access_token": _token(access_token).reveal()},
            auth=False,
            retry=Retry.SAFE,
            hints={400: _VERIFY_HINT},
        )

    def verify_v21(self, access_token: TokenLike) -> TokenInfo:
        """Verify a v2.1 token (``GET /oauth2/v2.1/verify``).

        Raises:
            line_braze.errors.BadRequest: the token is invalid, expired or revoked.
        """
        path = "/oauth2/v2.1/verify"
        return self._transport.fetch(
            "GET",
            path,
            into=reads(TokenInfo),
            params={"access_token": _token(access_token).reveal()},
            auth=False,
            retry=Retry.SAFE,
            hints={400: _VERIFY_HINT},
        )

    def revoke(self, access_token: TokenLike) -> None:
        """Revoke a long-lived or short-lived token (``POST /v2/oauth/revoke``).

        Revoking twice is harmless, so this call is retried like a read.
        """
        self._transport.request(
            "POST",
            "/v2/oauth/revoke",
            form={"access_token": _token(access_token).reveal()},
            auth=False,
            retry=Retry.SAFE,
        )

    def revoke_v21(
        self, access_token: TokenLike, *, channel_id: str | int, channel_secret: str | Secret
    ) -> None:
        """Revoke a v2.1 token (``POST /oauth2/v2.1/revoke``)."""
        self._transport.request(
            "POST",
            "/oauth2/v2.1/revoke",
            form={
                "client_id": _channel_id(channel_id),
                "client_secret": as_secret(channel_secret, name="channel_secret").reveal(),
                "access_token": _token(access_token).reveal(),
            },
            auth=False,
            retry=Retry.SAFE,
        )

    def _issue(self, path: str, form: dict[str, str], hint: str) -> IssuedToken:
        return self._transport.fetch(
            "POST",
            path,
            into=issued_token,
            form=form,
            auth=False,
            retry=Retry.UNRECORDED,
            hints={400: hint, 401: hint},
        )
