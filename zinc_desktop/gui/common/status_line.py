"""The status bar's message: one elided line in its own space, never over the permanent labels;
announced once to a screen reader, and named in full."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from zinc_desktop.core.accounts.presenting import Presentation
from zinc_desktop.gui.common.announce import Announcer
from zinc_desktop.gui.common.plain_text import tooltip


class StatusLine(QLabel):
    """`show_message(text, seconds)`; the whole text is in the tooltip when it does not fit, and
    always in the accessible name (the label's own text is the elided one)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusMessage")
        self.setAccessibleDescription("Status")  # the name is the message, in full
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(120)
        self._full = ""
        # Presenting: only what the shared screen may show (one customer, no addresses).
        self.presentation: Presentation | None = None
        self._say = Announcer(self)
        self.announced = self._say.said  # the last things told a screen reader
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.clear_message)

    def show_message(self, text: str, seconds: float = 0) -> None:
        """Show `text` (0 seconds: until the next message)."""
        shown = self.presentation.text(text) if self.presentation is not None else text
        self._full = " ".join(shown.split())
        self.setAccessibleName(self._full)
        self._fit()
        if self._full:  # a screen reader does not read a label changing elsewhere: say it
            self._say(self._full)
        if seconds:
            self._timer.start(int(seconds * 1000))
        else:
            self._timer.stop()

    def message(self) -> str:
        return self._full

    @Slot()
    def clear_message(self) -> None:
        self._timer.stop()
        self._full = ""
        self.setAccessibleName("")
        self.setText("")
        self.setToolTip("")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        shown = self.fontMetrics().elidedText(
            self._full, Qt.TextElideMode.ElideRight, max(40, self.width() - 4)
        )
        self.setText(shown)
        self.setToolTip(tooltip(self._full) if shown != self._full else "")
