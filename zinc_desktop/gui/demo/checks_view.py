"""The checks of the chosen account, newest first, and the selected one's journey and results."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from zinc_desktop.core.accounts.presenting import Presentation
from zinc_desktop.core.checks.heard import line
from zinc_desktop.core.checks.journey import JourneyStep, StepState, needs_review
from zinc_desktop.core.demo.session import Notice, TrackedCheck
from zinc_desktop.core.foundation.log_redaction import scrub_server_text
from zinc_desktop.core.foundation.time_text import (
    UNKNOWN,
    clock_time,
    elapsed_text,
    exact_time,
    local_time,
    now_local,
    parse_server_time,
    seconds_between,
    shown_time,
    zone_caption,
)
from zinc_desktop.gui.common import styles
from zinc_desktop.gui.common.naming import buddy_label, named
from zinc_desktop.gui.common.plain_text import live_label, tooltip
from zinc_desktop.gui.demo.journey_steps import JourneySteps

CHECK_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_STEP_MARKS = {StepState.DONE: "✓", StepState.CURRENT: "●", StepState.ATTENTION: "!",
               StepState.PENDING: "○"}  # fmt: skip


def step_time(step: JourneyStep) -> str:
    return shown_time(step.at)


def _step_clock(raw: str) -> str:
    moment = parse_server_time(raw)
    return clock_time(moment) if moment is not None else UNKNOWN


def raw_time_tip(raw: str) -> str:
    """For a time shown as unknown: what Zinc sent, scrubbed and short."""
    return f"Zinc sent this time as: {scrub_server_text(raw, limit=60)}"


def elapsed(tracked: TrackedCheck, now: datetime) -> str:
    """How long the check has been running (or took), from Zinc's own timeline if it has one."""
    report = tracked.report
    start = parse_server_time(report.updates[0].at) if report and report.updates else None
    start = start or tracked.record.started_at
    end = now
    if report is not None and report.status.is_final and report.updates:
        end = parse_server_time(report.updates[-1].at) or now
    verb = "Took" if report is not None and report.status.is_final else "Running for"
    seconds = seconds_between(start, end)
    return f"{verb} {elapsed_text(seconds) if seconds is not None else 'an unknown time'}"


def item_text(tracked: TrackedCheck, watching: bool) -> str:
    record = tracked.record
    parts = [tracked.status.label + (" · watching" if watching else "")]
    parts.append(record.package_name or "package not known")
    parts.append(f"started {local_time(record.started_at)}")
    if record.started_elsewhere:
        parts.append("started elsewhere")
    return " · ".join(parts)


class ChecksView(QGroupBox):
    """A view over the session's checks.

    Signals:
        checkSelected(str): the user selected a check (by id).
        watchToggled(str): stop watching the check, or watch it again.
        watchRequested(str): watch a check started elsewhere (the pasted id, as typed).
        exportRequested(str): export the check's summary.
        cancelRequested(str): cancel the check at Zinc.
        reportRequested(str): open the report link Zinc sent for the check.
    """

    checkSelected = Signal(str)
    watchToggled = Signal(str)
    watchRequested = Signal(str)
    exportRequested = Signal(str)
    cancelRequested = Signal(str)
    reportRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Checks", parent)
        self.setObjectName("checksGroup")
        self._shown: tuple[tuple[str, str], ...] = ()
        self._selected: str | None = None

        self.watch_input = named(QLineEdit(), "watchCheckInput", "Check id to watch")
        self.watch_input.setPlaceholderText("Paste the id of a check started elsewhere")
        self.watch_input.setMaxLength(200)
        self.watch_input.returnPressed.connect(self._on_watch)
        self.watch_button = named(QPushButton("&Watch"), "watchCheckButton", "Watch")
        self.watch_button.setAccessibleDescription("Watch the check whose id is in the field")
        self.watch_button.clicked.connect(self._on_watch)
        watch_label = buddy_label("Chec&k id", self.watch_input)

        self.list = named(QListWidget(), "checksList", "Checks, newest first")
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)  # the tooltip has it all
        # Selection, not the current item: Tab into an empty selection must not pick a check.
        self.list.itemSelectionChanged.connect(self._on_selection)
        self.empty = live_label("checksEmpty")
        self.empty.setWordWrap(True)
        self.notice = live_label("checksNotice", "Watching checks")
        self.notice.setWordWrap(True)
        self.notice.hide()

        self.steps = JourneySteps()
        self.steps.hide()
        # What Zinc's last webhook told the partner system, as a moment of the demo; and a
        # mark where the webhooks and the polls disagree. Plain text, said when it changes.
        self.moment = live_label("webhookMoment", "What Zinc told the partner system")
        self.moment.setWordWrap(True)
        emphasis = QFont()
        emphasis.setBold(True)
        self.moment.setFont(emphasis)
        self.moment.hide()
        self.timeline = named(QListWidget(), "checkTimeline", "The check's journey")
        # Reachable by Tab, read a step at a time with the arrows; nothing to select.
        self.timeline.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        # A list, not a rich-text label: a long report repaints only the rows on screen (a label
        # of 100 rich-text lines was laid out again on every repaint of the window).
        self.results = named(QListWidget(), "checkResults", "The check's results")
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setTextElideMode(Qt.TextElideMode.ElideRight)
        # Small minimums, so the window still fits 1024x640; the rows get what space there is.
        self.results.setMinimumHeight(self.fontMetrics().height() * 2 + 8)
        self.timeline.setMinimumHeight(self.fontMetrics().height() * 2 + 8)
        self.watch_toggle = named(QPushButton("Stop watchin&g"), "stopWatchingButton")
        self.watch_toggle.setAccessibleName("Stop watching")
        self.watch_toggle.clicked.connect(self._on_toggle)
        self.export_button = named(
            QPushButton("E&xport summary…"), "exportSummaryButton", "Export summary"
        )
        self.export_button.setToolTip(
            "Save the selected check as HTML and PDF: environment, package, journey and results; "
            "never a key or the candidate's contact details."
        )
        self.export_button.clicked.connect(self._on_export)
        self.cancel_button = named(
            QPushButton("Cancel chec&k at Zinc…"), "cancelCheckButton", "Cancel check at Zinc"
        )
        self.cancel_button.setToolTip(
            "Cancel the selected check at Zinc (a test check: on Production you are asked first)"
        )
        self.cancel_button.clicked.connect(self._on_cancel)
        self.report_button = named(
            QPushButton("Open &report in Zinc"), "openReportButton", "Open report in Zinc"
        )
        self.report_button.setToolTip(
            "Open the report link Zinc sent for the selected check (a Zinc login is needed)"
        )
        self.report_button.clicked.connect(self._on_report)
        self._can_cancel = False

        watch_row = QHBoxLayout()
        watch_row.addWidget(watch_label)
        watch_row.addWidget(self.watch_input, 1)
        watch_row.addWidget(self.watch_button)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.watch_toggle)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.report_button)
        buttons.addWidget(self.export_button)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        left.addWidget(self.empty)
        left.addWidget(self.notice)
        right = QVBoxLayout()
        right.addWidget(self.timeline, 1)
        right.addWidget(self.results, 1)
        # The large journey (presenting) spans both columns, above the list and the results.
        grid = QGridLayout(self)
        grid.addLayout(watch_row, 0, 0)
        grid.addLayout(buttons, 0, 1)
        grid.addWidget(self.moment, 1, 0, 1, 2)
        grid.addWidget(self.steps, 2, 0, 1, 2)
        grid.addLayout(left, 3, 0)
        grid.addLayout(right, 3, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setRowStretch(3, 1)
        self.presenting = False
        self._presentation: Presentation | None = None
        self._selected_shown: tuple[object, ...] = ()

    # --- rendering -----------------------------------------------------------------------------

    def show_checks(
        self,
        checks: list[TrackedCheck],
        watching: set[str],
        selected: str | None,
        notice: Notice | None,
        *,
        account_chosen: bool = True,
        can_cancel: bool = False,
    ) -> None:
        """`can_cancel`: whether Cancel is offered for the selected check (the session says)."""
        self._can_cancel = can_cancel
        self.watch_input.setEnabled(account_chosen)
        self.watch_button.setEnabled(account_chosen)
        self.empty.setText(
            "No checks yet for this account. Start one with the form above, or paste the id of "
            "a check the integration started."
            if account_chosen
            else "Checks appear here once an account is chosen."
        )
        rows = tuple(
            (t.record.id, self._masked(item_text(t, t.record.id in watching))) for t in checks
        )
        self.list.blockSignals(True)
        if tuple(r[0] for r in rows) != tuple(r[0] for r in self._shown):
            self.list.clear()
            for check_id, text in rows:
                item = QListWidgetItem(text)
                item.setData(CHECK_ID_ROLE, check_id)
                self.list.addItem(item)
        else:
            for index, (_check_id, text) in enumerate(rows):
                item = self.list.item(index)
                if item is not None and item.text() != text:
                    item.setText(text)
        for index, tracked in enumerate(checks):
            item = self.list.item(index)
            if item is not None:
                item.setToolTip(
                    tooltip(
                        self._masked(f"Check {tracked.record.id}")
                        + f"\nStarted {exact_time(tracked.record.started_at)}"
                    )
                )
            if item is not None and tracked.record.id == selected:
                self.list.setCurrentItem(item)
        if selected is None:
            self.list.setCurrentRow(-1)
        self.list.blockSignals(False)
        self._shown = rows
        self._selected = selected
        self.list.setVisible(bool(checks))
        self.empty.setVisible(not checks)
        self.notice.setVisible(notice is not None)
        if notice is not None:
            self.notice.setText(notice.text)
            styles.restyle(self.notice, styles.feedback_style(notice.kind, self.palette()))
        chosen = next((t for t in checks if t.record.id == selected), None)
        self._show_selected(chosen, selected in watching if selected else False)

    def _show_selected(self, tracked: TrackedCheck | None, watching: bool) -> None:
        self.export_button.setEnabled(tracked is not None and tracked.report is not None)
        self.cancel_button.setEnabled(self._can_cancel)
        report = tracked.report if tracked is not None else None
        self.report_button.setVisible(report is not None and report.report_url is not None)
        final = tracked is not None and tracked.status.is_final
        self.watch_toggle.setVisible(tracked is None or watching or not final)
        self.watch_toggle.setEnabled(tracked is not None and (watching or not final))
        toggle = "Stop watchin&g" if watching or tracked is None else "Watch a&gain"
        self.watch_toggle.setText(toggle)
        self.watch_toggle.setAccessibleName(toggle.replace("&", ""))
        view = tracked.view if tracked is not None else None
        shown = (
            tracked.record.id if tracked else None,
            view.fingerprint if view else None,
            self._presentation,
            tracked.heard if tracked else (),
        )
        if shown == self._selected_shown:
            return  # the same check, the same report: nothing to redraw (a poll without news)
        self._selected_shown = shown
        self.timeline.clear()
        self.results.clear()
        if tracked is None or view is None:
            if tracked is not None:
                self._add_result_line("Reading the check's journey from Zinc…")
            self.steps.show_steps([], "")
            return
        if view.earlier_steps:
            earlier = QListWidgetItem(f"…  {view.earlier_steps:,} earlier updates not shown")
            earlier.setForeground(QBrush(self.palette().placeholderText().color()))
            self.timeline.addItem(earlier)
        for step in view.steps:
            when = f"   {step_time(step)}" if step.at else ""
            item = QListWidgetItem(f"{_STEP_MARKS[step.state]}  {step.status.label}{when}")
            if step.at and step_time(step) == UNKNOWN:
                item.setToolTip(tooltip(self._masked(raw_time_tip(step.at))))
            if step.state is StepState.PENDING:
                item.setForeground(QBrush(self.palette().placeholderText().color()))
            elif step.state is StepState.ATTENTION:
                item.setForeground(QBrush(QColor(styles.accent("warning", self.palette()))))
            if step.state is StepState.CURRENT:
                font = QFont()
                font.setBold(True)
                item.setFont(font)
            self.timeline.addItem(item)
        self._add_heard(tracked)
        self.timeline.scrollToBottom()  # the newest step, where a journey is now
        self.show_elapsed(tracked, now_local())
        for result in view.results:
            review = needs_review(result.outcome)
            mark = "⚠" if review else "✓"
            outcome = self._masked(result.outcome or "no outcome given")
            item = QListWidgetItem(f"{mark}  {self._masked(result.name)}: {outcome}")
            colour = styles.accent("warning" if review else "ok", self.palette())
            item.setForeground(QBrush(QColor(colour)))
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{item.text()[3:]}" + (
                ", needs review" if review else ""
            ))  # fmt: skip
            self.results.addItem(item)
        if view.more_results:
            self._add_result_line(
                f"… and {view.more_results:,} more results not shown here "
                f"({view.to_review:,} of all need review)"
            )
        if not view.results:
            self._add_result_line("No results yet.")

    def _add_heard(self, tracked: TrackedCheck) -> None:
        """The webhooks Zinc sent about the check, under its polled journey, and a mark where
        the two disagree (heard.disagreement)."""
        if tracked.heard:
            header = QListWidgetItem("What Zinc told the partner system (webhooks):")
            header.setForeground(QBrush(self.palette().placeholderText().color()))
            self.timeline.addItem(header)
        for delivery in tracked.heard:
            clock = clock_time(delivery.received_at)
            item = QListWidgetItem(line(delivery, clock))
            colour = "ok" if delivery.signature == "valid" else "warning"
            if delivery.signature in ("valid", "invalid"):
                item.setForeground(QBrush(QColor(styles.accent(colour, self.palette()))))
            self.timeline.addItem(item)
        mark = tracked.disagreement
        if mark is not None:
            item = QListWidgetItem(f"⚠  {mark}")
            item.setForeground(QBrush(QColor(styles.accent("warning", self.palette()))))
            self.timeline.addItem(item)

    def show_moment(self, text: str) -> None:
        """A webhook arrived for the check on screen: said as a moment of the demo."""
        self.moment.setText(text)
        self.moment.show()

    def _add_result_line(self, text: str) -> None:
        item = QListWidgetItem(text)
        item.setForeground(QBrush(self.palette().placeholderText().color()))
        self.results.addItem(item)

    def results_text(self) -> str:
        """The results as listed, one per line (for tests and copying)."""
        return "\n".join(self.results.item(i).text() for i in range(self.results.count()))

    def show_elapsed(self, tracked: TrackedCheck | None, now: datetime) -> None:
        """Refresh the large step display's times (called every second while presenting)."""
        if tracked is None or tracked.view is None:
            return
        steps = [(s, _step_clock(s.at) if s.at else "") for s in tracked.view.milestones]
        took = elapsed(tracked, now)
        zone = f"times in {zone_caption(now)}"
        caption = f"{took} · {zone}"
        self.steps.show_steps(steps, caption, caption if tracked.status.is_final else zone)

    def _masked(self, text: str) -> str:
        """Server text as this screen may show it: while presenting, without addresses,
        contact details or key endings (the one rule in core)."""
        return self._presentation.text(text) if self._presentation is not None else text

    def set_presentation(self, presentation: Presentation | None) -> None:
        self._presentation = presentation
        self.presenting = presenting = presentation is not None
        self.steps.setVisible(presenting)
        self.timeline.setVisible(not presenting)

    def selected_id(self) -> str | None:
        return self._selected

    def focus_order(self) -> list[QWidget]:
        return [
            self.watch_input,
            self.watch_button,
            self.list,
            self.steps,  # presenting
            self.timeline,  # not presenting
            self.results,
            self.watch_toggle,
            self.cancel_button,
            self.report_button,
            self.export_button,
        ]

    # --- slots ---------------------------------------------------------------------------------

    @Slot()
    def _on_selection(self) -> None:
        items = self.list.selectedItems()
        value = items[0].data(CHECK_ID_ROLE) if items else None
        if isinstance(value, str):
            self.checkSelected.emit(value)

    @Slot()
    def _on_watch(self) -> None:
        self.watchRequested.emit(self.watch_input.text())

    @Slot()
    def _on_toggle(self) -> None:
        if self._selected is not None:
            self.watchToggled.emit(self._selected)

    @Slot()
    def _on_export(self) -> None:
        if self._selected is not None:
            self.exportRequested.emit(self._selected)

    @Slot()
    def _on_cancel(self) -> None:
        if self._selected is not None:
            self.cancelRequested.emit(self._selected)

    @Slot()
    def _on_report(self) -> None:
        if self._selected is not None:
            self.reportRequested.emit(self._selected)
