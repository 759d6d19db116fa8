"""The Webhooks tab receives real deliveries over HTTP: each is listed with its signature
verdict, its detail shows everything as plain text with the signing token and keys hidden,
and the receiver is switched on and off (and stops with the window) through the page."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from tests.conftest import STAGING_KEY
from tests.gui.conftest import WindowFactory
from tests.gui.webhooks.support import (
    TOKEN,
    cell,
    open_page,
    payload,
    post,
    rows,
    set_forward,
    set_token,
    station_of,
    switch_on,
)
from zinc_desktop.core.accounts.model import Account
from zinc_desktop.core.foundation.app_paths import AppPaths
from zinc_desktop.core.webhooks.signing import sign
from zinc_desktop.core.webhooks.station import WebhookStation
from zinc_desktop.gui.main_window import MainWindow
from zinc_desktop.gui.webhooks.deliveries_model import DeliveryColumn
from zinc_desktop.gui.webhooks.receiver_form import ACCOUNT_ID_ROLE

SIGNATURE = DeliveryColumn.SIGNATURE


def test_deliveries_are_listed_newest_first_with_their_verdicts(
    qtbot: QtBot, make_window: WindowFactory, acme: Account
) -> None:
    window = make_window()
    page = open_page(qtbot, window)
    station = station_of(window)
    assert not station.running  # off until switched on
    assert page.form.status.text() == "Off: nothing is listening."
    assert page.form.chosen_account() == acme.id  # the Staging account, by default
    set_token(qtbot, page)
    url = switch_on(qtbot, page, station)
    assert url.startswith("http://127.0.0.1:")
    assert f"Receiving webhooks at {url}" in page.announced
    assert page.form.status.text() == f"Receiving at {url}"

    body = payload("in_progress")
    assert post(url, body, sign(body, TOKEN)) == 200
    assert post(url, body, sign(body, "not-the-token")) == 200
    assert post(url, body) == 200
    qtbot.waitUntil(lambda: rows(page) == 3)
    assert [cell(page, row, SIGNATURE) for row in range(3)] == [
        "unsigned",
        "invalid",
        "valid (HMAC hex)",
    ]
    assert [cell(page, row, DeliveryColumn.NUMBER) for row in range(3)] == ["3", "2", "1"]
    assert cell(page, 2, DeliveryColumn.CHECK) == "chk_123"
    assert cell(page, 2, DeliveryColumn.STATUS) == "In progress"  # Zinc's label
    assert cell(page, 2, DeliveryColumn.SIZE) == f"{len(body):,} bytes"
    assert cell(page, 2, DeliveryColumn.FORWARD) == "not forwarded"

    no_account = page.form.account.findData(None, ACCOUNT_ID_ROLE)
    page.form.account.setCurrentIndex(no_account)
    page.form.account.activated.emit(no_account)
    assert station.settings.account_id is None
    assert post(url, body, sign(body, TOKEN)) == 200
    qtbot.waitUntil(lambda: rows(page) == 4)
    assert cell(page, 0, SIGNATURE) == "no token"
    assert "No account chosen" in page.form.token_state.text()

    page.form.switch.click()
    qtbot.waitUntil(lambda: page.form.status.text() == "Off: nothing is listening.")
    assert not station.running
    assert "Stopped receiving webhooks." in page.announced
    assert rows(page) == 4  # kept across off and on


def test_the_detail_hides_the_token_and_keys_and_shows_html_as_text(
    qtbot: QtBot, make_window: WindowFactory, acme: Account
) -> None:
    window = make_window()
    page = open_page(qtbot, window)
    station = station_of(window)
    set_token(qtbot, page)
    url = switch_on(qtbot, page, station)
    hostile = payload(
        "<b>complete</b><script>alert(1)</script>",
        check_id="<img src=x onerror=alert(1)>",
        api_key=STAGING_KEY,
        note=f"token {TOKEN} and key {STAGING_KEY.upper()}",
    )
    headers = {"Authorization": f"Bearer {TOKEN}", "X-Zinc-Token": TOKEN}
    post(url, hostile, headers)
    qtbot.waitUntil(lambda: rows(page) == 1)
    assert cell(page, 0, SIGNATURE) == "valid (Bearer)"
    page.table.selectRow(0)
    shown = page.detail.toPlainText()
    assert TOKEN not in shown
    assert STAGING_KEY not in shown
    assert STAGING_KEY.upper() not in shown
    assert "Authorization: Bearer [signing token]" in shown
    assert "X-Zinc-Token: [signing token]" in shown
    assert f"••••{STAGING_KEY[-4:]}" in shown
    assert "<b>complete</b><script>alert(1)</script>" in shown  # as text, to the letter
    assert '"first_name": "Ada"' in shown  # pretty-printed
    assert "Body, raw:" in shown
    assert "Signature: valid: Authorization carries the signing token" in shown
    assert page.detail.isReadOnly()
    # The table's cells are plain text; their tooltips are escaped.
    assert cell(page, 0, DeliveryColumn.STATUS) == "<b>complete</b><script>alert(1)</script>"
    assert cell(page, 0, DeliveryColumn.CHECK) == "<img src=x onerror=alert(1)>"

    # A token in the payload's check id is hidden in the table too; so is a key.
    tricky = payload(TOKEN, check_id=f"{STAGING_KEY}")
    post(url, tricky, sign(tricky, TOKEN))
    qtbot.waitUntil(lambda: rows(page) == 2)
    assert cell(page, 0, DeliveryColumn.STATUS) == "[signing token]"
    assert cell(page, 0, DeliveryColumn.CHECK) == f"••••{STAGING_KEY[-4:]}"
    everything = window_text(window)
    assert TOKEN not in everything
    assert STAGING_KEY not in everything


def window_text(window: MainWindow, said_since: int = 0) -> str:
    """What the Webhooks page and the status bar show and tell a screen reader, as one text
    (the page's model and detail in full, whatever is scrolled into view); what the page
    said from its `said_since`th announcement on."""
    page = window.webhooks_panel
    parts = [window.status_line.message(), *list(page.announced)[said_since:]]
    for widget in [*page.findChildren(QWidget), *window.statusBar().findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        parts += [widget.accessibleName(), widget.accessibleDescription(), widget.toolTip()]
        if isinstance(widget, QLabel):
            parts.append(widget.text())
        if isinstance(widget, QLineEdit):
            parts.append(QLineEdit.text(widget))  # what Qt holds, not a secret field's Python
        if isinstance(widget, QComboBox):
            parts += [widget.itemText(i) for i in range(widget.count())]
    parts.append(page.detail.toPlainText())
    model = page.proxy
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                parts.append(str(model.index(row, column).data(role) or ""))
    return "\n".join(parts)


def test_the_token_is_set_and_cleared_through_the_page_and_never_shown(
    qtbot: QtBot, make_window: WindowFactory, acme: Account
) -> None:
    window = make_window()
    page = open_page(qtbot, window)
    qtbot.waitUntil(lambda: "No signing token is set for “Acme”" in page.form.token_state.text())
    page.form.token_input.setText("has spaces in it")
    page.form.set_token_button.click()
    qtbot.waitUntil(lambda: "was not kept" in page.form.token_state.text())
    assert "spaces" in page.form.token_state.text()
    assert page.form.token_input.text() == "has spaces in it"  # what was typed stays
    page.form.token_input.setText(STAGING_KEY)  # the key pasted into the wrong field
    page.form.set_token_button.click()
    qtbot.waitUntil(lambda: "holds an API key" in page.form.token_state.text())

    set_token(qtbot, page)
    assert page.form.token_input.text() == ""
    assert station_of(window).token(acme.id) == TOKEN
    assert "The signing token of “Acme” is set." in page.announced
    assert TOKEN not in window_text(window)
    page.form.clear_token_button.click()
    qtbot.waitUntil(lambda: "No signing token is set" in page.form.token_state.text())
    assert "The signing token of “Acme” was removed." in page.announced
    assert station_of(window).token(acme.id) is None


def test_a_port_in_use_is_said_beside_the_port(
    qtbot: QtBot, make_window: WindowFactory, acme: Account
) -> None:
    window = make_window()
    page = open_page(qtbot, window)
    station = station_of(window)
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        page.form.port.setValue(port)
        page.form.switch.click()
        qtbot.waitUntil(lambda: "in use" in page.form.status.text())
    assert page.form.status.text().startswith(f"Port {port} is in use by another program")
    assert not page.form.switch.isChecked()
    assert not station.running
    assert any(f"Port {port} is in use" in said for said in page.announced)
    page.form.port.setValue(0)
    switch_on(qtbot, page, station)


def test_a_bad_address_is_said_beside_its_field(
    qtbot: QtBot, make_window: WindowFactory, acme: Account
) -> None:
    window = make_window()
    page = open_page(qtbot, window)
    station = station_of(window)
    url = switch_on(qtbot, page, station)
    set_forward(qtbot, page, "ftp://example.com/hooks")
    problem = page.form.forward_problem
    assert problem.isVisible()
    assert problem.text().startswith("The forward URL must start with http:// or https://")
    assert forward_to(station) is None
    set_forward(qtbot, page, url)  # the receiver itself: it would forward to itself forever
    assert "this receiver's own address" in problem.text()
    assert forward_to(station) is None
    set_forward(qtbot, page, "http://127.0.0.1:3000/webhooks/zinc")
    assert not problem.isVisible()
    assert forward_to(station) == "http://127.0.0.1:3000/webhooks/zinc"

    field = page.form.public_input
    field.setFocus()
    qtbot.keyClicks(field, "tunnel.example.com")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert page.form.public_problem.text().startswith("The public URL must start with http")
    assert station.webhook_url_for_checks() == url
    field.selectAll()
    qtbot.keyClicks(field, "https://tunnel.example.com/webhooks/zinc")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert not page.form.public_problem.isVisible()
    assert station.webhook_url_for_checks() == "https://tunnel.example.com/webhooks/zinc"
    assert "This app runs no tunnel." in page.form.hint.text()


def forward_to(station: WebhookStation) -> str | None:
    return station.settings.forward_to


def test_the_receiver_stops_when_the_window_closes(
    qtbot: QtBot, make_window: WindowFactory, acme: Account
) -> None:
    window = make_window()
    page = open_page(qtbot, window)
    station = station_of(window)
    url = switch_on(qtbot, page, station)
    assert post(url, b"{}") == 200
    window.close()
    QApplication.processEvents()
    assert not station.running
    with pytest.raises(httpx.ConnectError):
        post(url, b"{}")


def test_the_forward_result_joins_the_row_and_the_detail(
    qtbot: QtBot, make_window: WindowFactory, acme: Account, handler: tuple[str, object]
) -> None:
    window = make_window()
    page = open_page(qtbot, window)
    station = station_of(window)
    url = switch_on(qtbot, page, station)
    set_forward(qtbot, page, handler[0])
    post(url, payload())
    qtbot.waitUntil(lambda: rows(page) == 1)
    page.table.selectRow(0)
    qtbot.waitUntil(lambda: cell(page, 0, DeliveryColumn.FORWARD).startswith("200 in "))
    assert cell(page, 0, DeliveryColumn.FORWARD).endswith(" ms")
    qtbot.waitUntil(lambda: "Forwarded: to http://127.0.0.1:" in page.detail.toPlainText())
    assert ": 200 in " in page.detail.toPlainText()


def test_the_addresses_and_the_port_are_remembered_never_the_token(
    qtbot: QtBot, make_window: WindowFactory, acme: Account, app_paths: AppPaths
) -> None:
    window = make_window()
    page = open_page(qtbot, window)
    page.form.port.setValue(47001)
    set_forward(qtbot, page, "http://127.0.0.1:3000/webhooks/zinc")
    set_token(qtbot, page)
    window.close()
    assert TOKEN not in app_paths.window_settings.read_text()

    again = make_window()
    page = open_page(qtbot, again)
    assert page.form.port.value() == 47001
    assert page.form.forward_input.text() == "http://127.0.0.1:3000/webhooks/zinc"
    assert forward_to(station_of(again)) == "http://127.0.0.1:3000/webhooks/zinc"
    assert not station_of(again).running  # off at every start, whatever was on before


def test_a_refused_delivery_is_listed_and_says_why(
    qtbot: QtBot, make_window: WindowFactory, acme: Account
) -> None:
    window = make_window()
    page = open_page(qtbot, window)
    url = switch_on(qtbot, page, station_of(window))

    def chunks() -> Iterator[bytes]:
        yield b'{"status": '
        yield b'"complete"}'

    answer = httpx.post(url, content=chunks(), timeout=5)  # chunked: no Content-Length
    assert answer.status_code == 411
    qtbot.waitUntil(lambda: rows(page) == 1)
    assert cell(page, 0, SIGNATURE) == "not checked"
    page.table.selectRow(0)
    assert "Refused: chunked bodies are not accepted" in page.detail.toPlainText()
    assert "Body: not kept." in page.detail.toPlainText()
    assert not page.replay_button.isEnabled()
