"""Replay and Edit and replay reach a real handler on 127.0.0.1 with a signature it accepts;
without a forward address nothing is sent, and the page says why."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QApplication
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
from tests.support.webhook_target import WebhookTarget
from zinc_desktop.core.accounts.model import Account
from zinc_desktop.core.webhooks.signing import Signature, sign, verify
from zinc_desktop.gui.webhooks.deliveries_model import DeliveryColumn
from zinc_desktop.gui.webhooks.replay_dialog import ReplayDialog


def find_replay_dialog() -> ReplayDialog | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, ReplayDialog) and widget.isVisible():
            return widget
    return None


def test_replay_as_it_was_and_edited_reach_the_handler_signed(
    qtbot: QtBot, make_window: WindowFactory, acme: Account, handler: tuple[str, WebhookTarget]
) -> None:
    address, got = handler
    window = make_window()
    page = open_page(qtbot, window)
    station = station_of(window)
    set_token(qtbot, page)
    url = switch_on(qtbot, page, station)
    body = payload("in_progress", api_key=STAGING_KEY)
    post(url, body, sign(body, TOKEN))
    qtbot.waitUntil(lambda: rows(page) == 1)
    page.table.selectRow(0)

    # No forward address yet: Replay is not offered, and says why.
    assert not page.replay_button.isEnabled()
    assert "Set Forward to first" in page.replay_button.toolTip()
    assert got.seen == []

    set_forward(qtbot, page, address)
    page.table.selectRow(0)
    page.replay_button.click()
    qtbot.waitUntil(lambda: len(got.seen) == 1)
    _, headers, sent = got.seen[0]
    assert sent == body  # byte for byte
    assert verify(headers, sent, TOKEN).signature is Signature.VALID
    qtbot.waitUntil(lambda: rows(page) == 2)
    assert cell(page, 0, DeliveryColumn.NUMBER) == "2 (replay of 1)"
    qtbot.waitUntil(lambda: cell(page, 0, DeliveryColumn.FORWARD).startswith("200 in "))
    assert "replayed as delivery 2" in window.status_line.message()

    page.table.selectRow(1)  # the original
    page.edit_button.click()
    qtbot.waitUntil(lambda: find_replay_dialog() is not None)
    dialog = find_replay_dialog()
    assert dialog is not None
    shown = dialog.editor.toPlainText()
    assert STAGING_KEY not in shown  # hidden in the editor too, and sent as it was
    assert "⟦hidden 1⟧" in shown
    assert "Signed again with the signing token of “Acme”" in dialog.signing.text()
    edited = shown.replace("in_progress", "complete")
    dialog.editor.setPlainText(edited)
    dialog.send_button.click()
    qtbot.waitUntil(lambda: len(got.seen) == 2)
    _, headers, sent = got.seen[1]
    assert json.loads(sent)["status"] == "complete"
    assert json.loads(sent)["api_key"] == STAGING_KEY  # put back where it stood
    assert verify(headers, sent, TOKEN).signature is Signature.VALID
    assert dict(headers)["Content-Length"] == str(len(sent))
    qtbot.waitUntil(lambda: rows(page) == 3)
    assert cell(page, 0, DeliveryColumn.NUMBER) == "3 (replay of 1)"
    assert cell(page, 0, DeliveryColumn.STATUS) == "Complete"
    assert cell(page, 0, DeliveryColumn.SIGNATURE) == "valid (HMAC hex)"
    qtbot.waitUntil(lambda: cell(page, 0, DeliveryColumn.FORWARD).startswith("200 in "))


def test_an_edited_replay_of_an_unsigned_delivery_says_it_is_not_signed_again(
    qtbot: QtBot, make_window: WindowFactory, acme: Account, handler: tuple[str, WebhookTarget]
) -> None:
    address, got = handler
    window = make_window()
    page = open_page(qtbot, window)
    station = station_of(window)
    set_token(qtbot, page)
    url = switch_on(qtbot, page, station)
    set_forward(qtbot, page, address)
    post(url, payload())
    qtbot.waitUntil(lambda: len(got.seen) == 1 and rows(page) == 1)  # forwarded as it came
    page.table.selectRow(0)
    page.edit_button.click()
    qtbot.waitUntil(lambda: find_replay_dialog() is not None)
    dialog = find_replay_dialog()
    assert dialog is not None
    assert "was unsigned, so it is not signed again" in dialog.signing.text()
    dialog.editor.setPlainText('{"status": "complete"')
    assert dialog.problem.text().startswith("Not JSON")
    dialog.reject()
    qtbot.waitUntil(lambda: find_replay_dialog() is None)
    assert len(got.seen) == 1  # cancelled: nothing sent
