"""The linked accounts as a Qt table: an adapter over a list of Account values, no I/O."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QModelRoleData,
    QModelRoleDataSpan,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from zinc_desktop.core.accounts.columns import Column
from zinc_desktop.core.accounts.filters import QuickFilter
from zinc_desktop.core.accounts.index import AccountIndex, refines
from zinc_desktop.core.accounts.model import Account, AccountStatus, utc_now
from zinc_desktop.core.accounts.presenting import Presentation
from zinc_desktop.core.accounts.selection import rejected
from zinc_desktop.core.foundation.api_key import mask_hint
from zinc_desktop.core.foundation.time_text import exact_time, relative_time
from zinc_desktop.gui.common.plain_text import tooltip
from zinc_desktop.gui.common.status_icons import checking_icon, environment_icon, status_icon

ACCOUNT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
AnyIndex = QModelIndex | QPersistentModelIndex
_SHOWN = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_EDITABLE = _SHOWN | Qt.ItemFlag.ItemIsEditable


COLUMNS = tuple(Column)  # by position: Column(n) is two Python calls each time
# The label is editable; the environment never is: a link is bound to it.
CELL_FLAGS = tuple(_EDITABLE if column is Column.LABEL else _SHOWN for column in COLUMNS)


# Statuses whose reason a screen reader hears with the status (the tooltip shows it too).
_SAY_WHY = frozenset(
    {
        AccountStatus.REJECTED,
        AccountStatus.UNREACHABLE,
        AccountStatus.MISSING_SECRET,
        AccountStatus.INCOMPLETE,
    }
)


class AccountsTableModel(QAbstractTableModel):
    """The accounts that match the view's rules, in the chosen order; no proxy in front.

    Filtering and sorting happen here, in Python over plain lists with precomputed keys:
    a QSortFilterProxyModel calls back into Python for every comparison and took about a
    second to sort 10,000 rows. `data()` is only asked about the rows on screen.

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
        self._index = AccountIndex()  # every account, with its filter and sort facts
        self._order: list[str] = []  # the ids shown, in display order
        self._row: dict[str, int] = {}  # shown id -> row
        self._checking: set[str] = set()
        self._clock = clock
        self.quick = QuickFilter.ALL
        self.text = ""
        self.presentation: Presentation | None = None  # presenting: one account, masked
        self._sort_column = Column.LABEL
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._in_order = True  # `_order` is as `_sorted` would make it (no row moved since)
        # Bumped by every change of the rows shown or their accounts: what is derived from
        # them (the rejected count the actions ask for at each keystroke) is made once each.
        self._revision = 0
        self._rejected_shown: tuple[int, int] = (-1, 0)
        # Each cell on screen is asked for seven roles at every repaint: multiData() answers
        # them in one call into Python, roles nobody answers cost a dict miss, and fonts are
        # made once.
        role = Qt.ItemDataRole
        self._answers: dict[int, Callable[[Account, Column], Any]] = {
            ACCOUNT_ID_ROLE: lambda account, _column: account.id,
            role.DisplayRole: self._display,
            role.EditRole: self._edit,
            role.ToolTipRole: self._tooltip_text,
            role.DecorationRole: self._decoration,
            role.FontRole: self._font,
            role.AccessibleTextRole: self._spoken,
        }
        self._bold, self._italic, self._monospace = QFont(), QFont(), QFont()
        self._bold.setBold(True)
        self._italic.setItalic(True)
        self._monospace.setFamily("monospace")
        self._monospace.setStyleHint(QFont.StyleHint.Monospace)

    # --- the Qt interface --------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return Column(section).header
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return CELL_FLAGS[index.column()]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        answer = self._answers.get(role)
        if answer is None or not index.isValid() or not 0 <= index.row() < len(self._order):
            return None
        return answer(self._account_in(index.row()), COLUMNS[index.column()])

    def multiData(
        self,
        index: AnyIndex,
        roleDataSpan: QModelRoleDataSpan | QModelRoleData,  # noqa: N803
    ) -> None:
        """The roles a painted cell needs, in one call (the default asks data() once each)."""
        # PySide6 makes a span iterable; its type stubs do not say so.
        slots: Iterable[QModelRoleData] = roleDataSpan  # type: ignore[assignment]
        if isinstance(roleDataSpan, QModelRoleData):
            slots = (roleDataSpan,)
        if not index.isValid() or not 0 <= index.row() < len(self._order):
            for slot in slots:
                slot.clearData()
            return
        account, column = self._account_in(index.row()), COLUMNS[index.column()]
        for slot in slots:
            answer = self._answers.get(slot.role())
            value = None if answer is None else answer(account, column)
            if value is None:
                slot.clearData()
            else:
                slot.setData(value)

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            role != Qt.ItemDataRole.EditRole
            or index.column() != Column.LABEL
            or not index.isValid()
        ):
            return False
        text = " ".join(str(value).split())
        account = self._account_in(index.row())
        if not text or text == account.label:
            return False
        self.renameRequested.emit(account.id, text)
        return True

    # --- what each cell shows ----------------------------------------------------------------

    def _display(self, account: Account, column: Column) -> str:
        if column == Column.ENVIRONMENT:
            return account.environment.display_name
        if column == Column.LABEL:
            label = self._shown(account.label)
            return f"{label} · this session only" if account.session_only else label
        if column == Column.KEY:
            return mask_hint(account.key_hint)
        if column == Column.STATUS:
            return "Checking…" if account.id in self._checking else account.status.label
        if column == Column.LAST_CHECKED:
            return relative_time(account.last_checked_at, self._clock())
        return "–" if account.packages_seen is None else str(account.packages_seen)

    def _edit(self, account: Account, column: Column) -> str | None:
        return account.label if column == Column.LABEL else None

    def _spoken(self, account: Account, column: Column) -> str:
        spoken = f"{column.header}: {self._display(account, column)}"
        if column == Column.STATUS and account.status in _SAY_WHY and account.last_message:
            why = account.last_message  # why it is rejected, unreachable or missing its key
            spoken += f". {self._shown(why)}"
        return spoken

    def _shown(self, text: str) -> str:
        return self.presentation.text(text) if self.presentation is not None else text

    @property
    def presenting(self) -> bool:
        return self.presentation is not None

    def _presented(self) -> str | None:
        return self.presentation.account_id if self.presentation is not None else None

    def _tooltip_text(self, account: Account, column: Column) -> str | None:
        text = self._tooltip(account, column)
        return tooltip(self._shown(text)) if text else None

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

    def _font(self, account: Account, column: Column) -> QFont | None:
        if column == Column.ENVIRONMENT and account.environment.is_billable:
            return self._bold
        if column == Column.LABEL and account.session_only:
            return self._italic
        if column == Column.KEY:
            return self._monospace
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The header was clicked: reorder in place; selections follow their rows."""
        if (Column(column), order) == (self._sort_column, self._sort_order) and self._in_order:
            return  # QTableView.sortByColumn asks twice; a second pass would change nothing
        self._sort_column, self._sort_order = Column(column), order
        self._in_order = True
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        ids = [self._order[i.row()] if 0 <= i.row() < len(self._order) else "" for i in before]
        self._order = self._sorted(self._order)
        self._row = {account_id: row for row, account_id in enumerate(self._order)}
        after = [
            self.index(self._row[account_id], i.column()) if account_id in self._row
            else QModelIndex()
            for account_id, i in zip(ids, before, strict=True)
        ]  # fmt: skip
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def _account_in(self, row: int) -> Account:
        account = self._index.get(self._order[row])
        assert account is not None
        return account

    def _sorted(self, ids: Iterable[str]) -> list[str]:
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        return self._index.order(ids, self._sort_column, descending=descending)

    def _shows(self, account: Account) -> bool:
        return self._index.shows(account.id, self.quick, self.text, self._presented())

    def _rebuild(self, among: list[str] | None = None) -> None:
        """The rows the rules show: from every account, sorted; or, when the rules `refine`
        those that made `among` (the rows shown), from those rows, in the order they have."""
        shown = self._index.select(self.quick, self.text, presented=self._presented(), among=among)
        if among is None:
            self._order = self._sorted(shown)
            self._in_order = True
        else:
            self._order = shown
        self._row = {account_id: row for row, account_id in enumerate(self._order)}
        self._revision += 1

    def set_rules(
        self, quick: QuickFilter, text: str, presentation: Presentation | None = None
    ) -> None:
        """Which accounts are shown (the panel restores the selection afterwards)."""
        if (quick, text, presentation) == (self.quick, self.text, self.presentation):
            return
        narrower = (
            quick is self.quick
            and presentation is None
            and self.presentation is None
            and refines(self.text, text)
        )
        self.beginResetModel()
        self.quick, self.text, self.presentation = quick, text, presentation
        self._rebuild(among=self._order if narrower else None)
        self.endResetModel()

    def set_accounts(self, accounts: Iterable[Account] | AccountIndex) -> None:
        """All the accounts at once. Pass an AccountIndex built on a worker thread to keep
        its cost (about 80 ms for 10,000 accounts) off the GUI thread."""
        self.beginResetModel()
        self._index = accounts if isinstance(accounts, AccountIndex) else AccountIndex(accounts)
        self._checking = {i for i in self._checking if i in self._index}
        self._rebuild()
        self.endResetModel()

    def upsert(self, account: Account) -> int | None:
        """Replace the account with the same id, or add it. Returns its row (None: filtered out).

        A changed row stays where it is (rows do not jump under the pointer during a re-test);
        a new one goes where the order puts it.
        """
        self._checking.discard(account.id)
        previous = self._index.put(account)
        self._revision += 1
        self._in_order = False  # a changed row stays where it is
        row = self._row.get(account.id)
        shows = self._shows(account)
        if row is not None and shows:
            self._row_changed(row)
        elif row is not None:
            self._remove_row(row)
            row = None
        elif shows:
            row = self._insert_row(account)
        if previous is not None and previous != account:
            self.accountsChanged.emit()
        return row

    def _insert_row(self, account: Account) -> int:
        column = self._sort_column
        key = self._index.sort_key(account.id, column)
        keys = [self._index.sort_key(i, column) for i in self._order]
        if self._sort_order == Qt.SortOrder.DescendingOrder:
            row = next((r for r, other in enumerate(keys) if other < key), len(keys))
        else:
            row = bisect.bisect_left(keys, key)
        self.beginInsertRows(QModelIndex(), row, row)
        self._order.insert(row, account.id)
        self._row = {account_id: r for r, account_id in enumerate(self._order)}
        self.endInsertRows()
        return row

    def _remove_row(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._order[row]
        self._row = {account_id: r for r, account_id in enumerate(self._order)}
        self.endRemoveRows()

    def remove(self, account_id: str) -> None:
        self._checking.discard(account_id)
        if account_id not in self._index:
            return
        row = self._row.get(account_id)
        if row is not None:
            # The row goes while its account is still known: views ask about the rows being
            # removed (a selection of several changes as they go).
            self._remove_row(row)
        self._index.remove(account_id)
        self._revision += 1
        self.accountsChanged.emit()  # the total changed

    def set_checking(self, account_id: str, checking: bool) -> None:
        if checking:
            self._checking.add(account_id)
        else:
            self._checking.discard(account_id)
        row = self._row.get(account_id)
        if row is not None:
            self._row_changed(row)

    def set_checking_all(self, checking: bool) -> None:
        """Every account at once ("Re-test all"): one change signal, not one per row."""
        self._checking = set(self._index_ids()) if checking else set()
        if self._order:
            top = self.index(0, Column.STATUS)
            bottom = self.index(len(self._order) - 1, Column.STATUS)
            self.dataChanged.emit(top, bottom)

    def _index_ids(self) -> list[str]:
        return [account.id for account in self._index.all()]

    def set_presentation(self, presentation: Presentation | None) -> None:
        self.set_rules(self.quick, self.text, presentation)

    def refresh_times(self) -> None:
        """Relative times age; call this now and then (the view repaints what it shows)."""
        if self._order:
            top = self.index(0, Column.LAST_CHECKED)
            bottom = self.index(len(self._order) - 1, Column.LAST_CHECKED)
            self.dataChanged.emit(top, bottom, [Qt.ItemDataRole.DisplayRole])

    def _row_changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    # --- reading -----------------------------------------------------------------------------

    def accounts(self) -> list[Account]:
        """Every account, shown or not."""
        return self._index.all()

    def total(self) -> int:
        return len(self._index)

    def shown_total(self) -> int:
        """How many the view would show with no filter typed or chosen: every account, or the
        one presented."""
        if self.presentation is None:
            return len(self._index)
        return len(self._index.select(QuickFilter.ALL, presented=self._presented()))

    def shown_rejected(self) -> int:
        """How many of the rows shown are accounts whose key Zinc refused (worked out once
        per change: the actions ask at every keystroke in the filter)."""
        revision, count = self._rejected_shown
        if revision != self._revision:
            count = len(rejected(self.shown_accounts()))
            self._rejected_shown = (self._revision, count)
        return count

    def shown_accounts(self) -> list[Account]:
        """The accounts shown, in display order (one list comprehension: the actions' state
        asks on every keystroke in the filter, and a call per row cost 15 ms at 10,000)."""
        return self._index.in_order(self._order)

    def account_at(self, row: int) -> Account | None:
        return self._account_in(row) if 0 <= row < len(self._order) else None

    def account(self, account_id: str) -> Account | None:
        return self._index.get(account_id)

    def row_of(self, account_id: str) -> int | None:
        """The account's row, or None when it is not shown."""
        return self._row.get(account_id)
