"""Say something to a screen reader once, without moving focus (an AT-SPI announcement on
Linux, NSAccessibility's announcement on macOS, a UI Automation notification on Windows)."""

from __future__ import annotations

from collections import deque

from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QWidget

KEPT = 20  # how many of the last announcements a view keeps (what a test reads)


def announce(widget: QWidget, text: str) -> None:
    """Politely announce `text`, from `widget` (which gives it its place). Nothing happens when
    no assistive technology listens."""
    if text and QAccessible.isActive():
        QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(widget, text))


class Announcer:
    """A view's voice: announces from `widget` (or a part of it) and keeps the last few things
    said, exactly as said, in `said`."""

    def __init__(self, widget: QWidget) -> None:
        self._widget = widget
        self.said: deque[str] = deque(maxlen=KEPT)

    def __call__(self, text: str, source: QWidget | None = None) -> None:
        if text:
            self.said.append(text)
            announce(source or self._widget, text)
