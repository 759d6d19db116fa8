"""Times at the edge of the calendar and time zones the system cannot use, through the real CLI
against the simulator (hardening item 3): shown as unknown, never a crash or a lost file."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator

import pytest

from tests.conftest import STAGING_KEY
from tests.support.cli_runner import Outcome, run_cli
from tests.support.memory_keyring import MemoryKeyring
from zinc_desktop.core.foundation import time_text
from zinc_desktop.core.foundation.app_paths import AppPaths
from zinc_desktop.sandbox import Fault, SandboxServer

Cli = Callable[..., Outcome]
EDGE_REPORT = {
    "check_id": "chk-edge-1",
    "status": "complete",
    "updates": [
        {"status": "requested", "at": "0001-01-01T00:00:00Z"},
        {"status": "in_progress", "at": "not a time"},
        {"status": "complete", "at": "9999-12-31T23:59:59-23:59"},
    ],
    "results": [{"name": "Identity", "outcome": "clear"}],
}


@pytest.fixture
def zinc(environ: dict[str, str], memory_keyring: MemoryKeyring) -> Cli:
    def run(*args: str, stdin: str = "") -> Outcome:
        return run_cli(list(args), environ, memory_keyring, stdin)

    return run


@pytest.fixture
def zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    def use(tz: str) -> None:
        monkeypatch.setenv("TZ", tz)
        time.tzset()
        monkeypatch.setattr(time_text, "_READER_ZONE", time_text._ReaderZone())

    yield use
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("tz", ["Europe/London", "UTC", "Asia/Kathmandu"])
def test_checks_status_with_edge_times_shows_unknown_and_exits_0(
    zinc: Cli, sandbox: SandboxServer, zone: Callable[[str], None], tz: str
) -> None:
    zone(tz)
    account = json.loads(zinc("link", "--env", "staging", "--json", stdin=STAGING_KEY).out)
    sandbox.inject(Fault(status=200, body=json.dumps(EDGE_REPORT).encode()))
    result = zinc("checks", "status", account["account"]["id"], "chk-edge-1")
    assert result.code == 0, result.err
    assert "unexpected failure" not in result.err
    lines = result.out.splitlines()
    assert lines[0] == "chk-edge-1: Complete"
    assert all("unknown time" in line for line in lines[1:4])  # year 1, garbage, year 9999


@pytest.mark.parametrize("tz", ["UTC+25", "XYZ-24:59"])
def test_a_zone_the_system_cannot_use_falls_back_to_utc_said_once(
    zinc: Cli, zone: Callable[[str], None], tz: str
) -> None:
    zinc("link", "--env", "staging", stdin=STAGING_KEY)
    zone(tz)
    listing = zinc("accounts", "list")
    assert listing.code == 0, listing.err
    assert " UTC" in listing.out  # the last-checked column, in UTC
    assert listing.err.count("times are shown in UTC") == 1
    assert tz in listing.err


def test_hand_edited_edge_times_in_the_files_lose_nothing(
    zinc: Cli, app_paths: AppPaths, zone: Callable[[str], None]
) -> None:
    zone("Europe/London")
    account = json.loads(zinc("link", "--env", "staging", "--json", stdin=STAGING_KEY).out)
    account_id = account["account"]["id"]
    accounts = json.loads(app_paths.accounts_file.read_text())
    accounts["accounts"][0]["linked_at"] = "0001-01-01T00:00:00Z"
    accounts["accounts"][0]["last_checked_at"] = "9999-12-31T23:59:59-23:59"
    app_paths.accounts_file.write_text(json.dumps(accounts))
    app_paths.checks_file.write_text(
        json.dumps(
            {
                "schema": 1,
                "checks": [
                    {
                        "id": "chk-hand-1",
                        "account_id": account_id,
                        "environment": "staging",
                        "package_id": "pkg_stg_basic",
                        "package_name": "Basic",
                        "status": "in_progress",
                        "started_at": "0001-01-01T00:00:00+00:00",
                        "updated_at": "9999-12-31T23:59:59-23:59",
                    }
                ],
            }
        )
    )
    listing = zinc("accounts", "list")
    assert listing.code == 0, listing.err
    assert "unknown time" in listing.out
    checks = zinc("checks", "list", account_id)
    assert checks.code == 0, checks.err
    assert "chk-hand-1" in checks.out
    assert "unknown time" in checks.out
    assert not list(app_paths.data.glob("*.corrupt-*"))  # nothing was taken for damage
