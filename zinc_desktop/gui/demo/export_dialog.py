"""Before a summary is saved: who prepared it (a setting) and, for this export alone, the
candidate's name (never kept). Then, once saved: Open, or Show in folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from zinc_desktop.core.checks.summary import MAX_NAME_LENGTH, clean_export_name
from zinc_desktop.core.foundation.errors import InputRefused
from zinc_desktop.gui.common import styles
from zinc_desktop.gui.common.naming import named
from zinc_desktop.gui.common.plain_text import live_label


class ExportOptions(QDialog):
    """The names on the page; `consultant()` and `candidate_name()` once accepted (checked by
    the same rule the page applies, so a refusal is said here, beside the field)."""

    def __init__(
        self, consultant: str, hints: tuple[str, ...], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportOptionsDialog")
        self.setWindowTitle("Export summary")
        self._hints = hints
        intro = QLabel(
            "The summary names the customer, the package, the journey and the results. It never "
            "holds a key or the candidate's contact details."
        )
        intro.setWordWrap(True)
        self.consultant_input = named(QLineEdit(consultant), "consultantName", "Prepared by")
        self.consultant_input.setMaxLength(MAX_NAME_LENGTH)
        self.consultant_input.setPlaceholderText("Your name (optional; remembered)")
        self.candidate_input = named(QLineEdit(), "candidateNameForExport", "Candidate's name")
        self.candidate_input.setMaxLength(MAX_NAME_LENGTH)
        self.candidate_input.setPlaceholderText("Optional; for this export only, never kept")
        form = QFormLayout()
        form.addRow("&Prepared by", self.consultant_input)
        form.addRow("&Candidate's name", self.candidate_input)
        self.feedback = live_label("exportOptionsFeedback", "What is wrong with a name")
        self.feedback.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Choose where to save…")
        self.buttons.accepted.connect(self._check_and_accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.feedback)
        layout.addWidget(self.buttons)
        self._names = ("", "")

    def consultant(self) -> str:
        return self._names[0]

    def candidate_name(self) -> str:
        return self._names[1]

    @Slot()
    def _check_and_accept(self) -> None:
        try:
            self._names = (
                clean_export_name(self.consultant_input.text(), "consultant's name", self._hints),
                clean_export_name(self.candidate_input.text(), "candidate's name", self._hints),
            )
        except InputRefused as refusal:
            self.feedback.setText(str(refusal))
            styles.restyle(self.feedback, styles.feedback_style("error", self.palette()))
            return
        self.accept()


def offer_to_open(parent: QWidget, paths: list[Path]) -> QMessageBox:
    """Saved: Open the file (the first), Show in folder, or Close. Opened, not executed."""
    box = QMessageBox(
        QMessageBox.Icon.Information,
        "Summary saved",
        "Saved as " + " and ".join(p.name for p in paths) + f"\nin {paths[0].parent}",
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    box.setObjectName("summarySavedDialog")
    box.setTextFormat(Qt.TextFormat.PlainText)
    open_button = box.addButton("&Open", QMessageBox.ButtonRole.AcceptRole)
    open_button.setObjectName("openSummaryButton")
    folder_button = box.addButton("Show in &folder", QMessageBox.ButtonRole.ActionRole)
    folder_button.setObjectName("showSummaryFolderButton")
    close = box.addButton(QMessageBox.StandardButton.Close)
    box.setDefaultButton(open_button)
    box.setEscapeButton(close)

    def answered(button: object) -> None:
        if button is open_button:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(paths[0])))
        elif button is folder_button:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(paths[0].parent)))

    box.buttonClicked.connect(answered)
    box.finished.connect(parent.window().activateWindow)
    box.finished.connect(box.deleteLater)
    box.open()
    return box
