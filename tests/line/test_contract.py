"""The wire form of every message model conforms to LINE's ``messaging-api.yml``.

Generic OpenAPI validators do not follow ``discriminator`` mappings (a ``Message`` with
``type: template`` is checked only against ``Message``'s own two properties) and allow
undefined properties, so they would pass almost anything. The small validator below resolves
``$ref``, merges ``allOf``, dispatches on ``discriminator`` mappings and refuses any property
the schema does not define.
"""

from __future__ import annotations

import copy
import functools
import urllib.parse
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from strategies import messages

from line_braze._wire import wire
from line_braze.line.models import (
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
)

SPEC = Path(__file__).resolve().parents[1] / "specs" / "line" / "messaging-api.yml"
PREFIX = "#/components/schemas/"
USER = "U" + "0123456789abcdef" * 2
PNG = "https://example.com/a.png"


class ContractError(AssertionError):
    pass


class SpecValidator:
    """Validate decoded JSON against a schema of the spec, following discriminators."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.schemas: dict[str, Any] = spec["components"]["schemas"]

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            ref = schema["$ref"]
            assert ref.startswith(PREFIX), ref
            schema = self.schemas[ref.removeprefix(PREFIX)]
        return schema

    def validate(self, value: Any, schema: dict[str, Any], path: str = "$") -> None:
        schema = self.resolve(schema)
        disc = schema.get("discriminator")
        if disc is not None:
            self._dispatch(value, disc, path)
        elif "allOf" in schema or "properties" in schema or schema.get("type") == "object":
            self._object(value, schema, path)
        else:
            self._scalar_or_array(value, schema, path)

    def _dispatch(self, value: Any, disc: dict[str, Any], path: str) -> None:
        if not isinstance(value, dict):
            raise ContractError(f"{path}: expected an object")
        tag = value.get(disc["propertyName"])
        target = disc["mapping"].get(tag)
        if target is None:
            raise ContractError(f"{path}.{disc['propertyName']}: {tag!r} is not in the mapping")
        self._object(value, self.resolve({"$ref": target}), path)

    def _merged(self, schema: dict[str, Any]) -> tuple[dict[str, Any], set[str], Any]:
        """Properties, required names and additionalProperties over the allOf chain."""
        props = dict(schema.get("properties", {}))
        required = set(schema.get("required", ()))
        extra = schema.get("additionalProperties")
        for part in schema.get("allOf", ()):
            p, r, e = self._merged(self.resolve(part))  # a parent's discriminator is ignored
            props.update(p)
            required |= r
            extra = extra if extra is not None else e
        return props, required, extra

    def _object(self, value: Any, schema: dict[str, Any], path: str) -> None:
        if not isinstance(value, dict):
            raise ContractError(f"{path}: expected an object, got {type(value).__name__}")
        props, required, extra = self._merged(schema)
        for name in sorted(required - value.keys()):
            raise ContractError(f"{path}.{name}: required")
        for key, item in value.items():
            if key in props:
                self.validate(item, props[key], f"{path}.{key}")
            elif isinstance(extra, dict):
                self.validate(item, extra, f"{path}.{key}")
            else:
                raise ContractError(f"{path}.{key}: not defined by the schema")

    def _scalar_or_array(self, value: Any, schema: dict[str, Any], path: str) -> None:
        kind = schema.get("type")
        checks = {
            "string": lambda v: isinstance(v, str),
            "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
            "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
            "boolean": lambda v: isinstance(v, bool),
            "array": lambda v: isinstance(v, list),
        }
        if kind is not None and not checks[kind](value):
            raise ContractError(f"{path}: expected {kind}, got {type(value).__name__}")
        if "enum" in schema and value not in schema["enum"]:
            raise ContractError(f"{path}: {value!r} not in {schema['enum']}")
        if kind == "string":
            if not schema.get("minLength", 0) <= len(value) <= schema.get("maxLength", len(value)):
                raise ContractError(f"{path}: length {len(value)} out of range")
            if schema.get("format") == "uri" and not urllib.parse.urlsplit(value).scheme:
                raise ContractError(f"{path}: not a URI")
        if kind == "array":
            if not schema.get("minItems", 0) <= len(value) <= schema.get("maxItems", len(value)):
                raise ContractError(f"{path}: {len(value)} items out of range")
            for i, item in enumerate(value):
                self.validate(item, schema.get("items", {}), f"{path}[{i}]")


@functools.cache
def _load() -> SpecValidator:
    yaml = pytest.importorskip("yaml")
    with SPEC.open(encoding="utf-8") as f:
        return SpecValidator(yaml.safe_load(f))


@pytest.fixture
def spec() -> SpecValidator:
    if not SPEC.is_file():
        pytest.fail("the vendored LINE specs are missing from tests/specs/line")
    return _load()


def schema(name: str) -> dict[str, Any]:
    return {"$ref": PREFIX + name}


# -- every message kind -------------------------------------------------------------------


def _all_actions() -> list[Any]:
    return [
        UriAction(label="Site", uri="https://example.com", alt_uri="https://example.com/pc"),
        PostbackAction(
            label="Buy", data="sku=1", display_text="Buy", input_option="openKeyboard",
            fill_in_text="note",
        ),
        DatetimePickerAction(
            label="When", data="d", mode="datetime", initial="2024-01-01T10:00",
            min="2024-01-01T00:00", max="2024-12-31T23:59",
        ),
    ]  # fmt: skip


QUICK = QuickReply(
    items=[
        QuickReplyItem(action=MessageAction(label="Hi", text="hi"), image_url=PNG),
        QuickReplyItem(action=PostbackAction(label="P", data="p", text="legacy")),
    ]
)
SENDER = Sender(name="Shop", icon_url=PNG)

EXAMPLES: dict[str, Message] = {
    "text+emoji": TextMessage(
        text="$ sale 🍎",
        emojis=[Emoji(index=0, product_id="5ac1bfd5040ab15980c9b435", emoji_id="001")],
        quote_token="qt",
        quick_reply=QUICK,
        sender=SENDER,
    ),
    "sticker": StickerMessage(package_id="446", sticker_id="1988", quick_reply=QUICK),
    "image": ImageMessage(original_content_url=PNG, preview_image_url=PNG, sender=SENDER),
    "carousel": TemplateMessage(
        alt_text="Catalogue",
        template=CarouselTemplate(
            columns=[
                CarouselColumn(
                    text=f"Item {i}",
                    title=f"T{i}",
                    thumbnail_image_url=PNG,
                    image_background_color="#FFFFFF",
                    default_action=UriAction(uri="https://example.com/d"),
                    actions=_all_actions(),
                )
                for i in range(3)
            ],
            image_aspect_ratio="square",
            image_size="contain",
        ),
        quick_reply=QUICK,
        sender=SENDER,
    ),
    "buttons": TemplateMessage(
        alt_text="Menu",
        template=ButtonsTemplate(
            text="Pick one",
            title="Menu",
            thumbnail_image_url=PNG,
            image_aspect_ratio="rectangle",
            image_size="cover",
            image_background_color="#000000",
            default_action=MessageAction(text="menu"),
            actions=[*_all_actions(), MessageAction(label="Msg", text="m")],
        ),
    ),
    "confirm": TemplateMessage(
        alt_text="Sure?",
        template=ConfirmTemplate(
            text="Sure?",
            actions=[MessageAction(label="Yes", text="yes"), MessageAction(label="No", text="no")],
        ),
    ),
}


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_each_message_kind_conforms(spec: SpecValidator, name: str) -> None:
    spec.validate(wire(EXAMPLES[name]), schema("Message"))


def test_a_push_body_of_five_conforms(spec: SpecValidator) -> None:
    body = {
        "to": USER,
        "messages": wire(list(EXAMPLES.values())[:5]),
        "notificationDisabled": True,
    }
    spec.validate(body, schema("PushMessageRequest"))


@settings(max_examples=40, deadline=None)
@given(messages())
def test_any_built_message_conforms(message: Message) -> None:
    if not SPEC.is_file():
        pytest.fail("the vendored LINE specs are missing from tests/specs/line")
    _load().validate(wire(message), schema("Message"))


# -- the validator is not a pushover ---------------------------------------------------------


def _carousel() -> dict[str, Any]:
    data: dict[str, Any] = copy.deepcopy(wire(EXAMPLES["carousel"]))
    return data


@pytest.mark.parametrize(
    ("mutate", "where"),
    [
        (lambda d: d.update(colour="red"), "$.colour: not defined"),
        (lambda d: d["template"].update(text="t"), "$.template.text: not defined"),
        (
            lambda d: d["template"]["columns"][0]["actions"][0].update(displayText="x"),
            "$.template.columns[0].actions[0].displayText: not defined",
        ),
        (lambda d: d.update(type="txt"), "$.type: 'txt' is not in the mapping"),
        (lambda d: d["template"].update(type="buttons"), "$.template.actions: required"),
        (
            lambda d: d["template"]["columns"][0]["actions"][0].update(type="launch"),
            "$.template.columns[0].actions[0].type: 'launch' is not in the mapping",
        ),
        (
            lambda d: d["template"]["columns"][0]["actions"][1].update(inputOption="x"),
            "inputOption: 'x' not in",
        ),
        (lambda d: d.pop("altText"), "$.altText: required"),
        (lambda d: d["quickReply"].update(items=[d["quickReply"]["items"][0]] * 14), "14 items"),
        (lambda d: d["sender"].update(name="n" * 21), "$.sender.name: length 21"),
        (lambda d: d["template"]["columns"][0].update(text=5), "expected string"),
    ],
)
def test_validator_rejects(spec: SpecValidator, mutate: Any, where: str) -> None:
    data = _carousel()
    spec.validate(data, schema("Message"))
    mutate(data)
    with pytest.raises(ContractError) as info:
        spec.validate(data, schema("Message"))
    assert where in str(info.value)
