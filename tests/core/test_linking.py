"""The linking rules, through the real client, simulator, account file and keyring code."""

from __future__ import annotations

import pytest

from tests.conftest import PRODUCTION_KEY, STAGING_KEY
from tests.support.memory_keyring import MemoryKeyring, failing_backend
from zinc_desktop.core.account_store import AccountStore
from zinc_desktop.core.accounts import AccountStatus
from zinc_desktop.core.api_key import ApiKey
from zinc_desktop.core.app_paths import AppPaths
from zinc_desktop.core.environments import Environment
from zinc_desktop.core.errors import AccountStoreError, SecretStoreUnavailable, UnknownAccount
from zinc_desktop.core.key_verification import Outcome, Verifier
from zinc_desktop.core.linking import LinkService
from zinc_desktop.core.secret_store import KeyringSecretStore
from zinc_desktop.core.zinc_api import AuthForm
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
    rejected = links.reverify(account.id)
    assert rejected.status is AccountStatus.REJECTED
    assert rejected.last_checked_at is not None
    assert account.last_checked_at is not None
    assert rejected.last_checked_at >= account.last_checked_at
    sandbox.add_key(Environment.STAGING, STAGING_KEY)
    sandbox.inject(Fault(status=500))
    assert links.reverify(account.id).status is AccountStatus.UNREACHABLE
    assert links.reverify(account.id).status is AccountStatus.VERIFIED


def test_a_missing_secret_shows_instead_of_vanishing_and_can_be_reentered(
    links: LinkService, memory_keyring: MemoryKeyring
) -> None:
    account = links.link(Environment.STAGING, STAGING).account
    assert account is not None
    memory_keyring.items.clear()  # someone emptied the keyring
    (listed,) = links.accounts()
    assert listed.id == account.id
    assert listed.status is AccountStatus.MISSING_SECRET
    assert links.reverify(account.id).status is AccountStatus.MISSING_SECRET
    with pytest.raises(ValueError, match="ends in"):
        links.reenter_key(account.id, ApiKey.parse("ef" * 16))
    restored = links.reenter_key(account.id, STAGING)
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


def test_the_working_header_form_is_remembered_per_account(
    links: LinkService, sandbox: SandboxServer
) -> None:
    sandbox.accept_forms("bearer")
    account = links.link(Environment.STAGING, STAGING).account
    assert account is not None
    assert account.auth_form is AuthForm.BEARER
    before = len(sandbox.requests)
    links.reverify(account.id)
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


def test_a_failed_metadata_write_leaves_no_orphan_secret(
    links: LinkService,
    memory_keyring: MemoryKeyring,
    app_paths: AppPaths,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stored: list[str] = []
    original_set = memory_keyring.set_password

    def remember(service: str, username: str, password: str) -> None:
        stored.append(username)
        original_set(service, username, password)

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    memory_keyring.set_password = remember  # type: ignore[method-assign]
    monkeypatch.setattr("os.fsync", disk_full)
    with pytest.raises(AccountStoreError, match="No space left"):
        links.link(Environment.STAGING, STAGING)
    assert len(stored) == 1  # the key did reach the keyring...
    assert memory_keyring.items == {}  # ...and was taken out again


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
