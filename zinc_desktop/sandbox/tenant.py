"""One simulated Zinc tenant: its keys, packages and checks, moving on a demo clock."""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from zinc_desktop.core.environments import Environment
from zinc_desktop.sandbox.addresses import demo_key

# The journey of a check, as fractions of the demo clock at which each status begins.
JOURNEY = (
    (0.0, "requested"),
    (0.1, "awaiting_candidate"),
    (0.3, "in_progress"),
    (1.0, "complete"),
)
ATTENTION_STEP = (0.6, "attention_needed")
RESUME_STEP = (0.8, "in_progress")
# What each package checks: the results a finished check reports, one per component.
BASIC = ("Identity", "Right to work", "Criminal record (Basic DBS)")
COMPONENTS = {
    "pkg_stg_basic": BASIC,
    "pkg_prd_basic": BASIC,
    "pkg_stg_care": (
        "Identity",
        "Right to work",
        "Criminal record (Enhanced DBS)",
        "Barred list (adults)",
        "Employment history (3 years)",
    ),
    "pkg_stg_fca": (
        "Identity",
        "Right to work",
        "Criminal record (Basic DBS)",
        "Credit check",
        "Directorships",
        "Employment history (5 years)",
    ),
    "pkg_prd_exec": (
        "Identity",
        "Right to work",
        "Criminal record (Standard DBS)",
        "Credit check",
        "Directorships",
        "Professional references",
    ),
}
_CHECK_ID = re.compile(r"^chk-([sp])-([0-9a-f]{8,12})-([ac])[0-9a-f]{6}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


PACKAGES = {
    Environment.STAGING: [
        {"id": "pkg_stg_basic", "name": "Basic DBS + Right to Work", "type": "standard"},
        {"id": "pkg_stg_care", "name": "Enhanced DBS (Healthcare)", "type": "enhanced"},
        {"id": "pkg_stg_fca", "name": "Financial Services (FCA)", "type": "premium"},
    ],
    Environment.PRODUCTION: [
        {"id": "pkg_prd_basic", "name": "Basic DBS + Right to Work", "type": "standard"},
        {"id": "pkg_prd_exec", "name": "Executive Screening", "type": "premium"},
    ],
}


class RequestProblem(Exception):
    """A request the simulated Zinc refuses with a 4xx."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class SimulatedCheck:
    id: str
    package_id: str
    created_at: float
    needs_attention: bool
    owner: str = ""  # a digest of the key that started it; "" when not known


def _owner(key: str) -> str:
    """Who a check belongs to: Zinc binds a key to one customer account."""
    return hashlib.sha256(key.lower().encode()).hexdigest()


def _iso(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class Tenant:
    """Keys, packages and checks of one environment. Nothing crosses to the other tenant."""

    def __init__(
        self, environment: Environment, clock: Callable[[], float], demo_seconds: float
    ) -> None:
        self.environment = environment
        self.keys = {demo_key(environment)}
        self.packages = [dict(p) for p in PACKAGES[environment]]
        self.demo_seconds = demo_seconds
        self._clock = clock
        self._checks: dict[str, SimulatedCheck] = {}
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
        now = self._clock()
        # A candidate whose address has "+attention" in it shows the attention-needed branch.
        attention = "+attention" in email.lower()
        check_id = (
            f"chk-{self.environment.value[0]}-{int(now * 1000):x}-"
            f"{'a' if attention else 'c'}{secrets.token_hex(3)}"
        )
        check = SimulatedCheck(check_id, package_id, now, attention, self.owner_of(key))
        with self._lock:
            self._checks[check_id] = check
        return {"id": check_id, "status": "requested", "created_at": _iso(now)}

    def report(self, check_id: str, key: str) -> dict[str, Any]:
        check = self._find(check_id, key)
        elapsed = (self._clock() - check.created_at) / max(self.demo_seconds, 0.001)
        steps = list(JOURNEY)
        if check.needs_attention:
            steps = sorted([*steps, ATTENTION_STEP, RESUME_STEP])
        updates = [
            {"status": status, "at": _iso(check.created_at + start * self.demo_seconds)}
            for start, status in steps
            if elapsed >= start
        ]
        status = updates[-1]["status"]
        results = []
        if status == "complete":
            for component in COMPONENTS.get(check.package_id, BASIC):
                review = check.needs_attention and component.startswith("Criminal")
                results.append(
                    {"name": component, "outcome": "needs review" if review else "clear"}
                )
        return {
            "check_id": check.id,
            "package_id": check.package_id,
            "status": status,
            "updates": updates,
            "results": results,
        }

    def _find(self, check_id: str, key: str) -> SimulatedCheck:
        with self._lock:
            known = self._checks.get(check_id)
        unknown = RequestProblem(404, f"No check {check_id[:80]!r} in this account.")
        if known is not None:
            # Another customer's check is, to this key, no check at all.
            if known.owner and known.owner != self.owner_of(key):
                raise unknown
            return known
        # Check ids carry their start time, so a restarted sandbox still tells their story.
        match = _CHECK_ID.match(check_id)
        if match is None or match.group(1) != self.environment.value[0]:
            raise unknown
        created = int(match.group(2), 16) / 1000
        return SimulatedCheck(check_id, "", created, match.group(3) == "a")
