"""Outgoing LINE JSON read back into message models, with `ValidationError` paths.

The converters, camelCase names and strict scalars live in `line_braze._wire`; the names
here re-export them for the modules not moved yet. Outgoing tagged unions (LINE messages,
templates, actions, flex components) are read back with `structure_checked`: closed unions
keyed on ``type``, unknown keys refused, and every failure a
`line_braze.errors.ValidationError` naming the JSON path.
"""

from __future__ import annotations

import functools
import operator
import re
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final, Literal, TypeVar, Union, get_args, get_origin

import attrs

from line_braze._wire import (
    converter,
    describe_structure_error,
    register_unstructure_hook,
    strict_converter,
    to_camel,
    wire,
)
from line_braze.errors import ValidationError

__all__ = [
    "converter",
    "describe_structure_error",
    "is_line_model",
    "register_tagged_union",
    "register_unstructure_hook",
    "strict_converter",
    "structure_checked",
    "to_camel",
    "wire",
]

T = TypeVar("T")


def is_line_model(cls: type) -> bool:
    """Return whether ``cls`` is an attrs class that speaks LINE's camelCase."""
    return attrs.has(cls) and cls.__module__.startswith("line_braze.line")


def _wire_name(a: attrs.Attribute[Any]) -> str:
    alias = a.metadata.get("wire")
    return str(alias) if alias else to_camel(a.name)


_ALL: Final = (converter, strict_converter)


# -- outgoing tagged unions, read back with paths -------------------------------------------

#: union type -> (what it is called in errors, {"type" value: class})
_TAGGED: dict[Any, tuple[str, Mapping[str, type]]] = {}
_NONE: Final = type(None)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PROPERTY = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,31}")


def register_tagged_union(union: Any, tags: Mapping[str, type], *, noun: str) -> None:
    """Make ``union`` a closed tagged union on ``type`` for `structure_checked` and cattrs.

    Both converters then structure ``union`` and each of its classes with `structure_checked`,
    so ``converter.structure(data, union)`` raises `ValidationError` as well.

    Args:
        union: the union type (``TextMessage | StickerMessage``).
        tags: ``type`` value -> class.
        noun: what a member is called in errors (``"message"``).
    """
    _TAGGED[union] = (noun, dict(tags))
    for conv in _ALL:
        conv.register_structure_hook_func(functools.partial(operator.eq, union), _checked(union))
        for cls in tags.values():
            conv.register_structure_hook(cls, _checked(cls))


def _checked(tp: Any) -> Callable[[Any, Any], Any]:
    def hook(data: Any, _tp: Any) -> Any:
        return structure_checked(data, tp)

    return hook


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _camel_path(field: str) -> str:
    return _NAME.sub(lambda m: to_camel(m.group()), field)


def _json_type(value: object) -> str:  # noqa: PLR0911 - one answer per JSON type
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, Sequence):
        return "an array"
    return type(value).__name__


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def structure_checked(data: Any, tp: Any, path: str = "") -> Any:  # noqa: PLR0911 - a dispatch
    """Structure outgoing wire JSON into models, raising `ValidationError` with JSON paths.

    Unlike the converters, this refuses keys a model does not define, refuses JSON types
    that are not exactly the declared ones (no ``"1"`` for ``1``), dispatches registered
    tagged unions on ``type`` (unknown values refused), and turns a model's own validation
    error into one whose field is the camelCase JSON path.

    Args:
        data: decoded JSON.
        tp: the target type: an attrs class, a registered union, ``str``, ``int``,
            ``bool``, a ``Literal``, ``tuple[X, ...]``, or ``X | None``.
        path: the JSON path of ``data`` (``"messages[0]"``); ``""`` at the top.

    Example:
        >>> structure_checked([1, 2], tuple[int, ...])
        (1, 2)
        >>> structure_checked([1, "2"], tuple[int, ...], "ids")
        Traceback (most recent call last):
        ...
        line_braze.errors.ValidationError: ids[1]: must be an integer, got a string
    """
    if tp in _TAGGED:
        return _tagged(data, tp, path)
    origin = get_origin(tp)
    if origin is Union or origin is types.UnionType:
        args = get_args(tp)
        if data is None and _NONE in args:
            return None
        rest = tuple(a for a in args if a is not _NONE)
        inner = rest[0] if len(rest) == 1 else Union[rest]  # noqa: UP007 - built at run time
        return structure_checked(data, inner, path)
    if origin is Literal:
        allowed = get_args(tp)
        if isinstance(data, (str, int)) and data in allowed:
            return data
        shown = ", ".join(repr(a) for a in allowed)
        raise ValidationError(path, f"must be one of {shown}")
    if origin is Mapping or origin is dict:
        return _mapping(data, get_args(tp)[1], path)
    if origin is tuple:
        if isinstance(data, (str, bytes, Mapping)) or not isinstance(data, Sequence):
            raise ValidationError(path, f"must be an array, got {_json_type(data)}")
        item = get_args(tp)[0]
        return tuple(structure_checked(v, item, f"{path}[{i}]") for i, v in enumerate(data))
    if isinstance(tp, type) and attrs.has(tp):
        return _object(data, tp, path)
    return _scalar(data, tp, path)


def _mapping(data: Any, value_type: Any, path: str) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        raise ValidationError(path, f"must be an object, got {_json_type(data)}")
    result: dict[str, Any] = {}
    for key, value in data.items():
        shown = key if isinstance(key, str) and _PROPERTY.fullmatch(key) else "<key>"
        if not isinstance(key, str):
            raise ValidationError(_join(path, shown), "keys must be strings")
        result[key] = structure_checked(value, value_type, _join(path, shown))
    return result


def _scalar(data: Any, tp: Any, path: str) -> Any:
    if tp is str:
        ok, noun = isinstance(data, str), "a string"
    elif tp is bool:
        ok, noun = isinstance(data, bool), "a boolean"
    elif tp is int:
        ok, noun = isinstance(data, int) and not isinstance(data, bool), "an integer"
    elif tp is float:
        ok, noun = isinstance(data, (int, float)) and not isinstance(data, bool), "a number"
    else:
        raise TypeError(f"structure_checked cannot build {tp!r}")
    if not ok:
        raise ValidationError(path, f"must be {noun}, got {_json_type(data)}")
    return data


def _tagged(data: Any, union: Any, path: str) -> Any:
    noun, tags = _TAGGED[union]
    if not isinstance(data, Mapping):
        raise ValidationError(path, f"must be a {noun} object, got {_json_type(data)}")
    tag = data.get("type")
    if tag is None:
        raise ValidationError(_join(path, "type"), f"is required for a {noun}")
    cls = tags.get(tag) if isinstance(tag, str) else None
    if cls is None:
        shown = repr(tag) if isinstance(tag, str) and _PROPERTY.fullmatch(tag) else _json_type(tag)
        raise ValidationError(
            _join(path, "type"),
            f"unknown {noun} type {shown}; supported: {', '.join(sorted(tags))}",
        )
    return _object(data, cls, path)


def _object(data: Any, cls: type, path: str) -> Any:
    if not isinstance(data, Mapping):
        raise ValidationError(path, f"must be an object, got {_json_type(data)}")
    fields = attrs.fields(cls)
    names = {_wire_name(a): a for a in fields}
    for key in data:
        if key not in names:
            # Only a property-like key is echoed: a misplaced token must not reach the error.
            shown = key if isinstance(key, str) and _PROPERTY.fullmatch(key) else "<key>"
            raise ValidationError(
                _join(path, shown), f"is not a property of {cls.__name__} (LINE would refuse it)"
            )
    hints = _hints(cls)
    kwargs: dict[str, Any] = {}
    for key, a in names.items():
        if not a.init:
            if key in data and data[key] != a.default:
                raise ValidationError(_join(path, key), f"must be {a.default!r}")
            continue
        if key in data:
            kwargs[a.name] = structure_checked(data[key], hints[a.name], _join(path, key))
        elif a.default is attrs.NOTHING:
            raise ValidationError(_join(path, key), "is required")
    try:
        return cls(**kwargs)
    except ValidationError as err:
        raise ValidationError(_camel_path(err.field), err.reason).prefixed(path) from None
