"""The install story, without building the bundle: desktop files, icons, scripts, dependencies.

The bundle itself is built and exercised by packaging/smoke_test.py (CI runs it after the
suite); here are the parts that are cheap to check on every run.
"""

from __future__ import annotations

import configparser
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import dev
import pytest

from zinc_desktop import __version__

ROOT = Path(__file__).resolve().parent.parent
LINUX = ROOT / "packaging" / "linux"
DESKTOP_FILE = LINUX / "share" / "applications" / "zinc-desktop.desktop"
METAINFO = next((LINUX / "share" / "metainfo").glob("*.metainfo.xml"))
DEV_TOOLS = {"pytest", "pytest-qt", "pytest-timeout", "hypothesis", "ruff", "mypy", "import-linter"}


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must have {name}")
        pytest.skip(f"{name} is not installed")
    return path


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DESKTOP_FILE, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_file_name_is_the_one_qt_announces() -> None:
    # Wayland compositors match the window to its .desktop file (and icon) by this name.
    source = (ROOT / "zinc_desktop" / "gui" / "launch.py").read_text("utf-8")
    announced = re.search(r'setDesktopFileName\("([^"]+)"\)', source)
    assert announced is not None
    assert DESKTOP_FILE.name == f"{announced.group(1)}.desktop"
    entry = desktop_entry()
    assert entry["Icon"] == announced.group(1)
    assert entry["Exec"] == "zinc-desktop"  # install.sh makes it absolute
    assert entry["StartupWMClass"] == announced.group(1)


def test_metainfo_names_the_desktop_file_and_this_version() -> None:
    component = ET.parse(METAINFO).getroot()  # noqa: S314  # our own file
    assert METAINFO.name == f"{component.findtext('id')}.metainfo.xml"
    assert component.findtext("launchable") == DESKTOP_FILE.name
    release = component.find("releases/release")
    assert release is not None
    assert release.get("version") == __version__


def test_desktop_file_validates() -> None:
    result = subprocess.run(
        [tool("desktop-file-validate"), str(DESKTOP_FILE)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "", result.stdout  # no warnings or hints either


def test_metainfo_validates() -> None:
    result = subprocess.run(
        [tool("appstreamcli"), "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # No error or warning; the one info (`developer` is newer than AppStream 0.16) is expected.
    assert not re.search(r"^[EW]: ", result.stdout, re.MULTILINE), result.stdout


def test_icons_are_rendered_from_the_svg() -> None:
    # A process of its own: the script makes a QGuiApplication, and this one's tests need
    # pytest-qt's QApplication.
    result = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "render_icons.py"), "--check"],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    sizes = sorted(int(p.parent.parent.name.split("x")[0]) for p in LINUX.rglob("*/apps/*.png"))
    assert sizes == [16, 22, 24, 32, 48, 64, 128, 256, 512]


def test_a_plain_install_brings_the_runtime_only() -> None:
    requirements = importlib.metadata.requires("zinc-desktop") or []
    assert dev.unconditional_extras(requirements) == []
    plain = {
        re.split(r"[<>=!;\s\[]", r, maxsplit=1)[0].lower() for r in requirements if "extra" not in r
    }
    assert plain == dev.RUNTIME_DEPENDENCIES
    extras = {
        re.split(r"[<>=!;\s\[]", r, maxsplit=1)[0].lower(): r for r in requirements if "extra" in r
    }
    assert extras.keys() >= DEV_TOOLS
    assert all('extra == "dev"' in extras[name] for name in DEV_TOOLS)
    assert 'extra == "package"' in extras["pyinstaller"]


@pytest.fixture
def fake_bundle(tmp_path: Path) -> Path:
    """The bundle's layout with a stand-in program: enough for install.sh and uninstall.sh."""
    bundle = tmp_path / "unpacked" / "zinc-desktop-0.1.0"
    bundle.mkdir(parents=True)
    shutil.copytree(LINUX / "share", bundle / "share")
    for script in ("install.sh", "uninstall.sh"):
        shutil.copy2(LINUX / script, bundle / script)
    program = bundle / "zinc-desktop"
    program.write_text(f"#!/bin/sh\necho 'zinc-desktop {__version__}'\n")
    program.chmod(0o755)
    (bundle / "_internal").mkdir()
    return bundle


def tree(home: Path) -> set[str]:
    return {str(p.relative_to(home)) for p in home.rglob("*")}


@pytest.mark.skipif(os.name != "posix", reason="the Linux install scripts")
def test_install_then_uninstall_leaves_the_home_as_it_was(
    fake_bundle: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    data = home / ".local" / "share" / "zinc-desktop"
    data.mkdir(parents=True)
    (data / "accounts.json").write_text("[]")
    (home / ".local" / "bin").mkdir()
    before = tree(home)
    env = {
        "HOME": str(home),
        "PATH": os.environ["PATH"],
        "ZINC_DESKTOP_ALLOW_ROOT": "1",  # CI runs as root; the scripts refuse root otherwise
    }
    installed = subprocess.run(
        ["bash", str(fake_bundle / "install.sh"), "--user"], env=env, capture_output=True, text=True
    )
    assert installed.returncode == 0, installed.stderr
    opt = home / ".local" / "opt" / "zinc-desktop"
    entry = home / ".local" / "share" / "applications" / "zinc-desktop.desktop"
    assert (opt / "zinc-desktop").is_file()
    assert (home / ".local" / "bin" / "zinc-desktop").resolve() == (opt / "zinc-desktop").resolve()
    text = entry.read_text("utf-8")
    assert f'Exec="{opt}/zinc-desktop"\n' in text
    assert f'Exec="{opt}/zinc-desktop" --sandbox\n' in text
    for size in ("16x16", "48x48", "512x512"):
        assert (home / f".local/share/icons/hicolor/{size}/apps/zinc-desktop.png").is_file()
    assert (home / ".local/share/icons/hicolor/scalable/apps/zinc-desktop.svg").is_file()
    assert (home / f".local/share/metainfo/{METAINFO.name}").is_file()
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(
            ["desktop-file-validate", str(entry)], capture_output=True, text=True
        )
        assert check.returncode == 0, check.stdout

    again = subprocess.run(  # an upgrade over the same version
        ["bash", str(fake_bundle / "install.sh"), "--user"], env=env, capture_output=True, text=True
    )
    assert again.returncode == 0, again.stderr

    removed = subprocess.run(
        ["bash", str(opt / "uninstall.sh")], env=env, capture_output=True, text=True
    )
    assert removed.returncode == 0, removed.stderr
    assert tree(home) == before
    assert (data / "accounts.json").read_text() == "[]"


def test_install_wants_user() -> None:
    result = subprocess.run(["bash", str(LINUX / "install.sh")], capture_output=True, text=True)
    assert result.returncode == 2
    assert "--user" in result.stdout + result.stderr


def test_readme_and_ci_install_the_checked_system_libraries() -> None:
    listed = LINUX / "debian-qt-libs.txt"
    packages = [
        line.strip()
        for line in listed.read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert "libxcb-cursor0" in packages  # Qt 6.5+ will not start on X11 without it
    readme = (ROOT / "README.md").read_text("utf-8").replace("\\\n", " ")
    apt_line = next(line for line in readme.splitlines() if line.startswith("sudo apt install"))
    assert set(packages) <= set(apt_line.split())
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "packaging/linux/debian-qt-libs.txt" in ci
