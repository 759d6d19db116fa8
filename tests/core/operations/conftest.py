"""Operations run within a context of real parts: a LinkService on the live simulator with a
memory keyring, and a check history in the test's folder."""

from __future__ import annotations

import pytest

from zinc_desktop.core.accounts.linking import LinkService
from zinc_desktop.core.accounts.model import Account
from zinc_desktop.core.checks.history import CheckHistory
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.app_paths import AppPaths
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.core.operations.base import Context


@pytest.fixture
def context(links: LinkService, app_paths: AppPaths) -> Context:
    return Context(links, CheckHistory(app_paths.checks_file))


def link(context: Context, environment: Environment, key: str, label: str) -> Account:
    account = context.links.link(environment, ApiKey.parse(key), label).account
    assert account is not None
    return account
