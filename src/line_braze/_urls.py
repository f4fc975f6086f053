"""Base URL checks shared by every client: https only, plain http for loopback hosts alone."""

from __future__ import annotations

import ipaddress
import urllib.parse
from typing import Final

from line_braze.errors import ValidationError

__all__ = ["check_base_url", "is_loopback_host"]


def is_loopback_host(host: str) -> bool:
    """Return whether ``host`` is ``localhost``, an address in 127.0.0.0/8, or ``::1``.

    Nothing else counts: not ``evil.localhost``, not ``localhost.``, not an IPv4-mapped
    IPv6 address.

    Example:
        >>> [is_loopback_host(h) for h in ("127.0.0.1", "127.9.9.9", "localhost", "[::1]")]
        [True, True, True, True]
        >>> [is_loopback_host(h) for h in ("api.line.me", "evil.localhost", "::ffff:127.0.0.1")]
        [False, False, False]
    """
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if host.lower() == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        return address == ipaddress.IPv6Address("::1")
    return address in _LOOPBACK_V4


_LOOPBACK_V4: Final = ipaddress.IPv4Network("127.0.0.0/8")


def check_base_url(url: str, *, name: str = "base_url") -> str:
    """Validate a service base URL and return it without a trailing slash.

    https is required; plain http is accepted only for loopback hosts, which the emulators use.
    Whitespace and control characters are refused anywhere in the URL (``urlsplit`` would
    quietly drop some of them).

    Raises:
        line_braze.errors.ValidationError: not an absolute http(s) URL, one with whitespace or
            control characters, or http to a host that is not loopback.

    Example:
        >>> check_base_url("https://api.line.me/")
        'https://api.line.me'
        >>> check_base_url("http://127.0.0.1:8080")
        'http://127.0.0.1:8080'
        >>> check_base_url("http://api.line.me")
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: base_url: plain http is allowed only for loopback hosts (127.0.0.0/8, localhost, ::1); use https://api.line.me
    """  # noqa: E501
    checked: object = url
    if not isinstance(checked, str):
        raise ValidationError(name, f"must be a str URL, got {type(checked).__name__}")
    bad = next((ch for ch in url if ch.isspace() or not ch.isprintable()), None)
    if bad is not None:
        raise ValidationError(
            name, f"must not contain whitespace or control characters, found {bad!r}"
        )
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError as exc:
        raise ValidationError(name, f"not a URL: {exc}") from None
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValidationError(name, f"must be an absolute https:// URL, got {url!r}")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValidationError(name, "must not carry a query, fragment or credentials")
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        safe = urllib.parse.urlunsplit(("https", parts.netloc, parts.path, "", "")).rstrip("/")
        raise ValidationError(
            name,
            "plain http is allowed only for loopback hosts (127.0.0.0/8, localhost, ::1); "
            f"use {safe}",
        )
    return url.rstrip("/")
