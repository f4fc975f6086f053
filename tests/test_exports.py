"""The public surface: every exported name imports, is documented, and matches the snapshot.

A change to the snapshot (``tests/exports.txt``) is a change to the public API: review it,
and note it in CHANGELOG.md. Regenerate with ``LINE_BRAZE_UPDATE_EXPORTS=1 pytest``.
"""

from __future__ import annotations

import importlib
import inspect
import os
import subprocess
import sys
from pathlib import Path

import pytest

SNAPSHOT = Path(__file__).with_name("exports.txt")
MODULES = [
    "line_braze",
    "line_braze.errors",
    "line_braze.line",
    "line_braze.line.webhook",
    "line_braze.braze",
    "line_braze.integration",
    "line_braze.mirror",
    "line_braze.redis",
    "line_braze.server",
    "line_braze.templates",
    "line_braze.preview",
    "line_braze.demo",
    "line_braze.testing",
]


def _surface() -> list[str]:
    lines: list[str] = []
    for name in MODULES:
        module = importlib.import_module(name)
        lines.extend(f"{name}.{export}" for export in sorted(module.__all__))
    return lines


def test_exports_match_the_snapshot() -> None:
    current = "\n".join(_surface()) + "\n"
    if os.environ.get("LINE_BRAZE_UPDATE_EXPORTS"):
        SNAPSHOT.write_text(current, encoding="utf-8")
    assert current == SNAPSHOT.read_text(encoding="utf-8")


@pytest.mark.parametrize("module_name", MODULES)
def test_every_export_resolves_and_classes_and_functions_have_docstrings(
    module_name: str,
) -> None:
    module = importlib.import_module(module_name)
    assert module.__doc__
    for export in module.__all__:
        value = getattr(module, export)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), f"{module_name}.{export} has no docstring"
    assert set(module.__all__) <= set(dir(module))


def test_the_contract_names_of_the_issues_import_as_written() -> None:
    from line_braze import BrazeClient, Integration, LineClient  # noqa: F401
    from line_braze.line import (  # noqa: F401
        CarouselColumn,
        CarouselTemplate,
        ImageMessage,
        MessageAction,
        PostbackAction,
        StickerMessage,
        TemplateMessage,
        TextMessage,
        UriAction,
    )
    from line_braze.line.webhook import parse_webhook, verify_signature  # noqa: F401


def test_import_line_braze_loads_no_client_until_asked() -> None:
    code = (
        "import sys, line_braze\n"
        "heavy = [m for m in ('line_braze.line.client', 'line_braze.braze.client',"
        " 'line_braze.line.webhook', 'liquid', 'regex') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "line_braze.LineClient\n"
        "assert 'line_braze.line.client' in sys.modules\n"
        "assert 'liquid' not in sys.modules\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr


def test_unknown_attributes_raise_attribute_error() -> None:
    import line_braze
    import line_braze.line

    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        _ = line_braze.Nope  # type: ignore[attr-defined]
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        _ = line_braze.line.Nope  # type: ignore[attr-defined]


LAZY_PACKAGES = ["line_braze", "line_braze.line", "line_braze.line.models", "line_braze.braze"]


@pytest.mark.parametrize("module_name", LAZY_PACKAGES)
def test_each_lazy_export_is_listed_once(module_name: str) -> None:
    module = importlib.import_module(module_name)
    listed = [name for names in vars(module)["_EXPORTS"].values() for name in names]
    assert len(listed) == len(set(listed))
    assert sorted(listed) == sorted(module.__all__)
    for name in listed:
        assert getattr(module, name) is not None


@pytest.mark.parametrize("module_name", LAZY_PACKAGES)
def test_the_type_stub_shows_the_lazy_exports(module_name: str) -> None:
    """``__init__.pyi`` is generated from ``_EXPORTS``: mypy sees what the package offers."""
    from line_braze._lazy import stub_text

    module = importlib.import_module(module_name)
    stub = Path(str(module.__file__)).with_suffix(".pyi")
    expected = stub_text(vars(module)["_EXPORTS"])
    if os.environ.get("LINE_BRAZE_UPDATE_EXPORTS"):
        stub.write_text(expected, encoding="utf-8")
    assert stub.read_text(encoding="utf-8") == expected, "regenerate: LINE_BRAZE_UPDATE_EXPORTS=1"


def test_every_error_class_is_importable_from_errors() -> None:
    import line_braze
    from line_braze import errors, integration

    def subclasses(cls: type) -> set[type]:
        found: set[type] = set(cls.__subclasses__())
        for sub in tuple(found):
            found |= subclasses(sub)
        return found

    for module in MODULES:
        importlib.import_module(module)
    for cls in subclasses(errors.LineBrazeError):
        if not cls.__name__.startswith("_"):
            assert getattr(errors, cls.__name__) is cls
            assert cls.__name__ in errors.__all__
    for common in ("ValidationError", "APIError", "SignatureError", "RateLimited"):
        assert getattr(line_braze, common) is getattr(errors, common)
    assert line_braze.RefusedFollower is integration.RefusedFollower


def test_a_follower_sync_does_not_load_the_response_catalogue() -> None:
    # The sync reads pages with a hand-checked reader: importing LINE's response models
    # would add tens of milliseconds to every sync process. (cattrs itself is loaded: the
    # /users/track answers are read strictly through the wire layer.)
    from line_braze.testing import BrazeEmulator, LineEmulator

    code = (
        "import sys\n"
        "from line_braze import BrazeClient, Integration, LineClient\n"
        "line = LineClient('line-token', base_url=sys.argv[1])\n"
        "braze = BrazeClient('braze-key', rest_endpoint=sys.argv[2])\n"
        "report = Integration(line=line, braze=braze).sync_followers()\n"
        "assert report.complete and report.profiles_written == 150, report\n"
        "loaded = [m for m in ('line_braze.line.responses',) if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    with (
        LineEmulator(followers=150, access_token="line-token") as line,
        BrazeEmulator(api_key="braze-key") as braze,
    ):
        done = subprocess.run(
            [sys.executable, "-c", code, line.url, braze.url],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
    assert done.returncode == 0, done.stderr
