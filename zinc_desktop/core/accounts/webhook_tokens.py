"""An account's webhook signing token: a second secret per account, with the key's rules
(DESIGN.md): in the keyring beside its key (secret_store.token_item), in memory for a
session-only account, never in a file, a log or an answer; gone when the account is unlinked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zinc_desktop.core.accounts.model import keyring_title
from zinc_desktop.core.accounts.secret_store import token_item
from zinc_desktop.core.webhooks.signing import read_signing_token

if TYPE_CHECKING:
    from zinc_desktop.core.accounts.linking import LinkService


def webhook_token(links: LinkService, account_id: str) -> str | None:
    """The account's signing token; None when none is set."""
    account = links.account(account_id)
    if account.session_only:
        return links.session.secret(token_item(account.id))
    return links.keyring().get_text(token_item(account.id))


def set_webhook_token(links: LinkService, account_id: str, pasted: str) -> None:
    """Keep the token pasted for the account (checked first: InputRefused, and a token that is
    one of the linked keys is refused as KeyInInput)."""
    account = links.account(account_id)
    token = read_signing_token(pasted)
    links.refuse_key_in(token, "signing token")
    if account.session_only:
        links.session.keep_secret(token_item(account.id), token)
        return
    title = f"{keyring_title(account)} webhook signing token"
    links.keyring().put_text(token_item(account.id), token, title)


def clear_webhook_token(links: LinkService, account_id: str) -> bool:
    """Forget the account's token; whether there was one."""
    account = links.account(account_id)
    item = token_item(account.id)
    if account.session_only:
        had = links.session.secret(item) is not None
        links.session.keep_secret(item, None)
        return had
    store = links.keyring()
    had = store.get_text(item) is not None
    store.delete(item)
    return had
