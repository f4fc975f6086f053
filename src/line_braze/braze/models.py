"""Braze request helpers and results: user objects, track results, Content Blocks, sends.

Braze's JSON is snake_case like our fields: the wire layer (`line_braze._wire`) writes and
reads the typed helpers (`to_wire`, `from_wire`), strictly, with Braze's paths in errors;
plain mappings are accepted everywhere a helper is.

Example:
    >>> alias = UserAlias("U" + "0" * 32, "line_id")
    >>> Attributes(user_alias=alias, line_id=alias.alias_name).to_wire()["_update_existing_only"]
    False
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Final

import attrs

from line_braze._display import Display
from line_braze._secret import Secret
from line_braze._webhook import WebhookTemplate
from line_braze._wire import (
    WireError,
    converter,
    json_type,
    register_structure_hook,
    register_unstructure_hook,
    wire,
)
from line_braze.braze.results import (
    BatchOutcome,
    FailedBatch,
    TrackArray,
    TrackError,
    TrackItem,
    TrackResult,
)
from line_braze.errors import ValidationError

__all__ = [
    "MAX_EXTERNAL_ID_BYTES",
    "Attributes",
    "BatchOutcome",
    "ContentBlock",
    "ContentBlockRef",
    "ContentBlockSummary",
    "DispatchResult",
    "Event",
    "ExportResult",
    "FailedBatch",
    "IdentityResult",
    "Purchase",
    "TrackArray",
    "TrackError",
    "TrackItem",
    "TrackResult",
    "UserAlias",
    "WebhookMessage",
]

#: Braze refuses longer external IDs (``EXTERNAL_USER_ID_TOO_LARGE``).
MAX_EXTERNAL_ID_BYTES: Final = 987
_PRIMARY: Final = ("external_id", "user_alias", "braze_id")
_LOOKUP: Final = ("email", "phone")


def _non_empty_str(_inst: object, attr: attrs.Attribute[str], value: str) -> None:
    checked: object = value
    if not isinstance(checked, str) or not value:
        raise ValidationError(attr.name, "must be a non-empty string")


@attrs.frozen
class UserAlias:
    """A Braze user alias: a name unique within a label (``line_id`` for LINE followers).

    Attributes:
        alias_name: the alias value (the LINE user ID).
        alias_label: the alias label.

    Example:
        >>> UserAlias("U123", "line_id").to_wire()
        {'alias_name': 'U123', 'alias_label': 'line_id'}
    """

    alias_name: str = attrs.field(validator=_non_empty_str)
    alias_label: str = attrs.field(validator=_non_empty_str)

    def to_wire(self) -> dict[str, str]:
        """Return Braze's ``user_alias`` object."""
        out: dict[str, str] = wire(self)
        return out


def _check_identity(
    external_id: str | None,
    user_alias: UserAlias | None,
    braze_id: str | None,
    email: str | None,
    phone: str | None,
) -> None:
    """Raise `ValidationError` unless the identifiers are what `identity_problem` wants."""
    given = {
        "external_id": external_id,
        "user_alias": user_alias.to_wire() if isinstance(user_alias, UserAlias) else user_alias,
        "braze_id": braze_id,
        "email": email,
        "phone": phone,
    }
    reason = identity_problem({k: v for k, v in given.items() if v is not None})
    if reason is not None:
        raise ValidationError("identifier", reason)


def identity_problem(obj: Mapping[str, Any]) -> str | None:  # noqa: PLR0911
    """Return why a ``/users/track`` object's identifiers are wrong, or ``None`` if right.

    Exactly one primary identifier (``external_id``, ``user_alias``, ``braze_id``), or none
    and an ``email`` or ``phone`` to look the user up by; ``external_id`` at most 987 bytes.

    Example:
        >>> identity_problem({"external_id": "u1"}) is None
        True
        >>> identity_problem({"external_id": "u1", "braze_id": "b"})
        'more than one primary identifier (external_id, braze_id); send exactly one'
    """
    external_id = obj.get("external_id")
    user_alias = obj.get("user_alias")
    braze_id = obj.get("braze_id")
    if (external_id is None) + (user_alias is None) + (braze_id is None) < 2:  # noqa: PLR2004
        primaries = [k for k in _PRIMARY if obj.get(k) is not None]
        return f"more than one primary identifier ({', '.join(primaries)}); send exactly one"
    if user_alias is not None:
        if type(user_alias) is not dict and not isinstance(user_alias, Mapping):
            return "user_alias must be an object with alias_name and alias_label"
        for part in ("alias_name", "alias_label"):
            value = user_alias.get(part)
            if type(value) is not str or not value:
                return f"user_alias.{part} must be a non-empty string"
        return None
    key, value = ("external_id", external_id) if external_id is not None else ("braze_id", braze_id)
    if value is None:
        if any(isinstance(obj.get(k), str) and obj.get(k) for k in _LOOKUP):
            return None
        return "needs one of external_id, user_alias, braze_id (or email or phone to look up)"
    if not isinstance(value, str) or not value:
        return f"{key} must be a non-empty string"
    if key == "external_id" and len(value.encode()) > MAX_EXTERNAL_ID_BYTES:
        return f"external_id is longer than {MAX_EXTERNAL_ID_BYTES} bytes (UTF-8)"
    return None


def identifier_of(obj: Mapping[str, Any]) -> str | None:
    """Return the identifier value shown in errors (external ID, alias name, ...).

    Example:
        >>> identifier_of({"user_alias": {"alias_name": "U1", "alias_label": "line_id"}})
        'U1'
    """
    for key in (*_PRIMARY, *_LOOKUP):
        value = obj.get(key)
        if key == "user_alias" and isinstance(value, Mapping):
            name = value.get("alias_name")
            return name if isinstance(name, str) else None
        if isinstance(value, str):
            return value
    return None


def _time(value: dt.datetime | str | None) -> str:
    if value is None:
        value = dt.datetime.now(dt.timezone.utc)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValidationError("time", "a datetime must be timezone-aware")
        return value.isoformat()
    return value


@attrs.frozen(init=False)
class Attributes:
    """A ``/users/track`` attributes object: one identifier plus custom attributes.

    An alias-only object (``user_alias`` and no ``update_existing_only``) is sent with
    ``_update_existing_only: false``, so Braze creates the profile if it is missing.

    Args:
        external_id: the user's external ID (at most 987 bytes).
        user_alias: a `UserAlias`.
        braze_id: Braze's own user ID.
        email: look the user up by email (or set it, with a primary identifier).
        phone: look the user up by phone (or set it, with a primary identifier).
        update_existing_only: Braze's ``_update_existing_only``.
        **custom: attributes to set; ``None`` unsets one.

    Raises:
        line_braze.errors.ValidationError: not exactly one identifier.

    Example:
        >>> Attributes(external_id="u1", first_name="Ann").to_wire()
        {'external_id': 'u1', 'first_name': 'Ann'}
    """

    external_id: str | None
    user_alias: UserAlias | None
    braze_id: str | None
    email: str | None
    phone: str | None
    update_existing_only: bool | None
    custom: Mapping[str, Any]

    def __init__(
        self,
        *,
        external_id: str | None = None,
        user_alias: UserAlias | None = None,
        braze_id: str | None = None,
        email: str | None = None,
        phone: str | None = None,
        update_existing_only: bool | None = None,
        **custom: Any,
    ) -> None:
        """Build and check the object; see the class docstring."""
        _check_identity(external_id, user_alias, braze_id, email, phone)
        self.__attrs_init__(
            external_id, user_alias, braze_id, email, phone, update_existing_only, dict(custom)
        )

    def to_wire(self) -> dict[str, Any]:
        """Return the JSON object Braze takes: the identifiers, then the custom attributes."""
        # The wire layer's function for `_Identified` reads the same-named fields of self.
        out: dict[str, Any] = converter.get_unstructure_hook(_Identified)(self)
        if self.update_existing_only is None and self.user_alias is not None:
            out["_update_existing_only"] = False
        out.update(self.custom)
        return out


@attrs.frozen(kw_only=True)
class _Identity:
    """The identifiers of a ``/users/track`` object: exactly one, or a key to look it up by."""

    external_id: str | None = None
    user_alias: UserAlias | None = None
    braze_id: str | None = None
    email: str | None = None
    phone: str | None = None

    def __attrs_post_init__(self) -> None:
        """Check the identifier."""
        _check_identity(self.external_id, self.user_alias, self.braze_id, self.email, self.phone)

    def to_wire(self) -> dict[str, Any]:
        """Return the JSON object Braze takes."""
        out: dict[str, Any] = wire(self)
        return out


@attrs.frozen(kw_only=True)
class Event(_Identity):
    """A ``/users/track`` custom event.

    Attributes:
        name: the event name.
        time: when it happened (aware datetime or ISO 8601 string); default: now, in UTC.
        properties: event properties.
        app_id: the app identifier, if any.
        external_id: identifier (exactly one of the identifier fields).
        user_alias: identifier.
        braze_id: identifier.
        email: lookup key.
        phone: lookup key.

    Example:
        >>> Event(name="followed", external_id="u1", time="2024-01-01T00:00:00Z").to_wire()
        {'name': 'followed', 'external_id': 'u1', 'time': '2024-01-01T00:00:00Z'}
    """

    name: str = attrs.field(validator=_non_empty_str)
    time: str = attrs.field(default=None, converter=_time)
    properties: Mapping[str, Any] | None = None
    app_id: str | None = None


@attrs.frozen(kw_only=True)
class Purchase(_Identity):
    """A ``/users/track`` purchase.

    Attributes:
        product_id: the product identifier.
        currency: ISO 4217 currency code.
        price: the unit price.
        quantity: units bought (Braze's default is 1).
        time: when (aware datetime or ISO 8601 string); default: now, in UTC.
        properties: purchase properties.
        app_id: the app identifier, if any.
        external_id: identifier (exactly one of the identifier fields).
        user_alias: identifier.
        braze_id: identifier.
        email: lookup key.
        phone: lookup key.

    Example:
        >>> Purchase(product_id="p", currency="JPY", price=100, external_id="u",
        ...          time="2024-01-01T00:00:00Z").to_wire()["price"]
        100
    """

    product_id: str = attrs.field(validator=_non_empty_str)
    currency: str = attrs.field(validator=_non_empty_str)
    price: float
    quantity: int | None = None
    time: str = attrs.field(default=None, converter=_time)
    properties: Mapping[str, Any] | None = None
    app_id: str | None = None


@attrs.frozen(kw_only=True)
class _Identified(_Identity):
    """The typed part of an `Attributes` object on the wire (its custom keys are free)."""

    update_existing_only: bool | None = attrs.field(
        default=None, metadata={"wire": "_update_existing_only"}
    )


_IDENTIFIED: Final = frozenset(
    str(a.metadata.get("wire", a.name)) for a in attrs.fields(_Identified)
)


def _attributes_from_wire(value: object, _: object) -> Attributes:
    """Read an attributes object: the typed keys strictly, every other key as custom."""
    if not isinstance(value, Mapping):
        raise WireError(f"must be an object, got {json_type(value)}")
    typed = converter.structure({k: v for k, v in value.items() if k in _IDENTIFIED}, _Identified)
    custom = {k: v for k, v in value.items() if k not in _IDENTIFIED}
    return Attributes(**attrs.asdict(typed, recurse=False), **custom)


register_unstructure_hook(Attributes, Attributes.to_wire)
register_structure_hook(lambda tp: tp is Attributes, _attributes_from_wire)


def _short_seq(items: Sequence[object]) -> str:
    return repr(tuple(items)) if len(items) <= 3 else f"<{len(items)} items>"  # noqa: PLR2004


# -- identities -----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class IdentityResult(Display):
    """The sum of a chunked identity call (identify, alias, merge, delete).

    Attributes:
        processed: Braze's ``aliases_processed`` (or ``deleted``) summed over requests.
        requests: requests made.
        errors: Braze's non-fatal ``errors`` entries, if any.
        messages: Braze's ``message`` of each answer.

    Example:
        >>> IdentityResult(processed=3, requests=1).processed
        3
    """

    processed: int = 0
    requests: int = 0
    errors: tuple[Any, ...] = ()
    messages: tuple[str, ...] = attrs.field(default=(), repr=False)


@attrs.frozen(kw_only=True)
class ExportResult(Display):
    """``/users/export/ids``: the users found and the IDs that matched nobody.

    Attributes:
        users: Braze's user objects, as JSON mappings.
        invalid_user_ids: IDs that matched no user.
        requests: requests made.
    """

    users: tuple[Mapping[str, Any], ...] = attrs.field(repr=_short_seq)
    invalid_user_ids: tuple[str, ...] = ()
    requests: int = 0


# -- Content Blocks ------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ContentBlockRef(Display):
    """What Braze answers to a Content Block create or update.

    Attributes:
        content_block_id: the block's ID.
        liquid_tag: the tag that includes it (``{{content_blocks.${Name}}}``).
        created_at: creation time, as Braze sent it.
    """

    content_block_id: str
    liquid_tag: str | None = None
    created_at: str | None = None


@attrs.frozen(kw_only=True)
class ContentBlockSummary(Display):
    """A Content Block as ``/content_blocks/list`` shows it (without content).

    Attributes:
        content_block_id: the block's ID.
        name: its name.
        content_type: ``"html"`` or ``"text"``.
        liquid_tag: the tag that includes it.
        inclusion_count: how many messages include it.
        created_at: creation time.
        last_edited: last update time.
        tags: its tags.
    """

    content_block_id: str
    name: str
    content_type: str | None = None
    liquid_tag: str | None = None
    inclusion_count: int | None = None
    created_at: str | None = None
    last_edited: str | None = None
    tags: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class ContentBlock(Display):
    """A Content Block with its content. The content is a `line_braze.Secret`.

    For ``LINE_Channel_AccessToken`` the content is the LINE channel access token, so it
    never appears in the block's repr, str, HTML display or any error: call
    ``block.content.reveal()`` where you truly need the text.

    Attributes:
        content_block_id: the block's ID.
        name: its name.
        content: the body, masked.
        description: the description, if any.
        content_type: ``"html"`` or ``"text"``.
        liquid_tag: the tag that includes it.
        state: ``"active"`` or ``"draft"``, when known.
        tags: its tags.
        inclusion_count: how many messages include it.
        inclusion_data: the messages that include it, as Braze answers them, when asked
            for with ``get(..., include_inclusion_data=True)``; else ``None``.
        created_at: creation time.
        last_edited: last update time.

    Example:
        >>> block = ContentBlock(content_block_id="c1", name="LINE_Channel_AccessToken",
        ...                      content=Secret("the-token"))
        >>> "the-token" in repr(block) + str(block) + block._repr_html_()
        False
    """

    content_block_id: str
    name: str
    content: Secret = attrs.field(repr=False)
    description: str | None = None
    content_type: str | None = None
    liquid_tag: str | None = None
    state: str | None = None
    tags: tuple[str, ...] = ()
    inclusion_count: int | None = None
    inclusion_data: tuple[Any, ...] | None = None
    created_at: str | None = None
    last_edited: str | None = None


# -- sends ---------------------------------------------------------------------------------


#: Braze's ``webhook`` messaging object for ``/messages/send``: the same model as
#: `line_braze.templates.WebhookTemplate` (a built template sends as is), under the name
#: Braze's API uses; it takes ``request_method=``/``request_headers=`` too.
WebhookMessage = WebhookTemplate


@attrs.frozen(kw_only=True)
class DispatchResult(Display):
    """The answer(s) to a send: one dispatch ID per request.

    A 2xx answer can carry non-fatal ``errors``: the send went out to everyone those
    errors do not name. They are kept here, never dropped.

    Attributes:
        dispatch_ids: Braze's ``dispatch_id`` of each request.
        requests: requests made (recipients go 50 a request).
        notices: Braze's ``notice`` entries (a paused or archived Canvas).
        send_ids: the ``send_id`` Braze answered (beside the dispatch ID of a tracked
            send, or from ``/sends/id/create``).
        errors: Braze's non-fatal ``errors`` entries, from every request, as answered.

    Example:
        >>> DispatchResult(dispatch_ids=("d1",), requests=1).dispatch_id
        'd1'
    """

    dispatch_ids: tuple[str, ...] = ()
    requests: int = 0
    notices: tuple[str, ...] = ()
    send_ids: tuple[str, ...] = ()
    errors: tuple[Any, ...] = ()

    @property
    def dispatch_id(self) -> str | None:
        """The first dispatch ID (the only one for a single request)."""
        return self.dispatch_ids[0] if self.dispatch_ids else None

    @property
    def send_id(self) -> str | None:
        """The first ``send_id`` Braze answered, if any."""
        return self.send_ids[0] if self.send_ids else None
