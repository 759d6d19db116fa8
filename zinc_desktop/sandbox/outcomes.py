"""How a simulated check ends, chosen before it starts: the simulator as a demo partner.

Each outcome has its journey (the statuses a check goes through, as fractions of the demo
clock at which each begins) and its results. Light: the window and the CLI import it to offer
the choice without loading the simulator.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum


class CheckOutcome(StrEnum):
    """How the next simulated check ends. The value is the CLI's word for it."""

    CLEAR = "clear"  # all clear
    CONSIDER = "consider"  # completes; the criminal-record result needs review
    ATTENTION = "attention"  # attention needed on the way, then cleared: completes all clear
    WITHDRAWN = "withdrawn"  # the candidate withdrew: stops at Withdrawn, with no results

    @property
    def label(self) -> str:
        """What a person is shown: "All clear", "Needs review", ..."""
        return _LABELS[self]

    @property
    def letter(self) -> str:
        """Its letter in a check id (see check_ids)."""
        return _LETTERS[self]

    @classmethod
    def from_letter(cls, letter: str) -> CheckOutcome | None:
        return next((outcome for outcome in cls if outcome.letter == letter), None)

    @classmethod
    def in_email(cls, email: str) -> CheckOutcome | None:
        """The outcome a candidate's email asks for with a tag (`ada+consider@example.com`),
        the first one in it; None when it has none. `+attention` has worked since the first
        simulator; the other outcomes' words work the same way."""
        match = _EMAIL_TAG.search(email)
        return cls(match.group(1).lower()) if match else None


_LABELS = {
    CheckOutcome.CLEAR: "All clear",
    CheckOutcome.CONSIDER: "Needs review",
    CheckOutcome.ATTENTION: "Attention needed, then cleared",
    CheckOutcome.WITHDRAWN: "Candidate withdrew",
}
# 'c' and 'a' are what ids have said since before outcomes: all clear, the attention branch.
_LETTERS = {
    CheckOutcome.CLEAR: "c",
    CheckOutcome.CONSIDER: "r",
    CheckOutcome.ATTENTION: "a",
    CheckOutcome.WITHDRAWN: "w",
}
_EMAIL_TAG = re.compile(r"\+(clear|consider|attention|withdrawn)", re.IGNORECASE)

Journey = tuple[tuple[float, str], ...]
_MAIN: Journey = (
    (0.0, "requested"),
    (0.1, "awaiting_candidate"),
    (0.3, "in_progress"),
    (1.0, "complete"),
)
JOURNEYS: dict[CheckOutcome, Journey] = {
    CheckOutcome.CLEAR: _MAIN,
    CheckOutcome.CONSIDER: _MAIN,
    CheckOutcome.ATTENTION: (
        *_MAIN[:3],
        (0.6, "attention_needed"),
        (0.8, "in_progress"),
        _MAIN[3],
    ),
    # Instead of starting the forms, the candidate withdraws: the check stops there.
    CheckOutcome.WITHDRAWN: (*_MAIN[:2], (0.3, "withdrawn")),
}
REVIEW = "consider"  # Zinc's word for a result that needs review


def results(outcome: CheckOutcome, components: Iterable[str]) -> list[dict[str, str]]:
    """A finished check's results: one per component of its package. A withdrawn check has
    none (nothing was checked)."""
    if outcome is CheckOutcome.WITHDRAWN:
        return []
    return [
        {
            "name": component,
            "outcome": REVIEW
            if outcome is CheckOutcome.CONSIDER and component.startswith("Criminal record")
            else "clear",
        }
        for component in components
    ]
