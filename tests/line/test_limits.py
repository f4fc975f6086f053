"""Every LIMITS.md section-2 limit on message objects: at the limit passes, one past raises.

Each check names the field. Character limits are tested in the unit LINE counts in: UTF-16
code units (text, altText, sender name, postback data) or grapheme clusters (labels, action
texts, template titles and texts), with astral emoji, combining marks and ZWJ sequences.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import messages

from line_braze._wire import strict_converter, wire
from line_braze.errors import ValidationError
from line_braze.line._count import graphemes, utf16_len
from line_braze.line.models import (
    ALT_URI_MAX,
    URI_MAX,
    Action,
    AltUri,
    ButtonsTemplate,
    CarouselColumn,
    CarouselTemplate,
    ConfirmTemplate,
    DatetimePickerAction,
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
    check_messages,
    message_from_wire,
    messages_from_wire,
)

FAST = settings(max_examples=60, deadline=None)
GO = UriAction(label="Go", uri="https://example.com")
YES = MessageAction(label="Yes", text="y")
PNG = "https://example.com/a.png"
APPLE = "🍎"  # 2 UTF-16 units, 1 grapheme
FAMILY = "👨‍👩‍👧"  # 8 UTF-16 units, 1 grapheme
ACUTE_E = "e\u0301"  # 2 code points, 1 grapheme
MESSAGE: Any = Message
NO_DOLLAR = st.characters(codec="utf-8", exclude_characters="$")


def fails(field: str, build: Callable[..., object], *args: Any, **kwargs: Any) -> ValidationError:
    """Call ``build(*args, **kwargs)``; expect a ValidationError naming exactly ``field``."""
    with pytest.raises(ValidationError) as info:
        build(*args, **kwargs)
    assert info.value.field == field, str(info.value)
    return info.value


def url(length: int, prefix: str = "https://example.com/") -> str:
    return prefix + "a" * (length - len(prefix))


# -- counting ------------------------------------------------------------------------------


@FAST
@given(st.text())
def test_utf16_len_matches_the_encoding(text: str) -> None:
    assert utf16_len(text) == len(text.encode("utf-16-le")) // 2
    assert utf16_len(text) == sum(2 if ord(c) > 0xFFFF else 1 for c in text)


@FAST
@given(st.lists(st.tuples(st.sampled_from("aeoxyzAÉж中"), st.text("\u0300\u0301\u0308\u20dd"))))
def test_combining_marks_join_their_base(parts: list[tuple[str, str]]) -> None:
    text = "".join(base + marks for base, marks in parts)
    assert graphemes(text) == len(parts)


@FAST
@given(st.lists(st.sampled_from([FAMILY, "🏳️‍🌈", "👍🏽", "🇯🇵", APPLE, "a", "\r\n", ACUTE_E])))
def test_emoji_sequences_are_one_cluster_each(parts: list[str]) -> None:
    assert graphemes("".join(parts)) == len(parts)


# -- text message ----------------------------------------------------------------------------


@FAST
@given(st.text(min_size=1, max_size=200))
def test_text_is_5000_utf16_units(tail: str) -> None:
    pad = "a" * (5000 - utf16_len(tail))
    assert TextMessage(text=pad + tail).text.endswith(tail)
    err = fails("text", lambda: TextMessage(text=pad + "a" + tail))
    assert "5001" in err.reason


def test_text_limits_fixed_cases() -> None:
    TextMessage(text=APPLE * 2500)
    fails("text", lambda: TextMessage(text=APPLE * 2500 + "a"))
    fails("text", lambda: TextMessage(text=""))
    fails("text", lambda: TextMessage(text="\ud83c"))  # lone surrogate: not UTF-8
    fails("text", lambda: TextMessage(text=5))  # type: ignore[arg-type]


def _emoji(index: int) -> Emoji:
    return Emoji(index=index, product_id="5ac1bfd5040ab15980c9b435", emoji_id="001")


def test_at_most_20_emoji() -> None:
    text = "$" * 21
    TextMessage(text=text, emojis=[_emoji(i) for i in range(20)])
    fails("emojis", lambda: TextMessage(text=text, emojis=[_emoji(i) for i in range(21)]))


@FAST
@given(st.text(NO_DOLLAR, max_size=30), st.text(NO_DOLLAR, max_size=10))
def test_emoji_index_is_the_utf16_position_of_a_dollar(before: str, after: str) -> None:
    text = before + "$" + after
    at = utf16_len(before)
    TextMessage(text=text, emojis=[_emoji(at)])
    if utf16_len(before) != len(before):  # astral characters before it: code points differ
        fails("emojis[0].index", lambda: TextMessage(text=text, emojis=[_emoji(len(before))]))
    fails("emojis[0].index", lambda: TextMessage(text=text, emojis=[_emoji(at + 1)]))


def test_emoji_index_rules() -> None:
    fails("emojis[1].index", lambda: TextMessage(text="$$", emojis=[_emoji(1), _emoji(1)]))
    fails("index", lambda: _emoji(-1))
    fails("product_id", lambda: Emoji(index=0, product_id="", emoji_id="1"))
    fails("emoji_id", lambda: Emoji(index=0, product_id="p", emoji_id=""))


def test_sticker_ids_are_digit_strings() -> None:
    StickerMessage(package_id="446", sticker_id="1988")
    fails("package_id", lambda: StickerMessage(package_id="", sticker_id="1"))
    fails("sticker_id", lambda: StickerMessage(package_id="1", sticker_id="12a"))
    fails("sticker_id", lambda: StickerMessage(package_id="1", sticker_id="١٢"))  # Arabic digits
    fails("sticker_id", lambda: StickerMessage(package_id="1", sticker_id=12))  # type: ignore[arg-type]


# -- image URLs ------------------------------------------------------------------------------

IMAGE_URL_FIELDS: list[tuple[str, Callable[[str], object]]] = [
    ("original_content_url", lambda u: ImageMessage(original_content_url=u, preview_image_url=PNG)),
    ("preview_image_url", lambda u: ImageMessage(original_content_url=PNG, preview_image_url=u)),
    (
        "thumbnail_image_url",
        lambda u: CarouselColumn(text="t", actions=[GO], thumbnail_image_url=u),
    ),
    (
        "thumbnail_image_url",
        lambda u: ButtonsTemplate(text="t", actions=[GO], thumbnail_image_url=u),
    ),
    ("image_url", lambda u: QuickReplyItem(action=YES, image_url=u)),
    ("icon_url", lambda u: Sender(icon_url=u)),
]


@pytest.mark.parametrize(("field", "build"), IMAGE_URL_FIELDS)
def test_image_urls_are_https_and_at_most_2000(field: str, build: Callable[[str], object]) -> None:
    build(url(2000))
    assert "2001" in fails(field, lambda: build(url(2001))).reason
    for bad in (
        "http://example.com/a.png",
        "ftp://example.com/a.png",
        "example.com/a.png",
        "https:///a.png",
        "https://example.com/a b.png",
        "https://example.com/画像.png",
        "",
    ):
        fails(field, build, bad)
    build("HTTPS://example.com/%E7%94%BB.png")


# -- template message and templates ----------------------------------------------------------

CONFIRM = ConfirmTemplate(text="?", actions=[YES, YES])


def test_alt_text_is_1_to_400_utf16_units() -> None:
    TemplateMessage(alt_text="a" * 400, template=CONFIRM)
    TemplateMessage(alt_text=APPLE * 200, template=CONFIRM)
    fails("alt_text", lambda: TemplateMessage(alt_text="a" * 401, template=CONFIRM))
    fails("alt_text", lambda: TemplateMessage(alt_text=APPLE * 200 + "a", template=CONFIRM))
    fails("alt_text", lambda: TemplateMessage(alt_text="", template=CONFIRM))


def test_template_must_be_a_template_model() -> None:
    fails("template", lambda: TemplateMessage(alt_text="a", template={"type": "confirm"}))  # type: ignore[arg-type]


def column(
    text: str = "t", *, actions: int = 1, title: str | None = None, thumb: str | None = None
) -> CarouselColumn:
    return CarouselColumn(text=text, actions=[GO] * actions, title=title, thumbnail_image_url=thumb)


@pytest.mark.parametrize(
    ("unit", "width"), [("a", 1), (APPLE, 1), (FAMILY, 1), (ACUTE_E, 1), ("\r\n", 1)]
)
def test_carousel_column_limits_count_graphemes(unit: str, width: int) -> None:
    assert graphemes(unit) == width
    column(unit * 120)
    fails("text", lambda: column(unit * 121))
    column(unit * 60, title="T")
    fails("text", lambda: column(unit * 61, title="T"))
    column(unit * 60, thumb=PNG)
    fails("text", lambda: column(unit * 61, thumb=PNG))
    column(title=unit * 40)
    fails("title", lambda: column(title=unit * 41))


def test_carousel_columns_1_to_10_with_1_to_3_equal_actions() -> None:
    CarouselTemplate(columns=[column()] * 10)
    fails("columns", lambda: CarouselTemplate(columns=[column()] * 11))
    fails("columns", lambda: CarouselTemplate(columns=[]))
    column(actions=3)
    fails("actions", lambda: column(actions=4))
    fails("actions", lambda: column(actions=0))
    fails(
        "columns[2].actions",
        lambda: CarouselTemplate(columns=[column(actions=2), column(actions=2), column()]),
    )


def test_carousel_images_and_titles_are_all_or_none() -> None:
    CarouselTemplate(columns=[column(thumb=PNG, title="a"), column(thumb=PNG, title="b")])
    fails(
        "columns[1].thumbnail_image_url",
        lambda: CarouselTemplate(columns=[column(thumb=PNG), column()]),
    )
    fails("columns[0].title", lambda: CarouselTemplate(columns=[column(), column(title="x")]))


def test_carousel_and_buttons_options() -> None:
    fails("image_aspect_ratio", CarouselTemplate, columns=[column()], image_aspect_ratio="wide")
    fails("image_size", lambda: ButtonsTemplate(text="t", actions=[GO], image_size="fill"))  # type: ignore[arg-type]
    fails(
        "image_background_color",
        lambda: CarouselColumn(text="t", actions=[GO], image_background_color="white"),
    )
    ButtonsTemplate(text="t", actions=[GO], image_background_color="#A0b1C2")


@pytest.mark.parametrize("unit", ["a", APPLE, FAMILY, ACUTE_E])
def test_buttons_limits(unit: str) -> None:
    ButtonsTemplate(text=unit * 160, actions=[GO])
    fails("text", lambda: ButtonsTemplate(text=unit * 161, actions=[GO]))
    ButtonsTemplate(text=unit * 60, actions=[GO], title="T")
    fails("text", lambda: ButtonsTemplate(text=unit * 61, actions=[GO], title="T"))
    fails("text", lambda: ButtonsTemplate(text=unit * 61, actions=[GO], thumbnail_image_url=PNG))
    ButtonsTemplate(text="t", actions=[GO], title=unit * 40)
    fails("title", lambda: ButtonsTemplate(text="t", actions=[GO], title=unit * 41))


def test_buttons_take_1_to_4_actions() -> None:
    ButtonsTemplate(text="t", actions=[GO] * 4)
    fails("actions", lambda: ButtonsTemplate(text="t", actions=[GO] * 5))
    fails("actions", lambda: ButtonsTemplate(text="t", actions=[]))


@pytest.mark.parametrize("unit", ["a", APPLE, FAMILY])
def test_confirm_text_and_exactly_two_actions(unit: str) -> None:
    ConfirmTemplate(text=unit * 240, actions=[YES, YES])
    fails("text", lambda: ConfirmTemplate(text=unit * 241, actions=[YES, YES]))
    fails("actions", lambda: ConfirmTemplate(text="?", actions=[YES]))
    fails("actions", lambda: ConfirmTemplate(text="?", actions=[YES] * 3))


def test_template_actions_need_labels_default_action_does_not() -> None:
    bare = UriAction(uri="https://example.com")
    fails("actions[1].label", lambda: ButtonsTemplate(text="t", actions=[GO, bare]))
    fails("actions[0].label", lambda: ConfirmTemplate(text="?", actions=[bare, YES]))
    fails("actions[0].label", lambda: CarouselColumn(text="t", actions=[bare]))
    fails("action.label", lambda: QuickReplyItem(action=bare))
    CarouselColumn(text="t", actions=[GO], default_action=bare)
    fails("actions[0]", lambda: ButtonsTemplate(text="t", actions=["Go"]))  # type: ignore[list-item]


# -- actions ----------------------------------------------------------------------------------

LABELLED: list[Callable[[str], Action]] = [
    lambda label: UriAction(label=label, uri="https://example.com"),
    lambda label: MessageAction(label=label, text="t"),
    lambda label: PostbackAction(label=label, data="d"),
    lambda label: DatetimePickerAction(label=label, data="d", mode="date"),
]


@pytest.mark.parametrize("build", LABELLED)
@pytest.mark.parametrize("unit", ["a", APPLE, FAMILY, ACUTE_E, "\r\n"])
def test_labels_are_20_graphemes(build: Callable[[str], Action], unit: str) -> None:
    build(unit * 20)
    err = fails("label", lambda: build(unit * 21))
    assert "21" in err.reason
    fails("label", lambda: build(""))


@FAST
@given(
    st.lists(st.sampled_from(["a", APPLE, FAMILY, ACUTE_E, "中", "👍🏽"]), min_size=1, max_size=30)
)
def test_labels_property(clusters: list[str]) -> None:
    label = "".join(clusters)
    if len(clusters) <= 20:
        assert MessageAction(label=label, text="t").label == label
    else:
        fails("label", lambda: MessageAction(label=label, text="t"))


@pytest.mark.parametrize(
    ("field", "build"),
    [
        ("text", lambda v: MessageAction(label="l", text=v)),
        ("display_text", lambda v: PostbackAction(label="l", data="d", display_text=v)),
        ("text", lambda v: PostbackAction(label="l", data="d", text=v)),
        (
            "fill_in_text",
            lambda v: PostbackAction(
                label="l", data="d", input_option="openKeyboard", fill_in_text=v
            ),
        ),
    ],
)
@pytest.mark.parametrize("unit", ["a", FAMILY, ACUTE_E])
def test_action_texts_are_300_graphemes(
    field: str, build: Callable[[str], object], unit: str
) -> None:
    build(unit * 300)
    fails(field, lambda: build(unit * 301))


def test_message_action_text_is_required() -> None:
    fails("text", lambda: MessageAction(label="l", text=""))


def test_postback_data_is_300_utf16_units() -> None:
    builders: list[Callable[[str], object]] = [
        lambda d: PostbackAction(label="l", data=d),
        lambda d: DatetimePickerAction(label="l", data=d, mode="time"),
    ]
    for build in builders:
        build("")
        build("d" * 300)
        build(APPLE * 150)
        fails("data", build, "d" * 301)
        fails("data", build, APPLE * 150 + "d")


def test_postback_field_rules() -> None:
    fails("text", lambda: PostbackAction(label="l", data="d", text="a", display_text="b"))
    fails("fill_in_text", lambda: PostbackAction(label="l", data="d", fill_in_text="x"))
    fails("input_option", lambda: PostbackAction(label="l", data="d", input_option="open"))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "uri",
    [
        "http://example.com",
        "https://example.com/p?q=1#f",
        "line://nv/location",
        "tel:+81312345678",
        "LINE://app/1",
    ],
)
def test_uri_schemes_allowed(uri: str) -> None:
    UriAction(label="l", uri=uri)


@pytest.mark.parametrize(
    "uri",
    [
        "ftp://example.com",
        "javascript:alert(1)",
        "mailto:a@example.com",
        "example.com",
        "tel:",
        "https://",
        "https://e.x/a b",
    ],
)
def test_uri_schemes_refused(uri: str) -> None:
    fails("uri", lambda: UriAction(label="l", uri=uri))


def test_uri_length() -> None:
    UriAction(label="l", uri=url(URI_MAX))
    fails("uri", lambda: UriAction(label="l", uri=url(URI_MAX + 1)))
    AltUri(desktop=url(ALT_URI_MAX))
    fails("desktop", lambda: AltUri(desktop=url(ALT_URI_MAX + 1)))
    fails("desktop", lambda: AltUri(desktop="ftp://x"))


@pytest.mark.parametrize(
    ("mode", "good", "bad"),
    [
        ("date", "2100-12-31", ["2101-01-01", "1899-12-31", "2024-02-30", "2024-1-01", "24-01-01"]),
        ("time", "23:59", ["24:00", "9:00", "12:60", "12:00:00"]),
        ("datetime", "2024-01-01t00:00", ["2024-01-01 00:00", "2024-01-01", "2101-01-01T00:00"]),
    ],
)
def test_datetime_picker_formats(mode: Any, good: str, bad: list[str]) -> None:
    for field in ("initial", "max", "min"):
        DatetimePickerAction(label="l", data="d", mode=mode, **{field: good})
        for value in bad:
            fails(field, DatetimePickerAction, label="l", data="d", mode=mode, **{field: value})


def test_datetime_picker_order() -> None:
    DatetimePickerAction(
        label="l", data="d", mode="time", min="08:00", initial="08:00", max="09:00"
    )
    fails(
        "max",
        lambda: DatetimePickerAction(label="l", data="d", mode="time", min="09:00", max="09:00"),
    )
    fails(
        "initial",
        lambda: DatetimePickerAction(
            label="l", data="d", mode="time", initial="10:00", max="09:00"
        ),
    )
    fails("mode", lambda: DatetimePickerAction(label="l", data="d", mode="week"))  # type: ignore[arg-type]


# -- quick reply, sender, request ------------------------------------------------------------


def test_quick_reply_holds_1_to_13_items() -> None:
    item = QuickReplyItem(action=YES)
    QuickReply(items=[item] * 13)
    fails("items", lambda: QuickReply(items=[item] * 14))
    fails("items", lambda: QuickReply(items=[]))
    fails("items[0]", lambda: QuickReply(items=[YES]))  # type: ignore[list-item]


def test_sender_name_is_20_utf16_units_without_line() -> None:
    Sender(name="a" * 20)
    Sender(name=APPLE * 10)
    fails("name", lambda: Sender(name="a" * 21))
    fails("name", lambda: Sender(name=APPLE * 10 + "a"))
    fails("name", lambda: Sender(name=""))
    for reserved in ("LINE", "line shop", "My-Line", "LINE公式"):
        fails("name", Sender, name=reserved)
    Sender(name="Caroline")
    Sender(name="Online Shop")


def test_messages_per_request_are_1_to_5() -> None:
    one = TextMessage(text="x")
    check_messages([one] * 5)
    fails("messages", lambda: check_messages([one] * 6))
    fails("messages", lambda: check_messages([]))
    messages_from_wire([wire(one)] * 5)
    fails("messages", lambda: messages_from_wire([wire(one)] * 6))


# -- round trips ------------------------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(messages())
def test_wire_round_trip(message: Message) -> None:
    data = wire(message)
    assert data["type"] == message.type
    assert message_from_wire(data) == message
    assert strict_converter.structure(data, MESSAGE) == message


@settings(max_examples=25, deadline=None)
@given(st.lists(messages(), min_size=1, max_size=3), st.data())
def test_over_limit_label_is_reported_at_its_json_path(
    batch: list[Message], data: st.DataObject
) -> None:
    body = wire(batch)
    labelled = [
        (i, path, obj)
        for i, msg in enumerate(body)
        for path, obj in _labelled(msg, f"messages[{i}]")
    ]
    if not labelled:
        assert messages_from_wire(body) == tuple(batch)
        return
    _, path, obj = data.draw(st.sampled_from(labelled))
    obj["label"] = "x" * 21
    with pytest.raises(ValidationError) as info:
        messages_from_wire(body)
    assert info.value.field == f"{path}.label"


def _labelled(node: Any, path: str) -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        if "label" in node:
            found.append((path, node))
        for key, value in node.items():
            found.extend(_labelled(value, f"{path}.{key}"))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found.extend(_labelled(value, f"{path}[{i}]"))
    return found
