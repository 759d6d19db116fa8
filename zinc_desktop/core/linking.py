"""The linking rules: verify first, then keyring, then metadata; never a second row for a key."""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass

from zinc_desktop.core.account_store import AccountStore
from zinc_desktop.core.accounts import Account, AccountStatus, utc_now
from zinc_desktop.core.api_key import ApiKey
from zinc_desktop.core.environments import Environment
from zinc_desktop.core.errors import (
    OperationCancelled,
    SecretStoreError,
    SecretStoreUnavailable,
    ZincDesktopError,
)
from zinc_desktop.core.key_verification import Outcome, Verdict, Verifier
from zinc_desktop.core.secret_store import MemorySecretStore, SecretStore
from zinc_desktop.core.zinc_api import AuthForm
from zinc_desktop.core.zinc_client import ZincClient

log = logging.getLogger(__name__)

MAX_LABEL_LENGTH = 80
_STATUS_FOR_OUTCOME = {
    Outcome.VALID: AccountStatus.VERIFIED,
    Outcome.REJECTED: AccountStatus.REJECTED,
    Outcome.WRONG_ENVIRONMENT: AccountStatus.REJECTED,
    Outcome.UNREACHABLE: AccountStatus.UNREACHABLE,
    Outcome.SERVER_FAULT: AccountStatus.UNREACHABLE,
}


@dataclass(frozen=True)
class LinkResult:
    """A verdict, and the account it produced or found (None when nothing was linked)."""

    verdict: Verdict
    account: Account | None = None
    already_linked: bool = False


def default_label(environment: Environment, key: ApiKey) -> str:
    return f"{environment.display_name} {key.masked}"


def clean_label(label: str) -> str:
    text = " ".join(label.split())
    if not text:
        raise ValueError("A label cannot be empty.")
    if len(text) > MAX_LABEL_LENGTH:
        raise ValueError(f"A label is at most {MAX_LABEL_LENGTH} characters; this has {len(text)}.")
    return text


class LinkService:
    """Links, re-tests, renames and unlinks accounts. Thread-safe; no Qt.

    The keyring is opened on first use (on the caller's thread), so building the service never
    blocks. When no keyring works, `link(session_only=True)` keeps a link in memory only.
    """

    def __init__(
        self,
        verifier: Verifier,
        accounts: AccountStore,
        keyring_factory: Callable[[], SecretStore],
    ) -> None:
        self.verifier = verifier
        self._accounts = accounts
        self._keyring_factory = keyring_factory
        self._keyring: SecretStore | None = None
        self._keyring_problem: SecretStoreUnavailable | None = None
        self._keyring_lock = threading.Lock()
        self._session_secrets = MemorySecretStore()
        self._session_accounts: dict[str, Account] = {}
        self._session_lock = threading.Lock()
        self._notices: list[str] = []

    # --- the keyring -------------------------------------------------------------------------

    def keyring(self) -> SecretStore:
        """The OS keyring store; raises SecretStoreUnavailable, every time, if there is none."""
        with self._keyring_lock:
            if self._keyring is None and self._keyring_problem is None:
                try:
                    self._keyring = self._keyring_factory()
                except SecretStoreUnavailable as problem:
                    self._keyring_problem = problem
            if self._keyring_problem is not None:
                raise self._keyring_problem
            assert self._keyring is not None
            return self._keyring

    def keyring_description(self) -> str:
        try:
            return self.keyring().description
        except SecretStoreUnavailable:
            return "no keyring available"

    def _store_for(self, account: Account) -> SecretStore:
        return self._session_secrets if account.session_only else self.keyring()

    # --- reading -----------------------------------------------------------------------------

    def take_notices(self) -> list[str]:
        """What went wrong quietly (recovered files, a locked keyring), to tell the user once."""
        notices, self._notices = self._notices, []
        return self._accounts.take_notices() + notices

    def accounts(self) -> list[Account]:
        """Every linked account, with `missing-secret` set where the keyring lost the key.

        A keyring that is locked or fails leaves the statuses as last known, with a notice:
        the accounts are listed all the same.
        """
        stored = self._accounts.all()
        try:
            store: SecretStore | None = self.keyring()
        except SecretStoreUnavailable:
            store = None
        result = []
        for account in stored:
            if store is not None:
                try:
                    account = self._reconcile(account, store)  # noqa: PLW2901
                except SecretStoreError as error:
                    self._notices.append(f"{error} Statuses are shown as last checked.")
                    store = None  # one failure is enough; do not wait on it for every account
            result.append(account)
        with self._session_lock:
            result.extend(self._session_accounts.values())
        return result

    def _reconcile(self, account: Account, store: SecretStore) -> Account:
        present = store.get(account.id) is not None
        if not present and account.status is not AccountStatus.MISSING_SECRET:
            return self._accounts.change(
                account.id, lambda a: a.with_changes(status=AccountStatus.MISSING_SECRET)
            )
        if present and account.status is AccountStatus.MISSING_SECRET:
            return self._accounts.change(
                account.id, lambda a: a.with_changes(status=AccountStatus.UNCHECKED)
            )
        return account

    def account(self, account_id: str) -> Account:
        with self._session_lock:
            if account_id in self._session_accounts:
                return self._session_accounts[account_id]
        return self._accounts.get(account_id)

    def key_for(self, account_id: str) -> ApiKey:
        """The account's key, for Copy and for API calls. Raises if the keyring lost it."""
        account = self.account(account_id)
        key = self._store_for(account).get(account_id)
        if key is None:
            raise SecretStoreError(
                f"The key of {account.label!r} is missing from the keyring; re-enter it."
            )
        return key

    def client_for(self, account_id: str, cancel: threading.Event | None = None) -> ZincClient:
        """A client with the account's key and its remembered header form."""
        account = self.account(account_id)
        return self.verifier.client(
            account.environment, self.key_for(account_id), account.auth_form, cancel
        )

    def remember_auth_form(self, account_id: str, client: ZincClient) -> None:
        if self.account(account_id).auth_form is not client.auth_form:
            self._edit(account_id, lambda a: a.with_changes(auth_form=client.auth_form))

    # --- changing ----------------------------------------------------------------------------

    def link(
        self,
        environment: Environment,
        key: ApiKey,
        label: str | None = None,
        *,
        session_only: bool = False,
        cancel: threading.Event | None = None,
    ) -> LinkResult:
        """Verify, then store the key, then the metadata. A failure leaves nothing behind."""
        label = clean_label(label) if label and label.strip() else default_label(environment, key)
        store: SecretStore = self._session_secrets if session_only else self.keyring()
        verdict = self.verifier.verify(environment, key, cancel=cancel)
        if not verdict.ok:
            log.info("not linked: %s key %s: %s", environment.value, key, verdict.outcome.value)
            return LinkResult(verdict)
        if cancel is not None and cancel.is_set():
            raise OperationCancelled("Cancelled before anything was stored.")
        existing = self._find_linked(environment, key)
        if existing is not None:
            updated = self._record_verdict(existing.id, verdict)
            log.info("key %s already linked as %s", key, existing.id)
            return LinkResult(verdict, updated, already_linked=True)
        account = Account(
            id=self._new_id(),
            label=label,
            environment=environment,
            key_hint=key.hint,
            status=AccountStatus.VERIFIED,
            linked_at=utc_now(),
            last_checked_at=utc_now(),
            packages_seen=verdict.packages_found,
            auth_form=verdict.auth_form or AuthForm.RAW,
            last_message=verdict.message,
            session_only=session_only,
        )
        store.put(account.id, key)
        if session_only:
            with self._session_lock:
                self._session_accounts[account.id] = account
        else:
            try:
                self._accounts.add(account)
            except ZincDesktopError:
                store.delete(account.id)  # no orphan secret when the metadata cannot be written
                raise
        log.info("linked %s account %s with key %s", environment.value, account.id, key)
        return LinkResult(verdict, account)

    def reenter_key(
        self, account_id: str, key: ApiKey, cancel: threading.Event | None = None
    ) -> LinkResult:
        """Restore a missing key into the same account, once Zinc accepts it again."""
        account = self.account(account_id)
        if key.hint != account.key_hint:
            raise ValueError(
                f"This key ends in {key.hint}, but {account.label!r} was linked with a key ending "
                f"in {account.key_hint}. Link it as a new account instead."
            )
        verdict = self.verifier.verify(account.environment, key, account.auth_form, cancel)
        if verdict.ok:
            self._store_for(account).put(account_id, key)
        updated = self._record_verdict(account_id, verdict)
        return LinkResult(verdict, updated if verdict.ok else None)

    def reverify(self, account_id: str, cancel: threading.Event | None = None) -> Account:
        """Re-test one account's key and record the outcome."""
        account = self.account(account_id)
        key = self._store_for(account).get(account_id)
        if key is None:
            return self._edit(
                account_id,
                lambda a: a.with_changes(
                    status=AccountStatus.MISSING_SECRET,
                    last_message=AccountStatus.MISSING_SECRET.explanation,
                ),
            )
        verdict = self.verifier.verify(account.environment, key, account.auth_form, cancel)
        return self._record_verdict(account_id, verdict)

    def rename(self, account_id: str, label: str) -> Account:
        text = clean_label(label)
        return self._edit(account_id, lambda a: a.with_changes(label=text))

    def unlink(self, account_id: str) -> Account:
        """Remove the key first, then the metadata: a failure never leaves an invisible secret."""
        account = self.account(account_id)
        self._store_for(account).delete(account_id)
        if account.session_only:
            with self._session_lock:
                del self._session_accounts[account_id]
        else:
            self._accounts.remove(account_id)
        log.info("unlinked %s account %s", account.environment.value, account_id)
        return account

    # --- internals ---------------------------------------------------------------------------

    def _record_verdict(self, account_id: str, verdict: Verdict) -> Account:
        def apply(account: Account) -> Account:
            return account.with_changes(
                status=_STATUS_FOR_OUTCOME[verdict.outcome],
                last_checked_at=utc_now(),
                packages_seen=(verdict.packages_found if verdict.ok else account.packages_seen),
                auth_form=verdict.auth_form or account.auth_form,
                last_message=verdict.message,
            )

        return self._edit(account_id, apply)

    def _edit(self, account_id: str, edit: Callable[[Account], Account]) -> Account:
        with self._session_lock:
            if account_id in self._session_accounts:
                changed = edit(self._session_accounts[account_id])
                self._session_accounts[account_id] = changed
                return changed
        return self._accounts.change(account_id, edit)

    def _find_linked(self, environment: Environment, key: ApiKey) -> Account | None:
        """The account already holding `key` in `environment`: same hint, then same secret."""
        for account in self.accounts():
            if account.environment is environment and account.key_hint == key.hint:
                try:
                    if self._store_for(account).get(account.id) == key:
                        return account
                except SecretStoreUnavailable:
                    continue
        return None

    def _new_id(self) -> str:
        with self._session_lock:
            taken = {account.id for account in self._accounts.all()} | set(self._session_accounts)
        while True:
            candidate = secrets.token_hex(4)
            if candidate not in taken:
                return candidate
