"""Keeps keys in the OS keyring, and nowhere else; a memory store for session-only links."""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol, TypeVar, cast

from zinc_desktop.core.accounts.keyring_backends import (
    SECRET_SERVICE_BACKEND,
    keyring_backend_label,
    keyring_backend_name,
    keyring_class_name,
    name_and_label,
)
from zinc_desktop.core.accounts.secret_service_bus import (
    CollectionLocked,
    ItemQuery,
    SecretServiceBus,
)
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.errors import (
    KeyFormatError,
    KeyringConfigError,
    SecretStoreBusy,
    SecretStoreError,
    SecretStoreLocked,
    SecretStoreTimeout,
    SecretStoreUnavailable,
    UnusableSecret,
)

T = TypeVar("T")
log = logging.getLogger(__name__)

DEFAULT_DEADLINE = 10.0
NO_KEYRING_HELP = (
    "On Linux install and run a Secret Service (for example `apt install gnome-keyring`, inside a "
    "desktop session or `dbus-run-session`); macOS and Windows use the system keychain."
)


class SecretStore(Protocol):
    """Where proven keys are kept, by account id (never by any part of the key)."""

    @property
    def description(self) -> str:
        """Where keys are kept, as a person names it ("macOS Keychain")."""

    @property
    def backend_label(self) -> str:
        """What keeps them, as a support call needs it ("keyring.backends.macOS.Keyring")."""

    @property
    def session_only(self) -> bool: ...

    @property
    def names_items(self) -> bool:
        """Whether `put` and `retitle` give the item a name a passwords app shows."""

    def get(self, account_id: str) -> ApiKey | None:
        """The key kept for `account_id`, None when there is none; UnusableSecret when what is
        kept there is not a key."""

    def put(self, account_id: str, key: ApiKey, title: str | None = None) -> None:
        """Keep `key` for `account_id`. `title` (the account as a person knows it, never any
        part of a key: accounts.keyring_title) names the item where the keyring shows names."""

    def retitle(self, account_id: str, title: str) -> None:
        """Name the item kept for `account_id` after `title` where the keyring shows names (the
        Secret Service); nothing elsewhere, and nothing when there is no such item."""

    def delete(self, account_id: str) -> None:
        """Forget an item; an account id's other secrets (`with_its_secrets`) go with its key,
        in the same call: none is ever left behind by an unlink that half happened."""

    def get_text(self, item: str) -> str | None:
        """Another secret kept beside the keys (a webhook signing token: `token_item`)."""

    def put_text(self, item: str, value: str, title: str | None = None) -> None:
        """Keep another secret beside the keys, under `item` (never a key: `put` is for keys)."""

    def get_many(self, account_ids: Sequence[str]) -> dict[str, ApiKey | UnusableSecret | None]:
        """Many keys at once (`get` each, unless the keyring can do better)."""
        ...

    def account_ids(self) -> set[str] | None:
        """Every account id holding an item, in one call and without reading any secret.

        None when the backend cannot enumerate; then presence is learnt one `get` at a time.
        """


# Other secrets an account has are kept beside its key, under its id and a suffix no account id
# holds (ids are hex: LinkService._new_id), so listing the accounts' items skips them.
_OTHER_SECRET = ":"  # noqa: S105  # a separator, not a secret


def token_item(account_id: str) -> str:
    """Where an account's webhook signing token is kept: beside its key, never mistaken for one."""
    return f"{account_id}{_OTHER_SECRET}webhook-token"


def with_its_secrets(item: str) -> tuple[str, ...]:
    """What deleting `item` removes: an account's key and its other secrets, or the one item."""
    return (item, token_item(item)) if is_key_item(item) else (item,)


def is_key_item(name: str) -> bool:
    """Whether a keyring item's name is an account id (its key), not another secret."""
    return _OTHER_SECRET not in name


UNUSABLE_KEYRING_ITEM = (
    "The keyring holds something for this account that is not a Zinc key (changed in a "
    "passwords app, or by another program). Re-enter the key to restore the account."
)


def usable_key(store: SecretStore, account_id: str) -> ApiKey | None:
    """The key kept for `account_id`, or None when there is none or what is there is no key:
    for callers that only ask "is this key kept here?"."""
    try:
        return store.get(account_id)
    except UnusableSecret:
        return None


class MemorySecretStore:
    """Session-only: keys live in this process's memory and are gone when it exits."""

    description = "memory only (this session)"
    backend_label = "zinc-desktop's session memory"
    session_only = True
    names_items = False

    def __init__(self) -> None:
        self._keys: dict[str, str] = {}
        self._lock = threading.Lock()

    def get(self, account_id: str) -> ApiKey | None:
        with self._lock:
            value = self._keys.get(account_id)
        return ApiKey(value) if value is not None else None

    def put(self, account_id: str, key: ApiKey, title: str | None = None) -> None:
        with self._lock:
            self._keys[account_id] = key.reveal()

    def get_text(self, item: str) -> str | None:
        with self._lock:
            return self._keys.get(item)

    def put_text(self, item: str, value: str, title: str | None = None) -> None:
        with self._lock:
            self._keys[item] = value

    def retitle(self, account_id: str, title: str) -> None:
        """Nothing: memory has no passwords app to show names in."""

    def delete(self, account_id: str) -> None:
        with self._lock:
            for item in with_its_secrets(account_id):
                self._keys.pop(item, None)

    def account_ids(self) -> set[str] | None:
        with self._lock:
            return {name for name in self._keys if is_key_item(name)}

    def get_many(self, account_ids: Sequence[str]) -> dict[str, ApiKey | UnusableSecret | None]:
        return {account_id: self.get(account_id) for account_id in account_ids}


def resolve_keyring_backend(environ: Mapping[str, str]) -> Any:
    """keyring's own choice of backend, with PYTHON_KEYRING_BACKEND (from `environ`) first.

    A backend that cannot be loaded is a KeyringConfigError naming the variable and what keyring
    said, instead of a traceback from deep inside keyring.
    """
    import keyring
    from keyring import core
    from keyring.util import platform_

    name = environ.get("PYTHON_KEYRING_BACKEND", "").strip()
    if name:
        try:
            return core.load_keyring(name)
        except Exception as error:  # noqa: BLE001  # keyring raises anything a plugin raises
            raise KeyringConfigError(
                f"PYTHON_KEYRING_BACKEND={name!r} cannot be used: keyring said "
                f"{type(error).__name__}: {error or 'no detail'}. Unset it to let keyring choose, "
                "or name a backend class such as keyring.backends.SecretService.Keyring."
            ) from None
    try:
        return keyring.get_keyring()
    except Exception as error:  # noqa: BLE001
        raise KeyringConfigError(
            f"keyring could not load the backend its configuration names: "
            f"{type(error).__name__}: {error or 'no detail'}. Check keyringrc.cfg in "
            f"{platform_.config_root()}, or set PYTHON_KEYRING_BACKEND."
        ) from None


def _keeps_secrets_in_a_file(backend: object) -> bool:
    # keyring's file-based alternatives all carry a file_path; none of them is acceptable.
    if getattr(backend, "file_path", None):
        return True
    return any(_keeps_secrets_in_a_file(inner) for inner in getattr(backend, "backends", ()) or ())


def _check_backend(backend: object) -> None:
    from keyring.backends import fail

    label = keyring_backend_label(backend)
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
        raise SecretStoreUnavailable(
            f"No usable OS keyring was found (keyring chose {label}). {NO_KEYRING_HELP}"
        )
    if _keeps_secrets_in_a_file(backend):
        raise SecretStoreUnavailable(
            f"The keyring backend {label} keeps secrets in a file; zinc-desktop refuses it. "
            f"{NO_KEYRING_HELP}"
        )


class KeyringSecretStore:
    """The OS keyring through `keyring`, one call at a time, each with a deadline.

    A locked keyring waiting on a prompt, or a hung D-Bus, ends in SecretStoreError instead of
    freezing the caller.

    Items are found by service and username (the account id), as keyring finds them. On the
    Secret Service (also as one of keyring's chained backends) each item is named
    `<title_prefix>: <title>` (`zinc-desktop: Acme (Staging)`) in place of keyring's
    "Password for '<id>' on '<service>'", so a passwords app shows whose key it is. keyring
    names items nowhere else (macOS Keychain, Windows Credential Manager): there they keep the
    name keyring gives them.
    """

    session_only = False

    def __init__(
        self,
        service: str,
        *,
        backend: Any | None = None,
        resolve_later: Callable[[], Any] | None = None,
        deadline: float = DEFAULT_DEADLINE,
        title_prefix: str = "zinc-desktop",
    ) -> None:
        """`backend`, or keyring's choice now; or, with `resolve_later`, keyring's choice is
        known to be its Secret Service backend with its defaults (secret_service_bus), and is
        loaded by `resolve_later` at the first key read or written: listing which accounts hold
        a key needs only D-Bus, not keyring, secretstorage and cryptography."""
        self._service = service
        self._title_prefix = title_prefix
        self._deadline = deadline
        self._lock = threading.Lock()
        # The last call that ran past its deadline: its "done" event and when it began.
        self._unanswered: tuple[threading.Event, float] | None = None
        self._bus = SecretServiceBus(deadline)
        self._resolve_later = resolve_later
        self._resolving = threading.Lock()
        self._resolved: Any | None = None
        # Named once, here or where it is loaded: naming a chainer asks its backends (D-Bus).
        self._named = (keyring_class_name(SECRET_SERVICE_BACKEND), SECRET_SERVICE_BACKEND)
        if resolve_later is None:
            if backend is None:
                import keyring

                backend = keyring.get_keyring()
            _check_backend(backend)
            self._keep(backend)

    def _keep(self, backend: Any) -> None:
        self._named = (keyring_backend_name(backend), keyring_backend_label(backend))
        self._resolved = backend

    @property
    def _backend(self) -> Any:
        """keyring's backend, loaded now if it was left for later."""
        with self._resolving:
            if self._resolved is None:
                assert self._resolve_later is not None
                backend = self._resolve_later()
                _check_backend(backend)  # unusable: said again at every call, never kept
                self._keep(backend)
                if not self._is_secret_service():
                    log.warning(
                        "keyring chose %s where the Secret Service was expected",
                        name_and_label(*self._named),
                    )
            return self._resolved

    @property
    def description(self) -> str:
        return self._named[0]

    @property
    def backend_label(self) -> str:
        return self._named[1]

    @property
    def service(self) -> str:
        """The keyring service name the keys are kept under."""
        return self._service

    @property
    def names_items(self) -> bool:
        return self._resolved is None or bool(self._secret_service_backends())

    @property
    def title_prefix(self) -> str:
        """What every item's name starts with, before `: <title>`."""
        return self._title_prefix

    def get_text(self, item: str) -> str | None:
        value = self._run("read a secret", lambda: self._backend.get_password(self._service, item))
        return value if isinstance(value, str) else None

    def put_text(self, item: str, value: str, title: str | None = None) -> None:
        label = self._item_label(title)

        def store() -> None:
            self._backend.set_password(self._service, item, value)
            if label is not None:
                self._name_after_writing(item, label)

        self._run("store a secret", store)
        if self.get_text(item) != value:
            raise SecretStoreError(
                f"The keyring ({self.description}) accepted the secret but does not return it."
            )

    def get(self, account_id: str) -> ApiKey | None:
        value = self._run(
            "read a key", lambda: self._backend.get_password(self._service, account_id)
        )
        if value is None:
            return None
        try:
            return ApiKey.parse(value)
        except KeyFormatError:
            raise UnusableSecret(UNUSABLE_KEYRING_ITEM) from None

    def put(self, account_id: str, key: ApiKey, title: str | None = None) -> None:
        label = self._item_label(title)
        if label is not None and (key.found_in(label) or key.hint in label.casefold()):
            label = None  # never a name with any of the key in it: keyring's own name instead

        def store() -> None:
            self._backend.set_password(self._service, account_id, key.reveal())
            if label is not None:
                self._name_after_writing(account_id, label)

        self._run("store a key", store)
        if usable_key(self, account_id) != key:
            raise SecretStoreError(
                f"The keyring ({self.description}) accepted the key but does not return it; "
                "nothing was linked."
            )

    def retitle(self, account_id: str, title: str) -> None:
        """Rename the account's item on the Secret Service (without unlocking anything: a
        locked collection is SecretStoreLocked); nothing on other backends."""
        label = self._item_label(title)
        if label is None or not self.names_items:
            return
        self._run("rename a keyring entry", lambda: self._relabel(account_id, label))

    def _item_label(self, title: str | None) -> str | None:
        if title is None or not title.strip():
            return None
        return f"{self._title_prefix}: {' '.join(title.split())}"

    def _name_after_writing(self, account_id: str, label: str) -> None:
        """Name the item just written; a failure leaves keyring's own name, and the key kept."""
        try:
            self._relabel(account_id, label)
        except Exception as error:  # noqa: BLE001  # the key is kept either way
            log.warning(
                "the keyring item of account %s keeps keyring's own name (%s)",
                account_id,
                type(error).__name__,
            )

    def _secret_service_backends(self) -> list[Any]:
        """The Secret Service backends keys go to: this one, or those keyring chains."""
        # Looked up, not imported (see account_ids): any Secret Service backend has loaded it.
        secret_service = sys.modules.get("keyring.backends.SecretService")
        if secret_service is None:
            return []
        chainer = sys.modules.get("keyring.backends.chainer")
        backends = [self._backend]
        if chainer is not None and isinstance(self._backend, chainer.ChainerBackend):
            backends = list(self._backend.backends)
        return [backend for backend in backends if isinstance(backend, secret_service.Keyring)]

    def _relabel(self, account_id: str, label: str) -> None:
        """Set `label` on the items keyring would find for `account_id` (its own query: the
        same attributes, so keyring.get_password still finds them), without unlocking."""
        import secretstorage

        for backend in self._secret_service_backends():
            connection = secretstorage.dbus_init()
            try:
                collection = self._unlocked_collection(backend, connection)
                for item in collection.search_items(backend._query(self._service, account_id)):
                    if item.get_label() != label:
                        item.set_label(label)
            finally:
                connection.close()

    @staticmethod
    def _unlocked_collection(backend: Any, connection: Any) -> Any:
        """The collection keyring keeps its items in; KeyringLocked, never a prompt, when it is
        locked."""
        import secretstorage
        from keyring.errors import KeyringLocked

        if hasattr(backend, "preferred_collection"):
            collection = secretstorage.Collection(connection, backend.preferred_collection)
        else:
            collection = secretstorage.get_default_collection(connection)
        if collection.is_locked():
            # Attributes of a locked collection may be hashed or hidden: never trust them.
            raise KeyringLocked("the collection is locked")
        return collection

    def get_many(self, account_ids: Sequence[str]) -> dict[str, ApiKey | UnusableSecret | None]:
        """Many keys at once: on the Secret Service in one session (one D-Bus connection, one
        encrypted session, one `GetSecrets` call for every item), elsewhere one `get` each.
        Each id maps to its key, None (no item), or UnusableSecret (an item that holds no
        key). A keyring that fails as a whole raises, as `get` does; a locked one is read a
        key at a time (`get` asks to unlock it, as before)."""
        wanted = list(dict.fromkeys(account_ids))
        if wanted and self._is_secret_service():
            bulk = self._run("read keys", lambda: self._secret_service_secrets(wanted))
            if bulk is not None:
                return {account_id: _as_key(bulk.get(account_id)) for account_id in wanted}
        return {account_id: self._get_or_unusable(account_id) for account_id in wanted}

    def _get_or_unusable(self, account_id: str) -> ApiKey | UnusableSecret | None:
        try:
            return self.get(account_id)
        except UnusableSecret as problem:
            return problem

    def _is_secret_service(self) -> bool:
        """keyring's Secret Service backend, loaded or (left for later) known to be chosen."""
        if self._resolved is None:
            return True
        # Looked up, not imported: importing it loads secretstorage and cryptography (about
        # 10 MB), and a Secret Service backend has always loaded its own module already.
        secret_service = sys.modules.get("keyring.backends.SecretService")
        return secret_service is not None and isinstance(self._resolved, secret_service.Keyring)

    def _item_query(self) -> ItemQuery:
        """Where keyring keeps our items: its defaults until it is loaded, then its settings."""
        backend = self._resolved
        if backend is None:
            return ItemQuery(self._service)
        scheme = backend.schemes[backend.scheme]
        return ItemQuery(
            self._service,
            getattr(backend, "preferred_collection", None),
            scheme["service"],
            scheme["username"],
        )

    def _secret_service_secrets(self, account_ids: list[str]) -> dict[str, bytes] | None:
        """Each wanted id's secret as bytes, read in one session with one GetSecrets call;
        None when the collection is locked (nothing is unlocked here)."""
        import secretstorage
        from secretstorage.defines import SS_PATH
        from secretstorage.util import SERVICE_IFACE, DBusAddressWrapper, open_session

        try:
            items = self._bus.items(self._item_query())
        except CollectionLocked:
            return None
        paths = {i: items[i] for i in account_ids if i in items}
        if not paths:
            return {}
        connection = secretstorage.dbus_init()
        try:
            session = open_session(connection)
            service = DBusAddressWrapper(SS_PATH, SERVICE_IFACE, connection)
            (found,) = service.call("GetSecrets", "aoo", list(paths.values()), session.object_path)
        finally:
            connection.close()
        by_path = {path: _decrypted(session, secret) for path, secret in found.items()}
        return {account_id: by_path[path] for account_id, path in paths.items() if path in by_path}

    def delete(self, account_id: str) -> None:
        from keyring.errors import PasswordDeleteError

        def delete() -> None:
            for item in with_its_secrets(account_id):
                with contextlib.suppress(PasswordDeleteError):  # already gone: as wanted
                    self._backend.delete_password(self._service, item)

        self._run("delete a key", delete)

    def account_ids(self) -> set[str] | None:
        """One enumeration where the backend offers it (Secret Service); None elsewhere.

        Never unlocks anything and never decrypts a secret: a locked collection is reported as
        locked, so a background pass never raises a password prompt.
        """
        if not self._is_secret_service():
            return None
        return self._run("list its keys", self._key_items)

    def _key_items(self) -> set[str]:
        return {name for name in self._bus.items(self._item_query()) if is_key_item(name)}

    def _take_turn(self) -> None:
        """Wait for the calls before this one, up to the deadline; fail at once while a call
        that ran out of time is still unanswered (a frozen or locked keyring answers nothing,
        and waiting another deadline per call only makes a re-test of many accounts crawl)."""
        give_up = time.monotonic() + self._deadline
        while not self._lock.acquire(timeout=0.1):
            unanswered = self._unanswered
            if unanswered is not None and not unanswered[0].is_set():
                waited = time.monotonic() - unanswered[1]
                raise SecretStoreBusy(
                    f"The keyring ({self.description}) has not answered a request made "
                    f"{waited:.0f} s ago: it may be locked and waiting for a password, or not "
                    "responding. Unlock it (or restart it) and try again."
                )
            if time.monotonic() > give_up:
                raise SecretStoreBusy(
                    f"The keyring ({self.description}) was busy with other requests for "
                    f"{self._deadline:g} s; try again."
                )

    def _run(self, what: str, call: Callable[[], T]) -> T:
        self._take_turn()
        started = time.monotonic()
        outcome: dict[str, Any] = {}
        done = threading.Event()

        def target() -> None:
            try:
                outcome["value"] = call()
            except BaseException as error:  # noqa: BLE001  # handed over to the caller's thread
                outcome["error"] = error
            finally:
                done.set()
                self._lock.release()

        threading.Thread(target=target, name=f"keyring: {what}", daemon=True).start()
        if not done.wait(self._deadline):
            self._unanswered = (done, started)
            raise SecretStoreTimeout(
                f"The keyring ({self.description}) did not answer within {self._deadline:g} s "
                f"while trying to {what}. It may be locked and waiting for a password; "
                "unlock it and try again.",
                done,
                outcome,
            )
        error = outcome.get("error")
        if isinstance(error, SecretStoreError):
            raise error  # already ours, and said as it should be
        # Looked up, not imported: keyring is loaded only once a key is read or written.
        keyring_errors = sys.modules.get("keyring.errors")
        if isinstance(error, CollectionLocked) or (
            keyring_errors is not None and isinstance(error, keyring_errors.KeyringLocked)
        ):
            raise SecretStoreLocked(
                f"The keyring ({self.description}) is locked. Unlock it (log in again, or open "
                "your passwords app) and try again."
            ) from None
        if isinstance(error, Exception):
            raise SecretStoreError(
                f"The keyring ({self.description}) failed to {what}: "
                f"{type(error).__name__}: {error}"
            ) from None
        if error is not None:
            raise error
        return cast(T, outcome.get("value"))


def _decrypted(session: Any, secret: Any) -> bytes:
    """A Secret Service secret struct (session, parameters, value, content type) as bytes,
    decrypted with the session's AES key as secretstorage's own Item.get_secret does."""
    if not session.encrypted:
        return bytes(secret[2])
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    decryptor = Cipher(algorithms.AES(session.aes_key), modes.CBC(bytes(secret[1]))).decryptor()
    padded = decryptor.update(bytes(secret[2])) + decryptor.finalize()
    return padded[: -padded[-1]] if padded else padded


def _as_key(secret: bytes | None) -> ApiKey | UnusableSecret | None:
    if secret is None:
        return None
    try:
        return ApiKey.parse(secret.decode("utf-8"))
    except (KeyFormatError, UnicodeDecodeError):
        return UnusableSecret(UNUSABLE_KEYRING_ITEM)
