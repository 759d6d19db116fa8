"""What can be done with the accounts selected in a list: the one rule the window asks.

Re-test and Unlink work on one account or several; Rename, Copy key, Replace key and Demo on
exactly one. Presenting shows one account and offers nothing that spans several.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from zinc_desktop.core.accounts.demo_choice import unusable_reason
from zinc_desktop.core.accounts.model import Account, AccountStatus

NAMED_IN_FULL = 5  # a confirmation names this many accounts, then counts the rest


class AccountAction(StrEnum):
    RETEST = "retest"
    RETEST_ALL = "retest-all"
    RENAME = "rename"
    COPY_KEY = "copy-key"
    REPLACE_KEY = "replace-key"
    DEMO = "demo"
    UNLINK = "unlink"
    UNLINK_REJECTED = "unlink-rejected"


MANY = frozenset({AccountAction.RETEST, AccountAction.UNLINK})


def rejected(accounts: Sequence[Account]) -> list[Account]:
    """The accounts whose key Zinc refused at the last check: what "Unlink all rejected" takes."""
    return [account for account in accounts if account.status is AccountStatus.REJECTED]


def enabled_actions(
    selected: Sequence[Account],
    *,
    total: int,
    rejected_shown: int = 0,
    presenting: bool = False,
) -> frozenset[AccountAction]:
    """The actions a list offers now. `selected`: its selected accounts; `total`: how many are
    linked; `rejected_shown`: how many of the accounts the list shows are `rejected` (for
    "Unlink all rejected")."""
    actions: set[AccountAction] = set()
    many = len(selected) > 1
    if presenting and many:
        return frozenset()
    if selected:
        actions |= MANY
    if len(selected) == 1:
        (account,) = selected
        actions |= {AccountAction.RENAME, AccountAction.REPLACE_KEY}
        if account.status.claims_secret:  # a key to copy
            actions.add(AccountAction.COPY_KEY)
        if unusable_reason(account) is None:
            actions.add(AccountAction.DEMO)
    if total > 0 and not presenting:
        actions.add(AccountAction.RETEST_ALL)
        if rejected_shown > 0:
            actions.add(AccountAction.UNLINK_REJECTED)
    return frozenset(actions)


def named_list(labels: Sequence[str]) -> str:
    """ "Acme, Beta and Gamma"; past NAMED_IN_FULL: "Acme, Beta, … and 7 more"."""
    if not labels:
        return ""
    if len(labels) <= NAMED_IN_FULL:
        if len(labels) == 1:
            return labels[0]
        return f"{', '.join(labels[:-1])} and {labels[-1]}"
    rest = len(labels) - NAMED_IN_FULL
    return f"{', '.join(labels[:NAMED_IN_FULL])} and {rest} more"
