"""The accounts table and its actions: re-test, rename, copy, unlink, re-enter, filter."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelRoleData,
    QModelRoleDataSpan,
    QObject,
    QPoint,
    QSettings,
    Qt,
    Slot,
)
from PySide6.QtGui import QGuiApplication, QImage, QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from tests.conftest import PRODUCTION_KEY, STAGING_KEY
from tests.gui.conftest import WindowFactory, find_dialog, wait_for_dialog
from tests.support.memory_keyring import MemoryKeyring
from zinc_desktop.core.accounts.columns import Column
from zinc_desktop.core.accounts.model import Account, AccountStatus
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.app_paths import AppPaths
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.core.foundation.time_text import relative_time
from zinc_desktop.gui.accounts.accounts_panel import AccountsPanel
from zinc_desktop.gui.accounts.accounts_table_model import ACCOUNT_ID_ROLE, AccountsTableModel
from zinc_desktop.gui.accounts.replace_key_dialog import ReplaceKeyDialog
from zinc_desktop.gui.common.burst_relay import BurstRelay
from zinc_desktop.gui.common.focus_style import RingedTableView
from zinc_desktop.gui.main_window import MainWindow
from zinc_desktop.sandbox import Fault, SandboxServer
from zinc_desktop.services import Services

EXTRA_KEY = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def linked(make_services: Callable[..., Services], sandbox: SandboxServer) -> dict[str, Account]:
    """Three accounts linked through the core before the window opens."""
    sandbox.add_key(Environment.STAGING, EXTRA_KEY)
    links = make_services().links
    result = {}
    for name, environment, key in (
        ("acme", Environment.STAGING, STAGING_KEY),
        ("beta", Environment.PRODUCTION, PRODUCTION_KEY),
        ("gamma", Environment.STAGING, EXTRA_KEY),
    ):
        account = links.link(environment, ApiKey.parse(key), f"{name.title()} Ltd").account
        assert account is not None
        result[name] = account
    return result


def select(window: MainWindow, account: Account) -> None:
    window.accounts_panel.select_account(account.id)
    assert window.accounts_panel.selected_account() is not None


def status_of(window: MainWindow, account: Account) -> AccountStatus:
    current = window.model.account(account.id)
    assert current is not None
    return current.status


def account(index: int, **changes: object) -> Account:
    base = Account(
        id=f"id{index}",
        label=f"Account {index}",
        environment=Environment.STAGING,
        key_hint="ab12",
        status=AccountStatus.VERIFIED,
        linked_at=datetime(2026, 11, 1, tzinfo=UTC),
    )
    return base.with_changes(**changes)


def test_the_model_passes_qtmodeltester_through_changes(
    qapp: object, qtmodeltester: ModelTester
) -> None:
    model = AccountsTableModel()
    qtmodeltester.check(model)
    model.set_accounts([account(1), account(2, environment=Environment.PRODUCTION)])
    qtmodeltester.check(model)
    model.upsert(account(3, status=AccountStatus.MISSING_SECRET, session_only=True))
    model.upsert(account(1, label="Renamed", status=AccountStatus.REJECTED, packages_seen=4))
    model.set_checking("id2", True)
    qtmodeltester.check(model)
    model.remove("id2")
    model.remove("missing")
    model.refresh_times()
    qtmodeltester.check(model)
    assert [a.id for a in model.accounts()] == ["id1", "id3"]
    assert model.index(0, Column.LABEL).data() == "Renamed"
    assert not model.flags(model.index(0, Column.ENVIRONMENT)) & Qt.ItemFlag.ItemIsEditable
    assert model.flags(model.index(0, Column.LABEL)) & Qt.ItemFlag.ItemIsEditable


def test_cells_show_what_a_consultant_needs(qtbot: QtBot) -> None:
    now = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    model = AccountsTableModel(clock=lambda: now)
    model.set_accounts([
        account(1, last_checked_at=now - timedelta(minutes=5), packages_seen=3,
                last_message="Staging accepted key ••••ab12: 3 packages found."),
    ])  # fmt: skip
    row = [model.index(0, column) for column in Column]
    assert row[Column.KEY].data() == "••••ab12"
    assert row[Column.STATUS].data() == "Verified"
    assert "3 packages found" in row[Column.STATUS].data(Qt.ItemDataRole.ToolTipRole)
    assert row[Column.STATUS].data(Qt.ItemDataRole.DecorationRole) is not None
    assert row[Column.LAST_CHECKED].data() == "5 min ago"
    assert "2026" in row[Column.LAST_CHECKED].data(Qt.ItemDataRole.ToolTipRole)
    assert row[Column.PACKAGES].data() == "3"


class _EachRoleByData(AccountsTableModel):
    """The same model answering the way Qt's default does: data() once per role."""

    multiData = QAbstractTableModel.multiData  # type: ignore[assignment]  # noqa: N815


def _painted(model: AccountsTableModel) -> QImage:
    view = RingedTableView()
    view.setModel(model)
    view.resize(760, 200)
    view.show()
    QApplication.processEvents()
    image = view.grab().toImage()
    view.close()
    return image


def test_one_call_per_cell_paints_what_one_call_per_role_paints(qtbot: QtBot) -> None:
    """multiData() answers the seven roles of a painted cell at once; the pixels must be those
    Qt paints when it asks data() role by role."""
    now = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    accounts = [
        account(1, last_checked_at=now - timedelta(minutes=5), packages_seen=3),
        account(2, environment=Environment.PRODUCTION, status=AccountStatus.REJECTED),
        account(3, session_only=True, status=AccountStatus.MISSING_SECRET),
    ]
    ours, qts = AccountsTableModel(clock=lambda: now), _EachRoleByData(clock=lambda: now)
    for model in (ours, qts):
        model.set_accounts(accounts)
        model.set_checking("id2", True)
    assert _painted(ours) == _painted(qts)


def test_multidata_answers_each_role_as_data_does(qapp: object) -> None:
    model = AccountsTableModel()
    model.set_accounts([account(1, environment=Environment.PRODUCTION, packages_seen=2)])
    roles = [
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.AccessibleTextRole,
        ACCOUNT_ID_ROLE,
        Qt.ItemDataRole.BackgroundRole,
    ]
    for column in Column:
        index = model.index(0, column)
        for role in roles:
            slot = QModelRoleData(role)
            slot.setData("stale")  # an unanswered role must be cleared, not left as it was
            model.multiData(index, QModelRoleDataSpan(slot))
            assert slot.data() == model.data(index, role), (column, role)
    slot = QModelRoleData(Qt.ItemDataRole.DisplayRole)
    model.multiData(model.index(5, 0), slot)  # no such row
    assert slot.data() is None


def test_the_table_with_focus_is_ringed(qtbot: QtBot, linked: dict[str, Account],
                                        make_window: WindowFactory) -> None:  # fmt: skip
    window = make_window()
    table = window.accounts_panel.table
    window.link_panel.key_input.setFocus()
    qtbot.waitUntil(lambda: not table.hasFocus())
    unfocused = table.viewport().grab().toImage()
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    QApplication.processEvents()
    focused = table.viewport().grab().toImage()
    assert focused != unfocused
    highlight = table.palette().color(QPalette.ColorRole.Highlight)
    middle = focused.height() // 2  # the left edge, between rows: only the ring is drawn there
    assert focused.pixelColor(1, middle) == highlight
    assert unfocused.pixelColor(1, middle) != highlight


def _ring_lines(view: RingedTableView, window: QWidget) -> list[int]:
    """The viewport's rows of pixels that are mostly the highlight colour, as shown on screen
    (what the window's backing store holds, not a fresh repaint as grab() would make)."""
    QApplication.processEvents()
    screen = QGuiApplication.primaryScreen().grabWindow(window.winId()).toImage()
    viewport = view.viewport()
    origin = viewport.mapTo(window, QPoint(0, 0))
    highlight = view.palette().color(QPalette.ColorRole.Highlight).rgb()
    inner = range(10, viewport.width() - 10)
    return [
        y for y in range(viewport.height())
        if sum(screen.pixelColor(origin.x() + x, origin.y() + y).rgb() == highlight
               for x in inner) > len(inner) // 2
    ]  # fmt: skip


def test_the_ring_stays_on_the_edges_of_a_focused_table_as_it_scrolls(qtbot: QtBot) -> None:
    model = QStandardItemModel(200, 3)
    for row in range(200):
        model.setItem(row, 0, QStandardItem(f"row {row}"))
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    view = RingedTableView()
    view.setModel(model)
    layout.addWidget(view)
    window.resize(400, 300)
    window.show()
    window.activateWindow()
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    edges = _ring_lines(view, window)
    height = view.viewport().height()
    assert edges, "no ring on a focused table"
    assert edges[0] <= 1, edges  # the top edge
    assert edges[-1] >= height - 2, edges  # the bottom edge
    for value in (3, 1, 40):  # down, back up, far down
        view.verticalScrollBar().setValue(value)
        assert _ring_lines(view, window) == edges, value
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert _ring_lines(view, window) == edges


@pytest.mark.parametrize(
    ("delta", "text"),
    [(timedelta(seconds=5), "Just now"), (timedelta(minutes=1), "1 min ago"),
     (timedelta(hours=3), "3 h ago"), (timedelta(hours=30), "Yesterday")],
)  # fmt: skip
def test_relative_time(delta: timedelta, text: str) -> None:
    now = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    assert relative_time(now - delta, now) == text
    assert relative_time(None, now) == "Never"


def test_empty_state_then_table_and_filter(
    qtbot: QtBot, make_window: WindowFactory, linked: dict[str, Account]
) -> None:
    window = make_window()
    panel = window.accounts_panel
    assert panel.stack.currentWidget() is panel.table
    assert panel.model.rowCount() == 3
    qtbot.keyClicks(panel.filter_input, "production")
    assert panel.model.rowCount() == 1
    panel.filter_input.clear()
    qtbot.keyClicks(panel.filter_input, "zzz")
    assert panel.model.rowCount() == 0


def test_first_run_shows_what_to_do(window: MainWindow) -> None:
    panel = window.accounts_panel
    assert panel.stack.currentWidget() is panel.empty_page
    assert "Paste the Partner API key" in panel.empty_state.text()
    assert "demo key" in panel.empty_state.text()


def test_retest_one_updates_the_row(
    qtbot: QtBot, make_window: WindowFactory, linked: dict[str, Account], sandbox: SandboxServer
) -> None:
    window = make_window()
    sandbox.revoke_key(Environment.STAGING, STAGING_KEY)
    select(window, linked["acme"])
    window.accounts_panel.table.setFocus()
    qtbot.keyClick(window.accounts_panel.table, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: status_of(window, linked["acme"]) is AccountStatus.REJECTED)


def test_retest_all_with_progress(
    qtbot: QtBot, make_window: WindowFactory, linked: dict[str, Account], sandbox: SandboxServer
) -> None:
    window = make_window()
    sandbox.revoke_key(Environment.PRODUCTION, PRODUCTION_KEY)
    sandbox.inject(Fault(delay=0.3, times=3))
    window.accounts_panel.retest_all_action.trigger()
    assert window.account_actions.retest_progress.isVisible()
    assert window.account_actions.retest_progress.maximum() == 3
    bar = window.account_actions.retest_progress
    assert bar.width() > bar.fontMetrics().horizontalAdvance("Re-testing 3 of 3")  # not wrapped
    assert window.model.index(0, Column.STATUS).data() == "Checking…"
    values: list[int] = []
    window.account_actions.retest_progress.valueChanged.connect(values.append)
    qtbot.waitUntil(lambda: not window.account_actions.retest_progress.isVisible(), timeout=10000)
    assert values[-1] == 3
    assert status_of(window, linked["beta"]) is AccountStatus.REJECTED
    assert status_of(window, linked["acme"]) is AccountStatus.VERIFIED
    assert "Re-tested 3 of 3" in window.status_line.message()


def test_retest_all_can_be_cancelled(
    qtbot: QtBot, make_window: WindowFactory, linked: dict[str, Account], sandbox: SandboxServer
) -> None:
    window = make_window()
    # One at a time, so the cancel finds work queued. (With the usual 8 at once, all three
    # calls may be out before the click lands, and nothing would be left to cancel.)
    window.account_actions.retest_concurrency = 1
    sandbox.inject(Fault(delay=0.4, times=None))
    before = len(sandbox.requests)
    window.accounts_panel.retest_all_action.trigger()
    qtbot.mouseClick(window.account_actions.retest_cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.account_actions.retest_progress.isVisible(), timeout=10000)
    assert window.status_line.message().startswith("Cancelled after re-testing")
    assert len(sandbox.requests) - before <= 1  # the queued checks never went out
    assert all(window.model.index(r, Column.STATUS).data() != "Checking…" for r in range(3))


def open_rename_editor(qtbot: QtBot, window: MainWindow, account: Account) -> QLineEdit:
    """F2 on the account's row: its label editor, open, with the text selected."""
    select(window, account)
    table = window.accounts_panel.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = table.findChild(QLineEdit, "renameEditor")
    assert editor is not None
    qtbot.waitUntil(editor.isVisible)
    editor.selectAll()
    return editor


def test_rename_inline(
    qtbot: QtBot,
    make_window: WindowFactory,
    linked: dict[str, Account],
    make_services: Callable[..., Services],
) -> None:
    window = make_window()
    editor = open_rename_editor(qtbot, window, linked["acme"])
    qtbot.keyClicks(editor, "Acme Holdings")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.model.account(linked["acme"].id).label == "Acme Holdings")  # type: ignore[union-attr]
    assert make_services().links.account(linked["acme"].id).label == "Acme Holdings"


def test_an_over_long_rename_is_refused_in_place_with_the_reason(
    qtbot: QtBot,
    make_window: WindowFactory,
    linked: dict[str, Account],
    make_services: Callable[..., Services],
) -> None:
    window = make_window()
    editor = open_rename_editor(qtbot, window, linked["acme"])
    qtbot.keyClicks(editor, "y" * 81)
    assert "at most 80 characters" in editor.accessibleDescription()
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.isVisible()  # Enter does nothing while the label is refused
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert make_services().links.account(linked["acme"].id).label == linked["acme"].label


def test_unlink_asks_first_naming_the_account(
    qtbot: QtBot,
    make_window: WindowFactory,
    linked: dict[str, Account],
    memory_keyring: MemoryKeyring,
) -> None:
    window = make_window()
    select(window, linked["beta"])
    window.accounts_panel.table.setFocus()
    qtbot.keyClick(window.accounts_panel.table, Qt.Key.Key_Delete)
    dialog = wait_for_dialog(qtbot, "unlinkDialog")
    assert "Beta Ltd" in dialog.text()
    assert f"••••{PRODUCTION_KEY[-4:]}" in dialog.text()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # the safe default
    qtbot.waitUntil(lambda: find_dialog("unlinkDialog") is None)
    assert len(window.model.accounts()) == 3

    window.accounts_panel.unlink_action.trigger()
    dialog = wait_for_dialog(qtbot, "unlinkDialog")
    confirm = next(b for b in dialog.buttons() if b.objectName() == "confirmUnlinkButton")
    qtbot.mouseClick(confirm, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(window.model.accounts()) == 2)
    assert PRODUCTION_KEY not in memory_keyring.items.values()


def test_copy_key_is_concealed_and_cleared(
    qtbot: QtBot, make_window: WindowFactory, linked: dict[str, Account]
) -> None:
    window = make_window(clipboard_seconds=0.6)
    clipboard = QGuiApplication.clipboard()
    select(window, linked["acme"])
    window.accounts_panel.copy_action.trigger()
    qtbot.waitUntil(lambda: clipboard.text() == STAGING_KEY)
    mime = clipboard.mimeData()
    assert bytes(mime.data("x-kde-passwordManagerHint").data()) == b"secret"
    assert "cleared in" in window.account_actions.clipboard_label.text()
    assert f"••••{STAGING_KEY[-4:]}" in window.account_actions.clipboard_label.text()
    qtbot.waitUntil(lambda: clipboard.text() == "", timeout=3000)
    assert window.status_line.message() == "Clipboard cleared."
    assert not window.account_actions.clipboard_label.isVisible()


def test_copy_leaves_a_clipboard_that_changed_alone(
    qtbot: QtBot, make_window: WindowFactory, linked: dict[str, Account]
) -> None:
    window = make_window(clipboard_seconds=0.6)
    clipboard = QGuiApplication.clipboard()
    select(window, linked["acme"])
    window.accounts_panel.copy_action.trigger()
    qtbot.waitUntil(lambda: clipboard.text() == STAGING_KEY)
    clipboard.setText("something the user copied since")
    qtbot.waitUntil(lambda: "something else" in window.status_line.message(), timeout=3000)
    qtbot.wait(700)
    assert clipboard.text() == "something the user copied since"


def test_a_missing_key_is_replaced_after_zinc_proves_the_new_one(
    qtbot: QtBot,
    make_window: WindowFactory,
    linked: dict[str, Account],
    memory_keyring: MemoryKeyring,
) -> None:
    del memory_keyring.items[("zinc-desktop-test", linked["acme"].id)]
    window = make_window()
    assert status_of(window, linked["acme"]) is AccountStatus.MISSING_SECRET
    select(window, linked["acme"])
    panel = window.accounts_panel
    assert panel.replace_action.isEnabled()
    assert not panel.copy_action.isEnabled()
    panel.replace_action.trigger()
    qtbot.waitUntil(lambda: find_dialog("replaceKeyDialog") is not None)
    dialog = find_dialog("replaceKeyDialog")
    assert isinstance(dialog, ReplaceKeyDialog)
    dialog.key_input.setText("12345")
    assert "hexadecimal" in dialog.feedback.text()
    dialog.key_input.setText(PRODUCTION_KEY)  # well formed: Zinc decides, after OK
    dialog.accept()
    qtbot.waitUntil(lambda: "Key not replaced" in window.status_line.message(), timeout=5000)
    assert "Production key" in window.status_line.message()
    assert status_of(window, linked["acme"]) is AccountStatus.MISSING_SECRET  # nothing changed
    panel.replace_action.trigger()
    qtbot.waitUntil(lambda: find_dialog("replaceKeyDialog") is not None)
    dialog = find_dialog("replaceKeyDialog")
    assert isinstance(dialog, ReplaceKeyDialog)
    dialog.key_input.setText(STAGING_KEY)
    dialog.accept()
    qtbot.waitUntil(lambda: status_of(window, linked["acme"]) is AccountStatus.VERIFIED)
    assert memory_keyring.items[("zinc-desktop-test", linked["acme"].id)] == STAGING_KEY


def test_a_rotated_key_is_replaced_and_the_account_keeps_its_name_id_and_checks(
    qtbot: QtBot,
    make_window: WindowFactory,
    linked: dict[str, Account],
    memory_keyring: MemoryKeyring,
    sandbox: SandboxServer,
) -> None:
    """The customer regenerated their key: the old one is rejected, Replace key takes the new."""
    rotated = "c0" * 14 + "ab12"
    sandbox.revoke_key(Environment.STAGING, STAGING_KEY)
    sandbox.add_key(Environment.STAGING, rotated)
    window = make_window()
    acme = linked["acme"]
    select(window, acme)
    panel = window.accounts_panel
    window.account_actions._retest_selected()
    qtbot.waitUntil(lambda: status_of(window, acme) is AccountStatus.REJECTED, timeout=5000)
    index = window.model.index(window.model.row_of(acme.id) or 0, Column.STATUS)
    spoken = index.data(Qt.ItemDataRole.AccessibleTextRole)
    assert "rejected" in spoken.lower()
    assert "Staging" in spoken  # the reason, not only the status
    assert "Last check" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert panel.replace_action.isEnabled()
    panel.replace_action.trigger()
    qtbot.waitUntil(lambda: find_dialog("replaceKeyDialog") is not None)
    dialog = find_dialog("replaceKeyDialog")
    assert isinstance(dialog, ReplaceKeyDialog)
    dialog.key_input.setText(rotated)
    dialog.accept()
    qtbot.waitUntil(lambda: status_of(window, acme) is AccountStatus.VERIFIED, timeout=5000)
    now = window.model.account(acme.id)
    assert now is not None
    assert (now.id, now.label, now.key_hint) == (acme.id, acme.label, "ab12")
    assert memory_keyring.items[("zinc-desktop-test", acme.id)] == rotated
    assert window.model.total() == len(linked)  # no second account


def test_settings_are_remembered_and_hold_no_secret(
    qtbot: QtBot, make_window: WindowFactory, app_paths: AppPaths, linked: dict[str, Account]
) -> None:
    window = make_window()
    window.link_panel.set_environment(Environment.PRODUCTION)
    window.resize(1111, 777)
    window.accounts_panel.table.setColumnWidth(Column.KEY, 140)
    window.close()
    again = make_window()
    assert again.link_panel.current_environment() is Environment.PRODUCTION
    assert again.accounts_panel.table.columnWidth(Column.KEY) == 140
    text = app_paths.window_settings.read_text(errors="replace")
    for key in (STAGING_KEY, PRODUCTION_KEY, EXTRA_KEY):
        assert key not in text.lower()
    assert (
        QSettings(str(app_paths.window_settings), QSettings.Format.IniFormat).value(
            "link/environment"
        )
        == "production"
    )


def test_a_locked_keyring_at_start_still_shows_every_account(
    qtbot: QtBot,
    make_window: WindowFactory,
    linked: dict[str, Account],
    memory_keyring: MemoryKeyring,
) -> None:
    memory_keyring.locked = True
    window = make_window()
    assert len(window.model.accounts()) == 3  # nothing lost, statuses as last known
    assert status_of(window, linked["acme"]) is AccountStatus.VERIFIED
    dialog = wait_for_dialog(qtbot, "noticeDialog")
    assert "locked" in dialog.text()
    dialog.accept()


def test_a_damaged_accounts_file_is_recovered_and_said_so(
    qtbot: QtBot, make_window: WindowFactory, linked: dict[str, Account], app_paths: AppPaths
) -> None:
    app_paths.accounts_file.write_text('{"schema": 1, "accounts": [{"id": ')
    window = make_window()
    dialog = wait_for_dialog(qtbot, "noticeDialog")
    assert "damaged" in dialog.text()
    assert "last good copy was restored" in dialog.text()
    # The backup is the file before the last write: the third link recorded as incomplete,
    # completed again at start-up because its key is in the keyring.
    assert len(window.model.accounts()) == 3
    dialog.accept()


def test_retest_results_reach_the_gui_in_one_call_per_burst(qtbot: QtBot) -> None:
    """Eight workers report at once: the GUI thread wakes once and takes them all."""
    relay: BurstRelay[tuple[str, object]] = BurstRelay()
    taken: list[list[tuple[str, object]]] = []

    class Gui(QObject):  # a receiver on the GUI thread, as AccountActions is: queued calls
        @Slot()
        def take(self) -> None:
            assert threading.current_thread() is threading.main_thread()
            taken.append(relay.take())

    gui = Gui()
    relay.arrived.connect(gui.take)
    workers = [threading.Thread(target=relay.put, args=((f"id{n}", n),)) for n in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    qtbot.waitUntil(lambda: bool(taken))
    QApplication.processEvents()
    assert len(taken) == 1
    assert sorted(taken[0]) == [(f"id{n}", n) for n in range(8)]
    relay.put(("late", "after"))  # a later burst wakes the GUI again
    qtbot.waitUntil(lambda: len(taken) == 2)
    assert taken[1] == [("late", "after")]


def test_a_window_on_real_zinc_with_nothing_linked_points_to_the_simulator(
    qtbot: QtBot, window: MainWindow
) -> None:
    panel = AccountsPanel(AccountsTableModel(), sandbox=False)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.stack.currentWidget() is panel.empty_page
    assert "built-in simulator" in panel.empty_state.text()
    assert panel.try_simulator_button.isVisible()
    assert panel.try_simulator_button.text().replace("&", "") == "Open the offline simulator"
    # On the simulator already: no such button, the demo key is offered instead.
    simulated = window.accounts_panel
    assert not simulated.try_simulator_button.isVisible()
    assert "demo key" in simulated.empty_state.text()


def test_a_narrow_table_keeps_room_for_the_label(
    qtbot: QtBot, make_window: WindowFactory, linked: dict[str, Account]
) -> None:
    window = make_window()
    table = window.accounts_panel.table
    window.resize(1100, 700)
    qtbot.waitUntil(lambda: not table.isColumnHidden(Column.PACKAGES))
    assert not any(table.isColumnHidden(c) for c in Column)
    window.resize(560, 500)  # as at 2x on a small screen
    qtbot.waitUntil(lambda: table.isColumnHidden(Column.PACKAGES))
    assert not table.isColumnHidden(Column.LABEL)
    assert not table.isColumnHidden(Column.ENVIRONMENT)
    assert not table.isColumnHidden(Column.STATUS)
    assert table.columnWidth(Column.LABEL) >= 150 or table.isColumnHidden(Column.KEY)
    window.resize(1100, 700)  # room again: every column back
    qtbot.waitUntil(lambda: not any(table.isColumnHidden(c) for c in Column))
