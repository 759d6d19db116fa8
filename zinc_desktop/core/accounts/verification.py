"""Proves a key with a read-only call and explains the outcome, including a wrong environment."""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.environments import Endpoint, Endpoints, Environment
from zinc_desktop.core.foundation.errors import (
    EnvironmentUnreachable,
    KeyRejected,
    ZincApiError,
)
from zinc_desktop.core.foundation.log_redaction import scrub_server_text
from zinc_desktop.core.zinc.api import AuthForm
from zinc_desktop.core.zinc.pool import ClientPool
from zinc_desktop.core.zinc.settings import ClientSettings, ExchangeListener

if TYPE_CHECKING:
    import httpx

    from zinc_desktop.core.zinc.client import ZincClient


class Outcome(StrEnum):
    VALID = "valid"
    REJECTED = "rejected"
    WRONG_ENVIRONMENT = "wrong-environment"
    UNREACHABLE = "unreachable"
    SERVER_FAULT = "server-fault"


@dataclass(frozen=True)
class Verdict:
    """What a verification found, as one user-facing sentence and its parts."""

    outcome: Outcome
    environment: Environment
    key_hint: str
    message: str
    packages_found: int | None = None
    auth_form: AuthForm | None = None
    belongs_to: Environment | None = None

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.VALID


@dataclass
class Verifier:
    """Runs verifications against the configured endpoints.

    Calls made for a linked account (`account_id` given) reuse that account's pooled HTTP
    client; a key not linked yet gets a client of its own, closed after the call.
    """

    endpoints: Endpoints
    settings: ClientSettings | None = None
    on_exchange: ExchangeListener | None = None
    pool: ClientPool = dataclasses.field(init=False)

    def __post_init__(self) -> None:
        self.pool = ClientPool(self._new_http)

    def _new_http(self, endpoint: Endpoint) -> httpx.Client:
        from zinc_desktop.core.zinc.client import new_http_client

        return new_http_client(endpoint, self.settings)

    def client(
        self,
        environment: Environment,
        key: ApiKey,
        auth_form: AuthForm = AuthForm.RAW,
        cancel: threading.Event | None = None,
        *,
        account_id: str | None = None,
    ) -> ZincClient:
        from zinc_desktop.core.zinc.client import ZincClient  # httpx: paid on first use

        endpoint = self.endpoints[environment]
        return ZincClient(
            endpoint,
            key,
            auth_form=auth_form,
            settings=self.settings,
            on_exchange=self.on_exchange,
            cancel=cancel,
            http=self.pool.http(endpoint, account_id) if account_id else None,
        )

    def verify(
        self,
        environment: Environment,
        key: ApiKey,
        auth_form: AuthForm = AuthForm.RAW,
        cancel: threading.Event | None = None,
        *,
        account_id: str | None = None,
    ) -> Verdict:
        """GET /packages in `environment`; on rejection, ask the other one whose key it is.

        Each call ends within the client's total timeout, so a verdict that also asks the
        other environment ends within twice that. The message is scrubbed once more (it is
        stored as the account's last message): no key-shaped text, one line.
        """
        verdict = self._verify(environment, key, auth_form, cancel, account_id)
        message = scrub_server_text(verdict.message, key, limit=1000)
        return dataclasses.replace(verdict, message=message)

    def _verify(
        self,
        environment: Environment,
        key: ApiKey,
        auth_form: AuthForm,
        cancel: threading.Event | None,
        account_id: str | None = None,
    ) -> Verdict:
        name = environment.display_name
        try:
            with self.client(environment, key, auth_form, cancel, account_id=account_id) as client:
                packages = client.list_packages()
                form = client.auth_form
        except KeyRejected as rejection:
            owner, other_said_no = self._owner_elsewhere(environment, key, cancel)
            if owner is not None:
                return Verdict(
                    Outcome.WRONG_ENVIRONMENT,
                    environment,
                    key.hint,
                    f"Key {key} is a {owner.display_name} key: {name} rejected it, "
                    f"{owner.display_name} accepts it. Choose {owner.display_name}.",
                    belongs_to=owner,
                )
            elsewhere = (
                f" {environment.other.display_name} does not accept it either."
                if other_said_no
                else ""
            )
            return Verdict(
                Outcome.REJECTED,
                environment,
                key.hint,
                f"Key {key}: {rejection}{elsewhere} Check it was copied whole and is not revoked.",
            )
        except EnvironmentUnreachable as error:
            return Verdict(Outcome.UNREACHABLE, environment, key.hint, str(error))
        except ZincApiError as error:
            return Verdict(Outcome.SERVER_FAULT, environment, key.hint, str(error))
        count = len(packages)
        noun = "package" if count == 1 else "packages"
        return Verdict(
            Outcome.VALID,
            environment,
            key.hint,
            f"{name} accepted key {key}: {count} {noun} found.",
            packages_found=count,
            auth_form=form,
        )

    def _owner_elsewhere(
        self, environment: Environment, key: ApiKey, cancel: threading.Event | None
    ) -> tuple[Environment | None, bool]:
        """One read-only call to the other environment: (its owner, whether it said no)."""
        other = environment.other
        try:
            with self.client(other, key, cancel=cancel) as client:
                client.list_packages()
        except KeyRejected:
            return None, True
        except ZincApiError:
            return None, False  # unreachable or broken there: we do not know
        return other, False
