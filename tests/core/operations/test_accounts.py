"""The account operations against a live simulator: what the window and the CLI both run."""

from __future__ import annotations

import pytest

from tests.conftest import PRODUCTION_KEY, STAGING_KEY
from tests.core.operations.conftest import link
from tests.core.operations.test_checks import ADA
from zinc_desktop.core.accounts.model import AccountStatus
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.core.foundation.errors import InputRefused
from zinc_desktop.core.operations.accounts import (
    Link,
    ReadKey,
    Rename,
    ReplaceKey,
    Retest,
    RetestMany,
    Unlink,
    Verify,
)
from zinc_desktop.core.operations.base import Context
from zinc_desktop.core.operations.checks import ListPackages, LoadHistory, StartCheck
from zinc_desktop.sandbox import SandboxServer

OTHER_STAGING_KEY = "5e" * 16


def test_verify_proves_a_key_and_keeps_nothing(context: Context) -> None:
    verdict = Verify(Environment.STAGING, ApiKey.parse(STAGING_KEY)).run(context)
    assert verdict.ok
    wrong = Verify(Environment.STAGING, ApiKey.parse(PRODUCTION_KEY)).run(context)
    assert not wrong.ok
    assert wrong.belongs_to is Environment.PRODUCTION
    assert context.links.accounts() == []


def test_link_rename_copy_retest_replace(context: Context, sandbox: SandboxServer) -> None:
    result = Link(Environment.STAGING, ApiKey.parse(STAGING_KEY), "Acme").run(context)
    assert result.account is not None
    account_id = result.account.id
    assert Rename(account_id, "Acme Ltd").run(context).label == "Acme Ltd"
    with pytest.raises(InputRefused):
        Rename(account_id, STAGING_KEY).run(context)  # a label never holds a key
    assert ReadKey(account_id).run(context) == ApiKey.parse(STAGING_KEY)
    sandbox.revoke_key(Environment.STAGING, STAGING_KEY)
    assert Retest(account_id).run(context).status is AccountStatus.REJECTED
    sandbox.add_key(Environment.STAGING, OTHER_STAGING_KEY)
    replaced = ReplaceKey(account_id, ApiKey.parse(OTHER_STAGING_KEY)).run(context)
    assert replaced.account is not None
    assert replaced.account.key_hint == OTHER_STAGING_KEY[-4:]
    assert replaced.account.status is AccountStatus.VERIFIED


def test_retest_many_reports_each_as_it_ends(context: Context) -> None:
    acme = link(context, Environment.STAGING, STAGING_KEY, "Acme")
    live = link(context, Environment.PRODUCTION, PRODUCTION_KEY, "Live")
    heard: list[str] = []
    results = RetestMany([acme.id, live.id, "gone"], on_result=lambda i, _: heard.append(i)).run(
        context
    )
    assert sorted(heard) == sorted([acme.id, live.id, "gone"])
    assert results[acme.id].status is AccountStatus.VERIFIED  # type: ignore[union-attr]
    assert isinstance(results["gone"], Exception)


def test_unlink_takes_the_accounts_checks_along_and_reports_each(context: Context) -> None:
    acme = link(context, Environment.STAGING, STAGING_KEY, "Acme")
    (package, *_) = ListPackages(acme).run(context)
    StartCheck(acme, package, ADA).run(context)
    results = Unlink([acme.id, "no-such-account"]).run(context)
    assert results[acme.id] == acme
    assert isinstance(results["no-such-account"], Exception)
    assert LoadHistory(acme).run(context) == []
    assert context.links.accounts() == []
