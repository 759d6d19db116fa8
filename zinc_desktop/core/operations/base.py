"""What every operation is, what it runs with, and how a result finds its way back."""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar, Generic, TypeVar

from zinc_desktop.core.accounts.linking import LinkService
from zinc_desktop.core.accounts.model import Account
from zinc_desktop.core.checks.history import CheckHistory
from zinc_desktop.core.foundation.errors import OperationCancelled

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


@dataclass(frozen=True)
class Context:
    """What operations work with: the linked accounts (with their keys and clients) and the
    history of checks. Built once per run by the composition root (services.py)."""

    links: LinkService
    history: CheckHistory


class Operation(ABC, Generic[T_co]):
    """One thing asked of Zinc or of the stores. Subclasses are frozen dataclasses."""

    name: ClassVar[str]  # a short word for logs and task names: never holds input

    @abstractmethod
    def run(self, context: Context, cancel: threading.Event | None = None) -> T_co:
        """Do it, on the calling thread. Raises a ZincDesktopError subclass for anything the
        user should hear; `cancel` ends a call under way within a tenth of a second."""


@dataclass(frozen=True)
class AccountOperation(Operation[T_co]):
    """An operation bound for life to one account: it runs with that account's key alone."""

    account: Account


@dataclass(frozen=True)
class Delivery(Generic[T]):
    """An operation's outcome on its way to the receiver named in its Call."""

    call: Call[T]
    outcome: T | BaseException

    def __call__(self) -> None:
        self.call.receive(self.call, self.outcome)


@dataclass(frozen=True, eq=False)
class Call(Generic[T]):
    """An operation handed out to be run elsewhere (a worker thread), and the receiver its
    result goes back to. Identity matters: whoever hands calls out keeps the ones it expects."""

    operation: AccountOperation[T]
    receive: Callable[[Call[T], T | BaseException], None]
    cancel: threading.Event = field(default_factory=threading.Event)

    @property
    def account(self) -> Account:
        return self.operation.account

    def run(self, context: Context) -> Delivery[T]:
        """Run the operation here (a worker thread); hand the Delivery back to the receiver's
        thread and call it there."""
        if self.cancel.is_set():
            raise OperationCancelled("Cancelled before anything was sent.")
        return Delivery(self, self.operation.run(context, self.cancel))

    def failed(self, error: BaseException) -> Delivery[T]:
        return Delivery(self, error)

    def attempt(self, context: Context) -> Delivery[T]:
        """Run, and make any failure the outcome (tests and one-thread callers)."""
        try:
            return self.run(context)
        except Exception as error:  # noqa: BLE001  # every failure reaches the receiver as data
            return self.failed(error)
