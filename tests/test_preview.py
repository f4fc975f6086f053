"""Rendering Braze Liquid locally: sigils, filters, abort, nil-is-blank, checks, secrecy."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import re
import subprocess
import sys
import uuid
from collections.abc import Callable, Mapping

import pytest

from line_braze._secret import Secret
from line_braze.demo import DEMO_IMAGE_URL
from line_braze.errors import ValidationError
from line_braze.line.models import CarouselColumn, UriAction
from line_braze.preview import PREVIEW_CAMPAIGN, Preview, render_preview
from line_braze.templates import (
    RETRY_KEY_HEADER,
    WebhookTemplate,
    carousel_template,
    image_template,
    sticker_template,
    text_template,
)

TOKEN = "SECRET-line-token-1234567890abcdef"
BLOCKS = {"LINE_Channel_AccessToken": TOKEN + "\n"}
LINE_ID = "U" + "0123456789abcdef" * 2
OTHER_ID = "U" + "f" * 32
HOSTILE = 'Ann "the \\ quote"\nO\'Brien </script>\r\t😀\u2028'
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def render(
    tpl: WebhookTemplate,
    user: Mapping[str, object] | None = None,
    *,
    blocks: Mapping[str, str | Secret] | None = None,
    extra: Mapping[str, object] | None = None,
) -> Preview:
    return render_preview(
        tpl,
        user={"line_id": LINE_ID} if user is None else user,
        content_blocks=BLOCKS if blocks is None else blocks,
        extra=extra,
    )


def text_of(tpl_text: str, user: Mapping[str, object] | None = None, **kw: object) -> str:
    preview = render(text_template(tpl_text), {"line_id": LINE_ID, **(user or {})}, **kw)  # type: ignore[arg-type]
    text = preview.json["messages"][0]["text"]
    assert isinstance(text, str)
    return text


# -- the four seeds with a hostile user ------------------------------------------------------


def _hostile_carousel() -> WebhookTemplate:
    column = CarouselColumn(
        text="For {{${first_name}}}",
        actions=(UriAction(label="Shop", uri="https://example.com/sale"),),
    )
    return carousel_template([column], alt_text="Sale for {{${first_name}}}!")


SEEDS: dict[str, tuple[Callable[[], WebhookTemplate], Callable[[dict[str, object]], object]]] = {
    "text": (
        lambda: text_template("Hi {{${first_name} | default: 'there'}}!"),
        lambda body: body["messages"][0]["text"],  # type: ignore[index]
    ),
    "sticker": (
        lambda: sticker_template("446", "1988"),
        lambda body: body["messages"][0]["stickerId"],  # type: ignore[index]
    ),
    "image": (
        lambda: image_template(
            "https://example.com/i/{{${user_id}}}.jpg", "https://example.com/p.jpg"
        ),
        lambda body: body["messages"][0]["originalContentUrl"],  # type: ignore[index]
    ),
    "carousel": (
        _hostile_carousel,
        lambda body: (
            body["messages"][0]["altText"],  # type: ignore[index]
            body["messages"][0]["template"]["columns"][0]["text"],  # type: ignore[index]
        ),
    ),
}
EXPECTED = {
    "text": f"Hi {HOSTILE}!",
    "sticker": "1988",
    "image": "https://example.com/i/u-42.jpg",
    "carousel": (f"Sale for {HOSTILE}!", f"For {HOSTILE}"),
}


@pytest.mark.parametrize("kind", sorted(SEEDS))
def test_seed_renders_valid_json_for_a_hostile_user(kind: str) -> None:
    build, pick = SEEDS[kind]
    preview = render(build(), {"line_id": LINE_ID, "first_name": HOSTILE, "external_id": "u-42"})
    assert not preview.aborted
    body = json.loads(preview.body)
    assert body == preview.json
    assert body["to"] == LINE_ID
    assert pick(body) == EXPECTED[kind]
    assert preview.url == "https://api.line.me/v2/bot/message/push"
    assert preview.method == "POST"
    assert preview.headers["Authorization"] == f"Bearer {TOKEN}"
    assert UUID_RE.fullmatch(preview.headers[RETRY_KEY_HEADER])


@pytest.mark.parametrize("kind", sorted(SEEDS))
@pytest.mark.parametrize(
    "user",
    [{}, {"line_id": None}, {"line_id": ""}, {"line_id": "  \n"}, {"first_name": "Ann"}],
)
def test_blank_or_absent_line_id_aborts_and_nothing_else(
    kind: str, user: dict[str, object]
) -> None:
    preview = render(SEEDS[kind][0](), user)
    assert preview.aborted
    assert preview.abort_reason == "no line_id: not a LINE follower"
    assert preview.body == ""
    assert preview.json == {}
    assert dict(preview.headers) == {}


def test_abort_without_a_reason_and_with_double_quotes() -> None:
    plain = WebhookTemplate(headers={}, body="{% abort_message() %}")
    assert render(plain).aborted
    assert render(plain).abort_reason is None
    bare = WebhookTemplate(headers={}, body="x{% abort_message %}")
    assert render(bare).aborted
    quoted = WebhookTemplate(headers={}, body='{%- abort_message("why not") -%}')
    assert render(quoted).abort_reason == "why not"
    with pytest.raises(ValidationError, match="abort_message takes"):
        render(WebhookTemplate(headers={}, body="{% abort_message(1 2) %}"))


# -- the token ---------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", [TOKEN + "\n", TOKEN + "\r\n", f"  {TOKEN}\t\n", TOKEN])
def test_token_is_stripped_where_inserted(raw: str) -> None:
    preview = render(text_template("Hi"), blocks={"LINE_Channel_AccessToken": raw})
    assert preview.headers["Authorization"] == f"Bearer {TOKEN}"


def test_a_secret_content_block_works() -> None:
    preview = render(text_template("Hi"), blocks={"LINE_Channel_AccessToken": Secret(TOKEN)})
    assert preview.headers["Authorization"] == f"Bearer {TOKEN}"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [("", "empty"), ("   \n", "empty"), ("abc def", "no spaces"), ("abc\ndef", "no spaces")],
)
def test_a_malformed_bearer_is_refused_without_showing_it(raw: str, reason: str) -> None:
    with pytest.raises(ValidationError) as info:
        render(text_template("Hi"), blocks={"LINE_Channel_AccessToken": raw})
    assert info.value.field == "headers.Authorization"
    assert reason in info.value.reason
    if raw.strip():
        assert "abc" not in str(info.value)


def test_missing_content_block_is_named() -> None:
    with pytest.raises(ValidationError) as info:
        render(text_template("Hi"), blocks={})
    assert info.value.field == "content_blocks"
    assert "'LINE_Channel_AccessToken'" in info.value.reason


def test_token_never_shown(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    preview = render(text_template("Hi {{${first_name}}}"), {"line_id": LINE_ID, "first_name": "A"})
    assert preview.headers["Authorization"] == f"Bearer {TOKEN}"
    shown = [
        repr(preview),
        str(preview),
        preview._repr_html_(),
        repr(list(preview.__rich_repr__())),
        repr(preview.headers),
        repr(dict(preview.headers)),
        repr(preview.masked_headers()),
        f"{preview}",
    ]
    for text in shown:
        assert TOKEN not in text
    assert preview.masked_headers()["Authorization"] == "Bearer ********"
    assert "Bearer ********" in repr(preview)
    assert TOKEN not in caplog.text
    assert all(TOKEN not in r.getMessage() for r in caplog.records)


def test_token_never_in_errors() -> None:
    # A block holding Liquid is included as text; its errors must not quote it.
    blocks = {
        "LINE_Channel_AccessToken": TOKEN,
        "Broken": "{{ '" + TOKEN + "' | no_such_filter }}",
        "Aborts": "{% abort_message('" + TOKEN + "') %}",
    }
    with pytest.raises(ValidationError) as info:
        render(text_template("x {{content_blocks.${Broken}}}"), blocks=blocks)
    assert "no_such_filter" in str(info.value)
    assert TOKEN not in str(info.value)
    assert info.value.__cause__ is None
    assert info.value.__suppress_context__
    aborted = render(text_template("x {{content_blocks.${Aborts}}}"), blocks=blocks)
    assert aborted.aborted
    assert TOKEN not in repr(aborted)
    assert TOKEN not in str(aborted.abort_reason)
    with pytest.raises(ValidationError) as bad_json:
        render(
            WebhookTemplate(
                headers={"Content-Type": "application/json", "Authorization": "Bearer x"},
                body='{"to": "{{content_blocks.${LINE_Channel_AccessToken}}}", oops}',
            ),
            blocks=blocks,
        )
    assert bad_json.value.field == "body"
    assert TOKEN not in str(bad_json.value)


# -- the retry key -----------------------------------------------------------------------------


def _key(dispatch: str, line_id: str) -> str:
    tpl = text_template("Hi")
    return render(tpl, {"line_id": line_id}, extra={"dispatch_id": dispatch}).headers[
        RETRY_KEY_HEADER
    ]


def test_retry_key_is_a_stable_uuid_per_dispatch_and_user() -> None:
    key = _key("d-1", LINE_ID)
    assert UUID_RE.fullmatch(key)
    assert str(uuid.UUID(key)) == key
    assert key == _key("d-1", LINE_ID)
    assert key != _key("d-2", LINE_ID)
    assert key != _key("d-1", OTHER_ID)
    digest = hashlib.md5(f"d-1:{LINE_ID}".encode()).hexdigest()  # noqa: S324 - as Braze's md5
    assert key.replace("-", "") == digest


def test_retry_key_default_dispatch_is_brazes_preview_placeholder() -> None:
    assert PREVIEW_CAMPAIGN["dispatch_id"] == "dispatch_id_for_unsent_campaign"
    preview = render(text_template("Hi"))
    digest = hashlib.md5(f"dispatch_id_for_unsent_campaign:{LINE_ID}".encode()).hexdigest()  # noqa: S324
    assert preview.headers[RETRY_KEY_HEADER].replace("-", "") == digest


def test_a_malformed_retry_key_is_refused() -> None:
    tpl = WebhookTemplate(
        headers={
            "Content-Type": "application/json",
            "Authorization": "Bearer t",
            RETRY_KEY_HEADER: "{{campaign.${dispatch_id}}}",
        },
        body=json.dumps({"to": LINE_ID, "messages": [{"type": "text", "text": "a"}]}),
    )
    with pytest.raises(ValidationError) as info:
        render(tpl)
    assert info.value.field == f"headers.{RETRY_KEY_HEADER}"


# -- Braze's Liquid ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "user",
    [{}, {"first_name": None}, {"first_name": ""}, {"first_name": "   "}],
    ids=["absent", "none", "empty", "whitespace"],
)
def test_default_takes_nil_and_blank(user: dict[str, object]) -> None:
    assert text_of("Hi {{${first_name} | default: 'there'}}", user) == "Hi there"
    assert text_of('Hi {{custom_attribute.${first_name} | default: "you"}}', user) == "Hi you"


def test_default_keeps_a_value() -> None:
    assert text_of("Hi {{${first_name} | default: 'there'}}", {"first_name": "Ann"}) == "Hi Ann"
    assert text_of("{{custom_attribute.${n} | default: 7}}", {"n": 0}) == "0"


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ({}, "blank nil falsy"),
        ({"first_name": None}, "blank nil falsy"),
        ({"first_name": ""}, "blank truthy"),
        ({"first_name": " "}, "blank truthy"),
        ({"first_name": "Ann"}, "present truthy"),
    ],
)
def test_nil_is_blank(user: dict[str, object], expected: str) -> None:
    source = (
        "{% if ${first_name} == blank %}blank{% else %}present{% endif %}"
        "{% if {{${first_name}}} == nil %} nil{% endif %}"
        "{% if ${first_name} %} truthy{% else %} falsy{% endif %}"
    )
    assert text_of(source, user) == expected


def test_sigils_and_namespaces() -> None:
    user = {
        "first_name": "Ann",
        "external_id": "ext-1",
        "email": "a@example.com",
        "tier": "gold",
        "custom_attribute": {"Brands Viewed": ["Nike", "Converse"]},
    }
    text = text_of(
        "{{${first_name}}}|{{${user_id}}}|{{${email_address}}}|{{custom_attribute.${tier}}}|"
        "{{custom_attribute.${Brands Viewed} | first}}|{{campaign.${name}}}|"
        "{{canvas.${name}}}|{{event_properties.${sku}}}|${first_name}",
        user,
        extra={"name": "Spring", "canvas": {"name": "Flow"}, "event_properties": {"sku": 9}},
    )
    assert text == "Ann|ext-1|a@example.com|gold|Nike|Spring|Flow|9|${first_name}"


def test_content_blocks_render_their_own_liquid_one_level_deep() -> None:
    blocks = {
        **BLOCKS,
        "Greeting": "Hello {{${first_name} | default: 'friend'}} {{content_blocks.${Sign}}}",
        "Sign": 'from "Shop"',
        "Deep": "{{content_blocks.${Greeting}}}",
    }
    assert text_of("{{content_blocks.${Greeting}}}!", {"first_name": "Bo"}, blocks=blocks) == (
        'Hello Bo from "Shop"!'
    )
    with pytest.raises(ValidationError) as info:
        text_of("{{content_blocks.${Deep}}}", blocks=blocks)
    assert "one level deep" in info.value.reason
    with pytest.raises(ValidationError) as missing:
        text_of("{{content_blocks.${Nope}}}", blocks=blocks)
    assert "'Nope'" in missing.value.reason


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("'a b' | md5", hashlib.md5(b"a b").hexdigest()),  # noqa: S324
        ("'a b' | sha1", hashlib.sha1(b"a b").hexdigest()),  # noqa: S324
        ("'a b' | sha2", hashlib.sha256(b"a b").hexdigest()),
        ("'a b' | base64_encode", _b64("a b")),
        ("'a b&c=d/é' | url_escape", "a%20b&c=d/%C3%A9"),
        ("'a b&c=d/é' | url_param_escape", "a%20b%26c%3Dd%2F%C3%A9"),
        ("'a b&c' | url_encode", "a+b%26c"),
        (
            "'msg' | hmac_sha256_hex: 'key'",
            hmac.new(b"key", b"msg", "sha256").hexdigest(),
        ),
        ("1234567 | number_with_delimiter", "1,234,567"),
        ("-1234.5 | number_with_delimiter", "-1,234.5"),
        ("123 | number_with_delimiter", "123"),
        ("custom_attribute.${tags} | as_json_string", '["a","b\\""]'),
        ("custom_attribute.${missing} | as_json_string", "null"),
        ("'x\"y' | json_escape", 'x"y'),  # escaped once, not twice
        ("'{\"a\": 1}' | json_parse | map: 'a'", "1"),
    ],
)
def test_brazes_filters(expr: str, expected: str) -> None:
    assert text_of(f"{{{{ {expr} }}}}", {"tags": ["a", 'b"']}) == expected


def test_unknown_filter_is_a_liquid_error_on_the_field() -> None:
    with pytest.raises(ValidationError) as info:
        text_of("{{ 'x' | nope }}")
    assert info.value.field == "body"
    assert "Liquid error" in info.value.reason


# -- LINE's checks -----------------------------------------------------------------------------


def test_a_rendered_text_over_5000_utf16_units_names_the_field() -> None:
    with pytest.raises(ValidationError) as info:
        text_of("{{${first_name}}}", {"first_name": "🍎" * 2500 + "!"})
    assert info.value.field == "messages[0].text"
    assert "5000" in info.value.reason
    assert len(text_of("{{${first_name}}}", {"first_name": "🍎" * 2500})) == 2500


def test_a_carousel_text_over_its_limit_names_the_field() -> None:
    tpl = _hostile_carousel()
    with pytest.raises(ValidationError) as info:
        render(tpl, {"line_id": LINE_ID, "first_name": "x" * 200})
    assert info.value.field.startswith("messages[0].")


def test_a_bad_recipient_is_refused() -> None:
    raw = WebhookTemplate(
        headers={"Content-Type": "application/json", "Authorization": "Bearer t"},
        body='{"to":"{{custom_attribute.${line_id}}}","messages":[{"type":"text","text":"x"}]}',
    )
    with pytest.raises(ValidationError) as info:
        render(raw, {"line_id": "someone@example.com"})
    assert info.value.field == "to"


def test_a_built_template_aborts_on_a_malformed_line_id() -> None:
    preview = render(text_template("Hi"), {"line_id": "someone@example.com"})
    assert preview.aborted
    assert preview.abort_reason == "line_id is not a LINE user ID"


def _raw(body: str, **headers: str) -> WebhookTemplate:
    return WebhookTemplate(
        headers={"Content-Type": "application/json", "Authorization": "Bearer t", **headers},
        body=body,
    )


@pytest.mark.parametrize(
    ("body", "field", "fragment"),
    [
        ('{"to": "x",}', "body", "line 1 column 12"),
        ("[1]", "body", "JSON object"),
        (json.dumps({"to": LINE_ID, "messages": []}), "messages", "1 to 5"),
        (json.dumps({"to": LINE_ID}), "messages", "list"),
        (
            json.dumps({"to": LINE_ID, "messages": [{"type": "text", "text": ""}]}),
            "messages[0].text",
            "",
        ),
        (
            json.dumps(
                {
                    "to": LINE_ID,
                    "messages": [{"type": "text", "text": "a"}],
                    "notificationDisabled": 1,
                }
            ),
            "notificationDisabled",
            "true or false",
        ),
    ],
)
def test_body_checks(body: str, field: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as info:
        render(_raw(body))
    assert info.value.field == field
    assert fragment in info.value.reason


def test_header_and_url_checks() -> None:
    ok = json.dumps({"to": LINE_ID, "messages": [{"type": "text", "text": "a"}]})
    assert render(_raw(ok)).json["to"] == LINE_ID
    with pytest.raises(ValidationError) as ctype:
        render(WebhookTemplate(headers={"Authorization": "Bearer t"}, body=ok))
    assert ctype.value.field == "headers.Content-Type"
    with pytest.raises(ValidationError) as auth:
        render(WebhookTemplate(headers={"Content-Type": "application/json"}, body=ok))
    assert auth.value.field == "headers.Authorization"
    with pytest.raises(ValidationError) as basic:
        render(_raw(ok, Authorization="Basic abc"))
    assert basic.value.field == "headers.Authorization"
    with pytest.raises(ValidationError) as url:
        render(WebhookTemplate(url="http://api.line.me/x", headers=_raw(ok).headers, body=ok))
    assert url.value.field == "url"


def test_preview_is_frozen_and_reports_exactly() -> None:
    preview = render(text_template("Hi"))
    with pytest.raises(AttributeError):
        preview.body = "x"  # type: ignore[misc]
    assert preview.body == json.dumps(
        {"to": LINE_ID, "messages": [{"type": "text", "text": "Hi"}]}, separators=(",", ":")
    )
    assert preview.headers.keys() == {"Content-Type", "Authorization", RETRY_KEY_HEADER}


def test_image_with_liquid_in_the_url() -> None:
    tpl = image_template(DEMO_IMAGE_URL + "?u={{${user_id}|url_param_escape}}", DEMO_IMAGE_URL)
    preview = render(tpl, {"line_id": LINE_ID, "user_id": "a b&c"})
    assert preview.json["messages"][0]["originalContentUrl"] == DEMO_IMAGE_URL + "?u=a%20b%26c"


def test_import_of_preview_does_not_load_liquid() -> None:
    code = "import sys, line_braze.preview; print('liquid' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
