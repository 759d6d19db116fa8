"""The receiver's controls: on and off, where it listens, where deliveries go, whose token
verifies them. A view: the page decides what each change means."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from zinc_desktop.gui.common import styles
from zinc_desktop.gui.common.naming import buddy_label, named, with_clear_button
from zinc_desktop.gui.common.plain_text import live_label
from zinc_desktop.gui.common.secret_field import SecretLineEdit

ACCOUNT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
HEADING = ""  # an entry's id that marks a group heading (Staging, Production)
TUNNEL_HINT = (
    "Real Zinc cannot reach 127.0.0.1: give it your own tunnel's https address to this "
    "receiver (ngrok, cloudflared…) as the public URL. This app runs no tunnel."
)


class ReceiverForm(QWidget):
    """Signals:
    accountChosen(object): the account whose token verifies deliveries (an id; None: none).
    """

    accountChosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("webhookReceiverForm")
        self._entries: tuple[tuple[str, str | None], ...] = ()

        self.switch = named(QCheckBox("Re&ceive webhooks"), "receiveWebhooksSwitch")
        self.switch.setAccessibleName("Receive webhooks")
        self.switch.setToolTip(
            "Listen for Zinc's webhooks on this computer only: nothing on the network can reach it"
        )
        self.port = named(QSpinBox(), "webhookPortInput", "Port")
        self.port.setRange(0, 65535)
        self.port.setSpecialValueText("any free")
        self.port.setAccessibleDescription("The port to listen on; 0 takes any free port")
        self.port.setToolTip("The port to listen on; the lowest value takes any free port")
        inner = self.port.findChild(QLineEdit)
        if inner is not None:  # Qt leaves the spin box's own field unnamed
            inner.setAccessibleName("Port")
        self.port_label = buddy_label("Por&t", self.port)
        self.status = live_label("webhookReceiverStatus", "Whether the receiver is listening")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_button = named(
            QPushButton("Cop&y URL"), "copyWebhookUrlButton", "Copy the local URL"
        )
        self.copy_button.setToolTip("Copy the receiver's address on this computer")

        self.public_input = named(QLineEdit(), "publicUrlInput", "Public URL of your tunnel")
        self.public_input.setPlaceholderText("https://… your own tunnel to this receiver")
        self.public_input.setToolTip(TUNNEL_HINT)
        with_clear_button(self.public_input, "Clear the public URL")
        self.public_label = buddy_label("P&ublic URL", self.public_input)
        self.public_problem = live_label("publicUrlProblem", "What is wrong with the public URL")
        self.public_problem.setWordWrap(True)
        self.forward_input = named(QLineEdit(), "forwardToInput", "Forward to")
        self.forward_input.setPlaceholderText("http://127.0.0.1:3000/webhooks/zinc")
        self.forward_input.setToolTip(
            "The integration being demoed: each delivery is passed on to it, byte for byte, "
            "and replays go there"
        )
        with_clear_button(self.forward_input, "Clear the forward URL")
        self.forward_label = buddy_label("For&ward to", self.forward_input)
        self.forward_problem = live_label("forwardUrlProblem", "What is wrong with the forward URL")
        self.forward_problem.setWordWrap(True)
        self.hint = live_label("tunnelHint")
        self.hint.setText(TUNNEL_HINT)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(styles.feedback_style("hint", self.palette()))
        self.presenting_note = live_label("webhookPresentingNote")
        self.presenting_note.setText("Addresses are hidden while presenting.")
        self.presenting_note.hide()

        self.account = named(QComboBox(), "webhookAccountSelector")
        self.account.setAccessibleName("Verify with the signing token of")
        self.account.setToolTip("Deliveries are checked against this account's signing token")
        self.account.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.account.setMinimumContentsLength(18)
        self._items = QStandardItemModel(self)
        self.account.setModel(self._items)
        self.account.activated.connect(self._on_account_activated)
        self.account_label = buddy_label("Verify with the signing token &of", self.account)
        self.token_input = named(SecretLineEdit(), "signingTokenInput", "Signing token")
        self.token_input.setPlaceholderText("Paste the token Zinc sent")
        self.token_input.setAccessibleDescription("Shown hidden; never shown once set")
        self.token_input.setInputMethodHints(
            Qt.InputMethodHint.ImhSensitiveData | Qt.InputMethodHint.ImhNoPredictiveText
        )
        self.token_label = buddy_label("Si&gning token", self.token_input)
        self.set_token_button = named(
            QPushButton("&Set"), "setSigningTokenButton", "Set signing token"
        )
        self.set_token_button.setToolTip("Keep the pasted token in the system keyring")
        self.clear_token_button = named(
            QPushButton("C&lear"), "clearSigningTokenButton", "Clear signing token"
        )
        self.clear_token_button.setToolTip("Remove this account's token from the keyring")
        self.token_state = live_label("signingTokenState", "Whether a signing token is set")
        self.token_state.setWordWrap(True)
        self._layout()

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.switch)
        top.addSpacing(12)
        top.addWidget(self.port_label)
        top.addWidget(self.port)
        top.addSpacing(12)
        top.addWidget(self.status, 1)
        top.addWidget(self.copy_button)

        addresses = QGridLayout()
        addresses.setContentsMargins(0, 0, 0, 0)
        addresses.addWidget(self.public_label, 0, 0)
        addresses.addWidget(self.public_input, 0, 1)
        addresses.addWidget(self.forward_label, 0, 2)
        addresses.addWidget(self.forward_input, 0, 3)
        addresses.addWidget(self.public_problem, 1, 1)
        addresses.addWidget(self.forward_problem, 1, 3)
        addresses.setColumnStretch(1, 1)
        addresses.setColumnStretch(3, 1)
        addresses.setVerticalSpacing(2)

        token = QHBoxLayout()
        token.addWidget(self.account_label)
        token.addWidget(self.account)
        token.addSpacing(12)
        token.addWidget(self.token_label)
        token.addWidget(self.token_input, 1)
        token.addWidget(self.set_token_button)
        token.addWidget(self.clear_token_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addLayout(addresses)
        layout.addWidget(self.hint)
        layout.addWidget(self.presenting_note)
        layout.addLayout(token)
        layout.addWidget(self.token_state)
        for problem in (self.public_problem, self.forward_problem, self.token_state):
            problem.hide()

    def focus_order(self) -> list[QWidget]:
        return [
            self.switch,
            self.port,
            self.copy_button,
            self.public_input,
            self.forward_input,
            self.account,
            self.token_input,
            self.set_token_button,
            self.clear_token_button,
        ]

    # --- what the page tells it ----------------------------------------------------------------

    def show_status(self, text: str, kind: str = "") -> None:
        """Beside the switch and the port: listening where, starting, or why not."""
        if self.status.text() != text:
            self.status.setText(text)
        styles.restyle(self.status, styles.feedback_style(kind, self.palette()) if kind else "")

    def show_problem(self, label: QLabel, text: str) -> None:
        """A URL's problem beside its field ("" when there is none)."""
        if label.text() != text:
            label.setText(text)
        styles.restyle(label, styles.feedback_style("error", self.palette()))
        label.setVisible(bool(text) and not self.presenting_note.isVisibleTo(self))

    def show_token_state(self, text: str, kind: str = "") -> None:
        if self.token_state.text() != text:
            self.token_state.setText(text)
        styles.restyle(
            self.token_state, styles.feedback_style(kind, self.palette()) if kind else ""
        )
        self.token_state.setVisible(bool(text))

    def show_accounts(self, entries: list[tuple[str, str | None]], chosen: str | None) -> None:
        """(text, account id) entries; rebuilt only when they changed, so an open drop-down
        is not closed under the user."""
        rows = tuple(entries)
        if rows != self._entries:
            self._entries = rows
            self.account.blockSignals(True)
            self._items.clear()
            for text, account_id in rows:
                item = QStandardItem(text)
                if account_id == HEADING:
                    font = QFont()
                    font.setBold(True)
                    item.setFont(font)
                    item.setFlags(Qt.ItemFlag.NoItemFlags)
                else:
                    item.setData(account_id, ACCOUNT_ID_ROLE)
                self._items.appendRow(item)
            self.account.blockSignals(False)
        self.account.blockSignals(True)
        index = next((i for i, (_, a) in enumerate(rows) if a == chosen), -1)
        self.account.setCurrentIndex(index)
        self.account.blockSignals(False)
        if index < 0:
            self.account.setPlaceholderText("No linked account")

    def chosen_account(self) -> str | None:
        value = self.account.currentData(ACCOUNT_ID_ROLE)
        return value if isinstance(value, str) else None

    def set_presenting(self, presenting: bool) -> None:
        """A shared screen shows no address: the port, the URLs and their problems go."""
        for widget in (
            self.port_label, self.port, self.status, self.copy_button, self.public_label,
            self.public_input, self.forward_label, self.forward_input, self.hint,
        ):  # fmt: skip
            widget.setVisible(not presenting)
        self.presenting_note.setVisible(presenting)
        for problem in (self.public_problem, self.forward_problem):
            problem.setVisible(not presenting and bool(problem.text()))

    def set_running(self, running: bool) -> None:
        """The port applies when the receiver starts; Copy has something to copy when on."""
        self.port.setEnabled(not running)
        self.copy_button.setEnabled(running)

    @Slot(int)
    def _on_account_activated(self, index: int) -> None:
        if 0 <= index < len(self._entries) and self._entries[index][1] != HEADING:
            self.accountChosen.emit(self._entries[index][1])
