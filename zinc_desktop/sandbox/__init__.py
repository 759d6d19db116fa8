"""An offline simulator of Zinc's Staging and Production Partner APIs, on loopback.

The demo keys and addresses load light; the server itself (http.server and friends) loads on
first use, so a window that starts the simulator after its first frame does not pay for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zinc_desktop.sandbox.addresses import DEMO_KEYS
from zinc_desktop.sandbox.outcomes import CheckOutcome

if TYPE_CHECKING:
    from zinc_desktop.sandbox.server import Fault, SandboxServer, SeenRequest

__all__ = ["DEMO_KEYS", "CheckOutcome", "Fault", "SandboxServer", "SeenRequest"]


def __getattr__(name: str) -> Any:
    if name in ("Fault", "SandboxServer", "SeenRequest"):
        from zinc_desktop.sandbox import server

        return getattr(server, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
