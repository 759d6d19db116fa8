"""Where the simulator answers and with which keys: what the window needs before it starts it."""

from __future__ import annotations

import hashlib

from zinc_desktop.core.foundation.environments import Environment

API_PREFIX = "/partner/v2"
HOST = "127.0.0.1"


def demo_key(environment: Environment) -> str:
    """Fixed per tenant, so a demo script or a consultant's notes can rely on it."""
    return hashlib.sha256(f"zinc-desktop sandbox {environment.value}".encode()).hexdigest()[:32]


DEMO_KEYS = {environment: demo_key(environment) for environment in Environment}


def signing_token(environment: Environment) -> str:
    """The tenant's webhook signing token: fixed and public (never a real secret), printed by
    `zinc-desktop sandbox` so a receiver can be given it."""
    digest = hashlib.sha256(f"zinc-desktop sandbox webhooks {environment.value}".encode())
    return f"whsec_sim_{environment.value}_{digest.hexdigest()[:16]}"


def base_url(port: int, environment: Environment, host: str = HOST) -> str:
    return f"http://{host}:{port}/{environment.value}{API_PREFIX}"


def base_urls(port: int, host: str = HOST) -> dict[Environment, str]:
    return {environment: base_url(port, environment, host) for environment in Environment}
