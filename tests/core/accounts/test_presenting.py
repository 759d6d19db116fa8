"""Presenting is for one customer: the rule in core that every surface asks (issue "present one
customer", item 1), tried with random accounts and texts."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from zinc_desktop.core.accounts.model import Account, AccountStatus
from zinc_desktop.core.accounts.presenting import ANOTHER_ACCOUNT, Presentation, presentable
from zinc_desktop.core.foundation.environments import Environment

words = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz&.'-", min_size=1,
                max_size=12)  # fmt: skip
labels = st.lists(words, min_size=1, max_size=3).map(" ".join)


def account(index: int, label: str) -> Account:
    return Account(f"id{index:04d}", label, Environment.STAGING, f"{index:04x}"[-4:],
                   AccountStatus.VERIFIED, datetime(2026, 1, 1, tzinfo=UTC))  # fmt: skip


def spans(text: str, word: str) -> list[tuple[int, int]]:
    found = re.finditer(f"(?=(?<![\\w]){re.escape(word)}(?![\\w]))", text)
    return [(m.start(), m.start() + len(word)) for m in found]


def contains_word(text: str, word: str) -> bool:
    return re.search(f"(?<![\\w]){re.escape(word)}(?![\\w])", text) is not None


@given(
    names=st.lists(labels, min_size=2, max_size=12, unique=True),
    chosen=st.integers(min_value=0),
    glue=st.lists(
        st.sampled_from([" ", ", ", ": ", " and ", "\n", " (", ") ", "“", "” "]),
        min_size=1,
        max_size=20,
    ),
)
def test_no_other_account_survives_in_any_text(
    names: list[str], chosen: int, glue: list[str]
) -> None:
    accounts = [account(i, name) for i, name in enumerate(names)]
    presented = accounts[chosen % len(accounts)]
    rule = Presentation(presented, accounts)
    others = [a for a in accounts if a.id != presented.id]
    assert rule.shows(presented.id)
    assert not any(rule.shows(a.id) for a in others)
    pieces = [a.label if i % 2 else a.id for i, a in enumerate(others)]
    text = "".join(p + g for p, g in zip(pieces, glue * len(pieces), strict=False))
    shown = rule.text(f"Re-tested {text} and {presented.label}.")
    own = spans(shown, presented.label)
    for other in others:
        for start, end in spans(shown, other.label):  # only as part of the customer's own name
            assert any(s <= start and end <= e for s, e in own), (other.label, shown)
        assert not contains_word(shown, other.id)
    first = presented.label.split()[0]
    if presentable(first) == first:  # the customer's own name stays, unless it is a host (acme.io)
        assert first in shown


def test_the_customers_own_name_stays_whole_and_others_go() -> None:
    accounts = [account(1, "Acme Ltd"), account(2, "Acme"), account(3, "Meridian Finance")]
    rule = Presentation(accounts[0], accounts)
    shown = rule.text("Acme Ltd is ready; Acme and Meridian Finance (id0003) were re-tested.")
    assert shown == (
        f"Acme Ltd is ready; {ANOTHER_ACCOUNT} and {ANOTHER_ACCOUNT} ({ANOTHER_ACCOUNT}) "
        "were re-tested."
    )


def test_another_label_around_the_customers_name_goes_whole() -> None:
    accounts = [account(1, "Acme"), account(2, "Acme Live")]
    assert Presentation(accounts[0], accounts).text("Acme Live and Acme") == (
        f"{ANOTHER_ACCOUNT} and Acme"
    )
