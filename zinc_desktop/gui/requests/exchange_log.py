"""The session's HTTP exchanges: carried from worker threads to the GUI, held in a table model."""

from __future__ import annotations

from enum import IntEnum
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from zinc_desktop.core.time_text import clock_time, exact_time
from zinc_desktop.core.zinc_client import Exchange
from zinc_desktop.gui.common.plain_text import tooltip

MAX_EXCHANGES = 500
AnyIndex = QModelIndex | QPersistentModelIndex


class ExchangeRelay(QObject):
    """`record()` may be called on any thread; `exchanged` is delivered on the GUI thread.

    Signals:
        exchanged(object): an Exchange.
    """

    exchanged = Signal(object)

    def record(self, exchange: Exchange) -> None:
        self.exchanged.emit(exchange)


class ExchangeColumn(IntEnum):
    TIME = 0
    ENVIRONMENT = 1
    METHOD = 2
    PATH = 3
    STATUS = 4
    DURATION = 5


_HEADERS = ("Time", "Environment", "Method", "Path", "Status", "Duration")


class ExchangesTableModel(QAbstractTableModel):
    """Newest last; the oldest are dropped beyond MAX_EXCHANGES."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._exchanges: list[Exchange] = []

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._exchanges)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(ExchangeColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._exchanges):
            return None
        exchange = self._exchanges[index.row()]
        column = ExchangeColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(exchange, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == ExchangeColumn.PATH:
            return tooltip(exchange.url)
        if role == Qt.ItemDataRole.ToolTipRole and column == ExchangeColumn.TIME:
            return exact_time(exchange.started_at)
        if role == Qt.ItemDataRole.ForegroundRole and column == ExchangeColumn.STATUS:
            from PySide6.QtGui import QColor

            status = exchange.status
            if status is None or status >= 400:
                return QColor("#d43c3c")
            return QColor("#1e8e4f") if status < 300 else QColor("#b26a00")
        return None

    @staticmethod
    def _display(exchange: Exchange, column: ExchangeColumn) -> str:
        if column == ExchangeColumn.TIME:
            return clock_time(exchange.started_at, zone=True)
        if column == ExchangeColumn.ENVIRONMENT:
            return exchange.environment.capitalize()
        if column == ExchangeColumn.METHOD:
            return exchange.method
        if column == ExchangeColumn.PATH:
            path = urlsplit(exchange.url).path
            marker = "/partner/v2"
            return path[path.index(marker) + len(marker) :] if marker in path else path
        if column == ExchangeColumn.STATUS:
            return str(exchange.status) if exchange.status is not None else "failed"
        return f"{exchange.duration * 1000:.0f} ms"

    def add(self, exchange: Exchange) -> None:
        if len(self._exchanges) >= MAX_EXCHANGES:
            self.beginRemoveRows(QModelIndex(), 0, 0)
            del self._exchanges[0]
            self.endRemoveRows()
        row = len(self._exchanges)
        self.beginInsertRows(QModelIndex(), row, row)
        self._exchanges.append(exchange)
        self.endInsertRows()

    def clear(self) -> None:
        self.beginResetModel()
        self._exchanges.clear()
        self.endResetModel()

    def exchange(self, row: int) -> Exchange | None:
        return self._exchanges[row] if 0 <= row < len(self._exchanges) else None

    def exchanges(self) -> list[Exchange]:
        return list(self._exchanges)
