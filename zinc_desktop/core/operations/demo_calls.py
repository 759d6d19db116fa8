"""The demo's calls: each bound for life to one account (and check), run with that account's key.

A DemoSession hands out Calls; DemoCalls runs them (on worker threads in the window, directly in
tests and the CLI). A check is never read through an account it does not belong to.
"""

from __future__ import annotations

import dataclasses
import itertools
import threading
from dataclasses import dataclass, field
from enum import StrEnum

from zinc_desktop.core.accounts.linking import LinkService
from zinc_desktop.core.accounts.model import Account
from zinc_desktop.core.checks.history import CheckHistory, CheckOrigin, CheckRecord, check_time
from zinc_desktop.core.checks.journey import ReportView, report_view
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.core.foundation.errors import (
    InputRefused,
    KeyInInput,
    OperationCancelled,
    UnexpectedResponse,
)
from zinc_desktop.core.zinc.api import Candidate, CheckReport, CheckStatus, Package


class CrossAccountCall(InputRefused):
    """A call for one account's check was about to go out with another account's key."""


class CallKind(StrEnum):
    PACKAGES = "packages"
    HISTORY = "history"
    START = "start"
    READ = "read"


_serials = itertools.count(1)


@dataclass(frozen=True, eq=False)
class Call:
    """One call the session allows. Identity matters: the session keeps the ones it expects."""

    kind: CallKind
    account: Account
    check_id: str | None = None
    package: Package | None = None
    candidate: Candidate | None = None  # START only; held in memory, never written
    adopt: bool = False  # READ of a check started elsewhere: remember it on success
    cancel: threading.Event = field(default_factory=threading.Event)
    serial: int = field(default_factory=lambda: next(_serials))

    @property
    def environment(self) -> Environment:
        return self.account.environment


@dataclass(frozen=True)
class ReadResult:
    """A check's report, what a screen shows of it (bounded, made on the worker thread), and,
    when it is one of ours, its updated record."""

    report: CheckReport
    record: CheckRecord | None
    view: ReportView


def elsewhere_record(account: Account, report: CheckReport) -> CheckRecord:
    """How the history keeps a check that was started outside this app."""
    now = check_time()
    return CheckRecord(
        report.check_id,
        account.id,
        account.environment,
        "",
        "",
        report.status,
        now,
        now,
        origin=CheckOrigin.ELSEWHERE,
    )


class DemoCalls:
    """Runs a session's Calls: each with its own account's client, never across accounts.

    Thread-safe (LinkService and CheckHistory are); the window runs these on worker threads.
    """

    def __init__(self, links: LinkService, history: CheckHistory) -> None:
        self._links = links
        self._history = history

    def run(self, call: Call) -> object:
        if call.cancel.is_set():
            raise OperationCancelled("Cancelled before anything was sent.")
        if call.kind is CallKind.HISTORY:
            return self._history.for_account(call.account.id)
        if call.kind is CallKind.READ:
            assert call.check_id is not None
            self._links.refuse_key_in(call.check_id, "check id")
            self._refuse_foreign_check(call)
        if call.kind is CallKind.START:
            assert call.candidate is not None
            for value in dataclasses.astuple(call.candidate):
                self._links.refuse_key_in(value, "candidate detail")
        account_id = call.account.id
        with self._links.client_for(account_id, call.cancel) as client:
            if client.endpoint.environment is not call.environment:
                raise CrossAccountCall(
                    f"Refused: account {account_id} is a {call.environment.display_name} "
                    f"account but its client points at {client.endpoint.environment.display_name}."
                )
            if call.kind is CallKind.PACKAGES:
                packages = client.list_packages()
                for package in packages:
                    self._refuse_key_sent(package.id, "package id")
                result: object = packages
            elif call.kind is CallKind.START:
                assert call.package is not None
                assert call.candidate is not None
                check_id = self._refuse_key_sent(
                    client.start_check(call.package.id, call.candidate), "check id"
                )
                now = check_time()
                record = CheckRecord(
                    check_id, account_id, call.environment, call.package.id, call.package.name,
                    CheckStatus.REQUESTED, now, now,
                )  # fmt: skip
                self._history.add(record)
                result = record
            else:
                assert call.check_id is not None
                report = client.check_report(call.check_id)
                self._refuse_key_sent(report.check_id, "check id")
                result = ReadResult(report, self._remember(call, report), report_view(report))
            self._links.remember_auth_form(account_id, client)
        return result

    def _refuse_key_sent(self, identifier: str, what: str) -> str:
        """An id the server sent, unless it holds an API key (another account's, in disguise):
        then it is not used, shown or kept. The client already refuses its own key."""
        try:
            self._links.refuse_key_in(identifier, what)
        except KeyInInput:
            raise UnexpectedResponse(
                f"Zinc sent a {what} that holds an API key; it was not used, shown or kept."
            ) from None
        return identifier

    def _refuse_foreign_check(self, call: Call) -> None:
        assert call.check_id is not None
        known = self._history.find(call.check_id)
        if known is not None and known.account_id != call.account.id:
            raise CrossAccountCall(
                f"Refused: check {call.check_id} belongs to another account; it is only read "
                "with its own account's key. Nothing was sent."
            )

    def _remember(self, call: Call, report: CheckReport) -> CheckRecord | None:
        if call.adopt:
            self._history.add(elsewhere_record(call.account, report))
        assert call.check_id is not None
        return self._history.update_status(call.check_id, report.status)
