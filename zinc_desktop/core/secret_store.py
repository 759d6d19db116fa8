"""Keeps keys in the OS keyring, and nowhere else; a memory store for session-only links."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any, Protocol, TypeVar, cast

from zinc_desktop.core.api_key import ApiKey
from zinc_desktop.core.errors import KeyFormatError, SecretStoreError, SecretStoreUnavailable

T = TypeVar("T")

DEFAULT_DEADLINE = 10.0
_FRIENDLY_BACKENDS = {
    "SecretService": "Secret Service (GNOME Keyring, KWallet)",
    "kwallet": "KWallet",
    "macOS": "macOS Keychain",
    "Windows": "Windows Credential Manager",
    "libsecret": "libsecret (Secret Service)",
}
NO_KEYRING_HELP = (
    "On Linux install and run a Secret Service (for example `apt install gnome-keyring`, inside a "
    "desktop session or `dbus-run-session`); macOS and Windows use the system keychain."
)


class SecretStore(Protocol):
    """Where proven keys are kept, by account id (never by any part of the key)."""

    @property
    def description(self) -> str: ...

    @property
    def session_only(self) -> bool: ...

    def get(self, account_id: str) -> ApiKey | None: ...

    def put(self, account_id: str, key: ApiKey) -> None: ...

    def delete(self, account_id: str) -> None: ...


class MemorySecretStore:
    """Session-only: keys live in this process's memory and are gone when it exits."""

    description = "memory only (this session)"
    session_only = True

    def __init__(self) -> None:
        self._keys: dict[str, str] = {}
        self._lock = threading.Lock()

    def get(self, account_id: str) -> ApiKey | None:
        with self._lock:
            value = self._keys.get(account_id)
        return ApiKey(value) if value is not None else None

    def put(self, account_id: str, key: ApiKey) -> None:
        with self._lock:
            self._keys[account_id] = key.reveal()

    def delete(self, account_id: str) -> None:
        with self._lock:
            self._keys.pop(account_id, None)


def _backend_label(backend: object) -> str:
    module = type(backend).__module__
    for marker, label in _FRIENDLY_BACKENDS.items():
        if marker in module:
            return label
    return f"{module}.{type(backend).__name__}"


def _keeps_secrets_in_a_file(backend: object) -> bool:
    # keyring's file-based alternatives all carry a file_path; none of them is acceptable.
    if getattr(backend, "file_path", None):
        return True
    return any(_keeps_secrets_in_a_file(inner) for inner in getattr(backend, "backends", ()) or ())


class KeyringSecretStore:
    """The OS keyring through `keyring`, one call at a time, each with a deadline.

    A locked keyring waiting on a prompt, or a hung D-Bus, ends in SecretStoreError instead of
    freezing the caller.
    """

    session_only = False

    def __init__(
        self,
        service: str,
        *,
        backend: Any | None = None,
        deadline: float = DEFAULT_DEADLINE,
    ) -> None:
        import keyring

        self._service = service
        self._deadline = deadline
        self._lock = threading.Lock()
        self._backend = backend if backend is not None else keyring.get_keyring()
        self._check_backend()

    @property
    def description(self) -> str:
        return _backend_label(self._backend)

    def _check_backend(self) -> None:
        from keyring.backends import fail

        label = _backend_label(self._backend)
        if isinstance(self._backend, fail.Keyring) or getattr(self._backend, "priority", 1) <= 0:
            raise SecretStoreUnavailable(
                f"No usable OS keyring was found (keyring chose {label}). {NO_KEYRING_HELP}"
            )
        if _keeps_secrets_in_a_file(self._backend):
            raise SecretStoreUnavailable(
                f"The keyring backend {label} keeps secrets in a file; zinc-desktop refuses it. "
                f"{NO_KEYRING_HELP}"
            )

    def get(self, account_id: str) -> ApiKey | None:
        value = self._run("read", lambda: self._backend.get_password(self._service, account_id))
        if value is None:
            return None
        try:
            return ApiKey.parse(value)
        except KeyFormatError:
            return None  # something else sits under our name; treat as missing

    def put(self, account_id: str, key: ApiKey) -> None:
        self._run(
            "store", lambda: self._backend.set_password(self._service, account_id, key.reveal())
        )
        if self.get(account_id) != key:
            raise SecretStoreError(
                f"The keyring ({self.description}) accepted the key but does not return it; "
                "nothing was linked."
            )

    def delete(self, account_id: str) -> None:
        from keyring.errors import PasswordDeleteError

        def delete() -> None:
            with contextlib.suppress(PasswordDeleteError):  # already gone is what we wanted
                self._backend.delete_password(self._service, account_id)

        self._run("delete", delete)

    def _run(self, what: str, call: Callable[[], T]) -> T:
        from keyring.errors import KeyringLocked

        if not self._lock.acquire(timeout=self._deadline):
            raise SecretStoreError(
                f"The keyring ({self.description}) is still busy with an earlier request that "
                "never finished; it may be locked. Unlock it and try again."
            )
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

        threading.Thread(target=target, name=f"keyring-{what}", daemon=True).start()
        if not done.wait(self._deadline):
            raise SecretStoreError(
                f"The keyring ({self.description}) did not answer within {self._deadline:g} s "
                f"while trying to {what} a key. It may be locked and waiting for a password; "
                "unlock it and try again."
            )
        error = outcome.get("error")
        if isinstance(error, KeyringLocked):
            raise SecretStoreError(
                f"The keyring ({self.description}) is locked. Unlock it (log in again, or open "
                "your passwords app) and try again."
            ) from None
        if isinstance(error, Exception):
            raise SecretStoreError(
                f"The keyring ({self.description}) failed to {what} a key: "
                f"{type(error).__name__}: {error}"
            ) from None
        if error is not None:
            raise error
        return cast(T, outcome.get("value"))
