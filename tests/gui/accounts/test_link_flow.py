"""Linking from the window, by keyboard, with the real worker thread and simulator."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from tests.conftest import PRODUCTION_KEY, STAGING_KEY
from tests.gui.conftest import WindowFactory, find_dialog, wait_for_dialog
from tests.support.memory_keyring import MemoryKeyring, failing_backend
from zinc_desktop.core.accounts.filters import QuickFilter
from zinc_desktop.core.accounts.model import AccountStatus
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.environments import Environment, resolve_endpoints
from zinc_desktop.gui.accounts.link_panel import KEEP_TYPING, LinkPanel
from zinc_desktop.gui.main_window import MainWindow
from zinc_desktop.sandbox import Fault, SandboxServer
from zinc_desktop.services import Services


def type_key_and_enter(qtbot: QtBot, window: MainWindow, key: str) -> None:
    field = window.link_panel.key_input
    field.setFocus()
    qtbot.keyClicks(field, key)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def wait_idle(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.runner.pending() == 0, timeout=5000)


def wait_linked(qtbot: QtBot, window: MainWindow, count: int = 1) -> None:
    """A link is confirmed in the window itself: the banner and the selected row, no dialog."""
    qtbot.waitUntil(lambda: len(window.model.accounts()) == count, timeout=5000)
    qtbot.waitUntil(lambda: "Linked" in window.link_panel.message_text(), timeout=5000)
    assert find_dialog("linkedDialog") is None


def test_the_whole_link_flow_by_keyboard(
    qtbot: QtBot, window: MainWindow, memory_keyring: MemoryKeyring
) -> None:
    field = window.link_panel.key_input
    qtbot.waitUntil(field.hasFocus)  # the key field has focus at start
    assert field.echoMode() == QLineEdit.EchoMode.Password
    qtbot.keyClicks(field, STAGING_KEY)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    wait_linked(qtbot, window)
    message = window.link_panel.message_text()
    assert "Staging accepted key ••••" in message
    assert "3 packages found" in message
    keyring = window.keyring_label.text().removeprefix("Keys stored in: ")
    assert f"kept in your system keyring ({keyring})" in message  # which one, as the status bar
    assert field.hasFocus()  # ready for the next key
    (account,) = window.model.accounts()
    assert account.environment is Environment.STAGING
    assert account.status is AccountStatus.VERIFIED
    assert field.text() == ""
    assert window.accounts_panel.selected_account() == account
    assert list(memory_keyring.items.values()) == [STAGING_KEY]


def test_a_wrong_key_says_rejected_and_stores_nothing(
    qtbot: QtBot, window: MainWindow, memory_keyring: MemoryKeyring
) -> None:
    type_key_and_enter(qtbot, window, "ab" * 16)
    qtbot.waitUntil(lambda: "rejected" in window.link_panel.message_text())
    assert "Production does not accept it either" in window.link_panel.message_text()
    assert window.model.accounts() == []
    assert memory_keyring.items == {}
    assert window.link_panel.key_input.text() == "ab" * 16  # nothing the user typed is lost


def test_wrong_environment_offers_a_one_click_switch(qtbot: QtBot, window: MainWindow) -> None:
    type_key_and_enter(qtbot, window, PRODUCTION_KEY)
    qtbot.waitUntil(lambda: "is a Production key" in window.link_panel.message_text())
    action = window.link_panel.message_action_button
    assert action.isVisible()
    assert action.text() == "Switch to Production and connect"
    qtbot.mouseClick(action, Qt.MouseButton.LeftButton)
    wait_linked(qtbot, window)
    assert window.link_panel.current_environment() is Environment.PRODUCTION
    (account,) = window.model.accounts()
    assert account.environment is Environment.PRODUCTION


def test_a_duplicate_selects_the_existing_row(qtbot: QtBot, window: MainWindow) -> None:
    type_key_and_enter(qtbot, window, STAGING_KEY)
    wait_linked(qtbot, window)
    window.accounts_panel.table.clearSelection()
    type_key_and_enter(qtbot, window, STAGING_KEY.upper())
    qtbot.waitUntil(lambda: "already linked" in window.link_panel.message_text())
    assert len(window.model.accounts()) == 1
    assert window.accounts_panel.selected_account() is not None
    assert find_dialog("linkedDialog") is None


def test_an_unreachable_server_is_explained(
    qtbot: QtBot, window: MainWindow, sandbox: SandboxServer
) -> None:
    sandbox.stop()
    type_key_and_enter(qtbot, window, STAGING_KEY)
    qtbot.waitUntil(lambda: "refused the connection" in window.link_panel.message_text())
    assert window.model.accounts() == []


def test_zinc_down_is_explained(qtbot: QtBot, window: MainWindow, sandbox: SandboxServer) -> None:
    sandbox.inject(Fault(status=503))
    type_key_and_enter(qtbot, window, STAGING_KEY)
    qtbot.waitUntil(lambda: "on Zinc's side" in window.link_panel.message_text())


def test_cancel_mid_flight_stops_at_once_and_links_nothing(
    qtbot: QtBot, window: MainWindow, sandbox: SandboxServer, memory_keyring: MemoryKeyring
) -> None:
    sandbox.inject(Fault(delay=1.5))
    type_key_and_enter(qtbot, window, STAGING_KEY)
    cancel = window.link_panel.cancel_button
    qtbot.waitUntil(cancel.isVisible)
    assert window.link_panel.key_input.isReadOnly()
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert window.link_panel.connect_button.isVisible()  # not busy any more, at once
    assert "Cancelled" in window.link_panel.message_text()
    wait_idle(qtbot, window)
    assert window.model.accounts() == []
    assert memory_keyring.items == {}
    assert find_dialog("linkedDialog") is None


def test_the_window_stays_usable_while_a_slow_verification_runs(
    qtbot: QtBot,
    make_window: WindowFactory,
    make_services: Callable[..., Services],
    sandbox: SandboxServer,
) -> None:
    make_services().links.link(Environment.PRODUCTION, ApiKey.parse(PRODUCTION_KEY), "Acme live")
    window = make_window()
    # with an account linked, the table gets the room
    assert not window.accounts_page.link_form_open()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.accounts_page.link_form_open()
    assert window.link_panel.key_input.hasFocus()
    sandbox.inject(Fault(delay=0.8))  # slow, but inside the tests' 1 s read timeout
    type_key_and_enter(qtbot, window, STAGING_KEY)
    qtbot.waitUntil(window.link_panel.cancel_button.isVisible)
    # The GUI thread is free: typing, resizing and the table work while the call is in flight.
    qtbot.keyClicks(window.accounts_panel.filter_input, "acme")
    window.resize(1100, 760)
    assert window.accounts_panel.filter_input.text() == "acme"
    assert window.runner.pending() == 1
    wait_linked(qtbot, window, count=2)


def test_no_keyring_offers_a_session_only_link(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window(backend=failing_backend())
    assert "session-only" in window.keyring_label.text()
    type_key_and_enter(qtbot, window, STAGING_KEY)
    qtbot.waitUntil(lambda: "No usable OS keyring" in window.link_panel.message_text())
    assert "gnome-keyring" in window.link_panel.message_text()
    action = window.link_panel.message_action_button
    assert action.text() == "Link for this session only"
    qtbot.mouseClick(action, Qt.MouseButton.LeftButton)
    wait_linked(qtbot, window)
    assert "in memory for this session only" in window.link_panel.message_text()
    (account,) = window.model.accounts()
    assert account.session_only
    row = window.model.row_of(account.id)
    assert row is not None
    assert "this session only" in window.model.index(row, 1).data()


def test_live_format_feedback_uses_the_cores_reasons(qtbot: QtBot, window: MainWindow) -> None:
    panel = window.link_panel
    panel.key_input.setFocus()
    qtbot.keyClicks(panel.key_input, "abc")
    qtbot.waitUntil(lambda: "this one has 3" in panel.format_feedback.text())  # once it settles
    assert not panel.connect_button.isEnabled()
    panel.key_input.setText(STAGING_KEY[:10] + "x" + STAGING_KEY[11:])
    qtbot.waitUntil(lambda: "Character 11 is 'x'" in panel.format_feedback.text())
    panel.key_input.setText(f"  Bearer {STAGING_KEY}  ")
    assert f"(••••{STAGING_KEY[-4:]})" in panel.format_feedback.text()
    assert panel.connect_button.isEnabled()
    assert f"Staging ••••{STAGING_KEY[-4:]}" in panel.label_input.placeholderText()


def test_the_reveal_toggle_hides_the_key_again_by_itself(qtbot: QtBot, endpoints: object) -> None:
    panel = LinkPanel(endpoints, reveal_seconds=0.2)  # type: ignore[arg-type]
    qtbot.addWidget(panel)
    panel.key_input.setText(STAGING_KEY)
    panel.reveal_action.trigger()
    assert panel.key_input.echoMode() == QLineEdit.EchoMode.Normal
    qtbot.waitUntil(lambda: panel.key_input.echoMode() == QLineEdit.EchoMode.Password, timeout=2000)


def test_environment_marking(qtbot: QtBot, window: MainWindow) -> None:
    panel = window.link_panel
    assert panel.endpoint_badge.text() == "SANDBOX"
    assert "staging/partner/v2" in panel.endpoint_label.text()
    assert "stagingapp.zincwork.com" in panel.sign_in_link.accessibleDescription()
    panel.set_environment(Environment.PRODUCTION)
    assert "LIVE" in panel.environment_band.text()
    assert "billable" in panel.environment_band.text()
    assert "//app.zincwork.com" in panel.sign_in_link.accessibleDescription()
    assert "Sandbox" in window.windowTitle()


def test_every_interactive_widget_is_named(window: MainWindow) -> None:
    from PySide6.QtGui import QAccessible
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QComboBox, QToolButton

    for name in (
        "environmentSelector",
        "apiKeyInput",
        "labelInput",
        "connectButton",
        "accountsTable",
    ):
        widget = window.findChild(QWidget, name)
        assert widget is not None, name
        assert widget.accessibleName(), name
    for kind in (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView):
        for widget in window.findChildren(kind):
            if widget.objectName().startswith("qt_") or isinstance(widget, QToolButton):
                continue  # Qt's internals; toolbar buttons speak for their named QActions
            ancestors = []
            parent = widget.parent()
            while parent is not None:
                ancestors.append(parent)
                parent = parent.parent()
            if any(isinstance(a, QComboBox) for a in ancestors):
                continue  # a combo box's own editor and popup list
            assert widget.objectName(), f"a {type(widget).__name__} has no objectName"
            assert widget.accessibleName(), f"{widget.objectName()} has no accessible name"
    for action in window.accounts_panel.actions_in_order():
        assert action.objectName()
        assert action.toolTip()
    # Tool buttons, Qt's own included (a line edit's clear button), as a screen reader hears
    # them, on every page.
    for page in (window.demo_page, window.requests_page):
        page.content()  # built when first opened
    for button in window.findChildren(QToolButton):
        spoken = QAccessible.queryAccessibleInterface(button).text(QAccessible.Text.Name)
        parent = button.parentWidget()
        where = parent.objectName() if parent is not None else "no parent"
        assert spoken, f"a tool button in {where!r} has no name"


def test_keyboard_only_from_linking_to_the_table(qtbot: QtBot, window: MainWindow) -> None:
    type_key_and_enter(qtbot, window, STAGING_KEY)
    wait_linked(qtbot, window)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.link_panel.key_input)
    qtbot.keyClick(window.link_panel.key_input, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    panel = window.accounts_panel
    qtbot.waitUntil(panel.filter_input.hasFocus)
    qtbot.keyClick(panel.filter_input, Qt.Key.Key_Tab)  # the quick filters: one stop, arrows
    assert QApplication.focusWidget() is panel.quick_buttons[QuickFilter.ALL]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    qtbot.waitUntil(panel.table.hasFocus)
    assert panel.selected_account() is not None
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    dialog = wait_for_dialog(qtbot, "unlinkDialog")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.table)
    assert len(window.model.accounts()) == 1


def test_an_overridden_environment_is_marked(qtbot: QtBot) -> None:
    endpoints = resolve_endpoints(
        {"ZINC_PRODUCTION_API_URL": "https://zinc-gateway.example.com/partner/v2"}
    )
    panel = LinkPanel(endpoints)
    qtbot.addWidget(panel)
    assert not panel.endpoint_badge.isVisibleTo(panel)  # Staging: Zinc's own URL
    assert "https://stagingapi.zincwork.com/partner/v2" in panel.endpoint_label.text()
    panel.set_environment(Environment.PRODUCTION)
    assert panel.endpoint_badge.isVisibleTo(panel)
    assert panel.endpoint_badge.text() == "OVERRIDDEN"
    assert "ZINC_PRODUCTION_API_URL" in panel.endpoint_badge.toolTip()
    assert "zinc-gateway.example.com" in panel.endpoint_label.text()


def test_a_keyring_that_answers_late_shows_an_incomplete_row_that_completes(
    qtbot: QtBot, window: MainWindow, memory_keyring: MemoryKeyring
) -> None:
    memory_keyring.hang.set()  # the keyring waits for an unlock password...
    try:
        type_key_and_enter(qtbot, window, STAGING_KEY)
        qtbot.waitUntil(lambda: "Link incomplete" in window.link_panel.message_text(), timeout=8000)
        qtbot.waitUntil(lambda: window.model.total() == 1, timeout=5000)
        (account,) = window.model.accounts()
        assert account.status is AccountStatus.INCOMPLETE  # visible, never an invisible key
    finally:
        memory_keyring.hang.clear()
        memory_keyring.release.set()  # ...and the user types it
    qtbot.waitUntil(
        lambda: window.model.accounts()[0].status is AccountStatus.VERIFIED, timeout=10000
    )
    assert list(memory_keyring.items.values()) == [STAGING_KEY]


def test_typing_a_key_changes_its_feedback_once_it_settles_not_per_keystroke(
    qtbot: QtBot, window: MainWindow
) -> None:
    """A screen reader reads every change of the feedback line: typing 31 characters must not
    produce 31 of them."""
    panel = window.link_panel
    window.activateWindow()
    panel.key_input.setFocus()
    qtbot.waitUntil(panel.key_input.hasFocus)
    seen = [panel.format_feedback.text()]
    for character in STAGING_KEY[:31]:
        qtbot.keyClick(panel.key_input, character)
        if panel.format_feedback.text() != seen[-1]:
            seen.append(panel.format_feedback.text())
    assert seen[1:] == [KEEP_TYPING]  # one steady line while typing
    qtbot.waitUntil(lambda: "this one has 31" in panel.format_feedback.text())  # then, once
    qtbot.keyClick(panel.key_input, STAGING_KEY[31])
    assert "A well-formed key" in panel.format_feedback.text()  # good news at once
    for extra in "abcd":  # too long: the problem shows at once, its count once typing pauses
        qtbot.keyClick(panel.key_input, extra)
    assert "this one has 33" in panel.format_feedback.text()
    qtbot.waitUntil(lambda: "this one has 36" in panel.format_feedback.text())
    panel.key_input.clear()
    qtbot.keyClicks(panel.key_input, "abc")
    qtbot.keyClick(panel.key_input, Qt.Key.Key_Return)  # Enter says the problem now
    assert "this one has 3" in panel.format_feedback.text()


def test_focus_stays_where_the_user_put_it_during_a_verify(
    qtbot: QtBot, window: MainWindow, sandbox: SandboxServer, memory_keyring: MemoryKeyring
) -> None:
    panel = window.link_panel
    window.activateWindow()
    sandbox.inject(Fault(delay=0.6))
    type_key_and_enter(qtbot, window, STAGING_KEY)
    qtbot.waitUntil(panel.cancel_button.isVisible)
    focused = []
    for _ in range(10):  # watch focus while the call is in flight
        qtbot.wait(40)
        focused.append(QApplication.focusWidget())
    assert set(focused) == {panel.key_input}
    assert panel.key_input.isReadOnly()
    qtbot.keyClick(panel.key_input, Qt.Key.Key_Escape)  # Escape in the form cancels
    assert "Cancelled" in panel.message_text()
    assert QApplication.focusWidget() is panel.key_input
    wait_idle(qtbot, window)
    assert memory_keyring.items == {}
    # Pressing Connect puts focus on Cancel, in Connect's place; after the verify, back to the key.
    sandbox.inject(Fault(delay=0.3))
    panel.connect_button.setFocus()
    qtbot.keyClick(panel.connect_button, Qt.Key.Key_Space)
    qtbot.waitUntil(panel.cancel_button.isVisible)
    assert QApplication.focusWidget() is panel.cancel_button
    wait_linked(qtbot, window, count=1)
    assert QApplication.focusWidget() in (panel.key_input, window.accounts_panel.table)


def test_what_connect_came_to_is_announced_and_forgotten_when_presenting(
    qtbot: QtBot, window: MainWindow
) -> None:
    panel = window.link_panel
    type_key_and_enter(qtbot, window, PRODUCTION_KEY)  # the wrong environment: a refusal
    qtbot.waitUntil(lambda: "Production" in panel.message_text(), timeout=5000)
    assert panel.announced
    assert panel.announced[-1].startswith(panel.message_text()[:20])
    panel.key_input.clear()
    type_key_and_enter(qtbot, window, STAGING_KEY)
    wait_linked(qtbot, window)
    assert "Linked" in panel.announced[-1]
    window.set_presenting(True, window.model.accounts()[0].id)
    assert panel.message_text() == ""
    assert panel.message_label.text() == ""  # nothing of it left for the accessibility tree
    assert panel.message_frame.accessibleName() == ""


def test_the_linked_banner_goes_when_the_accounts_change_and_no_other_message_does(
    qtbot: QtBot, window: MainWindow
) -> None:
    panel = window.link_panel
    type_key_and_enter(qtbot, window, STAGING_KEY)
    wait_linked(qtbot, window)
    (account,) = window.model.accounts()
    window.model.upsert(account.with_changes(label="Acme renamed"))  # a rename, as it lands
    qtbot.waitUntil(lambda: panel.message_text() == "")  # "Linked …" misleads now: gone
    # A message about something else stays, whatever words it uses (the topic decides).
    panel.show_message("warning", "Linked accounts could not all be re-tested.")
    window.model.upsert(account.with_changes(label="Acme again"))
    qtbot.wait(50)
    assert "could not all be re-tested" in panel.message_text()
