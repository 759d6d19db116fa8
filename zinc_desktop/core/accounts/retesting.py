"""Re-testing linked keys: one account, or many ("re-test all") a few at a time, their results
reported as they come and written in batches."""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

from zinc_desktop.core.accounts.edits import Edit, missing_secret, unusable_secret, verdict_edit
from zinc_desktop.core.accounts.model import Account, AccountStatus
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.errors import (
    OperationCancelled,
    SecretStoreError,
    UnusableSecret,
)

if TYPE_CHECKING:
    from zinc_desktop.core.accounts.linking import LinkService

log = logging.getLogger(__name__)

RETEST_CONCURRENCY = 8  # "re-test all": Zinc calls under way at once

_Retested = tuple[Account, Edit]  # the account, and what its re-test does to it


def _unchanged(account: Account) -> Account:
    return account


def _read(links: LinkService, account: Account) -> ApiKey | UnusableSecret | None:
    """The account's key as `read_keys` reports it: the key, None, or why it cannot be used."""
    try:
        return links.read_key(account)
    except UnusableSecret as problem:
        return problem


def _retest_edit(
    links: LinkService,
    account: Account,
    key: ApiKey | UnusableSecret | None,
    cancel: threading.Event | None,
) -> Edit:
    """What re-testing `account` with `key` (as read) does to it: the verdict of its key, or
    why there is none."""
    if isinstance(key, UnusableSecret):
        return unusable_secret(str(key))
    if key is None:
        if account.status is AccountStatus.INCOMPLETE:
            return _unchanged  # still waiting for its key: re-enter it, or unlink
        return missing_secret
    verdict = links.verifier.verify(
        account.environment, key, account.auth_form, cancel, account_id=account.id
    )
    return verdict_edit(verdict)


def retest(links: LinkService, account_id: str, cancel: threading.Event | None = None) -> Account:
    """Re-test one account's key and record the outcome (an account still waiting for its key
    is left as it is, unwritten)."""
    account = links.account(account_id)
    edit = _retest_edit(links, account, _read(links, account), cancel)
    return account if edit is _unchanged else links.edit(account_id, edit)


def retest_many(
    links: LinkService,
    account_ids: Sequence[str],
    *,
    cancel: threading.Event | None = None,
    on_result: Callable[[str, Account | BaseException], None] | None = None,
    concurrency: int = RETEST_CONCURRENCY,
    flush_every: float = 0.5,
) -> dict[str, Account | BaseException]:
    """Re-test many accounts, `concurrency` at a time: "re-test all", in the window and the CLI.

    Results are reported as they come (`on_result`, on a worker thread); the file is written
    in batches (at most every `flush_every` seconds, and once at the end), never once per
    account. Cancel stops what has not started and ends the calls under way quickly.
    """
    cancel = cancel or threading.Event()
    results: dict[str, Account | BaseException] = {}
    edits: dict[str, Edit] = {}
    # One read of the file for the whole batch (not one per account: that was quadratic), and
    # one of the keyring: every key in one session (each its own session and D-Bus connection
    # took 30 ms, one at a time, under the store's lock).
    known = {account.id: account for account in links.accounts()}
    try:
        keys = links.read_keys([known[i] for i in dict.fromkeys(account_ids) if i in known])
    except SecretStoreError as problem:  # locked, busy, failing: each account says so itself
        log.info("keys not read in one go (%s): one at a time", type(problem).__name__)
        keys = {}

    def one(account_id: str) -> _Retested:
        if cancel.is_set():
            raise OperationCancelled("Cancelled before it was re-tested.")
        account = known.get(account_id) or links.account(account_id)
        key = keys[account_id] if account_id in keys else _read(links, account)
        return account, _retest_edit(links, account, key, cancel)

    def flush() -> None:
        batch = dict(edits)
        edits.clear()
        links.apply_edits(batch)

    finishing = _as_they_finish(one, account_ids, concurrency, idle=flush_every)
    flushed_at = time.monotonic()
    try:
        for done in finishing:
            if done is not None:
                account_id, future = done
                try:
                    account, edit = future.result()
                except Exception as error:  # noqa: BLE001  # reported per account
                    results[account_id] = error
                else:
                    edits[account_id] = edit
                    results[account_id] = edit(account)
                if on_result is not None:
                    on_result(account_id, results[account_id])
            if edits and time.monotonic() - flushed_at >= flush_every:
                flush()
                flushed_at = time.monotonic()
    except BaseException:
        # The caller's `on_result` failed (a closed pipe, say): the calls under way end
        # quickly, the rest never start, and what was re-tested is still recorded.
        cancel.set()
        raise
    finally:
        finishing.close()
        flush()
    return results


def _as_they_finish(
    work: Callable[[str], _Retested], account_ids: Sequence[str], concurrency: int, idle: float
) -> Generator[tuple[str, Future[_Retested]] | None, None, None]:
    """Runs `work` for each id, `concurrency` at a time; yields (id, its finished future) as
    each ends, and None after `idle` seconds without one.

    Finished calls arrive on a queue: waiting on the whole pending set each time
    (futures.wait) costs a lock per pending call per result, N squared in all. Closed early,
    the calls not yet started are dropped and those under way are waited for.
    """
    finished: queue.SimpleQueue[Future[_Retested]] = queue.SimpleQueue()
    pool = ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="retest")
    try:
        running: dict[Future[_Retested], str] = {}
        for account_id in account_ids:
            future = pool.submit(work, account_id)
            running[future] = account_id
            future.add_done_callback(finished.put)
        while running:
            try:
                future = finished.get(timeout=idle)
            except queue.Empty:
                yield None
                continue
            yield running.pop(future), future
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
