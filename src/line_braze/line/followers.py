"""Follower IDs, streamed page by page (``GET /v2/bot/followers/ids``).

Example:
    >>> import responses
    >>> from line_braze.line.client import LineClient
    >>> line = LineClient("token")
    >>> with responses.RequestsMock() as mock:
    ...     _ = mock.get("https://api.line.me/v2/bot/followers/ids",
    ...                  json={"userIds": ["U" + "1" * 32, "U" + "2" * 32]})
    ...     [uid[:3] for uid in line.followers.iter_ids()]
    ['U11', 'U22']
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Final

import attrs

from line_braze._client import BaseService
from line_braze._transport import Retry
from line_braze.errors import ResponseError, ValidationError
from line_braze.pagination import Page

__all__ = ["FOLLOWERS_403_HINT", "FollowerPage", "Followers", "follower_page"]

_PATH: Final = "/v2/bot/followers/ids"
MAX_LIMIT: Final = 1000

#: Appended to a 403 from the follower-IDs endpoint.
FOLLOWERS_403_HINT: Final = (
    "LINE lets only verified or premium accounts get follower IDs; collect user IDs from "
    "follow webhooks instead (line_braze.line.webhook, FollowEvent)"
)


@attrs.frozen(kw_only=True)
class FollowerPage(Page[str]):
    """One page of follower IDs and the token of the next page.

    A `line_braze.pagination.Page` whose items are user IDs. Save ``next`` to resume a job
    with ``line.followers.iter_ids(start=page.next)``.

    Example:
        >>> page = FollowerPage(items=("U" + "0" * 32,), next="tok")
        >>> len(page.user_ids), page.next
        (1, 'tok')
    """

    @property
    def user_ids(self) -> tuple[str, ...]:
        """The follower IDs on this page."""
        return tuple(self.items)


def follower_page(body: Any, *, method: str, path: str, status: int) -> FollowerPage:
    """Return the `FollowerPage` of a ``/v2/bot/followers/ids`` answer.

    Checked by hand rather than through the converter: it is the hot path of a follower
    sync (up to 1000 IDs a page), and a type check per ID is all it needs. It lives here,
    beside the service, so that a sync never imports the response catalogue or cattrs.
    """
    if not isinstance(body, Mapping):
        shown = "empty" if body is None else type(body).__name__
        raise ResponseError("line", method, path, status, f"expected a JSON object, got {shown}")
    ids = body.get("userIds")
    if not isinstance(ids, list) or not all(type(i) is str for i in ids):
        raise ResponseError(
            "line",
            method,
            path,
            status,
            "unexpected answer: expected a list of strings @ $.userIds",
        )
    token = body.get("next")
    if token is not None and not isinstance(token, str):
        raise ResponseError(
            "line", method, path, status, "unexpected answer: expected a string @ $.next"
        )
    return FollowerPage(items=tuple(ids), next=token or None)


class Followers(BaseService):
    """The follower-IDs endpoint as lazy streams. Reach it as ``line.followers``.

    Nothing is fetched until you iterate, and page *n+1* only when you reach it, so a
    million followers never sit in memory. Reads are retried (``Retry.SAFE``).
    """

    def page(self, start: str | None = None, *, limit: int = MAX_LIMIT) -> FollowerPage:
        """Fetch one page of follower IDs.

        Args:
            start: the ``next`` token of the previous page, or ``None`` for the first page.
            limit: at most this many IDs, 1 to 1000.

        Raises:
            line_braze.errors.ValidationError: ``limit`` or ``start`` is out of range.
            line_braze.errors.PermissionDenied: the account is neither verified nor premium.
        """
        _check(start, limit)
        return self._fetch(start, limit)

    def pages(self, start: str | None = None, *, limit: int = MAX_LIMIT) -> Iterator[FollowerPage]:
        """Yield pages of follower IDs, fetching each only when the caller gets to it.

        Save ``page.next`` after handling a page to resume later with ``start=``.

        Args:
            start: a saved ``next`` token to resume from.
            limit: IDs per page, 1 to 1000.

        Raises:
            line_braze.errors.ValidationError: at call time, for a bad ``limit`` or ``start``.
        """
        _check(start, limit)
        return self._pages(start, limit)

    def iter_ids(self, start: str | None = None, *, limit: int = MAX_LIMIT) -> Iterator[str]:
        """Yield every follower ID, one at a time, fetching pages lazily.

        Args:
            start: a saved ``next`` token to resume from.
            limit: IDs per request, 1 to 1000.

        Raises:
            line_braze.errors.ValidationError: at call time, for a bad ``limit`` or ``start``.
        """
        _check(start, limit)
        return self._ids(start, limit)

    def _pages(self, start: str | None, limit: int) -> Iterator[FollowerPage]:
        token = start
        while True:
            page = self._fetch(token, limit)
            yield page
            if page.next is None or page.next == token:
                return
            token = page.next

    def _ids(self, start: str | None, limit: int) -> Iterator[str]:
        for page in self._pages(start, limit):
            yield from page.items

    def _fetch(self, start: str | None, limit: int) -> FollowerPage:
        params: dict[str, str | int] = {"limit": limit}
        if start is not None:
            params["start"] = start
        return self._transport.fetch(
            "GET",
            _PATH,
            into=follower_page,
            params=params,
            retry=Retry.SAFE,
            hints={403: FOLLOWERS_403_HINT},
        )


def _check(start: str | None, limit: int) -> None:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise ValidationError("limit", f"must be an int from 1 to {MAX_LIMIT}, got {limit!r}")
    if start is not None and (not isinstance(start, str) or not start):
        raise ValidationError("start", "must be a non-empty `next` token from a previous page")
