"""The linked-accounts table with its toolbar, context menu, filter and empty state."""

from __future__ import annotations

from PySide6.QtCore import (
    QItemSelection,
    QModelIndex,
    QPoint,
    QSortFilterProxyModel,
    Qt,
    Slot,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QStackedWidget,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from zinc_desktop.core.accounts import Account, AccountStatus
from zinc_desktop.gui.accounts.accounts_table_model import (
    ACCOUNT_ID_ROLE,
    SORT_ROLE,
    AccountsTableModel,
    Column,
)
from zinc_desktop.gui.common.naming import named

EMPTY_STATE = (
    "<h3>No linked accounts yet</h3>"
    "<ol>"
    "<li>Choose the environment the customer's key comes from: <b>Staging</b> or "
    "<b>Production</b>.</li>"
    "<li>Paste the Partner API key. A Zinc admin generates it under <i>Company settings › "
    "Integrations › Zinc › Generate API Key</i>; it is shown only once.</li>"
    "<li>Press <b>Connect</b> (or Enter). The key is checked with Zinc and then kept in your "
    "system keyring, never in a file.</li>"
    "</ol>"
)
SANDBOX_HINT = (
    "<p>This is the offline simulator: <b>Use the demo key</b> fills in a working key.</p>"
)


class AccountsPanel(QWidget):
    """A view over the model. Its QActions are public; the window connects them."""

    def __init__(
        self, model: AccountsTableModel, *, sandbox: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self._build(sandbox)
        model.modelReset.connect(self._refresh)
        model.rowsInserted.connect(self._refresh)
        model.rowsRemoved.connect(self._refresh)
        model.dataChanged.connect(self._refresh_actions)
        self._refresh()

    def _action(self, text: str, name: str, shortcut: QKeySequence | str, tip: str) -> QAction:
        action = named(QAction(text, self), name)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(
            f"{tip} ({QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)})"
        )
        action.setStatusTip(tip)
        return action

    def _build(self, sandbox: bool) -> None:
        self.retest_action = self._action(
            "Re-test", "retestAction", "F5", "Check the selected key with Zinc again"
        )
        self.retest_all_action = self._action(
            "Re-test all", "retestAllAction", "Shift+F5", "Check every linked key with Zinc again"
        )
        self.rename_action = self._action(
            "Rename", "renameAction", "F2", "Change the selected account's label"
        )
        self.copy_action = self._action(
            "Copy key",
            "copyKeyAction",
            "Ctrl+Shift+C",
            "Copy the whole key; the clipboard is cleared after a while",
        )
        self.reenter_action = self._action(
            "Re-enter key", "reenterKeyAction", "Ctrl+E", "Give a key-missing account its key again"
        )
        self.unlink_action = self._action(
            "Unlink",
            "unlinkAction",
            QKeySequence(QKeySequence.StandardKey.Delete),
            "Remove the key and the account",
        )
        self.demo_action = self._action(
            "Demo", "demoAction", "Ctrl+D", "Show packages and start a test check for this account"
        )
        self.retest_all_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.rename_action.triggered.connect(self._start_rename)

        self.toolbar = named(QToolBar("Account actions", self), "accountsToolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in self.actions_in_order():
            self.toolbar.addAction(action)
        self.toolbar.insertSeparator(self.unlink_action)
        self.toolbar.setAccessibleName("Account actions")

        self.filter_input = named(QLineEdit(), "filterInput")
        self.filter_input.setPlaceholderText("Filter by label, environment, status…")
        self.filter_input.setAccessibleName("Filter accounts")
        self.filter_input.setClearButtonEnabled(True)
        self.filter_input.setMaximumWidth(280)
        self.filter_input.textChanged.connect(self.proxy.setFilterFixedString)

        self.table = named(QTableView(), "accountsTable")
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Linked accounts")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.LABEL, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        named(self.table.verticalHeader(), "accountsRowHeader", "Rows").hide()
        header = named(self.table.horizontalHeader(), "accountsColumns", "Columns: click to sort")
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.LABEL, QHeaderView.ResizeMode.Stretch)
        for column, width in ((Column.ENVIRONMENT, 120), (Column.KEY, 90), (Column.STATUS, 130),
                              (Column.LAST_CHECKED, 120), (Column.PACKAGES, 80)):  # fmt: skip
            self.table.setColumnWidth(column, width)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._show_context_menu)
        for action in self.actions_in_order():
            self.table.addAction(action)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)

        self.empty_state = named(
            QLabel(EMPTY_STATE + (SANDBOX_HINT if sandbox else "")), "accountsEmptyState"
        )
        self.empty_state.setWordWrap(True)
        self.empty_state.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.empty_state.setContentsMargins(16, 8, 16, 8)
        self.empty_state.setAccessibleName("No linked accounts yet")

        self.stack = named(QStackedWidget(), "accountsStack")
        self.stack.addWidget(self.empty_state)
        self.stack.addWidget(self.table)

        top = QHBoxLayout()
        top.addWidget(self.toolbar, 1)
        top.addWidget(self.filter_input)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)

    def actions_in_order(self) -> list[QAction]:
        return [
            self.retest_action,
            self.retest_all_action,
            self.rename_action,
            self.copy_action,
            self.reenter_action,
            self.demo_action,
            self.unlink_action,
        ]

    # --- selection ---------------------------------------------------------------------------

    def selected_account(self) -> Account | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        account_id = rows[0].data(ACCOUNT_ID_ROLE)
        return self.model.account(account_id) if isinstance(account_id, str) else None

    def select_account(self, account_id: str) -> None:
        row = self.model.row_of(account_id)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, Column.LABEL))
        if not index.isValid():  # hidden by the filter: show it
            self.filter_input.clear()
            index = self.proxy.mapFromSource(self.model.index(row, Column.LABEL))
        self.table.selectRow(index.row())
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)

    @Slot(QItemSelection, QItemSelection)
    def _on_selection_changed(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        self._refresh_actions()

    # --- state -------------------------------------------------------------------------------

    @Slot()
    def _refresh(self) -> None:
        has_rows = self.model.rowCount() > 0
        self.stack.setCurrentWidget(self.table if has_rows else self.empty_state)
        self.filter_input.setEnabled(has_rows)
        self._refresh_actions()

    @Slot()
    def _refresh_actions(self) -> None:
        account = self.selected_account()
        selected = account is not None
        missing = (
            selected and account is not None and account.status is AccountStatus.MISSING_SECRET
        )
        self.retest_action.setEnabled(selected)
        self.rename_action.setEnabled(selected)
        self.unlink_action.setEnabled(selected)
        self.copy_action.setEnabled(selected and not missing)
        self.reenter_action.setEnabled(bool(missing))
        self.demo_action.setEnabled(selected and not missing)
        self.retest_all_action.setEnabled(self.model.rowCount() > 0)

    # --- slots -------------------------------------------------------------------------------

    @Slot()
    def _start_rename(self) -> None:
        account = self.selected_account()
        if account is None:
            return
        self.select_account(account.id)
        self.table.edit(self.table.currentIndex())

    @Slot(QPoint)
    def _show_context_menu(self, position: QPoint) -> None:
        index: QModelIndex = self.table.indexAt(position)
        if index.isValid():
            self.table.selectRow(index.row())
        menu = QMenu(self.table)
        menu.setObjectName("accountsContextMenu")
        for action in self.actions_in_order():
            if action is self.unlink_action:
                menu.addSeparator()
            menu.addAction(action)
        menu.popup(self.table.viewport().mapToGlobal(position))
