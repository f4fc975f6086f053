"""A user's attributes never change a template's JSON nor its recipient (issue 9, templates).

Think as an attacker holding one attribute (a first name typed into a sign-up form): every
way a template prints it (outputs, ``echo`` and its whitespace-control forms, ``assign`` and
``capture`` then an output) must leave the body's JSON structure and its ``to`` alone. Tags
that would print unescaped text are refused when the template is built, naming the tag; the
token Content Block may appear only in the ``Authorization`` header; and a ``line_id`` that is
not a LINE user ID aborts the send.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from line_braze.errors import ValidationError
from line_braze.line import TextMessage
from line_braze.preview import Preview, render_preview
from line_braze.templates import (
    WebhookTemplate,
    build_webhook_template,
    sticker_template,
    text_template,
)

pytestmark = pytest.mark.reliability

TOKEN = "SECRET-line-token-1234567890abcdef"
BLOCKS = {"LINE_Channel_AccessToken": TOKEN + "\n"}
LINE_ID = "U" + "0123456789abcdef" * 2
OTHER_ID = "U" + "f" * 32
USER_ID = re.compile(r"U[0-9a-f]{32}")
# A first name that, printed raw, closes the string and adds its own "to" and message.
INJECTION = f'x"}}],"to":"{OTHER_ID}","messages":[{{"type":"text","text":"pwned'
HEADERS = {"Content-Type": "application/json", "Authorization": "Bearer tok"}


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    assert len(keys) == len(set(keys)), f"duplicate keys {keys}"
    return dict(pairs)


def _render(tpl: WebhookTemplate, **user: object) -> Preview:
    return render_preview(tpl, user=user, content_blocks=BLOCKS)


# -- printing tags ----------------------------------------------------------------------------

PRINTING = {
    "echo": "Hi {% echo ${first_name} %}",
    "echo, whitespace control": "Hi {%- echo ${first_name} -%}",
    "echo, no spaces": "Hi {%echo ${first_name}%}",
    "echo, with a filter": "Hi {% echo ${first_name} | default: 'you' %}",
    "echo of a custom attribute": "Hi {% echo custom_attribute.${first_name} %}",
    "assign then output": "{% assign n = ${first_name} %}Hi {{n}}",
    "assign then echo": "{% assign n = ${first_name} %}Hi {%- echo n %}",
    "output, whitespace control": "Hi {{- ${first_name} -}}",
}


@pytest.mark.parametrize("text", PRINTING.values(), ids=list(PRINTING))
def test_a_printed_first_name_cannot_add_a_recipient_or_a_message(text: str) -> None:
    preview = _render(text_template(text), line_id=LINE_ID, first_name=INJECTION)
    body = json.loads(preview.body, object_pairs_hook=_no_duplicates)
    assert body["to"] == LINE_ID
    assert len(body["messages"]) == 1
    assert body["messages"][0]["text"].endswith(INJECTION)


def test_capture_then_output_stays_one_string() -> None:
    tpl = text_template("{% capture n %}{{${first_name}}}{% endcapture %}Hi {{n}}")
    preview = _render(tpl, line_id=LINE_ID, first_name=INJECTION)
    body = json.loads(preview.body, object_pairs_hook=_no_duplicates)
    assert body["to"] == LINE_ID
    assert len(body["messages"]) == 1


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("{% liquid echo ${first_name} %}", "liquid"),
        ("{%- liquid\n assign n = ${first_name}\n echo n\n-%}", "liquid"),
        ("{% cycle ${first_name}, 'b' %}", "cycle"),
        ('{% raw %}{{ "a" }}{% endraw %}', "raw"),
        ("{% tablerow n in (1..2) %}{{n}}{% endtablerow %}", "tablerow"),
        ("{% include 'x' %}", "include"),
        ("{% render 'x' %}", "render"),
        ("{% connected_content https://example.com/x %}", "connected_content"),
        ("{% connected_content https://example.com/x?a=:save %}", "connected_content"),
        ("{% connected_content https://example.com/x :save %}", "connected_content"),
    ],
)
def test_a_tag_that_prints_unescaped_is_refused_naming_it(text: str, tag: str) -> None:
    with pytest.raises(ValidationError) as info:
        text_template(text)
    assert f"'{tag}'" in str(info.value)
    assert info.value.field == "messages[0].text"


@pytest.mark.parametrize(
    "text",
    [
        '{{custom_attribute.${a"b}}}',
        "{{custom_attribute.${a{% echo ${first_name} %}}}",
        "{% assign n = custom_attribute.${a%}b} %}",
        "Hi {{ ${first_name}",
        "Hi {% if x",
    ],
)
def test_liquid_in_attribute_names_and_unclosed_markup_are_refused(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        text_template(text)
    assert info.value.field == "messages[0].text"


def test_silent_tags_and_connected_content_with_save_are_kept() -> None:
    text = (
        "{% connected_content https://example.com/x :save r %}"
        "{% if ${language} == 'ja' %}{% increment n %}{% endif %}{{r.nickname}}"
    )
    assert "{% connected_content https://example.com/x :save r %}" in text_template(text).body


# -- the preview's JSON check -----------------------------------------------------------------


def test_the_preview_refuses_duplicate_keys() -> None:
    body = f'{{"to":"{LINE_ID}","to":"{OTHER_ID}","messages":[{{"type":"text","text":"x"}}]}}'
    with pytest.raises(ValidationError) as info:
        _render(WebhookTemplate(headers=HEADERS, body=body))
    assert info.value.field == "body"
    assert "'to'" in str(info.value)


# -- the token's Content Block ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "{{content_blocks.${LINE_Channel_AccessToken}}}",
        "{{ content_blocks.${ LINE_Channel_AccessToken } }}",
        "{% assign t = content_blocks.${LINE_Channel_AccessToken} %}{{t}}",
    ],
)
def test_the_token_block_in_the_body_is_refused_when_built(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        text_template(text)
    assert "LINE_Channel_AccessToken" in str(info.value)
    assert TOKEN not in str(info.value)


def test_a_renamed_token_block_is_refused_too() -> None:
    with pytest.raises(ValidationError, match="Other_Token"):
        build_webhook_template(
            [TextMessage(text="{{content_blocks.${Other_Token}}}")], token_block="Other_Token"
        )


def test_a_hand_written_template_with_the_token_in_its_body_is_refused() -> None:
    headers = {**HEADERS, "Authorization": "Bearer {{content_blocks.${Tok}}}"}
    with pytest.raises(ValidationError) as info:
        WebhookTemplate(headers=headers, body='{"x":"{{content_blocks.${Tok}}}"}')
    assert info.value.field == "body"
    with pytest.raises(ValidationError):
        WebhookTemplate.from_dict({"request_headers": headers, "body": "{{content_blocks.${Tok}}}"})


def test_the_preview_refuses_a_token_smuggled_through_another_block() -> None:
    tpl = text_template("Promo: {{content_blocks.${Promo}}}")
    blocks = {**BLOCKS, "Promo": "{{content_blocks.${LINE_Channel_AccessToken}}}"}
    with pytest.raises(ValidationError) as info:
        render_preview(tpl, user={"line_id": LINE_ID}, content_blocks=blocks)
    assert info.value.field == "body"
    assert TOKEN not in str(info.value)


# -- the guard --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line_id",
    [
        "U" + "A" * 32,
        "u" + "a" * 32,
        "U" + "0" * 31,
        "U" + "0" * 33,
        "C" + "0" * 32,
        "R" + "0" * 32,
        " " + LINE_ID,
        LINE_ID + "\n",
        LINE_ID[:-1] + "g",
        "U" + "\uff10" * 32,  # fullwidth digits
        "someone@example.com",
        12345,
        [LINE_ID, OTHER_ID],
    ],
)
def test_the_guard_aborts_for_any_line_id_that_is_not_a_line_user_id(line_id: object) -> None:
    preview = _render(sticker_template("446", "1988"), line_id=line_id)
    assert preview.aborted
    assert preview.abort_reason == "line_id is not a LINE user ID"


# -- properties -------------------------------------------------------------------------------

TEMPLATES = [text_template(t) for t in PRINTING.values()] + [
    text_template(
        "{% capture n %}{{${first_name}}}{% endcapture %}{{n}} {{custom_attribute.${city}}}"
    ),
    text_template("{{${first_name} | default: 'there' | upcase}}!"),
]
LINE_IDS = st.one_of(
    st.from_regex(r"U[0-9a-f]{32}", fullmatch=True),
    st.text(max_size=40),
    st.from_regex(r"[UCRu][0-9a-fA-F]{30,34}\s?", fullmatch=True),
)
VALUES = st.one_of(
    st.text(max_size=60),
    st.sampled_from([INJECTION, '"', "\\", '","to":"', "{{", "%}", "\u2028", "\x00"]),
)


@settings(max_examples=200, deadline=None)
@given(tpl=st.sampled_from(TEMPLATES), line_id=LINE_IDS, first_name=VALUES, city=VALUES)
def test_any_attributes_give_one_json_body_to_the_user_or_an_abort(
    tpl: WebhookTemplate, line_id: str, first_name: str, city: str
) -> None:
    preview = _render(tpl, line_id=line_id, first_name=first_name, city=city)
    if preview.aborted:
        assert not USER_ID.fullmatch(line_id)
        return
    assert USER_ID.fullmatch(line_id)
    body = json.loads(preview.body, object_pairs_hook=_no_duplicates)
    assert body["to"] == line_id
    assert set(body) == {"to", "messages"}
    assert len(body["messages"]) == 1
