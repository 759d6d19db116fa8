"""The window around the pages: menus, many accounts, feedback, presenting mode, crashes."""

from __future__ import annotations

import logging
import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from keyring.backends import macOS
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QListWidget, QMenu, QTableWidget
from pytestqt.qtbot import QtBot

from tests.conftest import PRODUCTION_KEY, STAGING_KEY
from tests.gui.conftest import WindowFactory, find_dialog, wait_for_dialog
from tests.gui.demo.test_demo import EMAIL, checks_shown, open_demo
from tests.support.memory_keyring import MemoryKeyring
from tests.support.pdf_text import pdf_to_text
from tests.support.platforms import FILE_MODES
from zinc_desktop import __version__
from zinc_desktop.core.accounts.columns import Column
from zinc_desktop.core.accounts.filters import QuickFilter
from zinc_desktop.core.accounts.model import AccountStatus
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.app_paths import NATIVE_CRASH_FILE, AppPaths
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.core.foundation.log_redaction import configure_file_logging
from zinc_desktop.gui.common.crash_reporter import CrashReporter
from zinc_desktop.gui.launch import window_options
from zinc_desktop.gui.main_window import MainWindow
from zinc_desktop.sandbox import SandboxServer
from zinc_desktop.services import Services


def many_accounts(services: Services, sandbox: SandboxServer, count: int) -> None:
    for index in range(count):
        environment = Environment.PRODUCTION if index % 4 == 3 else Environment.STAGING
        key = f"{index + 16:08x}" * 4
        sandbox.add_key(environment, key)
        services.links.link(environment, ApiKey.parse(key), f"Customer {index:02d}")


# --- the menu bar ----------------------------------------------------------------------------


def test_the_menu_bar_has_the_usual_places(qtbot: QtBot, window: MainWindow) -> None:
    menus = [
        menu
        for menu in window.menuBar().findChildren(
            QMenu, options=Qt.FindChildOption.FindDirectChildrenOnly
        )
        if menu.title()  # not Qt's own overflow menu
    ]
    assert [m.title().replace("&", "") for m in menus] == ["File", "View", "Help"]
    entries = {
        menu.title().replace("&", ""): [
            a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()
        ]
        for menu in menus
    }
    assert entries["File"] == ["Link account…", "Export account list…", "Quit"]
    assert entries["View"] == ["Presenting mode", "Full screen"]
    assert entries["Help"] == ["Keyboard shortcuts", "Open log folder", "About zinc-desktop"]
    assert window.quit_action.shortcut().toString() == "Ctrl+Q"
    assert window.present_action.shortcut().toString() == "Ctrl+Shift+P"
    assert window.link_action.shortcut().toString() == "Ctrl+N"


def test_about_names_the_version_and_where_things_live(
    qtbot: QtBot, window: MainWindow, app_paths: AppPaths
) -> None:
    window.findChild(type(window.quit_action), "aboutAction").trigger()  # type: ignore[union-attr]
    box = wait_for_dialog(qtbot, "aboutDialog")
    assert __version__ in box.text()
    assert str(app_paths.data) in box.informativeText()
    assert str(app_paths.log) in box.informativeText()
    assert "keyring" in box.informativeText()
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: find_dialog("aboutDialog") is None)


def test_the_window_names_the_keyring_as_people_know_it(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    """keyring's macOS Keychain class (its items kept in memory here): the status bar and About
    say "macOS Keychain", not the class path the log carries."""

    class KeychainInMemory(MemoryKeyring, macOS.Keyring):
        pass

    window = make_window(backend=KeychainInMemory())
    assert window.keyring_label.text() == "Keys stored in: macOS Keychain"
    window.findChild(QAction, "aboutAction").trigger()  # type: ignore[union-attr]
    box = wait_for_dialog(qtbot, "aboutDialog")
    assert "system keyring (macOS Keychain)" in box.informativeText()
    assert "keyring.backends" not in box.informativeText()
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: find_dialog("aboutDialog") is None)


def test_f1_lists_the_shortcuts(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window.link_panel.key_input, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: find_dialog("shortcutsDialog") is not None)
    dialog = find_dialog("shortcutsDialog")
    assert dialog is not None
    table = dialog.findChild(QTableWidget, "shortcutsTable")
    assert isinstance(table, QTableWidget)
    cells = [(table.item(row, 0), table.item(row, 1)) for row in range(table.rowCount())]
    listed = {keys.text(): meaning.text() for keys, meaning in cells if keys and meaning}
    assert len(listed) == table.rowCount()  # each set of keys once
    # Every action of the window that has keys is listed by its keys, saying what it does now.
    for action in window.findChildren(QAction):
        if action.shortcut().isEmpty() or action.objectName().startswith("_q_"):
            continue
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        assert any(keys in row.split(" / ") for row in listed), (action.objectName(), keys)
    native = QKeySequence("Ctrl+E").toString(QKeySequence.SequenceFormat.NativeText)
    assert listed[native].startswith("Replace key: give")  # as the action says: never stale
    assert "Go to the key field" in listed.values()  # a QShortcut, by what it says it does
    assert "Re-enter a missing key" not in listed.values()
    dialog.close()


def test_ctrl_q_quits(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window.link_panel.key_input, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible())


# --- many accounts ---------------------------------------------------------------------------


def test_many_accounts_get_the_room_a_count_and_quick_filters(
    qtbot: QtBot,
    make_window: WindowFactory,
    make_services: Callable[..., Services],
    sandbox: SandboxServer,
) -> None:
    many_accounts(make_services(), sandbox, 56)
    window = make_window()
    qtbot.waitUntil(lambda: window.model.total() == 56)
    panel = window.accounts_panel
    assert not window.accounts_page.link_form_open()  # folded: the table gets the room
    assert window.accounts_page.link_toggle.isVisible()
    assert panel.count_label.text() == "56 accounts"
    assert panel.table.height() > 300

    panel.quick_buttons[QuickFilter.PRODUCTION].click()
    assert panel.model.rowCount() == 14
    assert panel.count_label.text() == "14 of 56 accounts shown"
    panel.quick_buttons[QuickFilter.NEEDS_ATTENTION].click()
    assert panel.model.rowCount() == 0
    assert panel.stack.currentWidget() is panel.no_matches
    assert "No account is here among needs attention accounts" in panel.no_matches.text()
    panel.quick_buttons[QuickFilter.ALL].click()
    qtbot.keyClick(panel.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert panel.filter_input.hasFocus()
    qtbot.keyClicks(panel.filter_input, "zebra")
    assert panel.stack.currentWidget() is panel.no_matches
    assert "No account matches the filter" in panel.no_matches.text()
    qtbot.keyClick(panel.filter_input, Qt.Key.Key_Escape)
    assert panel.filter_input.text() == ""
    assert panel.stack.currentWidget() is panel.table

    qtbot.keyClick(panel.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.accounts_page.link_form_open()
    assert window.link_panel.key_input.hasFocus()


def test_retest_all_counts_read_right(
    qtbot: QtBot, make_window: WindowFactory, make_services: Callable[..., Services]
) -> None:
    services = make_services()
    links = services.links
    for key, label in ((STAGING_KEY, "a"), (PRODUCTION_KEY, "b")):
        environment = Environment.STAGING if key == STAGING_KEY else Environment.PRODUCTION
        account = links.link(environment, ApiKey.parse(key), label).account
        assert account is not None
        links.keyring().delete(account.id)
    window = make_window()
    window.accounts_panel.retest_all_action.trigger()
    qtbot.waitUntil(lambda: "Re-tested 2 of 2" in window.status_line.message(), timeout=5000)
    assert "2 with their keys missing" in window.status_line.message()
    assert all(a.status is AccountStatus.MISSING_SECRET for a in window.model.accounts())


# --- feedback --------------------------------------------------------------------------------


def test_a_malformed_key_is_explained_once_and_stale_messages_go(
    qtbot: QtBot, window: MainWindow
) -> None:
    panel = window.link_panel
    qtbot.keyClicks(panel.key_input, "abc")
    qtbot.keyClick(panel.key_input, Qt.Key.Key_Return)
    assert "this one has 3" in panel.format_feedback.text()
    assert panel.message_text() == ""  # not a second time in a banner
    panel.key_input.clear()
    qtbot.keyClicks(panel.key_input, "ab" * 16)
    qtbot.keyClick(panel.key_input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "rejected" in panel.message_text(), timeout=5000)
    qtbot.keyClick(panel.key_input, Qt.Key.Key_Backspace)
    assert panel.message_text() == ""  # about the key as it was: gone once it changes


def test_an_over_long_label_is_refused_next_to_the_field(qtbot: QtBot, window: MainWindow) -> None:
    panel = window.link_panel
    panel.key_input.setText(STAGING_KEY)
    qtbot.keyClicks(panel.label_input, "x" * 81)
    assert panel.label_feedback.isVisible()
    assert "at most 80 characters" in panel.label_feedback.text()
    assert not panel.connect_button.isEnabled()
    qtbot.keyClick(panel.label_input, Qt.Key.Key_Backspace)
    assert not panel.label_feedback.isVisible()
    assert panel.connect_button.isEnabled()


def test_status_messages_never_run_into_the_keyring_label(qtbot: QtBot, window: MainWindow) -> None:
    window.status_line.show_message("A very long message " * 30)
    QApplication.processEvents()
    line = window.status_line.geometry()
    keyring = window.keyring_label.geometry()
    assert line.right() < keyring.left()
    assert window.status_line.text().endswith("…")
    assert window.keyring_label.isVisible()


# --- presenting mode -------------------------------------------------------------------------


def test_presenting_hides_production_keys_addresses_and_requests(
    qtbot: QtBot, make_window: WindowFactory, both: Services
) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: window.model.total() == 2)
    size = window.font().pointSizeF()
    qtbot.keyClick(
        window.accounts_panel.table,
        Qt.Key.Key_P,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert not window.presenting()  # first: whom to present, on the consultant's own screen
    qtbot.waitUntil(lambda: find_dialog("presentChooser") is not None)
    chooser = find_dialog("presentChooser")
    assert chooser is not None
    listed = chooser.findChild(QListWidget, "presentList")
    assert listed is not None
    assert listed.accessibleName() == "Account to present"
    assert [listed.item(i).text() for i in range(listed.count())] == ["Acme"]  # Staging only
    qtbot.keyClick(listed, Qt.Key.Key_Return)
    qtbot.waitUntil(window.presenting)
    QApplication.processEvents()
    assert window.font().pointSizeF() == pytest.approx(size * 1.25)
    assert window.demo_panel.environment_band.font().pointSizeF() == pytest.approx(size * 1.25)
    assert window.tabs.indexOf(window.requests_page) == -1  # removed: not even for a screen reader
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
        "&Accounts",
        "&Demo",
        "We&bhooks",
    ]
    panel = window.accounts_panel
    assert panel.model.rowCount() == 1  # the presented account alone
    assert panel.table.isColumnHidden(Column.KEY)
    assert not any(b.isVisible() for b in panel.quick_buttons.values())
    assert not panel.count_label.isVisible()
    window.accounts_page.show_link_form()  # Ctrl+N: a new account would be another customer
    assert not window.accounts_page.link_form_open()
    selector = window.link_panel.environment_selector
    assert not window.link_panel.endpoint_label.isVisible()
    picker = window.demo_panel.picker
    assert [picker.itemText(i) for i in range(picker.count())] == ["Staging — test data", "Acme"]
    assert "Presenting" in window.windowTitle()

    window.set_presenting(False)
    assert window.tabs.indexOf(window.requests_page) == 2
    assert panel.model.rowCount() == 2
    assert not panel.table.isColumnHidden(Column.KEY)
    assert selector.count() == 2
    assert all(b.isVisible() for b in panel.quick_buttons.values())
    window.accounts_page.show_link_form()
    assert window.link_panel.endpoint_label.isVisible()
    QApplication.processEvents()
    assert window.font().pointSizeF() == pytest.approx(size)


def test_presenting_shows_the_journey_large_and_exports_a_clean_summary(
    qtbot: QtBot, make_window: WindowFactory, both: Services, tmp_path: Path
) -> None:
    window = make_window()
    account = (
        next(a for a in window.model.accounts() if a.label == "Acme")
        if window.model.accounts()
        else None
    )
    qtbot.waitUntil(lambda: window.model.total() == 2)
    account = next(a for a in window.model.accounts() if a.label == "Acme")
    open_demo(qtbot, window, account)
    window.set_presenting(True)
    demo = window.demo_panel
    qtbot.mouseClick(demo.form.fill_button, Qt.MouseButton.LeftButton)
    assert demo.form.inputs["email"].text().endswith("@example.com")
    qtbot.mouseClick(demo.form.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: checks_shown(window) == 1, timeout=5000)
    assert demo.checks.steps.isVisible()
    assert not demo.checks.timeline.isVisible()
    item = demo.checks.list.item(0)
    qtbot.waitUntil(lambda: item.text().startswith("Complete"), timeout=10000)
    assert "Took" in demo.checks.steps.accessibleDescription()

    check_id = demo.session.selected_check_id
    assert check_id is not None
    demo.export_chosen(check_id, tmp_path / "summary", "PDF, and a web page beside it (*.pdf)")
    pdf_path, html_path = tmp_path / "summary.pdf", tmp_path / "summary.html"
    paths = [pdf_path, html_path]
    assert pdf_path.read_bytes().startswith(b"%PDF")
    page = html_path.read_text()
    pdf_text = pdf_to_text(pdf_path)
    for text in (page, pdf_text):
        assert check_id in text
        assert "Staging" in text
        assert "Basic DBS + Right to Work" in text
        assert "Identity" in text
        for secret in (STAGING_KEY, STAGING_KEY[-4:], "alex.example@example.com", EMAIL):
            assert secret not in text
    for path in paths if FILE_MODES else ():
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_present_flag_starts_presenting() -> None:
    options, _ = window_options(["--sandbox", "--present"])
    assert options.present
    assert options.sandbox


# --- crashes ---------------------------------------------------------------------------------


class Boom(RuntimeError):
    pass


def test_an_unexpected_error_is_logged_redacted_and_shown(
    qtbot: QtBot, window: MainWindow, app_paths: AppPaths
) -> None:
    handler = configure_file_logging(app_paths.log_file)
    reporter = CrashReporter(app_paths.log, window)
    try:

        def explode() -> None:
            raise Boom(f"server said {STAGING_KEY}")

        QTimer.singleShot(0, window, explode)
        box = wait_for_dialog(qtbot, "crashDialog")
        assert "Boom" in box.text()
        assert STAGING_KEY not in box.detailedText()
        assert STAGING_KEY[-4:] in box.detailedText()
        copy = next(b for b in box.buttons() if b.objectName() == "copyCrashDetailsButton")
        qtbot.mouseClick(copy, Qt.MouseButton.LeftButton)
        assert "Boom" in QApplication.clipboard().text()
        assert box.isVisible()  # copying does not close it
        box.close()

        thread = threading.Thread(target=explode, name="worker-x")
        thread.start()
        thread.join()
        qtbot.waitUntil(
            lambda: "worker-x" in reporter.last_details or find_dialog("crashDialog") is not None
        )
        handler.flush()
        text = app_paths.log_file.read_text()
        assert "Boom" in text
        assert STAGING_KEY not in text
        assert (app_paths.log / NATIVE_CRASH_FILE).exists()
    finally:
        reporter.uninstall()
        logging.getLogger("zinc_desktop").removeHandler(handler)
        handler.close()
        dialog = find_dialog("crashDialog")
        if dialog is not None:
            dialog.close()


def test_a_key_typed_into_the_label_is_refused_beside_it_and_nothing_is_stored(
    qtbot: QtBot, window: MainWindow, memory_keyring: object, app_paths: AppPaths
) -> None:
    panel = window.link_panel
    qtbot.keyClicks(panel.key_input, STAGING_KEY)
    qtbot.keyClick(panel.key_input, Qt.Key.Key_Tab)  # lands on Label, as a person would
    qtbot.keyClicks(panel.label_input, f"Acme {PRODUCTION_KEY}")
    assert panel.label_feedback.isVisible()
    assert "must not contain an API key" in panel.label_feedback.text()
    assert PRODUCTION_KEY not in panel.label_feedback.text()
    assert not panel.connect_button.isEnabled()
    qtbot.keyClick(panel.label_input, Qt.Key.Key_Return)
    qtbot.wait(300)
    assert window.model.total() == 0
    assert not app_paths.accounts_file.exists()


def test_a_window_never_painted_still_loads_its_accounts(
    qtbot: QtBot, make_services: Callable[..., Services], app_paths: AppPaths
) -> None:
    """Start-up work waits for the first frame, but not for ever: a window started minimized or
    on a hidden desktop is never painted, and its accounts (and the single-instance socket,
    which listens on `started`) must come anyway."""
    from PySide6.QtCore import QSettings

    services = make_services()
    services.links.link(Environment.STAGING, ApiKey.parse(STAGING_KEY), "Acme")
    settings = QSettings(str(app_paths.window_settings), QSettings.Format.IniFormat)
    window = MainWindow(services, settings=settings)
    qtbot.addWidget(window)
    started: list[bool] = []
    window.started.connect(lambda: started.append(True))
    assert not window.isVisible()
    qtbot.waitUntil(window.is_loaded, timeout=5000)
    assert started == [True]
    assert [a.label for a in window.model.accounts()] == ["Acme"]
    window.close()
    assert window.runner.wait_for_threads(5000)
