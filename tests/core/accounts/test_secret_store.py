"""The keyring store: serialised, bounded in time, no plaintext fallback."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.support.memory_keyring import MemoryKeyring, failing_backend
from zinc_desktop.core.accounts.secret_store import KeyringSecretStore, MemorySecretStore
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.errors import (
    SecretStoreBusy,
    SecretStoreError,
    SecretStoreUnavailable,
)

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


def test_a_hung_keyring_ends_at_the_deadline_and_later_calls_at_once(
    memory_keyring: MemoryKeyring,
) -> None:
    store = KeyringSecretStore("zinc-desktop", backend=memory_keyring, deadline=2.0)
    memory_keyring.hang.set()
    try:
        with pytest.raises(SecretStoreError, match=r"did not answer within 2 s"):
            store.put("acc1", KEY)
        timed_out = time.monotonic()
        # While that call is unanswered, the next ones fail at once, saying why.
        for _ in range(3):
            with pytest.raises(SecretStoreBusy, match="has not answered a request made 2 s ago"):
                store.get("acc1")
        assert time.monotonic() - timed_out < 1.0  # not another 2 s deadline each
    finally:
        memory_keyring.release.set()
    # Once it answers, calls go through again.
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            assert store.get("acc1") == KEY
            break
        except SecretStoreBusy:
            time.sleep(0.05)
    else:
        pytest.fail("the keyring stayed busy after it answered")


def test_callers_waiting_their_turn_stop_when_the_call_ahead_times_out(
    memory_keyring: MemoryKeyring,
) -> None:
    store = KeyringSecretStore("zinc-desktop", backend=memory_keyring, deadline=1.0)
    memory_keyring.hang.set()
    failures: list[tuple[type[BaseException], float]] = []
    started = time.monotonic()

    def call() -> None:
        try:
            store.get("acc1")
        except SecretStoreError as error:
            failures.append((type(error), time.monotonic() - started))

    threads = [threading.Thread(target=call) for _ in range(4)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)
    finally:
        memory_keyring.release.set()
    assert len(failures) == 4
    assert sorted(kind.__name__ for kind, _ in failures) == [
        "SecretStoreBusy",
        "SecretStoreBusy",
        "SecretStoreBusy",
        "SecretStoreTimeout",
    ]
    assert max(seconds for _, seconds in failures) < 1.8  # all end with the first deadline


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


def test_a_keyring_that_cannot_enumerate_costs_no_secret_service_client() -> None:
    """Listing asks an enumerating keyring once; any other says so without loading the Secret
    Service client (secretstorage and cryptography: about 10 MB)."""
    code = (
        "import sys\n"
        "from tests.support.memory_keyring import MemoryKeyring\n"
        "from zinc_desktop.core.accounts.secret_store import KeyringSecretStore\n"
        "store = KeyringSecretStore('zinc-desktop', backend=MemoryKeyring())\n"
        "assert store.account_ids() is None\n"
        "print(sorted(m for m in ('secretstorage', 'cryptography') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert done.stdout.strip() == "[]"


def test_a_backend_left_for_later_loads_at_the_first_key_and_says_if_it_was_not_the_expected(
    memory_keyring: MemoryKeyring, caplog: pytest.LogCaptureFixture
) -> None:
    """Left for later, keyring's choice is taken to be the Secret Service until a key is read or
    written; if keyring then chooses otherwise, the store follows keyring and says so."""
    loads: list[int] = []

    def resolve() -> MemoryKeyring:
        loads.append(1)
        return memory_keyring

    store = KeyringSecretStore("zinc-desktop", resolve_later=resolve)
    assert store.description.startswith("Secret Service")
    names_before = store.names_items
    assert loads == []
    store.put("acc1", KEY)
    assert store.get("acc1") == KEY
    assert loads == [1]
    assert "where the Secret Service was expected" in caplog.text
    assert "MemoryKeyring" in store.description
    assert (names_before, store.names_items) == (True, False)
    assert store.account_ids() is None  # what keyring chose cannot list: a `get` each


def test_a_backend_left_for_later_that_is_unusable_says_so_at_the_first_key() -> None:
    store = KeyringSecretStore("zinc-desktop", resolve_later=failing_backend)
    for _ in range(2):  # never kept: said again, not replaced by keyring's own failure
        with pytest.raises(SecretStoreUnavailable, match="No usable OS keyring"):
            store.get("acc1")
