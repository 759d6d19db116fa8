"""Owner-only files and folders: the one place where the app's file handling differs by platform.

On Linux and macOS a file is private by its mode: every file the app writes is 0600 and every
folder 0700, set on the open descriptor (so a file's mode never depends on the umask, and a link
put in a file's place is never followed). Windows has no modes: a file under the user's profile
(platformdirs' %LOCALAPPDATA%) is private by the ACL it inherits from there, which only the user
and the system can read; so each rule here does nothing on Windows. Windows also cannot open a
folder to flush it to disk (a file's own flush is what its NTFS journal keeps).

Each branch is on `sys.platform`, which mypy narrows: `mypy --platform win32` and
`--platform darwin` type-check the other platforms' sides (POSIX-only calls such as os.fchmod
and os.O_NOFOLLOW exist only in the non-Windows branches).
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def restrict_descriptor(fd: int) -> None:
    """Make the open file `fd` owner-only (0600), whatever the umask or an older version left."""
    if sys.platform != "win32":
        os.fchmod(fd, FILE_MODE)


def restrict_file(path: Path) -> None:
    """Make an existing regular file owner-only (0600): one written by another library (Qt's
    QSettings), by an older version, or by hand under a wider umask. Absent, or a link: nothing
    is done (a link's target is not the app's to change)."""
    if sys.platform != "win32":
        try:
            mode = os.lstat(path).st_mode
            if stat.S_ISREG(mode) and stat.S_IMODE(mode) != FILE_MODE:
                os.chmod(path, FILE_MODE)
        except OSError:
            pass  # absent, or not ours: whoever reads it next will say what is wrong


def restrict_folder(folder: Path) -> None:
    """Make `folder` 0700 unless it is a symbolic link (never followed). Opened without
    following, so the check and the change are one. Raises OSError."""
    if sys.platform != "win32":
        try:
            fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        except OSError as error:
            if error.errno in (errno.ELOOP, errno.ENOTDIR) and os.path.islink(folder):
                return  # (Linux says ENOTDIR when O_DIRECTORY meets the link)
            raise
        try:
            if stat.S_IMODE(os.fstat(fd).st_mode) != FOLDER_MODE:
                os.fchmod(fd, FOLDER_MODE)
        finally:
            os.close(fd)


def sync_folder(folder: Path) -> None:
    """Flush `folder`'s entries to disk, so a rename into it survives a power cut (POSIX)."""
    if sys.platform != "win32":
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
