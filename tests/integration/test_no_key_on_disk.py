"""After a whole session, no file under the app's folders holds a key, in any case."""

from __future__ import annotations

import json
import os

from tests.conftest import PRODUCTION_KEY, STAGING_KEY
from tests.support.cli_runner import run_cli
from tests.support.disk_scan import files_containing
from tests.support.memory_keyring import MemoryKeyring
from zinc_desktop.core.foundation.app_paths import AppPaths
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.sandbox import SandboxServer


def test_full_cli_session_writes_no_key(
    sandbox: SandboxServer, app_paths: AppPaths, memory_keyring: MemoryKeyring
) -> None:
    env = dict(os.environ)
    for environment in Environment:
        env[environment.override_variable] = sandbox.base_url(environment)

    def zinc(*args: str, stdin: str = "") -> str:
        result = run_cli(list(args), env, memory_keyring, stdin)
        assert result.code in (0, 1), result.err
        return result.out

    zinc("verify", "--env", "staging", stdin=STAGING_KEY.upper())
    zinc("link", "--env", "production", stdin=STAGING_KEY)  # wrong environment
    zinc("link", "--env", "staging", stdin=f"Bearer {STAGING_KEY}")
    zinc("link", "--env", "production", stdin=PRODUCTION_KEY)
    accounts = json.loads(zinc("accounts", "list", "--json"))
    zinc("accounts", "verify")
    staging = next(a["id"] for a in accounts if a["environment"] == "staging")
    zinc("packages", staging)
    candidate = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"}
    check_id = zinc(
        "checks", "start", staging, "--package", "pkg_stg_basic", "--candidate", "-",
        stdin=json.dumps(candidate),
    ).strip()  # fmt: skip
    zinc("checks", "status", staging, check_id)
    zinc("unlink", staging)

    assert app_paths.log_file.exists()
    for key in (STAGING_KEY, PRODUCTION_KEY):
        assert files_containing(app_paths.all(), key) == []
    # The candidate's contact details are not kept either.
    assert files_containing(app_paths.all(), "ada@example.com") == []
    assert files_containing(app_paths.all(), "Lovelace") == []
    assert PRODUCTION_KEY[-4:] in app_paths.accounts_file.read_text()  # the hint is, by design
