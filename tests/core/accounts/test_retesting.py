"""Re-test all: 8 at a time, the file written in batches, one pooled connection per account."""

from __future__ import annotations

import os
import threading
import time
from typing import Any

import pytest

from tests.conftest import STAGING_KEY
from tests.support.memory_keyring import MemoryKeyring
from zinc_desktop.core.accounts.linking import LinkService
from zinc_desktop.core.accounts.model import Account, AccountStatus
from zinc_desktop.core.accounts.retesting import retest, retest_many
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.app_paths import AppPaths
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.sandbox import Fault, SandboxServer


def link_many(links: LinkService, sandbox: SandboxServer, count: int) -> list[str]:
    ids = []
    for index in range(count):
        key = f"{index + 1:032x}"
        sandbox.add_key(Environment.STAGING, key)
        account = links.link(Environment.STAGING, ApiKey.parse(key), f"Customer {index}").account
        assert account is not None
        ids.append(account.id)
    return ids


def test_many_accounts_are_retested_eight_at_a_time_and_written_in_batches(
    links: LinkService, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch, app_paths: AppPaths
) -> None:
    ids = link_many(links, sandbox, 24)
    sandbox.revoke_key(Environment.STAGING, f"{3:032x}")
    under_way, most = [0], [0]
    lock = threading.Lock()
    original = links.verifier.verify

    def counting_verify(*args: Any, **kwargs: Any) -> Any:
        with lock:
            under_way[0] += 1
            most[0] = max(most[0], under_way[0])
        try:
            time.sleep(0.05)  # long enough for the lane to fill
            return original(*args, **kwargs)
        finally:
            with lock:
                under_way[0] -= 1

    monkeypatch.setattr(links.verifier, "verify", counting_verify)
    writes: list[str] = []
    original_replace = os.replace

    def counting_replace(source: Any, target: Any) -> None:
        if str(target) == str(app_paths.accounts_file):
            writes.append(str(target))
        original_replace(source, target)

    monkeypatch.setattr(os, "replace", counting_replace)
    seen: list[str] = []
    results = retest_many(links, ids, on_result=lambda account_id, _: seen.append(account_id))
    assert most[0] == 8  # eight under way at once, never more
    assert sorted(seen) == sorted(ids)  # every result reported as it came
    assert len(writes) <= 4  # in batches, not 24 writes
    statuses = {a.id: a.status for a in links.accounts()}
    rejected = next(
        i for i, r in results.items() if isinstance(r, Account) and r.label == "Customer 2"
    )
    assert statuses[rejected] is AccountStatus.REJECTED
    assert sum(s is AccountStatus.VERIFIED for s in statuses.values()) == 23


def test_cancel_stops_what_has_not_started(links: LinkService, sandbox: SandboxServer) -> None:
    ids = link_many(links, sandbox, 40)  # five waves of 8 x 0.4 s: 2 s when not cancelled
    sandbox.inject(Fault(delay=0.4, times=None))
    cancel = threading.Event()
    threading.Timer(0.2, cancel.set).start()
    started = time.monotonic()
    results = retest_many(links, ids, cancel=cancel)
    assert time.monotonic() - started < 1.2  # the first wave ends, nothing else starts
    assert any(not isinstance(r, Account) for r in results.values())
    sandbox.clear_faults()


def test_each_account_keeps_one_connection_across_calls(
    links: LinkService, sandbox: SandboxServer, memory_keyring: MemoryKeyring
) -> None:
    account = links.link(Environment.STAGING, ApiKey.parse(STAGING_KEY), "Acme").account
    assert account is not None
    pool = links.verifier.pool
    for _ in range(5):
        retest(links, account.id)
        with links.client_for(account.id) as client:
            client.list_packages()
    assert pool.created == 1  # one client, reused for ten calls
    links.unlink(account.id)
    assert len(pool) == 0  # its connections went with it


def test_a_failing_reporter_stops_the_rest_and_keeps_what_was_retested(
    links: LinkService, sandbox: SandboxServer
) -> None:
    """The CLI reports each result on stdout; a closed pipe must not leave 40 calls running,
    nor lose the results already in."""
    ids = link_many(links, sandbox, 40)  # five waves of 8 x 0.3 s: 1.5 s when not stopped
    for index in range(40):  # every key revoked: a recorded re-test reads "rejected"
        sandbox.revoke_key(Environment.STAGING, f"{index + 1:032x}")
    sandbox.inject(Fault(delay=0.3, times=None))
    reported: list[str] = []

    def report(account_id: str, _outcome: object) -> None:
        reported.append(account_id)
        if len(reported) == 3:
            raise BrokenPipeError("stdout closed")

    calls_before = len(sandbox.requests)
    with pytest.raises(BrokenPipeError):
        retest_many(links, ids, on_result=report)
    asked = {seen.key_hint for seen in sandbox.requests[calls_before:]}
    assert len(asked) <= 8 + 8  # the keys of the waves under way, no more
    statuses = {a.id: a.status for a in links.accounts()}
    assert all(statuses[i] is AccountStatus.REJECTED for i in reported)  # recorded all the same
    assert sum(s is AccountStatus.REJECTED for s in statuses.values()) <= 8 + 8
    sandbox.clear_faults()
