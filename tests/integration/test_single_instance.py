"""One window per profile, with real processes: a second launch hands over and exits 0."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.support.platforms import MACOS, app_folder_variables, posix_only
from zinc_desktop.core.foundation.app_paths import SANDBOX_PROFILE, AppPaths

# This file's in-process Qt needs no display (tests/gui's conftest says the same for its own).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytestmark = posix_only(
    "the guard's Unix sockets in an owner-only runtime folder, and SIGKILL; on Windows it is a "
    "named pipe"
)

ANSWERS = "this window answers later launches of its profile"
RAISED = "another launch asked this window to come forward"
START_WITHIN = 45.0  # s; two shared cores under a full test run
WINDOW = [sys.executable, "-m", "zinc_desktop"]
# A first window of the profile, cut down to what the single-instance guard does: it claims the
# profile, then either stands still before its first frame for good ("silent"), or stays there
# until a launch waits in its socket's queue and then listens, as after the first frame.
OWNER = """
import select, sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from zinc_desktop.core.foundation.app_paths import AppPaths
from zinc_desktop.gui.single_instance import SingleInstance, claim

app = QApplication([])
instance = claim(AppPaths.for_profile().data, app)
if not isinstance(instance, SingleInstance):
    sys.exit(f"claim handed over: {instance}")
print("claimed", flush=True)
if sys.argv[1] == "silent":
    time.sleep(120)
if not select.select([instance._early], [], [], 60)[0]:
    sys.exit("no launch connected")
print("a launch waits", flush=True)


def raised():
    print("raised", flush=True)
    QTimer.singleShot(0, app.quit)


instance.raiseRequested.connect(raised)
instance.listen()
app.exec()
instance.release()
"""


@pytest.fixture
def short_runtime_dir() -> Iterator[Path]:
    """A runtime folder short enough for a socket path (pytest's tmp_path may not be)."""
    runtime = Path(tempfile.mkdtemp(prefix="zd-"))
    try:
        yield runtime
    finally:
        shutil.rmtree(runtime, ignore_errors=True)


@pytest.fixture
def profile_env(tmp_path: Path, short_runtime_dir: Path) -> dict[str, str]:
    """Private XDG folders and runtime folder: no real window of the developer's is involved."""
    runtime = short_runtime_dir
    env = dict(os.environ)
    env.update(app_folder_variables(tmp_path))
    env.update(
        QT_QPA_PLATFORM="offscreen",
        XDG_RUNTIME_DIR=str(runtime),
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
    )
    for variable in ("ZINC_STAGING_API_URL", "ZINC_PRODUCTION_API_URL", "ZINC_API_KEY"):
        env.pop(variable, None)
    return env


def log_text(env: dict[str, str], profile: str) -> str:
    """The profile's log as platformdirs places it under these folders (on macOS, under HOME)."""
    if MACOS:
        state = Path(env["HOME"]) / "Library" / "Logs" / "zinc-desktop"
    else:
        state = Path(env["XDG_STATE_HOME"]) / "zinc-desktop" / "log"
    log = (state / profile if profile else state) / "zinc-desktop.log"
    return log.read_text("utf-8") if log.exists() else ""


def wait_for_log(env: dict[str, str], profile: str, text: str, count: int = 1) -> None:
    deadline = time.monotonic() + START_WITHIN
    while log_text(env, profile).count(text) < count:
        if time.monotonic() > deadline:
            pytest.fail(f"no {text!r} (x{count}) in the log: {log_text(env, profile)[-2000:]}")
        time.sleep(0.1)


class Windows:
    """Started windows, always killed at the end."""

    def __init__(self, env: dict[str, str], folder: Path) -> None:
        self.env = env
        self.folder = folder
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self, *args: str) -> subprocess.Popen[bytes]:
        output = (self.folder / f"window-{len(self.started)}.out").open("wb")
        process = subprocess.Popen(
            [*WINDOW, *args], env=self.env, stdout=output, stderr=subprocess.STDOUT
        )
        output.close()
        self.started.append(process)
        return process

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=10)


@pytest.fixture
def windows(profile_env: dict[str, str], tmp_path: Path) -> Iterator[Windows]:
    started = Windows(profile_env, tmp_path)
    try:
        yield started
    finally:
        started.stop_all()


def launch(
    env: dict[str, str], *args: str, timeout: float = 30
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*WINDOW, *args], env=env, capture_output=True, text=True, timeout=timeout
    )


def test_second_launch_raises_the_first_and_exits_0(windows: Windows) -> None:
    env = windows.env
    first = windows.start("--sandbox")
    wait_for_log(env, SANDBOX_PROFILE, ANSWERS)

    started = time.monotonic()
    second = launch(env, "--sandbox")
    took = time.monotonic() - started
    assert second.returncode == 0, second.stderr
    assert "brought forward" in second.stdout
    assert took < 15, f"the second launch took {took:.1f} s"
    wait_for_log(env, SANDBOX_PROFILE, RAISED)
    assert first.poll() is None, "the first window must stay open"
    # The second launch started no window (and no simulator) of its own.
    assert log_text(env, SANDBOX_PROFILE).count(ANSWERS) == 1

    # A command never takes the lock: it runs while the window is open.
    listed = launch(env, "--sandbox", "accounts", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.strip() == "[]"

    # The real-Zinc profile is an instance of its own: it opens a window of its own.
    windows.start()
    wait_for_log(env, "", ANSWERS)
    assert first.poll() is None


def test_a_killed_window_does_not_block_the_next_start(windows: Windows) -> None:
    env = windows.env
    first = windows.start("--sandbox")
    wait_for_log(env, SANDBOX_PROFILE, ANSWERS)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)

    folder = Path(env["XDG_RUNTIME_DIR"]) / "zinc-desktop"
    assert list(folder.glob("*.lock")), "kill -9 leaves the lock file behind"
    windows.start("--sandbox")
    wait_for_log(env, SANDBOX_PROFILE, ANSWERS, count=2)

    second = launch(env, "--sandbox")
    assert second.returncode == 0, second.stderr
    wait_for_log(env, SANDBOX_PROFILE, RAISED)


def test_lock_and_socket_live_in_a_folder_only_this_user_enters(
    profile_env: dict[str, str], tmp_path: Path
) -> None:
    from zinc_desktop.gui.single_instance import profile_key, runtime_folder, socket_name

    folder = runtime_folder(profile_env)
    assert folder == Path(profile_env["XDG_RUNTIME_DIR"]) / "zinc-desktop"
    info = folder.stat()
    assert info.st_uid == os.getuid()
    assert stat.S_IMODE(info.st_mode) == 0o700

    # Profiles differ by their data folder: the sandbox and the real one, or another XDG home.
    real, sandbox = AppPaths.for_profile(), AppPaths.for_profile(SANDBOX_PROFILE)
    assert profile_key(real.data) != profile_key(sandbox.data)
    assert profile_key(real.data) != profile_key(tmp_path / "elsewhere")
    assert socket_name(folder, profile_key(real.data)).startswith(str(folder) + os.sep)

    # A folder left wide open (by us) is closed again.
    os.chmod(folder, 0o777)  # noqa: S103  # the case under test
    runtime_folder(profile_env)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700

    # A runtime folder too deep for a socket path: the per-user temp folder instead.
    deep = tmp_path / ("d" * 90)
    deep.mkdir(mode=0o700)
    fallback = runtime_folder({**profile_env, "XDG_RUNTIME_DIR": str(deep)})
    assert fallback == Path(tempfile.gettempdir()) / f"zinc-desktop-{os.getuid()}"
    assert stat.S_IMODE(fallback.stat().st_mode) == 0o700


@pytest.mark.skipif(os.name != "posix" or os.getuid() != 0, reason="needs root to chown")
def test_someone_elses_folder_turns_the_guard_off(profile_env: dict[str, str]) -> None:
    from zinc_desktop.gui.single_instance import InstanceUnavailable, runtime_folder

    folder = Path(profile_env["XDG_RUNTIME_DIR"]) / "zinc-desktop"
    folder.mkdir(mode=0o700)
    os.chown(folder, 65534, 65534)
    with pytest.raises(InstanceUnavailable):
        runtime_folder(profile_env)


def test_a_window_that_cannot_listen_runs_unguarded(
    qapp: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The window's socket is made as it takes the lock; when that fails, the lock is let go
    (a later launch then opens a window of its own instead of waiting on one that never
    answers)."""
    from PySide6.QtCore import QLockFile

    from zinc_desktop.gui.single_instance import SingleInstance

    lock = QLockFile(str(tmp_path / "profile.lock"))
    assert lock.tryLock(0)
    instance = SingleInstance(lock, str(tmp_path / "no such folder" / "profile.sock"))
    assert instance.server is None
    instance.listen()
    assert instance.server is None
    assert "will not be noticed" in capsys.readouterr().err
    again = QLockFile(str(tmp_path / "profile.lock"))
    assert again.tryLock(0), "the lock was let go"
    again.unlock()
    instance.listen()  # once off, stays off
    assert instance.server is None


@dataclass(frozen=True)
class Profile:
    data: Path
    lock: Path
    socket: str


@pytest.fixture
def profile(profile_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Profile:
    """The real-Zinc profile of `profile_env`, for this process too (its claim, its files)."""
    from zinc_desktop.gui.single_instance import profile_key, runtime_folder, socket_name

    for variable in ("XDG_DATA_HOME", "XDG_RUNTIME_DIR"):
        monkeypatch.setenv(variable, profile_env[variable])
    data = AppPaths.for_profile().data
    folder, key = runtime_folder(), profile_key(data)
    return Profile(data, folder / f"{key}.lock", socket_name(folder, key))


def lock_as_qt_writes_it(scratch: Path, pid: int) -> bytes:
    """What QLockFile writes for this Python (pid, program name, host, machine and boot ids),
    naming `pid` instead of this process."""
    from PySide6.QtCore import QLockFile

    lock = QLockFile(str(scratch / "model.lock"))
    assert lock.tryLock(0)
    written = (scratch / "model.lock").read_bytes()
    lock.unlock()
    return b"\n".join([str(pid).encode(), *written.split(b"\n")[1:]])


def leave_socket_file(path: str) -> None:
    """A socket file nothing listens on, as a killed window leaves it."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as dead:
        dead.bind(path)
    assert stat.S_ISSOCK(os.lstat(path).st_mode)


@pytest.mark.parametrize("socket_left", [False, True], ids=["no-socket-file", "dead-socket-file"])
def test_a_crashed_windows_lock_whose_pid_another_python_reused_is_taken_over(
    qtbot: QtBot,
    profile: Profile,
    profile_env: dict[str, str],
    caplog: pytest.LogCaptureFixture,
    socket_left: bool,
) -> None:
    """The lock names a live process of the same program name (every venv Python is
    `python3.x`), so QLockFile takes it for held; nothing answers on the socket, so it is not."""
    from PySide6.QtCore import QLockFile

    from zinc_desktop.gui.single_instance import SingleInstance, claim

    unrelated = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        profile.lock.write_bytes(lock_as_qt_writes_it(profile.lock.parent, unrelated.pid))
        if socket_left:
            leave_socket_file(profile.socket)
        looks_held = QLockFile(str(profile.lock))
        assert not looks_held.tryLock(0), "QLockFile itself takes this lock for a live one"
        assert looks_held.getLockInfo()[0] == unrelated.pid

        instance = claim(profile.data, None)
        assert isinstance(instance, SingleInstance), f"claim handed over (exit {instance})"
        try:
            assert QLockFile(str(profile.lock)).getLockInfo()[0] == os.getpid()
            # Reachable from the moment it holds the lock: the kernel queues a connection.
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as early:
                early.connect(profile.socket)
            assert stat.S_IMODE(os.stat(profile.socket).st_mode) & 0o077 == 0

            # A second launch of the real app is answered once this window listens.
            caplog.set_level("INFO", logger="zinc_desktop")
            instance.listen()
            assert f"took over a stale lock (process {unrelated.pid}," in caplog.text
            with qtbot.waitSignal(instance.raiseRequested, timeout=int(START_WITHIN * 1000)):
                second = subprocess.Popen(
                    WINDOW, env=profile_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
                )
            qtbot.waitUntil(lambda: second.poll() is not None, timeout=int(START_WITHIN * 1000))
            out, err = second.communicate()
            assert second.returncode == 0, err.decode()
            assert b"brought forward" in out
        finally:
            instance.release()
        assert not os.path.exists(profile.socket), "a closed window leaves no socket file"
        assert not profile.lock.exists()
    finally:
        unrelated.kill()
        unrelated.wait(timeout=10)


def test_a_launch_while_the_first_window_starts_is_answered_once_it_listens(
    profile_env: dict[str, str],
) -> None:
    """The first window holds the lock and its socket, and listens only after its first frame:
    a launch in between waits in the socket's queue and gets its answer then."""
    owner = subprocess.Popen(
        [sys.executable, "-c", OWNER, "answer"],
        env=profile_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert owner.stdout is not None
        assert owner.stdout.readline().strip() == "claimed", owner.stdout.read()
        second = launch(profile_env)
        assert second.returncode == 0, second.stderr
        assert "brought forward" in second.stdout
        rest = owner.communicate(timeout=30)[0]
        assert "a launch waits" in rest
        assert "raised" in rest
        assert owner.returncode == 0, rest
    finally:
        owner.kill()
        owner.wait(timeout=10)


def test_a_live_window_that_never_answers_keeps_its_profile(
    profile: Profile, profile_env: dict[str, str]
) -> None:
    """Connected but unanswered is not stale: exit 3 naming that window's process, which keeps
    its lock."""
    from PySide6.QtCore import QLockFile

    owner = subprocess.Popen(
        [sys.executable, "-c", OWNER, "silent"],
        env=profile_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert owner.stdout is not None
        assert owner.stdout.readline().strip() == "claimed", owner.stdout.read()
        second = launch(profile_env)
        assert second.returncode == 3, second.stderr
        assert f"process {owner.pid}" in second.stderr
        assert "did not answer" in second.stderr
        assert owner.poll() is None
        assert QLockFile(str(profile.lock)).getLockInfo()[0] == owner.pid
    finally:
        owner.kill()
        owner.wait(timeout=10)


HOLDER = """
import sys, time
from PySide6.QtCore import QLockFile

lock = QLockFile(sys.argv[1])
assert lock.tryLock(0)
print("locked", flush=True)
time.sleep(120)
"""


def test_a_lock_a_live_process_holds_open_is_never_removed(
    profile: Profile, profile_env: dict[str, str]
) -> None:
    """A live process holds the lock (and Qt's lock on the file itself) but nothing listens,
    as an older version of the window before its first frame: it is not taken from it."""
    from PySide6.QtCore import QLockFile

    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(profile.lock)],
        env=profile_env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        second = launch(profile_env)
        assert second.returncode == 3, second.stderr
        assert f"process {holder.pid}" in second.stderr
        assert QLockFile(str(profile.lock)).getLockInfo()[0] == holder.pid
    finally:
        holder.kill()
        holder.wait(timeout=10)


@pytest.mark.parametrize("kind", ["folder", "link", "fifo"])
def test_a_lock_path_that_is_no_lock_file_turns_the_guard_off(
    qapp: object, profile: Profile, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    """Something other than a lock file where the profile's lock goes (a folder, a link, a
    pipe: not made by the app, which makes only files there) is left as it is; the launch
    opens its window without the guard and says why, instead of waiting for an owner that is
    not there (or, on a pipe, hanging on the read)."""
    from zinc_desktop.gui.single_instance import SingleInstance, claim

    if kind == "folder":
        profile.lock.mkdir()
        (profile.lock / "inside.txt").write_text("someone's")
    elif kind == "link":
        target = profile.lock.parent.parent / "elsewhere.txt"
        target.write_text("not a lock")
        profile.lock.symlink_to(target)
    else:
        os.mkfifo(profile.lock)
    before = os.lstat(profile.lock)

    instance = claim(profile.data, None)
    assert isinstance(instance, SingleInstance), f"claim handed over (exit {instance})"
    try:
        assert instance.server is None
        instance.listen()  # off: nothing listens
        assert instance.server is None
        assert not os.path.exists(profile.socket)
    finally:
        instance.release()
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert "a second window of this profile will not be noticed" in err
    assert str(profile.lock) in err
    after = os.lstat(profile.lock)
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    if kind == "folder":
        assert (profile.lock / "inside.txt").read_text() == "someone's"


def test_a_folder_where_the_lock_goes_does_not_stop_the_window(windows: Windows) -> None:
    """A real launch: the window opens (unguarded, saying so) rather than exit 3 saying that a
    window nobody runs did not answer."""
    from zinc_desktop.gui.single_instance import profile_key

    env = windows.env
    runtime = Path(env["XDG_RUNTIME_DIR"]) / "zinc-desktop"
    runtime.mkdir(mode=0o700)
    data = Path(env["XDG_DATA_HOME"]) / "zinc-desktop" / SANDBOX_PROFILE
    lock = runtime / f"{profile_key(data)}.lock"
    lock.mkdir()
    window = windows.start("--sandbox")
    wait_for_log(env, SANDBOX_PROFILE, "started: ")
    assert window.poll() is None, "the window must open"
    said = (windows.folder / "window-0.out").read_text("utf-8")
    assert "a second window of this profile will not be noticed" in said
    assert str(lock) in said
    assert "did not answer" not in said
    assert lock.is_dir()


def test_the_simulator_command_opens_a_simulator_window(windows: Windows) -> None:
    """What "Open the offline simulator" starts, started here: a window of the sandbox
    profile, answering later launches of it."""
    from zinc_desktop.gui.common.simulator_window import simulator_command

    command = simulator_command()
    assert command[-1] == "--sandbox"
    output = (windows.folder / "simulator.out").open("wb")
    process = subprocess.Popen(command, env=windows.env, stdout=output, stderr=subprocess.STDOUT)
    output.close()
    windows.started.append(process)
    wait_for_log(windows.env, SANDBOX_PROFILE, ANSWERS)
    assert process.poll() is None  # the window stays open


def test_a_time_zone_the_system_does_not_know_is_said_once_and_times_go_utc(
    windows: Windows,
) -> None:
    windows.env["TZ"] = "Europe/Nowhere"
    windows.start("--sandbox")
    wait_for_log(windows.env, SANDBOX_PROFILE, "is not a time zone this system knows")
    wait_for_log(windows.env, SANDBOX_PROFILE, ANSWERS)
    assert log_text(windows.env, SANDBOX_PROFILE).count("Europe/Nowhere") == 1


def test_at_2x_the_window_opens_within_the_screen(windows: Windows) -> None:
    """QT_SCALE_FACTOR=2 on a small screen once opened a window larger than the screen; the
    window says in its log the size it opened at and the room it had."""
    windows.env["QT_SCALE_FACTOR"] = "2"
    windows.start("--sandbox")
    wait_for_log(windows.env, SANDBOX_PROFILE, "on a free area of")
    line = next(
        line
        for line in log_text(windows.env, SANDBOX_PROFILE).splitlines()
        if "on a free area of" in line
    )
    found = re.search(r"frame (\d+)x(\d+)\) on a free area of (\d+)x(\d+), scale 2", line)
    assert found is not None, line
    frame_w, frame_h, free_w, free_h = (int(n) for n in found.groups())
    assert frame_w <= free_w
    assert frame_h <= free_h
