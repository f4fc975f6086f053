"""Sending: ``/messages/send``, campaign and Canvas triggers, send IDs.

Recipients go at most 50 a request, read lazily. Sends are not repeated after an ambiguous
failure (a repeat could message people twice): they are retried only where Braze cannot
have seen them (connection refused, 429).

Example:
    >>> line_id_exists_audience()
    {'custom_attribute': {'custom_attribute_name': 'line_id', 'comparison': 'exists'}}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from line_braze._check import (
    check_bool,
    check_items,
    check_mapping,
    check_optional_bool,
    non_empty_str,
    one_of,
)
from line_braze._client import BaseService
from line_braze._transport import Retry, Transport
from line_braze.braze._answers import DispatchAnswer, reader
from line_braze.braze._common import MAX_IDS, alias_wire, chunks, hints
from line_braze.braze.models import DispatchResult, UserAlias, WebhookMessage
from line_braze.errors import ValidationError

__all__ = ["Campaigns", "Canvas", "Messages", "Sends", "line_id_exists_audience"]

Recipient = str | UserAlias | Mapping[str, object]


def line_id_exists_audience(attribute: str = "line_id") -> dict[str, Any]:
    """Return the Connected Audience filter "custom attribute ``attribute`` exists".

    Use it as ``audience=`` of a send or trigger to reach only users with a LINE ID.

    Example:
        >>> line_id_exists_audience("native_line_id")["custom_attribute"]["custom_attribute_name"]
        'native_line_id'
    """
    if not attribute:
        raise ValidationError("attribute", "must not be empty")
    return {"custom_attribute": {"custom_attribute_name": attribute, "comparison": "exists"}}


def _recipient(value: object, field: str) -> dict[str, Any]:
    if isinstance(value, str):
        if not value:
            raise ValidationError(field, "an external user ID must not be empty")
        return {"external_user_id": value}
    if isinstance(value, UserAlias):
        return {"user_alias": value.to_wire()}
    if not isinstance(value, Mapping):
        raise ValidationError(
            field, f"must be a str, UserAlias or mapping, not {type(value).__name__}"
        )
    ids = [k for k in ("external_user_id", "user_alias", "email") if value.get(k)]
    if len(ids) != 1:
        raise ValidationError(field, "needs exactly one of external_user_id, user_alias or email")
    out = dict(value)
    if "user_alias" in out:
        out["user_alias"] = alias_wire(out["user_alias"], f"{field}.user_alias")
    return out


_SUBSCRIPTION_STATE = one_of(("opted_in", "subscribed", "all"))


def _optional_str(value: object, field: str) -> str | None:
    return None if value is None else non_empty_str(value, field)


def _optional_mapping(value: object, field: str) -> dict[str, Any] | None:
    return None if value is None else dict(check_mapping(value, field))


_WEBHOOK_KEYS = ("url", "request_method", "request_headers", "body", "message_variation_id")


def _webhook_wire(webhook: WebhookMessage | Mapping[str, object]) -> dict[str, Any]:
    """Return the webhook object, checked; a mapping's missing method defaults to POST."""
    if isinstance(webhook, WebhookMessage):
        return webhook.to_wire()
    known: dict[str, Any] = {k: webhook[k] for k in _WEBHOOK_KEYS if webhook.get(k) is not None}
    if "url" not in known:
        raise ValidationError("webhook.url", "is required")
    try:
        message = WebhookMessage(**known)
    except ValidationError as exc:
        raise exc.prefixed("webhook") from None
    return {**webhook, **message.to_wire()}


def _dispatch(
    transport: Transport, path: str, permission: str, bodies: Iterable[dict[str, Any]]
) -> DispatchResult:
    ids: list[str] = []
    send_ids: list[str] = []
    errors: list[Any] = []
    notices: list[str] = []
    requests = 0
    for body in bodies:
        answer = transport.fetch(
            "POST",
            path,
            into=reader(DispatchAnswer),
            json_body=body,
            retry=Retry.UNRECORDED,
            hints=hints(permission),
        )
        requests += 1
        if answer.dispatch_id is not None:
            ids.append(answer.dispatch_id)
        if answer.send_id is not None:
            send_ids.append(answer.send_id)
        errors.extend(answer.errors or ())
        if answer.notice:
            notices.append(answer.notice)
    return DispatchResult(
        dispatch_ids=tuple(ids),
        requests=requests,
        notices=tuple(notices),
        send_ids=tuple(send_ids),
        errors=tuple(errors),
    )


def _with_recipients(
    base: dict[str, Any],
    recipients: Iterable[Recipient],
    *,
    broadcast: bool,
    targeted: bool,
) -> list[dict[str, Any]]:
    """Return one body per 50 recipients (all checked first); one body for a broadcast."""
    wired = check_items(recipients, "recipients", _recipient, what="a list of recipients")
    if wired and broadcast:
        raise ValidationError("broadcast", "cannot be combined with recipients")
    if not wired:
        if not (broadcast or targeted):
            raise ValidationError(
                "recipients", "give recipients, or broadcast=True with a segment or audience"
            )
        return [dict(base)]
    return [{**base, "recipients": list(chunk)} for chunk in chunks(wired, MAX_IDS)]


class Messages(BaseService):
    """``/messages/send``. Not built directly: use ``BrazeClient(...).messages``."""

    def send(
        self,
        *,
        external_user_ids: Iterable[str] = (),
        user_aliases: Iterable[UserAlias | Mapping[str, str]] = (),
        segment_id: str | None = None,
        audience: Mapping[str, object] | None = None,
        broadcast: bool = False,
        campaign_id: str | None = None,
        send_id: str | None = None,
        override_frequency_capping: bool | None = None,
        recipient_subscription_state: str | None = None,
        webhook: WebhookMessage | Mapping[str, object] | None = None,
        messages: Mapping[str, object] | None = None,
    ) -> DispatchResult:
        """Send a message now, to users by ID or alias (50 a request), or to a segment.

        Args:
            external_user_ids: users by external ID.
            user_aliases: users by alias.
            segment_id: a segment to send to (with ``broadcast=True``).
            audience: a Connected Audience filter (see `line_id_exists_audience`).
            broadcast: send to a whole segment or audience; not with users.
            campaign_id: an API campaign, for statistics.
            send_id: a send ID (see ``braze.sends.create_id``).
            override_frequency_capping: ignore frequency capping.
            recipient_subscription_state: ``opted_in``, ``subscribed`` or ``all``.
            webhook: the webhook messaging object.
            messages: other messaging objects, keyed by channel.

        Returns:
            The `DispatchResult`: a ``dispatch_id`` a request, the ``send_id`` Braze answered
            beside it, and Braze's non-fatal ``errors`` (the send went out to the others).

        Raises:
            line_braze.errors.ValidationError: no message, no recipients, a bare str where a
                list belongs, a bad user, a non-bool flag, an empty ID, an ``audience`` or
                ``messages`` that is not a mapping, or an unknown
                ``recipient_subscription_state``; all checked before the first request, so
                nothing was sent.
        """
        check_bool(broadcast, "broadcast")
        check_optional_bool(override_frequency_capping, "override_frequency_capping")
        payload: dict[str, Any] = dict(check_mapping(messages or {}, "messages"))
        if webhook is not None:
            payload["webhook"] = _webhook_wire(webhook)
        if not payload:
            raise ValidationError("messages", "give a webhook or another messaging object")
        base: dict[str, Any] = {"messages": payload}
        options = {
            "segment_id": _optional_str(segment_id, "segment_id"),
            "audience": _optional_mapping(audience, "audience"),
            "campaign_id": _optional_str(campaign_id, "campaign_id"),
            "send_id": _optional_str(send_id, "send_id"),
            "override_frequency_capping": override_frequency_capping,
            "recipient_subscription_state": None
            if recipient_subscription_state is None
            else _SUBSCRIPTION_STATE(recipient_subscription_state, "recipient_subscription_state"),
        }
        base.update({k: v for k, v in options.items() if v is not None})
        if broadcast:
            base["broadcast"] = True
        targets = [
            *(
                ("external_user_ids", e)
                for e in check_items(external_user_ids, "external_user_ids", non_empty_str)
            ),
            *(("user_aliases", a) for a in check_items(user_aliases, "user_aliases", alias_wire)),
        ]
        if targets and broadcast:
            raise ValidationError("broadcast", "cannot be combined with users")
        if not targets and not (broadcast or segment_id or audience):
            raise ValidationError("recipients", "give users, a segment or an audience")
        bodies: list[dict[str, Any]] = []
        for chunk in chunks(targets, MAX_IDS):
            body = dict(base)
            for key, value in chunk:
                body.setdefault(key, []).append(value)
            bodies.append(body)
        return _dispatch(self._transport, "/messages/send", "messages.send", bodies or [base])


class Campaigns(BaseService):
    """``/campaigns/trigger/send``. Not built directly: use ``BrazeClient(...).campaigns``."""

    def trigger_send(
        self,
        campaign_id: str,
        recipients: Iterable[Recipient] = (),
        *,
        send_id: str | None = None,
        trigger_properties: Mapping[str, object] | None = None,
        broadcast: bool = False,
        audience: Mapping[str, object] | None = None,
        attachments: Iterable[Mapping[str, object]] | None = None,
    ) -> DispatchResult:
        """Trigger an API-triggered campaign, 50 recipients a request.

        Args:
            campaign_id: the campaign's API identifier.
            recipients: external user IDs (str), `UserAlias`, or recipient mappings
                (``external_user_id`` | ``user_alias`` | ``email``, plus
                ``trigger_properties``, ``send_to_existing_only``, ``attributes``).
            send_id: a send ID, for statistics.
            trigger_properties: properties for every recipient.
            broadcast: send to the campaign's segment (or ``audience``); not with recipients.
            audience: a Connected Audience filter.
            attachments: email attachments.

        Raises:
            line_braze.errors.ValidationError: no campaign ID, a bad recipient (every one
                is checked before the first request), a bare str where a list belongs, a
                non-bool ``broadcast``, or recipients together with ``broadcast``.
        """
        non_empty_str(campaign_id, "campaign_id")
        check_bool(broadcast, "broadcast")
        base: dict[str, Any] = {"campaign_id": campaign_id}
        if send_id is not None:
            base["send_id"] = non_empty_str(send_id, "send_id")
        if trigger_properties is not None:
            base["trigger_properties"] = _optional_mapping(trigger_properties, "trigger_properties")
        if broadcast:
            base["broadcast"] = True
        if audience is not None:
            base["audience"] = _optional_mapping(audience, "audience")
        if attachments is not None:
            base["attachments"] = [
                dict(a) for a in check_items(attachments, "attachments", check_mapping)
            ]
        bodies = _with_recipients(
            base, recipients, broadcast=broadcast, targeted=audience is not None
        )
        return _dispatch(
            self._transport, "/campaigns/trigger/send", "campaigns.trigger.send", bodies
        )


class Canvas(BaseService):
    """``/canvas/trigger/send``. Not built directly: use ``BrazeClient(...).canvas``."""

    def trigger_send(
        self,
        canvas_id: str,
        recipients: Iterable[Recipient] = (),
        *,
        context: Mapping[str, object] | None = None,
        broadcast: bool = False,
        audience: Mapping[str, object] | None = None,
    ) -> DispatchResult:
        """Trigger an API-triggered Canvas, 50 recipients a request.

        Args:
            canvas_id: the Canvas's API identifier.
            recipients: as for ``campaigns.trigger_send`` (each may carry ``context``).
            context: Canvas entry context for every recipient (at most 50 KB).
            broadcast: send to the Canvas's segment (or ``audience``).
            audience: a Connected Audience filter.

        Raises:
            line_braze.errors.ValidationError: no Canvas ID, a bad recipient (every one is
                checked before the first request), a bare str where a list belongs or a
                non-bool ``broadcast``.
        """
        non_empty_str(canvas_id, "canvas_id")
        check_bool(broadcast, "broadcast")
        base: dict[str, Any] = {"canvas_id": canvas_id}
        if context is not None:
            base["context"] = _optional_mapping(context, "context")
        if broadcast:
            base["broadcast"] = True
        if audience is not None:
            base["audience"] = _optional_mapping(audience, "audience")
        bodies = _with_recipients(
            base, recipients, broadcast=broadcast, targeted=audience is not None
        )
        return _dispatch(self._transport, "/canvas/trigger/send", "canvas.trigger.send", bodies)


class Sends(BaseService):
    """``/sends/id/create``. Not built directly: use ``BrazeClient(...).sends``."""

    def create_id(self, campaign_id: str, send_id: str | None = None) -> str:
        """Create a send ID for tracking a send under an API campaign; return it.

        Braze allows 100 a day per workspace.

        Raises:
            line_braze.errors.ValidationError: no campaign ID.
        """
        body: dict[str, Any] = {"campaign_id": non_empty_str(campaign_id, "campaign_id")}
        if send_id is not None:
            body["send_id"] = non_empty_str(send_id, "send_id")
        result = _dispatch(self._transport, "/sends/id/create", "sends.id.create", [body])
        return result.send_ids[0] if result.send_ids else (send_id or "")
