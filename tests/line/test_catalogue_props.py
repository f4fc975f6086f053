"""Property tests for the message families added with flex: built, written, read back, checked.

For each family (flex, imagemap, media and location, text v2, image carousel, quick-reply
actions) hypothesis builds valid models; every one round-trips through `to_wire`, JSON text
and `message_from_wire`, and conforms to LINE's vendored spec. Values pushed past a limit
raise `ValidationError` naming the field, before anything could be sent.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import actions, https_urls, labels, quick_replies, senders
from test_contract import _load, schema

from line_braze.errors import ValidationError
from line_braze.line import (
    AudioMessage,
    CameraAction,
    CameraRollAction,
    ClipboardAction,
    ClipboardImagemapAction,
    EmojiSubstitutionObject,
    FlexBox,
    FlexBubble,
    FlexButton,
    FlexCarousel,
    FlexFiller,
    FlexIcon,
    FlexImage,
    FlexMessage,
    FlexSeparator,
    FlexSpan,
    FlexText,
    ImageCarouselColumn,
    ImageCarouselTemplate,
    ImagemapArea,
    ImagemapBaseSize,
    ImagemapMessage,
    LocationAction,
    LocationMessage,
    MentionSubstitutionObject,
    Message,
    MessageImagemapAction,
    QuickReply,
    QuickReplyItem,
    TemplateMessage,
    TextMessageV2,
    URIImagemapAction,
    UserMentionTarget,
    VideoMessage,
    message_from_wire,
)

PROPS = settings(max_examples=30, deadline=None)
_spaces = st.sampled_from(["none", "xs", "sm", "md", "lg", "xl", "xxl", "4px", "12.5px"])
_offsets = st.sampled_from(["none", "md", "10px", "5%"])
_colors = st.from_regex(r"#[0-9A-Fa-f]{6}([0-9A-Fa-f]{2})?", fullmatch=True)
_font = st.sampled_from(["xxs", "sm", "md", "xl", "5xl", "16px"])
_short = st.text(min_size=1, max_size=30)


def _opt(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


def _tap_actions() -> st.SearchStrategy[Any]:
    return actions() | st.builds(ClipboardAction, label=labels(), clipboard_text=_short)


_spans = st.builds(
    FlexSpan,
    text=_short,
    size=_opt(_font),
    color=_opt(_colors),
    weight=_opt(st.sampled_from(["regular", "bold"])),
    style=_opt(st.sampled_from(["normal", "italic"])),
    decoration=_opt(st.sampled_from(["none", "underline", "line-through"])),
)
_texts = st.builds(
    FlexText,
    text=_short,
    contents=_opt(st.lists(_spans, min_size=1, max_size=3)),
    flex=_opt(st.integers(0, 5)),
    size=_opt(_font),
    color=_opt(_colors),
    wrap=_opt(st.booleans()),
    margin=_opt(_spaces),
    offset_top=_opt(_offsets),
    max_lines=_opt(st.integers(0, 10)),
)
_images = st.builds(
    FlexImage,
    url=https_urls(),
    size=_opt(st.sampled_from(["full", "md", "50%", "120px"])),
    aspect_ratio=_opt(st.sampled_from(["1:1", "20:13", "1:3", "1.51:1"])),
    aspect_mode=_opt(st.sampled_from(["fit", "cover"])),
    background_color=_opt(_colors),
    animated=_opt(st.booleans()),
)
_buttons = st.builds(
    FlexButton,
    action=_tap_actions(),
    style=_opt(st.sampled_from(["primary", "secondary", "link"])),
    height=_opt(st.sampled_from(["md", "sm"])),
    color=_opt(_colors),
)
_icons = st.builds(FlexIcon, url=https_urls(), size=_opt(_font))
_leaves = st.one_of(_texts, _images, _buttons, st.builds(FlexSeparator), st.builds(FlexFiller))
_baseline = st.builds(
    FlexBox,
    layout=st.just("baseline"),
    contents=st.lists(st.one_of(_texts, _icons, st.builds(FlexFiller)), max_size=3),
)


def _boxes(children: st.SearchStrategy[Any]) -> st.SearchStrategy[FlexBox]:
    return st.builds(
        FlexBox,
        layout=st.sampled_from(["horizontal", "vertical"]),
        contents=st.lists(children | _baseline, max_size=3),
        spacing=_opt(_spaces),
        padding_all=_opt(st.sampled_from(["md", "10px", "5%"])),
        corner_radius=_opt(_spaces),
        background_color=_opt(_colors),
        justify_content=_opt(st.sampled_from(["center", "flex-start", "space-between"])),
    )


_box_trees = st.recursive(_leaves, _boxes, max_leaves=8).filter(lambda c: isinstance(c, FlexBox))
_bubbles = st.builds(
    FlexBubble,
    size=_opt(st.sampled_from(["nano", "micro", "kilo", "mega", "giga"])),
    direction=_opt(st.sampled_from(["ltr", "rtl"])),
    header=_opt(_box_trees),
    hero=_opt(_images),
    body=_opt(_box_trees),
    footer=_opt(_box_trees),
)


def flex_messages() -> st.SearchStrategy[FlexMessage]:
    contents = _bubbles | st.builds(
        FlexCarousel, contents=st.lists(_bubbles, min_size=1, max_size=3)
    )
    return st.builds(
        FlexMessage,
        alt_text=_short,
        contents=contents,
        quick_reply=_opt(quick_replies()),
        sender=_opt(senders()),
    )


@st.composite
def imagemap_messages(draw: st.DrawFn) -> ImagemapMessage:
    height = draw(st.integers(10, 2000))

    def area() -> st.SearchStrategy[ImagemapArea]:
        return st.integers(0, 1039).flatmap(
            lambda x: st.integers(0, height - 1).flatmap(
                lambda y: st.builds(
                    ImagemapArea,
                    x=st.just(x),
                    y=st.just(y),
                    width=st.integers(1, 1040 - x),
                    height=st.integers(1, height - y),
                )
            )
        )

    action = st.one_of(
        st.builds(URIImagemapAction, link_uri=https_urls(), area=area(), label=_opt(_short)),
        st.builds(MessageImagemapAction, text=_short, area=area()),
        st.builds(ClipboardImagemapAction, clipboard_text=_short, area=area()),
    )
    return ImagemapMessage(
        base_url=draw(https_urls()),
        alt_text=draw(_short),
        base_size=ImagemapBaseSize(width=1040, height=height),
        actions=draw(st.lists(action, max_size=5)),
    )


def media_messages() -> st.SearchStrategy[Message]:
    return st.one_of(
        st.builds(
            VideoMessage,
            original_content_url=https_urls(),
            preview_image_url=https_urls(),
            tracking_id=_opt(
                st.from_regex(r"[A-Za-z0-9\-.=,+*()%$&;:@{}!?<>\[\]]{1,100}", fullmatch=True)
            ),
        ),
        st.builds(AudioMessage, original_content_url=https_urls(), duration=st.integers(1, 10**9)),
        st.builds(
            LocationMessage,
            title=_short,
            address=_short,
            latitude=st.floats(-90, 90),
            longitude=st.floats(-180, 180),
        ),
    )


@st.composite
def text_v2_messages(draw: st.DrawFn) -> TextMessageV2:
    keys = draw(
        st.lists(st.from_regex(r"[a-z][a-z0-9]{0,8}", fullmatch=True), unique=True, max_size=4)
    )
    subs: dict[str, Any] = {}
    for key in keys:
        subs[key] = draw(
            st.builds(EmojiSubstitutionObject, product_id=_short, emoji_id=_short)
            | st.builds(
                MentionSubstitutionObject,
                mentionee=st.builds(UserMentionTarget, user_id=st.just("U" + "a" * 32)),
            )
        )
    text = draw(_short) + "".join(f" {{{key}}}" for key in keys)
    return TextMessageV2(text=text, substitution=subs or None)


def image_carousels() -> st.SearchStrategy[TemplateMessage]:
    column = st.builds(
        ImageCarouselColumn,
        image_url=https_urls(),
        action=actions().filter(lambda a: a.label is None or len(a.label) <= 12),
    )
    return st.builds(
        TemplateMessage,
        alt_text=_short,
        template=st.builds(
            ImageCarouselTemplate, columns=st.lists(column, min_size=1, max_size=10)
        ),
    )


def quick_reply_actions() -> st.SearchStrategy[Message]:
    item = st.one_of(
        st.builds(CameraAction, label=labels()),
        st.builds(CameraRollAction, label=labels()),
        st.builds(LocationAction, label=labels()),
        st.builds(ClipboardAction, label=labels(), clipboard_text=_short),
    ).map(lambda a: QuickReplyItem(action=a))
    return st.builds(
        LocationMessage,
        title=_short,
        address=_short,
        latitude=st.just(0.0),
        longitude=st.just(0.0),
        quick_reply=st.builds(QuickReply, items=st.lists(item, min_size=1, max_size=13)),
    )


FAMILIES = {
    "flex": flex_messages(),
    "imagemap": imagemap_messages(),
    "media and location": media_messages(),
    "text v2": text_v2_messages(),
    "image carousel": image_carousels(),
    "quick reply actions": quick_reply_actions(),
}


@pytest.mark.parametrize("family", list(FAMILIES))
def test_each_family_round_trips_and_conforms(family: str) -> None:
    spec = _load()

    @PROPS
    @given(FAMILIES[family])
    def check(message: Message) -> None:
        data = message.to_wire()
        assert message_from_wire(json.loads(json.dumps(data))) == message
        assert message_from_wire(data).to_wire() == data
        spec.validate(data, schema("Message"))

    check()


@PROPS
@given(flex_messages(), st.integers(1501, 3000))
def test_flex_alt_text_past_the_limit_is_refused(message: FlexMessage, size: int) -> None:
    with pytest.raises(ValidationError, match=r"^alt_text: at most 1500"):
        FlexMessage(alt_text="a" * size, contents=message.contents)


@PROPS
@given(st.integers(13, 30))
def test_more_than_twelve_bubbles_are_refused(count: int) -> None:
    with pytest.raises(
        ValidationError, match=rf"^contents: must hold 1 to 12 bubbles, got {count}"
    ):
        FlexCarousel(contents=[FlexBubble()] * count)


@PROPS
@given(st.text(max_size=8).filter(lambda v: v not in {"none", "xs", "sm", "md", "lg", "xl", "xxl"}))
def test_a_margin_that_is_no_keyword_or_pixels_is_refused(value: str) -> None:
    if value.endswith("px") and value[:-2].replace(".", "", 1).isdigit():
        return
    with pytest.raises(ValidationError, match=r"^margin: must be one of"):
        FlexText(text="a", margin=value)


@PROPS
@given(imagemap_messages(), st.integers(1, 500))
def test_an_area_outside_the_image_is_refused(message: ImagemapMessage, past: int) -> None:
    height = message.base_size.height
    area = ImagemapArea(x=0, y=0, width=1040, height=height + past)
    with pytest.raises(ValidationError, match=r"^actions\[0\]\.area: must lie inside"):
        ImagemapMessage(
            base_url=message.base_url,
            alt_text="a",
            base_size=message.base_size,
            actions=[MessageImagemapAction(text="a", area=area)],
        )


@PROPS
@given(flex_messages())
def test_a_wrong_json_type_anywhere_names_its_camel_case_path(message: FlexMessage) -> None:
    data = message.to_wire()
    data["contents"]["type"] = 7
    with pytest.raises(ValidationError) as info:
        message_from_wire(data)
    assert info.value.field == "messages[0].contents.type"
