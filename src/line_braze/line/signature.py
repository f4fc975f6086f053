"""LINE webhook signatures: ``X-Line-Signature`` computed and checked over the raw body.

LINE signs every webhook request: ``X-Line-Signature`` is the base64 HMAC-SHA256 of the raw
request body, keyed with the channel secret. Check it over the bytes exactly as received
(never a re-serialisation), in constant time; `line_braze.line.webhook.parse_webhook` does
this, then parses.

Example:
    >>> sig = compute_signature(b'{"events":[]}', "s3cret")
    >>> verify_signature(b'{"events":[]}', sig, "s3cret"), verify_signature(b"{}", sig, "s3cret")
    (True, False)
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from typing import Final

from line_braze._secret import Secret
from line_braze.errors import ValidationError

__all__ = ["SIGNATURE_HEADER", "Body", "compute_signature", "verify_signature"]

#: A raw request body: what web frameworks hand over (``bytes``, or a buffer of them).
Body = bytes | bytearray | memoryview

#: The request header carrying LINE's signature.
SIGNATURE_HEADER: Final = "X-Line-Signature"

_DIGEST_SIZE: Final = hashlib.sha256().digest_size


def _body_bytes(body: object) -> bytes:
    if isinstance(body, bytes):
        return body
    if isinstance(body, (bytearray, memoryview)):
        return bytes(body)
    raise ValidationError(
        "body",
        f"must be the raw request body as bytes, got {type(body).__name__} "
        "(in Flask: request.get_data(); the signature covers the exact bytes)",
    )


def _secret_key(channel_secret: object) -> bytes:
    if isinstance(channel_secret, Secret):
        value = channel_secret.reveal()
    elif isinstance(channel_secret, str):
        value = channel_secret
    else:
        raise ValidationError(
            "channel_secret",
            f"must be a str or line_braze.Secret, got {type(channel_secret).__name__}",
        )
    if not value:
        raise ValidationError("channel_secret", "must not be empty")
    if value != value.strip():
        raise ValidationError(
            "channel_secret",
            "has leading or trailing whitespace (a pasted secret often ends in a newline)",
        )
    return value.encode()


def compute_signature(body: Body, channel_secret: str | Secret) -> str:
    """Return the ``X-Line-Signature`` LINE would send with ``body``.

    Args:
        body: the exact request body bytes.
        channel_secret: the channel secret (a `line_braze.Secret` or a plain string).

    Raises:
        line_braze.errors.ValidationError: ``body`` is not bytes, or the secret is empty.

    Example:
        >>> compute_signature(b"bodybodybodybody", "channel_secret")
        '/gg9a+LvFevTH1sd7XCQycD7tsWclCsInj7MhBHxN7k='
    """
    digest = hmac.digest(_secret_key(channel_secret), _body_bytes(body), "sha256")
    return base64.b64encode(digest).decode("ascii")


def verify_signature(
    body: Body, signature: str | bytes | None, channel_secret: str | Secret
) -> bool:
    """Return whether ``signature`` is LINE's signature of ``body``, compared in constant time.

    Anything that is not the base64 of a 32-byte digest (a missing header, garbage, the
    wrong length) is simply ``False``.

    Args:
        body: the raw request body, exactly as received (not re-serialised JSON).
        signature: the ``X-Line-Signature`` header value (``None`` if it was missing).
        channel_secret: the channel secret (a `line_braze.Secret` or a plain string).

    Raises:
        line_braze.errors.ValidationError: ``body`` is not bytes (a decoded ``str`` is
            refused: the signature covers bytes), or the secret is empty.

    Example:
        >>> sig = "/gg9a+LvFevTH1sd7XCQycD7tsWclCsInj7MhBHxN7k="
        >>> verify_signature(b"bodybodybodybody", sig, "channel_secret")
        True
        >>> verify_signature(b"bodybodybodybody", "invalid_signature", "channel_secret")
        False
    """
    raw = _body_bytes(body)
    key = _secret_key(channel_secret)
    if signature is None:
        return False
    if isinstance(signature, str):
        signature = signature.strip()
    try:
        given = base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError, TypeError):
        return False
    if len(given) != _DIGEST_SIZE:
        return False
    return hmac.compare_digest(given, hmac.digest(key, raw, "sha256"))
