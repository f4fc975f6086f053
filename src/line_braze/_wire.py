"""The one cattrs layer: each service's names, strict scalars, tagged unions and error paths.

Every LINE and Braze model (messages, answers, webhook events, track objects) goes through
the two converters here; nothing else in the package builds a converter or structures by
hand.

* **Each service's names, once.** A hook factory names every attrs class by the service
  that defines it (`NAMING`): LINE's camelCase under ``line_braze.line``, Braze's
  snake_case (the field name itself) under ``line_braze.braze``; a field's
  ``metadata={"wire": ...}`` overrides the name. Unstructuring omits optional fields left
  at ``None`` (LINE refuses explicit nulls in many places) and writes the ``type``
  discriminator even where it is ``init=False``.
* **Strict scalars.** A ``str`` field takes only a JSON string, a ``bool`` only a boolean,
  an ``int`` only an integer (``1.0`` is one; ``true`` is not), a ``float`` only a number;
  arrays must be arrays and objects objects. Nothing is coerced: ``str({"a": 1})`` never
  becomes a display name.
* **Tagged unions** on ``type`` with cattrs' own strategy (`configure_tagged_union`), guarded
  so that a missing or unknown tag is a clear error, or, where LINE says new types may
  appear, the union's ``Unknown...`` fallback built from the raw mapping.
* **Errors with LINE's paths.** `describe` walks cattrs' structured errors (exception groups
  with attribute and index notes) into ``(path, reason)`` pairs in LINE's camelCase
  (``$.events[3].source.userId``); reasons never quote the input.

`converter` ignores keys a model does not define (a new field from LINE must not break a
user); `strict_converter` refuses them (the test suite's, and reading outgoing messages
back, where LINE would refuse them too).

Example:
    >>> from line_braze.line.responses import Profile
    >>> converter.structure({"displayName": "Ann", "userId": "U1"}, Profile).display_name
    'Ann'
    >>> try:
    ...     converter.structure({"displayName": {"a": 1}, "userId": "U1"}, Profile)
    ... except Exception as exc:
    ...     print(describe(exc))
    [('$.displayName', 'must be a string, got an object')]
"""

from __future__ import annotations

import functools
import operator
import re
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

import attrs
import cattrs
from cattrs.errors import CattrsError
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from cattrs.strategies import configure_tagged_union

__all__ = [
    "NAMING",
    "WireError",
    "converter",
    "describe",
    "describe_structure_error",
    "register_structure_hook",
    "register_union",
    "register_unstructure_hook",
    "strict_converter",
    "to_camel",
    "to_snake",
    "wire",
]

#: Field names whose camelCase is not the mechanical one.
_SPECIAL: Final[Mapping[str, str]] = {}
_NONE: Final = type(None)
_PROPERTY: Final = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,31}")


class WireError(ValueError):
    """A JSON value of the wrong type or shape; its message never quotes the input."""


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


def to_snake(name: str) -> str:
    """Return the snake_case wire name of a field: Braze's JSON names are our own.

    Example:
        >>> to_snake("alias_name")
        'alias_name'
    """
    return name


#: The package of each service -> how its wire names derive from our field names.
NAMING: Final[Mapping[str, Callable[[str], str]]] = {
    "line_braze.line": to_camel,
    "line_braze.braze": to_snake,
}


def naming_of(cls: type) -> Callable[[str], str] | None:
    """Return the naming of the service that defines attrs class ``cls`` (``None``: no model).

    Example:
        >>> from line_braze.braze.models import UserAlias
        >>> naming_of(UserAlias) is to_snake
        True
    """
    if not attrs.has(cls):
        return None
    module = cls.__module__
    for package, naming in NAMING.items():
        if module == package or module.startswith(package + "."):
            return naming
    return None


def _is_model(cls: type) -> bool:
    return naming_of(cls) is not None


def _wire_name(a: attrs.Attribute[Any], naming: Callable[[str], str] = to_camel) -> str:
    alias = a.metadata.get("wire")
    return str(alias) if alias else naming(a.name)


def json_type(value: object) -> str:  # noqa: PLR0911 - one answer per JSON type
    """Name the JSON type of a decoded value (``"a string"``, ``"an object"``...)."""
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


# -- strict scalars and containers --------------------------------------------------------


def _exact_str(value: object, _: object) -> str:
    if isinstance(value, str):
        return value
    raise WireError(f"must be a string, got {json_type(value)}")


def _exact_bool(value: object, _: object) -> bool:
    if isinstance(value, bool):
        return value
    raise WireError(f"must be a boolean, got {json_type(value)}")


def _exact_int(value: object, _: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise WireError(f"must be an integer, got {json_type(value)}")


def _exact_float(value: object, _: object) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value  # an int stays an int, so a number is written back as it came
    raise WireError(f"must be a number, got {json_type(value)}")


def _is_tuple(tp: Any) -> bool:
    args: tuple[Any, ...] = getattr(tp, "__args__", ())
    return getattr(tp, "__origin__", None) is tuple and args[1:] == (Ellipsis,)


def _is_mapping(tp: Any) -> bool:
    return typing.get_origin(tp) in (Mapping, dict) and len(typing.get_args(tp)) == 2  # noqa: PLR2004


def _is_literal(tp: Any) -> bool:
    return typing.get_origin(tp) is typing.Literal


def _is_optional(tp: Any) -> bool:
    return typing.get_origin(tp) in (typing.Union, types.UnionType) and _NONE in typing.get_args(tp)


def _with_note(exc: Exception, note: object) -> Exception:
    exc.__notes__ = [*getattr(exc, "__notes__", []), note]  # type: ignore[attr-defined]
    return exc


# -- the converters ---------------------------------------------------------------------------


class _Factories:
    """The hook factories of one converter (``forbid_extra_keys``: unknown keys refused)."""

    def __init__(self, conv: cattrs.Converter, *, forbid_extra_keys: bool) -> None:
        self.conv = conv
        self.forbid_extra_keys = forbid_extra_keys

    def _one(self, item: object, item_type: Any, index: int | str) -> tuple[Any, Exception | None]:
        try:
            return self.conv.structure(item, item_type), None
        except Exception as exc:  # noqa: BLE001 - collected by the caller, raised as a group
            return None, _with_note(exc, cattrs.IterableValidationNote("", index, item_type))

    def tuple_hook(self, tp: Any) -> Callable[[Any, Any], tuple[Any, ...]]:
        item_type = tp.__args__[0]

        def structure(value: object, _: object) -> tuple[Any, ...]:
            if not isinstance(value, (list, tuple)):
                raise WireError(f"must be an array, got {json_type(value)}")
            results = [self._one(item, item_type, i) for i, item in enumerate(value)]
            errors = [err for _, err in results if err is not None]
            if errors:
                raise cattrs.IterableValidationError("invalid items", errors, tp)
            return tuple(item for item, _ in results)

        return structure

    def mapping_hook(self, tp: Any) -> Callable[[Any, Any], dict[str, Any]]:
        value_type = typing.get_args(tp)[1]

        def structure(value: object, _: object) -> dict[str, Any]:
            if not isinstance(value, Mapping):
                raise WireError(f"must be an object, got {json_type(value)}")
            if not all(isinstance(key, str) for key in value):
                raise WireError("keys must be strings")
            results = {key: self._one(item, value_type, key) for key, item in value.items()}
            errors = [err for _, err in results.values() if err is not None]
            if errors:
                raise cattrs.IterableValidationError("invalid values", errors, tp)
            return {key: item for key, (item, _) in results.items()}

        return structure

    def class_hook(self, cls: type) -> Callable[[Any, Any], Any]:
        naming = naming_of(cls) or to_camel
        fields = attrs.fields(cls)
        tags = {_wire_name(a, naming): a.default for a in fields if not a.init}
        overrides: dict[str, Any] = {
            a.name: override(rename=_wire_name(a, naming)) for a in fields if a.init
        }
        generated: Callable[[Any, Any], Any] = make_dict_structure_fn(
            cls, self.conv, _cattrs_forbid_extra_keys=self.forbid_extra_keys, **overrides
        )
        wire_names = {a.name: _wire_name(a, naming) for a in fields}

        def structure(value: object, tp: object) -> Any:
            if not isinstance(value, Mapping):
                raise WireError(f"must be an object, got {json_type(value)}")
            if tags and any(key in value for key in tags):
                _check_tags(value, tags)
                value = {k: v for k, v in value.items() if k not in tags}
            try:
                return generated(value, tp)
            except cattrs.ClassValidationError as exc:
                _name_on_the_wire(exc, wire_names)
                raise

        return structure

    def literal_hook(self, tp: Any) -> Callable[[Any, Any], Any]:
        allowed = typing.get_args(tp)
        shown = ", ".join(repr(a) for a in allowed)
        wanted = f"must be {shown}" if len(allowed) == 1 else f"must be one of {shown}"

        def structure(value: object, _: object) -> Any:
            if isinstance(value, (str, int)) and not isinstance(value, bool) and value in allowed:
                return value
            raise WireError(wanted)

        return structure

    def optional_hook(self, tp: Any) -> Callable[[Any, Any], Any]:
        rest = tuple(a for a in typing.get_args(tp) if a is not _NONE)
        inner: Any = rest[0] if len(rest) == 1 else functools.reduce(operator.or_, rest)

        def structure(value: object, _: object) -> Any:
            return None if value is None else self.conv.structure(value, inner)

        return structure

    def unstructure_hook(self, cls: type) -> Callable[[Any], dict[str, Any]]:
        naming = naming_of(cls) or to_camel
        overrides: dict[str, Any] = {
            a.name: override(rename=_wire_name(a, naming), omit_if_default=a.default is None)
            for a in attrs.fields(cls)
            if a.init or a.default is not attrs.NOTHING
        }
        return make_dict_unstructure_fn(
            cls, self.conv, _cattrs_include_init_false=True, **overrides
        )


class _WireNote(cattrs.AttributeValidationNote):
    """An attribute note whose ``name`` is already the key on the wire (no renaming)."""


def _name_on_the_wire(exc: cattrs.ClassValidationError, wire_names: Mapping[str, str]) -> None:
    """Name each failed attribute by its key on the wire (``metadata={"wire": ...}`` too)."""
    for sub in exc.exceptions:
        notes = getattr(sub, "__notes__", None)
        if not notes:
            continue
        for i, note in enumerate(notes):
            if type(note) is cattrs.AttributeValidationNote and note.name in wire_names:
                notes[i] = _WireNote(str(note), wire_names[note.name], note.type)


def _check_tags(value: Mapping[str, Any], tags: Mapping[str, Any]) -> None:
    for key, expected in tags.items():
        if key in value and value[key] != expected:
            raise _with_note(
                WireError(f"must be {expected!r}"), cattrs.AttributeValidationNote("", key, str)
            )


def _make(*, forbid_extra_keys: bool) -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=forbid_extra_keys)
    hooks = _Factories(conv, forbid_extra_keys=forbid_extra_keys)
    conv.register_structure_hook(str, _exact_str)
    conv.register_structure_hook(bool, _exact_bool)
    conv.register_structure_hook(int, _exact_int)
    conv.register_structure_hook(float, _exact_float)
    conv.register_structure_hook_factory(_is_literal, hooks.literal_hook)
    conv.register_structure_hook_factory(_is_optional, hooks.optional_hook)
    conv.register_structure_hook_factory(_is_tuple, hooks.tuple_hook)
    conv.register_structure_hook_factory(_is_mapping, hooks.mapping_hook)
    conv.register_structure_hook_factory(_is_model, hooks.class_hook)
    conv.register_unstructure_hook_factory(_is_model, hooks.unstructure_hook)
    return conv


#: Keys a model does not define are ignored (answers and webhooks from LINE).
converter: Final = _make(forbid_extra_keys=False)
#: Keys a model does not define are refused (the test suite; outgoing JSON read back).
strict_converter: Final = _make(forbid_extra_keys=True)
_ALL: Final = (converter, strict_converter)


def register_unstructure_hook(cls: Any, hook: Callable[[Any], Any]) -> None:
    """Register an unstructure hook on both converters."""
    for conv in _ALL:
        conv.register_unstructure_hook(cls, hook)


def register_structure_hook(predicate: Callable[[Any], bool], hook: Callable[..., Any]) -> None:
    """Register a structure hook for the types ``predicate`` accepts, on both converters."""
    for conv in _ALL:
        conv.register_structure_hook_func(predicate, hook)


def register_union(
    union: Any,
    classes: Sequence[type] | None = None,
    *,
    noun: str,
    fallback: Callable[[Mapping[str, Any]], Any] | None = None,
) -> None:
    """Make ``union`` a tagged union on ``type`` (cattrs' strategy), on both converters.

    Args:
        union: the union type.
        classes: the members dispatched on their tag (each one's ``type`` default);
            default: every member of ``union``.
        noun: what a member is called in errors (``"message"``).
        fallback: builds the value for an unknown tag from the raw mapping (the union's
            ``Unknown...`` class); without it an unknown tag is an error listing the known.
    """
    if classes is None:
        classes = typing.get_args(union)
    tags = {_tag(cls): cls for cls in classes}
    known = ", ".join(sorted(tags))
    members: Any = functools.reduce(operator.or_, classes)
    for conv in _ALL:
        _register_guard(conv, union, members, tags, known, noun, fallback)


def _register_guard(
    conv: cattrs.Converter,
    union: Any,
    members: Any,
    tags: Mapping[str, type],
    known: str,
    noun: str,
    fallback: Callable[[Mapping[str, Any]], Any] | None,
) -> None:
    """Register the guard of ``union``; cattrs' strategy is configured on first use.

    Configuring generates every member's functions, which costs tens of milliseconds per
    union: done at import it would make ``import line_braze.line`` slow.
    """
    dispatch: list[Any] = []

    def guard(value: object, tp: object) -> Any:
        if not isinstance(value, Mapping):
            raise WireError(f"must be {_article(noun)} object, got {json_type(value)}")
        tag = value.get("type")
        if not isinstance(tag, str) or tag not in tags:
            if fallback is not None:
                return fallback(value)
            if "type" not in value:
                raise _with_note(
                    WireError(f"is required for {_article(noun)}"),
                    cattrs.AttributeValidationNote("", "type", str),
                )
            shown = (
                repr(tag) if isinstance(tag, str) and _PROPERTY.fullmatch(tag) else json_type(tag)
            )
            raise _with_note(
                WireError(f"unknown {noun} type {shown}; supported: {known}"),
                cattrs.AttributeValidationNote("", "type", str),
            )
        if not dispatch:
            # cattrs' own strategy dispatches the known members on ``type``.
            configure_tagged_union(members, conv, tag_generator=_tag, tag_name="type")
            dispatch.append(conv.get_structure_hook(members))
            conv.register_structure_hook(union, guard)  # the strategy replaced it
        return dispatch[0](dict(value), tp)

    conv.register_structure_hook(union, guard)


def _tag(cls: type) -> str:
    return str(attrs.fields_dict(cls)["type"].default)


def _article(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


def wire(obj: Any, *, as_type: Any = None) -> Any:
    """Return the JSON-ready wire form of a model (or a list of models).

    Example:
        >>> wire([1, 2])
        [1, 2]
    """
    if as_type is None:
        return converter.unstructure(obj)
    return converter.unstructure(obj, unstructure_as=as_type)


# -- errors -----------------------------------------------------------------------------------


def describe(
    exc: BaseException, path: str = "$", *, naming: Callable[[str], str] = to_camel
) -> list[tuple[str, str]]:
    """Return ``(path, reason)`` for each failure in a cattrs structuring error.

    Paths are in the service's names, LINE's camelCase by default
    (``$.events[1].source.userId``, ``messages[0].text``; ``naming=to_snake`` for Braze's
    ``$.users[0].user_alias``); a model's own `line_braze.errors.ValidationError` adds its
    field. Reasons are ours and never quote the input, so no message text or token reaches
    an error or a log.

    Example:
        >>> describe(WireError("must be a string, got a number"), "$.text")
        [('$.text', 'must be a string, got a number')]
    """
    found: list[tuple[str, str]] = []
    try:
        _walk(exc, path, found, naming)
    except Exception:  # noqa: BLE001 - describing an error must never raise another
        found = []
    return found or [(path, "invalid")]


def _join(path: str, key: str) -> str:
    if key.startswith("["):
        return path + key
    return f"{path}.{key}" if path else key


def _where(exc: BaseException, path: str, naming: Callable[[str], str]) -> str:
    for note in reversed(getattr(exc, "__notes__", ())):  # added innermost first
        if isinstance(note, _WireNote):
            path = _join(path, note.name)
        elif isinstance(note, cattrs.AttributeValidationNote):
            path = _join(path, naming(note.name) if note.name.islower() else note.name)
        elif isinstance(note, cattrs.IterableValidationNote):
            index = note.index
            path = _join(path, f"[{index}]" if isinstance(index, int) else str(index))
    return path


def _walk(
    exc: BaseException, path: str, found: list[tuple[str, str]], naming: Callable[[str], str]
) -> None:
    from line_braze.errors import ValidationError

    where = _where(exc, path, naming)
    if isinstance(exc, cattrs.BaseValidationError):
        for sub in exc.exceptions:
            _walk(sub, where, found, naming)
        return
    if isinstance(exc, cattrs.ForbiddenExtraKeysError):
        service = "Braze" if naming is to_snake else "LINE"
        reason = f"is not a property of {exc.cl.__name__} ({service} would refuse it)"
        for key in sorted(exc.extra_fields):
            # Only a property-like key is echoed: a misplaced token must not reach the error.
            shown = key if _PROPERTY.fullmatch(key) else "<key>"
            found.append((_join(where, shown), reason))
        return
    if isinstance(exc, ValidationError):
        field = ".".join(naming(part) for part in exc.field.split(".")) if exc.field else ""
        found.append((_join(where, field) if field else where, exc.reason))
        return
    found.append((where, _reason(exc)))


def _reason(exc: BaseException) -> str:
    if isinstance(exc, WireError):
        return str(exc)
    if isinstance(exc, KeyError):
        return "is required"
    if isinstance(exc, CattrsError):
        return "unexpected value"
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return f"invalid ({type(exc).__name__})"


def describe_structure_error(
    exc: Exception, *, path: str = "$", naming: Callable[[str], str] = to_camel
) -> str:
    """Return a one-line summary of a structuring error: at most three ``reason @ path``.

    Example:
        >>> describe_structure_error(WireError("must be a string, got a number"), path="$.a")
        'must be a string, got a number @ $.a'
    """
    found = describe(exc, path, naming=naming)
    shown = "; ".join(f"{reason} @ {where}" for where, reason in found[:3])
    if len(found) > 3:  # noqa: PLR2004
        shown += f"; and {len(found) - 3} more"
    return shown
