"""The one webhook model: a template for Braze's composer and Braze's ``webhook`` object.

A webhook that Braze sends is the same four things wherever it is written: a URL, an HTTP
method, headers and a body holding Liquid. `WebhookTemplate` is that model: the templates
build it (`line_braze.templates`), the preview renders it (`line_braze.preview`), and
``BrazeClient.messages.send(webhook=...)`` sends it as Braze's ``webhook`` messaging object.
``line_braze.braze.WebhookMessage`` is the same class under the name Braze's API uses, and
takes Braze's field names too (``request_method=``, ``request_headers=``).

Example:
    >>> hook = WebhookTemplate(url="https://example.com/hook", request_method="PUT")
    >>> hook.method, hook.request_method
    ('PUT', 'PUT')
    >>> hook.to_wire()
    {'url': 'https://example.com/hook', 'request_method': 'PUT', 'request_headers': {}, 'body': ''}
"""

from __future__ import annotations

import json
import re
import types
from collections.abc import Iterator, Mapping
from typing import Any, Final, Literal, cast

import attrs

from line_braze._display import html_table, short_repr
from line_braze._liquid import MARKUP, SIGIL, token_blocks
from line_braze.errors import ValidationError

__all__ = ["METHODS", "PUSH_URL", "HttpMethod", "WebhookTemplate", "refuse_token_in_body"]

#: LINE's push endpoint: where a template sends by default.
PUSH_URL: Final = "https://api.line.me/v2/bot/message/push"
#: The methods Braze's webhook object takes.
HttpMethod = Literal["POST", "PUT", "DELETE", "GET"]
METHODS: Final = ("POST", "PUT", "DELETE", "GET")

# A header whose name says it carries a credential is shown only when its literal text
# (once the Liquid is taken out) is at most a scheme word and punctuation: the Liquid names
# a Content Block, a literal would be the credential itself.
_CREDENTIAL_HEADER: Final = re.compile(r"auth|token|secret|key|cookie|signature", re.IGNORECASE)
_SCHEME: Final = re.compile(r"^\s*(?:bearer|basic|token)\b", re.IGNORECASE)
_MASK: Final = "********"


def refuse_token_in_body(body: str, *names: str) -> None:
    """Refuse a body that includes one of the Content Blocks ``names`` (the token's).

    Raises:
        line_braze.errors.ValidationError: it does, naming ``body``.

    Example:
        >>> refuse_token_in_body("{{content_blocks.${Other}}}", "Tok")
    """
    for m in SIGIL.finditer(body):
        if m.group(1) == "content_blocks" and m.group(2).strip() in names:
            raise ValidationError(
                "body",
                f"includes the token Content Block {m.group(2).strip()!r}: the channel access "
                "token may appear only in the Authorization header",
            )


def _headers(value: object) -> Mapping[str, str]:
    if value is None:
        return types.MappingProxyType({})
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ValidationError("request_headers", "must map header names to strings")
    return types.MappingProxyType(dict(value))


def _body(value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError("body", f"must be a string, got {type(value).__name__}")
    return value


def _check_url(_inst: object, _attr: object, value: Any) -> None:
    if not isinstance(value, str) or not value:
        raise ValidationError("url", "must be a non-empty string")


def _check_method(_inst: object, _attr: object, value: Any) -> None:
    if value not in METHODS:
        raise ValidationError(
            "request_method", f"must be POST, PUT, DELETE or GET, got {short_repr(value, 20)}"
        )


def _check_variation(_inst: object, _attr: object, value: Any) -> None:
    if value is not None and (not isinstance(value, str) or not value):
        raise ValidationError("message_variation_id", "must be a non-empty string or None")


def _shown(name: str, value: str) -> str:
    if not _CREDENTIAL_HEADER.search(name):
        return value
    literal = _SCHEME.sub("", MARKUP.sub("", value))
    return _MASK if any(c.isalnum() for c in literal) else value


@attrs.frozen(kw_only=True, repr=False, init=False)
class WebhookTemplate:
    """A webhook Braze sends: a webhook template, and Braze's ``webhook`` messaging object.

    One model for both: what `line_braze.templates` builds is what the preview renders and
    what ``braze.messages.send(webhook=...)`` sends (``WebhookMessage`` is this class).
    Braze's wire names are accepted as keyword aliases and read as properties:
    ``request_method`` for ``method``, ``request_headers`` for ``headers``.

    A header that carries a credential (``Authorization``, ``X-Api-Key``...) is masked in
    repr, rich and HTML forms unless its value is Liquid (a Content Block include) after at
    most a scheme word; the body is shown, so keep credentials out of it.

    Attributes:
        url: the webhook URL (LINE's push endpoint by default).
        method: the HTTP method: ``POST`` (default), ``PUT``, ``DELETE`` or ``GET``.
        headers: request headers; for a template the values hold Liquid (the token's
            Content Block tag, never the token itself).
        body: the request body: JSON with Braze Liquid inside (``""``: none).
        message_variation_id: with ``/messages/send``'s ``campaign_id``, the variation
            to count the send under.

    Raises:
        line_braze.errors.ValidationError: an empty URL, another method, headers that are
            not strings, or a body that includes the Content Block the ``Authorization``
            header takes the token from.

    Example:
        >>> tpl = WebhookTemplate(url=PUSH_URL, headers={"Content-Type": "application/json"},
        ...                       body='{"to":"x"}')
        >>> tpl
        WebhookTemplate(url='https://api.line.me/v2/bot/message/push', method='POST', headers={'Content-Type': 'application/json'}, body='{"to":"x"}')
        >>> WebhookTemplate.from_dict(tpl.to_dict()) == tpl
        True
        >>> "s3cret" in repr(WebhookTemplate(headers={"Authorization": "Bearer s3cret"}))
        False
    """  # noqa: E501

    url: str = attrs.field(validator=_check_url)
    method: HttpMethod = attrs.field(validator=_check_method)
    headers: Mapping[str, str] = attrs.field(hash=False)
    body: str
    message_variation_id: str | None = attrs.field(validator=_check_variation)

    def __init__(
        self,
        *,
        url: str = PUSH_URL,
        method: HttpMethod | None = None,
        headers: Mapping[str, str] | None = None,
        body: str | None = "",
        message_variation_id: str | None = None,
        request_method: HttpMethod | None = None,
        request_headers: Mapping[str, str] | None = None,
    ) -> None:
        """Create the webhook; ``request_method``/``request_headers`` are Braze's names.

        Raises:
            line_braze.errors.ValidationError: a field is bad (see the class), or a field
                is given under both of its names.
        """
        if method is not None and request_method is not None:
            raise ValidationError("request_method", "give method or request_method, not both")
        if headers is not None and request_headers is not None:
            raise ValidationError("request_headers", "give headers or request_headers, not both")
        chosen = method if method is not None else request_method
        self.__attrs_init__(
            url=url,
            method=chosen if chosen is not None else "POST",
            headers=_headers(headers if headers is not None else request_headers),
            body=_body(body),
            message_variation_id=message_variation_id,
        )

    def __attrs_post_init__(self) -> None:
        """Refuse a body that includes the token's Content Block (see `build_webhook_template`)."""
        refuse_token_in_body(self.body, *token_blocks(self.headers))

    @property
    def request_method(self) -> HttpMethod:
        """``method`` under Braze's name."""
        return self.method

    @property
    def request_headers(self) -> Mapping[str, str]:
        """``headers`` under Braze's name."""
        return self.headers

    def to_dict(self) -> dict[str, Any]:
        """Return the Braze webhook object (``/messages/send``) / composer form.

        Example:
            >>> WebhookTemplate(body="{}").to_dict()
            {'url': 'https://api.line.me/v2/bot/message/push', 'request_method': 'POST', 'request_headers': {}, 'body': '{}'}
        """  # noqa: E501
        out: dict[str, Any] = {
            "url": self.url,
            "request_method": self.method,
            "request_headers": dict(self.headers),
            "body": self.body,
        }
        if self.message_variation_id is not None:
            out["message_variation_id"] = self.message_variation_id
        return out

    def to_wire(self) -> dict[str, Any]:
        """Return the JSON object Braze's ``/messages/send`` takes (`to_dict`'s form).

        Example:
            >>> WebhookTemplate(message_variation_id="v1").to_wire()["message_variation_id"]
            'v1'
        """
        return self.to_dict()

    def to_json(self, *, indent: int | None = None) -> str:
        """Return `to_dict` as JSON text (what ``line-braze template export`` writes).

        Example:
            >>> WebhookTemplate(body="{}").to_json()[:8]
            '{"url": '
        """
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> WebhookTemplate:
        """Read a template back from `to_dict`'s form (``method``/``headers`` also accepted).

        Raises:
            line_braze.errors.ValidationError: a field is missing or of the wrong type.

        Example:
            >>> WebhookTemplate.from_dict({"url": PUSH_URL, "body": "{}"}).method
            'POST'
        """
        if not isinstance(data, Mapping):
            raise ValidationError("template", "must be a JSON object")
        url = data.get("url", PUSH_URL)
        method = data.get("request_method", data.get("method", "POST"))
        headers = data.get("request_headers", data.get("headers", {}))
        body = data.get("body", "")
        for name, value in (("url", url), ("request_method", method), ("body", body)):
            if not isinstance(value, str):
                raise ValidationError(name, f"must be a string, got {type(value).__name__}")
        return cls(
            url=url,
            method=cast("HttpMethod", method.upper()),
            headers=_headers(headers),
            body=body,
            message_variation_id=data.get("message_variation_id"),
        )

    def __reduce__(self) -> tuple[Any, tuple[dict[str, Any]]]:
        """Pickle (and copy) through `to_dict`: the read-only headers cannot be pickled."""
        return (type(self).from_dict, (self.to_dict(),))

    def _fields(self) -> Iterator[tuple[str, object]]:
        yield "url", self.url
        yield "method", self.method
        yield "headers", {k: _shown(k, v) for k, v in self.headers.items()}
        yield "body", self.body
        if self.message_variation_id is not None:
            yield "message_variation_id", self.message_variation_id

    def __repr__(self) -> str:
        """Return ``WebhookTemplate(url=..., method=..., headers=..., body=...)``."""
        inner = ", ".join(f"{name}={value!r}" for name, value in self._fields())
        return f"WebhookTemplate({inner})"

    def __rich_repr__(self) -> Iterator[tuple[str, object]]:
        """Yield ``(name, value)`` pairs for rich's pretty printer."""
        yield from self._fields()

    def _repr_html_(self) -> str:
        """Return a small, escaped HTML table for Jupyter."""
        cells = ((n, v if isinstance(v, str) else short_repr(v)) for n, v in self._fields())
        return html_table("WebhookTemplate", cells, pre=True)
