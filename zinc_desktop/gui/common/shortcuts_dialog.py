"""Help › Keyboard shortcuts: every key the window answers to, in one list."""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtGui import QAction, QKeySequence, QShortcut
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

# Keys no QAction or QShortcut owns (Qt's own behaviour, mnemonics): listed as written here.
# Everything else is read from the actions and shortcuts themselves, so the list cannot drift.
GENERAL_KEYS = (
    ("Enter", "Connect (in the link form); start the check (in the Demo form)"),
    ("Esc", "Clear the filter (in the filter field); cancel a verify or a dialog"),
    ("Menu", "The selected accounts' actions, as a menu"),
    ("Shift+Up / Shift+Down", "Select several accounts (Ctrl+click and Shift+click too)"),
    ("Alt+A / Alt+D / Alt+R", "The Accounts, Demo and Requests pages"),
    ("Tab / Shift+Tab", "Next / previous control; arrow keys move within a table or list"),
)
_KEYS_IN_TIP = re.compile(r"\s*\([^()]*\)\s*$")


def _native(keys: str) -> str:
    return " / ".join(
        QKeySequence(part.strip()).toString(QKeySequence.SequenceFormat.NativeText) or part.strip()
        for part in keys.split("/")
    )


def _meaning(action: QAction) -> str:
    """The action's name, then what it does as its status tip or tooltip says (without the
    keys in brackets): "Re-test: check the selected key with Zinc again"."""
    name = action.text().replace("&", "").rstrip("…").strip()
    told = (action.statusTip() or _KEYS_IN_TIP.sub("", action.toolTip())).strip()
    if not told or told.casefold() == name.casefold():
        return name
    return f"{name}: {told[:1].lower()}{told[1:]}" if name else told


def shortcut_rows(
    actions: Iterable[QAction], shortcuts: Iterable[QShortcut] = ()
) -> list[tuple[str, str]]:
    """(keys, what they do) for every action and shortcut that has keys, in the order given,
    each set of keys once; then the general keys (joined to an action's row if it owns them)."""
    rows: dict[str, str] = {}  # keys, as the platform writes them -> what they do
    for action in actions:
        if action.objectName().startswith(("_q_", "qt_")):
            continue
        keys = " / ".join(
            key.toString(QKeySequence.SequenceFormat.NativeText)
            for key in action.shortcuts()
            if not key.isEmpty()
        )
        if keys:
            rows.setdefault(keys, _meaning(action))
    for shortcut in shortcuts:
        keys = shortcut.key().toString(QKeySequence.SequenceFormat.NativeText)
        if keys and shortcut.whatsThis():
            rows.setdefault(keys, shortcut.whatsThis())
    for keys, meaning in GENERAL_KEYS:
        native = _native(keys)
        owned = rows.get(native)
        rows[native] = f"{owned}; {meaning[:1].lower()}{meaning[1:]}" if owned else meaning
    return list(rows.items())


class ShortcutsDialog(QDialog):
    def __init__(self, rows: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        table = named(QTableWidget(len(rows), 2), "shortcutsTable", "Keyboard shortcuts")
        table.setHorizontalHeaderLabels(["Keys", "What they do"])
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setTabKeyNavigation(False)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        table.setWordWrap(True)
        for row, (keys, meaning) in enumerate(rows):
            table.setItem(row, 0, QTableWidgetItem(keys))
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
