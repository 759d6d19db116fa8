"""Asks for an account's new key: a rotated one, or the one the keyring lost."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from zinc_desktop.core.accounts.model import Account, AccountStatus
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.errors import KeyFormatError
from zinc_desktop.gui.common import styles
from zinc_desktop.gui.common.naming import named
from zinc_desktop.gui.common.plain_text import live_label, rich
from zinc_desktop.gui.common.secret_field import SecretLineEdit


class ReplaceKeyDialog(QDialog):
    """Accepts any well-formed key; Zinc proves it (in the account's environment) after OK."""

    def __init__(self, account: Account, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("replaceKeyDialog")
        self.account = account
        self.setWindowTitle("Replace key")
        if account.status is AccountStatus.MISSING_SECRET:
            why = "Its key is no longer in the keyring."
        elif account.status is AccountStatus.REJECTED:
            why = "Zinc rejected its key: the customer may have generated a new one."
        else:
            why = "Paste the customer's new key when they have generated one."
        intro = QLabel(
            rich(
                "Replace the key of <b>{}</b> ({}, now ending in <code>{}</code>). {} The new "
                "key is checked with {} first; the account keeps its name, id and checks.",
                account.label,
                account.environment.display_name,
                account.key_hint,
                why,
                account.environment.display_name,
            )
        )
        intro.setTextFormat(Qt.TextFormat.RichText)  # ours, every value escaped by rich()
        intro.setWordWrap(True)
        self.key_input = named(SecretLineEdit(), "replaceKeyInput", "New Partner API key")
        self.key_input.setPlaceholderText("The 32-character key Zinc showed the customer")
        self.feedback = live_label("replaceKeyFeedback", "What is wrong with the key")
        self.feedback.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Replace key")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.key_input)
        layout.addWidget(self.feedback)
        layout.addWidget(self.buttons)
        self.key_input.secretChanged.connect(self._check)
        self._check()
        self.resize(480, self.sizeHint().height())

    def key(self) -> ApiKey | None:
        try:
            return ApiKey.parse(self.key_input.text())
        except KeyFormatError:
            return None

    @Slot()
    def _check(self) -> None:
        text = self.key_input.text()
        problem = ""
        if text.strip():
            try:
                ApiKey.parse(text)
            except KeyFormatError as error:
                problem = error.reason
        if self.feedback.text() != problem:  # said once, not per keystroke
            self.feedback.setText(problem)
        styles.restyle(self.feedback, styles.feedback_style("error", self.palette()))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.key() is not None)
