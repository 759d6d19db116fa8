"""One HTTP client per linked account, kept between calls: one TLS handshake, not one per call.

A poll every few seconds, or re-testing many accounts, would otherwise open a new connection
(and, against Zinc, a new TLS session) for every call. The pooled clients belong to an account
and its environment; unlinking the account closes its client, and so does closing the app.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from zinc_desktop.core.foundation.environments import Endpoint, Environment

if TYPE_CHECKING:
    import httpx


class ClientPool:
    """Thread-safe; httpx clients may serve several threads at once (their pool has a lock)."""

    def __init__(self, make: Callable[[Endpoint], httpx.Client]) -> None:
        self._make = make
        self._clients: dict[tuple[Environment, str], httpx.Client] = {}
        self._lock = threading.Lock()
        self.created = 0  # how many clients were ever made (tests and benchmarks read it)

    def http(self, endpoint: Endpoint, account_id: str) -> httpx.Client:
        """The account's client for its environment, made on first use."""
        key = (endpoint.environment, account_id)
        with self._lock:
            client = self._clients.get(key)
            if client is None or client.is_closed:
                client = self._make(endpoint)
                self._clients[key] = client
                self.created += 1
            return client

    def close(self, account_id: str) -> None:
        with self._lock:
            keys = [key for key in self._clients if key[1] == account_id]
            clients = [self._clients.pop(key) for key in keys]
        for client in clients:
            client.close()

    def close_all(self) -> None:
        with self._lock:
            clients = list(self._clients.values())
            self._clients.clear()
        for client in clients:
            client.close()

    def __len__(self) -> int:
        with self._lock:
            return len(self._clients)
