"""Going to a page of the window as a user of each platform does.

Windows and Linux: the tab's mnemonic, Alt+letter. macOS has no mnemonics (Qt turns them off
there, as the platform expects), so a user clicks the tab.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QWidget
from pytestqt.qtbot import QtBot

from tests.support.platforms import MACOS
from zinc_desktop.gui.main_window import MainWindow


def go_to(qtbot: QtBot, window: MainWindow, page: QWidget, mnemonic: Qt.Key) -> None:
    if MACOS:
        bar = window.tabs.tabBar()
        rect = bar.tabRect(window.tabs.indexOf(page))
        qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=rect.center())
    else:
        qtbot.keyClick(window, mnemonic, Qt.KeyboardModifier.AltModifier)
    assert window.tabs.currentWidget() is page


def press(qtbot: QtBot, button: QAbstractButton, focus: QWidget, mnemonic: Qt.Key) -> None:
    """A button with a mnemonic, pressed from `focus` with Alt+letter (clicked on macOS)."""
    if MACOS:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    else:
        qtbot.keyClick(focus, mnemonic, Qt.KeyboardModifier.AltModifier)
