"""The cattrs converters: the one place that knows wire names.

LINE's JSON is camelCase; Braze's is snake_case like our attrs fields. A hook factory renames
every attrs class defined under ``line_braze.line`` to camelCase, omits optional fields left at
``None`` (LINE rejects explicit nulls in many places) and keeps everything else as it is.
Braze classes go through cattrs unchanged.

Two converters share the same hooks: `converter`, used at run time, ignores unknown keys in
answers (a new field from LINE or Braze must not break a user); `strict_converter`, used by
the test suite, forbids them so that our own typos fail.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, Final, TypeVar

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

__all__ = [
    "converter",
    "describe_structure_error",
    "is_line_model",
    "register_structure_hook",
    "register_unstructure_hook",
    "strict_converter",
    "to_camel",
    "wire",
]

T = TypeVar("T")

#: Field names whose camelCase is not the mechanical one.
_SPECIAL: Final[Mapping[str, str]] = {}


@functools.cache
def to_camel(name: str) -> str:
    """Return the camelCase wire name of a snake_case field.

    Example:
        >>> to_camel("original_content_url")
        'originalContentUrl'
        >>> to_camel("type")
        'type'
    """
    if name in _SPECIAL:
        return _SPECIAL[name]
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def is_line_model(cls: type) -> bool:
    """Return whether ``cls`` is an attrs class that speaks LINE's camelCase."""
    return attrs.has(cls) and cls.__module__.startswith("line_braze.line")


def _wire_name(a: attrs.Attribute[Any]) -> str:
    alias = a.metadata.get("wire")
    return str(alias) if alias else to_camel(a.name)


def _make(forbid_extra_keys: bool) -> cattrs.Converter:  # noqa: FBT001
    conv = cattrs.Converter(forbid_extra_keys=forbid_extra_keys)

    def unstructure_factory(cls: type) -> Callable[[Any], dict[str, Any]]:
        overrides = {
            a.name: override(rename=_wire_name(a), omit_if_default=a.default is None)
            for a in attrs.fields(cls)
            if a.init or a.default is not attrs.NOTHING
        }
        return make_dict_unstructure_fn(cls, conv, **overrides)  # type: ignore[arg-type]

    def structure_factory(cls: type) -> Callable[[Any, Any], Any]:
        overrides = {a.name: override(rename=_wire_name(a)) for a in attrs.fields(cls)}
        return make_dict_structure_fn(  # type: ignore[call-overload,no-any-return]
            cls, conv, _cattrs_forbid_extra_keys=forbid_extra_keys, **overrides
        )

    conv.register_unstructure_hook_factory(is_line_model, unstructure_factory)
    conv.register_structure_hook_factory(is_line_model, structure_factory)
    return conv


converter: Final = _make(forbid_extra_keys=False)
strict_converter: Final = _make(forbid_extra_keys=True)
_ALL: Final = (converter, strict_converter)


def register_unstructure_hook(cls: Any, hook: Callable[[Any], Any]) -> None:
    """Register an unstructure hook on both converters."""
    for conv in _ALL:
        conv.register_unstructure_hook(cls, hook)


def register_structure_hook(cls: Any, hook: Callable[[Any, Any], Any]) -> None:
    """Register a structure hook on both converters."""
    for conv in _ALL:
        conv.register_structure_hook(cls, hook)


def wire(obj: Any, *, as_type: Any = None) -> Any:
    """Return the JSON-ready wire form of a model (or a list of models).

    Example:
        >>> import attrs
        >>> wire([1, 2])
        [1, 2]
    """
    if as_type is None:
        return converter.unstructure(obj)
    return converter.unstructure(obj, unstructure_as=as_type)


def describe_structure_error(exc: Exception, *, path: str = "$") -> str:
    """Return a one-line summary of a cattrs structuring error, with JSON paths.

    Example:
        >>> import attrs, cattrs
        >>> @attrs.frozen
        ... class P:
        ...     n: int
        >>> try:
        ...     cattrs.Converter().structure({"n": "x"}, P)
        ... except Exception as exc:
        ...     print(describe_structure_error(exc))
        invalid value for type, expected int @ $.n
    """
    if isinstance(exc, cattrs.BaseValidationError):
        messages = cattrs.transform_error(exc, path=path)
        shown = "; ".join(messages[:3])
        if len(messages) > 3:  # noqa: PLR2004
            shown += f"; and {len(messages) - 3} more"
        return shown
    return f"{type(exc).__name__} @ {path}"
