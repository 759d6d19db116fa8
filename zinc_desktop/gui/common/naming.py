"""Every interactive widget gets an objectName (tests, style sheets) and an accessible name."""

from __future__ import annotations

import re
from typing import TypeVar

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

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


_MNEMONIC = re.compile(r"&(.)", re.DOTALL)


def without_mnemonic(text: str) -> str:
    """`text` as it is read: a mnemonic's "&" left out, and "&&" a literal "&"."""
    return _MNEMONIC.sub(r"\1", text)


def buddy_label(text: str, widget: QWidget) -> QLabel:
    """A label for `widget` whose mnemonic (Alt+letter) focuses it, named as it is read.

    Qt tells a screen reader a label's name when its text is set, and strips the mnemonic's "&"
    only once the label has a buddy: a label given its text first was heard as "F&irst name".
    Here the buddy and the name come first, and the name stays the text without the "&".
    """
    label = QLabel()
    label.setBuddy(widget)
    label.setAccessibleName(without_mnemonic(text))
    label.setText(text)
    return label
