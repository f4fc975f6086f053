"""The documentation stays true: README quickstart, runnable examples, reference targets.

Runnable examples are the fenced ``python`` blocks preceded by the HTML comment
``<!-- runnable -->`` (invisible in the rendered page). The blocks of one page run in order
in one namespace, like a doctest file, against a fresh LINE and Braze emulator pair whose
credentials and loopback URLs are put in the environment variables the docs tell users to
set; the pages use ``LineClient.from_env()`` and ``BrazeClient.from_env()``. A page whose
examples read ``REDIS_URL`` gets the session's loopback redis-server there. While they run,
name resolution and connections are limited to loopback, so an example can never reach the
internet.
"""

from __future__ import annotations

import importlib
import ipaddress
import json
import re
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from line_braze.testing import BrazeEmulator, LineEmulator

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
README = ROOT / "README.md"
MARKER = "<!-- runnable -->"
QUICKSTART_COMMANDS = ["python3 dev.py demo", "python3 dev.py test"]

_FENCE = re.compile(
    r"^```(?P<lang>[\w+-]*)[^\n]*\n(?P<code>.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE
)


def fenced_blocks(text: str) -> Iterator[tuple[str, str, bool]]:
    """Yield ``(language, code, runnable)`` for each top-level fenced block in ``text``."""
    for m in _FENCE.finditer(text):
        before = text[: m.start()].rstrip().splitlines()
        runnable = bool(before) and before[-1].strip() == MARKER
        yield m.group("lang"), m.group("code"), runnable


def runnable_blocks(path: Path) -> list[str]:
    """Return the runnable python blocks of ``path``, in order."""
    return [code for lang, code, run in fenced_blocks(path.read_text("utf-8")) if run]


def example_pages() -> list[Path]:
    """Every page whose runnable examples are executed."""
    pages = [README, DOCS / "index.md", DOCS / "quickstart.md"]
    return pages + sorted((DOCS / "guides").glob("*.md"))


# -- (a) the README's quickstart ----------------------------------------------------------


def _section(text: str, heading: str) -> str:
    m = re.search(
        rf"^## {re.escape(heading)}[ \t]*\n(?P<body>.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL
    )
    assert m is not None, f"README.md has no '## {heading}' section"
    return m.group("body")


def test_readme_quickstart_first_block_is_the_two_commands() -> None:
    body = _section(README.read_text("utf-8"), "Quickstart")
    blocks = list(fenced_blocks(body))
    assert blocks, "the Quickstart section has no fenced block"
    lang, code, _ = blocks[0]
    assert lang == "sh"
    assert code.splitlines() == QUICKSTART_COMMANDS


def test_fenced_blocks_reads_markers_and_languages() -> None:
    text = "x\n<!-- runnable -->\n```python\na = 1\n```\n\n```sh\nls\n```\n"
    assert list(fenced_blocks(text)) == [("python", "a = 1\n", True), ("sh", "ls\n", False)]


# -- (b) runnable examples ----------------------------------------------------------------


def test_every_runnable_marker_precedes_a_python_block() -> None:
    for page in example_pages():
        text = page.read_text("utf-8")
        marked = text.count(MARKER)
        found = [lang for lang, _, run in fenced_blocks(text) if run]
        assert found == ["python"] * marked, f"{page.name}: a marker not before a python block"


def test_the_guides_have_runnable_examples() -> None:
    for page in example_pages():
        if page != DOCS / "quickstart.md":
            assert runnable_blocks(page), f"{page.relative_to(ROOT)} has no runnable example"


def _is_loopback(host: object) -> bool:
    if not isinstance(host, str):
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse to resolve or connect to anything but loopback while the test runs."""
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not _is_loopback(host):
            raise OSError(f"test_docs: refusing to resolve non-loopback host {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    def connect(self: socket.socket, address: Any) -> None:
        if self.family in {socket.AF_INET, socket.AF_INET6} and not _is_loopback(address[0]):
            raise OSError(f"test_docs: refusing to connect to {address!r}")
        real_connect(self, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)


@pytest.fixture
def emulated_env(
    monkeypatch: pytest.MonkeyPatch,
    line_emulator_factory: Callable[..., LineEmulator],
    braze_emulator_factory: Callable[..., BrazeEmulator],
    loopback_only: None,
) -> tuple[LineEmulator, BrazeEmulator]:
    """The documented environment variables, pointing at a fresh emulator pair."""
    line = line_emulator_factory(followers=300)
    braze = braze_emulator_factory()
    env = {
        "LINE_CHANNEL_ACCESS_TOKEN": line.access_token,
        "LINE_CHANNEL_SECRET": line.channel_secret,
        "LINE_CHANNEL_ID": line.channel_id,
        "LINE_API_BASE_URL": line.url,
        "BRAZE_API_KEY": braze.api_key,
        "BRAZE_REST_ENDPOINT": braze.url,
    }
    for name, value in env.items():
        assert name.endswith(("TOKEN", "SECRET", "ID", "KEY")) or value.startswith(
            "http://127.0.0.1:"
        )
        monkeypatch.setenv(name, value)
    return line, braze


@pytest.mark.integration
@pytest.mark.parametrize(
    "page", [p for p in example_pages() if runnable_blocks(p)], ids=lambda p: p.name
)
def test_runnable_examples_run_against_the_emulators(
    page: Path,
    emulated_env: tuple[LineEmulator, BrazeEmulator],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    line, braze = emulated_env
    if any("REDIS_URL" in code for code in runnable_blocks(page)):
        # A page that uses Redis gets the session's loopback redis-server, flushed.
        request.getfixturevalue("redis_client")
        monkeypatch.setenv("REDIS_URL", request.getfixturevalue("redis_url"))
    namespace: dict[str, Any] = {"__name__": f"docs_{page.stem}"}
    for n, code in enumerate(runnable_blocks(page)):
        compiled = compile(code, f"{page.relative_to(ROOT)} [runnable block {n + 1}]", "exec")
        exec(compiled, namespace)  # noqa: S102 - our own documentation, on loopback only
    printed = capsys.readouterr().out
    # No example prints a credential, however it displays a result.
    for secret in (line.access_token, line.channel_secret, braze.api_key):
        assert secret not in printed


def test_the_network_guard_refuses_other_hosts(loopback_only: None) -> None:
    with pytest.raises(OSError, match="non-loopback"):
        socket.getaddrinfo("api.line.me", 443)
    with (
        socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock,
        pytest.raises(OSError, match="refusing to connect"),
    ):
        sock.connect(("192.0.2.1", 443))


# -- (c) reference pages ------------------------------------------------------------------

_DIRECTIVE = re.compile(r"^:::\s+(?P<name>[\w.]+)\s*$", re.MULTILINE)


def _resolve(name: str) -> object:
    """Import ``name``: a module, or an attribute path inside the longest importable module."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise ModuleNotFoundError(name)


def reference_targets() -> list[str]:
    """Every ``::: name`` in docs/reference."""
    return [
        m.group("name")
        for page in sorted((DOCS / "reference").glob("*.md"))
        for m in _DIRECTIVE.finditer(page.read_text("utf-8"))
    ]


def test_reference_pages_document_the_public_surface() -> None:
    targets = set(reference_targets())
    assert len(targets) >= 30
    for name in ("line_braze.integration.Integration", "line_braze.errors"):
        assert name in targets


@pytest.mark.parametrize("name", reference_targets())
def test_reference_target_is_importable(name: str) -> None:
    obj = _resolve(name)
    assert getattr(obj, "__doc__", None), f"{name} has no docstring to render"


def test_resolve_refuses_a_missing_name() -> None:
    with pytest.raises(AttributeError):
        _resolve("line_braze.integration.NoSuchThing")


# -- site structure and the notebook ------------------------------------------------------


def test_every_page_is_in_the_nav() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))

    def walk(node: object) -> Iterator[str]:
        if isinstance(node, str):
            yield node
        elif isinstance(node, list):
            for item in node:
                yield from walk(item)
        elif isinstance(node, dict):
            for value in node.values():
                yield from walk(value)

    in_nav = set(walk(config["nav"]))
    pages = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")}
    assert pages - in_nav == set()
    assert "performance.md" in in_nav


def test_notebooks_are_stored_without_outputs() -> None:
    notebooks = sorted((DOCS / "notebooks").glob("*.ipynb"))
    assert notebooks
    for path in notebooks:
        nb = json.loads(path.read_text("utf-8"))
        assert nb["nbformat"] == 4
        assert nb["metadata"]["kernelspec"]["name"] == "python3"
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert code
        for cell in code:
            assert cell["outputs"] == [], path.name
            assert cell["execution_count"] is None, path.name
