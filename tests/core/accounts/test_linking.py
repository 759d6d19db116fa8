"""The linking rules, through the real client, simulator, account file and keyring code."""

from __future__ import annotations

import os
import re
import threading
import time
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.conftest import PRODUCTION_KEY, STAGING_KEY
from tests.support.memory_keyring import MemoryKeyring, failing_backend
from zinc_desktop.core.accounts.linking import LinkResult, LinkService
from zinc_desktop.core.accounts.model import Account, AccountStatus
from zinc_desktop.core.accounts.retesting import retest
from zinc_desktop.core.accounts.secret_store import KeyringSecretStore
from zinc_desktop.core.accounts.store import AccountStore
from zinc_desktop.core.accounts.verification import Outcome, Verifier
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.app_paths import AppPaths
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.core.foundation.errors import (
    AccountStoreError,
    SecretStoreError,
    SecretStoreTimeout,
    SecretStoreUnavailable,
    UnknownAccount,
)
from zinc_desktop.core.zinc.api import AuthForm
from zinc_desktop.sandbox import Fault, SandboxServer

STAGING = ApiKey.parse(STAGING_KEY)
PRODUCTION = ApiKey.parse(PRODUCTION_KEY)


def test_link_verifies_then_stores_key_and_metadata(
    links: LinkService, memory_keyring: MemoryKeyring, app_paths: AppPaths
) -> None:
    result = links.link(Environment.STAGING, STAGING, "Acme staging")
    assert result.verdict.ok
    account = result.account
    assert account is not None
    assert account.label == "Acme staging"
    assert account.key_hint == STAGING_KEY[-4:]
    assert account.status is AccountStatus.VERIFIED
    assert account.packages_seen == 3
    assert account.last_checked_at is not None
    assert memory_keyring.items == {("zinc-desktop-test", account.id): STAGING_KEY}
    assert [a.id for a in AccountStore(app_paths.accounts_file).all()] == [account.id]


def test_default_label_is_environment_and_hint(links: LinkService) -> None:
    account = links.link(Environment.STAGING, STAGING).account
    assert account is not None
    assert account.label == f"Staging ••••{STAGING_KEY[-4:]}"


@pytest.mark.parametrize("key", [PRODUCTION, ApiKey.parse("cd" * 16)])
def test_a_rejected_key_leaves_nothing_behind(
    links: LinkService, memory_keyring: MemoryKeyring, app_paths: AppPaths, key: ApiKey
) -> None:
    result = links.link(Environment.STAGING, key)
    assert result.account is None
    assert result.verdict.outcome in (Outcome.REJECTED, Outcome.WRONG_ENVIRONMENT)
    assert memory_keyring.items == {}
    assert links.accounts() == []
    assert not app_paths.accounts_file.exists()


def test_an_unreachable_environment_leaves_nothing_behind(
    links: LinkService, sandbox: SandboxServer, memory_keyring: MemoryKeyring
) -> None:
    sandbox.inject(Fault(status=503))
    assert links.link(Environment.STAGING, STAGING).account is None
    assert memory_keyring.items == {}


def test_the_same_key_is_never_linked_twice(links: LinkService) -> None:
    first = links.link(Environment.STAGING, STAGING, "First")
    second = links.link(Environment.STAGING, STAGING, "Second")
    assert second.already_linked
    assert second.account is not None
    assert first.account is not None
    assert second.account.id == first.account.id
    assert [a.label for a in links.accounts()] == ["First"]


def test_the_same_key_in_each_environment_is_two_accounts(
    links: LinkService, sandbox: SandboxServer
) -> None:
    sandbox.add_key(Environment.PRODUCTION, STAGING_KEY)  # not Zinc's reality, but possible
    links.link(Environment.STAGING, STAGING)
    links.link(Environment.PRODUCTION, STAGING)
    assert sorted(a.environment.value for a in links.accounts()) == ["production", "staging"]


def test_unlink_removes_key_and_metadata(links: LinkService, memory_keyring: MemoryKeyring) -> None:
    account = links.link(Environment.STAGING, STAGING).account
    assert account is not None
    links.unlink(account.id)
    assert memory_keyring.items == {}
    assert links.accounts() == []
    with pytest.raises(UnknownAccount):
        links.unlink(account.id)


def test_reverify_updates_status_and_time(links: LinkService, sandbox: SandboxServer) -> None:
    account = links.link(Environment.STAGING, STAGING).account
    assert account is not None
    sandbox.revoke_key(Environment.STAGING, STAGING_KEY)
    rejected = retest(links, account.id)
    assert rejected.status is AccountStatus.REJECTED
    assert rejected.last_checked_at is not None
    assert account.last_checked_at is not None
    assert rejected.last_checked_at >= account.last_checked_at
    sandbox.add_key(Environment.STAGING, STAGING_KEY)
    sandbox.inject(Fault(status=500))
    assert retest(links, account.id).status is AccountStatus.UNREACHABLE
    assert retest(links, account.id).status is AccountStatus.VERIFIED


def test_a_missing_secret_shows_instead_of_vanishing_and_can_be_reentered(
    links: LinkService, memory_keyring: MemoryKeyring
) -> None:
    account = links.link(Environment.STAGING, STAGING).account
    assert account is not None
    memory_keyring.items.clear()  # someone emptied the keyring
    (listed,) = links.accounts()
    assert listed.id == account.id
    assert listed.status is AccountStatus.MISSING_SECRET
    assert retest(links, account.id).status is AccountStatus.MISSING_SECRET
    unknown = links.replace_key(account.id, ApiKey.parse("ef" * 16))
    assert unknown.account is None  # Zinc does not accept it: nothing changes
    restored = links.replace_key(account.id, STAGING)
    assert restored.account is not None
    assert restored.account.id == account.id
    assert restored.account.status is AccountStatus.VERIFIED
    assert links.key_for(account.id) == STAGING


def test_rename_validates_the_label(links: LinkService) -> None:
    account = links.link(Environment.STAGING, STAGING).account
    assert account is not None
    assert links.rename(account.id, "  Acme   Ltd  ").label == "Acme Ltd"
    with pytest.raises(ValueError, match="cannot be empty"):
        links.rename(account.id, "   ")
    with pytest.raises(ValueError, match="at most 80"):
        links.rename(account.id, "x" * 81)


def test_a_label_holding_the_key_however_split_is_refused_at_link(
    links: LinkService, memory_keyring: MemoryKeyring, sandbox: SandboxServer
) -> None:
    hyphenated = "-".join(STAGING_KEY[i : i + 4] for i in range(0, 32, 4)).upper()
    with pytest.raises(ValueError, match="must not contain an API key") as caught:
        links.link(Environment.STAGING, STAGING, f"Acme {hyphenated}")
    assert STAGING_KEY[:8] not in str(caught.value).lower()
    assert sandbox.requests == []
    assert memory_keyring.items == {}
    uuid = "3f2b8c1e-9d4a-4e7b-a1c2-5d6e7f8a9b0c"  # hex in groups is not a key
    linked = links.link(Environment.STAGING, STAGING, f"Acme {uuid}").account
    assert linked is not None
    assert linked.label == f"Acme {uuid}"


@pytest.mark.parametrize(
    ("label", "code"),
    [("Acme\u202eltd", "U+202E"), ("Acme\x1b[31m", "U+001B"), ("Ac\u200bme", "U+200B")],
)
def test_a_label_with_an_invisible_or_control_character_is_refused(
    links: LinkService, label: str, code: str
) -> None:
    account = links.link(Environment.STAGING, STAGING, "Acme").account
    assert account is not None
    with pytest.raises(ValueError, match=re.escape(f"invisible or control character {code}")):
        links.rename(account.id, label)
    assert links.account(account.id).label == "Acme"
    assert links.rename(account.id, "Acme\tLtd\n").label == "Acme Ltd"  # white space collapses


def test_the_working_header_form_is_remembered_per_account(
    links: LinkService, sandbox: SandboxServer
) -> None:
    sandbox.accept_forms("bearer")
    account = links.link(Environment.STAGING, STAGING).account
    assert account is not None
    assert account.auth_form is AuthForm.BEARER
    before = len(sandbox.requests)
    retest(links, account.id)
    assert [r.auth_form for r in sandbox.requests[before:]] == ["bearer"]


def test_no_keyring_refuses_a_stored_link_before_any_call_but_allows_session_only(
    verifier: Verifier, app_paths: AppPaths, sandbox: SandboxServer
) -> None:
    def no_keyring() -> KeyringSecretStore:
        return KeyringSecretStore("zinc-desktop-test", backend=failing_backend())

    links = LinkService(verifier, AccountStore(app_paths.accounts_file), no_keyring)
    with pytest.raises(SecretStoreUnavailable, match="gnome-keyring"):
        links.link(Environment.STAGING, STAGING)
    assert sandbox.requests == []
    result = links.link(Environment.STAGING, STAGING, session_only=True)
    assert result.account is not None
    assert result.account.session_only
    assert [a.id for a in links.accounts()] == [result.account.id]
    assert not app_paths.accounts_file.exists()  # session-only lives in memory only
    assert links.key_for(result.account.id) == STAGING
    links.unlink(result.account.id)
    assert links.accounts() == []


def test_a_failed_first_write_stores_no_key(
    links: LinkService,
    memory_keyring: MemoryKeyring,
    app_paths: AppPaths,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fsync", disk_full)
    with pytest.raises(AccountStoreError, match="No space left"):
        links.link(Environment.STAGING, STAGING)
    assert memory_keyring.items == {}  # the row is recorded before the key is written
    monkeypatch.undo()
    assert links.accounts() == []


def test_a_failed_completing_write_leaves_a_visible_row_that_the_sweep_completes(
    links: LinkService,
    memory_keyring: MemoryKeyring,
    app_paths: AppPaths,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    original_set = memory_keyring.set_password

    def then_the_disk_fills(service: str, username: str, password: str) -> None:
        original_set(service, username, password)

        def disk_full(fd: int) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr("os.fsync", disk_full)

    memory_keyring.set_password = then_the_disk_fills  # type: ignore[method-assign]
    with pytest.raises(AccountStoreError, match="No space left"):
        links.link(Environment.STAGING, STAGING)
    monkeypatch.undo()
    ((_, account_id),) = memory_keyring.items
    (row,) = AccountStore(app_paths.accounts_file).all()
    assert (row.id, row.status) == (account_id, AccountStatus.INCOMPLETE)
    (swept,) = links.reconcile()
    assert swept.status is AccountStatus.VERIFIED


def test_a_keyring_that_fails_after_the_row_is_recorded_leaves_nothing(
    links: LinkService, memory_keyring: MemoryKeyring, app_paths: AppPaths
) -> None:
    def broken(service: str, username: str, password: str) -> None:
        memory_keyring.items[(service, username)] = password  # half-written, then an error
        raise RuntimeError("D-Bus went away")

    memory_keyring.set_password = broken  # type: ignore[method-assign]
    with pytest.raises(SecretStoreError, match="D-Bus went away"):
        links.link(Environment.STAGING, STAGING)
    assert memory_keyring.items == {}
    assert AccountStore(app_paths.accounts_file).all() == []


def test_a_keyring_that_answers_late_never_leaves_an_invisible_key(
    verifier: Verifier, app_paths: AppPaths, memory_keyring: MemoryKeyring
) -> None:
    store = KeyringSecretStore("zinc-desktop-test", backend=memory_keyring, deadline=0.3)
    links = LinkService(verifier, AccountStore(app_paths.accounts_file), lambda: store)
    memory_keyring.hang.set()  # the user is typing the keyring's password...
    try:
        with pytest.raises(SecretStoreTimeout, match="Link incomplete"):
            links.link(Environment.STAGING, STAGING, "Acme")
        (listed,) = links.accounts()  # ...and the account is already visible
        assert (listed.label, listed.status) == ("Acme", AccountStatus.INCOMPLETE)
        assert listed.status.explanation.startswith("Linking was interrupted")
    finally:
        memory_keyring.hang.clear()
        memory_keyring.release.set()  # ...who answers after the deadline: the key lands
    assert links.settle(5)
    assert memory_keyring.items == {("zinc-desktop-test", listed.id): STAGING_KEY}
    (completed,) = links.accounts()
    assert (completed.id, completed.status) == (listed.id, AccountStatus.VERIFIED)


def test_the_sweep_completes_an_incomplete_row_whose_key_landed_after_its_process_died(
    links: LinkService, memory_keyring: MemoryKeyring, app_paths: AppPaths
) -> None:
    account = links.link(Environment.STAGING, STAGING).account
    assert account is not None
    store = AccountStore(app_paths.accounts_file)
    # What a process killed between the keyring write and the completing write leaves behind:
    store.change(account.id, lambda a: a.with_changes(status=AccountStatus.INCOMPLETE))
    # ...and one killed between recording its row and writing its key:
    shell = account.with_changes(id="deadbeef", key_hint="0000", status=AccountStatus.INCOMPLETE)
    store.add(shell)
    after = {a.id: a.status for a in links.reconcile()}
    assert after == {account.id: AccountStatus.VERIFIED, "deadbeef": AccountStatus.INCOMPLETE}
    assert retest(links, "deadbeef").status is AccountStatus.INCOMPLETE  # not missing-secret
    links.unlink("deadbeef")  # the user can remove it
    assert [a.id for a in links.accounts()] == [account.id]


def _left_incomplete(
    links: LinkService, memory_keyring: MemoryKeyring, app_paths: AppPaths, label: str | None = None
) -> Account:
    """A linked account whose key never reached the keyring: its row says "Link incomplete"."""
    account = links.link(Environment.STAGING, STAGING, label).account
    assert account is not None
    memory_keyring.items.clear()
    AccountStore(app_paths.accounts_file).change(
        account.id, lambda a: a.with_changes(status=AccountStatus.INCOMPLETE)
    )
    return account


def test_an_incomplete_row_can_be_given_its_key_again(
    links: LinkService, memory_keyring: MemoryKeyring, app_paths: AppPaths
) -> None:
    account = _left_incomplete(links, memory_keyring, app_paths)
    restored = links.replace_key(account.id, STAGING)
    assert restored.account is not None
    assert restored.account.status is AccountStatus.VERIFIED
    assert links.key_for(account.id) == STAGING


def test_linking_the_key_of_an_incomplete_row_again_completes_that_row(
    links: LinkService, memory_keyring: MemoryKeyring, app_paths: AppPaths
) -> None:
    account = _left_incomplete(links, memory_keyring, app_paths, "Acme")
    again = links.link(Environment.STAGING, STAGING, "Acme again")
    assert again.account is not None
    assert (again.account.id, again.account.label) == (account.id, "Acme")
    assert again.account.status is AccountStatus.VERIFIED
    assert [a.id for a in links.accounts()] == [account.id]
    assert list(memory_keyring.items) == [("zinc-desktop-test", account.id)]


def test_a_rejected_reentered_key_changes_nothing(
    links: LinkService, memory_keyring: MemoryKeyring, sandbox: SandboxServer
) -> None:
    account = links.link(Environment.STAGING, STAGING).account
    assert account is not None
    memory_keyring.items.clear()
    assert retest(links, account.id).status is AccountStatus.MISSING_SECRET
    sandbox.revoke_key(Environment.STAGING, STAGING_KEY)
    assert links.replace_key(account.id, STAGING).account is None
    assert links.account(account.id).status is AccountStatus.MISSING_SECRET  # still says so
    assert memory_keyring.items == {}


def test_an_unlink_waits_behind_a_stalled_write_of_the_same_account(
    verifier: Verifier, app_paths: AppPaths, memory_keyring: MemoryKeyring
) -> None:
    store = KeyringSecretStore("zinc-desktop-test", backend=memory_keyring, deadline=0.3)
    accounts = AccountStore(app_paths.accounts_file, link_lock_timeout=5)
    links = LinkService(verifier, accounts, lambda: store)
    memory_keyring.hang.set()
    with pytest.raises(SecretStoreTimeout):
        links.link(Environment.STAGING, STAGING)
    (pending,) = links.accounts()
    unlinked: list[object] = []
    worker = threading.Thread(target=lambda: unlinked.append(links.unlink(pending.id)))
    worker.start()
    time.sleep(0.5)
    assert unlinked == []  # the delete waits: the stalled write could still land after it
    assert [a.id for a in links.accounts()] == [pending.id]
    memory_keyring.hang.clear()
    memory_keyring.release.set()
    worker.join(5)
    assert unlinked  # the write landed first, then the unlink removed key and row
    assert memory_keyring.items == {}
    assert links.accounts() == []


def test_parallel_links_of_one_key_in_one_process_make_one_account(
    links: LinkService, memory_keyring: MemoryKeyring
) -> None:
    results: list[LinkResult] = []
    threads = [
        threading.Thread(target=lambda: results.append(links.link(Environment.STAGING, STAGING)))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(results) == 8
    assert len(links.accounts()) == 1
    assert len(memory_keyring.items) == 1
    assert sum(not result.already_linked for result in results) == 1


@pytest.mark.parametrize(
    "label",
    [
        STAGING_KEY,
        f"Acme {STAGING_KEY.upper()} staging",
        f"Acme-{STAGING_KEY}0",
        f"Acme {STAGING_KEY[:16]} {STAGING_KEY[16:]}",  # split by a space
        "Acme " + " ".join(STAGING_KEY[i : i + 4] for i in range(0, 32, 4)),
    ],
)
def test_a_label_holding_a_key_is_refused_and_nothing_is_stored(
    links: LinkService, memory_keyring: MemoryKeyring, sandbox: SandboxServer, label: str
) -> None:
    with pytest.raises(ValueError, match="must not contain an API key") as caught:
        links.link(Environment.STAGING, STAGING, label)
    assert STAGING_KEY not in str(caught.value).lower()
    assert sandbox.requests == []
    assert memory_keyring.items == {}
    account = links.link(Environment.STAGING, STAGING, "Acme").account
    assert account is not None
    with pytest.raises(ValueError, match="must not contain an API key"):
        links.rename(account.id, label)
    assert links.account(account.id).label == "Acme"


def test_listing_reads_no_secret_and_the_pass_writes_once(
    links: LinkService, memory_keyring: MemoryKeyring, app_paths: AppPaths
) -> None:
    store = AccountStore(app_paths.accounts_file)
    linked_at = datetime(2026, 11, 1, tzinfo=UTC)
    for index in range(200):
        store.add(
            Account(
                id=f"a{index:03}",
                label=f"Account {index}",
                environment=Environment.STAGING,
                key_hint="8cef",
                status=AccountStatus.VERIFIED,
                linked_at=linked_at,
            )
        )
        if index % 2:
            memory_keyring.items[("zinc-desktop-test", f"a{index:03}")] = STAGING_KEY
    reads: list[str] = []
    original_get = memory_keyring.get_password

    def counting_get(service: str, username: str) -> str | None:
        reads.append(username)
        return original_get(service, username)

    writes: list[str] = []
    original_replace = os.replace

    def counting_replace(source: Any, target: Any) -> None:
        writes.append(str(target))
        original_replace(source, target)

    memory_keyring.get_password = counting_get  # type: ignore[method-assign]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("os.replace", counting_replace)
        listed = links.reconcile()  # no enumeration here: one read per account, one write
        assert len(reads) == 200
        assert [w for w in writes if w.endswith("accounts.json")] == [str(store.path)]
        assert sum(a.status is AccountStatus.MISSING_SECRET for a in listed) == 100
        reads.clear()
        writes.clear()
        for _ in range(3):
            assert len(links.accounts()) == 200  # listing: the file only
        assert links.reconcile()  # nothing changed since: nothing written
        assert writes == []
    assert len(reads) == 200  # the second pass only


def test_a_locked_keyring_still_lists_every_account_with_a_notice(
    links: LinkService, memory_keyring: MemoryKeyring
) -> None:
    links.link(Environment.STAGING, STAGING)
    links.link(Environment.PRODUCTION, PRODUCTION)
    memory_keyring.locked = True
    listed = links.accounts()
    assert [a.status for a in listed] == [AccountStatus.VERIFIED, AccountStatus.VERIFIED]
    (notice,) = links.take_notices()  # said once, not once per account
    assert "is locked" in notice
    assert "last checked" in notice
    assert links.take_notices() == []


def test_a_keyring_locked_for_writes_leaves_nothing(
    links: LinkService, memory_keyring: MemoryKeyring
) -> None:
    memory_keyring.writes_locked = True
    with pytest.raises(SecretStoreError, match="is locked") as caught:
        links.link(Environment.STAGING, STAGING, "Acme")
    assert "stays listed" not in str(caught.value)
    assert links.accounts() == []
    assert memory_keyring.items == {}


def test_a_failed_write_that_cannot_be_taken_back_leaves_an_incomplete_row_and_says_so(
    links: LinkService, memory_keyring: MemoryKeyring
) -> None:
    memory_keyring.fail_after_write = True  # the write may have landed...
    memory_keyring.writes_locked = False
    original_delete = memory_keyring.delete_password

    def refuse_delete(service: str, username: str) -> None:  # ...and cannot be removed
        raise RuntimeError("the keyring backend failed to delete")

    memory_keyring.delete_password = refuse_delete  # type: ignore[method-assign]
    with pytest.raises(SecretStoreError, match="failed to store a key") as caught:
        links.link(Environment.STAGING, STAGING, "Acme")
    assert "after writing. 'Acme' stays listed as “Link incomplete”" in str(caught.value)
    (row,) = links._accounts.all()  # as written, before any listing looks at the keyring
    assert row.status is AccountStatus.INCOMPLETE
    # The write did land: the next listing finds the key there and completes the row.
    assert [(a.id, a.status) for a in links.accounts()] == [(row.id, AccountStatus.VERIFIED)]
    memory_keyring.fail_after_write = False
    memory_keyring.delete_password = original_delete  # type: ignore[method-assign]
    assert links.link(Environment.STAGING, STAGING).already_linked


def test_a_key_already_linked_elsewhere_cannot_be_reentered_into_another_account(
    links: LinkService, sandbox: SandboxServer, memory_keyring: MemoryKeyring
) -> None:
    twin = "f" * 28 + STAGING_KEY[-4:]  # a different key with the same last 4 characters
    sandbox.add_key(Environment.STAGING, twin)
    first = links.link(Environment.STAGING, STAGING).account
    second = links.link(Environment.STAGING, ApiKey.parse(twin)).account
    assert first is not None
    assert second is not None
    assert first.id != second.id
    with pytest.raises(ValueError, match="already linked in Staging"):
        links.replace_key(first.id, ApiKey.parse(twin))
    assert links.key_for(first.id) == STAGING


def test_an_unlink_the_keyring_answers_late_finishes_when_it_answers(
    verifier: Verifier, app_paths: AppPaths, memory_keyring: MemoryKeyring
) -> None:
    store = KeyringSecretStore("zinc-desktop-test", backend=memory_keyring, deadline=0.3)
    links = LinkService(verifier, AccountStore(app_paths.accounts_file), lambda: store)
    account = links.link(Environment.STAGING, STAGING).account
    assert account is not None
    memory_keyring.hang.set()
    try:
        with pytest.raises(SecretStoreTimeout, match="is kept for now"):
            links.unlink(account.id)
        assert [a.status for a in links.accounts()] == [AccountStatus.VERIFIED]  # key still there
    finally:
        memory_keyring.hang.clear()
        memory_keyring.release.set()
    assert links.settle(5)
    assert memory_keyring.items == {}
    assert links.accounts() == []


def test_a_key_that_no_account_shows_can_be_removed_but_an_accounts_key_cannot(
    links: LinkService, memory_keyring: MemoryKeyring
) -> None:
    account = links.link(Environment.STAGING, STAGING).account
    assert account is not None
    memory_keyring.items[("zinc-desktop-test", "0ld0rph4")] = PRODUCTION_KEY
    with pytest.raises(ValueError, match="unlink it instead"):
        links.remove_orphaned_key(account.id)
    links.remove_orphaned_key("0ld0rph4")
    assert list(memory_keyring.items) == [("zinc-desktop-test", account.id)]
