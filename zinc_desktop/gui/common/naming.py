"""Every interactive widget gets an objectName (tests, style sheets) and an accessible name."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

Q = TypeVar("Q", bound=QObject)


def named(thing: Q, object_name: str, accessible_name: str | None = None) -> Q:
    thing.setObjectName(object_name)
    if accessible_name is not None and isinstance(thing, QWidget):
        thing.setAccessibleName(accessible_name)
    return thing
