"""A line edit for an API key that never hands the key to the accessibility bus.

Qt's password line edit draws bullets, but its accessibility events (text inserted, removed,
updated) carry the real characters: on Linux every process on the session's AT-SPI bus receives
the key, and a screen reader may speak it (KeePassXC met the same in Qt). So this field keeps the
key in Python and gives Qt only a mask of the same length: whatever Qt reports is bullets.

Editing is done here: typing, Backspace and Delete (with their word and line forms), paste
(keyboard, context menu, middle click), drop and input-method commits. Anything else that would
change the mask (an undo, say) cannot be mapped back to the key, so the field is cleared rather
than left out of step. While revealed ("Show key", a sighted user's explicit choice, for a few
seconds), the field is an ordinary one showing the key.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, Qt, Signal, Slot
from PySide6.QtGui import (
    QClipboard,
    QContextMenuEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QInputMethodEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
)
from PySide6.QtWidgets import QLineEdit, QMenu, QWidget

from zinc_desktop.gui.common.naming import named

MASK = "•"
MAX_SECRET = 4096  # far beyond any key; a huge paste is cut here, not kept whole
_LINE_BREAKS = str.maketrans("", "", "\r\n\u2028\u2029")
_DELETIONS = (
    QKeySequence.StandardKey.DeleteStartOfWord,
    QKeySequence.StandardKey.DeleteEndOfWord,
    QKeySequence.StandardKey.DeleteEndOfLine,
    QKeySequence.StandardKey.DeleteCompleteLine,
)
_IGNORED = (
    QKeySequence.StandardKey.Undo,
    QKeySequence.StandardKey.Redo,
    QKeySequence.StandardKey.Cut,
    QKeySequence.StandardKey.Copy,
)


class SecretLineEdit(QLineEdit):
    """`text()` and `setText()` (from Python) are the secret; Qt itself only ever holds the mask.

    Signals:
        secretChanged(): the secret changed (read it with `text()`).
        secretEdited(): the user changed it (typing, paste, drop, clear button).
    """

    secretChanged = Signal()
    secretEdited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._secret = ""
        self._revealed = False
        self._applying = False
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.setDragEnabled(False)
        self.setAcceptDrops(True)
        super().textChanged.connect(self._on_shown_changed)

    # --- the secret ------------------------------------------------------------------------------

    def text(self) -> str:  # Python callers get the secret
        return self._secret

    def setText(self, text: str | None) -> None:
        self._set_secret((text or "")[:MAX_SECRET], edited=False)

    def clear(self) -> None:
        self._set_secret("", edited=False)

    def shown_text(self) -> str:
        """What Qt holds (and tells assistive technology): the mask, unless revealed."""
        return QLineEdit.text(self)

    def set_revealed(self, revealed: bool) -> None:
        if revealed == self._revealed:
            return
        self._revealed = revealed
        cursor = self.cursorPosition()
        self.setEchoMode(QLineEdit.EchoMode.Normal if revealed else QLineEdit.EchoMode.Password)
        self._show()
        self.setCursorPosition(cursor)

    def _masked(self) -> str:
        return self._secret if self._revealed else MASK * len(self._secret)

    def _show(self) -> None:
        self._applying = True
        try:
            QLineEdit.setText(self, self._masked())
        finally:
            self._applying = False

    def _set_secret(self, secret: str, *, edited: bool) -> None:
        changed = secret != self._secret
        self._secret = secret
        if self.shown_text() != self._masked():
            self._show()
        if changed:
            self.secretChanged.emit()
        if edited:
            self.secretEdited.emit()

    def _replace(self, start: int, end: int, text: str) -> None:
        """Put `text` in place of the secret's [start, end), as the user's edit. The mask
        takes the same small edit (so what is reported is one change, not the whole field
        again), and the cursor ends after what was put in."""
        if self.isReadOnly():
            return
        text = text.translate(_LINE_BREAKS)
        room = MAX_SECRET - (len(self._secret) - (end - start))
        text = text[: max(0, room)]
        if not text and start == end:
            return
        self._applying = True
        try:
            self.setSelection(start, end - start)
            if text:
                self.insert(MASK * len(text))
            else:
                self.del_()
        finally:
            self._applying = False
        self._set_secret(self._secret[:start] + text + self._secret[end:], edited=True)
        self.setCursorPosition(start + len(text))

    def _selection_or(self, start: int, end: int) -> tuple[int, int]:
        if self.hasSelectedText():
            first = self.selectionStart()
            return first, first + len(self.selectedText())
        length = len(self._secret)
        return max(0, min(start, length)), max(0, min(end, length))

    def _insert(self, text: str) -> None:
        start, end = self._selection_or(self.cursorPosition(), self.cursorPosition())
        self._replace(start, end, text)

    @Slot(str)
    def _on_shown_changed(self, shown: str) -> None:
        if self._applying:
            return
        if self._revealed:  # an ordinary field while revealed: what it shows is the secret
            self._set_secret(shown[:MAX_SECRET], edited=True)
        elif shown != self._masked():
            # Qt changed the mask itself (the clear button, an undo): the key cannot follow an
            # edit it never saw, so it is cleared, in step, rather than kept wrong.
            self._set_secret("", edited=True)

    # --- editing, when not revealed ---------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._revealed:
            super().keyPressEvent(event)
            return
        if event.matches(QKeySequence.StandardKey.Paste):
            self._paste(QClipboard.Mode.Clipboard)
            event.accept()
            return
        if any(event.matches(ignored) for ignored in _IGNORED):
            event.accept()
            return
        cursor, length = self.cursorPosition(), len(self._secret)
        span = self._deletion(event, cursor, length)
        if span is not None:
            self._replace(*span, "")
            event.accept()
            return
        typed = event.text()
        chord = event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier
            | Qt.KeyboardModifier.AltModifier
            | Qt.KeyboardModifier.MetaModifier
        )
        if typed and typed.isprintable() and not chord:
            self._insert(typed)
            event.accept()
            return
        super().keyPressEvent(event)  # moving, selecting, Enter, Escape: the mask is enough

    def _deletion(self, event: QKeyEvent, cursor: int, length: int) -> tuple[int, int] | None:
        if self.hasSelectedText() and event.key() in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
            return self._selection_or(cursor, cursor)
        if event.matches(QKeySequence.StandardKey.DeleteCompleteLine):
            return 0, length
        if event.matches(QKeySequence.StandardKey.DeleteStartOfWord):
            return 0, cursor  # a key is one word
        if event.matches(QKeySequence.StandardKey.DeleteEndOfWord) or event.matches(
            QKeySequence.StandardKey.DeleteEndOfLine
        ):
            return cursor, length
        if event.key() == Qt.Key.Key_Backspace:
            return (cursor - 1, cursor) if cursor > 0 else (0, 0)
        if event.key() == Qt.Key.Key_Delete:
            return (cursor, cursor + 1) if cursor < length else (length, length)
        return None

    def _paste(self, mode: QClipboard.Mode) -> None:
        self._insert(QGuiApplication.clipboard().text(mode))

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:
        if self._revealed:
            super().inputMethodEvent(event)
            return
        if event.commitString():  # a pre-edit string is never shown: it would be the key
            self._insert(event.commitString())
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        clipboard = QGuiApplication.clipboard()
        if (
            not self._revealed
            and event.button() == Qt.MouseButton.MiddleButton
            and clipboard.supportsSelection()
        ):
            self.setCursorPosition(self.cursorPositionAt(event.position().toPoint()))
            self._paste(QClipboard.Mode.Selection)
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._accepts(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        if not self._accepts(event.mimeData()):
            event.ignore()
            return
        self.setCursorPosition(self.cursorPositionAt(event.position().toPoint()))
        self._insert(event.mimeData().text())
        event.acceptProposedAction()

    def _accepts(self, data: QMimeData | None) -> bool:
        return data is not None and data.hasText() and not self.isReadOnly()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """Paste and Clear only: Qt's menu would edit the mask behind the key's back."""
        if self._revealed:
            super().contextMenuEvent(event)
            return
        menu = named(QMenu(self), "keyFieldMenu", "Key field actions")
        paste = menu.addAction("&Paste", lambda: self._paste(QClipboard.Mode.Clipboard))
        paste.setEnabled(not self.isReadOnly() and bool(QGuiApplication.clipboard().text()))
        clear = menu.addAction("&Clear", self._clear_by_user)
        clear.setEnabled(not self.isReadOnly() and bool(self._secret))
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        position = (
            event.globalPos()
            if event.reason() != event.Reason.Keyboard
            else (self.mapToGlobal(QPoint(self.cursorRect().left(), self.height())))
        )
        menu.popup(position)
        event.accept()

    @Slot()
    def _clear_by_user(self) -> None:
        self._set_secret("", edited=True)
