"""What a keyboard-only and screen-reader walk through the real window found, kept fixed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QLabel, QMenu
from pytestqt.qtbot import QtBot

from tests.conftest import STAGING_KEY
from tests.gui.conftest import WindowFactory, find_dialog, wait_for_dialog
from tests.gui.demo.test_demo import checks_shown, fill_candidate, open_demo, posts
from tests.gui.pages import press
from zinc_desktop.gui.main_window import MainWindow
from zinc_desktop.sandbox import SandboxServer
from zinc_desktop.services import Services


def acme(window: MainWindow) -> object:
    return next(a for a in window.model.accounts() if a.label == "Acme")


def test_enter_on_a_focused_button_presses_it(
    qtbot: QtBot, make_window: WindowFactory, both: Services, sandbox: SandboxServer
) -> None:
    window = make_window()
    open_demo(qtbot, window, acme(window))  # type: ignore[arg-type]
    form = window.demo_panel.form
    press(qtbot, form.fill_button, form.inputs["first_name"], Qt.Key.Key_C)
    qtbot.waitUntil(form.start_button.hasFocus)  # "Fill test candidate" hands over to Start
    qtbot.keyClick(form.start_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: checks_shown(window) == 1, timeout=5000)
    assert posts(sandbox) == 1


def test_extra_enters_after_a_start_leave_the_success_in_view(
    qtbot: QtBot, make_window: WindowFactory, both: Services, sandbox: SandboxServer
) -> None:
    window = make_window()
    open_demo(qtbot, window, acme(window))  # type: ignore[arg-type]
    form = window.demo_panel.form
    fill_candidate(qtbot, window)
    qtbot.keyClick(form.inputs["email"], Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Started check" in form.status.text(), timeout=5000)
    assert form.inputs["first_name"].hasFocus()  # ready for the next candidate
    for _ in range(3):
        qtbot.keyClick(form.inputs["first_name"], Qt.Key.Key_Return)
    assert "Started check" in form.status.text()
    assert not any(label.isVisible() for label in form.errors.values())
    assert posts(sandbox) == 1


def test_presenting_shows_no_key_ending_anywhere(
    qtbot: QtBot, make_window: WindowFactory, both: Services
) -> None:
    window = make_window()
    window.set_presenting(True)
    window.accounts_page.show_link_form()
    panel = window.link_panel
    panel.key_input.setText(STAGING_KEY)
    hint = STAGING_KEY[-4:]
    assert hint not in panel.format_feedback.text()
    assert hint not in panel.label_input.placeholderText()
    assert not panel.reveal_action.isVisible()
    panel.reveal_action.trigger()
    assert panel.key_input.echoMode() is not panel.key_input.EchoMode.Normal
    window.status_line.show_message(f"Staging accepted key ••••{hint}: 3 packages found.")
    assert hint not in window.status_line.message()
    window.accounts_panel.select_account(acme(window).id)  # type: ignore[attr-defined]
    window.accounts_panel.unlink_action.trigger()
    dialog = wait_for_dialog(qtbot, "unlinkDialog")
    assert hint not in dialog.text()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: find_dialog("unlinkDialog") is None)


def test_a_screen_reader_reads_what_changing_labels_say(
    qtbot: QtBot, make_window: WindowFactory, both: Services
) -> None:
    """A fixed accessible name on a status label hides its text; these have none."""
    window = make_window()
    open_demo(qtbot, window, acme(window))  # type: ignore[arg-type]
    form = window.demo_panel.form
    qtbot.mouseClick(form.start_button, Qt.MouseButton.LeftButton)
    for label in (*form.errors.values(), form.status, form.package_label):
        assert label.accessibleName() == "", label.objectName()
    for label in window.findChildren(QLabel):
        if label.objectName() in {
            "keyFormatFeedback", "labelFeedback", "checkFormStatus", "packagesStatus",
            "accountCount", "keyringStatus", "checksNotice", "statusMessage",
        }:  # fmt: skip
            assert label.accessibleName() == "", label.objectName()


def test_the_start_button_says_billable_to_a_screen_reader(
    qtbot: QtBot, make_window: WindowFactory, both: Services
) -> None:
    window = make_window()
    live = next(a for a in window.model.accounts() if a.label == "Acme live")
    open_demo(qtbot, window, live)
    button = window.demo_panel.form.start_button
    assert button.accessibleName() == "Start check"  # the contract
    assert "billed" in button.accessibleDescription()
    picker_label = next(
        label
        for label in window.demo_panel.findChildren(QLabel)
        if label.buddy() is window.demo_panel.picker
    )
    assert picker_label.text().replace("&", "") == "Account to demo"


def test_the_window_fits_a_1024_by_640_screen(
    qtbot: QtBot, make_window: WindowFactory, both: Services
) -> None:
    window = make_window()
    for presenting in (False, True):
        window.set_presenting(presenting)
        window.accounts_page.show_link_form()
        for page in range(window.tabs.count()):
            window.tabs.setCurrentIndex(page)
            QApplication.processEvents()
            hint = window.minimumSizeHint()
            assert hint.width() <= 1024, (presenting, page, hint)
            assert hint.height() <= 600, (presenting, page, hint)
    window.set_presenting(False)


def test_tab_into_the_checks_list_picks_nothing(
    qtbot: QtBot, make_window: WindowFactory, both: Services
) -> None:
    window = make_window()
    open_demo(qtbot, window, acme(window))  # type: ignore[arg-type]
    demo = window.demo_panel
    fill_candidate(qtbot, window)
    qtbot.mouseClick(demo.form.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: checks_shown(window) == 1, timeout=5000)
    demo.checks.list.clearSelection()
    demo.session.select_check(None)
    demo.refresh_view()
    demo.checks.watch_button.setFocus()
    qtbot.keyClick(demo.checks.watch_button, Qt.Key.Key_Tab)
    assert demo.checks.list.hasFocus()
    assert demo.session.selected_check_id is None


def test_a_row_is_selected_after_start_and_shift_f10_opens_its_menu(
    qtbot: QtBot, make_window: WindowFactory, both: Services
) -> None:
    window = make_window()
    table = window.accounts_panel.table
    assert window.accounts_panel.selected_account() is not None  # F5, F2, Delete have a row
    assert table.hasFocus()
    qtbot.keyClick(table, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: any(m.isVisible() for m in table.findChildren(QMenu)))
    menu = next(m for m in table.findChildren(QMenu) if m.isVisible())
    assert "Unlink" in [a.text() for a in menu.actions()]
    menu.close()


def test_the_link_form_offers_what_fits_the_moment(qtbot: QtBot, window: MainWindow) -> None:
    """No account: the form is the page (no Hide, no Link account…). Linked: both make sense."""
    assert window.accounts_page.link_form_open()
    assert not window.accounts_page.link_toggle.isVisible()
    assert not window.accounts_page.link_hide.isVisible()
    panel = window.link_panel
    qtbot.keyClicks(panel.key_input, STAGING_KEY)
    qtbot.keyClick(panel.key_input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.model.total() == 1, timeout=5000)
    assert window.accounts_page.link_hide.isVisible()
    qtbot.keyClicks(panel.key_input, STAGING_KEY)
    qtbot.keyClicks(panel.label_input, "Another name")
    qtbot.keyClick(panel.key_input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "already linked" in panel.message_text(), timeout=5000)
    assert panel.key_input.text() == ""
    assert panel.label_input.text() == ""


def test_one_press_of_the_menu_key_opens_one_menu_at_the_current_row(
    qtbot: QtBot, make_window: WindowFactory, both: Services
) -> None:
    """On X11 the Menu key is a key press (which a shortcut would take) and then, from the
    platform, a keyboard context-menu event: both used to open a menu."""
    window = make_window()
    table = window.accounts_panel.table
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    qtbot.keyClick(table, Qt.Key.Key_Menu)  # the key itself
    centre = table.viewport().rect().center()
    QApplication.sendEvent(  # and what the platform sends for it
        table,
        QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, centre, table.mapToGlobal(centre)),
    )
    qtbot.waitUntil(lambda: any(m.isVisible() for m in table.findChildren(QMenu)))
    qtbot.wait(50)
    shown = [m for m in table.findChildren(QMenu) if m.isVisible()]
    assert len(shown) == 1
    assert (
        shown[0].pos().y()
        <= table.mapToGlobal(table.visualRect(table.currentIndex()).bottomLeft()).y() + 40
    )
    shown[0].close()
