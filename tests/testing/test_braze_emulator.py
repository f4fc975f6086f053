"""BrazeEmulator over a real socket, with plain requests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from line_braze.testing import BrazeEmulator
from line_braze.testing.braze_emulator import DEFAULT_API_KEY

pytestmark = pytest.mark.integration

HEADERS = {"Authorization": f"Bearer {DEFAULT_API_KEY}"}


@pytest.fixture
def session() -> Iterator[requests.Session]:
    with requests.Session() as s:
        yield s


def post(
    session: requests.Session, braze: BrazeEmulator, path: str, body: Any
) -> requests.Response:
    return session.post(braze.url + path, json=body, headers=HEADERS, timeout=5)


def alias(name: str, label: str = "line_id") -> dict[str, str]:
    return {"alias_name": name, "alias_label": label}


def test_api_key_is_checked(session: requests.Session, braze_emulator: BrazeEmulator) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}):
        answer = session.post(
            braze_emulator.url + "/users/track", json={}, headers=headers, timeout=5
        )
        assert answer.status_code == 401
        assert answer.json()["message"]
        assert "X-RateLimit-Limit" in answer.headers


@pytest.mark.braze_emulator(permissions={"users.track"})
def test_missing_permission_is_403(
    session: requests.Session, braze_emulator: BrazeEmulator
) -> None:
    answer = post(session, braze_emulator, "/content_blocks/create", {"name": "x", "content": "y"})
    assert answer.status_code == 403
    assert answer.json() == {"message": "Access Denied"}


@pytest.mark.parametrize(("count", "status"), [(74, 201), (75, 201), (76, 400)])
def test_track_limit_is_75_combined(
    session: requests.Session, braze_emulator: BrazeEmulator, count: int, status: int
) -> None:
    attributes = [{"external_id": f"u{i}", "n": i} for i in range(count - 1)]
    body = {
        "attributes": attributes,
        "events": [{"external_id": "u0", "name": "e", "time": "2024-01-01"}],
    }
    answer = post(session, braze_emulator, "/users/track", body)
    assert answer.status_code == status
    if status == 400:
        assert answer.json() == {"message": "Max Input Length Exceeded"}
        assert braze_emulator.profile_count == 0
    else:
        assert answer.json()["attributes_processed"] == count - 1
        assert answer.json()["events_processed"] == 1


def test_alias_only_objects_need_update_existing_only_false(
    session: requests.Session, braze_emulator: BrazeEmulator
) -> None:
    a, b = "U" + "a" * 32, "U" + "b" * 32
    answer = post(
        session,
        braze_emulator,
        "/users/track",
        {
            "attributes": [
                {"user_alias": alias(a), "line_id": a},
                {"user_alias": alias(b), "line_id": b, "_update_existing_only": False},
            ]
        },
    )
    assert answer.status_code == 201
    assert answer.json() == {"message": "success", "attributes_processed": 2}
    assert braze_emulator.profile(alias=("line_id", a)) is None
    created = braze_emulator.profile(alias=("line_id", b))
    assert created is not None
    assert created.attributes == {"line_id": b}
    assert created.external_id is None
    assert braze_emulator.stats["skipped_update_existing_only"] == 1


def test_item_errors_are_201_with_indexes(
    session: requests.Session, braze_emulator: BrazeEmulator
) -> None:
    body = {
        "attributes": [
            {"external_id": "ok", "x": 1},
            {"x": 2},
            {"external_id": "e", "user_alias": alias("U1")},
            {"external_id": "z" * 988},
            {"user_alias": {"alias_name": "only-name"}},
        ]
    }
    answer = post(session, braze_emulator, "/users/track", body)
    assert answer.status_code == 201
    payload = answer.json()
    assert payload["attributes_processed"] == 1
    assert [(e["input_array"], e["index"]) for e in payload["errors"]] == [
        ("attributes", 1),
        ("attributes", 2),
        ("attributes", 3),
        ("attributes", 4),
    ]
    assert payload["errors"][0]["type"] == "'external_id' or 'braze_id' or 'user_alias' is required"
    assert payload["errors"][2]["type"] == "EXTERNAL_USER_ID_TOO_LARGE"
    assert [p.external_id for p in braze_emulator.profiles] == ["ok"]


def test_attribute_operations_and_null_unsets(
    session: requests.Session, braze_emulator: BrazeEmulator
) -> None:
    track = "/users/track"
    post(
        session,
        braze_emulator,
        track,
        {"attributes": [{"external_id": "u", "a": 1, "n": 1, "tags": ["x"]}]},
    )
    post(
        session,
        braze_emulator,
        track,
        {
            "attributes": [
                {
                    "external_id": "u",
                    "a": None,
                    "n": {"inc": 4},
                    "tags": {"add": ["y"], "remove": ["x"]},
                }
            ]
        },
    )
    profile = braze_emulator.profile(external_id="u")
    assert profile is not None
    assert profile.attributes == {"n": 5, "tags": ["y"]}


def test_identify_merges_alias_only_profile(
    session: requests.Session, braze_emulator: BrazeEmulator
) -> None:
    line_id = "U" + "c" * 32
    post(
        session,
        braze_emulator,
        "/users/track",
        {
            "attributes": [
                {"user_alias": alias(line_id), "_update_existing_only": False, "line_id": line_id},
                {"external_id": "known", "first_name": "Ann"},
            ]
        },
    )
    answer = post(
        session,
        braze_emulator,
        "/users/identify",
        {"aliases_to_identify": [{"external_id": "known", "user_alias": alias(line_id)}]},
    )
    assert answer.status_code == 201
    assert answer.json() == {"aliases_processed": 1, "message": "success"}
    assert braze_emulator.profile_count == 1
    known = braze_emulator.profile(external_id="known")
    assert known is not None
    assert known.attributes == {"first_name": "Ann", "line_id": line_id}
    assert known.alias("line_id") == line_id


def test_identify_does_not_merge_when_label_is_taken(
    session: requests.Session, braze_emulator: BrazeEmulator
) -> None:
    post(
        session,
        braze_emulator,
        "/users/alias/new",
        {"user_aliases": [{**alias("U-old"), "external_id": "k"}]},
    )
    assert braze_emulator.profile_count == 0  # alias/new with an unknown external_id does nothing
    post(session, braze_emulator, "/users/track", {"attributes": [{"external_id": "k"}]})
    post(
        session,
        braze_emulator,
        "/users/alias/new",
        {"user_aliases": [{**alias("U-old"), "external_id": "k"}]},
    )
    post(session, braze_emulator, "/users/alias/new", {"user_aliases": [alias("U-new")]})
    assert braze_emulator.profile_count == 2
    post(
        session,
        braze_emulator,
        "/users/identify",
        {"aliases_to_identify": [{"external_id": "k", "user_alias": alias("U-new")}]},
    )
    assert braze_emulator.profile_count == 2


def test_identity_limits_export_merge_delete(
    session: requests.Session, braze_emulator: BrazeEmulator
) -> None:
    too_many = {
        "aliases_to_identify": [
            {"external_id": str(i), "user_alias": alias(str(i))} for i in range(51)
        ]
    }
    answer = post(session, braze_emulator, "/users/identify", too_many)
    assert answer.status_code == 400
    assert "max number" in answer.json()["message"]

    post(
        session,
        braze_emulator,
        "/users/track",
        {"attributes": [{"external_id": "a", "x": 1}, {"external_id": "b", "y": 2}]},
    )
    merged = post(
        session,
        braze_emulator,
        "/users/merge",
        {
            "merge_updates": [
                {
                    "identifier_to_merge": {"external_id": "b"},
                    "identifier_to_keep": {"external_id": "a"},
                }
            ]
        },
    )
    assert merged.status_code == 202
    exported = post(
        session,
        braze_emulator,
        "/users/export/ids",
        {"external_ids": ["a", "b"], "fields_to_export": ["external_id", "custom_attributes"]},
    ).json()
    assert exported["users"] == [{"external_id": "a", "custom_attributes": {"x": 1, "y": 2}}]
    assert exported["invalid_user_ids"] == ["b"]
    deleted = post(session, braze_emulator, "/users/delete", {"external_ids": ["a"]})
    assert deleted.json()["deleted"] == 1
    assert braze_emulator.profile_count == 0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"name": "", "content": "x"}, "Content Block name cannot be blank"),
        (
            {"name": "a" * 100, "content": "x"},
            "Content Block name must be shorter than 100 characters",
        ),
        (
            {"name": "has space", "content": "x"},
            "Content Block name can only contain alphanumeric characters",
        ),
        ({"name": "ok"}, "Content cannot be blank"),
        ({"name": "ok", "content": 5}, "Content must be a string"),
        ({"name": "ok", "content": "x" * 51200}, "Content must be smaller than 50kb"),
        (
            {"name": "ok", "content": "x", "description": "d" * 250},
            "Content Block description must be shorter than 250 characters",
        ),
        (
            {"name": "ok", "content": "x", "state": "archived"},
            "Content Block state must be either active or draft",
        ),
        ({"name": "ok", "content": "x", "tags": "t"}, "Tags must be an array"),
        ({"name": "ok", "content": "x", "tags": ["missing"]}, "Some tags could not be found"),
    ],
)
def test_content_block_rules(
    session: requests.Session, braze_emulator: BrazeEmulator, body: dict[str, Any], message: str
) -> None:
    answer = post(session, braze_emulator, "/content_blocks/create", body)
    assert answer.status_code == 400
    assert answer.json() == {"message": message}
    assert braze_emulator.content_blocks == []


def test_content_block_create_update_info(
    session: requests.Session, braze_emulator: BrazeEmulator
) -> None:
    created = post(
        session,
        braze_emulator,
        "/content_blocks/create",
        {"name": "LINE_Channel_AccessToken", "content": "tok-1"},
    )
    assert created.status_code == 201
    block_id = created.json()["content_block_id"]
    assert created.json()["liquid_tag"] == "{{content_blocks.${LINE_Channel_AccessToken}}}"
    dup = post(
        session,
        braze_emulator,
        "/content_blocks/create",
        {"name": "LINE_Channel_AccessToken", "content": "x"},
    )
    assert dup.json() == {"message": "Content Block with this name already exists"}

    update = "/content_blocks/update"
    assert (
        post(
            session, braze_emulator, update, {"content_block_id": block_id, "content": "tok-2"}
        ).status_code
        == 201
    )
    rename = post(session, braze_emulator, update, {"content_block_id": block_id, "name": "Other"})
    assert rename.json() == {
        "message": "Content Block name cannot be updated for active Content Blocks"
    }
    draft = post(session, braze_emulator, update, {"content_block_id": block_id, "state": "draft"})
    assert draft.json()["message"].startswith("Active Content Block can not be updated to Draft")
    unknown = post(session, braze_emulator, update, {"content_block_id": "nope", "content": "x"})
    assert unknown.json() == {"message": "Content Block ID is invalid for this workspace"}

    info = session.get(
        braze_emulator.url + "/content_blocks/info",
        params={"content_block_id": block_id},
        headers=HEADERS,
        timeout=5,
    ).json()
    assert info["content"] == "tok-2"
    assert info["name"] == "LINE_Channel_AccessToken"
    assert braze_emulator.content_block("LINE_Channel_AccessToken").content == "tok-2"  # type: ignore[union-attr,unused-ignore]


def test_content_block_list_paging(
    session: requests.Session, braze_emulator: BrazeEmulator
) -> None:
    for i in range(5):
        post(session, braze_emulator, "/content_blocks/create", {"name": f"b{i}", "content": "x"})
    url = braze_emulator.url + "/content_blocks/list"

    def page(**params: Any) -> requests.Response:
        answer: requests.Response = session.get(url, params=params, headers=HEADERS, timeout=5)
        return answer

    first = page(limit=2).json()
    assert first["count"] == 5
    assert [b["name"] for b in first["content_blocks"]] == ["b0", "b1"]
    assert "content" not in first["content_blocks"][0]
    last = page(limit=2, offset=4).json()
    assert [b["name"] for b in last["content_blocks"]] == ["b4"]
    assert len(page().json()["content_blocks"]) == 5
    over = page(limit=1001)
    assert over.json() == {"message": "Content Block number limit exceeds maximum of 1000"}


def test_messages_send_and_triggers(
    session: requests.Session, braze_emulator: BrazeEmulator
) -> None:
    webhook = {
        "url": "https://api.line.me/v2/bot/message/push",
        "request_method": "POST",
        "body": "{}",
    }
    ok = post(
        session,
        braze_emulator,
        "/messages/send",
        {"external_user_ids": ["u"], "messages": {"webhook": webhook}},
    )
    assert ok.status_code == 201
    assert ok.json()["dispatch_id"] == braze_emulator.dispatches[0].dispatch_id
    none = post(
        session, braze_emulator, "/messages/send", {"external_user_ids": ["u"], "messages": {}}
    )
    assert none.json() == {"message": "No message to send"}
    nobody = post(session, braze_emulator, "/messages/send", {"messages": {"webhook": webhook}})
    assert nobody.json() == {"message": "No Recipients"}
    trig = post(
        session,
        braze_emulator,
        "/campaigns/trigger/send",
        {"campaign_id": "c", "recipients": [{"external_user_id": "u"}]},
    )
    assert trig.status_code == 201
    assert post(session, braze_emulator, "/canvas/trigger/send", {}).status_code == 400
    send_id = post(session, braze_emulator, "/sends/id/create", {"campaign_id": "c"}).json()[
        "send_id"
    ]
    assert [d.endpoint for d in braze_emulator.dispatches] == [
        "/messages/send",
        "/campaigns/trigger/send",
        "/sends/id/create",
    ]
    assert braze_emulator.dispatches[-1].dispatch_id == send_id


def test_rate_limit_epoch_reset(session: requests.Session) -> None:
    now = [1_700_000_000.25]
    with BrazeEmulator(rate_limit=2, rate_window=3, clock=lambda: now[0]) as braze:
        answers = [
            post(session, braze, "/users/track", {"attributes": [{"external_id": "u"}]})
            for _ in range(3)
        ]
        assert [a.status_code for a in answers] == [201, 201, 429]
        assert [a.headers["X-RateLimit-Remaining"] for a in answers] == ["1", "0", "0"]
        assert answers[2].headers["X-RateLimit-Limit"] == "2"
        assert answers[2].headers["X-RateLimit-Reset"] == "1700000004"
        assert answers[2].headers["X-Ratelimit-Retry-After"] == "3"
        assert braze.stats["track_requests"] == 2
        now[0] += 3
        assert (
            post(session, braze, "/users/track", {"attributes": [{"external_id": "u"}]}).status_code
            == 201
        )


def test_rate_limit_seconds_reset(session: requests.Session) -> None:
    now = [500.0]
    with BrazeEmulator(
        rate_limit=1, rate_window=10, reset_as_seconds=True, clock=lambda: now[0]
    ) as braze:
        post(session, braze, "/users/track", {"attributes": [{"external_id": "u"}]})
        now[0] += 2.5
        refused = post(session, braze, "/users/track", {"attributes": [{"external_id": "u"}]})
        assert refused.status_code == 429
        assert refused.headers["X-RateLimit-Reset"] == "8"
        assert refused.headers["X-Ratelimit-Retry-After"] == "8"


def test_counting_only_mode(session: requests.Session) -> None:
    with BrazeEmulator(store_profiles=False) as braze:
        body = {
            "attributes": [
                {"user_alias": alias(f"U{i}"), "_update_existing_only": False} for i in range(75)
            ]
        }
        assert post(session, braze, "/users/track", body).json()["attributes_processed"] == 75
        assert braze.profile_count == 0
        assert braze.stats["attributes_processed"] == 75
