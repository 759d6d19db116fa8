"""One entry point for a fresh checkout: `python3 dev.py app` or `python3 dev.py test`.

Creates .venv beside this file on first use, (re)installs the project when pyproject.toml
changes, then runs the app or the test suite inside it. `package` builds the standalone bundle
in a separate venv under build/ that holds the runtime dependencies and the build tool only.
Standard library only.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
import types
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed-pyproject"
BUILD = ROOT / "build"
DIST = ROOT / "dist"
BUNDLE = DIST / "zinc-desktop"
PACKAGING = ROOT / "packaging"
# What a plain `pip install .` may bring in; anything else belongs in an extra.
RUNTIME_DEPENDENCIES = {
    "pyside6-essentials",
    "httpx",
    "keyring",
    "jeepney",
    "platformdirs",
    "portalocker",
    "truststore",
}

USAGE = """usage: python3 dev.py COMMAND [ARGS...]
  app [ARGS]    open zinc-desktop on the built-in simulator (add --real for Zinc itself)
  test [ARGS]   run the whole test suite with coverage (ARGS go to pytest, without it)
  lint          ruff, ruff format --check, mypy --strict (Linux, Windows, macOS), import-linter,
                actionlint (the GitHub workflow), shellcheck (the shell scripts)
  cli ARGS      run a zinc-desktop command, e.g. `python3 dev.py cli accounts list`
  package [--archive]
                build the standalone bundle on this platform (PyInstaller, one folder):
                dist/zinc-desktop/, on macOS dist/Zinc Desktop.app; --archive also packs it
                as dist/zinc-desktop-VERSION-PLATFORM-ARCH.tar.gz (Linux), .dmg (macOS),
                .zip and -setup.exe (Windows, with Inno Setup 6)"""


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


def requires_dist(wheel: Path) -> list[str]:
    """The Requires-Dist lines of a built wheel's METADATA."""
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = archive.read(name).decode("utf-8")
    prefix = "Requires-Dist:"
    lines = metadata.splitlines()
    return [line[len(prefix) :].strip() for line in lines if line.startswith(prefix)]


def unconditional_extras(requirements: list[str]) -> list[str]:
    """Requirements a plain install brings that are not in RUNTIME_DEPENDENCIES."""
    surplus = []
    for requirement in requirements:
        if "extra ==" in requirement:
            continue
        name = requirement.split(";")[0].split(">")[0].split("<")[0].split("=")[0]
        if name.strip().lower().replace("_", "-") not in RUNTIME_DEPENDENCIES:
            surplus.append(requirement)
    return surplus


def package(args: list[str]) -> int:
    """Wheel, clean build venv, PyInstaller one-folder bundle, desktop files beside it."""
    if sys.version_info < (3, 11):
        sys.exit(f"zinc-desktop needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    started = time.monotonic()
    build_venv = BUILD / "package-venv"
    bin_dir = build_venv / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / ("python.exe" if os.name == "nt" else "python")
    if not python.exists():
        print("Creating build/package-venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(build_venv)
    pip = [str(python), "-m", "pip", "--disable-pip-version-check", "-q"]
    wheels = BUILD / "wheel"
    shutil.rmtree(wheels, ignore_errors=True)
    print("Building the wheel ...", flush=True)
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(wheels), str(ROOT)], check=True)
    wheel = next(wheels.glob("zinc_desktop-*.whl"))
    requirements = requires_dist(wheel)
    surplus = unconditional_extras(requirements)
    if surplus:
        print(f"error: a plain install would bring more than the runtime: {surplus}")
        return 1
    runtime = [r for r in requirements if "extra ==" not in r]
    print(f"The wheel requires (runtime only): {'; '.join(runtime)}", flush=True)
    print("Installing it and PyInstaller into build/package-venv ...", flush=True)
    subprocess.run([*pip, "install", f"{wheel}[package]"], check=True)
    subprocess.run([*pip, "install", "--force-reinstall", "--no-deps", str(wheel)], check=True)
    shutil.rmtree(BUNDLE, ignore_errors=True)
    frozen = time.monotonic()
    spec = PACKAGING / "zinc-desktop.spec"
    pyinstaller = [str(bin_dir / "pyinstaller"), "--noconfirm", "--clean", "--log-level", "WARN"]
    code = run(*pyinstaller, "--distpath", str(DIST), "--workpath", str(BUILD / "pyi"), str(spec))
    if code:
        return code
    frozen_seconds = time.monotonic() - frozen
    if sys.platform.startswith("linux"):
        linux = PACKAGING / "linux"
        shutil.copytree(linux / "share", BUNDLE / "share")
        for script in ("install.sh", "uninstall.sh"):
            shutil.copy2(linux / script, BUNDLE / script)
    size = sum(f.stat().st_size for f in BUNDLE.rglob("*") if f.is_file() and not f.is_symlink())
    print(
        f"Bundle: {BUNDLE.relative_to(ROOT)}/ {size / 1e6:.1f} MB unpacked; "
        f"PyInstaller {frozen_seconds:.0f} s, {time.monotonic() - started:.0f} s in all",
        flush=True,
    )
    version = wheel.name.split("-")[1]
    archive = "--archive" in args
    if sys.platform == "darwin":
        return package_macos(version, archive)
    elif sys.platform == "win32":  # noqa: RET505  # a branch each, so mypy checks each platform
        return package_windows(version) if archive else 0
    else:
        if archive:
            name = bundle_rules().archive_name(version, sys.platform, platform.machine())
            tarball = DIST / f"{name}.tar.gz"
            with tarfile.open(tarball, "w:gz") as tar:
                tar.add(BUNDLE, arcname=f"zinc-desktop-{version}")
            print(f"Archive: {tarball.relative_to(ROOT)} {tarball.stat().st_size / 1e6:.1f} MB")
        return 0


def bundle_rules() -> types.ModuleType:
    """packaging/bundle_rules.py, the spec's rules (loaded by path: `packaging` is PyPI's name)."""
    spec = importlib.util.spec_from_file_location("bundle_rules", PACKAGING / "bundle_rules.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def package_macos(version: str, archive: bool) -> int:
    """Sign "Zinc Desktop.app" when ZINC_CODESIGN_IDENTITY names an identity; then the .dmg."""
    rules = bundle_rules()
    app = DIST / f"{rules.DISPLAY_NAME}.app"
    identity = os.environ.get("ZINC_CODESIGN_IDENTITY", "")
    macos = PACKAGING / "macos"
    if identity:
        code = run("bash", str(macos / "sign.sh"), identity, str(app))
        if code:
            return code
    else:
        print("Not signed: no ZINC_CODESIGN_IDENTITY (PyInstaller's ad-hoc signature only).")
    if archive:
        dmg = DIST / f"{rules.archive_name(version, 'darwin', platform.machine())}.dmg"
        return run("bash", str(macos / "make_dmg.sh"), str(app), str(dmg), identity)
    return 0


def package_windows(version: str) -> int:
    """The one-folder bundle as a .zip, and the Inno Setup installer beside it."""
    name = bundle_rules().archive_name(version, "win32", platform.machine())
    archive = DIST / f"{name}.zip"
    shutil.make_archive(str(DIST / name), "zip", DIST, BUNDLE.name)
    print(f"Archive: {archive.relative_to(ROOT)} {archive.stat().st_size / 1e6:.1f} MB")
    iscc = shutil.which("iscc") or next(
        (
            str(path)
            for root in (
                os.environ.get("PROGRAMFILES(X86)", ""),
                os.environ.get("PROGRAMFILES", ""),
            )
            if root
            for path in [Path(root) / "Inno Setup 6" / "ISCC.exe"]
            if path.is_file()
        ),
        None,
    )
    if iscc is None:
        print("No installer: Inno Setup 6 (iscc) is not installed.")
        return 1 if os.environ.get("CI") else 0
    return run(
        iscc,
        f"/DAppVersion={version}",
        f"/DSourceDir={BUNDLE}",
        f"/DOutputDir={DIST}",
        f"/DOutputBaseName={name}-setup",
        str(PACKAGING / "windows" / "zinc-desktop.iss"),
    )


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("app", "test", "lint", "cli", "package"):
        print(USAGE)
        return 2
    if argv[0] == "package":
        return package(argv[1:])
    ensure_environment()
    command, rest = argv[0], argv[1:]
    if command == "app":
        real = "--real" in rest
        rest = [a for a in rest if a != "--real"]
        return run(str(PYTHON), "-m", "zinc_desktop", *([] if real else ["--sandbox"]), *rest)
    if command == "test":
        # The whole suite measures coverage (the floor is pyproject's); a chosen part does not.
        measured = [] if rest else ["--cov", "--cov-report=term"]
        return run(str(PYTHON), "-m", "pytest", *measured, *rest)
    if command == "cli":
        return run(str(PYTHON), "-m", "zinc_desktop", *rest)
    tools = (
        ["ruff", "check", "."],
        ["ruff", "format", "--check", "."],
        ["mypy"],
        # The code runs on Windows and macOS too: each platform's branches type-checked (mypy
        # narrows on sys.platform, so a POSIX-only call outside a POSIX branch fails here).
        ["mypy", "--platform", "win32", "zinc_desktop"],
        ["mypy", "--platform", "darwin", "zinc_desktop"],
        # pyproject's mypy `files` predates packaging/; its scripts get the same strict check.
        ["mypy", *(str(p.relative_to(ROOT)) for p in sorted(PACKAGING.glob("*.py")))],
        # dev.py itself builds on all three; the Windows installer's smoke test runs on Windows.
        ["mypy", "--strict", "--platform", "win32", "dev.py", *windows_scripts()],
        ["mypy", "--strict", "--platform", "darwin", "dev.py"],
        ["lint-imports"],
        # The hosted workflow (.github/workflows/) and every shell script, with the binaries the
        # dev extras' wheels carry (actionlint runs shellcheck on each `run:` step too).
        ["actionlint", f"-shellcheck={BIN / 'shellcheck'}", *map(str, workflows())],
        ["shellcheck", *map(str, shell_scripts())],
    )
    for tool in tools:
        code = run(str(BIN / tool[0]), *tool[1:])
        if code:
            return code
    return 0


def windows_scripts() -> list[str]:
    return [str(p.relative_to(ROOT)) for p in sorted((PACKAGING / "windows").glob("*.py"))]


def workflows() -> list[Path]:
    return sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def shell_scripts() -> list[Path]:
    """Our shell scripts: *.sh under packaging/ and scripts/, and .ci/run."""
    found = [ROOT / ".ci" / "run"]
    for folder in (PACKAGING, ROOT / "scripts"):
        found += folder.rglob("*.sh")
    return sorted(found)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
