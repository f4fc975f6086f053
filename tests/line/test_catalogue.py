"""Every message kind LINE accepts: built by hand, read from LINE's JSON, checked, round-tripped.

The JSON examples are those of LINE's Messaging API reference (flex, imagemap, video, audio,
location, text v2, image carousel, quick reply); each is read with `message_from_wire`,
compared with the model built by hand, written back byte for byte, and validated against the
vendored ``messaging-api.yml``.
"""

# ruff: noqa: E501 - one limit per line reads best
from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from test_contract import SpecValidator, _load, schema

from line_braze.errors import ValidationError
from line_braze.line import (
    AllMentionTarget,
    AudioMessage,
    CameraAction,
    CameraRollAction,
    ClipboardAction,
    ClipboardImagemapAction,
    CouponMessage,
    EmojiSubstitutionObject,
    FlexBlockStyle,
    FlexBox,
    FlexBoxLinearGradient,
    FlexBubble,
    FlexBubbleStyles,
    FlexButton,
    FlexCarousel,
    FlexFiller,
    FlexIcon,
    FlexImage,
    FlexMessage,
    FlexSeparator,
    FlexSpan,
    FlexText,
    FlexVideo,
    ImageCarouselColumn,
    ImageCarouselTemplate,
    ImagemapArea,
    ImagemapBaseSize,
    ImagemapExternalLink,
    ImagemapMessage,
    ImagemapVideo,
    LocationAction,
    LocationMessage,
    MentionSubstitutionObject,
    Message,
    MessageAction,
    MessageImagemapAction,
    PostbackAction,
    QuickReply,
    QuickReplyItem,
    RichMenuSwitchAction,
    TemplateMessage,
    TextMessageV2,
    UriAction,
    URIImagemapAction,
    UserMentionTarget,
    VideoMessage,
    check_messages,
    message_from_wire,
)

PNG = "https://example.com/a.png"
USER = "U4af4980629" + "0" * 22


def test_the_issue_example_runs_as_written() -> None:
    msg = FlexMessage(
        alt_text="Hi",
        contents=FlexBubble(
            body=FlexBox(
                layout="vertical",
                contents=[
                    FlexText(text="Hello"),
                    FlexButton(action=UriAction(label="Go", uri="https://example.com")),
                ],
            )
        ),
    )
    assert msg.to_wire() == {
        "type": "flex",
        "altText": "Hi",
        "contents": {
            "type": "bubble",
            "body": {
                "type": "box",
                "layout": "vertical",
                "contents": [
                    {"type": "text", "text": "Hello"},
                    {
                        "type": "button",
                        "action": {"type": "uri", "uri": "https://example.com", "label": "Go"},
                    },
                ],
            },
        },
    }
    assert message_from_wire(msg.to_wire()) == msg


# -- LINE's documented JSON, and the same message built by hand ---------------------------

FLEX_JSON: dict[str, Any] = {
    "type": "flex",
    "altText": "Brown Cafe",
    "contents": {
        "type": "carousel",
        "contents": [
            {
                "type": "bubble",
                "size": "mega",
                "direction": "ltr",
                "hero": {
                    "type": "image",
                    "url": "https://example.com/cafe.png",
                    "size": "full",
                    "aspectRatio": "20:13",
                    "aspectMode": "cover",
                    "action": {"type": "uri", "uri": "https://example.com"},
                },
                "body": {
                    "type": "box",
                    "layout": "vertical",
                    "spacing": "sm",
                    "paddingAll": "12px",
                    "backgroundColor": "#FFFFFFCC",
                    "background": {
                        "type": "linearGradient",
                        "angle": "90deg",
                        "startColor": "#FFFFFF",
                        "endColor": "#000000",
                        "centerColor": "#888888",
                        "centerPosition": "40%",
                    },
                    "contents": [
                        {"type": "text", "text": "Brown Cafe", "weight": "bold", "size": "xl"},
                        {
                            "type": "box",
                            "layout": "baseline",
                            "margin": "md",
                            "contents": [
                                {
                                    "type": "icon",
                                    "size": "sm",
                                    "url": "https://example.com/star.png",
                                },
                                {
                                    "type": "text",
                                    "text": "4.0",
                                    "size": "sm",
                                    "color": "#999999",
                                    "margin": "md",
                                    "flex": 0,
                                },
                                {"type": "filler"},
                            ],
                        },
                        {"type": "separator", "margin": "xxl", "color": "#EEEEEE"},
                        {
                            "type": "text",
                            "contents": [
                                {"type": "span", "text": "Open ", "style": "italic"},
                                {
                                    "type": "span",
                                    "text": "10:00 - 23:00",
                                    "decoration": "underline",
                                    "weight": "bold",
                                },
                            ],
                            "wrap": True,
                            "maxLines": 2,
                            "lineSpacing": "4px",
                        },
                        {
                            "type": "box",
                            "layout": "horizontal",
                            "position": "absolute",
                            "offsetTop": "10px",
                            "offsetEnd": "5%",
                            "cornerRadius": "xxl",
                            "borderWidth": "semi-bold",
                            "borderColor": "#FF0000",
                            "width": "60px",
                            "height": "25px",
                            "justifyContent": "center",
                            "alignItems": "center",
                            "contents": [{"type": "text", "text": "NEW", "align": "center"}],
                        },
                    ],
                },
                "footer": {
                    "type": "box",
                    "layout": "vertical",
                    "spacing": "sm",
                    "contents": [
                        {
                            "type": "button",
                            "style": "link",
                            "height": "sm",
                            "action": {"type": "uri", "label": "CALL", "uri": "tel:0312345678"},
                        },
                        {
                            "type": "button",
                            "style": "primary",
                            "color": "#905C44",
                            "adjustMode": "shrink-to-fit",
                            "action": {
                                "type": "postback",
                                "label": "Reserve",
                                "data": "reserve=1",
                                "displayText": "Reserve",
                            },
                        },
                    ],
                    "flex": 0,
                },
                "styles": {"footer": {"separator": True, "separatorColor": "#DDDDDD"}},
            },
            {
                "type": "bubble",
                "size": "kilo",
                "hero": {
                    "type": "video",
                    "url": "https://example.com/video.mp4",
                    "previewUrl": "https://example.com/video.png",
                    "altContent": {
                        "type": "image",
                        "size": "full",
                        "aspectRatio": "20:13",
                        "aspectMode": "cover",
                        "url": "https://example.com/video.png",
                    },
                    "aspectRatio": "20:13",
                },
                "action": {"type": "message", "label": "more", "text": "more"},
            },
        ],
    },
}

FLEX_BUILT = FlexMessage(
    alt_text="Brown Cafe",
    contents=FlexCarousel(
        contents=[
            FlexBubble(
                size="mega",
                direction="ltr",
                hero=FlexImage(
                    url="https://example.com/cafe.png",
                    size="full",
                    aspect_ratio="20:13",
                    aspect_mode="cover",
                    action=UriAction(uri="https://example.com"),
                ),
                body=FlexBox(
                    layout="vertical",
                    spacing="sm",
                    padding_all="12px",
                    background_color="#FFFFFFCC",
                    background=FlexBoxLinearGradient(
                        angle="90deg",
                        start_color="#FFFFFF",
                        end_color="#000000",
                        center_color="#888888",
                        center_position="40%",
                    ),
                    contents=[
                        FlexText(text="Brown Cafe", weight="bold", size="xl"),
                        FlexBox(
                            layout="baseline",
                            margin="md",
                            contents=[
                                FlexIcon(size="sm", url="https://example.com/star.png"),
                                FlexText(
                                    text="4.0", size="sm", color="#999999", margin="md", flex=0
                                ),
                                FlexFiller(),
                            ],
                        ),
                        FlexSeparator(margin="xxl", color="#EEEEEE"),
                        FlexText(
                            contents=[
                                FlexSpan(text="Open ", style="italic"),
                                FlexSpan(
                                    text="10:00 - 23:00", decoration="underline", weight="bold"
                                ),
                            ],
                            wrap=True,
                            max_lines=2,
                            line_spacing="4px",
                        ),
                        FlexBox(
                            layout="horizontal",
                            position="absolute",
                            offset_top="10px",
                            offset_end="5%",
                            corner_radius="xxl",
                            border_width="semi-bold",
                            border_color="#FF0000",
                            width="60px",
                            height="25px",
                            justify_content="center",
                            align_items="center",
                            contents=[FlexText(text="NEW", align="center")],
                        ),
                    ],
                ),
                footer=FlexBox(
                    layout="vertical",
                    spacing="sm",
                    flex=0,
                    contents=[
                        FlexButton(
                            style="link",
                            height="sm",
                            action=UriAction(label="CALL", uri="tel:0312345678"),
                        ),
                        FlexButton(
                            style="primary",
                            color="#905C44",
                            adjust_mode="shrink-to-fit",
                            action=PostbackAction(
                                label="Reserve", data="reserve=1", display_text="Reserve"
                            ),
                        ),
                    ],
                ),
                styles=FlexBubbleStyles(
                    footer=FlexBlockStyle(separator=True, separator_color="#DDDDDD")
                ),
            ),
            FlexBubble(
                size="kilo",
                hero=FlexVideo(
                    url="https://example.com/video.mp4",
                    preview_url="https://example.com/video.png",
                    alt_content=FlexImage(
                        size="full",
                        aspect_ratio="20:13",
                        aspect_mode="cover",
                        url="https://example.com/video.png",
                    ),
                    aspect_ratio="20:13",
                ),
                action=MessageAction(label="more", text="more"),
            ),
        ]
    ),
)

IMAGEMAP_JSON: dict[str, Any] = {
    "type": "imagemap",
    "baseUrl": "https://example.com/bot/images/rm001",
    "altText": "This is an imagemap",
    "baseSize": {"width": 1040, "height": 1040},
    "video": {
        "originalContentUrl": "https://example.com/video.mp4",
        "previewImageUrl": "https://example.com/video_preview.jpg",
        "area": {"x": 0, "y": 0, "width": 1040, "height": 585},
        "externalLink": {"linkUri": "https://example.com/see_more.html", "label": "See More"},
    },
    "actions": [
        {
            "type": "uri",
            "linkUri": "https://example.com/",
            "area": {"x": 0, "y": 586, "width": 520, "height": 454},
        },
        {
            "type": "message",
            "text": "Hello",
            "area": {"x": 520, "y": 586, "width": 520, "height": 454},
        },
        {
            "type": "clipboard",
            "clipboardText": "3B48740B",
            "label": "Copy",
            "area": {"x": 0, "y": 0, "width": 10, "height": 10},
        },
    ],
}

IMAGEMAP_BUILT = ImagemapMessage(
    base_url="https://example.com/bot/images/rm001",
    alt_text="This is an imagemap",
    base_size=ImagemapBaseSize(width=1040, height=1040),
    video=ImagemapVideo(
        original_content_url="https://example.com/video.mp4",
        preview_image_url="https://example.com/video_preview.jpg",
        area=ImagemapArea(x=0, y=0, width=1040, height=585),
        external_link=ImagemapExternalLink(
            link_uri="https://example.com/see_more.html", label="See More"
        ),
    ),
    actions=[
        URIImagemapAction(
            link_uri="https://example.com/", area=ImagemapArea(x=0, y=586, width=520, height=454)
        ),
        MessageImagemapAction(text="Hello", area=ImagemapArea(x=520, y=586, width=520, height=454)),
        ClipboardImagemapAction(
            clipboard_text="3B48740B",
            label="Copy",
            area=ImagemapArea(x=0, y=0, width=10, height=10),
        ),
    ],
)

TEXT_V2_JSON: dict[str, Any] = {
    "type": "textV2",
    "text": "Welcome, {user1}! {laugh}\n{everyone} There is a {gift} for you! {gift}",
    "substitution": {
        "user1": {"type": "mention", "mentionee": {"type": "user", "userId": USER}},
        "laugh": {"type": "emoji", "productId": "5a8555cfe6256cc92ea23c2a", "emojiId": "002"},
        "everyone": {"type": "mention", "mentionee": {"type": "all"}},
        "gift": {"type": "emoji", "productId": "5ac21184040ab15980c9b43a", "emojiId": "225"},
    },
}

TEXT_V2_BUILT = TextMessageV2(
    text="Welcome, {user1}! {laugh}\n{everyone} There is a {gift} for you! {gift}",
    substitution={
        "user1": MentionSubstitutionObject(mentionee=UserMentionTarget(user_id=USER)),
        "laugh": EmojiSubstitutionObject(product_id="5a8555cfe6256cc92ea23c2a", emoji_id="002"),
        "everyone": MentionSubstitutionObject(mentionee=AllMentionTarget()),
        "gift": EmojiSubstitutionObject(product_id="5ac21184040ab15980c9b43a", emoji_id="225"),
    },
)

IMAGE_CAROUSEL_JSON: dict[str, Any] = {
    "type": "template",
    "altText": "this is a image carousel template",
    "template": {
        "type": "image_carousel",
        "columns": [
            {
                "imageUrl": "https://example.com/bot/images/item1.jpg",
                "action": {"type": "postback", "label": "Buy", "data": "action=buy&itemid=111"},
            },
            {
                "imageUrl": "https://example.com/bot/images/item2.jpg",
                "action": {"type": "message", "label": "Yes", "text": "yes"},
            },
            {
                "imageUrl": "https://example.com/bot/images/item3.jpg",
                "action": {"type": "uri", "label": "View detail", "uri": "http://example.com/p/2"},
            },
        ],
    },
}

IMAGE_CAROUSEL_BUILT = TemplateMessage(
    alt_text="this is a image carousel template",
    template=ImageCarouselTemplate(
        columns=[
            ImageCarouselColumn(
                image_url="https://example.com/bot/images/item1.jpg",
                action=PostbackAction(label="Buy", data="action=buy&itemid=111"),
            ),
            ImageCarouselColumn(
                image_url="https://example.com/bot/images/item2.jpg",
                action=MessageAction(label="Yes", text="yes"),
            ),
            ImageCarouselColumn(
                image_url="https://example.com/bot/images/item3.jpg",
                action=UriAction(label="View detail", uri="http://example.com/p/2"),
            ),
        ]
    ),
)

QUICK_REPLY_JSON: dict[str, Any] = {
    "type": "location",
    "title": "my location",
    "address": "1-3 Kioicho, Chiyoda-ku, Tokyo, 102-8282, Japan",
    "latitude": 35.67966,
    "longitude": 139.73669,
    "quickReply": {
        "items": [
            {
                "type": "action",
                "imageUrl": "https://example.com/sushi.png",
                "action": {"type": "message", "label": "Sushi", "text": "Sushi"},
            },
            {"type": "action", "action": {"type": "camera", "label": "Camera"}},
            {"type": "action", "action": {"type": "cameraRoll", "label": "Camera roll"}},
            {"type": "action", "action": {"type": "location", "label": "Location"}},
            {
                "type": "action",
                "action": {"type": "clipboard", "label": "Copy", "clipboardText": "3B48740B"},
            },
        ]
    },
}

QUICK_REPLY_BUILT = LocationMessage(
    title="my location",
    address="1-3 Kioicho, Chiyoda-ku, Tokyo, 102-8282, Japan",
    latitude=35.67966,
    longitude=139.73669,
    quick_reply=QuickReply(
        items=[
            QuickReplyItem(
                image_url="https://example.com/sushi.png",
                action=MessageAction(label="Sushi", text="Sushi"),
            ),
            QuickReplyItem(action=CameraAction(label="Camera")),
            QuickReplyItem(action=CameraRollAction(label="Camera roll")),
            QuickReplyItem(action=LocationAction(label="Location")),
            QuickReplyItem(action=ClipboardAction(label="Copy", clipboard_text="3B48740B")),
        ]
    ),
)

DOCUMENTED: dict[str, tuple[dict[str, Any], Message]] = {
    "flex": (FLEX_JSON, FLEX_BUILT),
    "imagemap": (IMAGEMAP_JSON, IMAGEMAP_BUILT),
    "textV2": (TEXT_V2_JSON, TEXT_V2_BUILT),
    "image_carousel": (IMAGE_CAROUSEL_JSON, IMAGE_CAROUSEL_BUILT),
    "location+quick reply": (QUICK_REPLY_JSON, QUICK_REPLY_BUILT),
    "video": (
        {
            "type": "video",
            "originalContentUrl": "https://example.com/original.mp4",
            "previewImageUrl": "https://example.com/preview.jpg",
            "trackingId": "track-id",
        },
        VideoMessage(
            original_content_url="https://example.com/original.mp4",
            preview_image_url="https://example.com/preview.jpg",
            tracking_id="track-id",
        ),
    ),
    "audio": (
        {
            "type": "audio",
            "originalContentUrl": "https://example.com/original.m4a",
            "duration": 60000,
        },
        AudioMessage(original_content_url="https://example.com/original.m4a", duration=60000),
    ),
    "coupon": (
        {"type": "coupon", "couponId": "01JYNW8JMQVFBNPP5MBRDQ7VR5", "deliveryTag": "spring"},
        CouponMessage(coupon_id="01JYNW8JMQVFBNPP5MBRDQ7VR5", delivery_tag="spring"),
    ),
}


def _canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True)


@pytest.mark.parametrize("name", list(DOCUMENTED))
def test_documented_json_reads_into_the_hand_built_model(name: str) -> None:
    data, built = DOCUMENTED[name]
    assert message_from_wire(copy.deepcopy(data)) == built


@pytest.mark.parametrize("name", list(DOCUMENTED))
def test_the_hand_built_model_writes_the_documented_json(name: str) -> None:
    data, built = DOCUMENTED[name]
    assert _canonical(built.to_wire()) == _canonical(data)
    assert message_from_wire(built.to_wire()) == built


@pytest.mark.parametrize("name", list(DOCUMENTED))
def test_each_new_kind_conforms_to_the_spec(name: str) -> None:
    spec: SpecValidator = _load()
    _, built = DOCUMENTED[name]
    spec.validate(built.to_wire(), schema("Message"))


def test_a_push_of_new_kinds_conforms() -> None:
    messages = [built for _, built in list(DOCUMENTED.values())[:5]]
    body = {"to": USER, "messages": [m.to_wire() for m in check_messages(messages)]}
    _load().validate(body, schema("PushMessageRequest"))


def test_rich_menu_switch_action_conforms() -> None:
    action = RichMenuSwitchAction(label="Next", rich_menu_alias_id="menu-b", data="to=b")
    _load().validate(action.to_wire(), schema("Action"))
    bubble = FlexMessage(
        alt_text="m",
        contents=FlexBubble(action=action, body=FlexBox(layout="vertical", contents=[])),
    )
    assert message_from_wire(bubble.to_wire()) == bubble


# -- limits, refused before sending ---------------------------------------------------------


def _raises(field: str, match: str = "") -> Any:
    return pytest.raises(ValidationError, match=rf"^{__import__('re').escape(field)}: .*{match}")


def _bubble(*contents: Any) -> FlexBubble:
    return FlexBubble(body=FlexBox(layout="vertical", contents=list(contents)))


def test_a_carousel_holds_at_most_twelve_bubbles() -> None:
    assert len(FlexCarousel(contents=[FlexBubble()] * 12).contents) == 12
    with _raises("contents", "1 to 12 bubbles, got 13"):
        FlexCarousel(contents=[FlexBubble()] * 13)


def test_flex_alt_text_is_required_and_bounded() -> None:
    FlexMessage(alt_text="a" * 1500, contents=FlexBubble())
    with _raises("alt_text", "at most 1500"):
        FlexMessage(alt_text="a" * 1501, contents=FlexBubble())
    with _raises("alt_text", "must not be empty"):
        FlexMessage(alt_text="", contents=FlexBubble())


def test_a_bubble_json_over_30kb_is_refused() -> None:
    big = _bubble(*[FlexText(text="x" * 1000, wrap=True) for _ in range(31)])
    with _raises("contents", "at most 30 KB"):
        FlexMessage(alt_text="big", contents=big)


def test_a_carousel_json_over_50kb_is_refused() -> None:
    bubble = _bubble(*[FlexText(text="x" * 1000) for _ in range(9)])
    with _raises("contents", "at most 50 KB"):
        FlexMessage(alt_text="big", contents=FlexCarousel(contents=[bubble] * 6))


def test_at_most_ten_animated_images() -> None:
    img = FlexImage(url=PNG, animated=True)
    FlexMessage(alt_text="a", contents=_bubble(*[img] * 10))
    with _raises("contents", "at most 10 animated images, got 11"):
        FlexMessage(alt_text="a", contents=_bubble(*[img] * 11))


@pytest.mark.parametrize(
    ("build", "field", "match"),
    [
        (lambda: FlexImage(url="http://example.com/a.png"), "url", "https"),
        (lambda: FlexImage(url=PNG, size="huge"), "size", "one of"),
        (lambda: FlexImage(url=PNG, size="50%"), None, ""),
        (lambda: FlexImage(url=PNG, aspect_ratio="1:3.1"), "aspect_ratio", "3 times"),
        (lambda: FlexImage(url=PNG, aspect_ratio="0:1"), "aspect_ratio", "width"),
        (lambda: FlexText(text="a", color="red"), "color", "#RRGGBB"),
        (lambda: FlexText(text="a", color="#12345678"), None, ""),
        (lambda: FlexText(text="a", weight="heavy"), "weight", "one of"),  # type: ignore[arg-type]
        (lambda: FlexText(text="a", flex=-1), "flex", "0 or more"),
        (lambda: FlexText(text="a", wrap="yes"), "wrap", "bool"),  # type: ignore[arg-type]
        (lambda: FlexText(text=""), "text", "empty"),
        (lambda: FlexText(text="a", offset_top="10"), "offset_top", "pixels"),
        (lambda: FlexBox(layout="grid", contents=[]), "layout", "one of"),  # type: ignore[arg-type]
        (lambda: FlexBox(layout="vertical", contents=[], padding_all="3em"), "padding_all", ""),
        (lambda: FlexBox(layout="vertical", contents=[], border_width="thick"), "border_width", ""),
        (lambda: FlexBox(layout="vertical", contents=[FlexSpan(text="a")]), "contents[0]", "text's"),
        (
            lambda: FlexBox(layout="baseline", contents=[FlexSeparator()]),
            "contents[0]",
            "not be in a baseline box",
        ),
        (
            lambda: FlexBox(layout="vertical", contents=[{"type": "text", "text": "a"}]),  # type: ignore[list-item]
            "contents[0]",
            "build models",
        ),
        (
            lambda: FlexButton(action=UriAction(uri="https://example.com")),
            "action.label",
            "button's text",
        ),
        (
            lambda: FlexButton(action=CameraAction(label="c")),
            "action",
            "only in quick reply",
        ),
        (lambda: FlexBubble(size="giant"), "size", "one of"),  # type: ignore[arg-type]
        (
            lambda: FlexBubble(
                hero=FlexVideo(url=PNG, preview_url=PNG, alt_content=FlexImage(url=PNG))
            ),
            "size",
            "kilo, mega or giga",
        ),
        (
            lambda: FlexBubble(body=FlexImage(url=PNG)),  # type: ignore[arg-type]
            "body",
            "FlexBox",
        ),
        (
            lambda: FlexBoxLinearGradient(angle="north", start_color="#000000", end_color="#FFF"),
            "angle",
            "deg",
        ),
        (lambda: ImagemapBaseSize(width=1000, height=10), "width", "1040"),
        (
            lambda: ImagemapMessage(
                base_url=PNG,
                alt_text="a",
                base_size=ImagemapBaseSize(width=1040, height=10),
                actions=[MessageImagemapAction(text="a", area=ImagemapArea(x=0, y=0, width=1, height=1))]
                * 51,
            ),
            "actions",
            "0 to 50",
        ),
        (
            lambda: ImagemapMessage(
                base_url=PNG,
                alt_text="a",
                base_size=ImagemapBaseSize(width=1040, height=10),
                actions=[],
                video=ImagemapVideo(
                    original_content_url=PNG,
                    preview_image_url=PNG,
                    area=ImagemapArea(x=0, y=0, width=1040, height=11),
                ),
            ),
            "video.area",
            "inside",
        ),
        (
            lambda: ClipboardImagemapAction(
                clipboard_text="x" * 1001, area=ImagemapArea(x=0, y=0, width=1, height=1)
            ),
            "clipboard_text",
            "at most 1000",
        ),
        (lambda: ClipboardAction(label="c", clipboard_text="x" * 1001), "clipboard_text", "1000"),
        (lambda: RichMenuSwitchAction(rich_menu_alias_id="x" * 33, data=""), "rich_menu_alias_id", "32"),
        (lambda: VideoMessage(original_content_url=PNG, preview_image_url=PNG, tracking_id="x" * 101), "tracking_id", "100"),
        (lambda: AudioMessage(original_content_url=PNG, duration=0), "duration", "1 or more"),
        (lambda: LocationMessage(title="t" * 101, address="a", latitude=0, longitude=0), "title", "100"),
        (lambda: LocationMessage(title="t", address="a", latitude=0, longitude=181), "longitude", "180"),
        (lambda: ImageCarouselTemplate(columns=[ImageCarouselColumn(image_url=PNG, action=MessageAction(label="a", text="a"))] * 11), "columns", "1 to 10"),
        (lambda: ImageCarouselColumn(image_url=PNG, action=LocationAction(label="here")), "action", "quick reply"),
        (lambda: TextMessageV2(text="{a}", substitution={"b": EmojiSubstitutionObject(product_id="p", emoji_id="e")}), "substitution.b", "not in text"),
        (lambda: TextMessageV2(text="x" * 5001), "text", "5000"),
        (lambda: CouponMessage(coupon_id="c", delivery_tag="x" * 31), "delivery_tag", "30"),
    ],
)  # fmt: skip
def test_limits_are_refused_at_construction(build: Any, field: str | None, match: str) -> None:
    if field is None:
        build()
        return
    with _raises(field, match):
        build()


@pytest.mark.parametrize(
    ("data", "path"),
    [
        (
            {"type": "flex", "altText": "a", "contents": {"type": "bubble", "body": {
                "type": "box", "layout": "vertical", "contents": [
                    {"type": "text", "text": "a"}, {"type": "text", "text": "b"},
                    {"type": "text", "text": 3}]}}},
            "messages[0].contents.body.contents[2].text",
        ),
        (
            {"type": "flex", "altText": "a", "contents": {"type": "carousel", "contents": [
                {"type": "bubble"}, {"type": "bubble", "size": "huge"}]}},
            "messages[0].contents.contents[1].size",
        ),
        (
            {"type": "flex", "altText": "a", "contents": {"type": "bubble", "hero": {
                "type": "image", "url": "https://e.x/a.png", "aspectMode": "stretch"}}},
            "messages[0].contents.hero.aspectMode",
        ),
        (
            {"type": "imagemap", "baseUrl": "https://e.x/m", "altText": "a",
             "baseSize": {"width": 1040, "height": 10},
             "actions": [{"type": "uri", "linkUri": "https://e.x", "area": {
                 "x": 0, "y": 0, "width": "1", "height": 1}}]},
            "messages[0].actions[0].area.width",
        ),
        (
            {"type": "textV2", "text": "{a}", "substitution": {"a": {"type": "sticker"}}},
            "messages[0].substitution.a.type",
        ),
        (
            {"type": "flex", "altText": "a", "contents": {"type": "bubble", "body": {
                "type": "box", "layout": "vertical", "contents": [], "cornerradius": "xs"}}},
            "messages[0].contents.body.cornerradius",
        ),
    ],
)  # fmt: skip
def test_wire_errors_name_the_camel_case_path(data: Any, path: str) -> None:
    with pytest.raises(ValidationError) as info:
        message_from_wire(data)
    assert info.value.field == path


# -- Braze webhook templates take every kind --------------------------------------------------


@pytest.mark.parametrize("name", list(DOCUMENTED))
def test_every_kind_builds_a_webhook_template_that_previews(name: str) -> None:
    from line_braze.preview import render_preview
    from line_braze.templates import build_webhook_template

    _, built = DOCUMENTED[name]
    tpl = build_webhook_template([built])
    preview = render_preview(
        tpl,
        user={"line_id": USER},
        content_blocks={"LINE_Channel_AccessToken": "token"},
    )
    assert preview.json["messages"] == [built.to_wire()]


def test_liquid_in_a_flex_text_is_hardened_and_rendered() -> None:
    from line_braze.preview import render_preview
    from line_braze.templates import build_webhook_template

    msg = FlexMessage(
        alt_text="Hi {{${first_name}}}",
        contents=_bubble(FlexText(text='Hello "{{${first_name}}}"', wrap=True)),
    )
    tpl = build_webhook_template([msg])
    preview = render_preview(
        tpl,
        user={"line_id": USER, "first_name": 'Ann "the" \\ Admin'},
        content_blocks={"LINE_Channel_AccessToken": "token"},
    )
    (sent,) = preview.json["messages"]
    assert sent["altText"] == 'Hi Ann "the" \\ Admin'
    assert sent["contents"]["body"]["contents"][0]["text"] == 'Hello "Ann "the" \\ Admin"'
    assert message_from_wire(sent).type == "flex"


# -- over real HTTP, to the loopback LINE emulator ----------------------------------------------


def test_every_new_kind_is_pushed_to_the_emulator_and_accepted() -> None:
    from line_braze import LineClient
    from line_braze.testing import LineEmulator

    messages = [built for _, built in DOCUMENTED.values()]
    with (
        LineEmulator(followers=1) as emulator,
        LineClient(emulator.access_token, base_url=emulator.url) as line,
    ):
        for i in range(0, len(messages), 5):
            line.messages.push(USER, messages[i : i + 5])
        sent = [m for push in emulator.pushes for m in push.messages]
    assert sent == [m.to_wire() for m in messages]
    assert [message_from_wire(dict(m)) for m in sent] == messages


@pytest.mark.parametrize("tag", [{"a": 1}, ["flex"], None, 3.5, "t" * 40 + "SECRETTOKEN"])
def test_a_strange_type_tag_is_named_without_echoing_it(tag: Any) -> None:
    with pytest.raises(ValidationError) as info:
        message_from_wire({"type": tag, "text": "x"})
    assert info.value.field == "messages[0].type"
    assert "SECRETTOKEN" not in str(info.value)
