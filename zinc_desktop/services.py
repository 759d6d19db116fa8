"""Builds the real services once, for the CLI and the window alike."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from zinc_desktop.core.accounts.linking import LinkService
from zinc_desktop.core.accounts.secret_service_bus import secret_service_is_the_choice
from zinc_desktop.core.accounts.secret_store import (
    KeyringSecretStore,
    SecretStore,
    resolve_keyring_backend,
)
from zinc_desktop.core.accounts.store import AccountStore
from zinc_desktop.core.accounts.verification import Verifier
from zinc_desktop.core.accounts.webhook_tokens import webhook_token
from zinc_desktop.core.checks.history import CheckHistory
from zinc_desktop.core.foundation.app_paths import SANDBOX_PROFILE, AppPaths
from zinc_desktop.core.foundation.environments import (
    Endpoints,
    EndpointSource,
    Environment,
    resolve_endpoints,
    sandbox_endpoints,
)
from zinc_desktop.core.foundation.errors import UnknownAccount
from zinc_desktop.core.foundation.events import EventHub
from zinc_desktop.core.operations.base import Context
from zinc_desktop.core.zinc.settings import EXCHANGES, ClientSettings
from zinc_desktop.sandbox import addresses

if TYPE_CHECKING:
    from zinc_desktop.core.webhooks.station import WebhookStation
    from zinc_desktop.sandbox import SandboxServer


@dataclass
class Services:
    """What one run of the app works with; `close()` stops a sandbox it started."""

    paths: AppPaths
    endpoints: Endpoints
    links: LinkService
    history: CheckHistory
    sandbox: SandboxServer | None = None
    events: EventHub = field(default_factory=EventHub)  # pushed events: see core/foundation/events
    # A simulator whose port is reserved but which starts later (see start_sandbox).
    sandbox_socket: socket.socket | None = None
    sandbox_demo_seconds: float = 60.0
    _sandbox_lock: threading.Lock = field(default_factory=threading.Lock)
    _station: WebhookStation | None = None

    def start_sandbox(self) -> None:
        """Start the reserved simulator (idempotent). Until then its socket holds callers."""
        with self._sandbox_lock:
            if self.sandbox is not None or self.sandbox_socket is None:
                return
            from zinc_desktop.sandbox import SandboxServer

            self.sandbox = SandboxServer(
                demo_seconds=self.sandbox_demo_seconds, listening=self.sandbox_socket
            ).start()
            self.sandbox_socket = None

    def start_sandbox_in_background(self) -> None:
        threading.Thread(target=self.start_sandbox, name="start-sandbox", daemon=True).start()

    def simulator_for(self, environment: Environment) -> SandboxServer | None:
        """The simulator in this process when it serves `environment` in this run (--sandbox),
        so it can be steered; None for real Zinc, an overridden URL, or before it started."""
        with self._sandbox_lock:
            sandbox = self.sandbox
        endpoint = self.endpoints.get(environment)
        if sandbox is None or endpoint is None or endpoint.source is not EndpointSource.SANDBOX:
            return None
        return sandbox if endpoint.base_url == sandbox.base_url(environment) else None

    def change_hint(self, check_id: str) -> float | None:
        """A DemoSession's change_hint: seconds until the check's status next changes, from
        the simulator in this process; None without one (or while it is paused, or once the
        check is final). Safe to hand over before the simulator has started."""
        sandbox = self.sandbox
        return sandbox.next_change_in(check_id) if sandbox is not None else None

    @property
    def context(self) -> Context:
        """What typed operations run with (core/operations)."""
        return Context(self.links, self.history)

    @property
    def webhooks(self) -> WebhookStation:
        """The webhook receiver of this run (off until started), made when first asked for."""
        from zinc_desktop.core.webhooks.station import WebhookStation  # when first asked for

        with self._sandbox_lock:
            if self._station is None:
                self._station = WebhookStation(self.events, self._signing_token)
            return self._station

    def _signing_token(self, account_id: str) -> str | None:
        """An account's signing token for the receiver; None when it has none, or when the
        account was unlinked meanwhile. A keyring that fails raises: the station does not keep
        that answer, and asks again for the next delivery."""
        try:
            return webhook_token(self.links, account_id)
        except UnknownAccount:
            return None

    def close(self) -> None:
        if self._station is not None:
            self._station.stop()
        self.links.verifier.pool.close_all()
        with self._sandbox_lock:
            if self.sandbox is not None:
                self.sandbox.stop()
                self.sandbox = None
            if self.sandbox_socket is not None:
                self.sandbox_socket.close()
                self.sandbox_socket = None


class ServicesFactory(Protocol):
    """What the composition root hands the window and the CLI: services, built on demand."""

    def __call__(
        self, use_sandbox: bool, demo_seconds: float = 60.0, *, start_sandbox: bool = True
    ) -> Services: ...


def assemble_services(
    paths: AppPaths,
    endpoints: Endpoints,
    keyring_factory: Callable[[], SecretStore],
    *,
    settings: ClientSettings | None = None,
    sandbox: SandboxServer | None = None,
) -> Services:
    """The one recipe, given where things are; tests call it with their own parts."""
    events = EventHub()
    verifier = Verifier(
        endpoints, settings=settings, on_exchange=partial(events.publish, EXCHANGES)
    )
    links = LinkService(verifier, AccountStore(paths.accounts_file), keyring_factory)
    history = CheckHistory(paths.checks_file)
    return Services(paths, endpoints, links, history, sandbox, events)


def build_services(
    environ: Mapping[str, str],
    *,
    use_sandbox: bool = False,
    sandbox_demo_seconds: float = 60.0,
    keyring_backend: Any | None = None,
    settings: ClientSettings | None = None,
    start_sandbox: bool = True,
) -> Services:
    """Services for this machine. Raises ConfigError for unusable settings.

    With `use_sandbox` the simulator's port is reserved at once; `start_sandbox=False` leaves
    starting it to the caller (`Services.start_sandbox`), e.g. after the window's first frame.
    """
    listening: socket.socket | None = None
    if use_sandbox:
        listening = socket.create_server((addresses.HOST, 0))
        endpoints: Endpoints = sandbox_endpoints(addresses.base_urls(listening.getsockname()[1]))
        paths = AppPaths.for_profile(SANDBOX_PROFILE)
    else:
        endpoints = resolve_endpoints(environ)
        paths = AppPaths.for_profile()
    service_name = paths.keyring_service

    def open_keyring() -> SecretStore:
        # What a passwords app shows before each item's label: the simulator's apart.
        title_prefix = "zinc-desktop simulator" if use_sandbox else "zinc-desktop"
        if keyring_backend is None and secret_service_is_the_choice(environ):
            return KeyringSecretStore(
                service_name,
                resolve_later=partial(resolve_keyring_backend, environ),
                title_prefix=title_prefix,
            )
        backend = (
            keyring_backend if keyring_backend is not None else resolve_keyring_backend(environ)
        )
        return KeyringSecretStore(service_name, backend=backend, title_prefix=title_prefix)

    services = assemble_services(paths, endpoints, open_keyring, settings=settings)
    services.sandbox_socket = listening
    services.sandbox_demo_seconds = sandbox_demo_seconds
    if start_sandbox:
        services.start_sandbox()
    return services
