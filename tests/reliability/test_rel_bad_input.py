"""A catalogue of bad input and bad answers: each refused with its own typed error.

Client-side checks must refuse *before sending*: every case here runs against an emulator (or
a `responses` registry) and asserts that no request arrived. Server answers that cannot be
read (not JSON, truncated, a proxy's HTML page, empty) must come back as `ResponseError` or
the `APIError` of their status, never as a raw `requests`/`json` exception.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import responses

from line_braze import BrazeClient, Integration, IntegrationConfig, LineClient, RetryPolicy
from line_braze.braze.models import Attributes, Event, UserAlias
from line_braze.errors import (
    APIError,
    ConnectError,
    LineBrazeError,
    ResponseError,
    ServerError,
    TransportError,
    ValidationError,
)
from line_braze.line import (
    ButtonsTemplate,
    CarouselColumn,
    CarouselTemplate,
    ConfirmTemplate,
    Emoji,
    ImageMessage,
    Message,
    MessageAction,
    PostbackAction,
    QuickReply,
    QuickReplyItem,
    Sender,
    StickerMessage,
    TemplateMessage,
    TextMessage,
    UriAction,
)
from line_braze.testing import BrazeEmulator, LineEmulator, fake_time, follower_id

pytestmark = pytest.mark.reliability

USER = follower_id(0)
GO = UriAction(label="Go", uri="https://example.com/go")
HI = TextMessage(text="hi")
NO_RETRY = RetryPolicy(attempts=1)


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


def _carousel(columns: int) -> TemplateMessage:
    column = CarouselColumn(text="t", actions=[GO])
    return TemplateMessage(alt_text="alt", template=CarouselTemplate(columns=[column] * columns))


# -- LINE limits (LIMITS.md section 2) -------------------------------------------------------------

# (id, builder of the messages argument, the field the error must name)
LINE_MESSAGES: list[tuple[str, Callable[[], list[Any]], str]] = [
    ("text-5001-utf16", lambda: [TextMessage(text="a" * 5001)], "text"),
    ("text-emoji-5002-utf16", lambda: [TextMessage(text="\U0001f34e" * 2501)], "text"),
    ("text-empty", lambda: [TextMessage(text="")], "text"),
    (
        "emojis-21",
        lambda: [
            TextMessage(
                text="$" * 21,
                emojis=[
                    Emoji(index=i, product_id="5ac1bfd5040ab15980c9b435", emoji_id="001")
                    for i in range(21)
                ],
            )
        ],
        "emojis",
    ),
    (
        "alt-text-401",
        lambda: [TemplateMessage(alt_text="x" * 401, template=_carousel(1).template)],
        "alt_text",
    ),
    ("messages-6", lambda: [HI] * 6, "messages"),
    ("messages-0", list, "messages"),
    ("carousel-11-columns", lambda: [_carousel(11)], "columns"),
    (
        "carousel-column-actions-differ",
        lambda: [
            TemplateMessage(
                alt_text="a",
                template=CarouselTemplate(
                    columns=[
                        CarouselColumn(text="a", actions=[GO]),
                        CarouselColumn(text="b", actions=[GO, GO]),
                    ]
                ),
            )
        ],
        "columns[1].actions",
    ),
    ("carousel-4-actions", lambda: [CarouselColumn(text="a", actions=[GO] * 4)], "actions"),
    (
        "carousel-title-41",
        lambda: [CarouselColumn(title="t" * 41, text="a", actions=[GO])],
        "title",
    ),
    ("carousel-text-121", lambda: [CarouselColumn(text="a" * 121, actions=[GO])], "text"),
    (
        "carousel-text-61-with-title",
        lambda: [CarouselColumn(title="t", text="a" * 61, actions=[GO])],
        "text",
    ),
    ("label-21-graphemes", lambda: [UriAction(label="l" * 21, uri="https://e.x")], "label"),
    (
        "label-21-family-emoji-graphemes",
        lambda: [
            UriAction(label="\U0001f468\u200d\U0001f469\u200d\U0001f467" * 21, uri="https://e.x")
        ],
        "label",
    ),
    ("uri-javascript", lambda: [UriAction(label="x", uri="javascript:alert(1)")], "uri"),
    ("uri-ftp", lambda: [UriAction(label="x", uri="ftp://example.com/f")], "uri"),
    ("uri-10001", lambda: [UriAction(label="x", uri="https://e.x/" + "a" * 10_000)], "uri"),
    (
        "image-http",
        lambda: [
            ImageMessage(
                original_content_url="http://e.x/a.png", preview_image_url="https://e.x/p.png"
            )
        ],
        "original_content_url",
    ),
    (
        "image-url-2001",
        lambda: [
            ImageMessage(
                original_content_url="https://e.x/" + "a" * 1990,
                preview_image_url="https://e.x/p.png",
            )
        ],
        "original_content_url",
    ),
    ("postback-data-301", lambda: [PostbackAction(label="p", data="d" * 301)], "data"),
    (
        "message-action-text-301",
        lambda: [MessageAction(label="m", text="t" * 301)],
        "text",
    ),
    (
        "quick-reply-14",
        lambda: [
            QuickReply(items=[QuickReplyItem(action=MessageAction(label="m", text="t"))] * 14)
        ],
        "items",
    ),
    ("sender-name-21", lambda: [Sender(name="n" * 21)], "name"),
    (
        "confirm-3-actions",
        lambda: [ConfirmTemplate(text="?", actions=[MessageAction(label="m", text="t")] * 3)],
        "actions",
    ),
    ("buttons-5-actions", lambda: [ButtonsTemplate(text="b", actions=[GO] * 5)], "actions"),
    ("buttons-text-161", lambda: [ButtonsTemplate(text="b" * 161, actions=[GO])], "text"),
    ("sticker-empty-id", lambda: [StickerMessage(package_id="446", sticker_id="")], "sticker_id"),
    ("not-a-message", lambda: [{"type": "text", "text": "raw dict"}], "messages[0]"),
]


@pytest.mark.parametrize(
    ("build", "field"), [pytest.param(b, f, id=i) for i, b, f in LINE_MESSAGES]
)
def test_each_line_limit_is_refused_before_sending(
    line_world: tuple[LineClient, LineEmulator], build: Callable[[], list[Any]], field: str
) -> None:
    line, emulator = line_world
    with pytest.raises(ValidationError) as info:
        line.messages.push(USER, build())
    assert isinstance(info.value, ValueError)
    assert info.value.field.endswith(field), info.value.field
    assert emulator.request_count == 0


def test_limits_are_exact_the_largest_good_values_are_sent(
    line_world: tuple[LineClient, LineEmulator],
) -> None:
    line, emulator = line_world
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    good: list[Message] = [
        TextMessage(text="a" * 5000),
        TextMessage(text="\U0001f34e" * 2500),
        TemplateMessage(
            alt_text="x" * 400,
            template=CarouselTemplate(
                columns=[
                    CarouselColumn(text="t", actions=[UriAction(label=family * 20, uri="tel:1")])
                ]
                * 10
            ),
        ),
        TextMessage(text="ok"),
        TextMessage(text="five"),
    ]
    line.messages.push(USER, good)
    assert emulator.request_count == 1
    (push,) = emulator.pushes
    assert len(push.messages) == 5


# -- recipients ------------------------------------------------------------------------------------

BAD_RECIPIENTS: list[object] = [
    "",
    "U" + "0" * 31,
    "U" + "0" * 33,
    "U" + "A" * 32,
    "u" + "0" * 32,
    "X" + "0" * 32,
    " U" + "0" * 32,
    "someone@example.com",
    None,
    123,
]


@pytest.mark.parametrize("to", BAD_RECIPIENTS, ids=repr)
def test_a_bad_push_recipient_is_refused_before_sending(
    line_world: tuple[LineClient, LineEmulator], to: object
) -> None:
    line, emulator = line_world
    with pytest.raises(ValidationError) as info:
        line.messages.push(to, [HI])  # type: ignore[arg-type]
    assert info.value.field == "to"
    assert emulator.request_count == 0


@pytest.mark.parametrize(
    ("to", "field"),
    [
        pytest.param([], "to", id="empty"),
        pytest.param(USER, "to", id="a-string-not-a-list"),
        pytest.param([USER, "C" + "0" * 32], "to[1]", id="group-id"),
        pytest.param([USER, "R" + "0" * 32], "to[1]", id="room-id"),
        pytest.param([follower_id(i) for i in range(600)] + ["bad"], "to[600]", id="bad-late"),
    ],
)
def test_bad_multicast_recipients_are_refused_before_any_chunk(
    line_world: tuple[LineClient, LineEmulator], to: Any, field: str
) -> None:
    line, emulator = line_world
    with pytest.raises(ValidationError) as info:
        line.messages.multicast(to, [HI])
    assert info.value.field == field
    assert emulator.request_count == 0


def test_multicast_over_500_is_split_not_refused(
    line_world: tuple[LineClient, LineEmulator],
) -> None:
    line, emulator = line_world
    users = [follower_id(i) for i in range(1001)]
    result = line.messages.multicast(users, [HI])
    assert [len(c) for c in result.chunks] == [500, 500, 1]
    assert [len(p.to) for p in emulator.pushes] == [500, 500, 1]
    assert len({c.retry_key for c in result.chunks}) == 3


@pytest.mark.parametrize(
    ("call", "field"),
    [
        pytest.param(
            lambda line: line.messages.multicast(
                [follower_id(i) for i in range(501)],
                [HI],
                retry_key="123e4567-e89b-12d3-a456-426614174000",
            ),
            "retry_key",
            id="one-key-for-two-chunks",
        ),
        pytest.param(
            lambda line: line.messages.push(USER, [HI], retry_key="not-a-uuid"),
            "retry_key",
            id="key-not-a-uuid",
        ),
        pytest.param(lambda line: line.messages.reply("", [HI]), "reply_token", id="empty-reply"),
        pytest.param(
            lambda line: line.messages.validate([HI], kind="carousel"), "kind", id="validate-kind"
        ),
        pytest.param(lambda line: line.profiles.get("nobody"), "user_id", id="profile-id"),
        pytest.param(lambda line: line.followers.page(limit=1001), "limit", id="page-limit"),
        pytest.param(lambda line: line.followers.page(limit=0), "limit", id="page-limit-0"),
    ],
)
def test_other_line_arguments_are_refused_before_sending(
    line_world: tuple[LineClient, LineEmulator], call: Callable[[LineClient], object], field: str
) -> None:
    line, emulator = line_world
    with pytest.raises(ValidationError) as info:
        call(line)
    assert info.value.field == field
    assert emulator.request_count == 0


# -- Braze rules (FACTS.md) ------------------------------------------------------------------------

BRAZE_MODELS: list[tuple[str, Callable[[], object]]] = [
    ("external-id-988-bytes", lambda: Attributes(external_id="x" * 988)),
    ("external-id-990-utf8-bytes", lambda: Attributes(external_id="\u3042" * 330)),
    ("two-primary-ids", lambda: Attributes(external_id="u", braze_id="b")),
    ("no-identifier", lambda: Attributes(first_name="Ann")),
    ("event-no-name", lambda: Event(name="", external_id="u", time="2024-01-01T00:00:00Z")),
    (
        "event-naive-time",
        lambda: Event(name="e", external_id="u", time=__import__("datetime").datetime(2024, 1, 1)),
    ),
    (
        "alias-empty-label",
        lambda: Attributes(user_alias=UserAlias(alias_name="U1", alias_label="")),
    ),
]


@pytest.mark.parametrize("build", [pytest.param(b, id=i) for i, b in BRAZE_MODELS])
def test_each_braze_model_rule_is_refused_at_construction(build: Callable[[], object]) -> None:
    with pytest.raises(ValidationError):
        build()


def test_external_id_limit_is_987_utf8_bytes_exactly() -> None:
    assert Attributes(external_id="x" * 987).to_wire()["external_id"] == "x" * 987
    assert Attributes(external_id="\u3042" * 329).external_id == "\u3042" * 329  # 987 bytes


@pytest.mark.parametrize(
    ("obj", "reason"),
    [
        pytest.param({"external_id": "x" * 988}, "987 bytes", id="external-id-988"),
        pytest.param({"external_id": "u", "braze_id": "b"}, "more than one", id="two-ids"),
        pytest.param({"first_name": "Ann"}, "needs one of", id="no-id"),
        pytest.param({"external_id": ""}, "non-empty", id="empty-id"),
        pytest.param({"user_alias": {"alias_name": "U1"}}, "alias_label", id="alias-no-label"),
        pytest.param(["not", "a", "mapping"], "mapping", id="not-a-mapping"),
    ],
)
def test_a_bad_track_object_is_refused_by_the_client_and_never_sent(
    braze_world: tuple[BrazeClient, BrazeEmulator], obj: object, reason: str
) -> None:
    braze, emulator = braze_world
    result = braze.users.track(attributes=[obj])  # type: ignore[list-item]
    (error,) = result.errors
    assert (error.index, error.array, error.source) == (0, "attributes", "client")
    assert reason in error.reason
    assert result.requests == 0
    assert emulator.request_count == 0


def test_bad_events_are_refused_and_good_neighbours_still_go(
    braze_world: tuple[BrazeClient, BrazeEmulator],
) -> None:
    braze, emulator = braze_world
    good = {"external_id": "u1", "name": "e", "time": "2024-01-01T00:00:00Z"}
    result = braze.users.track(events=[good, {"external_id": "u1", "name": "e"}, good])
    assert [(e.index, e.reason) for e in result.errors] == [(1, "missing time")]
    assert result.events_processed == 2
    assert emulator.request_count == 1


def test_more_than_75_objects_are_split_never_sent_as_one_request(
    braze_world: tuple[BrazeClient, BrazeEmulator],
) -> None:
    braze, emulator = braze_world
    attrs_ = [{"external_id": f"u{n}", "n": n} for n in range(76)]
    events = [{"external_id": "u0", "name": "e", "time": "2024-01-01T00:00:00Z"}] * 76
    result = braze.users.track(attributes=attrs_, events=events)
    assert result.ok
    assert (result.attributes_processed, result.events_processed) == (76, 76)
    assert emulator.request_count == 3  # 152 objects, at most 75 combined per request
    assert emulator.stats["track_requests"] == 3


@pytest.mark.parametrize("batch_size", [0, 226])
def test_a_batch_size_braze_would_refuse_fails_at_construction(batch_size: int) -> None:
    with pytest.raises(ValidationError, match="batch_size"):
        BrazeClient("key", rest_endpoint="US-01", batch_size=batch_size)


BLOCK_CASES: list[tuple[str, dict[str, Any], str]] = [
    ("name-with-space", {"name": "LINE Channel"}, "name"),
    ("name-100-chars", {"name": "n" * 100}, "name"),
    ("name-empty", {"name": ""}, "name"),
    ("name-non-ascii", {"name": "\u540d\u524d"}, "name"),
    ("name-with-dot", {"name": "a.b"}, "name"),
    ("content-blank", {"content": "  \n"}, "content"),
    ("content-50kb", {"content": "x" * 50 * 1024}, "content"),
    ("content-50kb-utf8", {"content": "\u3042" * 17_067}, "content"),
    ("description-250", {"description": "d" * 250}, "description"),
    ("description-blank", {"description": "   "}, "description"),
    ("state-archived", {"state": "archived"}, "state"),
    ("tags-a-string", {"tags": "tag"}, "tags"),
]


@pytest.mark.parametrize(("change", "field"), [pytest.param(c, f, id=i) for i, c, f in BLOCK_CASES])
def test_each_content_block_rule_is_refused_before_sending(
    braze_world: tuple[BrazeClient, BrazeEmulator], change: dict[str, Any], field: str
) -> None:
    braze, emulator = braze_world
    args: dict[str, Any] = {"name": "Good_Name-1", "content": "token"} | change
    with pytest.raises(ValidationError) as info:
        braze.content_blocks.create(**args)
    assert info.value.field.startswith(field)
    if "content" in change:
        assert change["content"] not in str(info.value)
    assert emulator.request_count == 0
    assert emulator.content_blocks == []


def test_content_block_limits_are_exact(braze_world: tuple[BrazeClient, BrazeEmulator]) -> None:
    braze, emulator = braze_world
    braze.content_blocks.create(
        "n" * 99, "x" * (50 * 1024 - 1), description="d" * 249, state="draft"
    )
    (block,) = emulator.content_blocks
    assert (block.name, len(block.content), block.state) == ("n" * 99, 50 * 1024 - 1, "draft")


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda b: b.content_blocks.update("", content="x"), id="update-no-id"),
        pytest.param(lambda b: b.content_blocks.update("id"), id="update-nothing"),
        pytest.param(lambda b: b.content_blocks.get(""), id="get-no-id"),
        pytest.param(lambda b: b.content_blocks.find("bad name"), id="find-bad-name"),
        pytest.param(lambda b: list(b.content_blocks.list(page_size=1001)), id="list-page"),
    ],
)
def test_other_braze_arguments_are_refused_before_sending(
    braze_world: tuple[BrazeClient, BrazeEmulator], call: Callable[[BrazeClient], object]
) -> None:
    braze, emulator = braze_world
    with pytest.raises(ValidationError):
        call(braze)
    assert emulator.request_count == 0


@pytest.mark.parametrize(
    "config",
    [
        {"attribute": "line id"},
        {"attribute": "1line"},
        {"alias_label": ""},
        {"token_block": "LINE Channel AccessToken"},
        {"token_block": "x" * 100},
        {"page_size": 1001},
        {"page_size": 0},
    ],
    ids=repr,
)
def test_a_bad_integration_config_fails_at_construction(config: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as info:
        IntegrationConfig(**config)
    assert info.value.field.startswith("IntegrationConfig")


def test_link_refuses_bad_ids_before_sending(
    line_world: tuple[LineClient, LineEmulator], braze_world: tuple[BrazeClient, BrazeEmulator]
) -> None:
    line, line_emu = line_world
    braze, braze_emu = braze_world
    integ = Integration(line=line, braze=braze)
    with pytest.raises(ValidationError, match="line_id"):
        integ.link("not-a-line-id", "ext-1")
    with pytest.raises(ValidationError, match="external_id"):
        integ.link(USER, "")
    with pytest.raises(ValidationError, match="channel_secret"):
        integ.handle_webhook(b"{}", "sig")
    assert (line_emu.request_count, braze_emu.request_count) == (0, 0)


# -- bad endpoints and credentials -----------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://api.line.me",
        "http://10.0.0.1:8080",
        "ftp://api.line.me",
        "api.line.me",
        "https://",
        "not a url",
        "",
        "https://user:pw@api.line.me",
        "https://api.line.me/?debug=1",
        "https://api.line.me/#x",
        "http://[::1",
    ],
)
def test_a_bad_line_base_url_fails_at_construction(url: str) -> None:
    with pytest.raises(ValidationError) as info:
        LineClient("token", base_url=url)
    assert info.value.field == "base_url"
    assert ":pw@" not in str(info.value)


@pytest.mark.parametrize(
    "endpoint",
    [
        "",
        "US-99",
        "https://api.example.com",
        "http://rest.iad-01.braze.com",
        "https://rest.iad-01.braze.com.evil.example",
        "ftp://rest.iad-01.braze.com",
        "rest iad 01",
    ],
)
def test_a_bad_braze_rest_endpoint_fails_at_construction(endpoint: str) -> None:
    with pytest.raises(ValidationError) as info:
        BrazeClient("key", rest_endpoint=endpoint)
    assert info.value.field == "rest_endpoint"


@pytest.mark.parametrize(
    "token", ["", " S3cr3t-v4lue", "S3cr3t-v4lue\n", "\tS3cr3t v4lue\n"], ids=repr
)
def test_an_empty_or_padded_credential_fails_at_construction(token: str) -> None:
    with pytest.raises(ValidationError) as line_info:
        LineClient(token)
    with pytest.raises(ValidationError) as braze_info:
        BrazeClient(token, rest_endpoint="US-01")
    for info in (line_info, braze_info):
        if token.strip():
            assert token.strip() not in str(info.value)


def test_a_refused_connection_is_a_connect_error_not_a_requests_exception() -> None:
    emulator = LineEmulator().start()
    url = emulator.url
    emulator.stop()  # nothing listens on the port any more
    line = fake_time(
        LineClient("token", base_url=url, retry=RetryPolicy(attempts=2)), sleep=_no_sleep
    )
    with line, pytest.raises(TransportError) as info:
        line.messages.push(USER, [HI])
    assert isinstance(info.value, ConnectError)
    assert not info.value.may_have_taken_effect
    assert info.value.attempts == 2


# -- answers that cannot be read -------------------------------------------------------------------

LINE_URL = "https://api.line.me"
BRAZE_URL = "https://rest.iad-01.braze.com"
HTML_502 = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"

# (id, status, body, content type, the error class, words the message must carry)
ANSWERS: list[tuple[str, int, str, str, type[LineBrazeError], str]] = [
    ("non-json-200", 200, "hello world", "text/plain", ResponseError, "not JSON"),
    ("truncated-json-200", 200, '{"userIds":["U', "application/json", ResponseError, "not JSON"),
    ("empty-200", 200, "", "application/json", ResponseError, "empty"),
    ("json-list-200", 200, "[1,2]", "application/json", ResponseError, "list"),
    ("wrong-shape-200", 200, '{"userIds": 5}', "application/json", ResponseError, "userIds"),
    ("html-502-proxy", 502, HTML_502, "text/html", ServerError, "text/html"),
    ("empty-503", 503, "", "application/json", ServerError, "503"),
    ("truncated-json-500", 500, '{"message": "bo', "application/json", ServerError, "not JSON"),
    ("html-403-proxy", 403, "<html>denied</html>", "text/html", APIError, "403"),
]


@pytest.mark.parametrize(
    ("status", "body", "ctype", "error", "words"),
    [pytest.param(*a[1:], id=a[0]) for a in ANSWERS],
)
def test_an_unreadable_line_answer_is_a_typed_error(
    status: int, body: str, ctype: str, error: type[LineBrazeError], words: str
) -> None:
    line = fake_time(LineClient("token", retry=RetryPolicy(attempts=3)), sleep=_no_sleep)
    with responses.RequestsMock() as mock:
        mock.get(LINE_URL + "/v2/bot/followers/ids", body=body, status=status, content_type=ctype)
        with pytest.raises(error) as info:
            line.followers.page()
        calls = len(mock.calls)
    assert words in str(info.value)
    assert not body or body[:12] not in str(info.value)  # no raw body echoed
    expected_attempts = 3 if status in line.retry.retry_statuses else 1
    assert calls == expected_attempts
    if isinstance(info.value, APIError):
        assert info.value.status == status
        assert info.value.attempts == expected_attempts


@pytest.mark.parametrize(
    ("status", "body", "ctype", "error"),
    [
        pytest.param(200, "<html>ok?</html>", "text/html", ResponseError, id="html-200"),
        pytest.param(200, '{"content_block_id": "c', "application/json", ResponseError, id="cut"),
        pytest.param(502, HTML_502, "text/html", ServerError, id="html-502"),
    ],
)
def test_an_unreadable_braze_answer_is_a_typed_error(
    status: int, body: str, ctype: str, error: type[LineBrazeError]
) -> None:
    braze = fake_time(BrazeClient("key", rest_endpoint="US-01", retry=NO_RETRY), sleep=_no_sleep)
    with responses.RequestsMock() as mock:
        mock.get(BRAZE_URL + "/content_blocks/info", body=body, status=status, content_type=ctype)
        with pytest.raises(error):
            braze.content_blocks.get("c1")
        mock.post(BRAZE_URL + "/users/track", body=body, status=status, content_type=ctype)
        with pytest.raises(error):
            braze.users.track(attributes=[{"external_id": "u1", "a": 1}])


@pytest.mark.parametrize("kind", ["proxy_html", "truncated", "lost"])
def test_emulator_faults_surface_as_typed_errors(
    line_world: tuple[LineClient, LineEmulator], kind: Any
) -> None:
    line, emulator = line_world
    emulator.queue_fault(kind, path="/v2/bot/followers/ids")
    with pytest.raises(LineBrazeError) as info:
        line.followers.page()
    if kind == "proxy_html":
        assert isinstance(info.value, ServerError)
        assert info.value.status == 502
        assert "text/html" in str(info.value)
    else:
        assert isinstance(info.value, TransportError)
        assert info.value.may_have_taken_effect
