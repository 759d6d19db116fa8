"""The demo tab: packages, a check watched to completion, the Production guard, the inspector."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.conftest import PRODUCTION_KEY, STAGING_KEY
from tests.gui.conftest import WindowFactory, find_dialog, wait_for_dialog
from tests.support.disk_scan import files_containing
from zinc_desktop.core.accounts.model import Account
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.app_paths import AppPaths
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.core.zinc.api import CheckStatus
from zinc_desktop.gui.main_window import MainWindow
from zinc_desktop.gui.requests.request_inspector import describe
from zinc_desktop.sandbox import Fault, SandboxServer
from zinc_desktop.services import Services

EMAIL = "ada.lovelace@example.com"


@pytest.fixture
def staging(make_services: Callable[..., Services]) -> Account:
    account = (
        make_services().links.link(Environment.STAGING, ApiKey.parse(STAGING_KEY), "Acme").account
    )
    assert account is not None
    return account


@pytest.fixture
def production(make_services: Callable[..., Services]) -> Account:
    key = ApiKey.parse(PRODUCTION_KEY)
    account = make_services().links.link(Environment.PRODUCTION, key, "Acme live").account
    assert account is not None
    return account


def open_demo(qtbot: QtBot, window: MainWindow, account: Account) -> None:
    """As a user does: select the row, Ctrl+D; wait for the packages."""
    qtbot.waitUntil(lambda: window.model.account(account.id) is not None, timeout=5000)
    window.accounts_panel.select_account(account.id)
    window.accounts_panel.table.setFocus()
    qtbot.keyClick(window.accounts_panel.table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.demo_page
    demo = window.demo_panel
    assert demo.current_account() == window.model.account(account.id)
    qtbot.waitUntil(lambda: demo.packages.table.model().rowCount() > 0, timeout=5000)


def fill_candidate(qtbot: QtBot, window: MainWindow, email: str = EMAIL) -> None:
    inputs = window.demo_panel.form.inputs
    for field, text in (("first_name", "Ada"), ("last_name", "Lovelace"), ("email", email)):
        inputs[field].clear()
        qtbot.keyClicks(inputs[field], text)


def checks_shown(window: MainWindow) -> int:
    return window.demo_panel.checks.list.count()


def wait_for_checks(qtbot: QtBot, window: MainWindow, count: int) -> None:
    qtbot.waitUntil(lambda: checks_shown(window) == count, timeout=5000)


def posts(sandbox: SandboxServer) -> int:
    return sum(1 for r in sandbox.requests if r.method == "POST")


def test_lists_the_accounts_packages(
    qtbot: QtBot, make_window: WindowFactory, staging: Account
) -> None:
    window = make_window()
    open_demo(qtbot, window, staging)
    demo = window.demo_panel
    table = demo.packages.table
    assert table.model().rowCount() == 3
    assert table.model().index(0, 0).data() == "Basic DBS + Right to Work"
    assert demo.packages.status.text().startswith("3 packages.")
    assert "Staging" in demo.environment_band.text()
    assert demo.form.start_button.text().replace("&", "") == "Start test check"
    assert demo.form.title() == "Start a test check"
    # The first package is chosen, in the table and in the form alike.
    assert table.selectionModel().selectedRows()[0].row() == 0
    assert demo.form.package_label.text() == "Basic DBS + Right to Work"
    # On first show every Type and Id is whole, not "st…" and "…".
    metrics = table.fontMetrics()
    for row in range(3):
        for column in (1, 2):
            text = table.model().index(row, column).data()
            assert table.columnWidth(column) > metrics.horizontalAdvance(text), text


def test_a_package_failure_is_explained(
    qtbot: QtBot, make_window: WindowFactory, staging: Account, sandbox: SandboxServer
) -> None:
    window = make_window()
    open_demo(qtbot, window, staging)
    sandbox.inject(Fault(status=503))
    qtbot.mouseClick(window.demo_panel.packages.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "on Zinc's side" in window.demo_panel.packages.status.text())


def test_the_form_is_validated_before_anything_is_sent(
    qtbot: QtBot, make_window: WindowFactory, staging: Account, sandbox: SandboxServer
) -> None:
    window = make_window()
    open_demo(qtbot, window, staging)
    form = window.demo_panel.form
    qtbot.mouseClick(form.start_button, Qt.MouseButton.LeftButton)
    for field in ("first_name", "last_name", "email"):
        assert form.errors[field].isVisible(), field
    assert not form.errors["phone"].isVisible()
    assert form.inputs["first_name"].hasFocus()
    fill_candidate(qtbot, window, email="ada@example")
    qtbot.mouseClick(form.start_button, Qt.MouseButton.LeftButton)
    assert "is not an email address" in form.errors["email"].text()
    assert not form.errors["first_name"].isVisible()
    form.inputs["first_name"].setText("A" * 101)
    qtbot.mouseClick(form.start_button, Qt.MouseButton.LeftButton)
    assert "at most 100 characters" in form.errors["first_name"].text()
    assert posts(sandbox) == 0


def test_a_test_check_is_watched_until_complete(
    qtbot: QtBot,
    make_window: WindowFactory,
    staging: Account,
    make_services: Callable[..., Services],
) -> None:
    window = make_window()
    open_demo(qtbot, window, staging)
    demo = window.demo_panel
    fill_candidate(qtbot, window)
    qtbot.keyClick(demo.form.inputs["email"], Qt.Key.Key_Return)  # Enter starts too
    qtbot.waitUntil(lambda: checks_shown(window) == 1, timeout=5000)
    check_id = demo.session.selected_check_id
    assert check_id is not None
    assert check_id in demo.watching()
    item = demo.checks.list.item(0)
    qtbot.waitUntil(lambda: item.text().startswith("Complete"), timeout=10000)
    timeline = demo.checks.timeline
    steps = [timeline.item(i).text() for i in range(timeline.count())]
    assert [s.split("  ")[1].split("   ")[0] for s in steps] == [
        "Requested", "Awaiting candidate", "In progress", "Complete",
    ]  # fmt: skip
    assert all(s.startswith("✓") for s in steps)
    assert "Identity" in demo.checks.results_text()
    assert "Right to work" in demo.checks.results_text()
    assert demo.watching() == []
    # A screen reader heard each change once; the "Started check…" line went with its check.
    changes = [text.split(": now ")[1] for text in demo.announced if ": now " in text]
    assert changes == ["Awaiting candidate.", "In progress.", "Complete."]
    started = [text for text in demo.announced if text.startswith("Started check")]
    assert len(started) == 1  # the start itself is said once, focus being back in First name
    assert not demo.form.status.isVisible() or "Started check" not in demo.form.status.text()
    # The journey and the results are reachable by Tab, after the list of checks.
    demo.checks.list.setFocus()
    qtbot.keyClick(demo.checks.list, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is timeline
    qtbot.keyClick(timeline, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is demo.checks.results
    (record,) = make_services().history.for_account(staging.id)
    assert record.status is CheckStatus.COMPLETE


def test_several_checks_newest_first_and_shown_again_after_a_restart(
    qtbot: QtBot,
    make_window: WindowFactory,
    staging: Account,
    app_paths: AppPaths,
) -> None:
    window = make_window()
    open_demo(qtbot, window, staging)
    demo = window.demo_panel

    def start_with_package(row: int) -> None:
        demo.packages.table.selectRow(row)
        fill_candidate(qtbot, window)
        qtbot.mouseClick(demo.form.start_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: checks_shown(window) == row + 1, timeout=5000)
        qtbot.waitUntil(lambda: demo.session.starting is None)

    start_with_package(0)
    start_with_package(1)
    assert "Enhanced DBS" in demo.checks.list.item(0).text()  # the newest is on top
    window.close()

    again = make_window()
    qtbot.waitUntil(lambda: again.demo_panel.current_account() is not None, timeout=5000)
    assert again.demo_panel.current_account() == staging  # the last account demoed
    qtbot.waitUntil(lambda: checks_shown(again) == 2, timeout=5000)
    assert files_containing(app_paths.all(), EMAIL) == []  # no candidate details kept


def test_production_guard_cancel_sends_nothing_confirm_sends_one(
    qtbot: QtBot, make_window: WindowFactory, production: Account, sandbox: SandboxServer
) -> None:
    window = make_window()
    open_demo(qtbot, window, production)
    demo = window.demo_panel
    form = demo.form
    assert "LIVE" in demo.environment_band.text()
    assert form.start_button.text().replace("&", "") == "Start billable check…"
    assert form.title() == "Start a billable check"
    assert not form.fill_button.isVisible()  # never a fictitious candidate on Production
    fill_candidate(qtbot, window)
    qtbot.mouseClick(form.start_button, Qt.MouseButton.LeftButton)
    dialog = wait_for_dialog(qtbot, "productionGuardDialog")
    assert "Acme live" in dialog.text()
    assert "real and billed" in dialog.text()
    assert EMAIL in dialog.informativeText()
    assert "Basic DBS + Right to Work" in dialog.informativeText()
    assert "bill" in dialog.informativeText()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: find_dialog("productionGuardDialog") is None)
    assert posts(sandbox) == 0
    assert "nothing was sent" in form.status.text()

    qtbot.mouseClick(form.start_button, Qt.MouseButton.LeftButton)
    dialog = wait_for_dialog(qtbot, "productionGuardDialog")
    qtbot.mouseClick(form.start_button, Qt.MouseButton.LeftButton)  # behind the dialog: ignored
    confirm = next(b for b in dialog.buttons() if b.objectName() == "confirmBillableButton")
    qtbot.mouseClick(confirm, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: checks_shown(window) == 1, timeout=5000)
    assert posts(sandbox) == 1
    assert find_dialog("productionGuardDialog") is None


def test_the_inspector_never_shows_the_key_and_curl_has_none(
    qtbot: QtBot, make_window: WindowFactory, staging: Account
) -> None:
    window = make_window()
    open_demo(qtbot, window, staging)
    fill_candidate(qtbot, window)
    qtbot.mouseClick(window.demo_panel.form.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: checks_shown(window) == 1, timeout=5000)
    inspector = window.inspector
    qtbot.waitUntil(lambda: any(e.method == "POST" for e in inspector.model.exchanges()))
    window.tabs.setCurrentWidget(inspector)
    exchanges = inspector.model.exchanges()
    for exchange in exchanges:
        text = describe(exchange)
        assert STAGING_KEY not in text
        assert STAGING_KEY.upper() not in text
        assert "Authorization: [redacted]" in text
    post_row = next(i for i, e in enumerate(exchanges) if e.method == "POST")
    inspector.table.selectRow(post_row)
    assert '"package_id": "pkg_stg_basic"' in inspector.details.toPlainText()
    assert '"id": "chk-s-' in inspector.details.toPlainText()
    qtbot.mouseClick(inspector.copy_button, Qt.MouseButton.LeftButton)
    curl = QGuiApplication.clipboard().text()
    assert "$ZINC_API_KEY" in curl
    assert STAGING_KEY not in curl
    assert "--request POST" in curl
    assert "Copied a curl command" in window.status_line.message()  # a copy is confirmed
    for row in range(inspector.model.rowCount()):
        for column in range(inspector.model.columnCount()):
            assert STAGING_KEY not in str(inspector.model.index(row, column).data())


def test_the_requests_tab_filters_and_hides_polling(
    qtbot: QtBot, make_window: WindowFactory, staging: Account
) -> None:
    window = make_window()
    open_demo(qtbot, window, staging)
    fill_candidate(qtbot, window)
    qtbot.mouseClick(window.demo_panel.form.start_button, Qt.MouseButton.LeftButton)
    inspector = window.inspector

    def polls() -> int:
        return sum(1 for e in inspector.model.exchanges() if "/results/" in e.url)

    qtbot.waitUntil(lambda: polls() >= 2, timeout=5000)
    inspector.hide_polls.setChecked(True)
    shown = [
        inspector.model.exchange(inspector.proxy.mapToSource(inspector.proxy.index(r, 0)).row())
        for r in range(inspector.proxy.rowCount())
    ]
    assert shown
    assert all(e is not None and "/results/" not in e.url for e in shown)
    inspector.hide_polls.setChecked(False)
    assert inspector.proxy.rowCount() == inspector.model.rowCount()
    inspector.filter_input.setText("POST")
    assert inspector.proxy.rowCount() == 1
