"""Enter presses the focused button, in the main window as it does in dialogs.

Qt leaves Enter to dialogs' default buttons: in a main window, Enter on a focused push button
does nothing and only Space clicks it. People press Enter; the help says Enter starts a check.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QPushButton

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class EnterPressesButtons(QObject):
    """Install on the QApplication; keep a reference for as long as it runs."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(watched, QPushButton):
            return False
        assert isinstance(event, QKeyEvent)
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if event.key() not in _ENTER or modifiers != Qt.KeyboardModifier.NoModifier:
            return False
        if isinstance(watched.window(), QDialog) or not watched.isEnabled():
            return False  # dialogs have their own rule: Enter is the default button
        watched.animateClick()
        return True
