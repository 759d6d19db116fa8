"""Runs Python's cycle collector on the GUI thread only.

Left to itself, the collector runs in whichever thread happens to allocate; if it frees a cycle
holding Qt widgets from a worker thread, Qt crashes. So automatic collection is switched off
while the window runs and a timer on the GUI thread collects instead, generation by generation,
with the interpreter's own thresholds.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer, Slot

INTERVAL_MS = 250


class GuiThreadGarbageCollector(QObject):
    """Create on the GUI thread; `stop()` (or deleting it) hands collection back to Python."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start()

    @Slot()
    def collect_due(self) -> None:
        counts = gc.get_count()
        thresholds = gc.get_threshold()
        for generation in (2, 1, 0):
            if counts[generation] > thresholds[generation] > 0:
                gc.collect(generation)
                return

    @Slot()
    def freeze(self) -> None:
        """Start-up is over: move everything alive now out of the collector's sight.

        Modules, widgets and Qt wrappers live as long as the app; without this every full
        collection walks all of them again (tens of milliseconds on the GUI thread).
        """
        gc.collect()
        gc.freeze()

    def stop(self) -> None:
        self._timer.stop()
        gc.unfreeze()
        gc.collect()
        if self._was_enabled:
            gc.enable()
