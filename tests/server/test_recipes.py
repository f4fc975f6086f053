"""The Flask, FastAPI and Django recipes of docs/guides/server.md, run as written.

Each recipe block (``<!-- recipe: NAME -->`` before it) runs after the page's runnable setup
blocks, in one namespace, with the documented environment pointing at the emulators; then
the framework's own test client posts LINE-signed deliveries to the view.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from line_braze.testing import BrazeEmulator, LineEmulator
from line_braze.testing.webhooks import follow_event, sign_body, webhook_body

pytestmark = pytest.mark.integration

PAGE = Path(__file__).resolve().parents[2] / "docs" / "guides" / "server.md"
_BLOCK = re.compile(
    r"^<!-- (?P<marker>runnable|recipe: \w+) -->\n```python\n(?P<code>.*?)^```$",
    re.MULTILINE | re.DOTALL,
)
BOT = "U" + "0" * 32


def _blocks() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for m in _BLOCK.finditer(PAGE.read_text("utf-8")):
        found.setdefault(m.group("marker"), []).append(m.group("code"))
    return found


def test_the_page_has_the_three_recipes() -> None:
    assert set(_blocks()) == {"runnable", "recipe: flask", "recipe: fastapi", "recipe: django"}


@pytest.fixture
def recipe_env(
    monkeypatch: pytest.MonkeyPatch,
    line_emulator_factory: Callable[..., LineEmulator],
    braze_emulator_factory: Callable[..., BrazeEmulator],
) -> Callable[[str], tuple[dict[str, Any], LineEmulator, BrazeEmulator]]:
    line = line_emulator_factory(followers=0)
    braze = braze_emulator_factory()
    for name, value in {
        "LINE_CHANNEL_ACCESS_TOKEN": line.access_token,
        "LINE_CHANNEL_SECRET": line.channel_secret,
        "LINE_API_BASE_URL": line.url,
        "BRAZE_API_KEY": braze.api_key,
        "BRAZE_REST_ENDPOINT": braze.url,
    }.items():
        monkeypatch.setenv(name, value)

    def run(recipe: str) -> tuple[dict[str, Any], LineEmulator, BrazeEmulator]:
        blocks = _blocks()
        namespace: dict[str, Any] = {"__name__": f"recipe_{recipe}"}
        for code in [blocks["runnable"][0], *blocks[f"recipe: {recipe}"]]:
            exec(compile(code, f"server.md [{recipe}]", "exec"), namespace)  # noqa: S102
        return namespace, line, braze

    return run


Post = Callable[[bytes, dict[str, str]], tuple[int, bytes]]


def _check_statuses(post: Post, line: LineEmulator, braze: BrazeEmulator) -> None:
    friend = "U" + "7" * 32
    body = webhook_body([follow_event(friend)], destination=BOT)
    good = {"X-Line-Signature": sign_body(body, line.channel_secret)}
    assert post(body, good) == (200, b"OK")
    assert braze.profile(alias=("line_id", friend)) is not None
    assert post(body, good) == (200, b"OK")  # a redelivery
    forged = {"X-Line-Signature": sign_body(body, "not-the-secret")}
    assert post(body, forged)[0] == 400
    # Braze refuses the write (a 400 is not retried: the test stays fast; the process test
    # goes through the retries of a 500)
    braze.queue_fault("server_error", path="/users/track", count=20, status=400)
    other = webhook_body([follow_event("U" + "8" * 32)], destination=BOT)
    assert post(other, {"X-Line-Signature": sign_body(other, line.channel_secret)})[0] == 503
    braze.clear_faults()


def test_the_flask_recipe(recipe_env: Callable[..., Any]) -> None:
    namespace, line, braze = recipe_env("flask")
    client = namespace["app"].test_client()

    def post(body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        answer = client.post("/callback", data=body, headers=headers)
        return answer.status_code, answer.get_data()

    _check_statuses(post, line, braze)


def test_the_fastapi_recipe(recipe_env: Callable[..., Any]) -> None:
    from fastapi.testclient import TestClient

    namespace, line, braze = recipe_env("fastapi")
    with TestClient(namespace["api"]) as client:

        def post(body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
            answer = client.post("/callback", content=body, headers=headers)
            return answer.status_code, answer.content

        _check_statuses(post, line, braze)


def test_the_django_recipe(recipe_env: Callable[..., Any]) -> None:
    from django.conf import settings

    if not settings.configured:
        settings.configure(DEBUG=False, ALLOWED_HOSTS=["testserver"], SECRET_KEY="recipe-test")
    from django.test import RequestFactory

    namespace, line, braze = recipe_env("django")
    factory = RequestFactory()

    def post(body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        request = factory.post(
            "/callback", data=body, content_type="application/json", headers=headers
        )
        answer = namespace["callback"](request)
        return answer.status_code, answer.content

    _check_statuses(post, line, braze)
    get = namespace["callback"](factory.get("/callback"))
    assert get.status_code == 405
