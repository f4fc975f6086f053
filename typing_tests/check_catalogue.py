"""Checked by mypy (strict), never run: the message catalogue's types as users see them."""

from __future__ import annotations

from typing import Any

from typing_extensions import assert_type

from line_braze.line import (
    FlexBox,
    FlexBubble,
    FlexButton,
    FlexMessage,
    FlexText,
    Message,
    UriAction,
    message_from_wire,
)


def flex() -> None:
    msg = FlexMessage(
        alt_text="Hi",
        contents=FlexBubble(
            body=FlexBox(
                layout="vertical",
                contents=[
                    FlexText(text="Hello"),
                    FlexButton(action=UriAction(label="Go", uri="https://example.com")),
                ],
            )
        ),
    )
    assert_type(msg.to_wire(), dict[str, Any])
    assert_type(message_from_wire(msg.to_wire()), Message)
    FlexBox(layout="grid", contents=[])  # type: ignore[arg-type]
    FlexText(text="a", weight="heavy")  # type: ignore[arg-type]
