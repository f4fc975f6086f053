"""Properties: whatever the user's attributes hold, the rendered body is the JSON we meant."""

from __future__ import annotations

import hashlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from line_braze.errors import ValidationError
from line_braze.line.models import CarouselColumn, UriAction
from line_braze.preview import render_preview
from line_braze.templates import RETRY_KEY_HEADER, carousel_template, text_template

BLOCKS = {"LINE_Channel_AccessToken": "tok\n"}
LINE_IDS = st.from_regex(r"U[0-9a-f]{32}", fullmatch=True)
# Attribute values: any text, including quotes, backslashes, control characters and emoji.
VALUES = st.text(max_size=80)
# Literal template text: anything but Liquid delimiters and the placeholders we reserve.
LITERALS = st.text(min_size=1, max_size=80).filter(
    lambda s: (
        "{{" not in s
        and "{%" not in s
        and "\ue000" not in s
        and "\ue001" not in s
        and s.strip() != ""
    )
)

TEXT = text_template("Hi {{${first_name} | default: 'there'}}, {{custom_attribute.${city}}}!")
COLUMN = CarouselColumn(
    text="{{custom_attribute.${city}}}",
    actions=(UriAction(label="Go", uri="https://example.com"),),
)
CAROUSEL = carousel_template([COLUMN], alt_text="{{${first_name}}} / {{${last_name}}}")


def _blank(value: str) -> bool:
    return value == "" or value.isspace()


@settings(max_examples=150, deadline=None)
@given(line_id=LINE_IDS, first_name=VALUES, city=VALUES)
def test_text_round_trips_any_attribute(line_id: str, first_name: str, city: str) -> None:
    preview = render_preview(
        TEXT,
        user={"line_id": line_id, "first_name": first_name, "city": city},
        content_blocks=BLOCKS,
    )
    body = json.loads(preview.body)
    expected = f"Hi {'there' if _blank(first_name) else first_name}, {city}!"
    assert body["messages"][0]["text"] == expected
    assert body["to"] == line_id


@settings(max_examples=80, deadline=None)
@given(line_id=LINE_IDS, first=VALUES, last=VALUES, city=st.text(max_size=40))
def test_carousel_round_trips_any_attribute(line_id: str, first: str, last: str, city: str) -> None:
    user = {"line_id": line_id, "first_name": first, "last_name": last, "city": city}
    if city == "":  # LINE refuses an empty column text, and so does the preview
        with pytest.raises(ValidationError) as info:
            render_preview(CAROUSEL, user=user, content_blocks=BLOCKS)
        assert info.value.field == "messages[0].template.columns[0].text"
        return
    preview = render_preview(CAROUSEL, user=user, content_blocks=BLOCKS)
    message = json.loads(preview.body)["messages"][0]
    assert message["altText"] == f"{first} / {last}"
    assert message["template"]["columns"][0]["text"] == city


@settings(max_examples=80, deadline=None)
@given(text=LITERALS)
def test_literal_text_survives_the_template(text: str) -> None:
    preview = render_preview(
        text_template(text),
        user={"line_id": "U" + "a" * 32},
        content_blocks=BLOCKS,
    )
    assert preview.json["messages"][0]["text"] == text


@settings(max_examples=60, deadline=None)
@given(dispatch=st.text(min_size=1, max_size=40), line_id=LINE_IDS)
def test_retry_key_is_md5_of_dispatch_and_line_id(dispatch: str, line_id: str) -> None:
    preview = render_preview(
        text_template("Hi"),
        user={"line_id": line_id},
        content_blocks=BLOCKS,
        extra={"dispatch_id": dispatch},
    )
    digest = hashlib.md5(f"{dispatch}:{line_id}".encode()).hexdigest()  # noqa: S324
    key = preview.headers[RETRY_KEY_HEADER]
    assert key == "-".join((digest[:8], digest[8:12], digest[12:16], digest[16:20], digest[20:]))
