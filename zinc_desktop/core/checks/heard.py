"""What Zinc told the partner system about a check (its webhooks), beside what the app's own
polls of /results say: one timeline, with a mark where the two disagree.

A webhook whose signature did not verify is listed, marked, and never trusted to disagree (a
forged delivery must not make a poll look wrong). No payload detail is kept: the status and
when it arrived.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from zinc_desktop.core.checks.journey import MAIN_ROUTE
from zinc_desktop.core.zinc.api import CheckStatus, parse_status

MAX_HEARD = 50  # per check: a flood of deliveries keeps the newest


@dataclass(frozen=True)
class Heard:
    """One webhook delivery about a check, as the timeline shows it."""

    number: int  # the delivery's number on the Webhooks page
    received_at: datetime
    status: CheckStatus
    signature: str  # signing.Signature's value: valid, invalid, unsigned, no-token

    @property
    def trusted(self) -> bool:
        return self.signature != "invalid"


def heard(number: int, received_at: datetime, status: str | None, signature: str) -> Heard:
    return Heard(number, received_at, parse_status(status), signature)


def _rank(status: CheckStatus) -> int:
    """How far along a status is (a final one furthest; attention between in progress and
    complete; unknown before everything)."""
    if status.is_final:
        return len(MAIN_ROUTE) + 1
    if status is CheckStatus.ATTENTION_NEEDED:
        return MAIN_ROUTE.index(CheckStatus.IN_PROGRESS) + 1
    return MAIN_ROUTE.index(status) if status in MAIN_ROUTE else -1


def disagreement(polled: CheckStatus, deliveries: tuple[Heard, ...]) -> str | None:
    """What to mark when the newest trusted webhook and the last poll say different things;
    None when they agree or no trusted webhook arrived."""
    trusted = [d for d in deliveries if d.trusted and d.status is not CheckStatus.UNKNOWN]
    if not trusted or polled is CheckStatus.UNKNOWN:
        return None
    told = trusted[-1].status
    if told is polled:
        return None
    if _rank(told) > _rank(polled):
        return (
            f"A webhook says {told.label}; the last poll still says {polled.label}. "
            "The next poll should catch up."
        )
    return (
        f"The last poll says {polled.label}; the last webhook said {told.label}. A webhook for "
        f"{polled.label} has not arrived (yet)."
    )


def moment(delivery: Heard, check: str = "") -> str:
    """The arrival as a moment of the demo (presenting): which check (its package's name, when
    known) and what happened; no payload detail."""
    about = f"{check}: " if check else ""
    return f"Zinc told the partner system: {about}{delivery.status.label}"


def line(delivery: Heard, clock: str) -> str:
    """One timeline line for a delivery (clock: its local time, as the screen shows times)."""
    signed = {
        "valid": "signed",
        "invalid": "⚠ BAD SIGNATURE",
        "unsigned": "unsigned",
        "no-token": "not verified",
    }.get(delivery.signature, delivery.signature)
    return f"↪  {delivery.status.label}   {clock}   · {signed}"
