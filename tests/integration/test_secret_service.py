"""A real Secret Service (gnome-keyring on a private D-Bus): the CLI end to end, as shipped."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import FAST, PRODUCTION_KEY, STAGING_KEY
from tests.support.disk_scan import files_containing
from tests.support.memory_keyring import secret_service_backend
from tests.support.platforms import secret_service_only
from tests.support.secret_service import private_secret_service
from zinc_desktop.core.accounts.linking import LinkService
from zinc_desktop.core.accounts.model import AccountStatus
from zinc_desktop.core.accounts.secret_store import KeyringSecretStore
from zinc_desktop.core.accounts.store import AccountStore
from zinc_desktop.core.accounts.verification import Verifier
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.app_paths import AppPaths
from zinc_desktop.core.foundation.environments import Environment, sandbox_endpoints
from zinc_desktop.core.foundation.errors import SecretStoreError
from zinc_desktop.sandbox import SandboxServer

pytestmark = [pytest.mark.secret_service, secret_service_only]


@pytest.fixture
def real_backend(secret_service_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> object:
    for name, value in secret_service_env.items():
        if name != "HOME":
            monkeypatch.setenv(name, value)
    return secret_service_backend()


def test_round_trip_through_the_real_secret_service(real_backend: object) -> None:
    store = KeyringSecretStore("zinc-desktop-test-roundtrip", backend=real_backend)
    key = ApiKey.parse(STAGING_KEY)
    store.put("acc-roundtrip", key)
    assert store.get("acc-roundtrip") == key
    assert "Secret Service" in store.description
    store.delete("acc-roundtrip")
    assert store.get("acc-roundtrip") is None


def test_a_locked_collection_is_a_clear_error(
    secret_service_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import secretstorage

    # Its own service: with no prompter, a locked collection cannot be unlocked again.
    with private_secret_service(tmp_path) as env:
        for name, value in env.items():
            if name != "HOME":
                monkeypatch.setenv(name, value)
        store = KeyringSecretStore(
            "zinc-desktop-test", backend=secret_service_backend(), deadline=5
        )
        store.put("acc-locked", ApiKey.parse(STAGING_KEY))
        connection = secretstorage.dbus_init()
        try:
            secretstorage.get_default_collection(connection).lock()
            with pytest.raises(SecretStoreError, match="is locked"):
                store.get("acc-locked")
            with pytest.raises(SecretStoreError, match="is locked"):
                store.account_ids()  # never trusted, and never a prompt, while locked
            with pytest.raises(SecretStoreError, match="is locked"):
                store.get_many(["acc-locked"])  # read one at a time, as `get` says it
            later = KeyringSecretStore(
                "zinc-desktop-test", resolve_later=secret_service_backend, deadline=5
            )
            with pytest.raises(SecretStoreError, match="is locked"):
                later.account_ids()  # asked over D-Bus alone: the same answer
            assert later._resolved is None
        finally:
            connection.close()


def zinc(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zinc_desktop", *args],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_cli_session_with_the_real_keyring_leaves_no_key_on_disk(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    env = cli_env
    linked = zinc(env, "link", "--env", "staging", "--label", "Acme", stdin=STAGING_KEY)
    assert linked.returncode == 0, linked.stderr
    assert "Secret Service" in linked.stdout
    assert zinc(env, "link", "--env", "staging", stdin=PRODUCTION_KEY).returncode == 1
    assert zinc(env, "link", "--env", "production", stdin=PRODUCTION_KEY).returncode == 0

    accounts = json.loads(zinc(env, "accounts", "list", "--json").stdout)
    assert sorted(a["environment"] for a in accounts) == ["production", "staging"]
    assert zinc(env, "accounts", "verify", "--all").returncode == 0
    staging = next(a for a in accounts if a["environment"] == "staging")
    packages = zinc(env, "packages", staging["id"], "--json")
    assert packages.returncode == 0, packages.stderr
    assert zinc(env, "unlink", staging["id"]).returncode == 0

    # A new process still finds the other key in the keyring, by account id.
    assert zinc(env, "accounts", "verify").returncode == 0

    folders = [tmp_path / v for v in ("xdg_data_home", "xdg_config_home", "xdg_state_home")]
    logs = list((tmp_path / "xdg_state_home").rglob("*.log"))
    assert logs, "the log file should exist, so the scan covers it"
    assert "linked staging account" in logs[0].read_text()
    for key in (STAGING_KEY, PRODUCTION_KEY):
        assert files_containing(folders, key) == []


# --- enumeration, races and crashes against the real service ----------------------------------


def service_items(service: str) -> dict[str, str]:
    """Our service's items as the Secret Service holds them: username -> secret."""
    import secretstorage

    connection = secretstorage.dbus_init()
    try:
        collection = secretstorage.get_default_collection(connection)
        return {
            item.get_attributes()["username"]: item.get_secret().decode()
            for item in collection.search_items({"service": service})
        }
    finally:
        connection.close()


def test_many_keys_come_from_one_session_and_one_call(real_backend: object) -> None:
    """Re-testing many accounts reads their keys in one Secret Service session with one
    GetSecrets call: the same answers as a `get` each, an item holding no key among them."""
    import secretstorage.util

    from zinc_desktop.core.foundation.errors import UnusableSecret

    store = KeyringSecretStore("zinc-desktop-test-many", backend=real_backend)
    keys = {f"acc{index}": ApiKey.parse(f"{index + 1:032x}") for index in range(20)}
    for account_id, key in keys.items():
        store.put(account_id, key)
    real_backend.set_password("zinc-desktop-test-many", "acc-garbage", "not a key")  # type: ignore[attr-defined]
    wanted = [*keys, "acc-garbage", "acc-missing"]
    sessions: list[object] = []
    open_session = secretstorage.util.open_session

    def counted(connection: object) -> object:
        sessions.append(connection)
        return open_session(connection)

    def one_at_a_time(self: object) -> bytes:
        raise AssertionError("each secret read on its own")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(secretstorage.util, "open_session", counted)
        patch.setattr(secretstorage.Item, "get_secret", one_at_a_time)
        found = store.get_many(wanted)
    assert len(sessions) == 1
    assert {i: found[i] for i in keys} == keys
    assert isinstance(found["acc-garbage"], UnusableSecret)
    assert found["acc-missing"] is None
    one_by_one = {i: store._get_or_unusable(i) for i in wanted}
    assert {i: v for i, v in one_by_one.items() if not isinstance(v, Exception)} == {
        i: v for i, v in found.items() if not isinstance(v, Exception)
    }
    for account_id in wanted:
        store.delete(account_id)


def test_account_ids_come_from_one_search_without_reading_secrets(real_backend: object) -> None:
    """More items than one batch of questions (64), asked with keyring loaded and without it:
    the ids the Secret Service holds, and nothing decrypted."""
    import secretstorage

    service = "zinc-desktop-test-enumerate"
    store = KeyringSecretStore(service, backend=real_backend)
    later = KeyringSecretStore(service, resolve_later=lambda: real_backend)
    ids = {f"acc{index}" for index in range(150)}
    for account_id in ids:
        real_backend.set_password(service, account_id, STAGING_KEY)  # type: ignore[attr-defined]
    real_backend.set_password(f"{service}-other", "acc-elsewhere", STAGING_KEY)  # type: ignore[attr-defined]

    def no_secret(self: object) -> bytes:
        raise AssertionError("enumeration must not decrypt a secret")

    assert set(service_items(service)) == ids
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(secretstorage.Item, "get_secret", no_secret)
        assert store.account_ids() == ids
        assert later.account_ids() == ids
    assert later._resolved is None  # listing never loaded keyring's backend
    for account_id in ids:
        store.delete(account_id)
    store.delete("acc-elsewhere")
    assert store.account_ids() == set() == later.account_ids()


LOADED = """
import json, os, sys
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.services import build_services

links = build_services(os.environ).links
if sys.argv[1] == "link":
    links.keyring().put("acc-a", ApiKey.parse(sys.argv[2]), "Acme (Staging)")
    links.keyring().put("acc-b", ApiKey.parse(sys.argv[2]), "Bravo (Staging)")
listed = sorted(links.keyring().account_ids() or ())
loaded = sorted(m for m in ("keyring", "secretstorage", "cryptography") if m in sys.modules)
print(json.dumps({"listed": listed, "loaded": loaded, "keyring": links.keyring_description()}))
if sys.argv[1] == "read":
    keys = links.keyring().get_many(["acc-a", "acc-b"])
    print(json.dumps({"same": all(k == ApiKey.parse(sys.argv[2]) for k in keys.values())}))
"""


def test_which_accounts_hold_a_key_is_asked_without_loading_keyring_or_cryptography(
    cli_env: dict[str, str],
) -> None:
    """A whole process on the real Secret Service: listing needs only D-Bus (about 13 MB of
    keyring, secretstorage and cryptography stay out of the window); reading a key loads what
    decrypting it takes, and reads what was written."""

    def run(step: str) -> list[dict[str, object]]:
        done = subprocess.run(
            [sys.executable, "-c", LOADED, step, STAGING_KEY],
            env=cli_env, capture_output=True, text=True, timeout=60, check=True,
        )  # fmt: skip
        return [json.loads(line) for line in done.stdout.splitlines()]

    assert run("link")[0]["loaded"] == ["cryptography", "keyring", "secretstorage"]
    (listing,) = run("list")
    assert listing == {
        "listed": ["acc-a", "acc-b"],
        "loaded": [],
        "keyring": "Secret Service",
    }
    listing, read = run("read")
    assert listing["loaded"] == []
    assert read == {"same": True}
    configured = {**cli_env, "PYTHON_KEYRING_BACKEND": "keyring.backends.SecretService.Keyring"}
    done = subprocess.run(
        [sys.executable, "-c", LOADED, "list", STAGING_KEY],
        env=configured, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    named = json.loads(done.stdout)
    assert named["listed"] == ["acc-a", "acc-b"]
    assert "keyring" in named["loaded"]


def cli_service(tmp_path: Path) -> str:
    """The keyring service the commands run with `cli_env` keep their keys under."""
    data = tmp_path / "xdg_data_home" / "zinc-desktop"
    return AppPaths(data, tmp_path, tmp_path, tmp_path).keyring_service


def rows(tmp_path: Path) -> list[dict[str, str]]:
    path = tmp_path / "xdg_data_home" / "zinc-desktop" / "accounts.json"
    return list(json.loads(path.read_text())["accounts"]) if path.exists() else []


def start_link(env: dict[str, str], key: str) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "zinc_desktop", "link", "--env", "staging"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    assert process.stdin is not None
    process.stdin.write(key)
    process.stdin.close()
    return process


def finish(process: subprocess.Popen[str]) -> tuple[str, str]:
    assert process.stdout is not None
    assert process.stderr is not None
    out, err = process.stdout.read(), process.stderr.read()
    process.wait(60)
    process.stdout.close()
    process.stderr.close()
    return out, err


def test_parallel_links_of_one_key_make_one_account_and_one_keyring_item(
    cli_env: dict[str, str], real_backend: object, tmp_path: Path
) -> None:
    before = set(service_items(cli_service(tmp_path)))
    processes = [start_link(cli_env, STAGING_KEY) for _ in range(12)]
    outputs = [finish(process) for process in processes]
    assert [process.returncode for process in processes] == [0] * 12, outputs
    assert sum(out.startswith("linked: ") for out, _ in outputs) == 1
    assert sum("already linked" in out for out, _ in outputs) == 11
    (row,) = rows(tmp_path)
    assert row["status"] == "verified"
    new_items = {k: v for k, v in service_items(cli_service(tmp_path)).items() if k not in before}
    assert new_items == {row["id"]: STAGING_KEY}
    assert zinc(cli_env, "unlink", row["id"]).returncode == 0


def test_no_kill_leaves_a_key_that_no_account_shows(
    cli_env: dict[str, str], real_backend: object, sandbox: SandboxServer, tmp_path: Path
) -> None:
    before = set(service_items(cli_service(tmp_path)))
    chance = random.Random(20261122)  # noqa: S311  # test keys and delays, not secrets
    keys = [f"{chance.getrandbits(128):032x}" for _ in range(17)]
    for key in keys:
        sandbox.add_key(Environment.STAGING, key)
    started = time.monotonic()
    assert finish(start_link(cli_env, keys[0]))[0].startswith("linked: ")
    whole = time.monotonic() - started  # the keyring write sits in the last third of a link
    outcomes: list[tuple[str, bool]] = []
    for key in keys[1:]:
        process = start_link(cli_env, key)
        time.sleep(chance.uniform(0.65, 1.0) * whole)
        process.send_signal(signal.SIGKILL)
        finish(process)
        # After every kill: each key in the keyring has a row.
        held = {k for k in service_items(cli_service(tmp_path)) if k not in before}
        by_hint = {row["key_hint"]: row for row in rows(tmp_path)}
        assert held <= {row["id"] for row in by_hint.values()}
        mine = by_hint.get(key[-4:])
        if mine is None:
            outcomes.append(("no row", False))
        else:
            outcomes.append((mine["status"], mine["id"] in held))
    print("killed links (status, key present):", sorted(outcomes))
    listed = zinc(cli_env, "accounts", "list", "--json")  # the start-up sweep
    assert listed.returncode == 0, listed.stderr
    items = {k: v for k, v in service_items(cli_service(tmp_path)).items() if k not in before}
    for row in json.loads(listed.stdout):
        if row["status"] == "verified":
            assert row["id"] in items  # no row claims a key that is not there...
        else:
            assert row["status"] == "incomplete"  # ...without saying so
            assert row["id"] not in items
        assert row["key_hint"] == items.get(row["id"], row["key_hint"])[-4:]
    # Interrupted links can be finished: linking the key again completes the same row.
    store = KeyringSecretStore(cli_service(tmp_path), backend=real_backend)
    accounts = AccountStore(tmp_path / "xdg_data_home" / "zinc-desktop" / "accounts.json")
    links = LinkService(
        Verifier(sandbox_endpoints(sandbox.base_urls()), settings=FAST), accounts, lambda: store
    )
    for key in set(keys) - set(items.values()):
        assert links.link(Environment.STAGING, ApiKey.parse(key)).account is not None
    final = links.reconcile()
    assert {account.status for account in final} == {AccountStatus.VERIFIED}
    assert sorted(account.key_hint for account in final) == sorted(key[-4:] for key in keys)
    for account in final:
        links.unlink(account.id)
    assert set(service_items(cli_service(tmp_path))) == before


def test_two_data_folders_never_share_a_keyring_item(
    cli_env: dict[str, str], real_backend: object, tmp_path: Path
) -> None:
    """Linking one key in two data folders (XDG_DATA_HOME) makes two items; unlinking in one
    leaves the other's key in place."""
    other_env = {**cli_env, "XDG_DATA_HOME": str(tmp_path / "other_data")}
    other_data = tmp_path / "other_data" / "zinc-desktop"
    other = AppPaths(other_data, tmp_path, tmp_path, tmp_path).keyring_service
    assert other != cli_service(tmp_path)
    assert other.startswith("zinc-desktop:")
    for env in (cli_env, other_env):
        assert finish(start_link(env, STAGING_KEY))[0].startswith("linked: ")
    (mine,) = rows(tmp_path)
    theirs = json.loads((other_data / "accounts.json").read_text())["accounts"][0]
    assert service_items(cli_service(tmp_path)) == {mine["id"]: STAGING_KEY}
    assert service_items(other) == {theirs["id"]: STAGING_KEY}
    assert zinc(cli_env, "unlink", mine["id"]).returncode == 0
    assert service_items(other) == {theirs["id"]: STAGING_KEY}
    assert zinc(other_env, "unlink", theirs["id"]).returncode == 0
    assert service_items(other) == {}


def test_a_key_without_an_account_is_reported_and_linking_it_again_adopts_it(
    real_backend: object, sandbox: SandboxServer, app_paths: AppPaths
) -> None:
    store = KeyringSecretStore("zinc-desktop-test-orphans", backend=real_backend)
    verifier = Verifier(sandbox_endpoints(sandbox.base_urls()), settings=FAST)
    links = LinkService(verifier, AccountStore(app_paths.accounts_file), lambda: store)
    store.put("0ld0rph4", ApiKey.parse(STAGING_KEY))  # as an older version could leave it
    assert links.reconcile() == []
    (notice,) = links.take_notices()
    assert "1 zinc-desktop key(s) that no account shows (id 0ld0rph4)" in notice
    assert "zinc-desktop-test-orphans" in notice
    result = links.link(Environment.STAGING, ApiKey.parse(STAGING_KEY), "Acme")
    assert result.account is not None
    assert (result.account.id, result.account.status) == ("0ld0rph4", AccountStatus.VERIFIED)
    assert service_items("zinc-desktop-test-orphans") == {"0ld0rph4": STAGING_KEY}
    links.reconcile()
    assert links.take_notices() == []
    links.unlink("0ld0rph4")
    assert service_items("zinc-desktop-test-orphans") == {}


def test_the_pass_marks_a_vanished_key_from_one_search(
    real_backend: object, sandbox: SandboxServer, app_paths: AppPaths
) -> None:
    store = KeyringSecretStore("zinc-desktop-test-pass", backend=real_backend)
    verifier = Verifier(sandbox_endpoints(sandbox.base_urls()), settings=FAST)
    links = LinkService(verifier, AccountStore(app_paths.accounts_file), lambda: store)
    account = links.link(Environment.STAGING, ApiKey.parse(STAGING_KEY)).account
    assert account is not None
    secret_service_backend().delete_password("zinc-desktop-test-pass", account.id)
    (listed,) = links.reconcile()
    assert listed.status is AccountStatus.MISSING_SECRET
    links.unlink(account.id)
