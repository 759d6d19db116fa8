"""The bundle's rules (packaging/bundle_rules.py) against each platform's real PySide6 wheel.

tests/packaging/data/pyside6-plugins-*.txt list the Qt plugins of PySide6-Essentials 6.11.3's
wheels as published (Linux: the installed one; macOS universal2 and Windows amd64: `unzip -Z1`
of the wheels pip downloads with --platform). The spec applies `wanted` to PyInstaller's
destinations, which keep the wheel's layout.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"


def load(name: str) -> ModuleType:
    # packaging/ is not a package (and `packaging` is a PyPI library's name): load by path.
    spec = importlib.util.spec_from_file_location(f"zd_{name}", ROOT / "packaging" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


rules = load("bundle_rules")


def kept(platform: str) -> set[str]:
    listed = (DATA / f"pyside6-plugins-{platform}.txt").read_text("utf-8").split()
    assert len(listed) > 40  # the whole list, not a sample
    return {path.split("/plugins/", 1)[1] for path in listed if rules.wanted(path)}


def test_linux_keeps_what_the_window_loads_there() -> None:
    assert kept("linux") == {
        "platforms/libqxcb.so",
        "platforms/libqwayland.so",
        "platforms/libqoffscreen.so",
        "platformthemes/libqxdgdesktopportal.so",
        "platforminputcontexts/libcomposeplatforminputcontextplugin.so",
        "platforminputcontexts/libibusplatforminputcontextplugin.so",
        "iconengines/libqsvgicon.so",
        "imageformats/libqsvg.so",
        "xcbglintegrations/libqxcb-egl-integration.so",
        "xcbglintegrations/libqxcb-glx-integration.so",
        "wayland-shell-integration/libxdg-shell.so",
        *(
            path.split("/plugins/", 1)[1]
            for path in (DATA / "pyside6-plugins-linux.txt").read_text("utf-8").split()
            if "/wayland-decoration-client/" in path
            or "/wayland-graphics-integration-client/" in path
        ),
    }


def test_macos_keeps_cocoa_its_style_and_svg() -> None:
    assert kept("macos") == {
        "platforms/libqcocoa.dylib",
        "platforms/libqoffscreen.dylib",
        "styles/libqmacstyle.dylib",
        "iconengines/libqsvgicon.dylib",
        "imageformats/libqsvg.dylib",
    }


def test_windows_keeps_its_platform_its_style_and_svg() -> None:
    # Windows' wheel has PySide6/plugins/..., with no Qt/ folder between.
    assert kept("windows") == {
        "platforms/qwindows.dll",
        "platforms/qoffscreen.dll",
        "styles/qmodernwindowsstyle.dll",
        "iconengines/qsvgicon.dll",
        "imageformats/qsvg.dll",
    }


@pytest.mark.parametrize(
    ("dest", "wanted"),
    [
        ("PySide6/Qt/translations/qtbase_de.qm", False),
        ("PySide6/translations/qtbase_de.qm", False),  # Windows
        ("PySide6\\plugins\\platforms\\qwindows.dll", True),  # as os.sep joins it there
        ("PySide6\\plugins\\tls\\qschannelbackend.dll", False),
        ("PySide6/Qt/lib/QtCore.framework/Versions/A/QtCore", True),
        ("PySide6/Qt6Core.dll", True),
        ("PySide6/QtWidgets.abi3.so", True),
        ("keyring/backends/macOS/__init__.pyc", True),
        ("PySide6/Qt/plugins/platforms", True),  # a folder entry, not a plugin
    ],
)
def test_other_files_are_kept_and_translations_dropped(dest: str, wanted: bool) -> None:
    assert rules.wanted(dest) is wanted


@pytest.mark.parametrize(
    ("platform", "machine", "name"),
    [
        ("linux", "x86_64", "zinc-desktop-1.2.0-linux-x86_64"),
        ("linux", "aarch64", "zinc-desktop-1.2.0-linux-aarch64"),
        ("darwin", "arm64", "zinc-desktop-1.2.0-macos-arm64"),
        ("win32", "AMD64", "zinc-desktop-1.2.0-windows-x86_64"),
    ],
)
def test_release_assets_are_named_by_platform(platform: str, machine: str, name: str) -> None:
    assert rules.archive_name("1.2.0", platform, machine) == name


def test_a_windowed_program_gets_streams_that_take_output() -> None:
    # A windowed Windows program starts with sys.stdout and sys.stderr None; the entry script
    # points them at the null device before the app writes its first line. Shown here with the
    # streams closed from the start, as Windows would hand them over.
    script = (
        "import runpy, sys; sys.stdout = sys.stderr = sys.stdin = None; "
        f"entry = runpy.run_path({str(ROOT / 'packaging' / 'entry.py')!r}); "
        "entry['give_streams_somewhere'](); print('heard'); sys.stderr.write('x'); "
        "sys.__stdout__.write(type(sys.stdout).__name__ + ' ' + sys.stdout.name)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"TextIOWrapper {os.devnull}"
