"""The command line against a server that attacks it: bounded time, the right exit, one line,
and the key nowhere, neither in the output nor on disk.

Every command runs in-process through the real composition root (`run_cli`) with the real
limits (15 s a call). To keep this file at about the length of its slowest attack, every
(mode, command) pair runs at once in a thread, in one module-scoped fixture; each test then
asserts on its mode's runs.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import STAGING_KEY
from tests.support.cli_runner import run_cli
from tests.support.disk_scan import files_containing
from tests.support.hostile_server import HostileServer, Mode
from tests.support.memory_keyring import MemoryKeyring
from tests.support.platforms import app_folder_variables
from zinc_desktop.core.foundation.app_paths import AppPaths
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.core.zinc.settings import ClientSettings
from zinc_desktop.sandbox import SandboxServer

TOTAL = ClientSettings().total_timeout
# Beyond the call's own deadline: the process starting, reading the key from gnome-keyring and
# exiting. 3 s was exceeded once (18.07 s) under the whole suite's load on 2 cores; the failures
# this guards against (a per-read timeout that a drip never trips, a deadline per phase) take
# 30 s or forever, far above 15 + 6.
SLACK = 6.0
CHECK_ID = "chk-s-18f3a2b4c5d-c1a2b3c"
COMMANDS = ("verify", "link", "packages", "checks status", "accounts verify")


@dataclass(frozen=True)
class Expected:
    code: int  # for verify, link, packages and checks status; `accounts verify` is always 1
    says: str  # a phrase the one line contains
    asks_other_environment: bool = False  # a rejection: the verdict asks the other one too


EXPECTED = {
    Mode.KEY_IN_CONTENT_TYPE: Expected(3, "not JSON (text/html-••••"),
    Mode.KEY_IN_REASON: Expected(1, "(401 Unauthorized)", asks_other_environment=True),
    Mode.KEY_IN_LOCATION: Expected(3, "redirect (302) to gw.example"),
    Mode.KEY_IN_MESSAGE: Expected(1, "Zinc said: Key ••••8cef is not valid at all.", True),
    Mode.KEY_IN_PLAIN_BODY: Expected(3, "not JSON (text/plain"),
    Mode.KEY_IN_BAD_HEADER: Expected(3, "illegal header line"),
    Mode.SLOW_HEADERS: Expected(3, f"did not answer within {TOTAL:g} s"),
    Mode.SLOW_BODY: Expected(3, f"did not answer within {TOTAL:g} s"),
    Mode.NESTED_JSON: Expected(3, "nested more than 64 levels"),
    Mode.HUGE_WITH_LENGTH: Expected(3, "more than 8 MB"),
    Mode.HUGE_WITHOUT_LENGTH: Expected(3, "more than 8 MB"),
    Mode.RESET_MID_HEADERS: Expected(3, "failed"),
    Mode.RESET_MID_BODY: Expected(3, "failed"),
    Mode.RETRY_AFTER_10: Expected(3, "rate-limited"),
    Mode.RETRY_AFTER_SUPERSCRIPT: Expected(3, "rate-limited"),
    Mode.RETRY_AFTER_FAR_DATE: Expected(3, "rate-limited"),
    Mode.RAW_401_SLOW_BEARER: Expected(3, f"did not answer within {TOTAL:g} s"),
    Mode.GARBAGE: Expected(3, "illegal status line"),
    Mode.STAGING_REJECTS_PRODUCTION_HANGS: Expected(1, "(401 Unauthorized)", True),
    Mode.GZIP_BOMB: Expected(3, "unpacks to more than 8 MB"),
    Mode.GZIP_TWICE_BOMB: Expected(3, "unpacks to more than 8 MB"),
    Mode.UNASKED_ENCODING: Expected(3, "encoded as 'br', which we did not ask for"),
}


@dataclass(frozen=True)
class Run:
    command: str
    code: int
    output: str  # stdout and stderr together
    seconds: float


@dataclass(frozen=True)
class Campaign:
    runs: dict[Mode, list[Run]]
    files_with_the_key: list[Path]


def _command_line(command: str, account_id: str) -> list[str]:
    return {
        "verify": ["verify", "--env", "staging"],
        "link": ["link", "--env", "staging", "--label", "again"],
        "packages": ["packages", account_id],
        "checks status": ["checks", "status", account_id, CHECK_ID],
        "accounts verify": ["accounts", "verify", account_id],
    }[command]


@pytest.fixture(scope="module")
def campaign(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Campaign]:
    """Link the staging key against the simulator, then point both environments at each mode
    of the hostile server and run every command against it, all at once."""
    home = tmp_path_factory.mktemp("hostile")
    keyring = MemoryKeyring()
    with pytest.MonkeyPatch.context() as patch:
        for variable, value in app_folder_variables(home).items():
            patch.setenv(variable, value)
        for variable in ("ZINC_API_KEY", "ZINC_STAGING_API_URL", "ZINC_PRODUCTION_API_URL"):
            patch.delenv(variable, raising=False)
        paths = AppPaths.for_profile()
        base = dict(os.environ)
        with SandboxServer() as sandbox:
            simulated = {**base, **{e.override_variable: sandbox.base_url(e) for e in Environment}}
            linked = run_cli(["link", "--env", "staging"], simulated, keyring, STAGING_KEY)
            assert linked.code == 0, linked.err
            listing = run_cli(["accounts", "list", "--json"], simulated, keyring)
            (account,) = json.loads(listing.out)

        with HostileServer() as server:

            def run(mode: Mode, command: str) -> tuple[Mode, Run]:
                environ = {**base, **server.environ(mode)}
                started = time.monotonic()
                result = run_cli(
                    _command_line(command, account["id"]), environ, keyring, STAGING_KEY
                )
                seconds = time.monotonic() - started
                return mode, Run(command, result.code, result.out + result.err, seconds)

            jobs = [(mode, command) for mode in Mode for command in COMMANDS]
            with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
                finished = list(pool.map(lambda job: run(*job), jobs))
        runs: dict[Mode, list[Run]] = {mode: [] for mode in Mode}
        for mode, result in finished:
            runs[mode].append(result)
        yield Campaign(runs, files_containing(paths.all(), STAGING_KEY))


def test_every_mode_has_an_expectation() -> None:
    assert set(EXPECTED) == set(Mode)


@pytest.mark.parametrize("mode", list(Mode), ids=[m.value for m in Mode])
def test_a_hostile_server_gets_a_bounded_one_line_answer_and_no_key(
    campaign: Campaign, mode: Mode
) -> None:
    expected = EXPECTED[mode]
    assert [r.command for r in campaign.runs[mode]] == list(COMMANDS)
    for run in campaign.runs[mode]:
        where = f"{mode.value} / {run.command}: {run.output!r}"
        code = 1 if run.command == "accounts verify" else expected.code
        assert run.code == code, where
        assert len(run.output.splitlines()) == 1, where
        assert run.output.endswith("\n"), where
        assert STAGING_KEY not in run.output.lower(), where
        assert expected.says in run.output, where
        calls = 2 if expected.asks_other_environment and run.command in ("verify", "link") else 1
        if run.command == "accounts verify" and expected.asks_other_environment:
            calls = 2
        assert run.seconds < calls * TOTAL + SLACK, f"{where} took {run.seconds:.1f} s"
    assert campaign.files_with_the_key == []
