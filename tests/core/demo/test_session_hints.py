"""Polling notices a simulated check's change right after it happens: the in-process simulator
tells the Demo tab's session when the next change is due (change_hint), and `steered()` reads
again after a pause, a step or a reset. Real parts: a simulator on a hand-moved clock, a
LinkService with a memory keyring, typed operations; the session's clock is the same hand."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
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
from zinc_desktop.core.checks.polling import HINT_MARGIN, PollSchedule
from zinc_desktop.core.demo.session import DemoSession
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.app_paths import AppPaths
from zinc_desktop.core.foundation.environments import Environment, sandbox_endpoints
from zinc_desktop.core.operations.base import Call, Context
from zinc_desktop.core.operations.checks import ReadResult, StartCheck
from zinc_desktop.core.zinc.api import CheckStatus
from zinc_desktop.sandbox import CheckOutcome, SandboxServer
from zinc_desktop.sandbox.check_ids import new_check_id
from zinc_desktop.services import build_services

START = 1_800_000_000.0


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now


@dataclass
class Demo:
    clock: Clock
    server: SandboxServer
    context: Context
    session: DemoSession
    reads: list[tuple[float, CheckStatus]]  # (seconds since the check started, status read)
    started_at: float = START

    def run(self, calls: list[Call[Any]]) -> None:
        for call in calls:
            delivery = call.attempt(self.context)  # a failure is delivered, as in the window
            delivery()
            if isinstance(delivery.outcome, BaseException):
                continue
            if isinstance(call.operation, StartCheck):
                self.started_at = self.clock.now
            if isinstance(delivery.outcome, ReadResult):
                self.reads.append(
                    (self.clock.now - self.started_at, delivery.outcome.report.status)
                )

    def start(self) -> str:
        start = self.session.request_start(TEST_CANDIDATE)
        assert isinstance(start, Call)
        self.run([start])
        (check_id,) = self.session.watching()
        return check_id

    def poll(self, until: float = 300.0) -> None:
        """Wait for each read as the window's timer does, until nothing is watched."""
        while (due := self.session.next_due_in()) is not None:
            assert self.clock.now - self.started_at <= until, self.reads
            self.clock.now += due
            self.run(self.session.due_calls())

    def last_read(self) -> CheckStatus:
        return self.reads[-1][1]

    def first_seen(self) -> dict[CheckStatus, float]:
        seen: dict[CheckStatus, float] = {}
        for at, status in self.reads:
            seen.setdefault(status, at)
        return seen


MakeDemo = Callable[[], Demo]


@pytest.fixture
def make_demo(tmp_path: Path) -> Iterator[MakeDemo]:
    servers: list[SandboxServer] = []

    def make() -> Demo:
        clock = Clock()
        server = SandboxServer(demo_seconds=60, clock=clock).start()
        servers.append(server)
        endpoints = sandbox_endpoints(server.base_urls())
        keyring = KeyringSecretStore("zinc-hints-test", backend=MemoryKeyring(), deadline=2)
        folder = tmp_path / f"demo-{len(servers)}"
        links = LinkService(
            Verifier(endpoints, settings=FAST),
            AccountStore(folder / "accounts.json"),
            lambda: keyring,
        )
        account = links.link(Environment.STAGING, ApiKey.parse(STAGING_KEY), "Acme").account
        assert account is not None
        session = DemoSession(PollSchedule(), clock, change_hint=server.next_change_in)
        demo = Demo(
            clock, server, Context(links, CheckHistory(folder / "checks.json")), session, []
        )
        demo.run(session.set_accounts([account]))
        return demo

    yield make
    for server in servers:
        server.stop()


def test_each_change_is_read_right_after_it_happens(make_demo: MakeDemo) -> None:
    demo = make_demo()
    demo.start()
    demo.poll()
    changes = {
        CheckStatus.REQUESTED: 0.0,
        CheckStatus.AWAITING_CANDIDATE: 6.0,
        CheckStatus.IN_PROGRESS: 18.0,
        CheckStatus.COMPLETE: 60.0,
    }
    seen = demo.first_seen()
    assert list(seen) == list(changes)
    for status, changed_at in changes.items():
        assert changed_at <= seen[status] <= changed_at + HINT_MARGIN + 1e-6, (status, demo.reads)
    assert demo.session.watching() == []  # Complete is final: no more reads


def test_a_withdrawn_check_stops_being_polled(make_demo: MakeDemo) -> None:
    demo = make_demo()
    demo.server.set_next_outcome(Environment.STAGING, CheckOutcome.WITHDRAWN)
    check_id = demo.start()
    demo.poll()
    assert demo.last_read() is CheckStatus.WITHDRAWN
    assert 18.0 <= demo.reads[-1][0] <= 18.0 + HINT_MARGIN + 1e-6
    assert demo.session.watching() == []
    assert demo.session.next_due_in() is None
    tracked = demo.session.check(check_id)
    assert tracked is not None
    assert tracked.status is CheckStatus.WITHDRAWN


def test_steered_reads_again_after_a_pause_a_step_and_a_reset(make_demo: MakeDemo) -> None:
    demo = make_demo()
    session, server = demo.session, demo.server
    check_id = demo.start()
    demo.run(session.due_calls())
    assert demo.last_read() is CheckStatus.REQUESTED

    server.pause()
    session.steered()
    assert session.next_due_in() == 0.0
    demo.run(session.due_calls())
    # Paused: no change is coming, so the schedule's own backoff decides the next read.
    schedule = PollSchedule()
    assert session.next_due_in() == schedule.next_delay(schedule.first, changed=False)

    server.step(check_id)
    session.steered()
    assert session.next_due_in() == 0.0  # read at once: the step has changed the status
    demo.run(session.due_calls())
    assert demo.last_read() is CheckStatus.AWAITING_CANDIDATE

    server.resume()
    while server.step(check_id):
        pass
    session.steered()
    demo.run(session.due_calls())
    assert demo.last_read() is CheckStatus.COMPLETE
    assert session.watching() == []

    server.reset()  # the finished check starts again: watched again
    session.steered()
    assert session.watching() == [check_id]
    demo.run(session.due_calls())
    assert demo.last_read() is CheckStatus.REQUESTED
    assert session.next_due_in() == PollSchedule().first  # then at the schedule's pace...
    demo.started_at = demo.clock.now
    demo.reads.clear()
    demo.poll()
    assert 60.0 <= demo.first_seen()[CheckStatus.COMPLETE] <= 60.0 + HINT_MARGIN + 1e-6


def test_a_read_under_way_when_steered_is_followed_by_another(make_demo: MakeDemo) -> None:
    demo = make_demo()
    session, server = demo.session, demo.server
    check_id = demo.start()
    (read,) = session.due_calls()
    answer = read.run(demo.context)  # answered before the step...
    server.step(check_id)
    session.steered()
    answer()  # ...delivered after it
    assert session.next_due_in() == 0.0
    demo.run(session.due_calls())
    assert demo.last_read() is CheckStatus.AWAITING_CANDIDATE


def test_services_change_hint_works_before_and_after_the_simulator_starts(
    app_paths: AppPaths,
) -> None:
    keyring = MemoryKeyring()
    services = build_services({}, use_sandbox=True, keyring_backend=keyring, start_sandbox=False)
    try:
        ahead = new_check_id(Environment.STAGING, time.time() + 3600, CheckOutcome.CLEAR, "")
        assert services.change_hint(ahead) is None  # reserved, not started: no hint yet
        assert services.simulator_for(Environment.STAGING) is None
        services.start_sandbox()
        assert services.simulator_for(Environment.STAGING) is services.sandbox
        assert services.change_hint(ahead) == pytest.approx(3600, abs=60)
        assert services.change_hint("chk-not-simulated") is None
    finally:
        services.close()


def test_each_status_change_is_announced_once_and_the_started_line_ends_with_its_check(
    make_demo: MakeDemo,
) -> None:
    demo = make_demo()
    demo.start()
    notice = demo.session.form_notice
    assert notice is not None
    assert notice.text.startswith("Started check")
    said: list[str] = []
    while (due := demo.session.next_due_in()) is not None:
        demo.clock.now += due
        demo.run(demo.session.due_calls())
        said += demo.session.take_announcements()
        if demo.session.watching():
            assert demo.session.form_notice == notice  # it lives while its check runs
    package = demo.session.checks()[0].record.package_name
    assert said == [  # each change once, the first read (the start itself) not again
        f"{package}: now {CheckStatus.AWAITING_CANDIDATE.label}.",
        f"{package}: now {CheckStatus.IN_PROGRESS.label}.",
        f"{package}: now {CheckStatus.COMPLETE.label}.",
    ]
    assert demo.session.form_notice is None  # finished: "Started check…" no longer holds
    assert demo.session.take_announcements() == []


def test_selecting_another_check_retires_the_started_line(make_demo: MakeDemo) -> None:
    demo = make_demo()
    first = demo.start()
    demo.clock.now += 3  # past the repeat guard
    second_start = demo.session.request_start(TEST_CANDIDATE)
    assert isinstance(second_start, Call)
    demo.run([second_start])
    notice = demo.session.form_notice
    assert notice is not None
    assert "Started check" in notice.text
    demo.session.select_check(first)
    assert demo.session.form_notice is None
