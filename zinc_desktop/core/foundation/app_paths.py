"""Where zinc-desktop keeps its files (never a secret): platformdirs' folders, per profile."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from zinc_desktop import APP_NAME
from zinc_desktop.core.foundation.errors import AccountStoreError
from zinc_desktop.core.foundation.owner_only import (
    restrict_descriptor,
    restrict_folder,
)

SANDBOX_PROFILE = "sandbox"
NATIVE_CRASH_FILE = "native-crash.log"  # faulthandler's file, in the log folder (the window's)
# A quarantined copy's suffix (json_document): `.corrupt-<UTC time>`, `-<n>` when that is taken.
_QUARANTINE = r"\.corrupt-\d{8}T\d{6}Z(?:-\d+)?"
# The temporary file write_atomically leaves if the process dies mid-write (mkstemp's 8).
_TEMPORARY = r"\.[a-z0-9_]{8}"
# The variables that move platformdirs' folders (Linux; macOS too since platformdirs 4.8), named
# when one of them is unusable. On Windows platformdirs' WIN_PD_OVERRIDE_* move them.
_MOVING_VARIABLES = ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")


def _usual_data_root() -> Path:
    """The data folder when nothing moves it: not platformdirs' answer, which follows
    XDG_DATA_HOME (Linux, macOS) and WIN_PD_OVERRIDE_LOCAL_APPDATA (Windows)."""
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_NAME
    elif sys.platform == "win32":  # noqa: RET505  # a branch each, so mypy checks each platform
        local = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(local) / APP_NAME
    else:
        return Path.home() / ".local" / "share" / APP_NAME


def _resolved(path: Path) -> Path:
    try:
        return path.expanduser().resolve()
    except (OSError, RuntimeError):
        return path.absolute()


@dataclass(frozen=True)
class AppPaths:
    """The four folders we may write to. The sandbox profile keeps demo accounts apart."""

    data: Path
    config: Path
    state: Path
    log: Path

    @classmethod
    def for_profile(cls, profile: str = "") -> AppPaths:
        def under(base: str) -> Path:
            return Path(base) / profile if profile else Path(base)

        return cls(
            data=under(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            config=under(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            state=under(platformdirs.user_state_dir(APP_NAME, appauthor=False)),
            log=under(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
        )

    @property
    def keyring_service(self) -> str:
        """The keyring service this data folder's keys are kept under.

        `zinc-desktop` (and `zinc-desktop-sandbox`) for the usual folders; a folder moved by
        XDG_DATA_HOME gets `zinc-desktop:<8 hex of its path>`, so that two data folders never
        share keyring items: otherwise linking in one adopts the other's key as "its own" and
        unlinking there deletes it.
        """
        usual = _usual_data_root()
        here = _resolved(self.data)
        if here == _resolved(usual):
            return APP_NAME
        if here == _resolved(usual / SANDBOX_PROFILE):
            return f"{APP_NAME}-{SANDBOX_PROFILE}"
        digest = hashlib.sha256(str(here).encode("utf-8", "surrogatepass")).hexdigest()
        return f"{APP_NAME}:{digest[:8]}"

    @property
    def accounts_file(self) -> Path:
        return self.data / "accounts.json"

    @property
    def checks_file(self) -> Path:
        return self.data / "checks.json"

    @property
    def log_file(self) -> Path:
        return self.log / "zinc-desktop.log"

    @property
    def window_settings(self) -> Path:
        return self.config / "window.ini"

    @property
    def native_crash_file(self) -> Path:
        return self.log / NATIVE_CRASH_FILE

    def all(self) -> tuple[Path, ...]:
        return (self.data, self.config, self.state, self.log)

    def written_names(self) -> dict[Path, tuple[re.Pattern[str], ...]]:
        """The names of the files the app itself writes, by folder (folders may coincide, as
        on macOS): each JSON document with its last-good `.bak`, its `.lock` (and accounts'
        `.link-lock`), the copies quarantine makes of either, and the temporary file of a
        write that died half-way; Qt's window settings and the lock Qt takes to write them;
        the log, its rotations and the native crash file. Nothing else in these folders is
        the app's (`purge` removes these and only these)."""
        names: dict[Path, list[str]] = {}

        def add(folder: Path, *patterns: str) -> None:
            names.setdefault(folder, []).extend(patterns)

        for document in (self.accounts_file, self.checks_file):
            name = re.escape(document.name)
            add(
                document.parent,
                rf"{name}(?:\.bak)?(?:{_QUARANTINE})?",
                rf"{name}\.lock",
                rf"\.{name}(?:\.bak)?{_TEMPORARY}",
            )
        add(self.accounts_file.parent, rf"{re.escape(self.accounts_file.name)}\.link-lock")
        add(self.window_settings.parent, rf"{re.escape(self.window_settings.name)}(?:\.lock)?")
        add(self.log_file.parent, rf"{re.escape(self.log_file.name)}(?:\.\d+)?")
        add(self.native_crash_file.parent, re.escape(self.native_crash_file.name))
        return {
            folder: tuple(re.compile(pattern) for pattern in patterns)
            for folder, patterns in names.items()
        }


def private_directory(path: Path) -> Path:
    """Create `path` and every missing parent owner-only (0700, whatever the umask); tighten
    `path` itself if it exists. Folders above it that already exist are left as they are.

    A symbolic link at `path` to a folder elsewhere is used as it is: that folder is the user's
    (synced, on another disk), and its mode is theirs to choose; the app's files in it are
    owner-only all the same. Only a real folder at `path` is tightened.

    A path that cannot be a folder (a file in the way, no permission) is an AccountStoreError
    naming the folder and the variable that put it there.
    """
    missing: list[Path] = []
    probe = path
    while not probe.is_dir():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    try:
        for folder in reversed(missing):
            try:
                os.mkdir(folder, 0o700)
            except FileExistsError:
                if not folder.is_dir():
                    raise
                continue  # made meanwhile (another zinc-desktop): tightened below if `path`
            restrict_folder(folder)  # the umask may have taken bits away from 0700
        restrict_folder(path)
    except OSError as error:
        raise AccountStoreError(_unusable_folder(path, error)) from None
    return path


def _unusable_folder(path: Path, error: OSError) -> str:
    culprit = Path(error.filename) if error.filename else path
    if isinstance(error, FileExistsError | NotADirectoryError) or (
        culprit.exists() and not culprit.is_dir()
    ):
        reason = f"{culprit} is a file, not a folder"
    else:
        reason = f"{error.strerror or error} ({culprit})"
    message = f"The folder {path} cannot be used: {reason}."
    for variable in _MOVING_VARIABLES:
        value = os.environ.get(variable, "")
        if value and path.is_relative_to(Path(value)):
            return (
                f"{message} {variable}={value} puts it there; point {variable} at a folder you "
                "can write to, or unset it."
            )
    return message


def write_atomically(target: Path, data: bytes) -> None:
    """Replace `target` with `data` in one step, owner-only (0600), flushed to disk: a crash
    leaves the old file or the new one, never half of either. A symlink at `target` is replaced,
    not followed. Raises OSError."""
    # The temporary name is short: beside a name of 250 characters, ".name.XXXX" would pass
    # the file system's limit (255) and the write would fail for a name that is fine.
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name[:40]}.", dir=target.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            restrict_descriptor(handle.fileno())
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
