"""The deliveries as a table, newest first, bounded as the receiver's ring is."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from zinc_desktop.core.foundation.time_text import clock_time, exact_time
from zinc_desktop.core.webhooks.deliveries import MAX_DELIVERIES, MAX_RING_BYTES, Delivery
from zinc_desktop.core.webhooks.delivery_text import (
    Masker,
    forward_description,
    forward_text,
    number_text,
    signature_description,
    signature_text,
    size_text,
)
from zinc_desktop.core.webhooks.signing import Signature
from zinc_desktop.core.zinc.api import CheckStatus, parse_status
from zinc_desktop.gui.common.plain_text import tooltip

AnyIndex = QModelIndex | QPersistentModelIndex
UNREAD = "…"  # a cell that waits for its account's signing token, to hide it before showing


class DeliveryColumn(IntEnum):
    NUMBER = 0
    TIME = 1
    CHECK = 2
    STATUS = 3
    SIGNATURE = 4
    SIZE = 5
    FORWARD = 6


HEADERS = ("#", "Received", "Check", "Status", "Signature", "Size", "Forwarded")
_FROM_PAYLOAD = (DeliveryColumn.CHECK, DeliveryColumn.STATUS, DeliveryColumn.FORWARD)
_RED, _GREEN, _AMBER = "#d43c3c", "#1e8e4f", "#b26a00"


class DeliveriesTableModel(QAbstractTableModel):
    """Newest first. A delivery published again (its forward result) changes its row in
    place; beyond `max_count` deliveries or `max_bytes` of bodies the oldest go."""

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        max_count: int = MAX_DELIVERIES,
        max_bytes: int = MAX_RING_BYTES,
    ) -> None:
        super().__init__(parent)
        self._items: list[Delivery] = []  # oldest first: row r is _items[-1 - r]
        self._held: set[int] = set()  # their numbers
        self._max_count = max_count
        self._max_bytes = max_bytes
        self._bytes = 0
        self._masker = Masker()
        self._ready: Callable[[str | None], bool] = lambda account_id: True
        self._waiting: set[int] = set()  # numbers whose forward result is still to come

    # --- Qt's interface ----------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(DeliveryColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        delivery = self.delivery(index.row()) if index.isValid() else None
        if delivery is None:
            return None
        column = DeliveryColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(delivery, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(delivery, column)
        if role == Qt.ItemDataRole.AccessibleTextRole and column is DeliveryColumn.NUMBER:
            # What a screen reader says for the row's first cell: the row, not a bare number.
            parts = [self._display(delivery, c) for c in DeliveryColumn]
            return (
                f"Delivery {parts[0]}, at {parts[1]}, check {parts[2]}, status {parts[3]}, "
                f"signature {parts[4]}, {parts[5]}, forwarded: {parts[6]}"
            )
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._colour(delivery, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            DeliveryColumn.NUMBER, DeliveryColumn.SIZE,
        ):  # fmt: skip
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, delivery: Delivery, column: DeliveryColumn) -> str:
        if column in _FROM_PAYLOAD and not self._ready(delivery.account_id):
            return UNREAD
        line = self._masker.line
        if column is DeliveryColumn.NUMBER:
            return number_text(delivery)
        if column is DeliveryColumn.TIME:
            return clock_time(delivery.received_at)
        if column is DeliveryColumn.CHECK:
            return line(delivery.check_id, 80) if delivery.check_id else "—"
        if column is DeliveryColumn.STATUS:
            # Zinc's own label where the status is one we know ("Awaiting candidate").
            status = parse_status(delivery.status)
            if status is not CheckStatus.UNKNOWN:
                return status.label
            return line(delivery.status, 40) if delivery.status else "—"
        if column is DeliveryColumn.SIGNATURE:
            return signature_text(delivery)
        if column is DeliveryColumn.SIZE:
            return size_text(delivery)
        waiting = delivery.number in self._waiting
        return line(forward_text(delivery, waiting=waiting), 120)

    def _tooltip(self, delivery: Delivery, column: DeliveryColumn) -> str | None:
        if column is DeliveryColumn.TIME:
            return exact_time(delivery.received_at)
        if not self._ready(delivery.account_id):
            return None
        if column is DeliveryColumn.SIGNATURE:
            return tooltip(self._masker.line(signature_description(delivery), 600))
        if column is DeliveryColumn.FORWARD:
            waiting = delivery.number in self._waiting
            return tooltip(self._masker.line(forward_description(delivery, waiting=waiting), 600))
        if column is DeliveryColumn.NUMBER and delivery.replay_of is not None:
            return f"A replay of delivery {delivery.replay_of}, sent to the forward URL"
        return None

    @staticmethod
    def _colour(delivery: Delivery, column: DeliveryColumn) -> QColor | None:
        if column is DeliveryColumn.SIGNATURE and delivery.body is not None:
            signature = delivery.verdict.signature
            if signature is Signature.VALID:
                return QColor(_GREEN)
            return QColor(_RED if signature is Signature.INVALID else _AMBER)
        forward = delivery.forward
        if column is not DeliveryColumn.FORWARD or forward is None:
            return None
        status = forward.status
        if status is None or status >= 400:
            return QColor(_RED)
        return QColor(_GREEN if status < 300 else _AMBER)

    # --- the deliveries ----------------------------------------------------------------------

    def add_many(self, deliveries: Iterable[Delivery], *, waiting: Iterable[int] = ()) -> None:
        """New deliveries go on top (in the order given); one already here is replaced in
        place. `waiting`: numbers of new ones whose forward result is to come."""
        self._waiting.update(waiting)
        fresh: dict[int, Delivery] = {}  # in the order they came; a later copy replaces
        positions: dict[int, int] | None = None
        for delivery in deliveries:
            if delivery.forward is not None:
                self._waiting.discard(delivery.number)
            if delivery.number not in self._held:
                fresh[delivery.number] = delivery
                continue
            if positions is None:
                positions = {item.number: at for at, item in enumerate(self._items)}
            position = positions[delivery.number]
            old = self._items[position]
            self._items[position] = delivery
            self._bytes += len(delivery.body or b"") - len(old.body or b"")
            row = len(self._items) - 1 - position
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(DeliveryColumn) - 1))
        if fresh:
            self.beginInsertRows(QModelIndex(), 0, len(fresh) - 1)
            self._items.extend(fresh.values())
            self._held.update(fresh)
            self._bytes += sum(len(item.body or b"") for item in fresh.values())
            self.endInsertRows()
        self._trim()

    def _trim(self) -> None:
        drop = 0
        budget = self._bytes
        while len(self._items) - drop > self._max_count or (
            budget > self._max_bytes and len(self._items) - drop > 1
        ):
            budget -= len(self._items[drop].body or b"")
            drop += 1
        if not drop:
            return
        last = len(self._items) - 1
        self.beginRemoveRows(QModelIndex(), last - drop + 1, last)
        for gone in self._items[:drop]:
            self._waiting.discard(gone.number)
            self._held.discard(gone.number)
        del self._items[:drop]
        self._bytes = budget
        self.endRemoveRows()

    def clear(self) -> None:
        self.beginResetModel()
        self._items.clear()
        self._held.clear()
        self._waiting.clear()
        self._bytes = 0
        self.endResetModel()

    def delivery(self, row: int) -> Delivery | None:
        if 0 <= row < len(self._items):
            return self._items[len(self._items) - 1 - row]
        return None

    def holds(self, number: int) -> bool:
        return number in self._held

    def row_of(self, number: int) -> int | None:
        if number not in self._held:
            return None
        for position in range(len(self._items) - 1, -1, -1):
            if self._items[position].number == number:
                return len(self._items) - 1 - position
        return None

    def deliveries(self) -> list[Delivery]:
        """Oldest first, as they came."""
        return list(self._items)

    def waiting(self, number: int) -> bool:
        return number in self._waiting

    def account_ids(self) -> set[str]:
        return {item.account_id for item in self._items if item.account_id is not None}

    def held_bytes(self) -> int:
        return self._bytes

    def set_masking(self, masker: Masker, ready: Callable[[str | None], bool]) -> None:
        """How text is hidden (tokens, keys, presenting), and whether a delivery's account's
        token is known yet (until it is, what came from its payload is not shown)."""
        self._masker = masker
        self._ready = ready
        if self._items:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._items) - 1, len(DeliveryColumn) - 1)
            )


class DeliveriesFilter(QSortFilterProxyModel):
    """While presenting, the presented account's deliveries alone."""

    def __init__(self, model: DeliveriesTableModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._deliveries = model
        self._account_id: str | None = None
        self._presenting = False
        self.setSourceModel(model)

    def show_only(self, account_id: str | None, *, presenting: bool) -> None:
        self.beginFilterChange()
        self._account_id, self._presenting = account_id, presenting
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if not self._presenting:
            return True
        delivery = self._deliveries.delivery(source_row)
        return delivery is not None and delivery.account_id == self._account_id

    def delivery(self, row: int) -> Delivery | None:
        source = self.mapToSource(self.index(row, 0))
        return self._deliveries.delivery(source.row()) if source.isValid() else None
