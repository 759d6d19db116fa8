"""One simulated Zinc tenant: its keys, packages and checks, moving on a demo clock.

Each check follows the journey of its outcome (outcomes.JOURNEYS), measured on the server's
SimulatedClock, and can be steered: moved to its next stage now (`step`) or sent back to the
start (`reset`). Its id holds its start, outcome and package (check_ids), so a simulator that
never saw it (after a restart, or in a one-shot `--sandbox` command) tells the same story.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.core.webhooks.forwarding import BadForwardUrl, http_url
from zinc_desktop.sandbox.addresses import demo_key, signing_token
from zinc_desktop.sandbox.catalogue import BASIC, COMPONENTS, PACKAGES, components
from zinc_desktop.sandbox.check_ids import new_check_id, read_check_id
from zinc_desktop.sandbox.clock import SimulatedClock
from zinc_desktop.sandbox.outcomes import JOURNEYS, CheckOutcome, results

__all__ = [
    "BASIC",
    "COMPONENTS",
    "HELD_CHECKS",
    "PACKAGES",
    "RequestProblem",
    "SimulatedCheck",
    "Tenant",
    "UnknownCheck",
]
CANCELLED = "cancelled"
HELD_CHECKS = 4096  # checks a tenant holds, the oldest let go first (then rebuilt from the id)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class RequestProblem(Exception):
    """A request the simulated Zinc refuses with a 4xx."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class UnknownCheck(LookupError):
    """A check id the simulator neither holds nor can rebuild."""


@dataclass(frozen=True)
class SimulatedCheck:
    """A check as the simulator holds it. Times are moments of the SimulatedClock.

    Its journey runs from stage `stage` (an index in its outcome's journey), which began at
    `stage_at`, each later stage after its share of the demo clock; `passed` holds the stages
    before it as they happened (a step fixes them: status, moment).
    """

    id: str
    package_id: str  # "" when not known (an id from before packages were encoded)
    outcome: CheckOutcome
    created_at: float
    owner: str = ""  # a digest of the key that started it; "" when not known
    stage: int = 0
    stage_at: float | None = None  # None: created_at
    passed: tuple[tuple[str, float], ...] = ()
    cancelled_at: float | None = None  # cancelled (DELETE /checks/{id}): its journey stops

    @property
    def needs_attention(self) -> bool:
        return self.outcome is CheckOutcome.ATTENTION

    def timeline(self, now: float, demo_seconds: float) -> list[tuple[str, float]]:
        """The stages reached by `now`, each with the moment it began; never empty. A
        cancelled check ends at Cancelled, from the moment it was."""
        if self.cancelled_at is not None:
            stopped = self._journey_by(self.cancelled_at, demo_seconds)
            return [*stopped, (CANCELLED, self.cancelled_at)]
        return self._journey_by(now, demo_seconds)

    def _journey_by(self, now: float, demo_seconds: float) -> list[tuple[str, float]]:
        journey = JOURNEYS[self.outcome]
        began = self.created_at if self.stage_at is None else self.stage_at
        origin = journey[self.stage][0]
        reached = list(self.passed)
        for index, (fraction, status) in enumerate(journey[self.stage :]):
            at = began + (fraction - origin) * demo_seconds
            if index and at > now:
                break
            reached.append((status, at))
        return reached

    def current_stage(self, now: float, demo_seconds: float) -> int:
        return self.stage + len(self.timeline(now, demo_seconds)) - len(self.passed) - 1

    def next_change_in(self, now: float, demo_seconds: float) -> float | None:
        """Seconds until the next stage begins; None when the journey is over."""
        if self.cancelled_at is not None:
            return None
        journey = JOURNEYS[self.outcome]
        following = self.current_stage(now, demo_seconds) + 1
        if following >= len(journey):
            return None
        began = self.created_at if self.stage_at is None else self.stage_at
        at = began + (journey[following][0] - journey[self.stage][0]) * demo_seconds
        return max(0.0, at - now)

    def stepped(self, now: float, demo_seconds: float) -> SimulatedCheck | None:
        """This check moved to its next stage at `now`; None when its journey is over."""
        if self.cancelled_at is not None:
            return None
        reached = self.timeline(now, demo_seconds)
        following = self.stage + len(reached) - len(self.passed)
        if following >= len(JOURNEYS[self.outcome]):
            return None
        return replace(self, stage=following, stage_at=now, passed=tuple(reached))

    def restarted(self, now: float) -> SimulatedCheck:
        """This check back at Requested, as if started at `now`."""
        return replace(self, stage=0, stage_at=now, passed=(), cancelled_at=None)


@dataclass
class _Hook:
    """Where a check's updates go, and how many of its stages were sent there (in memory only:
    a simulator restarted sends nothing for checks it started before)."""

    url: str
    candidate: dict[str, str]  # first and last name, as Zinc would name the candidate
    sent: int = 0


def _owner(key: str) -> str:
    """Who a check belongs to: Zinc binds a key to one customer account."""
    return hashlib.sha256(key.lower().encode()).hexdigest()


def _iso(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class Tenant:
    """Keys, packages and checks of one environment. Nothing crosses to the other tenant.

    Thread-safe: requests and the server's steering calls come from different threads.
    """

    def __init__(
        self,
        environment: Environment,
        clock: SimulatedClock | Callable[[], float],
        demo_seconds: float,
        *,
        default_outcome: CheckOutcome = CheckOutcome.CLEAR,
        held_checks: int = HELD_CHECKS,
    ) -> None:
        self.environment = environment
        self.keys = {demo_key(environment)}
        self.packages = [dict(p) for p in PACKAGES[environment]]
        self.demo_seconds = demo_seconds
        self.clock = clock if isinstance(clock, SimulatedClock) else SimulatedClock(clock)
        self._checks: dict[str, SimulatedCheck] = {}  # oldest first
        self._hooks: dict[str, _Hook] = {}  # check id -> where its updates go
        self.signing_token = signing_token(environment)
        self._held_checks = held_checks
        self._default_outcome = default_outcome
        self._next_outcome: CheckOutcome | None = None
        self._restarted_at: float | None = None  # the last reset: no journey began before it
        self._rotated: dict[str, str] = {}  # a regenerated key -> the first key of its customer
        self._lock = threading.Lock()

    def owner_of(self, key: str) -> str:
        """The customer a key acts for: its own, or that of the key it replaced (rotate_key)."""
        return _owner(self._rotated.get(key.lower(), key))

    def rotate_key(self, old: str, new: str) -> None:
        """The customer generates a new key: the old one stops working, the new one sees the
        same customer's checks (as Zinc's own regeneration does)."""
        old, new = old.lower(), new.lower()
        self._rotated[new] = self._rotated.get(old, old)
        self.keys.discard(old)
        self.keys.add(new)

    # --- outcomes ------------------------------------------------------------------------------

    @property
    def default_outcome(self) -> CheckOutcome:
        with self._lock:
            return self._default_outcome

    @default_outcome.setter
    def default_outcome(self, outcome: CheckOutcome) -> None:
        with self._lock:
            self._default_outcome = CheckOutcome(outcome)

    @property
    def next_outcome(self) -> CheckOutcome | None:
        """The outcome the next check started here gets; None: chosen as usual."""
        with self._lock:
            return self._next_outcome

    @next_outcome.setter
    def next_outcome(self, outcome: CheckOutcome | None) -> None:
        with self._lock:
            self._next_outcome = None if outcome is None else CheckOutcome(outcome)

    # --- the API -------------------------------------------------------------------------------

    def start_check(self, body: object, key: str) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise RequestProblem(400, "The body must be a JSON object.")
        package_id = body.get("package_id")
        if not isinstance(package_id, str):
            raise RequestProblem(400, "package_id must be a string.")
        if package_id not in {p["id"] for p in self.packages}:
            raise RequestProblem(422, f"Unknown package_id {package_id[:80]!r}.")
        candidate = body.get("candidate")
        if not isinstance(candidate, dict):
            raise RequestProblem(422, "candidate is required.")
        for field in ("first_name", "last_name", "email", "phone"):
            if not isinstance(candidate.get(field, ""), str):
                raise RequestProblem(400, f"candidate.{field} must be a string.")
        for field in ("first_name", "last_name", "email"):
            if not candidate.get(field, "").strip():
                raise RequestProblem(422, f"candidate.{field} is required.")
        email = candidate["email"]
        if not _EMAIL.match(email):
            raise RequestProblem(422, "candidate.email is not a valid email address.")
        hook = self._hook(body.get("webhook_url"), candidate)
        with self._lock:
            # The outcome chosen for this one check, else a tag in the email, else the default.
            outcome = self._next_outcome or CheckOutcome.in_email(email) or self._default_outcome
            self._next_outcome = None
            now = self.clock.now()
            started = self.clock.wall(now)
            check_id = new_check_id(self.environment, started, outcome, package_id)
            self._hold(SimulatedCheck(check_id, package_id, outcome, now, self.owner_of(key)))
            if hook is not None:
                self._hooks[check_id] = hook
        return {"id": check_id, "status": "requested", "created_at": _iso(started)}

    def due_webhooks(self) -> list[tuple[str, dict[str, Any]]]:
        """(url, payload) for every stage a check with a webhook URL reached since the last
        call: a status change, an open action (attention needed) or the final results."""
        due = []
        with self._lock:
            now = self.clock.now()
            for check_id, hook in list(self._hooks.items()):
                check = self._checks.get(check_id)
                if check is None:  # let go: nothing more is sent for it
                    del self._hooks[check_id]
                    continue
                timeline = check.timeline(now, self._seconds())
                for status, moment in timeline[hook.sent :]:
                    due.append((hook.url, self._payload(check, status, moment, hook)))
                hook.sent = len(timeline)
        return due

    def _payload(
        self, check: SimulatedCheck, status: str, moment: float, hook: _Hook
    ) -> dict[str, Any]:
        """One delivery's body. Its shape is the simulator's GUESS (ZINC.md: not published)."""
        event = {"attention_needed": "action_required", "complete": "results_ready"}.get(
            status, "status_changed"
        )
        payload: dict[str, Any] = {
            "event": event,
            "check_id": check.id,
            "package_id": check.package_id,
            "status": status,
            "occurred_at": _iso(self.clock.wall(moment)),
            "candidate": hook.candidate,
        }
        if status == "complete":
            payload["results"] = results(check.outcome, components(check.package_id))
        return payload

    @staticmethod
    def _hook(url: object, candidate: dict[str, str]) -> _Hook | None:
        if url is None:
            return None
        refused = RequestProblem(422, "webhook_url must be an http or https URL.")
        if not isinstance(url, str):
            raise refused
        try:
            url = http_url(url, "webhook_url")  # the rule the app's own checks use
        except BadForwardUrl:
            raise refused from None
        names = {f: candidate[f] for f in ("first_name", "last_name")}
        return _Hook(url, names)

    def list_checks(self, key: str) -> list[dict[str, Any]]:
        """The checks this key's account started that the tenant holds, newest first."""
        owner = self.owner_of(key)
        with self._lock:
            now = self.clock.now()
            mine = [c for c in self._checks.values() if c.owner == owner]
            return [
                {
                    "id": c.id,
                    "package_id": c.package_id,
                    "status": c.timeline(now, self._seconds())[-1][0],
                    "created_at": _iso(self.clock.wall(c.created_at)),
                }
                for c in reversed(mine)
            ]

    def cancel(self, check_id: str, key: str) -> dict[str, Any]:
        """Cancel the check now (409 when its journey is already over)."""
        check = self._find(check_id, key)
        with self._lock:
            now = self.clock.now()
            if check.cancelled_at is not None or check.next_change_in(now, self._seconds()) is None:
                status = check.timeline(now, self._seconds())[-1][0]
                raise RequestProblem(409, f"The check is already {status}; nothing to cancel.")
            self._checks[check.id] = replace(check, cancelled_at=now)
        return {"id": check.id, "status": CANCELLED}

    def report(self, check_id: str, key: str) -> dict[str, Any]:
        check = self._find(check_id, key)
        timeline = check.timeline(self.clock.now(), self._seconds())
        status = timeline[-1][0]
        package_results = (
            results(check.outcome, components(check.package_id)) if status == "complete" else []
        )
        return {
            "check_id": check.id,
            "package_id": check.package_id,
            "status": status,
            "updates": [
                {"status": stage, "at": _iso(self.clock.wall(moment))} for stage, moment in timeline
            ],
            "results": package_results,
        }

    # --- steering ------------------------------------------------------------------------------

    @property
    def held(self) -> int:
        """How many checks the tenant holds (at most `held_checks`)."""
        with self._lock:
            return len(self._checks)

    def knows(self, check_id: str) -> bool:
        """Whether the check is held here or is one of this environment's ids."""
        with self._lock:
            if check_id in self._checks:
                return True
        parts = read_check_id(check_id)
        return parts is not None and parts.environment is self.environment

    def step(self, check_id: str | None = None) -> list[str]:
        """Move the check (None: every check held) to its next stage now; the ids moved."""
        moved = []
        with self._lock:
            now = self.clock.now()
            targets = list(self._checks) if check_id is None else [self._held(check_id).id]
            for target in targets:
                stepped = self._checks[target].stepped(now, self._seconds())
                if stepped is not None:
                    self._checks[target] = stepped
                    moved.append(target)
        return moved

    def reset(self) -> None:
        """Every check back at Requested, as if started now; one rebuilt later too."""
        with self._lock:
            now = self.clock.now()
            self._restarted_at = now
            for check_id, check in self._checks.items():
                self._checks[check_id] = check.restarted(now)
            for hook in self._hooks.values():
                hook.sent = 0  # the journey told again, from Requested

    def next_change_in(self, check_id: str) -> float | None:
        """Seconds until the check's status next changes; None when paused, when its journey
        is over, or for a check this tenant cannot know."""
        if self.clock.paused:
            return None
        with self._lock:
            try:
                check = self._held(check_id)
            except UnknownCheck:
                return None
            return check.next_change_in(self.clock.now(), self._seconds())

    # --- held checks ---------------------------------------------------------------------------

    def _seconds(self) -> float:
        return max(self.demo_seconds, 0.001)

    def _hold(self, check: SimulatedCheck) -> None:
        """Keep the check (the lock held); beyond the limit the oldest is let go."""
        self._checks[check.id] = check
        while len(self._checks) > self._held_checks:
            del self._checks[next(iter(self._checks))]

    def _held(self, check_id: str) -> SimulatedCheck:
        """The check held, or rebuilt from its id and held from now on (the lock held)."""
        known = self._checks.get(check_id)
        if known is not None:
            return known
        parts = read_check_id(check_id)
        if parts is None or parts.environment is not self.environment:
            raise UnknownCheck(f"No check {check_id[:80]!r} in {self.environment.display_name}.")
        created = self.clock.from_wall(parts.started_at)
        rebuilt = SimulatedCheck(check_id, parts.package_id, parts.outcome, created, "")
        if self._restarted_at is not None and self._restarted_at > created:
            rebuilt = rebuilt.restarted(self._restarted_at)  # a reset since it started
        self._hold(rebuilt)
        return rebuilt

    def _find(self, check_id: str, key: str) -> SimulatedCheck:
        unknown = RequestProblem(404, f"No check {check_id[:80]!r} in this account.")
        with self._lock:
            try:
                check = self._held(check_id)
            except UnknownCheck:
                raise unknown from None
        # Another customer's check is, to this key, no check at all.
        if check.owner and check.owner != self.owner_of(key):
            raise unknown
        return check
