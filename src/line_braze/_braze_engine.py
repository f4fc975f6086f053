"""Braze Liquid on python-liquid: tags, the translation of Braze's syntax, rendering.

`line_braze.preview` renders with `render`. What is Braze's own is translated to standard
Liquid first (`Translator`): ``${...}`` sigils become lookups in line_braze's context names,
Content Blocks are included, an output nested in a filter argument or a tag
(``{{a | plus: {{b}}}}``, ``{% assign b = {{c}} %}``) becomes its bare expression, and
``blank`` treats nil as blank. Braze's tags are added: ``abort_message``,
``connected_content`` (answered from the caller's mapping by URL: the preview never calls
the network), ``catalog_items`` and ``catalog_selection_items`` (from the caller's catalogs;
``:rerender`` renders the items' own Liquid).
"""

from __future__ import annotations

import functools
import io
import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

from line_braze._braze_filters import (
    FILTERS,
    UNSUPPORTED,
    WITH_CONTEXT,
    FilterError,
    plain,
    unsupported_message,
    value_of,
)
from line_braze._liquid import (
    BLOCK_INCLUDE,
    INNER_OUTPUT,
    MARKUP,
    SIGIL,
    STRING,
    parse_tag,
    tag_options,
)
from line_braze.errors import ValidationError

if TYPE_CHECKING:
    from liquid import Environment

__all__ = ["MASK", "Aborted", "Scrubber", "Translator", "render"]

MASK: Final = "********"
_BLANK_WORD: Final = re.compile(r"\bblank\b")
_ABORT_ARGS: Final = re.compile(r"\(\s*(?:'([^']*)'|\"([^\"]*)\")?\s*\)")
_FILTER_NAME: Final = re.compile(r"\|\s*([A-Za-z_]\w*)")
# Tags whose arguments Braze renders as Liquid (outputs kept, not made bare).
_RENDERED_ARGS: Final = frozenset({"catalog_items", "catalog_selection_items", "connected_content"})
_CC_OPTIONS: Final = frozenset(
    {
        "basic_auth",
        "body",
        "cache_max_age",
        "content_type",
        "headers",
        "method",
        "no_cache",
        "retry",
        "save",
    }
)
_CC_METHODS: Final = frozenset({"get", "post", "put", "delete", "patch"})
_CATALOG_TAGS: Final = frozenset({"catalog_items", "catalog_selection_items"})
# The catalog tags' flag that renders the items' own Liquid.
_RERENDER: Final = ":rerender"


class Aborted(Exception):
    """``abort_message`` ran: Braze would not send."""

    def __init__(self, reason: str | None) -> None:
        """Keep the reason given to ``abort_message``, if any."""
        super().__init__(reason)
        self.reason = reason


class TemplateError(Exception):
    """A template the preview refuses before rendering (a filter Braze does not support...)."""


class MissingData(Exception):
    """The template needs data the caller did not give (a connected_content answer...)."""

    def __init__(self, field: str, message: str) -> None:
        """Name what is missing."""
        super().__init__(message)
        self.field = field
        self.message = message


def _answer(raw: object) -> object:
    if isinstance(raw, str | bytes):
        try:
            return json.loads(raw)
        except ValueError:
            return raw.decode() if isinstance(raw, bytes) else raw
    return raw


@functools.cache
def environment() -> Environment:  # noqa: C901 - one place builds the engine
    """Return python-liquid's environment with Braze's tags and filters (built once)."""
    from liquid import Environment, Tag
    from liquid.ast import Node
    from liquid.exceptions import LiquidSyntaxError
    from liquid.filter import with_context
    from liquid.token import TOKEN_EXPRESSION, TOKEN_TAG

    def expression_of(stream: Any) -> tuple[Any, str]:
        token = stream.current
        stream.expect(TOKEN_TAG)
        if stream.peek.kind != TOKEN_EXPRESSION:
            return token, ""
        next(stream)
        return token, str(stream.current.value).strip()

    class AbortNode(Node):
        __slots__ = ("reason",)

        def __init__(self, token: Any, reason: str | None) -> None:
            super().__init__(token)
            self.reason = reason

        def render_to_output(self, context: Any, buffer: Any) -> int:  # noqa: ARG002
            raise Aborted(self.reason)

    class AbortTag(Tag):
        name = "abort_message"
        block = False

        def parse(self, stream: Any) -> Node:
            token, expression = expression_of(stream)
            reason: str | None = None
            if expression:
                m = _ABORT_ARGS.fullmatch(expression)
                if m is None:
                    msg = "abort_message takes () or ('reason')"
                    raise LiquidSyntaxError(msg, token=stream.current)
                reason = m.group(1) if m.group(1) is not None else m.group(2)
            return AbortNode(token, reason)

    class ConnectedNode(Node):
        __slots__ = ("save", "url")

        def __init__(self, token: Any, url: Any, save: str | None) -> None:
            super().__init__(token)
            self.url = url
            self.save = save

        def render_to_output(self, context: Any, buffer: Any) -> int:
            out = io.StringIO()
            self.url.render_with_context(context, out)
            url = out.getvalue().strip()
            answers = context.globals.get("lbz_connected") or {}
            if url not in answers:
                given = ", ".join(sorted(answers)) or "none"
                raise MissingData(
                    "connected_content",
                    f"no answer given for {url} (given: {given}); the preview never calls "
                    "the network: pass connected_content={url: answer}",
                )
            answer = _answer(answers[url])
            if self.save is None:
                text = answer if isinstance(answer, str) else json.dumps(plain(answer))
                return int(buffer.write(text))
            if isinstance(answer, Mapping) and "__http_status_code__" not in answer:
                answer = {**answer, "__http_status_code__": 200}
            context.assign(self.save, value_of(answer))
            return 0

    class ConnectedTag(Tag):
        name = "connected_content"
        block = False

        def parse(self, stream: Any) -> Node:
            token, expression = expression_of(stream)
            url, options = tag_options(expression)
            if not url:
                raise LiquidSyntaxError("connected_content needs a URL", token=token)
            for option, value in options.items():
                if option not in _CC_OPTIONS:
                    msg = f"connected_content has no option ':{option}'"
                    raise LiquidSyntaxError(msg, token=token)
                if option == "method" and value.lower() not in _CC_METHODS:
                    msg = (
                        f"connected_content :method {value!r} is not GET, POST, PUT, PATCH "
                        "or DELETE"
                    )
                    raise LiquidSyntaxError(msg, token=token)
                if option == "cache_max_age" and value and not value.isdigit():
                    msg = f"connected_content :cache_max_age takes seconds, got {value!r}"
                    raise LiquidSyntaxError(msg, token=token)
                if option == "headers" and value:
                    try:
                        json.loads(value)
                    except ValueError:
                        msg = "connected_content :headers takes a JSON object"
                        raise LiquidSyntaxError(msg, token=token) from None
            save = options.get("save") or None
            if save is not None and not re.fullmatch(r"[A-Za-z_]\w*", save):
                msg = f"connected_content :save takes a variable name, got {save!r}"
                raise LiquidSyntaxError(msg, token=token)
            return ConnectedNode(token, self.env.from_string(url), save)

    class CatalogNode(Node):
        __slots__ = ("args", "selection")

        def __init__(self, token: Any, args: Any, *, selection: bool) -> None:
            super().__init__(token)
            self.args = args
            self.selection = selection

        def render_to_output(self, context: Any, buffer: Any) -> int:  # noqa: ARG002
            out = io.StringIO()
            self.args.render_with_context(context, out)
            words = out.getvalue().split()
            rerender = _RERENDER in words
            words = [w for w in words if w != _RERENDER]
            if not words:
                raise MissingData("catalogs", f"{self.kind} needs a catalog name")
            name, ids = words[0], words[1:]
            catalogs = context.globals.get("lbz_catalogs") or {}
            if name not in catalogs:
                given = ", ".join(sorted(catalogs)) or "none"
                raise MissingData(
                    "catalogs",
                    f"the template reads catalog {name!r}, which was not given (given: {given})",
                )
            catalog = catalogs[name]
            if self.selection:
                selections = (context.globals.get("lbz_selections") or {}).get(name, {})
                if not ids or ids[0] not in selections:
                    raise MissingData(
                        "catalog_selections",
                        f"no selection {' '.join(ids[:1])!r} given for catalog {name!r}",
                    )
                ids = [str(i) for i in selections[ids[0]]]
            items = [{"id": i, **catalog[i]} for i in ids if i in catalog]
            if rerender:
                items = [_rerendered(item, context) for item in items]
            context.assign("items", value_of(items))
            return 0

        @property
        def kind(self) -> str:
            return "catalog_selection_items" if self.selection else "catalog_items"

    def catalog_tag(tag_name: str, *, selection: bool) -> type[Tag]:
        class CatalogTag(Tag):
            name = tag_name
            block = False

            def parse(self, stream: Any) -> Node:
                token, expression = expression_of(stream)
                return CatalogNode(token, self.env.from_string(expression), selection=selection)

        return CatalogTag

    env = Environment(strict_filters=True)
    env.add_tag(AbortTag)
    env.add_tag(ConnectedTag)
    env.add_tag(catalog_tag("catalog_items", selection=False))
    env.add_tag(catalog_tag("catalog_selection_items", selection=True))
    for name, function in FILTERS.items():
        env.filters[name] = with_context(function) if name in WITH_CONTEXT else function
    return env


def _rerendered(item: Mapping[str, object], context: Any) -> dict[str, object]:
    """Render the Liquid in a catalog item's text fields (``:rerender``, one level deep)."""
    translator = context.globals["lbz_translator"]
    out: dict[str, object] = dict(item)
    for key, value in item.items():
        if not isinstance(value, str) or ("{{" not in value and "{%" not in value):
            continue
        if any(parse_tag(m.group()).name in _CATALOG_TAGS for m in MARKUP.finditer(value)):
            msg = (
                f"a catalog tag inside a catalog item ({key!r}): Braze does not render "
                "catalog tags recursively"
            )
            raise TemplateError(msg)
        buffer = io.StringIO()
        _parse(translator.translate(value)).render_with_context(context, buffer)
        out[key] = buffer.getvalue()
    return out


def _quoted(key: str) -> str:
    return f'"{key}"' if '"' not in key else f"'{key}'"


def _outside_strings(text: str, change: Callable[[str], str]) -> str:
    out, pos = [], 0
    for m in STRING.finditer(text):
        out.append(change(text[pos : m.start()]))
        out.append(m.group())
        pos = m.end()
    out.append(change(text[pos:]))
    return "".join(out)


@functools.lru_cache(maxsize=1024)
def _check_filters(text: str) -> None:
    known = environment().filters

    def check(part: str) -> str:
        for m in _FILTER_NAME.finditer(part):
            name = m.group(1)
            if name in UNSUPPORTED:
                raise TemplateError(unsupported_message(name))
            if name not in known:
                msg = f"unknown filter {name!r}"
                raise TemplateError(msg)
        return part

    _outside_strings(text, check)


class Translator:
    """Turns Braze Liquid into standard Liquid over line_braze's context names."""

    def __init__(self, blocks: Mapping[str, str]) -> None:
        """Translate with these Content Blocks (name -> content)."""
        self.blocks = blocks

    def include_blocks(self, source: str, depth: int = 0) -> str:
        """Replace Content Block includes by their content (one level of nesting)."""

        def include(m: re.Match[str]) -> str:
            name = self._block(m.group(1))
            content = self.blocks[name]
            if "{{" not in content and "{%" not in content:
                return f"{{{{ lbz_blocks[{_quoted(name)}] }}}}"
            if depth >= 1 and BLOCK_INCLUDE.search(content):
                raise ValidationError(
                    f"content_blocks.{name}",
                    "Content Blocks nest one level deep in Braze; this one includes another "
                    "inside a nested block",
                )
            return self.include_blocks(content, depth + 1)

        return BLOCK_INCLUDE.sub(include, source)

    def _block(self, name: str) -> str:
        if name not in self.blocks:
            raise ValidationError(
                "content_blocks",
                f"the template uses Content Block {name!r}, which was not given "
                f"(given: {', '.join(sorted(self.blocks)) or 'none'})",
            )
        return name

    def sigils(self, text: str) -> str:
        """Replace ``${...}`` sigils by lookups in line_braze's context names."""

        def swap(m: re.Match[str]) -> str:
            namespace, key = m.group(1), m.group(2)
            if namespace is None:
                return f"lbz_std[{_quoted(key)}]"
            if namespace == "content_blocks":
                return f"lbz_blocks[{_quoted(self._block(key))}]"
            return f"{namespace}[{_quoted(key)}]"

        return _outside_strings(text, lambda part: SIGIL.sub(swap, part))

    def translate(self, source: str) -> str:
        """Return ``source`` as standard Liquid.

        Raises:
            TemplateError: a filter Braze does not support, or one nobody knows.
        """
        source = self.include_blocks(source)

        def bare(text: str) -> str:
            return INNER_OUTPUT.sub(lambda o: o.group(1), text)

        def markup(m: re.Match[str]) -> str:
            text = m.group()
            if m.group("output"):
                open_ = "{{-" if text.startswith("{{-") else "{{"
                close = "-}}" if text.endswith("-}}") else "}}"
                inner = self.sigils(bare(text[len(open_) : len(text) - len(close)]))
                _check_filters(inner)
                return open_ + inner + close
            if parse_tag(text).name in _RENDERED_ARGS:
                return self.sigils(text)
            inner = self.sigils(bare(text[2:-2]))
            _check_filters(inner)
            inner = _outside_strings(inner, lambda part: _BLANK_WORD.sub("lbz_blank", part))
            return "{%" + inner + "%}"

        return MARKUP.sub(markup, source)


class Scrubber:
    """Removes Content Block contents (the token) from text meant for errors."""

    def __init__(self, secrets: Mapping[str, str]) -> None:
        """Scrub these values (and their stripped forms) out of any text."""
        values = {v for raw in secrets.values() for v in (raw, raw.strip()) if len(v) >= 4}  # noqa: PLR2004
        self.values = sorted(values, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        """Return ``text`` with every secret masked."""
        for value in self.values:
            text = text.replace(value, MASK)
        return text


def render(
    source: str,
    field: str,
    ctx: dict[str, object],
    translator: Translator,
    scrub: Scrubber,
) -> str:
    """Render Braze Liquid ``source`` with ``ctx``; errors name ``field``.

    Raises:
        Aborted: the template called ``abort_message``.
        line_braze.errors.ValidationError: a Liquid error or missing data, token scrubbed.
    """
    from liquid.exceptions import LiquidError

    try:
        template = _parse(translator.translate(source))
        return str(template.render(**ctx, lbz_translator=translator))
    except MissingData as err:
        raise ValidationError(err.field, scrub(err.message)) from None
    except (LiquidError, TemplateError, FilterError) as err:
        reason = err.args[0] if err.args and isinstance(err.args[0], str) else type(err).__name__
        raise ValidationError(field, f"Liquid error: {scrub(reason)}") from None


@functools.lru_cache(maxsize=256)
def _parse(source: str) -> Any:
    """Parse translated Liquid once (a preview renders the same template again and again)."""
    return environment().from_string(source)


def answers(data: Mapping[str, object] | None) -> dict[str, object]:
    """Return connected_content answers keyed by URL (whitespace-stripped)."""
    return {str(url).strip(): answer for url, answer in (data or {}).items()}


def catalogs(data: Mapping[str, Mapping[str, Mapping[str, object]]] | None) -> dict[str, Any]:
    """Return catalogs as ``name -> item id -> fields`` with string ids."""
    return {
        str(name): {str(i): dict(fields) for i, fields in items.items()}
        for name, items in (data or {}).items()
    }


def selections(data: Mapping[str, Mapping[str, Sequence[object]]] | None) -> dict[str, Any]:
    """Return catalog selections as ``catalog -> selection -> item ids``."""
    return {
        str(name): {str(sel): [str(i) for i in ids] for sel, ids in sels.items()}
        for name, sels in (data or {}).items()
    }
