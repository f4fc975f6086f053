"""Hardening Liquid inside a JSON webhook body (for `line_braze.templates`).

Every output ends in ``| json_escape``; ``echo`` too; tags that print nothing stay; any
other printing tag, an attribute name holding Liquid or quotes, and an unclosed ``{{`` or
``{%`` are refused. `json_with_liquid` serialises a payload with its Liquid spans kept raw.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Final

from line_braze._display import short_repr
from line_braze._liquid import BLOCK_INCLUDE, MARKUP, SIGIL, parse_tag, split_filters, tag_options
from line_braze.errors import ValidationError

__all__ = ["harden_output", "harden_tag", "json_with_liquid"]

_SIGIL_NAME: Final = re.compile(r"[^{}$%\"'\n\r]*")
# Private-use code points that json.dumps leaves alone: placeholders for Liquid markup.
_PH_OPEN, _PH_CLOSE = "\ue000", "\ue001"
_PLACEHOLDER: Final = re.compile(f"{_PH_OPEN}(\\d+){_PH_CLOSE}")
# Tags that write nothing into the body (or only a number): kept as written.
_SILENT_TAGS: Final = frozenset(
    {
        "#",
        "abort_message",
        "assign",
        "break",
        "capture",
        "case",
        "catalog_items",
        "catalog_selection_items",
        "comment",
        "continue",
        "decrement",
        "else",
        "elsif",
        "endcapture",
        "endcase",
        "endcomment",
        "endfor",
        "endif",
        "endunless",
        "for",
        "if",
        "increment",
        "unless",
        "when",
    }
)


def harden_output(output: str) -> str:
    """Return a Liquid output ``{{ ... }}`` that passes through ``json_escape`` last.

    A Content Block include cannot take filters in Braze, so it is captured first and the
    capture is escaped.

    Example:
        >>> harden_output("{{${first_name} | default: 'there'}}")
        "{{${first_name} | default: 'there' | json_escape}}"
        >>> harden_output("{{ x | json_escape }}")
        '{{ x | json_escape }}'
    """
    if BLOCK_INCLUDE.fullmatch(output):
        return f"{{% capture lbz_block %}}{output}{{% endcapture %}}{{{{lbz_block | json_escape}}}}"
    open_, close = ("{{-", "-}}") if output.startswith("{{-") else ("{{", "}}")
    if output.endswith("-}}"):
        close = "-}}"
    inner = output[len(open_) : len(output) - len(close)]
    parts = split_filters(inner)
    if len(parts) > 1 and parts[-1].strip() == "json_escape":
        return output
    stripped = inner.rstrip()
    trailing = inner[len(stripped) :]
    return f"{open_}{stripped} | json_escape{trailing}{close}"


def harden_tag(tag: str, *, field: str = "messages") -> str:
    """Return a Liquid tag that cannot write a user's data unescaped into a JSON string.

    ``echo`` prints like an output and gets the same hardening (``| json_escape`` last).
    Tags that print nothing (``if``, ``assign``, ``capture``, ``abort_message``...) or only a
    number (``increment``) stay as written; ``connected_content`` is kept with ``:save``
    (without it, it prints the response). Any other tag (``liquid``, ``cycle``, ``raw``,
    ``tablerow``, ``include``...) would write unescaped text, and is refused.

    Raises:
        line_braze.errors.ValidationError: a tag that prints and cannot be hardened,
            naming the tag and ``field``.

    Example:
        >>> harden_tag("{%- echo ${first_name} -%}")
        '{%- echo ${first_name} | json_escape -%}'
        >>> harden_tag("{% cycle ${first_name}, 'b' %}")
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: messages: the Liquid tag 'cycle' writes into the body unescaped: use an output {{ ... }} or assign instead
    """  # noqa: E501
    parsed = parse_tag(tag)
    name = parsed.name
    if name == "echo":
        if not parsed.expression:
            return tag
        parts = split_filters(parsed.expression)
        if len(parts) > 1 and parts[-1].strip() == "json_escape":
            return tag
        return f"{{%{parsed.left} echo {parsed.expression} | json_escape {parsed.right}%}}"
    if name == "connected_content":
        if not tag_options(parsed.expression)[1].get("save"):
            raise ValidationError(
                field,
                "the Liquid tag 'connected_content' without :save writes the response into "
                "the body unescaped: add ':save name' and output {{name.field}}",
            )
        return tag
    if name in _SILENT_TAGS:
        return tag
    shown = repr(name) if name else short_repr(tag, 40)
    raise ValidationError(
        field,
        f"the Liquid tag {shown} writes into the body unescaped: use an output {{{{ ... }}}} "
        "or assign instead",
    )


def _check_sigils(span: str, field: str) -> None:
    for m in SIGIL.finditer(span):
        if not _SIGIL_NAME.fullmatch(m.group(2)):
            raise ValidationError(
                field,
                f"attribute name {short_repr(m.group(2), 60)} holds Liquid or quotes: "
                "an attribute name may not contain { } $ % quotes or line breaks",
            )


def json_with_liquid(payload: object) -> str:
    """Serialise ``payload`` as compact JSON, keeping Liquid markup inside strings raw.

    Literal text is JSON-escaped by `json.dumps`; each Liquid span is swapped for a
    placeholder first and put back verbatim afterwards (outputs and ``echo`` hardened with
    ``json_escape``, printing tags refused), so ``{{${first_name} | default: "there"}}``
    keeps its quotes.
    """
    spans: list[str] = []

    def protect(text: str, field: str) -> str:
        if _PH_OPEN in text or _PH_CLOSE in text:
            raise ValidationError(field, "text may not contain U+E000 or U+E001")

        def swap(m: re.Match[str]) -> str:
            span = m.group()
            _check_sigils(span, field)
            spans.append(
                harden_output(span) if m.group("output") else harden_tag(span, field=field)
            )
            return f"{_PH_OPEN}{len(spans) - 1}{_PH_CLOSE}"

        protected = MARKUP.sub(swap, text)
        for delimiter in ("{{", "{%"):
            if delimiter in protected:
                raise ValidationError(
                    field,
                    f"an unclosed Liquid {delimiter!r}: Braze would read it across the JSON "
                    "around it",
                )
        return protected

    def walk(value: object, path: str) -> object:
        if isinstance(value, str):
            return protect(value, path)
        if isinstance(value, Mapping):
            return {k: walk(v, f"{path}.{k}" if path else str(k)) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [walk(v, f"{path}[{i}]") for i, v in enumerate(value)]
        return value

    text = json.dumps(walk(payload, ""), ensure_ascii=False, separators=(",", ":"))
    return _PLACEHOLDER.sub(lambda m: spans[int(m.group(1))], text)
