"""A JSON document on disk that survives crashes, corruption and two writers at once."""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import os
import stat
import threading
from collections.abc import Callable, Iterator
from copy import copy as shallow_copy
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO, Generic, TypeVar

from zinc_desktop.core.foundation.api_key import KEY_RUN_BYTES, KeyRunMasker
from zinc_desktop.core.foundation.app_paths import write_atomically
from zinc_desktop.core.foundation.errors import AccountStoreError
from zinc_desktop.core.foundation.owner_only import restrict_descriptor, restrict_file, sync_folder
from zinc_desktop.core.storage.file_lock import FileLock, LockHold, LockUnavailable

T = TypeVar("T")
log = logging.getLogger(__name__)

MAX_BYTES = 64 * 1024 * 1024  # far beyond any real file; a bigger one is damage, never read whole
MAX_DEPTH = 16  # our documents nest 3 deep; deeper is damage (and json would recurse on it)


def dumps_readable(document: dict[str, Any]) -> str:
    """JSON a person can read (one record a line) written by json's C encoder.

    `indent=` switches json to its pure-Python encoder, about twice as slow for 10,000
    accounts (80 ms against 40 ms here), and every change of a status writes the file.
    """
    encoder = json.JSONEncoder(ensure_ascii=False, allow_nan=False)
    dump = encoder.encode
    lines = []
    for name, value in document.items():
        if isinstance(value, list) and value:
            items = ",\n    ".join(map(dump, value))
            lines.append(f"  {dump(name)}: [\n    {items}\n  ]")
        else:
            lines.append(f"  {dump(name)}: {dump(value)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


class DamagedDocument(ValueError):
    """The document's content is unusable; the message says why."""


class NewerSchema(AccountStoreError):
    """Written by a newer version of the app: never overwrite it."""


# --- the document -----------------------------------------------------------------------------


@dataclass
class _Loaded(Generic[T]):
    value: T
    exists: bool  # False: there was no file (nor backup); the value is the empty one


def _file_kind(mode: int) -> str:
    kinds = [
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISSOCK, "a socket"),
    ]
    kinds += [(stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device")]
    return next((name for test, name in kinds if test(mode)), "a special file")


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _too_deep(document: Any, limit: int) -> bool:
    """Whether containers nest deeper than `limit` (iterative: no recursion on hostile input)."""
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class JsonDocument(Generic[T]):
    """`path` with `path.bak` (the last good copy), a lock file, and quarantine on damage.

    `decode` turns the parsed JSON into a value or raises DamagedDocument (or KeyError,
    ValueError, TypeError on a record it cannot trust). A damaged file is copied aside with a
    timestamp (0600, key-shaped runs masked) and the backup restored; if the backup is damaged
    too it is moved aside as well and the document starts empty. `notices` collects what
    happened, in words for the user. A document that decodes to something other than what it
    holds (an older version's key in a label, masked on load) is rewritten at once, with its
    backup, so the original text does not stay on disk.
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
        max_bytes: int = MAX_BYTES,
        max_depth: int = MAX_DEPTH,
        copy_value: Callable[[T], T] = shallow_copy,
    ) -> None:
        self.path = path
        self.backup = path.with_name(path.name + ".bak")
        self._schema = schema
        self._decode = decode
        self._empty = empty
        self._encode = encode
        self._max_bytes = max_bytes
        self._max_depth = max_depth
        self._lock = FileLock(
            path.with_name(path.name + ".lock"),
            timeout=lock_timeout,
            busy_message=(
                f"{path.name} is locked by another zinc-desktop for more than {lock_timeout:g} s; "
                "close it or try again."
            ),
        )
        self.notices: list[str] = []
        # The bytes last read or written and their value: a file whose bytes are the same is
        # not parsed again (a command used to parse accounts.json four times). Values are handed
        # out as copies (`copy_value`; the items are immutable), so no caller changes this one.
        self._copy = copy_value
        self._cached: tuple[bytes, T] | None = None
        self._cache_lock = threading.Lock()

    # --- public ------------------------------------------------------------------------------

    def read(self) -> T:
        """The document's value. Takes no lock and writes nothing when the file is sound (a
        writer renames a whole file into place: there is no half-written file to see); only
        recovery (a missing, damaged or key-holding file) locks, and may write."""
        if self._nothing_written_yet():
            # Nothing written yet: empty, without making the folder or its lock file.
            return self._empty()
        try:
            for path in (self.path, self.backup):  # an older version, or a hand, left them wider
                restrict_file(path)
            value, holds_key = self._parse(self.path)
        except (OSError, DamagedDocument):
            pass  # missing, unreadable or damaged: recovery, under the lock, says what happened
        else:
            if not holds_key:
                return value
        try:
            hold = self._lock.acquire()
        except LockUnavailable as problem:
            # A folder nobody can write (read-only, immutable): no writer can be racing us, and
            # reading needs no lock. What would need a write says so when it is tried.
            log.info("reading %s without its lock: %s", self.path.name, problem)
            return self._load().value
        try:
            return self._load().value
        finally:
            hold.release()

    def _nothing_written_yet(self) -> bool:
        """Neither the file nor its backup exists, and the folders on the way are folders (a
        file in a folder's place is a problem to name, not an empty list)."""
        if os.path.lexists(self.path) or os.path.lexists(self.backup):
            return False
        existing = self.path.parent
        while not os.path.lexists(existing) and existing != existing.parent:
            existing = existing.parent
        return existing.is_dir()

    @contextlib.contextmanager
    def update(self, *, forgetting: bool = False) -> Iterator[list[T]]:
        """Lock, load fresh, let the caller change `box[0]`, then write it back atomically.

        Nothing is written when the value did not change. The backup is the value just loaded,
        as encoded under this lock (never a second read of the file). `forgetting`: the change
        removes something on purpose (an unlink), so the backup gets the new value too: a
        backup never brings back what was deliberately removed.
        """
        try:
            hold: LockHold | None = self._lock.acquire()
        except LockUnavailable as problem:
            hold, cannot_write = None, problem  # fine as long as nothing needs writing
        try:
            loaded = self._load()
            box = [self._copy(loaded.value)]
            yield box
            if box[0] == loaded.value:  # nothing changed: nothing to encode, nothing to write
                return
            data = self._serialise(box[0])
            if not loaded.exists and data == self._serialise(self._empty()):
                return
            if hold is None:
                raise cannot_write
            if forgetting:
                self._atomic_write(self.backup, data)
            elif loaded.exists:
                self._atomic_write(self.backup, self._serialise(loaded.value))
            self._atomic_write(self.path, data)
            self._remember(data, box[0])
        finally:
            if hold is not None:
                hold.release()

    def forget_in_quarantine(self, term: str) -> int:
        """Take `term` (an unlinked account's id) out of the damaged copies kept aside
        (`.corrupt-*`): each line that mentions it goes (our files hold one record a line), the
        rest of the copy stays for whoever wants to recover it; a copy left empty goes. What was
        deliberately removed does not stay in a copy either. Returns how many copies changed; a
        copy that cannot be read or written is left, and logged."""
        needle = term.encode()
        changed = 0
        for source in (self.path, self.backup):
            for copy in source.parent.glob(f"{source.name}.corrupt-*"):
                try:
                    if copy.is_symlink() or not copy.is_file():
                        continue
                    data = copy.read_bytes()
                    if needle not in data:
                        continue
                    kept = b"\n".join(line for line in data.split(b"\n") if needle not in line)
                    if kept.strip():
                        write_atomically(copy, kept)
                    else:
                        copy.unlink()
                    changed += 1
                except OSError as error:
                    log.warning("a damaged copy %s was left: %s", copy.name, error)
        if changed:
            self._sync_folder()
        return changed

    # --- reading -----------------------------------------------------------------------------

    def _serialise(self, value: T) -> bytes:
        document = {"schema": self._schema, **self._encode(value)}
        return dumps_readable(document).encode()

    def _remember(self, data: bytes, value: T) -> None:
        with self._cache_lock:
            self._cached = (data, self._copy(value))

    def _parse(self, path: Path) -> tuple[T, bool]:
        """The decoded value (a copy of the one remembered when the bytes are the same), and
        whether the file holds key-shaped text that decoding masked (an older version let a key
        into a label): then both copies must be rewritten at once. FileNotFoundError when there
        is no file."""
        raw = self._read_bounded(path)
        with self._cache_lock:
            cached = self._cached
        if cached is not None and cached[0] == raw:
            return self._copy(cached[1]), False
        value, holds_key = self._decoded(raw, path)
        if not holds_key:
            self._remember(raw, value)
        return value, holds_key

    def _decoded(self, raw: bytes, path: Path) -> tuple[T, bool]:
        if not raw.strip():
            raise DamagedDocument("empty")
        try:
            document = json.loads(raw, parse_constant=_refuse_constant)
        except RecursionError:
            raise DamagedDocument("nested too deeply") from None
        except (ValueError, UnicodeDecodeError) as error:
            raise DamagedDocument(f"not valid JSON ({error})") from None
        if not isinstance(document, dict):
            raise DamagedDocument("not a JSON object")
        if _too_deep(document, self._max_depth):
            raise DamagedDocument(f"nested more than {self._max_depth} levels deep")
        self._check_schema(path, document.get("schema"))
        try:
            return self._decode(document), KEY_RUN_BYTES.search(raw) is not None
        except DamagedDocument:
            raise
        except (KeyError, ValueError, TypeError, OverflowError, RecursionError) as error:
            detail = f"{type(error).__name__}: {error}"[:200]
            raise DamagedDocument(f"a record is invalid ({detail})") from None

    def _read_bounded(self, path: Path) -> bytes:
        try:
            # Non-blocking, so that a FIFO put in the file's place cannot hang the app.
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            status = os.fstat(fd)
            if not stat.S_ISREG(status.st_mode):
                os.close(fd)
                raise DamagedDocument(f"not a regular file ({_file_kind(status.st_mode)})")
            with os.fdopen(fd, "rb") as handle:
                if status.st_size > self._max_bytes:
                    raise DamagedDocument(f"larger than {self._max_bytes // (1024 * 1024)} MB")
                raw = handle.read(self._max_bytes + 1)
        except FileNotFoundError:
            raise
        except PermissionError as error:
            raise AccountStoreError(
                f"{path} cannot be read ({error.strerror}); it was left untouched. "
                "Give your user access to it, or move it away."
            ) from None
        except OSError as error:
            raise DamagedDocument(f"unreadable ({error.strerror or error})") from None
        if len(raw) > self._max_bytes:
            raise DamagedDocument(f"larger than {self._max_bytes // (1024 * 1024)} MB")
        return raw

    def _check_schema(self, path: Path, schema: object) -> None:
        if isinstance(schema, int) and not isinstance(schema, bool) and schema > self._schema:
            raise NewerSchema(
                f"{path} was written by a newer zinc-desktop (schema {schema}); update the app. "
                "It was left untouched."
            )
        if type(schema) is not int or schema != self._schema:
            raise DamagedDocument(f"unknown schema {schema!r}"[:120])

    def _load(self) -> _Loaded[T]:
        for path in (self.path, self.backup):
            restrict_file(path)  # written by an older version, or by hand, under a wider umask
        try:
            value, holds_key = self._parse(self.path)
        except FileNotFoundError:
            if self._exists(self.backup):
                return self._recover(f"{self.path.name} was missing")
            return _Loaded(self._empty(), False)
        except DamagedDocument as damage:
            moved = self._quarantine(self.path)
            return self._recover(
                f"{self.path.name} was damaged ({damage}) and was moved to {moved.name}"
            )
        if holds_key:  # reading never writes, but for this: a key must not stay on disk
            self._rewrite_clean(self._serialise(value))
        return _Loaded(value, True)

    def _recover(self, what_happened: str) -> _Loaded[T]:
        try:
            value, holds_key = self._parse(self.backup)
        except FileNotFoundError:
            self.notices.append(f"{what_happened}; no good backup was found, so it starts empty.")
            return _Loaded(self._empty(), False)
        except DamagedDocument as damage:
            moved = self._quarantine(self.backup)
            self.notices.append(
                f"{what_happened}; no good backup was found either: {self.backup.name} was "
                f"damaged ({damage}) and was moved to {moved.name}. It starts empty; both "
                "damaged copies were kept."
            )
            return _Loaded(self._empty(), False)
        data = self._serialise(value)
        self._atomic_write(self.path, data)
        if holds_key:
            self._rewrite_clean(data)
        self.notices.append(f"{what_happened}; the last good copy was restored.")
        return _Loaded(value, True)

    def _rewrite_clean(self, data: bytes) -> None:
        """The file (or its backup) holds text we no longer keep: replace both copies now."""
        try:
            self._atomic_write(self.backup, data)
            self._atomic_write(self.path, data)
        except AccountStoreError as error:  # a read-only folder: try again on the next write
            log.warning("could not rewrite %s: %s", self.path.name, error)

    @staticmethod
    def _exists(path: Path) -> bool:
        return os.path.lexists(path)

    # --- quarantine --------------------------------------------------------------------------

    def _quarantine(self, source: Path) -> Path:
        """Move a damaged file aside as `<name>.corrupt-<time>`: 0600, key-shaped runs masked."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        for attempt in itertools.count(1):
            suffix = f".corrupt-{stamp}" if attempt == 1 else f".corrupt-{stamp}-{attempt}"
            target = source.with_name(source.name + suffix)
            try:
                fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                continue
            except OSError as error:
                raise AccountStoreError(
                    f"{source} is damaged and could not be moved aside: "
                    f"{error.strerror or error}. It was left as it is."
                ) from None
            break
        if self._worth_copying(source):
            copied = self._copied_masked(source, fd)  # closes fd
        else:
            os.close(fd)
            copied = False
        if not copied:
            # Not a regular file, too large to copy, or unreadable: moved aside as it is,
            # owner-only (a FIFO is never opened, a 4 GB file never read).
            try:
                target.unlink(missing_ok=True)  # the placeholder that reserved the name
                os.replace(source, target)
                os.chmod(target, 0o700 if target.is_dir() else 0o600)
            except OSError as error:
                raise AccountStoreError(
                    f"{source} is damaged and could not be moved aside: "
                    f"{error.strerror or error}. It was left as it is."
                ) from None
        self._sync_folder()
        return target

    def _worth_copying(self, source: Path) -> bool:
        """A regular file within the size bound: copied with key-shaped runs masked."""
        try:
            status = os.stat(source)
        except OSError:
            return False
        return stat.S_ISREG(status.st_mode) and status.st_size <= self._max_bytes

    def _copied_masked(self, source: Path, fd: int) -> bool:
        """Copy `source` into the open quarantine file `fd` with key runs masked, then remove
        it; False (nothing removed) when it cannot be read."""
        try:
            with os.fdopen(fd, "wb") as out:
                restrict_descriptor(out.fileno())
                self._copy_masked(source, out)
                out.flush()
                os.fsync(out.fileno())
            os.unlink(source)
        except OSError:
            return False
        return True

    @staticmethod
    def _copy_masked(source: Path, out: BinaryIO) -> None:
        with open(source, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise IsADirectoryError(str(source))
            masker = KeyRunMasker()
            while chunk := handle.read(1 << 20):
                out.write(masker.feed(chunk))
            out.write(masker.finish())

    # --- writing -----------------------------------------------------------------------------

    def _atomic_write(self, target: Path, data: bytes) -> None:
        try:
            write_atomically(target, data)
        except OSError as error:
            raise AccountStoreError(
                f"Could not write {target}: {error.strerror or error}. "
                "The previous version is intact."
            ) from None
        self._sync_folder()

    def _sync_folder(self) -> None:
        sync_folder(self.path.parent)
