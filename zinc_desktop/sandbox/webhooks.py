"""The simulator's webhook deliveries: each stage a check with a webhook URL reaches is sent
there, signed with the tenant's signing token in the simulator's guessed scheme
(core/webhooks/signing.py: SIMULATOR_SCHEME), from a thread of its own.

A delivery that fails (nobody listening, an error answer) is recorded and not retried: what a
real Zinc retries, and when, is not published (ZINC.md).
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import httpx

from zinc_desktop.core.webhooks.signing import sign
from zinc_desktop.sandbox.tenant import Tenant

INTERVAL = 0.1  # how often stages are looked at (the journey clock moves in demo seconds)
SEND_TIMEOUT = 5.0
KEPT_ATTEMPTS = 200


@dataclass(frozen=True)
class SentWebhook:
    """One attempt, as the simulator's steering shows it (no payload: it names a candidate)."""

    check_id: str
    event: str
    status: str
    url: str
    answer: int | None  # the receiver's HTTP status; None when it could not be reached
    error: str = ""


class WebhookSender:
    def __init__(self, tenants: Iterable[Tenant], interval: float = INTERVAL) -> None:
        self._tenants = list(tenants)
        self._interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.attempts: deque[SentWebhook] = deque(maxlen=KEPT_ATTEMPTS)
        self.on_attempt: Callable[[SentWebhook], None] | None = None

    def start(self) -> None:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="sandbox webhooks", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=SEND_TIMEOUT + 1)
            self._thread = None

    def send_due(self, client: httpx.Client) -> None:
        """Send what is due now (the thread's loop; tests call it to not wait)."""
        for tenant in self._tenants:
            for url, payload in tenant.due_webhooks():
                self._send(client, tenant, url, payload)

    def _run(self) -> None:
        with httpx.Client(timeout=SEND_TIMEOUT, trust_env=False) as client:
            while not self._stop.wait(self._interval):
                self.send_due(client)

    def _send(
        self, client: httpx.Client, tenant: Tenant, url: str, payload: dict[str, object]
    ) -> None:
        body = json.dumps(payload, separators=(",", ":")).encode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "zinc-desktop-simulator",
            **sign(body, tenant.signing_token),
        }
        check_id, event, status = (str(payload[k]) for k in ("check_id", "event", "status"))
        try:
            answer = client.post(url, content=body, headers=headers)
            attempt = SentWebhook(check_id, event, status, url, answer.status_code)
        except httpx.HTTPError as error:
            attempt = SentWebhook(check_id, event, status, url, None, type(error).__name__)
        self.attempts.append(attempt)
        if self.on_attempt is not None:
            self.on_attempt(attempt)
