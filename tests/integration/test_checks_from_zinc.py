"""Checks from Zinc's side: the account's list (those the integration started too), cancelling
a test check, the report link; and a Zinc that offers neither (404 or 405 on our guessed paths):
said plainly, with the local history instead and no cancel."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable

import httpx
import pytest

from tests.conftest import PRODUCTION_KEY, STAGING_KEY
from tests.support.cli_runner import Outcome, run_cli
from tests.support.memory_keyring import MemoryKeyring
from zinc_desktop.core.checks.history import CheckHistory
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.app_paths import AppPaths
from zinc_desktop.core.foundation.environments import Endpoint, EndpointSource, Environment
from zinc_desktop.core.zinc.api import Candidate
from zinc_desktop.core.zinc.client import ZincClient
from zinc_desktop.sandbox import Fault, SandboxServer

Cli = Callable[..., Outcome]
CANDIDATE = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.test"}


@pytest.fixture
def zinc(environ: dict[str, str], memory_keyring: MemoryKeyring) -> Cli:
    def run(*args: str, stdin: str = "") -> Outcome:
        return run_cli(list(args), environ, memory_keyring, stdin)

    return run


def linked(zinc: Cli, environment: str = "staging", key: str = STAGING_KEY) -> str:
    result = zinc("link", "--env", environment, "--json", stdin=key)
    assert result.code == 0, result.err
    return str(json.loads(result.out)["account"]["id"])


def start(zinc: Cli, account_id: str, package: str = "pkg_stg_basic") -> str:
    result = zinc(
        "checks", "start", account_id, "--package", package, "--candidate", "-",
        "--yes-billable", stdin=json.dumps(CANDIDATE),
    )  # fmt: skip
    assert result.code == 0, result.err
    return result.out.strip()


def started_elsewhere(sandbox: SandboxServer) -> str:
    """A check the integration being demoed started, with the same key: not in our history."""
    endpoint = Endpoint(
        Environment.STAGING, sandbox.base_url(Environment.STAGING), EndpointSource.SANDBOX
    )
    with ZincClient(endpoint, ApiKey.parse(STAGING_KEY)) as client:
        return client.start_check("pkg_stg_basic", Candidate("Bo", "B", "bo@example.test"))


def test_the_list_comes_from_zinc_with_checks_started_elsewhere(
    zinc: Cli, sandbox: SandboxServer
) -> None:
    account_id = linked(zinc)
    ours = start(zinc, account_id)
    theirs = started_elsewhere(sandbox)
    listed = zinc("checks", "list", account_id, "--json")
    assert listed.code == 0, listed.err
    found = json.loads(listed.out)
    assert found["source"] == "zinc"
    assert {(c["check_id"], c["in_history"]) for c in found["checks"]} == {
        (ours, True), (theirs, False),
    }  # fmt: skip
    text = zinc("checks", "list", account_id)
    assert "From Zinc (Staging), 2 check(s)" in text.err
    assert "(started elsewhere)" in text.out


@pytest.mark.parametrize("status", [404, 405])
def test_a_zinc_without_a_list_falls_back_to_the_history_and_says_so(
    zinc: Cli, sandbox: SandboxServer, status: int
) -> None:
    account_id = linked(zinc)
    ours = start(zinc, account_id)
    sandbox.inject(Fault(status=status, body=b'{"message": "no"}'))
    listed = zinc("checks", "list", account_id, "--json")
    assert listed.code == 0, listed.err
    found = json.loads(listed.out)
    assert found["source"] == "history"
    assert "does not offer a list of checks" in found["why"]
    assert [c["id"] for c in found["checks"]] == [ours]


def test_a_test_check_is_cancelled_and_the_history_says_withdrawn(
    zinc: Cli, sandbox: SandboxServer
) -> None:
    account_id = linked(zinc)
    check_id = start(zinc, account_id)
    cancelled = zinc("checks", "cancel", account_id, check_id, "--json")
    assert cancelled.code == 0, cancelled.err
    assert json.loads(cancelled.out) == {
        "check_id": check_id, "cancelled": True, "in_history": True,
    }  # fmt: skip
    status = json.loads(zinc("checks", "status", account_id, check_id, "--json").out)
    assert status["status"] == "withdrawn"
    assert status["updates"][-1]["status"] == "withdrawn"
    listed = json.loads(zinc("checks", "list", account_id, "--json").out)
    assert [c["status"] for c in listed["checks"]] == ["withdrawn"]
    again = zinc("checks", "cancel", account_id, check_id)
    assert again.code != 0
    assert "already" in again.err


def test_a_production_cancel_needs_yes_and_a_zinc_without_cancel_says_so(
    zinc: Cli, sandbox: SandboxServer
) -> None:
    production = linked(zinc, "production", PRODUCTION_KEY)
    check_id = start(zinc, production, "pkg_prd_basic")
    before = len(sandbox.requests)
    refused = zinc("checks", "cancel", production, check_id)
    assert refused.code == 2
    assert "--yes" in refused.err
    assert len(sandbox.requests) == before  # nothing sent
    sandbox.inject(Fault(status=405))
    offered = zinc("checks", "cancel", production, check_id, "--yes")
    assert offered.code != 0
    assert "does not offer cancelling a check" in offered.err


def test_a_complete_check_carries_its_report_link(zinc: Cli, sandbox: SandboxServer) -> None:
    account_id = linked(zinc)
    check_id = start(zinc, account_id)
    sandbox.step()
    while sandbox.step():
        pass
    status = json.loads(zinc("checks", "status", account_id, check_id, "--json").out)
    assert status["status"] == "complete"
    assert status["report_url"].startswith("http://127.0.0.1:")
    assert status["report_url"].endswith(check_id)
    assert "report: http://127.0.0.1:" in zinc("checks", "status", account_id, check_id).out
    page = httpx.get(status["report_url"], timeout=5)  # as a browser opens it: no key
    assert page.status_code == 200
    assert "Simulated Zinc report" in page.text
    hostile = httpx.get(status["report_url"] + "%3Cscript%3E", timeout=5)
    assert "<script>" not in hostile.text


def test_checks_only_the_history_knows_are_listed_after_zincs_and_say_so(
    zinc: Cli, sandbox: SandboxServer, app_paths: AppPaths
) -> None:
    """A check Zinc no longer lists (older, or deleted there) still shows, marked."""
    account_id = linked(zinc)
    ours = start(zinc, account_id)
    history = CheckHistory(app_paths.checks_file)
    record = history.find(ours)
    assert record is not None
    history.add(dataclasses.replace(record, id="chk-s-only-here-1"))
    found = json.loads(zinc("checks", "list", account_id, "--json").out)
    assert [(c["check_id"], c["listed_by_zinc"]) for c in found["checks"]] == [
        (ours, True), ("chk-s-only-here-1", False),
    ]  # fmt: skip
    text = zinc("checks", "list", account_id).out
    assert "chk-s-only-here-1" in text
    assert "not listed by Zinc" in text
