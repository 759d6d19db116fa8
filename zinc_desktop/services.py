"""Builds the real services once, for the CLI and the window alike."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from zinc_desktop import APP_NAME
from zinc_desktop.core.account_store import AccountStore
from zinc_desktop.core.accounts import Account
from zinc_desktop.core.app_paths import AppPaths
from zinc_desktop.core.check_history import CheckHistory
from zinc_desktop.core.client_settings import ClientSettings, Exchange, ExchangeListener
from zinc_desktop.core.environments import Endpoints, resolve_endpoints, sandbox_endpoints
from zinc_desktop.core.key_verification import Verifier
from zinc_desktop.core.linking import LinkService
from zinc_desktop.core.secret_store import (
    KeyringSecretStore,
    SecretStore,
    resolve_keyring_backend,
)
from zinc_desktop.sandbox import SandboxServer

SANDBOX_PROFILE = "sandbox"


@dataclass
class Services:
    """What one run of the app works with; `close()` stops a sandbox it started."""

    paths: AppPaths
    endpoints: Endpoints
    links: LinkService
    history: CheckHistory
    sandbox: SandboxServer | None = None
    exchange_listeners: list[ExchangeListener] = field(default_factory=list)

    def unlink(self, account_id: str) -> Account:
        """Remove the account (key, then metadata) and forget the checks started for it."""
        account = self.links.unlink(account_id)
        self.history.forget_account(account_id)
        return account

    def close(self) -> None:
        self.links.verifier.pool.close_all()
        if self.sandbox is not None:
            self.sandbox.stop()
            self.sandbox = None


def assemble_services(
    paths: AppPaths,
    endpoints: Endpoints,
    keyring_factory: Callable[[], SecretStore],
    *,
    settings: ClientSettings | None = None,
    sandbox: SandboxServer | None = None,
) -> Services:
    """The one recipe, given where things are; tests call it with their own parts."""
    listeners: list[ExchangeListener] = []

    def broadcast(exchange: Exchange) -> None:
        for listener in list(listeners):
            listener(exchange)

    verifier = Verifier(endpoints, settings=settings, on_exchange=broadcast)
    links = LinkService(verifier, AccountStore(paths.accounts_file), keyring_factory)
    history = CheckHistory(paths.checks_file)
    return Services(paths, endpoints, links, history, sandbox, listeners)


def build_services(
    environ: Mapping[str, str],
    *,
    use_sandbox: bool = False,
    sandbox_demo_seconds: float = 60.0,
    keyring_backend: Any | None = None,
    settings: ClientSettings | None = None,
) -> Services:
    """Services for this machine. Raises ConfigError for unusable settings."""
    sandbox: SandboxServer | None = None
    if use_sandbox:
        sandbox = SandboxServer(demo_seconds=sandbox_demo_seconds).start()
        endpoints: Endpoints = sandbox_endpoints(sandbox.base_urls())
        paths = AppPaths.for_profile(SANDBOX_PROFILE)
        service_name = f"{APP_NAME}-{SANDBOX_PROFILE}"
    else:
        endpoints = resolve_endpoints(environ)
        paths = AppPaths.for_profile()
        service_name = APP_NAME

    def open_keyring() -> SecretStore:
        backend = (
            keyring_backend if keyring_backend is not None else resolve_keyring_backend(environ)
        )
        return KeyringSecretStore(service_name, backend=backend)

    return assemble_services(paths, endpoints, open_keyring, settings=settings, sandbox=sandbox)
