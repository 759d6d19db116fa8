"""What the Webhooks page tests share: a linked account, a real handler, real deliveries."""

from __future__ import annotations

import json
from typing import Any

import httpx
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.gui.pages import go_to
from zinc_desktop.core.webhooks.station import WebhookStation
from zinc_desktop.gui.main_window import MainWindow
from zinc_desktop.gui.webhooks.page import WebhooksPage

TOKEN = "whsec_gui-test-7f3a9c"  # a made-up signing token
CANDIDATE = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": "ada.lovelace@example.com",
    "phone": "+44 20 7946 0958",
    "date_of_birth": "1815-12-10",
    "address": {"line1": "12 St James's Square", "postcode": "SW1Y 4JH"},
}


def payload(status: str = "in_progress", check_id: str = "chk_123", **extra: Any) -> bytes:
    return json.dumps(
        {"event": "status_changed", "check_id": check_id, "status": status,
         "candidate": CANDIDATE, **extra}
    ).encode()  # fmt: skip


def post(url: str, body: bytes, headers: dict[str, str] | None = None) -> int:
    answer = httpx.post(
        url, content=body, headers={"Content-Type": "application/json", **(headers or {})},
        timeout=5,
    )  # fmt: skip
    return answer.status_code


def station_of(window: MainWindow) -> WebhookStation:
    return window._services.webhooks


def open_page(qtbot: QtBot, window: MainWindow) -> WebhooksPage:
    """As a user does: Alt+B (a click on the tab on macOS, which has no mnemonics)."""
    go_to(qtbot, window, window.webhooks_page, Qt.Key.Key_B)
    return window.webhooks_panel


def switch_on(qtbot: QtBot, page: WebhooksPage, station: WebhookStation) -> str:
    page.form.switch.click()
    qtbot.waitUntil(lambda: station.running and "Receiving" in page.form.status.text())
    url = station.local_url
    assert url is not None
    return url


def set_token(qtbot: QtBot, page: WebhooksPage, token: str = TOKEN) -> None:
    page.form.token_input.setText(token)
    page.form.set_token_button.click()
    qtbot.waitUntil(lambda: "A signing token is set" in page.form.token_state.text())


def set_forward(qtbot: QtBot, page: WebhooksPage, url: str) -> None:
    field = page.form.forward_input
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, url)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def rows(page: WebhooksPage) -> int:
    return page.proxy.rowCount()


def cell(page: WebhooksPage, row: int, column: int, role: int = 0) -> Any:
    return page.proxy.index(row, column).data(role or Qt.ItemDataRole.DisplayRole)
