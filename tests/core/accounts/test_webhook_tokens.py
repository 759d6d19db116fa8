"""An account's webhook signing token: kept beside its key with the key's rules, gone with the
account, never taken for a key by listing or the sweep, refused when it is not a token."""

from __future__ import annotations

import pytest

from tests.conftest import PRODUCTION_KEY, STAGING_KEY
from tests.support.memory_keyring import MemoryKeyring
from zinc_desktop.core.accounts.linking import LinkService
from zinc_desktop.core.accounts.secret_store import token_item
from zinc_desktop.core.accounts.webhook_tokens import (
    clear_webhook_token,
    set_webhook_token,
    webhook_token,
)
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.core.foundation.errors import InputRefused, KeyInInput

TOKEN = "whsec_a1b2c3d4e5f6"


def linked(links: LinkService, session_only: bool = False) -> str:
    account = links.link(
        Environment.STAGING, ApiKey.parse(STAGING_KEY), session_only=session_only
    ).account
    assert account is not None
    return account.id


def test_kept_beside_the_key_and_gone_with_the_account(
    links: LinkService, memory_keyring: MemoryKeyring
) -> None:
    account_id = linked(links)
    assert webhook_token(links, account_id) is None
    set_webhook_token(links, account_id, f"  {TOKEN}\n")
    assert webhook_token(links, account_id) == TOKEN
    assert memory_keyring.items[("zinc-desktop-test", token_item(account_id))] == TOKEN
    # Listing the accounts' items and the sweep never take it for a key or an orphan.
    assert links.keyring().account_ids() in ({account_id}, None)
    links.reconcile()
    assert links.take_notices() == []
    links.unlink(account_id)
    assert memory_keyring.items == {}


def test_cleared_and_said_whether_there_was_one(links: LinkService) -> None:
    account_id = linked(links)
    assert clear_webhook_token(links, account_id) is False
    set_webhook_token(links, account_id, TOKEN)
    assert clear_webhook_token(links, account_id) is True
    assert webhook_token(links, account_id) is None


def test_a_session_accounts_token_lives_in_memory(
    links: LinkService, memory_keyring: MemoryKeyring
) -> None:
    account_id = linked(links, session_only=True)
    set_webhook_token(links, account_id, TOKEN)
    assert webhook_token(links, account_id) == TOKEN
    assert memory_keyring.items == {}
    links.unlink(account_id)
    assert links.session.secret(token_item(account_id)) is None


@pytest.mark.parametrize(
    ("pasted", "said"),
    [("", "empty"), ("two words", "spaces"), ("x" * 600, "at most"), ("a\x00b", "control")],
)
def test_what_is_not_a_token_is_refused_without_quoting_it(
    links: LinkService, pasted: str, said: str
) -> None:
    account_id = linked(links)
    with pytest.raises(InputRefused, match=said) as refused:
        set_webhook_token(links, account_id, pasted)
    assert (pasted.strip() or "\x01") not in str(refused.value)


def test_a_linked_key_pasted_as_the_token_is_refused(links: LinkService) -> None:
    account_id = linked(links)
    links.link(Environment.PRODUCTION, ApiKey.parse(PRODUCTION_KEY))
    for key in (STAGING_KEY, PRODUCTION_KEY):
        with pytest.raises(KeyInInput):
            set_webhook_token(links, account_id, key)
    assert webhook_token(links, account_id) is None
