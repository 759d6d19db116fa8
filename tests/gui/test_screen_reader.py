"""What a screen reader hears: names, descriptions and announcements (the AT-SPI walk's finds,
scripts/a11y_walk.py, pinned down in-process)."""

from __future__ import annotations

from datetime import UTC, datetime

from pytestqt.qtbot import QtBot

from zinc_desktop.core.accounts import Account, AccountStatus
from zinc_desktop.core.environments import Environment
from zinc_desktop.core.presenting import Presentation
from zinc_desktop.gui.accounts.account_card import AccountCard
from zinc_desktop.gui.common.plain_text import sentences


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
