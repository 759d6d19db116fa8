"""Presenting is for one customer: with 50 accounts linked, nothing of the other 49 shows,
anywhere a person or a screen reader can read it ("present one customer", item 1)."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QAbstractItemModel, QModelIndex, QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QMenu,
    QWidget,
)
from pytestqt.qtbot import QtBot

from tests.conftest import STAGING_KEY
from tests.gui.conftest import WindowFactory, find_dialog, wait_for_dialog
from tests.gui.demo.test_demo import checks_shown, fill_candidate
from tests.support.memory_keyring import MemoryKeyring
from zinc_desktop.core.accounts.columns import Column
from zinc_desktop.core.accounts.model import Account, AccountStatus, utc_now
from zinc_desktop.core.accounts.store import AccountStore
from zinc_desktop.core.foundation.app_paths import AppPaths
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.gui.main_window import MainWindow

FIRST = ["Harrow", "Meridian", "Oakfield", "Brightwater", "Calder", "Elmstead", "Fenwick",
         "Greyfriars", "Holloway", "Ironbridge", "Juniper", "Kestrel", "Larkspur", "Marlow",
         "Northgate", "Orchard", "Pemberton", "Quayside", "Redbrook", "Sandringham", "Thornbury",
         "Upminster", "Vale", "Westbury", "Yardley"]  # fmt: skip
SECOND = ["Nursing", "Finance", "Logistics", "Care Homes", "Recruitment", "Academy"]
PRESENTED = "Acme Staffing"


def other_labels() -> list[str]:
    rng = random.Random(7)  # noqa: S311  # names, not secrets
    labels: set[str] = set()
    while len(labels) < 49:
        labels.add(f"{rng.choice(FIRST)} {rng.choice(SECOND)}")
    return sorted(labels)


@pytest.fixture
def fifty(app_paths: AppPaths, memory_keyring: MemoryKeyring) -> dict[str, Account]:
    """The presented Staging account (the simulator's key) and 49 others: Staging and
    Production, some rejected or missing their key, as a consultant's list is."""
    store = AccountStore(app_paths.accounts_file)
    made: dict[str, Account] = {}
    for index, label in enumerate([PRESENTED, *other_labels()]):
        environment = Environment.PRODUCTION if index % 4 == 3 else Environment.STAGING
        cycle = [AccountStatus.VERIFIED, AccountStatus.REJECTED, AccountStatus.VERIFIED,
                 AccountStatus.UNREACHABLE]  # fmt: skip
        status = cycle[index % 4] if index else AccountStatus.VERIFIED
        key = STAGING_KEY if index == 0 else f"{index:04x}" * 8
        account = Account(f"acc{index:05d}", label, environment, key[-4:], status, utc_now(),
                          last_message=f"Last check of {label}: fine.")  # fmt: skip
        store.add(account)
        memory_keyring.items[("zinc-desktop-test", account.id)] = key
        made[label] = account
    return made


def _indexes(model: QAbstractItemModel) -> Iterator[QModelIndex]:
    root = QModelIndex()
    for row in range(model.rowCount(root)):
        column = 0
        while model.hasIndex(row, column, root):  # list models keep columnCount private
            yield model.index(row, column, root)
            column += 1


def every_text(window: MainWindow) -> str:
    """Everything a person or a screen reader can read: the window, its menus, its dialogs."""
    parts = [window.windowTitle()]
    widgets: list[QWidget] = []
    for top in QApplication.topLevelWidgets():
        if top is window or (top.isVisible() and not isinstance(top, QMenu)):
            widgets += [top, *top.findChildren(QWidget)]
    # Hidden or inactive widgets of the window count too (a tab not shown, a label hidden), but
    # not a dialog that was closed (its deletion is merely pending).
    closed = [w for w in widgets if w.isWindow() and w is not window and not w.isVisible()]
    widgets = [w for w in widgets if not any(c is w or c.isAncestorOf(w) for c in closed)]
    for menu in window.findChildren(QMenu):
        parts += [action.text() + action.toolTip() + action.statusTip() for action in
                  menu.actions()]  # fmt: skip
    for widget in widgets:
        parts.append(f"@@{type(widget).__name__}:{widget.objectName()}")
        parts += [widget.toolTip(), widget.accessibleName(), widget.accessibleDescription(),
                  widget.windowTitle(), widget.statusTip(), widget.whatsThis()]  # fmt: skip
        if isinstance(widget, QLabel | QLineEdit | QAbstractButton):
            parts.append(widget.text())
        if isinstance(widget, QComboBox):
            parts += [widget.itemText(i) for i in range(widget.count())]
            parts.append(widget.placeholderText())
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            for index in _indexes(widget.model()):
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                             Qt.ItemDataRole.AccessibleTextRole):  # fmt: skip
                    value = index.data(role)
                    if isinstance(value, str):
                        parts.append(value)
    parts.append(window.status_line.message())
    return "\n".join(parts)


def assert_only_the_presented(window: MainWindow, accounts: dict[str, Account]) -> None:
    text = every_text(window)
    shown = [label for label in accounts if label != PRESENTED and label in text]
    where = []
    owner = ""
    for line in text.splitlines():
        if line.startswith("@@"):
            owner = line
        elif any(label in line for label in shown):
            where.append(owner)
    assert shown == [], sorted(set(where))[:5]
    others = [a.id for label, a in accounts.items() if label != PRESENTED]
    assert [i for i in others if i in text] == []


def test_presenting_one_customer_shows_nothing_of_the_other_49(
    qtbot: QtBot, make_window: WindowFactory, fifty: dict[str, Account]
) -> None:
    window = make_window()
    assert window.model.total() == 50
    panel = window.accounts_panel
    panel.select_account(fifty[PRESENTED].id)
    window.present_action.trigger()  # Ctrl+Shift+P: the chooser, on the consultant's screen
    chooser = find_dialog("presentChooser")
    assert chooser is not None
    chooser.findChild(QLineEdit, "presentFilter").setText("acme")  # type: ignore[union-attr]
    chooser.accept()  # type: ignore[attr-defined]
    qtbot.waitUntil(window.presenting)
    assert window.presentation is not None
    assert window.presentation.account_id == fifty[PRESENTED].id
    assert panel.model.rowCount() == 1
    assert_only_the_presented(window, fifty)

    window.tabs.setCurrentWidget(window.demo_page)
    demo = window.demo_panel
    qtbot.waitUntil(lambda: demo.session.packages is not None, timeout=5000)
    assert demo.current_account() == window.model.account(fifty[PRESENTED].id)
    fill_candidate(qtbot, window)
    demo.form.start_button.click()
    qtbot.waitUntil(lambda: checks_shown(window) == 1, timeout=5000)
    assert_only_the_presented(window, fifty)

    # Background events that name other accounts reach the screen masked.
    window.status_line.show_message(f"Re-tested “{next(iter(fifty))}” and “Harrow Nursing”.")
    window.account_actions._status.show_message("Meridian Finance (acc00002) was re-tested.")
    window.tabs.setCurrentIndex(0)
    panel.unlink_action.trigger()  # a dialog names only the presented account
    dialog = wait_for_dialog(qtbot, "unlinkDialog")
    assert PRESENTED in dialog.text()
    assert_only_the_presented(window, fifty)
    dialog.reject()

    window.set_presenting(False)
    assert panel.model.rowCount() == 50
    assert "Harrow Nursing" in every_text(window) or any(
        label in every_text(window) for label in other_labels()
    )


def test_quitting_while_presenting_leaves_the_next_launch_normal(
    qtbot: QtBot, make_window: WindowFactory, fifty: dict[str, Account], app_paths: AppPaths
) -> None:
    window = make_window()
    window.set_presenting(True, fifty[PRESENTED].id)
    assert window.accounts_panel.table.isColumnHidden(Column.KEY)
    window.full_screen_action.setChecked(True)
    window.close()
    settings = QSettings(str(app_paths.window_settings), QSettings.Format.IniFormat)
    assert settings.value("window/geometry") is not None
    again = make_window()
    assert not again.presenting()
    assert not again.accounts_panel.table.isColumnHidden(Column.KEY)
    assert not again.isFullScreen()
    assert again.model.rowCount() == 50


def test_present_flag_presents_the_account_demoed_last_without_a_chooser(
    qtbot: QtBot, make_window: WindowFactory, fifty: dict[str, Account], app_paths: AppPaths
) -> None:
    settings = QSettings(str(app_paths.window_settings), QSettings.Format.IniFormat)
    settings.setValue("demo/account", fifty[PRESENTED].id)
    settings.sync()
    window = make_window(present=True)
    qtbot.waitUntil(window.presenting)
    assert find_dialog("presentChooser") is None
    assert window.presentation is not None
    assert window.presentation.account_id == fifty[PRESENTED].id
    assert window.model.rowCount() == 1
    assert_only_the_presented(window, fifty)


def test_present_with_nobody_to_present_leaves_the_normal_type(
    make_window: WindowFactory, qtbot: QtBot
) -> None:
    """--present with no account to present ends presenting once the accounts load: the form
    is then in the normal type, though it was built while the type was presenting's (the
    Accounts page is built right after the first frame)."""
    normal = make_window()
    panel = normal.link_panel
    expected = [
        w.sizeHint() for w in (panel.environment_band, panel.format_feedback, panel.label_input)
    ]
    normal.close()
    window = make_window(present=True)
    qtbot.waitUntil(lambda: not window.presenting())
    panel = window.link_panel
    assert [
        w.sizeHint() for w in (panel.environment_band, panel.format_feedback, panel.label_input)
    ] == (expected)
