"""The Demo tab's side of Zinc: cancel a test check (Production asks first), a Zinc that offers
no cancel said plainly and Cancel withdrawn, and a complete check's report link opened."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from pytestqt.qtbot import QtBot

from tests.conftest import PRODUCTION_KEY, STAGING_KEY
from tests.gui.conftest import WindowFactory, wait_for_dialog
from tests.gui.demo.test_demo import fill_candidate, open_demo
from zinc_desktop.core.accounts.model import Account
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.gui.main_window import MainWindow
from zinc_desktop.sandbox import Fault, SandboxServer
from zinc_desktop.services import Services


def linked(make_services: Callable[..., Services], environment: Environment, key: str) -> Account:
    account = make_services().links.link(environment, ApiKey.parse(key), "Acme").account
    assert account is not None
    return account


def start_check(qtbot: QtBot, window: MainWindow) -> None:
    fill_candidate(qtbot, window)
    window.demo_panel.form.start_button.click()
    qtbot.waitUntil(lambda: window.demo_panel.checks.list.count() == 1, timeout=5000)
    qtbot.waitUntil(window.demo_panel.checks.cancel_button.isEnabled, timeout=5000)


def first_row(window: MainWindow) -> str:
    return window.demo_panel.checks.list.item(0).text()


def deletes(sandbox: SandboxServer) -> int:
    return sum(1 for r in sandbox.requests if r.method == "DELETE")


def test_a_test_check_is_cancelled_and_shows_withdrawn(
    qtbot: QtBot, make_window: WindowFactory, make_services: Callable[..., Services],
    sandbox: SandboxServer,
) -> None:  # fmt: skip
    account = linked(make_services, Environment.STAGING, STAGING_KEY)
    window = make_window()
    open_demo(qtbot, window, account)
    start_check(qtbot, window)
    checks = window.demo_panel.checks
    checks.cancel_button.click()
    qtbot.waitUntil(lambda: first_row(window).startswith("Withdrawn"), timeout=5000)
    assert deletes(sandbox) == 1
    assert "Cancelled check" in checks.notice.text()
    assert not checks.cancel_button.isEnabled()  # a finished check cannot be cancelled


def test_production_asks_first_and_a_zinc_without_cancel_says_so(
    qtbot: QtBot, make_window: WindowFactory, make_services: Callable[..., Services],
    sandbox: SandboxServer,
) -> None:  # fmt: skip
    account = linked(make_services, Environment.PRODUCTION, PRODUCTION_KEY)
    window = make_window()
    open_demo(qtbot, window, account)
    fill_candidate(qtbot, window)
    window.demo_panel.form.start_button.click()
    guard = wait_for_dialog(qtbot, "productionGuardDialog")
    next(b for b in guard.buttons() if b.objectName() == "confirmBillableButton").click()
    qtbot.waitUntil(lambda: window.demo_panel.checks.list.count() == 1, timeout=5000)
    checks = window.demo_panel.checks
    qtbot.waitUntil(checks.cancel_button.isEnabled, timeout=5000)
    checks.cancel_button.click()
    asked = wait_for_dialog(qtbot, "cancelCheckDialog")
    next(b for b in asked.buttons() if b.objectName() != "confirmCancelCheckButton").click()
    assert deletes(sandbox) == 0  # declined: nothing sent
    sandbox.inject(Fault(status=405, body=b'{"message": "Method Not Allowed"}'))
    checks.cancel_button.click()
    asked = wait_for_dialog(qtbot, "cancelCheckDialog")
    next(b for b in asked.buttons() if b.objectName() == "confirmCancelCheckButton").click()
    qtbot.waitUntil(lambda: "does not offer cancelling" in checks.notice.text(), timeout=5000)
    assert not checks.cancel_button.isEnabled()  # not offered again by this Zinc


def test_a_complete_checks_report_opens_in_the_browser(
    qtbot: QtBot, make_window: WindowFactory, make_services: Callable[..., Services],
    sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    opened: list[str] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", lambda url: opened.append(QUrl(url).toString())
    )
    account = linked(make_services, Environment.STAGING, STAGING_KEY)
    window = make_window(steerable=True)
    open_demo(qtbot, window, account)
    start_check(qtbot, window)
    checks = window.demo_panel.checks
    assert not checks.report_button.isVisible()
    while sandbox.step():
        pass
    window.demo_panel.session.steered()
    window.demo_panel._poll_due()
    qtbot.waitUntil(checks.report_button.isVisible, timeout=5000)
    checks.report_button.click()
    assert len(opened) == 1
    assert opened[0].startswith(sandbox.base_url(Environment.STAGING) + "/reports/")


def test_checks_the_integration_started_appear_without_pasting_their_ids(
    qtbot: QtBot, make_window: WindowFactory, make_services: Callable[..., Services],
    sandbox: SandboxServer,
) -> None:  # fmt: skip
    from zinc_desktop.core.foundation.environments import Endpoint, EndpointSource
    from zinc_desktop.core.zinc.api import Candidate
    from zinc_desktop.core.zinc.client import ZincClient

    account = linked(make_services, Environment.STAGING, STAGING_KEY)
    endpoint = Endpoint(
        Environment.STAGING, sandbox.base_url(Environment.STAGING), EndpointSource.SANDBOX
    )
    with ZincClient(endpoint, ApiKey.parse(STAGING_KEY)) as integration:
        theirs = integration.start_check("pkg_stg_care", Candidate("Bo", "B", "bo@example.test"))
    window = make_window()
    open_demo(qtbot, window, account)
    checks = window.demo_panel.checks
    qtbot.waitUntil(lambda: checks.list.count() == 1, timeout=5000)
    assert "started elsewhere" in first_row(window)
    assert "Enhanced DBS (Healthcare)" in first_row(window)  # its package, by name
    checks.list.setCurrentRow(0)
    qtbot.waitUntil(lambda: checks.timeline.count() > 0, timeout=5000)  # read when selected
    assert any(r.path.endswith(theirs) for r in sandbox.requests if r.method == "GET")
