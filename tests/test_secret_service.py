"""A real Secret Service (gnome-keyring on a private D-Bus): the CLI end to end, as shipped."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PRODUCTION_KEY, STAGING_KEY
from tests.support.disk_scan import files_containing
from tests.support.memory_keyring import secret_service_backend
from tests.support.secret_service import private_secret_service
from zinc_desktop.core.api_key import ApiKey
from zinc_desktop.core.environments import Environment
from zinc_desktop.core.errors import SecretStoreError
from zinc_desktop.core.secret_store import KeyringSecretStore
from zinc_desktop.sandbox import SandboxServer

pytestmark = pytest.mark.secret_service


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
    secret_service_env: dict[str, str], sandbox: SandboxServer, tmp_path: Path
) -> None:
    env = {**os.environ, **secret_service_env}
    env.pop("PYTHON_KEYRING_BACKEND", None)
    env.pop("ZINC_API_KEY", None)
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[variable] = str(tmp_path / variable.lower())
    for environment in Environment:
        env[environment.override_variable] = sandbox.base_url(environment)

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
