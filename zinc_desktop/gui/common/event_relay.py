"""Events from the hub (published on any thread) to a view on the GUI thread, in bursts."""

from __future__ import annotations

from typing import Generic, TypeVar

from PySide6.QtCore import QObject, Signal, Slot

from zinc_desktop.core.foundation.events import EventHub, Topic
from zinc_desktop.gui.common.burst_relay import BurstRelay

T = TypeVar("T")


class HubRelay(QObject, Generic[T]):
    """Subscribes to one topic until `close()` (its owner calls it when closing); `take()` on
    `arrived` (GUI thread) gives every event waiting, in order.

    Signals:
        arrived(): events are waiting.
    """

    arrived = Signal()

    def __init__(self, hub: EventHub, topic: Topic[T], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._relay: BurstRelay[T] = BurstRelay(self)
        self._relay.arrived.connect(self._on_arrived)
        self._unsubscribe = hub.subscribe(topic, self._relay.put)

    @Slot()
    def _on_arrived(self) -> None:
        self.arrived.emit()

    def take(self) -> list[T]:
        return self._relay.take()

    def close(self) -> None:
        """Stop hearing the topic (events already waiting can still be taken)."""
        self._unsubscribe()
