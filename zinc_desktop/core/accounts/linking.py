"""The linking rules: verify first; then, under one cross-process lock, record the account as
`incomplete`, write the key to the keyring, and complete the record. Never a second row for a
key, and never a key in the keyring that no row shows, whatever interrupts it."""

from __future__ import annotations

import contextlib
import logging
import secrets
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from zinc_desktop.core.accounts.edits import Edit, new_account, unusable_secret, verdict_edit
from zinc_desktop.core.accounts.keyring_backends import NO_USABLE_KEYRING, name_and_label
from zinc_desktop.core.accounts.keyring_sweep import sweep
from zinc_desktop.core.accounts.labels import clean_label, default_label
from zinc_desktop.core.accounts.model import (
    Account,
    AccountStatus,
    find_account,
    keyring_title,
)
from zinc_desktop.core.accounts.secret_store import SecretStore, usable_key
from zinc_desktop.core.accounts.session_accounts import SessionAccounts
from zinc_desktop.core.accounts.store import AccountStore
from zinc_desktop.core.accounts.verification import Verdict, Verifier
from zinc_desktop.core.foundation.api_key import ApiKey, KeyMatcher
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.core.foundation.errors import (
    InputRefused,
    KeyInInput,
    KeyringConfigError,
    OperationCancelled,
    SecretStoreBusy,
    SecretStoreError,
    SecretStoreLocked,
    SecretStoreTimeout,
    SecretStoreUnavailable,
    UnknownAccount,
    UnusableSecret,
    ZincDesktopError,
)
from zinc_desktop.core.storage.file_lock import LockHold
from zinc_desktop.core.zinc.api import AuthForm

if TYPE_CHECKING:
    from zinc_desktop.core.zinc.client import ZincClient

log = logging.getLogger(__name__)

_KEY_IN_INPUT_ADVICE = {
    "check id": "Paste the id the integration logged when it started the check.",
    "label": "A label is a name for the account; the key goes in the key field.",
    "package id": "See the account's packages: zinc-desktop packages ID.",
}


@dataclass(frozen=True)
class LinkResult:
    """A verdict, and the account it produced or found (None when nothing was linked)."""

    verdict: Verdict
    account: Account | None = None
    already_linked: bool = False


@dataclass
class _KeyringChange:
    """The link lock, held for one change to the keyring; a watcher may take it over."""

    hold: LockHold
    handed_over: bool = False


class LinkService:
    """Links, re-tests, renames and unlinks accounts. Thread-safe; no Qt.

    The keyring is opened on first use (on the caller's thread), so building the service never
    blocks. When no keyring works, `link(session_only=True)` keeps a link in memory only.

    Listing (`accounts()`) reads the metadata file only. Whether each key is still in the
    keyring is learnt by `reconcile()`, one background pass: the first listing of a service
    runs it once (start-up), after that callers run it when they choose.
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
        self._session = SessionAccounts()
        self._notices: list[str] = []
        self._reconciled = False
        self._watchers: list[threading.Thread] = []
        # Accounts whose keyring item is to be named after their label again (a rename), and
        # the one thread that does it, in order, off the caller's thread.
        self._retitle_lock = threading.Lock()
        self._retitle_pending: dict[str, None] = {}
        self._retitler: threading.Thread | None = None

    # --- the keyring -------------------------------------------------------------------------

    def keyring(self) -> SecretStore:
        """The OS keyring store; raises SecretStoreUnavailable, every time, if there is none."""
        with self._keyring_lock:
            if self._keyring is None and self._keyring_problem is None:
                try:
                    self._keyring = self._keyring_factory()
                except SecretStoreUnavailable as problem:
                    self._keyring_problem = problem
                    log.info("keyring backend: %s (%s)", NO_USABLE_KEYRING, problem)
                else:
                    # What a support call asks second (after the versions at the log's top):
                    # the name the user sees, and the class behind it.
                    log.info(
                        "keyring backend: %s",
                        name_and_label(self._keyring.description, self._keyring.backend_label),
                    )
            if self._keyring_problem is not None:
                raise self._keyring_problem
            assert self._keyring is not None
            return self._keyring

    @property
    def session(self) -> SessionAccounts:
        """The session-only accounts (their keys and other secrets in memory)."""
        return self._session

    def keyring_description(self) -> str | None:
        """The keyring in use, as a person reads it; None when there is no usable one."""
        try:
            return self.keyring().description
        except SecretStoreUnavailable:
            return None

    # --- reading -----------------------------------------------------------------------------

    def take_notices(self) -> list[str]:
        """What went wrong quietly (recovered files, a locked keyring), to tell the user once."""
        notices, self._notices = self._notices, []
        return self._accounts.take_notices() + notices

    def accounts(self) -> list[Account]:
        """Every linked account, as the metadata file has it: no keyring call, no write.

        The first call on a service is the start-up listing and runs `reconcile()` once.
        """
        if not self._reconciled:
            return self.reconcile()
        return self._listing()

    def _listing(self) -> list[Account]:
        return self._accounts.all() + self._session.all()

    def reconcile(self) -> list[Account]:
        """Bring each status in line with the keyring, in one pass (keyring_sweep); returns
        every account. A locked or failing keyring leaves the statuses as last known, with a
        notice."""
        self._reconciled = True
        try:
            store = self.keyring()
        except KeyringConfigError as problem:
            self._notices.append(f"{problem} Statuses are shown as last checked.")
            return self._listing()
        except SecretStoreUnavailable:
            return self._listing()
        self._notices.extend(sweep(self._accounts, store))
        return self._listing()

    def key_hints(self) -> tuple[str, ...]:
        """Every linked key's ending (file and session accounts): what an export hides even
        where it stands alone. No keyring call, no write."""
        return tuple(sorted({account.key_hint for account in self._listing()}))

    def find(self, wanted: str) -> Account:
        """The account a person named: exact id, exact label or unique id prefix (find_account)."""
        return find_account(self._listing(), wanted)

    def account(self, account_id: str) -> Account:
        return self._session.get(account_id) or self._accounts.get(account_id)

    def key_matcher(self) -> KeyMatcher:
        """The key matcher over every linked account's key (file and session accounts alike).

        Only keys whose last 4 characters match a suspect are read, on the caller's thread.
        """
        by_hint: dict[str, list[Account]] = {}
        for account in self._listing():
            by_hint.setdefault(account.key_hint, []).append(account)

        def keys_ending_in(hint: str) -> Iterator[ApiKey]:
            for account in by_hint.get(hint, []):
                try:
                    key = self.read_key(account)
                except (SecretStoreUnavailable, UnusableSecret):
                    continue  # no keyring, or not this account's key: nothing to match
                except SecretStoreError as error:
                    raise SecretStoreError(
                        f"{error} It was needed to make sure the text is not one of your keys; "
                        "nothing was sent."
                    ) from None
                if key is not None:
                    yield key

        return KeyMatcher(by_hint, keys_ending_in)

    def refuse_key_in(self, text: str, what: str) -> None:
        """Raise KeyInInput when `text` (a check id, a label, a package id...) holds an API key:
        by its shape, or a linked account's key written with separators (a UUID's dashes, dots,
        spaces). Call it before the text is sent, shown or stored."""
        if self.key_matcher().holds_a_key(text):
            raise KeyInInput(
                f"That {what} holds an API key, so it was not sent, shown or kept. "
                f"{_KEY_IN_INPUT_ADVICE.get(what, '')}".strip()
            )

    def read_key(self, account: Account) -> ApiKey | None:
        """The key the keyring keeps for `account`; None when there is none. UnusableSecret when
        what is kept there is no key, or another key than the one the account was proven with
        (its ending differs): never send another customer's key on this account's behalf."""
        if account.session_only:
            key = self._session.key(account.id)
        else:
            key = self.keyring().get(account.id)
        return _its_own(account, key)

    def read_keys(self, accounts: Sequence[Account]) -> dict[str, ApiKey | UnusableSecret | None]:
        """`read_key` for many accounts, the keyring's in one go (one Secret Service session,
        not one per key). Each id maps to its key, None, or the UnusableSecret `read_key` would
        raise. Raises SecretStoreError when the keyring fails as a whole."""
        stored = [account for account in accounts if not account.session_only]
        found = self.keyring().get_many([account.id for account in stored]) if stored else {}
        keys: dict[str, ApiKey | UnusableSecret | None] = {}
        for account in accounts:
            key = self._session.key(account.id) if account.session_only else found.get(account.id)
            try:
                keys[account.id] = (
                    key if isinstance(key, UnusableSecret) else _its_own(account, key)
                )
            except UnusableSecret as problem:
                keys[account.id] = problem
        return keys

    def key_for(self, account_id: str) -> ApiKey:
        """The account's key, for Copy and for API calls. Raises if the keyring lost it (and
        records that, once: the status the keyring contradicts is settled)."""
        return self._key_of(self.account(account_id))

    def _key_of(self, account: Account) -> ApiKey:
        account_id = account.id
        try:
            key = self.read_key(account)
        except UnusableSecret as problem:
            if not account.secret_unusable or account.last_message != str(problem):
                self.edit(account_id, unusable_secret(str(problem)))
            raise
        if key is None:
            if account.status is AccountStatus.INCOMPLETE:
                raise SecretStoreError(
                    f"Linking {account.label!r} did not finish: its key is not in the keyring. "
                    "Re-enter the key, or unlink the account."
                )
            raise SecretStoreError(
                f"The key of {account.label!r} is missing from the keyring; re-enter it."
            )
        return key

    def client_for(self, account_id: str, cancel: threading.Event | None = None) -> ZincClient:
        """A client with the account's key and its remembered header form (the account is read
        once for both)."""
        account = self.account(account_id)
        return self.verifier.client(
            account.environment,
            self._key_of(account),
            account.auth_form,
            cancel,
            account_id=account_id,
        )

    def remember_auth_form(self, account_id: str, client: ZincClient, used: AuthForm) -> None:
        """Keep the header form Zinc took the key in, when it is not the one `used` (the
        account's, when its client was made): nothing is read or written otherwise."""
        if client.auth_form is not used:
            self.edit(account_id, lambda a: a.with_changes(auth_form=client.auth_form))

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
        """Verify; then, under the link lock: find the account already holding this key, or
        record a new one as `incomplete`, write the key, and complete it.

        A rejected key leaves nothing behind. Once a row is recorded, no failure leaves a key
        that no row shows: a keyring that does not answer in time leaves the row `incomplete`
        (it completes by itself if the keyring answers later), and a keyring that fails has the
        key removed again, then the row.
        """
        if label and label.strip():
            label = clean_label(label, key)
            self.refuse_key_in(label, "label")
        else:
            label = default_label(environment, key)
        if session_only:
            return self._link_for_session(environment, key, label, cancel)
        store = self.keyring()
        verdict = self.verifier.verify(environment, key, cancel=cancel)
        if not verdict.ok:
            log.info("not linked: %s key %s: %s", environment.value, key, verdict.outcome.value)
            return LinkResult(verdict)
        _check_cancel(cancel)
        with self._keyring_change() as change:
            _check_cancel(cancel)
            rows = self._accounts.all()
            existing, holds_key, orphans = self._find_linked(store, environment, key, rows)
            if existing is not None and holds_key:
                updated = self._record_verdict(existing.id, verdict)  # completes an incomplete one
                log.info("key %s already linked as %s", key, existing.id)
                already = existing.status is not AccountStatus.INCOMPLETE
                return LinkResult(verdict, updated, already_linked=already)
            if existing is not None:
                # Its row is there but its key is not: this key completes or restores it.
                result = self._fill(store, change, existing, key, verdict, fresh=False)
                return LinkResult(
                    verdict,
                    result,
                    already_linked=existing.status is AccountStatus.MISSING_SECRET,
                )
            account = new_account(
                self._new_id(rows, orphans), label, key, verdict, AccountStatus.INCOMPLETE
            )
            adopted = self._adopt_orphan(store, orphans, key, account)
            if adopted is not None:
                return LinkResult(verdict, adopted)
            self._accounts.add(account)  # the intent: visible before the key is written
            linked = self._fill(store, change, account, key, verdict, fresh=True)
        log.info("linked %s account %s with key %s", environment.value, account.id, key)
        return LinkResult(verdict, linked)

    def _link_for_session(
        self,
        environment: Environment,
        key: ApiKey,
        label: str,
        cancel: threading.Event | None,
    ) -> LinkResult:
        verdict = self.verifier.verify(environment, key, cancel=cancel)
        if not verdict.ok:
            return LinkResult(verdict)
        _check_cancel(cancel)
        held = self._session.holder(environment, key)
        if held is not None:
            return LinkResult(verdict, held, already_linked=True)
        stored = self._stored_holder(environment, key)
        if stored is not None:
            return LinkResult(verdict, stored, already_linked=True)
        account = new_account(
            self._new_id(self._accounts.all(), set()),
            label,
            key,
            verdict,
            AccountStatus.VERIFIED,
            session_only=True,
        )
        self._session.add(account, key)
        log.info("linked %s account %s for this session only", environment.value, account.id)
        return LinkResult(verdict, account)

    def _stored_holder(self, environment: Environment, key: ApiKey) -> Account | None:
        """A stored account already holding `key`, where a keyring can tell; else None."""
        try:
            store = self.keyring()
            for account in self._accounts.all():
                same = account.environment is environment and account.key_hint == key.hint
                if same and usable_key(store, account.id) == key:
                    return account
        except SecretStoreError:
            pass  # no keyring (the reason for a session-only link): nothing stored to find
        return None

    def replace_key(
        self, account_id: str, key: ApiKey, cancel: threading.Event | None = None
    ) -> LinkResult:
        """Give an account a new key (a customer rotated theirs, or the keyring lost it): proven
        in the account's own environment first, then stored in place of the old one. The id,
        the label and the checks stay; the key ending becomes the new key's.

        A key Zinc does not accept changes nothing (one of the other environment gets the
        wrong-environment verdict). A key another account of the environment holds is refused.
        """
        account = self.account(account_id)
        verdict = self.verifier.verify(account.environment, key, account.auth_form, cancel)
        if not verdict.ok:
            return LinkResult(verdict)
        _check_cancel(cancel)
        if account.session_only:
            other = self._session.holder(account.environment, key, besides=account_id)
            if other is not None:
                raise _held_elsewhere(account, other)
            self._session.replace_key(account_id, key)
            return LinkResult(verdict, self._record_verdict(account_id, verdict, key.hint))
        store = self.keyring()
        with self._keyring_change() as change:
            current = self._accounts.get(account_id)  # as it is now, under the lock
            for other in self._accounts.all():
                same = other.environment is current.environment and other.key_hint == key.hint
                if same and other.id != account_id and usable_key(store, other.id) == key:
                    raise _held_elsewhere(current, other)
            return LinkResult(
                verdict, self._fill(store, change, current, key, verdict, fresh=False)
            )

    def rename(self, account_id: str, label: str) -> Account:
        """A new label; the keyring item's name follows it in the background (`settle()`
        waits for it), so a slow or locked keyring never holds up a rename."""
        text = clean_label(label)
        self.refuse_key_in(text, "label")
        renamed = self.edit(account_id, lambda a: a.with_changes(label=text))
        if not renamed.session_only:
            self._retitle_later(account_id)
        return renamed

    def unlink(self, account_id: str) -> Account:
        """Remove the key first, then the metadata: a failure never leaves an invisible secret.

        A keyring that does not answer in time keeps the account; it is removed once the
        keyring has answered and the key is gone.
        """
        account = self.account(account_id)
        self.verifier.pool.close(account_id)  # its connections go with it
        if account.session_only:
            self._session.remove(account_id)
            return account
        store = self.keyring()
        with self._keyring_change() as change:
            account = self._accounts.get(account_id)
            try:
                store.delete(account_id)  # its signing token with it
            except SecretStoreTimeout as error:
                late = error  # `error` itself is unbound when this block ends

                def finish() -> None:
                    if late.ended_well():  # the key is gone now: so goes the account
                        with contextlib.suppress(UnknownAccount):
                            self._accounts.remove(account_id)

                self._finish_later(change, error, finish)
                raise SecretStoreTimeout(
                    f"{error} {account.label!r} is kept for now: it goes once the keyring "
                    "answers while zinc-desktop is open; otherwise unlink it again.",
                    error.finished,
                ) from None
            removed = self._accounts.remove(account_id)
        log.info("unlinked %s account %s", account.environment.value, account_id)
        return removed

    def remove_orphaned_key(self, account_id: str) -> None:
        """Delete a key that the keyring holds under `account_id` when no account shows it."""
        store = self.keyring()
        with self._keyring_change():
            if any(account.id == account_id for account in self._accounts.all()):
                raise InputRefused(f"Account {account_id!r} exists: unlink it instead.")
            store.delete(account_id)

    def settle(self, timeout: float | None = None) -> bool:
        """Wait until no keyring request that ran past its deadline is still being watched,
        and every keyring item a rename asked for is named."""
        for watcher in list(self._watchers):
            watcher.join(timeout)
            if watcher.is_alive():
                return False
        return True

    # --- internals ---------------------------------------------------------------------------

    def _retitle_later(self, account_id: str) -> None:
        """Name the account's keyring item after its label as it is when the turn comes."""
        with self._retitle_lock:
            self._retitle_pending[account_id] = None
            if self._retitler is not None:
                return  # the running thread takes it
            thread = threading.Thread(
                target=self._retitle_pending_items, name="keyring: item names", daemon=True
            )
            self._retitler = thread
            self._watchers = [w for w in self._watchers if w.is_alive()] + [thread]
        thread.start()

    def _retitle_pending_items(self) -> None:
        while True:
            with self._retitle_lock:
                if not self._retitle_pending:
                    self._retitler = None
                    return
                account_id = next(iter(self._retitle_pending))
                del self._retitle_pending[account_id]
            try:
                store = self.keyring()
                if not store.names_items:
                    continue  # macOS, Windows, memory: nothing to rename, no lock to take
                # Under the link lock: a key being written now is named first, then renamed.
                with self._keyring_change():
                    store.retitle(account_id, keyring_title(self._accounts.get(account_id)))
            except UnknownAccount:
                continue  # unlinked meanwhile: its item went with it
            except ZincDesktopError as problem:
                log.warning(
                    "the keyring item of account %s keeps its old name: %s", account_id, problem
                )
            except Exception:  # a thread of its own: log, and go on with the rest
                log.exception("naming the keyring item of account %s", account_id)

    def _retitle_quietly(self, store: SecretStore, account: Account) -> None:
        """Name an item that is already there (adopted); a failure only leaves its old name."""
        try:
            store.retitle(account.id, keyring_title(account))
        except SecretStoreError as problem:
            log.warning(
                "the keyring item of account %s keeps its old name: %s", account.id, problem
            )

    @contextlib.contextmanager
    def _keyring_change(self) -> Iterator[_KeyringChange]:
        change = _KeyringChange(self._accounts.link_lock.acquire())
        try:
            yield change
        finally:
            if not change.handed_over:
                change.hold.release()

    def _finish_later(
        self, change: _KeyringChange, error: SecretStoreTimeout, finish: Callable[[], None]
    ) -> None:
        """Keep the link lock until the keyring request that ran out of time really ends, then
        run `finish`: no other link or unlink, here or in another process, acts on an account
        while a keyring write for it may still land."""
        change.handed_over = True

        def watch() -> None:
            try:
                error.finished.wait()
                finish()
            except ZincDesktopError as problem:
                log.warning("after a late keyring answer: %s", problem)
            except Exception:  # a thread of its own: log, and let go of the lock
                log.exception("after a late keyring answer")
            finally:
                change.hold.release()

        watcher = threading.Thread(target=watch, name="keyring: late answer", daemon=True)
        self._watchers = [w for w in self._watchers if w.is_alive()] + [watcher]
        watcher.start()

    def _fill(
        self,
        store: SecretStore,
        change: _KeyringChange,
        account: Account,
        key: ApiKey,
        verdict: Verdict,
        *,
        fresh: bool,
    ) -> Account:
        """Write `key` for the recorded `account`, then record the verdict (completing it).

        `fresh`: the row was recorded just now for a new id, so nothing else can ever land
        under that id and a failed write may take the row away again.
        """
        try:
            # Named with the new key's ending known (a replaced key's differs from the row's).
            store.put(account.id, key, keyring_title(account.with_changes(key_hint=key.hint)))
        except SecretStoreTimeout as error:

            def finish() -> None:
                if usable_key(store, account.id) == key:
                    self._record_verdict(account.id, verdict, key.hint)

            self._finish_later(change, error, finish)
            raise SecretStoreTimeout(
                f"{error} {account.label!r} is listed as “{AccountStatus.INCOMPLETE.label}” and "
                "completes by itself if the keyring answers; otherwise re-enter the key, or "
                "unlink it.",
                error.finished,
            ) from None
        except (SecretStoreBusy, SecretStoreLocked):
            if fresh:  # the write never started, or a locked keyring refused it: nothing held
                self._accounts.remove(account.id)
            raise
        except SecretStoreError as error:
            if not fresh or self._take_back(store, account.id):
                raise
            said = str(error) if str(error).endswith((".", "!", "?")) else f"{error}."
            raise SecretStoreError(
                f"{said} {account.label!r} stays listed as “{AccountStatus.INCOMPLETE.label}” "
                "because the keyring could not be asked to remove what it may hold: re-enter "
                "the key once the keyring works, or unlink it."
            ) from None
        return self._record_verdict(account.id, verdict, key.hint)

    def _take_back(self, store: SecretStore, account_id: str) -> bool:
        """A write that failed may still have left something: remove it, then the row.
        False when the keyring would not delete, so the row stays (incomplete)."""
        try:
            store.delete(account_id)
        except SecretStoreError as error:
            log.warning("account %s stays incomplete: %s", account_id, error)
            return False
        self._accounts.remove(account_id)
        return True

    def _find_linked(
        self, store: SecretStore, environment: Environment, key: ApiKey, rows: list[Account]
    ) -> tuple[Account | None, bool, set[str]]:
        """The account already holding `key` in `environment` (same hint, then same secret);
        else one of that environment with the same hint and no key at all, incomplete first.
        Also the ids of keys in the keyring that no row shows, where the keyring can say."""
        shells: list[Account] = []
        for account in rows:
            if account.environment is not environment or account.key_hint != key.hint:
                continue
            held = usable_key(store, account.id)
            if held == key:
                return account, True, set()
            if held is None and not account.status.claims_secret:
                shells.append(account)
        try:
            listed = store.account_ids()
        except SecretStoreError:
            listed = None  # writing will say what is wrong with the keyring
        orphans = (listed or set()) - {account.id for account in rows}
        if shells:
            shells.sort(key=lambda a: (a.status is not AccountStatus.INCOMPLETE, a.linked_at))
            return shells[0], False, orphans
        return None, False, orphans

    def _adopt_orphan(
        self, store: SecretStore, orphans: set[str], key: ApiKey, account: Account
    ) -> Account | None:
        """A key already in the keyring under an id no row shows: give it its row back."""
        for orphan in sorted(orphans):
            if usable_key(store, orphan) == key:
                adopted = account.with_changes(id=orphan, status=AccountStatus.VERIFIED)
                self._accounts.add(adopted)
                log.info("key %s found in the keyring as %s: its account is back", key, orphan)
                self._retitle_quietly(store, adopted)
                return adopted
        return None

    def _record_verdict(
        self, account_id: str, verdict: Verdict, hint: str | None = None
    ) -> Account:
        """The verdict, on the account; `hint`: the ending of the key it now holds (replaced)."""
        return self.edit(account_id, verdict_edit(verdict, hint))

    def edit(self, account_id: str, edit: Edit) -> Account:
        """The account changed by `edit`, kept where it lives (the file, or the session)."""
        changed = self._session.edit(account_id, edit)
        return changed if changed is not None else self._accounts.change(account_id, edit)

    def apply_edits(self, edits: Mapping[str, Edit]) -> None:
        """Many edits at once: the file's in one write (accounts unlinked meanwhile skipped)."""
        in_file = {}
        for account_id, edit in edits.items():
            if self._session.edit(account_id, edit) is None:
                in_file[account_id] = edit
        with contextlib.suppress(UnknownAccount):
            self._accounts.apply(in_file)

    def _new_id(self, rows: list[Account], orphans: set[str]) -> str:
        taken = {account.id for account in rows} | self._session.ids() | orphans
        while True:
            candidate = secrets.token_hex(4)
            if candidate not in taken:
                return candidate


def _its_own(account: Account, key: ApiKey | None) -> ApiKey | None:
    """`key` if it is the one `account` was proven with (same ending); UnusableSecret if it is
    another: never send another customer's key on this account's behalf."""
    if key is not None and key.hint != account.key_hint:
        raise UnusableSecret(
            f"The keyring holds a different key for {account.label!r} (ending in "
            f"{key.hint}, where the account's ends in {account.key_hint}): changed in a "
            "passwords app or by another program. It was not used; replace the key to "
            "restore the account."
        )
    return key


def _held_elsewhere(account: Account, other: Account) -> InputRefused:
    return InputRefused(
        f"This key is already linked in {account.environment.display_name} as {other.label!r}; "
        "one key belongs to one account. Unlink one of them."
    )


def _check_cancel(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise OperationCancelled("Cancelled before anything was stored.")
