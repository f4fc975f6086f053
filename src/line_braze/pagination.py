"""Pages and lazy iterators: a million followers never sit in one list."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Generic, TypeVar

import attrs

__all__ = ["Page", "batched", "iter_pages"]

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class Page(Generic[T]):
    """One page of results and the token of the next one.

    Attributes:
        items: the items on this page.
        next: the token to fetch the next page, or ``None`` on the last page. Saving it lets a
            job resume after this page.

    Example:
        >>> page = Page(items=("U1", "U2"), next="tok")
        >>> len(page), page.has_next
        (2, True)
    """

    items: Sequence[T] = attrs.field(repr=lambda items: f"<{len(items)} items>")
    next: str | None = None

    @property
    def has_next(self) -> bool:
        """Whether another page follows."""
        return self.next is not None

    def __len__(self) -> int:
        """Return the number of items on the page."""
        return len(self.items)

    def __iter__(self) -> Iterator[T]:
        """Iterate over the page's items."""
        return iter(self.items)


def iter_pages(
    fetch: Callable[[str | None], Page[T]], start: str | None = None
) -> Iterator[Page[T]]:
    """Yield pages lazily: page *n+1* is fetched only when the caller asks for it.

    Args:
        fetch: returns the page for a token (``None`` for the first page).
        start: a saved ``next`` token to resume from.

    Example:
        >>> pages = {None: Page(items=(1, 2), next="b"), "b": Page(items=(3,), next=None)}
        >>> [list(p) for p in iter_pages(pages.__getitem__)]
        [[1, 2], [3]]
    """
    token = start
    while True:
        page = fetch(token)
        yield page
        if page.next is None or page.next == token:
            return
        token = page.next


def batched(iterable: Iterable[T], size: int) -> Iterator[tuple[T, ...]]:
    """Yield tuples of at most ``size`` items, streaming (the stdlib's, for Python < 3.12).

    Example:
        >>> list(batched(range(5), 2))
        [(0, 1), (2, 3), (4,)]
    """
    if size < 1:
        msg = "size must be >= 1"
        raise ValueError(msg)
    iterator = iter(iterable)
    while chunk := tuple(itertools.islice(iterator, size)):
        yield chunk
