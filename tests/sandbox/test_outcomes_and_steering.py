"""The simulator as a demo partner: outcomes chosen per check, journeys steered, and a check
told the same way by any simulator, all over real HTTP with a ZincClient (issue item 5)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import FAST, PRODUCTION_KEY, STAGING_KEY
from zinc_desktop.core.checks.journey import needs_review
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.environments import Environment, sandbox_endpoints
from zinc_desktop.core.zinc.api import Candidate, CheckReport, CheckStatus
from zinc_desktop.core.zinc.client import ZincClient
from zinc_desktop.sandbox import CheckOutcome, SandboxServer
from zinc_desktop.sandbox.catalogue import COMPONENTS, PACKAGES
from zinc_desktop.sandbox.check_ids import read_check_id
from zinc_desktop.sandbox.server import UnknownCheck
from zinc_desktop.sandbox.tenant import Tenant

S = CheckStatus
START = 1_800_000_000.0
ENHANCED = "pkg_stg_care"
ADA = Candidate("Ada", "Lovelace", "ada@example.com")
ENHANCED_CLEAR = [(component, "clear") for component in COMPONENTS[ENHANCED]]


class Clock:
    """The real clock the simulator runs on, moved by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now


class Simulator:
    """A SandboxServer on a hand-moved clock, with a client per environment."""

    def __init__(self, clock: Clock, demo_seconds: float = 60.0) -> None:
        self.clock = clock
        self.server = SandboxServer(demo_seconds=demo_seconds, clock=clock).start()
        endpoints = sandbox_endpoints(self.server.base_urls())
        self.staging = ZincClient(endpoints[Environment.STAGING], ApiKey.parse(STAGING_KEY))
        self.production = ZincClient(
            endpoints[Environment.PRODUCTION], ApiKey.parse(PRODUCTION_KEY), settings=FAST
        )

    def start(self, package: str = ENHANCED, candidate: Candidate = ADA) -> str:
        return self.staging.start_check(package, candidate)

    def read(self, check_id: str) -> CheckReport:
        return self.staging.check_report(check_id)

    def status(self, check_id: str) -> CheckStatus:
        return self.read(check_id).status

    def close(self) -> None:
        self.staging.close()
        self.production.close()
        self.server.stop()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def simulator(clock: Clock) -> Iterator[Simulator]:
    simulator = Simulator(clock)
    yield simulator
    simulator.close()


def statuses(report: CheckReport) -> list[CheckStatus]:
    return [update.status for update in report.updates]


def results(report: CheckReport) -> list[tuple[str, str]]:
    return [(result.name, result.outcome) for result in report.results]


def iso(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


# --- outcomes -------------------------------------------------------------------------------

JOURNEYS = {
    CheckOutcome.CLEAR: (
        [S.REQUESTED, S.AWAITING_CANDIDATE, S.IN_PROGRESS, S.COMPLETE],
        ENHANCED_CLEAR,
    ),
    CheckOutcome.CONSIDER: (
        [S.REQUESTED, S.AWAITING_CANDIDATE, S.IN_PROGRESS, S.COMPLETE],
        [
            (name, "consider" if name == "Criminal record (Enhanced DBS)" else "clear")
            for name in COMPONENTS[ENHANCED]
        ],
    ),
    CheckOutcome.ATTENTION: (
        [
            S.REQUESTED,
            S.AWAITING_CANDIDATE,
            S.IN_PROGRESS,
            S.ATTENTION_NEEDED,
            S.IN_PROGRESS,
            S.COMPLETE,
        ],
        ENHANCED_CLEAR,
    ),
    CheckOutcome.WITHDRAWN: ([S.REQUESTED, S.AWAITING_CANDIDATE, S.WITHDRAWN], []),
}


@pytest.mark.parametrize("outcome", list(CheckOutcome))
def test_each_outcome_has_its_journey_and_results(
    simulator: Simulator, clock: Clock, outcome: CheckOutcome
) -> None:
    simulator.server.set_next_outcome(Environment.STAGING, outcome)
    check_id = simulator.start()
    seen: list[CheckStatus] = []
    for _ in range(13):  # every 6 s of a 60 s journey, and past its end
        status = simulator.status(check_id)
        if not seen or seen[-1] is not status:
            seen.append(status)
        clock.now += 6
    report = simulator.read(check_id)
    expected_statuses, expected_results = JOURNEYS[outcome]
    assert seen == statuses(report) == expected_statuses
    assert report.status.is_final
    assert results(report) == expected_results
    reviews = [r.name for r in report.results if needs_review(r.outcome)]
    consider = outcome is CheckOutcome.CONSIDER
    assert reviews == (["Criminal record (Enhanced DBS)"] if consider else [])


def test_the_next_outcome_is_for_one_check_in_one_environment(
    simulator: Simulator, clock: Clock
) -> None:
    server = simulator.server
    assert server.default_outcome is CheckOutcome.CLEAR
    server.set_next_outcome(Environment.STAGING, CheckOutcome.WITHDRAWN)
    assert server.next_outcome(Environment.STAGING) is CheckOutcome.WITHDRAWN
    production = simulator.production.start_check("pkg_prd_basic", ADA)  # not its environment
    chosen = simulator.start()
    after = simulator.start()
    assert server.next_outcome(Environment.STAGING) is None
    server.default_outcome = CheckOutcome.CONSIDER
    defaulted = simulator.start()
    tagged = simulator.start(candidate=Candidate("Ada", "L", "ada+attention@example.com"))
    server.set_next_outcome(Environment.STAGING, CheckOutcome.CLEAR)
    chosen_over_tag = simulator.start(candidate=Candidate("Ada", "L", "ada+withdrawn@example.com"))
    clock.now += 61
    assert simulator.production.check_report(production).status is S.COMPLETE
    assert simulator.status(chosen) is S.WITHDRAWN
    assert simulator.status(after) is S.COMPLETE
    assert "consider" not in dict(results(simulator.read(after))).values()
    assert dict(results(simulator.read(defaulted)))["Criminal record (Enhanced DBS)"] == "consider"
    assert S.ATTENTION_NEEDED in statuses(simulator.read(tagged))
    assert results(simulator.read(chosen_over_tag)) == ENHANCED_CLEAR


@pytest.mark.parametrize(
    ("package", "criminal_record"),
    [
        ("pkg_stg_basic", "Criminal record (Basic DBS)"),
        ("pkg_stg_care", "Criminal record (Enhanced DBS)"),
        ("pkg_stg_fca", "Criminal record (Basic DBS)"),
    ],
)
def test_a_fresh_simulator_reports_the_package_and_outcome_a_check_started_with(
    clock: Clock, package: str, criminal_record: str
) -> None:
    first = Simulator(clock)
    try:
        first.server.set_next_outcome(Environment.STAGING, CheckOutcome.CONSIDER)
        check_id = first.start(package)
    finally:
        first.close()
    clock.now += 61
    second = Simulator(clock)  # a relaunch, or the next one-shot --sandbox command
    try:
        report = second.read(check_id)
    finally:
        second.close()
    assert report.status is S.COMPLETE
    assert [name for name, _ in results(report)] == list(COMPONENTS[package])
    assert [name for name, outcome in results(report) if outcome == "consider"] == [criminal_record]


def test_an_enhanced_dbs_check_read_by_a_fresh_simulator_reports_enhanced_dbs(
    clock: Clock,
) -> None:
    with SandboxServer(demo_seconds=60, clock=clock) as first:
        endpoint = sandbox_endpoints(first.base_urls())[Environment.STAGING]
        with ZincClient(endpoint, ApiKey.parse(STAGING_KEY)) as zinc:
            check_id = zinc.start_check(ENHANCED, ADA)
    clock.now += 61
    with SandboxServer(demo_seconds=60, clock=clock) as second:
        endpoint = sandbox_endpoints(second.base_urls())[Environment.STAGING]
        with ZincClient(endpoint, ApiKey.parse(STAGING_KEY)) as zinc:
            report = zinc.check_report(check_id)
    assert results(report) == ENHANCED_CLEAR


def test_ids_from_before_outcomes_are_still_read(simulator: Simulator, clock: Clock) -> None:
    started = int((START - 120) * 1000)
    attention = f"chk-s-{started:x}-a1a2b3c"
    clear = f"chk-s-{started:x}-c1a2b3c"
    assert S.ATTENTION_NEEDED in statuses(simulator.read(attention))
    assert results(simulator.read(clear)) == [
        ("Identity", "clear"),
        ("Right to work", "clear"),
        ("Criminal record (Basic DBS)", "clear"),
    ]


# --- steering -------------------------------------------------------------------------------


def test_pause_stands_the_journey_still_and_resume_goes_on(
    simulator: Simulator, clock: Clock
) -> None:
    server = simulator.server
    check_id = simulator.start()
    assert server.next_change_in(check_id) == pytest.approx(6.0)
    clock.now += 4
    assert server.next_change_in(check_id) == pytest.approx(2.0)
    server.pause()
    assert server.clock.paused
    clock.now += 100
    assert simulator.status(check_id) is S.REQUESTED
    assert server.next_change_in(check_id) is None
    assert simulator.start(package="pkg_stg_basic")  # still served while paused
    server.resume()
    assert not server.paused
    assert server.next_change_in(check_id) == pytest.approx(2.0)
    clock.now += 2
    report = simulator.read(check_id)
    assert statuses(report) == [S.REQUESTED, S.AWAITING_CANDIDATE]
    # Times are told as they happened on the real clock: the pause is in them.
    assert [u.at for u in report.updates] == [iso(START), iso(START + 106)]


def test_step_moves_a_check_to_its_next_stage_now(simulator: Simulator, clock: Clock) -> None:
    server = simulator.server
    server.set_next_outcome(Environment.STAGING, CheckOutcome.ATTENTION)
    check_id = simulator.start()
    other = simulator.start()
    clock.now += 1
    assert server.step(check_id) == [check_id]
    report = simulator.read(check_id)
    assert statuses(report) == [S.REQUESTED, S.AWAITING_CANDIDATE]
    assert report.updates[-1].at == iso(START + 1)
    assert simulator.status(other) is S.REQUESTED  # only the one asked for
    # The rest of the journey follows at its usual pace from the step: In progress 12 s on.
    assert server.next_change_in(check_id) == pytest.approx(12.0)
    clock.now += 12
    assert simulator.status(check_id) is S.IN_PROGRESS
    while server.step(check_id):
        pass
    final = simulator.read(check_id)
    assert statuses(final) == JOURNEYS[CheckOutcome.ATTENTION][0]
    assert results(final) == ENHANCED_CLEAR
    assert server.next_change_in(check_id) is None
    assert server.step(check_id) == []  # a finished check does not move


def test_step_without_an_id_moves_every_check_even_while_paused(
    simulator: Simulator, clock: Clock
) -> None:
    server = simulator.server
    first = simulator.start()
    server.set_next_outcome(Environment.STAGING, CheckOutcome.WITHDRAWN)
    withdrawn = simulator.start()
    elsewhere = simulator.production.start_check("pkg_prd_exec", ADA)
    server.pause()
    assert sorted(server.step()) == sorted([first, withdrawn, elsewhere])
    assert sorted(server.step()) == sorted([first, withdrawn, elsewhere])
    assert simulator.status(withdrawn) is S.WITHDRAWN
    assert server.step() == [first, elsewhere]
    clock.now += 1000
    assert simulator.status(first) is S.COMPLETE
    assert simulator.production.check_report(elsewhere).status is S.COMPLETE
    assert server.step() == []


def test_reset_starts_every_journey_again_as_if_started_now(
    simulator: Simulator, clock: Clock
) -> None:
    server = simulator.server
    check_id = simulator.start()
    clock.now += 61
    assert simulator.status(check_id) is S.COMPLETE
    server.reset()
    report = simulator.read(check_id)
    assert statuses(report) == [S.REQUESTED]
    assert report.updates[0].at == iso(START + 61)
    assert report.results == ()
    assert server.next_change_in(check_id) == pytest.approx(6.0)
    clock.now += 60
    assert simulator.status(check_id) is S.COMPLETE


def test_reset_reaches_a_check_this_simulator_has_not_seen_yet(clock: Clock) -> None:
    first = Simulator(clock)
    try:
        check_id = first.start()
    finally:
        first.close()
    clock.now += 100
    second = Simulator(clock)
    try:
        second.server.reset()
        clock.now += 1
        assert second.status(check_id) is S.REQUESTED
        second.server.step(check_id)
        assert second.status(check_id) is S.AWAITING_CANDIDATE
    finally:
        second.close()


def test_a_tenant_holds_a_bounded_number_of_checks_and_rebuilds_the_rest() -> None:
    now = [START]
    tenant = Tenant(Environment.STAGING, lambda: now[0], 60.0, held_checks=2)
    tenant.next_outcome = CheckOutcome.CONSIDER
    body = {"package_id": ENHANCED, "candidate": asdict(ADA)}
    first = tenant.start_check(body, STAGING_KEY)["id"]
    for _ in range(3):
        tenant.start_check(body, STAGING_KEY)
    assert tenant.held == 2
    now[0] += 61
    report = tenant.report(first, STAGING_KEY)  # let go, then rebuilt from its id (and held)
    assert tenant.held == 2
    assert report["status"] == "complete"
    assert [r["outcome"] for r in report["results"]].count("consider") == 1


def test_steering_an_unknown_check(simulator: Simulator) -> None:
    assert simulator.server.next_change_in("chk-unknown") is None
    with pytest.raises(UnknownCheck):
        simulator.server.step("chk-unknown")


# --- ids ------------------------------------------------------------------------------------


@given(
    environment=st.sampled_from(list(Environment)),
    package=st.integers(0, 10),
    outcome=st.sampled_from([None, *CheckOutcome]),
    tag=st.sampled_from(["", *(f"+{o.value}" for o in CheckOutcome)]),
    default=st.sampled_from(list(CheckOutcome)),
    started=st.floats(0, 4_102_444_800),  # up to 2100
)
def test_every_id_the_simulator_issues_says_its_package_and_outcome(
    *,
    environment: Environment,
    package: int,
    outcome: CheckOutcome | None,
    tag: str,
    default: CheckOutcome,
    started: float,
) -> None:
    package_id = PACKAGES[environment][package % len(PACKAGES[environment])]["id"]
    now = [started]
    issuing = Tenant(environment, lambda: now[0], 60.0, default_outcome=default)
    issuing.next_outcome = outcome
    candidate = {**asdict(ADA), "email": f"a{tag}@example.com"}
    key = (STAGING_KEY if environment is Environment.STAGING else PRODUCTION_KEY).lower()
    check_id = issuing.start_check({"package_id": package_id, "candidate": candidate}, key)["id"]
    expected = outcome or CheckOutcome.in_email(tag) or default
    parts = read_check_id(check_id)
    assert parts is not None
    assert (parts.environment, parts.package_id, parts.outcome) == (
        environment,
        package_id,
        expected,
    )
    assert started - 0.002 < parts.started_at <= started + 0.001
    # A simulator that never saw it tells the same story (times aside: the id keeps ms).
    now[0] = started + 120
    fresh = Tenant(environment, lambda: now[0], 60.0)
    told, retold = issuing.report(check_id, key), fresh.report(check_id, key)
    for report in (told, retold):
        report["updates"] = [update["status"] for update in report["updates"]]
    assert retold == told
