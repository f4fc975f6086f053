"""The ``line-braze`` command line against the emulators, through `line_braze.cli.main`."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from line_braze.cli import main
from line_braze.testing import BrazeEmulator, LineEmulator, follower_id

pytestmark = pytest.mark.integration


def _env(line_emu: LineEmulator, braze_emu: BrazeEmulator) -> dict[str, str]:
    return {
        "LINE_CHANNEL_ACCESS_TOKEN": line_emu.access_token,
        "LINE_CHANNEL_SECRET": line_emu.channel_secret,
        "LINE_API_BASE_URL": line_emu.url,
        "BRAZE_API_KEY": braze_emu.api_key,
        "BRAZE_REST_ENDPOINT": braze_emu.url,
    }


def _run(argv: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, environ=env, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def _no_secret(env: dict[str, str], *texts: str) -> None:
    for name in ("LINE_CHANNEL_ACCESS_TOKEN", "LINE_CHANNEL_SECRET", "BRAZE_API_KEY"):
        for text in texts:
            assert env[name] not in text, name


def test_sync_followers_writes_them_all_and_reports(
    line_emulator_factory: object, braze_emulator: BrazeEmulator
) -> None:
    assert callable(line_emulator_factory)
    line_emu: LineEmulator = line_emulator_factory(followers=1200)
    env = _env(line_emu, braze_emulator)
    code, out, err = _run(["sync-followers"], env)
    assert code == 0, err
    assert "synced 1,200 followers into Braze: 1,200 written, 0 refused, 2 pages" in out
    assert braze_emulator.profile_count == 1200
    _no_secret(env, out, err)


def test_sync_failure_prints_the_resume_command_and_exits_1(
    line_emulator_factory: object, braze_emulator: BrazeEmulator
) -> None:
    assert callable(line_emulator_factory)
    line_emu: LineEmulator = line_emulator_factory(followers=10)
    env = _env(line_emu, braze_emulator) | {"BRAZE_API_KEY": "a-revoked-braze-key"}
    code, out, err = _run(["sync-followers"], env)
    assert code == 1
    assert out == ""
    assert "error: follower sync stopped after 0 profiles" in err
    assert "401" in err
    assert braze_emulator.profile_count == 0
    _no_secret(env, err)


def test_missing_credentials_are_named_and_exit_2() -> None:
    code, out, err = _run(["token", "install"], {"BRAZE_API_KEY": "k"})
    assert code == 2
    assert out == ""
    assert "LINE_CHANNEL_ACCESS_TOKEN" in err
    assert "BRAZE_REST_ENDPOINT" in err
    assert "BRAZE_API_KEY" not in err.split(":", 2)[-1]


def test_token_install_twice_keeps_one_block(
    line_emulator: LineEmulator, braze_emulator: BrazeEmulator
) -> None:
    env = _env(line_emulator, braze_emulator)
    assert _run(["token", "install"], env)[0] == 0
    code, out, err = _run(["token", "install"], env)
    assert code == 0, err
    assert "LINE_Channel_AccessToken" in out
    assert len(braze_emulator.content_blocks) == 1
    _no_secret(env, out, err)


def test_token_rotate_replaces_the_block_and_revokes(
    line_emulator: LineEmulator, braze_emulator: BrazeEmulator
) -> None:
    env = _env(line_emulator, braze_emulator)
    _run(["token", "install"], env)
    code, out, err = _run(["token", "rotate", "--channel-id", line_emulator.channel_id], env)
    assert code == 0, err
    assert "verified=True, old revoked=True" in out
    block = braze_emulator.content_block("LINE_Channel_AccessToken")
    assert block is not None
    assert block.content != line_emulator.access_token
    assert block.content not in out + err
    assert not line_emulator.token_is_valid(line_emulator.access_token)


@pytest.mark.parametrize("kind", ["text", "sticker", "image", "carousel"])
def test_template_export_prints_what_brazes_composer_takes(kind: str, tmp_path: Path) -> None:
    code, out, _ = _run(["template", "export", kind], {})
    assert code == 0
    data = json.loads(out)
    assert data["url"] == "https://api.line.me/v2/bot/message/push"
    assert data["request_method"] == "POST"
    target = tmp_path / "t.json"
    assert _run(["template", "export", kind, "-o", str(target)], {})[0] == 0
    assert json.loads(target.read_text(encoding="utf-8")) == data


def test_preview_renders_for_a_user_with_the_token_masked(
    line_emulator: LineEmulator, braze_emulator: BrazeEmulator, tmp_path: Path
) -> None:
    env = _env(line_emulator, braze_emulator)
    _run(["token", "install"], env)
    user = tmp_path / "user.json"
    user.write_text(json.dumps({"line_id": follower_id(1), "first_name": "Ann"}))
    code, out, err = _run(["preview", "text", "--user", str(user)], env)
    assert code == 0, err
    assert out.startswith("POST https://api.line.me/v2/bot/message/push\n")
    assert follower_id(1) in out
    assert "Hello Ann!" in out
    _no_secret(env, out, err)


def test_preview_of_a_user_without_line_id_says_aborted(
    line_emulator: LineEmulator, braze_emulator: BrazeEmulator, tmp_path: Path
) -> None:
    env = _env(line_emulator, braze_emulator)
    _run(["token", "install"], env)
    user = tmp_path / "user.json"
    user.write_text("{}")
    code, out, _ = _run(["preview", "sticker", "--user", str(user)], env)
    assert code == 0
    assert out.startswith("aborted: no line_id")


def test_preview_takes_connected_content_and_catalogs_from_data(
    line_emulator: LineEmulator, braze_emulator: BrazeEmulator, tmp_path: Path
) -> None:
    env = _env(line_emulator, braze_emulator)
    _run(["token", "install"], env)
    text = (
        "{% connected_content https://api.example.com/me :save me %}"
        "{% catalog_items games 1234 %}{{me.nickname}} plays {{items[0].title}}"
    )
    template = tmp_path / "t.json"
    _run(["template", "export", "text", "--text", text, "-o", str(template)], env)
    user = tmp_path / "user.json"
    user.write_text(json.dumps({"line_id": follower_id(1)}))
    data = tmp_path / "data.json"
    data.write_text(
        json.dumps(
            {
                "connected_content": {"https://api.example.com/me": {"nickname": "Annie"}},
                "catalogs": {"games": {"1234": {"title": "Tetris"}}},
            }
        )
    )
    code, out, err = _run(["preview", str(template), "--user", str(user), "--data", str(data)], env)
    assert code == 0, err
    assert "Annie plays Tetris" in out
    data.write_text(json.dumps({"connected_contents": {}}))
    code, _, err = _run(["preview", str(template), "--user", str(user), "--data", str(data)], env)
    assert code == 2
    assert "--data" in err


def test_send_test_pushes_once_to_that_user(
    line_emulator_factory: object, braze_emulator: BrazeEmulator
) -> None:
    assert callable(line_emulator_factory)
    line_emu: LineEmulator = line_emulator_factory(followers=3)
    env = _env(line_emu, braze_emulator)
    _run(["token", "install"], env)
    code, _, err = _run(["send-test", "sticker", "--line-id", follower_id(2)], env)
    assert code == 0, err
    assert len(line_emu.pushes_to(follower_id(2))) == 1


def test_bad_usage_exits_2() -> None:
    assert _run(["no-such-command"], {})[0] == 2
    assert _run(["preview", "nonexistent.json", "--user", "x.json"], {})[0] == 2


def test_demo_runs_every_step_green() -> None:
    code, out, _ = _run(["demo", "--followers", "400"], {})
    assert code == 0, out
    assert "FAIL" not in out
    assert "demo complete: 400 followers synced" in out


def test_python_dash_m_is_the_same_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "line_braze", "template", "export", "sticker"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["request_method"] == "POST"


def test_progress_off_a_terminal_is_throttled_but_ends_on_the_last_snapshot() -> None:
    from line_braze.cli import ProgressBar
    from line_braze.integration import SyncProgress

    stream = io.StringIO()
    bar = ProgressBar(stream, label="sync")
    for pages in (1, 2, 3):
        bar(
            SyncProgress(
                followers_read=pages * 1000,
                profiles_written=pages * 1000,
                pages=pages,
                resume_token=None,
                elapsed=1.0,
            )
        )
    bar.done()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2  # the first, then (throttled) only the last
    assert "1,000 written" in lines[0]
    assert "3,000 written, 3 pages" in lines[1]
