"""Helpers the Braze services share: the answer reader, permission hints, lazy chunking."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Final

from line_braze.errors import ValidationError
from line_braze.pagination import batched

__all__ = ["MAX_IDS", "alias_wire", "chunks", "hints"]

#: Identity and send endpoints take at most 50 identifiers or recipients a request.
MAX_IDS: Final = 50


def hints(permission: str) -> dict[int, str]:
    """Return the per-call error hints for an endpoint needing ``permission``.

    Example:
        >>> hints("users.identify")[403]
        "if Braze says 'Access Denied', the REST API key lacks the permission 'users.identify' (a key's permissions cannot be edited: create a key that has it)"
    """  # noqa: E501
    return {
        403: f"if Braze says 'Access Denied', the REST API key lacks the permission "
        f"'{permission}' (a key's permissions cannot be edited: create a key that has it)"
    }


def chunks(items: Iterable[Any], size: int = MAX_IDS) -> Iterator[tuple[Any, ...]]:
    """Yield tuples of at most ``size`` items, lazily.

    Example:
        >>> [len(c) for c in chunks(range(120))]
        [50, 50, 20]
    """
    return batched(items, size)


def alias_wire(value: Any, field: str) -> dict[str, Any]:
    """Return a ``user_alias`` mapping from a `UserAlias` or a mapping, checked.

    Example:
        >>> alias_wire({"alias_name": "U1", "alias_label": "line_id"}, "user_alias")
        {'alias_name': 'U1', 'alias_label': 'line_id'}
    """
    from line_braze.braze.models import UserAlias

    if isinstance(value, UserAlias):
        return value.to_wire()
    if isinstance(value, Mapping):
        for part in ("alias_name", "alias_label"):
            if not isinstance(value.get(part), str) or not value.get(part):
                raise ValidationError(f"{field}.{part}", "must be a non-empty string")
        return dict(value)
    raise ValidationError(field, f"must be a UserAlias or a mapping, got {type(value).__name__}")
