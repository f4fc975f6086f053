r"""Render a Braze webhook template locally, as Braze would, and check what LINE would get.

`render_preview` is step 5 of the LINE-Braze partnership: it renders a `WebhookTemplate`
with python-liquid (imported only here, when a preview is made) after translating what is
Braze's own:

- the ``${...}`` attribute sigils: ``{{${first_name}}}`` (standard attributes),
  ``{{custom_attribute.${line_id}}}``, ``{{campaign.${dispatch_id}}}`` and the other
  namespaces, and ``{{content_blocks.${Name}}}`` (a Content Block, whose own Liquid is
  rendered too; blocks nest one level deep, as in Braze);
- Braze's filters: ``json_escape``, ``as_json_string``, ``json_parse``, ``md5``, ``sha1``,
  ``sha2``, ``base64_encode``, ``hmac_sha256_hex`` (and the sha1/base64 variants),
  ``url_escape``, ``url_param_escape``, ``url_encode``, ``number_with_delimiter``, and
  ``default`` as Braze treats it (nil and blank both take the default);
- ``{% abort_message() %}`` / ``{% abort_message('reason') %}``;
- nil is blank: an attribute the user does not have renders as ``""``, is falsy, and
  ``== blank`` and ``== nil`` are both true for it.

Unless the message aborted, the rendered request is checked as LINE would check it: the
``Authorization`` header is ``Bearer <token>`` with nothing else, the body is JSON, ``to`` is a
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

import base64
import functools
import hashlib
import hmac
import json
import re
import types
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import quote, quote_plus

import attrs

from line_braze._display import html_table, short_repr
from line_braze._liquid import MARKUP
from line_braze._secret import Secret
from line_braze.errors import ValidationError

if TYPE_CHECKING:
    from liquid import Environment

    from line_braze.templates import WebhookTemplate

__all__ = [
    "PREVIEW_CAMPAIGN",
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
_MASK: Final = "********"
_SIGIL: Final = re.compile(r"(?:\b([A-Za-z_][A-Za-z0-9_]*)\.)?\$\{([^}]*)\}")
_STRING_LITERAL: Final = re.compile(r"'[^']*'|\"[^\"]*\"")
_INNER_OUTPUT: Final = re.compile(r"\{\{-?\s*((?:\$\{[^}]*\}|[^}])*?)\s*-?\}\}")
_BLANK_WORD: Final = re.compile(r"\bblank\b")
_BLOCK_INCLUDE: Final = re.compile(r"\{\{-?\s*content_blocks\.\$\{([^}]*)\}\s*-?\}\}")
_ABORT_ARGS: Final = re.compile(r"\(\s*(?:'([^']*)'|\"([^\"]*)\")?\s*\)")
_BEARER: Final = re.compile(r"Bearer ([!-~]+)")
_UUID_TEXT: Final = re.compile(r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")


# -- nil, blank and attribute mappings ------------------------------------------------------


class _Nil(str):
    """Braze's nil: renders as ``""``, is falsy, equals ``nil`` and ``blank``."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        return other is None or (isinstance(other, str) and not other)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = str.__hash__

    def __liquid__(self) -> None:
        return None


_NIL: Final = _Nil("")


def _is_blank(value: object) -> bool:
    """Return whether Braze treats ``value`` as blank (nil, ``""``, whitespace, empty)."""
    if value is None or isinstance(value, _Nil) or value is False:
        return True
    if isinstance(value, str):
        return not value or value.isspace()
    if isinstance(value, list | dict | tuple):
        return not value
    return _is_undefined(value)


class _Blank:
    """Stands in for the ``blank`` keyword so that nil is blank, as in Braze."""

    __hash__ = None  # type: ignore[assignment]

    def __eq__(self, other: object) -> bool:
        return _is_blank(other) and other is not False

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)


class _Attributes(dict[str, Any]):
    """An attribute namespace: a missing attribute is nil, not undefined."""

    def __missing__(self, key: str) -> object:
        return _NIL


def _value(value: object) -> object:
    if value is None:
        return _NIL
    if isinstance(value, Secret):
        return value.reveal()
    if isinstance(value, Mapping):
        return _Attributes({str(k): _value(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return [_value(v) for v in value]
    return value


# -- Braze's filters ------------------------------------------------------------------------


def _text(value: object) -> str:
    if value is None or isinstance(value, _Nil) or _is_undefined(value):
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "".join(_text(v) for v in value)
    return str(value)


def _is_undefined(value: object) -> bool:
    from liquid import is_undefined

    return bool(is_undefined(value))


def _plain(value: object) -> object:
    """Return ``value`` as plain JSON data (nil and undefined become ``None``)."""
    if value is None or isinstance(value, _Nil) or _is_undefined(value):
        return None
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _json_escape(value: object) -> str:
    return json.dumps(_text(value), ensure_ascii=False)[1:-1]


def _as_json_string(value: object) -> str:
    return json.dumps(_plain(value), ensure_ascii=False, separators=(",", ":"))


def _json_parse(value: object) -> object:
    try:
        return _value(json.loads(_text(value)))
    except ValueError:
        return _NIL


def _digest(name: str) -> Callable[[object], str]:
    def digest(value: object) -> str:
        return hashlib.new(name, _text(value).encode()).hexdigest()

    return digest


def _hmac(name: str, *, b64: bool) -> Callable[[object, object], str]:
    def sign(value: object, key: object = "") -> str:
        mac = hmac.new(_text(key).encode(), _text(value).encode(), name)
        return base64.b64encode(mac.digest()).decode() if b64 else mac.hexdigest()

    return sign


def _base64_encode(value: object) -> str:
    return base64.b64encode(_text(value).encode()).decode()


def _url_escape(value: object) -> str:
    # Shopify/Braze url_escape keeps URL syntax characters, escaping the rest.
    return quote(_text(value), safe="-._~!*'();:@&=+$,/?#[]")


def _url_param_escape(value: object) -> str:
    return quote(_text(value), safe="-._~")


def _url_encode(value: object) -> str:
    return quote_plus(_text(value), safe="-._~")


def _number_with_delimiter(value: object, delimiter: object = ",") -> str:
    text = _text(value)
    m = re.fullmatch(r"(-?)(\d+)(\.\d+)?", text.strip())
    if m is None:
        return text
    sign, digits, fraction = m.group(1), m.group(2), m.group(3) or ""
    groups: list[str] = []
    while len(digits) > 3:  # noqa: PLR2004
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return sign + _text(delimiter).join(groups) + fraction


def _default(value: object, default: object = "", *, allow_false: bool = False) -> object:
    if value is False and allow_false:
        return value
    return default if _is_blank(value) else value


_FILTERS: Final[Mapping[str, Callable[..., object]]] = {
    "as_json_string": _as_json_string,
    "base64_encode": _base64_encode,
    "default": _default,
    "hmac_sha1_base64": _hmac("sha1", b64=True),
    "hmac_sha1_hex": _hmac("sha1", b64=False),
    "hmac_sha256_base64": _hmac("sha256", b64=True),
    "hmac_sha256_hex": _hmac("sha256", b64=False),
    "json_escape": _json_escape,
    "json_parse": _json_parse,
    "md5": _digest("md5"),
    "number_with_delimiter": _number_with_delimiter,
    "sha1": _digest("sha1"),
    "sha2": _digest("sha256"),
    "url_encode": _url_encode,
    "url_escape": _url_escape,
    "url_param_escape": _url_param_escape,
}


# -- the engine -----------------------------------------------------------------------------


class _Aborted(Exception):
    def __init__(self, reason: str | None) -> None:
        super().__init__(reason)
        self.reason = reason


@functools.cache
def _environment() -> Environment:
    """Return python-liquid's environment with Braze's tags and filters (built once)."""
    from liquid import Environment, Tag
    from liquid.ast import Node
    from liquid.exceptions import LiquidSyntaxError
    from liquid.token import TOKEN_EXPRESSION, TOKEN_TAG

    class AbortNode(Node):
        __slots__ = ("reason",)

        def __init__(self, token: Any, reason: str | None) -> None:
            super().__init__(token)
            self.reason = reason

        def render_to_output(self, context: Any, buffer: Any) -> int:  # noqa: ARG002
            raise _Aborted(self.reason)

    class AbortTag(Tag):
        name = "abort_message"
        block = False

        def parse(self, stream: Any) -> Node:
            token = stream.current
            stream.expect(TOKEN_TAG)
            reason: str | None = None
            if stream.peek.kind == TOKEN_EXPRESSION:
                next(stream)
                m = _ABORT_ARGS.fullmatch(stream.current.value.strip())
                if m is None:
                    msg = "abort_message takes () or ('reason')"
                    raise LiquidSyntaxError(msg, token=stream.current)
                reason = m.group(1) if m.group(1) is not None else m.group(2)
            return AbortNode(token, reason)

    env = Environment(strict_filters=True)
    env.add_tag(AbortTag)
    env.filters.update(_FILTERS)
    return env


def _quoted(key: str) -> str:
    return f'"{key}"' if '"' not in key else f"'{key}'"


def _outside_strings(text: str, change: Callable[[str], str]) -> str:
    out, pos = [], 0
    for m in _STRING_LITERAL.finditer(text):
        out.append(change(text[pos : m.start()]))
        out.append(m.group())
        pos = m.end()
    out.append(change(text[pos:]))
    return "".join(out)


class _Translator:
    """Turns Braze Liquid into standard Liquid over line_braze's context names."""

    def __init__(self, blocks: Mapping[str, str]) -> None:
        self.blocks = blocks

    def include_blocks(self, source: str, depth: int = 0) -> str:
        def include(m: re.Match[str]) -> str:
            name = self._block(m.group(1))
            content = self.blocks[name]
            if "{{" not in content and "{%" not in content:
                return f"{{{{ lbz_blocks[{_quoted(name)}] }}}}"
            if depth >= 1 and _BLOCK_INCLUDE.search(content):
                raise ValidationError(
                    f"content_blocks.{name}",
                    "Content Blocks nest one level deep in Braze; this one includes another "
                    "inside a nested block",
                )
            return self.include_blocks(content, depth + 1)

        return _BLOCK_INCLUDE.sub(include, source)

    def _block(self, name: str) -> str:
        if name not in self.blocks:
            raise ValidationError(
                "content_blocks",
                f"the template uses Content Block {name!r}, which was not given "
                f"(given: {', '.join(sorted(self.blocks)) or 'none'})",
            )
        return name

    def sigils(self, text: str) -> str:
        def swap(m: re.Match[str]) -> str:
            namespace, key = m.group(1), m.group(2)
            if namespace is None:
                return f"lbz_std[{_quoted(key)}]"
            if namespace == "content_blocks":
                return f"lbz_blocks[{_quoted(self._block(key))}]"
            return f"{namespace}[{_quoted(key)}]"

        return _outside_strings(text, lambda part: _SIGIL.sub(swap, part))

    def translate(self, source: str) -> str:
        source = self.include_blocks(source)

        def markup(m: re.Match[str]) -> str:
            text = m.group()
            if m.group("output"):
                return self.sigils(text)
            text = _INNER_OUTPUT.sub(lambda o: o.group(1), text[2:-2])
            text = self.sigils(text)
            text = _outside_strings(text, lambda part: _BLANK_WORD.sub("lbz_blank", part))
            return "{%" + text + "%}"

        return MARKUP.sub(markup, source)


class _Scrubber:
    """Removes Content Block contents (the token) from text meant for errors."""

    def __init__(self, secrets: Mapping[str, str]) -> None:
        values = {v for raw in secrets.values() for v in (raw, raw.strip()) if len(v) >= 4}  # noqa: PLR2004
        self.values = sorted(values, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for value in self.values:
            text = text.replace(value, _MASK)
        return text


def _context(
    user: Mapping[str, object],
    blocks: Mapping[str, str],
    extra: Mapping[str, object] | None,
) -> dict[str, object]:
    standard = _Attributes()
    for name in STANDARD_ATTRIBUTES:
        for key in (name, *_ALIASES.get(name, ())):
            if key in user:
                standard[name] = _value(user[key])
                break
    custom = _Attributes({str(k): _value(v) for k, v in user.items() if k != "custom_attribute"})
    nested = user.get("custom_attribute")
    if isinstance(nested, Mapping):
        custom.update({str(k): _value(v) for k, v in nested.items()})
    campaign = _Attributes(PREVIEW_CAMPAIGN)
    ctx: dict[str, object] = {
        "lbz_std": standard,
        "custom_attribute": custom,
        "campaign": campaign,
        "lbz_blocks": _Attributes(blocks),
        "lbz_blank": _Blank(),
    }
    for name in _NAMESPACES - {"campaign"}:
        ctx[name] = _Attributes()
    for key, value in (extra or {}).items():
        if key in _NAMESPACES and isinstance(value, Mapping):
            target = ctx[key]
            assert isinstance(target, _Attributes)  # noqa: S101 - built just above
            target.update({str(k): _value(v) for k, v in value.items()})
        else:
            campaign[key] = _value(value)
    return ctx


def _render(
    source: str, field: str, ctx: dict[str, object], tr: _Translator, scrub: _Scrubber
) -> str:
    from liquid.exceptions import LiquidError

    env = _environment()
    try:
        return str(env.from_string(tr.translate(source), globals=ctx).render())
    except LiquidError as err:
        reason = err.args[0] if err.args and isinstance(err.args[0], str) else type(err).__name__
        raise ValidationError(field, f"Liquid error: {scrub(reason)}") from None


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


def _check_body(body: str, scrub: _Scrubber) -> dict[str, Any]:
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
) -> Preview:
    """Render ``template`` for one user as Braze would; check it as LINE would.

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
    scrub = _Scrubber(blocks)
    translator = _Translator(blocks)
    ctx = _context(user, blocks, extra)
    try:
        body = _render(template.body, "body", ctx, translator, scrub)
        url = _render(template.url, "url", ctx, translator, scrub)
        headers = {
            name: _render(value, f"headers.{name}", ctx, translator, scrub)
            for name, value in template.headers.items()
        }
    except _Aborted as stop:
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
