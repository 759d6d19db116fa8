"""The fast index agrees with the rule: whatever accounts and filters, the same rows show."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.account_filter_oracle import matches
from zinc_desktop.core.accounts.columns import Column
from zinc_desktop.core.accounts.filters import QuickFilter
from zinc_desktop.core.accounts.index import AccountIndex, refines
from zinc_desktop.core.accounts.model import Account, AccountStatus
from zinc_desktop.core.foundation.environments import Environment

accounts_strategy = st.lists(
    st.builds(
        Account,
        id=st.text("0123456789abcdef", min_size=8, max_size=8),
        label=st.text(st.characters(blacklist_characters="\n\r"), min_size=1, max_size=20),
        environment=st.sampled_from(Environment),
        key_hint=st.text("0123456789abcdef", min_size=4, max_size=4),
        status=st.sampled_from(AccountStatus),
        linked_at=st.just(datetime(2026, 1, 1, tzinfo=UTC)),
        last_checked_at=st.none() | st.datetimes(timezones=st.just(UTC)),
        packages_seen=st.none() | st.integers(0, 50),
    ),
    max_size=30,
    unique_by=lambda a: a.id,
)


@settings(max_examples=200, deadline=None)
@given(
    accounts=accounts_strategy,
    quick=st.sampled_from(QuickFilter),
    text=st.text(st.characters(blacklist_characters="\n\r"), max_size=6),
    presented=st.one_of(st.none(), st.integers(min_value=0)),
)
def test_select_is_exactly_what_matches_lets_through(
    accounts: list[Account], quick: QuickFilter, text: str, presented: int | None
) -> None:
    index = AccountIndex(accounts)
    chosen = accounts[presented % len(accounts)].id if presented is not None and accounts else None
    expected = [a.id for a in accounts if matches(a, quick, text, presented=chosen)]
    assert index.select(quick, text, presented=chosen) == expected


@settings(max_examples=100, deadline=None)
@given(accounts=accounts_strategy, field=st.sampled_from(Column), descending=st.booleans())
def test_order_is_total_and_stable_under_replacement(
    accounts: list[Account], field: Column, descending: bool
) -> None:
    index = AccountIndex(accounts)
    ids = [a.id for a in accounts]
    ordered = index.order(ids, field, descending=descending)
    assert sorted(ordered) == sorted(ids)
    keys = [index.sort_key(i, field) for i in ordered]
    assert keys == sorted(keys, reverse=descending)
    for account in accounts:  # putting the same account again changes nothing
        index.put(account)
    assert index.order(ids, field, descending=descending) == ordered


@settings(max_examples=200, deadline=None)
@given(
    accounts=accounts_strategy,
    quick=st.sampled_from(QuickFilter),
    before=st.text(st.characters(blacklist_characters="\n\r"), max_size=4),
    around=st.tuples(
        st.text(st.characters(blacklist_characters="\n\r"), max_size=3),
        st.text(st.characters(blacklist_characters="\n\r"), max_size=3),
    ),
    other=st.text(st.characters(blacklist_characters="\n\r"), max_size=4),
)
def test_a_refined_filter_looks_only_at_the_rows_it_had_and_finds_the_same(
    accounts: list[Account], quick: QuickFilter, before: str, around: tuple[str, str], other: str
) -> None:
    """Typing on ("C", then "Cu") looks only at the rows "C" showed: the same rows, in the
    order they had, as looking at every account; and `refines` says no where that could
    miss one."""
    index = AccountIndex(accounts)
    after = around[0] + before + around[1]
    assert refines(before, after)
    shown_before = index.order(index.select(quick, before), Column.LABEL)
    narrowed = index.select(quick, after, among=shown_before)
    assert narrowed == [i for i in shown_before if i in set(index.select(quick, after))]
    assert set(narrowed) == set(index.select(quick, after))
    if refines(before, other):
        assert set(index.select(quick, other)) <= set(index.select(quick, before))
