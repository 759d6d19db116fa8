"""The Demo session and webhooks, with real parts: the simulator (on a hand-moved clock)
sends a signed delivery at each stage of a check the session started while a receiver was on;
the receiver (real HTTP on 127.0.0.1) publishes them; the session keeps them on the check's
timeline beside its polls, reads again at once, and marks where the two disagree."""

from __future__ import annotations

import queue
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FAST, STAGING_KEY
from tests.support.memory_keyring import MemoryKeyring
from zinc_desktop.core.accounts.linking import LinkService
from zinc_desktop.core.accounts.secret_store import KeyringSecretStore
from zinc_desktop.core.accounts.store import AccountStore
from zinc_desktop.core.accounts.verification import Verifier
from zinc_desktop.core.checks.candidate import TEST_CANDIDATE
from zinc_desktop.core.checks.history import CheckHistory
from zinc_desktop.core.checks.polling import PollSchedule
from zinc_desktop.core.demo.session import DemoSession, TrackedCheck
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.environments import Environment, sandbox_endpoints
from zinc_desktop.core.foundation.events import EventHub
from zinc_desktop.core.operations.base import Call, Context
from zinc_desktop.core.operations.checks import StartCheck
from zinc_desktop.core.webhooks.deliveries import DELIVERIES, Delivery
from zinc_desktop.core.webhooks.station import WebhookStation
from zinc_desktop.core.zinc.api import CheckStatus
from zinc_desktop.sandbox import SandboxServer

START = 1_800_000_000.0


class Clock:
    now = START

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def parts(tmp_path: Path) -> Iterator[dict[str, Any]]:
    clock = Clock()
    server = SandboxServer(demo_seconds=60, clock=clock).start()
    keyring = KeyringSecretStore("zinc-webhook-demo", backend=MemoryKeyring(), deadline=2)
    links = LinkService(
        Verifier(sandbox_endpoints(server.base_urls()), settings=FAST),
        AccountStore(tmp_path / "accounts.json"),
        lambda: keyring,
    )
    account = links.link(Environment.STAGING, ApiKey.parse(STAGING_KEY), "Acme").account
    assert account is not None
    hub = EventHub()
    tokens = {account.id: server.signing_token(Environment.STAGING)}
    station = WebhookStation(hub, tokens.get)
    station.set_account(account.id)
    arrived: queue.Queue[Delivery] = queue.Queue()
    hub.subscribe(DELIVERIES, arrived.put)
    session = DemoSession(PollSchedule(), clock, webhook_url=station.webhook_url_for_checks)
    context = Context(links, CheckHistory(tmp_path / "checks.json"))
    for call in session.set_accounts([account]):
        call.attempt(context)()
    yield {"clock": clock, "server": server, "station": station, "session": session,
           "context": context, "arrived": arrived}  # fmt: skip
    station.stop()
    server.stop()


def run(context: Context, calls: list[Call[Any]]) -> None:
    for call in calls:
        call.attempt(context)()


def mark(tracked: TrackedCheck) -> str | None:
    return tracked.disagreement


def take(arrived: queue.Queue[Delivery], count: int) -> list[Delivery]:
    return [arrived.get(timeout=10) for _ in range(count)]


def test_a_check_started_while_receiving_carries_the_url_and_its_webhooks_join_the_timeline(
    parts: dict[str, Any],
) -> None:
    session: DemoSession = parts["session"]
    station: WebhookStation = parts["station"]
    off = session.request_start(TEST_CANDIDATE)
    assert isinstance(off, Call)
    assert isinstance(off.operation, StartCheck)
    assert off.operation.webhook_url is None  # receiver off: nowhere
    run(parts["context"], [off])
    url = station.start()
    start = session.request_start(TEST_CANDIDATE)
    assert isinstance(start, Call)
    assert isinstance(start.operation, StartCheck)
    assert start.operation.webhook_url == url
    run(parts["context"], [start])
    check_id = session.selected_check_id
    assert check_id is not None
    parts["clock"].now += session.next_due_in() or 0.0
    run(parts["context"], session.due_calls())  # the first poll: Requested
    (requested,) = take(parts["arrived"], 1)
    assert requested.verdict.signature.value == "valid"
    heard = session.hear(
        requested.number, requested.received_at, requested.check_id, requested.status,
        requested.verdict.signature.value,
    )  # fmt: skip
    assert heard is not None
    assert heard.status is CheckStatus.REQUESTED
    # The simulator moves on; the webhook arrives before the next poll: marked, read at once.
    parts["server"].step(check_id)
    (awaiting,) = take(parts["arrived"], 1)
    tracked = session.check(check_id)
    assert tracked is not None
    session.hear(awaiting.number, awaiting.received_at, awaiting.check_id, awaiting.status, "valid")
    assert "A webhook says Awaiting candidate" in (mark(tracked) or "")
    due = session.next_due_in()
    assert due is not None
    assert due <= 0.0  # read again now, so the poll can agree
    run(parts["context"], session.due_calls())
    assert mark(tracked) is None  # the poll caught up
    # Its webhook's moment said "Awaiting candidate" already: the poll does not say it again.
    assert not any("now Awaiting candidate" in said for said in session.take_announcements())
    assert [h.status for h in tracked.heard] == [
        CheckStatus.REQUESTED, CheckStatus.AWAITING_CANDIDATE,
    ]  # fmt: skip
    # Its forward result is published again under the same number: not a second entry.
    session.hear(awaiting.number, awaiting.received_at, check_id, awaiting.status, "valid")
    assert len(tracked.heard) == 2
    # Another account's or an unknown check: nothing to this screen.
    assert session.hear(99, awaiting.received_at, "chk-s-other", "complete", "valid") is None
