"""Webhooks end to end, as a consultant runs them: the simulator (sandbox fixture, running)
sends a signed delivery at each stage of a check started with a webhook URL; `webhooks listen`
(a real process, the real Secret Service holding the signing token) verifies each and forwards
it byte for byte to a real handler; Ctrl+C ends it with 0; nothing of the candidate or the token
reaches a file under the app's folders."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import STAGING_KEY
from tests.support.disk_scan import files_containing
from tests.support.platforms import posix_only
from tests.support.webhook_target import WebhookTarget, webhook_target
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.sandbox import SandboxServer

pytestmark = pytest.mark.secret_service

# Ctrl+C, as a signal sent to `webhooks listen` alone.
ctrl_c = posix_only("SIGINT sent to one process; Windows sends Ctrl+C to a whole console")

CANDIDATE = {"first_name": "Zebedee", "last_name": "Quillfeather", "email": "zq@example.test"}


def zinc(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zinc_desktop", *args], input=stdin, env=env,
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


@pytest.fixture
def target() -> Iterator[WebhookTarget]:
    with webhook_target("/zinc-hooks") as made:
        made.answer = (204, b"")
        yield made


def listen(env: dict[str, str], *args: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "zinc_desktop", "webhooks", "listen", "--json", *args],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    first = json.loads(process.stdout.readline())
    return process, first["listening"]


def deliveries_until_complete(process: subprocess.Popen[str]) -> list[dict[str, Any]]:
    assert process.stdout is not None
    lines: list[dict[str, Any]] = []
    timer = threading.Timer(30, process.kill)
    timer.start()
    try:
        for raw in process.stdout:
            lines.append(json.loads(raw))
            if lines[-1].get("status") == "complete":
                break
    finally:
        timer.cancel()
    return lines


@ctrl_c
def test_a_checks_journey_arrives_signed_verified_and_forwarded(
    cli_env: dict[str, str], sandbox: SandboxServer, target: WebhookTarget, tmp_path: Path
) -> None:
    linked = zinc(cli_env, "link", "--env", "staging", "--json", stdin=STAGING_KEY)
    assert linked.returncode == 0, linked.stderr
    account_id = json.loads(linked.stdout)["account"]["id"]
    token = sandbox.signing_token(Environment.STAGING)
    assert token not in zinc(cli_env, "webhooks", "set-token", account_id, stdin=token).stdout
    process, url = listen(cli_env, "--account", account_id, "--forward-to", target.url)
    try:
        started = zinc(
            cli_env, "checks", "start", account_id, "--package", "pkg_stg_basic",
            "--candidate", "-", "--webhook-url", url, stdin=json.dumps(CANDIDATE),
        )  # fmt: skip
        assert started.returncode == 0, started.stderr
        check_id = started.stdout.strip()
        lines = deliveries_until_complete(process)
        process.send_signal(signal.SIGINT)
        assert process.wait(10) == 0
    finally:
        if process.poll() is None:
            process.kill()
    assert [line["status"] for line in lines] == [
        "requested", "awaiting_candidate", "in_progress", "complete",
    ]  # fmt: skip
    for line in lines:
        assert line["check_id"] == check_id
        assert (line["signature"], line["scheme"]) == ("valid", "hmac-sha256-hex")
        assert line["forward"]["status"] == 204
    # Forwarded byte for byte, the signature header with them.
    assert len(target.seen) == 4
    _, received, body = target.seen[-1]
    headers = dict(received)
    assert json.loads(body)["results"]
    assert headers["X-Zinc-Signature"].startswith("sha256=")
    # Nothing of the candidate, the token or the key under the app's folders.
    folders = [Path(cli_env[v]) for v in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME",
                                          "XDG_CACHE_HOME")]  # fmt: skip
    for secret in (token, STAGING_KEY, "Zebedee", "Quillfeather", "zq@example.test"):
        assert files_containing(folders, secret) == []


@ctrl_c
def test_a_wrong_token_is_invalid_and_no_token_is_said_so(
    cli_env: dict[str, str], sandbox: SandboxServer
) -> None:
    linked = zinc(cli_env, "link", "--env", "staging", "--json", stdin=STAGING_KEY)
    account_id = json.loads(linked.stdout)["account"]["id"]
    assert zinc(cli_env, "webhooks", "set-token", account_id, stdin="whsec_wrong").returncode == 0
    process, url = listen(cli_env, "--account", account_id)
    unchecked, unchecked_url = listen(cli_env)
    try:
        for target in (url, unchecked_url):
            zinc(
                cli_env, "checks", "start", account_id, "--package", "pkg_stg_basic",
                "--candidate", "-", "--webhook-url", target, stdin=json.dumps(CANDIDATE),
            )  # fmt: skip
        wrong = deliveries_until_complete(process)
        plain = deliveries_until_complete(unchecked)
    finally:
        for each in (process, unchecked):
            each.send_signal(signal.SIGINT)
            assert each.wait(10) == 0
    assert {line["signature"] for line in wrong} == {"invalid"}
    assert {line["signature"] for line in plain} == {"no-token"}
    cleared = zinc(cli_env, "webhooks", "clear-token", account_id, "--json")
    assert json.loads(cleared.stdout) == {"account_id": account_id, "cleared": True}


def test_a_one_shot_simulator_says_no_webhooks_will_follow(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    env = {k: v for k, v in cli_env.items() if not k.startswith("ZINC_")}
    linked = zinc(env, "--sandbox", "link", "--env", "staging", "--json", stdin=STAGING_KEY)
    account_id = json.loads(linked.stdout)["account"]["id"]
    started = zinc(
        env, "--sandbox", "checks", "start", account_id, "--package", "pkg_stg_basic",
        "--candidate", "-", "--webhook-url", "http://127.0.0.1:9/hooks",
        stdin=json.dumps(CANDIDATE),
    )  # fmt: skip
    assert started.returncode == 0, started.stderr
    assert "No webhooks will follow" in started.stderr


def test_bad_urls_and_tokens_are_refused_plainly(cli_env: dict[str, str]) -> None:
    linked = zinc(cli_env, "link", "--env", "staging", "--json", stdin=STAGING_KEY)
    account_id = json.loads(linked.stdout)["account"]["id"]
    bad = zinc(cli_env, "webhooks", "listen", "--forward-to", "file:///etc/passwd")
    assert bad.returncode == 2
    assert "http://" in bad.stderr
    spaced = zinc(cli_env, "webhooks", "set-token", account_id, stdin="two words")
    assert spaced.returncode == 2
    assert "two words" not in spaced.stderr
    as_key = zinc(cli_env, "webhooks", "set-token", account_id, stdin=STAGING_KEY)
    assert as_key.returncode == 2
    assert STAGING_KEY not in as_key.stderr
