"""Fixtures of the Webhooks page tests: linked accounts and the integration being demoed."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.conftest import PRODUCTION_KEY, STAGING_KEY
from tests.support.webhook_target import WebhookTarget, webhook_target
from zinc_desktop.core.accounts.model import Account
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.sandbox import SandboxServer
from zinc_desktop.services import Services

OTHER_STAGING_KEY = "5e" * 16


@pytest.fixture
def acme(make_services: Callable[..., Services]) -> Account:
    account = (
        make_services().links.link(Environment.STAGING, ApiKey.parse(STAGING_KEY), "Acme").account
    )
    assert account is not None
    return account


@pytest.fixture
def three(make_services: Callable[..., Services], sandbox: SandboxServer) -> dict[str, Account]:
    """Acme and Globex on Staging, Acme live on Production."""
    links = make_services().links
    sandbox.add_key(Environment.STAGING, OTHER_STAGING_KEY)
    made = {}
    for label, environment, key in (
        ("Acme", Environment.STAGING, STAGING_KEY),
        ("Globex", Environment.STAGING, OTHER_STAGING_KEY),
        ("Acme live", Environment.PRODUCTION, PRODUCTION_KEY),
    ):
        account = links.link(environment, ApiKey.parse(key), label).account
        assert account is not None
        made[label] = account
    return made


@pytest.fixture
def handler() -> Iterator[tuple[str, WebhookTarget]]:
    with webhook_target() as target:
        yield target.url, target
