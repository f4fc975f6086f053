"""Moved: the wire layer is `line_braze._wire`; these names stay importable from here.

Kept only so that modules written against the old name keep working while branches merge;
import from `line_braze._wire` in new code.

Example:
    >>> from line_braze._convert import wire
    >>> wire([1, 2])
    [1, 2]
"""

from __future__ import annotations

from line_braze._wire import (
    converter,
    describe_structure_error,
    register_unstructure_hook,
    strict_converter,
    to_camel,
    wire,
)

__all__ = [
    "converter",
    "describe_structure_error",
    "register_unstructure_hook",
    "strict_converter",
    "to_camel",
    "wire",
]
