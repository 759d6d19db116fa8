"""Webhook deliveries as received, byte for byte, in a bounded ring kept in memory only.

A delivery holds a candidate's details (names, email) in its body: it is never written to a
file or the log. The ring keeps at most MAX_DELIVERIES and MAX_RING_BYTES of bodies, the oldest
let go first, whatever a sender floods it with.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from zinc_desktop.core.foundation.events import Topic
from zinc_desktop.core.webhooks.signing import Verdict
from zinc_desktop.core.zinc.api import json_too_deep

MAX_DELIVERIES = 1000
MAX_RING_BYTES = 32 * 1024 * 1024
# Where a payload may name its check and status (the shape is unknown: ZINC.md), first found wins.
_CHECK_FIELDS = ("check_id", "checkId", "request_id", "requestId", "id")
_STATUS_FIELDS = ("status", "state")
_NESTS = ("check", "request", "data", "payload", "object")


@dataclass(frozen=True)
class ForwardResult:
    """What the integration's handler answered a forwarded (or replayed) delivery."""

    url: str
    ms: float
    status: int | None = None  # None: no answer (then `error` says why)
    excerpt: str = ""  # the answer's start, scrubbed, one line
    error: str = ""

    def describe(self) -> str:
        if self.status is None:
            return f"not delivered: {self.error}"
        return f"{self.status} in {self.ms:.0f} ms" + (f": {self.excerpt}" if self.excerpt else "")


@dataclass(frozen=True)
class Delivery:
    """One request a sender made to the receiver, as it came (body None: refused, too big)."""

    number: int
    received_at: datetime
    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    size: int  # the body's length as declared (also when refused)
    verdict: Verdict
    account_id: str | None = None
    check_id: str | None = None
    status: str | None = None  # what the payload says the check's status is
    forward: ForwardResult | None = None
    replay_of: int | None = None  # a replay: the number of the delivery it replays
    refused: str = ""  # why the body was not kept ("" when it was)


def read_payload(body: bytes | None) -> tuple[str | None, str | None]:
    """The check id and status a payload names, where a tolerant reader finds them; (None,
    None) for anything that is not a JSON object or nests too deep."""
    if not body or json_too_deep(body):
        return None, None
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None, None
    if not isinstance(data, dict):
        return None, None
    nested = [data[n] for n in _NESTS if isinstance(data.get(n), dict)]
    check_id = _first(
        [(data, _CHECK_FIELDS[:-1]), *((n, _CHECK_FIELDS[:-1]) for n in nested),
         *((n, ("id",)) for n in nested[:2]), (data, ("id",))],
        (str, int),
    )  # fmt: skip
    status = _first([(data, _STATUS_FIELDS), *((n, _STATUS_FIELDS) for n in nested)], (str,))
    return (check_id[:200] if check_id else None), (status[:100] if status else None)


def _first(
    places: list[tuple[dict[str, Any], tuple[str, ...]]], kinds: tuple[type, ...]
) -> str | None:
    """The first of each place's fields holding a value of `kinds`, as text."""
    for place, fields in places:
        for field in fields:
            value = place.get(field)
            if isinstance(value, kinds) and not isinstance(value, bool):
                return str(value)
    return None


class DeliveryRing:
    """The last deliveries, newest last; thread-safe; bounded in count and in bytes."""

    def __init__(self, max_count: int = MAX_DELIVERIES, max_bytes: int = MAX_RING_BYTES) -> None:
        self._max_count = max_count
        self._max_bytes = max_bytes
        self._items: OrderedDict[int, Delivery] = OrderedDict()
        self._bytes = 0
        self._next = 1
        self._lock = threading.Lock()

    def number(self) -> int:
        """The next delivery's number (1, 2, …; never reused)."""
        with self._lock:
            number, self._next = self._next, self._next + 1
            return number

    def add(self, delivery: Delivery) -> None:
        with self._lock:
            self._items[delivery.number] = delivery
            self._bytes += len(delivery.body or b"")
            while self._items and (
                len(self._items) > self._max_count or self._bytes > self._max_bytes
            ):
                _, gone = self._items.popitem(last=False)
                self._bytes -= len(gone.body or b"")

    def update(self, number: int, forward: ForwardResult) -> Delivery | None:
        """The delivery with its forward result; None when the ring let it go meanwhile."""
        with self._lock:
            found = self._items.get(number)
            if found is None:
                return None
            found = replace(found, forward=forward)
            self._items[number] = found
            return found

    def get(self, number: int) -> Delivery | None:
        with self._lock:
            return self._items.get(number)

    def all(self) -> list[Delivery]:
        with self._lock:
            return list(self._items.values())

    def held_bytes(self) -> int:
        with self._lock:
            return self._bytes

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


# Published on Services.events: each delivery as it arrives, and again with its forward result.
DELIVERIES: Topic[Delivery] = Topic("webhook deliveries")
