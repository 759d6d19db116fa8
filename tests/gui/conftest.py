"""Window fixtures: the real window, worker threads and simulator, offscreen."""

from __future__ import annotations

import gc
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from tests.conftest import FAST, PRODUCTION_KEY, STAGING_KEY
from tests.support.memory_keyring import MemoryKeyring
from zinc_desktop.core.accounts.secret_store import KeyringSecretStore, SecretStore
from zinc_desktop.core.checks.polling import PollSchedule
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.app_paths import AppPaths
from zinc_desktop.core.foundation.environments import Endpoints, Environment
from zinc_desktop.gui.common.application import ApplicationSupport
from zinc_desktop.gui.common.task_runner import TaskRunner
from zinc_desktop.gui.main_window import MainWindow
from zinc_desktop.sandbox import DEMO_KEYS, SandboxServer
from zinc_desktop.services import Services, assemble_services

WindowFactory = Callable[..., MainWindow]
FAST_POLL = PollSchedule(first=0.15, factor=1.0, longest=0.15, max_failures=3)


@pytest.fixture(autouse=True)
def no_dangling_timers_or_pools(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A test leaves no QTimer running and no task pool busy (napari's conftest does the
    same): a timer left running fires inside a later test, a pool still busy finishes there.

    Autouse, so it is set up before qtbot and torn down after it has closed the test's
    widgets: what is still running then was left behind.
    """
    timers: list[QTimer] = []
    runners: list[TaskRunner] = []
    start = QTimer.start
    runner_init = TaskRunner.__init__

    def tracked_start(timer: QTimer, *args: Any) -> None:
        timers.append(timer)
        # start() or start(msec); connected to a signal, it is given the signal's arguments
        # (rowsInserted's index, first, last), which Qt's own slot would have ignored.
        if args and isinstance(args[0], int):
            start(timer, args[0])
        else:
            start(timer)

    def tracked_runner(runner: TaskRunner, *args: Any, **kwargs: Any) -> None:
        runner_init(runner, *args, **kwargs)
        runners.append(runner)

    monkeypatch.setattr(QTimer, "start", tracked_start)
    monkeypatch.setattr(TaskRunner, "__init__", tracked_runner)
    yield
    QApplication.processEvents()
    busy = [r for r in runners if shiboken6.isValid(r) and not r.wait_for_threads(5000)]
    running = list({id(t): t for t in timers if shiboken6.isValid(t) and t.isActive()}.values())
    assert not busy, f"a task pool was left busy: {busy}"
    assert not running, "timers left running: " + ", ".join(_timer_name(t) for t in running)


def _timer_name(timer: QTimer) -> str:
    owner = timer.parent()
    where = type(owner).__name__ if owner is not None else "no parent"
    return f"{timer.objectName() or 'a timer'} of {where} ({timer.interval()} ms)"


@pytest.fixture(scope="session", autouse=True)
def gui_thread_gc(qapp: QApplication) -> Iterator[None]:
    """As in the app: cycles holding Qt objects are only ever collected on the GUI thread.

    The app's focus-ring style and Enter-presses-buttons filter are installed too, as
    launch_window does.
    """
    support = ApplicationSupport(qapp)
    yield
    support.stop()


@pytest.fixture
def make_services(
    endpoints: Endpoints,
    app_paths: AppPaths,
    memory_keyring: MemoryKeyring,
    sandbox: SandboxServer,
) -> Callable[..., Services]:
    def make(backend: Any = None, *, steerable: bool = False) -> Services:
        """`steerable`: the simulator is this run's own (as with --sandbox), so the Demo tab
        can steer it."""

        def open_keyring() -> SecretStore:
            return KeyringSecretStore(
                "zinc-desktop-test", backend=backend or memory_keyring, deadline=2
            )

        return assemble_services(
            app_paths,
            endpoints,
            open_keyring,
            settings=FAST,
            sandbox=sandbox if steerable else None,
        )

    return make


@pytest.fixture
def make_window(
    qtbot: QtBot, make_services: Callable[..., Services], app_paths: AppPaths
) -> Iterator[WindowFactory]:
    """Builds windows; at teardown closes them and fails if a worker thread is still running."""
    windows: list[MainWindow] = []

    def make(
        *,
        backend: Any = None,
        clipboard_seconds: float = 30.0,
        present: bool = False,
        steerable: bool = False,
    ) -> MainWindow:
        settings = QSettings(str(app_paths.window_settings), QSettings.Format.IniFormat)
        window = MainWindow(
            make_services(backend, steerable=steerable),
            settings=settings,
            clipboard_seconds=clipboard_seconds,
            demo_keys=DEMO_KEYS,
            poll_schedule=FAST_POLL,
        )
        qtbot.addWidget(window)
        if present:  # as --present does: before the window shows or loads anything
            window.set_presenting(True)
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(window.is_loaded, timeout=5000)
        qtbot.waitUntil(lambda: window.runner.pending() == 0, timeout=5000)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
        assert window.runner.wait_for_threads(5000), "a worker thread was left running"
        assert window.runner.active_threads() == 0
    windows.clear()
    gc.collect()  # here, on the GUI thread


@pytest.fixture
def both(make_services: Callable[..., Services]) -> Services:
    """Two linked accounts: "Acme" on Staging and "Acme live" on Production."""
    services = make_services()
    services.links.link(Environment.STAGING, ApiKey.parse(STAGING_KEY), "Acme")
    services.links.link(Environment.PRODUCTION, ApiKey.parse(PRODUCTION_KEY), "Acme live")
    return services


@pytest.fixture
def window(make_window: WindowFactory) -> MainWindow:
    return make_window()


def find_dialog(name: str) -> QWidget | None:
    for widget in QApplication.topLevelWidgets():
        if widget.objectName() == name and widget.isVisible():
            return widget
    return None


def wait_for_dialog(qtbot: QtBot, name: str) -> QMessageBox:
    qtbot.waitUntil(lambda: find_dialog(name) is not None, timeout=5000)
    dialog = find_dialog(name)
    assert isinstance(dialog, QMessageBox)
    return dialog
