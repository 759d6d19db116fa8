"""Events pushed to whoever listens: the one place they travel through, without Qt.

Each kind of event is a typed Topic, declared beside the event's own type (the HTTP exchanges
in core/zinc/settings.py; webhook deliveries and file changes will add theirs). Publishers
call `publish` on any thread; subscribers are called on the publisher's thread, so a window
subscribes through gui/common/event_relay.HubRelay, which carries events to the GUI thread in
bursts. A subscriber that raises is logged and left subscribed; the others still hear.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True, eq=False)
class Topic(Generic[T]):
    """A kind of event; identity is the topic (two topics never share subscribers)."""

    name: str


class EventHub:
    """Thread-safe. Subscriptions are kept until `unsubscribe` (or the returned callable)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: dict[Topic[Any], tuple[Callable[[Any], None], ...]] = {}

    def subscribe(self, topic: Topic[T], subscriber: Callable[[T], None]) -> Callable[[], None]:
        """Call `subscriber(event)` for each event published on `topic`; returns what ends it."""
        with self._lock:
            self._subscribers[topic] = (*self._subscribers.get(topic, ()), subscriber)
        return lambda: self.unsubscribe(topic, subscriber)

    def unsubscribe(self, topic: Topic[T], subscriber: Callable[[T], None]) -> None:
        with self._lock:
            kept = tuple(s for s in self._subscribers.get(topic, ()) if s != subscriber)
            self._subscribers[topic] = kept

    def publish(self, topic: Topic[T], event: T) -> None:
        with self._lock:
            subscribers = self._subscribers.get(topic, ())
        for subscriber in subscribers:
            try:
                subscriber(event)
            except Exception:  # one listener's bug must not silence the others
                log.exception("a subscriber to %s failed", topic.name)

    def subscribers(self, topic: Topic[Any]) -> int:
        with self._lock:
            return len(self._subscribers.get(topic, ()))
