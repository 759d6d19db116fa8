"""What the app asks of Zinc about checks, each with its rules: a check is read only with its
own account's key; a Production check is started only once confirmed; an id Zinc sends back
that holds an API key is never used, shown or kept."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import ClassVar

from zinc_desktop.core.accounts.model import Account
from zinc_desktop.core.checks.history import CheckOrigin, CheckRecord, check_time
from zinc_desktop.core.checks.journey import ReportView, report_view
from zinc_desktop.core.foundation.errors import (
    InputRefused,
    KeyInInput,
    NotOffered,
    UnexpectedResponse,
    UnknownAccount,
)
from zinc_desktop.core.operations.base import AccountOperation, Context
from zinc_desktop.core.webhooks.forwarding import http_url
from zinc_desktop.core.zinc.api import Candidate, CheckReport, CheckStatus, ListedCheck, Package
from zinc_desktop.core.zinc.client import ZincClient


class CrossAccountCall(InputRefused):
    """A call for one account's check was about to go out with another account's key."""


class NotConfirmed(InputRefused):
    """A billable check was about to start without the user's confirmation. Nothing was sent."""


def needs_confirmation(account: Account) -> bool:
    """Whether a check started for `account` is real and billed, so must be confirmed first."""
    return account.environment.is_billable


def billable_warning(account: Account) -> str:
    return (
        f"Refused: {account.label!r} is a Production account, where a check emails a real "
        "candidate and is billed. Nothing was sent."
    )


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
        report.check_id, account.id, account.environment, "", "", report.status, now, now,
        origin=CheckOrigin.ELSEWHERE,
    )  # fmt: skip


@contextmanager
def _zinc(
    context: Context, account: Account, cancel: threading.Event | None
) -> Iterator[ZincClient]:
    """The account's own client; how Zinc took its key is remembered when the call succeeds."""
    with context.links.client_for(account.id, cancel) as client:
        if client.endpoint.environment is not account.environment:
            raise CrossAccountCall(
                f"Refused: account {account.id} is a {account.environment.display_name} "
                f"account but its client points at {client.endpoint.environment.display_name}."
            )
        used = client.auth_form
        yield client
        context.links.remember_auth_form(account.id, client, used)


def _refuse_key_sent(context: Context, identifier: str, what: str) -> str:
    """An id the server sent, unless it holds an API key (another account's, in disguise):
    then it is not used, shown or kept. The client already refuses its own key."""
    try:
        context.links.refuse_key_in(identifier, what)
    except KeyInInput:
        raise UnexpectedResponse(
            f"Zinc sent a {what} that holds an API key; it was not used, shown or kept."
        ) from None
    return identifier


@dataclass(frozen=True)
class ListPackages(AccountOperation[list[Package]]):
    """The screening packages set up in the account's Zinc account."""

    name: ClassVar[str] = "packages"

    def run(self, context: Context, cancel: threading.Event | None = None) -> list[Package]:
        with _zinc(context, self.account, cancel) as client:
            packages = client.list_packages()
            for package in packages:
                _refuse_key_sent(context, package.id, "package id")
        return packages


@dataclass(frozen=True)
class LoadHistory(AccountOperation[list[CheckRecord]]):
    """The checks this app started or watched for the account, from its own history."""

    name: ClassVar[str] = "history"

    def run(self, context: Context, cancel: threading.Event | None = None) -> list[CheckRecord]:
        return context.history.for_account(self.account.id)


@dataclass(frozen=True)
class StartCheck(AccountOperation[CheckRecord]):
    """Start a check; the history keeps it. On Production only when `confirmed`.

    The candidate is held in memory only: never written, logged or repeated.
    """

    package: Package
    candidate: Candidate = dataclasses.field(repr=False)
    confirmed: bool = False
    webhook_url: str | None = None  # where Zinc sends the check's updates (a receiver's URL)
    name: ClassVar[str] = "start"

    def run(self, context: Context, cancel: threading.Event | None = None) -> CheckRecord:
        if needs_confirmation(self.account) and not self.confirmed:
            raise NotConfirmed(billable_warning(self.account))
        for value in dataclasses.astuple(self.candidate):
            context.links.refuse_key_in(value, "candidate detail")
        if self.webhook_url is not None:
            context.links.refuse_key_in(self.webhook_url, "webhook URL")
            http_url(self.webhook_url, "webhook URL")
        account = self.account
        with _zinc(context, account, cancel) as client:
            started = client.start_check(self.package.id, self.candidate, self.webhook_url)
            check_id = _refuse_key_sent(context, started, "check id")
        now = check_time()
        record = CheckRecord(
            check_id, account.id, account.environment, self.package.id, self.package.name,
            CheckStatus.REQUESTED, now, now,
        )  # fmt: skip
        context.history.add(record)
        return record


@dataclass(frozen=True)
class ReadCheck(AccountOperation[ReadResult]):
    """Read a check's report with its own account's key. `adopt`: a check started elsewhere
    (by the integration being demoed), kept in the history once Zinc has answered for it."""

    check_id: str
    adopt: bool = False
    name: ClassVar[str] = "read"

    def run(self, context: Context, cancel: threading.Event | None = None) -> ReadResult:
        context.links.refuse_key_in(self.check_id, "check id")
        self._refuse_foreign_check(context)
        with _zinc(context, self.account, cancel) as client:
            report = client.check_report(self.check_id)
            _refuse_key_sent(context, report.check_id, "check id")
        if self.adopt:
            context.history.add(elsewhere_record(self.account, report))
        record = context.history.update_status(self.check_id, report.status)
        return ReadResult(report, record, report_view(report))

    def _refuse_foreign_check(self, context: Context) -> None:
        known = context.history.find(self.check_id)
        if known is None or known.account_id == self.account.id:
            return
        try:  # one account looked up; never a listing, which could run the keyring sweep
            name = f"“{context.links.account(known.account_id).label}”"
        except UnknownAccount:
            name = "another account"
        raise CrossAccountCall(
            f"Check {self.check_id} was started from {name}: choose that account to watch it. "
            "A check is only read with its own account's key. Nothing was sent."
        )


@dataclass(frozen=True)
class ChecksListing:
    """An account's checks: from Zinc (`source` "zinc", each marked when the history knows
    it), or, when this Zinc offers no list, from the app's own history (`source` "history",
    `why` saying so)."""

    source: str
    zinc: tuple[ListedCheck, ...] = ()
    history: tuple[CheckRecord, ...] = ()
    why: str = ""


@dataclass(frozen=True)
class ListChecks(AccountOperation[ChecksListing]):
    """The account's checks as Zinc lists them, so those the integration started appear
    without pasting their ids; the local history when Zinc offers no list (NotOffered)."""

    name: ClassVar[str] = "list checks"

    def run(self, context: Context, cancel: threading.Event | None = None) -> ChecksListing:
        try:
            with _zinc(context, self.account, cancel) as client:
                listed = client.list_checks()
        except NotOffered as not_offered:
            history = tuple(context.history.for_account(self.account.id))
            return ChecksListing("history", history=history, why=str(not_offered))
        kept = tuple(c for c in listed if _holds_no_key(context, c.id))
        return ChecksListing(
            "zinc", zinc=kept, history=tuple(context.history.for_account(self.account.id))
        )


def _holds_no_key(context: Context, identifier: str) -> bool:
    """Whether an id a list sent holds no API key (one that does is left out of the list)."""
    try:
        context.links.refuse_key_in(identifier, "check id")
    except KeyInInput:
        return False
    return True


@dataclass(frozen=True)
class CancelCheck(AccountOperation[CheckRecord | None]):
    """Cancel a check at Zinc (a test check: on Production only when `confirmed`); the history's
    record, when it has one, says Withdrawn. NotOffered when this Zinc has no cancel."""

    check_id: str
    confirmed: bool = False
    name: ClassVar[str] = "cancel"

    def run(self, context: Context, cancel: threading.Event | None = None) -> CheckRecord | None:
        context.links.refuse_key_in(self.check_id, "check id")
        if needs_confirmation(self.account) and not self.confirmed:
            raise NotConfirmed(
                f"{self.account.label!r} is a Production account: cancelling stops a real "
                "candidate's screening."
            )
        record = context.history.find(self.check_id)
        if record is not None and record.account_id != self.account.id:
            raise CrossAccountCall(
                f"Check {self.check_id} belongs to another account; it was not sent."
            )
        with _zinc(context, self.account, cancel) as client:
            client.cancel_check(self.check_id)
        return context.history.update_status(self.check_id, CheckStatus.WITHDRAWN)
