"""The Demo tab: renders a DemoSession and runs the calls it hands out on the window's TaskRunner.

No rule lives here: which account, which check, which call may go where is the session's
business (core). This file wires the small views to it and keeps the screen in step.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from zinc_desktop.core.accounts.linking import LinkService
from zinc_desktop.core.accounts.model import Account
from zinc_desktop.core.accounts.presenting import Presentation
from zinc_desktop.core.checks.candidate import TEST_CANDIDATE, CandidateRefused
from zinc_desktop.core.checks.heard import moment
from zinc_desktop.core.checks.history import CheckHistory
from zinc_desktop.core.checks.polling import ChangeHint, PollSchedule
from zinc_desktop.core.checks.summary import (
    CheckSummary,
    SummaryFormat,
    SummaryTarget,
    suggested_file_name,
    summary_targets,
)
from zinc_desktop.core.demo.session import DemoRefusal, DemoSession, Notice, StartPlan
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.core.foundation.errors import InputRefused, OperationCancelled
from zinc_desktop.core.foundation.events import EventHub
from zinc_desktop.core.foundation.time_text import now_local
from zinc_desktop.core.operations.base import Call, Context, Delivery
from zinc_desktop.core.webhooks.deliveries import DELIVERIES
from zinc_desktop.core.webhooks.deliveries import Delivery as WebhookDelivery
from zinc_desktop.gui.common import styles
from zinc_desktop.gui.common.announce import Announcer
from zinc_desktop.gui.common.confirmation import ask_to_confirm
from zinc_desktop.gui.common.error_text import describe_error
from zinc_desktop.gui.common.event_relay import HubRelay
from zinc_desktop.gui.common.focus_chain import chain_tab_order
from zinc_desktop.gui.common.folders import documents_folder
from zinc_desktop.gui.common.naming import buddy_label, named
from zinc_desktop.gui.common.plain_text import plain_label, rich
from zinc_desktop.gui.common.task_runner import TaskOutcome, TaskRunner
from zinc_desktop.gui.demo.account_picker import AccountPicker
from zinc_desktop.gui.demo.check_form import CheckForm
from zinc_desktop.gui.demo.checks_view import ChecksView
from zinc_desktop.gui.demo.export_dialog import ExportOptions, offer_to_open
from zinc_desktop.gui.demo.packages_view import PackagesView
from zinc_desktop.gui.demo.simulator_bar import SimulatorBar
from zinc_desktop.gui.demo.summary_export import export_summary

# The Save dialog's filters: the format each asks for, and whether the other is written too.
EXPORT_FILTERS: dict[str, tuple[SummaryFormat | None, bool]] = {
    "PDF document (*.pdf)": (SummaryFormat.PDF, False),
    "Web page (*.html *.htm)": (SummaryFormat.HTML, False),
    "PDF, and a web page beside it (*.pdf)": (SummaryFormat.PDF, True),
}


class DemoPanel(QWidget):
    """The Demo tab. Nothing here blocks the GUI thread.

    Signals:
        accountChosen(str): the user chose an account to demo (the window remembers it).
        exported(str): a summary was written (the message to show).
    """

    accountChosen = Signal(str)
    exported = Signal(str)

    def __init__(
        self,
        links: LinkService,
        history: CheckHistory,
        runner: TaskRunner,
        schedule: PollSchedule,
        parent: QWidget | None = None,
        *,
        simulator_for: Callable[[Environment], Any] | None = None,
        change_hint: ChangeHint | None = None,
        settings: QSettings | None = None,
        events: EventHub | None = None,
        webhook_url: Callable[[], str | None] | None = None,
    ) -> None:
        """`events`: where webhook deliveries are published (DELIVERIES), to join their
        checks' timelines; `webhook_url`: where a check started now sends its updates."""
        super().__init__(parent)
        self.setObjectName("demoPanel")
        self.session = DemoSession(schedule, change_hint=change_hint, webhook_url=webhook_url)
        self._deliveries: HubRelay[WebhookDelivery] | None = None
        if events is not None:
            self._deliveries = HubRelay(events, DELIVERIES, self)
            self._deliveries.arrived.connect(self._on_deliveries)
        # The simulator in this process, where it serves an environment (--sandbox): steered
        # from here. Typed loosely: the GUI does not load the simulator to name its class.
        self._simulator_for = simulator_for or (lambda environment: None)
        self._context = Context(links, history)
        self._runner = runner
        self._preferred: str | None = None
        self._form_epoch = self.session.form_epoch
        self._settings = settings  # the last export folder and the consultant's name, never more
        remembered = settings.value("export/folder") if settings is not None else None
        self._export_folder = (
            Path(remembered) if isinstance(remembered, str) and Path(remembered).is_dir()
            else documents_folder()
        )  # fmt: skip
        self._export_names: tuple[str, str] = ("", "")  # for the export under way only
        self._pending_export: tuple[str, list[SummaryTarget]] | None = None
        self._pending_plan: StartPlan | None = None
        self._pending_cancel: str | None = None
        self._presentation: Presentation | None = None
        self._say = Announcer(self)
        self.announced = self._say.said  # the last things told a screen reader
        self._notices_said: tuple[Notice | None, Notice | None] = (None, None)
        self._poll_timer = QTimer(self)
        self._poll_timer.setSingleShot(True)
        self._poll_timer.timeout.connect(self._poll_due)
        self._clock_timer = QTimer(self)  # the elapsed time under the large journey
        self._clock_timer.setInterval(1000)
        self._clock_timer.timeout.connect(self._tick_clock)
        self._build()
        self.refresh_view()

    def _build(self) -> None:
        self.picker = AccountPicker()
        self.picker.accountChosen.connect(self._on_account_chosen)
        self.environment_band = plain_label(named(QLabel(), "demoEnvironmentBand"))
        self.environment_band.setWordWrap(True)
        picker_label = buddy_label("Acc&ount to demo", self.picker)
        top = QHBoxLayout()
        top.addWidget(picker_label)
        top.addWidget(self.picker, 1)
        top.addWidget(self.environment_band, 2)

        self.packages = PackagesView()
        self.packages.packageChosen.connect(self._on_package_chosen)
        self.packages.refreshRequested.connect(self._on_refresh)
        self.form = CheckForm()
        self.form.startRequested.connect(self._on_start)
        self.form.fillRequested.connect(self._on_fill)
        self.checks = ChecksView()
        self.checks.checkSelected.connect(self._on_check_selected)
        self.checks.watchToggled.connect(self._on_watch_toggled)
        self.checks.watchRequested.connect(self._on_watch_requested)
        self.checks.exportRequested.connect(self._on_export)
        self.checks.cancelRequested.connect(self._on_cancel_check)
        self.checks.reportRequested.connect(self._on_open_report)

        self.simulator = SimulatorBar()
        self.simulator.hide()
        self.simulator.pauseToggled.connect(self._on_pause_toggled)
        self.simulator.stepRequested.connect(self._on_step)
        self.simulator.resetRequested.connect(self._on_reset)

        middle = QHBoxLayout()
        middle.addWidget(self.packages, 1)
        middle.addWidget(self.form, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        layout.addWidget(self.simulator)
        layout.addWidget(self.checks, 4)

        chain_tab_order(self.focus_order())

    def focus_order(self) -> list[QWidget]:
        return [
            self.picker,
            self.packages.table,
            self.packages.refresh_button,
            *self.form.inputs.values(),
            self.form.fill_button,
            self.form.start_button,
            *self.simulator.focus_order(),
            *self.checks.focus_order(),
        ]

    # --- the window's interface ----------------------------------------------------------------

    def set_accounts(self, accounts: Iterable[Account], preferred: str | None = None) -> None:
        """The linked accounts changed (or were loaded). `preferred`: the last account demoed."""
        if preferred is not None:
            self._preferred = preferred
        self._run(self.session.set_accounts(accounts, self._preferred))

    def select_account(self, account_id: str) -> bool:
        """Demo this account (Ctrl+D on the Accounts tab). False when it cannot be demoed."""
        try:
            self._run(self.session.choose(account_id))
        except DemoRefusal as refusal:
            self.session.watch_notice = Notice("error", str(refusal))
            self.refresh_view()
            return False
        self._remember_choice()
        return True

    def set_presentation(self, presentation: Presentation | None) -> None:
        """Presenting one customer (None: not presenting): their demo alone, masked."""
        self._presentation = presentation
        self.checks.set_presentation(presentation)
        self.picker.setEnabled(presentation is None)  # the presented account, and no other
        self._run(self.session.present(presentation.account_id if presentation else None))
        if presentation is not None:
            self._clock_timer.start()
        else:
            self._clock_timer.stop()

    def current_account(self) -> Account | None:
        return self.session.account

    def focus_form(self) -> None:
        """Where a keyboard user wants to be on arriving: the first empty candidate field."""
        if self.session.account is None:
            self.picker.setFocus()
        else:
            self.form.focus_first_empty()

    def stop_all(self) -> None:
        """The window is closing: cancel everything under way."""
        if self._deliveries is not None:
            self._deliveries.close()
        self._run(self.session.choose(None))
        self._poll_timer.stop()
        self._clock_timer.stop()

    def watching(self) -> list[str]:
        return self.session.watching()

    # --- running the session's calls -----------------------------------------------------------

    def _run(self, calls: Iterable[Call[Any]]) -> None:
        context = self._context
        for call in calls:

            def work(cancel: threading.Event, call: Call[Any] = call) -> Delivery[Any]:
                return call.run(context)

            self._runner.submit(
                work,
                self._on_call_done,
                kind=f"demo-{call.operation.name}",
                context=call,
                cancel=call.cancel,
            )
        self.refresh_view()

    @Slot(object)
    def _on_call_done(self, outcome: TaskOutcome[Delivery[Any]]) -> None:
        call: Call[Any] = outcome.context
        if outcome.error is not None:
            delivery = call.failed(outcome.error)
        elif outcome.result is None:  # cancelled before the work ran
            delivery = call.failed(OperationCancelled("Cancelled before it ran."))
        else:
            delivery = outcome.result
        delivery()  # the session's receiver for this call, here on the GUI thread
        self._run(self.session.due_calls())
        for text in self.session.take_announcements():
            self._say(self._shown(text), self.checks)

    @Slot()
    def _poll_due(self) -> None:
        self._run(self.session.due_calls())

    @Slot()
    def _on_deliveries(self) -> None:
        """Webhooks arrived: each about one of this demo's checks joins its timeline, and is
        read again at once; while presenting, its arrival is a moment of the demo."""
        assert self._deliveries is not None
        moments = []
        for delivery in self._deliveries.take():
            heard = self.session.hear(
                delivery.number, delivery.received_at, delivery.check_id, delivery.status,
                delivery.verdict.signature.value,
            )  # fmt: skip
            tracked = self.session.check(delivery.check_id)
            if heard is not None and heard.trusted and tracked is not None:
                moments.append(moment(heard, tracked.record.package_name))
        if not moments:
            return
        self.checks.show_moment(self._shown(moments[-1]))
        if self.isVisible():  # the Webhooks tab says its own when it is the one on screen
            self._say(self._shown(moments[-1]))
        self._run(self.session.due_calls())
        self.refresh_view()

    def _schedule_polls(self) -> None:
        due_in = self.session.next_due_in()
        if due_in is None:
            self._poll_timer.stop()
        else:
            self._poll_timer.start(max(10, int(due_in * 1000)))

    # --- rendering -----------------------------------------------------------------------------

    def refresh_view(self) -> None:
        session = self.session
        account = session.account
        presenting = session.presenting
        self.picker.show_entries(session.entries(), account.id if account else None, self._shown)
        if account is None:
            self.environment_band.setText(
                "Link a Staging account on the Accounts tab to demo it."
                if not any(entry.enabled for entry in session.entries())
                else "Choose an account to demo."
            )
            styles.restyle(self.environment_band, "")
        else:
            self.environment_band.setText(styles.environment_band_text(account.environment))
            styles.restyle(
                self.environment_band, styles.environment_band_style(account.environment)
            )
        simulator = self._simulator()
        self.simulator.setVisible(simulator is not None)
        if simulator is not None:
            self.simulator.show_paused(bool(simulator.paused))
        loading = account is not None and session.packages is None and not session.packages_notice
        self.packages.show_packages(
            session.packages,
            session.selected_package_id,
            self._presentable(session.packages_notice),
            account_chosen=account is not None,
            loading=loading,
            hide_ids=presenting,
        )
        if session.form_epoch != self._form_epoch:
            self._form_epoch = session.form_epoch
            focused = QApplication.focusWidget()
            typing_here = focused is not None and self.form.isAncestorOf(focused)
            self.form.clear()
            if typing_here and account is not None:
                self.form.inputs["first_name"].setFocus()  # ready for the next candidate
        package = session.selected_package
        self.form.show_state(
            account.environment if account else None,
            package.name if package else None,
            self._presentable(session.form_notice),
            busy=session.starting is not None or session.confirming is not None,
        )
        self.checks.show_checks(
            session.checks(),
            set(session.watching()),
            session.selected_check_id,
            self._presentable(session.watch_notice),
            account_chosen=account is not None,
            can_cancel=session.can_cancel(session.selected_check_id),
        )
        self._announce_new_notices(session.form_notice, session.watch_notice)
        self._schedule_polls()

    def _announce_new_notices(self, form: Notice | None, watch: Notice | None) -> None:
        """A notice that appears ("Started check…", "Watching check…", a refusal) is said once:
        focus is elsewhere (back in First name, ready for the next candidate)."""
        before, self._notices_said = self._notices_said, (form, watch)
        for notice, previous in zip((form, watch), before, strict=True):
            if notice is not None and notice != previous:
                self._say(self._shown(notice.text))

    def _shown(self, text: str) -> str:
        """Text as this screen may show it (presenting: the one rule in core)."""
        return self._presentation.text(text) if self._presentation is not None else text

    def _presentable(self, notice: Notice | None) -> Notice | None:
        if notice is None or self._presentation is None:
            return notice
        return Notice(notice.kind, self._presentation.text(notice.text))

    @Slot()
    def _tick_clock(self) -> None:
        tracked = self.session.check(self.session.selected_check_id)
        self.checks.show_elapsed(tracked, now_local())

    # --- the simulator, steered ---------------------------------------------------------------

    def _simulator(self) -> Any:
        """The simulator serving the chosen account's environment here, or None (real Zinc)."""
        account = self.session.account
        return self._simulator_for(account.environment) if account is not None else None

    def _steer_next_outcome(self) -> None:
        """The check about to start ends as the simulator bar says."""
        simulator = self._simulator()
        account = self.session.account
        if simulator is not None and account is not None:
            from zinc_desktop.sandbox.outcomes import CheckOutcome

            simulator.set_next_outcome(
                account.environment, CheckOutcome(self.simulator.chosen_outcome())
            )

    def _after_steering(self, *, restarted: bool = False) -> None:
        self.session.steered(restarted=restarted)
        self._run(self.session.due_calls())

    @Slot(bool)
    def _on_pause_toggled(self, paused: bool) -> None:
        simulator = self._simulator()
        if simulator is None:
            return
        if paused:
            simulator.pause()
        else:
            simulator.resume()
        self._after_steering()

    @Slot()
    def _on_step(self) -> None:
        simulator = self._simulator()
        if simulator is None:
            return
        from zinc_desktop.sandbox.tenant import UnknownCheck

        try:
            simulator.step(self.session.selected_check_id)
        except UnknownCheck:  # a check the simulator did not start: step them all
            simulator.step(None)
        self._after_steering()

    @Slot()
    def _on_reset(self) -> None:
        simulator = self._simulator()
        if simulator is not None:
            simulator.reset()
            self._after_steering(restarted=True)

    # --- what the user does --------------------------------------------------------------------

    @Slot(str)
    def _on_account_chosen(self, account_id: str) -> None:
        if self.select_account(account_id):
            self.accountChosen.emit(account_id)

    def _remember_choice(self) -> None:
        if self.session.account is not None:
            self._preferred = self.session.account.id

    @Slot(str)
    def _on_package_chosen(self, package_id: str) -> None:
        self.session.select_package(package_id)
        self.refresh_view()

    @Slot()
    def _on_refresh(self) -> None:
        self._run(self.session.reload_packages())

    @Slot()
    def _on_fill(self) -> None:
        self.form.fill(TEST_CANDIDATE)
        self.session.form_notice = None  # whatever it said was about the fields as they were
        self.refresh_view()
        self.form.start_button.setFocus()

    @Slot()
    def _on_start(self) -> None:
        try:
            answer = self.session.request_start(self.form.values())
        except CandidateRefused as refusal:
            self.form.show_problems(refusal.problems)
            self.session.form_notice = Notice("error", "Fix the fields marked; nothing was sent.")
            self.refresh_view()
            return
        except DemoRefusal as refusal:
            self.session.form_notice = Notice("error", str(refusal))
            self.refresh_view()
            return
        self.form.show_problems({})
        if isinstance(answer, StartPlan):
            self._confirm_billable(answer)
            self.refresh_view()
        elif answer is not None:
            self._steer_next_outcome()
            self._run([answer])

    def _confirm_billable(self, plan: StartPlan) -> None:
        self._pending_plan = plan
        ask_to_confirm(
            self,
            name="productionGuardDialog",
            title="Start a real, billable check?",
            text=rich(
                "<b>{}</b> is a <b>Production</b> account. This check is real and billed.",
                plan.account.label,
            ),
            detail=(
                f"Package: {plan.package.name}\n"
                f"Candidate email: {plan.candidate.email}\n\n"
                "Zinc will email this real person an invitation and bill the check to the "
                "customer. This cannot be undone from here."
            ),
            confirm_text="Start billable check",
            confirm_name="confirmBillableButton",
            on_answer=self._on_guard_answer,
        )

    @Slot(QObject)
    def _on_guard_answer(self, button: QObject) -> None:
        plan, self._pending_plan = self._pending_plan, None
        if plan is None:
            return
        if button.objectName() == "confirmBillableButton":
            call = self.session.confirm_start(plan)
            if call is not None:
                self._steer_next_outcome()
            self._run([call] if call is not None else [])
        else:
            self.session.cancel_confirmation()
            self.refresh_view()

    @Slot(str)
    def _on_cancel_check(self, check_id: str) -> None:
        account = self.session.account
        if account is None:
            return
        if not self.session.cancel_needs_confirmation():
            call = self.session.request_cancel(check_id)
            self._run([call] if call is not None else [])
            self.refresh_view()
            return
        self._pending_cancel = check_id
        ask_to_confirm(
            self,
            name="cancelCheckDialog",
            title="Cancel a Production check?",
            text=rich(
                "<b>{}</b> is a <b>Production</b> account: this check is a real candidate's.",
                account.label,
            ),
            detail=f"Check: {check_id}\n\nZinc stops the screening. This cannot be undone here.",
            confirm_text="Cancel the check",
            confirm_name="confirmCancelCheckButton",
            on_answer=self._on_cancel_answer,
            destructive=True,
        )

    @Slot(QObject)
    def _on_cancel_answer(self, button: QObject) -> None:
        check_id, self._pending_cancel = self._pending_cancel, None
        if check_id is None or button.objectName() != "confirmCancelCheckButton":
            return
        call = self.session.request_cancel(check_id, confirmed=True)
        self._run([call] if call is not None else [])
        self.refresh_view()

    @Slot(str)
    def _on_open_report(self, check_id: str) -> None:
        """The report link Zinc sent (http or https, checked in core) in the default browser."""
        tracked = self.session.check(check_id)
        link = tracked.report.report_url if tracked and tracked.report else None
        if link is not None:
            QDesktopServices.openUrl(QUrl(link))

    @Slot(str)
    def _on_check_selected(self, check_id: str) -> None:
        self.session.select_check(check_id)
        self._run(self.session.due_calls())

    @Slot(str)
    def _on_watch_toggled(self, check_id: str) -> None:
        if self.session.is_watching(check_id):
            self.session.stop_watching(check_id)
        else:
            self.session.watch_again(check_id)
        self._run(self.session.due_calls())

    @Slot(str)
    def _on_watch_requested(self, text: str) -> None:
        try:
            call = self.session.watch_elsewhere(text)
        except DemoRefusal as refusal:
            self.session.watch_notice = Notice("error", str(refusal))
            if refusal.clear_input:
                self.checks.watch_input.clear()
            self.refresh_view()
            return
        self.checks.watch_input.clear()
        self._run([call] if call is not None else [])

    def _summary(
        self, check_id: str, *, consultant: str = "", candidate_name: str = ""
    ) -> CheckSummary | None:
        """The summary of a check of the chosen account; InputRefused for a name that cannot
        be on it."""
        tracked = self.session.check(check_id)
        account = self.session.account
        if tracked is None or tracked.report is None or account is None:
            return None
        return CheckSummary(
            account.label,
            account.environment,
            tracked.record,
            tracked.report,
            now_local(),
            hints=self.session.key_hints(),
            consultant=consultant,
            candidate_name=candidate_name,
        )

    @Slot(str)
    def _on_export(self, check_id: str) -> None:
        """Export summary…: the names on the page, then where to save it, then Open / Show in
        folder."""
        summary = self._summary(check_id)
        if summary is None:
            return
        consultant = self._settings.value("export/consultant") if self._settings else None
        options = ExportOptions(
            consultant if isinstance(consultant, str) else "", self.session.key_hints(), self
        )
        if options.exec() != QDialog.DialogCode.Accepted:
            self.checks.export_button.setFocus()
            return
        if self._settings is not None:
            self._settings.setValue("export/consultant", options.consultant())
        folder = documents_folder() if self._presentation is not None else self._export_folder
        suggested = folder / suggested_file_name(summary)
        path, chosen_filter = self._ask_where(suggested)
        self.window().activateWindow()
        self.checks.export_button.setFocus()
        if path:
            self.export_chosen(
                check_id,
                Path(path),
                chosen_filter,
                consultant=options.consultant(),
                candidate_name=options.candidate_name(),
            )

    def _ask_where(self, suggested: Path) -> tuple[str, str]:
        """The Save dialog. While presenting it is Qt's own, with no recent files or places
        (the platform's lists other customers' exports), and what is chosen is not remembered."""
        filters = ";;".join(EXPORT_FILTERS)
        if self._presentation is None:
            return QFileDialog.getSaveFileName(
                self, "Export check summary", str(suggested), filters
            )
        dialog = QFileDialog(self, "Export check summary", str(suggested.parent), filters)
        dialog.setObjectName("presentingSaveDialog")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setHistory([])
        dialog.setSidebarUrls([QUrl.fromLocalFile(str(suggested.parent))])
        dialog.selectFile(suggested.name)
        if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
            return "", ""
        return dialog.selectedFiles()[0], dialog.selectedNameFilter()

    def export_chosen(
        self,
        check_id: str,
        chosen: Path,
        chosen_filter: str = "",
        *,
        consultant: str = "",
        candidate_name: str = "",
    ) -> None:
        """What the Save dialog returned: write exactly the file(s) it names. The dialog asked
        before replacing the file it returned; any other file this would replace (the second
        format, or the name with its suffix added) is named and confirmed first."""
        kind, both = EXPORT_FILTERS.get(chosen_filter, (None, False))
        targets = summary_targets(chosen, kind, both=both)
        folders = [t.path.name for t in targets if t.path.is_dir()]
        if folders:  # refused before anything is written: never half an export
            self.exported.emit(f"Not exported: {', '.join(folders)} is a folder; choose a name.")
            return
        # Replacing means whatever is there, a link pointing nowhere included.
        unasked = [t.path for t in targets if t.path != chosen and os.path.lexists(t.path)]
        self._export_names = (consultant, candidate_name)
        if not unasked:
            self.export_to(check_id, targets)
            return
        self._pending_export = (check_id, targets)
        ask_to_confirm(
            self,
            name="replaceExportDialog",
            title="Replace existing files?",
            text=rich("This export would replace <b>{}</b>.", ", ".join(p.name for p in unasked)),
            detail=(
                "Writing: " + ", ".join(str(t.path) for t in targets) + "\n\nReplace, or "
                "cancel and choose another name; nothing is written until you say."
            ),
            confirm_text="Replace",
            confirm_name="confirmReplaceButton",
            on_answer=self._on_replace_answer,
            destructive=True,
        )

    @Slot(QObject)
    def _on_replace_answer(self, button: QObject) -> None:
        pending, self._pending_export = self._pending_export, None
        if pending is None:
            return
        if button.objectName() == "confirmReplaceButton":
            self.export_to(*pending)
        else:
            self._export_names = ("", "")
            self.exported.emit("Not exported: nothing was replaced.")

    def export_to(self, check_id: str, targets: list[SummaryTarget]) -> list[Path] | None:
        """Write the summary of `check_id` to exactly these files (with the names given for
        this export, which are forgotten once it is written)."""
        names, self._export_names = self._export_names, ("", "")
        try:
            summary = self._summary(check_id, consultant=names[0], candidate_name=names[1])
        except InputRefused as refusal:
            self.exported.emit(f"Not exported: {refusal}")
            return None
        if summary is None:
            return None
        try:
            export_summary(summary, targets)
        except OSError as error:
            self.session.watch_notice = Notice("error", f"Not exported: {describe_error(error)}")
            self.refresh_view()
            return None
        paths = [target.path for target in targets]
        if self._presentation is None:  # a shared screen's folder is not remembered
            self._export_folder = paths[0].parent
            if self._settings is not None:
                self._settings.setValue("export/folder", str(paths[0].parent))
        self.exported.emit(f"Summary saved as {' and '.join(p.name for p in paths)}.")
        if self.isVisible():
            offer_to_open(self, paths)
        return paths
