"""The webhook timeline's rules: a mark only where a trusted webhook and the last poll differ,
saying which is ahead; a delivery whose signature failed never marks a poll wrong."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from zinc_desktop.core.checks.heard import Heard, disagreement, moment
from zinc_desktop.core.zinc.api import CheckStatus

AT = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
statuses = st.sampled_from([s for s in CheckStatus if s is not CheckStatus.UNKNOWN])
signatures = st.sampled_from(["valid", "invalid", "unsigned", "no-token"])


@given(polled=statuses, told=st.lists(st.tuples(statuses, signatures), max_size=6))
def test_a_mark_only_where_the_last_trusted_webhook_and_the_poll_differ(
    polled: CheckStatus, told: list[tuple[CheckStatus, str]]
) -> None:
    heard = tuple(Heard(n, AT, status, signed) for n, (status, signed) in enumerate(told))
    trusted = [h for h in heard if h.signature != "invalid"]
    mark = disagreement(polled, heard)
    if not trusted or trusted[-1].status is polled:
        assert mark is None
    else:
        assert mark is not None
        assert trusted[-1].status.label in mark
        assert polled.label in mark


def test_which_side_is_ahead_is_said() -> None:
    complete = (Heard(1, AT, CheckStatus.COMPLETE, "valid"),)
    assert disagreement(CheckStatus.IN_PROGRESS, complete) == (
        "A webhook says Complete; the last poll still says In progress. "
        "The next poll should catch up."
    )
    behind = (Heard(1, AT, CheckStatus.IN_PROGRESS, "valid"),)
    said = disagreement(CheckStatus.COMPLETE, behind)
    assert said is not None
    assert said.startswith("The last poll says Complete; the last webhook said In progress.")
    forged = (Heard(1, AT, CheckStatus.COMPLETE, "invalid"),)
    assert disagreement(CheckStatus.IN_PROGRESS, forged) is None
    assert moment(complete[0]) == "Zinc told the partner system: Complete"
    assert moment(complete[0], "Basic DBS") == "Zinc told the partner system: Basic DBS: Complete"
