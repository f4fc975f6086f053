"""User data: ``/users/track`` at scale and the identity endpoints. Reach it as ``braze.users``.

Example:
    >>> import responses
    >>> from line_braze.braze.client import BrazeClient
    >>> from line_braze.braze.models import UserAlias, Attributes
    >>> braze = BrazeClient("key", rest_endpoint="US-03", max_concurrency=1)
    >>> with responses.RequestsMock() as mock:
    ...     _ = mock.post("https://rest.iad-03.braze.com/users/track", status=201,
    ...                   json={"message": "success", "attributes_processed": 2})
    ...     result = braze.users.track(attributes=(
    ...         Attributes(user_alias=UserAlias(f"U{n}", "line_id"), line_id=f"U{n}")
    ...         for n in range(2)))
    >>> result.attributes_processed, result.requests, result.errors
    (2, 1, ())
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final, Literal

from line_braze._check import check_items, check_mapping, is_bare, non_empty_str, one_of
from line_braze._client import BaseService
from line_braze._transport import Retry, Transport
from line_braze.braze._answers import ExportAnswer, IdentityAnswer, reader
from line_braze.braze._common import MAX_IDS, alias_wire, chunks, hints
from line_braze.braze._ratelimit import Limiter
from line_braze.braze._track import OnBatch, TrackEngine
from line_braze.braze.models import (
    Attributes,
    Event,
    ExportResult,
    IdentityResult,
    Purchase,
    TrackResult,
    UserAlias,
)
from line_braze.errors import ValidationError

__all__ = ["Users"]

Prioritization = Sequence[
    Literal["identified", "unidentified", "most_recently_updated", "least_recently_updated"]
]


_PRIORITIES: Final = (
    "identified",
    "unidentified",
    "most_recently_updated",
    "least_recently_updated",
)


def _prioritization(value: object, field: str) -> list[str]:
    """Return a ``prioritization`` list, each value one Braze documents."""
    order = list(check_items(value, field, one_of(_PRIORITIES)))
    if not order:
        raise ValidationError(field, "must name at least one prioritization")
    return order


class Users(BaseService):
    """``/users/track``, ``/users/identify``, aliases, merge, delete and ID export.

    Not built directly: use ``BrazeClient(...).users``.
    """

    def __init__(
        self,
        transport: Transport,
        limiter: Limiter,
        *,
        batch_size: int,
        max_concurrency: int,
    ) -> None:
        """Create the service on a client's transport (the client does this)."""
        super().__init__(transport)
        self._limiter = limiter
        self._batch_size = batch_size
        self._max_concurrency = max_concurrency

    # -- /users/track ------------------------------------------------------------------------

    def track(
        self,
        attributes: Iterable[Attributes | Mapping[str, object]] = (),
        events: Iterable[Event | Mapping[str, object]] = (),
        purchases: Iterable[Purchase | Mapping[str, object]] = (),
        *,
        on_batch: OnBatch | None = None,
    ) -> TrackResult:
        """Write user attributes, events and purchases, however many, in batches.

        The inputs are read lazily (generators of millions are fine: memory stays flat),
        attributes first, then events, then purchases, and packed into requests of at most
        the client's ``batch_size`` objects combined (75), sent concurrently up to
        ``max_concurrency`` under the client-side rate limit. Braze's rate-limit headers
        slow the client down; a 429 is waited out and retried.

        Each object is checked before sending (one primary identifier among
        ``external_id``, ``user_alias``, ``braze_id``, or ``email``/``phone`` to look up;
        ``external_id`` at most 987 bytes; events need ``name`` and ``time``, purchases
        ``product_id``, ``currency``, ``price`` and ``time``). A bad object is not sent and
        is listed in ``result.errors`` with ``source="client"``; the others go on. An
        alias-only attributes object gets ``"_update_existing_only": false`` unless you set
        it, so the alias-only profile is created.

        Retries: a batch of attributes only is retried after 429, 5xx and connection
        errors (setting attributes twice is harmless). A batch carrying events or purchases
        is retried only where Braze cannot have recorded it (connection refused, 429):
        Braze does not de-duplicate events. A batch that still fails does not stop the
        others (except 401, 403 or 404, which stop reading input: every batch would fail
        alike); once they have finished, the call raises. Objects Braze refuses one by
        one are not failures: they are listed in ``result.errors`` and the call returns.

        Args:
            attributes: attributes objects (`Attributes` or mappings).
            events: events (`Event` or mappings).
            purchases: purchases (`Purchase` or mappings).
            on_batch: called with a `BatchOutcome` after each batch, from a worker thread.

        Returns:
            The `TrackResult`; ``result.errors[n].index`` is an index into your own input
            sequence for ``result.errors[n].array``.

        Raises:
            line_braze.errors.ValidationError: a bare str, bytes or mapping where a list of
                objects belongs (nothing was sent).
            line_braze.errors.APIError: nothing was written (a wrong key, a missing
                permission, every batch failing): the error itself, as one request raises it.
            line_braze.errors.TransportError: nothing was written, Braze could not be reached.
            line_braze.errors.PartialFailure: some batches were written and others failed
                after retries. Its ``report`` is the `TrackResult` so far (``failures``
                lists the failed batches with their objects' global indexes and whether
                Braze may have recorded them, ``uncertain``) and ``__cause__`` the first
                error.
            Exception: whatever iterating your input or ``on_batch`` raised, once the
                batches in flight have finished.
        """
        for name, given in (
            ("attributes", attributes),
            ("events", events),
            ("purchases", purchases),
        ):
            if is_bare(given):
                raise ValidationError(
                    name, f"must be a list of objects, not a single {type(given).__name__}"
                )
        engine = self._engine(on_batch)
        result = engine.run({"attributes": attributes, "events": events, "purchases": purchases})
        engine.raise_if_unfinished(result)
        return result

    def _track(
        self,
        attributes: Iterable[Attributes | Mapping[str, object]] = (),
        *,
        on_batch: OnBatch | None = None,
    ) -> TrackResult:
        """`track` for attributes that never raises for failed batches: they stay in the result.

        The follower sync reports failed batches itself, page by page, with a resume token.
        """
        engine = self._engine(on_batch)
        return engine.run({"attributes": attributes, "events": (), "purchases": ()})

    def _engine(self, on_batch: OnBatch | None) -> TrackEngine:
        return TrackEngine(
            self._transport,
            self._limiter,
            batch_size=self._batch_size,
            max_concurrency=self._max_concurrency,
            on_batch=on_batch,
        )

    # -- identities --------------------------------------------------------------------------

    def _post_chunks(
        self,
        path: str,
        permission: str,
        batches: Iterable[dict[str, Any]],
        *,
        retry: Retry,
    ) -> IdentityResult:
        processed = requests = 0
        errors: list[Any] = []
        messages: list[str] = []
        for body in batches:
            answer = self._transport.fetch(
                "POST",
                path,
                into=reader(IdentityAnswer),
                json_body=body,
                retry=retry,
                hints=hints(permission),
            )
            requests += 1
            processed += answer.processed
            errors.extend(answer.errors or ())
            if answer.message is not None:
                messages.append(answer.message)
        return IdentityResult(
            processed=processed, requests=requests, errors=tuple(errors), messages=tuple(messages)
        )

    def identify(
        self,
        aliases_to_identify: Iterable[Mapping[str, object]] = (),
        *,
        emails_to_identify: Iterable[Mapping[str, object]] = (),
        phone_numbers_to_identify: Iterable[Mapping[str, object]] = (),
    ) -> IdentityResult:
        """Identify alias-only (or email/phone) profiles with an external ID, 50 a request.

        If no user has the external ID, it is added to the alias-only profile; if one does,
        the alias-only profile's data is merged into it and the alias-only profile removed.
        A known user that already has an alias with the same label is *not* merged: use
        `merge` for those. Every item is checked before the first request.

        Args:
            aliases_to_identify: ``{"external_id": ..., "user_alias": UserAlias | mapping}``.
            emails_to_identify: ``{"external_id", "email", "prioritization"?}`` mappings.
            phone_numbers_to_identify: ``{"external_id", "phone", "prioritization"?}``.

        Raises:
            line_braze.errors.ValidationError: a bare str where a list belongs, or an item
                without its external ID, alias, email or phone (nothing was sent).
        """

        def alias_item(item: object, field: str) -> dict[str, Any]:
            item = check_mapping(item, field)
            return {
                "external_id": non_empty_str(item.get("external_id"), f"{field}.external_id"),
                "user_alias": alias_wire(item.get("user_alias"), f"{field}.user_alias"),
            }

        def keyed(key: str) -> Callable[[object, str], dict[str, Any]]:
            def check(item: object, field: str) -> dict[str, Any]:
                item = check_mapping(item, field)
                non_empty_str(item.get("external_id"), f"{field}.external_id")
                non_empty_str(item.get(key), f"{field}.{key}")
                out = dict(item)
                if item.get("prioritization") is not None:
                    out["prioritization"] = _prioritization(
                        item["prioritization"], f"{field}.prioritization"
                    )
                return out

            return check

        groups = (
            (
                "aliases_to_identify",
                check_items(aliases_to_identify, "aliases_to_identify", alias_item),
            ),
            (
                "emails_to_identify",
                check_items(emails_to_identify, "emails_to_identify", keyed("email")),
            ),
            (
                "phone_numbers_to_identify",
                check_items(phone_numbers_to_identify, "phone_numbers_to_identify", keyed("phone")),
            ),
        )
        bodies = [{key: list(chunk)} for key, items in groups for chunk in chunks(items, MAX_IDS)]
        return self._post_chunks("/users/identify", "users.identify", bodies, retry=Retry.SAFE)

    def alias_new(self, user_aliases: Iterable[UserAlias | Mapping[str, object]]) -> IdentityResult:
        """Add aliases (``/users/alias/new``), 50 a request.

        An item with ``external_id`` adds the alias to that user; without, it creates an
        alias-only user. Not retried after ambiguous failures (it could create twice).
        Every item is checked before the first request.

        Args:
            user_aliases: `UserAlias` or ``{"alias_name", "alias_label", "external_id"?}``.

        Raises:
            line_braze.errors.ValidationError: a bare value or a bad item (nothing was sent).
        """

        def item(value: object, field: str) -> dict[str, Any]:
            wire = alias_wire(value, field)
            if isinstance(value, Mapping) and value.get("external_id") is not None:
                wire["external_id"] = non_empty_str(value["external_id"], f"{field}.external_id")
            return wire

        items = check_items(user_aliases, "user_aliases", item)
        bodies = [{"user_aliases": list(c)} for c in chunks(items, MAX_IDS)]
        return self._post_chunks(
            "/users/alias/new", "users.alias.new", bodies, retry=Retry.UNRECORDED
        )

    def alias_update(self, alias_updates: Iterable[Mapping[str, str]]) -> IdentityResult:
        """Rename aliases (``/users/alias/update``), 50 a request.

        Args:
            alias_updates: ``{"alias_label", "old_alias_name", "new_alias_name"}`` mappings.

        Raises:
            line_braze.errors.ValidationError: a bare value, or an item missing one of the
                three keys (nothing was sent).
        """

        def item(value: object, field: str) -> dict[str, Any]:
            value = check_mapping(value, field)
            for key in ("alias_label", "old_alias_name", "new_alias_name"):
                non_empty_str(value.get(key), f"{field}.{key}")
            return dict(value)

        items = check_items(alias_updates, "alias_updates", item)
        bodies = [{"alias_updates": list(c)} for c in chunks(items, MAX_IDS)]
        return self._post_chunks(
            "/users/alias/update", "users.alias.update", bodies, retry=Retry.SAFE
        )

    def merge(self, merge_updates: Iterable[Mapping[str, object]]) -> IdentityResult:
        """Merge profiles (``/users/merge``), 50 a request; Braze merges asynchronously.

        Args:
            merge_updates: ``{"identifier_to_merge": {...}, "identifier_to_keep": {...}}``.

        Raises:
            line_braze.errors.ValidationError: a bare value, or an item missing one of the
                two identifiers (nothing was sent).
        """

        def item(value: object, field: str) -> dict[str, Any]:
            value = check_mapping(value, field)
            for key in ("identifier_to_merge", "identifier_to_keep"):
                if not isinstance(value.get(key), Mapping) or not value.get(key):
                    raise ValidationError(f"{field}.{key}", "must be a non-empty object")
            return dict(value)

        items = check_items(merge_updates, "merge_updates", item)
        bodies = [{"merge_updates": list(c)} for c in chunks(items, MAX_IDS)]
        return self._post_chunks("/users/merge", "users.merge", bodies, retry=Retry.SAFE)

    def delete(
        self,
        *,
        external_ids: Iterable[str] = (),
        user_aliases: Iterable[UserAlias | Mapping[str, str]] = (),
        braze_ids: Iterable[str] = (),
        email_addresses: Iterable[str] = (),
        phone_numbers: Iterable[str] = (),
        prioritization: Prioritization | None = None,
    ) -> IdentityResult:
        """Delete users (``/users/delete``), 50 a request. Irreversible.

        Pass exactly one kind of identifier, as a list (a bare string is refused: it is
        not a list of one-letter IDs). Emails and phone numbers need ``prioritization``.
        Every identifier is checked before the first request.

        Raises:
            line_braze.errors.ValidationError: a bare str, a bad identifier, no kind or more
                than one kind given (nothing was sent).
        """
        kinds: dict[str, tuple[Any, ...]] = {
            "external_ids": check_items(external_ids, "external_ids", non_empty_str),
            "user_aliases": check_items(user_aliases, "user_aliases", alias_wire),
            "braze_ids": check_items(braze_ids, "braze_ids", non_empty_str),
            "email_addresses": check_items(email_addresses, "email_addresses", non_empty_str),
            "phone_numbers": check_items(phone_numbers, "phone_numbers", non_empty_str),
        }
        given = [k for k, v in kinds.items() if v]
        if len(given) != 1:
            raise ValidationError("delete", "pass exactly one kind of identifier")
        key = given[0]
        order = (
            None if prioritization is None else _prioritization(prioritization, "prioritization")
        )
        if key in {"email_addresses", "phone_numbers"} and not order:
            raise ValidationError("prioritization", f"needed to delete by {key}")
        bodies: list[dict[str, Any]] = []
        for chunk in chunks(kinds[key], MAX_IDS):
            body: dict[str, Any] = {key: list(chunk)}
            if order:
                body["prioritization"] = order
            bodies.append(body)
        return self._post_chunks("/users/delete", "users.delete", bodies, retry=Retry.SAFE)

    def export_ids(
        self,
        *,
        external_ids: Iterable[str] = (),
        user_aliases: Iterable[UserAlias | Mapping[str, str]] = (),
        braze_id: str | None = None,
        device_id: str | None = None,
        email_address: str | None = None,
        phone: str | None = None,
        fields_to_export: Iterable[str] | None = None,
    ) -> ExportResult:
        """Export user profiles by identifier (``/users/export/ids``).

        External IDs and aliases go 50 a request (combined), each checked before the first
        request; or give exactly one of ``braze_id``, ``device_id``, ``email_address``,
        ``phone``. ``fields_to_export`` is required for workspaces created on or after
        2024-08-22.

        Raises:
            line_braze.errors.ValidationError: no identifier, identifiers of both forms, a
                bare str where a list belongs, or a bad item (nothing was sent).
        """
        singles = {
            k: non_empty_str(v, k)
            for k, v in {
                "braze_id": braze_id,
                "device_id": device_id,
                "email_address": email_address,
                "phone": phone,
            }.items()
            if v is not None
        }
        extra: dict[str, Any] = {}
        if fields_to_export is not None:
            extra["fields_to_export"] = list(
                check_items(fields_to_export, "fields_to_export", non_empty_str)
            )
        tagged = [
            *(
                ("external_ids", e)
                for e in check_items(external_ids, "external_ids", non_empty_str)
            ),
            *(("user_aliases", a) for a in check_items(user_aliases, "user_aliases", alias_wire)),
        ]
        bodies: list[dict[str, Any]] = []
        if singles:
            if len(singles) > 1 or tagged:
                raise ValidationError(
                    "export_ids", "give IDs and aliases, or exactly one single identifier"
                )
            bodies.append({**singles, **extra})
        elif not tagged:
            raise ValidationError("export_ids", "give at least one identifier")
        for chunk in chunks(tagged, MAX_IDS):
            body: dict[str, Any] = dict(extra)
            for key, value in chunk:
                body.setdefault(key, []).append(value)
            bodies.append(body)
        users: list[Mapping[str, Any]] = []
        invalid: list[str] = []
        requests = 0
        for body in bodies:
            answer = self._transport.fetch(
                "POST",
                "/users/export/ids",
                into=reader(ExportAnswer),
                json_body=body,
                retry=Retry.SAFE,
                hints=hints("users.export.ids"),
            )
            requests += 1
            users.extend(answer.users or ())
            invalid.extend(answer.invalid_user_ids or ())
        return ExportResult(users=tuple(users), invalid_user_ids=tuple(invalid), requests=requests)
