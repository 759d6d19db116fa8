"""Runs blocking work off the GUI thread and hands each outcome to a slot on the GUI thread."""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from zinc_desktop.core.operations.base import Context, Operation

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass
class TaskOutcome(Generic[T]):
    """What a task produced: `result` (None until the work returned), or `error`; `cancelled`
    when the cancel event was set by the time it ended. `context` is what the submitter handed
    in, given back to it (it names what the task was for)."""

    task_id: int
    kind: str
    context: Any = None
    result: T | None = None
    error: BaseException | None = None
    cancelled: bool = False


@dataclass
class TaskHandle:
    """Lets the GUI cancel a task: the work sees the event; a late outcome says `cancelled`."""

    task_id: int
    cancel_event: threading.Event = field(default_factory=threading.Event)

    def cancel(self) -> None:
        self.cancel_event.set()


class _TaskSignals(QObject):
    """Lives on the GUI thread; its signal is emitted from a pool thread, so delivery is queued."""

    done = Signal(object)


class _Task(QRunnable, Generic[T]):
    def __init__(
        self,
        work: Callable[[threading.Event], T],
        outcome: TaskOutcome[T],
        cancel: threading.Event,
        signals: _TaskSignals,
    ) -> None:
        super().__init__()
        self._work: Callable[[threading.Event], T] | None = work
        self._outcome: TaskOutcome[T] | None = outcome
        self._cancel = cancel
        self._signals: _TaskSignals | None = signals

    def run(self) -> None:
        outcome = self._outcome
        assert outcome is not None
        assert self._signals is not None
        if not self._cancel.is_set():
            try:
                assert self._work is not None
                outcome.result = self._work(self._cancel)
            except Exception as error:  # every failure must reach the GUI as data
                outcome.error = error
                if (
                    not isinstance(error, ValueError | OSError)
                    and "zinc_desktop" not in type(error).__module__
                ):
                    log.exception("task %s failed unexpectedly", outcome.kind)
        outcome.cancelled = self._cancel.is_set()
        signals = self._signals
        # Drop every reference before emitting: nothing of the GUI's may die on this thread.
        self._work = self._outcome = self._signals = None
        signals.done.emit(outcome)


class TaskRunner(QObject):
    """A private, bounded thread pool. The one way the GUI runs network and keyring work.

    `submit()` takes the work (a plain callable, run on a pool thread) and a bound @Slot of a
    QObject living on the GUI thread; the outcome reaches that slot through a queued signal.
    Lambdas are refused as receivers: they would run on the pool thread.
    """

    def __init__(self, parent: QObject | None = None, max_threads: int = 4) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._ids = itertools.count(1)
        self._in_flight: dict[int, _TaskSignals] = {}
        self._handles: dict[int, TaskHandle] = {}

    def submit(
        self,
        work: Callable[[threading.Event], T],
        on_done: Callable[[TaskOutcome[T]], None],
        *,
        kind: str,
        context: Any = None,
        cancel: threading.Event | None = None,
    ) -> TaskHandle:
        """Run `work(cancel_event)` on the pool; deliver a TaskOutcome to `on_done`.

        Pass one `cancel` event to several tasks to cancel them as a batch.
        """
        receiver = getattr(on_done, "__self__", None)
        if not isinstance(receiver, QObject):
            raise TypeError("on_done must be a @Slot method of a QObject on the GUI thread")
        task_id = next(self._ids)
        handle = TaskHandle(task_id, cancel or threading.Event())
        # Parented to the runner (GUI thread): Qt owns it, so no worker thread ever deletes it.
        signals = _TaskSignals(self)
        signals.done.connect(on_done)
        signals.done.connect(self._delivered)
        self._in_flight[task_id] = signals
        self._handles[task_id] = handle
        outcome: TaskOutcome[T] = TaskOutcome(task_id, kind, context)
        self._pool.start(_Task(work, outcome, handle.cancel_event, signals))
        return handle

    def run_operation(
        self,
        operation: Operation[T],
        within: Context,
        on_done: Callable[[TaskOutcome[T]], None],
        *,
        context: Any = None,
        cancel: threading.Event | None = None,
    ) -> TaskHandle:
        """`submit` for a typed operation: it runs `within` the services' context, and its
        result reaches `on_done` with its type."""
        return self.submit(
            partial(operation.run, within), on_done, kind=operation.name, context=context,
            cancel=cancel,
        )  # fmt: skip

    @Slot(object)
    def _delivered(self, outcome: TaskOutcome[Any]) -> None:
        signals = self._in_flight.pop(outcome.task_id, None)
        self._handles.pop(outcome.task_id, None)
        if signals is not None:
            signals.deleteLater()

    def cancel_all(self) -> None:
        """Cancel every task not yet delivered: calls end within a tenth of a second (their
        reads are sliced); a keyring request cannot be interrupted and is left to finish."""
        for handle in list(self._handles.values()):
            handle.cancel()

    def pending(self) -> int:
        """Tasks whose outcome has not been delivered yet."""
        return len(self._in_flight)

    def active_threads(self) -> int:
        return self._pool.activeThreadCount()

    def wait_for_threads(self, msecs: int) -> bool:
        """Block until every pool thread is done (for shutdown and tests)."""
        return self._pool.waitForDone(msecs)
