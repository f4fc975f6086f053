"""Message models: wire forms, reading wire JSON back with paths, request checks, hygiene."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from typing import Any

import attrs
import cattrs
import pytest

from line_braze._wire import WireError, converter, describe, strict_converter, wire
from line_braze.errors import ValidationError
from line_braze.line._count import graphemes, utf16_len
from line_braze.line.models import (
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

GO = UriAction(label="Go", uri="https://example.com/go")
YES = MessageAction(label="Yes", text="yes")
NO = MessageAction(label="No", text="no")
PNG = "https://example.com/a.png"
MESSAGE: Any = Message  # a union, which mypy does not take as a type[T]


def raises_at(field: str) -> Any:
    """Expect a ValidationError whose field is exactly ``field``."""
    return pytest.raises(ValidationError, match=rf"^{_escape(field)}: ")


def _escape(text: str) -> str:
    return "".join("\\" + c if c in "[].()" else c for c in text)


# -- wire forms ------------------------------------------------------------------------------


class TestWireForms:
    def test_text_with_emoji_quick_reply_and_sender(self) -> None:
        msg = TextMessage(
            text="$ sale",
            emojis=[Emoji(index=0, product_id="5ac1bfd5040ab15980c9b435", emoji_id="001")],
            quick_reply=QuickReply(items=[QuickReplyItem(action=YES, image_url=PNG)]),
            sender=Sender(name="Shop", icon_url=PNG),
        )
        assert wire(msg) == {
            "type": "text",
            "text": "$ sale",
            "emojis": [{"index": 0, "productId": "5ac1bfd5040ab15980c9b435", "emojiId": "001"}],
            "quickReply": {
                "items": [
                    {
                        "type": "action",
                        "action": {"type": "message", "label": "Yes", "text": "yes"},
                        "imageUrl": PNG,
                    }
                ]
            },
            "sender": {"name": "Shop", "iconUrl": PNG},
        }

    def test_optional_fields_are_omitted_not_null(self) -> None:
        assert wire(TextMessage(text="Hi")) == {"type": "text", "text": "Hi"}
        assert wire(Sender()) == {}

    def test_sticker_and_image(self) -> None:
        assert wire(StickerMessage(package_id="446", sticker_id="1988")) == {
            "type": "sticker",
            "packageId": "446",
            "stickerId": "1988",
        }
        assert wire(ImageMessage(original_content_url=PNG, preview_image_url=PNG)) == {
            "type": "image",
            "originalContentUrl": PNG,
            "previewImageUrl": PNG,
        }

    def test_every_template_and_action_carries_its_type(self) -> None:
        picker = DatetimePickerAction(label="When", data="d", mode="date", initial="2024-01-02")
        post = PostbackAction(label="Buy", data="sku=1", display_text="Buy")
        carousel = CarouselTemplate(
            columns=[CarouselColumn(text="a", actions=[GO, picker, post], default_action=GO)],
            image_aspect_ratio="square",
        )
        body = wire(TemplateMessage(alt_text="alt", template=carousel))
        assert body["type"] == "template"
        assert body["altText"] == "alt"
        assert body["template"]["type"] == "carousel"
        assert body["template"]["imageAspectRatio"] == "square"
        column = body["template"]["columns"][0]
        assert [a["type"] for a in column["actions"]] == ["uri", "datetimepicker", "postback"]
        assert column["actions"][1] == {
            "type": "datetimepicker",
            "label": "When",
            "data": "d",
            "mode": "date",
            "initial": "2024-01-02",
        }
        assert column["actions"][2]["displayText"] == "Buy"
        assert column["defaultAction"]["type"] == "uri"
        assert wire(ButtonsTemplate(text="t", actions=[GO]))["type"] == "buttons"
        assert wire(ConfirmTemplate(text="t", actions=[YES, NO]))["type"] == "confirm"

    def test_alt_uri_takes_a_string_and_writes_an_object(self) -> None:
        action = UriAction(label="Open", uri="https://m.example", alt_uri="https://d.example")
        assert action.alt_uri == AltUri(desktop="https://d.example")
        assert wire(action)["altUri"] == {"desktop": "https://d.example"}

    def test_wire_is_json(self) -> None:
        msg = TemplateMessage(alt_text="ü🍎", template=ConfirmTemplate(text="?", actions=[YES, NO]))
        assert json.loads(json.dumps(wire([msg]))) == wire([msg])

    def test_sequences_become_tuples_from_any_iterable(self) -> None:
        both: list[Action] = [GO, YES]
        template = ButtonsTemplate(text="t", actions=(a for a in both))
        assert template.actions == (GO, YES)
        assert QuickReply(items=[QuickReplyItem(action=YES)]).items == (QuickReplyItem(action=YES),)
        assert TextMessage(text="x", emojis=[]).emojis is None

    def test_models_are_frozen_hashable_and_compare_by_value(self) -> None:
        a, b = TextMessage(text="Hi"), TextMessage(text="Hi")
        assert a == b
        assert hash(a) == hash(b)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            a.text = "x"  # type: ignore[misc]

    def test_type_is_not_a_constructor_argument_and_not_in_repr(self) -> None:
        with pytest.raises(TypeError):
            TextMessage(text="x", type="image")  # type: ignore[call-arg]
        assert repr(TextMessage(text="Hi")) == (
            "TextMessage(text='Hi', emojis=None, quote_token=None, quick_reply=None, sender=None)"
        )

    def test_rich_and_html_show_the_repr_fields(self) -> None:
        msg = TextMessage(text="<b>Hi</b>")
        assert dict(msg.__rich_repr__())["text"] == "<b>Hi</b>"
        html = msg._repr_html_()
        assert "&lt;b&gt;Hi&lt;/b&gt;" in html
        assert "<b>Hi" not in html


# -- reading wire JSON ---------------------------------------------------------------------


class TestFromWire:
    def test_reads_every_kind(self) -> None:
        data = [
            {"type": "text", "text": "Hi", "quoteToken": "q1"},
            {"type": "sticker", "packageId": "446", "stickerId": "1988"},
            {"type": "image", "originalContentUrl": PNG, "previewImageUrl": PNG},
            {
                "type": "template",
                "altText": "a",
                "template": {
                    "type": "buttons",
                    "text": "t",
                    "title": "T",
                    "actions": [{"type": "uri", "label": "Go", "uri": "https://example.com/go"}],
                },
            },
        ]
        got = messages_from_wire(data)
        assert got[0] == TextMessage(text="Hi", quote_token="q1")
        assert got[1] == StickerMessage(package_id="446", sticker_id="1988")
        assert isinstance(got[3], TemplateMessage)
        assert got[3].template == ButtonsTemplate(text="t", title="T", actions=[GO])
        assert list(wire(list(got))) == data

    def test_quick_reply_item_type_may_be_absent(self) -> None:
        data = {
            "type": "text",
            "text": "x",
            "quickReply": {"items": [{"action": {"type": "message", "label": "a", "text": "a"}}]},
        }
        msg = message_from_wire(data)
        assert isinstance(msg, TextMessage)
        assert msg.quick_reply is not None

    def test_null_optional_reads_as_absent(self) -> None:
        assert message_from_wire({"type": "text", "text": "x", "sender": None}) == TextMessage(
            text="x"
        )

    @pytest.mark.parametrize(
        ("data", "field", "reason"),
        [
            ({"type": "fancy", "altText": "x"}, "messages[0].type", "unknown message type 'fancy'"),
            ({"text": "x"}, "messages[0].type", "is required"),
            ({"type": 5, "text": "x"}, "messages[0].type", "unknown message type"),
            ({"type": "text"}, "messages[0].text", "is required"),
            ({"type": "text", "text": "x", "colour": 1}, "messages[0].colour", "not a property"),
            ({"type": "text", "text": 5}, "messages[0].text", "must be a string, got a number"),
            ({"type": "text", "text": ""}, "messages[0].text", "must not be empty"),
            (
                {
                    "type": "text",
                    "text": "$",
                    "emojis": [{"index": "0", "productId": "p", "emojiId": "1"}],
                },
                "messages[0].emojis[0].index",
                "must be an integer, got a string",
            ),
            (
                {
                    "type": "text",
                    "text": "$",
                    "emojis": [{"index": True, "productId": "p", "emojiId": "1"}],
                },
                "messages[0].emojis[0].index",
                "must be an integer, got a boolean",
            ),
            (
                {"type": "text", "text": "x", "emojis": {"index": 0}},
                "messages[0].emojis",
                "must be an array",
            ),
            (
                {"type": "text", "text": "x", "quickReply": {"items": []}},
                "messages[0].quickReply.items",
                "must hold 1 to 13 items, got 0",
            ),
            (
                {"type": "sticker", "packageId": "446", "stickerId": "x"},
                "messages[0].stickerId",
                "digits",
            ),
            (
                {"type": "template", "altText": "a", "template": {"type": "image_carousel"}},
                "messages[0].template.columns",
                "is required",
            ),
            (
                {
                    "type": "template",
                    "altText": "a",
                    "template": {
                        "type": "confirm",
                        "text": "?",
                        "actions": [
                            {"type": "message", "label": "a", "text": "a"},
                            {"type": "camera", "label": "b"},
                        ],
                    },
                },
                "messages[0].template.actions[1]",
                "CameraAction works only in quick reply buttons",
            ),
            (
                {
                    "type": "template",
                    "altText": "a",
                    "template": {
                        "type": "buttons",
                        "text": "t",
                        "thumbnailImageUrl": "http://x.example/a.png",
                        "actions": [{"type": "uri", "label": "Go", "uri": "https://x.example"}],
                    },
                },
                "messages[0].template.thumbnailImageUrl",
                "must be an https URL",
            ),
            (
                {
                    "type": "template",
                    "altText": "a",
                    "template": {
                        "type": "buttons",
                        "text": "t",
                        "actions": [{"type": "uri", "uri": "https://x.example"}],
                    },
                },
                "messages[0].template.actions[0].label",
                "is required here",
            ),
            (
                {
                    "type": "text",
                    "text": "x",
                    "quickReply": {"items": [{"type": "link", "action": {}}]},
                },
                "messages[0].quickReply.items[0].type",
                "must be 'action'",
            ),
            ("hello", "messages[0]", "must be a message object, got a string"),
        ],
    )
    def test_errors_name_the_json_path(self, data: Any, field: str, reason: str) -> None:
        with pytest.raises(ValidationError) as info:
            message_from_wire(data)
        assert info.value.field == field
        assert reason in info.value.reason

    def test_limit_errors_are_renamed_to_camel_case_paths(self) -> None:
        column = {
            "text": "t",
            "actions": [{"type": "uri", "label": "Go", "uri": "https://x.example"}],
        }
        data = [
            {"type": "text", "text": "ok"},
            {
                "type": "template",
                "altText": "a",
                "template": {
                    "type": "carousel",
                    "columns": [{**column, "thumbnailImageUrl": PNG}, column],
                },
            },
        ]
        with raises_at("messages[1].template.columns[1].thumbnailImageUrl"):
            messages_from_wire(data)

    @pytest.mark.parametrize("data", [[], [{"type": "text", "text": "x"}] * 6, {}, "x", None])
    def test_the_array_holds_one_to_five(self, data: Any) -> None:
        with raises_at("messages"):
            messages_from_wire(data)

    def test_converters_use_the_same_checks(self) -> None:
        for conv in (converter, strict_converter):
            assert conv.structure({"type": "text", "text": "x"}, MESSAGE) == TextMessage(text="x")
            with pytest.raises(WireError) as unknown:
                conv.structure({"type": "hologram"}, MESSAGE)
            assert describe(unknown.value, "m")[0][0] == "m.type"
            with pytest.raises(cattrs.BaseValidationError) as bad:
                conv.structure({"type": "message", "label": "x" * 21, "text": "t"}, MessageAction)
            assert describe(bad.value, "a") == [
                ("a.label", "at most 20 characters (grapheme clusters), got 21")
            ]


# -- whole requests ------------------------------------------------------------------------


class TestCheckMessages:
    def test_accepts_one_to_five_and_returns_a_tuple(self) -> None:
        msgs = [TextMessage(text=str(i)) for i in range(5)]
        assert check_messages(iter(msgs)) == tuple(msgs)

    @pytest.mark.parametrize("count", [0, 6])
    def test_refuses_other_counts(self, count: int) -> None:
        with raises_at("messages"):
            check_messages([TextMessage(text="x")] * count)

    def test_refuses_a_bare_message_or_string(self) -> None:
        with raises_at("messages"):
            check_messages(TextMessage(text="x"))  # type: ignore[arg-type]
        with raises_at("messages"):
            check_messages("hello")  # type: ignore[arg-type]

    def test_refuses_dicts_with_a_hint(self) -> None:
        with pytest.raises(ValidationError) as info:
            check_messages([TextMessage(text="a"), {"type": "text", "text": "b"}])  # type: ignore[list-item]
        assert info.value.field == "messages[1]"
        assert "message_from_wire" in info.value.reason

    def test_revalidates_models_changed_behind_attrs_back(self) -> None:
        msg = TextMessage(text="ok")
        object.__setattr__(msg, "text", "x" * 5001)
        with raises_at("messages[0].text"):
            check_messages([msg])


# -- secrets and import cost -----------------------------------------------------------------

SECRET = "tok-MODELS-5ecret-778899"


class TestHygiene:
    def test_errors_never_echo_values(self, caplog: pytest.LogCaptureFixture) -> None:
        caplog.set_level(logging.DEBUG)
        attempts: list[Any] = [
            lambda: PostbackAction(label="x", data=SECRET * 30),
            lambda: TextMessage(text=SECRET * 300),
            lambda: UriAction(label="x", uri=f"ftp://{SECRET}"),
            lambda: ImageMessage(
                original_content_url=f"https://x/{SECRET} ", preview_image_url=PNG
            ),
            lambda: Sender(name=f"LINE {SECRET}"),
            lambda: message_from_wire({"type": "text", "text": "x", SECRET: 1}),
            lambda: message_from_wire({"type": SECRET * 3, "text": "x"}),
            lambda: message_from_wire({"type": "text", "text": "x", "sender": SECRET}),
            lambda: message_from_wire({"type": "sticker", "packageId": SECRET, "stickerId": "1"}),
            lambda: check_messages([{"text": SECRET}]),  # type: ignore[list-item]
        ]
        for attempt in attempts:
            with pytest.raises(ValidationError) as info:
                attempt()
            err = info.value
            for shown in (str(err), repr(err), err.field, err.reason, repr(err.args)):
                assert SECRET not in shown
        assert SECRET not in caplog.text

    def test_import_line_braze_loads_neither_models_nor_regex(self) -> None:
        code = (
            "import sys, line_braze, line_braze.line.messages; "
            "print('regex' in sys.modules, "
            "any(m.startswith('line_braze.line.models.') for m in sys.modules))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        assert out.split() == ["False", "False"]

    def test_models_load_regex_only_for_non_ascii(self) -> None:
        code = (
            "import sys; from line_braze.line.models import MessageAction as M; "
            "M(label='abc', text='x'); a = 'regex' in sys.modules; "
            "M(label='é' * 11, text='x'); print(a, 'regex' in sys.modules)"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        assert out.split() == ["False", "True"]


def test_counting_examples() -> None:
    assert (utf16_len("🍎"), graphemes("🍎")) == (2, 1)
    assert graphemes("👩‍❤️‍💋‍👨") == 1
    assert graphemes("🇯🇵🇰🇷") == 2
    assert graphemes("a\r\n") == 2
    assert utf16_len("\ud83c") == 1
