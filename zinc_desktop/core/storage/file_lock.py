"""An exclusive lock on a lock file, shared by the threads of this process and by other
processes; a hold may be released from any thread."""

from __future__ import annotations

import contextlib
import errno
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from zinc_desktop.core.foundation.app_paths import private_directory
from zinc_desktop.core.foundation.errors import AccountStoreError
from zinc_desktop.core.foundation.owner_only import restrict_descriptor


def _try_lock(handle: BinaryIO) -> bool:
    """An exclusive lock without waiting (portalocker: flock on POSIX, msvcrt on Windows).
    Imported here, at the first write: its import reads package metadata (37 ms), and the
    window's first frame reads its files without a lock."""
    import portalocker

    try:
        portalocker.lock(
            handle, portalocker.LockFlags.EXCLUSIVE | portalocker.LockFlags.NON_BLOCKING
        )
    except portalocker.exceptions.LockException:
        return False
    return True


def _unlock(handle: BinaryIO) -> None:
    import portalocker

    portalocker.unlock(handle)


class LockUnavailable(AccountStoreError):
    """The lock file cannot be made (a read-only or immutable folder): nothing can be written
    here, but what is there can still be read."""


class FileLock:
    """An exclusive lock on a lock file, for the threads of this process and other processes.

    `acquire()` waits up to `timeout` seconds, then raises AccountStoreError(`busy_message`).
    The hold it returns may be released from any thread, so work that outlives a call (a keyring
    request still running after its deadline) can keep the lock until it really ends.
    """

    def __init__(self, path: Path, *, timeout: float, busy_message: str) -> None:
        self.path = path
        self.timeout = timeout
        self._busy_message = busy_message
        self._thread_lock = threading.Lock()

    def acquire(self, timeout: float | None = None) -> LockHold:
        limit = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + limit
        if not self._thread_lock.acquire(timeout=limit):
            raise AccountStoreError(self._busy_message)
        try:
            handle = self._open()
        except BaseException:
            self._thread_lock.release()
            raise
        if not self._wait_for(handle, deadline):
            handle.close()
            self._thread_lock.release()
            raise AccountStoreError(self._busy_message)
        return LockHold(self, handle)

    def _open(self) -> BinaryIO:
        try:
            private_directory(self.path.parent)
        except AccountStoreError as problem:
            if not self.path.parent.is_dir():
                raise  # a file in the folder's place, or no folder at all: say that
            raise LockUnavailable(str(problem)) from None  # there, but not ours to change
        try:
            # Never through a link: a link at the lock's name must not make us create or
            # chmod a file somewhere else.
            nofollow = getattr(os, "O_NOFOLLOW", 0)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | nofollow, 0o600)
            restrict_descriptor(fd)
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise AccountStoreError(
                    f"The lock file {self.path} is a link; the app never follows a link "
                    "for its own files. Remove the link and try again."
                ) from None
            unusable = (
                LockUnavailable
                if isinstance(error, PermissionError)
                or error.errno in (errno.EROFS, errno.EPERM, errno.EACCES)
                else AccountStoreError
            )
            raise unusable(
                f"Could not open the lock file {self.path}: {error.strerror or error}."
            ) from None
        return os.fdopen(fd, "r+b")

    @staticmethod
    def _wait_for(handle: BinaryIO, deadline: float) -> bool:
        while not _try_lock(handle):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True

    @contextlib.contextmanager
    def held(self, timeout: float | None = None) -> Iterator[LockHold]:
        hold = self.acquire(timeout)
        try:
            yield hold
        finally:
            hold.release()

    def _release(self, handle: BinaryIO) -> None:
        try:
            _unlock(handle)
        finally:
            handle.close()
            self._thread_lock.release()


class LockHold:
    """One acquisition of a FileLock; `release()` is idempotent and works from any thread."""

    def __init__(self, lock: FileLock, handle: BinaryIO) -> None:
        self._lock = lock
        self._handle: BinaryIO | None = handle
        self._guard = threading.Lock()

    def release(self) -> None:
        with self._guard:
            handle, self._handle = self._handle, None
        if handle is not None:
            self._lock._release(handle)

    @property
    def released(self) -> bool:
        return self._handle is None
