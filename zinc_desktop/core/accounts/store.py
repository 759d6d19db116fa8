"""The linked accounts' metadata (never a key) in a crash- and corruption-safe JSON file."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from zinc_desktop.core.accounts.model import Account
from zinc_desktop.core.foundation.errors import UnknownAccount
from zinc_desktop.core.storage.file_lock import FileLock
from zinc_desktop.core.storage.json_document import DamagedDocument, JsonDocument

SCHEMA = 1
# Held across "already linked? -> record -> keyring -> complete", so it must outlast the
# keyring's own deadline (10 s a call) with room to spare.
LINK_LOCK_TIMEOUT = 30.0


def _decode(document: dict[str, Any]) -> list[Account]:
    records = document.get("accounts")
    if not isinstance(records, list):
        raise DamagedDocument("no list of accounts")
    accounts = [Account.from_json(record) for record in records]
    if len({account.id for account in accounts}) != len(accounts):
        raise DamagedDocument("two accounts share an id")
    return accounts


def _encode(accounts: list[Account]) -> dict[str, Any]:
    return {"accounts": [account.to_json() for account in accounts]}


class AccountStore:
    """All reads and writes of accounts.json. Safe across threads and running instances."""

    def __init__(self, path: Path, *, link_lock_timeout: float = LINK_LOCK_TIMEOUT) -> None:
        self._document: JsonDocument[list[Account]] = JsonDocument(
            path, schema=SCHEMA, decode=_decode, empty=list, encode=_encode
        )
        # Serialises every change to the keyring's contents (link, re-enter, unlink) across
        # threads and processes. It is a separate file, so reading and listing never wait on it.
        self.link_lock = FileLock(
            path.with_name(path.name + ".link-lock"),
            timeout=link_lock_timeout,
            busy_message=(
                f"Another zinc-desktop, or another task in this one, has been linking or "
                f"unlinking an account for more than {link_lock_timeout:g} s, probably waiting "
                "for the keyring to answer. Unlock the keyring (or close the other zinc-desktop) "
                "and try again."
            ),
        )

    @property
    def path(self) -> Path:
        return self._document.path

    def take_notices(self) -> list[str]:
        """What recovery did since the last call, for the user to read once."""
        notices, self._document.notices = self._document.notices, []
        return notices

    def all(self) -> list[Account]:
        return self._document.read()

    def get(self, account_id: str) -> Account:
        for account in self.all():
            if account.id == account_id:
                return account
        raise UnknownAccount(f"No linked account has the id {account_id!r}.")

    def add(self, account: Account) -> None:
        with self._document.update() as box:
            box[0] = [*box[0], account]

    def change(self, account_id: str, edit: Callable[[Account], Account]) -> Account:
        """Apply `edit` to the freshest copy of one account, under the lock."""
        with self._document.update() as box:
            for index, account in enumerate(box[0]):
                if account.id == account_id:
                    changed = edit(account)
                    box[0][index] = changed
                    return changed
        raise UnknownAccount(f"No linked account has the id {account_id!r}.")

    def apply(self, edits: Mapping[str, Callable[[Account], Account | None]]) -> int:
        """Apply many edits (None: leave that account as it is) in one locked load and at most
        one write. Ids no longer present are skipped. Returns how many accounts changed."""
        changed = 0
        if not edits:
            return changed
        with self._document.update() as box:
            accounts = box[0]
            for index, account in enumerate(accounts):
                edit = edits.get(account.id)
                result = edit(account) if edit is not None else None
                if result is not None and result != account:
                    accounts[index] = result
                    changed += 1
        return changed

    def remove(self, account_id: str) -> Account:
        """Remove the account, from the backup and any damaged copy kept aside too."""
        with self._document.update(forgetting=True) as box:
            for account in box[0]:
                if account.id == account_id:
                    box[0] = [other for other in box[0] if other.id != account_id]
                    removed = account
                    break
            else:
                raise UnknownAccount(f"No linked account has the id {account_id!r}.")
        self._document.forget_in_quarantine(account_id)
        return removed
