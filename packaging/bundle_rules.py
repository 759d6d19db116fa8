"""What goes into the bundle on each platform: the rules zinc-desktop.spec applies.

Plain Python with no PyInstaller import, so the test suite checks the rules against the real
PySide6 wheels' file lists of Linux, macOS and Windows (tests/packaging/data/), which differ:
`PySide6/Qt/plugins/platforms/libqxcb.so` on Linux, `.../libqcocoa.dylib` on macOS,
`PySide6/plugins/platforms/qwindows.dll` on Windows (no `Qt/` folder there).
"""

from __future__ import annotations

from pathlib import PurePath

APP_NAME = "zinc-desktop"  # the program, the Linux bundle's folder, the Windows console exe
DISPLAY_NAME = "Zinc Desktop"  # the macOS .app and the Windows window exe, as people see them
# Reverse-DNS and stable across releases: the macOS Keychain trusts the app by its signature and
# this identifier (the AppStream component id on Linux is the same).
BUNDLE_IDENTIFIER = "dev.zinc_desktop.ZincDesktop"
# PySide6 6.11's wheels are built for macOS 13 and newer.
MACOS_MINIMUM = "13.0"

# The Qt plugins the window loads, by folder and by name without `lib` and extension; every other
# plugin in the wheel is left out (packaging/README.md says why for each). None keeps the folder.
KEEP_PLUGINS: dict[str, frozenset[str] | None] = {
    "platforms": frozenset(
        {
            "qxcb",  # Linux, X11
            "qwayland",  # Linux, Wayland
            "qcocoa",  # macOS
            "qwindows",  # Windows
            "qoffscreen",  # headless runs and tests, everywhere
        }
    ),
    "platformthemes": frozenset({"qxdgdesktopportal"}),  # Linux: file dialogs through the portal
    "platforminputcontexts": frozenset(
        {"composeplatforminputcontextplugin", "ibusplatforminputcontextplugin"}  # Linux
    ),
    # The native look: macOS's own, Windows 10/11's (Linux uses Fusion, which is built in).
    "styles": frozenset({"qmacstyle", "qmodernwindowsstyle"}),
    "iconengines": frozenset({"qsvgicon"}),
    "imageformats": frozenset({"qsvg"}),
    "xcbglintegrations": None,  # all (small; xcb loads them only for OpenGL surfaces)
    "wayland-shell-integration": frozenset({"xdg-shell"}),
    "wayland-decoration-client": None,  # GNOME on Wayland needs client-side decorations
    "wayland-graphics-integration-client": None,
}
_LIBRARY_SUFFIXES = (".so", ".dylib", ".dll")


def _qt_parts(dest: str) -> tuple[str, ...] | None:
    """The parts under PySide6's Qt folder (`PySide6/Qt/...`, or `PySide6/...` on Windows)."""
    parts = PurePath(dest.replace("\\", "/")).parts
    if len(parts) < 2 or parts[0] != "PySide6":
        return None
    if parts[1] == "Qt":
        return parts[2:]
    if parts[1] in ("plugins", "translations"):  # Windows' wheel has no Qt/ folder
        return parts[1:]
    return None


def plugin_name(file_name: str) -> str:
    """`libqxcb.so`, `libqcocoa.dylib`, `qwindows.dll` -> `qxcb`, `qcocoa`, `qwindows`."""
    stem = file_name
    for suffix in _LIBRARY_SUFFIXES:
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    return stem[3:] if stem.startswith("lib") else stem


def wanted(dest: str) -> bool:
    """False for a file of PySide6's Qt that the app never loads (any platform's layout)."""
    parts = _qt_parts(dest)
    if parts is None:
        return True
    if parts and parts[0] == "translations":
        return False  # the app installs no translator: Qt's own strings stay English
    if len(parts) >= 3 and parts[0] == "plugins":
        if parts[1] not in KEEP_PLUGINS:
            return False
        keep = KEEP_PLUGINS[parts[1]]
        return keep is None or plugin_name(parts[2]) in keep
    return True


def archive_name(version: str, platform: str, machine: str) -> str:
    """`zinc-desktop-1.2.0-linux-x86_64`: the release asset's name without its extension."""
    system = {"linux": "linux", "darwin": "macos", "win32": "windows"}.get(platform, platform)
    arch = {"amd64": "x86_64", "AMD64": "x86_64"}.get(machine, machine)  # Windows says AMD64
    return f"{APP_NAME}-{version}-{system}-{arch}"
