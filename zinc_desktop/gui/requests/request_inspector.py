"""Every HTTP exchange of the session, with the key redacted and "Copy as curl"."""

from __future__ import annotations

from PySide6.QtCore import (
    QItemSelection,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from zinc_desktop.core.zinc.api import pretty_json
from zinc_desktop.core.zinc.curl import as_curl
from zinc_desktop.core.zinc.settings import Exchange
from zinc_desktop.gui.common.focus_style import RingedTableView
from zinc_desktop.gui.common.naming import named, with_clear_button
from zinc_desktop.gui.requests.exchange_log import ExchangeColumn, ExchangesTableModel


def pretty(body: str | None) -> str:
    return "(none)" if body is None else pretty_json(body)


def describe(exchange: Exchange) -> str:
    lines = [
        f"{exchange.method} {exchange.url}",
        f"Authorization: {exchange.headers.get('Authorization', '[redacted]')}"
        f"   (header form: {exchange.auth_form.value})",
        "Accept: application/json",
        "",
    ]
    if exchange.request_body is not None:
        lines += ["Request body:", pretty(exchange.request_body), ""]
    status = exchange.status if exchange.status is not None else "no answer"
    lines.append(f"Status: {status}    Duration: {exchange.duration * 1000:.0f} ms")
    if exchange.error:
        lines.append(f"Error: {exchange.error}")
    lines += ["", "Response body:", pretty(exchange.response_body)]
    return "\n".join(lines)


def is_poll(exchange: Exchange) -> bool:
    return exchange.method == "GET" and "/results/" in exchange.url


class ExchangesFilter(QSortFilterProxyModel):
    """Text (method, path, status, environment) and "hide check polling"."""

    def __init__(self, model: ExchangesTableModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._exchanges = model
        self.text = ""
        self.hide_polls = False
        self.setSourceModel(model)

    def set_rules(self, text: str, hide_polls: bool) -> None:
        self.beginFilterChange()
        self.text, self.hide_polls = text.strip().casefold(), hide_polls
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        exchange = self._exchanges.exchange(source_row)
        if exchange is None or (self.hide_polls and is_poll(exchange)):
            return False
        if not self.text:
            return True
        status = str(exchange.status) if exchange.status is not None else "failed"
        haystack = f"{exchange.method} {exchange.url} {status} {exchange.environment}"
        return self.text in haystack.casefold()


class RequestInspector(QWidget):
    """A view over the exchanges model; the window feeds it through an ExchangeRelay.

    Signals:
        copied(str): something was put on the clipboard (the message to show).
    """

    copied = Signal(str)

    def __init__(self, model: ExchangesTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.proxy = ExchangesFilter(model, self)
        intro = QLabel(
            "Every call this session made to Zinc. The key is never shown: "
            "<b>Copy as curl</b> uses <code>$ZINC_API_KEY</code> in its place."
        )
        intro.setWordWrap(True)
        self.table = named(RingedTableView(), "exchangesTable", "HTTP exchanges")
        self.table.setModel(self.proxy)
        self.table.setTabKeyNavigation(False)
        self.filter_input = named(QLineEdit(), "exchangesFilter", "Filter requests")
        self.filter_input.setPlaceholderText("Filter by method, path, status…")
        with_clear_button(self.filter_input, "Clear the filter")
        self.filter_input.textChanged.connect(self._apply_filter)
        self.hide_polls = named(
            QCheckBox("Hide check &polling"), "hidePollsCheck", "Hide check polling"
        )
        self.hide_polls.setToolTip("Hide the repeated GET /results calls of watched checks")
        self.hide_polls.toggled.connect(self._apply_filter)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        named(self.table.verticalHeader(), "exchangesRows", "Rows").hide()
        named(self.table.horizontalHeader(), "exchangesColumns", "Columns")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ExchangeColumn.PATH, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        model.rowsInserted.connect(self._follow)
        self.details = named(QPlainTextEdit(), "exchangeDetails", "Exchange details")
        self.details.setReadOnly(True)
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.details.setFont(mono)
        self.copy_button = named(QPushButton("Copy as curl"), "copyCurlButton", "Copy as curl")
        self.copy_button.setToolTip("A curl command with $ZINC_API_KEY in place of the key")
        self.copy_button.clicked.connect(self._copy_curl)
        self.copy_button.setEnabled(False)
        self.clear_button = named(QPushButton("Clear"), "clearExchangesButton", "Clear the list")
        self.clear_button.clicked.connect(self._clear)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.copy_button)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setSizes([220, 320])
        filters = QHBoxLayout()
        filters.addWidget(self.filter_input, 1)
        filters.addWidget(self.hide_polls)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self.last_curl = ""

    def focus_order(self) -> list[QWidget]:
        return [
            self.filter_input,
            self.hide_polls,
            self.table,
            self.details,
            self.clear_button,
            self.copy_button,
        ]

    def selected(self) -> Exchange | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.exchange(self.proxy.mapToSource(rows[0]).row())

    @Slot()
    def _follow(self) -> None:
        if self.selected() is None:
            self.table.scrollToBottom()  # newest in view, unless you are reading one

    @Slot(QItemSelection, QItemSelection)
    def _on_selection(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        exchange = self.selected()
        self.copy_button.setEnabled(exchange is not None)
        self.details.setPlainText(describe(exchange) if exchange else "")

    @Slot()
    def _copy_curl(self) -> None:
        exchange = self.selected()
        if exchange is not None:
            self.last_curl = as_curl(exchange)
            QGuiApplication.clipboard().setText(self.last_curl)
            self.copied.emit(
                f"Copied a curl command for {exchange.method} to the clipboard; it reads the key "
                "from $ZINC_API_KEY."
            )

    @Slot()
    def _apply_filter(self) -> None:
        self.proxy.set_rules(self.filter_input.text(), self.hide_polls.isChecked())

    @Slot()
    def _clear(self) -> None:
        self.model.clear()
        self.details.clear()
