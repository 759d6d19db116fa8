"""The accounts table's actions: re-test (one or all), rename, copy key, unlink, re-enter key."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QMainWindow, QProgressBar, QPushButton

from zinc_desktop.core.accounts.filters import count_of
from zinc_desktop.core.accounts.linking import LinkResult
from zinc_desktop.core.accounts.model import Account, AccountStatus
from zinc_desktop.core.accounts.presenting import Presentation
from zinc_desktop.core.accounts.retesting import RETEST_CONCURRENCY
from zinc_desktop.core.accounts.selection import named_list, rejected
from zinc_desktop.core.foundation.api_key import ApiKey, mask_hint
from zinc_desktop.core.foundation.errors import SecretStoreTimeout
from zinc_desktop.core.operations.accounts import (
    ReadKey,
    Rename,
    ReplaceKey,
    Retest,
    RetestMany,
    Unlink,
)
from zinc_desktop.gui.accounts.accounts_panel import AccountsPanel
from zinc_desktop.gui.accounts.accounts_table_model import AccountsTableModel
from zinc_desktop.gui.accounts.replace_key_dialog import ReplaceKeyDialog
from zinc_desktop.gui.common.burst_relay import BurstRelay
from zinc_desktop.gui.common.clipboard_guard import ClipboardGuard
from zinc_desktop.gui.common.confirmation import ask_to_confirm
from zinc_desktop.gui.common.error_text import describe_error
from zinc_desktop.gui.common.naming import named
from zinc_desktop.gui.common.plain_text import live_label, rich
from zinc_desktop.gui.common.status_line import StatusLine
from zinc_desktop.gui.common.task_runner import TaskOutcome, TaskRunner
from zinc_desktop.services import Services

_STATUS_PHRASES = {
    AccountStatus.VERIFIED: ("verified", "verified"),
    AccountStatus.REJECTED: ("rejected", "rejected"),
    AccountStatus.UNREACHABLE: ("unreachable", "unreachable"),
    AccountStatus.UNCHECKED: ("not checked", "not checked"),
    AccountStatus.MISSING_SECRET: ("with its key missing", "with their keys missing"),
}


def status_count(status: AccountStatus, count: int) -> str:
    """`1 verified`, `8 with their keys missing`: a count that reads right in both numbers."""
    one, many = _STATUS_PHRASES.get(status, (status.label.lower(), status.label.lower()))
    return f"{count} {one if count == 1 else many}"


@dataclass
class _Batch:
    """A "re-test all" in progress."""

    cancel: threading.Event
    total: int
    done: int = 0
    counts: dict[AccountStatus, int] = field(default_factory=dict)


class AccountActions(QObject):
    """Carries out the panel's QActions on the runner and reports in the window's status bar.

    The widgets it owns for the status bar (`retest_progress`, `retest_cancel`,
    `clipboard_label`) are placed by the window.

    Signals:
        accountRemoved(object): an Account was unlinked.
        keyringLate(): a keyring request outlived its deadline; statuses may change later.
    """

    accountRemoved = Signal(object)
    keyringLate = Signal()

    def __init__(
        self,
        window: QMainWindow,
        *,
        status: StatusLine,
        services: Services,
        runner: TaskRunner,
        model: AccountsTableModel,
        panel: AccountsPanel,
        clipboard_seconds: float,
    ) -> None:
        super().__init__(window)
        self._window = window
        self.retest_concurrency = RETEST_CONCURRENCY  # Zinc calls under way at once
        self._status = status
        self._services = services
        self._links = services.links
        self._context = services.context
        self._runner = runner
        self._model = model
        self._panel = panel
        self._batch: _Batch | None = None
        self._pending_unlink: list[Account] = []
        self._copied_hint = ""
        # Set by the window while presenting: one customer, no key endings on screen.
        self.presentation: Presentation | None = None
        self.clipboard_guard = ClipboardGuard(QGuiApplication.clipboard(), clipboard_seconds, self)
        self.retest_progress = named(QProgressBar(), "retestProgress", "Re-test progress")
        self.retest_progress.setFormat("Re-testing %v of %m")
        self.retest_progress.hide()
        self.retest_cancel = named(QPushButton("Cancel"), "retestCancelButton", "Cancel re-testing")
        self.retest_cancel.hide()
        self.clipboard_label = live_label("clipboardStatus", "Clipboard")
        self.clipboard_label.hide()

        panel.retest_action.triggered.connect(self._retest_selected)
        panel.retest_all_action.triggered.connect(self._retest_all)
        panel.copy_action.triggered.connect(self._copy_selected_key)
        panel.unlink_action.triggered.connect(self._confirm_unlink)
        panel.unlink_rejected_action.triggered.connect(self._confirm_unlink_rejected)
        panel.replace_action.triggered.connect(self._replace_key)
        model.renameRequested.connect(self._on_rename_requested)
        self.retest_cancel.clicked.connect(self._cancel_retest_all)
        # Re-test all has a lane of its own (its 8 calls run inside one task), so a Connect
        # or a demo call is never queued behind a long batch.
        self._retest_lane = TaskRunner(self, max_threads=1)
        # Results reach the GUI thread once per burst, not once per account.
        self._retest_relay: BurstRelay[tuple[str, object]] = BurstRelay(self)
        self._retest_relay.arrived.connect(self._on_batch_retested)
        self._progress_soon = QTimer(self)
        self._progress_soon.setSingleShot(True)
        self._progress_soon.setInterval(50)
        self._progress_soon.timeout.connect(self._show_progress)
        self.clipboard_guard.countdown.connect(self._on_clipboard_countdown)
        self.clipboard_guard.finished.connect(self._on_clipboard_finished)

    def shutdown(self) -> None:
        """The window is closing: stop a batch, take our key back off the clipboard."""
        if self._batch is not None:
            self._batch.cancel.set()
        self._retest_lane.cancel_all()
        self._retest_lane.wait_for_threads(400)  # its calls end within a tenth of a second
        self.clipboard_guard.clear_now()

    @Slot()
    def _focus_table(self) -> None:
        # Without a window manager (kiosks, Xvfb) nothing re-activates the window after a dialog.
        self._window.activateWindow()
        self._panel.table.setFocus()

    # --- re-testing ------------------------------------------------------------------------------

    @Slot()
    def _retest_selected(self) -> None:
        selected = self._panel.selected_accounts()
        if len(selected) > 1:
            self._retest_batch(selected)
            return
        account = self._panel.selected_account()
        if account is None:
            return
        self._model.set_checking(account.id, True)
        self._status.show_message(f"Re-testing “{account.label}”…")
        self._runner.run_operation(
            Retest(account.id), self._context, self._on_retested, context=account.id
        )

    @Slot(object)
    def _on_retested(self, outcome: TaskOutcome[Account]) -> None:
        account_id = outcome.context
        self._model.set_checking(account_id, False)
        if (account := outcome.result) is not None:
            self._model.upsert(account)
            self._status.show_message(f"“{account.label}”: {account.last_message}", 8)
        elif outcome.error is not None and not outcome.cancelled:
            self._status.show_message(f"Re-test failed: {describe_error(outcome.error)}", 8)

    @Slot()
    def _retest_all(self) -> None:
        self._retest_batch(self._model.accounts())

    def _retest_batch(self, accounts: list[Account]) -> None:
        """These accounts (all, or those selected), `retest_concurrency` at a time, on a lane
        of its own: Connect never waits behind it."""
        if not accounts or self._batch is not None:
            return
        self._batch = _Batch(threading.Event(), len(accounts))
        self.retest_progress.setRange(0, len(accounts))
        # As wide as its longest text: the status bar squeezed it until the text wrapped.
        longest = f"Re-testing {len(accounts)} of {len(accounts)}"
        width = self.retest_progress.fontMetrics().horizontalAdvance(longest)
        self.retest_progress.setFixedWidth(max(160, width + 48))
        self.retest_progress.setValue(0)
        self.retest_progress.show()
        self.retest_cancel.show()
        ids = [account.id for account in accounts]
        if len(ids) == self._model.total():
            self._model.set_checking_all(True)
        else:
            for account_id in ids:
                self._model.set_checking(account_id, True)
        relay = self._retest_relay
        retest_all = RetestMany(
            ids,
            on_result=lambda account_id, outcome: relay.put((account_id, outcome)),
            concurrency=self.retest_concurrency,
        )
        self._retest_lane.run_operation(
            retest_all, self._context, self._on_batch_finished, cancel=self._batch.cancel
        )

    @Slot()
    def _on_batch_retested(self) -> None:
        batch = self._batch
        for account_id, outcome in self._retest_relay.take():
            self._model.set_checking(account_id, False)
            if isinstance(outcome, Account):
                self._model.upsert(outcome)
                if batch is not None:
                    batch.counts[outcome.status] = batch.counts.get(outcome.status, 0) + 1
            if batch is not None:
                batch.done += 1
        if batch is not None and not self._progress_soon.isActive():
            self._progress_soon.start()  # the bar repaints at most every 50 ms

    @Slot()
    def _show_progress(self) -> None:
        if self._batch is not None:
            self.retest_progress.setValue(self._batch.done)

    @Slot(object)
    def _on_batch_finished(self, outcome: TaskOutcome[dict[str, Account | BaseException]]) -> None:
        self._on_batch_retested()  # any result still waiting
        self._model.set_checking_all(False)
        if self._batch is not None:
            self._finish_batch()

    @Slot()
    def _cancel_retest_all(self) -> None:
        if self._batch is not None:
            self._batch.cancel.set()
            self._status.show_message("Cancelling: checks already under way finish first…")

    def _finish_batch(self) -> None:
        batch = self._batch
        assert batch is not None
        self._progress_soon.stop()
        self.retest_progress.setValue(batch.done)
        self._batch = None
        self.retest_progress.hide()
        self.retest_cancel.hide()
        checked = sum(batch.counts.values())
        summary = ", ".join(status_count(status, count) for status, count in batch.counts.items())
        prefix = "Cancelled after re-testing" if batch.cancel.is_set() else "Re-tested"
        self._status.show_message(f"{prefix} {checked} of {batch.total}: {summary or 'none'}.", 15)

    # --- rename, copy, unlink, re-enter -----------------------------------------------------------

    @Slot(str, str)
    def _on_rename_requested(self, account_id: str, label: str) -> None:
        self._runner.run_operation(
            Rename(account_id, label), self._context, self._on_renamed, context=account_id
        )

    @Slot(object)
    def _on_renamed(self, outcome: TaskOutcome[Account]) -> None:
        if (account := outcome.result) is not None:
            self._model.upsert(account)
            self._status.show_message(f"Renamed to “{account.label}”.", 5)
        else:
            self._status.show_message(f"Not renamed: {describe_error(outcome.error)}", 8)

    @Slot()
    def _copy_selected_key(self) -> None:
        account = self._panel.selected_account()
        if account is None:
            return
        self._runner.run_operation(
            ReadKey(account.id), self._context, self._on_key_for_copy, context=account
        )

    @Slot(object)
    def _on_key_for_copy(self, outcome: TaskOutcome[ApiKey]) -> None:
        if (key := outcome.result) is not None:
            self._copied_hint = key.hint
            self.clipboard_guard.copy_secret(key.reveal())
        else:
            self._status.show_message(f"Could not copy the key: {describe_error(outcome.error)}", 8)

    @Slot(int)
    def _on_clipboard_countdown(self, seconds: int) -> None:
        # A permanent label, so the countdown never hides other messages.
        ending = "" if self.presentation is not None else f" {mask_hint(self._copied_hint)}"
        self.clipboard_label.setText(f"Key{ending} on the clipboard: cleared in {seconds} s")
        self.clipboard_label.show()

    @Slot(bool)
    def _on_clipboard_finished(self, cleared: bool) -> None:
        self.clipboard_label.hide()
        if cleared:
            self._status.show_message("Clipboard cleared.", 5)
        else:
            self._status.show_message("The clipboard holds something else now; left as is.", 5)

    @Slot()
    def _confirm_unlink(self) -> None:
        selected = self._panel.selected_accounts()
        if len(selected) > 1 and self.presentation is None:
            self._confirm_unlink_many(selected, "Unlink accounts")
            return
        account = self._panel.selected_account()
        if account is None:
            return
        self._pending_unlink = [account]
        box = ask_to_confirm(
            self._window,
            name="unlinkDialog",
            title="Unlink account",
            text=rich(
                "Unlink <b>{}</b>, a <b>{}</b> account{}?",
                self.presentation.text(account.label) if self.presentation else account.label,
                account.environment.display_name,
                "" if self.presentation else f" (key {mask_hint(account.key_hint)})",
            ),
            detail="The key is removed from the keyring. To link this account again you will "
            "need the key from the customer.",
            confirm_text="Unlink",
            confirm_name="confirmUnlinkButton",
            on_answer=self._on_unlink_answer,
            destructive=True,
        )
        box.finished.connect(self._focus_table)

    @Slot()
    def _confirm_unlink_rejected(self) -> None:
        accounts = rejected(self._panel.shown_accounts())
        if accounts and self.presentation is None:
            self._confirm_unlink_many(accounts, "Unlink all rejected")

    def _confirm_unlink_many(self, accounts: list[Account], title: str) -> None:
        """One confirmation for several, naming how many (and the first few by label)."""
        self._pending_unlink = accounts
        environments = sorted({account.environment.display_name for account in accounts})
        box = ask_to_confirm(
            self._window,
            name="unlinkDialog",
            title=title,
            text=rich(
                "Unlink <b>{}</b> ({})?",
                count_of(len(accounts)),
                " and ".join(environments),
            ),
            detail=f"{named_list([account.label for account in accounts])}.\n\nTheir keys are "
            "removed from the keyring. To link any of them again you will need its key from "
            "the customer.",
            confirm_text=f"Unlink {len(accounts)}",
            confirm_name="confirmUnlinkButton",
            on_answer=self._on_unlink_answer,
            destructive=True,
        )
        box.finished.connect(self._focus_table)

    @Slot(object)
    def _on_unlink_answer(self, button: Any) -> None:
        accounts, self._pending_unlink = self._pending_unlink, []
        if not accounts or button.objectName() != "confirmUnlinkButton":
            return
        unlink = Unlink([account.id for account in accounts])
        self._runner.run_operation(unlink, self._context, self._on_unlinked, context=accounts)

    @Slot(object)
    def _on_unlinked(self, outcome: TaskOutcome[dict[str, Account | BaseException]]) -> None:
        """One account or several, one way: what went is removed from the table; the status
        bar says what happened, naming the account when there was one."""
        accounts: list[Account] = outcome.context
        results = outcome.result or {}
        failed: list[tuple[Account, BaseException]] = []
        removed = 0
        for account in accounts:
            result = results.get(account.id)
            if isinstance(result, Account):
                self._model.remove(account.id)
                self.accountRemoved.emit(account)
                removed += 1
            elif isinstance(result, BaseException):
                failed.append((account, result))
        if outcome.error is not None:  # the task itself failed: nothing said for each
            failed = failed or [(accounts[0], outcome.error)]
        if len(accounts) == 1:
            said = (
                f"Not unlinked: {describe_error(failed[0][1])}"
                if failed
                else f"Unlinked “{accounts[0].label}”; its key was removed."
            )
        else:
            said = f"Unlinked {count_of(removed)}; their keys were removed."
            if failed:
                first, error = failed[0]
                said = (
                    f"{said} {count_of(len(failed))} not unlinked, e.g. “{first.label}”: "
                    f"{describe_error(error)}"
                )
        if any(isinstance(error, SecretStoreTimeout) for _, error in failed):
            self.keyringLate.emit()
        self._status.show_message(said, 10 if len(accounts) == 1 else 12)

    @Slot()
    def _replace_key(self) -> None:
        account = self._panel.selected_account()
        if account is None:
            return
        dialog = ReplaceKeyDialog(account, self._window)
        dialog.finished.connect(self._on_replace_finished)
        dialog.finished.connect(self._focus_table)
        dialog.open()

    @Slot(int)
    def _on_replace_finished(self, result: int) -> None:
        dialog = self.sender()
        if not isinstance(dialog, ReplaceKeyDialog):
            return
        key = dialog.key()
        account = dialog.account
        dialog.deleteLater()
        if result != QDialog.DialogCode.Accepted or key is None:
            return
        self._model.set_checking(account.id, True)
        self._runner.run_operation(
            ReplaceKey(account.id, key), self._context, self._on_replaced, context=account.id
        )

    @Slot(object)
    def _on_replaced(self, outcome: TaskOutcome[LinkResult]) -> None:
        self._model.set_checking(outcome.context, False)
        result = outcome.result
        if result is not None and result.account is not None:
            self._model.upsert(result.account)
            self._status.show_message(
                f"“{result.account.label}” has its new key, ending in {result.account.key_hint}.",
                8,
            )
        elif result is not None:
            self._status.show_message(f"Key not replaced: {result.verdict.message}", 10)
        else:
            self._status.show_message(f"Key not replaced: {describe_error(outcome.error)}", 10)
