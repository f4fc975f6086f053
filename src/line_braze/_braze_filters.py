"""Braze's Liquid values and filters, for `line_braze.preview` (python-liquid, no network).

Values: Braze's nil (renders ``""``, is blank) and attribute namespaces in which a missing
name is nil. Filters: Braze's own (``json_escape``, ``time_zone``, ``money``, the encoding,
URL and JSON filters, ``property_accessor``...) on top of python-liquid's standard ones;
`UNSUPPORTED` lists the filters Braze documents as unsupported, which the preview refuses.

Braze's references: https://www.braze.com/docs/user_guide/personalization_and_dynamic_content/liquid/filters/
and .../liquid/advanced_filters/.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import re
import zoneinfo
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Final
from urllib.parse import quote, quote_plus

from line_braze._secret import Secret


class Nil(str):
    """Braze's nil: renders as ``""``, is falsy, equals ``nil`` and ``blank``."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        return other is None or (isinstance(other, str) and not other)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = str.__hash__

    def __liquid__(self) -> None:
        return None


NIL: Final = Nil("")


def is_blank(value: object) -> bool:
    """Return whether Braze treats ``value`` as blank (nil, ``""``, whitespace, empty)."""
    if value is None or isinstance(value, Nil) or value is False:
        return True
    if isinstance(value, str):
        return not value or value.isspace()
    if isinstance(value, list | dict | tuple):
        return not value
    return is_undefined(value)


class Blank:
    """Stands in for the ``blank`` keyword so that nil is blank, as in Braze."""

    __hash__ = None  # type: ignore[assignment]

    def __eq__(self, other: object) -> bool:
        return is_blank(other) and other is not False

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)


class Attributes(dict[str, Any]):
    """An attribute namespace: a missing attribute is nil, not undefined."""

    def __missing__(self, key: str) -> object:
        return NIL


def value_of(value: object) -> object:
    if value is None:
        return NIL
    if isinstance(value, Secret):
        return value.reveal()
    if isinstance(value, Mapping):
        return Attributes({str(k): value_of(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return [value_of(v) for v in value]
    return value


# -- Braze's filters ------------------------------------------------------------------------


def text_of(value: object) -> str:
    if value is None or isinstance(value, Nil) or is_undefined(value):
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "".join(text_of(v) for v in value)
    return str(value)


def is_undefined(value: object) -> bool:
    from liquid import is_undefined

    return bool(is_undefined(value))


def plain(value: object) -> object:
    """Return ``value`` as plain JSON data (nil and undefined become ``None``)."""
    if value is None or isinstance(value, Nil) or is_undefined(value):
        return None
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def _json_escape(value: object) -> str:
    return json.dumps(text_of(value), ensure_ascii=False)[1:-1]


def _as_json_string(value: object) -> str:
    return json.dumps(plain(value), ensure_ascii=False, separators=(",", ":"))


def _json_parse(value: object) -> object:
    try:
        return value_of(json.loads(text_of(value)))
    except ValueError:
        return NIL


def _digest(name: str) -> Callable[[object], str]:
    def digest(value: object) -> str:
        return hashlib.new(name, text_of(value).encode()).hexdigest()

    return digest


def _hmac(name: str, *, b64: bool) -> Callable[[object, object], str]:
    def sign(value: object, key: object = "") -> str:
        mac = hmac.new(text_of(key).encode(), text_of(value).encode(), name)
        return base64.b64encode(mac.digest()).decode() if b64 else mac.hexdigest()

    return sign


def _base64_encode(value: object) -> str:
    return base64.b64encode(text_of(value).encode()).decode()


def _url_escape(value: object) -> str:
    # Shopify/Braze url_escape keeps URL syntax characters, escaping the rest.
    return quote(text_of(value), safe="-._~!*'();:@&=+$,/?#[]")


def _url_param_escape(value: object) -> str:
    return quote(text_of(value), safe="-._~")


def _url_encode(value: object) -> str:
    return quote_plus(text_of(value), safe="-._~")


def _number_with_delimiter(value: object, delimiter: object = ",") -> str:
    text = text_of(value)
    m = re.fullmatch(r"(-?)(\d+)(\.\d+)?", text.strip())
    if m is None:
        return text
    sign, digits, fraction = m.group(1), m.group(2), m.group(3) or ""
    groups: list[str] = []
    while len(digits) > 3:  # noqa: PLR2004
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return sign + text_of(delimiter).join(groups) + fraction


def _default(value: object, default: object = "", *, allow_false: bool = False) -> object:
    if value is False and allow_false:
        return value
    return default if is_blank(value) else value


# -- dates and time zones -------------------------------------------------------------------

_UTC: Final = dt.timezone.utc
_OFFSET: Final = re.compile(r"([+-])(\d{2}):?(\d{2})")
_BRAZE_TIME: Final = re.compile(
    r"(\d{4}-\d{2}-\d{2})[ T](\d{1,2})(:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(UTC|Z)?"
)


class FilterError(ValueError):
    """A filter was given what it cannot take (the preview reports it as a Liquid error)."""


def _now(context: Any) -> dt.datetime:
    now = context.globals.get("lbz_now") if context is not None else None
    return now if isinstance(now, dt.datetime) else dt.datetime.now(_UTC)


def _to_datetime(value: object, context: Any) -> dt.datetime | None:  # noqa: PLR0911
    """Read a Braze time: ``'now'``, a datetime, a Unix time, an ISO 8601 or Braze string."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=_UTC)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time.min, tzinfo=_UTC)
    if isinstance(value, bool) or value is None or isinstance(value, Nil):
        return None
    if isinstance(value, int | float):
        return dt.datetime.fromtimestamp(value, _UTC)
    text = text_of(value).strip()
    if text.lower() in {"now", "today"}:
        return _now(context)
    if re.fullmatch(r"-?\d+", text):
        return dt.datetime.fromtimestamp(int(text), _UTC)
    m = _BRAZE_TIME.fullmatch(text)
    if m:
        zone = "+00:00" if m.group(4) else ""
        text = f"{m.group(1)}T{int(m.group(2)):02d}{m.group(3)}{zone}"
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=_UTC)


def _zone(zone: object) -> dt.tzinfo:
    """Return an IANA zone, or a fixed offset (``-6`` hours, ``'+09:00'``, ``'-0600'``)."""
    name = text_of(zone).strip() or "UTC"
    try:
        if isinstance(zone, int | float | Decimal) and not isinstance(zone, bool):
            return dt.timezone(dt.timedelta(hours=float(zone)))
        m = _OFFSET.fullmatch(name)
        if m:
            sign = -1 if m.group(1) == "-" else 1
            offset = dt.timedelta(hours=int(m.group(2)), minutes=int(m.group(3)))
            return dt.timezone(sign * offset)
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        msg = f"time_zone: unknown time zone {name!r} (an IANA name like 'Asia/Tokyo')"
        raise FilterError(msg) from None


def _time_zone(value: object, zone: object = "UTC", *, context: Any = None) -> object:
    """Braze's ``time_zone``: the time in an IANA zone (``'America/Los_Angeles'``) or offset."""
    when = _to_datetime(value, context)
    if when is None:
        return value
    return when.astimezone(_zone(zone))


def _date(value: object, fmt: object = None, *, context: Any = None) -> object:
    """Braze's ``date``: strftime, plus ``%s`` for Unix time; times without a zone are UTC."""
    if fmt is None or is_undefined(fmt) or isinstance(fmt, Nil):
        return value
    when = _to_datetime(value, context)
    if when is None:
        return text_of(value)
    pattern = text_of(fmt).replace("%s", str(int(when.timestamp())))
    return when.strftime(pattern)


# -- money, property access ------------------------------------------------------------------


def _number(value: object, name: str) -> Decimal | None:
    if value is None or isinstance(value, Nil) or is_undefined(value):
        return None
    if isinstance(value, bool):
        msg = f"{name} needs a number, got {value!r}"
        raise FilterError(msg)
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        msg = f"{name} needs a number, got {text_of(value)[:40]!r} (add | plus: 0 first?)"
        raise FilterError(msg) from None


def _money(value: object) -> str:
    """Braze's ``money``: two decimals, thousands delimited (145 gives ``145.00``)."""
    number = _number(value, "money")
    if number is None:
        return ""
    return f"{number.quantize(Decimal('0.01')):,.2f}"


def _property_accessor(value: object, key: object) -> object:
    """Braze's ``property_accessor``: ``hash[key]``, nil when absent."""
    if isinstance(value, Mapping):
        got = value.get(text_of(key), NIL)
        return NIL if got is None else got
    return NIL


def _unsupported(name: str) -> Callable[..., object]:
    def refuse(*_args: object, **_kwargs: object) -> object:
        raise FilterError(unsupported_message(name))

    return refuse


def unsupported_message(name: str) -> str:
    """Return the error for a filter Braze does not support."""
    return f"Braze does not support the filter {name!r}"


#: Filters Braze documents as unsupported: the preview refuses them, naming the filter.
UNSUPPORTED: Final = frozenset(
    {
        "brightness_difference",
        "camelcase",
        "camelize",
        "color_brightness",
        "color_contrast",
        "color_darken",
        "color_desaturate",
        "color_difference",
        "color_extract",
        "color_lighten",
        "color_mix",
        "color_modify",
        "color_saturate",
        "color_to_hex",
        "color_to_hsl",
        "color_to_oklch",
        "color_to_rgb",
        "find_index",
        "font_face",
        "font_modify",
        "font_url",
        "format_address",
        "handle",
        "handleize",
        "hex_to_rgba",
        "highlight",
        "lstrip",
        "money_with_currency",
        "money_without_currency",
        "pluralize",
        "rstrip",
    }
)

#: Braze's filters, added to (or replacing) python-liquid's standard ones.
FILTERS: Final[Mapping[str, Callable[..., object]]] = {
    "as_json_string": _as_json_string,
    "base64": _base64_encode,
    "base64_encode": _base64_encode,
    "date": _date,
    "default": _default,
    "hmac_sha1": _hmac("sha1", b64=False),
    "hmac_sha1_base64": _hmac("sha1", b64=True),
    "hmac_sha1_hex": _hmac("sha1", b64=False),
    "hmac_sha256": _hmac("sha256", b64=False),
    "hmac_sha256_base64": _hmac("sha256", b64=True),
    "hmac_sha256_hex": _hmac("sha256", b64=False),
    "hmac_sha512": _hmac("sha512", b64=False),
    "json_escape": _json_escape,
    "json_parse": _json_parse,
    "md5": _digest("md5"),
    "money": _money,
    "number_with_delimiter": _number_with_delimiter,
    "property_accessor": _property_accessor,
    "sha1": _digest("sha1"),
    "sha2": _digest("sha256"),
    "time_zone": _time_zone,
    "url_encode": _url_encode,
    "url_escape": _url_escape,
    "url_param_escape": _url_param_escape,
    **{name: _unsupported(name) for name in UNSUPPORTED},
}
#: Filters that read the render context (the preview's clock).
WITH_CONTEXT: Final = frozenset({"date", "time_zone"})
