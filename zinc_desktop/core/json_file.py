"""A JSON document on disk that survives crashes, corruption and two writers at once."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Generic, TypeVar

from zinc_desktop.core.app_paths import private_directory
from zinc_desktop.core.errors import AccountStoreError

T = TypeVar("T")

if os.name == "posix":
    import fcntl

    def _try_lock(handle: Any) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(handle: Any) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

else:  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(handle: Any) -> bool:
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True

    def _unlock(handle: Any) -> None:
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]


class DamagedDocument(ValueError):
    """The document's content is unusable; the message says why."""


class NewerSchema(AccountStoreError):
    """Written by a newer version of the app: never overwrite it."""


class JsonDocument(Generic[T]):
    """`path` with `path.bak` (the last good copy), a lock file, and quarantine on damage.

    `decode` turns the parsed JSON into a value or raises DamagedDocument; a damaged file is
    moved aside with a timestamp and the backup restored. `notices` collects what happened, in
    words for the user.
    """

    def __init__(
        self,
        path: Path,
        *,
        schema: int,
        decode: Callable[[dict[str, Any]], T],
        empty: Callable[[], T],
        encode: Callable[[T], dict[str, Any]],
        lock_timeout: float = 5.0,
    ) -> None:
        self.path = path
        self.backup = path.with_name(path.name + ".bak")
        self._lock_path = path.with_name(path.name + ".lock")
        self._schema = schema
        self._decode = decode
        self._empty = empty
        self._encode = encode
        self._lock_timeout = lock_timeout
        self._thread_lock = threading.RLock()
        self.notices: list[str] = []

    # --- public ------------------------------------------------------------------------------

    def read(self) -> T:
        with self._locked():
            return self._load()

    @contextlib.contextmanager
    def update(self) -> Iterator[list[T]]:
        """Lock, load fresh, let the caller change `box[0]`, then write it back atomically."""
        with self._locked():
            box = [self._load()]
            yield box
            self._write(box[0])

    # --- locking -----------------------------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        private_directory(self.path.parent)
        with self._thread_lock:
            fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600)
            with os.fdopen(fd, "r+b") as handle:
                deadline = time.monotonic() + self._lock_timeout
                while not _try_lock(handle):
                    if time.monotonic() > deadline:
                        raise AccountStoreError(
                            f"{self.path.name} is locked by another zinc-desktop for more than "
                            f"{self._lock_timeout:g} s; close it or try again."
                        )
                    time.sleep(0.02)
                try:
                    yield
                finally:
                    _unlock(handle)

    # --- reading -----------------------------------------------------------------------------

    def _parse(self, path: Path) -> T:
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise DamagedDocument(f"unreadable ({error.strerror})") from None
        if not raw.strip():
            raise DamagedDocument("empty")
        try:
            document = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as error:
            raise DamagedDocument(f"not valid JSON ({error})") from None
        if not isinstance(document, dict):
            raise DamagedDocument("not a JSON object")
        schema = document.get("schema")
        if isinstance(schema, int) and schema > self._schema:
            raise NewerSchema(
                f"{path} was written by a newer zinc-desktop (schema {schema}); update the app. "
                "It was left untouched."
            )
        if schema != self._schema:
            raise DamagedDocument(f"unknown schema {schema!r}")
        try:
            return self._decode(document)
        except (KeyError, ValueError, TypeError) as error:
            raise DamagedDocument(
                f"a record is invalid ({type(error).__name__}: {error})"
            ) from None

    def _load(self) -> T:
        if not self.path.exists():
            if self.backup.exists():
                return self._recover(f"{self.path.name} was missing")
            return self._empty()
        try:
            return self._parse(self.path)
        except DamagedDocument as damage:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            quarantine = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
            os.replace(self.path, quarantine)
            return self._recover(
                f"{self.path.name} was damaged ({damage}) and was moved to {quarantine.name}"
            )

    def _recover(self, what_happened: str) -> T:
        try:
            value = self._parse(self.backup)
        except DamagedDocument:
            self.notices.append(f"{what_happened}; no good backup was found, so it starts empty.")
            return self._empty()
        self._atomic_write(self.path, self.backup.read_bytes())
        self.notices.append(f"{what_happened}; the last good copy was restored.")
        return value

    # --- writing -----------------------------------------------------------------------------

    def _write(self, value: T) -> None:
        document = {"schema": self._schema, **self._encode(value)}
        data = (json.dumps(document, indent=2, sort_keys=False) + "\n").encode()
        if self.path.exists():
            # The current file was just read and parsed under this lock: it is the last good one.
            self._atomic_write(self.backup, self.path.read_bytes())
        self._atomic_write(self.path, data)

    @staticmethod
    def _atomic_write(target: Path, data: bytes) -> None:
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        temp = Path(temp_name)
        try:
            with os.fdopen(fd, "wb") as handle:
                if os.name == "posix":
                    os.fchmod(handle.fileno(), 0o600)
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, target)
        except OSError as error:
            temp.unlink(missing_ok=True)
            raise AccountStoreError(
                f"Could not write {target}: {error.strerror or error}. "
                "The previous version is intact."
            ) from None
        if os.name == "posix":
            directory = os.open(target.parent, os.O_RDONLY)
            try:
                os.fsync(directory)
            finally:
                os.close(directory)
