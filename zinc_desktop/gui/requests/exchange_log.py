"""The session's HTTP exchanges: carried from worker threads to the GUI, held in a table model."""

from __future__ import annotations

from collections import deque
from enum import IntEnum
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from zinc_desktop.core.foundation.time_text import clock_time, exact_time
from zinc_desktop.core.zinc.settings import Exchange
from zinc_desktop.gui.common.plain_text import tooltip

# A ring: an hour of polling (10,000 exchanges) must not grow memory. Bodies are cut at 64 KB
# where they are recorded; the byte budget bounds the worst case (every body that long).
MAX_EXCHANGES = 2000
MAX_BODY_BYTES = 16 * 1024 * 1024
AnyIndex = QModelIndex | QPersistentModelIndex


def _body_bytes(exchange: Exchange) -> int:
    return len(exchange.request_body or "") + len(exchange.response_body or "")


class ExchangeColumn(IntEnum):
    TIME = 0
    ENVIRONMENT = 1
    METHOD = 2
    PATH = 3
    STATUS = 4
    DURATION = 5


_HEADERS = ("Time", "Environment", "Method", "Path", "Status", "Duration")


class ExchangesTableModel(QAbstractTableModel):
    """Newest last; the oldest are dropped beyond MAX_EXCHANGES or MAX_BODY_BYTES of bodies."""

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        max_exchanges: int = MAX_EXCHANGES,
        max_body_bytes: int = MAX_BODY_BYTES,
    ) -> None:
        super().__init__(parent)
        self._exchanges: deque[Exchange] = deque()
        self._max_exchanges = max_exchanges
        self._max_body_bytes = max_body_bytes
        self._body_bytes = 0

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
        self.add_many([exchange])

    def add_many(self, exchanges: list[Exchange]) -> None:
        """Append in order; the oldest go beyond the limits (the newest always stays).

        One removal and one insertion for the whole batch, however many it holds.
        """
        held, incoming = len(self._exchanges), list(exchanges)
        total = held + len(incoming)
        budget = self._body_bytes + sum(_body_bytes(e) for e in incoming)
        drop = 0
        while total - drop > self._max_exchanges or (
            budget > self._max_body_bytes and drop < total - 1
        ):
            oldest = self._exchanges[drop] if drop < held else incoming[drop - held]
            budget -= _body_bytes(oldest)
            drop += 1
        old_dropped = min(drop, held)
        if old_dropped:
            self.beginRemoveRows(QModelIndex(), 0, old_dropped - 1)
            for _ in range(old_dropped):
                self._exchanges.popleft()
            self.endRemoveRows()
        arriving = incoming[drop - old_dropped :]
        if arriving:
            row = len(self._exchanges)
            self.beginInsertRows(QModelIndex(), row, row + len(arriving) - 1)
            self._exchanges.extend(arriving)
            self.endInsertRows()
        self._body_bytes = budget

    def clear(self) -> None:
        self.beginResetModel()
        self._exchanges.clear()
        self._body_bytes = 0
        self.endResetModel()

    def exchange(self, row: int) -> Exchange | None:
        return self._exchanges[row] if 0 <= row < len(self._exchanges) else None

    def exchanges(self) -> list[Exchange]:
        return list(self._exchanges)
