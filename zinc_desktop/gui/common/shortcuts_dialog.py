"""Help › Keyboard shortcuts: every key the window answers to, in one list."""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtCore import Qt
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
from zinc_desktop.gui.common.platform_keys import mnemonic_keys, modifier_text, native_text, typed

_KEYS_IN_TIP = re.compile(r"\s*\([^()]*\)\s*$")


def general_keys(pages: Iterable[str] = ()) -> list[tuple[str, str]]:
    """Keys no QAction or QShortcut owns (Qt's own behaviour, the pages' mnemonics), as the
    platform writes them. Everything else is read from the actions and shortcuts themselves,
    so the list cannot drift."""
    ctrl = modifier_text(Qt.KeyboardModifier.ControlModifier)
    shift = modifier_text(Qt.KeyboardModifier.ShiftModifier)
    rows = [
        (_native("Enter"), "Connect (in the link form); start the check (in the Demo form)"),
        (_native("Esc"), "Clear the filter (in the filter field); cancel a verify or a dialog"),
        (_native("Menu"), "The selected accounts' actions, as a menu"),
        (
            _native("Shift+Up / Shift+Down"),
            f"Select several accounts ({ctrl}click and {shift}click too)",
        ),
    ]
    titles = [title for title in pages if "&" in title]
    mnemonics = mnemonic_keys(titles)
    if titles and len(mnemonics) == len(titles):  # none on macOS, where Qt turns them off
        names = [title.replace("&", "") for title in titles]
        listed = f"{', '.join(names[:-1])} and {names[-1]}" if len(names) > 1 else names[0]
        rows.append((native_text(mnemonics), f"The {listed} pages"))
    rows.append(
        (
            _native("Tab / Shift+Tab"),
            "Next / previous control; arrow keys move within a table or list",
        )
    )
    return rows


def _native(keys: str) -> str:
    """Keys in Qt's portable spelling ("Shift+Up / Shift+Down") as the platform writes them."""
    return " / ".join(
        QKeySequence(part.strip()).toString(QKeySequence.SequenceFormat.NativeText) or part.strip()
        for part in keys.split(" / ")
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
    actions: Iterable[QAction], shortcuts: Iterable[QShortcut] = (), pages: Iterable[str] = ()
) -> list[tuple[str, str]]:
    """(keys, what they do) for every action and shortcut that has keys, in the order given,
    each set of keys once; then the general keys (joined to an action's row if it owns them).
    `pages`: the tabs' titles, whose mnemonics open them. Keys are written as the platform
    writes them, without a keyboard's dedicated keys (Refresh, Help) Qt adds to standard keys."""
    rows: dict[str, str] = {}  # keys, as the platform writes them -> what they do
    for action in actions:
        if action.objectName().startswith(("_q_", "qt_")):
            continue
        keys = native_text(typed(action.shortcuts()))
        if keys:
            rows.setdefault(keys, _meaning(action))
    for shortcut in shortcuts:
        keys = native_text(typed(shortcut.keys()))
        if keys and shortcut.whatsThis():
            rows.setdefault(keys, shortcut.whatsThis())
    for native, meaning in general_keys(pages):
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
