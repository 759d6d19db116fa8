"""The metadata file: atomic, backed up, recovered, locked, private."""

from __future__ import annotations

import json
import logging
import logging.handlers
import multiprocessing
import os
import stat
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.support.platforms import FILE_MODES, file_modes
from zinc_desktop.core.accounts.model import Account, AccountStatus
from zinc_desktop.core.accounts.store import AccountStore
from zinc_desktop.core.foundation.api_key import KeyRunMasker, mask_key_runs
from zinc_desktop.core.foundation.app_paths import private_directory
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.core.foundation.errors import AccountStoreError, UnknownAccount
from zinc_desktop.core.foundation.log_redaction import configure_file_logging


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


@file_modes
def test_file_and_folder_are_private(store: AccountStore) -> None:
    store.add(account("a1"))
    store.add(account("a2"))
    assert stat.S_IMODE(store.path.parent.stat().st_mode) == 0o700
    for path in store.path.parent.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


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


# --- hostile and damaged files -----------------------------------------------------------------

GOOD_RECORD = account("a1").to_json()


def document_with(record: object) -> bytes:
    return json.dumps({"schema": 1, "accounts": [record]}).encode()


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b'{"schema": 1, "accounts": [{"id": "a', id="cut-short"),
        pytest.param(b"\x00\xff garbage", id="garbage"),
        pytest.param(b"[]", id="not-an-object"),
        pytest.param(b'{"schema": 1, "accounts": [{"id": "x"}]}', id="record-incomplete"),
        pytest.param(b'{"schema": 1, "accounts": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
                     id="nested-100000"),
        pytest.param(b'{"schema": 1, "accounts": [' + b"[" * 20 + b"]" * 20 + b"]}",
                     id="nested-22"),
        pytest.param(document_with({**GOOD_RECORD, "id": {"x": 1}}), id="id-object"),
        pytest.param(document_with({**GOOD_RECORD, "label": ["a"]}), id="label-list"),
        pytest.param(document_with({**GOOD_RECORD, "key_hint": 1234}), id="hint-number"),
        pytest.param(document_with({**GOOD_RECORD, "packages_seen": 10**400}), id="huge-int"),
        pytest.param(document_with({**GOOD_RECORD, "packages_seen": 1e308}), id="huge-float"),
        pytest.param(document_with({**GOOD_RECORD, "packages_seen": True}), id="bool-count"),
        pytest.param(document_with({**GOOD_RECORD, "last_checked_at": 5}), id="time-number"),
        pytest.param(document_with({**GOOD_RECORD, "status": None}), id="status-null"),
        pytest.param(b'{"schema": 1, "accounts": [' + json.dumps(GOOD_RECORD).encode()
                     .replace(b'"packages_seen": null', b'"packages_seen": NaN') + b"]}",
                     id="nan"),
        pytest.param(b'{"schema": 1, "accounts": ["a1"]}', id="record-text"),
        pytest.param(b'{"schema": true, "accounts": []}', id="schema-bool"),
        pytest.param(json.dumps({"schema": 1, "accounts": [GOOD_RECORD, GOOD_RECORD]}).encode(),
                     id="duplicate-ids"),
    ],
)  # fmt: skip
def test_damaged_or_hostile_content_is_quarantined_and_the_backup_restored(
    store: AccountStore, damage: bytes
) -> None:
    store.add(account("a1"))
    store.add(account("a2"))  # the backup now holds a1
    store.path.write_bytes(damage)
    assert [a.id for a in store.all()] == ["a1"]
    (notice,) = store.take_notices()
    assert "damaged" in notice
    assert "last good copy was restored" in notice
    (quarantined,) = store.path.parent.glob("accounts.json.corrupt-*")
    assert quarantined.read_bytes() == mask_key_runs(damage)  # 10**400: its digits are masked
    assert [a.id for a in store.all()] == ["a1"]  # the restored file is whole again
    assert store.take_notices() == []


@pytest.mark.parametrize(
    ("field", "edge", "stored"),
    [
        ("linked_at", "0001-01-01T00:00:00+01:00", "0001-01-01T00:00:00Z"),
        ("last_checked_at", "9999-12-31T23:59:59-23:59", "9999-12-31T23:59:59.999999Z"),
        ("last_checked_at", "0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"),
    ],
)
def test_a_time_at_the_edge_of_the_calendar_is_kept_not_quarantined(
    store: AccountStore, field: str, edge: str, stored: str
) -> None:
    """A hand-edited time past what UTC can hold loses nothing: the account stays, its time is
    kept at the calendar's edge (and reads "unknown time" wherever it cannot be shown)."""
    store.path.parent.mkdir(parents=True, exist_ok=True)
    store.path.write_bytes(document_with({**GOOD_RECORD, field: edge}))
    (kept,) = store.all()
    assert kept.id == GOOD_RECORD["id"]
    assert store.take_notices() == []
    assert not list(store.path.parent.glob("accounts.json.corrupt-*"))
    assert kept.to_json()[field] == stored


def test_a_file_beyond_the_size_bound_is_never_read_nor_copied(store: AccountStore) -> None:
    store.add(account("a1"))
    store.add(account("a2"))
    with open(store.path, "r+b") as handle:
        handle.truncate(4 * 1024**3)  # sparse: cheap to make, 4 GB to read or copy
    inode = store.path.stat().st_ino
    assert [a.id for a in store.all()] == ["a1"]
    assert "larger than 64 MB" in store.take_notices()[0]
    (quarantined,) = store.path.parent.glob("accounts.json.corrupt-*")
    assert quarantined.stat().st_ino == inode  # renamed, not copied
    if FILE_MODES:
        assert stat.S_IMODE(quarantined.stat().st_mode) == 0o600


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_in_the_files_place_does_not_hang_and_is_moved_aside(
    store: AccountStore,
) -> None:
    store.add(account("a1"))
    store.add(account("a2"))
    store.path.unlink()
    os.mkfifo(store.path)  # opening it to read would wait for a writer forever
    result: list[list[str]] = []
    reader = threading.Thread(target=lambda: result.append([a.id for a in store.all()]))
    reader.start()
    reader.join(timeout=10)
    assert not reader.is_alive(), "reading the accounts hung on a named pipe"
    assert result == [["a1"]]
    notice = store.take_notices()[0]
    assert "not a regular file (a named pipe)" in notice
    (moved,) = store.path.parent.glob("accounts.json.corrupt-*")
    assert stat.S_ISFIFO(moved.lstat().st_mode)
    assert store.path.is_file()


def test_when_file_and_backup_are_both_damaged_both_are_kept_and_it_starts_empty(
    store: AccountStore,
) -> None:
    store.add(account("a1"))
    store.add(account("a2"))
    store.path.write_bytes(b"{damaged main")
    backup = store.path.with_name("accounts.json.bak")
    backup.write_bytes(b"{damaged backup")
    assert store.all() == []
    (notice,) = store.take_notices()
    assert "no good backup" in notice
    assert "both damaged copies were kept" in notice
    kept = {p.read_bytes() for p in store.path.parent.glob("accounts.json*.corrupt-*")}
    assert kept == {b"{damaged main", b"{damaged backup"}
    store.add(account("a3"))  # a new start; nothing damaged is overwritten
    assert [a.id for a in store.all()] == ["a3"]
    assert len(list(store.path.parent.glob("accounts.json*.corrupt-*"))) == 2


def test_a_missing_file_with_a_damaged_backup_keeps_the_backup(store: AccountStore) -> None:
    store.add(account("a1"))
    store.add(account("a2"))
    store.path.unlink()
    store.path.with_name("accounts.json.bak").write_bytes(b"[]")
    assert store.all() == []
    assert "was missing" in store.take_notices()[0]
    (kept,) = store.path.parent.glob("accounts.json.bak.corrupt-*")
    assert kept.read_bytes() == b"[]"


def test_two_quarantines_in_one_second_keep_both_files(store: AccountStore) -> None:
    for damage in (b"{first", b"{second"):
        store.add(account("a1"))
        store.path.write_bytes(damage)
        store.all()
    kept = {p.read_bytes() for p in store.path.parent.glob("accounts.json.corrupt-*")}
    assert kept == {b"{first", b"{second"}


def test_the_backup_is_the_value_just_loaded_and_the_file_is_read_once(
    store: AccountStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.add(account("a1"))
    store.add(account("a2"))
    opened: list[str] = []
    real_open = os.open

    def counting_open(file: Any, flags: int, *args: Any, **kwargs: Any) -> Any:
        if str(file).endswith("accounts.json") and not flags & (os.O_WRONLY | os.O_RDWR):
            opened.append(str(file))
        return real_open(file, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", counting_open)
    store.add(account("a3"))
    monkeypatch.undo()
    assert len(opened) == 1
    backup = json.loads(store.path.with_name("accounts.json.bak").read_text())
    assert [a["id"] for a in backup["accounts"]] == ["a1", "a2"]


def test_a_change_that_changes_nothing_writes_nothing(store: AccountStore) -> None:
    store.add(account("a1"))
    before = store.path.stat().st_mtime_ns, store.path.stat().st_ino
    store.change("a1", lambda a: a)
    assert (store.path.stat().st_mtime_ns, store.path.stat().st_ino) == before


# --- keys where text belongs -------------------------------------------------------------------

KEY = "471e527d2337da5dfaf28666fe1d8cef"


def test_a_key_in_a_label_or_message_is_masked_on_load_and_scrubbed_from_both_files(
    store: AccountStore,
) -> None:
    store.add(account("a1"))
    store.add(account("a2"))
    old = json.loads(store.path.read_text())
    old["accounts"][0]["label"] = f"Acme {KEY}"
    old["accounts"][1]["last_message"] = f"Key {KEY.upper()} accepted"
    written_by_an_older_version = json.dumps(old).encode()
    store.path.write_bytes(written_by_an_older_version)
    store.path.with_name("accounts.json.bak").write_bytes(written_by_an_older_version)
    first, second = store.all()
    assert first.label == "Acme ••••8cef"
    assert second.last_message == "Key ••••8cef accepted"
    for path in (store.path, store.path.with_name("accounts.json.bak")):
        assert KEY not in path.read_text().lower(), path
    assert store.take_notices() == []


def test_a_quarantined_file_is_private_and_holds_no_key(store: AccountStore) -> None:
    store.add(account("a1"))
    store.add(account("a2"))
    store.path.write_bytes(f'{{"label": "{KEY}", "x": "{KEY.upper()}ff" '.encode() * 3)
    os.chmod(store.path, 0o644)
    store.all()
    (quarantined,) = store.path.parent.glob("accounts.json.corrupt-*")
    if FILE_MODES:
        assert stat.S_IMODE(quarantined.stat().st_mode) == 0o600
    text = quarantined.read_text()
    assert KEY not in text.lower()
    assert text == '{"label": "••••8cef", "x": "••••efff" ' * 3


def test_masking_finds_a_key_split_across_chunks() -> None:
    masker = KeyRunMasker()
    pieces = [b"x" * 10 + KEY[:7].encode(), KEY[7:30].encode(), KEY[30:].encode() + b"abc", b" y"]
    assert b"".join(masker.feed(p) for p in pieces) + masker.finish() == (
        b"x" * 10 + "••••".encode() + b"fabc y"
    )
    assert mask_key_runs(b"short abcdef0123 stays") == b"short abcdef0123 stays"


# --- modes under any umask ---------------------------------------------------------------------


@pytest.fixture(params=[0o000, 0o022], ids=["umask-000", "umask-022"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    previous = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(previous)


@file_modes
def test_every_folder_created_is_0700_and_every_file_0600(umask: int, tmp_path: Path) -> None:
    base = tmp_path / "xdg" / "deeper"
    store = AccountStore(base / "zinc-desktop" / "accounts.json")
    store.add(account("a1"))
    store.add(account("a2"))
    store.path.write_bytes(b"{damaged")
    store.all()
    with store.link_lock.held():
        pass
    handler = configure_file_logging(base / "state" / "log" / "zinc-desktop.log")
    assert isinstance(handler, logging.handlers.RotatingFileHandler)
    try:
        handler.maxBytes = 200  # rotate after a few lines
        for index in range(20):
            logging.getLogger("zinc_desktop.test").warning("line %d of the log", index)
    finally:
        logging.getLogger("zinc_desktop").removeHandler(handler)
        handler.close()
    logs = sorted(p.name for p in (base / "state" / "log").iterdir())
    assert logs == ["zinc-desktop.log", "zinc-desktop.log.1", "zinc-desktop.log.2"]
    for path in [tmp_path / "xdg", *sorted((tmp_path / "xdg").rglob("*"))]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), f"{path}: {mode:o}"


@file_modes
def test_an_existing_folder_is_tightened_but_folders_above_it_are_left(tmp_path: Path) -> None:
    above = tmp_path / "shared"
    above.mkdir(mode=0o755)
    os.chmod(above, 0o755)  # noqa: S103  # a shared folder above ours, as some setups have
    (above / "zinc-desktop").mkdir(mode=0o755)
    private_directory(above / "zinc-desktop")
    assert stat.S_IMODE((above / "zinc-desktop").stat().st_mode) == 0o700
    assert stat.S_IMODE(above.stat().st_mode) == 0o755


@file_modes
def test_a_folder_linked_to_elsewhere_is_used_but_its_target_keeps_its_mode(
    tmp_path: Path,
) -> None:
    """The app tightens a folder of its own; a link the user put in its place leads to their
    folder, whose mode is theirs to choose (the app's files in it are 0600 all the same)."""
    theirs = tmp_path / "synced"
    theirs.mkdir()
    os.chmod(theirs, 0o755)  # noqa: S103  # the user's folder, as they made it
    (tmp_path / "share").mkdir()
    linked = tmp_path / "share" / "zinc-desktop"
    linked.symlink_to(theirs)
    assert private_directory(linked) == linked
    assert stat.S_IMODE(theirs.stat().st_mode) == 0o755
    store = AccountStore(linked / "accounts.json")
    with store.link_lock.held():
        pass
    assert stat.S_IMODE(theirs.stat().st_mode) == 0o755
    assert stat.S_IMODE((theirs / "accounts.json.link-lock").stat().st_mode) == 0o600
    # A folder the app makes below the link is its own: owner-only.
    private_directory(linked / "sandbox")
    assert stat.S_IMODE((theirs / "sandbox").stat().st_mode) == 0o700


def test_a_file_where_the_data_folder_should_be_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "data-home"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    store = AccountStore(blocker / "zinc-desktop" / "accounts.json")
    with pytest.raises(AccountStoreError) as caught:
        store.all()
    message = str(caught.value)
    assert f"{blocker} is a file, not a folder" in message
    assert "XDG_DATA_HOME" in message


@pytest.mark.skipif(not hasattr(os, "O_NOFOLLOW"), reason="no O_NOFOLLOW here")
def test_a_link_at_the_lock_name_is_refused_and_its_target_untouched(
    store: AccountStore, tmp_path: Path
) -> None:
    store.path.parent.mkdir(parents=True, exist_ok=True)
    elsewhere = tmp_path / "elsewhere" / "yours.txt"
    elsewhere.parent.mkdir()
    Path(f"{store.path}.lock").symlink_to(elsewhere)
    with pytest.raises(AccountStoreError, match="is a link"):
        store.add(account("a1"))
    assert not elsewhere.exists()  # not created through the link
    elsewhere.write_text("mine")
    elsewhere.chmod(0o644)
    with pytest.raises(AccountStoreError, match="is a link"):
        store.add(account("a1"))
    assert stat.S_IMODE(elsewhere.stat().st_mode) == 0o644  # nor its mode changed
    assert elsewhere.read_text() == "mine"
