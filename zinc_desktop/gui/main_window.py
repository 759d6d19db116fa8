"""The main window: wires the link form and the accounts table to the services, off-thread."""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Slot
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from zinc_desktop.core import zinc_client
from zinc_desktop.core.accounts import Account
from zinc_desktop.core.api_key import ApiKey
from zinc_desktop.core.check_polling import PollSchedule
from zinc_desktop.core.environments import EndpointSource, Environment
from zinc_desktop.core.errors import OperationCancelled, SecretStoreUnavailable
from zinc_desktop.core.key_verification import Outcome
from zinc_desktop.core.linking import LinkResult
from zinc_desktop.gui.accounts.account_actions import AccountActions
from zinc_desktop.gui.accounts.accounts_panel import AccountsPanel
from zinc_desktop.gui.accounts.accounts_table_model import AccountsTableModel
from zinc_desktop.gui.accounts.link_panel import LinkPanel
from zinc_desktop.gui.common.branding import app_icon, branding
from zinc_desktop.gui.common.error_text import describe_error
from zinc_desktop.gui.common.naming import named
from zinc_desktop.gui.common.task_runner import TaskHandle, TaskOutcome, TaskRunner
from zinc_desktop.gui.demo.panel import DemoPanel
from zinc_desktop.gui.requests.exchange_log import ExchangeRelay, ExchangesTableModel
from zinc_desktop.gui.requests.request_inspector import RequestInspector
from zinc_desktop.services import Services

log = logging.getLogger(__name__)

TIME_REFRESH_MS = 30_000


class MainWindow(QMainWindow):
    """Link, list and manage Zinc accounts. All network and keyring work runs on the runner."""

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
        self._link_handle: TaskHandle | None = None
        self._session_only_next = False
        self._sandbox = any(e.source is EndpointSource.SANDBOX for e in services.endpoints.values())

        self.runner = TaskRunner(self)
        self.model = AccountsTableModel(self)

        brand = branding()
        title = brand.window_title + (" — Sandbox (offline simulator)" if self._sandbox else "")
        self.setWindowTitle(title)
        self.setWindowIcon(app_icon())
        self._poll_schedule = poll_schedule or PollSchedule()
        self._build(demo_keys, clipboard_seconds)
        self._connect()
        self.exchange_relay = ExchangeRelay(self)
        self.exchange_relay.exchanged.connect(self.inspector.add)
        services.exchange_listeners.append(self.exchange_relay.record)
        self._restore_settings()

        self._time_timer = QTimer(self)
        self._time_timer.setInterval(TIME_REFRESH_MS)
        self._time_timer.timeout.connect(self.model.refresh_times)
        self._time_timer.start()

        self.runner.submit(self._load_work, self._on_loaded, kind="load")
        self.link_panel.key_input.setFocus()

    # --- layout ------------------------------------------------------------------------------

    def _build(self, demo_keys: Mapping[Environment, str] | None, clipboard_seconds: float) -> None:
        brand = branding()
        self.link_panel = LinkPanel(self._services.endpoints, demo_keys)
        self.accounts_panel = AccountsPanel(self.model, sandbox=self._sandbox)
        self.account_actions = AccountActions(
            self,
            self._services,
            self.runner,
            self.model,
            self.accounts_panel,
            clipboard_seconds=clipboard_seconds,
        )

        header = QHBoxLayout()
        icon = QLabel()
        icon.setPixmap(app_icon().pixmap(40, 40))
        title = QLabel(
            f"<span style='font-size:17pt; font-weight:600'>{brand.application_name}</span><br>"
            f"<span style='color:palette(placeholder-text)'>{brand.tagline}</span>"
        )
        header.addWidget(icon)
        header.addWidget(title, 1)
        if self._sandbox:
            chip = named(QLabel("OFFLINE SIMULATOR"), "sandboxChip")
            chip.setToolTip(
                "Both environments are served by the built-in simulator on this computer."
            )
            chip.setStyleSheet(
                "QLabel { color: white; background: #6a1b9a; border-radius: 10px;"
                " padding: 3px 10px; font-weight: bold; }"
            )
            header.addWidget(chip, 0, Qt.AlignmentFlag.AlignTop)

        link_box = named(QGroupBox("Link a Zinc account"), "linkGroup")
        QVBoxLayout(link_box).addWidget(self.link_panel)
        accounts_box = named(QGroupBox("Linked accounts"), "accountsGroup")
        QVBoxLayout(accounts_box).addWidget(self.accounts_panel)

        accounts_page = QWidget()
        accounts_layout = QVBoxLayout(accounts_page)
        accounts_layout.setContentsMargins(6, 8, 6, 6)
        accounts_layout.addWidget(link_box)
        accounts_layout.addWidget(accounts_box, 1)
        self.demo_panel = DemoPanel(
            self._services.links, self._services.history, self.runner, self._poll_schedule
        )
        self.inspector = RequestInspector(ExchangesTableModel(self))
        self.tabs = named(QTabWidget(), "mainTabs", "Sections")
        self.tabs.addTab(accounts_page, "&Accounts")
        self.tabs.addTab(self.demo_panel, "&Demo")
        self.tabs.addTab(self.inspector, "&Requests")
        self.tabs.setTabToolTip(1, "Packages, a test check and its progress, for one account")
        self.tabs.setTabToolTip(2, "Every HTTP call of this session; the key is never shown")

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(14, 10, 14, 6)
        layout.setSpacing(8)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        self.keyring_label = named(QLabel("Keyring: checking…"), "keyringStatus")
        self.keyring_label.setAccessibleName("Where keys are stored")
        actions = self.account_actions
        status = self.statusBar()
        for widget in (actions.clipboard_label, actions.retest_progress, actions.retest_cancel):
            status.addPermanentWidget(widget)
        status.addPermanentWidget(self.keyring_label)

        focus_key = QShortcut(QKeySequence("Ctrl+L"), self)
        focus_key.activated.connect(self.link_panel.key_input.setFocus)
        focus_filter = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        focus_filter.activated.connect(self.accounts_panel.filter_input.setFocus)
        self.setTabOrder(self.link_panel.message_action_button, self.accounts_panel.filter_input)
        self.setTabOrder(self.accounts_panel.filter_input, self.accounts_panel.table)
        self.resize(980, 720)

    def _connect(self) -> None:
        panel = self.accounts_panel
        self.link_panel.connectRequested.connect(self._on_connect_requested)
        self.link_panel.cancelRequested.connect(self._on_cancel_link)
        self.link_panel.messageActionTriggered.connect(self._on_message_action)
        panel.demo_action.triggered.connect(self._demo_selected)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        for signal in (
            self.model.modelReset,
            self.model.rowsInserted,
            self.model.rowsRemoved,
            self.model.dataChanged,
        ):
            signal.connect(self._sync_demo_accounts)
        self.account_actions.accountRemoved.connect(self._on_account_removed)

    # --- settings (never secrets) ------------------------------------------------------------

    def _restore_settings(self) -> None:
        geometry = self._settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        header = self._settings.value("accounts/header")
        if isinstance(header, QByteArray):
            self.accounts_panel.table.horizontalHeader().restoreState(header)
        environment = self._settings.value("link/environment")
        if environment in {e.value for e in Environment}:
            self.link_panel.set_environment(Environment(str(environment)))

    def save_settings(self) -> None:
        self._settings.setValue("window/geometry", self.saveGeometry())
        self._settings.setValue(
            "accounts/header", self.accounts_panel.table.horizontalHeader().saveState()
        )
        self._settings.setValue("link/environment", self.link_panel.current_environment().value)
        self._settings.sync()

    @Slot()
    def _sync_demo_accounts(self) -> None:
        self.demo_panel.set_accounts(self.model.accounts())

    @Slot(int)
    def _on_tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.demo_panel:
            self.demo_panel.focus_form()

    @Slot()
    def _demo_selected(self) -> None:
        account = self.accounts_panel.selected_account()
        if account is not None:
            self.demo_panel.select_account(account.id)
            self.tabs.setCurrentWidget(self.demo_panel)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.demo_panel.stop_all()
        if self.exchange_relay.record in self._services.exchange_listeners:
            self._services.exchange_listeners.remove(self.exchange_relay.record)
        if self._link_handle is not None:
            self._link_handle.cancel()
        self.account_actions.shutdown()
        self.save_settings()
        self.runner.wait_for_threads(5000)
        super().closeEvent(event)

    # --- loading -----------------------------------------------------------------------------

    def _load_work(self, cancel: threading.Event) -> tuple[list[Account], str, list[str]]:
        zinc_client.warm_up()
        accounts = self._links.accounts()
        return accounts, self._links.keyring_description(), self._links.take_notices()

    @Slot(object)
    def _on_loaded(self, outcome: TaskOutcome) -> None:
        if outcome.error is not None:
            self.keyring_label.setText("Keyring: unknown")
            self._notice(
                f"The linked accounts could not be loaded: {describe_error(outcome.error)}"
            )
            return
        accounts, keyring, notices = outcome.result
        self.model.set_accounts(accounts)
        self._show_keyring(keyring)
        for notice in notices:
            self._notice(notice)

    def _show_keyring(self, description: str) -> None:
        available = description != "no keyring available"
        self.keyring_label.setText(
            f"Keys stored in: {description}" if available else "No keyring: session-only links"
        )
        self.keyring_label.setToolTip(
            "Keys live in the operating system's keyring, never in a file."
            if available
            else "No usable keyring was found, so keys can only be kept for this session."
        )

    def _notice(self, text: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning, "zinc-desktop", text, QMessageBox.StandardButton.Ok, self
        )
        box.setObjectName("noticeDialog")
        box.open()

    # --- linking -----------------------------------------------------------------------------

    @Slot(object, object, str)
    def _on_connect_requested(self, environment: Environment, key: ApiKey, label: str) -> None:
        session_only, self._session_only_next = self._session_only_next, False
        links = self._links

        def work(cancel: threading.Event) -> LinkResult:
            return links.link(
                environment, key, label or None, session_only=session_only, cancel=cancel
            )

        self.link_panel.set_busy(True, f"Checking the key with {environment.display_name}…")
        self._link_handle = self.runner.submit(
            work, self._on_linked, kind="link", context=(environment, key)
        )

    @Slot()
    def _on_cancel_link(self) -> None:
        if self._link_handle is not None:
            self._link_handle.cancel()
            self._link_handle = None
        self.link_panel.set_busy(False)
        self.link_panel.show_message("info", "Cancelled. Nothing was linked.")

    @Slot(object)
    def _on_linked(self, outcome: TaskOutcome) -> None:
        current = self._link_handle is not None and self._link_handle.task_id == outcome.task_id
        result = outcome.result
        if isinstance(result, LinkResult) and result.account is not None:
            self.model.upsert(result.account)  # even if cancelled late: it exists, show it
        if not current:
            return
        self._link_handle = None
        self.link_panel.set_busy(False)
        if outcome.error is not None:
            self._on_link_failed(outcome.error)
            return
        assert isinstance(result, LinkResult)
        verdict = result.verdict
        account = result.account
        if account is None:
            action = None
            if verdict.outcome is Outcome.WRONG_ENVIRONMENT and verdict.belongs_to is not None:
                other = verdict.belongs_to.display_name
                action = ("switch", f"Switch to {other} and connect")
            kind = (
                "warning"
                if verdict.outcome in (Outcome.UNREACHABLE, Outcome.SERVER_FAULT)
                else "error"
            )
            self.link_panel.show_message(kind, verdict.message, action)
            return
        self.accounts_panel.select_account(account.id)
        if result.already_linked:
            self.link_panel.show_message(
                "info",
                f"This key is already linked as “{account.label}” "
                f"({account.environment.display_name}); no second account was created. "
                "It is selected below.",
            )
            return
        self.link_panel.clear_key()
        self.link_panel.show_message("success", f"Linked “{account.label}”. {verdict.message}")
        self._confirm_linked(account)

    def _on_link_failed(self, error: BaseException) -> None:
        if isinstance(error, OperationCancelled):
            self.link_panel.show_message("info", "Cancelled. Nothing was linked.")
        elif isinstance(error, SecretStoreUnavailable):
            self._show_keyring("no keyring available")
            self.link_panel.show_message(
                "warning",
                f"{error} You can still link this key for this session only: it stays in memory "
                "and is forgotten when the app closes.",
                ("session", "Link for this session only"),
            )
        else:
            self.link_panel.show_message("error", describe_error(error))

    def _confirm_linked(self, account: Account) -> None:
        packages = account.packages_seen or 0
        noun = "package" if packages == 1 else "packages"
        where = (
            "in memory for this session only" if account.session_only else "in your system keyring"
        )
        box = QMessageBox(
            QMessageBox.Icon.Information,
            "Account linked",
            f"<b>{account.label}</b> is linked to Zinc {account.environment.display_name}.",
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setObjectName("linkedDialog")
        box.setInformativeText(
            f"Zinc accepted the key ending in {account.key_hint}: {packages} {noun} found. "
            f"The key is kept {where}."
        )
        box.setDefaultButton(QMessageBox.StandardButton.Ok)
        box.finished.connect(box.deleteLater)
        box.finished.connect(self._focus_key_field)
        box.open()

    @Slot()
    def _focus_key_field(self) -> None:
        # Without a window manager (kiosks, Xvfb) nothing re-activates us after a dialog.
        self.activateWindow()
        self.link_panel.key_input.setFocus()

    @Slot(object)
    def _on_account_removed(self, account: Account) -> None:
        self.link_panel.hide_message()  # it may speak of the account just removed

    @Slot(str)
    def _on_message_action(self, action: str) -> None:
        if action == "switch":
            self.link_panel.set_environment(self.link_panel.current_environment().other)
        elif action == "session":
            self._session_only_next = True
        else:
            return
        key = self.link_panel.parsed_key()
        if key is not None:
            self._on_connect_requested(
                self.link_panel.current_environment(),
                key,
                self.link_panel.label_input.text().strip(),
            )
