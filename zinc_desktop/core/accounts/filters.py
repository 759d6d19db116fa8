"""Which accounts a list shows: the quick filters, the typed filter, the one presented account."""

from __future__ import annotations

from enum import StrEnum

from zinc_desktop.core.accounts.model import Account, AccountStatus
from zinc_desktop.core.foundation.api_key import mask_hint
from zinc_desktop.core.foundation.environments import Environment


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


def matches(
    account: Account, quick: QuickFilter, text: str = "", *, presented: str | None = None
) -> bool:
    """Whether a list shows `account`; `presented`: presenting shows that one account only."""
    if presented is not None and account.id != presented:
        return False
    if quick is QuickFilter.STAGING and account.environment is not Environment.STAGING:
        return False
    if quick is QuickFilter.PRODUCTION and account.environment is not Environment.PRODUCTION:
        return False
    if quick is QuickFilter.NEEDS_ATTENTION and not needs_attention(account):
        return False
    needle = text.strip().casefold()
    if not needle:
        return True
    haystack = [
        account.label,
        account.environment.display_name,
        account.status.label,
        account.status.value,
        account.id,
    ]
    if presented is None:
        haystack.append(mask_hint(account.key_hint))
    return any(needle in part.casefold() for part in haystack)


def count_of(count: int, noun: str = "account") -> str:
    """`1 account`, `3 accounts`."""
    return f"{count} {noun}" + ("" if count == 1 else "s")


def count_text(shown: int, total: int) -> str:
    if shown == total:
        return count_of(total)
    return f"{shown} of {count_of(total)} shown"
