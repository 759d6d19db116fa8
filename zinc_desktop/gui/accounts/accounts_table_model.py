"""The linked accounts as a Qt table: an adapter over a list of Account values, no I/O."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from zinc_desktop.core.accounts import Account, utc_now
from zinc_desktop.core.api_key import mask_hint
from zinc_desktop.core.presenting import presentable
from zinc_desktop.core.time_text import exact_time, relative_time
from zinc_desktop.gui.common.plain_text import tooltip
from zinc_desktop.gui.common.status_icons import checking_icon, environment_icon, status_icon

ACCOUNT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
AnyIndex = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    ENVIRONMENT = 0
    LABEL = 1
    KEY = 2
    STATUS = 3
    LAST_CHECKED = 4
    PACKAGES = 5


HEADERS = {
    Column.ENVIRONMENT: "Environment",
    Column.LABEL: "Label",
    Column.KEY: "Key",
    Column.STATUS: "Status",
    Column.LAST_CHECKED: "Last checked",
    Column.PACKAGES: "Packages",
}


class AccountsTableModel(QAbstractTableModel):
    """Rows are accounts in the order given; the proxy in front of it sorts and filters.

    Signals:
        renameRequested(str, str): the user edited a label in place (account id, new label).
        accountsChanged(): an account's own data changed (not just the clock or "Checking…").
    """

    renameRequested = Signal(str, str)
    accountsChanged = Signal()

    def __init__(
        self, parent: QObject | None = None, clock: Callable[[], datetime] = utc_now
    ) -> None:
        super().__init__(parent)
        self._accounts: list[Account] = []
        self._checking: set[str] = set()
        self._clock = clock
        self.presenting = False  # labels lose key endings (`••••8cef`) on a shared screen

    # --- the Qt interface --------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._accounts)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Column(section)]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == Column.LABEL:
            flags |= Qt.ItemFlag.ItemIsEditable  # the environment never is: a link is bound to it
        return flags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._accounts):
            return None
        account = self._accounts[index.row()]
        column = Column(index.column())
        if role == ACCOUNT_ID_ROLE:
            return account.id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(account, column)
        if role == Qt.ItemDataRole.EditRole and column == Column.LABEL:
            return account.label
        if role == Qt.ItemDataRole.ToolTipRole:
            text = self._tooltip(account, column)
            if text and self.presenting:
                text = presentable(text)
            return tooltip(text) if text else None
        if role == Qt.ItemDataRole.DecorationRole:
            return self._decoration(account, column)
        if role == SORT_ROLE:
            return self._sort_key(account, column)
        if role == Qt.ItemDataRole.FontRole:
            return self._font(account, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{HEADERS[column]}: {self._display(account, column)}"
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            role != Qt.ItemDataRole.EditRole
            or index.column() != Column.LABEL
            or not index.isValid()
        ):
            return False
        text = " ".join(str(value).split())
        account = self._accounts[index.row()]
        if not text or text == account.label:
            return False
        self.renameRequested.emit(account.id, text)
        return True

    # --- what each cell shows ----------------------------------------------------------------

    def _display(self, account: Account, column: Column) -> str:
        if column == Column.ENVIRONMENT:
            return account.environment.display_name
        if column == Column.LABEL:
            label = presentable(account.label) if self.presenting else account.label
            return f"{label} · this session only" if account.session_only else label
        if column == Column.KEY:
            return mask_hint(account.key_hint)
        if column == Column.STATUS:
            return "Checking…" if account.id in self._checking else account.status.label
        if column == Column.LAST_CHECKED:
            return relative_time(account.last_checked_at, self._clock())
        return "–" if account.packages_seen is None else str(account.packages_seen)

    def _tooltip(self, account: Account, column: Column) -> str | None:
        if column == Column.STATUS:
            detail = f"\n\nLast check: {account.last_message}" if account.last_message else ""
            return account.status.explanation + detail
        if column == Column.LAST_CHECKED:
            return exact_time(account.last_checked_at)
        if column == Column.KEY:
            return "Only the last 4 characters are ever shown; Copy key copies the whole key."
        if column == Column.ENVIRONMENT and account.environment.is_billable:
            return "Production: real candidates, billable checks."
        if column == Column.LABEL and account.session_only:
            return "No keyring was available: this link lives in memory and ends with this session."
        if column == Column.LABEL:
            return f"Linked {exact_time(account.linked_at)}. F2 renames."
        return None

    def _decoration(self, account: Account, column: Column) -> Any:
        if column == Column.STATUS:
            return checking_icon() if account.id in self._checking else status_icon(account.status)
        if column == Column.ENVIRONMENT:
            return environment_icon(account.environment.is_billable)
        return None

    def _sort_key(self, account: Account, column: Column) -> Any:
        if column == Column.LAST_CHECKED:
            return account.last_checked_at.timestamp() if account.last_checked_at else 0.0
        if column == Column.PACKAGES:
            return -1 if account.packages_seen is None else account.packages_seen
        return self._display(account, column).lower()

    def _font(self, account: Account, column: Column) -> QFont | None:
        font = QFont()
        if column == Column.ENVIRONMENT and account.environment.is_billable:
            font.setBold(True)
            return font
        if column == Column.LABEL and account.session_only:
            font.setItalic(True)
            return font
        if column == Column.KEY:
            font.setFamily("monospace")
            font.setStyleHint(QFont.StyleHint.Monospace)
            return font
        return None

    # --- changes from the window -------------------------------------------------------------

    def set_accounts(self, accounts: Iterable[Account]) -> None:
        self.beginResetModel()
        self._accounts = list(accounts)
        self._checking &= {a.id for a in self._accounts}
        self.endResetModel()

    def upsert(self, account: Account) -> int:
        """Replace the account with the same id, or append it. Returns its row."""
        self._checking.discard(account.id)
        row = self.row_of(account.id)
        if row is None:
            row = len(self._accounts)
            self.beginInsertRows(QModelIndex(), row, row)
            self._accounts.append(account)
            self.endInsertRows()
        else:
            changed = self._accounts[row] != account
            self._accounts[row] = account
            self._row_changed(row)
            if changed:
                self.accountsChanged.emit()
        return row

    def remove(self, account_id: str) -> None:
        row = self.row_of(account_id)
        if row is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._accounts[row]
        self.endRemoveRows()
        self._checking.discard(account_id)

    def set_checking(self, account_id: str, checking: bool) -> None:
        if checking:
            self._checking.add(account_id)
        else:
            self._checking.discard(account_id)
        row = self.row_of(account_id)
        if row is not None:
            self._row_changed(row)

    def set_presenting(self, presenting: bool) -> None:
        self.presenting = presenting
        if self._accounts:
            top = self.index(0, Column.LABEL)
            bottom = self.index(len(self._accounts) - 1, Column.LABEL)
            self.dataChanged.emit(top, bottom, [Qt.ItemDataRole.DisplayRole])

    def refresh_times(self) -> None:
        """Relative times age; call this now and then."""
        if self._accounts:
            top = self.index(0, Column.LAST_CHECKED)
            bottom = self.index(len(self._accounts) - 1, Column.LAST_CHECKED)
            self.dataChanged.emit(top, bottom, [Qt.ItemDataRole.DisplayRole])

    def _row_changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    # --- reading -----------------------------------------------------------------------------

    def accounts(self) -> list[Account]:
        return list(self._accounts)

    def account_at(self, row: int) -> Account | None:
        return self._accounts[row] if 0 <= row < len(self._accounts) else None

    def account(self, account_id: str) -> Account | None:
        row = self.row_of(account_id)
        return None if row is None else self._accounts[row]

    def row_of(self, account_id: str) -> int | None:
        for row, account in enumerate(self._accounts):
            if account.id == account_id:
                return row
        return None
