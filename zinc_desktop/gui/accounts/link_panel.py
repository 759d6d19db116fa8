"""The "link an account" form: environment, key, label, Connect, and what happened."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QAction, QDesktopServices, QKeyEvent, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from zinc_desktop.core.accounts.labels import MAX_LABEL_LENGTH, clean_label, default_label
from zinc_desktop.core.accounts.presenting import presentable
from zinc_desktop.core.foundation.api_key import ApiKey, is_unfinished_key
from zinc_desktop.core.foundation.environments import Endpoint, EndpointSource, Environment
from zinc_desktop.core.foundation.errors import KeyFormatError
from zinc_desktop.gui.common import styles
from zinc_desktop.gui.common.announce import Announcer
from zinc_desktop.gui.common.focus_chain import chain_tab_order
from zinc_desktop.gui.common.naming import buddy_label, named, with_clear_button
from zinc_desktop.gui.common.plain_text import live_label, plain_label, tooltip
from zinc_desktop.gui.common.platform_keys import with_keys
from zinc_desktop.gui.common.secret_field import SecretLineEdit
from zinc_desktop.gui.common.status_icons import eye_icon

REVEAL_SECONDS = 10
SETTLE_MS = 700  # a problem is told once typing pauses, not per keystroke
LINKED = "linked"  # the topic of the banner that says a link was made
KEEP_TYPING = "Keep typing: a Zinc key is 32 hexadecimal characters (0-9, a-f)."


class LinkPanel(QWidget):
    """A view. It parses the key only to give live format feedback; the window does the rest.

    Signals:
        connectRequested(object, object, str): Environment, ApiKey, label (may be empty).
        cancelRequested(): stop the verification in flight.
        messageActionTriggered(str): the id of the action offered with the last message.
    """

    connectRequested = Signal(object, object, str)
    cancelRequested = Signal()
    messageActionTriggered = Signal(str)

    def __init__(
        self,
        endpoints: Mapping[Environment, Endpoint],
        demo_keys: Mapping[Environment, str] | None = None,
        parent: QWidget | None = None,
        reveal_seconds: float = REVEAL_SECONDS,
    ) -> None:
        super().__init__(parent)
        self._endpoints = endpoints
        self._demo_keys = demo_keys or {}
        self._message_action = ""
        self.message_topic = ""  # what the message shown is about ("" when none or untold)
        self._say = Announcer(self)
        self.announced = self._say.said  # the last things told a screen reader
        self._busy = False
        self._presenting = False
        self._build()
        self._reveal_timer = QTimer(self)
        self._reveal_timer.setSingleShot(True)
        self._reveal_timer.setInterval(int(reveal_seconds * 1000))
        self._reveal_timer.timeout.connect(self._hide_key)
        # A problem found while typing waits for the typing to pause, so the label (and what a
        # screen reader hears) changes once when the problem settles, not on every keystroke.
        self._settle_timer = QTimer(self)
        self._settle_timer.setSingleShot(True)
        self._settle_timer.setInterval(SETTLE_MS)
        self._settle_timer.timeout.connect(self._settle_feedback)
        self._pending_feedback: tuple[str, str] | None = None
        self._on_environment_changed()
        self._on_key_edited("")

    # --- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.environment_selector = named(QComboBox(), "environmentSelector")
        for environment in Environment:
            self.environment_selector.addItem(environment.display_name, environment.value)
        self.environment_selector.setAccessibleName("Zinc environment")
        self.environment_selector.setToolTip("The Zinc environment the key was generated in.")
        self.environment_selector.currentIndexChanged.connect(self._on_environment_changed)

        self.endpoint_label = plain_label(named(QLabel(), "endpointLabel"))
        self.endpoint_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.endpoint_badge = named(QLabel(), "endpointBadge")
        # A button that looks like a link: a rich-text QLabel link traps Tab among its links.
        self.sign_in_link = named(QPushButton("Where do I generate a key?"), "signInLink")
        self.sign_in_link.setFlat(True)
        self.sign_in_link.setCursor(Qt.CursorShape.PointingHandCursor)
        link_palette = self.sign_in_link.palette()
        link_palette.setColor(
            QPalette.ColorRole.ButtonText, link_palette.color(QPalette.ColorRole.Link)
        )
        self.sign_in_link.setPalette(link_palette)
        underlined = self.sign_in_link.font()
        underlined.setUnderline(True)
        self.sign_in_link.setFont(underlined)
        self.sign_in_link.setAccessibleName("Where do I generate a key?")
        self.sign_in_link.clicked.connect(self._open_sign_in)
        self.environment_band = plain_label(named(QLabel(), "environmentBand"))
        self.environment_band.setWordWrap(True)

        # The key stays in Python: Qt (and so the accessibility bus) only ever holds bullets.
        self.key_input = named(SecretLineEdit(), "apiKeyInput")
        self.key_input.setPlaceholderText("Paste the 32-character Partner API key")
        self.key_input.setAccessibleName("Partner API key")
        self.key_input.setAccessibleDescription("32 hexadecimal characters, shown hidden")
        self.key_input.setInputMethodHints(
            Qt.InputMethodHint.ImhSensitiveData
            | Qt.InputMethodHint.ImhNoPredictiveText
            | Qt.InputMethodHint.ImhNoAutoUppercase
        )
        with_clear_button(self.key_input, "Clear the key")
        self.key_input.secretChanged.connect(self._on_key_changed)
        self.key_input.secretEdited.connect(self._on_input_edited)
        self.key_input.returnPressed.connect(self._on_connect_clicked)
        self.reveal_action = named(QAction(eye_icon(), "Show key", self), "revealKeyAction")
        self.reveal_action.setCheckable(True)
        self.reveal_action.setShortcut(QKeySequence("Ctrl+Shift+K"))  # the eye takes no focus
        self.reveal_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.reveal_action.setToolTip(
            with_keys(f"Show the key for {REVEAL_SECONDS} s", self.reveal_action.shortcut())
        )
        self.reveal_action.toggled.connect(self._on_reveal_toggled)
        self.key_input.addAction(self.reveal_action, QLineEdit.ActionPosition.TrailingPosition)

        self.format_feedback = live_label("keyFormatFeedback", "Whether the key is well formed")
        self.format_feedback.setWordWrap(True)

        self.demo_key_button = named(QPushButton("&Use the demo key"), "demoKeyButton")
        self.demo_key_button.setAccessibleName("Use the demo key")
        self.demo_key_button.setAccessibleDescription("Pastes the simulator's demo key")
        self.demo_key_button.setToolTip("The built-in simulator's key for the selected environment")
        self.demo_key_button.clicked.connect(self._use_demo_key)
        if not self._demo_keys:  # setVisible(True) on a widget with no parent yet would show
            self.demo_key_button.hide()  # it as a window of its own, taking the focus

        self.label_input = named(QLineEdit(), "labelInput")
        self.label_input.setAccessibleName("Account label")
        self.label_input.setMaxLength(MAX_LABEL_LENGTH + 40)  # too long is refused, with a reason
        self.label_input.returnPressed.connect(self._on_connect_clicked)
        self.label_input.textChanged.connect(self._on_label_edited)
        self.label_input.textEdited.connect(self._on_input_edited)
        self.label_feedback = live_label("labelFeedback", "What is wrong with the label")
        self.label_feedback.setWordWrap(True)
        styles.restyle(self.label_feedback, styles.feedback_style("error", self.palette()))
        self.label_feedback.hide()

        self.connect_button = named(QPushButton("Connect"), "connectButton")
        self.connect_button.setAccessibleName("Connect")
        self.connect_button.setAccessibleDescription("Verify the key with Zinc, then link it")
        self.connect_button.setDefault(True)
        self.connect_button.clicked.connect(self._on_connect_clicked)
        self.cancel_button = named(QPushButton("Cancel"), "cancelConnectButton")
        self.cancel_button.setAccessibleName("Cancel the verification")
        self.cancel_button.clicked.connect(self.cancelRequested)
        self.cancel_button.hide()

        self.busy_bar = named(QProgressBar(), "connectBusy")
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setMaximumHeight(6)
        self.busy_bar.hide()
        self.busy_label = live_label("connectBusyLabel")
        self.busy_label.hide()

        self.message_frame = named(QFrame(), "linkMessage")
        self.message_frame.setFrameShape(QFrame.Shape.StyledPanel)
        self.message_label = live_label("linkMessageText")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_action_button = named(QPushButton(), "linkMessageAction", "Message action")
        self.message_action_button.clicked.connect(self._on_message_action)
        message_layout = QHBoxLayout(self.message_frame)
        message_layout.setContentsMargins(10, 8, 10, 8)
        message_layout.addWidget(self.message_label, 1)
        message_layout.addWidget(self.message_action_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.message_frame.hide()

        environment_row = QHBoxLayout()
        environment_row.addWidget(self.environment_selector)
        environment_row.addWidget(self.endpoint_badge)
        environment_row.addWidget(self.endpoint_label, 1)
        environment_row.addWidget(self.sign_in_link)

        key_row = QHBoxLayout()
        key_row.addWidget(self.key_input, 1)
        key_row.addWidget(self.demo_key_button)

        buttons = QHBoxLayout()
        self._buttons = buttons
        buttons.addWidget(self.busy_label)
        buttons.addWidget(self.busy_bar, 1)
        buttons.addStretch(0)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.connect_button)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(buddy_label("&Environment", self.environment_selector), environment_row)
        form.addRow("", self.environment_band)
        form.addRow(buddy_label("API &key", self.key_input), key_row)
        form.addRow("", self.format_feedback)
        form.addRow(buddy_label("&Label", self.label_input), self.label_input)
        form.addRow("", self.label_feedback)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.message_frame)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

        chain_tab_order(self.focus_order())

    def focus_order(self) -> list[QWidget]:
        """The order a person fills the form in. The demo-key helper comes after Connect, so Tab
        from the key lands on Label (typing "Acme Ltd" there must never press a button)."""
        return [
            self.environment_selector,
            self.key_input,
            self.label_input,
            self.connect_button,
            self.cancel_button,
            self.demo_key_button,
            self.sign_in_link,
            self.message_action_button,
        ]

    def add_trailing_button(self, button: QPushButton) -> None:
        """A button of the window's after Connect (e.g. Hide), in the same row."""
        self._buttons.addWidget(button)

    # --- state -------------------------------------------------------------------------------

    def current_environment(self) -> Environment:
        return Environment(self.environment_selector.currentData())

    def set_environment(self, environment: Environment) -> None:
        self.environment_selector.setCurrentIndex(
            self.environment_selector.findData(environment.value)
        )

    def parsed_key(self) -> ApiKey | None:
        try:
            return ApiKey.parse(self.key_input.text())
        except KeyFormatError:
            return None

    def set_busy(self, busy: bool, text: str = "") -> None:
        """While a key is verified the form is read-only, and focus stays where the user put
        it: in the key or label field (Escape there cancels), or on Cancel, in Connect's place,
        when Connect was pressed."""
        self._busy = busy
        connect_had_focus = self.connect_button.hasFocus()
        if busy:
            self.cancel_button.setVisible(True)  # shown before Connect hides: focus moves once
            if connect_had_focus:
                self.cancel_button.setFocus()
        for field in (self.key_input, self.label_input):
            field.setReadOnly(busy)  # read-only keeps the focus a disabled field would lose
        for widget in (self.environment_selector, self.demo_key_button):
            widget.setEnabled(not busy)
        self.connect_button.setVisible(not busy)
        self.cancel_button.setVisible(busy)
        self.busy_bar.setVisible(busy)
        self.busy_label.setVisible(busy)
        self.busy_label.setText(text)
        if busy:
            self.hide_message()
        else:
            self._on_key_edited(self.key_input.text())
            focus = self.focusWidget()
            if focus is None or not focus.isVisible() or not focus.isEnabled():
                self.key_input.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._busy and event.key() == Qt.Key.Key_Escape:
            self.cancelRequested.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def show_message(
        self, kind: str, text: str, action: tuple[str, str] | None = None, *, topic: str = ""
    ) -> None:
        """kind: "error", "warning", "info" or "success"; action: (id, button text); topic:
        what the message is about, for the window to ask (e.g. LINKED), never its wording."""
        self.message_topic = topic
        text = self._shown(text)
        styles.restyle(self.message_frame, styles.message_style(kind, self.palette()))
        self.message_label.setText(text)
        self.message_frame.setAccessibleName(f"{kind}: {text}")
        self._message_action = action[0] if action else ""
        self.message_action_button.setVisible(action is not None)
        if action is not None:
            self.message_action_button.setText(action[1])
            self.message_action_button.setAccessibleName(action[1])
        self.message_frame.show()
        # What Connect came to is said once, wherever focus is (it stays in the key field).
        self._say(f"{text} {action[1]}." if action is not None else text, self.message_frame)

    def _shown(self, text: str) -> str:
        return presentable(text) if self._presenting else text

    def hide_message(self) -> None:
        self.message_topic = ""
        self.message_frame.hide()
        self._message_action = ""

    def message_text(self) -> str:
        return self.message_label.text() if self.message_frame.isVisible() else ""

    def clear_key(self) -> None:
        self.key_input.clear()
        self.label_input.clear()
        self.reveal_action.setChecked(False)

    # --- slots -------------------------------------------------------------------------------

    @Slot()
    def _on_environment_changed(self) -> None:
        environment = self.current_environment()
        endpoint = self._endpoints[environment]
        self.endpoint_label.setText(f"Calls {endpoint.base_url}")
        where = f"Every call for a {environment.display_name} key goes to {endpoint.base_url}"
        self.endpoint_label.setToolTip(tooltip(where))  # the URL may come from an override
        self.endpoint_label.setAccessibleDescription(where)  # not the tooltip's markup
        badge = {EndpointSource.SANDBOX: "SANDBOX", EndpointSource.OVERRIDE: "OVERRIDDEN"}.get(
            endpoint.source
        )
        self.endpoint_badge.setVisible(badge is not None)
        if badge:
            self.endpoint_badge.setText(badge)
            styles.restyle(self.endpoint_badge, styles.badge_style(endpoint.source))
            self.endpoint_badge.setToolTip(
                "Served by the built-in offline simulator."
                if endpoint.source is EndpointSource.SANDBOX
                else f"{environment.override_variable} points this environment elsewhere."
            )
        self.sign_in_link.setAccessibleDescription(f"Opens {endpoint.sign_in_url}")
        self.sign_in_link.setToolTip(
            tooltip(
                f"Sign in at {endpoint.sign_in_url} as a Zinc admin, then: Company settings "
                "(gear) › Integrations › expand Zinc › Generate API Key. The key is shown only "
                "once."
            )
        )
        self.environment_band.setText(styles.environment_band_text(environment))
        styles.restyle(self.environment_band, styles.environment_band_style(environment))
        self.environment_band.setAccessibleName(styles.environment_band_text(environment))
        self.demo_key_button.setToolTip(
            f"Paste the simulator's {environment.display_name} demo key"
        )
        self.hide_message()
        self._on_key_edited(self.key_input.text())

    @Slot()
    def _on_key_changed(self) -> None:
        self._on_key_edited(self.key_input.text())

    def _on_key_edited(self, text: str) -> None:
        environment = self.current_environment()
        if not text.strip():
            self._show_feedback(
                "hint", "32 hexadecimal characters, generated in Zinc for this environment."
            )
            self.label_input.setPlaceholderText(
                f"Optional, e.g. Acme Ltd ({environment.display_name.lower()})"
            )
            self.connect_button.setEnabled(False)
            return
        try:
            key = ApiKey.parse(text)
        except KeyFormatError as error:
            self.connect_button.setEnabled(False)
            if not self.key_input.hasFocus() or self._busy:
                self._show_feedback("error", error.reason)
            elif is_unfinished_key(text):  # typing: one steady line; the count once it pauses
                self._show_feedback("hint", KEEP_TYPING, settled=("error", error.reason))
            else:
                self._show_feedback("error", error.reason, settled=("error", error.reason))
            return
        ending = "" if self._presenting else f" ({key.masked})"
        self._show_feedback("ok", f"✓ A well-formed key{ending}. Press Enter to connect.")
        default = self._shown(default_label(environment, key))
        self.label_input.setPlaceholderText(f"Optional; default: {default}")
        self.connect_button.setEnabled(not self._label_problem())

    def _show_feedback(self, kind: str, text: str, settled: tuple[str, str] | None = None) -> None:
        """Show `text` now (unchanged text is not set again, so nothing is re-announced); with
        `settled`, show that instead once typing has paused for SETTLE_MS."""
        self._pending_feedback = settled
        if settled is None:
            self._settle_timer.stop()
        else:
            self._settle_timer.start()
            if self.format_feedback.property("feedbackKind") == "error":
                return  # a settled problem stays until the next one settles: no flicker
        self._set_feedback(kind, text)

    def _set_feedback(self, kind: str, text: str) -> None:
        if self.format_feedback.text() != text:
            self.format_feedback.setText(text)
        if self.format_feedback.property("feedbackKind") != kind:
            self.format_feedback.setProperty("feedbackKind", kind)
            styles.restyle(self.format_feedback, styles.feedback_style(kind, self.palette()))

    @Slot()
    def _settle_feedback(self) -> None:
        if self._pending_feedback is not None:
            self._set_feedback(*self._pending_feedback)
            self._pending_feedback = None

    def _label_problem(self) -> str:
        """Why the label cannot be used (core's rules), or "" when it can (empty is fine)."""
        text = self.label_input.text()
        if not text.strip():
            return ""
        try:
            clean_label(text)
        except ValueError as error:
            return str(error)
        return ""

    @Slot()
    def _on_label_edited(self) -> None:
        problem = self._label_problem()
        self.label_feedback.setText(problem)
        self.label_feedback.setVisible(bool(problem))
        self.connect_button.setEnabled(not problem and self.parsed_key() is not None)

    @Slot()
    def _on_input_edited(self) -> None:
        # What the banner said was about the input as it was; it is stale now.
        if not self._busy:
            self.hide_message()

    def set_presenting(self, presenting: bool) -> None:
        """Presenting: no Production choice, no base URL, no key ending, no "Show key"."""
        self._presenting = presenting
        if presenting:  # what it said was about the form before: maybe another account
            self.hide_message()
            self.message_label.clear()
            self.message_frame.setAccessibleName("")
        self.endpoint_label.setVisible(not presenting)
        self.reveal_action.setChecked(False)
        self.reveal_action.setVisible(not presenting)
        self.reveal_action.setEnabled(not presenting)
        self._on_key_edited(self.key_input.text())
        production = self.environment_selector.findData(Environment.PRODUCTION.value)
        if presenting and production >= 0:
            if self.current_environment() is Environment.PRODUCTION:
                self.set_environment(Environment.STAGING)
            self.environment_selector.removeItem(production)
        elif not presenting and production < 0:
            self.environment_selector.addItem(
                Environment.PRODUCTION.display_name, Environment.PRODUCTION.value
            )

    @Slot(bool)
    def _on_reveal_toggled(self, shown: bool) -> None:
        self.key_input.set_revealed(shown)
        self.reveal_action.setText("Hide key" if shown else "Show key")
        self.reveal_action.setIcon(eye_icon(crossed=shown))
        if shown:
            self._reveal_timer.start()
        else:
            self._reveal_timer.stop()

    @Slot()
    def _open_sign_in(self) -> None:
        url = self._endpoints[self.current_environment()].sign_in_url
        QDesktopServices.openUrl(QUrl(url))

    @Slot()
    def _hide_key(self) -> None:
        self.reveal_action.setChecked(False)

    @Slot()
    def _use_demo_key(self) -> None:
        demo = self._demo_keys.get(self.current_environment())
        if demo:
            self.key_input.setText(demo)
            self.key_input.setFocus()

    @Slot()
    def _on_connect_clicked(self) -> None:
        if self._busy:
            return  # already connecting
        key = self.parsed_key()
        if key is None:  # the problem, spelled out under the field now, once
            self.key_input.setFocus()
            try:
                ApiKey.parse(self.key_input.text())
            except KeyFormatError as error:
                self._show_feedback("error", error.reason)
            return
        if self._label_problem():
            self.label_input.setFocus()
            return
        self.connectRequested.emit(self.current_environment(), key, self.label_input.text().strip())

    @Slot()
    def _on_message_action(self) -> None:
        if self._message_action:
            self.messageActionTriggered.emit(self._message_action)
