"""The Webhooks tab: the window's receiver switched on and off, each delivery Zinc sent with
its signature verdict and forward result, the detail of one, replays, a redacted export.

Starting and stopping the receiver, keyring reads and writes (signing tokens), replays and the
export run on the window's TaskRunner; deliveries come from the receiver's threads through a
HubRelay. Nothing of a payload or a token is logged or written, except the export asked for.
"""

from __future__ import annotations

import errno
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QModelIndex,
    QObject,
    QSettings,
    QSignalBlocker,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from zinc_desktop.core.accounts.demo_choice import default_account
from zinc_desktop.core.accounts.linking import LinkService
from zinc_desktop.core.accounts.model import Account
from zinc_desktop.core.accounts.presenting import Presentation
from zinc_desktop.core.accounts.webhook_tokens import clear_webhook_token, set_webhook_token
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.core.foundation.errors import InputRefused
from zinc_desktop.core.webhooks.deliveries import DELIVERIES, MAX_DELIVERIES, Delivery
from zinc_desktop.core.webhooks.delivery_export import ExportFormat, format_for, write_export
from zinc_desktop.core.webhooks.delivery_text import (
    Masker,
    detail_text,
    editable_body,
    signature_text,
)
from zinc_desktop.core.webhooks.signing import Signature, resign
from zinc_desktop.core.webhooks.station import WebhookStation
from zinc_desktop.gui.common.announce import Announcer
from zinc_desktop.gui.common.error_text import describe_error
from zinc_desktop.gui.common.event_relay import HubRelay
from zinc_desktop.gui.common.focus_chain import chain_tab_order
from zinc_desktop.gui.common.focus_style import RingedTableView
from zinc_desktop.gui.common.folders import documents_folder
from zinc_desktop.gui.common.naming import named
from zinc_desktop.gui.common.plain_text import plain_label
from zinc_desktop.gui.common.task_runner import TaskOutcome, TaskRunner
from zinc_desktop.gui.webhooks.deliveries_model import (
    DeliveriesFilter,
    DeliveriesTableModel,
    DeliveryColumn,
)
from zinc_desktop.gui.webhooks.receiver_form import HEADING, ReceiverForm
from zinc_desktop.gui.webhooks.replay_dialog import ReplayDialog

EXPORT_FILTERS = {
    "JSON (*.json)": ExportFormat.JSON,
    "Web page (*.html *.htm)": ExportFormat.HTML,
}
_SCHEME_WORDS = {
    "token": "the token as the value",
    "bearer": "Bearer and the token",
    "hmac-sha256-hex": "an HMAC-SHA256 of the body, hex",
    "hmac-sha256-base64": "an HMAC-SHA256 of the body, base64",
}


INTAKE_MS = 150  # how often deliveries are taken in; one repaint per batch


class _Token:
    """A signing token on its way from a worker to the GUI: its repr never shows it."""

    def __init__(self, value: str | None) -> None:
        self.value = value

    def __repr__(self) -> str:
        return "<signing token>" if self.value else "<no signing token>"


# --- work for the pool (never on the GUI thread: sockets, the keyring, files) ----------------


def _start(station: WebhookStation, port: int, cancel: threading.Event) -> str:
    return station.start(port)


def _stop(station: WebhookStation, cancel: threading.Event) -> None:
    station.stop()


def _read_token(station: WebhookStation, account_id: str, cancel: threading.Event) -> _Token:
    return _Token(station.token(account_id))


def _set_token(links: LinkService, account_id: str, pasted: str, cancel: threading.Event) -> None:
    set_webhook_token(links, account_id, pasted)


def _clear_token(links: LinkService, account_id: str, cancel: threading.Event) -> bool:
    return clear_webhook_token(links, account_id)


def _replay(station: WebhookStation, number: int, cancel: threading.Event) -> Delivery | None:
    return station.replay(number)


def _replay_edited(
    station: WebhookStation, original: Delivery, body: bytes, cancel: threading.Event
) -> Delivery | None:
    """The edited body, signed again as the original was when its signature was valid (so
    the handler's check passes), its Content-Length told the new size."""
    headers = list(original.headers)
    if original.verdict.signature is Signature.VALID:
        token = station.token(original.account_id)
        if token:
            headers = resign(headers, body, token, original.verdict)
    headers = [
        (name, str(len(body)) if name.lower() == "content-length" else value)
        for name, value in headers
    ]
    return station.replay(original.number, headers=headers, body=body)


@dataclass(frozen=True)
class _ExportJob:
    path: Path
    deliveries: list[Delivery]
    account_ids: set[str]  # whose tokens to read (and take out) first
    known: list[str | None]  # tokens read already
    export_format: ExportFormat


def _export(station: WebhookStation, job: _ExportJob, cancel: threading.Event) -> Path:
    tokens = [*job.known, *(station.token(account_id) for account_id in job.account_ids)]
    write_export(job.path, job.deliveries, tokens, job.export_format)
    return job.path


class WebhooksPage(QWidget):
    """The Webhooks tab.

    Signals:
        message(str): something for the status bar (an export, a copy, a replay sent).
    """

    message = Signal(str)

    def __init__(
        self,
        station: WebhookStation,
        links: LinkService,
        runner: TaskRunner,
        *,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("webhooksPanel")
        self._station = station
        self._links = links
        self._runner = runner
        self._settings = settings  # the port, the two URLs and the account: never a secret
        self._accounts: list[Account] = []
        self._presentation: Presentation | None = None
        remembered = settings.value("webhooks/account") if settings is not None else None
        self._remembered: str | None = remembered if isinstance(remembered, str) else None
        self._chosen: str | None = None
        # Signing tokens read for hiding them (None: the account has none); in memory only.
        self._tokens: dict[str, str | None] = {}
        self._reading: set[str] = set()
        self._switching = False
        self._listen_problem = ""  # why the receiver could not start, beside the port
        self._token_busy = False
        self._closed = False
        self._say = Announcer(self)
        self.announced = self._say.said  # the last things told a screen reader
        self.model = DeliveriesTableModel(self)
        self.proxy = DeliveriesFilter(self.model, self)
        self._build()
        self.relay: HubRelay[Delivery] = HubRelay(station.events, DELIVERIES, self)
        # Taken at most every INTAKE_MS: a flood arrives in bursts every few milliseconds, and
        # each batch taken repaints the table once.
        self._intake = QTimer(self)
        self._intake.setSingleShot(True)
        self._intake.setInterval(INTAKE_MS)
        self._intake.timeout.connect(self._on_deliveries)
        self.relay.arrived.connect(self._take_soon)
        self.model.add_many(station.ring.all())  # what came before the page was opened
        self._restore_settings()
        self._show_receiver()
        self._refresh_masking()
        self._show_detail()

    # --- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.form = ReceiverForm()
        self.form.switch.toggled.connect(self._on_switch)
        self.form.copy_button.clicked.connect(self._copy_url)
        self.form.public_input.editingFinished.connect(self._on_public_url)
        self.form.forward_input.editingFinished.connect(self._on_forward_url)
        self.form.accountChosen.connect(self._on_account_chosen)
        self.form.set_token_button.clicked.connect(self._on_set_token)
        self.form.token_input.returnPressed.connect(self._on_set_token)
        self.form.clear_token_button.clicked.connect(self._on_clear_token)
        self.form.port.valueChanged.connect(self._remember_port)

        self.table = named(RingedTableView(), "deliveriesTable", "Webhook deliveries, newest first")
        self.table.setModel(self.proxy)
        self.table.installEventFilter(self)  # arriving by Tab: the newest delivery, selected
        self.table.setTabKeyNavigation(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        named(self.table.verticalHeader(), "deliveriesRows", "Rows").hide()
        named(self.table.horizontalHeader(), "deliveriesColumns", "Columns")
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # ids differ at both ends
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        # Widths from the widest text each column can hold, once: a column sized to its
        # contents measured every row again at each arrival (a flood of 1,000 kept the GUI
        # thread busy 40-60 ms in every 50).
        metrics = self.table.fontMetrics()
        pad = 2 * self.table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 16
        for column, widest in (
            # What a delivery usually shows; a longer value elides, its tooltip whole.
            (DeliveryColumn.NUMBER, "9999"),
            (DeliveryColumn.TIME, "00:00:00"),
            (DeliveryColumn.SIGNATURE, "valid (HMAC hex)"),
            (DeliveryColumn.SIZE, "99,999 bytes"),
        ):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, metrics.horizontalAdvance(widest) + pad)
        for column, width in ((DeliveryColumn.CHECK, 104), (DeliveryColumn.STATUS, 86)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.model.dataChanged.connect(self._on_rows_changed)
        self.model.modelReset.connect(self._show_detail)
        self.model.rowsRemoved.connect(self._show_detail)
        self.count_label = plain_label(named(QLabel(), "deliveriesCount"))

        self.detail = named(QPlainTextEdit(), "deliveryDetail", "Delivery details")
        self.detail.setReadOnly(True)
        # A caret the arrows move, so a screen reader reads it a line at a time (read-only
        # text otherwise only scrolls).
        self.detail.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard
            | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.detail.setTabChangesFocus(True)
        self.detail.setPlaceholderText("Choose a delivery to see its headers and body.")
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.detail.setFont(mono)

        self.replay_button = named(QPushButton("Re&play"), "replayButton", "Replay")
        self.replay_button.setToolTip("Send the chosen delivery again, as it was, to Forward to")
        self.replay_button.clicked.connect(self._on_replay)
        self.edit_button = named(
            QPushButton("Edit a&nd replay…"), "editReplayButton", "Edit and replay"
        )
        self.edit_button.setToolTip(
            "Change the body, sign it again with the account's token, send it to Forward to"
        )
        self.edit_button.clicked.connect(self._on_edit)
        self.export_button = named(QPushButton("E&xport…"), "exportDeliveriesButton")
        self.export_button.setAccessibleName("Export deliveries")
        self.export_button.setToolTip(
            "Save the deliveries as JSON or a web page, without tokens, keys or candidates' details"
        )
        self.export_button.clicked.connect(self._on_export)
        self.clear_button = named(QPushButton("Clear l&ist"), "clearDeliveriesButton")
        self.clear_button.setAccessibleName("Clear the list")
        self.clear_button.setToolTip("Forget every delivery kept in memory")
        self.clear_button.clicked.connect(self._clear)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        below_table = QHBoxLayout()
        below_table.addWidget(self.count_label, 1)
        below_table.addWidget(self.export_button)
        below_table.addWidget(self.clear_button)
        left_layout.addLayout(below_table)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.detail, 1)
        below_detail = QHBoxLayout()
        below_detail.addStretch(1)
        below_detail.addWidget(self.replay_button)
        below_detail.addWidget(self.edit_button)
        right_layout.addLayout(below_detail)
        splitter = named(QSplitter(Qt.Orientation.Horizontal), "deliveriesSplitter")
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([600, 400])

        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(splitter, 1)
        chain_tab_order(self.focus_order())

    def focus_order(self) -> list[QWidget]:
        return [
            *self.form.focus_order(),
            self.table,
            self.detail,
            self.replay_button,
            self.edit_button,
            self.export_button,
            self.clear_button,
        ]

    # --- the window's interface --------------------------------------------------------------

    def set_accounts(self, accounts: Iterable[Account]) -> None:
        """The linked accounts changed (or were loaded)."""
        self._accounts = list(accounts)
        linked = {account.id for account in self._accounts}
        for gone in set(self._tokens) - linked:
            del self._tokens[gone]
        if self._presentation is None:
            chosen = self._chosen
            if chosen is None or chosen not in linked:
                chosen = self._default_choice()
            self._choose(chosen)
        self._show_accounts()
        self._show_detail()

    def set_presentation(self, presentation: Presentation | None) -> None:
        """Presenting one customer: only their deliveries and their account, no address."""
        self._presentation = presentation
        self.form.set_presenting(presentation is not None)
        self.export_button.setEnabled(presentation is None)
        self.proxy.show_only(
            presentation.account_id if presentation else None, presenting=presentation is not None
        )
        if presentation is not None:
            self._choose(presentation.account_id, remember=False)
        else:
            linked = {account.id for account in self._accounts}
            self._choose(
                self._remembered if self._remembered in linked else self._default_choice(),
                remember=False,
            )
        self._show_accounts()
        self._show_receiver()
        self._refresh_masking()
        self._show_detail()
        focused = QApplication.focusWidget()
        if presentation is not None and focused is not None and self.isAncestorOf(focused):
            # Controls went away under the focus; Qt would hand it to the next button, which
            # may be Clear the list: the deliveries are where a presenter's eyes are.
            self.table.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.table
            and event.type() == QEvent.Type.FocusIn
            and not self.table.selectionModel().hasSelection()
            and self.proxy.rowCount() > 0
        ):
            self.table.selectRow(0)
        return super().eventFilter(watched, event)

    def stop(self) -> None:
        """The window is closing: stop hearing deliveries and stop the receiver."""
        self._closed = True
        self._intake.stop()
        self.relay.close()
        self._station.stop()

    def selected(self) -> Delivery | None:
        rows = self.table.selectionModel().selectedRows()
        return self.proxy.delivery(rows[0].row()) if rows else None

    def select_number(self, number: int) -> bool:
        """Select the delivery with this number (as a click on its row would)."""
        row = self.model.row_of(number)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.table.selectRow(index.row())
        return True

    # --- the receiver ------------------------------------------------------------------------

    @Slot(bool)
    def _on_switch(self, on: bool) -> None:
        self._reconcile()

    def _reconcile(self) -> None:
        """One start or stop at a time, until the receiver is as the switch says."""
        if self._switching or self._closed:
            return
        wanted = self.form.switch.isChecked()
        if wanted:
            self._listen_problem = ""
        if wanted == self._station.running:
            self._show_receiver()
            return
        self._switching = True
        if wanted:
            port = self.form.port.value()
            self.form.show_status("Starting…")
            self._runner.submit(
                partial(_start, self._station, port), self._on_started, kind="webhooks-start",
                context=port,
            )  # fmt: skip
        else:
            self.form.show_status("Stopping…")
            self._runner.submit(partial(_stop, self._station), self._on_stopped,
                                kind="webhooks-stop")  # fmt: skip

    @Slot(object)
    def _on_started(self, outcome: TaskOutcome[str]) -> None:
        self._switching = False
        if self._closed:
            return
        if outcome.error is not None:
            problem = _listen_problem(outcome.context, outcome.error)
            self._listen_problem = problem
            with QSignalBlocker(self.form.switch):
                self.form.switch.setChecked(False)
            self._show_receiver()
            self._say(problem, self.form.status)
            return
        if self._loops_back(self._station.settings.forward_to):
            self._station.set_forward_to(None)
            self.form.show_problem(self.form.forward_problem, _LOOP_PROBLEM)
        self._show_receiver()
        url = self._station.local_url or ""
        self._say(
            "Receiving webhooks." if self._presentation is not None
            else f"Receiving webhooks at {url}",
            self.form.status,
        )  # fmt: skip
        self._reconcile()

    @Slot(object)
    def _on_stopped(self, outcome: TaskOutcome[None]) -> None:
        self._switching = False
        if self._closed:
            return
        self._show_receiver()
        self._say("Stopped receiving webhooks.", self.form.status)
        self._reconcile()

    def _show_receiver(self) -> None:
        running = self._station.running
        self.form.set_running(running)
        if self._switching:
            return
        url = self._station.local_url
        if running and url:
            shown = "Receiving" if self._presentation is not None else f"Receiving at {url}"
            self.form.show_status(shown, "ok")
        elif self._listen_problem:  # why it could not start stays until the next try
            self.form.show_status(self._listen_problem, "error")
        else:
            self.form.show_status("Off: nothing is listening.")

    @Slot()
    def _copy_url(self) -> None:
        url = self._station.local_url
        if url is None:
            self._tell("Nothing to copy: the receiver is off.")
            return
        QGuiApplication.clipboard().setText(url)
        self._tell("Copied the receiver's local URL.")

    def _loops_back(self, url: str | None) -> bool:
        """Whether `url` is this receiver itself: forwarding there would never end."""
        return self._station.loops_back(url)

    @Slot()
    def _on_public_url(self) -> None:
        text = self.form.public_input.text().strip()
        unchanged = text == (self._station.public_url or "")
        if self._apply_public_url(text) and not unchanged:
            self._say(
                "Checks started now carry the public URL." if text
                else "No public URL: checks started now carry the local URL.",
                self.form.public_input,
            )  # fmt: skip

    def _apply_public_url(self, text: str) -> bool:
        try:
            self._station.set_public_url(text or None)
        except InputRefused as refusal:
            self.form.show_problem(self.form.public_problem, str(refusal))
            return False
        self.form.show_problem(self.form.public_problem, "")
        self._remember("webhooks/public_url", text)
        return True

    @Slot()
    def _on_forward_url(self) -> None:
        text = self.form.forward_input.text().strip()
        unchanged = text == (self._station.settings.forward_to or "")
        applied = self._apply_forward_url(text)
        self._show_detail()  # Replay is offered only with somewhere to send to
        if applied and not unchanged:
            self._say(
                "Each delivery is forwarded there, byte for byte; replays go there too." if text
                else "Deliveries are not forwarded.",
                self.form.forward_input,
            )  # fmt: skip

    def _apply_forward_url(self, text: str) -> bool:
        if self._loops_back(text):
            self.form.show_problem(self.form.forward_problem, _LOOP_PROBLEM)
            return False
        try:
            self._station.set_forward_to(text or None)
        except InputRefused as refusal:
            self.form.show_problem(self.form.forward_problem, str(refusal))
            return False
        self.form.show_problem(self.form.forward_problem, "")
        self._remember("webhooks/forward_to", text)
        return True

    # --- whose token verifies ----------------------------------------------------------------

    def _default_choice(self) -> str | None:
        linked = {account.id for account in self._accounts}
        if self._remembered == "":
            return None  # "no account" was chosen
        if self._remembered in linked:
            return self._remembered
        fallback = default_account(self._accounts, None)
        return fallback.id if fallback is not None else None

    def _choose(self, account_id: str | None, *, remember: bool = True) -> None:
        if remember and account_id != self._chosen and self._presentation is None:
            self._remembered = account_id or ""
        self._chosen = account_id
        self._station.set_account(account_id)
        if account_id is not None and account_id not in self._tokens:
            self._read(account_id)
        self._show_token_state()

    @Slot(object)
    def _on_account_chosen(self, account_id: object) -> None:
        chosen = account_id if isinstance(account_id, str) else None
        if self._presentation is not None:
            return
        self._choose(chosen)
        if self._settings is not None:
            self._remember("webhooks/account", chosen or "")

    def _show_accounts(self) -> None:
        presentation = self._presentation
        if presentation is not None:
            entries: list[tuple[str, str | None]] = [
                (presentation.text(presentation.account.label), presentation.account_id)
            ]
        else:
            entries = [("No account: signatures not checked", None)]
            for environment in (Environment.STAGING, Environment.PRODUCTION):
                group = sorted(
                    (a for a in self._accounts if a.environment is environment),
                    key=lambda a: (a.label.casefold(), a.id),
                )
                if group:  # a heading, which cannot be chosen
                    heading = "Production — LIVE" if environment.is_billable else "Staging"
                    entries.append((heading, HEADING))
                    entries += [(a.label, a.id) for a in group]
        self.form.show_accounts(entries, self._chosen)
        self.form.account.setEnabled(presentation is None)

    def _label_of(self, account_id: str | None) -> str | None:
        account = next((a for a in self._accounts if a.id == account_id), None)
        if account is None:
            return None
        if self._presentation is not None:
            return self._presentation.text(account.label)
        return account.label

    def _show_token_state(self) -> None:
        chosen = self._chosen
        form = self.form
        busy = self._token_busy
        form.set_token_button.setEnabled(chosen is not None and not busy)
        form.clear_token_button.setEnabled(chosen is not None and not busy)
        form.token_input.setEnabled(chosen is not None)
        if chosen is None:
            form.show_token_state(
                "No account chosen: deliveries are not checked (no token)." if self._accounts
                else "Link an account on the Accounts tab to check signatures.",
            )  # fmt: skip
            return
        label = self._label_of(chosen) or "this account"
        if chosen not in self._tokens:
            form.show_token_state(f"Reading whether “{label}” has a signing token…")
        elif self._tokens[chosen]:
            form.show_token_state(
                f"A signing token is set for “{label}”: deliveries are checked against it.", "ok"
            )
        else:
            form.show_token_state(
                f"No signing token is set for “{label}”: deliveries show no token. Paste the "
                "token Zinc sent and press Set.",
                "warning",
            )

    # --- signing tokens (the keyring: on the pool) -------------------------------------------

    def _read(self, account_id: str) -> None:
        if account_id in self._reading or self._closed:
            return
        self._reading.add(account_id)
        self._runner.submit(
            partial(_read_token, self._station, account_id), self._on_token_read,
            kind="webhooks-read-token", context=account_id,
        )  # fmt: skip

    @Slot(object)
    def _on_token_read(self, outcome: TaskOutcome[_Token]) -> None:
        account_id: str = outcome.context
        self._reading.discard(account_id)
        if self._closed:
            return
        # Unreadable counts as none: the receiver could not check with it either.
        self._tokens[account_id] = outcome.result.value if outcome.result is not None else None
        self._refresh_masking()
        self._show_token_state()
        self._show_detail()

    @Slot()
    def _on_set_token(self) -> None:
        account_id = self._chosen
        pasted = self.form.token_input.text()
        if account_id is None or self._token_busy:
            return
        if not pasted.strip():
            self.form.show_token_state("Paste the signing token first, then press Set.", "error")
            self._say("Paste the signing token first, then press Set.", self.form.token_input)
            return
        self._token_busy = True
        self._show_token_state()
        self._runner.submit(
            partial(_set_token, self._links, account_id, pasted), self._on_token_changed,
            kind="webhooks-set-token", context=(account_id, "set"),
        )  # fmt: skip

    @Slot()
    def _on_clear_token(self) -> None:
        account_id = self._chosen
        if account_id is None or self._token_busy:
            return
        self._token_busy = True
        self._show_token_state()
        self._runner.submit(
            partial(_clear_token, self._links, account_id), self._on_token_changed,
            kind="webhooks-clear-token", context=(account_id, "clear"),
        )  # fmt: skip

    @Slot(object)
    def _on_token_changed(self, outcome: TaskOutcome[object]) -> None:
        account_id, action = outcome.context
        self._token_busy = False
        if self._closed:
            return
        label = self._label_of(account_id) or "the account"
        if outcome.error is not None:
            problem = f"The signing token was not {'kept' if action == 'set' else 'removed'}: "
            problem += describe_error(outcome.error)
            self._show_token_state()
            self.form.show_token_state(problem, "error")
            self._say(problem, self.form.token_state)
            return
        self._station.forget_token(account_id)
        if action == "set":
            self.form.token_input.clear()
            said = f"The signing token of “{label}” is set."
        elif outcome.result:
            said = f"The signing token of “{label}” was removed."
        else:
            said = f"“{label}” had no signing token; nothing changed."
        # The old token stays hidden too (a delivery may still carry it) until re-read.
        self._tokens.pop(account_id, None)
        self._read(account_id)
        self._show_token_state()
        self._say(said, self.form.token_state)
        if self.isVisible():  # Set and Clear were off while busy: focus is where it was
            self.form.token_input.setFocus()

    def _known_tokens(self) -> list[str | None]:
        return list(self._tokens.values())

    def _masker(self) -> Masker:
        return Masker(self._known_tokens(), self._presentation)

    def _ready(self, account_id: str | None) -> bool:
        return account_id is None or account_id in self._tokens

    def _refresh_masking(self) -> None:
        self.model.set_masking(self._masker(), self._ready)

    # --- deliveries --------------------------------------------------------------------------

    @Slot()
    def _take_soon(self) -> None:
        if not self._closed and not self._intake.isActive():
            self._intake.start()

    def _on_deliveries(self) -> None:
        arrived = self.relay.take()
        if not arrived or self._closed:
            return
        forwarding = self._station.settings.forward_to is not None
        new = list({d.number: d for d in arrived if not self.model.holds(d.number)}.values())
        waiting = [
            d.number for d in new
            if d.forward is None and d.body is not None and (forwarding or d.replay_of)
        ]  # fmt: skip
        self.model.add_many(arrived, waiting=waiting)
        for account_id in {d.account_id for d in arrived if d.account_id is not None}:
            if account_id not in self._tokens:
                self._read(account_id)
        self._show_count()
        shown = {d.number: d for d in new if self._shows(d)}
        if shown and self.isVisible():
            if len(shown) == 1:
                (only,) = shown.values()
                row = self.model.row_of(only.number)
                status = (
                    self.model.data(self.model.index(row, DeliveryColumn.STATUS))
                    if row is not None
                    else "—"
                )
                verdict = only.verdict.signature.value.replace("-", " ")
                self._say(f"Delivery {only.number}: {status}, signature {verdict}.")
            else:
                self._say(f"{len(shown)} deliveries received.")

    def _shows(self, delivery: Delivery) -> bool:
        return self._presentation is None or delivery.account_id == self._presentation.account_id

    def _show_count(self) -> None:
        total = self.proxy.rowCount()
        if total == 0:
            text = "No deliveries yet."
        elif total == 1:
            text = "1 delivery"
        else:
            text = f"{total:,} deliveries"
        if self.model.rowCount() >= MAX_DELIVERIES:
            text += f" (the last {MAX_DELIVERIES:,} are kept)"
        self.count_label.setText(text)

    @Slot(QItemSelection, QItemSelection)
    def _on_selection(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        self._show_detail()

    @Slot(QModelIndex, QModelIndex)
    def _on_rows_changed(self, first: QModelIndex, last: QModelIndex) -> None:
        delivery = self.selected()
        if delivery is not None:
            row = self.model.row_of(delivery.number)
            if row is not None and first.row() <= row <= last.row():
                self._show_detail()

    @Slot()
    def _show_detail(self) -> None:
        self._show_count()
        delivery = self.selected()
        replayable = (
            delivery is not None
            and delivery.body is not None
            and self._station.settings.forward_to is not None
        )
        self.replay_button.setEnabled(replayable)
        why = (
            "" if self._station.settings.forward_to is not None
            else " Set Forward to first: replays go there."
        )  # fmt: skip
        self.replay_button.setToolTip(f"Send the selected delivery again, as it was.{why}")
        self.edit_button.setToolTip(f"Edit the body, sign it again, and send it.{why}")
        self.edit_button.setEnabled(replayable and self._presentation is None)
        if delivery is None:
            text = ""
        elif not self._ready(delivery.account_id):
            assert delivery.account_id is not None
            self._read(delivery.account_id)
            text = "Reading the account's signing token, to hide it wherever it appears…"
        else:
            text = detail_text(
                delivery, self._masker(), account=self._label_of(delivery.account_id),
                waiting=self.model.waiting(delivery.number),
            )  # fmt: skip
        if self.detail.toPlainText() != text:  # unchanged: the reader keeps their place
            self.detail.setPlainText(text)

    @Slot()
    def _clear(self) -> None:
        self.model.clear()
        self._station.ring.clear()
        self._say("The list of deliveries is cleared.")

    # --- replays -----------------------------------------------------------------------------

    def _replay_refusal(self, delivery: Delivery | None) -> str | None:
        if delivery is None:
            return "choose a delivery first."
        if delivery.body is None:
            return f"delivery {delivery.number} was refused, so there is nothing to send."
        if not self._station.running:
            return "the receiver is off: switch on Receive webhooks first."
        if not self._station.settings.forward_to:
            return (
                "replays go to the Forward to address, and none is set: give the integration's "
                "address there first."
            )
        return None

    @Slot()
    def _on_replay(self) -> None:
        delivery = self.selected()
        refusal = self._replay_refusal(delivery)
        if refusal is not None or delivery is None:
            self._tell(f"Nothing was replayed: {refusal}")
            return
        self._runner.submit(
            partial(_replay, self._station, delivery.number), self._on_replayed,
            kind="webhooks-replay", context=delivery.number,
        )  # fmt: skip

    @Slot()
    def _on_edit(self) -> None:
        delivery = self.selected()
        refusal = self._replay_refusal(delivery)
        if refusal is not None or delivery is None or delivery.body is None:
            self._tell(f"Nothing was replayed: {refusal}")
            return
        if self._presentation is not None:
            self._tell("Edit and replay is off while presenting: the body names a candidate.")
            return
        if not self._ready(delivery.account_id):
            self._tell("One moment: the account's signing token is being read, to hide it.")
            return
        editable = editable_body(delivery.body, self._known_tokens())
        if editable.text is None:
            self._tell(
                f"Delivery {delivery.number}'s body is not UTF-8 text: it can be replayed as "
                "it was, not edited."
            )
            return
        dialog = ReplayDialog(delivery, editable, self._signing_note(delivery), self)
        dialog.finished.connect(self._on_edit_finished)
        dialog.open()

    def _signing_note(self, delivery: Delivery) -> str:
        verdict = delivery.verdict
        if verdict.signature is Signature.VALID:
            label = self._label_of(delivery.account_id) or "its account"
            how = _SCHEME_WORDS.get(verdict.scheme, verdict.scheme)
            return (
                f"Signed again with the signing token of “{label}” as the original was "
                f"({verdict.header}: {how}), so the handler's signature check passes."
            )
        return (
            f"The original's signature was {signature_text(delivery)}, so it is not signed "
            "again: the edit goes with the original's headers, and a handler that checks the "
            "signature will refuse it."
        )

    @Slot(int)
    def _on_edit_finished(self, result: int) -> None:
        dialog = self.sender()
        if not isinstance(dialog, ReplayDialog):
            return
        dialog.deleteLater()
        self.edit_button.setFocus()
        if result != QDialog.DialogCode.Accepted or self._closed:
            return
        original = dialog.delivery
        refusal = self._replay_refusal(original)
        if refusal is not None:
            self._tell(f"Nothing was replayed: {refusal}")
            return
        self._runner.submit(
            partial(_replay_edited, self._station, original, dialog.body()), self._on_replayed,
            kind="webhooks-replay-edited", context=original.number,
        )  # fmt: skip

    @Slot(object)
    def _on_replayed(self, outcome: TaskOutcome[Delivery | None]) -> None:
        number: int = outcome.context
        if self._closed:
            return
        if outcome.error is not None:
            self._tell(f"Nothing was replayed: {describe_error(outcome.error)}")
        elif outcome.result is None:
            self._tell(
                f"Nothing was replayed: delivery {number} is no longer kept, or the receiver "
                "or the forward address changed meanwhile."
            )
        else:
            self._tell(
                f"Delivery {number} replayed as delivery {outcome.result.number}; the "
                "handler's answer shows in the Forwarded column."
            )

    # --- export ------------------------------------------------------------------------------

    @Slot()
    def _on_export(self) -> None:
        if self._presentation is not None:
            return
        if not self.model.rowCount():
            self._tell("Nothing to export: no deliveries yet.")
            return
        stamp = datetime.now().astimezone().strftime("%Y-%m-%d")
        suggested = documents_folder() / f"zinc-webhooks-{stamp}.json"
        chosen, chosen_filter = QFileDialog.getSaveFileName(
            self, "Export deliveries (redacted)", str(suggested), ";;".join(EXPORT_FILTERS)
        )
        self.window().activateWindow()
        self.export_button.setFocus()
        if chosen:
            self.export_to(Path(chosen), EXPORT_FILTERS.get(chosen_filter))

    def export_to(self, path: Path, export_format: ExportFormat | None = None) -> None:
        """Write the deliveries, redacted, to exactly `path` (on the pool: each account's
        token is read first, to be taken out)."""
        if self._presentation is not None:
            return
        deliveries = self.model.deliveries()
        accounts = self.model.account_ids() | ({self._chosen} if self._chosen else set())
        job = _ExportJob(
            path, deliveries, accounts, self._known_tokens(), format_for(path, export_format)
        )
        self._runner.submit(
            partial(_export, self._station, job), self._on_exported, kind="webhooks-export",
            context=len(deliveries),
        )  # fmt: skip

    @Slot(object)
    def _on_exported(self, outcome: TaskOutcome[Path]) -> None:
        if outcome.error is not None or outcome.result is None:
            self._tell(f"Not exported: {describe_error(outcome.error)}")
            return
        count: int = outcome.context
        what = "1 delivery" if count == 1 else f"{count:,} deliveries"
        self._tell(f"Exported {what}, redacted, to {outcome.result}.")

    # --- saying and remembering --------------------------------------------------------------

    def _tell(self, text: str) -> None:
        """For the status bar (which says it to a screen reader too)."""
        self.message.emit(text)

    def _remember(self, key: str, value: str) -> None:
        if self._settings is not None and self._settings.value(key) != value:
            self._settings.setValue(key, value)

    @Slot(int)
    def _remember_port(self, port: int) -> None:
        self._remember("webhooks/port", str(port))

    def _restore_settings(self) -> None:
        settings = self._settings
        station = self._station
        port = settings.value("webhooks/port") if settings is not None else None
        if isinstance(port, str) and port.isdigit() and int(port) <= 65535:
            with QSignalBlocker(self.form.port):
                self.form.port.setValue(int(port))
        for key, field, current in (
            ("webhooks/public_url", self.form.public_input, station.public_url),
            ("webhooks/forward_to", self.form.forward_input, station.settings.forward_to),
        ):
            remembered = settings.value(key) if settings is not None else None
            field.setText(current or (remembered if isinstance(remembered, str) else ""))
        if station.public_url is None and self.form.public_input.text():
            self._apply_public_url(self.form.public_input.text().strip())
        if station.settings.forward_to is None and self.form.forward_input.text():
            self._apply_forward_url(self.form.forward_input.text().strip())
        with QSignalBlocker(self.form.switch):
            self.form.switch.setChecked(station.running)


_LOOP_PROBLEM = (
    "That is this receiver's own address: forwarding there would never end. Give the address "
    "of the integration being demoed."
)


def _listen_problem(port: int, error: BaseException | None) -> str:
    """Why the receiver could not listen, said for the port asked for."""
    if isinstance(error, OSError):
        if error.errno == errno.EADDRINUSE:
            return (
                f"Port {port} is in use by another program: choose another port, or the lowest "
                "value for any free one."
            )
        if error.errno == errno.EACCES:
            return (
                f"Port {port} needs administrator rights on this computer: choose one above "
                "1023, or the lowest value for any free one."
            )
        return f"Cannot listen on 127.0.0.1:{port}: {error.strerror or error}."
    return f"Cannot listen: {describe_error(error)}"
