"""Braze webhook templates that push LINE messages: step 4 of the LINE-Braze partnership.

Braze has no LINE messaging object in its REST API for the legacy path; a campaign sends a
*webhook* to LINE's push endpoint. `build_webhook_template` turns LINE message models into
that webhook (URL, method, headers, a JSON body with Braze Liquid) and hardens what Braze's
four seed templates (LINE Text, Sticker, Image, Carousel) leave open:

- every Liquid output inside a JSON string passes through ``json_escape``, so a first name
  holding quotes, backslashes or newlines cannot break the JSON;
- a user whose ``line_id`` is blank (or absent) is dropped with ``abort_message``, never
  pushed to nobody; so is one whose ``line_id`` holds anything JSON would need to escape
  (no LINE user ID does), which keeps ``"to": "{{custom_attribute.${line_id}}}"`` exactly
  as Braze's own templates write it and still unable to break the JSON;
- the channel access token is read from the ``LINE_Channel_AccessToken`` Content Block and
  whitespace-stripped where it is inserted (a pasted token often ends in a newline, which
  breaks the header);
- an ``X-Line-Retry-Key`` header is derived from Braze's per-send id and the LINE user id,
  so Braze's own webhook retries (408, 429 and 5xx, up to five times) cannot make LINE
  deliver a message twice (see `build_webhook_template` for what this needs).

Nothing here imports a Liquid engine: `line_braze.preview` renders a template locally.
A `WebhookTemplate` is also Braze's ``webhook`` messaging object
(``line_braze.braze.WebhookMessage`` is the same class): ``braze.messages.send(webhook=tpl)``.

Example:
    >>> from line_braze.templates import text_template
    >>> tpl = text_template("Hi {{${first_name} | default: 'there'}}")
    >>> tpl.url, tpl.method
    ('https://api.line.me/v2/bot/message/push', 'POST')
    >>> "{{${first_name} | default: 'there' | json_escape}}" in tpl.body
    True
    >>> sorted(tpl.to_dict())
    ['body', 'request_headers', 'request_method', 'url']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from line_braze._display import short_repr
from line_braze._hardening import json_with_liquid
from line_braze._liquid import MARKUP
from line_braze._webhook import PUSH_URL, WebhookTemplate, refuse_token_in_body
from line_braze.errors import ValidationError

if TYPE_CHECKING:
    from line_braze.line.models import CarouselColumn, Emoji, Message

__all__ = [
    "DEFAULT_LINE_ID_ATTRIBUTE",
    "DEFAULT_TOKEN_BLOCK",
    "PUSH_URL",
    "RETRY_KEY_HEADER",
    "WebhookTemplate",
    "build_webhook_template",
    "carousel_template",
    "image_template",
    "sticker_template",
    "text_template",
]

#: The header LINE reads to de-duplicate retried sends.
RETRY_KEY_HEADER: Final = "X-Line-Retry-Key"
#: The custom attribute holding the LINE user ID (Braze's LINE guide, step 2).
DEFAULT_LINE_ID_ATTRIBUTE: Final = "line_id"
#: The Content Block holding the channel access token (Braze's LINE guide, step 3).
DEFAULT_TOKEN_BLOCK: Final = "LINE_Channel_AccessToken"  # noqa: S105 - a block name, not a token

_ATTRIBUTE_NAME: Final = re.compile(r"[^{}$\"'\n\r]{1,255}")
_BLOCK_NAME: Final = re.compile(r"[A-Za-z0-9_-]{1,99}")


def _check_names(line_id_attribute: str, token_block: str) -> None:
    if not isinstance(line_id_attribute, str) or not _ATTRIBUTE_NAME.fullmatch(line_id_attribute):
        raise ValidationError(
            "line_id_attribute",
            f"must be a Braze custom attribute name without braces or quotes, "
            f"got {short_repr(line_id_attribute, 60)}",
        )
    if not isinstance(token_block, str) or not _BLOCK_NAME.fullmatch(token_block):
        raise ValidationError(
            "token_block",
            f"a Content Block name is 1-99 of A-Z a-z 0-9 - _, got {short_repr(token_block, 60)}",
        )


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _check_emoji_positions(messages: Sequence[object]) -> None:
    """Refuse LINE emoji placed after Liquid: rendering would move the ``$`` they point at."""
    for i, message in enumerate(messages):
        text = getattr(message, "text", None)
        emojis = getattr(message, "emojis", None)
        if not isinstance(text, str) or not emojis:
            continue
        first = MARKUP.search(text)
        if first is None:
            continue
        limit = _utf16_len(text[: first.start()])
        for j, emoji in enumerate(emojis):
            if int(emoji.index) >= limit:
                raise ValidationError(
                    f"messages[{i}].emojis[{j}].index",
                    "a LINE emoji must come before any Liquid in the text: the rendered "
                    "text's length differs per user, so the emoji's index would be wrong",
                )


def build_webhook_template(
    messages: Sequence[Message],
    *,
    line_id_attribute: str = DEFAULT_LINE_ID_ATTRIBUTE,
    token_block: str = DEFAULT_TOKEN_BLOCK,
    notification_disabled: bool = False,
    retry_key: bool = True,
) -> WebhookTemplate:
    r"""Turn LINE message models into a hardened Braze webhook template for LINE's push.

    Message strings may hold Braze Liquid (``{{${first_name} | default: 'there'}}``); every
    output is made to end in ``| json_escape`` and the JSON around it is built so that the
    Liquid stays raw while literal text is escaped.

    Tags are hardened too: ``echo`` ends in ``| json_escape`` like an output; tags that
    print nothing (``if``, ``assign``, ``capture``...) stay; a tag that would print
    unescaped text (``liquid``, ``cycle``, ``raw``, ``tablerow``, ``connected_content``
    without ``:save``...) is refused, naming it. An attribute name holding Liquid or quotes,
    an unclosed ``{{`` or ``{%``, and the token Content Block anywhere in the body are
    refused too: whatever a user's attributes hold, they cannot change the JSON's structure
    nor its recipient.

    The body starts with a guard that aborts (``abort_message``) unless the user's
    ``line_id`` is a LINE user ID (``U`` + 32 lowercase hex): a blank or absent one with
    ``'no line_id: not a LINE follower'``, any other with ``'line_id is not a LINE user
    ID'``. Braze drops, and does not count, the message for that user. ``to`` prints the
    checked value. Target the campaign at "``line_id`` exists" too.

    The ``Authorization`` header is ``Bearer `` followed by the token Content Block,
    captured and stripped (a Content Block tag takes no filters in Braze):
    ``Bearer {% capture lbz_token %}{{content_blocks.${LINE_Channel_AccessToken}}}{%
    endcapture %}{{lbz_token | strip}}``.

    **Retry key** (``retry_key=True``): the ``X-Line-Retry-Key`` header is
    ``md5(dispatch_id + ":" + line_id)`` laid out as a UUID (8-4-4-4-12 hex). Braze retries
    a webhook answered with 408, 429 or 5xx up to five times; LINE answers a repeated key
    with 409 instead of delivering again, so a push LINE accepted but whose answer was lost
    is not delivered twice. What it needs from the campaign:

    - ``{{campaign.${dispatch_id}}}`` must be available: it is in campaigns and in Canvas
      Message steps (Braze lists the same ``campaign.*`` tags as Canvas Step attributes),
      not in in-app messages.
    - A dispatch id is per send: a scheduled re-send or a recurring campaign gets a new
      id and so a new key, as it should. In Canvas, Braze mints dispatch ids per step
      send (sometimes per user); the key also holds the LINE ID, so it stays unique.
    - LINE remembers a key for 24 hours. Braze's dashboard previews and *test sends* render
      the placeholder ``dispatch_id_for_unsent_campaign``, so a second test send to the
      same LINE user within a day is answered 409 and not delivered: use a fresh campaign
      draft, ``send_test`` from line_braze, or ``retry_key=False`` for repeated tests.

    Args:
        messages: 1 to 5 LINE message models.
        line_id_attribute: the custom attribute holding the LINE user ID.
        token_block: the Content Block holding the channel access token.
        notification_disabled: send without a push notification on the user's phone.
        retry_key: add the ``X-Line-Retry-Key`` header described above.

    Raises:
        line_braze.errors.ValidationError: bad messages, names, a LINE emoji placed after
            Liquid in a text (its index would move per user), a printing tag that cannot
            be hardened, or the token Content Block in a message.

    Example:
        >>> from line_braze.line.models import StickerMessage
        >>> tpl = build_webhook_template([StickerMessage(package_id="446", sticker_id="1988")])
        >>> tpl.body[tpl.body.index('{"to"'):][:40]
        '{"to":"{{custom_attribute.${line_id}}}",'
        >>> tpl.headers["Authorization"]
        'Bearer {% capture lbz_token %}{{content_blocks.${LINE_Channel_AccessToken}}}{% endcapture %}{{lbz_token | strip}}'
    """  # noqa: E501
    from line_braze._wire import wire
    from line_braze.line.models import check_messages

    _check_names(line_id_attribute, token_block)
    checked = list(check_messages(messages))
    _check_emoji_positions(checked)
    payload: dict[str, object] = {"messages": list(wire(checked))}
    if notification_disabled:
        payload["notificationDisabled"] = True
    # The guard has checked the shape (U + 32 hex), so the attribute prints as is: the
    # recipient is literally the user's own custom attribute, as LINE's templates write it.
    to = f'{{"to":"{{{{custom_attribute.${{{line_id_attribute}}}}}}}",'
    body = _guard(line_id_attribute) + to + json_with_liquid(payload)[1:]
    refuse_token_in_body(body, token_block)
    headers = {
        "Content-Type": "application/json",
        "Authorization": (
            f"Bearer {{% capture lbz_token %}}{{{{content_blocks.${{{token_block}}}}}}}"
            "{% endcapture %}{{lbz_token | strip}}"
        ),
    }
    if retry_key:
        headers[RETRY_KEY_HEADER] = _retry_key_liquid(line_id_attribute)
    return WebhookTemplate(
        url=PUSH_URL,
        method="POST",
        headers=headers,
        body=body,
    )


def _guard(line_id_attribute: str) -> str:
    """Liquid that aborts unless the user's ``line_id`` is a LINE user ID (U + 32 hex).

    Liquid has no regular expressions: the ID is made a string, then its size, its first
    character and what is left once the 16 hex digits are removed are compared.
    """
    line_id = f"custom_attribute.${{{line_id_attribute}}}"
    hex_left = "".join(f" | remove: '{c}'" for c in "0123456789abcdef")
    reason_blank = f"no {line_id_attribute}: not a LINE follower"
    reason_bad = f"{line_id_attribute} is not a LINE user ID"
    return (
        f"{{% assign lbz_line_id = {line_id} | append: '' %}}"
        "{% assign lbz_size = lbz_line_id | size %}"
        "{% assign lbz_head = lbz_line_id | slice: 0 %}"
        f"{{% assign lbz_rest = lbz_line_id | slice: 1, 32{hex_left} %}}"
        f"{{% if {line_id} == blank %}}{{% abort_message('{reason_blank}') %}}{{% endif %}}"
        "{% if lbz_size != 33 or lbz_head != 'U' or lbz_rest != '' %}"
        f"{{% abort_message('{reason_bad}') %}}{{% endif %}}"
    )


def _retry_key_liquid(line_id_attribute: str) -> str:
    seed = (
        "{% capture lbz_rk %}{{campaign.${dispatch_id}}}:"
        f"{{{{custom_attribute.${{{line_id_attribute}}}}}}}{{% endcapture %}}"
        "{% assign lbz_rk = lbz_rk | md5 %}"
    )
    parts = "-".join(f"{{{{lbz_rk | slice: {a}, {n}}}}}" for a, n in _UUID_LAYOUT)
    return seed + parts


_UUID_LAYOUT: Final = ((0, 8), (8, 4), (12, 4), (16, 4), (20, 12))


def text_template(
    text: str,
    *,
    emojis: Sequence[Emoji] | None = None,
    line_id_attribute: str = DEFAULT_LINE_ID_ATTRIBUTE,
    token_block: str = DEFAULT_TOKEN_BLOCK,
    notification_disabled: bool = False,
    retry_key: bool = True,
) -> WebhookTemplate:
    """Braze's "LINE Text" seed: one text message, Liquid and LINE emoji allowed.

    LINE emoji (``$`` placeholders with ``emojis``) must come before any Liquid in the text.

    Example:
        >>> tpl = text_template("Hi {{${first_name}}}")
        >>> '"text":"Hi {{${first_name} | json_escape}}"' in tpl.body
        True
    """
    from line_braze.line.models import TextMessage

    message = TextMessage(
        text=text,
        emojis=tuple(emojis) if emojis else None,
    )
    return build_webhook_template(
        [message],
        line_id_attribute=line_id_attribute,
        token_block=token_block,
        notification_disabled=notification_disabled,
        retry_key=retry_key,
    )


def sticker_template(
    package_id: str,
    sticker_id: str,
    *,
    line_id_attribute: str = DEFAULT_LINE_ID_ATTRIBUTE,
    token_block: str = DEFAULT_TOKEN_BLOCK,
    notification_disabled: bool = False,
    retry_key: bool = True,
) -> WebhookTemplate:
    """Braze's "LINE Sticker" seed: one sticker from LINE's list of sendable stickers.

    Example:
        >>> '"packageId":"446","stickerId":"1988"' in sticker_template("446", "1988").body
        True
    """
    from line_braze.line.models import StickerMessage

    return build_webhook_template(
        [StickerMessage(package_id=str(package_id), sticker_id=str(sticker_id))],
        line_id_attribute=line_id_attribute,
        token_block=token_block,
        notification_disabled=notification_disabled,
        retry_key=retry_key,
    )


def image_template(
    original_content_url: str,
    preview_image_url: str,
    *,
    line_id_attribute: str = DEFAULT_LINE_ID_ATTRIBUTE,
    token_block: str = DEFAULT_TOKEN_BLOCK,
    notification_disabled: bool = False,
    retry_key: bool = True,
) -> WebhookTemplate:
    """Braze's "LINE Image" seed: one image (HTTPS JPEG or PNG, and its preview).

    Example:
        >>> tpl = image_template("https://example.com/images/original.jpg",
        ...                      "https://example.com/images/preview.jpg")
        >>> '"originalContentUrl":"https://example.com/images/original.jpg"' in tpl.body
        True
    """
    from line_braze.line.models import ImageMessage

    return build_webhook_template(
        [
            ImageMessage(
                original_content_url=original_content_url, preview_image_url=preview_image_url
            )
        ],
        line_id_attribute=line_id_attribute,
        token_block=token_block,
        notification_disabled=notification_disabled,
        retry_key=retry_key,
    )


def carousel_template(
    columns: Sequence[CarouselColumn],
    *,
    alt_text: str,
    line_id_attribute: str = DEFAULT_LINE_ID_ATTRIBUTE,
    token_block: str = DEFAULT_TOKEN_BLOCK,
    notification_disabled: bool = False,
    retry_key: bool = True,
) -> WebhookTemplate:
    """Braze's "LINE Carousel" seed: a template message with 1-10 columns.

    Example:
        >>> from line_braze.line.models import CarouselColumn, UriAction
        >>> col = CarouselColumn(text="Spring sale", actions=[
        ...     UriAction(label="Shop", uri="https://example.com/sale")])
        >>> '"type":"carousel"' in carousel_template([col], alt_text="Our sale").body
        True
    """
    from line_braze.line.models import CarouselTemplate, TemplateMessage

    carousel = CarouselTemplate(columns=tuple(columns))
    message = TemplateMessage(alt_text=alt_text, template=carousel)
    return build_webhook_template(
        [message],
        line_id_attribute=line_id_attribute,
        token_block=token_block,
        notification_disabled=notification_disabled,
        retry_key=retry_key,
    )
