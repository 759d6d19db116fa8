"""The demo's rules in any order: no call for a check ever goes out with another account's key.

A hypothesis state machine drives a DemoSession the way a hurried presenter does (choose,
start, press twice, select, stop, switch, restart, watch a check started elsewhere), while the
calls it hands out run against a live simulator in any order and their results come back in
any order. After every step, the simulator's record of what it received must show every
check request going to the environment, and with the key, of the account that started it.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from tests.support.memory_keyring import MemoryKeyring
from zinc_desktop.core.accounts.linking import LinkService
from zinc_desktop.core.accounts.model import Account
from zinc_desktop.core.accounts.secret_store import KeyringSecretStore
from zinc_desktop.core.accounts.store import AccountStore
from zinc_desktop.core.accounts.verification import Verifier
from zinc_desktop.core.checks.candidate import TEST_CANDIDATE
from zinc_desktop.core.checks.history import CheckHistory
from zinc_desktop.core.checks.polling import PollSchedule
from zinc_desktop.core.demo.session import DemoRefusal, DemoSession, StartPlan
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.environments import Environment, sandbox_endpoints
from zinc_desktop.core.operations.base import Call, Context, Delivery
from zinc_desktop.core.operations.checks import ReadCheck, StartCheck
from zinc_desktop.core.zinc.api import Candidate
from zinc_desktop.core.zinc.client import ZincClient
from zinc_desktop.core.zinc.settings import ClientSettings
from zinc_desktop.sandbox import DEMO_KEYS, SandboxServer

SECOND_STAGING_KEY = "5e" * 16
SCHEDULE = PollSchedule(first=1.0, factor=1.5, longest=4.0, max_failures=3)
QUICK = ClientSettings(connect_timeout=2, read_timeout=2, total_timeout=4)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class DemoMachine(RuleBasedStateMachine):
    """One consultant, one window, four linked accounts, one simulator."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="zinc-demo-machine-"))
        self.sandbox = SandboxServer(demo_seconds=6.0).start()
        self.sandbox.add_key(Environment.STAGING, SECOND_STAGING_KEY)
        endpoints = sandbox_endpoints(self.sandbox.base_urls())
        keyring = KeyringSecretStore("zinc-demo-test", backend=MemoryKeyring(), deadline=2)
        self.links = LinkService(
            Verifier(endpoints, settings=QUICK),
            AccountStore(self.folder / "accounts.json"),
            lambda: keyring,
        )
        self.history = CheckHistory(self.folder / "checks.json")
        self.context = Context(self.links, self.history)
        keys = {
            "staging A": (Environment.STAGING, DEMO_KEYS[Environment.STAGING]),
            "staging B": (Environment.STAGING, SECOND_STAGING_KEY),
            "production": (Environment.PRODUCTION, DEMO_KEYS[Environment.PRODUCTION]),
        }
        self.key_hint: dict[str, str] = {}
        self.accounts: list[Account] = []
        for label, (environment, key) in keys.items():
            account = self.links.link(environment, ApiKey.parse(key), label).account
            assert account is not None
            self.accounts.append(account)
            self.key_hint[account.id] = key[-4:]
        # A fourth account whose key vanished from the keyring: it can never be demoed.
        lost = self.links.link(Environment.STAGING, ApiKey.parse("77" * 16), "lost")
        assert lost.account is None  # the simulator does not know that key: nothing is kept
        self.clock = FakeClock()
        self.session = DemoSession(SCHEDULE, self.clock)
        self.pending: list[Call[Any]] = []
        self.finished: list[Delivery[Any]] = []
        self.owner: dict[str, Account] = {}  # every check id ever started -> its account
        self.presses = 0
        self.start_calls = 0
        self.elsewhere_posts = 0
        self.hand_out(self.session.set_accounts(self.links.accounts()))

    def teardown(self) -> None:
        self.sandbox.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def hand_out(self, calls: list[Call[Any]]) -> None:
        """Calls the session hands out: each must be for a check of its own account."""
        for call in calls:
            read = call.operation if isinstance(call.operation, ReadCheck) else None
            owner = self.owner.get(read.check_id) if read is not None else None
            if read is not None and owner is not None and not read.adopt:
                assert owner.id == call.account.id, f"{read.check_id} read via {call.account.label}"
            self.pending.append(call)

    # --- what the presenter does ------------------------------------------------------------

    @rule(index=st.integers(0, 3))
    def choose_account(self, index: int) -> None:
        before = len(self.sandbox.requests)
        target = self.accounts[index] if index < len(self.accounts) else None
        if self.session.watching():
            event("switched account while watching checks")
        self.hand_out(self.session.choose(target.id if target else None))
        assert len(self.sandbox.requests) == before, "switching account sent something"

    @rule(twice=st.booleans(), confirm=st.booleans())
    def press_start(self, twice: bool, confirm: bool) -> None:
        try:
            answer = self.session.request_start(TEST_CANDIDATE)
        except DemoRefusal:
            return  # no account or no package yet: nothing sent, nothing to check
        if answer is None:
            assert self.session.starting is not None or self.session.confirming is not None
            return
        self.presses += 1
        if twice:  # a second Enter before anything came back
            assert self.session.request_start(TEST_CANDIDATE) is None
        if isinstance(answer, StartPlan):  # Production: the guard dialog is open
            if not confirm:
                self.session.cancel_confirmation()
                return
            call = self.session.confirm_start(answer)
            assert call is not None
            assert self.session.confirm_start(answer) is None, "one plan confirmed twice"
        else:
            call = answer
        self.start_calls += 1
        self.hand_out([call])

    @rule(data=st.data())
    def select_check(self, data: st.DataObject) -> None:
        checks = self.session.checks()
        if checks:
            chosen = data.draw(st.sampled_from(checks))
            self.session.select_check(chosen.record.id)

    @rule(data=st.data())
    def stop_watching(self, data: st.DataObject) -> None:
        watched = self.session.watching()
        if watched:
            self.session.stop_watching(data.draw(st.sampled_from(watched)))

    @rule(seconds=st.floats(0.1, 5.0))
    def time_passes(self, seconds: float) -> None:
        self.clock.now += seconds
        self.hand_out(self.session.due_calls())

    @rule(data=st.data())
    def a_call_runs(self, data: st.DataObject) -> None:
        if not self.pending:
            return
        call = self.pending.pop(data.draw(st.integers(0, len(self.pending) - 1)))
        event(f"ran a {call.operation.name} call")
        delivery = call.attempt(self.context)  # every failure is a result, as in the window
        if isinstance(call.operation, StartCheck) and hasattr(delivery.outcome, "id"):
            self.owner[delivery.outcome.id] = call.account
        self.finished.append(delivery)

    @rule(data=st.data())
    def a_result_arrives(self, data: st.DataObject) -> None:
        if not self.finished:
            return
        delivery = self.finished.pop(data.draw(st.integers(0, len(self.finished) - 1)))
        delivery()

    @rule(data=st.data())
    def everything_under_way_finishes(self, data: st.DataObject) -> None:
        """The network catches up: every pending call runs, results arrive in any order."""
        while self.pending:
            self.a_call_runs(data)
        while self.finished:
            self.a_result_arrives(data)

    @rule()
    def restart(self) -> None:
        """The app closes (what was under way is abandoned) and opens on the same account."""
        chosen = self.session.account
        self.pending.clear()
        self.finished.clear()
        self.session = DemoSession(SCHEDULE, self.clock)
        self.hand_out(
            self.session.set_accounts(
                self.links.accounts(), preferred=chosen.id if chosen else None
            )
        )
        if chosen is not None and self.session.account is not chosen:
            self.hand_out(self.session.choose(chosen.id))

    @precondition(lambda self: self.session.account is not None)
    @rule(index=st.integers(0, 2), foreign=st.booleans())
    def watch_a_check_started_elsewhere(self, index: int, foreign: bool) -> None:
        """The integration being demoed starts a check; the presenter pastes its id.

        Usually the integration uses the demoed account (same customer). `foreign`: the check
        belongs to another linked account, which the app knows from its history: refused.
        """
        chosen = self.session.account
        assert chosen is not None
        account = self.accounts[index] if foreign else chosen
        key = ApiKey.parse(
            SECOND_STAGING_KEY if account.label == "staging B" else DEMO_KEYS[account.environment]
        )
        endpoint = sandbox_endpoints(self.sandbox.base_urls())[account.environment]
        with ZincClient(endpoint, key, settings=QUICK) as client:
            package = client.list_packages()[0]
            check_id = client.start_check(
                package.id, Candidate("Sam", "Elsewhere", "sam@example.com")
            )
        self.owner[check_id] = account
        self.elsewhere_posts += 1
        if foreign:  # the check started from this app on another account: refused, not read
            self.history_claims(check_id, account)
        try:
            call = self.session.watch_elsewhere(check_id)
        except DemoRefusal:
            return
        if call is not None:
            self.hand_out([call])

    def history_claims(self, check_id: str, account: Account) -> None:
        from zinc_desktop.core.operations.checks import elsewhere_record
        from zinc_desktop.core.zinc.api import CheckReport, CheckStatus

        self.history.add(
            elsewhere_record(account, CheckReport(check_id, CheckStatus.REQUESTED, (), ()))
        )

    # --- what must always hold --------------------------------------------------------------

    @invariant()
    def every_check_request_used_its_own_accounts_environment_and_key(self) -> None:
        for seen in self.sandbox.requests:
            marker = "/partner/v2/results/"
            if marker not in seen.path:
                continue
            check_id = seen.path.split(marker, 1)[1]
            owner = self.owner.get(check_id)
            assert owner is not None, f"read of a check nobody started: {check_id}"
            assert seen.environment is owner.environment, (check_id, seen)
            assert seen.key_hint == self.key_hint[owner.id], (check_id, seen)

    @invariant()
    def one_press_one_check(self) -> None:
        posts = sum(1 for r in self.sandbox.requests if r.method == "POST")
        assert posts - self.elsewhere_posts <= self.start_calls <= self.presses

    @invariant()
    def calls_under_way_belong_to_the_chosen_account(self) -> None:
        chosen = self.session.account
        for call in self.session.in_flight():
            assert chosen is not None
            assert call.account.id == chosen.id


DemoMachine.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestDemoSessionInAnyOrder = DemoMachine.TestCase
