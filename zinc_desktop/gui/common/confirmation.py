"""The one way we ask before a consequential action: Cancel is the default and Escape cancels."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget


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
    box.setInformativeText(detail)
    role = (
        QMessageBox.ButtonRole.DestructiveRole if destructive else QMessageBox.ButtonRole.AcceptRole
    )
    confirm = box.addButton(confirm_text, role)
    confirm.setObjectName(confirm_name)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.buttonClicked.connect(on_answer)
    box.finished.connect(box.deleteLater)
    box.open()
    return box
