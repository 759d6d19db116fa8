"""What a verdict, or the keyring's answer, does to an account: each an edit (Account ->
Account) that the stores apply under their own lock, to the account as it is then."""

from __future__ import annotations

from collections.abc import Callable

from zinc_desktop.core.accounts.model import Account, AccountStatus, utc_now
from zinc_desktop.core.accounts.secret_store import UNUSABLE_KEYRING_ITEM
from zinc_desktop.core.accounts.verification import Outcome, Verdict
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.zinc.api import AuthForm

Edit = Callable[[Account], Account]

STATUS_FOR_OUTCOME = {
    Outcome.VALID: AccountStatus.VERIFIED,
    Outcome.REJECTED: AccountStatus.REJECTED,
    Outcome.WRONG_ENVIRONMENT: AccountStatus.REJECTED,
    Outcome.UNREACHABLE: AccountStatus.UNREACHABLE,
    Outcome.SERVER_FAULT: AccountStatus.UNREACHABLE,
}


def new_account(
    account_id: str,
    label: str,
    key: ApiKey,
    verdict: Verdict,
    status: AccountStatus,
    *,
    session_only: bool = False,
) -> Account:
    """The row for a key Zinc has just accepted (`verdict`), in `status`."""
    now = utc_now()
    return Account(
        id=account_id,
        label=label,
        environment=verdict.environment,
        key_hint=key.hint,
        status=status,
        linked_at=now,
        last_checked_at=now,
        packages_seen=verdict.packages_found,
        auth_form=verdict.auth_form or AuthForm.RAW,
        last_message=verdict.message,
        session_only=session_only,
    )


def verdict_edit(verdict: Verdict, hint: str | None = None) -> Edit:
    """How a verdict changes the account it was for; `hint`: the ending of the key the account
    now holds (a replaced key's)."""

    def apply(account: Account) -> Account:
        return account.with_changes(
            status=STATUS_FOR_OUTCOME[verdict.outcome],
            last_checked_at=utc_now(),
            packages_seen=(verdict.packages_found if verdict.ok else account.packages_seen),
            auth_form=verdict.auth_form or account.auth_form,
            last_message=verdict.message,
            secret_unusable=False,
            key_hint=account.key_hint if hint is None else hint,
        )

    return apply


def missing_secret(account: Account) -> Account:
    return account.with_changes(
        status=AccountStatus.MISSING_SECRET,
        last_message=AccountStatus.MISSING_SECRET.explanation,
        secret_unusable=False,
    )


def unusable_secret(why: str = UNUSABLE_KEYRING_ITEM) -> Edit:
    """The keyring holds an item for the account, but not its key (no key at all, or another
    one): as good as missing, with why. It stays so until a key is given again (the keyring's
    listing shows the item as present)."""

    def edit(account: Account) -> Account:
        return account.with_changes(
            status=AccountStatus.MISSING_SECRET, last_message=why, secret_unusable=True
        )

    return edit


def settle_presence(seen: Account, held: bool) -> Callable[[Account], Account | None]:
    """The status change that presence in the keyring calls for, if the account is still as it
    was when presence was looked up (anything newer was written by someone who knew more)."""

    def edit(current: Account) -> Account | None:
        if current != seen:
            return None
        if held and current.status is AccountStatus.INCOMPLETE:
            return current.with_changes(status=AccountStatus.VERIFIED)  # it was proven first
        if held and current.status is AccountStatus.MISSING_SECRET and not current.secret_unusable:
            return current.with_changes(status=AccountStatus.UNCHECKED)
        if not held and current.status.claims_secret:
            return current.with_changes(status=AccountStatus.MISSING_SECRET)
        return None

    return edit
