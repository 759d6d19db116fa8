"""What a screen reader hears: names, descriptions and announcements (the AT-SPI walk's finds,
scripts/a11y_walk.py, pinned down in-process)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QMenu, QWidget
from pytestqt.qtbot import QtBot

from tests.gui.conftest import WindowFactory
from zinc_desktop.core.accounts.model import Account, AccountStatus
from zinc_desktop.core.accounts.presenting import Presentation
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.gui.accounts.account_card import AccountCard
from zinc_desktop.gui.accounts.accounts_panel import AccountsPanel
from zinc_desktop.gui.accounts.accounts_table_model import AccountsTableModel
from zinc_desktop.gui.common import announce as announce_module
from zinc_desktop.gui.common.naming import buddy_label, without_mnemonic
from zinc_desktop.gui.common.plain_text import sentences
from zinc_desktop.gui.common.status_line import StatusLine
from zinc_desktop.gui.main_window import MainWindow
from zinc_desktop.services import Services


def _account(**changes: object) -> Account:
    account = Account(
        id="acc-1",
        label="Acme",
        environment=Environment.STAGING,
        key_hint="8cef",
        status=AccountStatus.VERIFIED,
        linked_at=datetime(2026, 1, 5, 9, 0, tzinfo=UTC),
        packages_seen=3,
        last_message="Staging accepted key: 3 packages found.",
    )
    return account.with_changes(**changes)


def test_the_presented_card_is_described_without_doubled_full_stops(qtbot: QtBot) -> None:
    card = AccountCard()
    qtbot.addWidget(card)
    account = _account()
    card.show_account(account, Presentation(account, [account]))
    described = card.accessibleDescription()
    assert ".." not in described, described
    assert "no real checks are run. Verified. Staging accepted key" in described
    assert "3 packages found. Last checked" in described


def test_sentences_never_double_the_punctuation_a_part_ends_with() -> None:
    assert sentences(
        "Staging", "No checks are run.", "Verified", "Why?", "Checking…", "3 left"
    ) == ("Staging. No checks are run. Verified. Why? Checking… 3 left")
    assert sentences("", "  One  ", "", "two.") == "One. two."
    assert sentences() == ""


def spoken_name(widget: QWidget) -> str:
    """The name an assistive technology is given for `widget`."""
    return QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Name)


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What reaches announce() (the one place every view's Announcer speaks through)."""
    heard: list[str] = []
    monkeypatch.setattr(announce_module, "announce", lambda _widget, text: heard.append(text))
    return heard


def test_a_status_message_is_announced_once_and_named_in_full(
    qtbot: QtBot, said: list[str]
) -> None:
    line = StatusLine()
    qtbot.addWidget(line)
    line.resize(200, 20)
    line.show()
    text = "Presenting “Acme”: nothing of any other account is shown. Ctrl+Shift+P leaves it."
    line.show_message(text, 6)
    assert line.text() != text  # elided on screen
    assert spoken_name(line) == text  # but heard whole
    line.resize(180, 20)
    line.resize(900, 20)
    line.show_message("Clipboard cleared.", 5)
    assert said == [text, "Clipboard cleared."]
    assert list(line.announced) == said
    line.clear_message()
    assert spoken_name(line) == ""
    assert said == [text, "Clipboard cleared."]  # clearing says nothing


def test_presenting_a_status_message_is_announced_and_named_masked(
    qtbot: QtBot, said: list[str]
) -> None:
    line = StatusLine()
    qtbot.addWidget(line)
    acme = _account()
    other = _account(id="acc-2", label="Harrow Nursing", key_hint="1a2b")
    line.presentation = Presentation(acme, [acme, other])
    line.show_message("Re-tested “Acme” and “Harrow Nursing”.")
    assert "Harrow" not in spoken_name(line)
    assert len(said) == 1
    assert "Harrow" not in said[0]
    assert "Acme" in said[0]
    assert "Harrow" not in line.accessibleDescription()


def test_tab_into_the_accounts_table_announces_the_current_row(
    qtbot: QtBot, make_window: WindowFactory, both: Services
) -> None:
    window = make_window()
    panel = window.accounts_panel
    panel.table.clearSelection()
    panel.announced.clear()
    panel.filter_input.setFocus()
    while QApplication.focusWidget() is not panel.table:  # Tab on, past the quick filters
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    current = panel.selected_account()
    assert current is not None
    assert list(panel.announced) == [
        f"Label: {current.label}. Environment: {current.environment.display_name}. "
        f"Status: {current.status.label}"
    ]
    # Back from the context menu, or clicked into: nothing more is said.
    panel._show_context_menu_at_current()
    menu = panel.table.findChild(QMenu, "accountsContextMenu")
    assert menu is not None
    qtbot.waitUntil(menu.isVisible)
    menu.close()
    panel.filter_input.setFocus()
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton)
    assert len(panel.announced) == 1


def test_the_accounts_context_menu_is_named_for_what_it_holds(
    qtbot: QtBot, make_window: WindowFactory, both: Services
) -> None:
    window = make_window()
    panel = window.accounts_panel
    panel.select_first()
    panel._show_context_menu_at_current()
    menu = panel.table.findChild(QMenu, "accountsContextMenu")
    assert menu is not None
    qtbot.waitUntil(menu.isVisible)
    assert spoken_name(menu) == "Account actions"
    assert menu.title() == "Account actions"
    menu.close()


def test_presenting_the_row_a_screen_reader_is_told_says_nothing_of_other_accounts(
    qtbot: QtBot,
) -> None:
    panel = AccountsPanel(AccountsTableModel(), sandbox=False)
    qtbot.addWidget(panel)
    acme = _account(
        status=AccountStatus.REJECTED,
        last_message="Zinc refused the key; it was copied from “Harrow Nursing”.",
    )
    other = _account(id="acc-2", label="Harrow Nursing", key_hint="1a2b")
    panel.model.set_accounts([acme, other])
    panel.model.set_presentation(Presentation(acme, [acme, other]))
    panel.select_first()
    said = panel.current_row_text()
    assert said.startswith("Label: Acme. Environment: Staging. Status: Rejected. Zinc refused")
    assert "Harrow" not in said


def single_ampersand(text: str) -> bool:
    """Whether `text` holds a mnemonic "&" (a "&&" is a literal "&")."""
    return "&" in text.replace("&&", "")


def buddy_labels(window: MainWindow) -> list[QLabel]:
    for page in (window.demo_page, window.requests_page):
        page.content()  # built when first opened
    return [label for label in window.findChildren(QLabel) if label.buddy() is not None]


def test_buddy_labels_are_named_as_read_without_the_mnemonic_ampersand(
    make_window: WindowFactory, both: Services
) -> None:
    window = make_window(steerable=True)  # the simulator bar too
    labels = [
        label
        for label in buddy_labels(window)
        if not window.link_panel.isAncestorOf(label)  # see the test below
    ]
    texts = {label.text() for label in labels}
    assert {"Acc&ount to demo", "F&irst name", "Chec&k id"} <= texts
    assert "Simulator — next checks &end:" in texts
    for label in labels:
        # Named, so the name never depends on whether the buddy was set when the text was:
        # a label given its text first was heard as "F&irst name".
        name = label.accessibleName()
        assert name, f"the label {label.text()!r} has no accessible name"
        assert not single_ampersand(name), name
        assert not single_ampersand(spoken_name(label)), spoken_name(label)


def test_the_link_forms_buddy_labels_are_named_too(window: MainWindow) -> None:
    labels = [label for label in buddy_labels(window) if window.link_panel.isAncestorOf(label)]
    assert labels
    for label in labels:
        assert label.accessibleName()
        assert not single_ampersand(label.accessibleName())


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("F&irst name", "First name"),
        ("&Phone (optional)", "Phone (optional)"),
        ("Save && close", "Save & close"),
        ("R&&D &notes", "R&D notes"),
        ("No mnemonic", "No mnemonic"),
        ("Trailing &", "Trailing &"),
    ],
)
def test_a_mnemonic_is_read_without_its_ampersand(text: str, read: str) -> None:
    assert without_mnemonic(text) == read


def test_a_buddy_label_focuses_its_widget_and_is_named_as_read(qtbot: QtBot) -> None:
    field = QLineEdit()
    label = buddy_label("E&mail && phone", field)
    qtbot.addWidget(label)
    qtbot.addWidget(field)
    assert label.buddy() is field
    assert label.text() == "E&mail && phone"
    assert label.accessibleName() == "Email & phone"
