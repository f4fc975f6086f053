"""``line-braze demo``: the five steps end to end on the built-in emulators, no credentials.

It starts `line_braze.testing.LineEmulator` (with a few thousand followers) and
`line_braze.testing.BrazeEmulator` on loopback, points real clients at them, and runs:

1-2. ``sync_followers``: every follower into Braze as an alias-only profile with ``line_id``;
3.   ``install_access_token`` (twice: still one Content Block);
4.   the four webhook templates (text with a LINE emoji, sticker, image, carousel);
5.   a preview for one user, a test send, and the "``line_id`` exists" segment filter;
then a follow and an unfollow webhook, signed by the LINE emulator, through
``handle_webhook``. Every step is checked against the emulators' state; the summary says
what each step did, and the exit code is 1 if any check failed.

Example:
    >>> import io
    >>> out = io.StringIO()
    >>> run_demo(followers=150, out=out, err=io.StringIO())
    0
    >>> "150 followers" in out.getvalue()
    True
"""

from __future__ import annotations

import json
import sys
import time
from typing import TYPE_CHECKING, Final, TextIO

if TYPE_CHECKING:
    from line_braze.templates import WebhookTemplate

__all__ = [
    "DEMO_IMAGE_URL",
    "DEMO_PREVIEW_URL",
    "DEMO_TEXT",
    "demo_carousel_template",
    "run_demo",
]

#: Seed values used by ``line-braze template export`` and the demo.
DEMO_TEXT: Final = "Hello {{${first_name} | default: 'there'}}! Thanks for following us."
DEMO_IMAGE_URL: Final = "https://example.com/images/original.jpg"
DEMO_PREVIEW_URL: Final = "https://example.com/images/preview.jpg"

#: The demo's first-name for the preview and the test send.
DEMO_USER_NAME = 'Ann "the tester"'


class _Checks:
    """Collects the demo's checks; any failure turns the exit code to 1."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.failed: list[str] = []

    def step(self, title: str, ok: bool, detail: str) -> None:
        mark = "ok " if ok else "FAIL"
        self.out.write(f"  [{mark}] {title}: {detail}\n")
        if not ok:
            self.failed.append(title)


def run_demo(  # noqa: PLR0915 - reads top to bottom as the five steps
    *,
    followers: int = 3000,
    latency_ms: float = 0.0,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Run steps 1-5 on loopback emulators and print a summary; return the exit code.

    Args:
        followers: how many followers the LINE emulator has.
        latency_ms: latency the emulators add to every request, in milliseconds.
        out: where the summary goes (default: standard output).
        err: where the progress bar goes (default: standard error).

    Returns:
        0 when every step did what it should, 1 otherwise.
    """
    from line_braze import BrazeClient, Integration, LineClient
    from line_braze.line import Emoji
    from line_braze.progress import ProgressBar
    from line_braze.templates import image_template, sticker_template, text_template
    from line_braze.testing import BrazeEmulator, Faults, LineEmulator, follower_id
    from line_braze.testing.webhooks import follow_event, unfollow_event

    out = out or sys.stdout
    err = err or sys.stderr
    faults = Faults(latency_ms=latency_ms)
    t0 = time.perf_counter()
    with (
        LineEmulator(followers=followers, faults=faults) as line_emu,
        BrazeEmulator(faults=faults) as braze_emu,
    ):
        line = LineClient(line_emu.access_token, base_url=line_emu.url)
        braze = BrazeClient(braze_emu.api_key, rest_endpoint=braze_emu.url)
        integ = Integration(line=line, braze=braze, channel_secret=line_emu.channel_secret)
        checks = _Checks(out)
        out.write(
            f"line_braze demo: LINE emulator {line_emu.url} ({followers:,} followers), "
            f"Braze emulator {braze_emu.url}\n"
        )

        # Steps 1-2: followers into Braze.
        bar = ProgressBar(err, label="sync", total=followers)
        report = integ.sync_followers(progress=bar)
        bar.done()
        first = follower_id(0)
        profile = braze_emu.profile(alias=("line_id", first)) if followers else None
        checks.step(
            "1-2 sync followers",
            report.complete
            and report.profiles_written == followers
            and braze_emu.profile_count == followers
            and (profile is None or profile.attributes.get("line_id") == first),
            f"{report.followers_read:,} followers read in {report.pages} pages, "
            f"{report.profiles_written:,} profiles written with {report.requests} "
            f"/users/track requests in {report.elapsed:.2f}s",
        )

        # Step 3: the token in a Content Block, installed twice.
        integ.install_access_token()
        block = integ.install_access_token()
        blocks = [b for b in braze_emu.content_blocks if b.name == integ.config.token_block]
        stored = blocks[0].content if blocks else ""
        checks.step(
            "3   token Content Block",
            len(blocks) == 1 and stored == line_emu.access_token,
            f"{block.name} ({block.content_block_id}) holds the channel token; "
            f"installed twice, {len(blocks)} block",
        )

        # Step 4: the four templates.
        templates = {
            "text": text_template(
                "$ Hello {{${first_name} | default: 'there'}}! Thanks for following us.",
                emojis=[Emoji(index=0, product_id="5ac1bfd5040ab15980c9b435", emoji_id="001")],
            ),
            "sticker": sticker_template("446", "1988"),
            "image": image_template(
                "https://example.com/images/original.jpg", "https://example.com/images/preview.jpg"
            ),
            "carousel": demo_carousel_template(),
        }
        sizes = ", ".join(f"{k} {len(t.to_json()):,} B" for k, t in templates.items())
        checks.step(
            "4   webhook templates",
            all(t.url == "https://api.line.me/v2/bot/message/push" for t in templates.values()),
            f"exported for Braze's composer: {sizes}",
        )

        # Step 5: preview, test send, segment.
        user = {"line_id": first, "first_name": DEMO_USER_NAME}
        previews = {k: integ.preview(t, user=user) for k, t in templates.items()}
        text_body = previews["text"].json
        rendered = text_body["messages"][0]["text"] if text_body else ""
        token_hidden = all(
            line_emu.access_token not in repr(p) and line_emu.access_token not in str(p)
            for p in previews.values()
        )
        checks.step(
            "5   preview",
            text_body.get("to") == first and DEMO_USER_NAME in rendered and token_hidden,
            f"4 previews valid for LINE; text renders {rendered!r}; token masked",
        )
        if followers:
            before = len(line_emu.pushes_to(first))
            integ.send_test(templates["carousel"], line_id=first, user=user)
            pushed = len(line_emu.pushes_to(first)) - before
            checks.step(
                "5   test send",
                pushed == 1,
                f"carousel pushed to {first[:9]}... through LINE ({pushed} push)",
            )
        else:
            checks.step("5   test send", ok=True, detail="skipped: no follower to send to")
        audience = integ.line_id_audience()
        checks.step(
            "5   segment",
            audience["AND"][0]["custom_attribute"]["comparison"] == "exists",
            "audience filter: custom attribute line_id exists -> " + json.dumps(audience)[:60],
        )

        # Webhooks: a new follower, and one who leaves.
        newcomer = follower_id(followers + 1)
        delivered = line_emu.deliver_webhook(
            integ.handle_webhook, [follow_event(newcomer), unfollow_event(first)]
        )
        wh = delivered.result
        joined = braze_emu.profile(alias=("line_id", newcomer))
        left = braze_emu.profile(alias=("line_id", first)) if followers else None
        checks.step(
            "    follow/unfollow webhooks",
            joined is not None
            and joined.attributes.get("line_id") == newcomer
            and (left is None or left.attributes.get("line_id") is None),
            f"signed by LINE, verified; {len(wh.writes)} writes: "
            + ", ".join(f"{w.event_type} -> {w.action}" for w in wh.writes),
        )

    elapsed = time.perf_counter() - t0
    if checks.failed:
        out.write(f"demo FAILED at: {', '.join(checks.failed)} ({elapsed:.1f}s)\n")
        return 1
    out.write(
        f"demo complete: {followers:,} followers synced, token installed, 4 templates, "
        f"preview, test send and webhooks in {elapsed:.1f}s. Nothing left this machine.\n"
    )
    return 0


def demo_carousel_template(
    *,
    line_id_attribute: str = "line_id",
    token_block: str = "LINE_Channel_AccessToken",  # noqa: S107 - a block name
    notification_disabled: bool = False,
    retry_key: bool = True,
) -> WebhookTemplate:
    """A two-column carousel to start from (used by ``line-braze template export``).

    Example:
        >>> '"altText":"New this week"' in demo_carousel_template().body
        True
    """
    from line_braze.line.models import CarouselColumn, MessageAction, UriAction
    from line_braze.templates import carousel_template

    columns = [
        CarouselColumn(
            thumbnail_image_url="https://example.com/images/item1.jpg",
            title="New arrival",
            text="Picked for {{${first_name} | default: 'you'}}",
            default_action=UriAction(label="View", uri="https://example.com/items/1"),
            actions=(
                UriAction(label="Reserve", uri="https://example.com/items/1/reserve"),
                MessageAction(label="Tell me more", text="Tell me more about item 1"),
            ),
        ),
        CarouselColumn(
            thumbnail_image_url="https://example.com/images/item2.jpg",
            title="Back in stock",
            text="Only a few left",
            default_action=UriAction(label="View", uri="https://example.com/items/2"),
            actions=(
                UriAction(label="Reserve", uri="https://example.com/items/2/reserve"),
                MessageAction(label="Tell me more", text="Tell me more about item 2"),
            ),
        ),
    ]
    return carousel_template(
        columns,
        alt_text="New this week",
        line_id_attribute=line_id_attribute,
        token_block=token_block,
        notification_disabled=notification_disabled,
        retry_key=retry_key,
    )
