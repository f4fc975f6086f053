"""The session plumbing a client-made `requests.Session` gets: pool adapter, environment once."""

from __future__ import annotations

import os
from typing import Any, Final

import requests
import requests.adapters

__all__ = ["CachingAdapter", "settle_environment"]

_TLS_ATTRS: Final = ("cert_reqs", "ca_certs", "ca_cert_dir", "cert_file", "key_file")


class CachingAdapter(requests.adapters.HTTPAdapter):
    """An `HTTPAdapter` that checks the CA bundle and client cert paths once, not per request.

    requests calls ``os.path.isdir``/``exists`` on the CA bundle for every request when
    ``verify`` is a path (``REQUESTS_CA_BUNDLE`` set, as in most corporate setups): an
    eighth of a follower sync's CPU. Both hooks below are the ones requests documents for
    subclasses; the answers are remembered for the adapter's life (a bundle deleted while
    the client runs is noticed only by TLS itself).
    """

    def __init__(self, **kwargs: Any) -> None:
        """Build the adapter; ``kwargs`` as for `requests.adapters.HTTPAdapter`."""
        super().__init__(**kwargs)
        self._ca_is_dir: dict[str, bool] = {}
        self._tls: dict[tuple[bool, object, object], dict[str, Any]] = {}

    def build_connection_pool_key_attributes(
        self, request: requests.PreparedRequest, verify: bool | str, cert: Any = None
    ) -> tuple[Any, Any]:
        """Pool key attributes as requests builds them, with the ``isdir`` check cached."""
        parent: Any = super()
        if not isinstance(verify, str):
            return parent.build_connection_pool_key_attributes(request, verify, cert)  # type: ignore[no-any-return]
        is_dir = self._ca_is_dir.get(verify)
        if is_dir is None:
            is_dir = self._ca_is_dir[verify] = os.path.isdir(verify)  # noqa: PTH112
        host, pool = parent.build_connection_pool_key_attributes(request, True, cert)  # noqa: FBT003
        pool["ca_cert_dir" if is_dir else "ca_certs"] = verify
        return host, pool

    def cert_verify(self, conn: Any, url: str, verify: bool | str, cert: Any) -> None:
        """Set the connection's TLS settings as requests does, checking paths once."""
        key = (url[:5].lower() == "https", verify, tuple(cert) if isinstance(cert, list) else cert)
        known = self._tls.get(key)
        if known is None:
            parent: Any = super()
            parent.cert_verify(conn, url, verify, cert)
            self._tls[key] = {name: getattr(conn, name, None) for name in _TLS_ATTRS}
            return
        for name, value in known.items():
            setattr(conn, name, value)


def settle_environment(session: requests.Session, base_url: str) -> None:
    """Read proxy and CA-bundle settings from the environment once, not on every request.

    With ``trust_env`` on, requests re-reads proxy variables, ``.netrc`` and the CA bundle
    for every request (0.3-0.5 ms each, a tenth of a follower sync's CPU). The same
    settings are read here, once, for the client's host; the Authorization header is ours,
    so ``.netrc`` never applied. A session passed in by the caller is left as it is.
    """
    session.proxies.update(requests.utils.get_environ_proxies(base_url))
    bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    if bundle:
        session.verify = bundle
    session.trust_env = False
