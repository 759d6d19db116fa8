"""The platform the suite runs on, and marks for the tests that mean something on some only.

A test that cannot mean anything on Windows or macOS carries one of these marks, whose reason
says what is platform-specific (`pytest -rs` lists them); a test of behaviour that should hold
everywhere (JSON, HTTP to 127.0.0.1, Qt widgets offscreen) stays unmarked. Where only one line
of a test is platform-specific (a file's mode after a write that matters everywhere), the line
is guarded with FILE_MODES instead, so the rest still runs everywhere.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

LINUX = sys.platform.startswith("linux")
MACOS = sys.platform == "darwin"
WINDOWS = sys.platform == "win32"
PLATFORM = "Linux" if LINUX else "macOS" if MACOS else "Windows" if WINDOWS else sys.platform

# POSIX modes (0600, 0700, the umask) are what keeps the app's files owner-only; Windows has
# ACLs instead, which the app leaves as the user's profile sets them (owner_only.restrict_file).
FILE_MODES = not WINDOWS


def posix_only(what: str) -> pytest.MarkDecorator:
    """Skipped on Windows: `what` names the POSIX thing the test is about."""
    return pytest.mark.skipif(WINDOWS, reason=f"POSIX only: {what}")


def linux_only(what: str) -> pytest.MarkDecorator:
    """Skipped on macOS and Windows: `what` names the Linux thing the test is about."""
    return pytest.mark.skipif(not LINUX, reason=f"Linux only: {what}")


file_modes = posix_only("file modes (0600, 0700, the umask); Windows has ACLs, not modes")
folder_links = posix_only(
    "symbolic links to folders; Windows makes them only with a privilege, and only when told "
    "the target is a folder"
)


def _may_make_links() -> bool:
    """Whether this process may make symbolic links: anywhere on POSIX; on Windows only with
    Developer Mode or administrator rights (GitHub's hosted runners have them)."""
    if not WINDOWS:
        return True
    with tempfile.TemporaryDirectory() as folder:
        try:
            os.symlink(os.path.join(folder, "target"), os.path.join(folder, "link"))
        except OSError:
            return False
    return True


file_links = pytest.mark.skipif(
    not _may_make_links(),
    reason="symbolic links: this Windows account may not make them (Developer Mode or "
    "administrator rights)",
)
secret_service_only = linux_only(
    "the Secret Service (gnome-keyring on a private D-Bus, secretstorage) is Linux's keyring; "
    "macOS and Windows have their own"
)
linux_install_scripts = linux_only(
    "packaging/linux's install.sh and uninstall.sh, bash scripts for Linux desktops"
)
latin1_locale = linux_only(
    "an ISO-8859-1 locale through LC_ALL, built with glibc's localedef; macOS file names are "
    "UTF-8 whatever the locale, and Windows has no LC_ALL"
)
xdg_folders = pytest.mark.skipif(
    WINDOWS,
    reason="XDG_* variables move the app's folders on Linux and macOS (platformdirs); Windows' "
    "come from its Known Folders",
)

XDG_VARIABLES = ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")


def app_folder_variables(root: Path, *, home: bool = True) -> dict[str, str]:
    """The variables that put every folder zinc-desktop writes (platformdirs') under `root`,
    so that no test writes in the user's own: XDG_* (Linux; macOS's platformdirs honours them
    too) as root/xdg_data_home and so on; on macOS HOME as well, with `home`, since its log
    folder (~/Library/Logs) follows HOME alone; on Windows WIN_PD_OVERRIDE_LOCAL_APPDATA as
    root/xdg_data_home, where data, settings, state and logs all live there."""
    env = {variable: str(root / variable.lower()) for variable in XDG_VARIABLES}
    if MACOS and home:
        env["HOME"] = str(root / "home")
    if WINDOWS:
        env["WIN_PD_OVERRIDE_LOCAL_APPDATA"] = str(root / "xdg_data_home")
    return env


def log_root(root: Path) -> Path:
    """The folder the log folders are in, under a `root` given to app_folder_variables."""
    if MACOS:
        return root / "home" / "Library" / "Logs"
    if WINDOWS:
        return root / "xdg_data_home"
    return root / "xdg_state_home"
