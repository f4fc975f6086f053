"""Identity endpoints and sends: chunks of 50, bodies, retry classes, validation."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
import responses
from responses.registries import OrderedRegistry

from line_braze.braze import BrazeClient, UserAlias, WebhookMessage, line_id_exists_audience
from line_braze.errors import PermissionDenied, RequestTimeout, ServerError, ValidationError
from line_braze.testing import fake_time

KEY = "braze-KEY-5ecret-identities"
BASE = "https://rest.iad-03.braze.com"


def client() -> BrazeClient:
    return fake_time(
        BrazeClient(KEY, rest_endpoint="US-03"), sleep=lambda _s: None, random=lambda: 0.0
    )


def sent(mock: Any = responses) -> list[dict[str, Any]]:
    return [json.loads(c.request.body or b"") for c in mock.calls]


def alias(n: int) -> UserAlias:
    return UserAlias(f"U{n:032x}", "line_id")


@responses.activate
def test_identify_chunks_of_50() -> None:
    responses.add(
        responses.POST,
        BASE + "/users/identify",
        status=201,
        json={"aliases_processed": 50, "message": "success"},
    )
    items = ({"external_id": f"u{n}", "user_alias": alias(n)} for n in range(120))
    result = client().users.identify(items)
    bodies = sent()
    assert [len(b["aliases_to_identify"]) for b in bodies] == [50, 50, 20]
    assert bodies[0]["aliases_to_identify"][0] == {
        "external_id": "u0",
        "user_alias": {"alias_name": "U" + "0" * 32, "alias_label": "line_id"},
    }
    assert result.requests == 3
    assert result.processed == 150


def test_identify_validates() -> None:
    with pytest.raises(ValidationError) as info:
        client().users.identify([{"user_alias": alias(1)}])
    assert info.value.field == "aliases_to_identify[0].external_id"
    with pytest.raises(ValidationError):
        client().users.identify([{"external_id": "x", "user_alias": {"alias_name": "a"}}])


@responses.activate
def test_identify_403_names_the_permission() -> None:
    responses.add(
        responses.POST, BASE + "/users/identify", status=403, json={"message": "Access Denied"}
    )
    with pytest.raises(PermissionDenied) as info:
        client().users.identify([{"external_id": "x", "user_alias": alias(1)}])
    assert "'users.identify'" in str(info.value)
    assert "Access Denied" in str(info.value)


@responses.activate
def test_alias_new_update_merge_delete_bodies() -> None:
    for path in ("/users/alias/new", "/users/alias/update", "/users/merge", "/users/delete"):
        responses.add(responses.POST, BASE + path, status=201, json={"message": "success"})
    braze = client()
    braze.users.alias_new([alias(1), {"alias_name": "n", "alias_label": "l", "external_id": "e"}])
    braze.users.alias_update(
        [{"alias_label": "line_id", "old_alias_name": "a", "new_alias_name": "b"}]
    )
    braze.users.merge(
        [{"identifier_to_merge": {"external_id": "a"}, "identifier_to_keep": {"external_id": "b"}}]
    )
    braze.users.delete(user_aliases=[alias(2)])
    bodies = sent()
    assert bodies[0] == {
        "user_aliases": [
            {"alias_name": "U" + "0" * 31 + "1", "alias_label": "line_id"},
            {"alias_name": "n", "alias_label": "l", "external_id": "e"},
        ]
    }
    assert bodies[1]["alias_updates"][0]["new_alias_name"] == "b"
    assert bodies[2]["merge_updates"][0]["identifier_to_keep"] == {"external_id": "b"}
    assert bodies[3] == {
        "user_aliases": [{"alias_name": "U" + "0" * 31 + "2", "alias_label": "line_id"}]
    }


def test_delete_needs_exactly_one_kind() -> None:
    with pytest.raises(ValidationError):
        client().users.delete()
    with pytest.raises(ValidationError):
        client().users.delete(external_ids=["a"], braze_ids=["b"])
    with pytest.raises(ValidationError, match="prioritization"):
        client().users.delete(email_addresses=["a@example.com"])


@responses.activate(registry=OrderedRegistry)
def test_alias_new_not_retried_after_timeout_but_identify_is() -> None:
    responses.add(responses.POST, BASE + "/users/alias/new", body=requests.ReadTimeout())
    responses.add(responses.POST, BASE + "/users/identify", status=503, json={"message": "x"})
    responses.add(
        responses.POST, BASE + "/users/identify", status=201, json={"aliases_processed": 1}
    )
    with pytest.raises(RequestTimeout):
        client().users.alias_new([alias(1)])
    client().users.identify([{"external_id": "x", "user_alias": alias(1)}])
    assert len(responses.calls) == 3


@responses.activate
def test_export_ids_chunks_and_collects() -> None:
    responses.add(
        responses.POST,
        BASE + "/users/export/ids",
        status=201,
        json={"users": [{"external_id": "a"}], "invalid_user_ids": ["zz"], "message": "success"},
    )
    result = client().users.export_ids(
        external_ids=[f"e{n}" for n in range(40)],
        user_aliases=[alias(n) for n in range(20)],
        fields_to_export=["external_id"],
    )
    bodies = sent()
    assert len(bodies) == 2
    assert len(bodies[0]["external_ids"]) == 40
    assert len(bodies[0]["user_aliases"]) == 10
    assert bodies[1]["fields_to_export"] == ["external_id"]
    assert result.users == ({"external_id": "a"}, {"external_id": "a"})
    assert result.invalid_user_ids == ("zz", "zz")
    with pytest.raises(ValidationError):
        client().users.export_ids()
    with pytest.raises(ValidationError):
        client().users.export_ids(braze_id="b", email_address="e")


# -- sends ------------------------------------------------------------------------------------


@responses.activate
def test_messages_send_webhook_in_chunks() -> None:
    responses.add(
        responses.POST,
        BASE + "/messages/send",
        status=201,
        json={"dispatch_id": "d", "message": "success"},
    )
    hook = WebhookMessage(
        url="https://api.line.me/v2/bot/message/push",
        request_headers={"Authorization": "Bearer {{content_blocks.${LINE_Channel_AccessToken}}}"},
        body='{"to":"{{custom_attribute.${line_id}}}"}',
    )
    result = client().messages.send(
        external_user_ids=[f"u{n}" for n in range(60)], webhook=hook, campaign_id="c"
    )
    bodies = sent()
    assert [len(b["external_user_ids"]) for b in bodies] == [50, 10]
    assert bodies[0]["messages"]["webhook"]["request_method"] == "POST"
    assert bodies[0]["campaign_id"] == "c"
    assert result.dispatch_ids == ("d", "d")
    assert "{{content_blocks.${LINE_Channel_AccessToken}}}" in repr(hook)  # Liquid, no secret
    literal = WebhookMessage(url="https://x", request_headers={"Authorization": "Bearer s3cr3t"})
    assert "s3cr3t" not in repr(literal)


@responses.activate
def test_messages_send_accepts_a_mapping_and_a_broadcast_audience() -> None:
    responses.add(responses.POST, BASE + "/messages/send", status=201, json={"dispatch_id": "d"})
    client().messages.send(
        broadcast=True, audience=line_id_exists_audience(), webhook={"url": "https://x.example"}
    )
    (body,) = sent()
    assert body["broadcast"] is True
    assert body["audience"] == {
        "custom_attribute": {"custom_attribute_name": "line_id", "comparison": "exists"}
    }


def test_messages_send_validates() -> None:
    with pytest.raises(ValidationError, match="webhook"):
        client().messages.send(external_user_ids=["u"])
    with pytest.raises(ValidationError):
        client().messages.send(webhook={"url": "u"})
    with pytest.raises(ValidationError):
        client().messages.send(external_user_ids=["u"], broadcast=True, webhook={"url": "u"})
    with pytest.raises(ValidationError):
        WebhookMessage(url="https://x", request_method="PATCH")  # type: ignore[arg-type]


@responses.activate
def test_campaign_trigger_recipients_chunked_by_50() -> None:
    responses.add(
        responses.POST, BASE + "/campaigns/trigger/send", status=201, json={"dispatch_id": "d"}
    )
    recipients: list[Any] = [
        *(f"u{n}" for n in range(30)),
        *(alias(n) for n in range(30)),
        {"email": "a@b.c"},
    ]
    result = client().campaigns.trigger_send("camp", recipients, trigger_properties={"k": 1})
    bodies = sent()
    assert [len(b["recipients"]) for b in bodies] == [50, 11]
    assert bodies[0]["recipients"][0] == {"external_user_id": "u0"}
    assert bodies[0]["recipients"][30] == {"user_alias": alias(0).to_wire()}
    assert bodies[1]["recipients"][-1] == {"email": "a@b.c"}
    assert bodies[0]["campaign_id"] == "camp"
    assert result.requests == 2


def test_trigger_validates_recipients() -> None:
    with pytest.raises(ValidationError):
        client().campaigns.trigger_send("c", [{"external_user_id": "a", "email": "b"}])
    with pytest.raises(ValidationError):
        client().campaigns.trigger_send("c", [])
    with pytest.raises(ValidationError):
        client().campaigns.trigger_send("", ["a"])
    with pytest.raises(ValidationError):
        client().canvas.trigger_send("cv", ["a"], broadcast=True)


@responses.activate(registry=OrderedRegistry)
def test_canvas_trigger_not_retried_on_500() -> None:
    responses.add(responses.POST, BASE + "/canvas/trigger/send", status=500, json={"message": "x"})
    with pytest.raises(ServerError):
        client().canvas.trigger_send("cv", ["u1"], context={"a": 1})
    assert len(responses.calls) == 1
    assert sent()[0] == {
        "canvas_id": "cv",
        "context": {"a": 1},
        "recipients": [{"external_user_id": "u1"}],
    }


@responses.activate
def test_canvas_broadcast_and_notice() -> None:
    responses.add(
        responses.POST,
        BASE + "/canvas/trigger/send",
        status=201,
        json={"dispatch_id": "d", "notice": "paused"},
    )
    result = client().canvas.trigger_send("cv", broadcast=True)
    assert result.notices == ("paused",)
    assert result.dispatch_id == "d"


@responses.activate
def test_sends_create_id() -> None:
    responses.add(
        responses.POST,
        BASE + "/sends/id/create",
        status=201,
        json={"send_id": "s1", "message": "success"},
    )
    assert client().sends.create_id("camp", "s1") == "s1"
    assert sent()[0] == {"campaign_id": "camp", "send_id": "s1"}
    with pytest.raises(ValidationError):
        client().sends.create_id("")


def test_line_id_audience_attribute() -> None:
    assert line_id_exists_audience("x")["custom_attribute"]["custom_attribute_name"] == "x"
    with pytest.raises(ValidationError):
        line_id_exists_audience("")
