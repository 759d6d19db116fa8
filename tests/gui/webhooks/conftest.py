"""Fixtures of the Webhooks page tests: linked accounts and the integration being demoed."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest

from tests.conftest import PRODUCTION_KEY, STAGING_KEY
from zinc_desktop.core.accounts.model import Account
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.sandbox import SandboxServer
from zinc_desktop.services import Services

OTHER_STAGING_KEY = "5e" * 16


@pytest.fixture
def acme(make_services: Callable[..., Services]) -> Account:
    account = (
        make_services().links.link(Environment.STAGING, ApiKey.parse(STAGING_KEY), "Acme").account
    )
    assert account is not None
    return account


@pytest.fixture
def three(make_services: Callable[..., Services], sandbox: SandboxServer) -> dict[str, Account]:
    """Acme and Globex on Staging, Acme live on Production."""
    links = make_services().links
    sandbox.add_key(Environment.STAGING, OTHER_STAGING_KEY)
    made = {}
    for label, environment, key in (
        ("Acme", Environment.STAGING, STAGING_KEY),
        ("Globex", Environment.STAGING, OTHER_STAGING_KEY),
        ("Acme live", Environment.PRODUCTION, PRODUCTION_KEY),
    ):
        account = links.link(environment, ApiKey.parse(key), label).account
        assert account is not None
        made[label] = account
    return made


class Handler(BaseHTTPRequestHandler):
    """The integration being demoed: records what it got, answers 200."""

    seen: ClassVar[list[tuple[str, list[tuple[str, str]], bytes]]]

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.seen.append((self.path, list(self.headers.items()), body))
        answer = b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def handler() -> Iterator[tuple[str, type[Handler]]]:
    class Mine(Handler):
        seen: ClassVar[list[tuple[str, list[tuple[str, str]], bytes]]] = []

    server = ThreadingHTTPServer(("127.0.0.1", 0), Mine)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hooks/zinc", Mine
    server.shutdown()
    server.server_close()
    thread.join(5)
