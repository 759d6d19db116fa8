"""Reading never writes: listing accounts or checks leaves every data file as it was, even one
written by hand in another form (other time offsets, unknown fields). DESIGN.md's rule."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import STAGING_KEY
from tests.support.cli_runner import Outcome, run_cli
from tests.support.memory_keyring import MemoryKeyring
from tests.support.platforms import linux_only
from zinc_desktop.core.foundation.app_paths import AppPaths

Cli = Callable[..., Outcome]


@pytest.fixture
def zinc(environ: dict[str, str], memory_keyring: MemoryKeyring) -> Cli:
    def run(*args: str, stdin: str = "") -> Outcome:
        return run_cli(list(args), environ, memory_keyring, stdin)

    return run


def fingerprint(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    return {
        p.name: (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.name.endswith("lock")
    }


def test_listing_leaves_hand_written_files_as_they_were(zinc: Cli, app_paths: AppPaths) -> None:
    linked = json.loads(zinc("link", "--env", "staging", "--json", stdin=STAGING_KEY).out)
    account_id = linked["account"]["id"]
    candidate = json.dumps({"first_name": "A", "last_name": "B", "email": "a@example.com"})
    zinc("checks", "start", account_id, "--package", "pkg_stg_basic", "--candidate", "-",
         stdin=candidate)  # fmt: skip
    accounts = json.loads(app_paths.accounts_file.read_text())
    row = accounts["accounts"][0]
    row["linked_at"] = row["linked_at"].replace("Z", "+00:00")  # another way to say UTC
    row["last_checked_at"] = "2026-12-03T09:00:00+01:00"
    row["a_field_from_a_newer_version"] = {"kept": True}
    app_paths.accounts_file.write_text(json.dumps(accounts, indent=4))
    before = fingerprint(app_paths.data)
    os.utime(app_paths.data)
    for command in (
        ["accounts", "list"],
        ["accounts", "list", "--json"],
        ["accounts", "list", "--csv"],
        ["checks", "list", account_id],
        ["checks", "list", account_id, "--json"],
        ["packages", account_id],
    ):
        result = zinc(*command)
        assert result.code == 0, (command, result.err)
        assert fingerprint(app_paths.data) == before, command


@linux_only("chattr +i, an immutable folder (ext4's and others' attribute, e2fsprogs)")
def test_a_folder_nobody_may_write_can_still_be_listed(zinc: Cli, app_paths: AppPaths) -> None:
    """An immutable data folder (chattr +i; root ignores mere modes): reading needs no lock."""
    import shutil
    import subprocess

    zinc("link", "--env", "staging", "--label", "Acme", stdin=STAGING_KEY)
    if shutil.which("chattr") is None:
        pytest.skip("chattr (e2fsprogs) is missing")
    if subprocess.run(["chattr", "+i", str(app_paths.data)], capture_output=True).returncode:
        pytest.skip("this file system cannot make a folder immutable")
    try:
        listed = zinc("accounts", "list", "--json")
        checks = zinc("checks", "list", "Acme")
    finally:
        subprocess.run(["chattr", "-i", str(app_paths.data)], check=True)
    assert listed.code == 0, listed.err
    assert [a["label"] for a in json.loads(listed.out)] == ["Acme"]
    assert checks.code == 0, checks.err


@pytest.mark.parametrize(
    "command",
    [("accounts", "list"), ("accounts", "list", "--json"), ("accounts", "list", "--csv")],
)
def test_reading_a_fresh_profile_makes_no_folder_and_no_lock(
    zinc: Cli, app_paths: AppPaths, command: tuple[str, ...]
) -> None:
    outcome = zinc(*command)
    assert outcome.code == 0, outcome.err
    assert not app_paths.data.exists()  # nothing to read: nothing made, not even a lock
    assert not app_paths.config.exists()
