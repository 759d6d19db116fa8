"""The chosen account's screening packages; the selected row is the package a check will use."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, Signal, Slot
from PySide6.QtGui import QShowEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from zinc_desktop.core.demo.session import Notice
from zinc_desktop.core.zinc.api import Package
from zinc_desktop.gui.common import styles
from zinc_desktop.gui.common.focus_style import RingedTableView
from zinc_desktop.gui.common.naming import named
from zinc_desktop.gui.common.plain_text import live_label, tooltip

PACKAGE_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class PackagesView(QGroupBox):
    """One selection model: choosing a row here is choosing the form's package.

    Signals:
        packageChosen(str): the user selected a package (by id).
        refreshRequested(): load the packages again.
    """

    packageChosen = Signal(str)
    refreshRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Packages", parent)
        self.setObjectName("packagesGroup")
        self._rows = QStandardItemModel(0, 3, self)
        self._rows.setHorizontalHeaderLabels(["Package", "Type", "Id"])
        self._shown: tuple[tuple[str, str, str], ...] = ()
        self.table = named(RingedTableView(), "packagesTable", "Screening packages")
        self.table.setModel(self._rows)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move the row
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        named(self.table.verticalHeader(), "packagesRows", "Rows").hide()
        header = named(self.table.horizontalHeader(), "packagesColumns", "Columns")
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Type and Id are sized from their text by us: ResizeToContents measured them while
        # the page was still hidden and showed "st…" and "…" on first show.
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.refresh_button = named(
            QPushButton("R&efresh"), "refreshPackagesButton", "Refresh packages"
        )
        self.refresh_button.clicked.connect(self.refreshRequested)
        self.status = live_label("packagesStatus", "Packages status")
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)

    def show_packages(
        self,
        packages: list[Package] | None,
        chosen: str | None,
        notice: Notice | None,
        *,
        account_chosen: bool,
        loading: bool,
        hide_ids: bool = False,
    ) -> None:
        shown = tuple((p.name, p.type or "–", p.id) for p in packages or [])
        refit = shown != self._shown or hide_ids != self.table.isColumnHidden(2)
        if shown != self._shown:
            self._shown = shown
            self.table.selectionModel().blockSignals(True)
            self._rows.removeRows(0, self._rows.rowCount())
            for package in packages or []:
                cells = [QStandardItem(t) for t in (package.name, package.type or "–", package.id)]
                for cell in cells:
                    cell.setData(package.id, PACKAGE_ID_ROLE)
                self._rows.appendRow(cells)
            self.table.selectionModel().blockSignals(False)
        self.table.setColumnHidden(2, hide_ids)
        if refit:  # not on every refresh (one per poll): only when the rows change
            self._fit_columns()
        self._select(chosen)
        self.refresh_button.setEnabled(account_chosen and not loading)
        if loading:
            self._say("hint", "Loading packages from Zinc…")
        elif notice is not None:
            self._say(notice.kind, notice.text)
        elif packages is not None:
            count = len(packages)
            plural = "s" if count != 1 else ""
            self._say("hint", f"{count} package{plural}. The selected one is used for a check.")
        else:
            self._say("hint", "The chosen account's packages appear here.")

    def _fit_columns(self) -> None:
        """Type and Id as wide as their longest text (within reason); Package takes the rest."""
        metrics = self.table.fontMetrics()
        header = self.table.horizontalHeader()
        padding = 2 * metrics.horizontalAdvance("M")
        for column, limit in ((1, 14), (2, 22)):
            texts = [self._rows.headerData(column, Qt.Orientation.Horizontal) or ""]
            texts += [row[column] for row in self._shown]
            widest = max(metrics.horizontalAdvance(str(text)) for text in texts) + padding
            header.resizeSection(column, min(widest, metrics.horizontalAdvance("M") * limit))
        # As tall as its rows (3 to 6 of them, then it scrolls): the room below goes to the
        # checks, which a demo watches.
        rows = max(3, min(6, self._rows.rowCount()))
        row_height = self.table.verticalHeader().defaultSectionSize()
        frame = 2 * self.table.frameWidth()
        self.table.setMaximumHeight(header.height() + rows * row_height + frame + 2)
        for row in range(self._rows.rowCount()):
            for column in (1, 2):
                item = self._rows.item(row, column)
                if item is not None:
                    item.setToolTip(tooltip(item.text()))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_columns()  # the font is final now (scale, platform theme)

    def _say(self, kind: str, text: str) -> None:
        self.status.setText(text)
        styles.restyle(self.status, styles.feedback_style(kind, self.palette()))

    def _select(self, package_id: str | None) -> None:
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        for row in range(self._rows.rowCount()):
            index = self._rows.index(row, 0)
            if index.data(PACKAGE_ID_ROLE) == package_id:
                if not selection.isRowSelected(row):
                    selection.setCurrentIndex(
                        index,
                        QItemSelectionModel.SelectionFlag.ClearAndSelect
                        | QItemSelectionModel.SelectionFlag.Rows,
                    )
                break
        else:
            selection.clearSelection()
        selection.blockSignals(False)
        self.table.viewport().update()

    @Slot(QItemSelection, QItemSelection)
    def _on_selection(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            value = rows[0].data(PACKAGE_ID_ROLE)
            if isinstance(value, str):
                self.packageChosen.emit(value)
