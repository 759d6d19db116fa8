"""The Requests log is a ring: an hour of polling does not grow it."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from zinc_desktop.core.zinc.api import AuthForm
from zinc_desktop.core.zinc.settings import Exchange
from zinc_desktop.gui.requests.exchange_log import ExchangesTableModel


def exchange(number: int, body: str = "{}") -> Exchange:
    return Exchange(
        started_at=datetime.now(UTC),
        environment="staging",
        method="GET",
        url=f"https://stagingapi.zincwork.com/partner/v2/results/chk-{number}",
        auth_form=AuthForm.RAW,
        status=200,
        duration=0.01,
        response_body=body,
    )


def test_the_oldest_go_first_beyond_the_count(qtbot: QtBot) -> None:
    model = ExchangesTableModel(max_exchanges=5)
    for number in range(12):
        model.add(exchange(number))
    assert model.rowCount() == 5
    assert [e.url.rsplit("-", 1)[1] for e in model.exchanges()] == ["7", "8", "9", "10", "11"]


def test_the_oldest_go_first_beyond_the_byte_budget(qtbot: QtBot) -> None:
    model = ExchangesTableModel(max_exchanges=100, max_body_bytes=10_000)
    for number in range(10):
        model.add(exchange(number, body="x" * 3_000))
    kept = model.exchanges()
    assert sum(len(e.response_body or "") for e in kept) <= 10_000
    assert kept[-1].url.endswith("chk-9")
    assert len(kept) == 3


def test_one_body_over_the_budget_is_still_shown_alone(qtbot: QtBot) -> None:
    model = ExchangesTableModel(max_exchanges=100, max_body_bytes=1_000)
    model.add(exchange(1, body="small"))
    model.add(exchange(2, body="y" * 5_000))
    assert [e.url[-1] for e in model.exchanges()] == ["2"]


def _reference_ring(kept: list[Exchange], new: Exchange, limit: int, budget: int) -> None:
    """The rule, stated plainly: append; drop the oldest while over the count, or over the
    byte budget with more than the newest left."""
    kept.append(new)
    while len(kept) > limit or (
        sum(len(e.response_body or "") for e in kept) > budget and len(kept) > 1
    ):
        kept.pop(0)


@settings(max_examples=60, deadline=None)
@given(
    batches=st.lists(st.lists(st.integers(0, 4_000), max_size=6), max_size=8),
    max_exchanges=st.integers(1, 6),
    max_body_bytes=st.integers(1, 9_000),
)
def test_a_burst_keeps_what_the_ring_rule_keeps(
    qapp: object, batches: list[list[int]], max_exchanges: int, max_body_bytes: int
) -> None:
    """Exchanges reach the log in bursts (one wake-up of the GUI thread for all that are
    waiting); the ring must end up as if each had come alone."""
    model = ExchangesTableModel(max_exchanges=max_exchanges, max_body_bytes=max_body_bytes)
    ModelTester(None).check(model)  # and it keeps watching every signal from here on
    expected: list[Exchange] = []
    number = 0
    for sizes in batches:
        burst = []
        for size in sizes:
            burst.append(exchange(number, body="z" * size))
            _reference_ring(expected, burst[-1], max_exchanges, max_body_bytes)
            number += 1
        model.add_many(burst)
        assert model.exchanges() == expected
        assert model.rowCount() == len(expected)
