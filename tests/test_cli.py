"""The ``line-braze`` command line as a user runs it: processes talking over real sockets.

``line-braze emulators`` runs as a process; its ``export`` lines are the environment of
every command, each run as ``python -m line_braze ...``. What a command did is checked over
HTTP with line_braze's own clients, pointed at the same emulators.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from line_braze import BrazeClient, LineClient
from line_braze.errors import APIError
from line_braze.testing import follower_id

pytestmark = pytest.mark.integration

VARIABLES = {
    "LINE_CHANNEL_ACCESS_TOKEN",
    "LINE_CHANNEL_SECRET",
    "LINE_CHANNEL_ID",
    "LINE_API_BASE_URL",
    "BRAZE_API_KEY",
    "BRAZE_REST_ENDPOINT",
}
SECRETS = ("LINE_CHANNEL_ACCESS_TOKEN", "LINE_CHANNEL_SECRET", "BRAZE_API_KEY")


def _clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without any line_braze variable, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    return env | extra


def cli(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run ``python -m line_braze ARGS`` with exactly ``env``'s line_braze variables."""
    return subprocess.run(
        [sys.executable, "-m", "line_braze", *args],
        env=_clean_env(**env),
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )


def one_error_line(done: subprocess.CompletedProcess[str]) -> str:
    """The single ``line-braze: error: ...`` line a failure prints; no traceback."""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("line-braze: error: "), done.stderr
    return lines[0]


def _read_exports(proc: subprocess.Popen[str]) -> dict[str, str]:
    assert proc.stdout is not None
    env: dict[str, str] = {}
    while len(env) < len(VARIABLES):
        line = proc.stdout.readline()
        assert line, f"emulators exited early: {proc.poll()}"
        words = shlex.split(line)
        assert words[0] == "export", line
        name, _, value = words[1].partition("=")
        env[name] = value
    return env


@contextmanager
def emulators(
    *command: str, followers: int = 1200
) -> Iterator[tuple[subprocess.Popen[str], dict[str, str]]]:
    """Start the emulators as a process; yield it and the variables it exported."""
    argv = list(command) or ["-m", "line_braze", "emulators"]
    proc = subprocess.Popen(
        [sys.executable, *argv, "--followers", str(followers)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_clean_env(),
    )
    try:
        yield proc, _read_exports(proc)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
        try:
            proc.communicate(timeout=20)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()


@pytest.fixture(scope="module")
def served() -> Iterator[dict[str, str]]:
    """One ``line-braze emulators`` process for the tests that do not change the token."""
    with emulators(followers=1200) as (_, env):
        yield env


def _no_secret(env: dict[str, str], *texts: str) -> None:
    for name in SECRETS:
        for text in texts:
            assert env[name] not in text, name


# -- line-braze emulators -----------------------------------------------------------------


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_emulators_export_every_variable_and_stop_cleanly(stop: signal.Signals) -> None:
    with emulators(followers=5) as (proc, env):
        assert set(env) == VARIABLES
        assert env["LINE_API_BASE_URL"].startswith("http://127.0.0.1:")
        assert env["BRAZE_REST_ENDPOINT"].startswith("http://127.0.0.1:")
        # The exported variables are all a from_env constructor needs.
        ids = list(LineClient.from_env(env).followers.iter_ids())
        assert ids == [follower_id(i) for i in range(5)]
        assert BrazeClient.from_env(env).content_blocks.find("nothing") is None
        proc.send_signal(stop)
        _, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert err.splitlines()[-1] == "line-braze: emulators stopped"


def test_python_dash_m_line_braze_testing_starts_the_emulators_too() -> None:
    with emulators("-m", "line_braze.testing", followers=3) as (proc, env):
        assert len(list(LineClient.from_env(env).followers.iter_ids())) == 3
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err


# -- commands against the served emulators ------------------------------------------------


def test_sync_followers_writes_them_all_and_reports(served: dict[str, str]) -> None:
    done = cli("sync-followers", "--total", "1200", env=served)
    assert done.returncode == 0, done.stderr
    assert "synced 1,200 followers into Braze: 1,200 written, 0 refused, 2 pages" in done.stdout
    # Off a terminal the progress is plain lines, ending on the last snapshot.
    assert done.stderr.splitlines()[-1].startswith("sync: 1,200 read, 1,200 of 1,200 written")
    braze = BrazeClient.from_env(served)
    found = braze.users.export_ids(
        user_aliases=[{"alias_name": follower_id(1199), "alias_label": "line_id"}]
    )
    assert len(found.users) == 1
    _no_secret(served, done.stdout, done.stderr)


def test_a_failure_is_one_line_and_exit_1(served: dict[str, str]) -> None:
    env = served | {"BRAZE_API_KEY": "a-revoked-braze-key"}
    done = cli("token", "install", env=env)
    assert done.returncode == 1
    assert done.stdout == ""
    line = one_error_line(done)
    assert "401" in line
    _no_secret(env, done.stderr)


def test_a_stopped_sync_is_one_line_and_exit_1(served: dict[str, str]) -> None:
    env = served | {"BRAZE_API_KEY": "a-revoked-braze-key"}
    done = cli("sync-followers", env=env)
    assert done.returncode == 1
    assert done.stdout == ""
    line = one_error_line(done)
    assert line.startswith("line-braze: error: follower sync stopped after 0 profiles: ")
    assert "401" in line
    _no_secret(env, done.stderr)


def test_a_reader_that_goes_away_is_not_an_error_message() -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "line_braze", "template", "export", "carousel"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_clean_env(),
    ) as proc:
        assert proc.stdout is not None
        assert proc.stderr is not None
        proc.stdout.close()  # like `| head -0`
        err = proc.stderr.read()
        proc.wait(timeout=60)
    assert "Traceback" not in err
    assert "Exception ignored" not in err
    assert "error" not in err  # the reader left: nothing went wrong here
    assert proc.returncode == 1


@pytest.mark.parametrize("kind", ["text", "sticker", "image", "carousel"])
def test_template_export_prints_what_brazes_composer_takes(kind: str, tmp_path: Path) -> None:
    options = {
        "text": ["--text", "Welcome to our shop"],
        "sticker": ["--package-id", "446", "--sticker-id", "1988"],
        "image": ["--image-url", "https://a.test/o.jpg", "--preview-url", "https://a.test/p.jpg"],
        "carousel": [],
    }[kind]
    done = cli("template", "export", kind, *options, env={})
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["url"] == "https://api.line.me/v2/bot/message/push"
    assert data["request_method"] == "POST"
    for value in options[1::2]:
        assert value in done.stdout
    target = tmp_path / "t.json"
    assert cli("template", "export", kind, *options, "-o", str(target), env={}).returncode == 0
    assert json.loads(target.read_text(encoding="utf-8")) == data


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["sticker", "--text", "hi"], "--text does not apply to the sticker template"),
        (["carousel", "--image-url", "https://a.test/x.jpg"], "--image-url does not apply"),
        (["text", "--text", ""], "--text must not be empty"),
        (["text", "--text", "   "], "--text must not be empty"),
        (["text"], "the text template needs --text"),
        (["image", "--image-url", "https://a.test/o.jpg"], "needs --preview-url"),
        (["image", "--image-url", "ftp://x", "--preview-url", "https://a.test/p.jpg"], "https"),
        (["text", "--text", "x", "-o", ""], "--output must not be empty"),
    ],
)
def test_template_export_refuses_what_does_not_apply(args: list[str], says: str) -> None:
    done = cli("template", "export", *args, env={})
    assert done.returncode == 2
    assert done.stdout == ""
    assert says in one_error_line(done)


def test_a_file_error_is_one_line_and_exit_1(tmp_path: Path) -> None:
    target = tmp_path / "no-such-dir" / "t.json"
    done = cli("template", "export", "text", "--text", "x", "-o", str(target), env={})
    assert done.returncode == 1
    assert "No such file or directory" in one_error_line(done)


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["no-such-command"], "invalid choice: 'no-such-command'"),
        (["template", "export"], "the following arguments are required: kind"),
        (["demo", "--followers", "-3"], "must be 0 or more"),
        (["preview", "nonexistent.json"], "TEMPLATE must be one of"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(
    argv: list[str], says: str, served: dict[str, str]
) -> None:
    done = cli(*argv, env=served)
    assert done.returncode == 2
    assert says in one_error_line(done)


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        (
            "BRAZE_REST_ENDPOINT",
            "https://api.example.com",
            "BRAZE_REST_ENDPOINT: 'api.example.com'",
        ),
        (
            "BRAZE_REST_ENDPOINT",
            "http://rest.iad-01.braze.com",
            "use https://rest.iad-01.braze.com",
        ),
        ("BRAZE_REST_ENDPOINT", "XX-99", "BRAZE_REST_ENDPOINT: 'XX-99' is not a known"),
        ("LINE_API_BASE_URL", "http://api.line.me", "LINE_API_BASE_URL: plain http"),
    ],
)
def test_bad_configuration_names_the_variable_and_exits_2(
    variable: str, value: str, named: str, served: dict[str, str]
) -> None:
    done = cli("sync-followers", env=served | {variable: value})
    assert done.returncode == 2
    line = one_error_line(done)
    assert named in line
    assert "rest_endpoint" not in line
    suggested = line.rsplit("use ", 1)[-1]
    if suggested.startswith("https://rest."):
        # What the message suggests is accepted.
        done = cli("sync-followers", env=served | {variable: suggested})
        assert variable not in done.stderr


def test_missing_configuration_is_named_and_exits_2() -> None:
    done = cli("token", "install", env={"BRAZE_API_KEY": "k"})
    assert done.returncode == 2
    assert done.stdout == ""
    line = one_error_line(done)
    assert line.endswith(
        "missing environment variables: LINE_CHANNEL_ACCESS_TOKEN, BRAZE_REST_ENDPOINT"
    )


def test_preview_renders_for_a_user_with_the_token_masked(
    served: dict[str, str], tmp_path: Path
) -> None:
    assert cli("token", "install", env=served).returncode == 0
    user = tmp_path / "user.json"
    user.write_text(json.dumps({"line_id": follower_id(1), "first_name": "Ann"}))
    done = cli("preview", "text", "--user", str(user), env=served)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("POST https://api.line.me/v2/bot/message/push\n")
    assert follower_id(1) in done.stdout
    assert "Hello Ann!" in done.stdout
    _no_secret(served, done.stdout, done.stderr)


def test_preview_of_a_user_without_line_id_says_aborted(
    served: dict[str, str], tmp_path: Path
) -> None:
    assert cli("token", "install", env=served).returncode == 0
    user = tmp_path / "user.json"
    user.write_text("{}")
    done = cli("preview", "sticker", "--user", str(user), env=served)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("aborted: no line_id")


def test_preview_takes_connected_content_and_catalogs_from_data(
    served: dict[str, str], tmp_path: Path
) -> None:
    assert cli("token", "install", env=served).returncode == 0
    text = (
        "{% connected_content https://api.example.com/me :save me %}"
        "{% catalog_items games 1234 %}{{me.nickname}} plays {{items[0].title}}"
    )
    template = tmp_path / "t.json"
    done = cli("template", "export", "text", "--text", text, "-o", str(template), env=served)
    assert done.returncode == 0, done.stderr
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
    args = ("preview", str(template), "--user", str(user), "--data", str(data))
    done = cli(*args, env=served)
    assert done.returncode == 0, done.stderr
    assert "Annie plays Tetris" in done.stdout
    data.write_text(json.dumps({"connected_contents": {}}))
    done = cli(*args, env=served)
    assert done.returncode == 2
    assert "--data" in one_error_line(done)


def test_send_test_prints_a_readable_line(served: dict[str, str]) -> None:
    assert cli("token", "install", env=served).returncode == 0
    done = cli("send-test", "sticker", "--line-id", follower_id(2), env=served)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"sent to {follower_id(2)} through LINE: request_id ")
    assert done.stdout.endswith(", 1 attempt\n")
    assert "PushResult" not in done.stdout


def test_send_test_refuses_a_bad_line_id_before_sending(served: dict[str, str]) -> None:
    done = cli("send-test", "sticker", "--line-id", "not-a-line-id", env=served)
    assert done.returncode == 2
    assert "--line-id" in one_error_line(done)


# -- the token, rotated: the next command still works -------------------------------------


def test_after_token_rotate_the_next_command_reads_the_new_token_from_braze() -> None:
    with emulators(followers=3) as (_, env):
        assert cli("token", "install", env=env).returncode == 0
        old = env["LINE_CHANNEL_ACCESS_TOKEN"]
        without_token = {k: v for k, v in env.items() if k != "LINE_CHANNEL_ACCESS_TOKEN"}

        done = cli("token", "rotate", env=without_token)
        assert done.returncode == 0, done.stderr
        assert "verified with LINE" in done.stdout
        assert "the old token is revoked" in done.stdout
        _no_secret(env, done.stdout, done.stderr)

        # The next command finds the new token in the Content Block.
        done = cli("send-test", "sticker", "--line-id", follower_id(0), env=without_token)
        assert done.returncode == 0, done.stderr
        block = BrazeClient.from_env(env).content_blocks.find("LINE_Channel_AccessToken")
        assert block is not None
        new = block.content.reveal()
        assert new != old
        assert new not in done.stdout + done.stderr
        line = LineClient.from_env(env)
        line.tokens.verify(new)
        with pytest.raises(APIError):
            line.tokens.verify(old)

        # With the old token still exported, the failure says what to do.
        done = cli("send-test", "sticker", "--line-id", follower_id(0), env=env)
        assert done.returncode == 1
        assert "unset LINE_CHANNEL_ACCESS_TOKEN" in one_error_line(done)


def test_rotate_with_the_token_exported_says_to_unset_it() -> None:
    with emulators(followers=1) as (_, env):
        assert cli("token", "install", env=env).returncode == 0
        done = cli("token", "rotate", "--keep-old", env=env)
        assert done.returncode == 0, done.stderr
        assert "the old token stays valid" in done.stdout
        assert "unset LINE_CHANNEL_ACCESS_TOKEN" in done.stdout


def test_no_token_anywhere_is_a_configuration_error() -> None:
    with emulators(followers=1) as (_, env):
        without_token = {k: v for k, v in env.items() if k != "LINE_CHANNEL_ACCESS_TOKEN"}
        done = cli("sync-followers", env=without_token)
    assert done.returncode == 2
    line = one_error_line(done)
    assert "LINE_CHANNEL_ACCESS_TOKEN is not set" in line
    assert "line-braze token install" in line


# -- interrupted --------------------------------------------------------------------------


@pytest.mark.usefixtures("ctrl_c")  # the child inherits SIG_IGN otherwise
def test_ctrl_c_exits_130_with_one_line() -> None:
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        env = {"LINE_CHANNEL_ACCESS_TOKEN": "t", "BRAZE_API_KEY": "k", "BRAZE_REST_ENDPOINT": url}
        proc = subprocess.Popen(
            [sys.executable, "-m", "line_braze", "token", "install"],
            env=_clean_env(**env),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 30
        conn = None
        silent.settimeout(30)
        while conn is None and time.monotonic() < deadline:
            conn, _ = silent.accept()  # the command is now waiting for an answer
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
        if conn is not None:
            conn.close()
    assert proc.returncode == 130
    assert out == ""
    assert err == "line-braze: interrupted\n"


def test_the_line_braze_script_is_the_same_command() -> None:
    script = Path(sys.executable).with_name("line-braze")
    if not script.exists():
        pytest.skip("line-braze is not installed next to this interpreter")
    done = subprocess.run(
        [str(script), "template", "export", "sticker", "--package-id", "1", "--sticker-id", "2"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["request_method"] == "POST"


def test_the_demo_runs_every_step_green() -> None:
    done = cli("demo", "--followers", "400", env={})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "FAIL" not in done.stdout
    assert "demo complete: 400 followers synced" in done.stdout


def test_emulators_started_with_sigint_ignored_still_stop_on_it() -> None:
    # A shell starts `line-braze emulators &` with SIGINT ignored; `kill -INT` must work.
    def ignore_sigint() -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    with subprocess.Popen(
        [sys.executable, "-m", "line_braze", "emulators", "--followers", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_clean_env(),
        preexec_fn=ignore_sigint,  # noqa: PLW1509 - no threads in this test process's child
    ) as proc:
        assert set(_read_exports(proc)) == VARIABLES
        proc.send_signal(signal.SIGINT)
        try:
            _, err = proc.communicate(timeout=20)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == 0, err
    assert err.splitlines()[-1] == "line-braze: emulators stopped"
