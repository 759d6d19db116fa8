"""Renaming in the table: the label's rules (core's) checked as you type, the reason beside it."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, Slot
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QWidget,
)

from zinc_desktop.core.accounts.labels import MAX_LABEL_LENGTH, clean_label
from zinc_desktop.gui.common.naming import named
from zinc_desktop.gui.common.plain_text import tooltip


def label_problem(text: str) -> str:
    try:
        clean_label(text)
    except ValueError as error:
        return str(error)
    return ""


class LabelValidator(QValidator):
    """Acceptable only when core accepts the label; Enter does nothing until then."""

    def validate(self, text: str, position: int) -> tuple[QValidator.State, str, int]:
        state = (
            QValidator.State.Intermediate if label_problem(text) else QValidator.State.Acceptable
        )
        return state, text, position


class LabelEditDelegate(QStyledItemDelegate):
    """The label column's editor: refuses a bad label in place, saying why, never silently."""

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        editor = named(QLineEdit(parent), "renameEditor", "New label")
        editor.setMaxLength(MAX_LABEL_LENGTH + 40)
        editor.setValidator(LabelValidator(editor))
        editor.textEdited.connect(self._explain)
        return editor

    @Slot(str)
    def _explain(self, text: str) -> None:
        editor = self.sender()
        if not isinstance(editor, QLineEdit):
            return
        problem = label_problem(text)
        editor.setToolTip(tooltip(problem) if problem else "")
        editor.setAccessibleDescription(problem)
        if problem:
            QToolTip.showText(editor.mapToGlobal(QPoint(0, editor.height())), problem, editor)
        else:
            QToolTip.hideText()
