"""Syncs and sends that stop: an empty account, Ctrl-C, a refused token, a track that fails.

Each test runs real HTTP against the loopback emulators and checks what the emulators hold,
not only what the library reported: after a stop, the report and the resume token must say
what was really written, and resuming from the token must lose nobody.
"""

from __future__ import annotations

import _thread
import base64
import io
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import pytest

from line_braze import (
    BrazeClient,
    Integration,
    IntegrationConfig,
    LineClient,
    RetryPolicy,
    SyncInterrupted,
    SyncReport,
)
from line_braze.braze.models import BatchOutcome, TrackResult
from line_braze.cli import main
from line_braze.demo import run_demo
from line_braze.errors import (
    AuthenticationError,
    LineBrazeError,
    PartialFailure,
    ServerError,
    ValidationError,
)
from line_braze.integration import SyncProgress
from line_braze.progress import ProgressBar
from line_braze.templates import WebhookTemplate, text_template
from line_braze.testing import BrazeEmulator, LineEmulator, fake_time, follower_id

pytestmark = pytest.mark.reliability

NO_WAIT = RetryPolicy(attempts=2, wait_initial=0, wait_max=0, wait_jitter=0)


def _no_sleep(_seconds: float) -> None:
    return None


World = Callable[..., tuple[Integration, LineEmulator, BrazeEmulator]]


@pytest.fixture
def world(
    line_emulator_factory: Callable[..., LineEmulator],
    braze_emulator_factory: Callable[..., BrazeEmulator],
) -> Iterator[World]:
    """Make an Integration over fresh emulators; clients close at the end."""
    made: list[Integration] = []

    def make(
        followers: int = 0, *, concurrency: int = 4, page_size: int = 1000, key: str | None = None
    ) -> tuple[Integration, LineEmulator, BrazeEmulator]:
        line_emu = line_emulator_factory(followers=followers)
        braze_emu = braze_emulator_factory()
        line = fake_time(
            LineClient(line_emu.access_token, base_url=line_emu.url, retry=NO_WAIT),
            sleep=_no_sleep,
        )
        braze = fake_time(
            BrazeClient(
                key or braze_emu.api_key,
                rest_endpoint=braze_emu.url,
                retry=NO_WAIT,
                max_concurrency=concurrency,
            ),
            sleep=_no_sleep,
        )
        integ = Integration(line=line, braze=braze, config=IntegrationConfig(page_size=page_size))
        made.append(integ)
        return integ, line_emu, braze_emu

    yield make
    for integ in made:
        integ.line.close()
        integ.braze.close()


def _offset(token: str | None) -> int:
    """The follower index a LineEmulator ``next`` token points at (0 for the start)."""
    if token is None:
        return 0
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    return int(raw.partition(":")[2])


def _line_ids(braze_emu: BrazeEmulator) -> set[str]:
    return {str(p.attributes.get("line_id")) for p in braze_emu.profiles}


def _env(line_emu: LineEmulator, braze_emu: BrazeEmulator) -> dict[str, str]:
    return {
        "LINE_CHANNEL_ACCESS_TOKEN": line_emu.access_token,
        "LINE_API_BASE_URL": line_emu.url,
        "BRAZE_API_KEY": braze_emu.api_key,
        "BRAZE_REST_ENDPOINT": braze_emu.url,
    }


# -- an account with no followers ---------------------------------------------------------------


def test_a_sync_of_an_account_without_followers_is_complete(world: World) -> None:
    integ, _, braze_emu = world(followers=0)
    report = integ.sync_followers()
    assert report.complete
    assert report.resume_token is None
    assert (report.followers_read, report.profiles_written, report.pages) == (0, 0, 1)
    assert braze_emu.profile_count == 0


def test_the_demo_without_followers_passes_and_claims_no_push() -> None:
    out = io.StringIO()
    assert run_demo(followers=0, out=out, err=io.StringIO()) == 0, out.getvalue()
    text = out.getvalue()
    assert "FAIL" not in text
    assert "pushed" not in text
    assert "no follower to send to" in text


# -- Ctrl-C -------------------------------------------------------------------------------------


def _interrupt_after(followers: int) -> Callable[[SyncProgress], None]:
    """A progress callback that presses Ctrl-C once the first ``followers`` are written."""
    pressed: list[SyncProgress] = []

    def progress(p: SyncProgress) -> None:
        if _offset(p.resume_token) >= followers and not pressed:
            pressed.append(p)
            _thread.interrupt_main()

    return progress


@pytest.mark.usefixtures("ctrl_c")
@pytest.mark.parametrize("concurrency", [1, 4])
def test_ctrl_c_raises_sync_interrupted_saying_what_was_written(
    world: World, concurrency: int
) -> None:
    integ, _, braze_emu = world(followers=6000, page_size=200, concurrency=concurrency)
    with pytest.raises(SyncInterrupted) as caught:
        integ.sync_followers(progress=_interrupt_after(400))
    exc = caught.value
    # still a KeyboardInterrupt: `except Exception` in the caller's code does not swallow it
    assert isinstance(exc, KeyboardInterrupt)
    assert not isinstance(exc, Exception)
    assert isinstance(exc.__cause__, KeyboardInterrupt)
    report = exc.report
    assert isinstance(report, SyncReport)
    assert not report.complete
    assert exc.resume_from == report.resume_token
    assert exc.resume_from is not None
    # the report says what Braze really holds, and everything before the token is there
    assert report.profiles_written == braze_emu.profile_count
    written = _line_ids(braze_emu)
    offset = _offset(exc.resume_from)
    assert offset >= 400
    assert all(follower_id(i) in written for i in range(offset))
    assert "start=None" not in str(exc)

    again = integ.sync_followers(start=exc.resume_from)
    assert again.complete
    assert _line_ids(braze_emu) == {follower_id(i) for i in range(6000)}


@pytest.mark.usefixtures("ctrl_c")
def test_ctrl_c_in_the_cli_prints_the_resume_command_and_exits_130(
    line_emulator_factory: Callable[..., LineEmulator],
    braze_emulator: BrazeEmulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    line_emu = line_emulator_factory(followers=20_000)  # far from done at Ctrl-C
    original = ProgressBar.__call__
    interrupt = _interrupt_after(1000)

    def call(self: ProgressBar, p: SyncProgress) -> None:
        original(self, p)
        interrupt(p)

    monkeypatch.setattr(ProgressBar, "__call__", call)
    out, err = io.StringIO(), io.StringIO()
    code = main(["sync-followers"], environ=_env(line_emu, braze_emulator), stdout=out, stderr=err)
    text = err.getvalue()
    assert code == 130, text
    assert "start=None" not in text
    assert "start=" not in text
    assert f"{braze_emulator.profile_count:,} profiles written" in text
    lines = [s for s in text.splitlines() if "--resume" in s]
    assert len(lines) == 1, text
    line = lines[0]
    token = line.rsplit(" ", 1)[-1]
    assert line.endswith(f"line-braze sync-followers --resume {token}")
    assert _offset(token) >= 1000


# -- a token LINE refuses -----------------------------------------------------------------------


def test_a_resume_token_line_refuses_is_never_offered_again(world: World) -> None:
    integ, _, braze_emu = world(followers=50)
    with pytest.raises(PartialFailure) as caught:
        integ.sync_followers(start="bm90LWEtdG9rZW4")
    exc = caught.value
    assert exc.resume_from is None
    assert isinstance(exc.report, SyncReport)
    assert exc.report.resume_token is None
    assert "bm90LWEtdG9rZW4" not in str(exc)
    assert "start=None" not in str(exc)
    assert isinstance(exc.__cause__, LineBrazeError)
    assert braze_emu.profile_count == 0


def test_the_cli_never_suggests_a_refused_token(
    line_emulator_factory: Callable[..., LineEmulator], braze_emulator: BrazeEmulator
) -> None:
    line_emu = line_emulator_factory(followers=10)
    out, err = io.StringIO(), io.StringIO()
    argv = ["sync-followers", "--resume", "bm90LWEtdG9rZW4"]
    code = main(argv, environ=_env(line_emu, braze_emulator), stdout=out, stderr=err)
    assert code == 1
    text = err.getvalue()
    assert "--resume bm90LWEtdG9rZW4" not in text
    assert "start=None" not in text
    assert "line-braze sync-followers" in text  # start again, without --resume


def test_a_page_line_will_not_serve_still_lets_the_page_before_it_be_written(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    integ, _, braze_emu = world(followers=1000, page_size=200, concurrency=1)
    real = integ.line.followers.pages

    def one_page_then_500(start: str | None = None, *, limit: int = 1000) -> Iterator[Any]:
        yield next(real(start, limit=limit))
        raise ServerError("line", "GET", "/v2/bot/followers/ids", 500, "down")

    monkeypatch.setattr(integ.line.followers, "pages", one_page_then_500)
    with pytest.raises(PartialFailure) as caught:
        integ.sync_followers()
    # 200 = 75 + 75 + 50: the last 50 were still being packed when LINE failed
    assert _offset(caught.value.resume_from) == 200
    assert braze_emu.profile_count == 200
    assert isinstance(caught.value.__cause__, ServerError)


# -- users.track that cannot finish raises -----------------------------------------------------


def _followers(count: int) -> Iterator[dict[str, Any]]:
    for n in range(count):
        yield {"user_alias": {"alias_name": follower_id(n), "alias_label": "line_id"}}


def test_track_with_a_wrong_key_raises_the_error_itself(world: World) -> None:
    integ, _, braze_emu = world(key="a-wrong-braze-key")
    with pytest.raises(AuthenticationError) as caught:
        integ.braze.users.track(attributes=_followers(200))
    assert caught.value.status == 401
    assert braze_emu.profile_count == 0


def test_track_that_fails_after_some_batches_raises_partial_failure_with_the_result(
    world: World,
) -> None:
    integ, _, braze_emu = world(concurrency=1)

    def fail_the_rest(outcome: BatchOutcome) -> None:
        if outcome.start == 0:
            braze_emu.queue_fault("server_error", path="/users/track", count=100)

    with pytest.raises(PartialFailure) as caught:
        integ.braze.users.track(attributes=_followers(200), on_batch=fail_the_rest)
    result = caught.value.report
    assert isinstance(result, TrackResult)
    assert result.attributes_processed == 75 == braze_emu.profile_count
    assert result.failures
    assert isinstance(caught.value.__cause__, ServerError)


def test_objects_braze_refuses_stay_in_the_result(world: World) -> None:
    integ, _, _ = world()
    result = integ.braze.users.track(
        attributes=[{"external_id": "u1"}, {"external_id": "u2", "_update_existing_only": "no"}]
    )
    assert result.ok
    assert [e.index for e in result.errors] == [1]


# -- send_test through Braze ---------------------------------------------------------------------


def test_send_test_via_braze_sends_to_the_line_id_alias(world: World) -> None:
    integ, _, braze_emu = world(followers=3)
    integ.sync_followers()
    integ.send_test(text_template("Hi"), line_id=follower_id(1), via="braze")
    (dispatch,) = braze_emu.dispatches
    assert dispatch.body["user_aliases"] == [
        {"alias_name": follower_id(1), "alias_label": "line_id"}
    ]
    assert "external_user_ids" not in dispatch.body


def test_send_test_via_braze_to_an_external_id_needs_no_line_id(world: World) -> None:
    integ, _, braze_emu = world()
    integ.send_test(text_template("Hi"), via="braze", external_id="customer-1")
    (dispatch,) = braze_emu.dispatches
    assert dispatch.body["external_user_ids"] == ["customer-1"]
    assert "user_aliases" not in dispatch.body


def test_send_test_never_validates_a_line_id_it_would_ignore(world: World) -> None:
    integ, _, braze_emu = world()
    with pytest.raises(ValidationError, match="line_id"):
        integ.send_test(
            text_template("Hi"), line_id=follower_id(1), via="braze", external_id="customer-1"
        )
    with pytest.raises(ValidationError, match="line_id"):
        integ.send_test(text_template("Hi"), via="line")
    assert braze_emu.dispatches == []


def test_the_cli_sends_a_test_through_braze_to_an_external_id_alone(
    line_emulator: LineEmulator, braze_emulator: BrazeEmulator
) -> None:
    out, err = io.StringIO(), io.StringIO()
    argv = ["send-test", "text", "--via", "braze", "--external-id", "customer-1"]
    code = main(argv, environ=_env(line_emulator, braze_emulator), stdout=out, stderr=err)
    assert code == 0, err.getvalue()
    (dispatch,) = braze_emulator.dispatches
    assert dispatch.body["external_user_ids"] == ["customer-1"]


# -- send_test through LINE: notificationDisabled taken strictly ----------------------------------


def _with_disabled(raw: str) -> WebhookTemplate:
    tpl = text_template("Hi")
    body = tpl.body.replace('"messages":', f'"notificationDisabled":{raw},"messages":', 1)
    assert body != tpl.body
    return attrs.evolve(tpl, body=body)


@pytest.mark.parametrize("raw", ['"false"', '"no"', "0", "1", "null"])
def test_send_test_refuses_a_notification_disabled_that_is_not_a_bool(
    world: World, raw: str
) -> None:
    integ, line_emu, _ = world(followers=1)
    integ.install_access_token()
    with pytest.raises(ValidationError, match="notificationDisabled"):
        integ.send_test(_with_disabled(raw), line_id=follower_id(0))
    assert line_emu.pushes == []


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("false", False)])
def test_send_test_pushes_the_template_s_notification_disabled(
    world: World, raw: str, *, expected: bool
) -> None:
    integ, line_emu, _ = world(followers=1)
    integ.install_access_token()
    integ.send_test(_with_disabled(raw), line_id=follower_id(0))
    (push,) = line_emu.pushes
    assert push.notification_disabled is expected
