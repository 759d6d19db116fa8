"""The simulator's journey clock: the real clock, less the time spent paused."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

PAUSES_KEPT = 64  # pauses remembered to tell when a past moment happened (see `wall`)


class SimulatedClock:
    """Moves with the real clock, stands still while paused, and after a pause runs behind
    the real clock by the time spent paused. Thread-safe. Calling it reads it.

    Journeys are measured on this clock; `wall` turns its moments back into real-clock times
    for what the simulator reports (a step taken while paused is dated when the pause began).
    """

    def __init__(self, real: Callable[[], float] = time.time) -> None:
        self._real = real
        self._lock = threading.Lock()
        self._lag = 0.0  # real minus simulated, while running: the time spent paused so far
        self._paused_at: float | None = None  # the simulated moment it stands still at
        # (simulated moment a pause began, the lag before it), oldest first.
        self._pauses: deque[tuple[float, float]] = deque(maxlen=PAUSES_KEPT)

    def __call__(self) -> float:
        return self.now()

    def now(self) -> float:
        with self._lock:
            if self._paused_at is not None:
                return self._paused_at
            return self._real() - self._lag

    @property
    def paused(self) -> bool:
        with self._lock:
            return self._paused_at is not None

    def pause(self) -> None:
        """Stand still (idempotent)."""
        with self._lock:
            if self._paused_at is None:
                self._paused_at = self._real() - self._lag

    def resume(self) -> None:
        """Move again from where it stood (idempotent)."""
        with self._lock:
            if self._paused_at is None:
                return
            self._pauses.append((self._paused_at, self._lag))
            self._lag = self._real() - self._paused_at
            self._paused_at = None

    def wall(self, moment: float) -> float:
        """The real-clock time at which the simulated `moment` was now."""
        with self._lock:
            for paused_at, lag_before in self._pauses:
                if moment <= paused_at:
                    return moment + lag_before
            return moment + self._lag

    def from_wall(self, wall: float) -> float:
        """A real-clock time as a simulated moment, at the lag of now (for a check started by
        another simulator, which knew nothing of this one's pauses)."""
        with self._lock:
            return wall - self._lag
