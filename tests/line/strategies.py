"""Hypothesis strategies for valid LINE message models (reusable by other test modules).

Every strategy here builds only models that pass their validators, so a test can use them for
round trips and wire-form checks; tests of limits push one field past its limit on purpose.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from hypothesis import strategies as st

from line_braze.line._count import utf16_len
from line_braze.line.models import (
    Action,
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
    Template,
    TemplateMessage,
    TextMessage,
    UriAction,
)

InputOption = Literal["closeRichMenu", "openRichMenu", "openKeyboard", "openVoice"]
Mode = Literal["date", "time", "datetime"]

__all__ = [
    "actions",
    "buttons_templates",
    "carousel_templates",
    "confirm_templates",
    "https_urls",
    "labels",
    "messages",
    "quick_replies",
    "senders",
    "templates",
    "text_messages",
    "texts",
    "uris",
]

#: Any text (no lone surrogates): combining marks, emoji, CJK, astral characters.
texts = st.text


def labels() -> st.SearchStrategy[str]:
    """Labels of 1-20 code points: never more than 20 grapheme clusters."""
    return st.text(min_size=1, max_size=20)


def action_texts() -> st.SearchStrategy[str]:
    return st.text(min_size=1, max_size=40)


_host = st.from_regex(r"[a-z][a-z0-9-]{0,15}", fullmatch=True)
_path = st.from_regex(r"[A-Za-z0-9._~%/-]{0,40}", fullmatch=True)


def https_urls() -> st.SearchStrategy[str]:
    """Percent-encoded https URLs well under 2000 characters."""
    return st.builds(lambda h, p: f"https://{h}.example/{p}", _host, _path)


def uris() -> st.SearchStrategy[str]:
    """URIs of every scheme a URI action allows."""
    return st.one_of(
        https_urls(),
        st.builds(lambda h, p: f"http://{h}.example/{p}", _host, _path),
        st.builds(lambda p: f"line://nv/{p}", _path),
        st.from_regex(r"tel:\+?[0-9]{3,15}", fullmatch=True),
    )


def _optional(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str | None]:
    return st.none() | strategy


def uri_actions(*, labelled: bool = True) -> st.SearchStrategy[UriAction]:
    return st.builds(
        UriAction,
        label=labels() if labelled else _optional(labels()),
        uri=uris(),
        alt_uri=_optional(https_urls()),
    )


def message_actions(*, labelled: bool = True) -> st.SearchStrategy[MessageAction]:
    return st.builds(
        MessageAction,
        label=labels() if labelled else _optional(labels()),
        text=action_texts(),
    )


@st.composite
def postback_actions(draw: st.DrawFn, *, labelled: bool = True) -> PostbackAction:
    label = draw(labels() if labelled else _optional(labels()))
    shown = draw(_optional(action_texts()))
    use_text = draw(st.booleans())
    option = draw(st.sampled_from(_OPTIONS))
    fill = draw(_optional(action_texts())) if option == "openKeyboard" else None
    return PostbackAction(
        label=label,
        data=draw(st.text(max_size=60)),
        display_text=None if use_text else shown,
        text=shown if use_text else None,
        input_option=option,
        fill_in_text=fill,
    )


_OPTIONS: list[InputOption | None] = [
    None,
    "closeRichMenu",
    "openRichMenu",
    "openKeyboard",
    "openVoice",
]
_MODES: list[Mode] = ["date", "time", "datetime"]
_FORMATS = {"date": "%Y-%m-%d", "time": "%H:%M", "datetime": "%Y-%m-%dT%H:%M"}


@st.composite
def datetime_actions(draw: st.DrawFn, *, labelled: bool = True) -> DatetimePickerAction:
    mode = draw(st.sampled_from(_MODES))
    moments = st.datetimes(
        min_value=dt.datetime(1900, 1, 1),  # noqa: DTZ001
        max_value=dt.datetime(2100, 12, 31, 23, 59),  # noqa: DTZ001
    )
    values = sorted({draw(moments).strftime(_FORMATS[mode]) for _ in range(3)})
    low, high = (values[0], values[-1]) if len(values) > 1 else (None, None)
    initial = values[len(values) // 2]
    return DatetimePickerAction(
        label=draw(labels() if labelled else _optional(labels())),
        data=draw(st.text(max_size=30)),
        mode=mode,
        initial=draw(st.sampled_from([None, initial])),
        min=draw(st.sampled_from([None, low])),
        max=draw(st.sampled_from([None, high])),
    )


def actions(*, labelled: bool = True) -> st.SearchStrategy[Action]:
    """Any modelled action; ``labelled`` as templates and quick replies need."""
    return st.one_of(
        uri_actions(labelled=labelled),
        message_actions(labelled=labelled),
        postback_actions(labelled=labelled),
        datetime_actions(labelled=labelled),
    )


def quick_replies() -> st.SearchStrategy[QuickReply]:
    item = st.builds(QuickReplyItem, action=actions(), image_url=_optional(https_urls()))
    return st.builds(QuickReply, items=st.lists(item, min_size=1, max_size=5))


_RESERVED = re.compile(r"(?<![A-Za-z])line(?![A-Za-z])", re.IGNORECASE)


def senders() -> st.SearchStrategy[Sender]:
    name = st.text(min_size=1, max_size=10).filter(lambda s: not _RESERVED.search(s))
    return st.builds(Sender, name=_optional(name), icon_url=_optional(https_urls()))


_colors = st.from_regex(r"#[0-9A-Fa-f]{6}", fullmatch=True)
_RATIOS: list[Literal["rectangle", "square"] | None] = [None, "rectangle", "square"]
_SIZES: list[Literal["cover", "contain"] | None] = [None, "cover", "contain"]
_ratios = st.sampled_from(_RATIOS)
_sizes = st.sampled_from(_SIZES)


@st.composite
def carousel_templates(draw: st.DrawFn) -> CarouselTemplate:
    """1-10 columns, equal action counts, titles and thumbnails all or none."""
    n_columns = draw(st.integers(1, 10))
    n_actions = draw(st.integers(1, 3))
    titled, pictured = draw(st.booleans()), draw(st.booleans())
    columns = [
        CarouselColumn(
            text=draw(st.text(min_size=1, max_size=60)),
            actions=draw(st.lists(actions(), min_size=n_actions, max_size=n_actions)),
            title=draw(st.text(min_size=1, max_size=40)) if titled else None,
            thumbnail_image_url=draw(https_urls()) if pictured else None,
            image_background_color=draw(_optional(_colors)),
            default_action=draw(st.none() | actions(labelled=False)),
        )
        for _ in range(n_columns)
    ]
    return CarouselTemplate(
        columns=columns, image_aspect_ratio=draw(_ratios), image_size=draw(_sizes)
    )


def buttons_templates() -> st.SearchStrategy[ButtonsTemplate]:
    return st.builds(
        ButtonsTemplate,
        text=st.text(min_size=1, max_size=60),
        actions=st.lists(actions(), min_size=1, max_size=4),
        title=_optional(st.text(min_size=1, max_size=40)),
        thumbnail_image_url=_optional(https_urls()),
        image_aspect_ratio=_ratios,
        image_size=_sizes,
        image_background_color=_optional(_colors),
        default_action=st.none() | actions(labelled=False),
    )


def confirm_templates() -> st.SearchStrategy[ConfirmTemplate]:
    return st.builds(
        ConfirmTemplate,
        text=st.text(min_size=1, max_size=80),
        actions=st.lists(actions(), min_size=2, max_size=2),
    )


def templates() -> st.SearchStrategy[Template]:
    return st.one_of(carousel_templates(), buttons_templates(), confirm_templates())


@st.composite
def text_messages(draw: st.DrawFn) -> TextMessage:
    """Texts with ``$`` placeholders, some of them LINE emoji at their UTF-16 index."""
    pieces = draw(
        st.lists(
            st.text(st.characters(codec="utf-8", exclude_characters="$"), max_size=6), max_size=8
        )
    )
    text = "$".join(pieces) or draw(st.text(min_size=1, max_size=30))
    dollars = [utf16_len(text[:i]) for i, ch in enumerate(text) if ch == "$"]
    chosen = draw(st.lists(st.sampled_from(dollars), unique=True, max_size=20)) if dollars else []
    emojis = [Emoji(index=i, product_id="5ac1bfd5040ab15980c9b435", emoji_id="001") for i in chosen]
    return TextMessage(
        text=text,
        emojis=emojis or None,
        quote_token=draw(_optional(st.from_regex(r"[A-Za-z0-9_-]{8,20}", fullmatch=True))),
        quick_reply=draw(st.none() | quick_replies()),
        sender=draw(st.none() | senders()),
    )


def messages() -> st.SearchStrategy[Message]:
    """Any modelled message, with or without quick reply and sender."""
    common = {"quick_reply": st.none() | quick_replies(), "sender": st.none() | senders()}
    ids = st.from_regex(r"[0-9]{1,8}", fullmatch=True)
    return st.one_of(
        text_messages(),
        st.builds(StickerMessage, package_id=ids, sticker_id=ids, **common),
        st.builds(
            ImageMessage,
            original_content_url=https_urls(),
            preview_image_url=https_urls(),
            **common,
        ),
        st.builds(
            TemplateMessage,
            alt_text=st.text(min_size=1, max_size=100),
            template=templates(),
            **common,
        ),
    )
