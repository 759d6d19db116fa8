"""The keyring store: serialised, bounded in time, no plaintext fallback."""

from __future__ import annotations

import threading
import time

import pytest

from tests.support.memory_keyring import MemoryKeyring, failing_backend
from zinc_desktop.core.api_key import ApiKey
from zinc_desktop.core.errors import SecretStoreError, SecretStoreUnavailable
from zinc_desktop.core.secret_store import KeyringSecretStore, MemorySecretStore

KEY = ApiKey.parse("0123456789abcdef0123456789abcdef")


def test_round_trip_uses_the_account_id_as_username(memory_keyring: MemoryKeyring) -> None:
    store = KeyringSecretStore("zinc-desktop", backend=memory_keyring)
    store.put("acc1", KEY)
    assert store.get("acc1") == KEY
    assert list(memory_keyring.items) == [("zinc-desktop", "acc1")]
    store.delete("acc1")
    assert store.get("acc1") is None
    store.delete("acc1")  # deleting twice is fine


def test_no_backend_explains_what_keyring_found_and_how_to_fix_it() -> None:
    with pytest.raises(SecretStoreUnavailable) as caught:
        KeyringSecretStore("zinc-desktop", backend=failing_backend())
    message = str(caught.value)
    assert "keyring.backends.fail.Keyring" in message
    assert "gnome-keyring" in message


def test_a_file_based_backend_is_refused(memory_keyring: MemoryKeyring) -> None:
    memory_keyring.file_path = "/tmp/keyring.cfg"  # type: ignore[attr-defined]
    with pytest.raises(SecretStoreUnavailable, match="keeps secrets in a file"):
        KeyringSecretStore("zinc-desktop", backend=memory_keyring)


def test_a_locked_keyring_is_a_clear_error(memory_keyring: MemoryKeyring) -> None:
    store = KeyringSecretStore("zinc-desktop", backend=memory_keyring)
    memory_keyring.locked = True
    with pytest.raises(SecretStoreError, match="is locked"):
        store.get("acc1")


def test_a_hung_keyring_ends_at_the_deadline(memory_keyring: MemoryKeyring) -> None:
    store = KeyringSecretStore("zinc-desktop", backend=memory_keyring, deadline=0.3)
    memory_keyring.hang.set()
    try:
        started = time.monotonic()
        with pytest.raises(SecretStoreError, match=r"did not answer within 0\.3 s"):
            store.put("acc1", KEY)
        # The next call waits its turn (calls are serialised) and also ends at the deadline.
        with pytest.raises(SecretStoreError, match="still busy"):
            store.get("acc1")
        assert time.monotonic() - started < 1.5
    finally:
        memory_keyring.release.set()


def test_calls_are_serialised(memory_keyring: MemoryKeyring) -> None:
    store = KeyringSecretStore("zinc-desktop", backend=memory_keyring)
    active = []
    peak = []
    original = memory_keyring.get_password

    def counting(service: str, username: str) -> str | None:
        active.append(1)
        peak.append(len(active))
        time.sleep(0.01)
        active.pop()
        return original(service, username)

    memory_keyring.get_password = counting  # type: ignore[method-assign]
    threads = [threading.Thread(target=store.get, args=(f"a{i}",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert max(peak) == 1


def test_memory_store_is_session_only() -> None:
    store = MemorySecretStore()
    assert store.session_only
    store.put("acc1", KEY)
    assert store.get("acc1") == KEY
    store.delete("acc1")
    assert store.get("acc1") is None
