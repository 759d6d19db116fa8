"""Edit and replay: a delivery's body in a plain-text editor, sent again to the forward URL."""

from __future__ import annotations

import json

from PySide6.QtCore import Slot
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from zinc_desktop.core.webhooks.deliveries import Delivery
from zinc_desktop.core.webhooks.delivery_text import EditableBody
from zinc_desktop.gui.common import styles
from zinc_desktop.gui.common.naming import buddy_label, named
from zinc_desktop.gui.common.plain_text import live_label, plain_label
from zinc_desktop.gui.common.platform_keys import with_keys

CHECKED_CHARACTERS = 256 * 1024  # a longer body is not read again at every keystroke
SEND_KEYS = ("Ctrl+Return", "Ctrl+Enter")  # the main Return key and the keypad's Enter


class ReplayDialog(QDialog):
    """Shows `editable.text` (placeholders for what is hidden); `body()` is what to send,
    with the hidden parts put back. Ctrl+Enter sends; Enter is a line break in the editor."""

    def __init__(
        self, delivery: Delivery, editable: EditableBody, signing: str,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("replayDialog")
        self.setWindowTitle(f"Edit and replay delivery {delivery.number}")
        self.delivery = delivery
        self._editable = editable
        intro = plain_label(QLabel())
        intro.setWordWrap(True)
        intro.setText(
            f"Delivery {delivery.number} is sent again to the forward URL with this body; it "
            "shows in the list as a replay, with the handler's answer."
        )
        self.editor = named(QPlainTextEdit(), "replayBodyEditor", "Body to send")
        self.editor.setPlainText(editable.text or "")
        self.editor.setTabChangesFocus(True)
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.editor.setFont(mono)
        editor_label = buddy_label("&Body to send", self.editor)
        self.signing = plain_label(named(QLabel(signing), "replaySigningNote"))
        self.signing.setWordWrap(True)
        self.hidden_note = plain_label(named(QLabel(), "replayHiddenNote"))
        self.hidden_note.setWordWrap(True)
        if editable.hidden:
            self.hidden_note.setText(
                "Each ⟦hidden N⟧ stands for a signing token or something shaped like an API "
                "key in the body: it is sent as it was."
            )
        else:
            self.hidden_note.hide()
        self.problem = live_label("replayBodyProblem", "Whether the body is JSON")
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.send_button = named(QPushButton("&Send"), "sendReplayButton", "Send the replay")
        self.send_button.setToolTip(with_keys("Send to the forward URL", SEND_KEYS[0]))
        self.buttons.addButton(self.send_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.send_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        for keys in SEND_KEYS:
            send = QShortcut(QKeySequence(keys), self)
            send.setWhatsThis("Send the replay")
            send.activated.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(editor_label)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.hidden_note)
        layout.addWidget(self.signing)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.editor.textChanged.connect(self._check)
        self._check()
        self.resize(640, 480)

    def body(self) -> bytes:
        return self._editable.restore(self.editor.toPlainText())

    @Slot()
    def _check(self) -> None:
        """A body that is not JSON may be what is being tried: said, not refused."""
        text = self.editor.toPlainText()
        problem = ""
        if text.strip() and len(text) <= CHECKED_CHARACTERS:
            try:
                json.loads(text)
            except (ValueError, RecursionError) as error:
                problem = f"Not JSON ({error.args[0] if error.args else 'unreadable'}): it is "
                problem += "sent as typed."
        if self.problem.text() != problem:
            self.problem.setText(problem)
        styles.restyle(self.problem, styles.feedback_style("warning", self.palette()))
