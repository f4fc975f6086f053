"""The one HTTP transport every client shares: timeouts, the retry loop, masking, logs.

A `Transport` wraps a `requests.Session`. It is the only place that reveals a `Secret`
(to build the ``Authorization`` header), the only place that sleeps (through the injected
``sleep``), and the only place that turns HTTP answers into `line_braze.errors` exceptions:
a credential a server quotes back is masked there, in errors and in parsed bodies alike, and
no error it raises chains to requests' exceptions (which hold the request headers and URL).
Base URL checks live in `line_braze._urls` and are re-exported here.
"""

from __future__ import annotations

import enum
import json
import logging
import re
import urllib.parse
from collections.abc import Mapping
from typing import Any, Final, Literal, Protocol, TypeVar, cast

import attrs
import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from line_braze._adapter import CachingAdapter, settle_environment
from line_braze._logging import install_redacting_filter
from line_braze._options import (
    DEFAULT_RUNTIME,
    ClientOptions,
    Clock,
    Runtime,
    Timeout,
)
from line_braze._retry import RetryPolicy, parse_server_wait
from line_braze._secret import MIN_MASKED_LENGTH, Secret, mask_in
from line_braze._urls import check_base_url, is_loopback_host
from line_braze.errors import (
    APIError,
    ConnectError,
    ConnectionLost,
    LineBrazeError,
    RateLimited,
    RequestTimeout,
    ResponseError,
    TransportError,
    error_class_for_status,
)

__all__ = [
    "Clock",
    "Reader",
    "Response",
    "Retry",
    "Service",
    "Timeout",
    "Transport",
    "check_base_url",
    "is_loopback_host",
]

logger: Final = logging.getLogger("line_braze")
install_redacting_filter()

Service = Literal["line", "braze"]


T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Reader(Protocol[T_co]):
    """Turns a successful answer's parsed body into its type (``Transport.fetch(into=)``).

    Raises `line_braze.errors.ResponseError` (naming ``method``, ``path`` and ``status``)
    when the body is not the documented shape.
    """

    def __call__(self, body: Any, *, method: str, path: str, status: int) -> T_co:
        """Return the body as its type."""


class Retry(enum.Enum):
    """Which failures a request may be retried after.

    Attributes:
        SAFE: repeating it is harmless (reads, LINE sends with a retry key, Braze attribute
            updates): retry after connection errors, timeouts, lost answers and
            `RetryPolicy.retry_statuses`.
        UNRECORDED: repeating it could double an effect (Braze events and purchases): retry
            only where the server cannot have recorded it (connection refused, 429).
        NEVER: never retry.
    """

    SAFE = "safe"
    UNRECORDED = "unrecorded"
    NEVER = "never"


@attrs.frozen(kw_only=True)
class Response:
    """A successful answer, read.

    Attributes:
        status: HTTP status.
        headers: response headers (case-insensitive).
        body: parsed JSON, or ``None`` for an empty body.
        request_id: LINE's ``x-line-request-id``, if present.
        accepted_request_id: on a LINE send whose retry found the key already accepted
            (409), the request id of the attempt LINE accepted; else ``None``.
        attempts: attempts made, the successful one included.
    """

    status: int
    headers: Mapping[str, str] = attrs.field(repr=False)
    body: Any = attrs.field(repr=False)
    request_id: str | None = None
    accepted_request_id: str | None = None
    attempts: int = 1


class Transport:
    """Sends requests for one service over a shared `requests.Session`.

    Not public: clients own one and hand it to their services. Its options are one
    `ClientOptions`; how it sleeps, draws jitter and reads the clock is its ``runtime``
    (replaced in tests through `line_braze.testing.fake_time`, so tests never wait).
    """

    def __init__(
        self,
        *,
        service: Service,
        base_url: str,
        secret: Secret,
        options: ClientOptions,
        runtime: Runtime = DEFAULT_RUNTIME,
        session: requests.Session | None = None,
    ) -> None:
        """Create a transport; ``session`` (shared by a copy) overrides ``options.session``."""
        self.service: Service = service
        self.base_url = base_url
        self._secret = secret
        self.options = options
        self.runtime = runtime
        self._timeout = options.timeout.as_requests()
        self._base_headers = {"User-Agent": options.user_agent, "Accept": "application/json"}
        if session is None:
            session = options.session
        if session is None:
            session = requests.Session()
            adapter = CachingAdapter(
                pool_connections=4, pool_maxsize=options.pool_size, max_retries=0
            )
            session.mount("https://", adapter)
            session.mount("http://", adapter)
            settle_environment(session, base_url)
            self._owns_session = True
        else:
            self._owns_session = False
        self.session = session

    @property
    def timeout(self) -> Timeout:
        """Connect and read timeouts."""
        return self.options.timeout

    @property
    def retry(self) -> RetryPolicy:
        """The retry policy."""
        return self.options.retry

    @property
    def secret(self) -> Secret:
        """The credential (a masked `Secret`); revealed only to build the header."""
        return self._secret

    def replace_secret(self, secret: Secret) -> None:
        """Send ``secret`` from the next request on (one reference swap: thread-safe)."""
        self._secret = secret

    @property
    def owns_session(self) -> bool:
        """Whether `close` closes the session (only one this transport made)."""
        return self._owns_session

    def copy(self, options: ClientOptions) -> Transport:
        """Return a transport sharing this one's session and runtime, with ``options``."""
        return Transport(
            service=self.service,
            base_url=self.base_url,
            secret=self._secret,
            options=options,
            runtime=self.runtime,
            session=self.session,
        )

    def close(self) -> None:
        """Close the session if this transport created it."""
        if self._owns_session:
            self.session.close()

    def request(  # noqa: C901, PLR0912, PLR0915 - one retry loop, every outcome in one place
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        form: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        retry: Retry = Retry.SAFE,
        base_url: str | None = None,
        auth: bool = True,
        conflict_ok_on_retry: bool = False,
        hints: Mapping[int, str] | None = None,
    ) -> Response:
        """Send one logical request, retrying as ``retry`` allows; return the answer.

        Args:
            method: HTTP method.
            path: path below the base URL, starting with ``/``.
            params: query parameters.
            json_body: JSON-serialisable body.
            form: form fields (``application/x-www-form-urlencoded``).
            headers: extra headers, identical on every attempt (a retry key goes here).
            retry: which failures may be retried.
            base_url: another base URL for this call (LINE's data host).
            auth: send ``Authorization: Bearer``.
            conflict_ok_on_retry: a 409 on a retried attempt means an earlier attempt was
                accepted (LINE's retry key): return it as success.
            hints: a sentence to append to an error of a given status.

        Raises:
            line_braze.errors.APIError: an error status (after retries).
            line_braze.errors.TransportError: no answer (after retries).
            line_braze.errors.ResponseError: an answer that is not JSON.
        """
        url = (base_url or self.base_url) + path
        send_headers = self._base_headers.copy()
        if auth:
            send_headers["Authorization"] = "Bearer " + self._secret.reveal()
        data: bytes | str | None = None
        if json_body is not None:
            data = json.dumps(json_body, ensure_ascii=False, separators=(",", ":")).encode()
            send_headers["Content-Type"] = "application/json"
        elif form is not None:
            data = urllib.parse.urlencode(form)
            send_headers["Content-Type"] = "application/x-www-form-urlencoded"
        if headers:
            send_headers.update(headers)

        policy = self.options.retry
        session = self.session
        timeout = self._timeout
        secrets = self._credentials(params, form)
        prepared: requests.PreparedRequest | None = None
        direct = self._direct_adapter(session, url)
        attempt = 0
        while True:
            attempt += 1
            error: TransportError | None = None
            try:
                if direct is not None:
                    # Our own session, holding nothing requests would merge in: prepare
                    # the request once ourselves and hand it to the adapter, as
                    # Session.send does (``responses`` still mocks the adapter).
                    if prepared is None:
                        prepared = _prepare(method, url, params, data, send_headers, session)
                    raw = direct.send(
                        prepared,
                        stream=False,
                        timeout=timeout,
                        verify=cast("bool | str", session.verify),
                        cert=session.cert,
                        proxies=session.proxies,
                    )
                    raw.content  # noqa: B018 - read here, as Session.send does, so a cut answer is retried
                elif session.trust_env:
                    # A caller's session that reads the environment per request: let it.
                    raw = session.request(
                        method,
                        url,
                        params=params,
                        data=data,
                        headers=send_headers,
                        timeout=timeout,
                        allow_redirects=False,
                    )
                else:
                    # Environment settled once (see settle_environment): prepare the
                    # request once and send the same bytes on every attempt.
                    if prepared is None:
                        prepared = session.prepare_request(
                            requests.Request(
                                method, url, params=params, data=data, headers=send_headers
                            )
                        )
                    raw = session.send(prepared, timeout=timeout, allow_redirects=False)
            except requests.RequestException as exc:
                # requests' exception holds the prepared request (headers, URL with its
                # query): keep only our own error, raised below, outside this block, so
                # that not even __context__ leads back to it.
                error = self._transport_error(exc, method, path, attempt)
                network = isinstance(exc, _NETWORK_FAILURES)
            if error is not None:
                may_retry = network and (
                    retry is Retry.SAFE
                    or (retry is Retry.UNRECORDED and isinstance(error, ConnectError))
                )
                if not may_retry or attempt >= policy.attempts:
                    raise _masked(error, secrets)
                self._wait(method, path, None, attempt, None, type(error).__name__)
                continue
            try:
                status = raw.status_code
                resp_headers = raw.headers
                request_id = resp_headers.get("x-line-request-id")
                if 200 <= status < 300:  # noqa: PLR2004
                    return Response(
                        status=status,
                        headers=resp_headers,
                        body=self._json(raw, method, path, secrets=secrets),
                        request_id=request_id,
                        attempts=attempt,
                    )
                if status == 409 and conflict_ok_on_retry and attempt > 1:  # noqa: PLR2004
                    return Response(
                        status=status,
                        headers=resp_headers,
                        body=self._json(raw, method, path, strict=False, secrets=secrets),
                        request_id=request_id,
                        accepted_request_id=resp_headers.get("x-line-accepted-request-id"),
                        attempts=attempt,
                    )
                wait_hint = parse_server_wait(status, resp_headers, now=self.runtime.clock())
                if status != 429 and not policy.honours(wait_hint):  # noqa: PLR2004
                    wait_hint = None  # a far Retry-After on a 5xx: back off on our schedule
                retryable = status in policy.retry_statuses and (
                    retry is Retry.SAFE or (retry is Retry.UNRECORDED and status == 429)  # noqa: PLR2004
                )
                if retryable and attempt < policy.attempts and policy.honours(wait_hint):
                    self._wait(method, path, status, attempt, wait_hint, None)
                    continue
                raise _masked(
                    self._api_error(raw, method, path, attempt, wait_hint, hints), secrets
                )
            finally:
                raw.close()

    def fetch(self, method: str, path: str, *, into: Reader[T], **options: Any) -> T:
        """Send like `request` (``options`` are its keywords) and return the answer as its type.

        Raises:
            line_braze.errors.ResponseError: the answer is not the documented shape.
            line_braze.errors.APIError: as for `request`.
            line_braze.errors.TransportError: as for `request`.
        """
        resp = self.request(method, path, **options)
        return into(resp.body, method=method, path=path, status=resp.status)

    def _direct_adapter(self, session: requests.Session, url: str) -> BaseAdapter | None:
        """The adapter to send to directly, or ``None`` where only requests' path is right.

        Only for a session this transport made, while it holds nothing `prepare_request`
        would merge (cookies, auth, hooks, params) and the URL needs no requoting.
        """
        if (
            not self._owns_session
            or session.trust_env
            or session.auth is not None
            or session.params
            or len(session.cookies)
            or any(session.hooks.values())
            or not is_plain_url(url)
        ):
            return None
        return session.get_adapter(url)

    def _credentials(
        self, params: Mapping[str, Any] | None, form: Mapping[str, str] | None
    ) -> tuple[str, ...]:
        """The credentials a server might quote back: the client's own, and any the call sends."""
        found = [self._secret.reveal()]
        for fields in (params, form):
            if fields:
                found.extend(str(v) for k, v in fields.items() if k in _CREDENTIAL_FIELDS)
        return tuple(s for s in found if len(s) >= MIN_MASKED_LENGTH)

    def _wait(
        self,
        method: str,
        path: str,
        status: int | None,
        attempt: int,
        hint: float | None,
        cause: str | None,
    ) -> None:
        runtime = self.runtime
        seconds = self.options.retry.delay(attempt, retry_after=hint, rand=runtime.random())
        logger.info(
            "retrying %s %s %s after %s (attempt %d of %d) in %.2fs",
            self.service.upper(),
            method,
            path,
            status if status is not None else cause,
            attempt,
            self.options.retry.attempts,
            seconds,
        )
        runtime.sleep(seconds)

    def _transport_error(
        self, exc: requests.RequestException, method: str, path: str, attempt: int
    ) -> TransportError:
        if isinstance(exc, requests.ConnectTimeout):
            return ConnectError(self.service, method, path, "connect timed out", attempts=attempt)
        if isinstance(exc, requests.ReadTimeout):
            return RequestTimeout(
                self.service,
                method,
                path,
                "no answer in time; it may have taken effect",
                attempts=attempt,
            )
        if isinstance(exc, requests.ConnectionError) and _is_connect_failure(exc):
            return ConnectError(self.service, method, path, "connection failed", attempts=attempt)
        if isinstance(exc, requests.ConnectionError):
            return ConnectionLost(
                self.service,
                method,
                path,
                "connection lost before the answer; it may have taken effect",
                attempts=attempt,
            )
        return TransportError(
            self.service, method, path, f"request failed ({type(exc).__name__})", attempts=attempt
        )

    def _json(
        self,
        raw: requests.Response,
        method: str,
        path: str,
        *,
        strict: bool = True,
        secrets: tuple[str, ...] = (),
    ) -> Any:
        """Parse the body; a credential the server quotes in it comes back masked."""
        content = raw.content
        if not content.strip():
            return None
        try:
            body = json.loads(content)
        except ValueError:
            body = _NOT_JSON  # raised below: the decode error (holding the body) stays out
        if body is _NOT_JSON:
            if not strict:
                return None
            ctype = raw.headers.get("Content-Type", "no content type")
            raise ResponseError(
                self.service,
                method,
                path,
                raw.status_code,
                f"answer is not JSON ({ctype}, {len(content)} bytes)",
            )
        if any(_quoted(content, secret) for secret in secrets):
            return mask_in(body, secrets)
        return body

    def _api_error(
        self,
        raw: requests.Response,
        method: str,
        path: str,
        attempts: int,
        wait_hint: float | None,
        hints: Mapping[int, str] | None,
    ) -> APIError:
        status = raw.status_code
        body = self._json(raw, method, path, strict=False)  # masked by the caller, with the rest
        message = ""
        details: list[Mapping[str, Any]] = []
        errors: list[Any] = []
        if isinstance(body, dict):
            message = str(
                body.get("message") or body.get("error_description") or body.get("error") or ""
            )
            raw_details = body.get("details")
            if isinstance(raw_details, list):
                details = [d for d in raw_details if isinstance(d, dict)]
            raw_errors = body.get("errors")
            if isinstance(raw_errors, list):
                errors = raw_errors
        if not message:
            ctype = raw.headers.get("Content-Type", "no content type")
            size = len(raw.content)
            message = raw.reason or "error"
            if body is None and size:
                message += f" (body is not JSON: {ctype}, {size} bytes)"
        hint = (hints or {}).get(status) or _DEFAULT_HINTS.get((self.service, status))
        cls = error_class_for_status(status)
        if cls is RateLimited and wait_hint is not None and not self.retry.honours(wait_hint):
            hint = (
                f"the server asked to wait {wait_hint:.0f}s, longer than "
                f"RetryPolicy.max_retry_after={self.retry.max_retry_after:.0f}s"
            )
        return cls(
            self.service,
            method,
            path,
            status,
            message,
            details=details,
            errors=errors,
            request_id=raw.headers.get("x-line-request-id"),
            attempts=attempts,
            hint=hint,
            retry_after=wait_hint,
            accepted_request_id=raw.headers.get("x-line-accepted-request-id"),
        )


_DEFAULT_HINTS: Final[Mapping[tuple[str, int], str]] = {
    ("line", 401): "check the channel access token (expired, revoked or from another channel)",
    ("braze", 401): (
        "check the REST API key and that rest_endpoint is your workspace's instance "
        "(a key sent to the wrong instance answers 401)"
    ),
}


#: Failures on the way to or from the server; anything else requests raises (a bad URL or
#: header) fails the same way on every attempt, so it is never retried.
_NETWORK_FAILURES: Final = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)

#: Form and query fields that carry a credential (LINE's token endpoints).
_CREDENTIAL_FIELDS: Final = frozenset({"access_token", "client_secret", "client_assertion"})

_NOT_JSON: Final = object()


#: A URL requests would send unchanged (``requote_uri`` and IDNA leave it alone).
_PLAIN_URL: Final = re.compile(
    r"https?://[A-Za-z0-9.\-\[\]:]+(?:/[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*)?"
)


def is_plain_url(url: str) -> bool:
    """Whether requests would send ``url`` unchanged: no escapes, IDNA or dot segments."""
    return _PLAIN_URL.fullmatch(url) is not None and "/." not in url and "%" not in url


def _prepare(
    method: str,
    url: str,
    params: Mapping[str, Any] | None,
    data: bytes | str | None,
    headers: Mapping[str, str],
    session: requests.Session,
) -> requests.PreparedRequest:
    """Build the `PreparedRequest` that ``session.prepare_request`` would, for our own calls.

    Same URL (query encoded as requests encodes ``params``, ``None`` values dropped), same
    headers (the session's, then ours), same body and ``Content-Length``.
    """
    data = data or None  # requests sends an empty body as none
    if params:
        pairs = [
            (key, item)
            for key, value in params.items()
            for item in (value if isinstance(value, list | tuple) else (value,))
            if item is not None
        ]
        if pairs:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(pairs)
    merged: CaseInsensitiveDict[str] = CaseInsensitiveDict()
    for name, value in session.headers.items():
        if value is not None:
            merged[name] = value  # type: ignore[assignment]
    merged.update(headers)
    if data is not None:
        merged["Content-Length"] = str(len(data if isinstance(data, bytes) else data.encode()))
    elif method not in {"GET", "HEAD"}:
        merged["Content-Length"] = "0"
    prepared = requests.PreparedRequest()
    prepared.method = method
    prepared.url = url
    prepared.headers = merged
    prepared.body = data
    prepared.hooks = {"response": []}
    return prepared


def _quoted(content: bytes, secret: str) -> bool:
    """Whether a JSON body holds ``secret``, as it is or JSON-escaped."""
    escaped = json.dumps(secret)[1:-1]
    return any(form.encode() in content for form in {secret, escaped, escaped.replace("/", "\\/")})


def _masked(error: LineBrazeError, secrets: tuple[str, ...]) -> LineBrazeError:
    """Mask ``secrets`` in all ``error`` holds and shows (the one place errors are scrubbed)."""
    if secrets:
        for name, value in vars(error).items():
            setattr(error, name, mask_in(value, secrets))
        error.args = mask_in(error.args, secrets)
    return error


def _is_connect_failure(exc: requests.ConnectionError) -> bool:
    """Tell a refused/unresolvable connection (nothing sent) from a dropped one."""
    import urllib3.exceptions

    seen: set[int] = set()
    stack: list[BaseException | None] = [exc]
    while stack:
        item = stack.pop()
        if item is None or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, urllib3.exceptions.NewConnectionError | ConnectionRefusedError):
            return True
        if isinstance(item, urllib3.exceptions.MaxRetryError):
            stack.append(item.reason)
        stack.extend([item.__cause__, item.__context__])
        stack.extend(a for a in item.args if isinstance(a, BaseException))
    return False


def header_dict(headers: Mapping[str, str]) -> CaseInsensitiveDict[str]:
    """Return a case-insensitive copy of ``headers``."""
    return CaseInsensitiveDict(headers)
