"""Carries items from worker threads to the GUI thread, one wake-up per burst.

A queued signal per item means one call into Python on the GUI thread per item, and each such
call waits for the interpreter while the workers hold it: eight re-tests finishing together
cost eight waits, eight model updates and eight repaints. Here the first item of a burst
wakes the GUI thread once, and it takes every item waiting at that moment.
"""

from __future__ import annotations

import threading
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, Signal

T = TypeVar("T")


class BurstRelay(QObject, Generic[T]):
    """`put()` on any thread; on `arrived` (GUI thread), `take()` what is waiting.

    Signals:
        arrived(): items are waiting.
    """

    arrived = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._waiting: list[T] = []

    def put(self, item: T) -> None:
        with self._lock:
            self._waiting.append(item)
            first = len(self._waiting) == 1
        if first:
            self.arrived.emit()

    def take(self) -> list[T]:
        """Every item waiting, in the order they were put; the relay is empty after."""
        with self._lock:
            taken, self._waiting = self._waiting, []
        return taken
