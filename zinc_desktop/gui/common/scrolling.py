"""A page that scrolls when the window is smaller than the page wants: at twice the scale on a
small laptop screen the window still fits the screen, and nothing is cut off or drawn over."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget


def scrolling(page: QWidget, object_name: str) -> QScrollArea:
    """`page` inside a frameless scroll area that gives it all the room there is, and scroll
    bars only below the page's own minimum size (Tab scrolls the focused widget into view)."""
    area = QScrollArea()
    area.setObjectName(object_name)
    area.setWidget(page)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    return area
