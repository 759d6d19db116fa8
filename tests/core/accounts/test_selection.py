"""The rule for what a selection of accounts allows, over random selections."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from zinc_desktop.core.accounts.model import Account, AccountStatus
from zinc_desktop.core.accounts.selection import (
    NAMED_IN_FULL,
    AccountAction,
    enabled_actions,
    named_list,
    rejected,
)
from zinc_desktop.core.foundation.environments import Environment

SINGLE_ONLY = {
    AccountAction.RENAME,
    AccountAction.COPY_KEY,
    AccountAction.REPLACE_KEY,
    AccountAction.DEMO,
}


@st.composite
def accounts(draw: st.DrawFn) -> list[Account]:
    count = draw(st.integers(0, 8))
    return [
        Account(
            id=f"id{i}",
            label=draw(st.text(min_size=1, max_size=12)),
            environment=draw(st.sampled_from(Environment)),
            key_hint="9f0e",
            status=draw(st.sampled_from(AccountStatus)),
            linked_at=datetime(2026, 11, 1, tzinfo=UTC),
        )
        for i in range(count)
    ]


@given(accounts(), st.data(), st.booleans())
def test_what_a_selection_allows(
    shown: list[Account], data: st.DataObject, presenting: bool
) -> None:
    selected = data.draw(st.lists(st.sampled_from(shown), unique=True) if shown else st.just([]))
    total = len(shown) + data.draw(st.integers(0, 3))
    enabled = enabled_actions(
        selected, total=total, rejected_shown=len(rejected(shown)), presenting=presenting
    )
    if presenting and len(selected) > 1:
        assert enabled == frozenset()
        return
    assert (AccountAction.RETEST in enabled) == bool(selected)
    assert (AccountAction.UNLINK in enabled) == bool(selected)
    if len(selected) != 1:
        assert not enabled & SINGLE_ONLY  # one account's actions need exactly one
    else:
        (account,) = selected
        assert AccountAction.RENAME in enabled
        assert AccountAction.REPLACE_KEY in enabled  # any account: rotated, rejected, missing
        copyable = account.status not in (AccountStatus.MISSING_SECRET, AccountStatus.INCOMPLETE)
        assert (AccountAction.COPY_KEY in enabled) == copyable
        # Demo needs a key Zinc has not refused and that is there to use.
        demoable = account.status not in (
            AccountStatus.MISSING_SECRET, AccountStatus.REJECTED, AccountStatus.INCOMPLETE
        )  # fmt: skip
        assert (AccountAction.DEMO in enabled) == demoable
    # Nothing that spans the list while presenting (it would tell how many others there are).
    assert (AccountAction.RETEST_ALL in enabled) == (total > 0 and not presenting)
    assert (AccountAction.UNLINK_REJECTED in enabled) == (
        not presenting and total > 0 and any(a.status is AccountStatus.REJECTED for a in shown)
    )
    assert all(a.status is AccountStatus.REJECTED for a in rejected(shown))


@given(st.lists(st.text(min_size=1, max_size=8), max_size=12))
def test_a_list_of_names_names_a_few_and_counts_the_rest(labels: list[str]) -> None:
    text = named_list(labels)
    if not labels:
        assert text == ""
        return
    for label in labels[:NAMED_IN_FULL]:
        assert label in text
    if len(labels) > NAMED_IN_FULL:
        assert text.endswith(f" and {len(labels) - NAMED_IN_FULL} more")
