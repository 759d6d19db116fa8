"""The accounts filter's rules said the slow, obvious way: what AccountIndex.select (which
precomputes each account's facts) must agree with, account by account."""

from __future__ import annotations

from zinc_desktop.core.accounts.filters import QuickFilter, needs_attention
from zinc_desktop.core.accounts.model import Account
from zinc_desktop.core.foundation.api_key import mask_hint
from zinc_desktop.core.foundation.environments import Environment


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
