"""The Accounts page: the link form above the accounts table, and the link flow (a key proven
on the runner, stored, and the outcome said in the form's banner)."""

from __future__ import annotations

import threading
from collections.abc import Mapping

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import QGroupBox, QMainWindow, QPushButton, QVBoxLayout, QWidget

from zinc_desktop.core.accounts.linking import LinkResult
from zinc_desktop.core.accounts.model import Account
from zinc_desktop.core.accounts.verification import Outcome
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.core.foundation.errors import (
    OperationCancelled,
    SecretStoreTimeout,
    SecretStoreUnavailable,
)
from zinc_desktop.core.operations.accounts import Link
from zinc_desktop.gui.accounts.account_actions import AccountActions
from zinc_desktop.gui.accounts.accounts_panel import AccountsPanel
from zinc_desktop.gui.accounts.accounts_table_model import AccountsTableModel
from zinc_desktop.gui.accounts.link_panel import LINKED, LinkPanel
from zinc_desktop.gui.common.error_text import describe_error
from zinc_desktop.gui.common.naming import named
from zinc_desktop.gui.common.platform_keys import StandardKey, native_text, with_keys
from zinc_desktop.gui.common.status_line import StatusLine
from zinc_desktop.gui.common.task_runner import TaskHandle, TaskOutcome, TaskRunner
from zinc_desktop.services import Services


class AccountsPage(QWidget):
    """Link, list, re-test, rename, replace, copy and unlink accounts.

    The page owns its widgets (`link_panel`, `accounts_panel`) and what is done to accounts
    (`account_actions`, whose status-bar widgets the window places).

    Signals:
        wanted(): the link form was asked for: the window shows this page.
        keyringMissing(): linking found no usable keyring (the window's status bar says so).
    """

    wanted = Signal()
    keyringMissing = Signal()

    def __init__(
        self,
        window: QMainWindow,
        services: Services,
        runner: TaskRunner,
        model: AccountsTableModel,
        status: StatusLine,
        *,
        demo_keys: Mapping[Environment, str] | None,
        sandbox: bool,
        clipboard_seconds: float,
    ) -> None:
        super().__init__(window)
        self.setObjectName("accountsPage")
        self._links = services.links
        self._context = services.context
        self._runner = runner
        self.model = model
        self.presenting = False  # set by the window: no new account on a shared screen
        self._link_handle: TaskHandle | None = None
        self._linked_text = ""
        self._session_only_next = False

        self.link_panel = LinkPanel(services.endpoints, demo_keys)
        self.accounts_panel = AccountsPanel(model, sandbox=sandbox)
        self.account_actions = AccountActions(
            window,
            status=status,
            services=services,
            runner=runner,
            model=model,
            panel=self.accounts_panel,
            clipboard_seconds=clipboard_seconds,
        )
        self._build()
        self._connect()

    def _build(self) -> None:
        self.link_box = named(QGroupBox("Link a Zinc account"), "linkGroup")
        link_layout = QVBoxLayout(self.link_box)
        link_layout.addWidget(self.link_panel)
        self.link_toggle = named(QPushButton("Li&nk account…"), "linkAccountButton")
        self.link_toggle.setAccessibleName("Link account")
        self.link_toggle.setToolTip(
            with_keys("Link another customer's Zinc account", StandardKey.New)
        )
        self.link_toggle.clicked.connect(self.show_link_form)
        self.link_hide = named(QPushButton("Hide"), "hideLinkFormButton", "Hide the link form")
        self.link_hide.setToolTip(
            f"Fold the form away so the table gets the room ({native_text(StandardKey.New)} "
            "opens it)"
        )
        self.link_hide.clicked.connect(self.hide_link_form)
        self.link_panel.add_trailing_button(self.link_hide)
        self.link_toggle.hide()  # the form is open until there is an account to make room for
        self.link_hide.hide()

        accounts_box = named(QGroupBox("Linked accounts"), "accountsGroup")
        accounts_layout_inner = QVBoxLayout(accounts_box)
        accounts_layout_inner.addWidget(self.accounts_panel)
        self.accounts_panel.add_leading_widget(self.link_toggle)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 8, 6, 6)
        layout.addWidget(self.link_box)
        layout.addWidget(accounts_box, 1)

    def _connect(self) -> None:
        self.link_panel.connectRequested.connect(self._on_connect_requested)
        self.link_panel.cancelRequested.connect(self._on_cancel_link)
        self.link_panel.messageActionTriggered.connect(self._on_message_action)
        for signal in (self.model.modelReset, self.model.rowsInserted, self.model.rowsRemoved):
            signal.connect(self._sync_link_form)
        self.model.accountsChanged.connect(self._forget_stale_banner)
        self.account_actions.accountRemoved.connect(self._on_account_removed)
        self.account_actions.keyringLate.connect(self._on_keyring_late)

    def focus_order(self) -> list[QWidget]:
        return [
            *self.link_panel.focus_order(),
            self.link_hide,
            self.link_toggle,
            *self.accounts_panel.focus_order(),
        ]

    def stop(self) -> None:
        """The window is closing: the link under way is cancelled, and what acts on accounts."""
        if self._link_handle is not None:
            self._link_handle.cancel()
        self.account_actions.shutdown()

    # --- the link form -----------------------------------------------------------------------

    @Slot()
    def show_link_form(self) -> None:
        """Ctrl+N / File › Link account…: unfold the form and put the cursor in the key field."""
        if self.presenting:
            return  # a new account is another customer: not on a shared screen
        self.wanted.emit()
        self.link_box.show()
        self.link_toggle.hide()
        self.link_panel.key_input.setFocus()

    @Slot()
    def hide_link_form(self) -> None:
        if self.model.total() == 0:
            return  # with no account yet, the form is the whole point of the page
        self.link_box.hide()
        self.link_toggle.show()
        self.accounts_panel.table.setFocus()

    def link_form_open(self) -> bool:
        return not self.link_box.isHidden()

    @Slot()
    def _sync_link_form(self) -> None:
        """Hide is offered once there is a table to make room for."""
        self.link_hide.setVisible(self.model.total() > 0)
        if self.model.total() == 0 and not self.link_form_open() and not self.presenting:
            self.show_link_form()

    @Slot()
    def _forget_stale_banner(self) -> None:
        # "Linked “X”" is about the accounts as they were; after a rename or re-test it misleads.
        if self._link_handle is None and self.link_panel.message_topic == LINKED:
            self.link_panel.hide_message()

    # --- linking -----------------------------------------------------------------------------

    @Slot(object, object, str)
    def _on_connect_requested(self, environment: Environment, key: ApiKey, label: str) -> None:
        session_only, self._session_only_next = self._session_only_next, False
        link = Link(environment, key, label or None, session_only=session_only)
        self.link_panel.set_busy(True, f"Checking the key with {environment.display_name}…")
        self._link_handle = self._runner.run_operation(link, self._context, self._on_linked)

    @Slot()
    def _on_cancel_link(self) -> None:
        if self._link_handle is not None:
            self._link_handle.cancel()
            self._link_handle = None
        self.link_panel.set_busy(False)
        self.link_panel.show_message("info", "Cancelled. Nothing was linked.")

    @Slot(object)
    def _on_linked(self, outcome: TaskOutcome[LinkResult]) -> None:
        current = self._link_handle is not None and self._link_handle.task_id == outcome.task_id
        result = outcome.result
        if result is not None and result.account is not None:
            self.model.upsert(result.account)  # even if cancelled late: it exists, show it
        if not current:
            return
        self._link_handle = None
        self.link_panel.set_busy(False)
        if outcome.error is not None:
            self._on_link_failed(outcome.error)
            return
        if result is None:  # cancelled before it ran
            return
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
            self.link_panel.clear_key()  # done with: the next key starts from an empty form
            self.link_panel.show_message(
                "info",
                f"This key is already linked as “{account.label}” "
                f"({account.environment.display_name}); no second account was created. "
                "It is selected below.",
            )
            return
        self.link_panel.clear_key()
        # Which keyring, by the name the user knows (macOS Keychain, Windows Credential Manager,
        # Secret Service): loaded by the link that just used it, so no D-Bus call here.
        keyring = None if account.session_only else self._links.keyring_description()
        where = (
            "in memory for this session only"
            if account.session_only
            else f"in your system keyring ({keyring})"
            if keyring
            else "in your system keyring"
        )
        # The banner and the selected row say it: no dialog to dismiss. Said one turn of the
        # event loop after the row arrives: the two repaints, each a frame of the window, in
        # one turn were the longest pause of a link (17 ms median; 14 ms apart).
        self._linked_text = f"Linked “{account.label}”. {verdict.message} The key is kept {where}."
        QTimer.singleShot(0, self, self._say_linked)

    @Slot()
    def _say_linked(self) -> None:
        self.link_panel.show_message("success", self._linked_text, topic=LINKED)
        self.link_panel.key_input.setFocus()

    def refresh_accounts(self, *, after_settle: bool = False) -> None:
        """Reload statuses from the keyring sweep (off the GUI thread); `after_settle` waits
        first for a keyring request that outlived its deadline, so a late answer shows."""
        links = self._links

        def work(cancel: threading.Event) -> list[Account]:
            if after_settle:
                links.settle(timeout=300)
            return links.reconcile()

        self._runner.submit(work, self._on_accounts_refreshed, kind="refresh")

    @Slot(object)
    def _on_accounts_refreshed(self, outcome: TaskOutcome[list[Account]]) -> None:
        if (accounts := outcome.result) is not None:
            current = {account.id for account in accounts}
            for gone in [a.id for a in self.model.accounts() if a.id not in current]:
                self.model.remove(gone)  # unlinked elsewhere (another window, the CLI)
            for account in accounts:
                self.model.upsert(account)

    def _on_link_failed(self, error: BaseException) -> None:
        if isinstance(error, SecretStoreTimeout):
            self.link_panel.show_message(
                "warning",
                f"{error} The account is listed as “Link incomplete”: it completes by itself if "
                "the keyring answers later; otherwise re-enter the key or unlink it.",
            )
            self.refresh_accounts()
            self.refresh_accounts(after_settle=True)
            return
        if isinstance(error, OperationCancelled):
            self.link_panel.show_message("info", "Cancelled. Nothing was linked.")
        elif isinstance(error, SecretStoreUnavailable):
            self.keyringMissing.emit()
            self.link_panel.show_message(
                "warning",
                f"{error} You can still link this key for this session only: it stays in memory "
                "and is forgotten when the app closes.",
                ("session", "Link for this session only"),
            )
        else:
            self.link_panel.show_message("error", describe_error(error))

    @Slot()
    def _on_keyring_late(self) -> None:
        self.refresh_accounts()
        self.refresh_accounts(after_settle=True)

    @Slot(object)
    def _on_account_removed(self, account: Account) -> None:
        self.link_panel.hide_message()  # it may speak of the account just removed
        if self.model.total() == 0:
            self.show_link_form()

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
