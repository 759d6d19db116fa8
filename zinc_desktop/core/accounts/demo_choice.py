"""Which linked accounts a demo may use, and how the Demo tab's account picker lists them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from zinc_desktop.core.accounts.model import Account, AccountStatus
from zinc_desktop.core.foundation.environments import Environment

# Statuses whose key can be used for a demo call; the others say why not.
_UNUSABLE_REASONS = {
    AccountStatus.MISSING_SECRET: "key missing",
    AccountStatus.REJECTED: "key rejected",
    AccountStatus.INCOMPLETE: "link incomplete",
}


def unusable_reason(account: Account) -> str | None:
    """Why an account cannot be demoed (None when it can)."""
    return _UNUSABLE_REASONS.get(account.status)


@dataclass(frozen=True)
class PickerEntry:
    """One line of the account picker: a group heading or an account."""

    text: str
    account_id: str | None = None
    enabled: bool = True
    reason: str = ""
    environment: Environment | None = None

    @property
    def is_heading(self) -> bool:
        return self.account_id is None


def picker_entries(accounts: Iterable[Account]) -> list[PickerEntry]:
    """Staging first, then Production (marked LIVE); each group by label; unusable ones disabled."""
    entries: list[PickerEntry] = []
    accounts = list(accounts)
    for environment in (Environment.STAGING, Environment.PRODUCTION):
        group = sorted(
            (a for a in accounts if a.environment is environment),
            key=lambda a: (a.label.casefold(), a.id),
        )
        if not group:
            continue
        heading = (
            "Production — LIVE, billable" if environment.is_billable else "Staging — test data"
        )
        entries.append(PickerEntry(heading, enabled=False, environment=environment))
        for account in group:
            reason = unusable_reason(account) or ""
            entries.append(PickerEntry(account.label, account.id, not reason, reason, environment))
    return entries


def default_account(accounts: Iterable[Account], preferred: str | None) -> Account | None:
    """The last account demoed, else the first verified Staging account; never Production."""
    staging = sorted(
        (a for a in accounts if a.environment is Environment.STAGING and not unusable_reason(a)),
        key=lambda a: (a.label.casefold(), a.id),
    )
    for account in staging:
        if account.id == preferred:
            return account
    verified = [a for a in staging if a.status is AccountStatus.VERIFIED]
    candidates = verified or staging
    return candidates[0] if candidates else None


def presentable_accounts(accounts: Iterable[Account]) -> list[Account]:
    """The accounts presenting mode may show: Staging ones that can be demoed."""
    return [a for a in accounts if a.environment is Environment.STAGING and not unusable_reason(a)]
