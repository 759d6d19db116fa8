"""`checks start --outcome`: how a simulated check ends, chosen on the command line; only when
the simulator in the command serves the account (`--sandbox`), refused and unsent otherwise."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from tests.conftest import PRODUCTION_KEY, STAGING_KEY
from tests.support.cli_runner import Outcome, run_cli
from tests.support.memory_keyring import MemoryKeyring
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.sandbox import CheckOutcome, SandboxServer
from zinc_desktop.sandbox.check_ids import new_check_id, read_check_id

Cli = Callable[..., Outcome]
ADA = json.dumps({"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"})


@pytest.fixture
def zinc(environ: dict[str, str], memory_keyring: MemoryKeyring) -> Cli:
    def run(*args: str, stdin: str = "") -> Outcome:
        return run_cli(list(args), environ, memory_keyring, stdin)

    return run


def link(zinc: Cli, *sandbox: str, environment: str = "staging", key: str = STAGING_KEY) -> None:
    linked = zinc(*sandbox, "link", "--env", environment, "--label", "Acme", stdin=key)
    assert linked.code == 0, linked.err


def start(package: str, *extra: str) -> list[str]:
    return ["checks", "start", "Acme", "--package", package, "--candidate", "-", *extra]


@pytest.mark.parametrize("outcome", list(CheckOutcome))
def test_with_sandbox_the_check_ends_as_chosen(zinc: Cli, outcome: CheckOutcome) -> None:
    link(zinc, "--sandbox")
    started = zinc("--sandbox", *start("pkg_stg_care", "--outcome", outcome.value), stdin=ADA)
    assert started.code == 0, started.err
    parts = read_check_id(started.out.strip())
    assert parts is not None
    assert (parts.environment, parts.package_id, parts.outcome) == (
        Environment.STAGING,
        "pkg_stg_care",
        outcome,
    )


def test_the_outcome_is_for_that_check_only(zinc: Cli) -> None:
    link(zinc, "--sandbox")
    chosen = zinc("--sandbox", *start("pkg_stg_basic", "--outcome", "withdrawn"), stdin=ADA)
    plain = zinc("--sandbox", *start("pkg_stg_basic"), stdin=ADA)
    assert chosen.code == plain.code == 0
    outcomes = [read_check_id(result.out.strip()) for result in (chosen, plain)]
    assert [parts.outcome if parts else None for parts in outcomes] == [
        CheckOutcome.WITHDRAWN,
        CheckOutcome.CLEAR,
    ]


def test_production_still_needs_yes_billable_with_an_outcome(zinc: Cli) -> None:
    link(zinc, "--sandbox", environment="production", key=PRODUCTION_KEY)
    args = start("pkg_prd_exec", "--outcome", "consider")
    refused = zinc("--sandbox", *args, stdin=ADA)
    assert refused.code == 2
    assert "billed" in refused.err
    started = zinc("--sandbox", *args, "--yes-billable", stdin=ADA)
    assert started.code == 0, started.err
    parts = read_check_id(started.out.strip())
    assert parts is not None
    assert (parts.package_id, parts.outcome) == ("pkg_prd_exec", CheckOutcome.CONSIDER)


def test_without_sandbox_an_outcome_is_refused_and_nothing_is_sent(
    zinc: Cli, sandbox: SandboxServer
) -> None:
    link(zinc)  # served by a simulator in another process (the URL variables), not this one
    before = len(sandbox.requests)
    refused = zinc(*start("pkg_stg_basic", "--outcome", "consider"), stdin=ADA)
    assert refused.code == 2
    assert refused.err.count("\n") == 1
    assert "--sandbox" in refused.err
    assert "ada+consider@example.com" in refused.err
    assert "Nothing was sent" in refused.err
    assert refused.out == ""
    assert sandbox.requests[before:] == []


def test_an_unknown_outcome_is_a_usage_error(zinc: Cli) -> None:
    result = zinc("--sandbox", *start("pkg_stg_basic", "--outcome", "maybe"), stdin=ADA)
    assert result.code == 2
    assert "invalid choice: 'maybe'" in result.err


def test_a_one_shot_sandbox_reads_a_check_as_it_was_started(zinc: Cli) -> None:
    """The bug: each --sandbox command has a new simulator, which read every check as Basic."""
    link(zinc, "--sandbox")
    long_ago = 1_700_000_000.0  # November 2023: its journey is over by now
    check_id = new_check_id(Environment.STAGING, long_ago, CheckOutcome.CONSIDER, "pkg_stg_care")
    status = zinc("--sandbox", "checks", "status", "Acme", check_id, "--json")
    assert status.code == 0, status.err
    report = json.loads(status.out)
    assert report["status"] == "complete"
    assert [(r["name"], r["outcome"]) for r in report["results"]] == [
        ("Identity", "clear"),
        ("Right to work", "clear"),
        ("Criminal record (Enhanced DBS)", "consider"),
        ("Barred list (adults)", "clear"),
        ("Employment history (3 years)", "clear"),
    ]
