"""Many accounts, filtered and ordered fast: the facts each rule needs, computed once per account.

The accounts table shows 10,000 rows without a pause you can feel: filtering and sorting run
over precomputed values (a search text, one sort key per column) with C-level comparisons, not
a Python call per row per comparison. The filter's rules live here (`_facts`, `_passing`);
tests/support/account_filter_oracle.py says them the slow, obvious way, and a property test
holds the two to the same answers.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from zinc_desktop.core.accounts.columns import Column
from zinc_desktop.core.accounts.filters import QuickFilter, needs_attention
from zinc_desktop.core.accounts.model import Account
from zinc_desktop.core.foundation.api_key import mask_hint
from zinc_desktop.core.foundation.environments import Environment


@dataclass(frozen=True, slots=True)
class _Facts:
    production: bool
    staging: bool
    attention: bool
    haystack: str  # what the typed filter searches, casefolded, one per line
    hint: str  # the masked key ending, searched only when not presenting


def _facts(account: Account) -> _Facts:
    haystack = "\n".join(
        (
            account.label,
            account.environment.display_name,
            account.status.label,
            account.status.value,
            account.id,
        )
    ).casefold()
    return _Facts(
        account.environment is Environment.PRODUCTION,
        account.environment is Environment.STAGING,
        needs_attention(account),
        haystack,
        mask_hint(account.key_hint).casefold(),
    )


def _keys(account: Account) -> tuple[Any, ...]:
    """One sort key per column, in Column order."""
    tie = (account.label.casefold(), account.id)
    checked = account.last_checked_at.timestamp() if account.last_checked_at else 0.0
    packages = -1 if account.packages_seen is None else account.packages_seen
    return (
        (account.environment.value, *tie),  # Column.ENVIRONMENT
        tie,  # Column.LABEL
        (account.key_hint, *tie),  # Column.KEY
        (account.status.label, *tie),  # Column.STATUS
        (checked, *tie),  # Column.LAST_CHECKED
        (packages, *tie),  # Column.PACKAGES
    )


class AccountIndex:
    """Accounts by id, in arrival order, with what filtering and sorting need. No Qt."""

    def __init__(self, accounts: Iterable[Account] = ()) -> None:
        self._accounts: dict[str, Account] = {}
        self._facts: dict[str, _Facts] = {}
        # By column position (a dict keyed by Column would hash through Enum's Python __hash__).
        self._sort_keys: list[dict[str, Any]] = [{} for _ in Column]
        for account in accounts:
            self.put(account)

    def __len__(self) -> int:
        return len(self._accounts)

    def __contains__(self, account_id: object) -> bool:
        return account_id in self._accounts

    def get(self, account_id: str) -> Account | None:
        return self._accounts.get(account_id)

    def in_order(self, ids: Iterable[str]) -> list[Account]:
        """The accounts with these ids, in that order (ids not here are skipped)."""
        accounts = self._accounts
        return [accounts[i] for i in ids if i in accounts]

    def all(self) -> list[Account]:
        return list(self._accounts.values())

    def put(self, account: Account) -> Account | None:
        """Add or replace; returns the account it replaced."""
        previous = self._accounts.get(account.id)
        self._accounts[account.id] = account
        self._facts[account.id] = _facts(account)
        for column, key in enumerate(_keys(account)):
            self._sort_keys[column][account.id] = key
        return previous

    def remove(self, account_id: str) -> Account | None:
        account = self._accounts.pop(account_id, None)
        if account is not None:
            del self._facts[account_id]
            for keys in self._sort_keys:
                del keys[account_id]
        return account

    def shows(
        self, account_id: str, quick: QuickFilter, text: str, presented: str | None = None
    ) -> bool:
        """Whether `matches` shows the account; `presented`: the one account presenting shows."""
        facts = self._facts.get(account_id)
        if facts is None or (presented is not None and account_id != presented):
            return False
        needle = text.strip().casefold()
        return bool(_passing([(account_id, facts)], quick, needle, hide_hint=presented is not None))

    def select(
        self,
        quick: QuickFilter,
        text: str = "",
        *,
        presented: str | None = None,
        among: Collection[str] | None = None,
    ) -> list[str]:
        """The ids `matches` would show, in arrival order, or in the order of `among` when
        given (only those ids are looked at: the rows of rules this one `refines`)."""
        if presented is not None:
            shown = self.shows(presented, quick, text, presented)
            return [presented] if shown and (among is None or presented in among) else []
        facts = self._facts
        pairs = (
            facts.items()
            if among is None
            else [(i, f) for i in among if (f := facts.get(i)) is not None]
        )
        return _passing(pairs, quick, text.strip().casefold(), hide_hint=False)

    def order(self, ids: Iterable[str], column: Column, *, descending: bool = False) -> list[str]:
        return sorted(ids, key=self._sort_keys[column].__getitem__, reverse=descending)

    def sort_key(self, account_id: str, column: Column) -> Any:
        return self._sort_keys[column][account_id]


# The quick filters, by the fact each asks for (All asks for none).
_QUICK_FACT = {
    QuickFilter.ALL: None,
    QuickFilter.STAGING: "staging",
    QuickFilter.PRODUCTION: "production",
    QuickFilter.NEEDS_ATTENTION: "attention",
}


def _passing(
    pairs: Iterable[tuple[str, _Facts]], quick: QuickFilter, needle: str, *, hide_hint: bool
) -> list[str]:
    """The filter's rule, once: the ids whose facts pass `quick` and hold the casefolded
    `needle` (in the key ending too, unless `hide_hint`). A comprehension per part, not a call
    per account: this runs over every account at each keystroke."""
    fact = _QUICK_FACT[quick]
    if fact is not None:
        pairs = [(i, f) for i, f in pairs if getattr(f, fact)]
    if not needle:
        return [i for i, _ in pairs]
    if hide_hint:
        return [i for i, f in pairs if needle in f.haystack]
    return [i for i, f in pairs if needle in f.haystack or needle in f.hint]


def refines(before: str, after: str) -> bool:
    """Whether every account the typed filter `after` shows is also shown by `before` (the
    needle grew around the old one: "Cu" after "C"), so `after` need only look at those."""
    return before.strip().casefold() in after.strip().casefold()
