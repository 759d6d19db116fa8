"""Session-only accounts: every rule about them in one place, and nothing of them on disk."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from zinc_desktop.core.accounts.model import Account, AccountStatus
from zinc_desktop.core.accounts.session_accounts import SessionAccounts
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.environments import Environment

KEY = ApiKey.parse("ab" * 16)
OTHER = ApiKey.parse("cd" * 16)


def account(
    account_id: str, key: ApiKey, environment: Environment = Environment.STAGING
) -> Account:
    now = datetime.now(UTC)
    return Account(account_id, f"Acme {account_id}", environment, key.hint,
                   AccountStatus.VERIFIED, now, now, session_only=True)  # fmt: skip


def test_the_holder_of_a_key_is_found_by_environment_and_whole_key(tmp_path: Path) -> None:
    session = SessionAccounts()
    session.add(account("a1", KEY), KEY)
    assert session.holder(Environment.STAGING, KEY) == session.get("a1")
    assert session.holder(Environment.PRODUCTION, KEY) is None  # a key belongs to one environment
    assert session.holder(Environment.STAGING, KEY, besides="a1") is None
    same_ending = ApiKey.parse("ef" * 14 + KEY.reveal()[-4:])
    assert session.holder(Environment.STAGING, same_ending) is None  # the ending is not the key
    assert list(tmp_path.iterdir()) == []


def test_edit_replace_and_remove_touch_only_session_accounts() -> None:
    session = SessionAccounts()
    session.add(account("a1", KEY), KEY)
    renamed = session.edit("a1", lambda a: a.with_changes(label="Renamed"))
    assert renamed is not None
    assert session.get("a1") == renamed
    assert session.edit("not-a-session-account", lambda a: a) is None
    session.replace_key("a1", OTHER)
    assert session.key("a1") == OTHER
    assert session.ids() == {"a1"}
    session.remove("a1")
    assert session.get("a1") is None
    assert session.key("a1") is None
    assert session.all() == []
    session.remove("a1")  # already gone: nothing to do
