"""Checks of LINE send bodies, answered as LINE's ``details`` (``{"message", "property"}``).

Structural checks always run (recipients, 1-5 messages, ``type``). Message contents are then
checked with ``line_braze.line.models.messages_from_wire`` when that module is importable,
which enforces every limit in LIMITS.md; otherwise a few basic rules run here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Final

__all__ = ["check_messages", "check_send"]

_USER = re.compile(r"U[0-9a-f]{32}")
_TO = re.compile(r"[UCR][0-9a-f]{32}")
_TYPES: Final = (
    "text",
    "textV2",
    "sticker",
    "image",
    "video",
    "audio",
    "location",
    "imagemap",
    "template",
    "flex",
    "coupon",
)
_REQUIRED: Final[dict[str, tuple[str, ...]]] = {
    "text": ("text",),
    "textV2": ("text",),
    "sticker": ("packageId", "stickerId"),
    "image": ("originalContentUrl", "previewImageUrl"),
    "video": ("originalContentUrl", "previewImageUrl"),
    "audio": ("originalContentUrl", "duration"),
    "location": ("title", "address", "latitude", "longitude"),
    "template": ("altText", "template"),
    "flex": ("altText", "contents"),
    "imagemap": ("baseUrl", "altText", "baseSize", "actions"),
    "coupon": ("couponId",),
}

Details = list[dict[str, str]]


def _detail(prop: str, message: str) -> dict[str, str]:
    return {"message": message, "property": prop}


def check_send(body: Any, kind: str, *, use_models: bool) -> Details:
    """Return LINE's error details for a push or multicast body (empty when valid)."""
    if not isinstance(body, dict):
        return [_detail("", "The request body must be a JSON object")]
    details: Details = []
    to = body.get("to")
    if kind == "push":
        if not isinstance(to, str) or not to:
            details.append(_detail("to", "May not be empty"))
        elif not _TO.fullmatch(to):
            details.append(_detail("to", "Invalid recipient: must be a user, group or room ID"))
    elif not isinstance(to, list) or not 1 <= len(to) <= 500:  # noqa: PLR2004
        details.append(_detail("to", "Size must be between 1 and 500"))
    else:
        details.extend(
            _detail(f"to[{i}]", "Invalid user ID")
            for i, uid in enumerate(to)
            if not isinstance(uid, str) or not _USER.fullmatch(uid)
        )
    disabled = body.get("notificationDisabled", False)
    if not isinstance(disabled, bool):
        details.append(_detail("notificationDisabled", "Must be a boolean"))
    details.extend(check_messages(body.get("messages"), use_models=use_models))
    return details


def check_messages(messages: Any, *, use_models: bool) -> Details:  # noqa: C901
    """Return LINE's error details for a ``messages`` array (empty when valid)."""
    if not isinstance(messages, list) or not 1 <= len(messages) <= 5:  # noqa: PLR2004
        return [_detail("messages", "Size must be between 1 and 5")]
    details: Details = []
    for i, message in enumerate(messages):
        prop = f"messages[{i}]"
        if not isinstance(message, dict):
            details.append(_detail(prop, "Must be an object"))
            continue
        kind = message.get("type")
        if not kind:
            details.append(_detail(f"{prop}.type", "May not be empty"))
        elif kind not in _TYPES:
            details.append(
                _detail(f"{prop}.type", f"Must be one of the following values: {list(_TYPES)}")
            )
        else:
            details.extend(
                _detail(f"{prop}.{field}", "May not be empty")
                for field in _REQUIRED.get(kind, ())
                if message.get(field) in (None, "")
            )
            text = message.get("text")
            if kind == "text" and isinstance(text, str) and _utf16(text) > 5000:  # noqa: PLR2004
                details.append(_detail(f"{prop}.text", "Length must be between 0 and 5000"))
    if details or not use_models:
        return details
    validator = _models_validator()
    if validator is None:
        return details
    from line_braze.errors import ValidationError

    try:
        validator(messages)
    except ValidationError as err:
        prop = err.field if err.field.startswith("messages") else _join("messages", err.field)
        return [_detail(prop, err.reason)]
    except Exception as err:  # noqa: BLE001 - any refusal of the models is a 400, not a crash
        return [_detail("messages", f"Invalid message object ({type(err).__name__})")]
    return details


def _join(prefix: str, field: str) -> str:
    if not field:
        return prefix
    return prefix + field if field.startswith("[") else f"{prefix}.{field}"


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _models_validator() -> Callable[[list[Any]], object] | None:
    try:
        from line_braze.line import models  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        return None
    validator = getattr(models, "messages_from_wire", None)
    return validator if callable(validator) else None
