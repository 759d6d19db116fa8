"""Say something to a screen reader once, without moving focus (an AT-SPI announcement on
Linux, NSAccessibility's announcement on macOS, a UI Automation notification on Windows)."""

from __future__ import annotations

from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QWidget


def announce(widget: QWidget, text: str) -> None:
    """Politely announce `text`, from `widget` (which gives it its place). Nothing happens when
    no assistive technology listens."""
    if text and QAccessible.isActive():
        QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(widget, text))
