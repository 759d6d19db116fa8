"""`zinc-desktop accounts list --csv` as a whole process, on a profile with accounts linked
through a real Secret Service: CSV a spreadsheet can open, never a key or a formula, nothing
written in the app's folders; --csv with --json is a usage error."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PRODUCTION_KEY, STAGING_KEY
from zinc_desktop.cli.console import Console
from zinc_desktop.core.accounts.csv_export import COLUMNS
from zinc_desktop.core.foundation.api_key import ApiKey


def zinc(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "zinc_desktop", *args],
        input=stdin.encode(),
        env=env,
        capture_output=True,
        timeout=60,
    )


def fingerprint(*folders: Path) -> dict[Path, tuple[int, int, bytes]]:
    """Every file under the folders, but the log (every run writes a line) and lock files."""
    return {
        path: (path.stat().st_ino, path.stat().st_mtime_ns, path.read_bytes())
        for folder in folders
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.name.endswith("lock") and path.suffix != ".log"
    }


@pytest.mark.secret_service
def test_accounts_list_csv_from_a_real_profile(cli_env: dict[str, str], tmp_path: Path) -> None:
    formula = "=cmd|' /C calc'!A0"
    quoted = 'Globex, "Ltd" <b>bold</b>'
    for environment, key, label in (
        ("staging", STAGING_KEY, formula),
        ("production", PRODUCTION_KEY, quoted),
    ):
        linked = zinc(cli_env, "link", "--env", environment, "--label", label, stdin=key)
        assert linked.returncode == 0, linked.stderr
    # A label an older version let through: a line break, and the key itself.
    data = tmp_path / "xdg_data_home" / "zinc-desktop"
    document = json.loads((data / "accounts.json").read_text())
    document["accounts"][0]["label"] = f"-Acme\r\nfirst line {STAGING_KEY.upper()}"
    (data / "accounts.json").write_text(json.dumps(document))
    # The first reading rewrites that file masked, once (recovery, as DESIGN.md allows).
    assert zinc(cli_env, "accounts", "list").returncode == 0
    assert STAGING_KEY not in (data / "accounts.json").read_text().lower()
    folders = [tmp_path / "xdg_data_home", tmp_path / "xdg_config_home"]
    before = fingerprint(*folders)

    listed = zinc(cli_env, "accounts", "list", "--csv")
    assert listed.returncode == 0, listed.stderr
    assert listed.stderr == b""
    assert fingerprint(*folders) == before  # reading wrote nothing
    out = listed.stdout
    assert not out.startswith(b"\xef\xbb\xbf")  # no byte-order mark on a pipe
    assert out.endswith(b"\r\n")
    text = out.decode("utf-8")
    for key in (STAGING_KEY, PRODUCTION_KEY):
        assert not ApiKey(key).found_in(text)
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    assert rows[0] == list(COLUMNS)
    by_env = {row[2]: dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]}
    assert set(by_env) == {"staging", "production"}
    assert by_env["staging"]["label"] == f"'-Acme\r\nfirst line ••••{STAGING_KEY[-4:]}"
    assert by_env["production"]["label"] == quoted
    assert by_env["production"]["key_ending"] == f"••••{PRODUCTION_KEY[-4:]}"
    assert {row["status"] for row in by_env.values()} == {"verified"}
    as_json = json.loads(zinc(cli_env, "accounts", "list", "--json").stdout)
    assert {a["id"] for a in as_json} == {row["id"] for row in by_env.values()}


@pytest.mark.secret_service
@pytest.mark.parametrize(
    "args",
    [
        ["accounts", "list", "--csv", "--json"],
        ["--json", "accounts", "list", "--csv"],
    ],
)
def test_csv_with_json_is_a_usage_error(cli_env: dict[str, str], args: list[str]) -> None:
    refused = zinc(cli_env, *args)
    assert refused.returncode == 2
    assert b"--csv and --json do not go together" in refused.stderr


def test_help_describes_csv() -> None:
    shown = zinc(dict(os.environ), "accounts", "list", "--help")
    assert shown.returncode == 0
    assert b"--csv" in shown.stdout
    assert b"spreadsheet" in shown.stdout


def test_crlf_reaches_a_translating_stream_unchanged() -> None:
    """A text stream that turns each line feed into CR LF (Windows' stdout) gets the CSV's
    CR LF as it is, not CR CR LF."""
    raw = io.BytesIO()
    stdout = io.TextIOWrapper(raw, encoding="utf-8", newline="\r\n")
    console = Console(io.StringIO(), stdout, io.StringIO(), {})
    console.say_exactly("id,label\r\na,“b”\r\n")
    assert raw.getvalue() == "id,label\r\na,“b”\r\n".encode()
