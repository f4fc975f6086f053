"""Lists, flags and answers the clients used to misread (issue 9, "The Braze client").

- A bare ``str``/``bytes``/mapping where a list belongs is refused on every list parameter
  of both clients (``users.delete(external_ids="abc")`` used to delete ``a``, ``b``, ``c``).
- Every item of every chunked call is checked before the first request.
- A non-bool where a bool belongs is refused (``notification_disabled="no"`` is truthy).
- ``content_blocks.list`` pages until a short page, whatever ``count`` says.
- ``messages.send`` keeps Braze's non-fatal ``errors`` and its ``send_id``;
  ``content_blocks.get(..., include_inclusion_data=True)`` returns the inclusion data.
- ``install_access_token`` from many threads at once leaves one block and raises nothing.

Each refusal is checked against an emulator that must have seen no request at all.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import responses
from hypothesis import given, settings
from hypothesis import strategies as st
from responses import matchers

from line_braze import BrazeClient, Integration, LineClient, RetryPolicy
from line_braze.braze.models import UserAlias, WebhookMessage
from line_braze.errors import BadRequest, ValidationError
from line_braze.line import TextMessage
from line_braze.testing import BrazeEmulator, Faults, LineEmulator, fake_time, follower_id

pytestmark = pytest.mark.reliability

HI = TextMessage(text="hi")
USER = follower_id(0)
NO_RETRY = RetryPolicy(attempts=1)
HOOK = WebhookMessage(url="https://example.com/hook")
ALIAS = UserAlias(alias_name="U1", alias_label="line_id")
BRAZE_URL = "https://rest.iad-01.braze.com"
TOKEN_BLOCK = "LINE_Channel_AccessToken"


def _no_sleep(_seconds: float) -> None:
    return None


@pytest.fixture
def line_world(line_emulator: LineEmulator) -> Iterator[tuple[LineClient, LineEmulator]]:
    with fake_time(
        LineClient(line_emulator.access_token, base_url=line_emulator.url, retry=NO_RETRY),
        sleep=_no_sleep,
    ) as client:
        yield client, line_emulator


@pytest.fixture
def braze_world(braze_emulator: BrazeEmulator) -> Iterator[tuple[BrazeClient, BrazeEmulator]]:
    with fake_time(
        BrazeClient(braze_emulator.api_key, rest_endpoint=braze_emulator.url, retry=NO_RETRY),
        sleep=_no_sleep,
    ) as client:
        yield client, braze_emulator


def _many(n: int) -> list[str]:
    return [f"u{i}" for i in range(n)]


# -- a bare str, bytes or mapping where a list belongs ---------------------------------------------

# The calls take ``Any``: they pass what the signatures forbid, as untyped callers do.
BrazeCall = Callable[[Any], object]

BRAZE_BARE: list[tuple[str, BrazeCall, str]] = [
    ("delete-external-ids-str", lambda b: b.users.delete(external_ids="abc"), "external_ids"),
    ("delete-braze-ids-bytes", lambda b: b.users.delete(braze_ids=b"abc"), "braze_ids"),
    (
        "delete-aliases-one-mapping",
        lambda b: b.users.delete(user_aliases={"alias_name": "U1", "alias_label": "line_id"}),
        "user_aliases",
    ),
    (
        "delete-emails-str",
        lambda b: b.users.delete(email_addresses="a@example.com", prioritization=["identified"]),
        "email_addresses",
    ),
    (
        "delete-phones-str",
        lambda b: b.users.delete(phone_numbers="+15551234", prioritization=["identified"]),
        "phone_numbers",
    ),
    (
        "delete-prioritization-str",
        lambda b: b.users.delete(email_addresses=["a@example.com"], prioritization="identified"),
        "prioritization",
    ),
    ("identify-aliases-str", lambda b: b.users.identify("abc"), "aliases_to_identify"),
    (
        "identify-emails-str",
        lambda b: b.users.identify(emails_to_identify="abc"),
        "emails_to_identify",
    ),
    (
        "identify-phones-bytes",
        lambda b: b.users.identify(phone_numbers_to_identify=b"abc"),
        "phone_numbers_to_identify",
    ),
    ("alias-new-str", lambda b: b.users.alias_new("abc"), "user_aliases"),
    ("alias-update-str", lambda b: b.users.alias_update("abc"), "alias_updates"),
    (
        "merge-one-mapping",
        lambda b: b.users.merge({"identifier_to_merge": {}, "identifier_to_keep": {}}),
        "merge_updates",
    ),
    ("export-external-ids-str", lambda b: b.users.export_ids(external_ids="abc"), "external_ids"),
    ("export-aliases-str", lambda b: b.users.export_ids(user_aliases="abc"), "user_aliases"),
    (
        "export-fields-str",
        lambda b: b.users.export_ids(external_ids=["u1"], fields_to_export="email"),
        "fields_to_export",
    ),
    ("track-attributes-str", lambda b: b.users.track(attributes="abc"), "attributes"),
    ("track-events-bytes", lambda b: b.users.track(events=b"abc"), "events"),
    (
        "track-purchases-one-mapping",
        lambda b: b.users.track(purchases={"external_id": "u1"}),
        "purchases",
    ),
    (
        "send-external-ids-str",
        lambda b: b.messages.send(external_user_ids="abc", webhook=HOOK),
        "external_user_ids",
    ),
    (
        "send-aliases-str",
        lambda b: b.messages.send(user_aliases="abc", webhook=HOOK),
        "user_aliases",
    ),
    ("campaign-recipients-str", lambda b: b.campaigns.trigger_send("c1", "abc"), "recipients"),
    (
        "campaign-attachments-one-mapping",
        lambda b: b.campaigns.trigger_send(
            "c1", ["u1"], attachments={"file_name": "a", "url": "https://e.x/a"}
        ),
        "attachments",
    ),
    ("canvas-recipients-bytes", lambda b: b.canvas.trigger_send("v1", b"abc"), "recipients"),
    ("block-create-tags-str", lambda b: b.content_blocks.create("N", "t", tags="x"), "tags"),
    ("block-update-tags-str", lambda b: b.content_blocks.update("c1", tags="x"), "tags"),
]


@pytest.mark.parametrize(("call", "field"), [pytest.param(c, f, id=i) for i, c, f in BRAZE_BARE])
def test_a_bare_value_where_a_braze_list_belongs_is_refused(
    braze_world: tuple[BrazeClient, BrazeEmulator], call: BrazeCall, field: str
) -> None:
    braze, emulator = braze_world
    with pytest.raises(ValidationError) as info:
        call(braze)
    assert info.value.field == field
    assert emulator.request_count == 0


def test_delete_of_a_bare_string_deletes_nobody(
    braze_world: tuple[BrazeClient, BrazeEmulator],
) -> None:
    braze, emulator = braze_world
    for name in "abc":
        braze.users.track(attributes=[{"external_id": name, "n": 1}])
    emulator.clear_request_log()
    with pytest.raises(ValidationError, match="external_ids: must be a list"):
        braze.users.delete(external_ids="abc")
    assert emulator.request_count == 0
    assert {p.external_id for p in emulator.profiles} == {"a", "b", "c"}


LineCall = Callable[[Any], object]

LINE_BARE: list[tuple[str, LineCall, str]] = [
    ("multicast-to-str", lambda line: line.messages.multicast(USER, [HI]), "to"),
    ("multicast-to-bytes", lambda line: line.messages.multicast(USER.encode(), [HI]), "to"),
    ("multicast-to-mapping", lambda line: line.messages.multicast({USER: 1}, [HI]), "to"),
    ("push-messages-str", lambda line: line.messages.push(USER, "hi"), "messages"),
    ("push-messages-one-model", lambda line: line.messages.push(USER, HI), "messages"),
    ("reply-messages-bytes", lambda line: line.messages.reply("token", b"hi"), "messages"),
    ("validate-messages-str", lambda line: line.messages.validate("hi"), "messages"),
]


@pytest.mark.parametrize(("call", "field"), [pytest.param(c, f, id=i) for i, c, f in LINE_BARE])
def test_a_bare_value_where_a_line_list_belongs_is_refused(
    line_world: tuple[LineClient, LineEmulator], call: LineCall, field: str
) -> None:
    line, emulator = line_world
    with pytest.raises(ValidationError) as info:
        call(line)
    assert info.value.field == field
    assert emulator.request_count == 0


# -- every item checked before the first request ---------------------------------------------------

LATE = 120  # past the second chunk of 50: two requests would have gone out before it

BRAZE_LATE: list[tuple[str, BrazeCall, str]] = [
    (
        "identify-alias",
        lambda b: b.users.identify(
            [{"external_id": f"e{i}", "user_alias": ALIAS} for i in range(LATE)]
            + [{"external_id": "", "user_alias": ALIAS}]
        ),
        f"aliases_to_identify[{LATE}].external_id",
    ),
    (
        "identify-email",
        lambda b: b.users.identify(
            emails_to_identify=[{"external_id": "e", "email": "a@e.x"}] * LATE
            + [{"external_id": "e"}]
        ),
        f"emails_to_identify[{LATE}].email",
    ),
    (
        "identify-phone-after-good-aliases",
        lambda b: b.users.identify(
            [{"external_id": "e", "user_alias": ALIAS}] * LATE,
            phone_numbers_to_identify=[
                {"external_id": "e", "phone": "+1", "prioritization": ["x"]}
            ],
        ),
        "phone_numbers_to_identify[0].prioritization[0]",
    ),
    (
        "delete",
        lambda b: b.users.delete(external_ids=[*_many(LATE), ""]),
        f"external_ids[{LATE}]",
    ),
    (
        "delete-generator",
        lambda b: b.users.delete(external_ids=(x for x in [*_many(LATE), 7])),
        f"external_ids[{LATE}]",
    ),
    (
        "delete-aliases",
        lambda b: b.users.delete(user_aliases=[ALIAS] * LATE + [{"alias_name": "U"}]),
        f"user_aliases[{LATE}].alias_label",
    ),
    (
        "alias-new",
        lambda b: b.users.alias_new([ALIAS] * LATE + [{"alias_name": "U", "alias_label": ""}]),
        f"user_aliases[{LATE}].alias_label",
    ),
    (
        "alias-new-external-id",
        lambda b: b.users.alias_new(
            [ALIAS] * LATE + [{"alias_name": "U", "alias_label": "l", "external_id": ""}]
        ),
        f"user_aliases[{LATE}].external_id",
    ),
    (
        "alias-update",
        lambda b: b.users.alias_update(
            [{"alias_label": "l", "old_alias_name": "a", "new_alias_name": "b"}] * LATE + [{}]
        ),
        f"alias_updates[{LATE}].alias_label",
    ),
    (
        "merge",
        lambda b: b.users.merge(
            [
                {
                    "identifier_to_merge": {"external_id": "a"},
                    "identifier_to_keep": {"external_id": "b"},
                }
            ]
            * LATE
            + ["not a mapping"]
        ),
        f"merge_updates[{LATE}]",
    ),
    (
        "export",
        lambda b: b.users.export_ids(external_ids=[*_many(LATE)], user_aliases=[ALIAS, 3]),
        "user_aliases[1]",
    ),
    (
        "send-ids",
        lambda b: b.messages.send(external_user_ids=[*_many(LATE), None], webhook=HOOK),
        f"external_user_ids[{LATE}]",
    ),
    (
        "send-aliases",
        lambda b: b.messages.send(
            external_user_ids=_many(LATE), user_aliases=[ALIAS, {}], webhook=HOOK
        ),
        "user_aliases[1].alias_name",
    ),
    (
        "campaign-trigger",
        lambda b: b.campaigns.trigger_send("c1", [*_many(LATE), ""]),
        f"recipients[{LATE}]",
    ),
    (
        "campaign-trigger-generator",
        lambda b: b.campaigns.trigger_send("c1", (r for r in [*_many(LATE), {"email": ""}])),
        f"recipients[{LATE}]",
    ),
    (
        "canvas-trigger",
        lambda b: b.canvas.trigger_send("v1", [*_many(LATE), 42]),
        f"recipients[{LATE}]",
    ),
]


@pytest.mark.parametrize(("call", "field"), [pytest.param(c, f, id=i) for i, c, f in BRAZE_LATE])
def test_a_bad_late_item_of_a_chunked_braze_call_sends_nothing(
    braze_world: tuple[BrazeClient, BrazeEmulator], call: BrazeCall, field: str
) -> None:
    braze, emulator = braze_world
    with pytest.raises(ValidationError) as info:
        call(braze)
    assert info.value.field == field
    assert emulator.request_count == 0
    assert emulator.dispatches == []


def test_a_bad_late_multicast_recipient_from_a_generator_sends_nothing(
    line_world: tuple[LineClient, LineEmulator],
) -> None:
    line, emulator = line_world
    users = (u for u in [*(follower_id(i) for i in range(1200)), "C" + "0" * 32])
    with pytest.raises(ValidationError) as info:
        line.messages.multicast(users, [HI])
    assert info.value.field == "to[1200]"
    assert emulator.request_count == 0


def test_good_chunked_calls_still_go_in_chunks_of_50(
    braze_world: tuple[BrazeClient, BrazeEmulator],
) -> None:
    braze, emulator = braze_world
    result = braze.campaigns.trigger_send("c1", (u for u in _many(LATE)))
    assert result.requests == 3
    assert [len(d.body["recipients"]) for d in emulator.dispatches] == [50, 50, 20]
    deleted = braze.users.delete(external_ids=iter(_many(60)))
    assert deleted.requests == 2


# -- a non-bool where a bool belongs ---------------------------------------------------------------

LINE_FLAGS: list[tuple[str, LineCall, str]] = [
    (
        "push-notification-disabled-no",
        lambda line: line.messages.push(USER, [HI], notification_disabled="no"),
        "notification_disabled",
    ),
    (
        "multicast-notification-disabled-1",
        lambda line: line.messages.multicast([USER], [HI], notification_disabled=1),
        "notification_disabled",
    ),
    (
        "multicast-stop-on-error-none",
        lambda line: line.messages.multicast([USER], [HI], stop_on_error=None),
        "stop_on_error",
    ),
    (
        "reply-notification-disabled-str",
        lambda line: line.messages.reply("token", [HI], notification_disabled="false"),
        "notification_disabled",
    ),
]


@pytest.mark.parametrize(("call", "field"), [pytest.param(c, f, id=i) for i, c, f in LINE_FLAGS])
def test_a_non_bool_line_flag_is_refused(
    line_world: tuple[LineClient, LineEmulator], call: LineCall, field: str
) -> None:
    line, emulator = line_world
    with pytest.raises(ValidationError) as info:
        call(line)
    assert info.value.field == field
    assert emulator.request_count == 0


BRAZE_FLAGS: list[tuple[str, BrazeCall, str]] = [
    (
        "send-broadcast-str",
        lambda b: b.messages.send(segment_id="s1", broadcast="yes", webhook=HOOK),
        "broadcast",
    ),
    (
        "send-override-capping-str",
        lambda b: b.messages.send(
            external_user_ids=["u1"], override_frequency_capping="no", webhook=HOOK
        ),
        "override_frequency_capping",
    ),
    (
        "campaign-broadcast-int",
        lambda b: b.campaigns.trigger_send("c1", broadcast=1),
        "broadcast",
    ),
    (
        "canvas-broadcast-str",
        lambda b: b.canvas.trigger_send("v1", broadcast="true"),
        "broadcast",
    ),
    (
        "block-get-inclusion-str",
        lambda b: b.content_blocks.get("c1", include_inclusion_data="yes"),
        "include_inclusion_data",
    ),
]


@pytest.mark.parametrize(("call", "field"), [pytest.param(c, f, id=i) for i, c, f in BRAZE_FLAGS])
def test_a_non_bool_braze_flag_is_refused(
    braze_world: tuple[BrazeClient, BrazeEmulator], call: BrazeCall, field: str
) -> None:
    braze, emulator = braze_world
    with pytest.raises(ValidationError) as info:
        call(braze)
    assert info.value.field == field
    assert emulator.request_count == 0


def test_a_push_with_notifications_off_is_sent_with_the_flag(
    line_world: tuple[LineClient, LineEmulator],
) -> None:
    line, emulator = line_world
    line.messages.push(USER, [HI], notification_disabled=True)
    line.messages.push(USER, [HI], notification_disabled=False)
    assert [p.notification_disabled for p in emulator.pushes] == [True, False]


# -- content_blocks.list pages until a short page --------------------------------------------------


def _block(n: int, name: str | None = None) -> dict[str, Any]:
    return {"content_block_id": f"id{n}", "name": name or f"Block_{n}"}


def test_find_reads_past_a_full_page_whatever_count_says() -> None:
    # Braze does not say whether ``count`` is the page's or the total; a page-sized count
    # used to end the listing after the first 1,000 blocks.
    braze = fake_time(BrazeClient("key", rest_endpoint="US-01", retry=NO_RETRY), sleep=_no_sleep)
    first = [_block(n) for n in range(1000)]
    with responses.RequestsMock() as mock:
        mock.get(
            BRAZE_URL + "/content_blocks/list",
            json={"count": 1000, "content_blocks": first, "message": "success"},
            match=[matchers.query_param_matcher({"limit": "1000"})],
        )
        mock.get(
            BRAZE_URL + "/content_blocks/list",
            json={"count": 1, "content_blocks": [_block(1000, TOKEN_BLOCK)], "message": "ok"},
            match=[matchers.query_param_matcher({"limit": "1000", "offset": "1000"})],
        )
        mock.get(
            BRAZE_URL + "/content_blocks/info",
            json={"content_block_id": "id1000", "name": TOKEN_BLOCK, "content": "tok"},
        )
        block = braze.content_blocks.find(TOKEN_BLOCK)
    assert block is not None
    assert block.content_block_id == "id1000"


def test_list_stops_at_a_short_page_even_if_count_promises_more() -> None:
    braze = fake_time(BrazeClient("key", rest_endpoint="US-01", retry=NO_RETRY), sleep=_no_sleep)
    with responses.RequestsMock() as mock:
        mock.get(
            BRAZE_URL + "/content_blocks/list",
            json={"count": 2, "content_blocks": [_block(0), _block(1)]},
            match=[matchers.query_param_matcher({"limit": "2"})],
        )
        mock.get(
            BRAZE_URL + "/content_blocks/list",
            json={"count": 99, "content_blocks": [_block(2)]},
            match=[matchers.query_param_matcher({"limit": "2", "offset": "2"})],
        )
        names = [b.name for b in braze.content_blocks.list(page_size=2)]
        assert len(mock.calls) == 2
    assert names == ["Block_0", "Block_1", "Block_2"]


def test_list_over_the_emulator_reads_every_page(
    braze_world: tuple[BrazeClient, BrazeEmulator],
) -> None:
    braze, emulator = braze_world
    for n in range(5):
        braze.content_blocks.create(f"B{n}", "x")
    emulator.clear_request_log()
    assert [b.name for b in braze.content_blocks.list(page_size=2)] == [f"B{n}" for n in range(5)]
    assert emulator.request_count == 3


# -- answers kept: send_id, non-fatal errors, inclusion data ---------------------------------------


def test_messages_send_keeps_errors_and_the_send_id_beside_the_dispatch_id() -> None:
    braze = fake_time(BrazeClient("key", rest_endpoint="US-01", retry=NO_RETRY), sleep=_no_sleep)
    with responses.RequestsMock() as mock:
        mock.post(
            BRAZE_URL + "/messages/send",
            status=201,
            json={
                "dispatch_id": "d1",
                "send_id": "s1",
                "message": "success",
                "errors": ["external_user_ids[1] not found"],
            },
        )
        result = braze.messages.send(external_user_ids=["u1", "u2"], webhook=HOOK, send_id="s1")
    assert (result.dispatch_id, result.send_id) == ("d1", "s1")
    assert result.errors == ("external_user_ids[1] not found",)


def test_a_tracked_send_over_the_emulator_answers_its_send_id(
    braze_world: tuple[BrazeClient, BrazeEmulator],
) -> None:
    braze, emulator = braze_world
    send_id = braze.sends.create_id("c1")
    result = braze.messages.send(
        external_user_ids=["u1"], webhook=HOOK, campaign_id="c1", send_id=send_id
    )
    assert result.send_id == send_id
    assert result.dispatch_id == emulator.dispatches[-1].dispatch_id
    assert result.dispatch_id != send_id


def test_get_with_inclusion_data_returns_it() -> None:
    braze = fake_time(BrazeClient("key", rest_endpoint="US-01", retry=NO_RETRY), sleep=_no_sleep)
    inclusion = [{"campaign_id": "c1", "message_variation_id": "m1"}]
    with responses.RequestsMock() as mock:
        mock.get(
            BRAZE_URL + "/content_blocks/info",
            json={"content_block_id": "c1", "name": "N", "content": "x", "inclusion_count": 1}
            | {"inclusion_data": inclusion},
            match=[
                matchers.query_param_matcher(
                    {"content_block_id": "c1", "include_inclusion_data": "true"}
                )
            ],
        )
        mock.get(
            BRAZE_URL + "/content_blocks/info",
            json={"content_block_id": "c1", "name": "N", "content": "x"},
            match=[matchers.query_param_matcher({"content_block_id": "c1"})],
        )
        with_data = braze.content_blocks.get("c1", include_inclusion_data=True)
        without = braze.content_blocks.get("c1")
    assert with_data.inclusion_data == tuple(inclusion)
    assert without.inclusion_data is None


# -- install_access_token from many threads --------------------------------------------------------


def test_upsert_whose_create_is_answered_already_exists_reads_again_and_updates() -> None:
    braze = fake_time(BrazeClient("key", rest_endpoint="US-01", retry=NO_RETRY), sleep=_no_sleep)
    listed = {"count": 1, "content_blocks": [_block(7, TOKEN_BLOCK)]}
    with responses.RequestsMock(registry=responses.registries.OrderedRegistry) as mock:
        mock.get(BRAZE_URL + "/content_blocks/list", json={"count": 0, "content_blocks": []})
        mock.post(
            BRAZE_URL + "/content_blocks/create",
            status=400,
            json={"message": "Content Block with this name already exists"},
        )
        mock.get(BRAZE_URL + "/content_blocks/list", json=listed)
        mock.get(
            BRAZE_URL + "/content_blocks/info",
            json={"content_block_id": "id7", "name": TOKEN_BLOCK, "content": "theirs"},
        )
        mock.post(
            BRAZE_URL + "/content_blocks/update",
            json={"content_block_id": "id7", "message": "success"},
            match=[matchers.json_params_matcher({"content_block_id": "id7", "content": "mine"})],
        )
        mock.get(
            BRAZE_URL + "/content_blocks/info",
            json={"content_block_id": "id7", "name": TOKEN_BLOCK, "content": "mine"},
        )
        block = braze.content_blocks.upsert(TOKEN_BLOCK, "mine")
    assert block.content_block_id == "id7"
    assert block.content.reveal() == "mine"


def test_upsert_does_not_swallow_another_refusal() -> None:
    braze = fake_time(BrazeClient("key", rest_endpoint="US-01", retry=NO_RETRY), sleep=_no_sleep)
    with responses.RequestsMock() as mock:
        mock.get(BRAZE_URL + "/content_blocks/list", json={"count": 0, "content_blocks": []})
        mock.post(
            BRAZE_URL + "/content_blocks/create",
            status=400,
            json={"message": "Content contains malformed liquid"},
        )
        with pytest.raises(BadRequest, match="malformed liquid"):
            braze.content_blocks.upsert(TOKEN_BLOCK, "{{ broken")


THREADS = 8


def test_install_access_token_from_many_threads_leaves_one_block(
    line_emulator: LineEmulator,
) -> None:
    # Every create is slowed down, so all threads look the block up, find none and create:
    # one create wins, the others are answered "already exists" as Braze answers them.
    faults = Faults(latency_ms=300, paths=["/content_blocks/create"])
    barrier = threading.Barrier(THREADS)
    failures: list[BaseException] = []
    ids: list[str] = []

    def install(emulator: BrazeEmulator) -> None:
        with (
            LineClient(line_emulator.access_token, base_url=line_emulator.url) as line,
            fake_time(
                BrazeClient(emulator.api_key, rest_endpoint=emulator.url), sleep=_no_sleep
            ) as braze,
        ):
            integ = Integration(line=line, braze=braze)
            barrier.wait()
            try:
                ids.append(integ.install_access_token("the-token").content_block_id)
            except BaseException as exc:  # noqa: BLE001 - collected and asserted below
                failures.append(exc)

    with BrazeEmulator(faults=faults) as emulator:
        threads = [threading.Thread(target=install, args=(emulator,)) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        creates = [r for r in emulator.request_log if r.path == "/content_blocks/create"]
        blocks = emulator.content_blocks
    assert failures == []
    assert len(creates) > 1  # the race happened: several threads tried to create
    assert sum(r.status == 400 for r in creates) == len(creates) - 1
    assert [(b.name, b.content) for b in blocks] == [(TOKEN_BLOCK, "the-token")]
    assert set(ids) == {blocks[0].content_block_id}


# -- other arguments of the sends ------------------------------------------------------------------

BRAZE_SEND_ARGS: list[tuple[str, BrazeCall, str]] = [
    (
        "send-audience-str",
        lambda b: b.messages.send(audience="line_id exists", broadcast=True, webhook=HOOK),
        "audience",
    ),
    (
        "send-empty-send-id",
        lambda b: b.messages.send(external_user_ids=["u1"], send_id="", webhook=HOOK),
        "send_id",
    ),
    (
        "send-subscription-state",
        lambda b: b.messages.send(
            external_user_ids=["u1"], recipient_subscription_state="everyone", webhook=HOOK
        ),
        "recipient_subscription_state",
    ),
    (
        "send-messages-list",
        lambda b: b.messages.send(external_user_ids=["u1"], messages=["webhook"]),
        "messages",
    ),
    (
        "campaign-trigger-properties-list",
        lambda b: b.campaigns.trigger_send("c1", ["u1"], trigger_properties=[("a", 1)]),
        "trigger_properties",
    ),
    ("canvas-context-str", lambda b: b.canvas.trigger_send("v1", ["u1"], context="{}"), "context"),
    ("send-id-create-empty", lambda b: b.sends.create_id("c1", send_id=""), "send_id"),
]


@pytest.mark.parametrize(
    ("call", "field"), [pytest.param(c, f, id=i) for i, c, f in BRAZE_SEND_ARGS]
)
def test_a_bad_send_argument_is_refused_before_sending(
    braze_world: tuple[BrazeClient, BrazeEmulator], call: BrazeCall, field: str
) -> None:
    braze, emulator = braze_world
    with pytest.raises(ValidationError) as info:
        call(braze)
    assert info.value.field == field
    assert emulator.request_count == 0


# -- properties: any list, any bad item, any position ----------------------------------------------

_IDS = st.lists(st.text(min_size=1, max_size=8), max_size=160)
_BAD_ITEMS = st.sampled_from(["", None, 7, b"u1", ("u1",)])


@given(ids=_IDS, bad=_BAD_ITEMS, data=st.data())
@settings(max_examples=60, deadline=None)
def test_any_bad_item_anywhere_is_named_and_nothing_is_sent(
    ids: list[str], bad: object, data: st.DataObject
) -> None:
    at = data.draw(st.integers(min_value=0, max_value=len(ids)), label="at")
    given_ids: list[object] = [*ids[:at], bad, *ids[at:]]
    braze = fake_time(BrazeClient("key", rest_endpoint="US-01", retry=NO_RETRY), sleep=_no_sleep)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.post(BRAZE_URL + "/users/delete", json={"deleted": 1})
        mock.post(BRAZE_URL + "/campaigns/trigger/send", json={"dispatch_id": "d"})
        with pytest.raises(ValidationError) as deleting:
            braze.users.delete(external_ids=iter(given_ids))  # type: ignore[arg-type]
        with pytest.raises(ValidationError) as triggering:
            braze.campaigns.trigger_send("c1", given_ids)  # type: ignore[arg-type]
        assert len(mock.calls) == 0
    assert deleting.value.field == f"external_ids[{at}]"
    assert triggering.value.field == f"recipients[{at}]"


@given(value=st.one_of(st.text(max_size=40), st.binary(max_size=40)))
@settings(max_examples=40, deadline=None)
def test_any_bare_str_or_bytes_is_refused_where_a_list_belongs(value: str | bytes) -> None:
    braze = fake_time(BrazeClient("key", rest_endpoint="US-01", retry=NO_RETRY), sleep=_no_sleep)
    line = fake_time(LineClient("token", retry=NO_RETRY), sleep=_no_sleep)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        for kind in ("external_ids", "braze_ids"):
            arguments: dict[str, Any] = {kind: value}
            with pytest.raises(ValidationError) as info:
                braze.users.delete(**arguments)
            assert info.value.field == kind
        with pytest.raises(ValidationError) as info:
            line.messages.multicast(value, [HI])  # type: ignore[arg-type]
        assert info.value.field == "to"
        assert len(mock.calls) == 0


@given(value=st.one_of(st.none(), st.integers(), st.text(), st.floats(allow_nan=False)))
@settings(max_examples=40, deadline=None)
def test_anything_but_a_bool_is_refused_where_a_bool_belongs(value: object) -> None:
    line = fake_time(LineClient("token", retry=NO_RETRY), sleep=_no_sleep)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        with pytest.raises(ValidationError) as info:
            line.messages.push(USER, [HI], notification_disabled=value)  # type: ignore[arg-type]
        assert info.value.field == "notification_disabled"
        assert len(mock.calls) == 0
