"""One webhook model: a built template is Braze's ``webhook`` messaging object, as is.

Unit tests for the model; integration tests send built templates through
``BrazeClient.messages.send`` to the Braze loopback emulator.
"""

from __future__ import annotations

import copy
import json
import pickle
from collections.abc import Iterator

import pytest

import line_braze
import line_braze.braze
import line_braze.templates
from line_braze.braze import BrazeClient, UserAlias
from line_braze.errors import ValidationError
from line_braze.line.models import StickerMessage, TextMessage
from line_braze.templates import (
    PUSH_URL,
    WebhookTemplate,
    build_webhook_template,
    sticker_template,
    text_template,
)
from line_braze.testing import BrazeEmulator

LIQUID_AUTH = "Bearer {{content_blocks.${LINE_Channel_AccessToken}}}"
LITERAL_TOKEN = "LiTeRaL-t0ken-a1b2c3d4e5f6-value"
FOLLOWER = "U" + "0123456789abcdef" * 2


def test_the_two_public_names_are_one_model() -> None:
    assert line_braze.WebhookMessage is line_braze.WebhookTemplate
    assert line_braze.braze.WebhookMessage is line_braze.templates.WebhookTemplate
    assert isinstance(text_template("Hi"), line_braze.braze.WebhookMessage)


def test_braze_names_and_ours_build_the_same_model() -> None:
    ours = WebhookTemplate(url="https://x.example", method="PUT", headers={"A": "b"}, body="{}")
    braze = line_braze.braze.WebhookMessage(
        url="https://x.example", request_method="PUT", request_headers={"A": "b"}, body="{}"
    )
    assert ours == braze
    assert (braze.request_method, dict(braze.request_headers)) == ("PUT", {"A": "b"})


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"method": "POST", "request_method": "POST"}, "request_method"),
        ({"headers": {}, "request_headers": {}}, "request_headers"),
        ({"method": "PATCH"}, "request_method"),
        ({"url": ""}, "url"),
        ({"headers": {"A": 1}}, "request_headers"),
        ({"body": b"{}"}, "body"),
        ({"message_variation_id": ""}, "message_variation_id"),
    ],
)
def test_bad_fields_are_refused_by_name(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        WebhookTemplate(**kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_a_webhook_without_body_sends_an_empty_string() -> None:
    hook = line_braze.braze.WebhookMessage(url="https://x.example", body=None)
    assert hook.body == ""
    assert hook.to_wire()["body"] == ""


def test_the_variation_id_rides_on_the_wire_and_round_trips() -> None:
    hook = WebhookTemplate(url="https://x.example", message_variation_id="v1")
    assert hook.to_wire()["message_variation_id"] == "v1"
    assert WebhookTemplate.from_dict(hook.to_dict()) == hook
    assert "message_variation_id" not in text_template("Hi").to_dict()


def test_pickles_and_copies_whole() -> None:
    tpl = WebhookTemplate.from_dict(
        {**text_template("Hi {{${first_name}}}").to_dict(), "message_variation_id": "v1"}
    )
    pickled = pickle.loads(pickle.dumps(tpl))  # noqa: S301 - our own bytes
    for again in (pickled, copy.deepcopy(tpl), copy.copy(tpl)):
        assert again == tpl
        assert type(again) is WebhookTemplate
        assert again.message_variation_id == "v1"


def test_a_literal_credential_header_is_masked_and_liquid_is_shown() -> None:
    literal = WebhookTemplate(
        url="https://x.example",
        headers={"Authorization": f"Bearer {LITERAL_TOKEN}", "X-Api-Key": LITERAL_TOKEN},
    )
    shown = repr(literal) + literal._repr_html_() + repr(list(literal.__rich_repr__()))
    assert LITERAL_TOKEN not in shown
    assert "Authorization" in shown
    liquid = WebhookTemplate(headers={"Authorization": LIQUID_AUTH})
    assert LIQUID_AUTH in repr(liquid)


def test_the_token_block_in_the_body_is_refused_under_either_name() -> None:
    body = '{"t":"{{content_blocks.${LINE_Channel_AccessToken}}}"}'
    with pytest.raises(ValidationError, match="token Content Block"):
        line_braze.braze.WebhookMessage(
            url="https://x.example", request_headers={"Authorization": LIQUID_AUTH}, body=body
        )


# -- a built template through /messages/send, over HTTP ---------------------------------------


@pytest.fixture
def braze(braze_emulator: BrazeEmulator) -> Iterator[BrazeClient]:
    with BrazeClient(braze_emulator.api_key, rest_endpoint=braze_emulator.url) as client:
        yield client


@pytest.mark.integration
def test_a_built_template_sends_as_the_webhook_object(
    braze: BrazeClient, braze_emulator: BrazeEmulator
) -> None:
    tpl = build_webhook_template([TextMessage(text="Hi {{${first_name} | default: 'there'}}")])
    result = braze.messages.send(user_aliases=[UserAlias(FOLLOWER, "line_id")], webhook=tpl)
    (dispatch,) = braze_emulator.dispatches
    assert result.dispatch_id == dispatch.dispatch_id
    sent = dispatch.body["messages"]["webhook"]
    assert sent == tpl.to_dict()
    assert sent["url"] == PUSH_URL
    assert sent["request_method"] == "POST"
    assert sent["request_headers"]["Authorization"].startswith("Bearer {% capture lbz_token %}")
    # The recipient is the literal custom attribute, printed after the shape guard.
    guard_end = sent["body"].index('{"to":')
    assert "abort_message" in sent["body"][:guard_end]
    assert sent["body"][guard_end:].startswith('{"to":"{{custom_attribute.${line_id}}}",')


@pytest.mark.integration
def test_a_template_with_a_variation_sends_to_users_in_chunks(
    braze: BrazeClient, braze_emulator: BrazeEmulator
) -> None:
    base = sticker_template("446", "1988")
    tpl = WebhookTemplate.from_dict({**base.to_dict(), "message_variation_id": "var-1"})
    users = [f"customer-{n}" for n in range(51)]
    braze.messages.send(external_user_ids=users, webhook=tpl, campaign_id="c1")
    first, second = braze_emulator.dispatches
    assert [len(d.body["external_user_ids"]) for d in (first, second)] == [50, 1]
    for dispatch in (first, second):
        assert dispatch.body["messages"]["webhook"] == tpl.to_wire()
        assert dispatch.body["messages"]["webhook"]["message_variation_id"] == "var-1"
    assert '"packageId":"446"' in json.dumps(first.body["messages"]["webhook"]["body"]).replace(
        "\\", ""
    )


@pytest.mark.integration
def test_a_bad_template_is_refused_before_anything_is_sent(
    braze: BrazeClient, braze_emulator: BrazeEmulator
) -> None:
    good = build_webhook_template([StickerMessage(package_id="1", sticker_id="2")])
    with pytest.raises(ValidationError, match="request_method"):
        braze.messages.send(
            external_user_ids=["u1"], webhook={**good.to_dict(), "request_method": "PATCH"}
        )
    assert braze_emulator.dispatches == []
