"""Argument checks both clients share: lists of items, booleans, non-empty strings.

A parameter that takes a list is easy to misuse in Python: a bare ``str`` is iterable, so
``users.delete(external_ids="abc")`` would delete users ``a``, ``b`` and ``c``. `check_items`
refuses a bare ``str``, ``bytes`` or mapping where a list belongs, and checks every item
before the caller sends anything, so a `line_braze.errors.ValidationError` always means
nothing was sent. `check_bool` refuses a non-bool where a bool belongs
(``notification_disabled="no"`` is truthy).

Example:
    >>> check_items(["u1", "u2"], "external_ids", non_empty_str)
    ('u1', 'u2')
    >>> check_items("abc", "external_ids", non_empty_str)
    Traceback (most recent call last):
    ...
    line_braze.errors.ValidationError: external_ids: must be a list, not a single str
    >>> check_bool("no", "notification_disabled")
    Traceback (most recent call last):
    ...
    line_braze.errors.ValidationError: notification_disabled: must be True or False, got 'no'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any, TypeGuard, TypeVar

from line_braze.errors import ValidationError

__all__ = [
    "check_bool",
    "check_items",
    "check_mapping",
    "check_optional_bool",
    "is_bare",
    "is_line_user_id",
    "non_empty_str",
    "one_of",
]

T = TypeVar("T")

#: A LINE user ID: ``U`` and 32 lowercase hex digits.
_LINE_USER_ID = re.compile(r"U[0-9a-f]{32}")


def is_line_user_id(value: object) -> TypeGuard[str]:
    """Return whether ``value`` is a LINE user ID (``U`` + 32 lowercase hex).

    Example:
        >>> is_line_user_id("U" + "0" * 32), is_line_user_id("U123"), is_line_user_id(None)
        (True, False, False)
    """
    return isinstance(value, str) and _LINE_USER_ID.fullmatch(value) is not None


#: Iterable types that are one value, never a list of values.
_BARE: tuple[type, ...] = (str, bytes, bytearray, memoryview, Mapping)


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."  # noqa: PLR2004


def is_bare(value: object) -> bool:
    """Return whether ``value`` is one value that iterates (a str, bytes or mapping).

    Example:
        >>> is_bare("abc"), is_bare(b"abc"), is_bare({"a": 1}), is_bare(["abc"])
        (True, True, True, False)
    """
    return isinstance(value, _BARE)


def check_items(
    value: object,
    field: str,
    check: Callable[[Any, str], T],
    *,
    what: str = "a list",
) -> tuple[T, ...]:
    """Read ``value`` whole and return each item checked, or raise naming the field.

    Args:
        value: the argument: any iterable except a bare ``str``, ``bytes`` or mapping.
        field: the parameter's name; items are named ``field[n]``.
        check: called with each item and its field name; returns the item to use or raises
            `line_braze.errors.ValidationError`.
        what: what a list is called in the message (``"a list of user IDs"``).

    Raises:
        line_braze.errors.ValidationError: a bare value, a non-iterable, or a bad item.

    Example:
        >>> check_items(["u1", ""], "braze_ids", non_empty_str)
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: braze_ids[1]: must be a non-empty string, got ''
    """
    if is_bare(value) or not isinstance(value, Iterable):
        raise ValidationError(field, f"must be {what}, not a single {type(value).__name__}")
    return tuple(check(item, f"{field}[{n}]") for n, item in enumerate(value))


def non_empty_str(value: object, field: str) -> str:
    """Return ``value`` if it is a non-empty ``str``, else raise naming ``field``.

    Example:
        >>> non_empty_str(7, "external_ids[0]")
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: external_ids[0]: must be a non-empty string, got 7
    """
    if not isinstance(value, str) or not value:
        raise ValidationError(field, f"must be a non-empty string, got {_shown(value)}")
    return value


def check_mapping(value: object, field: str) -> Mapping[str, Any]:
    """Return ``value`` if it is a mapping (a JSON object), else raise naming ``field``.

    Example:
        >>> check_mapping(["a"], "merge_updates[0]")
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: merge_updates[0]: must be a mapping, got list
    """
    if not isinstance(value, Mapping):
        raise ValidationError(field, f"must be a mapping, got {type(value).__name__}")
    return value


def one_of(allowed: Collection[str]) -> Callable[[object, str], str]:
    """Return an item check accepting only the strings in ``allowed``.

    Example:
        >>> one_of(("identified", "unidentified"))("newest", "prioritization[0]")
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: prioritization[0]: must be one of identified, unidentified, got 'newest'
    """  # noqa: E501

    def check(value: object, field: str) -> str:
        if not isinstance(value, str) or value not in allowed:
            raise ValidationError(
                field, f"must be one of {', '.join(allowed)}, got {_shown(value)}"
            )
        return value

    return check


def check_bool(value: object, field: str) -> bool:
    """Return ``value`` if it is ``True`` or ``False``, else raise naming ``field``.

    ``0``, ``1``, ``"no"`` and ``None`` are refused: each would be read as a bool the caller
    may not have meant.

    Example:
        >>> check_bool(True, "broadcast")
        True
    """
    if not isinstance(value, bool):
        raise ValidationError(field, f"must be True or False, got {_shown(value)}")
    return value


def check_optional_bool(value: object, field: str) -> bool | None:
    """Return ``value`` if it is ``None``, ``True`` or ``False``, else raise naming ``field``.

    Example:
        >>> check_optional_bool(None, "override_frequency_capping") is None
        True
    """
    return None if value is None else check_bool(value, field)
