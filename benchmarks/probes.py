"""The measurements behind benchmarks/run_all.py, each run in a process of its own.

A probe prints one JSON object on its last line. Times come from time.perf_counter, memory from
the kernel's peak resident set size (ru_maxrss). Nothing here asserts: run_all.py compares.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, NoReturn

STARTED = time.perf_counter()  # first thing: both start-up probes count from here
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TICK_MS = 5
SLOW_SECONDS = 2.0


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _first_paint_filter(on_paint: Callable[[], None]) -> Any:
    """An event filter for the main window that calls `on_paint` at its paint events."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QMainWindow

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint and isinstance(watched, QMainWindow):
                on_paint()
            return False

    return FirstPaint()


# --- launch to the first painted frame ---------------------------------------------------------


def probe_startup_bare() -> dict[str, float]:
    """A bare PySide6 main window, with httpx imported (the app needs it sooner or later)."""
    import httpx  # noqa: F401
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication([])
    painted: list[float] = []

    def done() -> None:
        if not painted:
            painted.append(time.perf_counter() - STARTED)
            QTimer.singleShot(0, app.quit)

    watcher = _first_paint_filter(done)
    window = QMainWindow()
    window.installEventFilter(watcher)
    window.resize(1024, 680)
    window.show()
    app.exec()
    return {"seconds": painted[0], "peak_rss_mb": peak_rss_mb()}


def probe_startup_widgets() -> dict[str, float]:
    """None of our code: the kinds of widget our first frame shows, in a plain window.

    A lower bound for the app: PySide6 builds the Python class of each Qt type the first time
    Python meets it, with a Python enum for each of its enums (the Qt namespace alone has 94),
    so what a window uses costs at start-up whatever code builds it.
    """
    import httpx  # noqa: F401
    from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QTimer
    from PySide6.QtGui import QAction, QKeySequence
    from PySide6.QtWidgets import (
        QApplication,
        QMainWindow,
        QProxyStyle,
        QToolBar,
    )

    class Rows(QAbstractTableModel):
        def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008, N802
            return 0

        def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008, N802
            return 5

        def headerData(self, section: int, orientation: Any, role: int = 0) -> Any:  # noqa: N802
            if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
                return ("Environment", "Label", "Key", "Status", "Last checked")[section]
            return None

    app = QApplication([])
    app.setStyle(QProxyStyle(app.style().name()))
    painted: list[float] = []

    def done() -> None:
        if not painted:
            painted.append(time.perf_counter() - STARTED)
            QTimer.singleShot(0, app.quit)

    window = QMainWindow()
    window.installEventFilter(watcher := _first_paint_filter(done))
    window.setCentralWidget(_plain_tabs(Rows))
    toolbar = QToolBar("Account")
    for name in ("Re-test", "Rename", "Copy key", "Unlink", "Re-test all"):
        action = QAction(name, window)
        action.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        toolbar.addAction(action)
    window.addToolBar(toolbar)
    window.menuBar().addMenu("&File").addAction("&Quit")
    window.statusBar().showMessage("Sandbox")
    window.resize(1024, 680)
    window.show()
    app.exec()
    del watcher
    return {"seconds": painted[0], "peak_rss_mb": peak_rss_mb()}


def _plain_tabs(model_class: Any) -> Any:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import (
        QComboBox,
        QFormLayout,
        QHBoxLayout,
        QLabel,
        QLineEdit,
        QPushButton,
        QTableView,
        QTabWidget,
        QVBoxLayout,
        QWidget,
    )

    page = QWidget()
    form = QFormLayout()
    environment = QComboBox()
    environment.addItems(["Staging", "Production"])
    key = QLineEdit()
    key.setEchoMode(QLineEdit.EchoMode.Password)
    key.setClearButtonEnabled(True)
    form.addRow("&Environment", environment)
    form.addRow("API &key", key)
    form.addRow("&Label", QLineEdit())
    buttons = QHBoxLayout()
    buttons.addWidget(QPushButton("Connect"))
    buttons.addWidget(QLabel("Paste the key"), 1, Qt.AlignmentFlag.AlignLeft)
    table = QTableView()
    table.setModel(model_class(table))
    table.setSortingEnabled(True)
    column = QVBoxLayout(page)
    column.addLayout(form)
    column.addLayout(buttons)
    column.addWidget(QLineEdit())
    column.addWidget(table)
    tabs = QTabWidget()
    tabs.addTab(page, "&Accounts")
    tabs.addTab(QWidget(), "&Demo")
    tabs.addTab(QWidget(), "&Requests")
    return tabs


def probe_startup_app() -> NoReturn:
    """The real entry point (`zinc-desktop --sandbox`) until the window's first paint."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from zinc_desktop.app import main
    from zinc_desktop.gui import main_window

    painted: list[float] = []
    original = main_window.MainWindow.show

    def done() -> None:
        if not painted:
            painted.append(time.perf_counter() - STARTED)
            # Printed now: the app may leave with os._exit while start-up work still runs.
            print(json.dumps({"seconds": painted[0], "peak_rss_mb": peak_rss_mb()}), flush=True)
            QTimer.singleShot(0, QApplication.quit)

    def with_watch(self: Any) -> None:
        # On the window alone, as the bare probe does: a filter on the whole application
        # would see every event of every widget (and cost the app more than the bare window).
        self.first_paint = _first_paint_filter(done)
        self.installEventFilter(self.first_paint)
        original(self)

    main_window.MainWindow.show = with_watch  # type: ignore[method-assign]
    main(["--sandbox"])
    sys.exit(0)  # the result is already out


# --- the GUI thread while a key is verified ------------------------------------------------------


def _tick_until(app: Any, until: Callable[[], bool]) -> list[float]:
    from PySide6.QtCore import QTimer

    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now
        if until():
            app.quit()

    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(tick)
    timer.start()
    app.exec()
    return gaps


def probe_stall_bare() -> dict[str, float]:
    import httpx  # noqa: F401
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication([])
    window = QMainWindow()
    window.resize(1024, 680)
    window.show()
    app.processEvents()
    deadline = time.perf_counter() + SLOW_SECONDS + 0.5
    gaps = _tick_until(app, lambda: time.perf_counter() > deadline)
    return {"max_stall_ms": max(gaps) * 1000, "peak_rss_mb": peak_rss_mb()}


def _loaded_window(
    remote_port: int | None = None,
    seed: Callable[[Any], object] | None = None,
    backend: Any = None,
    poll_schedule: Any = None,
) -> tuple[Any, Any, Any, Any, Any]:
    """The real window on the simulator, set up as launch_window does, its start-up done.

    `remote_port`: a simulator in another process (as a real server is), instead of one in
    this process; `seed(keyring_backend)` runs before the window loads the accounts;
    `backend`: the keyring (default: one in memory).
    Returns (app, support, sandbox or None, services, window).
    """
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from zinc_desktop.gui.common import pyside_feature_scan

    pyside_feature_scan.install()  # as launch_window does, before the imports it would scan
    from tests.support.memory_keyring import MemoryKeyring
    from zinc_desktop.core.accounts.secret_store import KeyringSecretStore
    from zinc_desktop.core.foundation.app_paths import AppPaths
    from zinc_desktop.core.foundation.environments import sandbox_endpoints
    from zinc_desktop.gui.common.application import ApplicationSupport
    from zinc_desktop.gui.main_window import MainWindow
    from zinc_desktop.sandbox import DEMO_KEYS, SandboxServer
    from zinc_desktop.sandbox.addresses import base_urls
    from zinc_desktop.services import assemble_services

    app = QApplication([])
    support = ApplicationSupport(app)
    sandbox = None
    if remote_port:
        urls = base_urls(remote_port)
    else:
        sandbox = SandboxServer().start()
        urls = sandbox.base_urls()
    backend = MemoryKeyring() if backend is None else backend
    if seed is not None:
        seed(backend)
    store = KeyringSecretStore("zinc-desktop-benchmark", backend=backend)
    services = assemble_services(AppPaths.for_profile(), sandbox_endpoints(urls), lambda: store)
    settings = QSettings(os.path.join(tempfile.mkdtemp(), "w.ini"), QSettings.Format.IniFormat)
    extra = {"poll_schedule": poll_schedule} if poll_schedule is not None else {}
    window = MainWindow(services, settings=settings, demo_keys=DEMO_KEYS, **extra)
    window.loaded.connect(support.collector.freeze)
    window.show()
    # Start-up work runs in the background; a person takes longer than that to paste a key.
    while not window.is_loaded() or window.runner.pending():
        app.processEvents()
        time.sleep(0.005)
    app.processEvents()
    return app, support, sandbox, services, window


def _connect_demo_key(window: Any) -> None:
    from zinc_desktop.core.foundation.environments import Environment
    from zinc_desktop.sandbox import DEMO_KEYS

    window.link_panel.key_input.setText(DEMO_KEYS[Environment.STAGING])
    window.link_panel.connect_button.click()


def probe_stall_app() -> dict[str, float]:
    """The real window; Connect against a server that takes 2 s."""
    from zinc_desktop.sandbox import Fault

    app, support, sandbox, _services, window = _loaded_window()
    sandbox.inject(Fault(delay=SLOW_SECONDS))
    _connect_demo_key(window)
    # Until the link is said and 0.2 s after: work deferred past the row's arrival counts too.
    done: list[float] = []

    def said() -> bool:
        if not done and window.model.total() > 0 and window.link_panel.message_text():
            done.append(time.perf_counter())
        return bool(done) and time.perf_counter() - done[0] > 0.2

    gaps = _tick_until(app, said)
    window.close()
    support.stop()
    sandbox.stop()
    return {"max_stall_ms": max(gaps) * 1000, "peak_rss_mb": peak_rss_mb()}


def probe_memory_secret_service() -> dict[str, float]:
    """probe_stall_app's memory with the keyring a Linux desktop has: the Secret Service
    (a private gnome-keyring), whose client needs secretstorage and cryptography."""
    from tests.support.secret_service import missing_tools, private_secret_service

    if missing_tools():
        return {"peak_rss_mb": 0.0, "secret_service": 0}
    with tempfile.TemporaryDirectory() as home, private_secret_service(Path(home)) as env:
        os.environ.update(env)
        from keyring.backends import SecretService

        keyring = SecretService.Keyring()  # type: ignore[no-untyped-call]
        app, support, sandbox, _services, window = _loaded_window(backend=keyring)
        _connect_demo_key(window)
        _tick_until(app, lambda: window.model.total() > 0)
        window.close()
        support.stop()
        sandbox.stop()
        return {"peak_rss_mb": peak_rss_mb(), "secret_service": 1}


def _seed_linked_accounts(count: int, backend: Any, data: Path | None = None) -> list[Any]:
    """`count` verified Staging accounts (keys 1..count, the slow simulator's) in the data file
    (`data`, else the profile's) and in the keyring; returns them."""
    from zinc_desktop.core.accounts.model import Account, AccountStatus
    from zinc_desktop.core.accounts.store import SCHEMA
    from zinc_desktop.core.foundation.api_key import ApiKey
    from zinc_desktop.core.foundation.app_paths import AppPaths
    from zinc_desktop.core.foundation.environments import Environment

    now = datetime.now(UTC)
    accounts = []
    for index in range(count):
        key = ApiKey.parse(f"{index + 1:032x}")
        account = Account(f"{index:08x}", f"C{index}", Environment.STAGING, key.hint,
                          AccountStatus.VERIFIED, now)  # fmt: skip
        backend.items[("zinc-desktop-benchmark", account.id)] = key.reveal()
        accounts.append(account)
    data = data or AppPaths.for_profile().accounts_file
    data.parent.mkdir(parents=True, exist_ok=True)
    data.write_text(json.dumps({"schema": SCHEMA, "accounts": [a.to_json() for a in accounts]}))
    return accounts


def probe_stall_retest_all() -> dict[str, float]:
    """The longest GUI-thread gap while "Re-test all" runs over 200 accounts, against a
    simulator in another process (as a real server is) that takes 50 ms per answer."""
    import subprocess

    count = 200
    server = subprocess.Popen(
        [sys.executable, __file__, "slow_simulator", str(count), "0.05"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        app, support, _sandbox, _services, window = _loaded_window(
            remote_port=port, seed=partial(_seed_linked_accounts, count)
        )
        while window.model.total() < count:
            app.processEvents()
            time.sleep(0.005)
        # The table's first paint with its rows, then the click: a person takes longer.
        settle = time.perf_counter() + 0.2
        while time.perf_counter() < settle:
            app.processEvents()
            time.sleep(0.005)
        actions = window.account_actions
        window.accounts_panel.retest_all_action.trigger()
        gaps = _tick_until(app, lambda: not actions.retest_progress.isVisible())
        window.close()
        support.stop()
    finally:
        server.kill()
    return {"max_stall_ms": max(gaps) * 1000, "ticks": len(gaps)}


def probe_stall_polling() -> dict[str, float]:
    """The longest GUI-thread gap on the Demo tab while two checks are watched for 6 s."""
    from zinc_desktop.core.checks.candidate import TEST_CANDIDATE

    app, support, sandbox, _services, window = _loaded_window()
    _connect_demo_key(window)
    while window.model.total() == 0:
        app.processEvents()
        time.sleep(0.005)
    demo = window.demo_panel
    window.tabs.setCurrentWidget(window.demo_page)
    while not demo.session.packages:
        app.processEvents()
        time.sleep(0.005)
    for _ in range(2):
        demo.form.fill(TEST_CANDIDATE)
        demo.form.start_button.click()
        while demo.session.starting is not None:
            app.processEvents()
            time.sleep(0.005)
        time.sleep(2.1)  # past the grace for repeated presses
        app.processEvents()
    deadline = time.perf_counter() + 6
    gaps = _tick_until(app, lambda: time.perf_counter() > deadline)
    window.close()
    support.stop()
    sandbox.stop()
    return {"max_stall_ms": max(gaps) * 1000, "polls": len(sandbox.requests)}


def big_report(entries: int) -> bytes:
    """A /results answer with `entries` updates and results in all (2.2 MB for 20,000): large,
    but far under the 8 MB a client reads."""
    start = datetime(2026, 12, 1, tzinfo=UTC)
    statuses = ("requested", "awaiting_candidate", "in_progress", "attention_needed")
    updates = [
        {"status": statuses[i % 4], "at": (start + timedelta(seconds=i)).isoformat()}
        for i in range(entries // 2)
    ]
    results = [
        {"name": f"Component {i} of the screening", "outcome": "clear" if i % 7 else "consider"}
        for i in range(entries - entries // 2)
    ]
    return json.dumps(
        {"check_id": "chk-big-1", "status": "in_progress", "updates": updates, "results": results}
    ).encode()


def probe_stall_big_check(entries: int = 20_000) -> dict[str, float]:
    """The GUI thread while a check whose /results holds `entries` updates and results is
    polled every 0.5 s for 8 s, the check selected on the Demo tab (its journey and results on
    screen). Gaps as the maximum and the 95th percentile."""
    from zinc_desktop.core.checks.polling import PollSchedule
    from zinc_desktop.sandbox import Fault

    schedule = PollSchedule(first=0.5, factor=1.0, longest=0.5, max_failures=3)
    app, support, sandbox, _services, window = _loaded_window(poll_schedule=schedule)
    _connect_demo_key(window)
    while window.model.total() == 0:
        app.processEvents()
        time.sleep(0.005)
    demo = window.demo_panel
    window.tabs.setCurrentWidget(window.demo_page)
    while not demo.session.packages:
        app.processEvents()
        time.sleep(0.005)
    body = big_report(entries)
    sandbox.inject(Fault(status=200, body=body, times=None))
    demo.checks.watch_input.setText("chk-big-1")
    demo.checks.watch_button.click()
    while demo.session.check("chk-big-1") is None:
        app.processEvents()
        time.sleep(0.005)
    before = len(sandbox.requests)
    deadline = time.perf_counter() + 8
    gaps = _tick_until(app, lambda: time.perf_counter() > deadline)
    polls = len(sandbox.requests) - before
    window.close()
    support.stop()
    sandbox.stop()
    ordered = sorted(gaps)
    return {
        "max_stall_ms": ordered[-1] * 1000,
        "p95_stall_ms": ordered[int(len(ordered) * 0.95)] * 1000,
        "polls": polls,
        "body_mb": len(body) / 1e6,
    }


# --- closing with a call in flight ---------------------------------------------------------------


def probe_shutdown() -> dict[str, float]:
    """Close the window while Connect waits on a server that never answers; print when."""
    from PySide6.QtCore import QTimer

    from zinc_desktop.sandbox import Fault

    app, support, sandbox, services, window = _loaded_window()
    sandbox.inject(Fault(delay=60))
    _connect_demo_key(window)

    def close() -> None:
        print(json.dumps({"closing_at": time.time()}), flush=True)
        window.close()
        app.quit()

    QTimer.singleShot(500, close)  # the call is well under way by then
    app.exec()
    services.close()
    support.stop()
    if window.runner.active_threads():
        os._exit(0)  # as launch_window does
    return {}


# --- many accounts -------------------------------------------------------------------------------


def _accounts(count: int) -> list[Any]:
    from zinc_desktop.core.accounts.model import Account, AccountStatus
    from zinc_desktop.core.foundation.environments import Environment

    now = datetime.now(UTC)
    statuses = list(AccountStatus)
    return [
        Account(
            f"{index:08x}",
            f"Customer {index}",
            Environment.PRODUCTION if index % 3 == 0 else Environment.STAGING,
            f"{index % 65536:04x}",
            statuses[index % len(statuses)],
            now,
            now - timedelta(minutes=index),
        )
        for index in range(count)
    ]


def probe_listing(count: int) -> dict[str, float]:
    """`accounts list --json` in-process with `count` accounts whose keys are not in the
    keyring: the first listing (the sweep marks them) and the next one, as medians."""
    import io

    from tests.support.secret_service import missing_tools, private_secret_service
    from zinc_desktop import cli
    from zinc_desktop.app import make_services_factory
    from zinc_desktop.core.accounts.store import SCHEMA
    from zinc_desktop.core.foundation.app_paths import AppPaths, private_directory

    with tempfile.TemporaryDirectory() as home:
        environ = {**os.environ, "XDG_DATA_HOME": home, "XDG_CONFIG_HOME": home,
                   "XDG_STATE_HOME": home}  # fmt: skip
        os.environ.update(environ)
        data = AppPaths.for_profile().accounts_file
        private_directory(data.parent)
        document = {"schema": SCHEMA, "accounts": [a.to_json() for a in _accounts(count)]}
        data.write_text(json.dumps(document))

        def listing(backend: Any) -> float:
            out = io.StringIO()
            console = cli.Console(io.StringIO(), out, io.StringIO(), environ)
            started = time.perf_counter()
            code = cli.run(["accounts", "list", "--json"], console, make_services_factory(
                environ, backend))  # fmt: skip
            elapsed = time.perf_counter() - started
            assert code == 0, code
            return elapsed

        if missing_tools():
            from tests.support.memory_keyring import MemoryKeyring

            backend: Any = MemoryKeyring()
            first = listing(backend)
            later = sorted(listing(backend) for _ in range(3))[1]
            return {"first_s": first, "later_s": later, "secret_service": 0}
        with private_secret_service(Path(home) / "keyring") as ss_env:
            os.environ.update(ss_env)
            environ.update(ss_env)
            from keyring.backends import SecretService

            backend = SecretService.Keyring()  # type: ignore[no-untyped-call]
            first = listing(backend)
            later = sorted(listing(backend) for _ in range(3))[1]
    return {"first_s": first, "later_s": later, "secret_service": 1}


def serve_slow_simulator(count: int, latency: float) -> None:
    """(In its own process) a simulator knowing `count` keys, answering after `latency` s."""
    from zinc_desktop.core.foundation.environments import Environment
    from zinc_desktop.sandbox import Fault, SandboxServer

    server = SandboxServer()
    for index in range(count):
        server.add_key(Environment.STAGING, f"{index + 1:032x}")
    server.inject(Fault(delay=latency, times=None))
    print(server.port, flush=True)
    server.serve_forever()


def probe_retest_all(count: int, latency: float) -> dict[str, float]:
    """Re-test `count` accounts against a simulator (another process: a remote server does not
    share our interpreter) that takes `latency` s per answer."""
    import subprocess

    from tests.support.memory_keyring import MemoryKeyring
    from zinc_desktop.core.accounts.linking import LinkService
    from zinc_desktop.core.accounts.model import Account, AccountStatus
    from zinc_desktop.core.accounts.retesting import RETEST_CONCURRENCY, retest_many
    from zinc_desktop.core.accounts.secret_store import KeyringSecretStore
    from zinc_desktop.core.accounts.store import AccountStore
    from zinc_desktop.core.accounts.verification import Verifier
    from zinc_desktop.core.foundation.environments import sandbox_endpoints
    from zinc_desktop.core.zinc.settings import ClientSettings
    from zinc_desktop.sandbox.addresses import base_urls

    server = subprocess.Popen(
        [sys.executable, __file__, "slow_simulator", str(count), str(latency)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        with tempfile.TemporaryDirectory() as home:
            backend = MemoryKeyring()
            store = KeyringSecretStore("zinc-desktop-benchmark", backend=backend)
            data = Path(home) / "accounts.json"
            accounts = _seed_linked_accounts(count, backend, data)
            links = LinkService(
                Verifier(sandbox_endpoints(base_urls(port)), settings=ClientSettings()),
                AccountStore(data),
                lambda: store,
            )
            started = time.perf_counter()
            results = retest_many(links, [a.id for a in accounts])
            elapsed = time.perf_counter() - started
            links.verifier.pool.close_all()
            verified = sum(
                1 for r in results.values()
                if isinstance(r, Account) and r.status is AccountStatus.VERIFIED
            )  # fmt: skip
    finally:
        server.kill()
    waves = -(-count // RETEST_CONCURRENCY)
    return {"seconds": elapsed, "ideal_s": waves * latency, "verified": verified}


# --- memory while polling ------------------------------------------------------------------------


def probe_exchange_ring(total: int) -> dict[str, float]:
    """Feed `total` poll exchanges (1 KB bodies) to the Requests tab; peak RSS after 100, all."""
    from PySide6.QtWidgets import QApplication

    from zinc_desktop.core.zinc.api import AuthForm
    from zinc_desktop.core.zinc.settings import Exchange
    from zinc_desktop.gui.requests.exchange_log import ExchangesTableModel
    from zinc_desktop.gui.requests.request_inspector import RequestInspector

    app = QApplication([])
    model = ExchangesTableModel()
    inspector = RequestInspector(model)
    inspector.resize(1000, 600)
    inspector.show()
    body = json.dumps({"status": "in_progress", "updates": [{"status": "requested",
                       "at": "2026-11-22T10:00:00Z"}] * 12, "results": []})  # fmt: skip
    after_100 = 0.0
    for number in range(total):
        model.add(Exchange(
            started_at=datetime.now(UTC), environment="staging", method="GET",
            url=f"https://stagingapi.zincwork.com/partner/v2/results/chk-{number}",
            auth_form=AuthForm.RAW, status=200, duration=0.01, response_body=body,
        ))  # fmt: skip
        if number % 50 == 0:
            app.processEvents()
        if number == 99:
            after_100 = peak_rss_mb()
    app.processEvents()
    return {"after_100_mb": after_100, "after_all_mb": peak_rss_mb(), "rows": model.rowCount()}


# --- the accounts table at 10,000 rows -----------------------------------------------------------


def probe_table(count: int) -> dict[str, float]:
    """The longest single step (scroll a page, type a filter letter, sort, quick filter)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from zinc_desktop.core.accounts.columns import Column
    from zinc_desktop.core.accounts.index import AccountIndex
    from zinc_desktop.gui.accounts.accounts_panel import AccountsPanel
    from zinc_desktop.gui.accounts.accounts_table_model import AccountsTableModel

    app = QApplication([])
    model = AccountsTableModel()
    panel = AccountsPanel(model)
    panel.resize(1000, 600)
    panel.show()
    app.processEvents()
    model.set_accounts(AccountIndex(_accounts(count)))  # built off the GUI thread in the app
    app.processEvents()
    steps: dict[str, float] = {}

    def timed(name: str, action: Callable[[], None]) -> None:
        started = time.perf_counter()
        action()
        app.processEvents()
        steps[name] = max(steps.get(name, 0.0), (time.perf_counter() - started) * 1000)

    bar = panel.table.verticalScrollBar()
    for _ in range(20):
        timed("scroll a page", lambda: bar.setValue(bar.value() + bar.pageStep()))
    for text in ("C", "Cu", "Cus", "Customer 9", "Customer 99", ""):
        timed("type in the filter", partial(panel.filter_input.setText, text))
    for column in (Column.STATUS, Column.LAST_CHECKED, Column.LABEL):
        timed(
            "sort a column", partial(panel.table.sortByColumn, column, Qt.SortOrder.AscendingOrder)
        )
    for button in panel.quick_buttons.values():
        timed("quick filter", button.click)
    worst = max(steps, key=lambda name: steps[name])
    return {"max_step_ms": steps[worst], "worst": list(steps).index(worst), **steps}


def probe_stall_webhook_flood(count: int = 1000) -> dict[str, float]:
    """The GUI thread, on the Webhooks tab with the receiver on, while another process sends
    `count` signed deliveries as fast as it can: the longest gap, the 95th percentile, how
    many the page shows, and the peak RSS growth (the ring bounds what is kept)."""
    import subprocess

    app, support, sandbox, services, window = _loaded_window()
    window.tabs.setCurrentWidget(window.webhooks_page)
    url = services.webhooks.start()
    before_mb = peak_rss_mb()
    sender = subprocess.Popen(
        [sys.executable, "-c", FLOOD, url, str(count)], stdout=subprocess.PIPE, text=True
    )
    gaps = _tick_until(app, lambda: sender.poll() is not None)
    settle = time.perf_counter() + 0.5
    gaps += _tick_until(app, lambda: time.perf_counter() > settle)
    shown = window.webhooks_panel.model.rowCount()
    window.close()
    support.stop()
    if sandbox is not None:
        sandbox.stop()
    ordered = sorted(gaps)
    return {
        "max_stall_ms": ordered[-1] * 1000,
        "p95_stall_ms": ordered[int(len(ordered) * 0.95)] * 1000,
        "shown": shown,
        "rss_growth_mb": peak_rss_mb() - before_mb,
    }


FLOOD = """
import json, sys, httpx
url, count = sys.argv[1], int(sys.argv[2])
with httpx.Client(timeout=10) as client:
    for n in range(count):
        body = json.dumps({"check_id": f"chk-flood-{n}", "status": "in_progress",
                           "candidate": {"first_name": "Ada"}, "pad": "x" * 800}).encode()
        client.post(url, content=body, headers={"Content-Type": "application/json"})
"""


PROBES: dict[str, Callable[[], dict[str, float]]] = {
    "startup_bare": probe_startup_bare,
    "startup_widgets": probe_startup_widgets,
    "startup_app": probe_startup_app,
    "stall_bare": probe_stall_bare,
    "stall_app": probe_stall_app,
    "stall_retest_all": probe_stall_retest_all,
    "stall_polling": probe_stall_polling,
    "stall_big_check": probe_stall_big_check,
    "stall_webhook_flood": probe_stall_webhook_flood,
    "shutdown": probe_shutdown,
    "listing_10": lambda: probe_listing(10),
    "listing_10000": lambda: probe_listing(10_000),
    "retest_200": lambda: probe_retest_all(200, 0.1),
    "memory_secret_service": probe_memory_secret_service,
    "ring_100": lambda: probe_exchange_ring(100),
    "ring_10000": lambda: probe_exchange_ring(10_000),
    "table_10000": lambda: probe_table(10_000),
}


class _AsInstalled:
    """Refuses the packages httpx's optional command line pulls in when they are present.

    `import httpx` also imports its CLI (click, rich, pygments: 40 ms, 5 MB) if it can. Our
    development tools bring those into the dev venv; an installed zinc-desktop (the bundle, a
    runtime-only venv) has none of them. Measured without them, the bare window is the one a
    user's machine would run, not a slower one that flatters the ratio.
    """

    REFUSED = frozenset({"click", "rich", "pygments"})

    def find_spec(self, name: str, path: Any, target: Any = None) -> None:
        if name.partition(".")[0] in self.REFUSED:
            raise ImportError(f"{name}: not in a runtime install")


def main() -> None:
    sys.meta_path.insert(0, _AsInstalled())
    if sys.argv[1] == "slow_simulator":
        serve_slow_simulator(int(sys.argv[2]), float(sys.argv[3]))
        return
    result = PROBES[sys.argv[1]]()
    print(json.dumps(result), flush=True)
    threading.Event().wait(0)  # nothing pending; let the interpreter go


if __name__ == "__main__":
    main()
