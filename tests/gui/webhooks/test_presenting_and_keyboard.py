"""Presenting one customer: the Webhooks tab shows their account alone, their deliveries alone,
no address and no export. The keyboard alone reaches every control, each with a name."""

from __future__ import annotations

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from tests.gui.conftest import WindowFactory
from tests.gui.test_keyboard import page_controls, tab_walk
from tests.gui.webhooks.support import (
    TOKEN,
    cell,
    open_page,
    payload,
    post,
    rows,
    set_token,
    station_of,
    switch_on,
)
from tests.gui.webhooks.test_receiving import window_text
from zinc_desktop.core.accounts.model import Account
from zinc_desktop.core.webhooks.signing import sign
from zinc_desktop.gui.main_window import MainWindow
from zinc_desktop.gui.webhooks.deliveries_model import DeliveryColumn
from zinc_desktop.gui.webhooks.receiver_form import ACCOUNT_ID_ROLE


def picker_texts(window: MainWindow) -> list[str]:
    picker = window.webhooks_panel.form.account
    return [picker.itemText(i) for i in range(picker.count())]


def choose(window: MainWindow, account_id: str) -> None:
    picker = window.webhooks_panel.form.account
    index = picker.findData(account_id, ACCOUNT_ID_ROLE)
    picker.setCurrentIndex(index)
    picker.activated.emit(index)


def test_presenting_shows_the_presented_account_alone(
    qtbot: QtBot, make_window: WindowFactory, three: dict[str, Account]
) -> None:
    window = make_window()
    page = open_page(qtbot, window)
    station = station_of(window)
    assert picker_texts(window) == [
        "No account: signatures not checked",
        "Staging",
        "Acme",
        "Globex",
        "Production — LIVE",
        "Acme live",
    ]
    choose(window, three["Globex"].id)
    assert station.settings.account_id == three["Globex"].id
    url = switch_on(qtbot, page, station)
    post(url, payload("globex's"), {"X-Globex": "yes"})
    qtbot.waitUntil(lambda: rows(page) == 1)

    said_before = len(page.announced)
    window.set_presenting(True, three["Acme"].id)
    assert picker_texts(window) == ["Acme"]
    assert not page.form.account.isEnabled()
    assert station.settings.account_id == three["Acme"].id
    assert rows(page) == 0  # Globex's delivery is not shown
    set_token(qtbot, page)
    post(url, payload("acme's"), sign(payload("acme's"), TOKEN))
    qtbot.waitUntil(lambda: rows(page) == 1)
    assert cell(page, 0, DeliveryColumn.STATUS) == "acme's"
    page.table.selectRow(0)
    qtbot.waitUntil(lambda: "Delivery 2" in page.detail.toPlainText())
    shown = window_text(window, said_before)
    for hidden in ("Globex", "Acme live", "127.0.0.1", str(station.local_url), "ada.lovelace"):
        assert hidden not in shown, hidden
    page.form.switch.click()  # off and on again while presenting: said without the address
    qtbot.waitUntil(lambda: "Stopped receiving webhooks." in list(page.announced)[said_before:])
    page.form.switch.click()
    qtbot.waitUntil(lambda: "Receiving webhooks." in list(page.announced)[said_before:])
    assert page.form.status.text() == "Receiving"
    assert not page.form.port.isVisible()
    assert not page.form.forward_input.isVisible()
    assert page.form.presenting_note.isVisible()
    assert not page.export_button.isEnabled()
    assert not page.edit_button.isEnabled()
    assert window.tabs.indexOf(window.webhooks_page) >= 0  # the tab stays: a demo shows it

    window.set_presenting(False)
    assert len(picker_texts(window)) == 6
    assert station.settings.account_id == three["Globex"].id  # the choice made before
    assert rows(page) == 2
    assert page.form.forward_input.isVisible()
    assert page.export_button.isEnabled()
    assert window.tabs.indexOf(window.requests_page) == 2  # back in its place
    assert window.tabs.indexOf(window.webhooks_page) == 3


def test_presenting_before_the_page_is_built_holds_too(
    qtbot: QtBot, make_window: WindowFactory, three: dict[str, Account]
) -> None:
    window = make_window(present=True)
    assert window.presenting()
    page = open_page(qtbot, window)
    assert len(picker_texts(window)) == 1
    assert picker_texts(window)[0] in ("Acme", "Globex")
    assert page.form.presenting_note.isVisible()


def test_tab_reaches_every_control_in_order_and_each_has_a_name(
    qtbot: QtBot, make_window: WindowFactory, three: dict[str, Account]
) -> None:
    window = make_window()
    page = open_page(qtbot, window)
    station = station_of(window)
    url = switch_on(qtbot, page, station)
    post(url, payload())
    qtbot.waitUntil(lambda: rows(page) == 1)
    page.form.forward_input.setText("http://127.0.0.1:9/hooks")  # replays need somewhere to go
    page.form.forward_input.editingFinished.emit()
    page.table.selectRow(0)
    visited = tab_walk(qtbot, page.form.switch)
    missing = page_controls(window) - {*visited, page.form.switch}
    assert not missing, sorted(w.objectName() for w in missing)
    order = [w.objectName() for w in visited if w is not window.tabs.tabBar()]
    assert order == [
        "copyWebhookUrlButton",  # the port waits while the receiver listens
        "publicUrlInput",
        "forwardToInput",
        "webhookAccountSelector",
        "signingTokenInput",
        "setSigningTokenButton",
        "clearSigningTokenButton",
        "deliveriesTable",
        "deliveryDetail",
        "replayButton",
        "editReplayButton",
        "exportDeliveriesButton",
        "clearDeliveriesButton",
    ]
    for widget in page.findChildren(QWidget):
        if isinstance(widget, QAbstractButton | QLineEdit | QComboBox | QPlainTextEdit) and (
            widget.isVisible() and not isinstance(widget.parentWidget(), QComboBox)
        ):
            told = QAccessible.queryAccessibleInterface(widget)
            assert told is not None
            assert told.text(QAccessible.Text.Name).strip(), widget.objectName()
    assert page.table.accessibleName() == "Webhook deliveries, newest first"
    assert page.form.switch.accessibleName() == "Receive webhooks"
    assert page.form.account.accessibleName() == "Verify with the signing token of"
    assert window.tabs.tabToolTip(window.tabs.indexOf(window.webhooks_page))


def test_presenting_hides_the_candidate_in_the_detail_and_keeps_focus_off_clear(
    qtbot: QtBot, make_window: WindowFactory, three: dict[str, Account]
) -> None:
    """Found walking the tab as a screen-reader user: the detail showed the candidate's name
    on a shared screen, and entering presenting left focus on Clear the list."""
    window = make_window()
    page = open_page(qtbot, window)
    station = station_of(window)
    choose(window, three["Acme"].id)
    url = switch_on(qtbot, page, station)
    post(url, payload("complete"))
    qtbot.waitUntil(lambda: rows(page) == 1)
    page.table.selectRow(0)
    qtbot.waitUntil(lambda: "Lovelace" in page.detail.toPlainText())  # normal: as it came
    page.export_button.setFocus()
    window.set_presenting(True)  # the chooser picks the Demo tab's account, or the first
    qtbot.waitUntil(lambda: "hidden while presenting" in page.detail.toPlainText())
    shown = page.detail.toPlainText()
    for detail in ("Ada", "Lovelace", "ada.lovelace@example.com", "7946", "St James"):
        assert detail not in shown
    assert not page.clear_button.hasFocus()
    first = page.model.data(page.model.index(0, DeliveryColumn.NUMBER), 0x0B)  # accessible text
    assert str(first).startswith("Delivery 1, at ")
