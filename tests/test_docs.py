"""The documentation stays true: README quickstart, runnable examples, reference targets.

Runnable examples are the fenced ``python`` blocks preceded by the HTML comment
``<!-- runnable -->`` (invisible in the rendered page). As the quickstart and every guide
say, ``line-braze emulators`` is started first, as a process, and the variables it exports
are set; then the pages run in order against it, the blocks of one page in one namespace,
like a doctest file (the pages use ``LineClient.from_env()`` and ``BrazeClient.from_env()``);
a page whose examples read ``REDIS_URL`` gets the session's loopback redis-server there.
While they run, name resolution and connections are limited to loopback, so an example can
never reach the internet. Blocks marked ``<!-- pytest -->`` are test modules: each runs
under pytest, with the line_braze plugin, and must pass.
"""

from __future__ import annotations

import importlib
import ipaddress
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
README = ROOT / "README.md"
MARKER = "<!-- runnable -->"
PYTEST_MARKER = "<!-- pytest -->"
VARIABLES = frozenset(
    {
        "LINE_CHANNEL_ACCESS_TOKEN",
        "LINE_CHANNEL_SECRET",
        "LINE_CHANNEL_ID",
        "LINE_API_BASE_URL",
        "BRAZE_API_KEY",
        "BRAZE_REST_ENDPOINT",
    }
)
QUICKSTART_COMMANDS = ["python3 dev.py demo", "python3 dev.py test"]

_FENCE = re.compile(
    r"^```(?P<lang>[\w+-]*)[^\n]*\n(?P<code>.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE
)


def _marked(text: str, start: int, marker: str) -> bool:
    before = text[:start].rstrip().splitlines()
    return bool(before) and before[-1].strip() == marker


def fenced_blocks(text: str, marker: str = MARKER) -> Iterator[tuple[str, str, bool]]:
    """Yield ``(language, code, marked)`` for each top-level fenced block in ``text``."""
    for m in _FENCE.finditer(text):
        yield m.group("lang"), m.group("code"), _marked(text, m.start(), marker)


def runnable_blocks(path: Path) -> list[str]:
    """Return the runnable python blocks of ``path``, in order."""
    return [code for lang, code, run in fenced_blocks(path.read_text("utf-8")) if run]


def pytest_blocks(path: Path) -> list[str]:
    """Return the blocks of ``path`` marked as pytest modules."""
    text = path.read_text("utf-8")
    return [code for _, code, marked in fenced_blocks(text, PYTEST_MARKER) if marked]


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
        for marker in (MARKER, PYTEST_MARKER):
            marked = text.count(marker)
            found = [lang for lang, _, run in fenced_blocks(text, marker) if run]
            assert found == ["python"] * marked, f"{page.name}: {marker} not before python"


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


@pytest.fixture(scope="module")
def served() -> Iterator[dict[str, str]]:
    """``line-braze emulators``, started as the quickstart says; yield what it exported."""
    clean = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    proc = subprocess.Popen(
        [sys.executable, "-m", "line_braze", "emulators", "--followers", "300"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=clean,
    )
    assert proc.stdout is not None
    env: dict[str, str] = {}
    try:
        while set(env) != VARIABLES:
            line = proc.stdout.readline()
            assert line, f"line-braze emulators exited: {proc.poll()}"
            name, _, value = shlex.split(line)[1].partition("=")
            env[name] = value
        yield env
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            _, err = proc.communicate(timeout=20)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    assert proc.returncode == 0, err


@pytest.mark.integration
def test_the_pages_run_in_order_against_line_braze_emulators(
    served: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    loopback_only: None,
    capsys: pytest.CaptureFixture[str],
    request: pytest.FixtureRequest,
) -> None:
    for name, value in served.items():
        assert name.endswith(("TOKEN", "SECRET", "ID", "KEY")) or value.startswith(
            "http://127.0.0.1:"
        )
        monkeypatch.setenv(name, value)
    pages = [p for p in example_pages() if runnable_blocks(p)]
    assert len(pages) >= 9
    if any("REDIS_URL" in code for page in pages for code in runnable_blocks(page)):
        # A page that uses Redis gets the session's loopback redis-server, flushed.
        request.getfixturevalue("redis_client")
        monkeypatch.setenv("REDIS_URL", request.getfixturevalue("redis_url"))
    for page in pages:
        namespace: dict[str, Any] = {"__name__": f"docs_{page.stem}"}
        for n, code in enumerate(runnable_blocks(page)):
            where = f"{page.relative_to(ROOT)} [runnable block {n + 1}]"
            exec(compile(code, where, "exec"), namespace)  # noqa: S102 - our docs, loopback only
    printed = capsys.readouterr().out
    # No example prints a credential, however it displays a result.
    for secret in ("LINE_CHANNEL_ACCESS_TOKEN", "LINE_CHANNEL_SECRET", "BRAZE_API_KEY"):
        assert served[secret] not in printed
        assert os.environ[secret] not in printed


def test_the_testing_guide_has_pytest_examples() -> None:
    assert len(pytest_blocks(DOCS / "guides" / "testing.md")) >= 1


@pytest.mark.integration
@pytest.mark.parametrize(
    ("page", "index"),
    [(p, i) for p in example_pages() for i in range(len(pytest_blocks(p)))],
    ids=lambda v: v.name if isinstance(v, Path) else str(v),
)
def test_pytest_examples_pass(page: Path, index: int, pytester: pytest.Pytester) -> None:
    pytester.makepyfile(**{f"test_{page.stem}_example": pytest_blocks(page)[index]})
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:xdist", "-q")
    result.assert_outcomes(
        passed=len(re.findall(r"^def test_", pytest_blocks(page)[index], re.MULTILINE))
    )


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
