"""`LineEmulator`: the LINE Messaging API on 127.0.0.1, for tests, demos and benchmarks.

What it serves (LINE's paths, bodies, statuses and error shapes):

- ``GET /v2/bot/followers/ids``: pages of follower IDs with ``next``; ``limit`` default 300,
  max 1000; 403 when built with ``verified=False``. Followers are generated from their index
  (``followers=N``: no list is held), so a million-follower sync costs no memory here.
- ``POST /v2/bot/message/push`` and ``/multicast``: bearer token checked (401), body checked
  (400 with ``details[].property``), ``X-Line-Retry-Key`` semantics: a UUID, and a repeated key
  whose first request was accepted gets 409 with ``x-line-accepted-request-id``. Each accepted
  send is recorded once in `LineEmulator.pushes`.
- ``POST /v2/bot/message/validate/{kind}``, ``GET /v2/bot/profile/{userId}`` (404 for
  non-followers), ``POST /v2/bot/user/{userId}/linkToken``.
- Channel access tokens: ``/v2/oauth/accessToken``, ``/oauth2/v3/token``, ``/v2/oauth/verify``,
  ``/v2/oauth/revoke`` with form bodies and ``{error, error_description}`` errors. Issued tokens
  work as bearer tokens until revoked or expired.
- Every answer carries ``x-line-request-id``.

Webhooks go the other way: `LineEmulator.deliver_webhook` signs a body with the channel secret
and sends it to a loopback URL or a callable.

Example:
    >>> import requests
    >>> from line_braze.testing import LineEmulator
    >>> with LineEmulator(followers=5) as line:
    ...     answer = requests.get(
    ...         line.url + "/v2/bot/followers/ids",
    ...         headers={"Authorization": "Bearer " + line.access_token},
    ...         timeout=5,
    ...     )
    >>> answer.status_code, len(answer.json()["userIds"]), "next" in answer.json()
    (200, 5, False)
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, ClassVar, Final, Literal

import attrs

from line_braze._secret import Secret
from line_braze.errors import ValidationError
from line_braze.testing import _line_checks, webhooks
from line_braze.testing._server import Clock, Emulator, Reply, Request, Sleep, json_reply
from line_braze.testing.faults import FaultKind, Faults

__all__ = ["DEFAULT_ACCESS_TOKEN", "DEFAULT_CHANNEL_SECRET", "LineEmulator", "Push", "TokenInfo"]

DEFAULT_ACCESS_TOKEN: Final = "line-emulator-channel-access-token"  # noqa: S105 - test value
DEFAULT_CHANNEL_SECRET: Final = "line-emulator-channel-secret"  # noqa: S105 - test value

_ID = re.compile(r"U[0-9a-f]{32}")
_TO = re.compile(r"[UCR][0-9a-f]{32}")
_MASK: Final = (1 << 128) - 1
_MULT: Final = 0x9E3779B97F4A7C15F39CC0605CEDC835  # odd: a bijection on 128-bit integers
_ADD: Final = 0x6A09E667F3BCC908B2FB1366EA957D3E
_MULT_INV: Final = pow(_MULT, -1, 1 << 128)
_AUTH_FAILED: Final = (
    "Authentication failed. Confirm that the access token in the authorization header is valid."
)
_PROFILE_PATH = re.compile(r"/v2/bot/profile/([^/]+)")
_LINK_PATH = re.compile(r"/v2/bot/user/([^/]+)/linkToken")
_VALIDATE_PATH = re.compile(r"/v2/bot/message/validate/(reply|push|multicast|narrowcast|broadcast)")
_SEND_PATHS: Final = frozenset(
    {
        "/v2/bot/message/push",
        "/v2/bot/message/multicast",
        "/v2/bot/message/narrowcast",
        "/v2/bot/message/broadcast",
    }
)


def follower_id(index: int) -> str:
    """Return the generated follower ID at ``index`` (valid, distinct, deterministic).

    Example:
        >>> follower_id(0)
        'U6a09e667f3bcc908b2fb1366ea957d3e'
        >>> len({follower_id(i) for i in range(1000)})
        1000
    """
    return f"U{(index * _MULT + _ADD) & _MASK:032x}"


def _follower_index(user_id: str) -> int:
    return ((int(user_id[1:], 16) - _ADD) * _MULT_INV) & _MASK


@attrs.frozen(kw_only=True)
class Push:
    """One accepted push or multicast, recorded once per retry key.

    Attributes:
        kind: ``"push"`` or ``"multicast"``.
        to: the recipients (one for a push).
        messages: the message objects as sent (LINE's camelCase JSON).
        notification_disabled: the request's ``notificationDisabled``.
        retry_key: the ``X-Line-Retry-Key``, if one was sent.
        request_id: the ``x-line-request-id`` of the accepting answer.
        sent_messages: the ``sentMessages`` answered (push only).
    """

    kind: Literal["push", "multicast"]
    to: tuple[str, ...]
    messages: tuple[Mapping[str, Any], ...]
    notification_disabled: bool
    retry_key: str | None
    request_id: str
    sent_messages: tuple[Mapping[str, str], ...] = ()


@attrs.frozen(kw_only=True)
class TokenInfo:
    """A channel access token the emulator knows (the value is hidden from repr).

    Attributes:
        value: the token itself.
        kind: ``"long_lived"``, ``"short_lived"`` or ``"stateless"``.
        expires_at: epoch seconds, or ``None`` for no expiry.
        revoked: whether `/v2/oauth/revoke` was called on it.
    """

    value: str = attrs.field(repr=False)
    kind: Literal["long_lived", "short_lived", "stateless"]
    expires_at: float | None
    revoked: bool = False


class LineEmulator(Emulator):
    """An in-process LINE Messaging API server on 127.0.0.1 (see the module docstring).

    Args:
        followers: how many generated followers (``follower_id(0)`` ...), or an explicit
            sequence of user IDs.
        access_token: the valid long-lived channel access token(s).
        channel_id: the channel ID the token endpoints accept.
        channel_secret: the channel secret (token issuing and webhook signatures).
        bot_user_id: the bot's user ID, the ``destination`` of webhooks.
        verified: ``False`` makes the follower endpoint answer 403, as for unverified accounts.
        check_messages: validate message objects with ``line_braze.line.models`` when it is
            importable (else structural checks only).
        faults: initial fault injection.
        sleep: how latency is waited.
        clock: epoch clock for token expiry.
        max_log: request log size.

    Example:
        >>> line = LineEmulator(followers=3, verified=False)
        >>> line.follower_count, line.is_follower(follower_id(2)), line.is_follower(follower_id(3))
        (3, True, False)
        >>> line
        <LineEmulator stopped requests=0>
    """

    service: ClassVar[str] = "line"

    def __init__(
        self,
        *,
        followers: int | Sequence[str] = 0,
        access_token: str | Sequence[str] = DEFAULT_ACCESS_TOKEN,
        channel_id: str = "1234567890",
        channel_secret: str = DEFAULT_CHANNEL_SECRET,
        bot_user_id: str = "U" + "b0" * 16,
        verified: bool = True,
        check_messages: bool = True,
        faults: Faults | None = None,
        sleep: Sleep = time.sleep,
        clock: Clock = time.time,
        max_log: int = 100_000,
    ) -> None:
        """Configure the emulator; see the class docstring."""
        super().__init__(
            faults=faults, sleep=sleep, clock=clock, max_log=max_log, max_body_bytes=2 * 1024**2
        )
        self.channel_id = channel_id
        self._channel_secret = Secret(channel_secret)
        self.bot_user_id = bot_user_id
        self.verified = verified
        self.check_messages = check_messages
        tokens = [access_token] if isinstance(access_token, str) else list(access_token)
        self._tokens: dict[str, TokenInfo] = {
            t: TokenInfo(value=t, kind="long_lived", expires_at=None) for t in tokens
        }
        self._primary_token = tokens[0] if tokens else ""
        if isinstance(followers, int):
            if followers < 0:
                raise ValidationError("followers", f"must be >= 0, got {followers}")
            self._generated = followers
            listed: list[str] = []
        else:
            self._generated = 0
            listed = list(followers)
            for i, uid in enumerate(listed):
                if not _ID.fullmatch(uid):
                    raise ValidationError(f"followers[{i}]", "must be 'U' + 32 lower-case hex")
        self._listed = listed
        self._listed_index = {uid: i for i, uid in enumerate(listed)}
        self._removed: set[str] = set()
        self._profiles: dict[str, dict[str, Any]] = {}
        self._pushes: list[Push] = []
        self._accepted: dict[str, Push] = {}
        self._link_tokens: dict[str, str] = {}
        self._message_seq = 100_000_000_000_000

    # -- inspectable state -------------------------------------------------------------

    @property
    def access_token(self) -> str:
        """The first configured long-lived token (use it to build a client)."""
        return self._primary_token

    @property
    def channel_secret(self) -> str:
        """The channel secret webhooks are signed with."""
        return self._channel_secret.reveal()

    @property
    def pushes(self) -> list[Push]:
        """Every accepted push and multicast, in order, once per retry key."""
        with self._lock:
            return list(self._pushes)

    def pushes_to(self, user_id: str) -> list[Push]:
        """The accepted sends that included ``user_id``."""
        with self._lock:
            return [p for p in self._pushes if user_id in p.to]

    @property
    def tokens(self) -> list[TokenInfo]:
        """Every channel access token the emulator knows, configured and issued."""
        with self._lock:
            return list(self._tokens.values())

    @property
    def link_tokens(self) -> dict[str, str]:
        """Issued account-link tokens mapped to their user IDs."""
        with self._lock:
            return dict(self._link_tokens)

    def token_is_valid(self, token: str) -> bool:
        """Whether ``token`` is a known, unrevoked, unexpired channel access token."""
        with self._lock:
            info = self._tokens.get(token)
            return info is not None and self._live(info)

    def add_token(self, token: str) -> None:
        """Accept another long-lived token (as if issued in the console)."""
        with self._lock:
            self._tokens[token] = TokenInfo(value=token, kind="long_lived", expires_at=None)

    def revoke_token(self, token: str) -> None:
        """Revoke ``token`` now (no-op if unknown)."""
        with self._lock:
            info = self._tokens.get(token)
            if info is not None:
                self._tokens[token] = attrs.evolve(info, revoked=True)

    @property
    def follower_count(self) -> int:
        """How many users follow the account now."""
        with self._lock:
            return self._generated + len(self._listed) - len(self._removed)

    def follower_ids(self) -> Iterator[str]:
        """Iterate the current followers in page order (generated lazily)."""
        total = self._generated + len(self._listed)
        for pos in range(total):
            uid = self._id_at(pos)
            if uid not in self._removed:
                yield uid

    def is_follower(self, user_id: str) -> bool:
        """Whether ``user_id`` follows the account now."""
        with self._lock:
            return self._is_follower(user_id)

    def _is_follower(self, user_id: str) -> bool:
        if user_id in self._removed or not _ID.fullmatch(user_id):
            return False
        if user_id in self._listed_index:
            return True
        return _follower_index(user_id) < self._generated

    def _id_at(self, pos: int) -> str:
        if pos < self._generated:
            return follower_id(pos)
        return self._listed[pos - self._generated]

    def set_profile(self, user_id: str, **fields: Any) -> None:
        """Override profile fields (``displayName``, ``pictureUrl``, ``language`` ...)."""
        with self._lock:
            self._profiles.setdefault(user_id, {}).update(fields)

    # -- follow / unfollow and webhooks ---------------------------------------------------

    def follow(
        self,
        user_id: str,
        *,
        unblocked: bool = False,
        deliver_to: webhooks.WebhookTarget | None = None,
    ) -> webhooks.WebhookDelivery | None:
        """Make ``user_id`` a follower; with ``deliver_to``, also send the follow webhook."""
        if not _ID.fullmatch(user_id):
            raise ValidationError("user_id", "must be 'U' + 32 lower-case hex")
        with self._lock:
            self._removed.discard(user_id)
            if not self._is_follower(user_id):
                self._listed_index[user_id] = len(self._listed)
                self._listed.append(user_id)
        if deliver_to is None:
            return None
        return self.deliver_webhook(
            deliver_to, [webhooks.follow_event(user_id, unblocked=unblocked)]
        )

    def unfollow(
        self, user_id: str, *, deliver_to: webhooks.WebhookTarget | None = None
    ) -> webhooks.WebhookDelivery | None:
        """Remove ``user_id`` from the followers; with ``deliver_to``, send the unfollow webhook."""
        with self._lock:
            if self._is_follower(user_id):
                self._removed.add(user_id)
        if deliver_to is None:
            return None
        return self.deliver_webhook(deliver_to, [webhooks.unfollow_event(user_id)])

    def sign(self, body: bytes) -> str:
        """Return the ``X-Line-Signature`` LINE would send with ``body``."""
        return webhooks.sign_body(body, self._channel_secret)

    def deliver_webhook(
        self,
        target: webhooks.WebhookTarget,
        events: Sequence[Mapping[str, Any]],
        *,
        timeout: float = 10.0,
    ) -> webhooks.WebhookDelivery:
        """Build a webhook body from ``events``, sign it and send it to ``target``.

        Args:
            target: a loopback URL (POSTed with ``X-Line-Signature``) or a callable
                ``(body_bytes, signature) -> Any``.
            events: event mappings, e.g. from `line_braze.testing.webhooks.follow_event`.
            timeout: seconds to wait for a URL target.

        Example:
            >>> from line_braze.testing.webhooks import follow_event
            >>> line = LineEmulator()
            >>> got = line.deliver_webhook(lambda body, sig: sig == line.sign(body),
            ...                            [follow_event(follower_id(1))])
            >>> got.result
            True
        """
        body = webhooks.webhook_body(events, destination=self.bot_user_id)
        return webhooks.deliver(target, body, self.sign(body), timeout=timeout)

    # -- HTTP -----------------------------------------------------------------------------

    def _decorate(self, request: Request, reply: Reply) -> None:  # noqa: ARG002
        reply.headers.setdefault("x-line-request-id", str(uuid.uuid4()))

    def _fault_reply(self, kind: FaultKind, status: int, request: Request) -> Reply:
        if kind == "rate_limited":
            return json_reply(
                429, {"message": "The API rate limit has been exceeded. Try again later."}
            )
        if kind == "server_error":
            return json_reply(status, {"message": "An error occurred in the server."})
        return super()._fault_reply(kind, status, request)

    def _handle(self, request: Request) -> Reply:  # noqa: PLR0911
        path = request.path
        if path.startswith(("/v2/oauth/", "/oauth2/")):
            return self._token_endpoint(request)
        if not path.startswith("/v2/bot/"):
            return json_reply(404, {"message": "Not found"})
        if not self._authorised(request):
            return json_reply(401, {"message": _AUTH_FAILED})
        if "x-line-retry-key" in request.headers and path not in _SEND_PATHS:
            return json_reply(
                400,
                {"message": "The X-Line-Retry-Key header cannot be specified for this endpoint"},
            )
        method = request.method
        if path == "/v2/bot/followers/ids" and method == "GET":
            return self._followers(request)
        if path in {"/v2/bot/message/push", "/v2/bot/message/multicast"} and method == "POST":
            return self._send(request, "push" if path.endswith("push") else "multicast")
        if (m := _VALIDATE_PATH.fullmatch(path)) and method == "POST":
            return self._validate(request, m.group(1))
        if (m := _PROFILE_PATH.fullmatch(path)) and method == "GET":
            return self._profile(m.group(1))
        if (m := _LINK_PATH.fullmatch(path)) and method == "POST":
            return self._link_token(m.group(1))
        return json_reply(404, {"message": "Not found"})

    def _live(self, info: TokenInfo) -> bool:
        return not info.revoked and (info.expires_at is None or info.expires_at > self._clock())

    def _authorised(self, request: Request) -> bool:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            return False
        with self._lock:
            info = self._tokens.get(token.strip())
            return info is not None and self._live(info)

    def _followers(self, request: Request) -> Reply:
        if not self.verified:
            return json_reply(
                403, {"message": "Access to this API is not available for your account"}
            )
        try:
            limit = int(request.query.get("limit", "300"))
        except ValueError:
            limit = -1
        if not 1 <= limit <= 1000:  # noqa: PLR2004
            return _bad_request("limit", "Must be between 1 and 1000")
        start = request.query.get("start")
        offset = 0
        if start:
            decoded = _decode_next(start)
            if decoded is None:
                return json_reply(
                    400, {"message": "The value for the 'start' parameter is invalid"}
                )
            offset = decoded
        with self._lock:
            ids, pos, total = self._page(offset, limit)
        # IDs are hex, so the JSON is built directly (this is the benchmarks' hot path).
        body = '{"userIds":["' + '","'.join(ids) + '"]' if ids else '{"userIds":['
        if not ids:
            body += "]"
        if pos < total:
            body += ',"next":"' + _encode_next(pos) + '"'
        return Reply(status=200, body=(body + "}").encode())

    def _page(self, offset: int, limit: int) -> tuple[list[str], int, int]:
        total = self._generated + len(self._listed)
        end = min(offset + limit, self._generated)
        if not self._removed and offset < end:
            # Fast path: a run of generated IDs, one comprehension, no per-ID calls.
            ids = [f"U{(i * _MULT + _ADD) & _MASK:032x}" for i in range(offset, end)]
            pos = end
        else:
            ids, pos = [], offset
        removed = self._removed
        while pos < total and len(ids) < limit:
            uid = self._id_at(pos)
            if uid not in removed:
                ids.append(uid)
            pos += 1
        return ids, pos, total

    def _send(self, request: Request, kind: Literal["push", "multicast"]) -> Reply:
        retry_key = request.headers.get("x-line-retry-key")
        if retry_key is not None and not _is_uuid(retry_key):
            return json_reply(
                400, {"message": "The value for the 'X-Line-Retry-Key' header is invalid"}
            )
        try:
            body = request.json()
        except ValueError:
            return json_reply(400, {"message": "The request body has invalid JSON format"})
        with self._lock:
            if retry_key is not None and retry_key in self._accepted:
                first = self._accepted[retry_key]
                conflict: dict[str, Any] = {"message": "The retry key is already accepted"}
                if first.sent_messages:
                    conflict["sentMessages"] = [dict(m) for m in first.sent_messages]
                return json_reply(409, conflict, {"x-line-accepted-request-id": first.request_id})
        details = _line_checks.check_send(body, kind, use_models=self.check_messages)
        if details:
            return _errors(details)
        request_id = str(uuid.uuid4())
        to = (body["to"],) if kind == "push" else tuple(body["to"])
        with self._lock:
            if retry_key is not None and retry_key in self._accepted:  # a racing duplicate
                first = self._accepted[retry_key]
                return json_reply(
                    409,
                    {"message": "The retry key is already accepted"},
                    {"x-line-accepted-request-id": first.request_id},
                )
            sent: tuple[Mapping[str, str], ...] = ()
            if kind == "push":
                sent = tuple(self._next_sent() for _ in body["messages"])
            push = Push(
                kind=kind,
                to=to,
                messages=tuple(body["messages"]),
                notification_disabled=bool(body.get("notificationDisabled", False)),
                retry_key=retry_key,
                request_id=request_id,
                sent_messages=sent,
            )
            self._pushes.append(push)
            if retry_key is not None:
                self._accepted[retry_key] = push
        answer: dict[str, Any] = {"sentMessages": [dict(m) for m in sent]} if kind == "push" else {}
        return json_reply(200, answer, {"x-line-request-id": request_id})

    def _next_sent(self) -> Mapping[str, str]:
        self._message_seq += 1
        return {"id": str(self._message_seq), "quoteToken": secrets.token_urlsafe(24)}

    def _validate(self, request: Request, _kind: str) -> Reply:
        try:
            body = request.json()
        except ValueError:
            return json_reply(400, {"message": "The request body has invalid JSON format"})
        if not isinstance(body, dict):
            return _bad_request("", "The request body must be a JSON object")
        details = _line_checks.check_messages(body.get("messages"), use_models=self.check_messages)
        if details:
            return _errors(details)
        return Reply(status=200)

    def _profile(self, user_id: str) -> Reply:
        if not _TO.fullmatch(user_id):
            return json_reply(400, {"message": "The value for the 'userId' parameter is invalid"})
        with self._lock:
            if not self._is_follower(user_id):
                return json_reply(404, {"message": "Not found"})
            extra = dict(self._profiles.get(user_id, {}))
        profile: dict[str, Any] = {
            "displayName": f"LINE user {user_id[1:7]}",
            "userId": user_id,
            "pictureUrl": f"https://profile.line-scdn.net/{user_id[1:13]}",
            "statusMessage": "Hello, LINE!",
            "language": "en",
        }
        profile.update(extra)
        return json_reply(200, {k: v for k, v in profile.items() if v is not None})

    def _link_token(self, user_id: str) -> Reply:
        if not _ID.fullmatch(user_id):
            return json_reply(400, {"message": "The value for the 'userId' parameter is invalid"})
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._link_tokens[token] = user_id
        return json_reply(200, {"linkToken": token})

    # -- channel access tokens --------------------------------------------------------------

    def _token_endpoint(self, request: Request) -> Reply:  # noqa: C901, PLR0911
        if request.method != "POST":
            return json_reply(405, {"error": "invalid_request", "error_description": "use POST"})
        ctype = request.headers.get("content-type", "")
        if not ctype.startswith("application/x-www-form-urlencoded"):
            return _oauth_error(
                "invalid_request", "Content-Type must be application/x-www-form-urlencoded"
            )
        form = request.form()
        path = request.path
        if path in {"/v2/oauth/accessToken", "/oauth2/v3/token"}:
            return self._issue(
                form, "short_lived" if path == "/v2/oauth/accessToken" else "stateless"
            )
        if path == "/v2/oauth/verify":
            token = form.get("access_token")
            if not token:
                return _oauth_error("invalid_request", "access_token is required")
            with self._lock:
                info = self._tokens.get(token)
                if info is None or info.kind == "stateless":
                    return _oauth_error("invalid_request", "invalid access token")
                if not self._live(info):
                    return _oauth_error("invalid_request", "access token expired")
                remaining = (
                    2_000_000_000
                    if info.expires_at is None
                    else int(info.expires_at - self._clock())
                )
            return json_reply(
                200, {"client_id": self.channel_id, "expires_in": remaining, "scope": "P CM"}
            )
        if path == "/v2/oauth/revoke":
            token = form.get("access_token")
            if not token:
                return _oauth_error("invalid_request", "access_token is required")
            with self._lock:
                info = self._tokens.get(token)
                if info is not None and info.kind != "stateless":
                    self._tokens[token] = attrs.evolve(info, revoked=True)
            return Reply(status=200)
        return json_reply(404, {"message": "Not found"})

    def _issue(self, form: Mapping[str, str], kind: Literal["short_lived", "stateless"]) -> Reply:
        if not form.get("grant_type") or not form.get("client_id") or not form.get("client_secret"):
            return _oauth_error("invalid_request", "some parameters missed or invalid")
        if form["grant_type"] != "client_credentials":
            return _oauth_error("unsupported_grant_type", "grant_type must be client_credentials")
        if form["client_id"] != self.channel_id or form["client_secret"] != self.channel_secret:
            return _oauth_error("invalid_client", "invalid client_id or client_secret")
        lifetime = 2_592_000 if kind == "short_lived" else 900
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens[token] = TokenInfo(
                value=token, kind=kind, expires_at=self._clock() + lifetime
            )
        return json_reply(
            200,
            {
                "access_token": token,
                "expires_in": lifetime if kind == "short_lived" else lifetime - 1,
                "token_type": "Bearer",
            },
        )


def _encode_next(offset: int) -> str:
    return base64.urlsafe_b64encode(f"followers:{offset}".encode()).decode().rstrip("=")


def _decode_next(token: str) -> int | None:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    prefix, _, number = raw.partition(":")
    if prefix != "followers" or not number.isdigit():
        return None
    return int(number)


def _is_uuid(value: str) -> bool:
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        return False
    return str(parsed) == value.lower() and len(value) == 36  # noqa: PLR2004


def _errors(details: list[dict[str, str]]) -> Reply:
    return json_reply(
        400, {"message": f"The request body has {len(details)} error(s)", "details": details}
    )


def _bad_request(prop: str, message: str) -> Reply:
    return _errors([{"message": message, "property": prop}])


def _oauth_error(error: str, description: str) -> Reply:
    return json_reply(400, {"error": error, "error_description": description})
