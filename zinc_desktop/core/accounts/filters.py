"""Which accounts a list shows: the quick filters, the typed filter, the one presented account."""

from __future__ import annotations

from enum import StrEnum

from zinc_desktop.core.accounts.model import Account, AccountStatus


class QuickFilter(StrEnum):
    ALL = "all"
    STAGING = "staging"
    PRODUCTION = "production"
    NEEDS_ATTENTION = "attention"

    @property
    def label(self) -> str:
        return {
            QuickFilter.ALL: "All",
            QuickFilter.STAGING: "Staging",
            QuickFilter.PRODUCTION: "Production",
            QuickFilter.NEEDS_ATTENTION: "Needs attention",
        }[self]


def needs_attention(account: Account) -> bool:
    """Anything but a key Zinc accepted at the last check wants a look."""
    return account.status is not AccountStatus.VERIFIED


def count_of(count: int, noun: str = "account") -> str:
    """`1 account`, `3 accounts`."""
    return f"{count} {noun}" + ("" if count == 1 else "s")


def count_text(shown: int, total: int) -> str:
    if shown == total:
        return count_of(total)
    return f"{shown} of {count_of(total)} shown"
