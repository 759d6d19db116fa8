"""The linked-accounts table with its toolbar, context menu, filter and empty state."""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPoint,
    QSignalBlocker,
    Qt,
    QTimer,
    Slot,
)
from PySide6.QtGui import QAction, QContextMenuEvent, QFocusEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QStackedWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from zinc_desktop.core.accounts.columns import Column
from zinc_desktop.core.accounts.filters import QuickFilter, count_text
from zinc_desktop.core.accounts.model import Account
from zinc_desktop.core.accounts.presenting import Presentation
from zinc_desktop.core.accounts.selection import AccountAction, enabled_actions
from zinc_desktop.core.foundation.api_key import (
    KeyMatcher,
    looks_like_a_key,
    may_be_a_key_in_disguise,
)
from zinc_desktop.gui.accounts.account_card import AccountCard
from zinc_desktop.gui.accounts.accounts_table_model import ACCOUNT_ID_ROLE, AccountsTableModel
from zinc_desktop.gui.accounts.label_editor import LabelEditDelegate
from zinc_desktop.gui.common import styles
from zinc_desktop.gui.common.announce import Announcer
from zinc_desktop.gui.common.focus_chain import chain_tab_order
from zinc_desktop.gui.common.focus_style import RingedTableView
from zinc_desktop.gui.common.naming import named, with_clear_button
from zinc_desktop.gui.common.plain_text import live_label, sentences
from zinc_desktop.gui.common.platform_keys import (
    StandardKey,
    as_sequences,
    shifted,
    standard_keys,
    with_keys,
)

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
SIMULATOR_HINT = (
    "<p>No key to hand? The built-in simulator opens in a window of its own with working demo "
    "keys for both environments; nothing there reaches Zinc.</p>"
)


class _TableKeyboard(QObject):
    """The table as a keyboard user meets it. A context menu asked for from the keyboard opens
    at the current row, not under a mouse pointer that may be anywhere (and the
    customContextMenuRequested for it is not sent). Arriving by keyboard with nothing selected
    selects the current row (or the first), so the actions work at once, without Space."""

    def __init__(
        self,
        open_menu: Callable[[], None],
        on_arrival: Callable[[Qt.FocusReason], None],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._open_menu = open_menu
        self._on_arrival = on_arrival

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.FocusIn
            and isinstance(event, QFocusEvent)
            and event.reason() != Qt.FocusReason.MouseFocusReason
        ):
            self._on_arrival(event.reason())
            return False
        if (
            event.type() == QEvent.Type.ContextMenu
            and isinstance(event, QContextMenuEvent)
            and event.reason() == QContextMenuEvent.Reason.Keyboard
        ):
            self._open_menu()
            return True
        return False


# When the table is narrow (a small window, 2x scale), these columns give way, in this order,
# so the label (who the account is) keeps room to be read. Each says itself in the row's
# tooltip and accessible text all the same.
_GIVE_WAY = (Column.PACKAGES, Column.LAST_CHECKED, Column.KEY)
LABEL_ROOM = 200  # the least a label gets before another column gives way

# Arriving in the table by these, a screen reader hears only "table, Linked accounts": the row
# is announced too. (Back from a popup, or the window activated again, it is not said again.)
_KEYBOARD_ARRIVALS = (
    Qt.FocusReason.TabFocusReason,
    Qt.FocusReason.BacktabFocusReason,
    Qt.FocusReason.ShortcutFocusReason,
)
# What a row is called when it is announced: who, where, and how it stands.
_ROW_SAID = (Column.LABEL, Column.ENVIRONMENT, Column.STATUS)


class _Resized(QObject):
    def __init__(self, on_resize: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self._on_resize = on_resize

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._on_resize()
        return False


class AccountsPanel(QWidget):
    """A view over the model. Its QActions are public; the window connects them."""

    def __init__(
        self, model: AccountsTableModel, *, sandbox: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.presentation: Presentation | None = None
        self._say = Announcer(self)
        self.announced = self._say.said  # the last things told a screen reader
        self._build(sandbox)
        # Many changes arrive in a burst (re-test all: one per account): the counts, the page
        # and the actions are brought up to date once per burst, not once per change.
        self._refresh_soon = QTimer(self)
        self._refresh_soon.setSingleShot(True)
        self._refresh_soon.setInterval(0)
        self._refresh_soon.timeout.connect(self._refresh)
        self._actions_soon = QTimer(self)
        self._actions_soon.setSingleShot(True)
        self._actions_soon.setInterval(0)
        self._actions_soon.timeout.connect(self._refresh_actions)
        model.modelReset.connect(self._refresh)
        model.rowsInserted.connect(self._refresh)
        model.rowsRemoved.connect(self._refresh)
        model.dataChanged.connect(self._actions_soon.start)
        model.accountsChanged.connect(self._refresh_soon.start)
        self._refresh()

    def _action(self, text: str, name: str, keys: list[QKeySequence] | str, tip: str) -> QAction:
        action = named(QAction(text, self), name)
        action.setShortcuts(as_sequences(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(with_keys(tip, keys))
        action.setStatusTip(tip)
        return action

    def _build(self, sandbox: bool) -> None:
        # Re-test is the platform's Refresh: F5 (and Ctrl+R on GNOME), ⌘R on macOS.
        refresh = standard_keys(StandardKey.Refresh, fallback="F5")
        self.retest_action = self._action(
            "Re-test", "retestAction", refresh, "Check the selected key with Zinc again"
        )
        self.retest_all_action = self._action(
            "Re-test all",
            "retestAllAction",
            shifted(refresh),
            "Check every linked key with Zinc again",
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
        self.replace_action = self._action(
            "Replace key…",
            "replaceKeyAction",
            "Ctrl+E",
            "Give the selected account a new key (rotated, rejected or missing); it is proven "
            "first, and the account keeps its name, id and checks",
        )
        # Delete's first key only (Del): X11 adds Ctrl+D, which is Demo here.
        self.unlink_action = self._action(
            "Unlink",
            "unlinkAction",
            standard_keys(StandardKey.Delete)[:1],
            "Remove the key and the account",
        )
        self.demo_action = self._action(
            "Demo", "demoAction", "Ctrl+D", "Show packages and start a test check for this account"
        )
        # Behind the Needs-attention filter, where the rejected accounts are in view.
        self.unlink_rejected_action = named(
            QAction("Unlink all rejected…", self), "unlinkRejectedAction"
        )
        self.unlink_rejected_action.setToolTip(
            "Unlink every account shown whose key Zinc refused (one confirmation)"
        )
        self.unlink_rejected_button = named(
            QToolButton(), "unlinkRejectedButton", "Unlink all rejected"
        )
        self.unlink_rejected_button.setDefaultAction(self.unlink_rejected_action)
        self.unlink_rejected_button.hide()
        self.retest_all_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.rename_action.triggered.connect(self._start_rename)

        self.toolbar = named(QToolBar("Account actions", self), "accountsToolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in self.actions_in_order():
            self.toolbar.addAction(action)
        self.toolbar.insertSeparator(self.unlink_action)
        self.toolbar.setAccessibleName("Account actions")
        overflow = self.toolbar.findChild(QToolButton, "qt_toolbar_ext_button")
        if overflow is not None:  # Qt's "»" for actions that do not fit: unnamed otherwise
            overflow.setAccessibleName("More account actions")

        self.filter_input = named(QLineEdit(), "filterInput")
        self.filter_input.setPlaceholderText("Filter by label, status…")
        self.filter_input.setToolTip(
            with_keys("Matches label, environment, status, key ending or id", StandardKey.Find)
        )
        self.filter_input.setAccessibleName("Filter accounts")
        with_clear_button(self.filter_input, "Clear the filter")
        self.filter_input.setMinimumWidth(240)
        self.filter_input.setMaximumWidth(320)
        self.filter_input.textChanged.connect(self._apply_filters)
        self.filter_input.addAction(self._clear_filters_action())

        self.quick_filters = QButtonGroup(self)
        self.quick_filters.setExclusive(True)
        self.quick_buttons: dict[QuickFilter, QToolButton] = {}
        for quick in QuickFilter:
            button = named(
                QToolButton(),
                f"quickFilter{quick.name.title().replace('_', '')}",
                f"Show {quick.label.lower()} accounts"
                if quick is not QuickFilter.ALL
                else "Show all accounts",
            )
            button.setText(quick.label)
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.setChecked(quick is QuickFilter.ALL)
            self.quick_filters.addButton(button)
            self.quick_buttons[quick] = button
        self.quick_filters.buttonToggled.connect(self._on_quick_filter)
        self.count_label = live_label("accountCount", "Number of accounts")

        self.table = named(RingedTableView(), "accountsTable")
        self.table.setModel(self.model)
        self.table.setAccessibleName("Linked accounts")
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move between rows
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Several rows (Ctrl/Shift+click, Shift+arrows) for Re-test and Unlink together.
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.label_delegate = LabelEditDelegate(self.table)
        self.table.setItemDelegateForColumn(Column.LABEL, self.label_delegate)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.LABEL, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        named(self.table.verticalHeader(), "accountsRowHeader", "Rows").hide()
        header = named(self.table.horizontalHeader(), "accountsColumns", "Columns: click to sort")
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.LABEL, QHeaderView.ResizeMode.Stretch)
        self._widths = {Column.ENVIRONMENT: 120, Column.KEY: 90, Column.STATUS: 130,
                        Column.LAST_CHECKED: 120, Column.PACKAGES: 80}  # fmt: skip
        for column, width in self._widths.items():
            self.table.setColumnWidth(column, width)
        self._resized = _Resized(self._fit_columns, self)
        self.table.viewport().installEventFilter(self._resized)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._show_context_menu)
        # The Menu key (and Shift+F10 where the platform maps it) arrives as a context-menu
        # event: it opens the current row's menu, once. Shift+F10 gets a shortcut of its own
        # only where no such event comes (X11, Wayland): two menus for one press otherwise.
        self._keyboard_menu = _TableKeyboard(
            self._show_context_menu_at_current, self._select_on_arrival, self
        )
        self.table.installEventFilter(self._keyboard_menu)
        self.table.viewport().installEventFilter(self._keyboard_menu)
        if sys.platform != "win32":
            opener = QShortcut(QKeySequence("Shift+F10"), self.table)
            opener.setWhatsThis("The selected accounts' actions, as a menu")
            opener.setContext(Qt.ShortcutContext.WidgetShortcut)
            opener.activated.connect(self._show_context_menu_at_current)
        for action in self.actions_in_order():
            self.table.addAction(action)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)

        self.empty_state = named(
            QLabel(EMPTY_STATE + (SANDBOX_HINT if sandbox else SIMULATOR_HINT)),
            "accountsEmptyState",
        )
        self.empty_state.setWordWrap(True)
        self.empty_state.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.empty_state.setAccessibleName("No linked accounts yet")
        # Talking to real Zinc with nothing linked: a demo without a key is one press away.
        self.try_simulator_button = named(
            QPushButton("Open the offline &simulator"),
            "trySimulatorButton",
            "Open the offline simulator",
        )
        self.try_simulator_button.setAccessibleDescription(
            "Opens a second window on the built-in simulator, with demo keys"
        )
        self.try_simulator_button.setVisible(not sandbox)
        empty_page = QWidget()
        empty_layout = QVBoxLayout(empty_page)
        empty_layout.setContentsMargins(16, 8, 16, 16)
        empty_layout.addWidget(self.empty_state)
        empty_layout.addWidget(self.try_simulator_button, 0, Qt.AlignmentFlag.AlignLeft)
        empty_layout.addStretch(1)

        self.no_matches = live_label("accountsNoMatches")
        self.no_matches.setWordWrap(True)
        self.no_matches.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.no_matches.setContentsMargins(16, 12, 16, 8)

        self.filter_notice = live_label("filterNotice", "About the filter")
        self.filter_notice.setWordWrap(True)
        self.filter_notice.hide()

        self.stack = named(QStackedWidget(), "accountsStack")
        self.stack.addWidget(empty_page)
        self.empty_page = empty_page
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.no_matches)
        self.card = AccountCard()
        self.stack.addWidget(self.card)

        top = QHBoxLayout()
        self._top = top
        top.addWidget(self.toolbar, 1)
        top.addWidget(self.filter_input)
        filters = QHBoxLayout()
        for button in self.quick_buttons.values():
            filters.addWidget(button)
        filters.addStretch(1)
        filters.addWidget(self.unlink_rejected_button)
        filters.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.filter_notice)
        layout.addWidget(self.stack, 1)
        chain_tab_order(self.focus_order())

    def focus_order(self) -> list[QWidget]:
        """Filter, quick filters (one stop: arrow keys move between them), then the table (or,
        presenting, the account's card)."""
        return [
            self.filter_input,
            *self.quick_buttons.values(),
            self.unlink_rejected_button,
            self.try_simulator_button,
            self.table,
            self.card,
        ]

    def add_leading_widget(self, widget: QWidget) -> None:
        """A widget of the window's before the toolbar (e.g. Link account…)."""
        self._top.insertWidget(0, widget)

    def actions_in_order(self) -> list[QAction]:
        return [
            self.retest_action,
            self.retest_all_action,
            self.rename_action,
            self.copy_action,
            self.replace_action,
            self.demo_action,
            self.unlink_action,
        ]

    # --- selection ---------------------------------------------------------------------------

    def selected_accounts(self) -> list[Account]:
        """The selected accounts, in the order the table shows them."""
        rows = sorted(self.table.selectionModel().selectedRows(), key=lambda index: index.row())
        ids = [index.data(ACCOUNT_ID_ROLE) for index in rows]
        found = [self.model.account(i) for i in ids if isinstance(i, str)]
        return [account for account in found if account is not None]

    def selected_account(self) -> Account | None:
        """The selected account when exactly one is selected."""
        selected = self.selected_accounts()
        return selected[0] if len(selected) == 1 else None

    def shown_accounts(self) -> list[Account]:
        return self.model.shown_accounts()

    def _fit_columns(self) -> None:
        """Presenting hides the key ending; a narrow table hides what gives way first."""
        room = self.table.viewport().width()
        hidden = {Column.KEY} if self.presentation is not None else set()
        for column in _GIVE_WAY:
            shown = sum(w for c, w in self._widths.items() if c not in hidden)
            if room - shown >= LABEL_ROOM:
                break
            hidden.add(column)
        for column in self._widths:
            if self.table.isColumnHidden(column) != (column in hidden):
                self.table.setColumnHidden(column, column in hidden)

    def _select_only(self, row: int) -> None:
        """Select this row alone and make it current. (QTableView.selectRow reads the keyboard
        modifiers of the moment: with Ctrl or Shift held it toggled or extended instead.)"""
        index = self.model.index(row, Column.LABEL)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

    def select_accounts(self, account_ids: list[str]) -> None:
        """Select these (those shown); the first becomes the current row."""
        selection = QItemSelection()
        first: QModelIndex | None = None
        for account_id in account_ids:
            row = self.model.row_of(account_id)
            if row is None:
                continue
            left = self.model.index(row, 0)
            selection.select(left, self.model.index(row, self.model.columnCount() - 1))
            first = first or self.model.index(row, Column.LABEL)
        if first is None:
            return
        model = self.table.selectionModel()
        model.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        model.setCurrentIndex(first, QItemSelectionModel.SelectionFlag.NoUpdate)

    def select_first(self) -> None:
        if self.model.rowCount() and self.selected_account() is None:
            self._select_only(0)

    def _select_on_arrival(self, reason: Qt.FocusReason) -> None:
        if not self.model.rowCount():
            return
        if not self.table.selectionModel().hasSelection():
            current = self.table.currentIndex()
            self._select_only(current.row() if current.isValid() else 0)
        if reason in _KEYBOARD_ARRIVALS:
            self._say(self.current_row_text(), self.table)

    def current_row_text(self) -> str:
        """The current row as a screen reader is told it: the model's accessible text for its
        label, environment and status (masked by the model while presenting), and how many
        rows are selected when it is more than this one."""
        current = self.table.currentIndex()
        if not current.isValid():
            return ""
        row = current.row()
        cells = (
            self.model.index(row, column).data(Qt.ItemDataRole.AccessibleTextRole)
            for column in _ROW_SAID
        )
        selected = len(self.table.selectionModel().selectedRows())
        many = f"{selected} accounts selected" if selected > 1 else ""
        return sentences(many, *(cell for cell in cells if isinstance(cell, str)))

    def select_account(self, account_id: str) -> None:
        if self.model.account(account_id) is None:
            return
        row = self.model.row_of(account_id)
        if row is None:  # hidden by a filter: show them all
            self.clear_filters()
            row = self.model.row_of(account_id)
            if row is None:
                return  # hidden by presenting mode
        self._select_only(row)
        self.table.scrollTo(self.model.index(row, Column.LABEL))

    @Slot(QItemSelection, QItemSelection)
    def _on_selection_changed(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        self._refresh_actions()

    # --- state -------------------------------------------------------------------------------

    def _clear_filters_action(self) -> QAction:
        action = named(QAction("Clear filters", self), "clearFiltersAction")
        action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(self.clear_filters)
        return action

    @Slot()
    def clear_filters(self) -> None:
        self.filter_input.clear()
        self.quick_buttons[QuickFilter.ALL].setChecked(True)

    def quick_filter(self) -> QuickFilter:
        for quick, button in self.quick_buttons.items():
            if button.isChecked():
                return quick
        return QuickFilter.ALL

    @property
    def presenting(self) -> bool:
        return self.presentation is not None

    def set_presentation(self, presentation: Presentation | None) -> None:
        """Presenting one customer: their row alone, no key ending, and nothing that would say
        how many others there are (filters, counts, Re-test all)."""
        entering = presentation is not None and self.presentation is None
        self.presentation = presentation
        presenting = presentation is not None
        if entering:
            with QSignalBlocker(self.filter_input):
                self.filter_input.clear()
            self.quick_buttons[QuickFilter.ALL].setChecked(True)
        for widget in (self.filter_input, self.count_label, self.filter_notice,
                       *self.quick_buttons.values()):  # fmt: skip
            widget.setVisible(not presenting and widget is not self.filter_notice)
        self.retest_all_action.setVisible(not presenting)
        self._fit_columns()
        self._apply_filters()
        if presentation is not None:
            self.select_account(presentation.account_id)

    @Slot(QToolButton, bool)
    def _on_quick_filter(self, button: QToolButton, checked: bool) -> None:
        if checked:
            self._apply_filters()

    def _filter_text(self) -> str:
        """The typed filter, unless it may be an API key: then it is cleared at once, never
        shown back ("No account matches …") nor kept, and the user is told why."""
        text = self.filter_input.text()
        if not (looks_like_a_key(text) or may_be_a_key_in_disguise(text)):
            self.filter_notice.hide()
            return text
        hints = {account.key_hint for account in self.model.accounts()}
        if not KeyMatcher(hints).may_hold_a_key(text):
            self.filter_notice.hide()
            return text
        with QSignalBlocker(self.filter_input):
            self.filter_input.clear()
        self.filter_notice.setText(
            "That looked like an API key, so the filter was cleared at once. Filter by label, "
            "status, environment, key ending (4 characters) or id."
        )
        styles.restyle(self.filter_notice, styles.feedback_style("warning", self.palette()))
        self.filter_notice.show()
        return ""

    @Slot()
    def _apply_filters(self) -> None:
        selected = [account.id for account in self.selected_accounts()]
        self.model.set_rules(self.quick_filter(), self._filter_text(), self.presentation)
        still = [i for i in selected if self.model.row_of(i) is not None]
        if len(still) == 1:
            self.select_account(still[0])  # a reset clears the selection; keep the row
        elif still:
            self.select_accounts(still)
        self._refresh()

    @Slot()
    def _refresh(self) -> None:
        total = self.model.total()
        shown = self.model.rowCount()
        presented = self.model.account_at(0) if self.presentation is not None else None
        if presented is not None and self.presentation is not None:
            self.card.show_account(presented, self.presentation)
            if self.stack.currentWidget() is not self.card:
                focused = self.table.hasFocus()
                self.stack.setCurrentWidget(self.card)
                if focused:
                    self.card.setFocus()
        elif total == 0:
            self.stack.setCurrentWidget(self.empty_page)
        elif shown == 0:
            self.no_matches.setText(self._no_matches_text())
            self.stack.setCurrentWidget(self.no_matches)
        else:
            self.stack.setCurrentWidget(self.table)
        self.filter_input.setEnabled(total > 0)
        for button in self.quick_buttons.values():
            button.setEnabled(total > 0)
        self._show_count()
        self._refresh_actions()

    def _show_count(self) -> None:
        text = count_text(self.model.rowCount(), self.model.shown_total())
        self.count_label.setText(text if self.model.total() else "")

    def _no_matches_text(self) -> str:
        """Says why the table is empty without repeating what was typed: the filter box shows it
        already, and half a key typed one character at a time must not be read out twice."""
        quick = self.quick_filter()
        typed = bool(self.filter_input.text().strip())
        where = "" if quick is QuickFilter.ALL else f" among {quick.label.lower()} accounts"
        what = "matches the filter" if typed else "is here"
        return f"No account {what}{where}. Press Esc in the filter, or choose All, to see them all."

    @Slot()
    def _refresh_actions(self) -> None:
        selected = self.selected_accounts()
        count = self.model.shown_rejected()
        enabled = enabled_actions(
            selected, total=self.model.total(), rejected_shown=count, presenting=self.presenting
        )
        for action, rule in self._rules().items():
            action.setEnabled(rule in enabled)
        many = len(selected) > 1
        self.retest_action.setText(f"Re-test {len(selected)}" if many else "Re-test")
        self.unlink_action.setText(f"Unlink {len(selected)}…" if many else "Unlink")
        self.unlink_rejected_action.setText(f"Unlink all rejected ({count})…")
        self.unlink_rejected_button.setVisible(
            self.quick_filter() is QuickFilter.NEEDS_ATTENTION and not self.presenting and count > 0
        )

    def _rules(self) -> dict[QAction, AccountAction]:
        return {
            self.retest_action: AccountAction.RETEST,
            self.retest_all_action: AccountAction.RETEST_ALL,
            self.rename_action: AccountAction.RENAME,
            self.copy_action: AccountAction.COPY_KEY,
            self.replace_action: AccountAction.REPLACE_KEY,
            self.demo_action: AccountAction.DEMO,
            self.unlink_action: AccountAction.UNLINK,
            self.unlink_rejected_action: AccountAction.UNLINK_REJECTED,
        }

    # --- slots -------------------------------------------------------------------------------

    @Slot()
    def _start_rename(self) -> None:
        account = self.selected_account()
        if account is None:
            return
        self.select_account(account.id)
        self.table.edit(self.table.currentIndex())

    @Slot()
    def _show_context_menu_at_current(self) -> None:
        current = self.table.currentIndex()
        if not current.isValid():
            return
        if not self.table.selectionModel().isRowSelected(current.row(), QModelIndex()):
            self._select_only(current.row())
        self._popup_menu(self.table.visualRect(current).bottomLeft())

    @Slot(QPoint)
    def _show_context_menu(self, position: QPoint) -> None:
        index: QModelIndex = self.table.indexAt(position)
        selection = self.table.selectionModel()
        if index.isValid() and not selection.isRowSelected(index.row(), QModelIndex()):
            self._select_only(index.row())  # a right-click inside a selection keeps it
        self._popup_menu(position)

    def _popup_menu(self, position: QPoint) -> None:
        menu = QMenu("Account actions", self.table)  # else heard as the application's name
        menu.setObjectName("accountsContextMenu")
        menu.setAccessibleName("Account actions")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # one menu per opening, then gone
        for action in self.actions_in_order():
            if action is self.unlink_action:
                menu.addSeparator()
            menu.addAction(action)
        menu.popup(self.table.viewport().mapToGlobal(position))
