"""The keyring sweep on its own: presence settles statuses, one write at most, orphans said."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from zinc_desktop.core.accounts.keyring_sweep import sweep
from zinc_desktop.core.accounts.model import Account, AccountStatus
from zinc_desktop.core.accounts.secret_store import MemorySecretStore
from zinc_desktop.core.accounts.store import AccountStore
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.environments import Environment


def row(account_id: str, status: AccountStatus, key: ApiKey) -> Account:
    now = datetime.now(UTC).replace(microsecond=0)
    return Account(account_id, account_id, Environment.STAGING, key.hint, status, now, now)


def test_presence_settles_statuses_in_one_write_and_orphans_are_said(tmp_path: Path) -> None:
    store = AccountStore(tmp_path / "accounts.json")
    keys = MemorySecretStore()
    held, gone, waiting = (ApiKey.parse(c * 32) for c in "abc")
    store.add(row("held", AccountStatus.VERIFIED, held))
    store.add(row("gone", AccountStatus.VERIFIED, gone))
    store.add(row("waiting", AccountStatus.INCOMPLETE, waiting))
    keys.put("held", held)
    keys.put("waiting", waiting)  # the keyring answered after the link gave up
    keys.put("orphan", ApiKey.parse("d" * 32))
    before = (tmp_path / "accounts.json").stat().st_ino
    notices = sweep(store, keys)
    statuses = {a.id: a.status for a in store.all()}
    assert statuses == {
        "held": AccountStatus.VERIFIED,
        "gone": AccountStatus.MISSING_SECRET,
        "waiting": AccountStatus.VERIFIED,
    }
    assert (tmp_path / "accounts.json").stat().st_ino != before  # one write
    (orphans,) = notices
    assert "1 zinc-desktop key(s) that no account shows (id orphan)" in orphans

    settled = (tmp_path / "accounts.json").stat().st_ino
    assert sweep(store, keys) == [orphans]
    assert (tmp_path / "accounts.json").stat().st_ino == settled  # nothing changed: no write
