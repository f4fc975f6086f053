"""One display mixin for results and models: repr, rich and Jupyter show the same fields.

A field declared with ``attrs.field(repr=False)`` is hidden from ``repr`` and therefore from
``__rich_repr__`` and ``_repr_html_`` too: no display form shows what repr hides.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import attrs

__all__ = ["Display", "html_table", "short_repr"]


def short_repr(value: object, limit: int = 200) -> str:
    """Return ``repr(value)``, cut to ``limit`` characters.

    Example:
        >>> short_repr("x" * 300, limit=10)
        "'xxxxxx..."
    """
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def html_table(caption: str, cells: Iterable[tuple[str, str]], *, pre: bool = False) -> str:
    """Return a small HTML table of ``(name, text)`` rows, every piece escaped.

    Example:
        >>> html_table("Box", [("name", "<b>")])
        "<table><caption>Box</caption><tr><th style='text-align:left'>name</th><td>&lt;b&gt;</td></tr></table>"
    """  # noqa: E501
    import html

    open_, close = ("<pre>", "</pre>") if pre else ("", "")
    rows = "".join(
        f"<tr><th style='text-align:left'>{html.escape(name)}</th>"
        f"<td>{open_}{html.escape(text)}{close}</td></tr>"
        for name, text in cells
    )
    return f"<table><caption>{html.escape(caption)}</caption>{rows}</table>"


class Display:
    """Mixin for attrs classes: ``__rich_repr__`` and ``_repr_html_`` from the repr fields.

    Example:
        >>> import attrs
        >>> @attrs.frozen
        ... class Box(Display):
        ...     name: str
        ...     token: str = attrs.field(repr=False)
        >>> Box("a", "secret")._repr_html_().count("secret")
        0
    """

    def _shown_fields(self) -> Iterator[tuple[str, Any]]:
        cls: Any = type(self)
        for a in attrs.fields(cls):
            if a.repr is not False:
                yield a.name, getattr(self, a.name)

    def __rich_repr__(self) -> Iterator[tuple[str, Any]]:
        """Yield ``(name, value)`` pairs for rich's pretty printer."""
        yield from self._shown_fields()

    def _repr_html_(self) -> str:
        """Return a small, escaped HTML table for Jupyter."""
        cells = ((name, short_repr(value)) for name, value in self._shown_fields())
        return html_table(type(self).__name__, cells)
