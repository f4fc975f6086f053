"""Account linking: issue a link token, build the link URL with a random nonce.

The flow (LIMITS.md 3.4): issue a link token for the user (valid 10 minutes, once), send
the user to ``https://access.line.me/dialog/bot/accountLink?linkToken=...&nonce=...``, keep
the nonce next to your own user, and match it when the ``accountLink`` webhook arrives.

Example:
    >>> from line_braze.line.linking import AccountLink
    >>> link = AccountLink.build("LINKTOKEN", nonce="nonce-0123456789")
    >>> link.url
    'https://access.line.me/dialog/bot/accountLink?linkToken=LINKTOKEN&nonce=nonce-0123456789'
    >>> url, nonce = link
"""

from __future__ import annotations

import secrets
import urllib.parse
from typing import Final, NamedTuple

from line_braze._client import BaseService
from line_braze._transport import Retry
from line_braze.errors import ValidationError
from line_braze.line.messages import check_user_id
from line_braze.line.responses import link_token

__all__ = ["ACCOUNT_LINK_URL", "AccountLink", "Linking", "new_nonce"]

ACCOUNT_LINK_URL: Final = "https://access.line.me/dialog/bot/accountLink"
NONCE_MIN: Final = 10
NONCE_MAX: Final = 255


def new_nonce() -> str:
    """Return a fresh, unpredictable nonce (43 URL-safe characters, 256 random bits).

    Example:
        >>> len(new_nonce()), new_nonce() != new_nonce()
        (43, True)
    """
    return secrets.token_urlsafe(32)


class AccountLink(NamedTuple):
    """Where to send the user, and the nonce to remember. Unpacks as ``(url, nonce)``.

    Attributes:
        url: the account-link URL.
        nonce: the nonce in it; store it with your user and match the ``accountLink``
            webhook's ``link.nonce``. Use it once.
    """

    url: str
    nonce: str

    @classmethod
    def build(cls, link_token: str, *, nonce: str | None = None) -> AccountLink:
        """Build the URL for ``link_token``, with ``nonce`` or a fresh random one.

        Raises:
            line_braze.errors.ValidationError: empty token, or a nonce not of 10-255 chars.
        """
        if not isinstance(link_token, str) or not link_token.strip():
            raise ValidationError("link_token", "must be the non-empty token LINE issued")
        if nonce is None:
            nonce = new_nonce()
        elif not isinstance(nonce, str) or not NONCE_MIN <= len(nonce) <= NONCE_MAX:
            length = len(nonce) if isinstance(nonce, str) else type(nonce).__name__
            raise ValidationError(
                "nonce",
                f"must be {NONCE_MIN} to {NONCE_MAX} characters, got {length}; "
                "leave it out to get a random one",
            )
        query = urllib.parse.urlencode({"linkToken": link_token, "nonce": nonce})
        return cls(url=f"{ACCOUNT_LINK_URL}?{query}", nonce=nonce)


class Linking(BaseService):
    """Account-link tokens and URLs. Reach it as ``line.linking``."""

    def issue_link_token(self, user_id: str) -> str:
        """Issue a link token for a user (``POST /v2/bot/user/{userId}/linkToken``).

        The token is valid for 10 minutes and works once.

        Args:
            user_id: a LINE user ID (``U`` + 32 hex).

        Raises:
            line_braze.errors.ValidationError: not a user ID; nothing sent.
        """
        check_user_id(user_id)
        path = f"/v2/bot/user/{user_id}/linkToken"
        return self._transport.fetch("POST", path, into=link_token, retry=Retry.SAFE)

    def link_url(self, link_token: str, nonce: str | None = None) -> AccountLink:
        """Return the account-link URL and its nonce (random unless you pass one).

        Example:
            >>> from line_braze.line.client import LineClient
            >>> url, nonce = LineClient("token").linking.link_url("LT")
            >>> url.startswith("https://access.line.me/dialog/bot/accountLink?linkToken=LT&")
            True
        """
        return AccountLink.build(link_token, nonce=nonce)

    def start(self, user_id: str, nonce: str | None = None) -> AccountLink:
        """Issue a link token for ``user_id`` and return its URL and nonce in one step."""
        return self.link_url(self.issue_link_token(user_id), nonce=nonce)
