"""The window's webhook receiver, off until switched on: one per run, shared by the Webhooks
page and the Demo tab (a check started while it is on carries its URL, or the public URL of
the consultant's own tunnel when one is set: real Zinc cannot reach 127.0.0.1).

Tokens are asked of `token_for` (the keyring, through the caller) once per account and kept
in memory while the station runs; `forget_token` drops one after it was set or cleared.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from urllib.parse import urlsplit

from zinc_desktop.core.foundation.events import EventHub
from zinc_desktop.core.webhooks.deliveries import Delivery, DeliveryRing
from zinc_desktop.core.webhooks.forwarding import http_url
from zinc_desktop.core.webhooks.receiver import ReceiverSettings, WebhookReceiver, reaches_port

log = logging.getLogger(__name__)


class WebhookStation:
    def __init__(self, events: EventHub, token_for: Callable[[str], str | None]) -> None:
        self.events = events
        self.ring = DeliveryRing()  # kept across off and on, in memory only
        self.settings = ReceiverSettings()
        self._token_for = token_for
        self._tokens: dict[str, str | None] = {}
        self._receiver: WebhookReceiver | None = None
        self._public_url: str | None = None
        self._lock = threading.Lock()

    # --- on and off --------------------------------------------------------------------------

    def start(self, port: int = 0) -> str:
        """Listen on 127.0.0.1 (OSError when the port is taken); returns the local URL."""
        with self._lock:
            if self._receiver is None:
                receiver = WebhookReceiver(
                    self.events, self.token, port=port, settings=self.settings, ring=self.ring
                )
                receiver.start()
                self._receiver = receiver
            return self._receiver.url

    def stop(self) -> None:
        with self._lock:
            receiver, self._receiver = self._receiver, None
        if receiver is not None:
            receiver.stop()

    @property
    def running(self) -> bool:
        return self._receiver is not None

    @property
    def local_url(self) -> str | None:
        receiver = self._receiver
        return receiver.url if receiver is not None else None

    # --- where checks send their updates -----------------------------------------------------

    @property
    def public_url(self) -> str | None:
        return self._public_url

    def set_public_url(self, url: str | None) -> None:
        """The consultant's own tunnel to the receiver (any tunnel tool; the app runs none);
        None or blank: none. BadForwardUrl for what is not an http(s) URL."""
        self._public_url = http_url(url, "public URL") if url and url.strip() else None

    def webhook_url_for_checks(self) -> str | None:
        """What a check started now carries: the public URL when set, else the local one;
        None while the receiver is off."""
        local = self.local_url
        if local is None:
            return None
        return self._public_url or local

    # --- verifying and forwarding ------------------------------------------------------------

    def set_account(self, account_id: str | None) -> None:
        """Whose signing token verifies what arrives from now on."""
        self.settings.account_id = account_id

    def loops_back(self, url: str | None) -> bool:
        """Whether forwarding to `url` would reach this receiver itself (receiver.reaches_port)."""
        receiver = self._receiver
        if not url or receiver is None:
            return False
        return reaches_port(url, urlsplit(receiver.url).port or 0)

    def set_forward_to(self, url: str | None) -> None:
        self.settings.forward_to = http_url(url) if url and url.strip() else None

    def token(self, account_id: str | None) -> str | None:
        if account_id is None:
            return None
        with self._lock:
            if account_id in self._tokens:
                return self._tokens[account_id]
        try:
            found = self._token_for(account_id)
        except Exception as error:  # noqa: BLE001  # a keyring that fails: asked again next time
            log.warning("no signing token for account %s (%s)", account_id, type(error).__name__)
            return None
        with self._lock:
            self._tokens[account_id] = found
        return found

    def forget_token(self, account_id: str) -> None:
        with self._lock:
            self._tokens.pop(account_id, None)

    def replay(
        self, number: int, *, headers: list[tuple[str, str]] | None = None,
        body: bytes | None = None, url: str | None = None,
    ) -> Delivery | None:  # fmt: skip
        """Send a kept delivery again (WebhookReceiver.replay); None while the receiver is off
        or when the delivery is no longer kept."""
        receiver = self._receiver
        if receiver is None:
            return None
        return receiver.replay(number, headers=headers, body=body, url=url)
