"""Liquid scanning shared by `line_braze.templates` and `line_braze.preview`.

One place knows where Braze Liquid markup sits in a text and what a tag is called:

- `MARKUP` finds outputs ``{{ ... }}`` and tags ``{% ... %}``. Braze's attribute sigil
  ``${...}`` holds braces, and string literals may hold ``}}`` or ``%}``, so both are matched
  as units;
- `BLOCK_INCLUDE` finds a Content Block include ``{{content_blocks.${Name}}}``;
- `split_filters` splits an expression on ``|`` outside string literals;
- `INNER_OUTPUT` finds an output nested in a filter argument or a tag (Braze's
  ``{{a | plus: {{b}}}}``, ``{% assign b = {{c}} %}``);
- `parse_tag` takes a tag apart: whitespace control, name, expression;
- `tag_options` splits ``connected_content``'s ``URL :option value`` list;
- `token_blocks` names the Content Blocks an ``Authorization`` header includes.

Nothing here imports a Liquid engine.

Example:
    >>> [m.group() for m in MARKUP.finditer("Hi {{${first_name}}}{%- echo 'x' -%}!")]
    ['{{${first_name}}}', "{%- echo 'x' -%}"]
    >>> parse_tag("{%- echo ${first_name} | upcase -%}")
    Tag(left='-', name='echo', expression='${first_name} | upcase', right='-')
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final, NamedTuple

__all__ = [
    "BLOCK_INCLUDE",
    "INNER_OUTPUT",
    "MARKUP",
    "SIGIL",
    "STRING",
    "Tag",
    "parse_tag",
    "split_filters",
    "tag_options",
    "token_blocks",
]

_SIGIL = r"\$\{[^}]*\}"
_STRING = r"'[^']*'|\"[^\"]*\""
_INNER = rf"\{{\{{(?:{_SIGIL}|{_STRING}|\$(?!\{{)|[^}}'\"$])*?\}}\}}"
# An output may hold one nested output in a filter argument: {{a | plus: {{b}}}}.
_OUTPUT = rf"\{{\{{(?:{_SIGIL}|{_STRING}|{_INNER}|\$(?!\{{)|[^}}'\"$])*?\}}\}}"
_TAG = rf"\{{%(?:{_SIGIL}|{_STRING}|%(?!\}})|\$(?!\{{)|[^%'\"$])*?%\}}"
#: An output (group ``output``) or a tag (group ``tag``).
MARKUP: Final = re.compile(rf"(?P<output>{_OUTPUT})|(?P<tag>{_TAG})", re.DOTALL)
#: A string literal in single or double quotes.
STRING: Final = re.compile(_STRING)
#: An attribute sigil ``${name}``, with its namespace (``custom_attribute.``) if any.
SIGIL: Final = re.compile(r"(?:\b([A-Za-z_][A-Za-z0-9_]*)\.)?\$\{([^}]*)\}")
#: A Content Block include, the block's name in group 1.
BLOCK_INCLUDE: Final = re.compile(r"\{\{-?\s*content_blocks\.\$\{([^}]*)\}\s*-?\}\}")
#: An output nested in a filter argument or a tag, its expression in group 1.
INNER_OUTPUT: Final = re.compile(r"\{\{-?\s*((?:\$\{[^}]*\}|'[^']*'|\"[^\"]*\"|[^}])*?)\s*-?\}\}")
_OPTION: Final = re.compile(r"(?:^|\s):([a-z_]+)")
_TAG_PARTS: Final = re.compile(r"\{%(-?)\s*(#|[A-Za-z_]\w*)?(.*?)\s*(-?)%\}", re.DOTALL)


class Tag(NamedTuple):
    """A Liquid tag taken apart.

    Attributes:
        left: ``"-"`` if the tag opens with ``{%-``, else ``""``.
        name: the tag's name (``echo``, ``if``...), ``""`` if there is none.
        expression: what follows the name, stripped.
        right: ``"-"`` if the tag closes with ``-%}``, else ``""``.
    """

    left: str
    name: str
    expression: str
    right: str


def parse_tag(tag: str) -> Tag:
    """Take a tag ``{% name expression %}`` apart.

    Example:
        >>> parse_tag("{% if a %}").name, parse_tag("{%liquid echo a%}").expression
        ('if', 'echo a')
    """
    m = _TAG_PARTS.fullmatch(tag)
    if m is None:
        return Tag("", "", tag[2:-2].strip(), "")
    left, name, expression, right = m.groups()
    return Tag(left, name or "", expression.strip(), right)


def split_filters(expression: str) -> list[str]:
    """Split an expression on ``|`` outside string literals.

    Example:
        >>> split_filters("${a} | default: 'x|y' | upcase")
        ['${a} ', " default: 'x|y' ", ' upcase']
    """
    parts, last, pos = [], 0, 0
    while pos < len(expression):
        m = STRING.match(expression, pos)
        if m:
            pos = m.end()
            continue
        if expression[pos] == "|":
            parts.append(expression[last:pos])
            last = pos + 1
        pos += 1
    parts.append(expression[last:])
    return parts


def token_blocks(headers: Mapping[str, str]) -> frozenset[str]:
    """Return the Content Blocks the ``Authorization`` header includes (the token's).

    Example:
        >>> sorted(token_blocks({"Authorization": "Bearer {{content_blocks.${Tok}}}"}))
        ['Tok']
    """
    names: set[str] = set()
    for key, value in headers.items():
        if key.lower() == "authorization":
            names.update(
                m.group(2).strip() for m in SIGIL.finditer(value) if m.group(1) == "content_blocks"
            )
    return frozenset(names)


def tag_options(expression: str) -> tuple[str, dict[str, str]]:
    """Split a ``connected_content`` expression ``URL :opt value :flag`` into URL and options.

    Example:
        >>> tag_options("https://x.example/{{${user_id}}} :method post :retry :save r")
        ('https://x.example/{{${user_id}}}', {'method': 'post', 'retry': '', 'save': 'r'})
    """
    marks = list(_OPTION.finditer(expression))
    url = expression[: marks[0].start()].strip() if marks else expression.strip()
    options: dict[str, str] = {}
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(expression)
        options[m.group(1)] = expression[m.end() : end].strip()
    return url, options
