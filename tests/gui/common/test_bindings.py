"""The Qt bindings themselves: a release that leaks or drops references crashes the app later.

PySide6 6.12.0 lowers None's reference count on every call that returns nothing. On Python 3.11
None is not immortal, so a window that repaints for a few minutes aborts with none_dealloc.
This measures it directly, so such a release fails here rather than in front of a customer.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot


@pytest.mark.skipif(
    sys.version_info >= (3, 12),
    reason="None is immortal from Python 3.12: its count never moves, so this measures nothing "
    "(and the fault cannot crash there)",
)
def test_calls_that_return_nothing_keep_none_alive(qtbot: QtBot) -> None:
    thing = QObject()
    widget = QWidget()
    qtbot.addWidget(widget)
    before = sys.getrefcount(None)
    for _ in range(2000):
        thing.setObjectName("x")
        widget.setToolTip("t")
        widget.update()
    drift = sys.getrefcount(None) - before
    # A healthy binding moves None's count by a handful at most.
    assert drift > -100, f"None lost {-drift} references in 6,000 calls: these bindings crash"
