"""Braze REST hosts: instance names, accepted host patterns and the URL check.

A Braze workspace lives on one instance ("US-03", "EU-01", ...); a REST API key sent to
another instance answers 401, so `BrazeClient` has no default endpoint.

Example:
    >>> resolve_rest_endpoint("us-03")
    'https://rest.iad-03.braze.com'
    >>> resolve_rest_endpoint("https://rest.fra-01.braze.eu/")
    'https://rest.fra-01.braze.eu'
    >>> resolve_rest_endpoint("http://127.0.0.1:8080")
    'http://127.0.0.1:8080'
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Mapping
from typing import Final

from line_braze._transport import check_base_url, is_loopback_host
from line_braze.errors import ValidationError

__all__ = ["BRAZE_INSTANCES", "resolve_rest_endpoint"]

#: Documented instance names (upper case) and their REST endpoints (FACTS.md section 5).
BRAZE_INSTANCES: Final[Mapping[str, str]] = {
    **{f"US-0{n}": f"https://rest.iad-0{n}.braze.com" for n in range(1, 9)},
    "US-10": "https://rest.us-10.braze.com",
    "EU-01": "https://rest.fra-01.braze.eu",
    "EU-02": "https://rest.fra-02.braze.eu",
    "AU-01": "https://rest.au-01.braze.com",
    "ID-01": "https://rest.id-01.braze.com",
    "JP-01": "https://rest.jp-01.braze.com",
    "KR-01": "https://rest.kr-01.braze.com",
}

_HOST: Final = re.compile(r"rest\.[a-z0-9][a-z0-9-]*\.braze\.(?:com|eu)")
_WHAT_TO_DO: Final = (
    "use your workspace's instance name (US-01..US-08, US-10, EU-01, EU-02, AU-01, ID-01, "
    "JP-01, KR-01) or its REST endpoint https://rest.<cluster>.braze.com (or .eu), as shown "
    "in the dashboard under Settings > APIs and Identifiers"
)


def resolve_rest_endpoint(value: str, *, name: str = "rest_endpoint") -> str:
    """Return the REST base URL for an instance name or a Braze REST URL.

    Accepted: an instance name (case-insensitive), ``https://rest.<cluster>.braze.com``
    or ``.braze.eu`` (no path), and ``http(s)://`` loopback URLs for test servers.

    Args:
        value: the instance name or URL.
        name: the parameter name used in the error.

    Raises:
        line_braze.errors.ValidationError: anything else, saying what to pass instead.

    Example:
        >>> resolve_rest_endpoint("EU-01")
        'https://rest.fra-01.braze.eu'
        >>> resolve_rest_endpoint("https://api.example.com")
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: rest_endpoint: 'api.example.com' is not a Braze REST host; use your workspace's instance name (US-01..US-08, US-10, EU-01, EU-02, AU-01, ID-01, JP-01, KR-01) or its REST endpoint https://rest.<cluster>.braze.com (or .eu), as shown in the dashboard under Settings > APIs and Identifiers
    """  # noqa: E501
    checked: object = value
    if not isinstance(checked, str) or not value.strip():
        raise ValidationError(name, f"must not be empty; {_WHAT_TO_DO}")
    text = value.strip()
    instance = BRAZE_INSTANCES.get(text.upper())
    if instance is not None:
        return instance
    if "://" not in text:
        raise ValidationError(name, f"{text!r} is not a known Braze instance; {_WHAT_TO_DO}")
    try:
        host = (urllib.parse.urlsplit(text).hostname or "").lower()
    except ValueError:
        host = ""
    # A real host is checked first, so that no message suggests a URL refused next.
    if host and not is_loopback_host(host) and not _HOST.fullmatch(host):
        raise ValidationError(name, f"{host!r} is not a Braze REST host; {_WHAT_TO_DO}")
    if host and not is_loopback_host(host) and text.lower().startswith("http://"):
        raise ValidationError(
            name,
            "plain http is allowed only for loopback hosts (127.0.0.0/8, localhost, ::1); "
            f"use https://{host}",
        )
    url = check_base_url(value, name=name)  # unstripped: padding around a URL is refused
    parts = urllib.parse.urlsplit(url)
    if is_loopback_host(host):
        return url
    if parts.path not in {"", "/"} or parts.port not in {None, 443}:
        raise ValidationError(
            name, f"give the REST endpoint without a path or port (https://{host})"
        )
    return f"https://{host}"
