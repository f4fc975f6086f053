"""The webhook mirror: LINE follows and unfollows kept in step in Braze.

This module owns the contract between the mirror and the store that remembers what it did.
An event store answers two questions for every webhook delivery, whichever worker gets it:

* was this ``webhookEventId`` already *written* (a redelivery to skip)?
* what is the newest follow/unfollow already applied for this user (so an older,
  redelivered or out-of-order event is skipped as stale)?

An event counts as handled only once its Braze write succeeded: `EventStore.mark_handled`
and `EventStore.advance` are called after the write, never before, so a failed write is
redelivered by LINE and written then.

Example:
    >>> state = AppliedState(timestamp=1_700_000_000_000, following=False)
    >>> state.newer_than(AppliedState(timestamp=1_600_000_000_000, following=True))
    True
"""

from __future__ import annotations

from typing import Protocol

import attrs

__all__ = ["AppliedState", "EventStore"]


@attrs.frozen(kw_only=True)
class AppliedState:
    """The newest follow or unfollow applied to one LINE user.

    Attributes:
        timestamp: the LINE event's ``timestamp`` (milliseconds since the epoch).
        following: ``True`` for a follow, ``False`` for an unfollow.
    """

    timestamp: int
    following: bool

    def newer_than(self, other: AppliedState | None) -> bool:
        """Return whether this state should replace ``other`` (strictly later, or no other)."""
        return other is None or self.timestamp > other.timestamp


class EventStore(Protocol):
    """Remembers handled webhook events and the newest state applied per user.

    Implementations must be safe to call from many threads (and, for shared stores such as
    `line_braze.redis.RedisEventStore`, from many processes). The in-memory
    `BoundedEventStore` keeps a bounded number of entries.
    """

    def is_handled(self, event_id: str) -> bool:
        """Return whether the event with this ``webhookEventId`` was already written."""
        ...

    def mark_handled(self, event_id: str) -> None:
        """Record that this event was written (called only after its write succeeded)."""
        ...

    def last_applied(self, user_id: str) -> AppliedState | None:
        """Return the newest follow/unfollow applied for ``user_id``, or ``None``."""
        ...

    def advance(self, user_id: str, state: AppliedState) -> AppliedState | None:
        """Store ``state`` for ``user_id`` atomically if it is newer than the stored one.

        Returns:
            ``None`` when ``state`` was stored; otherwise the stored state, whose timestamp
            is equal or later (compare-and-set lost: the caller's write is stale).
        """
        ...
