"""What the app asks of its stores about accounts, with what each takes along."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from zinc_desktop.core.accounts.model import Account
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
