"""An in-memory keyring *backend*, so our KeyringSecretStore code runs for real in fast tests."""

from __future__ import annotations

import threading

from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked, PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.items: dict[tuple[str, str], str] = {}
        self.locked = False
        self.hang = threading.Event()  # set: every call blocks until `release` is set
        self.release = threading.Event()
        self.broken = False  # every call fails, as a backend whose D-Bus went away
        self.fail_after_write = False  # set_password stores the value, then reports a failure
        self.writes_locked = False  # reads work; writes and deletes report a locked keyring

    def _gate(self) -> None:
        if self.hang.is_set():
            self.release.wait(30)
        if self.locked:
            raise KeyringLocked("Failed to unlock the keyring!")
        if self.broken:
            raise RuntimeError("the keyring backend failed")

    def get_password(self, service: str, username: str) -> str | None:
        self._gate()
        return self.items.get((service, username))

    def _write_gate(self) -> None:
        self._gate()
        if self.writes_locked:
            raise KeyringLocked("Failed to unlock the keyring for writing!")

    def set_password(self, service: str, username: str, password: str) -> None:
        self._write_gate()
        self.items[(service, username)] = password
        if self.fail_after_write:
            raise RuntimeError("the keyring backend failed after writing")

    def delete_password(self, service: str, username: str) -> None:
        self._write_gate()
        if (service, username) not in self.items:
            raise PasswordDeleteError("not found")
        del self.items[(service, username)]


def failing_backend() -> KeyringBackend:
    """keyring's own "no backend available" stand-in."""
    from keyring.backends import fail

    return fail.Keyring()  # type: ignore[no-untyped-call]


def secret_service_backend() -> KeyringBackend:
    from keyring.backends import SecretService

    return SecretService.Keyring()  # type: ignore[no-untyped-call]
