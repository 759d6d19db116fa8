"""What every run of the window installs on the QApplication: the app, the tests, benchmarks."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from zinc_desktop.gui.common.enter_key import EnterPressesButtons
from zinc_desktop.gui.common.focus_style import FocusRingStyle, install_focus_style
from zinc_desktop.gui.common.gui_thread_gc import GuiThreadGarbageCollector


class ApplicationSupport:
    """The focus-ring style, Enter-presses-buttons, and garbage collection on the GUI thread."""

    def __init__(self, app: QApplication) -> None:
        self.style: FocusRingStyle = install_focus_style(app)
        self.enter_key = EnterPressesButtons(app)
        self.collector = GuiThreadGarbageCollector(app)

    def stop(self) -> None:
        self.collector.stop()
        self.enter_key.stop()
