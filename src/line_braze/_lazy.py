"""Lazy package exports (PEP 562): one implementation for every ``__init__`` that uses them."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, names: Mapping[str, str], public: Iterable[str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Return the ``__getattr__`` and ``__dir__`` of a package whose names load on first use.

    Args:
        package: the package's ``__name__`` (it must be importing: its module exists).
        names: public name -> the module that defines it.
        public: the package's ``__all__``.

    Example:
        >>> getattr_, dir_ = lazy_exports("line_braze", {"Secret": "line_braze._secret"}, [])
        >>> getattr_("Secret").__name__
        'Secret'
        >>> getattr_("Nope")
        Traceback (most recent call last):
        ...
        AttributeError: module 'line_braze' has no attribute 'Nope'
    """
    namespace = sys.modules[package].__dict__
    listed = frozenset(public)

    def __getattr__(name: str) -> Any:  # noqa: N807 - becomes the package's __getattr__
        """Import a public name on first use and cache it on the package."""
        module = names.get(name)
        if module is None:
            msg = f"module {package!r} has no attribute {name!r}"
            raise AttributeError(msg)
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:  # noqa: N807 - becomes the package's __dir__
        """List the public names, including those not imported yet."""
        return sorted(set(namespace) | listed)

    return __getattr__, __dir__
