"""Checked by mypy (strict), never run: the public API's types as users see them.

`assert_type` fails the type check if an annotation drifts; ``# type: ignore`` lines with
``warn_unused_ignores`` prove that misuse is still a type error.
"""

from __future__ import annotations

from collections.abc import Iterator

from typing_extensions import assert_type

from line_braze import (
    BrazeClient,
    ClientOptions,
    Integration,
    LineClient,
    SyncReport,
    Timeout,
    WebhookTemplate,
)
from line_braze.line import (
    CarouselColumn,
    CarouselTemplate,
    MessageAction,
    PostbackAction,
    TemplateMessage,
    TextMessage,
    UriAction,
)
from line_braze.mirror import (
    AppliedState,
    BoundedEventStore,
    EventStore,
    WebhookReport,
    WebhookWrite,
)
from line_braze.preview import Preview
from line_braze.progress import ProgressBar
from line_braze.testing import BrazeEmulator, LineEmulator, emulator_env, serve_emulators


def followers(line: LineClient) -> None:
    assert_type(line.followers.iter_ids(), Iterator[str])
    line.followers.iter_ids(start=1)  # type: ignore[arg-type]


def carousel() -> TemplateMessage:
    column = CarouselColumn(
        text="Pick one",
        actions=[
            UriAction(label="Open", uri="https://example.com"),
            MessageAction(label="Say", text="hi"),
            PostbackAction(label="Data", data="a=1"),
        ],
    )
    return TemplateMessage(alt_text="Menu", template=CarouselTemplate(columns=[column]))


def facade(line: LineClient, braze: BrazeClient) -> None:
    integ = Integration(line=line, braze=braze, channel_secret="secret")
    assert_type(integ.line, LineClient)
    assert_type(integ.braze, BrazeClient)
    assert_type(integ.sync_followers(start=None), SyncReport)
    tpl = integ.webhook_template([TextMessage(text="Hi"), carousel()])
    assert_type(tpl, WebhookTemplate)
    assert_type(tpl.url, str)
    assert_type(integ.preview(tpl, user={"line_id": "U1"}), Preview)
    integ.webhook_template(TextMessage(text="Hi"))  # type: ignore[arg-type]


def mirror(line: LineClient, braze: BrazeClient) -> None:
    store = BoundedEventStore(maxsize=10)
    integ = Integration(line=line, braze=braze, channel_secret="secret", event_store=store)
    assert_type(integ.event_store, EventStore)
    report = integ.handle_webhook(b"{}", "signature")
    assert_type(report, WebhookReport)
    assert_type(report.stale, int)
    assert_type(report.failed, tuple[str, ...])
    assert_type(report.skipped, tuple[WebhookWrite, ...])
    assert_type(store.last_applied("U1"), AppliedState | None)
    assert_type(store.advance("U1", AppliedState(timestamp=1, following=True)), AppliedState | None)


def progress(integ: Integration) -> None:
    assert_type(integ.sync_followers(progress=True), SyncReport)
    with ProgressBar(total=10) as bar:
        assert_type(integ.sync_followers(progress=bar), SyncReport)
    integ.sync_followers(progress="yes")  # type: ignore[arg-type]


def emulators(line: LineEmulator, braze: BrazeEmulator) -> None:
    assert_type(emulator_env(line, braze), dict[str, str])
    assert_type(serve_emulators(followers=5), int)


def options() -> None:
    shared = ClientOptions(timeout=Timeout(read=5), pool_size=8)
    assert_type(LineClient("t", options=shared).options, ClientOptions)
    assert_type(LineClient.from_env(options=shared, pool_size=4), LineClient)
    assert_type(BrazeClient.from_env(max_concurrency=8, options=shared), BrazeClient)
    LineClient.from_env(timeout=5)  # type: ignore[arg-type]
    LineClient("t", sleep=print)  # type: ignore[call-arg]
