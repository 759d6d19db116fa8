"""The one module where file handling forks by platform: modes on POSIX, nothing on Windows."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from zinc_desktop.core.foundation import owner_only

pytestmark = pytest.mark.skipif(
    sys.platform == "win32", reason="file modes: Windows keeps files private by their ACLs"
)


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def test_a_descriptor_is_made_owner_only_whatever_the_umask(tmp_path: Path) -> None:
    path = tmp_path / "f"
    previous = os.umask(0)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o666)
    finally:
        os.umask(previous)
    try:
        assert mode(path) == 0o666
        owner_only.restrict_descriptor(fd)
    finally:
        os.close(fd)
    assert mode(path) == 0o600


def test_a_wide_file_is_narrowed_and_a_link_is_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.write_text("not ours")
    target.chmod(0o644)
    link = tmp_path / "settings.conf"
    link.symlink_to(target)
    owner_only.restrict_file(link)
    assert mode(target) == 0o644
    owner_only.restrict_file(target)
    assert mode(target) == 0o600
    owner_only.restrict_file(tmp_path / "absent")  # nothing to do, no error


def test_a_folder_is_made_0700_but_a_link_in_its_place_is_left(tmp_path: Path) -> None:
    folder = tmp_path / "log"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    owner_only.restrict_folder(folder)
    assert mode(folder) == 0o700
    other = tmp_path / "other"
    other.mkdir()
    other.chmod(0o755)
    link = tmp_path / "linked"
    link.symlink_to(other)
    owner_only.restrict_folder(link)
    assert mode(other) == 0o755


def test_syncing_a_folder_flushes_it_and_a_missing_one_says_so(tmp_path: Path) -> None:
    owner_only.sync_folder(tmp_path)
    with pytest.raises(FileNotFoundError):
        owner_only.sync_folder(tmp_path / "absent")
