"""The lock the data files share, on portalocker: exclusive across processes and threads,
released from any thread, owner-only, never through a link."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.support.platforms import file_modes
from zinc_desktop.core.foundation.errors import AccountStoreError
from zinc_desktop.core.storage.file_lock import FileLock

TRY_IN_ANOTHER_PROCESS = """
import sys
from pathlib import Path
from zinc_desktop.core.foundation.errors import AccountStoreError
from zinc_desktop.core.storage.file_lock import FileLock
try:
    FileLock(Path(sys.argv[1]), timeout=0.3, busy_message="busy").acquire().release()
except AccountStoreError:
    print("busy")
else:
    print("taken")
"""


def other_process_takes(path: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", TRY_IN_ANOTHER_PROCESS, str(path)],
        capture_output=True, text=True, timeout=30, check=True,
    )  # fmt: skip
    return done.stdout.strip()


def test_another_process_waits_while_it_is_held_and_takes_it_after(tmp_path: Path) -> None:
    lock = FileLock(tmp_path / "data.lock", timeout=1, busy_message="busy")
    with lock.held():
        assert other_process_takes(tmp_path / "data.lock") == "busy"
    assert other_process_takes(tmp_path / "data.lock") == "taken"


def test_another_thread_waits_and_a_hold_is_released_from_any_thread(tmp_path: Path) -> None:
    lock = FileLock(tmp_path / "data.lock", timeout=0.2, busy_message="busy now")
    hold = lock.acquire()
    with pytest.raises(AccountStoreError, match="busy now"):
        lock.acquire()
    releasing = threading.Thread(target=hold.release)
    releasing.start()
    releasing.join()
    assert hold.released
    lock.acquire().release()
    hold.release()  # again: nothing


@file_modes
def test_the_lock_file_is_owner_only_and_never_a_link(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        FileLock(tmp_path / "data.lock", timeout=1, busy_message="busy").acquire().release()
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "data.lock").stat().st_mode) == 0o600
    elsewhere = tmp_path / "elsewhere"
    (tmp_path / "linked.lock").symlink_to(elsewhere)
    with pytest.raises(AccountStoreError, match="is a link"):
        FileLock(tmp_path / "linked.lock", timeout=1, busy_message="busy").acquire()
    assert not elsewhere.exists()
