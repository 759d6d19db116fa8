"""Replace key: a customer rotated their key (or the keyring lost it). The new key is proven in
the account's environment, then kept; id, label and checks stay. Through the real CLI against
the simulator."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from tests.conftest import PRODUCTION_KEY, STAGING_KEY
from tests.support.cli_runner import Outcome, run_cli
from tests.support.memory_keyring import MemoryKeyring
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.sandbox import SandboxServer

Cli = Callable[..., Outcome]
ROTATED = "c0" * 14 + "ab12"


@pytest.fixture
def zinc(environ: dict[str, str], memory_keyring: MemoryKeyring) -> Cli:
    def run(*args: str, stdin: str = "") -> Outcome:
        return run_cli(list(args), environ, memory_keyring, stdin)

    return run


def test_a_rotated_key_replaces_the_old_and_the_account_keeps_its_checks(
    zinc: Cli, sandbox: SandboxServer, memory_keyring: MemoryKeyring
) -> None:
    linked = json.loads(zinc("link", "--env", "staging", "--label", "Acme", "--json",
                             stdin=STAGING_KEY).out)["account"]  # fmt: skip
    candidate = json.dumps({"first_name": "A", "last_name": "B", "email": "a@example.com"})
    check = zinc("checks", "start", "Acme", "--package", "pkg_stg_basic", "--candidate", "-",
                 stdin=candidate).out.strip()  # fmt: skip
    sandbox.rotate_key(Environment.STAGING, STAGING_KEY, ROTATED)  # the customer regenerated it
    assert zinc("accounts", "verify", "Acme").code == 1

    wrong = zinc("accounts", "replace-key", "Acme", stdin=PRODUCTION_KEY)
    assert wrong.code == 1
    assert wrong.out.startswith("wrong environment:")
    unknown = zinc("accounts", "replace-key", "Acme", stdin="ef" * 16)
    assert unknown.code == 1

    replaced = zinc("accounts", "replace-key", "Acme", "--json", stdin=ROTATED)
    assert replaced.code == 0, replaced.err
    account = json.loads(replaced.out)["account"]
    assert (account["id"], account["label"], account["key_hint"], account["status"]) == (
        linked["id"], "Acme", "ab12", "verified"
    )  # fmt: skip
    held = {name: secret for (_service, name), secret in memory_keyring.items.items()}
    assert held == {linked["id"]: ROTATED}  # the old key is gone from the keyring
    listed = json.loads(zinc("checks", "list", "Acme", "--json").out)["checks"]
    assert [c["check_id"] for c in listed] == [check]
    assert zinc("checks", "status", "Acme", check).code == 0  # read with the new key


def test_a_key_another_account_holds_is_refused(zinc: Cli, sandbox: SandboxServer) -> None:
    sandbox.add_key(Environment.STAGING, ROTATED)
    zinc("link", "--env", "staging", "--label", "Acme", stdin=STAGING_KEY)
    zinc("link", "--env", "staging", "--label", "Other", stdin=ROTATED)
    refused = zinc("accounts", "replace-key", "Acme", stdin=ROTATED)
    assert refused.code == 2
    assert "already linked in Staging as 'Other'" in refused.err
    assert zinc("accounts", "replace-key", "nobody", stdin=ROTATED).code == 4
