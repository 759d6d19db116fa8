"""The keyring sweep: each account's status brought in line with what the keyring holds, in
one pass, without reading a secret where the keyring can list its items."""

from __future__ import annotations

import logging

from zinc_desktop.core.accounts.edits import settle_presence
from zinc_desktop.core.accounts.secret_store import SecretStore
from zinc_desktop.core.accounts.store import AccountStore
from zinc_desktop.core.foundation.errors import SecretStoreError, UnusableSecret

log = logging.getLogger(__name__)


def sweep(accounts: AccountStore, store: SecretStore) -> list[str]:
    """One enumeration where the backend can (Secret Service: no secret is decrypted, nothing
    is unlocked), otherwise one `get` per account, stopping at the first failure. Completes
    `incomplete` accounts whose key is there, marks `missing-secret` those whose key is gone.
    At most one write. Returns what to tell the user: keys no account shows, or a keyring that
    failed (statuses then stay as last known)."""
    notices: list[str] = []
    seen = {account.id: account for account in accounts.all()}
    held: dict[str, bool] = {}
    orphans: set[str] = set()
    try:
        listed = store.account_ids()
        if listed is None:
            for account_id in seen:
                try:
                    held[account_id] = store.get(account_id) is not None
                except UnusableSecret:
                    held[account_id] = True  # an item is there; what it holds, a re-test says
        else:
            held = {account_id: account_id in listed for account_id in seen}
            # Rows are read again: a link records its row before it writes its key.
            orphans = listed - {account.id for account in accounts.all()}
    except SecretStoreError as error:
        notices.append(f"{error} Statuses are shown as last checked.")
    changed = accounts.apply(
        {
            account_id: settle_presence(seen[account_id], present)
            for account_id, present in held.items()
        }
    )
    if changed:
        log.info("reconciled with the keyring: %d account(s) changed status", changed)
    if orphans:
        notices.append(orphans_notice(orphans, store))
    return notices


def orphans_notice(orphans: set[str], store: SecretStore) -> str:
    ids = sorted(orphans)
    shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
    service = getattr(store, "service", "zinc-desktop")
    return (
        f"The keyring holds {len(ids)} zinc-desktop key(s) that no account shows (id "
        f"{shown}), left by an interrupted link in an older version or by a restored "
        "backup. They were kept: link the same key again to get its account back, or "
        f"delete the keyring entries of service '{service}' with those ids in your "
        f"passwords app (named “Password for 'ID' on '{service}'” by older versions, "
        "“zinc-desktop: LABEL (ENVIRONMENT)” by this one)."
    )
