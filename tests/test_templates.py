"""The four LINE webhook templates for Braze: shape, hardening, export."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable

import pytest

from line_braze._hardening import harden_output
from line_braze.demo import DEMO_IMAGE_URL, DEMO_PREVIEW_URL, demo_carousel_template
from line_braze.errors import ValidationError
from line_braze.line.models import (
    CarouselColumn,
    Emoji,
    MessageAction,
    StickerMessage,
    TextMessage,
    UriAction,
)
from line_braze.templates import (
    PUSH_URL,
    RETRY_KEY_HEADER,
    WebhookTemplate,
    build_webhook_template,
    carousel_template,
    image_template,
    sticker_template,
    text_template,
)

GUARD = (
    "{% assign lbz_line_id = custom_attribute.${line_id} | append: '' %}"
    "{% assign lbz_size = lbz_line_id | size %}"
    "{% assign lbz_head = lbz_line_id | slice: 0 %}"
    "{% assign lbz_rest = lbz_line_id | slice: 1, 32"
    + "".join(f" | remove: '{c}'" for c in "0123456789abcdef")
    + " %}"
    "{% if custom_attribute.${line_id} == blank %}"
    "{% abort_message('no line_id: not a LINE follower') %}{% endif %}"
    "{% if lbz_size != 33 or lbz_head != 'U' or lbz_rest != '' %}"
    "{% abort_message('line_id is not a LINE user ID') %}{% endif %}"
)


def _column(text: str = "Spring sale") -> CarouselColumn:
    return CarouselColumn(
        text=text,
        actions=(UriAction(label="Shop", uri="https://example.com/sale"),),
    )


ALL_SEEDS: dict[str, Callable[[], WebhookTemplate]] = {
    "text": lambda: text_template("Hi {{${first_name} | default: 'there'}}"),
    "sticker": lambda: sticker_template("446", "1988"),
    "image": lambda: image_template(DEMO_IMAGE_URL, DEMO_PREVIEW_URL),
    "carousel": lambda: carousel_template([_column()], alt_text="Our sale"),
    "demo_carousel": demo_carousel_template,
}


@pytest.mark.parametrize("kind", sorted(ALL_SEEDS))
def test_every_seed_posts_to_line_with_the_hardened_headers(kind: str) -> None:
    tpl = ALL_SEEDS[kind]()
    assert tpl.url == PUSH_URL == "https://api.line.me/v2/bot/message/push"
    assert tpl.method == "POST"
    assert tpl.headers["Content-Type"] == "application/json"
    assert tpl.headers["Authorization"] == (
        "Bearer {% capture lbz_token %}{{content_blocks.${LINE_Channel_AccessToken}}}"
        "{% endcapture %}{{lbz_token | strip}}"
    )
    assert "{{campaign.${dispatch_id}}}" in tpl.headers[RETRY_KEY_HEADER]
    assert "md5" in tpl.headers[RETRY_KEY_HEADER]
    assert tpl.body.startswith(GUARD)
    assert tpl.body[len(GUARD) :].startswith('{"to":"{{custom_attribute.${line_id}}}","messages":[')


@pytest.mark.parametrize("kind", sorted(ALL_SEEDS))
def test_to_dict_is_brazes_webhook_object(kind: str) -> None:
    tpl = ALL_SEEDS[kind]()
    data = tpl.to_dict()
    assert set(data) == {"url", "request_method", "request_headers", "body"}
    assert data["url"] == PUSH_URL
    assert data["request_method"] == "POST"
    assert data["request_headers"] == dict(tpl.headers)
    assert isinstance(data["request_headers"], dict)
    assert data["body"] == tpl.body
    assert json.loads(tpl.to_json()) == data
    assert json.loads(tpl.to_json(indent=2)) == data
    assert WebhookTemplate.from_dict(data) == tpl


def test_double_quotes_inside_liquid_are_not_escaped() -> None:
    tpl = text_template('Hi {{${first_name} | default: "there"}}, "quoted" \\ text')
    assert '"text":"Hi {{${first_name} | default: "there" | json_escape}}' in tpl.body
    # literal text around the Liquid is JSON-escaped
    assert ', \\"quoted\\" \\\\ text"' in tpl.body


def test_literal_text_without_liquid_is_plain_json() -> None:
    text = 'Tab\there "q" back\\slash new\nline </script> 😀'
    tpl = text_template(text)
    body = json.loads(tpl.body[len(GUARD) :].replace("{{custom_attribute.${line_id}}}", "U"))
    assert body["messages"] == [{"type": "text", "text": text}]


def test_sticker_and_image_bodies() -> None:
    assert '"messages":[{"type":"sticker","packageId":"446","stickerId":"1988"}]' in (
        sticker_template("446", "1988").body
    )
    body = image_template(DEMO_IMAGE_URL, DEMO_PREVIEW_URL).body
    assert (
        '{"type":"image","originalContentUrl":"https://example.com/images/original.jpg",'
        '"previewImageUrl":"https://example.com/images/preview.jpg"}'
    ) in body


def test_carousel_body_has_columns_actions_and_default_action() -> None:
    body = demo_carousel_template().body
    data = json.loads(
        body[len(GUARD) :]
        .replace("{{custom_attribute.${line_id}}}", "U")
        .replace("{{${first_name} | default: 'you' | json_escape}}", "Ann")
    )
    template = data["messages"][0]["template"]
    assert data["messages"][0]["altText"] == "New this week"
    assert template["type"] == "carousel"
    assert len(template["columns"]) == 2
    assert template["columns"][0]["text"] == "Picked for Ann"
    assert template["columns"][0]["defaultAction"]["type"] == "uri"
    assert [a["type"] for a in template["columns"][1]["actions"]] == ["uri", "message"]


@pytest.mark.parametrize(
    ("output", "hardened"),
    [
        ("{{${first_name}}}", "{{${first_name} | json_escape}}"),
        ("{{ x }}", "{{ x | json_escape }}"),
        ("{{- x -}}", "{{- x | json_escape -}}"),
        ("{{x | json_escape}}", "{{x | json_escape}}"),
        ("{{ x | json_escape | upcase }}", "{{ x | json_escape | upcase | json_escape }}"),
        ("{{ 'a | json_escape' }}", "{{ 'a | json_escape' | json_escape }}"),
        ("{{custom_attribute.${a b}}}", "{{custom_attribute.${a b} | json_escape}}"),
        (
            "{{content_blocks.${Promo}}}",
            (
                "{% capture lbz_block %}{{content_blocks.${Promo}}}{% endcapture %}"
                "{{lbz_block | json_escape}}"
            ),
        ),
    ],
)
def test_harden_output(output: str, hardened: str) -> None:
    assert harden_output(output) == hardened


def test_every_output_in_every_string_is_escaped_and_tags_stay_raw() -> None:
    tpl = build_webhook_template(
        [
            TextMessage(text="{% if ${language} == 'ja' %}こんにちは{% else %}Hello{% endif %}"),
            TextMessage(text="{{${last_name}}} / {{custom_attribute.${plan} | upcase}}"),
        ]
    )
    assert "{% if ${language} == 'ja' %}こんにちは{% else %}Hello{% endif %}" in tpl.body
    assert (
        "{{${last_name} | json_escape}} / {{custom_attribute.${plan} | upcase | json_escape}}"
        in (tpl.body)
    )


def test_options_rename_attribute_and_block_and_drop_the_retry_key() -> None:
    tpl = text_template(
        "Hi",
        line_id_attribute="lineUserId",
        token_block="Other_Token",
        notification_disabled=True,
        retry_key=False,
    )
    assert RETRY_KEY_HEADER not in tpl.headers
    assert "{{content_blocks.${Other_Token}}}" in tpl.headers["Authorization"]
    assert tpl.body.startswith(
        "{% assign lbz_line_id = custom_attribute.${lineUserId} | append: '' %}"
    )
    assert "{% if custom_attribute.${lineUserId} == blank %}" in tpl.body
    assert '"to":"{{custom_attribute.${lineUserId}}}"' in tpl.body
    assert tpl.body.endswith(',"notificationDisabled":true}')


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"line_id_attribute": "a}b"}, "line_id_attribute"),
        ({"line_id_attribute": ""}, "line_id_attribute"),
        ({"line_id_attribute": "x'y"}, "line_id_attribute"),
        ({"token_block": "has space"}, "token_block"),
        ({"token_block": "x" * 100}, "token_block"),
    ],
)
def test_bad_names_are_refused(kwargs: dict[str, str], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        text_template("Hi", **kwargs)  # type: ignore[arg-type]
    assert info.value.field == field


def test_messages_are_checked() -> None:
    with pytest.raises(ValidationError) as info:
        build_webhook_template([TextMessage(text="a")] * 6)
    assert info.value.field == "messages"
    with pytest.raises(ValidationError):
        build_webhook_template([])


def test_line_emoji_must_come_before_liquid() -> None:
    ok = text_template(
        "$ Hi {{${first_name}}}",
        emojis=[Emoji(index=0, product_id="5ac1bfd5040ab15980c9b435", emoji_id="001")],
    )
    assert '"emojis":[{"index":0,"productId":"5ac1bfd5040ab15980c9b435","emojiId":"001"}]' in (
        ok.body
    )
    with pytest.raises(ValidationError) as info:
        text_template(
            "Hi {{${first_name}}} $",
            emojis=[Emoji(index=21, product_id="5ac1bfd5040ab15980c9b435", emoji_id="001")],
        )
    assert info.value.field == "messages[0].emojis[0].index"


def test_a_sticker_message_model_is_accepted_directly() -> None:
    tpl = build_webhook_template([StickerMessage(package_id="1", sticker_id="2")], retry_key=False)
    assert tpl.headers.keys() == {"Content-Type", "Authorization"}


def test_template_is_immutable_and_displays_escaped() -> None:
    tpl = text_template("<b>Hi</b> & {{${first_name}}}")
    with pytest.raises(TypeError):
        tpl.headers["X"] = "y"  # type: ignore[index]
    html_text = tpl._repr_html_()
    assert "<b>Hi</b>" not in html_text
    assert "&lt;b&gt;Hi&lt;/b&gt; &amp;" in html_text
    assert repr(tpl).startswith("WebhookTemplate(url='https://api.line.me/v2/bot/message/push'")
    assert dict(tpl.__rich_repr__())["headers"] == dict(tpl.headers)


@pytest.mark.parametrize(
    "data",
    [
        {"url": 1},
        {"body": ["x"]},
        {"request_headers": {"a": 1}},
        {"request_headers": "x"},
    ],
)
def test_from_dict_refuses_bad_shapes(data: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        WebhookTemplate.from_dict(data)


def test_from_dict_accepts_short_names() -> None:
    tpl = WebhookTemplate.from_dict({"method": "post", "headers": {"A": "b"}, "body": "{}"})
    assert (tpl.url, tpl.method, dict(tpl.headers), tpl.body) == (
        PUSH_URL,
        "POST",
        {"A": "b"},
        "{}",
    )


def test_demo_carousel_columns_share_the_action_count() -> None:
    col = CarouselColumn(
        text="x",
        actions=(MessageAction(label="a", text="b"),),
    )
    tpl = carousel_template([col, col], alt_text="alt")
    assert tpl.body.count('"type":"message"') == 2


def test_import_does_not_load_liquid() -> None:
    code = "import sys, line_braze.templates; print('liquid' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
