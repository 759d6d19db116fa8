"""The deliveries table: newest first, a forward result changes its row in place, bounded by
count and bytes like the receiver's ring."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from zinc_desktop.core.webhooks.deliveries import Delivery, ForwardResult
from zinc_desktop.core.webhooks.delivery_text import Masker
from zinc_desktop.core.webhooks.signing import Signature, Verdict
from zinc_desktop.gui.webhooks.deliveries_model import (
    UNREAD,
    DeliveriesTableModel,
    DeliveryColumn,
)

TOKEN = "whsec_model-test-1234"  # made up


def delivery(number: int, body: bytes = b"{}", **changes: object) -> Delivery:
    made = Delivery(
        number=number, received_at=datetime.now(UTC), method="POST", path="/webhooks/zinc",
        headers=(("Content-Type", "application/json"),), body=body, size=len(body),
        verdict=Verdict(Signature.VALID, "X-Zinc-Signature", "hmac-sha256-hex"),
        account_id="acc1", check_id=f"chk_{number}", status="in_progress",
    )  # fmt: skip
    return replace(made, **changes)  # type: ignore[arg-type]


def numbers(model: DeliveriesTableModel) -> list[int]:
    return [d.number for d in (model.delivery(r) for r in range(model.rowCount())) if d]


def test_newest_first_updated_in_place_and_bounded(
    qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    model = DeliveriesTableModel(max_count=3, max_bytes=1_000)
    qtmodeltester.check(model)
    model.add_many([delivery(1), delivery(2)], waiting=[1, 2])
    assert numbers(model) == [2, 1]
    assert model.index(1, DeliveryColumn.FORWARD).data() == "waiting…"
    forwarded = ForwardResult("http://127.0.0.1:3000/h", 12.4, 200)
    model.add_many([replace(delivery(1), forward=forwarded)])
    assert numbers(model) == [2, 1]  # changed in place, not added
    assert model.index(1, DeliveryColumn.FORWARD).data() == "200 in 12 ms"
    model.add_many([delivery(3), delivery(4, replay_of=1)])
    assert numbers(model) == [4, 3, 2]  # the oldest went beyond 3
    assert model.index(0, DeliveryColumn.NUMBER).data() == "4 (replay of 1)"
    model.add_many([delivery(5, body=b"x" * 999)])
    assert numbers(model) == [5]  # the oldest went beyond 1,000 bytes of bodies
    assert model.held_bytes() == 999
    model.add_many([delivery(6, body=b"y" * 5_000)])
    assert numbers(model) == [6]  # one over the budget alone is still shown
    model.clear()
    assert model.rowCount() == 0


def test_a_cell_from_the_payload_waits_for_its_accounts_token(qtbot: QtBot) -> None:
    model = DeliveriesTableModel()
    model.add_many([delivery(1, check_id=f"x{TOKEN}x", status="done")])
    known: dict[str, str | None] = {}
    model.set_masking(Masker(), lambda account_id: account_id in known)
    assert model.index(0, DeliveryColumn.CHECK).data() == UNREAD
    assert model.index(0, DeliveryColumn.STATUS).data() == UNREAD
    known["acc1"] = TOKEN
    model.set_masking(Masker([TOKEN]), lambda account_id: account_id in known)
    assert model.index(0, DeliveryColumn.CHECK).data() == "x[signing token]x"
    tip = model.index(0, DeliveryColumn.SIGNATURE).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("<p style='white-space:pre-wrap'>valid: X-Zinc-Signature")
