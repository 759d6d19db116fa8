"""The receiver over real HTTP on 127.0.0.1: deliveries kept byte for byte and verified,
forwarded byte for byte to a real handler, replayed; and hostile senders (a 10 MB body, a
stalled sender, a flood, a handler that hangs or is down, a payload with a key or HTML): nothing
blocks, memory stays bounded, nothing of a payload reaches the log."""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from tests.conftest import STAGING_KEY
from tests.support.webhook_target import WebhookTarget, webhook_target
from zinc_desktop.core.foundation.events import EventHub
from zinc_desktop.core.webhooks.deliveries import DELIVERIES, Delivery, DeliveryRing
from zinc_desktop.core.webhooks.receiver import ReceiverSettings, WebhookReceiver
from zinc_desktop.core.webhooks.signing import Signature, resign, sign

TOKEN = "whsec-test-0a1b2c3d"
PAYLOAD = json.dumps(
    {"event": "status_changed", "check": {"id": "chk_123", "status": "complete"},
     "candidate": {"first_name": "Ada", "email": "ada@example.test"}}
).encode()  # fmt: skip


@pytest.fixture
def handler() -> Iterator[tuple[str, WebhookTarget]]:
    with webhook_target("/hooks/zinc?x=1") as target:
        yield target.url, target


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    hub = EventHub()
    tokens = {"acc1": TOKEN}
    made = WebhookReceiver(
        hub, lambda account_id: tokens.get(account_id or ""),
        settings=ReceiverSettings(account_id="acc1"), read_timeout=1.0, forward_timeout=1.0,
    )  # fmt: skip
    made.start()
    yield made
    made.stop()


def wait_for(condition: Any, seconds: float = 5.0) -> None:
    give_up = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < give_up, "timed out"
        time.sleep(0.01)


def post(url: str, body: bytes, headers: dict[str, str]) -> httpx.Response:
    return httpx.post(url, content=body, headers=headers, timeout=5)


def test_a_delivery_is_kept_byte_for_byte_verified_and_published(
    receiver: WebhookReceiver,
) -> None:
    published: list[Delivery] = []
    receiver.events.subscribe(DELIVERIES, published.append)
    headers = {"Content-Type": "application/json", "X-Custom": "kept", **sign(PAYLOAD, TOKEN)}
    answer = post(receiver.url, PAYLOAD, headers)
    assert answer.status_code == 200
    (delivery,) = receiver.ring.all()
    assert delivery.body == PAYLOAD
    assert ("X-Custom", "kept") in delivery.headers
    assert delivery.verdict.signature is Signature.VALID
    assert delivery.verdict.scheme == "hmac-sha256-hex"
    assert (delivery.check_id, delivery.status) == ("chk_123", "complete")
    assert published == [delivery]


def test_forwarded_byte_for_byte_with_its_signature_and_the_answer_beside_it(
    receiver: WebhookReceiver, handler: tuple[str, WebhookTarget]
) -> None:
    url, got = handler
    receiver.settings.forward_to = url
    # Whitespace and key order a relay that re-serialises would lose.
    body = b'{ "check":{"id":"chk_9","status":"in_progress"} ,"z":1}\n'
    post(receiver.url, body, {"Content-Type": "application/json", **sign(body, TOKEN)})
    wait_for(lambda: receiver.ring.all() and receiver.ring.all()[0].forward is not None)
    (path, headers, seen_body) = got.seen[0]
    assert seen_body == body
    assert path == "/hooks/zinc?x=1"
    assert dict(headers)["X-Zinc-Signature"] == sign(body, TOKEN)["X-Zinc-Signature"]
    forward = receiver.ring.all()[0].forward
    assert forward is not None
    assert forward.status == 200
    assert forward.excerpt == '{"ok": true}'


def test_a_handler_that_is_down_or_hangs_is_said_plainly_and_blocks_nothing(
    receiver: WebhookReceiver, handler: tuple[str, WebhookTarget]
) -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{free.getsockname()[1]}/hooks"
    receiver.settings.forward_to = dead
    post(receiver.url, PAYLOAD, sign(PAYLOAD, TOKEN))
    wait_for(lambda: receiver.ring.all()[-1].forward is not None)
    forward = receiver.ring.all()[-1].forward
    assert forward is not None
    assert forward.status is None
    assert "is down" in forward.error
    url, got = handler
    got.hang = threading.Event()
    receiver.settings.forward_to = url
    started = time.monotonic()
    for _ in range(3):
        assert post(receiver.url, PAYLOAD, sign(PAYLOAD, TOKEN)).status_code == 200
    assert time.monotonic() - started < 1.0  # answered at once, the handler hanging
    wait_for(lambda: all(d.forward is not None for d in receiver.ring.all()), 5)
    hung = receiver.ring.all()[-1].forward
    assert hung is not None
    assert "did not answer within" in hung.error


def test_a_huge_body_is_refused_unread_and_a_stalled_sender_is_dropped(
    receiver: WebhookReceiver,
) -> None:
    huge = b"x" * (10 * 1024 * 1024)
    try:
        answer = post(receiver.url, huge, {"X-Zinc-Signature": "sha256=00"})
        assert answer.status_code == 413
    except httpx.TransportError:
        pass  # refused before the sender finished writing: just as good
    (refused,) = receiver.ring.all()
    assert refused.body is None
    assert "limit" in refused.refused
    assert receiver.ring.held_bytes() == 0
    with socket.create_connection(
        ("127.0.0.1", int(receiver.url.split(":")[2].split("/")[0]))
    ) as s:
        s.sendall(b"POST /webhooks/zinc HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123")
        # Meanwhile others are heard.
        assert post(receiver.url, PAYLOAD, sign(PAYLOAD, TOKEN)).status_code == 200
        s.settimeout(5)
        assert s.recv(100) == b""  # dropped after the read timeout, nothing answered
    assert len(receiver.ring.all()) == 2


def test_a_flood_keeps_memory_bounded_and_the_newest() -> None:
    ring = DeliveryRing(max_count=50, max_bytes=20_000)
    receiver = WebhookReceiver(EventHub(), lambda _a: TOKEN, ring=ring)
    receiver.start()
    try:
        with httpx.Client(timeout=5) as client:
            for n in range(1000):
                body = json.dumps({"check_id": f"chk_{n}", "pad": "p" * 500}).encode()
                assert client.post(receiver.url, content=body).status_code == 200
    finally:
        receiver.stop()
    kept = ring.all()
    assert len(kept) <= 50
    assert ring.held_bytes() <= 20_000
    assert kept[-1].check_id == "chk_999"
    assert kept[-1].number == 1000


def test_a_payload_with_a_key_or_html_is_kept_as_sent_but_never_logged_or_echoed(
    receiver: WebhookReceiver,
    handler: tuple[str, WebhookTarget],
    caplog: pytest.LogCaptureFixture,
) -> None:
    url, got = handler
    got.answer = (500, f"<b>boom</b> {STAGING_KEY} {TOKEN}".encode())
    receiver.settings.forward_to = url
    body = json.dumps({"note": f"<script>x</script> {STAGING_KEY}", "first_name": "Ada"}).encode()
    with caplog.at_level(logging.DEBUG):
        post(receiver.url, body, {"Authorization": f"Bearer {TOKEN}"})
        wait_for(lambda: receiver.ring.all()[0].forward is not None)
    delivery = receiver.ring.all()[0]
    assert delivery.body == body
    assert delivery.verdict.scheme == "bearer"
    forward = delivery.forward
    assert forward is not None
    assert forward.status == 500
    assert STAGING_KEY not in forward.excerpt
    assert TOKEN not in forward.excerpt
    for secret in (STAGING_KEY, TOKEN, "Ada", "script"):
        assert secret not in caplog.text


def test_a_replay_as_it_was_or_edited_and_signed_again(
    receiver: WebhookReceiver, handler: tuple[str, WebhookTarget]
) -> None:
    url, got = handler
    post(receiver.url, PAYLOAD, {"Content-Type": "application/json", **sign(PAYLOAD, TOKEN)})
    original = receiver.ring.all()[0]
    assert receiver.replay(original.number, url=url) is not None
    edited = PAYLOAD.replace(b"complete", b"in_progress")
    headers = resign(original.headers, edited, TOKEN, original.verdict)
    replayed = receiver.replay(original.number, headers=headers, body=edited, url=url)
    assert replayed is not None
    assert replayed.replay_of == original.number
    assert replayed.verdict.signature is Signature.VALID
    assert replayed.status == "in_progress"
    wait_for(lambda: len(got.seen) == 2)
    assert sorted(seen[2] for seen in got.seen) == sorted([PAYLOAD, edited])  # two workers
    wait_for(lambda: all(d.forward is not None for d in receiver.ring.all()[1:]))


def test_a_handler_trickling_its_answer_is_cut_off_as_a_whole(
    receiver: WebhookReceiver,
) -> None:
    """httpx's timeouts are per read: a byte every 0.3 s never trips them; the forward as a
    whole ends within its time (1 s here)."""

    class Trickle(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            for _ in range(1000):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.3)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Trickle)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        receiver.settings.forward_to = f"http://127.0.0.1:{server.server_address[1]}/"
        started = time.monotonic()
        post(receiver.url, PAYLOAD, sign(PAYLOAD, TOKEN))
        wait_for(lambda: receiver.ring.all()[0].forward is not None, 5)
        assert time.monotonic() - started < 3
        forward = receiver.ring.all()[0].forward
        assert forward is not None
        assert "did not answer within" in forward.error
    finally:
        server.shutdown()
        server.server_close()


def test_headers_are_forwarded_as_their_bytes(
    receiver: WebhookReceiver, handler: tuple[str, WebhookTarget]
) -> None:
    url, got = handler
    receiver.settings.forward_to = url
    port = int(receiver.url.split(":")[2].split("/")[0])
    with socket.create_connection(("127.0.0.1", port)) as raw:
        raw.sendall(
            b"POST /webhooks/zinc HTTP/1.1\r\nHost: x\r\nX-Name: caf\xe9\r\n"
            b"Content-Length: 2\r\nConnection: close\r\n\r\n{}"
        )
        raw.recv(1000)
    wait_for(lambda: bool(got.seen), 5)
    assert dict(got.seen[0][1])["X-Name"] == "caf\xe9"  # latin-1 both ways: the same bytes


def test_a_flood_of_idle_connections_gets_503_not_a_thread_each(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from zinc_desktop.core.webhooks import receiver as receiving

    monkeypatch.setattr(receiving, "MAX_CONNECTIONS", 4)  # 64 in use; 4 shows the same rule
    receiver = WebhookReceiver(EventHub(), lambda _a: TOKEN, read_timeout=10.0)
    receiver.start()
    port = int(receiver.url.split(":")[2].split("/")[0])
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(4)]
    try:
        # Once the idle ones hold every thread the receiver allows, the next sender is told
        # 503 at once (not queued behind them, not given a thread of its own).
        wait_for(lambda: httpx.post(receiver.url, content=PAYLOAD, timeout=5).status_code == 503)
    finally:
        for each in idle:
            each.close()
    try:
        wait_for(lambda: post(receiver.url, PAYLOAD, sign(PAYLOAD, TOKEN)).status_code == 200, 5)
    finally:
        receiver.stop()


def test_forwarding_to_the_receiver_itself_is_refused_not_looped(
    receiver: WebhookReceiver,
) -> None:
    port = receiver.url.split(":")[2].split("/")[0]
    receiver.settings.forward_to = f"http://localhost:{port}/webhooks/zinc"
    post(receiver.url, PAYLOAD, sign(PAYLOAD, TOKEN))
    wait_for(lambda: receiver.ring.all()[0].forward is not None)
    time.sleep(0.3)
    assert len(receiver.ring.all()) == 1  # nothing came back
    forward = receiver.ring.all()[0].forward
    assert forward is not None
    assert "this receiver itself" in forward.error


def test_a_refused_body_is_said_as_not_verified_not_as_a_bad_signature(
    receiver: WebhookReceiver,
) -> None:
    with contextlib.suppress(httpx.TransportError):  # refused before it finished writing
        post(receiver.url, b"x" * (3 * 1024 * 1024), {"X-Zinc-Signature": "sha256=0"})
    said = receiver.ring.all()[0].verdict.describe()
    assert said.startswith("not verified: its body was refused unread")
