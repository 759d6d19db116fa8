"""How often to ask Zinc about a check: quickly at first and after a change, then less often,
and right after a change someone who knows says is due (the in-process simulator)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

ChangeHint = Callable[[str], float | None]
"""Seconds until a check's status next changes, asked by check id; None when not known or
when no change is coming. Given by whoever knows: the simulator in this process
(SandboxServer.next_change_in). Core only calls it, so it depends on no simulator."""

HINT_MARGIN = 0.05  # a read this long after a change it was told of sees the change made


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

    @staticmethod
    def hinted(delay: float, change_in: float | None) -> float:
        """`delay`, brought forward to just after a change due sooner (see ChangeHint)."""
        if change_in is None or not math.isfinite(change_in):
            return delay
        return min(delay, max(change_in, 0.0) + HINT_MARGIN)
