"""The main window: menus, the four pages, the status bar; wires views to the services."""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QSettings,
    QSignalBlocker,
    Qt,
    QTimer,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDesktopServices,
    QFont,
    QGuiApplication,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from zinc_desktop import __version__
from zinc_desktop.core.accounts.demo_choice import default_account, presentable_accounts
from zinc_desktop.core.accounts.filters import count_of
from zinc_desktop.core.accounts.index import AccountIndex
from zinc_desktop.core.accounts.presenting import Presentation
from zinc_desktop.core.checks.polling import PollSchedule
from zinc_desktop.core.foundation.environments import EndpointSource, Environment
from zinc_desktop.core.foundation.owner_only import restrict_file
from zinc_desktop.core.foundation.time_text import zone_problem
from zinc_desktop.core.zinc.settings import EXCHANGES, Exchange
from zinc_desktop.gui.accounts.accounts_table_model import AccountsTableModel
from zinc_desktop.gui.common import styles
from zinc_desktop.gui.common.branding import app_icon, branding
from zinc_desktop.gui.common.error_text import describe_error
from zinc_desktop.gui.common.event_relay import HubRelay
from zinc_desktop.gui.common.focus_chain import chain_tab_order
from zinc_desktop.gui.common.folders import documents_folder
from zinc_desktop.gui.common.lazy_page import LazyPage
from zinc_desktop.gui.common.naming import named
from zinc_desktop.gui.common.plain_text import escape, live_label
from zinc_desktop.gui.common.platform_keys import StandardKey, native_text, standard_keys
from zinc_desktop.gui.common.scrolling import scrolling
from zinc_desktop.gui.common.status_line import StatusLine
from zinc_desktop.gui.common.task_runner import TaskOutcome, TaskRunner
from zinc_desktop.gui.requests.exchange_log import ExchangesTableModel
from zinc_desktop.services import Services

if TYPE_CHECKING:
    from zinc_desktop.gui.accounts.account_actions import AccountActions
    from zinc_desktop.gui.accounts.accounts_panel import AccountsPanel
    from zinc_desktop.gui.accounts.link_panel import LinkPanel
    from zinc_desktop.gui.accounts.page import AccountsPage
    from zinc_desktop.gui.demo.panel import DemoPanel
    from zinc_desktop.gui.requests.request_inspector import RequestInspector
    from zinc_desktop.gui.webhooks.page import WebhooksPage

log = logging.getLogger(__name__)

TIME_REFRESH_MS = 30_000
FIRST_FRAME_GRACE_MS = 1_500  # start-up work waits this long at most for a first frame
SHUTDOWN_WAIT_MS = 400
PRESENTING_SCALE = 1.25
PRESENTING_KEYS = "Ctrl+Shift+P"  # Qt's portable spelling: ⇧⌘P on macOS
REQUESTS_TIP = "Every HTTP call of this session; the key is never shown"
WEBHOOKS_TAB = "We&bhooks"
WEBHOOKS_TIP = (
    "What Zinc tells the partner system: webhooks received on this computer, their signatures "
    "checked, forwarded and replayed"
)


# What the start-up load hands the window: the accounts, the keyring's name, notices.
_Loaded = tuple[AccountIndex, str | None, list[str]]


class MainWindow(QMainWindow):
    """Link, list and manage Zinc accounts; demo one. All network and keyring work is off-thread.

    Signals:
        started(): the first frame is on screen; work that can wait for it may start.
        loaded(): the accounts are on screen: start-up is over.
    """

    started = Signal()
    loaded = Signal()

    # Built right after the first frame (_build_accounts_page).
    accounts_page: AccountsPage
    link_panel: LinkPanel
    accounts_panel: AccountsPanel
    account_actions: AccountActions

    def __init__(
        self,
        services: Services,
        *,
        settings: QSettings,
        clipboard_seconds: float = 30.0,
        demo_keys: Mapping[Environment, str] | None = None,
        poll_schedule: PollSchedule | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self._services = services
        self._settings = settings
        self._links = services.links
        self._sandbox = any(e.source is EndpointSource.SANDBOX for e in services.endpoints.values())
        self._loaded = False
        self._base_font = QFont(QApplication.font())
        self._presentation: Presentation | None = None
        self._presenting_on = False
        self._present_when_loaded: str | None = None  # --present: whom, once loaded ("": default)
        self._normal_header = QByteArray()
        self._normal_link_form = True
        self._normal_geometry = QByteArray()

        self._page_built = False
        self._demo_keys: Mapping[Environment, str] | None = demo_keys
        self._clipboard_seconds: float = clipboard_seconds
        self.runner = TaskRunner(self)
        self.model = AccountsTableModel(self)
        self.setWindowIcon(app_icon())
        self._poll_schedule = poll_schedule or PollSchedule()
        self._build(demo_keys, clipboard_seconds)
        self._build_menus()
        self._connect()
        self.exchange_relay: HubRelay[Exchange] = HubRelay(services.events, EXCHANGES, self)
        self.exchange_relay.arrived.connect(self._on_exchanges)
        self._restore_settings()
        self._update_title()

        self._time_timer = QTimer(self)
        self._time_timer.setInterval(TIME_REFRESH_MS)
        self._time_timer.timeout.connect(self.model.refresh_times)
        self._time_timer.start()

        # The accounts load (keyring, HTTP stack, the sweep) once the first frame is on screen:
        # started earlier, its imports would compete with the window for the interpreter. A
        # window that is not painted (started minimized, on a hidden desktop) starts anyway.
        self._load_started = False
        self._first_frame_grace = QTimer(self)
        self._first_frame_grace.setSingleShot(True)
        self._first_frame_grace.setInterval(FIRST_FRAME_GRACE_MS)
        self._first_frame_grace.timeout.connect(self._after_first_frame)
        self._first_frame_grace.start()
        # Something to hold the focus when the window is first shown (the key field takes it
        # once the Accounts page is built): a window shown with no focus widget is not
        # activated by every platform.
        self.tabs.setFocus()

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.Paint and not self._load_started:
            self._after_first_frame()
        return handled

    @Slot()
    def _on_exchanges(self) -> None:
        self.exchanges.add_many(self.exchange_relay.take())

    @Slot()
    def _after_first_frame(self) -> None:
        if self._load_started:
            return
        self._load_started = True
        self._first_frame_grace.stop()
        QTimer.singleShot(0, self._start_loading)

    def _build_accounts_page(self) -> None:
        """The Accounts page, once: right after the first frame, before the accounts load."""
        if self._page_built:
            return
        from zinc_desktop.gui.accounts.page import AccountsPage

        # Built under the normal type, then grown with the rest (--present: presenting began
        # before the page existed): widgets styled while the type is large keep it after.
        presenting = self._presenting_on
        if presenting:
            QApplication.setFont(self._base_font)
        page = AccountsPage(
            self,
            self._services,
            self.runner,
            self.model,
            self.status_line,
            demo_keys=self._demo_keys,
            sandbox=self._sandbox,
            clipboard_seconds=self._clipboard_seconds,
        )
        self.accounts_page = page
        # The parts other pages and menus reach for, by their usual names.
        self.link_panel = page.link_panel
        self.accounts_panel = page.accounts_panel
        self.account_actions = page.account_actions
        self._page_built = True
        self._accounts_layout.addWidget(page)
        page.show()  # a child added to a shown widget stays hidden until told
        actions = self.account_actions
        status = self.statusBar()
        for index, widget in enumerate(
            (actions.clipboard_label, actions.retest_progress, actions.retest_cancel), start=1
        ):
            status.insertPermanentWidget(index, widget)  # before the keyring's name
        page.wanted.connect(self._show_accounts_tab)
        page.keyringMissing.connect(self._on_keyring_missing)
        self.accounts_panel.demo_action.triggered.connect(self._demo_selected)
        self.accounts_panel.try_simulator_button.clicked.connect(self._open_simulator)
        self._restore_page_settings()
        if presenting:  # --present asked before the page existed
            QApplication.setFont(self._presenting_font())
            self._present_page(True)
            self._hand_page(self._presentation)
        self._chain_focus()
        focused = self.focusWidget()
        if focused in (None, self.tabs, self.tabs.tabBar()):  # nobody has moved the focus yet
            self.link_panel.key_input.setFocus()

    @Slot()
    def _start_loading(self) -> None:
        self._build_accounts_page()
        screen = self.screen()
        if screen is not None:  # for support: the size it opened at, beside the room it had
            free, frame = screen.availableGeometry(), self.frameGeometry()
            log.info(
                "window %dx%d (frame %dx%d) on a free area of %dx%d, scale %g",
                self.width(), self.height(), frame.width(), frame.height(),
                free.width(), free.height(), screen.devicePixelRatio(),
            )  # fmt: skip
        self.started.emit()
        self.runner.submit(self._load_work, self._on_loaded, kind="load")

    # --- layout ------------------------------------------------------------------------------

    def _build(self, demo_keys: Mapping[Environment, str] | None, clipboard_seconds: float) -> None:
        self.status_line = StatusLine()
        # The Accounts page is built right after the first frame (_build_accounts_page): the
        # first frame shows the window's frame, menus, tabs and status bar alone, and Python
        # meets far fewer Qt types before it (the page and its modules cost about 60 ms).
        self._accounts_host: QWidget = named(QWidget(), "accountsPageHost")
        self._accounts_layout = QVBoxLayout(self._accounts_host)
        self._accounts_layout.setContentsMargins(0, 0, 0, 0)
        # The Demo and Requests pages are built when first opened (or first asked for); the
        # exchanges are recorded from the start.
        self.exchanges = ExchangesTableModel(self)
        self.demo_page = LazyPage(self._build_demo_panel, "demoPage", self._chain_focus)
        self.requests_page = LazyPage(self._build_inspector, "requestsPage", self._chain_focus)
        self.webhooks_page = LazyPage(self._build_webhooks_panel, "webhooksPage", self._chain_focus)
        self.tabs = named(QTabWidget(), "mainTabs", "Sections")
        self.tabs.addTab(scrolling(self._accounts_host, "accountsPageScroll"), "&Accounts")
        self.tabs.addTab(self.demo_page, "&Demo")
        self.tabs.addTab(self.requests_page, "&Requests")
        # Alt+B: every other letter of "Webhooks" is some page's mnemonic (Alt+W is Watch).
        self.tabs.addTab(self.webhooks_page, WEBHOOKS_TAB)
        self.tabs.setTabToolTip(0, "Link, re-test, rename and unlink customers' Zinc accounts")
        self.tabs.setTabToolTip(1, "Packages, a test check and its progress, for one account")
        self.tabs.setTabToolTip(2, REQUESTS_TIP)
        self.tabs.setTabToolTip(3, WEBHOOKS_TIP)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(10, 6, 10, 4)
        layout.setSpacing(6)
        self.tabs.setCornerWidget(self._chips(), Qt.Corner.TopRightCorner)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        self.keyring_label = live_label("keyringStatus", "Where keys are stored")
        self.keyring_label.setText("Keyring: checking…")
        status = self.statusBar()
        status.setSizeGripEnabled(False)
        status.addWidget(self.status_line, 1)
        status.addPermanentWidget(self.keyring_label)

        focus_key = QShortcut(QKeySequence("Ctrl+L"), self)
        focus_key.setWhatsThis("Go to the key field")
        focus_key.activated.connect(self._show_link_form)
        focus_filter = QShortcut(self)
        focus_filter.setKeys(standard_keys(StandardKey.Find))
        focus_filter.setWhatsThis("Filter the accounts")
        focus_filter.activated.connect(self._focus_filter)
        self._chain_focus()
        self._fit_to_screen()

    # --- the pages built on demand ------------------------------------------------------------

    def _build_demo_panel(self) -> DemoPanel:
        from zinc_desktop.gui.demo.panel import DemoPanel  # imported when first opened

        panel = DemoPanel(
            self._services.links,
            self._services.history,
            self.runner,
            self._poll_schedule,
            simulator_for=self._services.simulator_for,
            change_hint=self._services.change_hint,
            settings=self._settings,
            events=self._services.events,
            webhook_url=self._services.webhooks.webhook_url_for_checks,
        )
        panel.accountChosen.connect(self._remember_demo_account)
        panel.exported.connect(self._on_exported)
        panel.set_accounts(self.model.accounts(), self._last_demoed())
        if self._presentation is not None:
            panel.set_presentation(self._presentation)
        return panel

    def _build_inspector(self) -> RequestInspector:
        from zinc_desktop.gui.requests.request_inspector import RequestInspector

        inspector = RequestInspector(self.exchanges)
        inspector.copied.connect(self._on_exported)
        return inspector

    def _build_webhooks_panel(self) -> WebhooksPage:
        from zinc_desktop.gui.webhooks.page import WebhooksPage  # imported when first opened

        panel = WebhooksPage(
            self._services.webhooks, self._services.links, self.runner, settings=self._settings
        )
        panel.message.connect(self._on_exported)
        panel.set_accounts(self.model.accounts())
        if self._presentation is not None:
            panel.set_presentation(self._presentation)
        return panel

    @property
    def demo_panel(self) -> DemoPanel:
        return self.demo_page.content()

    @property
    def inspector(self) -> RequestInspector:
        return self.requests_page.content()

    @property
    def webhooks_panel(self) -> WebhooksPage:
        return self.webhooks_page.content()

    @Slot()
    def _chain_focus(self) -> None:
        demo, inspector = self.demo_page.built(), self.requests_page.built()
        webhooks = self.webhooks_page.built()
        chain_tab_order(
            [
                self.tabs.tabBar(),
                *(self.accounts_page.focus_order() if self._page_built else []),
                *(demo.focus_order() if demo else []),
                *(inspector.focus_order() if inspector else []),
                *(webhooks.focus_order() if webhooks else []),
            ]
        )

    def _fit_to_screen(self, width: int = 1024, height: int = 680) -> None:
        """1024 by 680 pixels (or the size asked), or the screen's free area, whichever is
        smaller: never larger than the screen, whatever the scale (QT_SCALE_FACTOR=2 on a
        1280x800 screen leaves 640x400)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        free = screen.availableGeometry() if screen is not None else None
        if free is not None:
            width = min(width, free.width() - 16)  # and room for the frame's borders
            height = min(height, free.height() - 40)  # and for the title bar
        self.resize(width, height)

    def _chips(self) -> QWidget:
        """Where this window points, in the tab bar's corner: simulator, presenting."""
        corner = QWidget()
        row = QHBoxLayout(corner)
        row.setContentsMargins(0, 0, 2, 2)
        if self._sandbox:
            chip = named(QLabel("OFFLINE SIMULATOR"), "sandboxChip")
            chip.setToolTip(
                "Both environments are served by the built-in simulator on this computer."
            )
            chip.setStyleSheet(styles.chip_style("#6a1b9a"))
            row.addWidget(chip)
        self.presenting_chip = named(QLabel("PRESENTING"), "presentingChip")
        self.presenting_chip.setToolTip(
            f"Presenting mode: {native_text(PRESENTING_KEYS)} leaves it"
        )
        self.presenting_chip.setStyleSheet(styles.chip_style("#00838f"))
        self.presenting_chip.hide()
        row.addWidget(self.presenting_chip)
        return corner

    @Slot()
    def _export_accounts(self) -> None:
        if self._presentation is not None or self._presenting_on:
            return
        stamp = datetime.now().astimezone().strftime("%Y-%m-%d")
        suggested = documents_folder() / f"zinc-accounts-{stamp}.csv"
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Export account list", str(suggested), "CSV (*.csv);;All files (*)"
        )
        if chosen:
            self.export_accounts_to(Path(chosen))

    def export_accounts_to(self, path: Path) -> bool:
        """Write the account list to exactly `path`; say how it went in the status bar."""
        from zinc_desktop.core.accounts.csv_export import write_accounts_csv  # when used

        accounts = self.model.accounts()
        try:
            write_accounts_csv(path, accounts)
        except OSError as error:
            self.status_line.show_message(
                f"The account list was not saved: {error.strerror or error} ({path}).", 15
            )
            return False
        self.status_line.show_message(f"Saved {count_of(len(accounts))} to {path}.", 10)
        return True

    @Slot()
    def _open_simulator(self) -> None:
        from zinc_desktop.gui.common.simulator_window import open_simulator_window  # when used

        if open_simulator_window() is None:
            self.status_line.show_message(
                "The simulator could not be started. From a terminal: zinc-desktop --sandbox", 12
            )
        else:
            self.status_line.show_message("Opening the offline simulator in its own window…", 8)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        bar.setObjectName("menuBar")
        overflow = bar.findChild(QToolButton, "qt_menubar_ext_button")
        if overflow is not None:  # Qt's "»" for menus that do not fit: unnamed otherwise
            overflow.setAccessibleName("More menus")
        file_menu = named(bar.addMenu("&File"), "fileMenu")
        self.link_action = named(QAction("&Link account…", self), "linkAccountAction")
        self.link_action.setShortcuts(standard_keys(StandardKey.New))
        self.link_action.triggered.connect(self._show_link_form)
        file_menu.addAction(self.link_action)
        self.export_accounts_action = named(
            QAction("&Export account list…", self), "exportAccountsAction"
        )
        self.export_accounts_action.setStatusTip(
            "Save the linked accounts as CSV: labels, environments, statuses, key endings and "
            "times, never a key"
        )
        self.export_accounts_action.triggered.connect(self._export_accounts)
        file_menu.addAction(self.export_accounts_action)
        if not self._sandbox:
            self.simulator_action = named(
                QAction("Open the offline &simulator", self), "openSimulatorAction"
            )
            self.simulator_action.setStatusTip(
                "A second window on the built-in simulator, with demo keys: a demo without a key"
            )
            self.simulator_action.triggered.connect(self._open_simulator)
            file_menu.addAction(self.simulator_action)
        file_menu.addSeparator()
        self.quit_action = named(QAction("&Quit", self), "quitAction")
        # Windows has no standard Quit key (Alt+F4 closes the window, and with it the app):
        # Ctrl+Q there too, as a second way that takes nothing Windows gives another meaning.
        self.quit_action.setShortcuts(standard_keys(StandardKey.Quit, fallback="Ctrl+Q"))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)

        view_menu = named(bar.addMenu("&View"), "viewMenu")
        self.present_action = named(QAction("&Presenting mode", self), "presentingModeAction")
        self.present_action.setCheckable(True)
        self.present_action.setShortcut(QKeySequence(PRESENTING_KEYS))
        self.present_action.setStatusTip(
            "For a shared screen: one customer, nothing of any other account; no key endings, "
            "addresses or Requests tab; larger type"
        )
        self.present_action.triggered.connect(self._on_present_triggered)
        view_menu.addAction(self.present_action)
        self.full_screen_action = named(QAction("&Full screen", self), "fullScreenAction")
        self.full_screen_action.setCheckable(True)
        self.full_screen_action.setShortcuts(standard_keys(StandardKey.FullScreen, fallback="F11"))
        self.full_screen_action.toggled.connect(self._toggle_full_screen)
        view_menu.addAction(self.full_screen_action)

        help_menu = named(bar.addMenu("&Help"), "helpMenu")
        shortcuts = named(QAction("&Keyboard shortcuts", self), "shortcutsAction")
        shortcuts.setShortcuts(standard_keys(StandardKey.HelpContents))
        shortcuts.triggered.connect(self._show_shortcuts)
        help_menu.addAction(shortcuts)
        open_log = named(QAction("Open &log folder", self), "openLogFolderAction")
        open_log.triggered.connect(self._open_log_folder)
        help_menu.addAction(open_log)
        help_menu.addSeparator()
        about = named(QAction("&About zinc-desktop", self), "aboutAction")
        about.setMenuRole(QAction.MenuRole.AboutRole)
        about.triggered.connect(self._show_about)
        help_menu.addAction(about)

    def _connect(self) -> None:
        self.tabs.currentChanged.connect(self._on_tab_changed)
        # The Demo tab's picker reads every account: once per turn of the event loop, not
        # once per changed account (re-test all changes them all, a few at a time).
        self._demo_sync_soon = QTimer(self)
        self._demo_sync_soon.setSingleShot(True)
        self._demo_sync_soon.setInterval(0)
        self._demo_sync_soon.timeout.connect(self._sync_demo_accounts)
        self._demo_sync_soon.timeout.connect(self._sync_webhook_accounts)
        for signal in (self.model.modelReset, self.model.rowsInserted, self.model.rowsRemoved):
            signal.connect(self._demo_sync_soon.start)
        self.model.accountsChanged.connect(self._demo_sync_soon.start)
        self._presentation_soon = QTimer(self)
        self._presentation_soon.setSingleShot(True)
        self._presentation_soon.setInterval(0)
        self._presentation_soon.timeout.connect(self._refresh_presentation)
        for signal in (self.model.rowsInserted, self.model.rowsRemoved):
            signal.connect(self._presentation_soon.start)
        self.model.accountsChanged.connect(self._presentation_soon.start)

    # --- settings (never secrets) ------------------------------------------------------------

    def _restore_settings(self) -> None:
        geometry = self._settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
            self._fit_to_screen(self.width(), self.height())  # a smaller screen since, or scale

    def _restore_page_settings(self) -> None:
        header = self._settings.value("accounts/header")
        if isinstance(header, QByteArray):
            self.accounts_panel.table.horizontalHeader().restoreState(header)
        environment = self._settings.value("link/environment")
        if environment in {e.value for e in Environment}:
            self.link_panel.set_environment(Environment(str(environment)))

    def save_settings(self) -> None:
        """The normal layout, even when quitting while presenting or in full screen: the next
        launch must not open with the Key column hidden or filling the screen."""
        full = self.isFullScreen() and not self._normal_geometry.isEmpty()
        self._settings.setValue(
            "window/geometry", self._normal_geometry if full else self.saveGeometry()
        )
        if self._page_built:  # closed before it was built: what was saved before stays
            header = self.accounts_panel.table.horizontalHeader()
            self._settings.setValue(
                "accounts/header",
                self._normal_header if self._presenting_on else header.saveState(),
            )
            environment = self.link_panel.current_environment().value
            self._settings.setValue("link/environment", environment)
        self._settings.sync()
        restrict_file(Path(self._settings.fileName()))  # QSettings writes with the umask

    @Slot(str)
    def _remember_demo_account(self, account_id: str) -> None:
        self._settings.setValue("demo/account", account_id)

    def _last_demoed(self) -> str | None:
        value = self._settings.value("demo/account")
        return value if isinstance(value, str) else None

    # --- presenting mode ---------------------------------------------------------------------

    @Slot(bool)
    def _on_present_triggered(self, checked: bool) -> None:
        """Ctrl+Shift+P or View › Presenting mode: on, after choosing whom; off at once."""
        if not checked:
            self.set_presenting(False)
            return
        self.present_action.setChecked(False)  # on only once an account is chosen
        candidates = presentable_accounts(self.model.accounts())
        if not candidates:
            self.status_line.show_message(
                "Link a Staging account that works to present it (presenting shows one "
                "customer's Staging demo).",
                8,
            )
            return
        from zinc_desktop.gui.present_chooser import PresentChooser

        chooser = PresentChooser(candidates, self._default_presented(), self)
        chooser.finished.connect(self._on_present_chosen)
        chooser.open()

    @Slot(int)
    def _on_present_chosen(self, result: int) -> None:
        chooser = self.sender()
        from zinc_desktop.gui.present_chooser import PresentChooser

        if not isinstance(chooser, PresentChooser):
            return
        chosen = chooser.chosen_id()
        chooser.deleteLater()
        self.activateWindow()
        if result == QDialog.DialogCode.Accepted and chosen is not None:
            self.set_presenting(True, chosen)

    def _default_presented(self) -> str | None:
        """The Demo tab's account, else the one demoed last, else the usual first choice."""
        candidates = presentable_accounts(self.model.accounts())
        ids = {a.id for a in candidates}
        demo = self.demo_page.built()
        current = demo.current_account() if demo is not None else None
        if current is not None and current.id in ids:
            return current.id
        fallback = default_account(candidates, self._last_demoed())
        return fallback.id if fallback is not None else None

    def set_presenting(self, presenting: bool, account_id: str | None = None) -> None:
        """Present one customer (`account_id`, else the default: the Demo tab's account, the
        one demoed last), or stop. Before the accounts are loaded, it waits for them (--present).

        While presenting, nothing of any other account appears anywhere; the type is larger,
        the Requests tab and the link form are gone. What is saved at exit stays the normal
        layout.
        """
        if presenting and not self._loaded:
            self._present_when_loaded = account_id or ""
            self._apply_presentation(None, pending=True)
            return
        if not presenting:
            self._present_when_loaded = None
            self._apply_presentation(None)
            return
        wanted = account_id or self._default_presented()
        account = self.model.account(wanted) if wanted else None
        if account is None:
            self._apply_presentation(None)
            self.status_line.show_message("No account to present: link a Staging account.", 8)
            return
        self._apply_presentation(Presentation(account, self.model.accounts()))

    def _apply_presentation(
        self, presentation: Presentation | None, *, pending: bool = False
    ) -> None:
        """Hand the rule to every surface; switch the mode's look when it turns on or off."""
        presenting = presentation is not None or pending
        if presenting != self._presenting_on:
            self._switch_presenting(presenting)
        previous, self._presentation = self._presentation, presentation
        self.status_line.presentation = presentation
        if self._page_built:
            self._hand_page(presentation)
        if self.demo_page.built() is not None:
            self.demo_panel.set_presentation(presentation)
        if self.webhooks_page.built() is not None:
            self.webhooks_panel.set_presentation(presentation)
        if presentation is not None and (
            previous is None or previous.account_id != presentation.account_id
        ):
            self.status_line.show_message(
                f"Presenting “{presentation.account.label}”: nothing of any other account is "
                f"shown. {native_text(PRESENTING_KEYS)} leaves it.",
                6,
            )

    def _switch_presenting(self, presenting: bool) -> None:
        """The mode's look: larger type, no Requests tab or link form, the chip; leaving
        restores the normal layout as it was."""
        self._presenting_on = presenting
        with QSignalBlocker(self.present_action):
            self.present_action.setChecked(presenting)
        # The application's font, so style-sheeted labels (bands, badges) grow too.
        QApplication.setFont(self._presenting_font() if presenting else self._base_font)
        self._show_requests_tab(not presenting)
        self.link_action.setEnabled(not presenting)
        # The list is every customer, and the Save dialog lists folders: not on a shared screen.
        self.export_accounts_action.setEnabled(not presenting)
        self.presenting_chip.setVisible(presenting)
        self._update_title()
        if self._page_built:
            self._present_page(presenting)
        if not presenting:
            self.status_line.show_message("Presenting mode is off.", 6)

    def _presenting_font(self) -> QFont:
        font = QFont(self._base_font)
        font.setPointSizeF(self._base_font.pointSizeF() * PRESENTING_SCALE)
        return font

    def _hand_page(self, presentation: Presentation | None) -> None:
        self.account_actions.presentation = presentation
        self.accounts_panel.set_presentation(presentation)

    def _present_page(self, presenting: bool) -> None:
        """The Accounts page's part of the mode's look (also when the page is built after
        presenting began: --present); entering saves the normal layout, restored on leaving
        and saved at exit whatever happens meanwhile."""
        self.accounts_page.presenting = presenting
        self.link_panel.set_presenting(presenting)
        if presenting:
            self._normal_header = self.accounts_panel.table.horizontalHeader().saveState()
            self._normal_link_form = self.accounts_page.link_form_open()
            self.accounts_page.link_box.hide()
            self.accounts_page.link_toggle.hide()
            return
        self.accounts_panel.table.horizontalHeader().restoreState(self._normal_header)
        if self._normal_link_form or self.model.total() == 0:
            self.accounts_page.link_box.show()
            self.accounts_page.link_toggle.hide()
        else:
            self.accounts_page.link_box.hide()
            self.accounts_page.link_toggle.show()

    @Slot()
    def _refresh_presentation(self) -> None:
        """The accounts changed while presenting: the rule learns them (a rename, a new
        account's label to hide), once per turn of the event loop; the presented account
        unlinked ends presenting."""
        if self._presentation is None:
            return
        account = self.model.account(self._presentation.account_id)
        if account is None:
            self.set_presenting(False)
            return
        self._apply_presentation(Presentation(account, self.model.accounts()))

    @Slot(bool)
    def _toggle_full_screen(self, full: bool) -> None:
        if full:
            self._normal_geometry = self.saveGeometry()
            self.showFullScreen()
        else:
            self.showNormal()

    def _show_requests_tab(self, shown: bool) -> None:
        """Removed, not hidden: a hidden tab stays in the accessibility tree and can be chosen."""
        index = self.tabs.indexOf(self.requests_page)
        if shown and index < 0:
            at = self.tabs.indexOf(self.demo_page) + 1  # back in its place, before Webhooks
            self.tabs.insertTab(at, self.requests_page, "&Requests")
            self.tabs.setTabToolTip(at, REQUESTS_TIP)
        elif not shown and index >= 0:
            if self.tabs.currentIndex() == index:
                self.tabs.setCurrentWidget(self.demo_page)
            self.tabs.removeTab(index)

    def is_loaded(self) -> bool:
        """Whether the accounts have been loaded (start-up is over)."""
        return self._loaded

    def presenting(self) -> bool:
        return self._presenting_on

    @property
    def presentation(self) -> Presentation | None:
        """The one-customer rule while presenting (None otherwise)."""
        return self._presentation

    def _update_title(self) -> None:
        title = branding().window_title
        if self._sandbox:
            title += " — Sandbox (offline simulator)"
        if self.presenting():
            title += " — Presenting"
        self.setWindowTitle(title)

    @Slot()
    def _show_accounts_tab(self) -> None:
        self.tabs.setCurrentIndex(0)

    @Slot()
    def _on_keyring_missing(self) -> None:
        self._show_keyring(None)

    @Slot()
    def _show_link_form(self) -> None:
        self._build_accounts_page()
        self.accounts_page.show_link_form()

    @Slot()
    def _focus_filter(self) -> None:
        self._build_accounts_page()
        self.tabs.setCurrentIndex(0)
        self.accounts_panel.filter_input.setFocus()

    # --- the demo ----------------------------------------------------------------------------

    @Slot()
    def _sync_demo_accounts(self) -> None:
        if self.demo_page.built() is not None:  # otherwise it reads them when it is built
            self.demo_panel.set_accounts(self.model.accounts(), self._last_demoed())

    @Slot()
    def _sync_webhook_accounts(self) -> None:
        webhooks = self.webhooks_page.built()
        if webhooks is not None:  # otherwise it reads them when it is built
            webhooks.set_accounts(self.model.accounts())

    @Slot(int)
    def _on_tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.demo_page:
            self.demo_panel.focus_form()

    @Slot()
    def _demo_selected(self) -> None:
        account = self.accounts_panel.selected_account()
        if account is None:
            return
        if self.demo_panel.select_account(account.id):
            self._remember_demo_account(account.id)
        self.tabs.setCurrentWidget(self.demo_page)

    @Slot(str)
    def _on_exported(self, message: str) -> None:
        self.status_line.show_message(message, 8)

    # --- closing -----------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._presenting_on:
            QApplication.setFont(self._base_font)  # the font is application-wide
        if self.demo_page.built() is not None:
            self.demo_panel.stop_all()
        self.exchange_relay.close()
        if self._page_built:
            self.accounts_page.stop()
        webhooks = self.webhooks_page.built()
        if webhooks is not None:
            webhooks.stop()
        self.save_settings()
        # Calls in flight end within a tenth of a second once cancelled; a keyring request
        # cannot be cut short, and is not waited for (launch_window leaves without it).
        self.runner.cancel_all()
        self.runner.wait_for_threads(SHUTDOWN_WAIT_MS)
        if webhooks is not None or self.demo_page.built() is not None:
            self._services.webhooks.stop()  # also one a start still under way just began
        for timer in self.findChildren(QTimer):  # nothing of a closed window ticks on
            timer.stop()
        super().closeEvent(event)

    # --- loading -----------------------------------------------------------------------------

    def _load_work(self, cancel: threading.Event) -> _Loaded:
        from zinc_desktop.core.zinc import (
            client as zinc_client,  # httpx and TLS: paid here, off screen
        )

        zinc_client.warm_up()
        # The start-up sweep: one keyring enumeration, at most one write (never a secret read).
        accounts = AccountIndex(self._links.reconcile())  # its facts computed here, off screen
        notices = self._links.take_notices() + self._services.history.take_notices()
        return accounts, self._links.keyring_description(), notices

    @Slot(object)
    def _on_loaded(self, outcome: TaskOutcome[_Loaded]) -> None:
        self._loaded = True
        QTimer.singleShot(0, self.loaded.emit)
        if outcome.error is not None:
            self.keyring_label.setText("Keyring: unknown")
            self._notice(
                f"The linked accounts could not be loaded: {describe_error(outcome.error)}"
            )
            return
        assert outcome.result is not None
        accounts, keyring, notices = outcome.result
        if self._present_when_loaded is not None:  # --present: the rule before any row shows
            loaded = list(accounts.all())
            ids = {a.id for a in presentable_accounts(loaded)}
            wanted = self._present_when_loaded or self._last_demoed()
            chosen = wanted if wanted in ids else None
            if chosen is None:
                fallback = default_account(presentable_accounts(loaded), None)
                chosen = fallback.id if fallback is not None else None
            self._present_when_loaded = None
            if chosen is not None:
                presented = accounts.get(chosen)
                assert presented is not None
                self.model.set_presentation(Presentation(presented, loaded))
        self.model.set_accounts(accounts)
        if self.model.presentation is not None:
            self.set_presenting(True, self.model.presentation.account_id)
        elif self._presenting_on:
            self.set_presenting(False)
        if len(accounts) and not self.link_panel.key_input.text():
            self.accounts_page.hide_link_form()
            self.accounts_panel.select_first()  # so F5, F2 and Delete have a row to act on
            self.accounts_panel.table.setFocus()
        self._show_keyring(keyring)
        for notice in notices:
            self._notice(notice)
        zone = zone_problem()  # e.g. TZ=Europe/Nowhere: said once, in the status bar and log
        if zone is not None:
            log.warning("%s", zone)
            self.status_line.show_message(zone, 30)

    def _show_keyring(self, description: str | None) -> None:
        """`description`: the keyring in use; None when there is no usable one."""
        available = description is not None
        self.keyring_label.setText(
            f"Keys stored in: {description}" if available else "No keyring: session-only links"
        )
        self.keyring_label.setToolTip(
            "Keys live in the operating system's keyring, never in a file."
            if available
            else "No usable keyring was found, so keys can only be kept for this session."
        )

    def _notice(self, text: str) -> None:
        if self._presentation is not None:
            text = self._presentation.text(text)
        box = QMessageBox(
            QMessageBox.Icon.Warning, "zinc-desktop", text, QMessageBox.StandardButton.Ok, self
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setObjectName("noticeDialog")
        box.finished.connect(self.activateWindow)
        box.finished.connect(box.deleteLater)
        box.open()

    # --- help --------------------------------------------------------------------------------

    @Slot()
    def _show_shortcuts(self) -> None:
        # Read from the actions themselves (menus, the accounts table, the link form): the list
        # says what the keys do now, and a new action's keys appear by themselves.
        from zinc_desktop.gui.common.shortcuts_dialog import ShortcutsDialog, shortcut_rows

        dialog = ShortcutsDialog(
            shortcut_rows(
                self.findChildren(QAction),
                self.findChildren(QShortcut),
                pages=[self.tabs.tabText(index) for index in range(self.tabs.count())],
            ),
            self,
        )
        dialog.finished.connect(self.activateWindow)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    @Slot()
    def _show_about(self) -> None:
        paths = self._services.paths
        box = QMessageBox(self)
        box.setObjectName("aboutDialog")
        box.setWindowTitle("About zinc-desktop")
        box.setIconPixmap(app_icon().pixmap(64, 64))
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(
            f"<h3>zinc-desktop {escape(__version__)}</h3>"
            "<p>Link, prove and demo Zinc Partner API keys, for Staging and Production.</p>"
        )
        box.setInformativeText(
            "<p>Keys: only in your system keyring ("
            + escape(self._links.keyring_description() or "none usable: session-only links")
            + ").<br>Accounts and checks (never a key): "
            + escape(str(paths.data))
            + "<br>Window settings: "
            + escape(str(paths.config))
            + "<br>Log: "
            + escape(str(paths.log))
            + "</p>"
        )
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.finished.connect(self.activateWindow)
        box.finished.connect(box.deleteLater)
        box.open()

    @Slot()
    def _open_log_folder(self) -> None:
        folder = self._services.paths.log
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            self.status_line.show_message(f"The log folder is {folder}", 15)
