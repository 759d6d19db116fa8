"""The metadata file: atomic, backed up, recovered, locked, private."""

from __future__ import annotations

import json
import multiprocessing
import os
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from zinc_desktop.core.account_store import AccountStore
from zinc_desktop.core.accounts import Account, AccountStatus
from zinc_desktop.core.environments import Environment
from zinc_desktop.core.errors import AccountStoreError, UnknownAccount


def account(account_id: str, label: str = "Acme") -> Account:
    return Account(
        id=account_id,
        label=label,
        environment=Environment.STAGING,
        key_hint="9f0e",
        status=AccountStatus.VERIFIED,
        linked_at=datetime(2026, 11, 1, 9, 30, tzinfo=UTC),
    )


@pytest.fixture
def store(tmp_path: Path) -> AccountStore:
    return AccountStore(tmp_path / "data" / "accounts.json")


def test_round_trip_and_changes(store: AccountStore) -> None:
    store.add(account("a1"))
    store.add(account("a2", "Beta"))
    store.change("a1", lambda a: a.with_changes(label="Acme Ltd"))
    assert [(a.id, a.label) for a in store.all()] == [("a1", "Acme Ltd"), ("a2", "Beta")]
    store.remove("a2")
    assert [a.id for a in store.all()] == ["a1"]
    with pytest.raises(UnknownAccount):
        store.get("a2")


def test_the_file_holds_a_schema_and_iso_utc_times(store: AccountStore) -> None:
    store.add(account("a1"))
    document = json.loads(store.path.read_text())
    assert document["schema"] == 1
    assert document["accounts"][0]["linked_at"] == "2026-11-01T09:30:00Z"


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_file_and_folder_are_private(store: AccountStore) -> None:
    store.add(account("a1"))
    store.add(account("a2"))
    assert stat.S_IMODE(store.path.parent.stat().st_mode) == 0o700
    for path in store.path.parent.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b'{"schema": 1, "accounts": [{"id": "a',
        b"\x00\xff garbage",
        b"[]",
        b'{"schema": 1, "accounts": [{"id": "x"}]}',
    ],
)
def test_corrupt_file_is_quarantined_and_the_backup_restored(
    store: AccountStore, damage: bytes
) -> None:
    store.add(account("a1"))
    store.add(account("a2"))  # the backup now holds a1
    store.path.write_bytes(damage)
    assert [a.id for a in store.all()] == ["a1"]
    notices = store.take_notices()
    assert len(notices) == 1
    assert "damaged" in notices[0]
    assert "last good copy was restored" in notices[0]
    quarantined = list(store.path.parent.glob("accounts.json.corrupt-*"))
    assert len(quarantined) == 1
    assert quarantined[0].read_bytes() == damage
    assert [a.id for a in store.all()] == ["a1"]  # the restored file is whole again
    assert store.take_notices() == []


def test_corrupt_without_backup_starts_empty_but_keeps_the_damaged_file(
    store: AccountStore,
) -> None:
    store.add(account("a1"))
    store.path.write_text("{broken")
    assert store.all() == []
    assert "no good backup" in store.take_notices()[0]
    assert list(store.path.parent.glob("accounts.json.corrupt-*"))


def test_a_missing_file_with_a_backup_is_restored(store: AccountStore) -> None:
    store.add(account("a1"))
    store.add(account("a2"))
    store.path.unlink()
    assert [a.id for a in store.all()] == ["a1"]


def test_a_newer_schema_is_never_overwritten(store: AccountStore) -> None:
    store.add(account("a1"))
    newer = b'{"schema": 9, "accounts": []}'
    store.path.write_bytes(newer)
    with pytest.raises(AccountStoreError, match="newer zinc-desktop"):
        store.add(account("a2"))
    assert store.path.read_bytes() == newer


def test_a_failed_write_leaves_the_old_file_intact(
    store: AccountStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.add(account("a1"))
    before = store.path.read_bytes()

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fsync", disk_full)
    with pytest.raises(AccountStoreError, match="No space left on device"):
        store.add(account("a2"))
    monkeypatch.undo()
    assert store.path.read_bytes() == before
    assert not list(store.path.parent.glob(".accounts.json.*"))  # no temp file left behind
    assert [a.id for a in store.all()] == ["a1"]


def _add_many(path: str, prefix: str, count: int) -> None:
    store = AccountStore(Path(path))
    for index in range(count):
        store.add(account(f"{prefix}{index}"))


def test_two_processes_never_lose_each_others_writes(store: AccountStore) -> None:
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_add_many, args=(str(store.path), prefix, 15)) for prefix in "xy"
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    assert len(store.all()) == 30
