"""Help › Keyboard shortcuts: every key the window answers to, in one list."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from zinc_desktop.gui.common.naming import named

SHORTCUTS = (
    ("Ctrl+N", "Link an account: open the form, cursor in the key field"),
    ("Ctrl+L", "Go to the key field"),
    ("Ctrl+Shift+K", "Show the key for 10 s (in the key field)"),
    ("Enter", "Connect (in the link form); start the check (in the Demo form)"),
    ("Ctrl+F", "Filter the accounts"),
    ("Esc", "Clear the filter (in the filter field); cancel a dialog"),
    ("F5", "Re-test the selected account's key"),
    ("Shift+F5", "Re-test every key"),
    ("F2", "Rename the selected account"),
    ("Ctrl+Shift+C", "Copy the selected account's key (cleared from the clipboard after 30 s)"),
    ("Ctrl+E", "Re-enter a missing key"),
    ("Ctrl+D", "Demo the selected account"),
    ("Delete", "Unlink the selected account (asks first)"),
    ("Shift+F10 / Menu", "The selected account's actions, as a menu"),
    ("Alt+A / Alt+D / Alt+R", "The Accounts, Demo and Requests pages"),
    ("Ctrl+Shift+P", "Presenting mode on or off"),
    ("Tab / Shift+Tab", "Next / previous control; arrow keys move within a table or list"),
    ("F1", "This list"),
    ("Ctrl+Q", "Quit"),
)


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        table = named(QTableWidget(len(SHORTCUTS), 2), "shortcutsTable", "Keyboard shortcuts")
        table.setHorizontalHeaderLabels(["Keys", "What they do"])
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setTabKeyNavigation(False)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        table.setWordWrap(True)
        for row, (keys, meaning) in enumerate(SHORTCUTS):
            native = " / ".join(
                QKeySequence(part.strip()).toString(QKeySequence.SequenceFormat.NativeText)
                or part.strip()
                for part in keys.split("/")
            )
            table.setItem(row, 0, QTableWidgetItem(native))
            table.setItem(row, 1, QTableWidgetItem(meaning))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        self.resize(680, 560)
        table.resizeRowsToContents()
