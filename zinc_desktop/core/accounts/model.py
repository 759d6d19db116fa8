"""A linked account: what we know about one key without holding the key itself."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from zinc_desktop.core.foundation.api_key import (
    mask_key_runs,
    mask_key_runs_in_disguise,
    may_be_a_key_in_disguise,
)
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.core.foundation.errors import AmbiguousAccount, UnknownAccount
from zinc_desktop.core.foundation.time_text import EARLIEST, iso_utc, parse_stored_time
from zinc_desktop.core.zinc.api import AuthForm

_ACCOUNT_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")
_HINT = re.compile(r"[0-9a-f]{4}")
MAX_PACKAGES = 1_000_000


class AccountStatus(StrEnum):
    VERIFIED = "verified"
    REJECTED = "rejected"
    UNREACHABLE = "unreachable"
    UNCHECKED = "unchecked"
    MISSING_SECRET = "missing-secret"  # noqa: S105  # a status, not a secret
    INCOMPLETE = "incomplete"  # recorded before the key is written; completed once it is there

    @property
    def claims_secret(self) -> bool:
        """Whether an account in this status says its key is in the keyring."""
        return self not in (AccountStatus.MISSING_SECRET, AccountStatus.INCOMPLETE)

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def explanation(self) -> str:
        return _EXPLANATIONS[self]


_LABELS = {
    AccountStatus.VERIFIED: "Verified",
    AccountStatus.REJECTED: "Rejected",
    AccountStatus.UNREACHABLE: "Unreachable",
    AccountStatus.UNCHECKED: "Not checked",
    AccountStatus.MISSING_SECRET: "Key missing",
    AccountStatus.INCOMPLETE: "Link incomplete",
}
_EXPLANATIONS = {
    AccountStatus.VERIFIED: "Zinc accepted this key the last time it was checked.",
    AccountStatus.REJECTED: "Zinc rejected this key: it was revoked, or belongs elsewhere.",
    AccountStatus.UNREACHABLE: "Zinc could not be reached, or failed, at the last check.",
    AccountStatus.UNCHECKED: "This key has not been checked yet.",
    AccountStatus.MISSING_SECRET: (
        "The key is no longer in the keyring. Re-enter it to restore this account."
    ),
    AccountStatus.INCOMPLETE: (
        "Linking was interrupted before the keyring confirmed it holds the key. It completes "
        "by itself once the key is found there; otherwise re-enter the key, or unlink this "
        "account."
    ),
}


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _parse_time(value: object, name: str) -> datetime | None:
    """None, or an ISO 8601 text as an aware UTC time (clamped at the calendar's edges);
    raises ValueError or TypeError."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a text")  # a number or a list: not a hand-edited time
    if not value:
        return None
    return parse_stored_time(value)


def _text(data: dict[str, Any], name: str, default: str | None = None) -> str:
    """A required text (KeyError when absent), or an optional one with its default."""
    if default is None:
        value = data[name]
    else:
        value = data.get(name)
        value = default if value is None else value
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a text, not {type(value).__name__}")
    return value


@dataclass(frozen=True)
class Account:
    """One linked Zinc account, bound for life to its environment."""

    id: str
    label: str
    environment: Environment
    key_hint: str
    status: AccountStatus
    linked_at: datetime
    last_checked_at: datetime | None = None
    packages_seen: int | None = None
    auth_form: AuthForm = AuthForm.RAW
    last_message: str = ""
    session_only: bool = False
    secret_unusable: bool = False  # missing-secret because the keyring's item holds no key

    def with_changes(self, **changes: Any) -> Account:
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        """The public, secret-free view: what `accounts list --json` prints and the file holds."""
        return {
            "id": self.id,
            "label": self.label,
            "environment": self.environment.value,
            "key_hint": self.key_hint,
            "status": self.status.value,
            "linked_at": iso_utc(self.linked_at),
            "last_checked_at": iso_utc(self.last_checked_at),
            "packages_seen": self.packages_seen,
            "auth_form": self.auth_form.value,
            "last_message": self.last_message,
            "session_only": self.session_only,
            "secret_unusable": self.secret_unusable,
        }

    @classmethod
    def from_json(cls, data: Any) -> Account:
        """Raises KeyError, ValueError or TypeError on a record we cannot trust.

        Key-shaped runs in the label or last message (an older version let a key be typed into
        the label) come back masked.
        """
        if not isinstance(data, dict):
            raise TypeError("an account must be a JSON object")
        account_id = _text(data, "id")
        if not _ACCOUNT_ID.fullmatch(account_id):
            raise ValueError("id must be 1 to 64 letters, digits, - or _")
        hint = _text(data, "key_hint")
        if not _HINT.fullmatch(hint):
            raise ValueError("key_hint must be 4 lower-case hexadecimal characters")
        linked_at = _parse_time(data.get("linked_at"), "linked_at") or EARLIEST  # unknown
        packages = data.get("packages_seen")
        if packages is not None and (
            type(packages) is not int or not 0 <= packages <= MAX_PACKAGES
        ):
            raise ValueError("packages_seen must be a whole number of packages")
        return cls(
            id=account_id,
            label=mask_key_runs(_text(data, "label")),
            environment=Environment(_text(data, "environment")),
            key_hint=hint,
            status=AccountStatus(_text(data, "status")),
            linked_at=linked_at,
            last_checked_at=_parse_time(data.get("last_checked_at"), "last_checked_at"),
            packages_seen=packages,
            auth_form=AuthForm(_text(data, "auth_form", AuthForm.RAW.value)),
            last_message=mask_key_runs(_text(data, "last_message", "")),
            secret_unusable=data.get("secret_unusable") is True,
        )


# A key ending as our writers show it (••••8cef, its ASCII fallback ****8cef, …8cef): in a
# default label ("Staging ••••8cef"), or a key-shaped run an older version let into a label.
_SHOWN_ENDING = re.compile(r"(?:[•*]{2,}|…)\s?[0-9A-Fa-f]{4}(?![0-9A-Za-z])|•+")
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]")


def keyring_title(account: Account) -> str:
    """The account as its keyring item is named in a passwords app (GNOME Passwords,
    Seahorse): its label and environment, `Acme (Staging)`; the store puts the app's name
    before it.

    Never any part of the key, not even its ending: a run that may be a key (disguised too)
    and a shown ending (`••••8cef`, a default label's) are left out, and so is the account's
    key ending wherever it stands. A label with nothing else in it (a default label) becomes
    `account <id>`. The label is read as it looks (NFKC, invisible characters left out);
    control characters become spaces.
    """

    def scrubbed(text: str) -> str:
        # Read as a person sees it: fullwidth digits as digits, invisible characters as none.
        text = unicodedata.normalize("NFKC", text)
        text = "".join(c for c in text if unicodedata.category(c) != "Cf")
        text = mask_key_runs_in_disguise(text, lambda digits: " ")
        text = _SHOWN_ENDING.sub(" ", text)
        text = re.sub(re.escape(account.key_hint), " ", text, flags=re.IGNORECASE)
        text = "".join(c if c.isprintable() else " " for c in text)
        while (emptied := _EMPTY_BRACKETS.sub(" ", text)) != text:  # "(())" empties twice
            text = emptied
        return " ".join(text.split())

    environment = account.environment.display_name
    name = scrubbed(account.label)
    if not any(c.isalnum() for c in name) or name.casefold() == environment.casefold():
        name = f"account {account.id}"
    # Once more over the whole: an id may hold the ending too (1 in about 13,000).
    return scrubbed(f"{name} ({environment})")


def find_account(accounts: Iterable[Account], wanted: str) -> Account:
    """The account a person names: its id, its exact label, or a unique start of its id.

    Every kind of match counts at once: a text that is one account's label and another's id
    (or the start of it) names two accounts and is refused (AmbiguousAccount, naming them);
    UnknownAccount when it names none. The text is echoed only when it cannot be a key.
    """
    every = list(accounts)
    exact = [a for a in every if a.id == wanted]
    labelled = [a for a in every if a.label == wanted]
    started = [a for a in every if wanted and a.id.startswith(wanted)] if not exact else []
    matches = list({a.id: a for a in [*exact, *labelled, *started]}.values())
    if len(matches) == 1:
        return matches[0]
    if matches:
        named = ", ".join(f"{a.id} ({a.label!r})" for a in matches[:5])
        more = f" and {len(matches) - 5} more" if len(matches) > 5 else ""
        raise AmbiguousAccount(
            f"{len(matches)} accounts answer to that (as an id, the start of one, or a label): "
            f"{named}{more}. Give the whole id."
        )
    shown = "" if may_be_a_key_in_disguise(wanted) else f" {mask_key_runs(wanted)[:80]!r}"
    raise UnknownAccount(
        f"No linked account has the id, id prefix or label{shown}; see: zinc-desktop accounts list."
    )
