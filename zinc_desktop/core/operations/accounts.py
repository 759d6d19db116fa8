"""What the app asks of its stores about accounts, with what each takes along."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from zinc_desktop.core.accounts.linking import LinkResult
from zinc_desktop.core.accounts.model import Account
from zinc_desktop.core.accounts.retesting import RETEST_CONCURRENCY, retest, retest_many
from zinc_desktop.core.accounts.verification import Verdict
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.core.foundation.errors import ZincDesktopError
from zinc_desktop.core.operations.base import Context, Operation


@dataclass(frozen=True)
class Unlink(Operation[dict[str, Account | BaseException]]):
    """Unlink accounts: each one's key, then its metadata (and its backups), then the checks
    this app started or watched for it. One that fails (a stalled keyring, already gone) does
    not stop the rest; cancel stops before the next one. Each id maps to the account it
    removed or to what went wrong."""

    account_ids: Sequence[str]
    name: ClassVar[str] = "unlink"

    def run(
        self, context: Context, cancel: threading.Event | None = None
    ) -> dict[str, Account | BaseException]:
        results: dict[str, Account | BaseException] = {}
        for account_id in self.account_ids:
            if cancel is not None and cancel.is_set():
                break
            try:
                results[account_id] = context.links.unlink(account_id)
            except (ZincDesktopError, OSError) as error:
                results[account_id] = error
                continue
            context.history.forget_account(account_id)
        return results

    def one(self, context: Context) -> Account:
        """Unlink the one account named, raising what went wrong (the CLI's `unlink`)."""
        (outcome,) = self.run(context).values()
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome


@dataclass(frozen=True)
class Verify(Operation[Verdict]):
    """Prove a key with a read-only call to `environment`; nothing is stored."""

    environment: Environment
    key: ApiKey
    name: ClassVar[str] = "verify"

    def run(self, context: Context, cancel: threading.Event | None = None) -> Verdict:
        return context.links.verifier.verify(self.environment, self.key, cancel=cancel)


@dataclass(frozen=True)
class Link(Operation[LinkResult]):
    """Verify, then keep: the key in the keyring (or in memory, `session_only`), the account in
    the file. The rules are the link protocol's (core/accounts/linking.py)."""

    environment: Environment
    key: ApiKey
    label: str | None = None
    session_only: bool = False
    name: ClassVar[str] = "link"

    def run(self, context: Context, cancel: threading.Event | None = None) -> LinkResult:
        return context.links.link(
            self.environment, self.key, self.label, session_only=self.session_only, cancel=cancel
        )


@dataclass(frozen=True)
class ReplaceKey(Operation[LinkResult]):
    """A rotated key for an account: proven in its environment, then kept in the old one's
    place; the id, the label and the checks stay."""

    account_id: str
    key: ApiKey
    name: ClassVar[str] = "replace-key"

    def run(self, context: Context, cancel: threading.Event | None = None) -> LinkResult:
        return context.links.replace_key(self.account_id, self.key, cancel)


@dataclass(frozen=True)
class Rename(Operation[Account]):
    account_id: str
    label: str
    name: ClassVar[str] = "rename"

    def run(self, context: Context, cancel: threading.Event | None = None) -> Account:
        return context.links.rename(self.account_id, self.label)


@dataclass(frozen=True)
class ReadKey(Operation[ApiKey]):
    """The account's key, for Copy: read from the keyring, never written anywhere."""

    account_id: str
    name: ClassVar[str] = "read-key"

    def run(self, context: Context, cancel: threading.Event | None = None) -> ApiKey:
        return context.links.key_for(self.account_id)


@dataclass(frozen=True)
class Retest(Operation[Account]):
    account_id: str
    name: ClassVar[str] = "retest"

    def run(self, context: Context, cancel: threading.Event | None = None) -> Account:
        return retest(context.links, self.account_id, cancel)


@dataclass(frozen=True)
class RetestMany(Operation[dict[str, Account | BaseException]]):
    """Re-test accounts `concurrency` at a time; `on_result` hears each as it ends (on a
    worker thread). Each id maps to the account re-tested or to what went wrong."""

    account_ids: Sequence[str]
    on_result: Callable[[str, Account | BaseException], None] | None = None
    concurrency: int = RETEST_CONCURRENCY
    name: ClassVar[str] = "retest-many"

    def run(
        self, context: Context, cancel: threading.Event | None = None
    ) -> dict[str, Account | BaseException]:
        return retest_many(
            context.links,
            self.account_ids,
            cancel=cancel,
            on_result=self.on_result,
            concurrency=self.concurrency,
        )
