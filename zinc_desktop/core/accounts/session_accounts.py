"""Accounts linked for this session only, when no keyring works: each with its key, in memory,
gone when the app quits. Every rule about them is here; LinkService asks."""

from __future__ import annotations

import threading

from zinc_desktop.core.accounts.edits import Edit
from zinc_desktop.core.accounts.model import Account
from zinc_desktop.core.accounts.secret_store import MemorySecretStore
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.environments import Environment


class SessionAccounts:
    """Thread-safe. Never written anywhere: neither the accounts nor their keys."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._accounts: dict[str, Account] = {}
        self._keys = MemorySecretStore()

    def all(self) -> list[Account]:
        with self._lock:
            return list(self._accounts.values())

    def ids(self) -> set[str]:
        with self._lock:
            return set(self._accounts)

    def get(self, account_id: str) -> Account | None:
        with self._lock:
            return self._accounts.get(account_id)

    def key(self, account_id: str) -> ApiKey | None:
        return self._keys.get(account_id)

    def holder(
        self, environment: Environment, key: ApiKey, *, besides: str | None = None
    ) -> Account | None:
        """The session account of `environment` holding `key` (other than `besides`)."""
        for account in self.all():
            same = account.environment is environment and account.key_hint == key.hint
            if same and account.id != besides and self._keys.get(account.id) == key:
                return account
        return None

    def add(self, account: Account, key: ApiKey) -> None:
        self._keys.put(account.id, key)
        with self._lock:
            self._accounts[account.id] = account

    def replace_key(self, account_id: str, key: ApiKey) -> None:
        self._keys.put(account_id, key)

    def edit(self, account_id: str, edit: Edit) -> Account | None:
        """The account changed by `edit`; None when it is not a session account."""
        with self._lock:
            if account_id not in self._accounts:
                return None
            changed = self._accounts[account_id] = edit(self._accounts[account_id])
            return changed

    def secret(self, item: str) -> str | None:
        """Another secret of a session account (secret_store.token_item), in memory only."""
        return self._keys.get_text(item)

    def keep_secret(self, item: str, value: str | None) -> None:
        if value is None:
            self._keys.delete(item)
        else:
            self._keys.put_text(item, value)

    def remove(self, account_id: str) -> None:
        self._keys.delete(account_id)  # its signing token with it
        with self._lock:
            self._accounts.pop(account_id, None)
