"""How often to ask Zinc about a check: quickly at first and after a change, then less often."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PollSchedule:
    """Backoff for polling /results. A change of status resets it to `first`."""

    first: float = 2.0
    factor: float = 1.5
    longest: float = 30.0
    max_failures: int = 5  # consecutive failures before polling stops and says so

    def next_delay(self, previous: float | None, changed: bool) -> float:
        if previous is None or changed:
            return self.first
        return min(self.longest, previous * self.factor)
