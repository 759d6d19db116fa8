"""One window per profile: a second launch asks the first window to come forward, then exits 0.

The first window of a profile holds a QLockFile and is reachable on the profile's local socket
from that moment: on POSIX a plain listening Unix socket, made right after the lock is taken,
where the kernel queues connections until the window, after its first frame, hands the socket
to a QLocalServer (Qt's network module is not needed before) and answers them; on Windows
(named pipes, no such cheap queue) a QLocalServer listens at once. A later launch of the same
profile finds the lock taken, connects, sends `raise`, waits for `ok` and exits.

A lock counts as held only while its owner can be reached: QLockFile's own test (the process id
exists and runs a program of the same name) is fooled when a crashed window's process id has
gone to another Python program, as every venv or pipx Python is `python3.x`. So when nothing
listens on the socket for a short grace while the lock names the same process, the lock is
stale and taken over at once. Qt keeps a lock on the lock file itself while its owner lives, and
removing a stale lock file needs that lock, so a live owner that cannot be reached (one of an
older version before its first frame) keeps its lock: the launch waits for it, as before, and
then says it did not answer.

Both the lock and the socket live in a folder only this user can enter (`$XDG_RUNTIME_DIR/
zinc-desktop`, else a checked `zinc-desktop-<uid>` folder in the temp folder) under a name made
from the profile's data folder, so the sandbox profile (and a test's private XDG folders) are
instances of their own, and no other user can reach either. A socket file a killed window left
is replaced by the next owner, which holds the lock. Anything but a regular file where the lock
goes (a folder, a link, a pipe) was not made by the app and is left alone: the guard is off for
that launch, saying what to remove, rather than every launch waiting for an owner that is not
there and exiting 3.

Only the window claims an instance: the command line never does.
"""

from __future__ import annotations

import contextlib
import enum
import getpass
import hashlib
import logging
import os
import re
import socket
import stat
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QApplication, QWidget

from zinc_desktop.core.foundation.exit_codes import EXIT_OK, EXIT_UNREACHABLE

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

RAISE = b"raise"
OK = b"ok\n"
# s a lock may name one process while nothing listens before it counts as stale: an owner
# listens microseconds after it takes the lock, so this only covers a scheduler's delay.
GRACE = 0.5
# s a second launch waits on a lock a live process holds while nothing listens (an older
# version's window before its first frame), retrying all along.
CONNECT_FOR = 5.0
# ms a connected launch waits for `ok`: the first window answers after its first frame, and a
# launch that connects while it starts waits for that (a slow start takes seconds).
ANSWER_WITHIN_MS = 8000
MAX_MESSAGE = 512
SOCKET_BACKLOG = 50  # as QLocalServer's
# xdg-activation token: lets a Wayland compositor accept the raise from the first process.
_TOKEN = re.compile(r"[A-Za-z0-9_.:+/=-]{1,256}")
_UNIX_SOCKET_PATH_LIMIT = 100  # sun_path is 108 bytes on Linux, 104 on macOS
_SOCKET_FILE_LENGTH = len("/0123456789abcdef.sock")


class InstanceUnavailable(Exception):
    """The private runtime folder cannot be trusted or made; run without the single-instance
    guard rather than open a socket other users could reach."""


def profile_key(profile_folder: Path) -> str:
    """16 hex characters naming one profile (its data folder) for one user."""
    return hashlib.sha256(str(profile_folder.resolve()).encode("utf-8")).hexdigest()[:16]


def runtime_folder(environ: dict[str, str] | None = None) -> Path:
    """A folder owned by this user and closed to everyone else, for the lock and the socket.

    `$XDG_RUNTIME_DIR/zinc-desktop` when there is one (per user, per login, gone at logout)
    and a socket path inside it fits; else `zinc-desktop-<uid>` in the temp folder.
    """
    environ = dict(os.environ) if environ is None else environ
    if sys.platform == "win32":  # the temp folder is the user's own there
        base = Path(tempfile.gettempdir()) / f"zinc-desktop-{getpass.getuser()}"
        base.mkdir(parents=True, exist_ok=True)
        return base
    else:  # noqa: RET505  # a platform branch each, so mypy checks each platform's alone
        return _private_runtime_folder(environ)


def _private_runtime_folder(environ: dict[str, str]) -> Path:
    if sys.platform != "win32":
        uid = os.getuid()
        fallback = Path(tempfile.gettempdir()) / f"zinc-desktop-{uid}"
        runtime = environ.get("XDG_RUNTIME_DIR", "")
        base = fallback
        if runtime and Path(runtime).is_dir() and os.stat(runtime).st_uid == uid:
            preferred = Path(runtime) / "zinc-desktop"
            if len(str(preferred).encode()) + _SOCKET_FILE_LENGTH <= _UNIX_SOCKET_PATH_LIMIT:
                base = preferred
        try:
            base.mkdir(mode=0o700, exist_ok=True)
            info = os.lstat(base)
        except OSError as error:
            raise InstanceUnavailable(f"cannot make {base}: {error}") from None
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != uid:
            raise InstanceUnavailable(f"{base} is not a folder of this user's")
        if info.st_mode & 0o077:
            os.chmod(base, 0o700)
        return base
    raise AssertionError("POSIX only")


def socket_name(folder: Path, key: str) -> str:
    """A full socket path on POSIX (inside the private folder); a per-user pipe name elsewhere."""
    if sys.platform == "win32":
        return f"zinc-desktop-{getpass.getuser()}-{key}"
    else:  # noqa: RET505  # a platform branch each, so mypy checks each platform's alone
        path = str(folder / f"{key}.sock")
        if len(path.encode()) > _UNIX_SOCKET_PATH_LIMIT:
            raise InstanceUnavailable(f"the socket path {path} is too long for a local socket")
        return path


class SingleInstance(QObject):
    """The first window of a profile. Emits `raiseRequested` when another launch asks.

    Keep the object alive while the window is open: the lock goes with it. Launches can connect
    from its creation on; they are answered once `listen()` has run (after the first frame).
    Without a lock (the guard is off, see `claim`) nothing listens and nothing is locked.
    """

    raiseRequested = Signal()

    def __init__(
        self,
        lock: QLockFile | None = None,
        name: str = "",
        parent: QObject | None = None,
        *,
        took_over: str = "",
    ) -> None:
        super().__init__(parent)
        self._lock = lock
        self._window: QWidget | None = None
        self._pending = False
        self._answering = False
        self._took_over = took_over
        self._early: socket.socket | None = None  # POSIX: listening, not yet served
        self.name = name
        self.server: QLocalServer | None = None
        if lock is not None:
            self._reachable_now()

    def _reachable_now(self) -> None:
        """From the moment the lock is ours, a launch that connects is queued, not refused:
        that is how it tells this live window from a stale lock."""
        try:
            if sys.platform == "win32":
                self.server = self._named_pipe_server()
            else:
                self._early = listening_unix_socket(self.name)
        except InstanceUnavailable as problem:
            self._turn_off(problem)

    def _named_pipe_server(self) -> QLocalServer:
        """Windows: a named pipe exists only while a QLocalServer listens, so listen now
        (QtNetwork on the start-up path there); connections wait until `listen()` serves them."""
        from PySide6.QtNetwork import QLocalServer

        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            problem = InstanceUnavailable(f"cannot listen on {self.name}: {server.errorString()}")
            server.deleteLater()
            raise problem
        return server

    @Slot()
    def listen(self) -> None:
        """Answer the launches waiting so far and later ones; if that cannot be, the guard is
        off."""
        if self._lock is None or self._answering:
            return
        if self.server is None:
            from PySide6.QtNetwork import QLocalServer

            early, self._early = self._early, None
            assert early is not None
            server = QLocalServer(self)
            server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
            # Qt owns the descriptor from here (and removes the socket file when it closes).
            if not server.listen(early.detach()):
                problem = InstanceUnavailable(
                    f"cannot listen on {self.name}: {server.errorString()}"
                )
                server.close()
                server.deleteLater()
                self._turn_off(problem)
                return
            self.server = server
        self._answering = True
        self.server.newConnection.connect(self._on_connection)
        self._on_connection()  # the launches that connected before
        log.info("single instance: this window answers later launches of its profile")
        if self._took_over:
            log.info(
                "single instance: took over a stale lock (%s): nothing answered on the "
                "profile's socket",
                self._took_over,
            )

    def bring_forward_on_request(self, window: QWidget) -> None:
        """A second launch raises `window` (one that came before this call, now)."""
        self._window = window
        if self._pending:
            self._pending = False
            self._bring_forward()

    def release(self) -> None:
        if self._lock is None:
            return
        self._close_socket()
        self._lock.unlock()
        self._lock = None

    def _close_socket(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        if self._early is not None:
            self._early.close()
            self._early = None
        if sys.platform != "win32":
            # Ours while the lock is (Qt removes it on close, where it learnt the path).
            with contextlib.suppress(OSError):
                os.unlink(self.name)

    def _turn_off(self, problem: InstanceUnavailable) -> None:
        assert self._lock is not None
        self._close_socket()
        self._lock.unlock()
        self._lock = None
        _warn_unguarded(problem)

    @Slot()
    def _on_connection(self) -> None:
        assert self.server is not None
        while self.server.hasPendingConnections():
            connection = self.server.nextPendingConnection()
            connection.setParent(self)
            connection.readyRead.connect(lambda c=connection: self._on_message(c))
            connection.disconnected.connect(connection.deleteLater)

    def _on_message(self, connection: QLocalSocket) -> None:
        if not connection.canReadLine():
            if connection.bytesAvailable() > MAX_MESSAGE:
                connection.abort()
            return
        line = bytes(connection.readLine(MAX_MESSAGE).data()).strip()
        words = line.split(b" ")
        if words[0] == RAISE:
            token = words[1].decode("ascii", "replace") if len(words) > 1 else ""
            if _TOKEN.fullmatch(token):
                os.environ["XDG_ACTIVATION_TOKEN"] = token  # Qt's Wayland activation reads it
            connection.write(OK)
            connection.flush()
            log.info("single instance: another launch asked this window to come forward")
            self.raiseRequested.emit()
            if self._window is None:
                self._pending = True
            else:
                self._bring_forward()
        connection.disconnectFromServer()

    def _bring_forward(self) -> None:
        window = self._window
        if window is None:
            return
        if window.isMinimized():
            window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
        window.show()
        window.raise_()
        window.activateWindow()
        QApplication.alert(window)  # where focus stealing is refused, at least ask for attention


def listening_unix_socket(path: str) -> socket.socket:
    """A Unix socket bound at `path` and listening, for this user only; a socket file a killed
    window left there is replaced (the caller holds the profile's lock, so it is no one's)."""
    if sys.platform != "win32":
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
            listener.bind(path)
            # The folder is closed to others already; the socket is, like QLocalServer's with
            # UserAccessOption, not wider than its user whatever the umask.
            os.chmod(path, 0o600)
            listener.listen(SOCKET_BACKLOG)
        except OSError as error:
            listener.close()
            raise InstanceUnavailable(f"cannot listen on {path}: {error}") from None
        return listener
    raise InstanceUnavailable("no Unix sockets on Windows: a named pipe serves there")


class Answer(enum.Enum):
    OK = "the running window said ok"
    NOBODY = "nothing listens: no socket, or refused"
    HUNG_UP = "connected, but closed without an answer"
    SILENT = "connected, but no answer in time"


def ask_running_instance(name: str) -> Answer:
    """Ask the window listening on `name` to come forward, once."""
    from PySide6.QtNetwork import QLocalSocket

    message = RAISE
    token = os.environ.get("XDG_ACTIVATION_TOKEN", "")
    if _TOKEN.fullmatch(token):
        message += b" " + token.encode("ascii")
    connection = QLocalSocket()
    connection.connectToServer(name)
    if not connection.waitForConnected(500):
        return Answer.NOBODY
    connection.write(message + b"\n")
    connection.flush()
    answer = Answer.SILENT
    if connection.waitForReadyRead(ANSWER_WITHIN_MS):
        line = bytes(connection.readLine(MAX_MESSAGE).data())
        answer = Answer.OK if line == OK else Answer.HUNG_UP
    elif connection.state() != QLocalSocket.LocalSocketState.ConnectedState:
        answer = Answer.HUNG_UP
    connection.abort()
    return answer


def lock_file_or_none(path: Path) -> None:
    """Raise InstanceUnavailable unless `path` is a regular file or absent.

    QLockFile makes only regular files. A folder, a link, a pipe or a socket there was put by
    someone else: Qt can neither take it nor remove it, so every launch would wait for an owner
    that does not exist and exit 3 (and reading a pipe would never return). It is not ours to
    move or delete, so the guard is off instead, saying what to remove to have it back.
    """
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as error:
        raise InstanceUnavailable(f"cannot look at {path}: {error.strerror or error}") from None
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        what = "a folder"
    elif stat.S_ISLNK(mode):
        what = "a symbolic link"
    else:
        what = "not a regular file"
    raise InstanceUnavailable(
        f"{path} is {what}, not a lock file zinc-desktop made; remove it to have one window "
        "per profile again"
    )


def lock_holder(lock: QLockFile) -> tuple[int, str, str] | None:
    """What the lock file says of its owner (pid, host, program name); None when unreadable."""
    pid, host, program = lock.getLockInfo()
    return (pid, host, program) if pid > 0 else None


def claim(profile_folder: Path, parent: QObject | None = None) -> SingleInstance | int:
    """Become the profile's window (a SingleInstance), or hand over and get an exit code.

    EXIT_OK: the running window was asked to come forward; EXIT_UNREACHABLE: it holds the
    profile but did not answer. A lock nothing answers for is stale and taken over. When no
    private runtime folder can be had, or something other than a lock file is where the lock
    goes (lock_file_or_none), the guard is off (and says so): a second window then opens as
    before, which beats a socket others could use, or no window at all.
    """
    try:
        folder = runtime_folder()
        key = profile_key(profile_folder)
        name = socket_name(folder, key)
        lock_path = folder / f"{key}.lock"
        lock_file_or_none(lock_path)
    except InstanceUnavailable as problem:
        return _unguarded(problem, parent)
    lock = QLockFile(str(lock_path))
    lock.setStaleLockTime(0)  # stale by its owner only, never by age
    give_up = time.monotonic() + CONNECT_FOR
    took_over = ""
    holder = lock_holder(lock)
    unanswered_since: float | None = None
    while True:
        if lock.tryLock(0):
            return SingleInstance(lock, name, parent, took_over=took_over)
        try:
            lock_file_or_none(lock_path)  # what is there now, before Qt reads it
        except InstanceUnavailable as problem:
            return _unguarded(problem, parent)
        seen = lock_holder(lock)
        answer = ask_running_instance(name)
        if answer is Answer.OK:
            print("zinc-desktop is already open for this profile: its window was brought forward.")
            return EXIT_OK
        if answer is Answer.SILENT:
            break
        now = time.monotonic()
        if answer is Answer.HUNG_UP or seen != holder:
            holder, unanswered_since = seen, None  # alive, or the lock changed hands
        elif unanswered_since is None:
            unanswered_since = now
        elif now - unanswered_since >= GRACE and lock.removeStaleLockFile():
            # Nobody answers for this lock: its process (if any) is not our window. A live
            # owner keeps Qt's lock on the file, and the removal above then fails. The log
            # says so once it is set up (see listen); the user needs no word of it.
            took_over = _describe(seen)
            continue
        if now > give_up:
            break
        time.sleep(0.05)
    holder = lock_holder(lock)
    print(
        "error: zinc-desktop is already open for this profile "
        f"(process {holder[0] if holder else '?'}) but did not "
        "answer. Close that window, or end that process, and start again.",
        file=sys.stderr,
    )
    return EXIT_UNREACHABLE


def _describe(holder: tuple[int, str, str] | None) -> str:
    if holder is None:
        return "its file names no process"
    pid, host, program = holder
    return f"process {pid}, {program} on {host}"


def _unguarded(problem: InstanceUnavailable, parent: QObject | None) -> SingleInstance:
    _warn_unguarded(problem)
    return SingleInstance(parent=parent)


def _warn_unguarded(problem: InstanceUnavailable) -> None:
    log.warning("single instance: off (%s)", problem)
    print(
        f"warning: a second window of this profile will not be noticed: {problem}", file=sys.stderr
    )
