"""The webhook receiver: an HTTP server on 127.0.0.1 only, off until started.

Each request is kept byte for byte (method, path, headers in order, raw body) in the
DeliveryRing, verified against the account's signing token (signing.verify), published on the
DELIVERIES topic, answered at once with 200 (a slow or absent handler never makes the sender
wait or retry), then forwarded on a worker when a forward URL is set.

Hostile senders: a body over MAX_BODY is refused with 413 and not read; a sender slower than
READ_TIMEOUT per read is dropped; at most MAX_PENDING_FORWARDS wait to be forwarded (more are
marked "not forwarded: too many waiting"). Nothing of a payload reaches a file or the log.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from zinc_desktop.core.foundation.environments import is_loopback_host
from zinc_desktop.core.foundation.events import EventHub
from zinc_desktop.core.webhooks.deliveries import (
    DELIVERIES,
    Delivery,
    DeliveryRing,
    ForwardResult,
    read_payload,
)
from zinc_desktop.core.webhooks.forwarding import forward, forward_client
from zinc_desktop.core.webhooks.signing import Signature, Verdict, verify

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
PATH = "/webhooks/zinc"
MAX_BODY = 2 * 1024 * 1024
READ_TIMEOUT = 10.0
MAX_PENDING_FORWARDS = 100
MAX_CONNECTIONS = 64  # senders served at once; more are told 503 at once and let go
FORWARD_WORKERS = 4


@dataclass
class ReceiverSettings:
    """What the receiver does with a delivery; changed while it runs (from any thread)."""

    account_id: str | None = None  # whose token verifies deliveries
    forward_to: str | None = None


class WebhookReceiver:
    def __init__(
        self,
        events: EventHub,
        token_for: Callable[[str | None], str | None],
        *,
        port: int = 0,
        settings: ReceiverSettings | None = None,
        ring: DeliveryRing | None = None,
        max_body: int = MAX_BODY,
        read_timeout: float = READ_TIMEOUT,
        forward_timeout: float | None = None,
    ) -> None:
        """`token_for(account_id)`: the account's signing token (None: none set, or no account);
        asked for each delivery, so a token set while listening counts from the next one."""
        self.events = events
        self.ring = ring if ring is not None else DeliveryRing()
        self.settings = settings if settings is not None else ReceiverSettings()
        self._token_for = token_for
        self._max_body = max_body
        self._read_timeout = read_timeout
        self._port = port
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._forwards = ThreadPoolExecutor(FORWARD_WORKERS, thread_name_prefix="webhook forward")
        self._client = forward_client(forward_timeout)
        self._pending = 0
        self._lock = threading.Lock()

    # --- running -----------------------------------------------------------------------------

    def start(self) -> str:
        """Listen; returns the URL deliveries go to. OSError (a port in use) says so."""
        receiver = self

        class Handler(_Handler):
            owner = receiver
            timeout = receiver._read_timeout

        server = _Server((HOST, self._port), Handler)
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="webhook receiver",
            daemon=True,
        )  # fmt: skip
        self._thread.start()
        return self.url

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://{HOST}:{self._server.server_address[1]}{PATH}"

    @property
    def running(self) -> bool:
        return self._server is not None

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        self._forwards.shutdown(wait=False, cancel_futures=True)
        self._client.close()

    # --- a delivery --------------------------------------------------------------------------

    def receive(
        self, method: str, path: str, headers: list[tuple[str, str]], body: bytes | None,
        size: int, *, refused: str = "",
    ) -> Delivery:  # fmt: skip
        """Keep, verify, publish and (when set) forward one request."""
        settings = self.settings
        token = self._token_for(settings.account_id)
        verdict = verify(headers, body, token) if body is not None else Verdict(Signature.INVALID)
        check_id, status = read_payload(body)
        delivery = Delivery(
            number=self.ring.number(), received_at=datetime.now(UTC), method=method, path=path,
            headers=tuple(headers), body=body, size=size, verdict=verdict,
            account_id=settings.account_id, check_id=check_id, status=status, refused=refused,
        )  # fmt: skip
        self.ring.add(delivery)
        log.info(
            "webhook delivery %d: %d bytes, signature %s%s",
            delivery.number, size, verdict.signature.value,
            f", refused ({refused})" if refused else "",
        )  # fmt: skip
        self.events.publish(DELIVERIES, delivery)
        if settings.forward_to and body is not None:
            self._forward(delivery, settings.forward_to, token)
        return delivery

    def replay(
        self, number: int, *, headers: list[tuple[str, str]] | None = None,
        body: bytes | None = None, url: str | None = None,
    ) -> Delivery | None:  # fmt: skip
        """Send a kept delivery again to `url` (default: the forward URL), as it was or with
        `headers` and `body` given (an edited replay, re-signed by the caller). The replay is
        a delivery of its own in the ring, its forward result beside it. None: not kept."""
        original = self.ring.get(number)
        target = url or self.settings.forward_to
        if original is None or original.body is None or not target:
            return None
        sent_body = original.body if body is None else body
        sent_headers = tuple(headers) if headers is not None else original.headers
        token = self._token_for(original.account_id)
        check_id, status = read_payload(sent_body)
        verdict = verify(sent_headers, sent_body, token)
        delivery = replace(
            original, number=self.ring.number(), received_at=datetime.now(UTC),
            headers=sent_headers, body=sent_body, size=len(sent_body), verdict=verdict,
            check_id=check_id, status=status, forward=None, replay_of=number,
        )  # fmt: skip
        self.ring.add(delivery)
        self.events.publish(DELIVERIES, delivery)
        self._forward(delivery, target, token)
        return delivery

    def _forward(self, delivery: Delivery, url: str, token: str | None) -> None:
        if self._is_own(url):
            self._done(delivery, ForwardResult(url, 0.0, error="the forward URL is this "
                       "receiver itself: each delivery would come back for ever"))  # fmt: skip
            return
        with self._lock:
            if self._pending >= MAX_PENDING_FORWARDS:
                self._done(
                    delivery, ForwardResult(url, 0.0, error="too many waiting to be forwarded")
                )
                return
            self._pending += 1

        def run() -> None:
            try:
                assert delivery.body is not None
                result = forward(
                    self._client, url, delivery.method, delivery.headers, delivery.body,
                    secrets=[token] if token else [],
                )  # fmt: skip
            except Exception as error:  # noqa: BLE001  # said beside the delivery, never raised
                result = ForwardResult(url, 0.0, error=f"{type(error).__name__}")
            finally:
                with self._lock:
                    self._pending -= 1
            self._done(delivery, result)

        try:
            self._forwards.submit(run)
        except RuntimeError:  # stopped meanwhile
            with self._lock:
                self._pending -= 1

    def _is_own(self, url: str) -> bool:
        server = self._server
        return server is not None and reaches_port(url, server.server_address[1])

    def _done(self, delivery: Delivery, result: ForwardResult) -> None:
        updated = self.ring.update(delivery.number, result)
        self.events.publish(DELIVERIES, updated or replace(delivery, forward=result))


def reaches_port(url: str, port: int) -> bool:
    """Whether `url` lands on this computer's `port` (a loopback or any-address host): a
    forward there goes to the receiver listening on it, and would come back for ever."""
    parts = urlsplit(url)
    try:
        target = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return False
    host = parts.hostname or ""
    return target == port and (is_loopback_host(host) or host in ("0.0.0.0", "::"))  # noqa: S104


class _Server(ThreadingHTTPServer):
    """A thread per sender, at most MAX_CONNECTIONS at once: a flood of idle connections gets
    503 at once instead of a thread each."""

    daemon_threads = True
    request_queue_size = 128  # a burst of senders waits to be accepted, not refused by the OS

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(address, handler)
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            with contextlib.suppress(OSError):
                request.sendall(_BUSY)
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


_BUSY = b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"


class _Handler(BaseHTTPRequestHandler):
    owner: WebhookReceiver
    timeout = READ_TIMEOUT  # per read: a sender that stalls is dropped
    protocol_version = "HTTP/1.1"
    server_version = "zinc-desktop-webhooks"
    sys_version = ""

    def setup(self) -> None:
        super().setup()
        # Headers and body leave in two writes: without this, each answer waits on the
        # sender's delayed ACK (40 ms a delivery: a flood of 1,000 took 44 s).
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        """Nothing: a request line may hold a path with a candidate's details."""

    def do_POST(self) -> None:
        self._take("POST")

    def do_PUT(self) -> None:
        self._take("PUT")

    def do_GET(self) -> None:
        self._answer(200, b'{"receiver": "zinc-desktop", "send": "POST"}\n')

    def _take(self, method: str) -> None:
        headers = [(name, value) for name, value in self.headers.items()]
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            self.owner.receive(
                method, self.path, headers, None, 0, refused="chunked bodies are not accepted"
            )
            self._answer(411, b'{"error": "send a Content-Length"}\n', close=True)
            return
        try:
            size = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            size = -1
        if size < 0:
            self._answer(400, b'{"error": "bad Content-Length"}\n', close=True)
            return
        if size > self.owner._max_body:
            self.owner.receive(
                method, self.path, headers, None, size,
                refused=f"{size:,} bytes, over the {self.owner._max_body:,}-byte limit: not read",
            )  # fmt: skip
            self._answer(413, b'{"error": "too large"}\n', close=True)
            return
        try:
            body = self.rfile.read(size) if size else b""
        except TimeoutError:
            self.close_connection = True
            return
        if len(body) < size:  # the sender gave up or stalled
            self.close_connection = True
            return
        self.owner.receive(method, self.path, headers, body, size)
        self._answer(200, b'{"received": true}\n')

    def _answer(self, status: int, body: bytes, *, close: bool = False) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            if close:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            self.close_connection = True
