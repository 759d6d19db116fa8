"""The webhooks commands in-process (the real composition root, a memory keyring): the lines
`listen` prints for a delivery (text and JSON, forwarded or not, refused), Ctrl+C exiting 0,
and the token commands' answers. test_webhooks_cli.py runs them as whole processes."""

from __future__ import annotations

import _thread
import io
import json
import threading
import time
from collections.abc import Callable

import httpx
import pytest

from tests.conftest import STAGING_KEY
from tests.support.cli_runner import Outcome, TtyLessInput, run_cli
from tests.support.memory_keyring import MemoryKeyring
from zinc_desktop import cli
from zinc_desktop.app import make_services_factory
from zinc_desktop.core.webhooks.signing import sign

Cli = Callable[..., Outcome]
TOKEN = "whsec_inprocess_42"


@pytest.fixture
def zinc(environ: dict[str, str], memory_keyring: MemoryKeyring) -> Cli:
    def run(*args: str, stdin: str = "") -> Outcome:
        return run_cli(list(args), environ, memory_keyring, stdin)

    return run


class Lines(io.StringIO):
    """stdout that tells a waiting thread when a line arrives."""

    def __init__(self) -> None:
        super().__init__()
        self.grew = threading.Event()

    def write(self, text: str) -> int:
        written = super().write(text)
        self.grew.set()
        return written


def listen(
    environ: dict[str, str], keyring: MemoryKeyring, args: list[str], send: Callable[[str], None]
) -> tuple[int, list[str]]:
    """Run `webhooks listen` on this (the main) thread; another thread reads its first line,
    calls `send(url)`, waits for the delivery's line, then presses Ctrl+C."""
    out = Lines()
    console = cli.Console(TtyLessInput(""), out, io.StringIO(), environ)

    def drive() -> None:
        while "\n" not in out.getvalue():
            out.grew.wait(5)
            out.grew.clear()
        first = out.getvalue().splitlines()[0]
        url = json.loads(first)["listening"] if first.startswith("{") else first.split()[2]
        before = len(out.getvalue().splitlines())
        send(url)
        give_up = time.monotonic() + 10
        while len(out.getvalue().splitlines()) <= before and time.monotonic() < give_up:
            out.grew.wait(0.5)
            out.grew.clear()
        _thread.interrupt_main()

    threading.Thread(target=drive, daemon=True).start()
    code = cli.run(["webhooks", "listen", *args], console, make_services_factory(environ, keyring))
    return code, out.getvalue().splitlines()


def post_signed(url: str) -> None:
    body = json.dumps({"check_id": "chk-s-1", "status": "complete", "first_name": "Ada"})
    httpx.post(url, content=body, headers=sign(body.encode(), TOKEN), timeout=5)


def test_json_lines_verify_with_the_accounts_token_and_ctrl_c_exits_0(
    zinc: Cli, environ: dict[str, str], memory_keyring: MemoryKeyring
) -> None:
    account_id = json.loads(zinc("link", "--env", "staging", "--json", stdin=STAGING_KEY).out)[
        "account"
    ]["id"]
    said = zinc("webhooks", "set-token", account_id, "--json", stdin=TOKEN)
    assert said.code == 0, said.err
    assert TOKEN not in said.out
    assert json.loads(said.out)["signing_token"] == "set"
    code, lines = listen(environ, memory_keyring, ["--json", "--account", account_id], post_signed)
    assert code == 0
    delivery = json.loads(lines[1])
    assert delivery["signature"] == "valid"
    assert delivery["scheme"] == "hmac-sha256-hex"
    assert delivery["check_id"] == "chk-s-1"
    assert "Ada" not in "\n".join(lines)
    assert json.loads(zinc("webhooks", "clear-token", account_id, "--json").out)["cleared"]
    again = zinc("webhooks", "clear-token", account_id)
    assert "had no signing token" in again.out


def test_text_lines_say_the_verdict_the_forward_failure_and_a_refusal(
    environ: dict[str, str], memory_keyring: MemoryKeyring
) -> None:
    def send_two(url: str) -> None:
        httpx.post(url, content=b'{"status": "in_progress"}', timeout=5)

    code, lines = listen(
        environ, memory_keyring, ["--forward-to", "http://127.0.0.1:9/down"], send_two
    )
    assert code == 0
    assert lines[0].startswith("Listening on http://127.0.0.1:")
    assert "No --account: signatures are not checked" in lines[1]
    assert "Forwarding each delivery" in lines[2]
    delivery = lines[-2] if lines[-1] == "Stopped listening." else lines[-1]
    assert "in_progress" in delivery
    assert "not checked: no signing token" in delivery
    assert "forward: not delivered: the handler at http://127.0.0.1:9/down is down" in delivery


def test_a_bad_port_or_a_port_in_use_is_exit_2(zinc: Cli) -> None:
    assert zinc("webhooks", "listen", "--port", "70000").code == 2
    import socket

    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        busy = zinc("webhooks", "listen", "--port", str(port))
    assert busy.code == 2
    assert "Try --port 0" in busy.err
