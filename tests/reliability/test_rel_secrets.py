"""One full run with known credentials: none of them shows up anywhere a person could see it.

The run covers the whole chain on the emulators (sync, install and rotate the token, preview,
send_test, a webhook, an API error and transport errors, retries after faults) with logging
at DEBUG on the root logger and every warning recorded. Then every repr, str, rich and HTML
form of everything returned, every exception (its args and ``__cause__``/``__context__``
chain), every log record and every warning is searched for the known values.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from typing import Any

import pytest

from line_braze import (
    BrazeClient,
    Integration,
    LineClient,
    RetryPolicy,
    Secret,
)
from line_braze.errors import AuthenticationError, LineBrazeError, TransportError
from line_braze.line import TextMessage
from line_braze.templates import text_template
from line_braze.testing import BrazeEmulator, LineEmulator, follower_id
from line_braze.testing.webhooks import follow_event, unfollow_event

pytestmark = pytest.mark.reliability

LINE_TOKEN = "LiNeT0ken-9f8e7d6c5b4a-known-value"
API_KEY = "BrAzeK3y-1a2b3c4d5e6f-known-value"
WRONG_KEY = "Wr0ngK3y-0f0e0d0c0b0a-known-value"
WRONG_TOKEN = "Wr0ngT0ken-a1b1c1d1e1-known-value"
CHANNEL_SECRET = "ChAnnelS3cret-77aa88bb99-known"
CHANNEL_ID = "1656789012"
BLOCK_CONTENT = "Bl0ckC0ntent-c0ffee-known-value"
KNOWN = [LINE_TOKEN, API_KEY, WRONG_KEY, WRONG_TOKEN, CHANNEL_SECRET, BLOCK_CONTENT]


def _no_sleep(_seconds: float) -> None:
    return None


def _forms(obj: object) -> Iterator[str]:
    """Every display form of ``obj`` (and of its attributes one level down)."""
    yield repr(obj)
    yield str(obj)
    yield format(obj, "")
    html = getattr(obj, "_repr_html_", None)
    if callable(html):
        yield str(html())
    rich = getattr(obj, "__rich_repr__", None)
    if callable(rich):
        yield repr(list(rich()))


def _exception_forms(exc: BaseException) -> Iterator[str]:
    seen: set[int] = set()
    item: BaseException | None = exc
    while item is not None and id(item) not in seen:
        seen.add(id(item))
        yield from _forms(item)
        yield repr(item.args)
        yield repr(vars(item))
        yield from getattr(item, "__notes__", ())
        item = item.__cause__ or item.__context__


class Run:
    """Collects everything the run returns and raises."""

    def __init__(self) -> None:
        self.results: list[object] = []
        self.errors: list[BaseException] = []

    def keep(self, value: object) -> Any:
        self.results.append(value)
        return value

    def expect_error(self, kind: type[BaseException], call: Any) -> BaseException:
        with pytest.raises(kind) as info:
            call()
        self.errors.append(info.value)
        return info.value


def test_no_credential_or_content_block_value_leaks_anywhere(  # noqa: PLR0915 - one run, in order
    caplog: pytest.LogCaptureFixture,
) -> None:
    run = Run()
    secrets = list(KNOWN)
    with (
        caplog.at_level(logging.DEBUG),
        warnings.catch_warnings(record=True) as caught,
        LineEmulator(
            followers=160,
            access_token=LINE_TOKEN,
            channel_id=CHANNEL_ID,
            channel_secret=CHANNEL_SECRET,
        ) as line_emu,
        BrazeEmulator(api_key=API_KEY) as braze_emu,
    ):
        warnings.simplefilter("always")
        logging.getLogger().setLevel(logging.DEBUG)
        line = run.keep(
            LineClient(
                LINE_TOKEN,
                base_url=line_emu.url,
                retry=RetryPolicy(attempts=3),
                sleep=_no_sleep,
            )
        )
        braze = run.keep(
            BrazeClient(
                Secret(API_KEY),
                rest_endpoint=braze_emu.url,
                retry=RetryPolicy(attempts=3),
                sleep=_no_sleep,
            )
        )
        integ = run.keep(Integration(line=line, braze=braze, channel_secret=CHANNEL_SECRET))
        run.keep(integ.config)

        # retries after faults are logged; the log lines must stay clean too
        braze_emu.queue_fault("server_error", path="/users/track", count=2)
        line_emu.queue_fault("lost", path="/v2/bot/followers/ids")
        run.keep(integ.sync_followers(progress=run.keep))

        run.keep(integ.install_access_token())
        run.keep(integ.install_access_token())  # the update path
        run.keep(braze.content_blocks.create("Other_Block", BLOCK_CONTENT))
        run.keep(braze.content_blocks.find("Other_Block"))
        run.keep(list(braze.content_blocks.list()))

        rotation = run.keep(
            integ.rotate_access_token(channel_id=CHANNEL_ID, channel_secret=CHANNEL_SECRET)
        )
        secrets.append(rotation.new_token.reveal())
        assert rotation.revoked_old
        assert not line_emu.token_is_valid(LINE_TOKEN)
        # the client keeps the old token: continue with one holding the new token
        line2 = run.keep(LineClient(rotation.new_token, base_url=line_emu.url, sleep=_no_sleep))
        integ2 = run.keep(Integration(line=line2, braze=braze, channel_secret=CHANNEL_SECRET))

        template = run.keep(integ2.webhook_template([TextMessage(text="Hi {{${first_name}}}")]))
        run.keep(text_template("Hello"))
        user = {"first_name": "Ann", "line_id": follower_id(1)}
        preview = run.keep(integ2.preview(template, user))
        assert not preview.aborted
        # the rendered request does carry the token...
        assert preview.headers["Authorization"] == "Bearer " + rotation.new_token.reveal()
        run.keep(preview.masked_headers())  # ...and masked wherever it is shown

        run.keep(integ2.send_test(template, line_id=follower_id(1), user={"first_name": "Ann"}))
        run.keep(
            line2.messages.multicast([follower_id(2), follower_id(3)], [TextMessage(text="x")])
        )
        run.keep(line2.tokens.verify(rotation.new_token))

        delivery = line_emu.deliver_webhook(
            lambda body, sig: run.keep(integ2.handle_webhook(body, sig)),
            [follow_event(follower_id(5)), unfollow_event(follower_id(6))],
        )
        run.keep(delivery)

        # forced API errors: a revoked token, a wrong key, a bad channel secret
        revoked = run.keep(
            LineClient(LINE_TOKEN, base_url=line_emu.url, sleep=_no_sleep)
        )  # another holder of the rotated-away (revoked) token
        run.expect_error(AuthenticationError, revoked.followers.page)
        wrong_line = run.keep(LineClient(WRONG_TOKEN, base_url=line_emu.url, sleep=_no_sleep))
        run.expect_error(AuthenticationError, lambda: wrong_line.profiles.get(follower_id(1)))
        wrong_braze = run.keep(BrazeClient(WRONG_KEY, rest_endpoint=braze_emu.url, sleep=_no_sleep))
        run.expect_error(AuthenticationError, lambda: wrong_braze.content_blocks.get("x"))
        run.expect_error(
            AuthenticationError,
            lambda: wrong_braze.users.track(attributes=[{"external_id": "u1", "a": 1}]),
        )
        run.expect_error(
            LineBrazeError,
            lambda: line2.tokens.issue_short_lived(CHANNEL_ID, "not-" + CHANNEL_SECRET),
        )
        run.expect_error(
            LineBrazeError, lambda: integ2.handle_webhook(b'{"events":[]}', "bm9wZQ==")
        )

        # forced transport errors: an answer lost on a one-attempt client, then a dead port
        one_shot = run.keep(
            BrazeClient(
                API_KEY, rest_endpoint=braze_emu.url, retry=RetryPolicy.none(), sleep=_no_sleep
            )
        )
        braze_emu.queue_fault("lost", path="/content_blocks/update")
        block_id = braze_emu.content_blocks[0].content_block_id
        run.expect_error(
            TransportError,
            lambda: one_shot.content_blocks.update(block_id, content=BLOCK_CONTENT + "-2"),
        )
        secrets.append(BLOCK_CONTENT + "-2")
        dead_url = line_emu.url
    dead = run.keep(
        LineClient(LINE_TOKEN, base_url=dead_url, retry=RetryPolicy(attempts=2), sleep=_no_sleep)
    )
    run.expect_error(
        TransportError, lambda: dead.messages.push(follower_id(1), [TextMessage(text="x")])
    )
    for client in (line, braze, line2, wrong_line, wrong_braze, one_shot, dead):
        client.close()

    # the run did exercise logging and errors
    assert any(r.name.startswith("line_braze") for r in caplog.records)
    assert any("retrying" in r.getMessage() for r in caplog.records)
    assert len(run.errors) == 8  # users.track with a wrong key raises too

    haystack: list[tuple[str, str]] = []
    for value in run.results:
        haystack.extend(("result " + type(value).__name__, text) for text in _forms(value))
        if isinstance(value, list):
            for item in value:
                haystack.extend(("item " + type(item).__name__, text) for text in _forms(item))
    for exc in run.errors:
        haystack.extend(("error " + type(exc).__name__, text) for text in _exception_forms(exc))
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    for record in caplog.records:
        where = f"log {record.name}"
        haystack.append((where, record.getMessage()))
        haystack.append((where, repr(record.args)))
        haystack.append((where, formatter.format(record)))
    haystack.extend(("warning", str(warning.message)) for warning in caught)
    assert len(haystack) > 100

    leaks = [
        (where, secret[:8]) for where, text in haystack for secret in secrets if secret in text
    ]
    assert leaks == []
