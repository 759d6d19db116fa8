"""The Demo tab's state and rules, without Qt: the chosen account, its checks, what is watched.

The Demo tab renders a DemoSession and runs the Calls it hands out (typed operations, see
core/operations); each result comes back to the `on_*` receiver its Call names. Switching
account cancels the old account's calls, and a result that arrives for a call the session no
longer expects is dropped.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from typing import Any, TypeVar

from zinc_desktop.core.accounts.demo_choice import (
    PickerEntry,
    default_account,
    picker_entries,
    unusable_reason,
)
from zinc_desktop.core.accounts.model import Account
from zinc_desktop.core.checks.candidate import make_candidate
from zinc_desktop.core.checks.heard import MAX_HEARD, Heard, disagreement, heard
from zinc_desktop.core.checks.history import CheckOrigin, CheckRecord, check_time, newest_first
from zinc_desktop.core.checks.journey import ReportView
from zinc_desktop.core.checks.polling import ChangeHint, PollSchedule
from zinc_desktop.core.foundation.api_key import looks_like_a_key, may_be_a_key_in_disguise
from zinc_desktop.core.foundation.errors import (
    InputRefused,
    InvalidIdentifier,
    KeyInInput,
    NotOffered,
    RequestRefused,
)
from zinc_desktop.core.foundation.time_text import parse_server_time
from zinc_desktop.core.operations.base import Call
from zinc_desktop.core.operations.checks import (
    CancelCheck,
    ChecksListing,
    CrossAccountCall,
    ListChecks,
    ListPackages,
    LoadHistory,
    ReadCheck,
    ReadResult,
    StartCheck,
    elsewhere_record,
    needs_confirmation,
)
from zinc_desktop.core.zinc.api import (
    Candidate,
    CheckReport,
    CheckStatus,
    Package,
    validate_typed_check_id,
)

T = TypeVar("T")

# Seconds after a check started in which Enter on the just-cleared form is a repeat, not a try.
REPEAT_GRACE = 2.0


class DemoRefusal(InputRefused):
    """The demo cannot do what was asked; the message says why. Nothing was sent.

    `clear_input`: what was typed must not stay on screen (a key pasted into the wrong field).
    """

    def __init__(self, message: str, *, clear_input: bool = False) -> None:
        super().__init__(message)
        self.clear_input = clear_input


@dataclass(frozen=True)
class Notice:
    kind: str  # "error", "warning", "info" or "success"
    text: str


@dataclass(frozen=True)
class StartPlan:
    """A start the user asked for, checked and waiting to go (after confirmation on Production)."""

    account: Account
    package: Package
    candidate: Candidate

    @property
    def billable(self) -> bool:
        return needs_confirmation(self.account)


@dataclass
class TrackedCheck:
    record: CheckRecord
    report: CheckReport | None = None
    view: ReportView | None = None  # what a screen shows of `report`, made with it
    heard: tuple[Heard, ...] = ()  # what Zinc's webhooks told the partner system, oldest first

    @property
    def disagreement(self) -> str | None:
        """Where the webhooks and the last poll say different things (heard.disagreement)."""
        return disagreement(self.status, self.heard) if self.report is not None else None

    @property
    def status(self) -> CheckStatus:
        return self.report.status if self.report is not None else self.record.status


@dataclass
class _Watch:
    due_at: float
    delay: float | None = None
    failures: int = 0
    in_flight: Call[ReadResult] | None = None
    last_status: CheckStatus | None = None
    one_read: bool = False  # a finished check selected to show its journey: read it once
    read_again: bool = False  # steered while a read was under way: read once more at once


def _typed_check(check_id: str) -> str:
    """How a typed check id is named before Zinc has answered for it: a UUID-shaped one may
    still turn out to be a linked key in disguise (the worker compares), so it is not echoed."""
    if may_be_a_key_in_disguise(check_id):
        return "the check you pasted"
    return f"check {check_id}"


def _reads(call: Call[Any], check_id: str) -> bool:
    return isinstance(call.operation, ReadCheck) and call.operation.check_id == check_id


class DemoSession:
    """The Demo tab's state and rules. Not thread-safe: use it from one thread (the GUI's).

    `change_hint` (also settable later, e.g. once the simulator has started): asked after each
    read of a watched check when its status next changes; the next read is then made just
    after that change (HINT_MARGIN) when the backoff schedule would read later. Call
    `steered()` after steering the simulator. Without a hint, the schedule alone decides.
    """

    def __init__(
        self,
        schedule: PollSchedule,
        clock: Callable[[], float] = time.monotonic,
        *,
        change_hint: ChangeHint | None = None,
        webhook_url: Callable[[], str | None] | None = None,
    ) -> None:
        """`webhook_url`: where a check started now sends its updates (the receiver's URL
        while it is on: WebhookStation.webhook_url_for_checks); None: nowhere."""
        self._schedule = schedule
        self._webhook_url = webhook_url
        self.cancel_offered = True  # until this Zinc answers that it offers no cancel
        self._cancelling: set[str] = set()
        self._clock = clock
        self.change_hint = change_hint
        self._accounts: dict[str, Account] = {}
        self.presented: str | None = None  # presenting: the one account the demo may show
        self.account: Account | None = None
        self.packages: list[Package] | None = None  # None: not loaded (yet)
        self.packages_notice: Notice | None = None
        self.selected_package_id: str | None = None
        self._checks: dict[str, TrackedCheck] = {}
        self.selected_check_id: str | None = None
        self._watches: dict[str, _Watch] = {}
        self._expected: set[Call[Any]] = set()
        self.starting: Call[CheckRecord] | None = None
        self.confirming: StartPlan | None = None
        self.form_notice: Notice | None = None
        self.watch_notice: Notice | None = None
        self.form_epoch = 0  # bumps when the candidate fields must be cleared
        self._started_at: float | None = None
        self._notice_check: str | None = None  # the check `form_notice` speaks of, if any
        self._announcements: list[str] = []

    # --- accounts ------------------------------------------------------------------------------

    def set_accounts(
        self, accounts: Iterable[Account], preferred: str | None = None
    ) -> list[Call[Any]]:
        """The linked accounts changed. Keeps the choice while it is usable, else the default."""
        self._accounts = {a.id: a for a in accounts}
        current = self._accounts.get(self.account.id) if self.account else None
        if current is not None and self._allowed(current):
            self.account = current  # a rename or a new status; same account, same calls
            return []
        if self.presented is not None:  # the presented account alone, or none at all
            return self.choose(self.presented if self.presented in self._accounts else None)
        choice = default_account(self._accounts.values(), preferred)
        return self.choose(choice.id if choice else None)

    def key_hints(self) -> tuple[str, ...]:
        """Every linked key's ending: what presenting and exports hide even when it stands alone."""
        return tuple(sorted({account.key_hint for account in self._accounts.values()}))

    @property
    def presenting(self) -> bool:
        return self.presented is not None

    def entries(self) -> list[PickerEntry]:
        accounts = [
            a for a in self._accounts.values() if self.presented in (None, a.id)
        ]  # presenting one customer: nobody else is listed
        return picker_entries(accounts)

    def present(self, account_id: str | None) -> list[Call[Any]]:
        """Presenting one account (None: no longer presenting). Its demo is the one shown; any
        other account's calls are cancelled."""
        self.presented = account_id
        if account_id is None or (self.account is not None and self.account.id == account_id):
            return []
        return self.choose(account_id if account_id in self._accounts else None)

    def _allowed(self, account: Account) -> bool:
        if unusable_reason(account):
            return False
        return self.presented is None or account.id == self.presented

    def choose(self, account_id: str | None) -> list[Call[Any]]:
        """Switch account: the old one's calls are cancelled and its state forgotten."""
        account = self._accounts.get(account_id or "")
        if account is not None and not self._allowed(account):
            raise DemoRefusal(
                f"“{account.label}” cannot be demoed: {unusable_reason(account) or 'hidden'}."
            )
        if account is not None and self.account is not None and account.id == self.account.id:
            return []
        self._forget_account()
        self.account = account
        if account is None:
            return []
        packages = self._expect(Call(ListPackages(account), self.on_packages))
        history = self._expect(Call(LoadHistory(account), self.on_history))
        listed = self._expect(Call(ListChecks(account), self.on_listed))
        return [packages, history, listed]

    def _forget_account(self) -> None:
        for call in self._expected:
            call.cancel.set()
        self._expected.clear()
        self._watches.clear()
        self._checks.clear()
        self.packages = None
        self.packages_notice = None
        self.selected_package_id = None
        self.selected_check_id = None
        self.starting = None
        self.confirming = None
        self.form_notice = None
        self.watch_notice = None
        self.cancel_offered = True
        self._cancelling.clear()
        self._notice_check = None
        self._announcements.clear()
        self.form_epoch += 1

    def _expect(self, call: Call[T]) -> Call[T]:
        self._expected.add(call)
        return call

    def _take(self, call: Call[Any]) -> bool:
        """Whether a result for `call` is still wanted (and stop expecting it)."""
        if call not in self._expected:
            return False
        self._expected.discard(call)
        return self.account is not None and call.account.id == self.account.id

    def in_flight(self) -> list[Call[Any]]:
        """Calls handed out whose results are still expected (all for the chosen account)."""
        return list(self._expected)

    # --- packages ------------------------------------------------------------------------------

    def reload_packages(self) -> list[Call[Any]]:
        if self.account is None or any(
            isinstance(c.operation, ListPackages) for c in self._expected
        ):
            return []
        self.packages_notice = None
        return [self._expect(Call(ListPackages(self.account), self.on_packages))]

    def on_packages(self, call: Call[list[Package]], result: list[Package] | BaseException) -> None:
        if not self._take(call):
            return
        if isinstance(result, BaseException):
            self.packages_notice = Notice("error", f"Could not load packages: {result}")
            return
        self.packages = list(result)
        ids = {p.id for p in self.packages}
        names = {p.id: p.name for p in self.packages}
        for tracked in self._checks.values():  # listed by Zinc before the packages came
            record = tracked.record
            if not record.package_name and record.package_id in names:
                tracked.record = replace(record, package_name=names[record.package_id])
        if self.selected_package_id not in ids:
            self.selected_package_id = self.packages[0].id if self.packages else None
        self.packages_notice = (
            None
            if self.packages
            else Notice("warning", "No packages are set up in this Zinc account yet.")
        )

    def select_package(self, package_id: str | None) -> None:
        if self.packages is not None and package_id in {p.id for p in self.packages}:
            self.selected_package_id = package_id

    @property
    def selected_package(self) -> Package | None:
        return next((p for p in self.packages or [] if p.id == self.selected_package_id), None)

    # --- starting a check ----------------------------------------------------------------------

    def request_start(self, fields: Mapping[str, str]) -> Call[CheckRecord] | StartPlan | None:
        """The Start button or Enter: one press, at most one check.

        Staging: the START call to run. Production: a StartPlan to confirm first (nothing is
        sent until `confirm_start`). None while a start or its confirmation is under way.
        Raises CandidateRefused (per-field problems) or DemoRefusal; nothing is sent then.
        """
        if self.starting is not None or self.confirming is not None:
            return None
        if self.account is None:
            raise DemoRefusal("Choose an account to demo first.")
        if self._just_started() and not any(value.strip() for value in fields.values()):
            return None  # the impatient extra Enter on the form just cleared: not a mistake
        candidate = make_candidate(
            fields.get("first_name", ""),
            fields.get("last_name", ""),
            fields.get("email", ""),
            fields.get("phone", ""),
        )
        package = self.selected_package
        if package is None:
            raise DemoRefusal("Choose a package first (they load from Zinc).")
        plan = StartPlan(self.account, package, candidate)
        self.form_notice = None
        if plan.billable:
            self.confirming = plan
            return plan
        return self._start(plan)

    def confirm_start(self, plan: StartPlan) -> Call[CheckRecord] | None:
        """The Production dialog's confirm: starts `plan` if it is still the one on screen."""
        if self.confirming is not plan:
            return None
        self.confirming = None
        return self._start(plan, confirmed=True)

    def _just_started(self) -> bool:
        return self._started_at is not None and self._clock() - self._started_at < REPEAT_GRACE

    def cancel_confirmation(self) -> None:
        if self.confirming is not None:
            self.confirming = None
            self.form_notice = Notice("info", "Cancelled: nothing was sent to Zinc.")

    def _start(self, plan: StartPlan, *, confirmed: bool = False) -> Call[CheckRecord] | None:
        if self.account is None or plan.account.id != self.account.id:
            return None
        if self.selected_package is None or self.selected_package.id != plan.package.id:
            return None
        hook = self._webhook_url() if self._webhook_url is not None else None
        start = StartCheck(
            plan.account, plan.package, plan.candidate, confirmed=confirmed, webhook_url=hook
        )
        self.starting = self._expect(Call(start, self.on_started))
        self.form_notice = Notice("info", "Sending the check to Zinc…")
        return self.starting

    def on_started(self, call: Call[CheckRecord], result: CheckRecord | BaseException) -> None:
        if not self._take(call):
            return
        self.starting = None
        if isinstance(result, BaseException):
            self.form_notice = Notice("error", f"Not started: {result}")
            return
        self._checks[result.id] = TrackedCheck(result)
        self.selected_check_id = result.id
        self._watch(result.id)
        self.form_epoch += 1
        self._started_at = self._clock()
        self.form_notice = Notice(
            "success", f"Started check {result.id}. Zinc emails the candidate next."
        )
        self._notice_check = result.id

    def _retire_notice_unless_about(self, check_id: str | None) -> None:
        """The "Started check…" line lives while its check is the one selected and running:
        it goes when another check is selected, or when its own finishes (`None`)."""
        if self._notice_check is not None and self._notice_check != check_id:
            self.form_notice = None
            self._notice_check = None

    def take_announcements(self) -> list[str]:
        """What a screen reader should hear since the last call, each said once: a watched
        check's status changing (not every read, not every tick of its clock)."""
        said, self._announcements = self._announcements, []
        return said

    # --- checks --------------------------------------------------------------------------------

    def on_history(
        self, call: Call[list[CheckRecord]], result: list[CheckRecord] | BaseException
    ) -> None:
        if not self._take(call):
            return
        if isinstance(result, BaseException):
            self.watch_notice = Notice("warning", f"Earlier checks could not be loaded: {result}")
            return
        for record in result:
            if record.account_id == call.account.id and record.id not in self._checks:
                self._checks[record.id] = TrackedCheck(record)
                if not record.status.is_final:
                    self._watch(record.id)

    def on_listed(self, call: Call[ChecksListing], result: ChecksListing | BaseException) -> None:
        """Zinc's list of the account's checks: those the integration started elsewhere join
        the list (read when selected) without their ids being pasted. A Zinc with no list
        (NotOffered) leaves the history's; another failure is said once, quietly."""
        if not self._take(call):
            return
        if isinstance(result, BaseException):
            self.watch_notice = Notice("warning", f"Zinc's list of checks was not read: {result}")
            return
        if result.source != "zinc":
            return
        account = call.account
        names = {p.id: p.name for p in self.packages or []}
        now = check_time()
        for listed in result.zinc:
            if listed.id in self._checks:
                continue
            started = parse_server_time(listed.created_at) or now
            self._checks[listed.id] = TrackedCheck(
                CheckRecord(
                    listed.id, account.id, account.environment, listed.package_id,
                    names.get(listed.package_id, ""), listed.status, started, now,
                    origin=CheckOrigin.ELSEWHERE,
                )
            )  # fmt: skip

    def checks(self) -> list[TrackedCheck]:
        """Newest first."""
        order = newest_first(t.record for t in self._checks.values())
        return [self._checks[r.id] for r in order]

    def check(self, check_id: str | None) -> TrackedCheck | None:
        return self._checks.get(check_id or "")

    def select_check(self, check_id: str | None) -> None:
        tracked = self._checks.get(check_id or "")
        self.selected_check_id = tracked.record.id if tracked else None
        self._retire_notice_unless_about(self.selected_check_id)
        if (
            tracked is not None
            and tracked.report is None
            and tracked.record.id not in self._watches
        ):
            self._watch(tracked.record.id, one_read=tracked.status.is_final)

    def is_watching(self, check_id: str) -> bool:
        watch = self._watches.get(check_id)
        return watch is not None and not watch.one_read

    def watching(self) -> list[str]:
        return [check_id for check_id in self._watches if self.is_watching(check_id)]

    def stop_watching(self, check_id: str) -> None:
        watch = self._watches.pop(check_id, None)
        if watch is not None and watch.in_flight is not None:
            watch.in_flight.cancel.set()
            self._expected.discard(watch.in_flight)

    def watch_again(self, check_id: str) -> None:
        if check_id in self._checks and check_id not in self._watches:
            self.watch_notice = None
            self._watch(check_id)

    def watch_elsewhere(self, text: str) -> Call[ReadResult] | None:
        """Watch a check started outside this app (e.g. by the integration being demoed).

        Raises DemoRefusal for an id that cannot be one. Returns the read that adds it (which
        refuses a check of another account's: ReadCheck), or None when it is already listed.
        """
        if self.account is None:
            raise DemoRefusal("Choose an account to demo first.")
        check_id = text.strip()
        if not check_id:
            raise DemoRefusal(
                "Paste a check id, e.g. the one the integration logged when it started the check."
            )
        try:
            validate_typed_check_id(check_id)
        except InvalidIdentifier as problem:
            raise DemoRefusal(str(problem), clear_input=looks_like_a_key(check_id)) from None
        if check_id in self._checks:
            self.select_check(check_id)
            return None
        if any(_reads(call, check_id) for call in self._expected):
            return None
        self.watch_notice = Notice("info", f"Looking for {_typed_check(check_id)}…")
        return self._read(ReadCheck(self.account, check_id, adopt=True))

    def _read(self, read: ReadCheck) -> Call[ReadResult]:
        return self._expect(Call(read, partial(self.on_read, read)))

    # --- polling -------------------------------------------------------------------------------

    def _watch(self, check_id: str, *, one_read: bool = False) -> None:
        if check_id not in self._watches:
            self._watches[check_id] = _Watch(due_at=self._clock(), one_read=one_read)

    def due_calls(self) -> list[Call[Any]]:
        """Reads whose time has come, each bound to its check and to the chosen account."""
        if self.account is None:
            return []
        now = self._clock()
        calls: list[Call[Any]] = []
        for check_id, watch in self._watches.items():
            if watch.in_flight is None and watch.due_at <= now:
                watch.in_flight = self._read(ReadCheck(self.account, check_id))
                calls.append(watch.in_flight)
        return calls

    def hear(
        self, number: int, received_at: datetime, check_id: str | None, status: str | None,
        signature: str,
    ) -> Heard | None:  # fmt: skip
        """A webhook delivery arrived: kept on its check's timeline when the check is one of
        this demo's (None otherwise: another account's check is nothing to this screen), and
        the check is read again now, so the poll can agree."""
        tracked = self._checks.get(check_id or "")
        if tracked is None:
            return None
        delivery = heard(number, received_at, status, signature)
        if any(known.number == number for known in tracked.heard):  # its forward result: again
            return None
        tracked.heard = (*tracked.heard, delivery)[-MAX_HEARD:]
        watch = self._watches.get(tracked.record.id)
        if watch is not None and delivery.trusted:
            if watch.in_flight is not None:
                watch.read_again = True
            else:
                watch.due_at = self._clock()
        return delivery

    # --- cancelling a check at Zinc ------------------------------------------------------------

    def can_cancel(self, check_id: str | None) -> bool:
        """Whether Cancel is offered for the check: one of this demo's, not finished, not
        being cancelled, and this Zinc has not said it offers no cancel."""
        tracked = self._checks.get(check_id or "")
        return (
            tracked is not None
            and self.cancel_offered
            and not tracked.status.is_final
            and check_id not in self._cancelling
        )

    def cancel_needs_confirmation(self) -> bool:
        """On Production a cancel stops a real candidate's screening: asked first."""
        return self.account is not None and needs_confirmation(self.account)

    def request_cancel(self, check_id: str, *, confirmed: bool = False) -> Call[Any] | None:
        """The call that cancels the check at Zinc (None when it cannot be cancelled now)."""
        if self.account is None or not self.can_cancel(check_id):
            return None
        self._cancelling.add(check_id)
        cancel = CancelCheck(self.account, check_id, confirmed=confirmed)
        self.watch_notice = Notice("info", f"Cancelling check {check_id} at Zinc…")
        return self._expect(Call(cancel, self.on_cancelled))

    def on_cancelled(self, call: Call[Any], result: object) -> None:
        operation = call.operation
        assert isinstance(operation, CancelCheck)
        self._cancelling.discard(operation.check_id)
        if not self._take(call):
            return
        if isinstance(result, NotOffered):
            self.cancel_offered = False
            self.watch_notice = Notice("warning", f"{result} Cancel it in Zinc's web app instead.")
            return
        if isinstance(result, BaseException):
            self.watch_notice = Notice("error", f"Not cancelled: {result}")
            return
        self.watch_notice = Notice("success", f"Cancelled check {operation.check_id} at Zinc.")
        watch = self._watches.get(operation.check_id)
        if watch is None:
            self._watches[operation.check_id] = _Watch(due_at=self._clock(), one_read=True)
        elif watch.in_flight is not None:
            watch.read_again = True
        else:
            watch.due_at = self._clock()

    def steered(self, *, restarted: bool = False) -> None:
        """The simulator was steered (paused, resumed, stepped, reset, an outcome chosen):
        every watched check is read again now, and a finished one whose journey the simulator
        restarted is watched again (`restarted`: a reset, which restarts them all, paused or
        not; otherwise when its `change_hint` announces a change). A check the presenter
        stopped watching stays unwatched. Then hand out `due_calls()` and schedule by
        `next_due_in()`, as after any change."""
        if self.account is None:
            return
        now = self._clock()
        for watch in self._watches.values():
            if watch.in_flight is not None:
                watch.read_again = True  # it may answer with the status from before
            else:
                watch.due_at = now
        for check_id, tracked in self._checks.items():
            if (
                check_id not in self._watches
                and tracked.status.is_final
                and (restarted or self._change_in(check_id) is not None)
            ):
                self._watches[check_id] = _Watch(due_at=now, last_status=tracked.status)

    def _change_in(self, check_id: str) -> float | None:
        if self.change_hint is None:
            return None
        try:
            return self.change_hint(check_id)
        except Exception:  # noqa: BLE001  # a hint is advice: the schedule polls without it
            return None

    def _next_read_at(self, check_id: str, delay: float) -> float:
        return self._clock() + self._schedule.hinted(delay, self._change_in(check_id))

    def next_due_in(self) -> float | None:
        """Seconds until the next read is due (None when nothing is watched)."""
        waiting = [w.due_at for w in self._watches.values() if w.in_flight is None]
        return max(0.0, min(waiting) - self._clock()) if waiting else None

    def on_read(
        self, read: ReadCheck, call: Call[ReadResult], result: ReadResult | BaseException
    ) -> None:
        if not self._take(call):
            return
        check_id = read.check_id
        if read.adopt:
            self._on_adopted(check_id, result)
            return
        watch = self._watches.get(check_id)
        if watch is None or watch.in_flight is not call:
            return
        watch.in_flight = None
        if isinstance(result, BaseException):
            self._on_read_failed(check_id, watch, result)
            return
        tracked = self._checks.get(check_id)
        if tracked is not None:
            tracked.report = result.report
            tracked.view = result.view
            tracked.record = result.record or replace(
                tracked.record, status=result.report.status, updated_at=check_time()
            )
        changed = result.report.status is not watch.last_status
        told = tracked.heard[-1] if tracked is not None and tracked.heard else None
        # Its webhook's moment said it already: not twice.
        said = told is not None and told.trusted and told.status is result.report.status
        if changed and not said and watch.last_status is not None and tracked is not None:
            package = tracked.record.package_name or "the check"
            self._announcements.append(f"{package}: now {result.report.status.label}.")
        if changed and result.report.status.is_final and self._notice_check == check_id:
            self._retire_notice_unless_about(None)
        watch.last_status = result.report.status
        watch.failures = 0
        if watch.read_again and not watch.one_read:  # steered meanwhile: this may be stale
            watch.read_again = False
            watch.delay = self._schedule.first
            watch.due_at = self._clock()
            return
        if result.report.status.is_final or watch.one_read:
            del self._watches[check_id]
            return
        watch.delay = self._schedule.next_delay(watch.delay, changed)
        watch.due_at = self._next_read_at(check_id, watch.delay)

    def _on_read_failed(self, check_id: str, watch: _Watch, error: BaseException) -> None:
        watch.failures += 1
        if isinstance(error, RequestRefused) or watch.failures >= self._schedule.max_failures:
            del self._watches[check_id]
            attempts = "" if watch.failures == 1 else f" after {watch.failures} failed attempts"
            self.watch_notice = Notice(
                "error", f"Stopped watching {check_id}{attempts}: {error} Select it to try again."
            )
            return
        watch.delay = self._schedule.next_delay(watch.delay, changed=False)
        watch.due_at = self._clock() + watch.delay
        watch.read_again = False

    def _on_adopted(self, check_id: str, result: ReadResult | BaseException) -> None:
        if isinstance(result, KeyInInput | CrossAccountCall):
            self.watch_notice = Notice("error", str(result))
            return
        if isinstance(result, BaseException):
            typed = _typed_check(check_id)
            self.watch_notice = Notice(
                "error", f"{typed[0].upper()}{typed[1:]} cannot be watched: {result}"
            )
            return
        assert self.account is not None
        record = result.record or elsewhere_record(self.account, result.report)
        self._checks[record.id] = TrackedCheck(record, result.report, result.view)
        self.selected_check_id = record.id
        self.watch_notice = Notice("success", f"Watching check {record.id}, started elsewhere.")
        if not result.report.status.is_final:
            self._watches[record.id] = _Watch(
                due_at=self._next_read_at(record.id, self._schedule.first),
                last_status=result.report.status,
            )
