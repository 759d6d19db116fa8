"""Asks for a key again for an account whose key vanished from the keyring."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from zinc_desktop.core.accounts import Account
from zinc_desktop.core.api_key import ApiKey
from zinc_desktop.core.errors import KeyFormatError
from zinc_desktop.gui.common import styles
from zinc_desktop.gui.common.naming import named
from zinc_desktop.gui.common.plain_text import rich


class ReenterKeyDialog(QDialog):
    """Accepts only a well-formed key ending in the account's hint."""

    def __init__(self, account: Account, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reenterKeyDialog")
        self.account = account
        self.setWindowTitle("Re-enter key")
        intro = QLabel(
            rich(
                "The key of <b>{}</b> ({}, ending in <code>{}</code>) is no longer in the "
                "keyring. Paste it to restore the account; it is checked with Zinc first.",
                account.label,
                account.environment.display_name,
                account.key_hint,
            )
        )
        intro.setTextFormat(Qt.TextFormat.RichText)  # ours, every value escaped by rich()
        intro.setWordWrap(True)
        self.key_input = named(QLineEdit(), "reenterKeyInput")
        self.key_input.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_input.setAccessibleName("Partner API key")
        self.key_input.setPlaceholderText(f"The 32-character key ending in {account.key_hint}")
        self.feedback = named(QLabel(), "reenterKeyFeedback")
        self.feedback.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Restore")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.key_input)
        layout.addWidget(self.feedback)
        layout.addWidget(self.buttons)
        self.key_input.textChanged.connect(self._check)
        self._check("")
        self.resize(460, self.sizeHint().height())

    def key(self) -> ApiKey | None:
        try:
            key = ApiKey.parse(self.key_input.text())
        except KeyFormatError:
            return None
        return key if key.hint == self.account.key_hint else None

    @Slot(str)
    def _check(self, text: str) -> None:
        ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        problem = ""
        if text.strip():
            try:
                key = ApiKey.parse(text)
            except KeyFormatError as error:
                problem = error.reason
            else:
                if key.hint != self.account.key_hint:
                    problem = (
                        f"This key ends in {key.hint}; "
                        f"this account's ends in {self.account.key_hint}."
                    )
        self.feedback.setText(problem)
        styles.restyle(self.feedback, styles.feedback_style("error", self.palette()))
        ok_button.setEnabled(self.key() is not None)
