r"""Render a Braze webhook template locally, as Braze would, and check what LINE would get.

`render_preview` is step 5 of the LINE-Braze partnership: it renders a `WebhookTemplate`
with python-liquid (imported only here, when a preview is made) after translating what is
Braze's own:

- the ``${...}`` attribute sigils: ``{{${first_name}}}`` (standard attributes),
  ``{{custom_attribute.${line_id}}}``, ``{{campaign.${dispatch_id}}}`` and the other
  namespaces, and ``{{content_blocks.${Name}}}`` (a Content Block, whose own Liquid is
  rendered too; blocks nest one level deep, as in Braze);
- Braze's filters (``time_zone``, ``date`` with ``%s``, ``money``, ``json_escape``, the
  encoding, URL and JSON filters, ``property_accessor``, ``default`` as Braze treats it);
  the filters Braze lists as unsupported (``lstrip``...) are refused by name;
- an output inside a filter argument or an ``assign`` (``{{a | plus: {{b}}}}``);
- ``{% abort_message() %}`` / ``{% abort_message('reason') %}``;
- ``{% connected_content %}`` answered from the caller's ``connected_content`` by URL (the
  preview never calls the network), ``{% catalog_items %}`` from ``catalogs``;
- nil is blank: an attribute the user does not have renders as ``""``, is falsy, and
  ``== blank`` and ``== nil`` are both true for it.

Unless the message aborted, the rendered request is checked as LINE would check it: the
``Authorization`` header is ``Bearer <token>`` with nothing else (and the token is nowhere
else), the body is JSON without a key twice in one object, ``to`` is a
LINE ID and ``messages`` pass `line_braze.line.models.messages_from_wire`; a refusal raises
`line_braze.errors.ValidationError` naming the field (``messages[0].text``).

The channel access token (the Content Block's content) is never shown: `Preview`'s repr,
rich and HTML forms mask the ``Authorization`` value, and errors never quote a Content Block.

Example:
    >>> from line_braze.templates import text_template
    >>> tpl = text_template("Hi {{${first_name} | default: 'there'}}")
    >>> p = render_preview(tpl, user={"line_id": "U" + "a" * 32, "first_name": 'Ann "A"'},
    ...                    content_blocks={"LINE_Channel_AccessToken": "tok3n\n"})
    >>> p.json["messages"][0]["text"]
    'Hi Ann "A"'
    >>> p.masked_headers()["Authorization"]
    'Bearer ********'
    >>> render_preview(tpl, user={}, content_blocks={"LINE_Channel_AccessToken": "t"}).aborted
    True
"""

from __future__ import annotations

import datetime as dt
import json
import re
import types
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

import attrs

from line_braze import _braze_engine as engine
from line_braze._braze_filters import Attributes, Blank, value_of
from line_braze._display import html_table, short_repr
from line_braze._secret import Secret
from line_braze.errors import ValidationError

if TYPE_CHECKING:
    from line_braze.templates import WebhookTemplate

__all__ = [
    "PREVIEW_CAMPAIGN",
    "PREVIEW_KEYWORDS",
    "STANDARD_ATTRIBUTES",
    "Preview",
    "render_preview",
]

#: Braze's standard (default) attributes, read from the ``user`` mapping by these names.
STANDARD_ATTRIBUTES: Final = (
    "braze_id",
    "city",
    "country",
    "date_of_birth",
    "email_address",
    "first_name",
    "gender",
    "language",
    "last_name",
    "last_used_app_date",
    "most_recent_app_version",
    "most_recent_locale",
    "most_recent_location",
    "phone_number",
    "random_bucket_number",
    "time_zone",
    "user_id",
)
# Standard attributes also read from the names /users/track uses.
_ALIASES: Final[Mapping[str, tuple[str, ...]]] = {
    "user_id": ("external_id",),
    "email_address": ("email",),
    "phone_number": ("phone",),
}

#: Campaign attributes in a preview, as Braze previews an unsent campaign. Override any of
#: them through ``extra`` (``extra={"dispatch_id": "..."}``).
PREVIEW_CAMPAIGN: Final[Mapping[str, str]] = types.MappingProxyType(
    {
        "api_id": "api_id_for_unsent_campaign",
        "dispatch_id": "dispatch_id_for_unsent_campaign",
        "message_api_id": "message_api_id_for_unsent_campaign",
        "message_name": "line_braze preview",
        "name": "line_braze preview",
    }
)
# ``extra`` keys that set a whole namespace rather than one campaign attribute.
_NAMESPACES: Final = frozenset(
    {
        "api_trigger_properties",
        "campaign",
        "canvas",
        "canvas_entry_properties",
        "card",
        "context",
        "event_properties",
        "most_recently_used_device",
        "subscribed_state",
        "targeted_device",
    }
)
#: The keyword arguments of `render_preview` beyond the template, user and blocks.
PREVIEW_KEYWORDS: Final = frozenset(
    {
        "api_trigger_properties",
        "campaign",
        "canvas",
        "canvas_entry_properties",
        "catalog_selections",
        "catalogs",
        "connected_content",
        "event_properties",
        "now",
    }
)
_MASK: Final = engine.MASK
_BEARER: Final = re.compile(r"Bearer ([!-~]+)")
_UUID_TEXT: Final = re.compile(r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")


def _context(
    user: Mapping[str, object],
    blocks: Mapping[str, str],
    extra: Mapping[str, object] | None,
) -> dict[str, object]:
    standard = Attributes()
    for name in STANDARD_ATTRIBUTES:
        for key in (name, *_ALIASES.get(name, ())):
            if key in user:
                standard[name] = value_of(user[key])
                break
    custom = Attributes({str(k): value_of(v) for k, v in user.items() if k != "custom_attribute"})
    nested = user.get("custom_attribute")
    if isinstance(nested, Mapping):
        custom.update({str(k): value_of(v) for k, v in nested.items()})
    campaign = Attributes(PREVIEW_CAMPAIGN)
    ctx: dict[str, object] = {
        "lbz_std": standard,
        "custom_attribute": custom,
        "campaign": campaign,
        "lbz_blocks": Attributes(blocks),
        "lbz_blank": Blank(),
    }
    for name in _NAMESPACES - {"campaign"}:
        ctx[name] = Attributes()
    for key, value in (extra or {}).items():
        if key in _NAMESPACES and isinstance(value, Mapping):
            target = ctx[key]
            assert isinstance(target, Attributes)  # noqa: S101 - built just above
            target.update({str(k): value_of(v) for k, v in value.items()})
        else:
            campaign[key] = value_of(value)
    return ctx


# -- the result -----------------------------------------------------------------------------


class _MaskedStr(str):
    """A header value whose repr is masked (the value itself is intact)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return repr(_mask_authorization(str(self)))


def _mask_authorization(value: str) -> str:
    scheme, _, rest = value.partition(" ")
    return f"{scheme} {_MASK}" if rest and scheme.lower() == "bearer" else _MASK


def _headers(value: Mapping[str, str]) -> Mapping[str, str]:
    return types.MappingProxyType(
        {
            str(k): _MaskedStr(v) if str(k).lower() == "authorization" else str(v)
            for k, v in value.items()
        }
    )


@attrs.frozen(kw_only=True, repr=False)
class Preview:
    """The exact request Braze would send LINE for one user, or the fact that it aborted.

    Attributes:
        url: the rendered URL.
        method: the HTTP method.
        headers: the rendered headers. ``headers["Authorization"]`` holds the real token
            (it is the request LINE would get); its repr is masked, and so are this
            object's repr, rich and HTML forms. Use `masked_headers` to print them.
        body: the rendered body (``""`` if aborted).
        aborted: whether the template called ``abort_message`` (Braze would not send).
        abort_reason: the reason given to ``abort_message``, if any.
        json: the parsed body (``{}`` if aborted).

    Example:
        >>> p = Preview(url="https://api.line.me/v2/bot/message/push", method="POST",
        ...             headers={"Authorization": "Bearer s3cret"}, body="{}")
        >>> "s3cret" in repr(p) + p._repr_html_()
        False
        >>> p.headers["Authorization"] == "Bearer s3cret"
        True
    """

    url: str
    method: str
    headers: Mapping[str, str] = attrs.field(factory=dict, converter=_headers)
    body: str = ""
    aborted: bool = False
    abort_reason: str | None = None
    json: dict[str, Any] = attrs.field(factory=dict, eq=False)

    def masked_headers(self) -> dict[str, str]:
        """Return the headers with the ``Authorization`` value masked, for display.

        Example:
            >>> Preview(url="u", method="POST", headers={"Authorization": "Bearer t"}
            ...         ).masked_headers()
            {'Authorization': 'Bearer ********'}
        """
        return {
            k: _mask_authorization(v) if k.lower() == "authorization" else str(v)
            for k, v in self.headers.items()
        }

    def _fields(self) -> Iterator[tuple[str, object]]:
        yield "url", self.url
        yield "method", self.method
        yield "headers", self.masked_headers()
        yield "body", self.body
        yield "aborted", self.aborted
        yield "abort_reason", self.abort_reason

    def __repr__(self) -> str:
        """Return a summary with the token masked."""
        inner = ", ".join(
            f"{name}={short_repr(value) if name == 'body' else repr(value)}"
            for name, value in self._fields()
        )
        return f"Preview({inner})"

    def __rich_repr__(self) -> Iterator[tuple[str, object]]:
        """Yield ``(name, value)`` pairs for rich's pretty printer (token masked)."""
        yield from self._fields()

    def _repr_html_(self) -> str:
        """Return a small, escaped HTML table for Jupyter (token masked)."""
        cells = ((n, v if isinstance(v, str) else repr(v)) for n, v in self._fields())
        return html_table("Preview", cells, pre=True)


# -- checks ---------------------------------------------------------------------------------


def _check_headers(headers: Mapping[str, str]) -> None:
    by_lower = {k.lower(): (k, v) for k, v in headers.items()}
    auth = by_lower.get("authorization")
    if auth is None:
        raise ValidationError("headers.Authorization", "missing: LINE needs the channel token")
    value = auth[1]
    if not value.startswith("Bearer "):
        raise ValidationError("headers.Authorization", "must start with 'Bearer '")
    token = value[len("Bearer ") :]
    if not token.strip():
        raise ValidationError(
            "headers.Authorization", "the token is empty: is the token Content Block empty?"
        )
    if not _BEARER.fullmatch(value):
        raise ValidationError(
            "headers.Authorization",
            "must be 'Bearer <token>' with no spaces, line breaks or other characters "
            "around or inside the token (strip the Content Block's content)",
        )
    content_type = by_lower.get("content-type")
    if content_type is None or not content_type[1].lower().startswith("application/json"):
        raise ValidationError("headers.Content-Type", "LINE's push needs application/json")
    key = by_lower.get("x-line-retry-key")
    if key is not None and not _UUID_TEXT.fullmatch(key[1]):
        raise ValidationError(
            f"headers.{key[0]}", f"must be a UUID (8-4-4-4-12 hex), got {short_repr(key[1], 60)}"
        )


class _DuplicateKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise _DuplicateKeyError(key)
        data[key] = value
    return data


def _check_token_kept(token: str, rendered: Mapping[str, str]) -> None:
    """Refuse a token that shows anywhere but the ``Authorization`` header."""
    if len(token) < 8:  # noqa: PLR2004 - too short to tell from ordinary text
        return
    for field, text in rendered.items():
        if token in text:
            raise ValidationError(
                field,
                "holds the channel access token: it may appear only in the Authorization "
                "header (does a Content Block include the token's block?)",
            )


def _check_body(body: str, scrub: engine.Scrubber) -> dict[str, Any]:
    from line_braze.line.messages import check_recipient
    from line_braze.line.models import messages_from_wire

    try:
        data = json.loads(body, object_pairs_hook=_no_duplicate_keys)
    except _DuplicateKeyError as err:
        raise ValidationError(
            "body",
            f"the key {scrub(err.key)!r} appears twice in one object: LINE would read only "
            "one of them (did an attribute value or a tag print unescaped JSON?)",
        ) from None
    except json.JSONDecodeError as err:
        around = scrub(body[max(err.pos - 20, 0) : err.pos + 20])
        raise ValidationError(
            "body",
            f"not valid JSON: {err.msg} at line {err.lineno} column {err.colno} "
            f"(char {err.pos}, near {around!r})",
        ) from None
    if not isinstance(data, dict):
        raise ValidationError("body", f"must be a JSON object, got {type(data).__name__}")
    check_recipient(data.get("to"), field="to")
    messages = data.get("messages")
    if not isinstance(messages, list):
        raise ValidationError("messages", "must be a list of 1 to 5 message objects")
    try:
        messages_from_wire(messages)
    except ValidationError as err:
        if err.field == "messages" or err.field.startswith(("messages[", "messages.")):
            raise
        raise err.prefixed("messages") from None
    disabled = data.get("notificationDisabled", False)
    if not isinstance(disabled, bool):
        raise ValidationError("notificationDisabled", "must be true or false")
    return data


def render_preview(
    template: WebhookTemplate,
    *,
    user: Mapping[str, object],
    content_blocks: Mapping[str, str | Secret] | None,
    extra: Mapping[str, object] | None = None,
    connected_content: Mapping[str, object] | None = None,
    catalogs: Mapping[str, Mapping[str, Mapping[str, object]]] | None = None,
    catalog_selections: Mapping[str, Mapping[str, Sequence[object]]] | None = None,
    event_properties: Mapping[str, object] | None = None,
    api_trigger_properties: Mapping[str, object] | None = None,
    canvas_entry_properties: Mapping[str, object] | None = None,
    campaign: Mapping[str, object] | None = None,
    canvas: Mapping[str, object] | None = None,
    now: dt.datetime | None = None,
) -> Preview:
    """Render ``template`` for one user as Braze would; check it as LINE would.

    The preview never calls the network: ``connected_content`` answers come from the
    caller, by URL, and a URL without one is an error naming it.

    Args:
        template: a `line_braze.templates.WebhookTemplate`.
        user: the profile by attribute name: standard attributes (``first_name``,
            ``user_id`` or ``external_id``, ``language``...) and custom ones (``line_id``...)
            side by side; custom attributes may also sit under a ``custom_attribute`` key.
            ``None`` or a missing name is Braze's nil.
        content_blocks: Content Block name -> content (a `Secret` is welcome; the token
            block is one). A block the template uses but that is missing is an error.
        extra: campaign attributes (``{"dispatch_id": "d1"}``), overriding
            `PREVIEW_CAMPAIGN`; or whole namespaces by name (``{"canvas": {...}}``,
            ``{"event_properties": {...}}``).
        connected_content: URL (as rendered) -> the answer: JSON data, or text (parsed as
            JSON when it is JSON).
        catalogs: catalog name -> item id -> the item's fields, for ``catalog_items``.
        catalog_selections: catalog name -> selection name -> item ids, for
            ``catalog_selection_items``.
        event_properties: ``event_properties.${...}`` values (action-based sends).
        api_trigger_properties: ``api_trigger_properties.${...}`` values.
        canvas_entry_properties: ``canvas_entry_properties.${...}`` values.
        campaign: ``campaign.${...}`` values, over `PREVIEW_CAMPAIGN`.
        canvas: ``canvas.${...}`` values.
        now: the time ``'now'`` means (``time_zone``, ``date``); by default the clock's.

    Raises:
        line_braze.errors.ValidationError: a Liquid error, a missing Content Block, or a
            request LINE would refuse (the field is named: ``messages[0].text``, ``to``,
            ``headers.Authorization``, ``body``).

    Example:
        >>> from line_braze.templates import sticker_template
        >>> p = render_preview(sticker_template("446", "1988"),
        ...                    user={"line_id": "U" + "0" * 32},
        ...                    content_blocks={"LINE_Channel_AccessToken": "tok"},
        ...                    extra={"dispatch_id": "d-1"})
        >>> p.json["messages"]
        [{'type': 'sticker', 'packageId': '446', 'stickerId': '1988'}]
        >>> len(p.headers["X-Line-Retry-Key"])
        36
    """
    blocks = {
        str(name): value.reveal() if isinstance(value, Secret) else str(value)
        for name, value in (content_blocks or {}).items()
    }
    scrub = engine.Scrubber(blocks)
    translator = engine.Translator(blocks)
    namespaces = {
        "event_properties": event_properties,
        "api_trigger_properties": api_trigger_properties,
        "canvas_entry_properties": canvas_entry_properties,
        "campaign": campaign,
        "canvas": canvas,
    }
    merged: dict[str, object] = dict(extra or {})
    merged.update({k: v for k, v in namespaces.items() if v is not None})
    ctx = _context(user, blocks, merged)
    ctx["lbz_now"] = now if now is not None else dt.datetime.now(dt.timezone.utc)
    ctx["lbz_connected"] = engine.answers(connected_content)
    ctx["lbz_catalogs"] = engine.catalogs(catalogs)
    ctx["lbz_selections"] = engine.selections(catalog_selections)
    try:
        body = engine.render(template.body, "body", ctx, translator, scrub)
        url = engine.render(template.url, "url", ctx, translator, scrub)
        headers = {
            name: engine.render(value, f"headers.{name}", ctx, translator, scrub)
            for name, value in template.headers.items()
        }
    except engine.Aborted as stop:
        reason = scrub(stop.reason) if stop.reason is not None else None
        return Preview(url=template.url, method=template.method, aborted=True, abort_reason=reason)
    if not url.startswith("https://"):
        raise ValidationError("url", f"must be an https URL, got {short_repr(scrub(url), 80)}")
    _check_headers(headers)
    token = next(v for k, v in headers.items() if k.lower() == "authorization")[len("Bearer ") :]
    others = {f"headers.{k}": v for k, v in headers.items() if k.lower() != "authorization"}
    _check_token_kept(token, {"body": body, "url": url, **others})
    data = _check_body(body, scrub)
    return Preview(url=url, method=template.method, headers=headers, body=body, json=data)
