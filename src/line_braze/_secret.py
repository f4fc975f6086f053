"""`Secret`: a holder for tokens and keys whose every display form is masked."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, Final

__all__ = ["MASK", "Secret", "as_secret", "mask_in"]

MASK: Final = "********"

#: Credentials shorter than this are not looked for in answers: masking every "abc" in a
#: server's message would garble it, and no real token or key is that short.
MIN_MASKED_LENGTH: Final = 8


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
        return f"Secret({MASK!r})"

    def __str__(self) -> str:
        """Return the mask."""
        return MASK

    def __format__(self, spec: str) -> str:
        """Return the mask whatever the format spec."""
        return MASK

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
    """Return ``value`` as a `Secret`, refusing any value that cannot be an HTTP header value.

    Tokens, keys, channel secrets and JWT assertions are all printable ASCII without spaces;
    anything else (CR, LF and other control characters, spaces, non-ASCII letters, surrounding
    whitespace) is a pasting accident, or a header injection, and is refused here, before a
    request is built.

    Args:
        value: a plain string or a `Secret`.
        name: what the value is, for the error message.

    Raises:
        line_braze.errors.ValidationError: the value is empty, has surrounding whitespace, or
            holds a character other than printable ASCII. The message never shows the value.

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
    bad = next((i for i, ch in enumerate(raw) if not "!" <= ch <= "~"), None)
    if bad is not None:
        raise ValidationError(
            name,
            f"character {bad + 1} of {len(raw)} is {_describe(raw[bad])}; a credential is "
            "printable ASCII without spaces (copy it again from the console)",
        )
    return secret


def _describe(ch: str) -> str:
    if ch in {"\r", "\n"}:
        return "a line break"
    if ch.isspace():
        return "whitespace"
    if ord(ch) < 0x20 or ord(ch) == 0x7F:  # noqa: PLR2004 - ASCII control range
        return "a control character"
    return "not ASCII"


def mask_in(value: Any, secrets: Collection[str]) -> Any:
    """Return ``value`` with every occurrence of each of ``secrets`` replaced by `MASK`.

    Strings are searched, and the strings inside dicts, lists and tuples (keys included);
    other values are returned as they are. Secrets shorter than 8 characters are not looked
    for. What changes is copied; the input is never modified.

    Example:
        >>> mask_in({"message": "token my-secret-token expired"}, ["my-secret-token"])
        {'message': 'token ******** expired'}
    """
    wanted = [s for s in secrets if len(s) >= MIN_MASKED_LENGTH]
    if not wanted:
        return value
    return _mask(value, wanted)


def _mask(value: Any, secrets: list[str]) -> Any:
    if isinstance(value, str):
        for secret in secrets:
            if secret in value:
                value = value.replace(secret, MASK)
        return value
    if isinstance(value, dict):
        return {_mask(k, secrets): _mask(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(v, secrets) for v in value]
    if isinstance(value, tuple):
        return tuple(_mask(v, secrets) for v in value)
    return value
