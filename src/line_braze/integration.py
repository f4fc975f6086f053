"""`Integration`: the five steps of the LINE-Braze partnership, on the two clients.

This module holds no HTTP code: it composes `LineClient` and `BrazeClient`.

Example:
    >>> from line_braze import BrazeClient, Integration, LineClient
    >>> integ = Integration(
    ...     line=LineClient("line-token"),
    ...     braze=BrazeClient("braze-key", rest_endpoint="US-01"),
    ...     channel_secret="channel-secret",
    ... )
    >>> integ.config.attribute, integ.config.token_block
    ('line_id', 'LINE_Channel_AccessToken')
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, Protocol

import attrs

from line_braze._display import Display
from line_braze._prefetch import Prefetch
from line_braze._secret import Secret, as_secret
from line_braze.errors import LineBrazeError, PartialFailure, ValidationError

if TYPE_CHECKING:
    from line_braze.braze.client import BrazeClient
    from line_braze.braze.models import (
        ContentBlock,
        DispatchResult,
        IdentityResult,
        TrackError,
        TrackResult,
    )
    from line_braze.line.client import LineClient
    from line_braze.line.models import Message
    from line_braze.line.responses import IssuedToken, PushResult
    from line_braze.line.webhook import WebhookEvent
    from line_braze.preview import Preview
    from line_braze.templates import WebhookTemplate

__all__ = [
    "BoundedEventStore",
    "EventStore",
    "Integration",
    "IntegrationConfig",
    "RefusedFollower",
    "RotationResult",
    "SyncProgress",
    "SyncReport",
    "WebhookReport",
    "WebhookWrite",
]

_NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"


def _attr_name(_inst: object, attr: attrs.Attribute[str], value: str) -> None:
    import re

    if not re.fullmatch(_NAME_PATTERN, value) or len(value) > 255:  # noqa: PLR2004
        raise ValidationError(
            f"IntegrationConfig.{attr.name}",
            f"must be a Braze attribute/label name (letters, digits, _), got {value!r}",
        )


def _block_name(_inst: object, attr: attrs.Attribute[str], value: str) -> None:
    import re

    if not re.fullmatch(r"[A-Za-z0-9_-]{1,99}", value):
        raise ValidationError(
            f"IntegrationConfig.{attr.name}",
            f"a Content Block name is 1-99 of A-Z a-z 0-9 - _, got {value!r}",
        )


@attrs.frozen(kw_only=True)
class IntegrationConfig:
    """The names and choices the integration writes with. Defaults follow Braze's LINE guide.

    Attributes:
        attribute: the custom attribute holding the LINE user ID (Braze's templates and
            segments use ``line_id``).
        alias_label: the user-alias label for alias-only profiles keyed by the LINE user ID.
            Braze's native LINE channel uses ``line_id`` too, so the two line up.
        native_line_id: also write Braze's reserved ``native_line_id`` attribute.
        token_block: the Content Block holding the channel access token.
        unfollowed_at_attribute: set to the time of an unfollow (block), or ``None`` to skip.
        profile_on_follow: on a follow webhook, read the LINE profile and write
            ``line_display_name`` and ``language``.
        page_size: follower IDs per LINE page (max 1000).

    Example:
        >>> IntegrationConfig(attribute="lineUserId").attribute
        'lineUserId'
    """

    attribute: str = attrs.field(default="line_id", validator=_attr_name)
    alias_label: str = attrs.field(default="line_id", validator=_attr_name)
    native_line_id: bool = False
    token_block: str = attrs.field(default="LINE_Channel_AccessToken", validator=_block_name)
    unfollowed_at_attribute: str | None = "line_unfollowed_at"
    profile_on_follow: bool = False
    page_size: int = attrs.field(default=1000)

    @page_size.validator
    def _check_page_size(self, _attr: attrs.Attribute[int], value: int) -> None:
        if not 1 <= value <= 1000:  # noqa: PLR2004
            raise ValidationError("IntegrationConfig.page_size", f"must be 1..1000, got {value}")


@attrs.frozen(kw_only=True)
class SyncProgress(Display):
    """A snapshot handed to the ``progress`` callback of `Integration.sync_followers`.

    Attributes:
        followers_read: LINE user IDs read so far.
        profiles_written: profiles Braze accepted so far.
        pages: LINE pages read so far.
        resume_token: the token to resume from after everything written so far.
        elapsed: seconds since the sync started.
    """

    followers_read: int
    profiles_written: int
    pages: int
    resume_token: str | None
    elapsed: float


@attrs.frozen(kw_only=True)
class RefusedFollower:
    """A follower Braze refused, with its LINE user ID and Braze's reason.

    Attributes:
        index: position in the sync (0 = first follower read).
        line_id: the LINE user ID.
        reason: Braze's error type or message.
    """

    index: int
    line_id: str
    reason: str


@attrs.frozen(kw_only=True)
class SyncReport(Display):
    """What `Integration.sync_followers` did.

    Attributes:
        followers_read: LINE user IDs read.
        profiles_written: profiles Braze accepted (sent minus refused).
        refused: followers Braze refused, each with the reason.
        pages: LINE pages read.
        requests: ``/users/track`` requests sent.
        elapsed: seconds taken.
        resume_token: the ``next`` token after the last page fully written; pass it as
            ``start=`` to continue. ``None`` when the sync reached the end.
        complete: whether every follower was read and written.

    Example:
        >>> r = SyncReport(followers_read=3, profiles_written=3, refused=(), pages=1,
        ...                requests=1, elapsed=0.1, resume_token=None, complete=True)
        >>> r.complete
        True
    """

    followers_read: int
    profiles_written: int
    refused: tuple[RefusedFollower, ...] = attrs.field(
        repr=lambda r: f"<{len(r)} refused>" if len(r) > 3 else repr(r)  # noqa: PLR2004
    )
    pages: int
    requests: int
    elapsed: float
    resume_token: str | None
    complete: bool


class EventStore(Protocol):
    """Remembers webhook event IDs so a redelivered event is handled once.

    Implement it over Redis or a database to share it between processes.
    """

    def add(self, event_id: str) -> bool:
        """Record ``event_id``; return ``False`` if it was already there (a duplicate)."""
        ...


class BoundedEventStore:
    """An in-memory `EventStore` keeping the last ``maxsize`` event IDs (thread-safe).

    Example:
        >>> store = BoundedEventStore(maxsize=2)
        >>> store.add("a"), store.add("a"), store.add("b"), store.add("c"), store.add("a")
        (True, False, True, True, True)
    """

    def __init__(self, maxsize: int = 100_000) -> None:
        """Keep at most ``maxsize`` IDs, forgetting the oldest first."""
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._maxsize = maxsize
        self._lock = threading.Lock()

    def add(self, event_id: str) -> bool:
        """Record ``event_id``; return ``False`` if it was already recorded."""
        with self._lock:
            if event_id in self._seen:
                self._seen.move_to_end(event_id)
                return False
            self._seen[event_id] = None
            if len(self._seen) > self._maxsize:
                self._seen.popitem(last=False)
            return True

    def __len__(self) -> int:
        """Return how many IDs are remembered."""
        return len(self._seen)


@attrs.frozen(kw_only=True)
class WebhookWrite(Display):
    """One thing `Integration.handle_webhook` did for one event.

    Attributes:
        event_type: the LINE event type (``follow``, ``unfollow``, ``accountLink``).
        line_id: the LINE user ID concerned.
        action: ``upserted``, ``unset``, ``identified`` or ``skipped``.
        detail: why, for a skip, or what was written.
    """

    event_type: str
    line_id: str | None
    action: Literal["upserted", "unset", "identified", "skipped"]
    detail: str = ""


@attrs.frozen(kw_only=True)
class WebhookReport(Display):
    """What `Integration.handle_webhook` wrote.

    Attributes:
        writes: one entry per event that led to a Braze write (or a deliberate skip).
        duplicates: events skipped because their ``webhookEventId`` was seen before.
        ignored: events of other types (messages, postbacks, ...), left to your handler.
        events: every parsed event, in order, for your own handling.
    """

    writes: tuple[WebhookWrite, ...]
    duplicates: int
    ignored: int
    events: tuple[Any, ...] = attrs.field(repr=lambda e: f"<{len(e)} events>")


@attrs.frozen(kw_only=True)
class RotationResult(Display):
    """What `Integration.rotate_access_token` did.

    Attributes:
        content_block_id: the Content Block now holding the new token.
        expires_in: lifetime of the new token in seconds.
        verified: LINE confirmed the new token before the old one was revoked.
        revoked_old: the previous token was revoked.
        new_token: the new token (masked in every display).
    """

    content_block_id: str
    expires_in: int
    verified: bool
    revoked_old: bool
    new_token: Secret = attrs.field(repr=False)


class Integration:
    """Composes a `LineClient` and a `BrazeClient` into the partnership's five steps.

    Args:
        line: the LINE client (its channel access token is the one installed in Braze).
        braze: the Braze client.
        channel_secret: the LINE channel secret, needed only to verify webhooks.
        config: names and choices; see `IntegrationConfig`.
        event_store: where seen webhook event IDs are kept (default: in memory, bounded).
        resolve_nonce: for ``accountLink`` webhooks: returns the app's external id for a
            link nonce your app issued, or ``None`` if unknown.

    Example:
        >>> from line_braze import BrazeClient, LineClient
        >>> integ = Integration(line=LineClient("t"), braze=BrazeClient("k", rest_endpoint="EU-01"))
        >>> integ.braze.base_url
        'https://rest.fra-01.braze.eu'
    """

    def __init__(
        self,
        *,
        line: LineClient,
        braze: BrazeClient,
        channel_secret: str | Secret | None = None,
        config: IntegrationConfig | None = None,
        event_store: EventStore | None = None,
        resolve_nonce: Callable[[str], str | None] | None = None,
    ) -> None:
        """Compose the clients; see the class docstring."""
        self.line = line
        self.braze = braze
        self._channel_secret = (
            None if channel_secret is None else as_secret(channel_secret, name="channel_secret")
        )
        self.config = config or IntegrationConfig()
        self.event_store: EventStore = event_store or BoundedEventStore()
        self.resolve_nonce = resolve_nonce

    def __repr__(self) -> str:
        """Summarise the integration without any credential."""
        return f"<Integration line={self.line!r} braze={self.braze!r} config={self.config!r}>"

    # -- steps 1-2: followers into Braze -------------------------------------------------

    def follower_object(self, line_id: str) -> dict[str, Any]:
        """Return the ``/users/track`` attributes object that upserts one follower.

        An alias-only profile keyed by the LINE user ID, created if absent
        (``_update_existing_only: false``), carrying the ``line_id`` attribute.

        Example:
            >>> from line_braze import BrazeClient, LineClient
            >>> integ = Integration(line=LineClient("t"), braze=BrazeClient("k", rest_endpoint="US-03"))
            >>> integ.follower_object("U" + "0" * 32)["_update_existing_only"]
            False
        """  # noqa: E501
        obj: dict[str, Any] = {
            "user_alias": {"alias_name": line_id, "alias_label": self.config.alias_label},
            "_update_existing_only": False,
            self.config.attribute: line_id,
        }
        if self.config.native_line_id:
            obj["native_line_id"] = line_id
        return obj

    def sync_followers(
        self,
        start: str | None = None,
        *,
        progress: Callable[[SyncProgress], None] | None = None,
    ) -> SyncReport:
        """Copy every LINE follower into Braze as an alias-only profile with ``line_id``.

        LINE's follower pages are read up to four pages ahead in a background thread (LINE
        serves them one after another, so they set the pace) while earlier pages'
        ``/users/track`` batches (75 objects each) are in flight, concurrently up to the
        Braze client's ``max_concurrency`` and under its rate limit. Memory stays flat
        however many followers there are: at most four pages wait.

        Args:
            start: a ``resume_token`` from an earlier report or `PartialFailure`.
            progress: called after each LINE page is fully written, with a `SyncProgress`.

        Returns:
            The `SyncReport`.

        Raises:
            line_braze.errors.PartialFailure: a page could not be read or a batch could not be
                written after retries. ``resume_from`` is the token after the last page fully
                written (everything before it is in Braze), ``report`` the report so far, and
                ``__cause__`` the error.
        """
        return _FollowerSync(self, start, progress).run()

    def link(self, line_id: str, external_id: str) -> IdentityResult:
        """Merge the alias-only profile of ``line_id`` into the app's user ``external_id``.

        Calls ``/users/identify`` with the ``line_id`` alias. If the known user already
        carries an alias with the same label, Braze will not merge (it keeps both
        profiles); merge those with ``braze.users.merge`` instead.

        Raises:
            line_braze.errors.ValidationError: a bad LINE user ID or empty external id.
        """
        from line_braze.line.messages import check_user_id

        check_user_id(line_id, field="line_id")
        if not external_id:
            raise ValidationError("external_id", "must not be empty")
        return self.braze.users.identify(
            aliases_to_identify=[
                {
                    "external_id": external_id,
                    "user_alias": {"alias_name": line_id, "alias_label": self.config.alias_label},
                }
            ]
        )

    # -- step 3: the token in a Content Block ---------------------------------------------

    def install_access_token(self, token: str | Secret | None = None) -> ContentBlock:
        """Create or update the Content Block holding the channel access token.

        Running it twice leaves one block. The token written is ``token``, or by default the
        LINE client's own. The returned block never shows its content.

        Args:
            token: the channel access token to store; default: the LINE client's.
        """
        secret = self.line._transport.secret if token is None else as_secret(token, name="token")  # noqa: SLF001
        name = self.config.token_block
        existing = self.braze.content_blocks.find(name)
        if existing is None:
            return self.braze.content_blocks.create(
                name=name,
                content=secret,
                description="LINE channel access token (managed by line_braze)",
            )
        self.braze.content_blocks.update(existing.content_block_id, content=secret)
        return self.braze.content_blocks.get(existing.content_block_id)

    def rotate_access_token(
        self,
        *,
        channel_id: str | int,
        channel_secret: str | Secret,
        kind: Literal["short_lived", "stateless"] = "short_lived",
        revoke_old: bool = True,
    ) -> RotationResult:
        """Issue a new channel access token, store it in Braze, check it, revoke the old one.

        Order matters: the new token is written to the Content Block and verified with LINE
        before the old one is revoked, so campaigns never render a dead token. Stateless
        tokens (15 minutes) cannot be revoked and are a poor fit for a Content Block; they
        are allowed for short campaigns. The old token is the one currently in the block.

        Args:
            channel_id: the LINE channel ID.
            channel_secret: the LINE channel secret.
            kind: ``short_lived`` (30 days) or ``stateless`` (15 minutes).
            revoke_old: revoke the previous token once the new one is in place.
        """
        tokens = self.line.tokens
        issued: IssuedToken = (
            tokens.issue_short_lived(channel_id, channel_secret)
            if kind == "short_lived"
            else tokens.issue_stateless(channel_id, channel_secret)
        )
        name = self.config.token_block
        existing = self.braze.content_blocks.find(name)
        old = existing.content if existing is not None else None
        block = self.install_access_token(issued.access_token)
        verified = False
        if kind == "short_lived":
            tokens.verify(issued.access_token)
            verified = True
        # This integration's LINE client (and everyone sharing it) moves to the new token
        # before the old one dies.
        self.line.set_channel_access_token(issued.access_token)
        revoked = False
        if revoke_old and old is not None:
            old_secret = old if isinstance(old, Secret) else Secret(str(old))
            if old_secret.reveal().strip() and old_secret != issued.access_token:
                tokens.revoke(Secret(old_secret.reveal().strip()))
                revoked = True
        return RotationResult(
            content_block_id=block.content_block_id,
            expires_in=issued.expires_in,
            verified=verified,
            revoked_old=revoked,
            new_token=issued.access_token,
        )

    # -- step 4: templates ----------------------------------------------------------------

    def webhook_template(self, messages: Sequence[Message], **options: Any) -> WebhookTemplate:
        """Turn LINE message models into a Braze webhook template for LINE's push endpoint.

        See `line_braze.templates.build_webhook_template` for the hardening and ``options``;
        the attribute and Content Block names come from this integration's config.
        """
        from line_braze.templates import build_webhook_template

        options.setdefault("line_id_attribute", self.config.attribute)
        options.setdefault("token_block", self.config.token_block)
        return build_webhook_template(messages, **options)

    # -- step 5: preview, test, segment ---------------------------------------------------

    def preview(
        self,
        template: WebhookTemplate,
        user: Mapping[str, Any],
        content_blocks: Mapping[str, str | Secret] | None = None,
        **extra: Any,
    ) -> Preview:
        """Render ``template`` for one user as Braze would, and check it against LINE's rules.

        Args:
            template: from `webhook_template`.
            user: the profile: standard attributes (``first_name``...) and custom ones
                (``line_id``...) by name.
            content_blocks: name -> content; by default the token block is read from Braze.
            **extra: campaign values (``dispatch_id``...) for the preview.

        Raises:
            line_braze.errors.ValidationError: LINE would refuse the rendered request.
        """
        from line_braze.preview import render_preview

        blocks = dict(content_blocks) if content_blocks is not None else self._token_blocks()
        return render_preview(template, user=user, content_blocks=blocks, extra=extra or None)

    def _token_blocks(self) -> dict[str, str | Secret]:
        name = self.config.token_block
        block = self.braze.content_blocks.find(name)
        if block is None:
            raise ValidationError(
                "content_blocks",
                f"no Content Block named {name!r} in Braze; run install_access_token() first",
            )
        return {name: block.content}

    def send_test(
        self,
        template: WebhookTemplate,
        *,
        line_id: str,
        user: Mapping[str, Any] | None = None,
        via: Literal["line", "braze"] = "line",
        external_id: str | None = None,
        content_blocks: Mapping[str, str | Secret] | None = None,
    ) -> PushResult | DispatchResult:
        """Send ``template`` to one LINE user, as a test before a campaign.

        ``via="line"`` renders like `preview` and pushes through the LINE client with a
        retry key; ``via="braze"`` sends the template through Braze's ``/messages/send``
        webhook object to the known user ``external_id`` (whose ``line_id`` Braze renders),
        exercising Braze's own path.

        Raises:
            line_braze.errors.ValidationError: a bad ID, or LINE would refuse the message.
            line_braze.errors.APIError: the send failed.
        """
        from line_braze.line.messages import check_user_id
        from line_braze.line.models import messages_from_wire

        check_user_id(line_id, field="line_id")
        if via == "braze":
            if not external_id:
                raise ValidationError("external_id", "via='braze' needs the user's external_id")
            return self.braze.messages.send(
                external_user_ids=[external_id], webhook=template.to_dict()
            )
        profile = dict(user or {})
        profile[self.config.attribute] = line_id
        rendered = self.preview(template, profile, content_blocks)
        if rendered.aborted:
            raise ValidationError("template", f"aborted: {rendered.abort_reason}")
        body = rendered.json
        messages = messages_from_wire(body["messages"])
        return self.line.messages.push(
            line_id,
            messages,
            notification_disabled=bool(body.get("notificationDisabled", False)),
        )

    def line_id_audience(self) -> dict[str, Any]:
        """Return the Connected Audience filter "custom attribute ``line_id`` exists".

        Use it as ``audience`` in ``/messages/send`` or a campaign/Canvas trigger.

        Example:
            >>> from line_braze import BrazeClient, LineClient
            >>> Integration(line=LineClient("t"), braze=BrazeClient("k", rest_endpoint="US-01")
            ...             ).line_id_audience()
            {'AND': [{'custom_attribute': {'custom_attribute_name': 'line_id', 'comparison': 'exists'}}]}
        """  # noqa: E501
        return {
            "AND": [
                {
                    "custom_attribute": {
                        "custom_attribute_name": self.config.attribute,
                        "comparison": "exists",
                    }
                }
            ]
        }

    # -- webhooks keep Braze in step ------------------------------------------------------

    def handle_webhook(self, body: bytes, signature: str | None) -> WebhookReport:
        """Verify a LINE webhook request and mirror follows, unfollows and links into Braze.

        The signature is checked first: a forged request writes nothing. Redelivered events
        (same ``webhookEventId``) are skipped. Then follow upserts the alias-only profile
        with ``line_id``; unfollow sets ``line_id`` to null (so segments on "``line_id``
        exists" stop targeting users who blocked the account) and records the time; a
        successful ``accountLink`` identifies the alias with the external id that
        ``resolve_nonce`` returns.

        Args:
            body: the raw request body bytes, exactly as received.
            signature: the ``X-Line-Signature`` header value.

        Raises:
            line_braze.errors.SignatureError: the signature does not match.
            line_braze.errors.ValidationError: no channel secret was configured.
        """
        from line_braze.line.webhook import parse_webhook

        if self._channel_secret is None:
            raise ValidationError("channel_secret", "handle_webhook needs the channel secret")
        payload = parse_webhook(body, signature or "", self._channel_secret)
        return _WebhookHandler(self).handle(payload.events)


class _WebhookHandler:
    def __init__(self, integ: Integration) -> None:
        self.integ = integ
        self.config = integ.config

    def handle(self, events: Sequence[WebhookEvent]) -> WebhookReport:
        from line_braze.line import webhook as wh

        writes: list[WebhookWrite] = []
        objects: list[dict[str, Any]] = []
        duplicates = ignored = 0
        links: list[tuple[str, str]] = []
        for event in events:
            event_id = getattr(event, "webhook_event_id", None)
            if event_id and not self.integ.event_store.add(event_id):
                duplicates += 1
                continue
            user_id = _user_id(event)
            if isinstance(event, wh.FollowEvent) and user_id:
                objects.append(self._follow(user_id))
                writes.append(WebhookWrite(event_type="follow", line_id=user_id, action="upserted"))
            elif isinstance(event, wh.UnfollowEvent) and user_id:
                objects.append(self._unfollow(user_id, event))
                writes.append(WebhookWrite(event_type="unfollow", line_id=user_id, action="unset"))
            elif isinstance(event, wh.AccountLinkEvent) and user_id:
                writes.append(self._account_link(event, user_id, links))
            else:
                ignored += 1
        if objects:
            result = self.integ.braze.users.track(attributes=objects)
            result.raise_for_failures()
        for line_id, external_id in links:
            self.integ.link(line_id, external_id)
        return WebhookReport(
            writes=tuple(writes), duplicates=duplicates, ignored=ignored, events=tuple(events)
        )

    def _follow(self, user_id: str) -> dict[str, Any]:
        obj = self.integ.follower_object(user_id)
        if self.config.unfollowed_at_attribute:
            obj[self.config.unfollowed_at_attribute] = None
        if self.config.profile_on_follow:
            try:
                profile = self.integ.line.profiles.get(user_id)
            except LineBrazeError:
                pass
            else:
                obj["line_display_name"] = profile.display_name
                if profile.language:
                    obj["language"] = profile.language
        return obj

    def _unfollow(self, user_id: str, event: Any) -> dict[str, Any]:
        # Update only: an unfollow must not create a profile for someone we never knew.
        obj: dict[str, Any] = {
            "user_alias": {"alias_name": user_id, "alias_label": self.config.alias_label},
            "_update_existing_only": True,
            self.config.attribute: None,
        }
        if self.config.native_line_id:
            obj["native_line_id"] = None
        if self.config.unfollowed_at_attribute:
            try:
                when = dt.datetime.fromtimestamp(event.timestamp / 1000, tz=dt.timezone.utc)
            except (OverflowError, OSError, ValueError):
                when = None  # an impossible time: still unset line_id, skip the timestamp
            if when is not None:
                stamp = when.isoformat().replace("+00:00", "Z")
                obj[self.config.unfollowed_at_attribute] = stamp
        return obj

    def _account_link(self, event: Any, user_id: str, links: list[tuple[str, str]]) -> WebhookWrite:
        link = event.link
        if getattr(link, "result", None) != "ok":
            return WebhookWrite(
                event_type="accountLink", line_id=user_id, action="skipped", detail="link failed"
            )
        resolve = self.integ.resolve_nonce
        external_id = resolve(link.nonce) if resolve is not None and link.nonce else None
        if not external_id:
            return WebhookWrite(
                event_type="accountLink",
                line_id=user_id,
                action="skipped",
                detail="nonce not resolved (pass resolve_nonce=)",
            )
        links.append((user_id, external_id))
        return WebhookWrite(
            event_type="accountLink",
            line_id=user_id,
            action="identified",
            detail=f"external_id={external_id}",
        )


def _user_id(event: Any) -> str | None:
    source = getattr(event, "source", None)
    user_id = getattr(source, "user_id", None)
    return user_id if isinstance(user_id, str) and user_id else None


class _FollowerSync:
    """One run of `Integration.sync_followers`: LINE pages in, track batches out."""

    def __init__(
        self,
        integ: Integration,
        start: str | None,
        progress: Callable[[SyncProgress], None] | None,
    ) -> None:
        self.integ = integ
        self.start = start
        self.progress = progress
        self.t0 = time.perf_counter()
        self.lock = threading.Lock()
        # page bookkeeping: (end_index, next_token) in page order; done counts by page
        self.page_ends: list[tuple[int, str | None]] = []
        self.done_upto = 0  # all followers with index < done_upto are written
        self.completed: dict[int, int] = {}  # batch start -> batch end, out of order
        self.resume_token = start
        self.pages = 0
        self.read = 0
        self.failed: BaseException | None = None
        self.refused: list[RefusedFollower] = []

    def _pages(self) -> Iterator[Any]:
        return iter(self.integ.line.followers.pages(self.start, limit=self.integ.config.page_size))

    def _objects(self) -> Iterator[dict[str, Any]]:
        prefetch = Prefetch(self._pages(), depth=4)
        try:
            for page in prefetch:
                if self.failed is not None:
                    return
                ids = page.user_ids
                with self.lock:
                    self.pages += 1
                    self.read += len(ids)
                    self.page_ends.append((self.read, page.next))
                for user_id in ids:
                    yield self.integ.follower_object(user_id)
        finally:
            prefetch.close()

    def on_batch(self, batch: Any) -> None:
        """Called by the Braze client after each batch (any thread)."""
        with self.lock:
            if batch.error is not None:
                if self.failed is None:
                    self.failed = batch.error
                return
            self.completed[batch.start] = batch.end
            while self.done_upto in self.completed:
                self.done_upto = self.completed.pop(self.done_upto)
            advanced = False
            while self.page_ends and self.page_ends[0][0] <= self.done_upto:
                _, token = self.page_ends.pop(0)
                self.resume_token = token
                advanced = True
            snapshot = self._progress() if advanced else None
        if snapshot is not None and self.progress is not None:
            self.progress(snapshot)

    def _progress(self) -> SyncProgress:
        return SyncProgress(
            followers_read=self.read,
            profiles_written=self.done_upto - len(self.refused),
            pages=self.pages,
            resume_token=self.resume_token,
            elapsed=time.perf_counter() - self.t0,
        )

    def run(self) -> SyncReport:
        result: TrackResult | None = None
        try:
            result = self.integ.braze.users.track(
                attributes=self._objects(), on_batch=self.on_batch
            )
        except LineBrazeError as exc:
            self.failed = exc
        if result is not None:
            for err in result.errors:
                self.refused.append(_refused(err))
            if self.failed is None and result.stopped is not None:
                self.failed = result.stopped
        report = self._report(result)
        if self.failed is not None or (result is not None and result.failures):
            cause = self.failed or _first_failure(result)
            raise PartialFailure(
                f"follower sync stopped after {report.profiles_written} profiles; "
                f"resume with start={report.resume_token!r}: {cause}",
                resume_from=report.resume_token,
                report=report,
            ) from cause if isinstance(cause, BaseException) else None
        return report

    def _report(self, result: TrackResult | None) -> SyncReport:
        complete = (
            self.failed is None
            and bool(self.page_ends == [])
            and (result is not None and not result.failures)
        )
        written = (result.attributes_processed if result is not None else 0) or max(
            0, self.done_upto - len(self.refused)
        )
        return SyncReport(
            followers_read=self.read,
            profiles_written=written,
            refused=tuple(self.refused),
            pages=self.pages,
            requests=result.requests if result is not None else 0,
            elapsed=time.perf_counter() - self.t0,
            resume_token=None if complete else self.resume_token,
            complete=complete,
        )


def _refused(err: TrackError) -> RefusedFollower:
    return RefusedFollower(index=err.index, line_id=str(err.identifier or ""), reason=err.reason)


def _first_failure(result: TrackResult | None) -> BaseException | str:
    if result is None or not result.failures:
        return "unknown failure"
    failure = result.failures[0]
    return getattr(failure, "error", None) or str(failure)
