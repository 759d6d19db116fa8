"""The Demo tab in front of a customer: each way it used to go wrong, now checked.

Each test is one bullet of the "demo-safe" issue, driven through the real window, worker
threads and simulator.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.conftest import PRODUCTION_KEY, STAGING_KEY
from tests.gui.conftest import WindowFactory, find_dialog, wait_for_dialog
from tests.gui.demo.test_demo import (
    EMAIL,
    checks_shown,
    fill_candidate,
    open_demo,
    posts,
    wait_for_checks,
)
from tests.gui.pages import go_to
from zinc_desktop.core.accounts.model import Account
from zinc_desktop.core.checks.summary import summary_targets
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.core.zinc.api import Candidate
from zinc_desktop.core.zinc.client import ZincClient
from zinc_desktop.gui.main_window import MainWindow
from zinc_desktop.sandbox import SandboxServer
from zinc_desktop.services import Services

SECOND_STAGING_KEY = "5e" * 16


@pytest.fixture
def accounts(make_services: Callable[..., Services], sandbox: SandboxServer) -> dict[str, Account]:
    """Production linked first (first in file order), then two Staging accounts, one broken."""
    links = make_services().links
    sandbox.add_key(Environment.STAGING, SECOND_STAGING_KEY)
    made: dict[str, Account] = {}
    for name, environment, key in (
        ("live", Environment.PRODUCTION, PRODUCTION_KEY),
        ("acme", Environment.STAGING, STAGING_KEY),
        ("lost", Environment.STAGING, SECOND_STAGING_KEY),
    ):
        account = links.link(environment, ApiKey.parse(key), f"{name} account").account
        assert account is not None
        made[name] = account
    links.keyring().delete(made["lost"].id)  # its key vanished from the keyring
    return made


def choose_in_picker(qtbot: QtBot, window: MainWindow, account: Account) -> None:
    """As a keyboard user does: focus the picker, arrow to the account."""
    picker = window.demo_panel.picker
    picker.setFocus()
    target = next(
        i
        for i in range(picker.count())
        if picker.itemData(i, Qt.ItemDataRole.UserRole + 1) == account.id
    )
    key = Qt.Key.Key_Down if target > picker.currentIndex() else Qt.Key.Key_Up
    for _ in range(picker.count()):
        if picker.currentIndex() == target:
            break
        qtbot.keyClick(picker, key)
    assert window.demo_panel.current_account() == account


def results_reads(sandbox: SandboxServer) -> list[tuple[Environment | None, str]]:
    return [(r.environment, r.path) for r in sandbox.requests if "/results/" in r.path]


def test_switching_account_never_reads_the_old_accounts_checks(
    qtbot: QtBot, make_window: WindowFactory, accounts: dict[str, Account], sandbox: SandboxServer
) -> None:
    window = make_window()
    open_demo(qtbot, window, accounts["acme"])
    demo = window.demo_panel
    for row in (0, 1):  # two checks, both still moving and watched
        demo.packages.table.selectRow(row)
        fill_candidate(qtbot, window)
        qtbot.mouseClick(demo.form.start_button, Qt.MouseButton.LeftButton)
        wait_for_checks(qtbot, window, row + 1)
    qtbot.waitUntil(lambda: len(results_reads(sandbox)) >= 2, timeout=5000)
    assert len(demo.watching()) == 2

    choose_in_picker(qtbot, window, accounts["live"])
    reads_at_switch = len(results_reads(sandbox))
    qtbot.wait(1200)  # several poll periods of the tests' fast schedule

    assert demo.watching() == []
    assert checks_shown(window) == 0  # Production has none: nothing of Staging's is shown
    later = results_reads(sandbox)[reads_at_switch:]
    assert later == [], f"read after switching away: {later}"
    assert all(env is Environment.STAGING for env, _ in results_reads(sandbox))
    assert "Stopped watching" not in demo.checks.notice.text()
    assert "LIVE" in demo.environment_band.text()


def test_three_quick_enters_start_one_check(
    qtbot: QtBot, make_window: WindowFactory, accounts: dict[str, Account], sandbox: SandboxServer
) -> None:
    window = make_window()
    open_demo(qtbot, window, accounts["acme"])
    form = window.demo_panel.form
    fill_candidate(qtbot, window)
    for _ in range(3):
        qtbot.keyClick(form.inputs["email"], Qt.Key.Key_Return)
    qtbot.keyClick(form.start_button, Qt.Key.Key_Space)  # and the button, while it is in flight
    qtbot.waitUntil(lambda: checks_shown(window) == 1, timeout=5000)
    qtbot.wait(300)
    assert posts(sandbox) == 1
    assert checks_shown(window) == 1
    # After success: the candidate fields are clear, the new check is selected.
    assert all(edit.text() == "" for edit in form.inputs.values())
    assert window.demo_panel.session.selected_check_id is not None
    assert window.demo_panel.checks.list.currentRow() == 0


def test_the_demo_opens_on_staging_and_lists_accounts_grouped(
    qtbot: QtBot, make_window: WindowFactory, accounts: dict[str, Account]
) -> None:
    window = make_window()
    go_to(qtbot, window, window.demo_page, Qt.Key.Key_D)
    demo = window.demo_panel
    assert demo.current_account() == accounts["acme"]  # never Production by default
    picker = demo.picker
    texts = [picker.itemText(i) for i in range(picker.count())]
    assert texts[0].startswith("Staging")
    production_heading = next(i for i, t in enumerate(texts) if t.startswith("Production"))
    assert "LIVE" in texts[production_heading]
    assert production_heading > texts.index("acme account")
    lost = next(i for i, t in enumerate(texts) if t.startswith("lost account"))
    assert "key missing" in texts[lost]
    item = picker.model().item(lost)  # type: ignore[attr-defined]
    assert not item.isEnabled()
    assert not picker.model().item(0).isEnabled()  # type: ignore[attr-defined]  # a heading


def test_a_package_row_is_the_package_the_check_uses(
    qtbot: QtBot, make_window: WindowFactory, accounts: dict[str, Account], sandbox: SandboxServer
) -> None:
    window = make_window()
    open_demo(qtbot, window, accounts["acme"])
    demo = window.demo_panel
    table = demo.packages.table
    third = table.visualRect(table.model().index(2, 0)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=third)
    assert demo.form.package_label.text() == "Financial Services (FCA)"
    qtbot.keyClick(table, Qt.Key.Key_Up)  # arrows move the choice too
    assert demo.form.package_label.text() == "Enhanced DBS (Healthcare)"
    fill_candidate(qtbot, window)
    qtbot.mouseClick(demo.form.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: checks_shown(window) == 1, timeout=5000)
    (post,) = [r for r in sandbox.requests if r.method == "POST"]
    assert post.body["package_id"] == "pkg_stg_care"


def test_nothing_of_one_account_stays_on_screen_for_another(
    qtbot: QtBot, make_window: WindowFactory, accounts: dict[str, Account]
) -> None:
    window = make_window()
    open_demo(qtbot, window, accounts["acme"])
    demo = window.demo_panel
    fill_candidate(qtbot, window)
    qtbot.mouseClick(demo.form.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Started check" in demo.form.status.text(), timeout=5000)
    fill_candidate(qtbot, window, email="someone.else@example.com")  # a half-typed next one
    choose_in_picker(qtbot, window, accounts["live"])
    assert all(edit.text() == "" for edit in demo.form.inputs.values())
    assert demo.form.status.text() == ""
    assert demo.form.title() == "Start a billable check"
    assert demo.form.start_button.text().replace("&", "") == "Start billable check…"
    assert checks_shown(window) == 0
    assert demo.checks.notice.isHidden()


def test_the_billable_guard_names_account_package_and_email_as_plain_text(
    qtbot: QtBot, make_window: WindowFactory, make_services: Callable[..., Services]
) -> None:
    hostile = "Prod</b> is a <b>Staging</b> account (demo, never billed).<!--"
    links = make_services().links
    account = links.link(Environment.PRODUCTION, ApiKey.parse(PRODUCTION_KEY), hostile).account
    assert account is not None
    window = make_window()
    open_demo(qtbot, window, account)
    fill_candidate(qtbot, window)
    qtbot.mouseClick(window.demo_panel.form.start_button, Qt.MouseButton.LeftButton)
    dialog = wait_for_dialog(qtbot, "productionGuardDialog")
    shown = rendered(dialog.text()) + "\n" + rendered(dialog.informativeText())
    assert hostile in shown  # literally, tags and all
    assert "is a Production account" in shown
    assert "Basic DBS + Right to Work" in shown
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: find_dialog("productionGuardDialog") is None)


def rendered(markup: str) -> str:
    """What a rich-text label actually shows."""
    from PySide6.QtGui import QTextDocument

    document = QTextDocument()
    document.setHtml(markup)
    return document.toPlainText()


def test_the_unlink_dialog_shows_a_hostile_label_literally(
    qtbot: QtBot, make_window: WindowFactory, make_services: Callable[..., Services]
) -> None:
    hostile = "Acme</b> (Staging, harmless)<!--"
    links = make_services().links
    account = links.link(Environment.PRODUCTION, ApiKey.parse(PRODUCTION_KEY), hostile).account
    assert account is not None
    window = make_window()
    window.accounts_panel.select_account(account.id)
    window.accounts_panel.unlink_action.trigger()
    dialog = wait_for_dialog(qtbot, "unlinkDialog")
    shown = rendered(dialog.text())
    assert hostile in shown
    assert "Production" in shown
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)


def test_watch_a_check_started_elsewhere(
    qtbot: QtBot,
    make_window: WindowFactory,
    accounts: dict[str, Account],
    sandbox: SandboxServer,
    endpoints: dict[Environment, object],
) -> None:
    with ZincClient(endpoints[Environment.STAGING], ApiKey.parse(STAGING_KEY)) as client:  # type: ignore[arg-type]
        check_id = client.start_check("pkg_stg_basic", Candidate("Sam", "Else", EMAIL))
    window = make_window()
    open_demo(qtbot, window, accounts["acme"])
    checks = window.demo_panel.checks
    before = len(sandbox.requests)
    qtbot.keyClicks(checks.watch_input, "../packages")
    qtbot.keyClick(checks.watch_input, Qt.Key.Key_Return)
    assert "is not a check id" in checks.notice.text()
    assert len(sandbox.requests) == before  # refused before anything was sent

    for pasted in (STAGING_KEY, f"chk-{PRODUCTION_KEY.upper()}"):  # a key in the wrong field
        checks.watch_input.clear()
        qtbot.keyClicks(checks.watch_input, pasted)
        qtbot.keyClick(checks.watch_input, Qt.Key.Key_Return)
        assert "looks like an API key" in checks.notice.text()
        assert checks.watch_input.text() == ""  # not left on screen in front of a customer
        assert len(sandbox.requests) == before
        shown = (checks.notice.text() + checks.notice.toolTip()).lower()
        assert STAGING_KEY not in shown
        assert PRODUCTION_KEY not in shown

    checks.watch_input.clear()
    qtbot.keyClicks(checks.watch_input, f"  {check_id} ")
    qtbot.keyClick(checks.watch_input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: checks_shown(window) == 1, timeout=5000)
    assert "started elsewhere" in checks.list.item(0).text()
    assert checks.watch_input.text() == ""
    qtbot.waitUntil(lambda: checks.list.item(0).text().startswith("Complete"), timeout=10000)
    reads = [r for r in sandbox.requests if check_id in r.path]
    assert reads
    assert all(r.environment is Environment.STAGING for r in reads)

    qtbot.keyClicks(checks.watch_input, "no-such-check")
    qtbot.keyClick(checks.watch_input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "cannot be watched" in checks.notice.text(), timeout=5000)
    assert checks_shown(window) == 1


def test_the_history_never_holds_a_candidate(
    qtbot: QtBot, make_window: WindowFactory, accounts: dict[str, Account], app_paths: object
) -> None:
    window = make_window()
    open_demo(qtbot, window, accounts["acme"])
    fill_candidate(qtbot, window)
    qtbot.mouseClick(window.demo_panel.form.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: checks_shown(window) == 1, timeout=5000)
    history = json.loads((app_paths.checks_file).read_text())  # type: ignore[attr-defined]
    assert EMAIL not in json.dumps(history)
    assert "Lovelace" not in json.dumps(history)
    assert QApplication.focusWidget() is not None


def _as_uuid(key: str) -> str:
    return f"{key[:8]}-{key[8:12]}-{key[12:16]}-{key[16:20]}-{key[20:]}"


def test_another_accounts_key_as_a_uuid_is_refused_unsent_unshown_unstored(
    qtbot: QtBot,
    make_window: WindowFactory,
    accounts: dict[str, Account],
    sandbox: SandboxServer,
    app_paths: object,
) -> None:
    """Hardening item 2: the Production account's key, written 8-4-4-4-12, pasted into Watch on a
    Staging account."""
    window = make_window()
    open_demo(qtbot, window, accounts["acme"])
    checks = window.demo_panel.checks
    before = len(sandbox.requests)
    for disguised in (_as_uuid(PRODUCTION_KEY), ".".join(PRODUCTION_KEY[i:i + 4]
                                                        for i in range(0, 32, 4))):  # fmt: skip
        checks.watch_input.clear()
        qtbot.keyClicks(checks.watch_input, disguised)
        qtbot.keyClick(checks.watch_input, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: "holds an API key" in checks.notice.text(), timeout=5000)
        assert checks.watch_input.text() == ""
        qtbot.waitUntil(lambda: window.runner.pending() == 0, timeout=5000)
        assert len(sandbox.requests) == before  # never sent, not even with the right key
        squeezed = "".join(c for c in window_text(window).lower() if c in "0123456789abcdef")
        assert PRODUCTION_KEY[:28] not in squeezed
        assert checks_shown(window) == 0
    for path in app_paths.data.glob("checks.json*"):  # type: ignore[attr-defined]
        assert PRODUCTION_KEY[:8] not in path.read_text()


def window_text(window: MainWindow) -> str:
    """Every visible and accessible text of the window."""
    from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QWidget

    parts = []
    for widget in window.findChildren(QWidget):
        parts += [widget.toolTip(), widget.accessibleName(), widget.accessibleDescription()]
        if isinstance(widget, QLabel | QLineEdit):
            parts.append(widget.text())
        if isinstance(widget, QListWidget):
            parts += [widget.item(i).text() for i in range(widget.count())]
    return "\n".join(parts)


def test_a_key_typed_into_the_accounts_filter_is_cleared_and_never_shown(
    qtbot: QtBot, make_window: WindowFactory, accounts: dict[str, Account]
) -> None:
    window = make_window()
    panel = window.accounts_panel
    for typed in (STAGING_KEY, _as_uuid(PRODUCTION_KEY), " ".join(
            PRODUCTION_KEY[i:i + 4] for i in range(0, 32, 4))):  # fmt: skip
        panel.filter_input.setFocus()
        qtbot.keyClicks(panel.filter_input, typed)
        assert panel.filter_input.text() == ""
        assert panel.filter_notice.isVisible()
        assert "looked like an API key" in panel.filter_notice.text()
        squeezed = "".join(c for c in window_text(window).lower() if c in "0123456789abcdef")
        assert PRODUCTION_KEY[:28] not in squeezed
        assert STAGING_KEY[:28] not in squeezed
        assert panel.model.rowCount() == 3  # the filter was dropped, not applied
    qtbot.keyClicks(panel.filter_input, "acme")
    assert not panel.filter_notice.isVisible()
    assert panel.model.rowCount() == 1


def test_edge_of_calendar_times_never_stop_the_demo(
    qtbot: QtBot,
    make_window: WindowFactory,
    accounts: dict[str, Account],
    sandbox: SandboxServer,
    tmp_path: Path,
) -> None:
    """Hardening item 3: Go's zero time and 9999-12-31T23:59:59-23:59 from the server."""
    import json as json_

    from zinc_desktop.sandbox import Fault

    window = make_window()
    open_demo(qtbot, window, accounts["acme"])
    checks = window.demo_panel.checks
    report = {
        "check_id": "chk-edge-1",
        "status": "in_progress",
        "updates": [{"status": "requested", "at": "0001-01-01T00:00:00Z"},
                    {"status": "in_progress", "at": "9999-12-31T23:59:59-23:59"}],
        "results": [],
    }  # fmt: skip
    sandbox.inject(Fault(status=200, body=json_.dumps(report).encode(), times=None))
    qtbot.keyClicks(checks.watch_input, "chk-edge-1")
    qtbot.keyClick(checks.watch_input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: checks_shown(window) == 1, timeout=5000)
    timeline = [checks.timeline.item(i).text() for i in range(checks.timeline.count())]
    assert any("unknown time" in line for line in timeline)
    tips = [checks.timeline.item(i).toolTip() for i in range(checks.timeline.count())]
    assert any("0001-01-01T00:00:00Z" in tip for tip in tips)  # the raw value on hover
    polls = len(sandbox.requests)
    qtbot.waitUntil(lambda: len(sandbox.requests) > polls + 1, timeout=5000)  # still polling
    window.set_presenting(True)  # the large journey with its clock
    qtbot.wait(1200)
    assert "unknown" in checks.steps.accessibleDescription()
    report["status"] = "complete"
    report["updates"].append({"status": "complete", "at": "not a time"})  # type: ignore[attr-defined]
    sandbox.clear_faults()
    sandbox.inject(Fault(status=200, body=json_.dumps(report).encode(), times=None))
    qtbot.waitUntil(lambda: checks.list.item(0).text().startswith("Complete"), timeout=5000)
    paths = window.demo_panel.export_to(
        "chk-edge-1", summary_targets(tmp_path / "edge.pdf", both=True)
    )
    assert paths is not None
    assert "unknown time" in (tmp_path / "edge.html").read_text()


def test_a_huge_report_is_shown_bounded_and_redrawn_only_when_it_changes(
    qtbot: QtBot, make_window: WindowFactory, accounts: dict[str, Account], sandbox: SandboxServer
) -> None:
    """Hardening item 4: 20,000 updates and results, far under the 8 MB a client reads."""
    import json as json_

    from benchmarks.probes import big_report

    from zinc_desktop.core.checks.journey import SHOWN_RESULTS, SHOWN_STEPS
    from zinc_desktop.sandbox import Fault

    body = json_.loads(big_report(20_000))
    window = make_window()
    open_demo(qtbot, window, accounts["acme"])
    checks = window.demo_panel.checks
    sandbox.inject(Fault(status=200, body=json_.dumps(body).encode(), times=None))
    qtbot.keyClicks(checks.watch_input, "chk-big-1")
    qtbot.keyClick(checks.watch_input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: checks.results.count() > 0, timeout=10000)
    assert checks.timeline.count() <= SHOWN_STEPS + 2  # the newest steps, one line before them
    assert "9,950 earlier updates" in checks.timeline.item(0).text()
    assert checks.results.count() == SHOWN_RESULTS + 1
    assert "9,900 more results" in checks.results_text()
    first = checks.timeline.item(1)
    polls = len(sandbox.requests)
    qtbot.waitUntil(lambda: len(sandbox.requests) > polls + 1, timeout=5000)
    qtbot.wait(50)
    assert checks.timeline.item(1) is first  # the same report: nothing was rebuilt
    body["results"].append({"name": "One more", "outcome": "clear"})
    sandbox.clear_faults()
    sandbox.inject(Fault(status=200, body=json_.dumps(body).encode(), times=None))
    qtbot.waitUntil(lambda: "9,901 more results" in checks.results_text(), timeout=5000)
