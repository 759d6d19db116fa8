"""Poll backoff, the check journey, curl commands and candidate validation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from zinc_desktop.core.checks.candidate import candidate_problems
from zinc_desktop.core.checks.journey import (
    JourneyStep,
    StepState,
    journey,
    needs_review,
    report_view,
)
from zinc_desktop.core.checks.polling import PollSchedule
from zinc_desktop.core.zinc.api import (
    AuthForm,
    CheckReport,
    CheckStatus,
    CheckUpdate,
    parse_report,
    parse_status,
)
from zinc_desktop.core.zinc.curl import as_curl
from zinc_desktop.core.zinc.settings import Exchange


def test_poll_backoff_grows_to_a_ceiling_and_resets_on_change() -> None:
    schedule = PollSchedule(first=2, factor=1.5, longest=5)
    delay = schedule.next_delay(None, changed=False)
    seen = [delay]
    for _ in range(4):
        delay = schedule.next_delay(delay, changed=False)
        seen.append(delay)
    assert seen == [2, 3, 4.5, 5, 5]
    assert schedule.next_delay(5, changed=True) == 2


@pytest.mark.parametrize(
    ("spelling", "status"),
    [("Awaiting candidate", CheckStatus.AWAITING_CANDIDATE),
     ("IN_PROGRESS", CheckStatus.IN_PROGRESS),
     ("action-required", CheckStatus.ATTENTION_NEEDED), ("Completed", CheckStatus.COMPLETE),
     ("Withdrawn", CheckStatus.WITHDRAWN), ("CANCELLED", CheckStatus.WITHDRAWN),
     ("canceled", CheckStatus.WITHDRAWN),
     ("something new", CheckStatus.UNKNOWN), (7, CheckStatus.UNKNOWN)],
)  # fmt: skip
def test_status_spellings(spelling: object, status: CheckStatus) -> None:
    assert parse_status(spelling) is status


def report(*statuses: CheckStatus) -> CheckReport:
    updates = tuple(CheckUpdate(s, f"2026-11-22T10:0{i}:00Z") for i, s in enumerate(statuses))
    return CheckReport("chk", statuses[-1], updates, ())


def test_journey_marks_done_current_and_pending() -> None:
    steps = journey(report(CheckStatus.REQUESTED, CheckStatus.AWAITING_CANDIDATE))
    assert [(s.status, s.state) for s in steps] == [
        (CheckStatus.REQUESTED, StepState.DONE),
        (CheckStatus.AWAITING_CANDIDATE, StepState.CURRENT),
        (CheckStatus.IN_PROGRESS, StepState.PENDING),
        (CheckStatus.COMPLETE, StepState.PENDING),
    ]
    assert steps[0].at == "2026-11-22T10:00:00Z"


def test_journey_with_attention_and_completion() -> None:
    steps = journey(
        report(
            CheckStatus.REQUESTED,
            CheckStatus.AWAITING_CANDIDATE,
            CheckStatus.IN_PROGRESS,
            CheckStatus.ATTENTION_NEEDED,
            CheckStatus.IN_PROGRESS,
            CheckStatus.COMPLETE,
        )
    )
    assert [s.state for s in steps].count(StepState.ATTENTION) == 1
    assert steps[-1] == JourneyStep(CheckStatus.COMPLETE, StepState.DONE, "2026-11-22T10:05:00Z")
    assert StepState.PENDING not in [s.state for s in steps]


def test_a_withdrawn_check_has_stopped_and_nothing_is_left_to_come() -> None:
    withdrawn = report(CheckStatus.REQUESTED, CheckStatus.AWAITING_CANDIDATE, CheckStatus.WITHDRAWN)
    assert CheckStatus.WITHDRAWN.is_final
    assert CheckStatus.WITHDRAWN.label == "Withdrawn"
    expected = [
        (CheckStatus.REQUESTED, StepState.DONE),
        (CheckStatus.AWAITING_CANDIDATE, StepState.DONE),
        (CheckStatus.WITHDRAWN, StepState.DONE),
    ]
    assert [(s.status, s.state) for s in journey(withdrawn)] == expected
    view = report_view(withdrawn)
    assert [(s.status, s.state) for s in view.steps] == expected
    assert [(s.status, s.state) for s in view.milestones] == expected


def test_reports_are_read_tolerantly() -> None:
    parsed = parse_report(
        "chk1",
        {"data": {"status": "Attention needed", "updates": [{"status": "requested", "at": "t"}, 3],
                  "results": [{"check": "Identity", "result": "clear"}], "extra": True}},
    )  # fmt: skip
    assert parsed.status is CheckStatus.ATTENTION_NEEDED
    assert parsed.check_id == "chk1"
    assert [(r.name, r.outcome) for r in parsed.results] == [("Identity", "clear")]
    assert needs_review("needs review")
    assert not needs_review("Clear")


def exchange(method: str, body: str | None, form: AuthForm) -> Exchange:
    return Exchange(
        started_at=datetime.now(UTC),
        environment="staging",
        method=method,
        url="https://stagingapi.zincwork.com/partner/v2/checks",
        auth_form=form,
        status=201,
        duration=0.1,
        request_body=body,
    )


def test_curl_uses_the_environment_variable_never_a_key() -> None:
    body = '{"package_id": "p1", "candidate": {"first_name": "Ada O\'Neil"}}'
    command = as_curl(exchange("POST", body, AuthForm.RAW))
    assert '"Authorization: $ZINC_API_KEY"' in command
    assert "--request POST" in command
    assert "Content-Type: application/json" in command
    assert "https://stagingapi.zincwork.com/partner/v2/checks" in command
    bearer = as_curl(exchange("GET", None, AuthForm.BEARER))
    assert '"Authorization: Bearer $ZINC_API_KEY"' in bearer
    assert "--data" not in bearer


@pytest.mark.parametrize(
    ("values", "fields"),
    [
        (("", "", "", ""), {"first_name", "last_name", "email"}),
        (("Ada", "Lovelace", "ada@", ""), {"email"}),
        (("Ada", "Lovelace", "ada@example.com", "abc"), {"phone"}),
        (("Ada", "Lovelace", "ada@example.com", "+44 20 7946 0958"), set()),
    ],
)
def test_candidate_validation(values: tuple[str, str, str, str], fields: set[str]) -> None:
    assert set(candidate_problems(*values)) == fields
