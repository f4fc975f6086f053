"""User profiles (``GET /v2/bot/profile/{userId}``).

Example:
    >>> import responses
    >>> from line_braze.line.client import LineClient
    >>> line = LineClient("token")
    >>> uid = "U" + "a" * 32
    >>> with responses.RequestsMock() as mock:
    ...     _ = mock.get(f"https://api.line.me/v2/bot/profile/{uid}",
    ...                  json={"userId": uid, "displayName": "Mina", "language": "ja"})
    ...     line.profiles.get(uid).display_name
    'Mina'
"""

from __future__ import annotations

from typing import Final

from line_braze._client import BaseService
from line_braze._transport import Retry
from line_braze.line.messages import check_user_id
from line_braze.line.responses import Profile, reads

__all__ = ["PROFILE_404_HINT", "Profiles"]

#: Appended to a 404 from the profile endpoint.
PROFILE_404_HINT: Final = (
    "LINE returns 404 when the user does not exist, is not a friend of the account, "
    "has blocked it, or has not consented to share the profile"
)


class Profiles(BaseService):
    """Read user profiles. Reach it as ``line.profiles``."""

    def get(self, user_id: str) -> Profile:
        """Return a user's profile.

        Args:
            user_id: a LINE user ID (``U`` + 32 hex).

        Raises:
            line_braze.errors.ValidationError: not a user ID; nothing sent.
            line_braze.errors.NotFound: not a friend, blocked, or no consent (see the hint).
        """
        check_user_id(user_id)
        path = f"/v2/bot/profile/{user_id}"
        return self._transport.fetch(
            "GET", path, into=reads(Profile), retry=Retry.SAFE, hints={404: PROFILE_404_HINT}
        )
