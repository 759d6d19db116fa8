"""`zinc-desktop sandbox`: runs alone, prints both base URLs and a demo key each."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.environments import Endpoint, EndpointSource, Environment
from zinc_desktop.core.zinc.api import Candidate
from zinc_desktop.core.zinc.client import ZincClient
from zinc_desktop.sandbox import DEMO_KEYS, CheckOutcome
from zinc_desktop.sandbox.addresses import signing_token
from zinc_desktop.sandbox.check_ids import read_check_id


def test_sandbox_command_serves_both_tenants() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "zinc_desktop", "sandbox", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(3)]
        found = {}
        for line in lines[1:]:
            match = re.match(
                r"\s+(staging|production)\s+(http://\S+)\s+demo key: ([0-9a-f]{32})", line
            )
            assert match, line
            found[Environment(match.group(1))] = (match.group(2), match.group(3))
        for environment, (url, key) in found.items():
            assert key == DEMO_KEYS[environment]
            endpoint = Endpoint(environment, url, EndpointSource.SANDBOX)
            with ZincClient(endpoint, ApiKey.parse(key)) as zinc:
                assert zinc.list_packages()
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_taken_port_is_a_clear_error() -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "zinc_desktop", "sandbox", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode == 2
    assert "Try --port 0" in result.stderr


@contextmanager
def sandbox_process(*args: str) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "zinc_desktop", "sandbox", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_sandbox_outcome_is_how_every_check_ends_unless_chosen_for_it() -> None:
    with sandbox_process("--outcome", "consider", "--json") as process:
        assert process.stdout is not None
        described = json.loads(process.stdout.readline())  # one line, for one readline
        assert described["outcome"] == "consider"
        url = described["base_urls"]["staging"]
        endpoint = Endpoint(Environment.STAGING, url, EndpointSource.SANDBOX)
        key = ApiKey.parse(described["demo_keys"]["staging"])
        with ZincClient(endpoint, key) as zinc:
            plain = zinc.start_check("pkg_stg_care", Candidate("Ada", "L", "a@example.com"))
            tagged = zinc.start_check("pkg_stg_care", Candidate("Ada", "L", "a+clear@example.com"))
    outcomes = [read_check_id(check_id) for check_id in (plain, tagged)]
    assert [(p.outcome, p.package_id) if p else None for p in outcomes] == [
        (CheckOutcome.CONSIDER, "pkg_stg_care"),
        (CheckOutcome.CLEAR, "pkg_stg_care"),
    ]


def test_sandbox_says_how_to_steer_it() -> None:
    with sandbox_process("--outcome", "attention") as process:
        assert process.stdout is not None
        text = "".join(process.stdout.readline() for _ in range(11))
    assert "Webhook signing tokens (public, for the simulator only):" in text
    for environment in Environment:
        assert signing_token(environment) in text
    assert "end: attention needed, then cleared (--outcome attention; " in text
    assert "the others: clear, consider, withdrawn" in text
    for tag in ("+clear", "+consider", "+attention", "+withdrawn"):
        assert tag in text
