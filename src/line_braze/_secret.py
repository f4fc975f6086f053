"""`Secret`: a holder for tokens and keys whose every display form is masked."""

from __future__ import annotations

from typing import Final

__all__ = ["Secret", "as_secret"]

_MASK: Final = "********"


class Secret:
    """A token, API key or channel secret that never shows itself.

    ``repr``, ``str``, ``format`` and pickling-by-repr all print a mask; the value is
    reachable only through `reveal`, which line_braze calls where it builds a header or
    a signature.

    Example:
        >>> s = Secret("my-channel-token")
        >>> s
        Secret('********')
        >>> f"{s}"
        '********'
        >>> s.reveal()
        'my-channel-token'
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        """Wrap ``value``; it must be a non-empty string without surrounding whitespace."""
        checked: object = value
        if not isinstance(checked, str):
            msg = f"a secret must be a str, got {type(checked).__name__}"
            raise TypeError(msg)
        self._value = value

    def reveal(self) -> str:
        """Return the secret value itself. Call it only where the value must travel."""
        return self._value

    def __repr__(self) -> str:
        """Return a masked repr."""
        return f"Secret({_MASK!r})"

    def __str__(self) -> str:
        """Return the mask."""
        return _MASK

    def __format__(self, spec: str) -> str:
        """Return the mask whatever the format spec."""
        return _MASK

    def __eq__(self, other: object) -> bool:
        """Compare by value, in constant time, with another secret or a plain string.

        ``block.content == token`` is how a user checks a stored token; the comparison
        reveals nothing but the answer.

        Example:
            >>> Secret("a") == Secret("a"), Secret("a") == "a", Secret("a") == "b"
            (True, True, False)
        """
        if isinstance(other, Secret):
            value = other._value
        elif isinstance(other, str):
            value = other
        else:
            return NotImplemented
        import hmac

        return hmac.compare_digest(self._value.encode(), value.encode())

    def __hash__(self) -> int:
        """Hash as the plain string does, consistent with equality to it."""
        return hash(self._value)

    def __bool__(self) -> bool:
        """Return whether the secret is non-empty."""
        return bool(self._value)

    def __reduce__(self) -> tuple[object, ...]:
        """Refuse to be pickled: a pickle would carry the token in clear text."""
        msg = "a Secret cannot be pickled"
        raise TypeError(msg)


def as_secret(value: str | Secret, *, name: str) -> Secret:
    """Return ``value`` as a `Secret`, refusing empty or whitespace-padded values.

    Args:
        value: a plain string or a `Secret`.
        name: what the value is, for the error message.

    Raises:
        line_braze.errors.ValidationError: the value is empty or has surrounding whitespace.

    Example:
        >>> as_secret("abc", name="channel_access_token")
        Secret('********')
    """
    from line_braze.errors import ValidationError

    secret = value if isinstance(value, Secret) else Secret(value)
    raw = secret.reveal()
    if not raw:
        raise ValidationError(name, "must not be empty")
    if raw != raw.strip():
        raise ValidationError(
            name, "has leading or trailing whitespace (a pasted token often ends in a newline)"
        )
    return secret
