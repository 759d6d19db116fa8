"""Daily life with many accounts: several rows re-tested or unlinked together, with one
confirmation; "Unlink all rejected" behind the Needs-attention filter. Real window, worker
threads, simulator and (memory) keyring."""

from __future__ import annotations

import csv
import io
import stat
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.conftest import PRODUCTION_KEY, STAGING_KEY
from tests.gui.accounts.test_accounts_table import EXTRA_KEY, linked, status_of  # noqa: F401  (fixture)
from tests.gui.conftest import WindowFactory, find_dialog, wait_for_dialog
from tests.support.memory_keyring import MemoryKeyring
from tests.support.platforms import FILE_MODES
from zinc_desktop.core.accounts.filters import QuickFilter
from zinc_desktop.core.accounts.model import Account, AccountStatus
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.gui.main_window import MainWindow
from zinc_desktop.sandbox import SandboxServer


def select_rows_by_keyboard(qtbot: QtBot, window: MainWindow, count: int) -> None:
    """From the first row, Shift+Down (count - 1) times: as a keyboard user selects."""
    table = window.accounts_panel.table
    window.accounts_panel.select_account(window.accounts_panel.shown_accounts()[0].id)
    table.setFocus()
    for _ in range(count - 1):
        qtbot.keyClick(table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)


def confirm(qtbot: QtBot) -> None:
    dialog = wait_for_dialog(qtbot, "unlinkDialog")
    button = next(b for b in dialog.buttons() if b.objectName() == "confirmUnlinkButton")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_several_rows_are_retested_together_and_single_row_actions_wait(
    qtbot: QtBot,
    make_window: WindowFactory,
    linked: dict[str, Account],  # noqa: F811
    sandbox: SandboxServer,
) -> None:
    window = make_window()
    panel = window.accounts_panel
    select_rows_by_keyboard(qtbot, window, 2)
    chosen = panel.selected_accounts()
    assert len(chosen) == 2
    assert panel.retest_action.isEnabled()
    assert panel.retest_action.text() == "Re-test 2"
    assert panel.unlink_action.text() == "Unlink 2…"
    for single in (panel.rename_action, panel.copy_action, panel.replace_action,
                   panel.demo_action):  # fmt: skip
        assert not single.isEnabled(), single.objectName()
    sandbox.revoke_key(Environment.STAGING, STAGING_KEY)
    sandbox.revoke_key(Environment.STAGING, EXTRA_KEY)
    sandbox.revoke_key(Environment.PRODUCTION, PRODUCTION_KEY)
    qtbot.keyClick(panel.table, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: "Re-tested 2 of 2" in window.status_line.message(), timeout=5000)
    rejected = {a.id for a in window.model.accounts() if a.status is AccountStatus.REJECTED}
    assert rejected == {a.id for a in chosen}  # those two, not the third
    assert panel.selected_accounts() == [window.model.account(a.id) for a in chosen]


def test_unlinking_several_asks_once_naming_how_many(
    qtbot: QtBot,
    make_window: WindowFactory,
    linked: dict[str, Account],  # noqa: F811
    memory_keyring: MemoryKeyring,
) -> None:
    window = make_window()
    panel = window.accounts_panel
    select_rows_by_keyboard(qtbot, window, 3)
    chosen = panel.selected_accounts()
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    dialog = wait_for_dialog(qtbot, "unlinkDialog")
    assert "3 accounts" in dialog.text()
    for account in chosen:
        assert account.label in dialog.informativeText()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Cancel is the default: nothing happens
    qtbot.waitUntil(lambda: find_dialog("unlinkDialog") is None)
    assert len(window.model.accounts()) == 3
    panel.unlink_action.trigger()
    confirm(qtbot)
    qtbot.waitUntil(lambda: window.model.accounts() == [], timeout=5000)
    assert memory_keyring.items == {}
    assert "Unlinked 3 accounts" in window.status_line.message()


def test_unlink_all_rejected_lives_behind_the_needs_attention_filter(
    qtbot: QtBot,
    make_window: WindowFactory,
    linked: dict[str, Account],  # noqa: F811
    sandbox: SandboxServer,
    memory_keyring: MemoryKeyring,
) -> None:
    sandbox.revoke_key(Environment.STAGING, STAGING_KEY)
    sandbox.revoke_key(Environment.STAGING, EXTRA_KEY)
    window = make_window()
    panel = window.accounts_panel
    panel.retest_all_action.trigger()
    qtbot.waitUntil(lambda: "Re-tested 3 of 3" in window.status_line.message(), timeout=5000)
    assert status_of(window, linked["acme"]) is AccountStatus.REJECTED
    assert not panel.unlink_rejected_button.isVisible()  # not on the All filter
    panel.quick_buttons[QuickFilter.NEEDS_ATTENTION].click()
    assert panel.unlink_rejected_button.isVisible()
    assert panel.unlink_rejected_action.text() == "Unlink all rejected (2)…"
    panel.unlink_rejected_button.click()
    dialog = wait_for_dialog(qtbot, "unlinkDialog")
    assert "2 accounts" in dialog.text()
    assert "Beta Ltd" not in dialog.informativeText()
    confirm(qtbot)
    qtbot.waitUntil(lambda: len(window.model.accounts()) == 1, timeout=5000)
    (left,) = window.model.accounts()
    assert left.id == linked["beta"].id
    assert list(memory_keyring.items.values()) == [PRODUCTION_KEY]
    assert not panel.unlink_rejected_button.isVisible()  # none left to remove


def test_the_account_list_exports_as_csv_without_a_secret(
    qtbot: QtBot,
    make_window: WindowFactory,
    linked: dict[str, Account],  # noqa: F811
    tmp_path: Path,
) -> None:
    window = make_window()
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "my accounts.v2.csv"
    assert window.export_accounts_to(target)
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 with its mark
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0][:4] == ["id", "label", "environment", "status"]
    assert sorted(row[1] for row in rows[1:]) == ["Acme Ltd", "Beta Ltd", "Gamma Ltd"]
    for key in (STAGING_KEY, PRODUCTION_KEY, EXTRA_KEY):
        assert key not in raw.decode("utf-8-sig")
    if FILE_MODES:
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert "Saved 3 accounts" in window.status_line.message()
    assert [p.name for p in folder.iterdir()] == [target.name]  # exactly the named file
    window.set_presenting(True, linked["acme"].id)  # the whole list is not for a shared screen
    assert not window.export_accounts_action.isEnabled()
    window.set_presenting(False)
    assert window.export_accounts_action.isEnabled()
