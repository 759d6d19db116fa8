"""What unlink removes stays removed, backups included (hardening item 12); a keyring item that
holds no key is one status, with its reason, in every path (item 11).

Item 11 runs as whole processes against a real Secret Service, as a user meets it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import PRODUCTION_KEY, STAGING_KEY
from tests.support.cli_runner import Outcome, run_cli
from tests.support.memory_keyring import MemoryKeyring
from zinc_desktop.core.foundation.app_paths import AppPaths

Cli = Callable[..., Outcome]


@pytest.fixture
def zinc(environ: dict[str, str], memory_keyring: MemoryKeyring) -> Cli:
    def run(*args: str, stdin: str = "") -> Outcome:
        return run_cli(list(args), environ, memory_keyring, stdin)

    return run


def test_unlink_leaves_nothing_in_the_backups_and_damage_never_brings_it_back(
    zinc: Cli, app_paths: AppPaths
) -> None:
    gone = json.loads(zinc("link", "--env", "staging", "--json", stdin=STAGING_KEY).out)
    kept = json.loads(zinc("link", "--env", "production", "--json", stdin=PRODUCTION_KEY).out)
    gone_id, kept_id = gone["account"]["id"], kept["account"]["id"]
    candidate = json.dumps({"first_name": "A", "last_name": "B", "email": "a@example.com"})
    check = zinc("checks", "start", gone_id, "--package", "pkg_stg_basic", "--candidate", "-",
                 stdin=candidate).out.strip()  # fmt: skip
    zinc("accounts", "verify")  # more writes: the backups are full of the account now
    assert check in app_paths.checks_file.read_text()

    assert zinc("unlink", gone_id).code == 0
    for path in (app_paths.accounts_file, app_paths.checks_file):
        for copy in (path, path.with_name(path.name + ".bak")):
            text = copy.read_text()
            assert gone_id not in text, copy
            assert check not in text, copy

    app_paths.accounts_file.write_text("{damaged")
    app_paths.checks_file.write_text("{damaged")
    listed = json.loads(zinc("accounts", "list", "--json").out)
    assert [a["id"] for a in listed] == [kept_id]
    assert json.loads(zinc("checks", "list", kept_id, "--json").out)["checks"] == []
    assert zinc("checks", "list", gone_id).code == 4


def test_unlink_takes_the_account_out_of_damaged_copies_kept_aside(
    zinc: Cli, app_paths: AppPaths
) -> None:
    gone = json.loads(zinc("link", "--env", "staging", "--json", stdin=STAGING_KEY).out)
    kept = json.loads(zinc("link", "--env", "production", "--json", stdin=PRODUCTION_KEY).out)
    gone_id, kept_id = gone["account"]["id"], kept["account"]["id"]
    damaged = app_paths.accounts_file.read_text().replace('"schema": 1', '"schema": 1,,')
    app_paths.accounts_file.write_text(damaged)
    zinc("accounts", "list")  # quarantined as .corrupt-*, the last good copy restored
    (copy,) = app_paths.data.glob("accounts.json.corrupt-*")
    assert gone_id in copy.read_text()
    assert zinc("unlink", gone_id).code == 0
    remaining = copy.read_text()
    assert gone_id not in remaining
    assert kept_id in remaining  # the rest of the damaged copy stays, for recovery by hand


def _spoil_keyring_item(env: dict[str, str], service: str, account_id: str) -> None:
    """As another program (or a passwords app) would: the item's secret is no key any more."""
    script = "import keyring, sys; keyring.set_password(sys.argv[1], sys.argv[2], 'hunter2')"
    subprocess.run([sys.executable, "-c", script, service, account_id], env=env, check=True,
                   timeout=60)  # fmt: skip


def test_a_keyring_item_holding_no_key_is_one_status_everywhere(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    from tests.integration.test_secret_service import cli_service

    def zinc(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "zinc_desktop", *args],
            input=stdin, env=cli_env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip

    linked = json.loads(zinc("link", "--env", "staging", "--json", stdin=STAGING_KEY).stdout)
    account_id = linked["account"]["id"]
    _spoil_keyring_item(cli_env, cli_service(tmp_path), account_id)

    retest = zinc("accounts", "verify", account_id)
    assert retest.returncode == 1
    assert "not a Zinc key" in retest.stdout
    statuses = []
    for command in (["accounts", "list", "--json"], ["accounts", "verify", "--json"]) * 2:
        result = zinc(*command)
        (row,) = json.loads(result.stdout)
        statuses.append(row["status"])
        assert "not a Zinc key" in row["last_message"]
    assert statuses == ["missing-secret"] * 4  # no flip to verified or unchecked and back
    copy = zinc("packages", account_id)
    assert copy.returncode == 3
    assert "not a Zinc key" in copy.stderr

    # Re-entering the key (linking it again) makes the account whole again.
    again = zinc("link", "--env", "staging", stdin=STAGING_KEY)
    assert again.returncode == 0, again.stderr
    assert json.loads(zinc("accounts", "list", "--json").stdout)[0]["status"] == "verified"


def test_another_accounts_key_in_the_item_is_never_sent_and_settles_the_status(
    cli_env: dict[str, str], tmp_path: Path, sandbox: object
) -> None:
    """The item of A holds B's (valid) key: no call for A goes out with it."""
    from tests.integration.test_secret_service import cli_service

    def zinc(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "zinc_desktop", *args],
            input=stdin, env=cli_env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip

    a = json.loads(zinc("link", "--env", "staging", "--json", stdin=STAGING_KEY).stdout)
    account_id = a["account"]["id"]
    script = "import keyring, sys; keyring.set_password(sys.argv[1], sys.argv[2], sys.argv[3])"
    subprocess.run([sys.executable, "-c", script, cli_service(tmp_path), account_id,
                    PRODUCTION_KEY], env=cli_env, check=True, timeout=60)  # fmt: skip
    before = len(sandbox.requests)  # type: ignore[attr-defined]
    packages = zinc("packages", account_id)
    assert packages.returncode == 3
    assert "different key" in packages.stderr
    assert len(sandbox.requests) == before  # type: ignore[attr-defined]  # nothing went out
    (row,) = json.loads(zinc("accounts", "list", "--json").stdout)
    assert row["status"] == "missing-secret"  # settled by the failed read, said everywhere
    assert "different key" in row["last_message"]
    retest = zinc("accounts", "verify", account_id)
    assert retest.returncode == 1
    assert len(sandbox.requests) == before  # type: ignore[attr-defined]
