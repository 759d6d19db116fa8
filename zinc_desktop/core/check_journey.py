"""A check's journey as steps to show: reached (with when), current, still to come."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from zinc_desktop.core.zinc_api import CheckReport, CheckStatus

MAIN_ROUTE = (
    CheckStatus.REQUESTED,
    CheckStatus.AWAITING_CANDIDATE,
    CheckStatus.IN_PROGRESS,
    CheckStatus.COMPLETE,
)


class StepState(StrEnum):
    DONE = "done"
    CURRENT = "current"
    ATTENTION = "attention"
    PENDING = "pending"


@dataclass(frozen=True)
class JourneyStep:
    status: CheckStatus
    state: StepState
    at: str = ""


def journey(report: CheckReport) -> list[JourneyStep]:
    """Every update Zinc reported, in order, then the main-route steps still ahead."""
    steps: list[JourneyStep] = []
    updates = [u for u in report.updates if u.status is not CheckStatus.UNKNOWN]
    for index, update in enumerate(updates):
        last = index == len(updates) - 1
        if update.status is CheckStatus.ATTENTION_NEEDED:
            state = StepState.ATTENTION
        elif last and not update.status.is_final:
            state = StepState.CURRENT
        else:
            state = StepState.DONE
        steps.append(JourneyStep(update.status, state, update.at))
    reached = {u.status for u in updates}
    furthest = max((MAIN_ROUTE.index(s) for s in reached if s in MAIN_ROUTE), default=-1)
    steps += [JourneyStep(s, StepState.PENDING) for s in MAIN_ROUTE[furthest + 1 :]]
    return steps


def needs_review(outcome: str) -> bool:
    return outcome.strip().lower() not in {"clear", "passed", "pass", "complete", "ok"}
