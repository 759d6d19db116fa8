"""The one way we ask before a consequential action: Cancel is the default and Escape cancels.

`text` is markup the caller built with `plain_text.rich` (values escaped); `detail` is plain
text, shown literally whatever it contains.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

from zinc_desktop.gui.common.plain_text import escape


def ask_to_confirm(
    parent: QWidget,
    *,
    name: str,
    title: str,
    text: str,
    detail: str,
    confirm_text: str,
    confirm_name: str,
    on_answer: Callable[[QAbstractButton], None],
    destructive: bool = False,
) -> QMessageBox:
    """Open (not exec) a window-modal question; `on_answer` must be a @Slot of a QObject."""
    box = QMessageBox(
        QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.NoButton, parent
    )
    box.setObjectName(name)
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setInformativeText("<p>" + escape(detail).replace("\n", "<br>") + "</p>")
    role = (
        QMessageBox.ButtonRole.DestructiveRole if destructive else QMessageBox.ButtonRole.AcceptRole
    )
    confirm = box.addButton(confirm_text, role)
    confirm.setObjectName(confirm_name)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.buttonClicked.connect(on_answer)
    # Without a window manager (kiosks, Xvfb) nothing gives the window its keyboard back.
    box.finished.connect(parent.window().activateWindow)
    box.finished.connect(box.deleteLater)
    box.open()
    return box
