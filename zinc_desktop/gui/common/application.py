"""What every run of the window installs on the QApplication: the app, the tests, benchmarks."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from zinc_desktop.gui.common.enter_key import EnterPressesButtons
from zinc_desktop.gui.common.focus_style import FocusRingStyle, install_focus_style
from zinc_desktop.gui.common.gui_thread_gc import GuiThreadGarbageCollector

GUI_SWITCH_INTERVAL = 0.001


class ApplicationSupport:
    """The focus-ring style, Enter-presses-buttons, and garbage collection on the GUI thread."""

    def __init__(self, app: QApplication) -> None:
        # The GUI thread waits for the interpreter's lock whenever a worker holds it; by
        # default a worker keeps it up to 5 ms before handing over, and with 8 re-test workers
        # busy that was the longest pause of "Re-test all" (18-20 ms; 12-15 ms at 1 ms).
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(GUI_SWITCH_INTERVAL)
        self.style: FocusRingStyle = install_focus_style(app)
        self.enter_key = EnterPressesButtons(app)
        self.collector = GuiThreadGarbageCollector(app)

    def stop(self) -> None:
        sys.setswitchinterval(self._switch_interval)
        self.collector.stop()
        self.enter_key.stop()
