"""``dev.py``: the demo installs only what it needs; the test run gets every extra."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load_dev(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[ModuleType, list[str]]:
    spec = importlib.util.spec_from_file_location("dev_under_test", ROOT / "dev.py")
    assert spec is not None
    assert spec.loader is not None
    dev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dev)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    venv = tmp_path / ".venv"
    py = venv / "bin" / "python"
    py.parent.mkdir(parents=True)
    py.write_text("")
    monkeypatch.setattr(dev, "ROOT", tmp_path)
    monkeypatch.setattr(dev, "VENV", venv)
    monkeypatch.setattr(dev, "PY", py)
    installed: list[str] = []

    def run(*args: object, env: object = None) -> None:
        installed.append(str(args[-1]))

    monkeypatch.setattr(dev, "run", run)
    monkeypatch.setattr(dev.subprocess, "call", _pip_is_there)
    return dev, installed


def _pip_is_there(*_args: object, **_kwargs: object) -> int:
    return 0


def test_the_demo_installs_no_extras_and_the_tests_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dev, installed = _load_dev(tmp_path, monkeypatch)
    dev.ensure_env("")
    assert installed == ["."]
    dev.ensure_env("")  # installed already: nothing to do
    assert installed == ["."]
    dev.ensure_env()
    assert installed == [".", f".[{dev.EXTRAS}]"]
    dev.ensure_env("")  # every extra serves the demo too
    dev.ensure_env()
    assert installed == [".", f".[{dev.EXTRAS}]"]


def test_dev_demo_asks_for_no_extras(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dev, _ = _load_dev(tmp_path, monkeypatch)
    asked: list[str] = []
    monkeypatch.setattr(dev, "ensure_env", lambda extras="all": asked.append(extras))
    dev.main(["demo"])
    assert asked == [""]
    assert sys.modules.get("dev_under_test") is None
