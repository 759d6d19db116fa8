"""Enter presses the focused button, in the main window as it does in dialogs.

Qt leaves Enter to dialogs' default buttons: in a main window, Enter on a focused push button
does nothing and only Space clicks it. People press Enter; the help says Enter starts a check.

The filter sits on each push button as it takes focus, not on the whole application: an
application-wide Python filter is called for every event of every object, and hands each of
those objects to Python (PySide then builds the Python class of every widget type the window
uses, with all its enums, tens of milliseconds at start-up).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QPushButton, QWidget

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class EnterPressesButtons(QObject):
    """Create on the GUI thread with the QApplication; `stop()` leaves buttons alone again."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        app.focusChanged.connect(self._watch)

    @Slot(QWidget, QWidget)
    def _watch(self, _old: QWidget | None, new: QWidget | None) -> None:
        if isinstance(new, QPushButton):
            new.installEventFilter(self)  # installing twice keeps one

    def stop(self) -> None:
        self._app.focusChanged.disconnect(self._watch)
        for button in self._app.allWidgets():
            if isinstance(button, QPushButton):
                button.removeEventFilter(self)

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
