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

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import attrs

from line_braze._display import Display
from line_braze._follower_sync import RefusedFollower, SyncProgress, SyncReport, run_sync
from line_braze._secret import Secret, as_secret
from line_braze.errors import ValidationError

# The webhook mirror lives in line_braze.mirror; these stay importable from here.
from line_braze.mirror import BoundedEventStore, EventStore, WebhookReport, WebhookWrite

if TYPE_CHECKING:
    from line_braze.braze.client import BrazeClient
    from line_braze.braze.models import (
        ContentBlock,
        DispatchResult,
        IdentityResult,
    )
    from line_braze.line.client import LineClient
    from line_braze.line.models import Message
    from line_braze.line.responses import IssuedToken, PushResult
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
        event_store: where handled webhook events and each user's newest follow/unfollow
            are kept; see `line_braze.mirror.EventStore` (default: in memory, bounded).
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
        self.event_store: EventStore = (
            BoundedEventStore() if event_store is None else _checked_store(event_store)
        )
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
        progress: Callable[[SyncProgress], None] | bool | None = None,
    ) -> SyncReport:
        """Copy every LINE follower into Braze as an alias-only profile with ``line_id``.

        LINE's follower pages are read up to four pages ahead in a background thread (LINE
        serves them one after another, so they set the pace) while earlier pages'
        ``/users/track`` batches (75 objects each) are in flight, concurrently up to the
        Braze client's ``max_concurrency`` and under its rate limit. Memory stays flat
        however many followers there are: at most four pages wait.

        Args:
            start: a ``resume_token`` from an earlier report or `PartialFailure`.
            progress: called after each LINE page is fully written, with a `SyncProgress`;
                ``True`` shows a `line_braze.progress.ProgressBar` (tqdm, in a terminal
                or a notebook) for the duration of the sync.

        Returns:
            The `SyncReport`.

        Raises:
            line_braze.errors.PartialFailure: a page could not be read or a batch could not be
                written after retries. ``resume_from`` is the token after the last page fully
                written (everything before it is in Braze; ``None``: start again from the
                beginning, never a token LINE has just refused), ``report`` the report so
                far, and ``__cause__`` the error.
            line_braze.errors.SyncInterrupted: Ctrl-C. Still a ``KeyboardInterrupt``; the
                batches in flight finish first, then it carries ``resume_from`` and
                ``report`` (what was really written) like `PartialFailure`.
        """
        if progress is True:
            from line_braze.progress import ProgressBar

            with ProgressBar() as bar:
                return run_sync(self, start, bar)
        return run_sync(self, start, progress or None)

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

        Running it twice, or from many threads or processes at once, leaves one block and
        raises nothing (see `line_braze.braze.content_blocks.ContentBlocks.upsert`). The
        token written is ``token``, or by default the LINE client's own. The returned block
        never shows its content.

        Args:
            token: the channel access token to store; default: the LINE client's.
        """
        secret = self.line._transport.secret if token is None else as_secret(token, name="token")  # noqa: SLF001
        return self.braze.content_blocks.upsert(
            self.config.token_block,
            secret,
            description="LINE channel access token (managed by line_braze)",
        )

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
            **extra: the keywords of `line_braze.preview.render_preview`
                (``connected_content``, ``catalogs``, ``event_properties``, ``now``...);
                any other is a campaign value (``dispatch_id``...).

        Raises:
            line_braze.errors.ValidationError: LINE would refuse the rendered request.
        """
        from line_braze.preview import PREVIEW_KEYWORDS, render_preview

        blocks = dict(content_blocks) if content_blocks is not None else self._token_blocks()
        options = {k: extra.pop(k) for k in list(extra) if k in PREVIEW_KEYWORDS}
        return render_preview(
            template, user=user, content_blocks=blocks, extra=extra or None, **options
        )

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
        line_id: str | None = None,
        user: Mapping[str, Any] | None = None,
        via: Literal["line", "braze"] = "line",
        external_id: str | None = None,
        content_blocks: Mapping[str, str | Secret] | None = None,
    ) -> PushResult | DispatchResult:
        """Send ``template`` to one LINE user, as a test before a campaign.

        ``via="line"`` renders like `preview` and pushes to ``line_id`` through the LINE
        client with a retry key. ``via="braze"`` sends the template through Braze's
        ``/messages/send`` webhook object, exercising Braze's own path: to the profile of
        ``line_id`` (by its alias, as `sync_followers` and the webhooks write it), or to the
        known user ``external_id`` (whose ``line_id`` Braze renders). Give one of the two:
        an ID that would not be used is refused, never checked and then ignored.

        Args:
            template: from `webhook_template`.
            line_id: the LINE user ID to send to.
            user: ``via="line"``: the profile attributes to render with.
            via: ``"line"`` or ``"braze"``.
            external_id: ``via="braze"``: the Braze external ID to send to instead.
            content_blocks: ``via="line"``: name -> content, as for `preview`.

        Raises:
            line_braze.errors.ValidationError: a bad or missing ID, both IDs, or LINE would
                refuse the message. Nothing was sent.
            line_braze.errors.APIError: the send failed.
        """
        from line_braze._check import check_bool
        from line_braze.line.messages import check_user_id
        from line_braze.line.models import messages_from_wire

        if via == "braze":
            return self._send_test_braze(template, line_id=line_id, external_id=external_id)
        if external_id is not None:
            raise ValidationError("external_id", "only with via='braze'; via='line' uses line_id")
        if line_id is None:
            raise ValidationError("line_id", "via='line' needs the LINE user ID to push to")
        check_user_id(line_id, field="line_id")
        profile = dict(user or {})
        profile[self.config.attribute] = line_id
        rendered = self.preview(template, profile, content_blocks)
        if rendered.aborted:
            raise ValidationError("template", f"aborted: {rendered.abort_reason}")
        body = rendered.json
        messages = messages_from_wire(body["messages"])
        # Taken as the template has it: a string "false" is refused, never coerced to True.
        disabled = check_bool(body.get("notificationDisabled", False), "notificationDisabled")
        return self.line.messages.push(line_id, messages, notification_disabled=disabled)

    def _send_test_braze(
        self, template: WebhookTemplate, *, line_id: str | None, external_id: str | None
    ) -> DispatchResult:
        from line_braze.line.messages import check_user_id

        if line_id is not None and external_id is not None:
            raise ValidationError(
                "line_id",
                "via='braze' sends to line_id's profile or to external_id, not both: give one",
            )
        if external_id is not None:
            if not external_id:
                raise ValidationError("external_id", "must not be empty")
            return self.braze.messages.send(external_user_ids=[external_id], webhook=template)
        if line_id is None:
            raise ValidationError("line_id", "via='braze' needs line_id or external_id")
        check_user_id(line_id, field="line_id")
        alias = {"alias_name": line_id, "alias_label": self.config.alias_label}
        return self.braze.messages.send(user_aliases=[alias], webhook=template)

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

        The signature is checked first: a forged request writes nothing. Events already
        handled (same ``webhookEventId``) are skipped as duplicates. Per user, the follow or
        unfollow with the latest ``timestamp`` wins, within the body and across deliveries:
        an older one is skipped as stale. A follow upserts the alias-only profile with
        ``line_id``; an unfollow sets ``line_id`` to null (so segments on "``line_id``
        exists" stop targeting users who blocked the account) and records the time; a
        successful ``accountLink`` identifies the alias with the external id that
        ``resolve_nonce`` returns. A ``userId`` that is not a LINE user ID writes nothing
        and is reported as skipped.

        An event counts as handled only once its Braze write succeeded: what Braze did not
        take is left for LINE to redeliver. Answer LINE 200 when this returns, 400 on
        `SignatureError` or `WebhookParseError`, and 503 on `PartialFailure`.

        Args:
            body: the raw request body bytes, exactly as received.
            signature: the ``X-Line-Signature`` header value.

        Returns:
            What was written, skipped, stale, duplicate or ignored, and every event.

        Raises:
            line_braze.errors.SignatureError: the signature does not match (nothing written).
            line_braze.errors.WebhookParseError: a signed body that is not LINE's JSON shape.
            line_braze.errors.PartialFailure: Braze did not take some writes; the message
                and ``err.report.failed`` name the events not written (not marked handled,
                so LINE's redelivery writes them), ``err.report`` says what was written.
            line_braze.errors.ValidationError: no channel secret was configured.
        """
        from line_braze.line.webhook import parse_webhook
        from line_braze.mirror import handle_events

        if self._channel_secret is None:
            raise ValidationError("channel_secret", "handle_webhook needs the channel secret")
        payload = parse_webhook(body, signature or "", self._channel_secret)
        return handle_events(self, payload.events)


def _checked_store(store: EventStore) -> EventStore:
    missing = [
        name
        for name in ("is_handled", "mark_handled", "last_applied", "advance")
        if not callable(getattr(store, name, None))
    ]
    if missing:
        raise ValidationError(
            "event_store",
            f"must implement line_braze.mirror.EventStore; missing {', '.join(missing)} "
            "(the add(event_id) store of earlier versions is replaced by that protocol)",
        )
    return store
