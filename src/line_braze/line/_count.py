r"""Counting characters the way LINE counts them.

LINE's "Character counting in a text" page names two units:

* **UTF-16 code units** for message text, ``altText`` and most other strings: a character
  outside the Basic Multilingual Plane (most emoji, 🍎) counts 2.
* **Grapheme clusters** (Unicode UAX #29 extended grapheme clusters) for action labels,
  postback/message action texts and the titles and texts of buttons, confirm and carousel
  templates: 👨‍👩‍👧 (a ZWJ sequence of five code points) counts 1, ``e`` + a combining acute
  accent counts 1, and ``\r\n`` counts 1.

The standard library cannot segment grapheme clusters; the ``regex`` module's ``\X`` does.
It is imported on first use, and only for non-ASCII text, so ``import line_braze`` stays fast.

Example:
    >>> utf16_len("🍎 apple"), graphemes("🍎 apple")
    (8, 7)
"""

from __future__ import annotations

import functools
from typing import Any

__all__ = ["graphemes", "has_lone_surrogate", "utf16_len"]


def utf16_len(text: str) -> int:
    r"""Return the length of ``text`` in UTF-16 code units.

    A lone surrogate (which Python strings may hold) counts 1, as it would in Java or
    JavaScript.

    Example:
        >>> utf16_len("abc"), utf16_len("é"), utf16_len("🍎"), utf16_len("\ud83c")
        (3, 1, 2, 1)
    """
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def graphemes(text: str) -> int:
    r"""Return the number of extended grapheme clusters in ``text``.

    ASCII text takes a fast path (each character is a cluster, except ``\r\n``, which is
    one); anything else is segmented with the ``regex`` module's ``\X``.

    Example:
        >>> graphemes("abc"), graphemes("a\r\nb"), graphemes("e\u0301"), graphemes("👨‍👩‍👧")
        (3, 3, 1, 1)
    """
    if text.isascii():
        return len(text) - text.count("\r\n")
    return len(_cluster_pattern().findall(text))


def has_lone_surrogate(text: str) -> bool:
    r"""Return whether ``text`` holds a surrogate code point that JSON cannot carry as UTF-8.

    Example:
        >>> has_lone_surrogate("🍎"), has_lone_surrogate("\ud83c")
        (False, True)
    """
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


@functools.cache
def _cluster_pattern() -> Any:
    import regex

    return regex.compile(r"\X")
