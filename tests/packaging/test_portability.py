"""Where the code forks by platform, it does so in named places only, through sys.platform.

Issue 19: no module of ours imports fcntl or msvcrt (portalocker locks files on every platform);
each remaining fork is in a module that says why (README, Development); mypy narrows on
sys.platform, not os.name, so `mypy --platform win32/darwin` checks each side.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "zinc_desktop"
# The modules allowed to ask which platform they run on, and what they ask it for.
FORKS = {
    "core/foundation/owner_only.py": "file modes (POSIX) or ACLs (Windows); folder fsync",
    "core/foundation/app_paths.py": "the data folder nothing moves (XDG only on Linux)",
    "core/foundation/log_redaction.py": "the log header names the Linux distribution",
    "core/accounts/secret_service_bus.py": "the Secret Service is Linux's (injected, tested)",
    "gui/single_instance.py": "its private runtime folder; a named pipe on Windows",
    "gui/accounts/accounts_panel.py": "Shift+F10 opens the menu where Windows would not",
    "cli/summary_command.py": "offscreen Qt for a PDF where no display is a fact of life",
}


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def asks_the_platform(tree: ast.AST) -> bool:
    asked = {("sys", "platform"), ("os", "name")}
    return any(
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and (node.value.id, node.attr) in asked
        for node in ast.walk(tree)
    )


def test_no_module_imports_fcntl_or_msvcrt() -> None:
    offenders = []
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if {"fcntl", "msvcrt"} & {name.split(".")[0] for name in names}:
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_platform_forks_are_only_where_they_are_named() -> None:
    forking = {
        path.relative_to(PACKAGE).as_posix()
        for path in modules()
        if asks_the_platform(ast.parse(path.read_text("utf-8")))
    }
    assert forking <= set(FORKS), f"a new platform fork: {sorted(forking - set(FORKS))}"
    assert forking == set(FORKS), f"no longer forks (update FORKS): {sorted(set(FORKS) - forking)}"


def test_no_fork_on_os_name_which_mypy_cannot_narrow() -> None:
    for path in modules():
        source = path.read_text("utf-8")
        assert "os.name" not in source, path.relative_to(ROOT)


def test_actionlint_refuses_a_broken_workflow(tmp_path: Path) -> None:
    # dev.py lint runs actionlint on .github/workflows; this shows it is not a formality.
    actionlint = shutil.which("actionlint", path=str(Path(sys.executable).parent))
    if actionlint is None:
        pytest.skip("actionlint is not installed (the dev extras bring it)")
    workflow = (ROOT / ".github" / "workflows" / "ci.yml").read_text("utf-8")
    good = subprocess.run([actionlint, "-"], input=workflow, capture_output=True, text=True)
    assert good.returncode == 0, good.stdout
    broken = workflow.replace("runs-on: ${{ matrix.os }}", "runs-on: ${{ matrix.runner }}", 1)
    bad = subprocess.run([actionlint, "-"], input=broken, capture_output=True, text=True)
    assert bad.returncode == 1
    assert 'property "runner" is not defined' in bad.stdout
