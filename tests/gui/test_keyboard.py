"""The keyboard alone: Tab reaches every control of every page, never a table's cells, never traps.

The walk starts where a user starts and presses Tab until focus comes back; every visible,
enabled control that takes Tab focus must have been visited on the way, exactly once.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QWidget
from pytestqt.qtbot import QtBot

from tests.conftest import PRODUCTION_KEY, STAGING_KEY
from tests.gui.conftest import WindowFactory
from tests.gui.demo.test_demo import checks_shown, fill_candidate, open_demo
from tests.gui.pages import go_to
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.gui.main_window import MainWindow
from zinc_desktop.services import Services


def takes_tab(widget: QWidget) -> bool:
    if not widget.isVisible() or not widget.isEnabled():
        return False
    if not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
        return False
    if widget.objectName().startswith("qt_") and widget.objectName() != "qt_tabwidget_tabbar":
        return False
    parent = widget.parentWidget()
    while parent is not None:  # a combo box's own line edit and popup
        if isinstance(parent, QComboBox):
            return False
        parent = parent.parentWidget()
    if isinstance(widget, QAbstractButton):
        group = widget.group()
        # One stop for an exclusive group (the checked one); arrow keys move inside it.
        return group is None or not group.exclusive() or widget.isChecked()
    return True


def tab_walk(qtbot: QtBot, start: QWidget, limit: int = 120) -> list[QWidget]:
    """Press Tab from `start` until focus is back on it; the widgets visited, in order."""
    start.setFocus()
    qtbot.waitUntil(start.hasFocus)
    visited: list[QWidget] = []
    for _ in range(limit):
        current = QApplication.focusWidget()
        assert current is not None
        qtbot.keyClick(current, Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        assert now is not None
        if now is start:
            return visited
        assert now not in visited, (
            f"focus is trapped: {now.objectName()} came round again after "
            f"{[w.objectName() for w in visited]}"
        )
        visited.append(now)
    pytest.fail(f"Tab never came back to {start.objectName()} in {limit} presses")


def page_controls(window: MainWindow) -> set[QWidget]:
    page = window.tabs.currentWidget()
    controls = {w for w in page.findChildren(QWidget) if takes_tab(w)}
    controls.add(window.tabs.tabBar())
    return controls


def names(widgets: object) -> list[str]:
    return sorted(w.objectName() for w in widgets)  # type: ignore[attr-defined]


@pytest.fixture
def linked(make_services: Callable[..., Services]) -> None:
    links = make_services().links
    links.link(Environment.STAGING, ApiKey.parse(STAGING_KEY), "Acme")
    links.link(Environment.PRODUCTION, ApiKey.parse(PRODUCTION_KEY), "Acme live")


def test_tab_visits_every_control_of_every_page_and_comes_back(
    qtbot: QtBot, make_window: WindowFactory, linked: None
) -> None:
    window = make_window()
    window.accounts_page.show_link_form()
    window.accounts_panel.select_account(window.model.accounts()[0].id)
    selected = window.accounts_panel.selected_account()

    visited = tab_walk(qtbot, window.link_panel.environment_selector)
    missing = page_controls(window) - {*visited, window.link_panel.environment_selector}
    assert not missing, f"never reached by Tab: {names(missing)}"
    order = [w.objectName() for w in visited]
    # The order a person fills the form in; the demo-key helper after Connect.
    assert order[:3] == ["apiKeyInput", "labelInput", "demoKeyButton"] or order[:2] == [
        "apiKeyInput",
        "labelInput",
    ]
    assert window.accounts_panel.selected_account() == selected  # Tab never moved the row

    open_demo(qtbot, window, window.model.accounts()[0])
    fill_candidate(qtbot, window)
    qtbot.mouseClick(window.demo_panel.form.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: checks_shown(window) == 1, timeout=5000)
    visited = tab_walk(qtbot, window.demo_panel.picker)
    missing = page_controls(window) - {*visited, window.demo_panel.picker}
    assert not missing, f"never reached by Tab on the Demo page: {names(missing)}"

    go_to(qtbot, window, window.requests_page, Qt.Key.Key_R)
    window.inspector.table.selectRow(0)
    visited = tab_walk(qtbot, window.inspector.filter_input)
    missing = page_controls(window) - {*visited, window.inspector.filter_input}
    assert not missing, f"never reached by Tab on the Requests page: {names(missing)}"


def test_the_link_form_order_is_environment_key_label_connect(
    qtbot: QtBot, window: MainWindow
) -> None:
    panel = window.link_panel
    panel.key_input.setText(STAGING_KEY)  # Connect is enabled with a well-formed key
    visited = tab_walk(qtbot, panel.environment_selector)
    order = [w.objectName() for w in visited]
    assert order[:3] == ["apiKeyInput", "labelInput", "connectButton"]
    assert order.index("demoKeyButton") > order.index("connectButton")


def test_typing_a_label_after_tab_never_presses_the_demo_key_button(
    qtbot: QtBot, window: MainWindow
) -> None:
    panel = window.link_panel
    panel.key_input.setFocus()
    qtbot.keyClicks(panel.key_input, STAGING_KEY)
    qtbot.keyClick(panel.key_input, Qt.Key.Key_Tab)
    qtbot.keyClicks(QApplication.focusWidget(), "Acme Ltd")
    assert panel.label_input.text() == "Acme Ltd"
    assert panel.key_input.text() == STAGING_KEY


def test_tables_keep_arrow_keys_and_let_tab_go(
    qtbot: QtBot, make_window: WindowFactory, linked: None
) -> None:
    window = make_window()
    table = window.accounts_panel.table
    table.setFocus()
    table.selectRow(0)
    first = window.accounts_panel.selected_account()
    qtbot.keyClick(table, Qt.Key.Key_Down)
    second = window.accounts_panel.selected_account()
    assert second is not None
    assert second != first
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert not table.hasFocus()
    assert window.accounts_panel.selected_account() == second


def test_focus_ring_and_default_button_are_drawn_differently(window: MainWindow) -> None:
    """The default button (Connect) and a focused one must not look the same."""
    panel = window.link_panel
    panel.key_input.setText(STAGING_KEY)
    connect = panel.connect_button
    assert connect.isDefault()
    unfocused = connect.grab().toImage()
    connect.setFocus()
    QApplication.processEvents()
    focused = connect.grab().toImage()
    assert focused != unfocused, "focus draws nothing on the default button"


def test_tab_into_a_filtered_table_selects_its_row_so_the_actions_work(
    qtbot: QtBot, make_window: WindowFactory, linked: None
) -> None:
    window = make_window()
    panel = window.accounts_panel
    panel.table.clearSelection()
    panel.filter_input.setFocus()
    qtbot.keyClicks(panel.filter_input, "live")
    assert panel.model.rowCount() == 1
    assert panel.selected_account() is None
    while QApplication.focusWidget() is not panel.table:  # Tab on, past the quick filters
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    selected = panel.selected_account()
    assert selected is not None
    assert selected.label == "Acme live"
    assert panel.unlink_action.isEnabled()
    assert panel.retest_action.isEnabled()
