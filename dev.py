#!/usr/bin/env python3
"""The project's two entry points, on a fresh machine with only Python 3 and pip.

    python3 dev.py demo    # make .venv if needed, install line_braze only, run `line-braze demo`
    python3 dev.py test    # same environment; lint, types, tests, docs, notebook

The virtual environment is kept in ``.venv`` and reinstalled only when pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
EXTRAS = "test,docs,notebook,serve,redis"
SHOWN = 80  # longest argument echoed whole; an inline script is cut to its first line


def run(*args: str | Path, env: dict[str, str] | None = None) -> None:
    """Run a command from the project root; stop with its exit code if it fails."""
    shown = (str(a) if len(str(a)) <= SHOWN else str(a)[:60].split("\n")[0] + " ..." for a in args)
    print("+", " ".join(shown), flush=True)
    code = subprocess.call([str(a) for a in args], cwd=ROOT, env=env)
    if code:
        sys.exit(code)


def ensure_env(extras: str = EXTRAS) -> None:
    """Create .venv and install the project with ``extras``, once per pyproject.

    The demo needs no extras (``extras=""``): its first run installs line_braze and its few
    runtime dependencies only. An environment with every extra serves the demo too.
    """
    stamp = VENV / ".line-braze-stamp"
    project = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    have = stamp.read_text().split() if stamp.exists() else []
    # The stamp is "<pyproject hash> <extras installed>"; EXTRAS holds every extra.
    if PY.exists() and have[:1] == [project] and (have[1:] == [EXTRAS] or not extras):
        return
    if not PY.exists():
        try:
            venv.EnvBuilder(with_pip=True).create(VENV)
        except (OSError, subprocess.CalledProcessError):
            # Debian without python3-venv's ensurepip: make it bare and let the outer pip fill it.
            venv.EnvBuilder(with_pip=False, clear=True).create(VENV)
    pip = [PY, "-m", "pip"]
    if subprocess.call([PY, "-m", "pip", "--version"], stdout=subprocess.DEVNULL) != 0:
        pip = [sys.executable, "-m", "pip", "--python", PY]
    target = f".[{extras}]" if extras else "."
    run(*pip, "install", "--quiet", "--disable-pip-version-check", "-e", target)
    stamp.write_text(f"{project} {extras}".strip())


def main(argv: list[str]) -> None:
    """Dispatch ``demo`` or ``test``."""
    what = argv[0] if argv else ""
    rest = argv[1:]
    if what not in {"demo", "test"}:
        print(__doc__)
        sys.exit(2)
    ensure_env("" if what == "demo" else EXTRAS)
    if what == "demo":
        run(BIN / "line-braze", "demo", *rest)
        return
    run(PY, "-m", "ruff", "check", ".")
    run(PY, "-m", "ruff", "format", "--check", ".")
    run(PY, "-m", "mypy")
    run(PY, "-m", "pytest", "-q", "-n", "2", *rest)
    if (ROOT / "mkdocs.yml").exists():
        quiet = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        run(
            PY,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--quiet",
            "--site-dir",
            VENV / "site",
            env=quiet,
        )
    notebooks = sorted((ROOT / "docs" / "notebooks").glob("*.ipynb"))
    if notebooks:
        # nbclient lives in .venv, so the venv's python executes them. A kernel spec naming
        # that same python comes first on JUPYTER_PATH, whatever other "python3" specs exist.
        # Outputs are not written back: the notebooks stay stored without them.
        execute = (
            "import json, os, pathlib, sys, tempfile\n"
            "spec = pathlib.Path(tempfile.mkdtemp()) / 'kernels' / 'python3'\n"
            "spec.mkdir(parents=True)\n"
            "(spec / 'kernel.json').write_text(json.dumps({'display_name': 'Python 3',\n"
            "    'language': 'python', 'argv': [sys.executable, '-m', 'ipykernel_launcher',\n"
            "    '-f', '{connection_file}']}))\n"
            "os.environ['JUPYTER_PATH'] = os.pathsep.join(\n"
            "    p for p in (str(spec.parent.parent), os.environ.get('JUPYTER_PATH')) if p)\n"
            "import nbformat\n"
            "from nbclient import NotebookClient\n"
            "for path in map(pathlib.Path, sys.argv[1:]):\n"
            "    nb = nbformat.read(path, as_version=4)\n"
            "    NotebookClient(nb, timeout=120, kernel_name='python3',\n"
            "                   resources={'metadata': {'path': str(path.parent)}}).execute()\n"
            "    print(f'executed {path.name}: {len(nb.cells)} cells', flush=True)\n"
        )
        run(PY, "-c", execute, *notebooks)


if __name__ == "__main__":
    main(sys.argv[1:])
