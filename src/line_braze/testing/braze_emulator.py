"""`BrazeEmulator`: the Braze REST endpoints line_braze uses, on 127.0.0.1.

What it serves (Braze's paths, bodies, statuses and messages, per ``FACTS.md``):

- ``POST /users/track``: at most 75 objects combined (else ``400 Max Input Length
  Exceeded``), identifier rules, ``_update_existing_only`` defaulting to true for aliases,
  per-item errors answered 201 beside ``attributes_processed``; ``null`` unsets an attribute.
  With ``store_profiles=False`` it validates and counts only (for big benchmarks).
- ``/users/identify``, ``/users/alias/new``, ``/users/alias/update``, ``/users/merge``,
  ``/users/delete``, ``/users/export/ids`` (at most 50 identifiers each).
- Content Blocks: ``/content_blocks/create``, ``/update``, ``/list`` (``limit``/``offset``,
  ``count``), ``/info``, with Braze's name, description, content and state rules and its
  verbatim error messages.
- ``/messages/send``, ``/campaigns/trigger/send``, ``/canvas/trigger/send``,
  ``/sends/id/create``: checked and recorded in `BrazeEmulator.dispatches`.
- The API key (``Authorization: Bearer``, else 401) and, optionally, key permissions (403
  ``Access Denied``).
- Rate limiting: every answer carries ``X-RateLimit-Limit``, ``-Remaining`` and ``-Reset``
  (epoch seconds, or seconds remaining with ``reset_as_seconds=True``); past ``rate_limit``
  requests in a window the answer is 429 with ``X-Ratelimit-Retry-After``.

Example:
    >>> import requests
    >>> from line_braze.testing import BrazeEmulator
    >>> alias = {"alias_name": "U" + "0" * 32, "alias_label": "line_id"}
    >>> with BrazeEmulator() as braze:
    ...     answer = requests.post(
    ...         braze.url + "/users/track",
    ...         json={"attributes": [{"user_alias": alias, "_update_existing_only": False,
    ...                               "line_id": alias["alias_name"]}]},
    ...         headers={"Authorization": "Bearer " + braze.api_key},
    ...         timeout=5,
    ...     )
    ...     profile = braze.profile(alias=("line_id", alias["alias_name"]))
    >>> answer.status_code, answer.json()["attributes_processed"], profile.attributes["line_id"][:5]
    (201, 1, 'U0000')
"""

from __future__ import annotations

import datetime as dt
import math
import re
import time
import uuid
from collections.abc import Callable, Collection, Mapping
from typing import Any, ClassVar, Final

import attrs

from line_braze.testing._braze_users import BadRequest, Profile, UserStore
from line_braze.testing._server import Clock, Emulator, Reply, Request, Sleep, json_reply
from line_braze.testing.faults import FaultKind, Faults

__all__ = ["DEFAULT_API_KEY", "BrazeEmulator", "ContentBlock", "Dispatch", "Profile"]

DEFAULT_API_KEY: Final = "braze-emulator-rest-api-key"

_NAME = re.compile(r"[A-Za-z0-9_-]+")
_PERMISSIONS: Final[Mapping[str, str]] = {
    "/users/track": "users.track",
    "/users/identify": "users.identify",
    "/users/alias/new": "users.alias.new",
    "/users/alias/update": "users.alias.update",
    "/users/merge": "users.merge",
    "/users/delete": "users.delete",
    "/users/export/ids": "users.export.ids",
    "/content_blocks/create": "content_blocks.create",
    "/content_blocks/update": "content_blocks.update",
    "/content_blocks/list": "content_blocks.list",
    "/content_blocks/info": "content_blocks.info",
    "/messages/send": "messages.send",
    "/campaigns/trigger/send": "campaigns.trigger.send",
    "/canvas/trigger/send": "canvas.trigger.send",
    "/sends/id/create": "sends.id.create",
}
_GET_PATHS: Final = frozenset({"/content_blocks/list", "/content_blocks/info"})
_MAX_CONTENT: Final = 50 * 1024
_INVALID_ID: Final = "Content Block ID is invalid for this workspace"


@attrs.frozen(kw_only=True)
class ContentBlock:
    """A Content Block held by the emulator. ``content`` never shows in its repr.

    Attributes:
        content_block_id: the ID Braze assigned.
        name: the block's name (``{{content_blocks.${name}}}``).
        content: the body (for ``LINE_Channel_AccessToken``: the LINE token itself).
        description: the description, or ``None``.
        state: ``"active"`` or ``"draft"``.
        tags: tag names.
        created_at: ISO 8601 creation time.
        last_edited: ISO 8601 time of the last update.

    Example:
        >>> ContentBlock(content_block_id="c1", name="N", content="secret", description=None,
        ...              state="active", tags=(), created_at="t", last_edited="t")
        ContentBlock(content_block_id='c1', name='N', state='active', tags=(), last_edited='t')
    """

    content_block_id: str
    name: str
    content: str = attrs.field(repr=False)
    description: str | None = attrs.field(repr=False)
    state: str
    tags: tuple[str, ...]
    created_at: str = attrs.field(repr=False)
    last_edited: str

    @property
    def liquid_tag(self) -> str:
        """The Liquid tag that includes this block."""
        return "{{content_blocks.${" + self.name + "}}}"

    @property
    def content_type(self) -> str:
        """``"html"`` when the content looks like HTML, else ``"text"``."""
        return "html" if re.search(r"<[A-Za-z/!]", self.content) else "text"

    def summary(self) -> dict[str, Any]:
        """The block as ``/content_blocks/list`` shows it (no content)."""
        return {
            "content_block_id": self.content_block_id,
            "name": self.name,
            "content_type": self.content_type,
            "liquid_tag": self.liquid_tag,
            "inclusion_count": 0,
            "created_at": self.created_at,
            "last_edited": self.last_edited,
            "tags": list(self.tags),
        }


@attrs.frozen(kw_only=True)
class Dispatch:
    """A send accepted by ``/messages/send``, ``/campaigns|canvas/trigger/send`` or a send ID.

    Attributes:
        endpoint: the path called.
        dispatch_id: the ID answered (the ``send_id`` for ``/sends/id/create``).
        body: the request body (hidden from repr: webhook headers may hold credentials).
    """

    endpoint: str
    dispatch_id: str
    body: Mapping[str, Any] = attrs.field(repr=False)


class BrazeEmulator(Emulator):
    """An in-process Braze REST API on 127.0.0.1 (see the module docstring).

    Args:
        api_key: the valid REST API key.
        permissions: the key's permissions (``"users.track"`` ...); ``None`` grants all.
        rate_limit: requests allowed per window before 429; ``None`` never refuses (the
            headers then describe a nominal 3,000 per 3 seconds).
        rate_window: the window length in seconds.
        rate_limit_paths: path prefixes the limit counts and applies to (``None``: all).
        reset_as_seconds: send ``X-RateLimit-Reset`` as seconds remaining, not epoch seconds.
        store_profiles: keep profiles; ``False`` validates and counts only.
        max_track_objects: the ``/users/track`` object cap.
        track_limit_combined: apply the cap to the three arrays combined (else each).
        tags: the tags that exist in the workspace (Content Block ``tags`` must be among them).
        reject_zero_offset: answer ``offset=0`` on ``/content_blocks/list`` with 400, as a
            third-party client reports Braze doing.
        faults: initial fault injection.
        sleep: how latency is waited.
        clock: epoch clock (rate windows and timestamps).
        max_log: request log size.

    Example:
        >>> BrazeEmulator(rate_limit=10)
        <BrazeEmulator stopped requests=0>
    """

    service: ClassVar[str] = "braze"

    def __init__(
        self,
        *,
        api_key: str = DEFAULT_API_KEY,
        permissions: Collection[str] | None = None,
        rate_limit: int | None = None,
        rate_window: float = 3.0,
        rate_limit_paths: Collection[str] | None = None,
        reset_as_seconds: bool = False,
        store_profiles: bool = True,
        max_track_objects: int = 75,
        track_limit_combined: bool = True,
        tags: Collection[str] = (),
        reject_zero_offset: bool = False,
        faults: Faults | None = None,
        sleep: Sleep = time.sleep,
        clock: Clock = time.time,
        max_log: int = 100_000,
    ) -> None:
        """Configure the emulator; see the class docstring."""
        super().__init__(faults=faults, sleep=sleep, clock=clock, max_log=max_log)
        self._api_key = api_key
        self.permissions = None if permissions is None else frozenset(permissions)
        self.rate_limit = rate_limit
        self.rate_window = rate_window
        self.rate_limit_paths = None if rate_limit_paths is None else tuple(rate_limit_paths)
        self.reset_as_seconds = reset_as_seconds
        self.tags = frozenset(tags)
        self.reject_zero_offset = reject_zero_offset
        self._users = UserStore(
            store_profiles=store_profiles,
            max_track_objects=max_track_objects,
            combined=track_limit_combined,
        )
        self._blocks: dict[str, ContentBlock] = {}
        self._dispatches: list[Dispatch] = []
        self._window_start: float | None = None
        self._window_count = 0

    # -- inspectable state -------------------------------------------------------------

    @property
    def api_key(self) -> str:
        """The REST API key the emulator accepts."""
        return self._api_key

    @property
    def profiles(self) -> list[Profile]:
        """Snapshots of every profile, in creation order."""
        with self._lock:
            return [u.snapshot() for u in self._users.users.values()]

    @property
    def profile_count(self) -> int:
        """How many profiles exist."""
        with self._lock:
            return len(self._users.users)

    def profile(
        self,
        *,
        external_id: str | None = None,
        alias: tuple[str, str] | None = None,
        braze_id: str | None = None,
        email: str | None = None,
    ) -> Profile | None:
        """Return the profile with an identifier, or ``None``.

        Args:
            external_id: the external ID.
            alias: ``(alias_label, alias_name)``, e.g. ``("line_id", "U...")``.
            braze_id: the Braze ID.
            email: an email address.
        """
        ident: dict[str, Any] = {}
        if external_id is not None:
            ident["external_id"] = external_id
        elif alias is not None:
            ident["user_alias"] = {"alias_label": alias[0], "alias_name": alias[1]}
        elif braze_id is not None:
            ident["braze_id"] = braze_id
        elif email is not None:
            ident["email"] = email
        with self._lock:
            user = self._users.find(ident)
            return None if user is None else user.snapshot()

    @property
    def stats(self) -> dict[str, int]:
        """Counters of ``/users/track`` work, kept even with ``store_profiles=False``.

        Keys: ``track_requests``, ``attributes_processed``, ``events_processed``,
        ``purchases_processed``, ``item_errors``, ``skipped_update_existing_only``.
        """
        with self._lock:
            return dict(self._users.stats)

    @property
    def content_blocks(self) -> list[ContentBlock]:
        """Every Content Block, in creation order."""
        with self._lock:
            return list(self._blocks.values())

    def content_block(self, name: str) -> ContentBlock | None:
        """The Content Block called ``name``, or ``None``."""
        with self._lock:
            return next((b for b in self._blocks.values() if b.name == name), None)

    @property
    def dispatches(self) -> list[Dispatch]:
        """Every accepted send request, in order."""
        with self._lock:
            return list(self._dispatches)

    # -- HTTP -----------------------------------------------------------------------------

    def _rate_headers(self, *, count: bool, path: str) -> tuple[dict[str, str], bool]:
        now = self._clock()
        limited = self.rate_limit_paths is None or path.startswith(self.rate_limit_paths)
        with self._lock:
            if self._window_start is None or now >= self._window_start + self.rate_window:
                self._window_start = now
                self._window_count = 0
            if count and limited:
                self._window_count += 1
            limit = self.rate_limit if self.rate_limit is not None else 3000
            used = self._window_count
            reset_at = self._window_start + self.rate_window
        over = limited and self.rate_limit is not None and used > self.rate_limit
        seconds = max(1, math.ceil(reset_at - now))
        headers = {
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(max(0, limit - used)),
            "X-RateLimit-Reset": str(seconds if self.reset_as_seconds else math.ceil(reset_at)),
        }
        if over:
            headers["X-Ratelimit-Retry-After"] = str(seconds)
        return headers, over

    def _decorate(self, request: Request, reply: Reply) -> None:
        if "X-RateLimit-Limit" not in reply.headers:
            headers, _ = self._rate_headers(count=False, path=request.path)
            reply.headers.update(headers)

    def _fault_reply(self, kind: FaultKind, status: int, request: Request) -> Reply:
        if kind == "rate_limited":
            headers, _ = self._rate_headers(count=False, path=request.path)
            after = f"{self.faults.retry_after:g}"
            headers["X-RateLimit-Remaining"] = "0"
            headers["X-Ratelimit-Retry-After"] = after
            return json_reply(429, {"message": "API rate limit reached (injected fault)"}, headers)
        if kind == "server_error":
            return json_reply(status, {"message": "Internal Server Error (injected fault)"})
        return super()._fault_reply(kind, status, request)

    def _handle(self, request: Request) -> Reply:  # noqa: PLR0911
        path = request.path
        headers, over = self._rate_headers(count=True, path=path)
        if over:
            return json_reply(429, {"message": "API rate limit reached"}, headers)
        permission = _PERMISSIONS.get(path)
        if permission is None:
            return json_reply(404, {"message": "Not Found"}, headers)
        expected = "GET" if path in _GET_PATHS else "POST"
        if request.method != expected:
            return json_reply(405, {"message": f"Use {expected} for {path}"}, headers)
        auth = request.headers.get("authorization", "")
        scheme, _, key = auth.partition(" ")
        if scheme.lower() != "bearer" or key.strip() != self._api_key:
            return json_reply(401, {"message": "Unauthorized: invalid API key"}, headers)
        if self.permissions is not None and permission not in self.permissions:
            return json_reply(403, {"message": "Access Denied"}, headers)
        body: Any = None
        if expected == "POST":
            try:
                body = request.json()
            except ValueError:
                return json_reply(
                    400, {"message": "Bad Request: the body is not valid JSON"}, headers
                )
        try:
            status, answer = self._route(path, body, request.query)
        except BadRequest as err:
            return json_reply(400, {"message": err.message}, headers)
        return json_reply(status, answer, headers)

    def _route(self, path: str, body: Any, query: Mapping[str, str]) -> tuple[int, dict[str, Any]]:
        users = self._users
        posts: dict[str, tuple[int, Callable[[Any], dict[str, Any]]]] = {
            "/users/track": (201, users.track),
            "/users/identify": (201, users.identify),
            "/users/alias/new": (201, users.alias_new),
            "/users/alias/update": (201, users.alias_update),
            "/users/merge": (202, users.merge),
            "/users/delete": (202, users.delete),
            "/users/export/ids": (201, users.export_ids),
            "/content_blocks/create": (201, self._create_block),
            "/content_blocks/update": (201, self._update_block),
        }
        with self._lock:
            if path == "/content_blocks/list":
                return 200, self._list_blocks(query)
            if path == "/content_blocks/info":
                return 200, self._block_info(query)
            if path in posts:
                status, handler = posts[path]
                return status, handler(body)
            return 201, self._dispatch(path, body)

    # -- Content Blocks -------------------------------------------------------------------

    def _now_iso(self) -> str:
        moment = dt.datetime.fromtimestamp(self._clock(), tz=dt.timezone.utc)
        return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    def _check_block_fields(self, body: Mapping[str, Any], *, creating: bool) -> None:  # noqa: C901, PLR0912
        if creating or "name" in body:
            name = body.get("name")
            if not isinstance(name, str) or not name.strip():
                raise BadRequest("Content Block name cannot be blank")
            if len(name) >= 100:  # noqa: PLR2004
                raise BadRequest("Content Block name must be shorter than 100 characters")
            if not _NAME.fullmatch(name):
                raise BadRequest("Content Block name can only contain alphanumeric characters")
        if creating or "content" in body:
            content = body.get("content")
            if content is None or (isinstance(content, str) and not content.strip()):
                raise BadRequest("Content cannot be blank")
            if not isinstance(content, str):
                raise BadRequest("Content must be a string")
            if len(content.encode()) >= _MAX_CONTENT:
                raise BadRequest("Content must be smaller than 50kb")
        if "description" in body:
            description = body["description"]
            if not isinstance(description, str) or not description.strip():
                raise BadRequest("Content Block description cannot be blank")
            if len(description) >= 250:  # noqa: PLR2004
                raise BadRequest("Content Block description must be shorter than 250 characters")
        if "state" in body and body["state"] not in {"active", "draft"}:
            raise BadRequest("Content Block state must be either active or draft")
        if "tags" in body:
            tags = body["tags"]
            if not isinstance(tags, list):
                raise BadRequest("Tags must be an array")
            if not all(isinstance(t, str) for t in tags):
                raise BadRequest("All tags must be strings")
            if not set(tags) <= self.tags:
                raise BadRequest("Some tags could not be found")

    def _create_block(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise BadRequest("Bad Request: the body must be a JSON object")
        self._check_block_fields(body, creating=True)
        if any(b.name == body["name"] for b in self._blocks.values()):
            raise BadRequest("Content Block with this name already exists")
        now = self._now_iso()
        block = ContentBlock(
            content_block_id=str(uuid.uuid4()),
            name=body["name"],
            content=body["content"],
            description=body.get("description"),
            state=body.get("state", "active"),
            tags=tuple(body.get("tags", ())),
            created_at=now,
            last_edited=now,
        )
        self._blocks[block.content_block_id] = block
        return {
            "content_block_id": block.content_block_id,
            "liquid_tag": block.liquid_tag,
            "created_at": block.created_at,
            "message": "success",
        }

    def _update_block(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise BadRequest("Bad Request: the body must be a JSON object")
        block = self._blocks.get(str(body.get("content_block_id")))
        if block is None:
            raise BadRequest(_INVALID_ID)
        self._check_block_fields(body, creating=False)
        name = body.get("name", block.name)
        if name != block.name:
            if block.state == "active":
                raise BadRequest("Content Block name cannot be updated for active Content Blocks")
            if any(b.name == name for b in self._blocks.values()):
                raise BadRequest("Content Block with this name already exists")
        state = body.get("state", block.state)
        if block.state == "active" and state == "draft":
            raise BadRequest(
                "Active Content Block can not be updated to Draft. Create a new Content Block."
            )
        block = attrs.evolve(
            block,
            name=name,
            content=body.get("content", block.content),
            description=body.get("description", block.description),
            state=state,
            tags=tuple(body.get("tags", block.tags)),
            last_edited=self._now_iso(),
        )
        self._blocks[block.content_block_id] = block
        return {
            "content_block_id": block.content_block_id,
            "liquid_tag": block.liquid_tag,
            "created_at": block.created_at,
            "message": "success",
        }

    def _list_blocks(self, query: Mapping[str, str]) -> dict[str, Any]:
        limit = _int_param(query, "limit", 100)
        if limit < 1:
            raise BadRequest("Limit must be a positive integer")
        if limit > 1000:  # noqa: PLR2004
            raise BadRequest("Content Block number limit exceeds maximum of 1000")
        offset = _int_param(query, "offset", 0)
        if offset < 0 or ("offset" in query and offset == 0 and self.reject_zero_offset):
            raise BadRequest("Offset must be greater than 0.")
        blocks = list(self._blocks.values())
        for param, keep in (("modified_after", True), ("modified_before", False)):
            if param in query:
                bound = _parse_time(query[param], param)
                blocks = [b for b in blocks if (_parse_time(b.last_edited, param) >= bound) == keep]
        page = blocks[offset : offset + limit]
        return {
            "count": len(blocks),
            "content_blocks": [b.summary() for b in page],
            "message": "success",
        }

    def _block_info(self, query: Mapping[str, str]) -> dict[str, Any]:
        block = self._blocks.get(query.get("content_block_id", ""))
        if block is None:
            raise BadRequest(_INVALID_ID)
        info = block.summary()
        info.update(content=block.content, description=block.description or "", message="success")
        if query.get("include_inclusion_data", "").lower() == "true":
            info["inclusion_data"] = []
        return info

    # -- sends ------------------------------------------------------------------------------

    def _dispatch(self, path: str, body: Any) -> dict[str, Any]:  # noqa: C901
        if not isinstance(body, dict):
            raise BadRequest("Bad Request: the body must be a JSON object")
        if path == "/sends/id/create":
            if not body.get("campaign_id"):
                raise BadRequest("Invalid Campaign ID")
            send_id = str(body.get("send_id") or uuid.uuid4().hex)
            self._dispatches.append(Dispatch(endpoint=path, dispatch_id=send_id, body=body))
            return {"message": "success", "send_id": send_id}
        if path == "/messages/send":
            _check_message_send(body)
        elif path == "/campaigns/trigger/send" and not body.get("campaign_id"):
            raise BadRequest("Invalid Campaign ID")
        elif path == "/canvas/trigger/send" and not body.get("canvas_id"):
            raise BadRequest("Invalid Canvas ID")
        recipients = body.get("recipients")
        if recipients is not None:
            if not isinstance(recipients, list) or len(recipients) > 50:  # noqa: PLR2004
                raise BadRequest(
                    "The max number of external_ids and aliases per request was exceeded"
                )
            for r in recipients:
                ids = [
                    k
                    for k in ("external_user_id", "user_alias", "email")
                    if isinstance(r, dict) and r.get(k)
                ]
                if len(ids) != 1:
                    raise BadRequest(
                        "each recipient needs exactly one of external_user_id, user_alias or email"
                    )
        dispatch_id = uuid.uuid4().hex
        self._dispatches.append(Dispatch(endpoint=path, dispatch_id=dispatch_id, body=body))
        answer = {"dispatch_id": dispatch_id, "message": "success"}
        if isinstance(body.get("send_id"), str):
            answer["send_id"] = body["send_id"]  # a tracked send answers its send_id too
        return answer


def _check_message_send(body: Mapping[str, Any]) -> None:
    messages = body.get("messages")
    if not isinstance(messages, dict) or not messages:
        raise BadRequest("No message to send")
    ids = body.get("external_user_ids") or []
    aliases = body.get("user_aliases") or []
    if len(ids) > 50 or len(aliases) > 50:  # noqa: PLR2004
        raise BadRequest("The max number of external_ids and aliases per request was exceeded")
    targeted = ids or aliases or body.get("segment_id") or body.get("audience")
    if body.get("broadcast") and (ids or aliases):
        raise BadRequest("broadcast cannot be combined with external_user_ids or user_aliases")
    if not targeted and not body.get("broadcast"):
        raise BadRequest("No Recipients")
    webhook = messages.get("webhook")
    if webhook is not None:
        if not isinstance(webhook, dict) or not isinstance(webhook.get("url"), str):
            raise BadRequest("Invalid webhook message: 'url' is required")
        if webhook.get("request_method") not in {"POST", "PUT", "DELETE", "GET"}:
            raise BadRequest(
                "Invalid webhook message: 'request_method' must be POST, PUT, DELETE or GET"
            )
        if "body" in webhook and not isinstance(webhook["body"], str):
            raise BadRequest("Invalid webhook message: 'body' must be a string")


def _int_param(query: Mapping[str, str], name: str, default: int) -> int:
    raw = query.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise BadRequest(f"{name.capitalize()} must be an integer") from None


def _parse_time(value: str, name: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise BadRequest(f"{name} must be an ISO 8601 time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment
