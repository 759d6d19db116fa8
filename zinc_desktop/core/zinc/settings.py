"""What a Zinc client is told (its limits) and what it reports (exchanges): plain data.

Apart from zinc_client so that knowing these costs nothing: importing the client brings httpx,
httpcore and truststore (about 0.1 s and 20 MB), which the window pays on a worker thread
after it is on screen, not before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from zinc_desktop.core.foundation.events import Topic
from zinc_desktop.core.zinc.api import AuthForm


@dataclass(frozen=True)
class ClientSettings:
    """Limits every call obeys. The defaults end a hung server within 15 s."""

    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    total_timeout: float = 15.0
    max_body_bytes: int = 8 * 1024 * 1024
    max_rate_limit_retries: int = 2
    max_retry_wait: float = 10.0


@dataclass(frozen=True)
class Exchange:
    """One HTTP exchange, as the request inspector shows it. Holds no secret."""

    started_at: datetime
    environment: str
    method: str
    url: str
    auth_form: AuthForm
    status: int | None
    duration: float
    request_body: str | None = None
    response_body: str | None = None
    error: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


ExchangeListener = Callable[[Exchange], None]

# Every HTTP exchange with Zinc (or the simulator), as the Requests tab lists it.
EXCHANGES: Topic[Exchange] = Topic("exchanges")
