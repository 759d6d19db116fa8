"""`zinc-desktop sandbox`: runs alone, prints both base URLs and a demo key each."""

from __future__ import annotations

import re
import subprocess
import sys

from zinc_desktop.core.api_key import ApiKey
from zinc_desktop.core.environments import Endpoint, EndpointSource, Environment
from zinc_desktop.core.zinc_client import ZincClient
from zinc_desktop.sandbox import DEMO_KEYS


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
