"""``line-braze serve``'s usage errors, in process: exit 2 naming what is wrong."""

from __future__ import annotations

import io

import pytest

from line_braze.cli import main

ENV = {
    "LINE_CHANNEL_ACCESS_TOKEN": "t",
    "LINE_CHANNEL_SECRET": "s",
    "BRAZE_API_KEY": "k",
    "BRAZE_REST_ENDPOINT": "http://127.0.0.1:9",
}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "70000"], "--port must be 0..65535"),
        (["--threads", "0"], "--threads must be >= 1"),
        (["--path", "callback"], "path: must start with '/'"),
        (["--max-body", "0"], "max_body_bytes: must be >= 1"),
    ],
)
def test_bad_options_exit_2_and_say_why(args: list[str], message: str) -> None:
    err = io.StringIO()
    assert main(["serve", *args], environ=ENV, stdout=io.StringIO(), stderr=err) == 2
    assert message in err.getvalue()


def test_the_channel_secret_is_required() -> None:
    err = io.StringIO()
    env = {k: v for k, v in ENV.items() if k != "LINE_CHANNEL_SECRET"}
    assert main(["serve"], environ=env, stdout=io.StringIO(), stderr=err) == 2
    assert "LINE_CHANNEL_SECRET" in err.getvalue()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://user:s3cret-pass@example.com/0", "REDIS_URL must be a redis://"),
        ("redis://:s3cret-pass@127.0.0.1:9/0", "REDIS_URL: Redis did not answer"),
    ],
)
def test_a_redis_url_serve_cannot_use_exits_2_without_showing_it(url: str, message: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["serve"], environ={**ENV, "REDIS_URL": url}, stdout=out, stderr=err) == 2
    assert message in err.getvalue()
    assert "s3cret-pass" not in out.getvalue() + err.getvalue()
