"""An offline simulator of Zinc's Staging and Production Partner APIs, on loopback."""

from zinc_desktop.sandbox.server import DEMO_KEYS, Fault, SandboxServer, SeenRequest

__all__ = ["DEMO_KEYS", "Fault", "SandboxServer", "SeenRequest"]
