# ruff: noqa: INP001 - loaded by path from mkdocs.yml, not imported as a package
"""Griffe extension for the docs build: read ``Example:`` sections as ``Examples:``.

Our docstrings follow Google style, where ``Example:`` and ``Examples:`` are both common.
Griffe treats only ``Examples:`` as the examples section; ``Example:`` would become an
admonition whose ``>>>`` lines are read as Markdown. This extension renames the section
heading before the docstring is parsed, so every doctest renders as a code block.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_HEADING = re.compile(r"^(?P<indent>[ \t]*)Example:[ \t]*$", re.MULTILINE)


class ExampleSections(griffe.Extension):
    """Rename ``Example:`` section headings to ``Examples:`` in every loaded docstring."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:  # noqa: ARG002
        """Rewrite ``obj``'s docstring heading, if it has one."""
        docstring = obj.docstring
        if docstring is not None and "Example:" in docstring.value:
            docstring.value = _HEADING.sub(r"\g<indent>Examples:", docstring.value)
