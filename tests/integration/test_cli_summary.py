"""`zinc-desktop checks summary ID CHECK_ID --output FILE`, end to end: the real composition
root, the simulator, the window's own exporter (Qt, offscreen), files read back from disk.

Here rather than beside the other CLI tests because it renders with Qt: this folder's
conftest gives every test the one QApplication the command then finds.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import STAGING_KEY
from tests.support.cli_runner import Outcome, run_cli
from tests.support.disk_scan import files_containing
from tests.support.html_text import html_text
from tests.support.memory_keyring import MemoryKeyring
from tests.support.pdf_text import pdf_to_text
from tests.support.platforms import FILE_MODES
from zinc_desktop.core.foundation.app_paths import AppPaths
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.sandbox import Fault, SandboxServer

Cli = Callable[..., Outcome]
CANDIDATE = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"}
# A name no other part of the app could hold by chance: found only where it was typed.
TYPED_NAME = "Grace Quillfeather-Hopper"


@pytest.fixture
def zinc(environ: dict[str, str], memory_keyring: MemoryKeyring) -> Cli:
    def run(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> Outcome:
        return run_cli(list(args), env or environ, memory_keyring, stdin)

    return run


@pytest.fixture
def started(zinc: Cli) -> tuple[str, str]:
    """A linked Staging account ("Acme Ltd") and a check started on it: (account, check id)."""
    linked = zinc("link", "--env", "staging", "--label", "Acme Ltd", stdin=STAGING_KEY)
    assert linked.code == 0, linked.err
    start = ["checks", "start", "Acme Ltd", "--package", "pkg_stg_basic", "--candidate", "-"]
    check = zinc(*start, stdin=json.dumps(CANDIDATE))
    assert check.code == 0, check.err
    return "Acme Ltd", check.out.strip()


@pytest.fixture
def exports(tmp_path: Path) -> Path:
    """Where summaries go: beside, not inside, the app's own folders (also under tmp_path)."""
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


def pdf_words(path: Path) -> str:
    return " ".join(pdf_to_text(path).split())


def test_a_summary_is_written_to_exactly_that_file_owner_only(
    zinc: Cli, started: tuple[str, str], exports: Path
) -> None:
    account, check_id = started
    folder = exports
    result = zinc("checks", "summary", account, check_id, "--output", str(folder / "acme.pdf"))
    assert result.code == 0, result.err
    assert str(folder / "acme.pdf") in result.out
    assert [p.name for p in folder.iterdir()] == ["acme.pdf"]  # nothing beside it, no temp file
    assert (folder / "acme.pdf").read_bytes().startswith(b"%PDF")
    if FILE_MODES:
        assert stat.S_IMODE((folder / "acme.pdf").stat().st_mode) == 0o600
    text = pdf_words(folder / "acme.pdf")
    for expected in ("Acme Ltd", "Basic DBS + Right to Work", check_id, "Staging"):
        assert expected in text, expected  # the id on one line: a reader copies it whole

    as_json = zinc("checks", "summary", account, check_id, "-o", str(folder / "acme.htm"),
                   "--json")  # fmt: skip
    assert as_json.code == 0, as_json.err
    assert json.loads(as_json.out) == {"written": str(folder / "acme.htm"), "format": "html"}
    assert "<html" in (folder / "acme.htm").read_text("utf-8")
    if FILE_MODES:
        assert stat.S_IMODE((folder / "acme.htm").stat().st_mode) == 0o600
    assert sorted(p.name for p in folder.iterdir()) == ["acme.htm", "acme.pdf"]


def test_an_existing_file_is_replaced_only_with_force(
    zinc: Cli, started: tuple[str, str], exports: Path, sandbox: SandboxServer
) -> None:
    account, check_id = started
    mine = exports / "summary.html"
    mine.write_bytes(b"the user's own page")
    os.chmod(mine, 0o644)
    before = len(sandbox.requests)
    refused = zinc("checks", "summary", account, check_id, "--output", str(mine))
    assert refused.code == 2
    assert "exists" in refused.err
    assert "--force" in refused.err
    assert mine.read_bytes() == b"the user's own page"
    if FILE_MODES:
        assert stat.S_IMODE(mine.stat().st_mode) == 0o644
    assert len(sandbox.requests) == before  # refused before anything was read

    forced = zinc("checks", "summary", account, check_id, "--output", str(mine), "--force")
    assert forced.code == 0, forced.err
    assert "Acme Ltd" in html_text(mine.read_text("utf-8"))
    if FILE_MODES:
        assert stat.S_IMODE(mine.stat().st_mode) == 0o600


@pytest.mark.parametrize("name", ["summary.txt", "summary", "summary.pdf.bak", "summary.PDF "])
def test_a_file_not_named_pdf_or_html_is_refused(
    zinc: Cli, started: tuple[str, str], exports: Path, sandbox: SandboxServer, name: str
) -> None:
    account, check_id = started
    before = len(sandbox.requests)
    result = zinc("checks", "summary", account, check_id, "--output", str(exports / name))
    assert result.code == 2
    assert ".pdf, .html or .htm" in result.err
    assert list(exports.iterdir()) == []
    assert len(sandbox.requests) == before


def test_the_names_are_in_the_export_and_the_candidate_name_nowhere_else(
    zinc: Cli,
    started: tuple[str, str],
    exports: Path,
    environ: dict[str, str],
    app_paths: AppPaths,
) -> None:
    account, check_id = started
    env = {**environ, "ZINC_CONSULTANT": "Jane Whitfield"}
    out = exports / "for-acme.pdf"
    result = zinc("checks", "summary", account, check_id, "-o", str(out), "--candidate-name",
                  stdin=f"{TYPED_NAME}\n", env=env)  # fmt: skip
    assert result.code == 0, result.err
    text = pdf_words(out)
    assert "Jane Whitfield" in text
    assert TYPED_NAME in text
    assert TYPED_NAME not in result.out + result.err

    from_file = exports / "name.txt"
    from_file.write_text(f"\ufeff{TYPED_NAME}\n", "utf-8")
    page = exports / "for-acme.html"
    by_file = zinc("checks", "summary", account, check_id, "-o", str(page),
                   "--consultant", "J. Whitfield", "--candidate-name", str(from_file),
                   env=env)  # fmt: skip
    assert by_file.code == 0, by_file.err
    shown = html_text(page.read_text("utf-8"))
    assert TYPED_NAME in shown
    assert "J. Whitfield" in shown  # --consultant wins over ZINC_CONSULTANT
    assert "Jane Whitfield" not in shown

    zinc("checks", "status", account, check_id)
    zinc("checks", "list", account)
    assert app_paths.log_file.exists()
    assert files_containing(app_paths.all(), "Quillfeather") == []  # history, log, settings


def test_a_candidate_name_on_the_command_line_is_refused_unechoed(
    zinc: Cli, started: tuple[str, str], exports: Path
) -> None:
    account, check_id = started
    result = zinc("checks", "summary", account, check_id, "-o", str(exports / "s.pdf"),
                  "--candidate-name", TYPED_NAME)  # fmt: skip
    assert result.code == 2
    assert "not taken on the command line" in result.err
    assert "Quillfeather" not in result.out + result.err
    assert list(exports.iterdir()) == []


@pytest.mark.parametrize(
    "case",
    [("--consultant", "jane@zincwork.com", "email"),
     ("--consultant", "x" * 81, "at most 80"),
     ("--candidate-name", "\u200fGrace Quillfeather-Hopper", "U+200F"),
     ("--candidate-name", "</td><h1>Grace Quillfeather-Hopper", None)],
)  # fmt: skip
def test_a_typed_name_is_refused_with_a_reason_or_shown_escaped(
    zinc: Cli, started: tuple[str, str], exports: Path, case: tuple[str, str, str | None]
) -> None:
    """(option, the name typed, what the refusal says: None when it is shown, escaped)"""
    option, value, reason = case
    account, check_id = started
    out = exports / "s.html"
    args = ["checks", "summary", account, check_id, "-o", str(out)]
    result = (
        zinc(*args, option, value)
        if option == "--consultant"
        else zinc(*args, option, "-", stdin=value)
    )
    if reason is None:
        assert result.code == 0, result.err
        page = out.read_text("utf-8")
        assert "&lt;/td&gt;&lt;h1&gt;Grace" in page
        assert "<h1>" not in page
        return
    assert result.code == 2
    assert reason in result.err
    assert "Quillfeather" not in result.err
    assert not out.exists()


def test_a_server_echoing_keys_and_addresses_leaves_none_in_the_file(
    zinc: Cli, started: tuple[str, str], exports: Path, sandbox: SandboxServer
) -> None:
    account, check_id = started
    hostile = {
        "check_id": check_id,
        "status": "complete",
        "updates": [{"status": "requested", "at": "2026-12-03T09:58:00Z"},
                    {"status": "complete", "at": "2026-12-03T10:00:00Z"}],
        "results": [
            {"name": f"Identity (key ••••{STAGING_KEY[-4:]})",
             "outcome": f"clear, see {sandbox.base_url(Environment.STAGING)}/x"},
            {"name": "Right to work", "outcome": "ask ops@zincwork.com or +44 20 7946 0958"},
            {"name": f"Host {STAGING_KEY}", "outcome": "served by api.internal.example:8443"},
        ],
    }  # fmt: skip
    sandbox.inject(Fault(status=200, body=json.dumps(hostile).encode(), times=None))
    for name in ("s.pdf", "s.html"):
        result = zinc("checks", "summary", account, check_id, "-o", str(exports / name))
        assert result.code == 0, result.err
    page = (exports / "s.html").read_text("utf-8")
    for where, text in (("html", page), ("pdf", pdf_to_text(exports / "s.pdf"))):
        for leak in (STAGING_KEY[-4:], "127.0.0.1", str(sandbox.port), "ops@zincwork.com",
                     "7946", "api.internal.example", "8443"):  # fmt: skip
            assert leak not in text, (where, leak)
        assert "Right to work" in text, where
        assert "2min" in "".join(text.split()), where  # requested to complete


def test_an_unknown_check_or_account_writes_nothing(
    zinc: Cli, started: tuple[str, str], exports: Path
) -> None:
    account, _ = started
    out = str(exports / "s.pdf")
    assert zinc("checks", "summary", "nobody", "chk-s-1", "-o", out).code == 4
    unknown = zinc("checks", "summary", account, "chk-nope", "-o", out)
    assert unknown.code == 2, unknown.err
    key_as_id = zinc("checks", "summary", account, STAGING_KEY, "-o", out)
    assert key_as_id.code == 2
    assert STAGING_KEY not in key_as_id.err
    assert list(exports.iterdir()) == []
