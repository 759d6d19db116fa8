"""The command line refuses what would send the key astray: odd check ids, odd override URLs."""

from __future__ import annotations

import json
import os

import pytest

from tests.conftest import STAGING_KEY
from tests.support.cli_runner import run_cli
from tests.support.memory_keyring import MemoryKeyring
from zinc_desktop.core.foundation.app_paths import AppPaths
from zinc_desktop.sandbox import SandboxServer


@pytest.mark.parametrize("check_id", ["../packages", "..", "a/../../packages", "x?y=1", "%2e%2e"])
def test_a_check_id_that_would_leave_the_results_path_exits_2_and_sends_nothing(
    sandbox: SandboxServer, environ: dict[str, str], memory_keyring: MemoryKeyring, check_id: str
) -> None:
    assert run_cli(["link", "--env", "staging"], environ, memory_keyring, STAGING_KEY).code == 0
    listing = run_cli(["accounts", "list", "--json"], environ, memory_keyring)
    (account,) = json.loads(listing.out)
    before = len(sandbox.requests)
    result = run_cli(["checks", "status", account["id"], check_id], environ, memory_keyring)
    assert result.code == 2
    assert result.out == ""
    assert len(result.err.splitlines()) == 1
    assert result.err.startswith("error: ")
    assert "is not a check id" in result.err
    assert "letters, digits" in result.err
    assert len(sandbox.requests) == before


@pytest.mark.parametrize(
    "url",
    [
        "http://[::1]evil.com/partner/v2",
        "https://gw.example/partner/v2\r\nX-Injected: yes",
        "https://gw.example:99999/partner/v2",
        "https://gw.example/partner v2",
    ],
)
def test_an_override_url_httpx_would_refuse_exits_2_with_one_line(
    app_paths: AppPaths, memory_keyring: MemoryKeyring, url: str
) -> None:
    environ = {**os.environ, "ZINC_STAGING_API_URL": url}
    result = run_cli(["verify", "--env", "staging"], environ, memory_keyring, STAGING_KEY)
    assert result.code == 2
    assert result.out == ""
    assert len(result.err.splitlines()) == 1
    assert result.err.startswith("error: ZINC_STAGING_API_URL")
