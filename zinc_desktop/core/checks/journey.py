"""A check's journey as steps to show: reached (with when), current, still to come."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from zinc_desktop.core.zinc.api import CheckReport, CheckResult, CheckStatus, CheckUpdate

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
    return steps + _still_ahead(report.status, updates)


def _still_ahead(status: CheckStatus, updates: list[CheckUpdate]) -> list[JourneyStep]:
    """The main-route steps not reached yet; none once the check has stopped (a withdrawn
    check never goes on to In progress or Complete)."""
    if status.is_final or (updates and updates[-1].status.is_final):
        return []
    reached = {u.status for u in updates}
    furthest = max((MAIN_ROUTE.index(s) for s in reached if s in MAIN_ROUTE), default=-1)
    return [JourneyStep(s, StepState.PENDING) for s in MAIN_ROUTE[furthest + 1 :]]


def needs_review(outcome: str) -> bool:
    return outcome.strip().lower() not in {"clear", "passed", "pass", "complete", "ok"}


# How much of a report the Demo tab shows; a summary holds ten times as much. A real check has a
# handful of updates and results; a server that sends 20,000 must not freeze the window.
SHOWN_STEPS = 50
SHOWN_RESULTS = 100


@dataclass(frozen=True)
class ReportView:
    """What a screen shows of a report, bounded, made off the GUI thread.

    `steps`: the newest reported steps (at most `limit`), then the main-route steps still to
    come; `earlier_steps`: the reported ones left out. `milestones`: one step per status in the
    order first reached, then those to come (the large journey while presenting). `results`:
    the first results; `more_results`: those left out; `to_review`: how many of all need review.
    `fingerprint` changes whenever anything shown changes, so a view redraws only then.
    """

    steps: tuple[JourneyStep, ...]
    earlier_steps: int
    milestones: tuple[JourneyStep, ...]
    results: tuple[CheckResult, ...]
    more_results: int
    to_review: int
    fingerprint: int


def report_view(
    report: CheckReport, *, steps: int = SHOWN_STEPS, results: int = SHOWN_RESULTS
) -> ReportView:
    updates = [u for u in report.updates if u.status is not CheckStatus.UNKNOWN]
    shown = updates[-steps:] if steps else []
    tail = CheckReport(report.check_id, report.status, tuple(shown), ())
    full = journey(tail)
    pending = _still_ahead(report.status, updates)
    full = [step for step in full if step.state is not StepState.PENDING] + pending
    if len(updates) <= 8:  # a usual journey is shown whole
        milestones: tuple[JourneyStep, ...] = tuple(full)
    else:  # a long one by its milestones: each status once, in the order last reached
        last_of: dict[CheckStatus, CheckUpdate] = {}
        for update in updates:
            last_of.pop(update.status, None)
            last_of[update.status] = update
        milestones = (
            *journey(CheckReport(report.check_id, report.status, tuple(last_of.values()), ())),
        )
        milestones = (*(m for m in milestones if m.state is not StepState.PENDING), *pending)
    kept = report.results[:results]
    view = (tuple(full), len(updates) - len(shown), tuple(milestones), kept)
    return ReportView(
        steps=view[0],
        earlier_steps=view[1],
        milestones=view[2],
        results=kept,
        more_results=len(report.results) - len(kept),
        to_review=sum(1 for r in report.results if needs_review(r.outcome)),
        fingerprint=hash((report.check_id, report.status, view, len(report.results))),
    )
