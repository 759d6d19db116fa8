"""One entry point for a fresh checkout: `python3 dev.py app` or `python3 dev.py test`.

Creates .venv beside this file on first use, (re)installs the project when pyproject.toml
changes, then runs the app or the test suite inside it. Standard library only.
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
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed-pyproject"

USAGE = """usage: python3 dev.py COMMAND [ARGS...]
  app [ARGS]    open zinc-desktop on the built-in simulator (add --real for Zinc itself)
  test [ARGS]   run the whole test suite (ARGS go to pytest)
  lint          ruff, ruff format --check, mypy --strict, import-linter
  cli ARGS      run a zinc-desktop command, e.g. `python3 dev.py cli accounts list`"""


def ensure_environment() -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"zinc-desktop needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        print("Creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text() != wanted:
        print("Installing zinc-desktop and its development tools into .venv ...", flush=True)
        pip = [str(PYTHON), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
        subprocess.run([*pip, "-e", f"{ROOT}[dev]"], check=True)
        STAMP.write_text(wanted)


def run(*command: str) -> int:
    return subprocess.run(command, cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("app", "test", "lint", "cli"):
        print(USAGE)
        return 2
    ensure_environment()
    command, rest = argv[0], argv[1:]
    if command == "app":
        real = "--real" in rest
        rest = [a for a in rest if a != "--real"]
        return run(str(PYTHON), "-m", "zinc_desktop", *([] if real else ["--sandbox"]), *rest)
    if command == "test":
        return run(str(PYTHON), "-m", "pytest", *rest)
    if command == "cli":
        return run(str(PYTHON), "-m", "zinc_desktop", *rest)
    tools = (["ruff", "check", "."], ["ruff", "format", "--check", "."], ["mypy"], ["lint-imports"])
    for tool in tools:
        code = run(str(BIN / tool[0]), *tool[1:])
        if code:
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
