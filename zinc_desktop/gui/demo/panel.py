"""The staging demo: an account's packages, a test check, and its journey, polled off-thread."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from zinc_desktop.core.accounts import Account
from zinc_desktop.core.candidate import candidate_problems, make_candidate
from zinc_desktop.core.check_history import CheckHistory, CheckRecord, check_time, newest_first
from zinc_desktop.core.check_journey import StepState, journey, needs_review
from zinc_desktop.core.check_polling import PollSchedule
from zinc_desktop.core.linking import LinkService
from zinc_desktop.core.zinc_api import CheckReport, CheckStatus, Package
from zinc_desktop.gui.common import styles
from zinc_desktop.gui.common.confirmation import ask_to_confirm
from zinc_desktop.gui.common.naming import named
from zinc_desktop.gui.common.task_runner import TaskOutcome, TaskRunner

CHECK_ID_ROLE = Qt.ItemDataRole.UserRole + 1
FIELDS = (
    ("first_name", "&First name", "candidateFirstName"),
    ("last_name", "La&st name", "candidateLastName"),
    ("email", "E&mail", "candidateEmail"),
    ("phone", "P&hone (optional)", "candidatePhone"),
)
_STEP_MARKS = {
    StepState.DONE: "✓",
    StepState.CURRENT: "●",
    StepState.ATTENTION: "!",
    StepState.PENDING: "○",
}


def _buddy(text: str, widget: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(widget)
    return label


@dataclass
class _Poll:
    timer: QTimer
    delay: float | None = None
    failures: int = 0
    in_flight: bool = False
    last_status: CheckStatus | None = None


class DemoPanel(QWidget):
    """Runs its calls on the window's TaskRunner; nothing here blocks the GUI thread."""

    def __init__(
        self,
        links: LinkService,
        history: CheckHistory,
        runner: TaskRunner,
        schedule: PollSchedule,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._links = links
        self._history = history
        self._runner = runner
        self._schedule = schedule
        self._accounts: dict[str, Account] = {}
        self._account_id: str | None = None
        self._packages: list[Package] = []
        self._records: dict[str, CheckRecord] = {}
        self._reports: dict[str, CheckReport] = {}
        self._polls: dict[str, _Poll] = {}
        self._build()
        self._show_account()

    # --- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.account_selector = named(QComboBox(), "demoAccountSelector", "Account to demo")
        self.account_selector.currentIndexChanged.connect(self._on_account_chosen)
        self.environment_band = named(QLabel(), "demoEnvironmentBand")
        self.message = named(QLabel(), "demoMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(styles.feedback_style("error", self.palette()))
        self.message.hide()
        top = QHBoxLayout()
        top.addWidget(QLabel("Account"))
        top.addWidget(self.account_selector, 1)
        top.addWidget(self.environment_band, 2)

        self.packages_table = named(QTableWidget(0, 3), "packagesTable", "Screening packages")
        self.packages_table.setHorizontalHeaderLabels(["Package", "Id", "Type"])
        named(self.packages_table.verticalHeader(), "packagesRows", "Rows").hide()
        named(self.packages_table.horizontalHeader(), "packagesColumns", "Columns")
        self.packages_table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch
        )
        self.packages_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.packages_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.refresh_button = named(
            QPushButton("Refresh"), "refreshPackagesButton", "Refresh packages"
        )
        self.refresh_button.clicked.connect(self.load_packages)
        self.packages_status = named(QLabel(), "packagesStatus")
        self.packages_status.setWordWrap(True)
        packages_box = QGroupBox("Packages")
        packages_layout = QVBoxLayout(packages_box)
        packages_layout.addWidget(self.packages_table, 1)
        row = QHBoxLayout()
        row.addWidget(self.packages_status, 1)
        row.addWidget(self.refresh_button)
        packages_layout.addLayout(row)

        form_box = QGroupBox("Start a test check")
        form = QFormLayout(form_box)
        self.package_selector = named(QComboBox(), "packageSelector", "Package")
        form.addRow(_buddy("&Package", self.package_selector), self.package_selector)
        self.inputs: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        for field, label, name in FIELDS:
            edit = named(QLineEdit(), name, label.replace("&", ""))
            edit.returnPressed.connect(self._on_start_clicked)
            edit.textEdited.connect(self._clear_field_error)
            error = named(QLabel(), f"{name}Error")
            error.setStyleSheet(styles.feedback_style("error", self.palette()))
            error.hide()
            self.inputs[field] = edit
            self.errors[field] = error
            box = QVBoxLayout()
            box.setSpacing(2)
            box.addWidget(edit)
            box.addWidget(error)
            form.addRow(_buddy(label, edit), box)
        self.inputs["email"].setPlaceholderText(
            "candidate@example.com: Zinc emails them an invitation"
        )
        self.start_button = named(
            QPushButton("Start test check"), "startCheckButton", "Start check"
        )
        self.start_button.clicked.connect(self._on_start_clicked)
        self.form_status = named(QLabel(), "checkFormStatus")
        self.form_status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.form_status, 1)
        buttons.addWidget(self.start_button)
        form.addRow(buttons)

        self.checks_list = named(QListWidget(), "checksList", "Checks, newest first")
        self.checks_list.currentItemChanged.connect(self._on_check_selected)
        self.timeline = named(QListWidget(), "checkTimeline", "The check's journey")
        self.timeline.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.results = named(QLabel(), "checkResults", "Results")
        self.results.setWordWrap(True)
        self.results.setTextFormat(Qt.TextFormat.RichText)
        self.stop_button = named(
            QPushButton("Stop watching"), "stopWatchingButton", "Stop watching"
        )
        self.stop_button.clicked.connect(self._stop_selected)
        self.stop_button.setEnabled(False)
        checks_box = QGroupBox("Checks started from this app (newest first)")
        checks = QGridLayout(checks_box)
        checks.addWidget(self.checks_list, 0, 0, 2, 1)
        checks.addWidget(self.timeline, 0, 1)
        checks.addWidget(self.results, 1, 1)
        checks.addWidget(self.stop_button, 2, 1, Qt.AlignmentFlag.AlignRight)
        checks.setColumnStretch(0, 3)
        checks.setColumnStretch(1, 2)

        middle = QHBoxLayout()
        middle.addWidget(packages_box, 1)
        middle.addWidget(form_box, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addLayout(middle, 2)
        layout.addWidget(checks_box, 3)

    # --- accounts ----------------------------------------------------------------------------

    def set_accounts(self, accounts: Iterable[Account]) -> None:
        """Keep the selector in step with the table; keep the current choice if it still exists."""
        self._accounts = {a.id: a for a in accounts}
        current = self._account_id
        self.account_selector.blockSignals(True)
        self.account_selector.clear()
        for account in self._accounts.values():
            self.account_selector.addItem(
                f"{account.label} — {account.environment.display_name}", account.id
            )
        self.account_selector.blockSignals(False)
        if current in self._accounts:
            self.account_selector.setCurrentIndex(self.account_selector.findData(current))
            self._account_id = current
            self._refresh_account_band()
        else:
            self._on_account_chosen()

    def select_account(self, account_id: str) -> None:
        index = self.account_selector.findData(account_id)
        if index >= 0:
            self.account_selector.setCurrentIndex(index)

    def focus_form(self) -> None:
        """Where a keyboard user wants to be on arriving: the first empty candidate field."""
        for edit in self.inputs.values():
            if edit.isEnabled() and not edit.text():
                edit.setFocus()
                return

    def current_account(self) -> Account | None:
        return self._accounts.get(self._account_id or "")

    @Slot()
    def _on_account_chosen(self) -> None:
        account_id = self.account_selector.currentData()
        if account_id == self._account_id and account_id is not None:
            return
        self.stop_all()
        self._account_id = account_id if isinstance(account_id, str) else None
        self._show_account()

    def _refresh_account_band(self) -> None:
        account = self.current_account()
        if account is None:
            self.environment_band.setText("")
            self.environment_band.setStyleSheet("")
            return
        self.environment_band.setText(styles.environment_band_text(account.environment))
        self.environment_band.setStyleSheet(styles.environment_band_style(account.environment))
        billable = account.environment.is_billable
        self.start_button.setText("Start &billable check…" if billable else "Start &test check")

    def _show_account(self) -> None:
        account = self.current_account()
        self._packages = []
        self._records.clear()
        self._reports.clear()
        self.packages_table.setRowCount(0)
        self.package_selector.clear()
        self.checks_list.clear()
        self.timeline.clear()
        self.results.clear()
        self.message.hide()
        self._refresh_account_band()
        has_account = account is not None
        for widget in (
            self.refresh_button,
            self.start_button,
            self.package_selector,
            *self.inputs.values(),
        ):
            widget.setEnabled(has_account)
        if account is None:
            self.packages_status.setText("Link an account first (Accounts tab).")
            return
        self.load_packages()
        account_id = account.id
        history = self._history

        def work(cancel: threading.Event) -> list[CheckRecord]:
            return history.for_account(account_id)

        self._runner.submit(work, self._on_history, kind="history", context=account_id)

    # --- packages ----------------------------------------------------------------------------

    @Slot()
    def load_packages(self) -> None:
        account = self.current_account()
        if account is None:
            return
        links = self._links
        account_id = account.id

        def work(cancel: threading.Event) -> list[Package]:
            with links.client_for(account_id, cancel) as client:
                packages = client.list_packages()
                links.remember_auth_form(account_id, client)
            return packages

        self.refresh_button.setEnabled(False)
        self.packages_status.setText(f"Loading packages from {account.environment.display_name}…")
        self._runner.submit(work, self._on_packages, kind="packages", context=account_id)

    @Slot(object)
    def _on_packages(self, outcome: TaskOutcome) -> None:
        if outcome.context != self._account_id:
            return
        self.refresh_button.setEnabled(True)
        if outcome.error is not None:
            self.packages_status.setText(f"Could not load packages: {outcome.error}")
            self.packages_status.setStyleSheet(styles.feedback_style("error", self.palette()))
            return
        self._packages = list(outcome.result)
        self.packages_table.setRowCount(len(self._packages))
        self.package_selector.clear()
        for row, package in enumerate(self._packages):
            for column, text in enumerate((package.name, package.id, package.type or "–")):
                self.packages_table.setItem(row, column, QTableWidgetItem(text))
            self.package_selector.addItem(package.name, package.id)
        count = len(self._packages)
        self.packages_status.setStyleSheet("")
        self.packages_status.setText(
            f"{count} package{'s' if count != 1 else ''}."
            if count
            else "No packages are set up in this Zinc account yet."
        )

    # --- starting a check --------------------------------------------------------------------

    def _values(self) -> dict[str, str]:
        return {field: edit.text() for field, edit in self.inputs.items()}

    @Slot()
    def _clear_field_error(self) -> None:
        for field, edit in self.inputs.items():
            if edit is self.sender():
                self.errors[field].hide()

    @Slot()
    def _on_start_clicked(self) -> None:
        account = self.current_account()
        if account is None:
            return
        values = self._values()
        problems = candidate_problems(**values)
        for field, label in self.errors.items():
            label.setText(problems.get(field, ""))
            label.setVisible(field in problems)
        if self.package_selector.currentData() is None:
            self.form_status.setText("Choose a package (they load from Zinc above).")
            return
        if problems:
            first = next(field for field, _, _ in FIELDS if field in problems)
            self.inputs[first].setFocus()
            self.form_status.setText("Fix the fields marked above; nothing was sent.")
            return
        if account.environment.is_billable:
            self._confirm_billable(account, values["email"])
        else:
            self._send()

    def _confirm_billable(self, account: Account, email: str) -> None:
        ask_to_confirm(
            self,
            name="productionGuardDialog",
            title="Start a real, billable check?",
            text=f"<b>{account.label}</b> is a <b>Production</b> account.",
            detail=f"Zinc will email a real candidate at {email.strip()} and bill this check to "
            "the customer. This cannot be undone from here.",
            confirm_text="Start billable check",
            confirm_name="confirmBillableButton",
            on_answer=self._on_guard_answer,
        )

    @Slot(object)
    def _on_guard_answer(self, button: QObject) -> None:
        if button.objectName() == "confirmBillableButton":
            self._send()
        else:
            self.form_status.setText("Cancelled: nothing was sent to Zinc.")

    def _send(self) -> None:
        account = self.current_account()
        package_id = self.package_selector.currentData()
        if account is None or not isinstance(package_id, str):
            return
        candidate = make_candidate(**self._values())
        package_name = self.package_selector.currentText()
        links, history, account_id = self._links, self._history, account.id

        def work(cancel: threading.Event) -> CheckRecord:
            with links.client_for(account_id, cancel) as client:
                check_id = client.start_check(package_id, candidate)
                links.remember_auth_form(account_id, client)
            now = check_time()
            record = CheckRecord(
                check_id, account_id, account.environment, package_id, package_name,
                CheckStatus.REQUESTED, now, now,
            )  # fmt: skip
            history.add(record)
            return record

        self.start_button.setEnabled(False)
        self.form_status.setText("Sending the check to Zinc…")
        self._runner.submit(work, self._on_started, kind="start", context=account_id)

    @Slot(object)
    def _on_started(self, outcome: TaskOutcome) -> None:
        self.start_button.setEnabled(self.current_account() is not None)
        if outcome.error is not None:
            self.form_status.setText(f"Not started: {outcome.error}")
            return
        record: CheckRecord = outcome.result
        if outcome.context != self._account_id:
            return
        self.form_status.setText(f"Started {record.id}. Zinc emails the candidate next.")
        self._records[record.id] = record
        self._render_checks(select=record.id)
        self._watch(record.id)

    # --- the checks and their journeys -------------------------------------------------------

    @Slot(object)
    def _on_history(self, outcome: TaskOutcome) -> None:
        if outcome.context != self._account_id or outcome.error is not None:
            return
        for record in outcome.result:
            self._records.setdefault(record.id, record)
        self._render_checks()
        for record in self._records.values():
            if not record.status.is_final:
                self._watch(record.id)

    def _render_checks(self, select: str | None = None) -> None:
        selected = select or self.selected_check_id()
        self.checks_list.blockSignals(True)
        self.checks_list.clear()
        ordered = newest_first(self._records.values())
        for record in ordered:
            report = self._reports.get(record.id)
            status = report.status if report else record.status
            watching = record.id in self._polls and not status.is_final
            started = record.started_at.astimezone().strftime("%d %b %H:%M")
            suffix = " (watching)" if watching else ""
            item = QListWidgetItem(f"{status.label}{suffix} · {record.package_name} · {started}")
            item.setData(CHECK_ID_ROLE, record.id)
            item.setToolTip(f"Check {record.id}")
            self.checks_list.addItem(item)
            if record.id == selected:
                self.checks_list.setCurrentItem(item)
        self.checks_list.blockSignals(False)
        self._render_selected()

    def selected_check_id(self) -> str | None:
        item = self.checks_list.currentItem()
        value = item.data(CHECK_ID_ROLE) if item else None
        return value if isinstance(value, str) else None

    @Slot()
    def _on_check_selected(self) -> None:
        check_id = self.selected_check_id()
        if check_id is not None and check_id not in self._reports:
            self._watch(check_id)
        self._render_selected()

    def _render_selected(self) -> None:
        check_id = self.selected_check_id()
        self.timeline.clear()
        self.results.clear()
        self.stop_button.setEnabled(check_id in self._polls)
        report = self._reports.get(check_id or "")
        if report is None:
            return
        for step in journey(report):
            when = f"   {step.at.replace('T', ' ').replace('Z', ' UTC')}" if step.at else ""
            item = QListWidgetItem(f"{_STEP_MARKS[step.state]}  {step.status.label}{when}")
            if step.state is StepState.PENDING:
                item.setForeground(QBrush(self.palette().placeholderText().color()))
            elif step.state is StepState.ATTENTION:
                item.setForeground(QBrush(QColor(styles.accent("warning", self.palette()))))
            if step.state is StepState.CURRENT:
                font = QFont()
                font.setBold(True)
                item.setFont(font)
            self.timeline.addItem(item)
        if report.results:
            rows = []
            for result in report.results:
                kind = "warning" if needs_review(result.outcome) else "ok"
                mark = "⚠" if kind == "warning" else "✓"
                colour = styles.accent(kind, self.palette())
                badge = f"<span style='color:{colour}'>{mark}</span>"
                rows.append(f"{badge} {result.name}: <b>{result.outcome}</b>")
            self.results.setText("<br>".join(rows))

    # --- polling -----------------------------------------------------------------------------

    def _watch(self, check_id: str) -> None:
        if check_id in self._polls:
            return
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setProperty("check_id", check_id)
        timer.timeout.connect(self._poll_due)
        self._polls[check_id] = _Poll(timer)
        self._poll_now(check_id)

    @Slot()
    def _poll_due(self) -> None:
        timer = self.sender()
        check_id = timer.property("check_id") if timer else None
        if isinstance(check_id, str):
            self._poll_now(check_id)

    def _poll_now(self, check_id: str) -> None:
        poll = self._polls.get(check_id)
        account_id = self._account_id
        if poll is None or poll.in_flight or account_id is None:
            return
        poll.in_flight = True
        links, history = self._links, self._history

        def work(cancel: threading.Event) -> CheckReport:
            with links.client_for(account_id, cancel) as client:
                report = client.check_report(check_id)
            history.update_status(check_id, report.status)
            return report

        self._runner.submit(work, self._on_report, kind="poll", context=(account_id, check_id))

    @Slot(object)
    def _on_report(self, outcome: TaskOutcome) -> None:
        account_id, check_id = outcome.context
        poll = self._polls.get(check_id)
        if poll is None or account_id != self._account_id:
            return  # stopped or switched away meanwhile
        poll.in_flight = False
        if outcome.error is not None:
            poll.failures += 1
            if poll.failures >= self._schedule.max_failures:
                self._stop(check_id)
                self.message.setText(
                    f"Stopped watching {check_id} after {poll.failures} failed attempts: "
                    f"{outcome.error} Select it again to retry."
                )
                self.message.show()
                return
            poll.delay = self._schedule.next_delay(poll.delay, changed=False)
            poll.timer.start(int(poll.delay * 1000))
            return
        report: CheckReport = outcome.result
        poll.failures = 0
        changed = report.status is not poll.last_status
        poll.last_status = report.status
        self._reports[check_id] = report
        if report.status.is_final:
            self._stop(check_id)
        else:
            poll.delay = self._schedule.next_delay(poll.delay, changed)
            poll.timer.start(int(poll.delay * 1000))
        if check_id in self._records:
            record = self._records[check_id]
            self._records[check_id] = replace(record, status=report.status, updated_at=check_time())
        self._render_checks()

    def _stop(self, check_id: str) -> None:
        poll = self._polls.pop(check_id, None)
        if poll is not None:
            poll.timer.stop()
            poll.timer.deleteLater()

    @Slot()
    def _stop_selected(self) -> None:
        check_id = self.selected_check_id()
        if check_id is not None:
            self._stop(check_id)
            self._render_checks()

    def stop_all(self) -> None:
        for check_id in list(self._polls):
            self._stop(check_id)

    def watching(self) -> list[str]:
        return list(self._polls)
