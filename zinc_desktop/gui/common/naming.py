"""Every interactive widget gets an objectName (tests, style sheets) and an accessible name."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLineEdit, QWidget

Q = TypeVar("Q", bound=QObject)


def named(thing: Q, object_name: str, accessible_name: str | None = None) -> Q:
    thing.setObjectName(object_name)
    if accessible_name is not None and isinstance(thing, QWidget):
        thing.setAccessibleName(accessible_name)
    return thing


def with_clear_button(field: QLineEdit, accessible_name: str) -> QLineEdit:
    """Qt's clear button for `field`, with a name: Qt leaves it unnamed, so a screen reader
    met a button called nothing beside the field."""
    field.setClearButtonEnabled(True)
    action = field.findChild(QAction, "_q_qlineeditclearaction")
    if action is not None:
        action.setText(accessible_name)
        action.setToolTip(accessible_name)
    return field
