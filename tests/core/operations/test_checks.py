"""The typed operations' own rules, against a live simulator: each is the one place its rule
lives, so the window and the CLI meet it alike."""

from __future__ import annotations

import pytest

from tests.conftest import PRODUCTION_KEY, STAGING_KEY
from tests.core.operations.conftest import link
from zinc_desktop.core.checks.candidate import make_candidate
from zinc_desktop.core.foundation.app_paths import AppPaths
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.core.foundation.errors import KeyInInput, OperationCancelled
from zinc_desktop.core.operations.base import Call, Context
from zinc_desktop.core.operations.checks import (
    CrossAccountCall,
    ListPackages,
    LoadHistory,
    NotConfirmed,
    ReadCheck,
    ReadResult,
    StartCheck,
)
from zinc_desktop.sandbox import SandboxServer

ADA = make_candidate("Ada", "Lovelace", "ada@example.com", "")
SECOND_STAGING_KEY = "5e" * 16


def posts(sandbox: SandboxServer) -> int:
    return sum(1 for request in sandbox.requests if request.method == "POST")


def test_a_production_check_starts_only_once_confirmed(
    context: Context, sandbox: SandboxServer
) -> None:
    production = link(context, Environment.PRODUCTION, PRODUCTION_KEY, "Live")
    (package, *_) = ListPackages(production).run(context)
    with pytest.raises(NotConfirmed, match=r"Production account.*Nothing was sent"):
        StartCheck(production, package, ADA).run(context)
    assert posts(sandbox) == 0
    record = StartCheck(production, package, ADA, confirmed=True).run(context)
    assert posts(sandbox) == 1
    assert context.history.find(record.id) == record


def test_a_staging_check_needs_no_confirmation_and_is_kept(context: Context) -> None:
    staging = link(context, Environment.STAGING, STAGING_KEY, "Acme")
    (package, *_) = ListPackages(staging).run(context)
    record = StartCheck(staging, package, ADA).run(context)
    assert [r.id for r in LoadHistory(staging).run(context)] == [record.id]
    read = ReadCheck(staging, record.id).run(context)
    assert isinstance(read, ReadResult)
    assert read.report.check_id == record.id
    assert read.record is not None
    assert read.record.id == record.id


def test_a_check_is_never_read_with_another_accounts_key(
    context: Context, sandbox: SandboxServer
) -> None:
    sandbox.add_key(Environment.STAGING, SECOND_STAGING_KEY)
    acme = link(context, Environment.STAGING, STAGING_KEY, "Acme")
    globex = link(context, Environment.STAGING, SECOND_STAGING_KEY, "Globex")
    (package, *_) = ListPackages(acme).run(context)
    record = StartCheck(acme, package, ADA).run(context)
    reads_before = len(sandbox.requests)
    for adopt in (False, True):  # polled, or pasted in as "started elsewhere"
        with pytest.raises(CrossAccountCall, match=r"started from “Acme”.*Nothing was sent"):
            ReadCheck(globex, record.id, adopt=adopt).run(context)
    assert len(sandbox.requests) == reads_before
    assert context.history.find(record.id).account_id == acme.id  # type: ignore[union-attr]


def test_a_candidate_detail_holding_a_linked_key_is_refused_unsent(
    context: Context, sandbox: SandboxServer
) -> None:
    staging = link(context, Environment.STAGING, STAGING_KEY, "Acme")
    (package, *_) = ListPackages(staging).run(context)
    disguised = "-".join(STAGING_KEY[i : i + 4] for i in range(0, 32, 4))
    sneaky = make_candidate("Ada", disguised, "ada@example.com", "")
    with pytest.raises(KeyInInput):
        StartCheck(staging, package, sneaky).run(context)
    assert posts(sandbox) == 0


def test_a_call_delivers_to_its_receiver_and_a_cancelled_one_sends_nothing(
    context: Context, sandbox: SandboxServer
) -> None:
    staging = link(context, Environment.STAGING, STAGING_KEY, "Acme")
    received: list[tuple[object, object]] = []
    call = Call(ListPackages(staging), lambda c, outcome: received.append((c, outcome)))
    delivery = call.run(context)
    assert received == []  # nothing reaches the receiver until the delivery is called
    delivery()
    assert received[0][0] is call
    assert isinstance(received[0][1], list)

    before = len(sandbox.requests)
    cancelled = Call(ListPackages(staging), lambda c, outcome: received.append((c, outcome)))
    cancelled.cancel.set()
    cancelled.attempt(context)()
    assert isinstance(received[-1][1], OperationCancelled)
    assert len(sandbox.requests) == before


def test_a_poll_that_finds_nothing_new_writes_nothing(
    context: Context, sandbox: SandboxServer, app_paths: AppPaths
) -> None:
    """Watching a check reads it every few seconds: only a change of status is written."""
    staging = link(context, Environment.STAGING, STAGING_KEY, "Acme")
    (package, *_) = ListPackages(staging).run(context)
    record = StartCheck(staging, package, ADA).run(context)
    sandbox.pause()
    ReadCheck(staging, record.id).run(context)  # whatever it says now is recorded once
    files = (app_paths.checks_file, app_paths.accounts_file)
    before = {path: (path.stat().st_ino, path.stat().st_mtime_ns) for path in files}
    for _ in range(3):
        ReadCheck(staging, record.id).run(context)
    assert {path: (path.stat().st_ino, path.stat().st_mtime_ns) for path in files} == before
    sandbox.step(record.id)
    changed = ReadCheck(staging, record.id).run(context)
    assert changed.record is not None
    assert changed.record.status is not record.status
    assert app_paths.checks_file.stat().st_ino != before[app_paths.checks_file][0]
