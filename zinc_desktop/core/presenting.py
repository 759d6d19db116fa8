"""What may be shown on a shared screen or handed to a customer: the one mask for presenting
mode and every export. No addresses (URLs, hosts, ports, IPs), no email addresses or phone
numbers, no key and no key ending, whatever a server or a label holds."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

from zinc_desktop.core.api_key import mask_key_runs

if TYPE_CHECKING:
    from zinc_desktop.core.accounts import Account

HIDDEN = "[hidden]"
_URL = re.compile(r"\b[a-z][a-z0-9+.-]{1,15}://[^\s)\]>\"']+", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_HOST_PORT = re.compile(
    r"(?<![\w.])(?:localhost|\d{1,3}(?:\.\d{1,3}){3}|\[[0-9A-Fa-f:.]+\]|[\w-]+(?:\.[\w-]+)+):\d{1,5}\b"
)
_IP = re.compile(
    r"(?<![\w.])(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*\])(?![\w.])"
)
_LOOPBACK = re.compile(r"(?<![\w.])localhost(?![\w.])", re.IGNORECASE)
# A host name: labels and dots ending in a top-level domain people use, or three labels or more.
_COMMON_TLDS = "com|net|org|io|co|uk|dev|app|cloud|local|internal|example|test|invalid|eu|info|biz"
_HOST = re.compile(
    rf"(?<![\w@.-])(?:(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:{_COMMON_TLDS})"
    r"|(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.){2,}[a-z]{2,24})(?![\w-])",
    re.IGNORECASE,
)
# A phone number: international (+44 20 7946 0958), national (020 7946 0958, 07946095800),
# or any 9 or more digits apart only by spaces; a date (2026-12-03) or a time is none of them.
_PHONE = re.compile(
    r"(?<![\w+])\+\d[\d ()-]{5,}\d(?!\w)"
    r"|(?<!\w)0\d{2,4} \d{3,4} ?\d{3,4}(?!\w)"
    r"|(?<!\w)0\d{9,10}(?!\w)"
    r"|(?<![\w+])\d(?:[ ()]*\d){8,}(?!\w)"
)
# A key's ending as any of our writers show it (•••• and its ASCII fallback ****, …), or
# as a server may word it ("key ending in 8cef").
_KEY_ENDING = re.compile(
    r"\s*(?:\[key\s*)?(?:[•*]{2,}|…|\.{3})[0-9A-Fa-f]{4}\b\]?"
    r"|\b(?:key|ending|ends)\s+(?:ending\s+)?(?:in\s+|with\s+)?[0-9A-Fa-f]{4}\b",
    re.IGNORECASE,
)
_HINT_WORD = re.compile(r"(?<![0-9A-Za-z])[0-9A-Fa-f]{4}(?![0-9A-Za-z])")


def presentable(text: str, hints: Collection[str] = ()) -> str:
    """`text` with every address, email, phone number, key and key ending taken out.

    `hints`: the linked accounts' key endings; where one stands alone as a word it goes too
    ("…ends 8cef." with no "key" before it).
    """
    text = mask_key_runs(text)
    text = _URL.sub(HIDDEN, text)
    text = _EMAIL.sub(HIDDEN, text)
    text = _HOST_PORT.sub(HIDDEN, text)
    text = _IP.sub(HIDDEN, text)
    text = _LOOPBACK.sub(HIDDEN, text)
    text = _HOST.sub(HIDDEN, text)
    text = _KEY_ENDING.sub("", text)
    text = _PHONE.sub(HIDDEN, text)
    if hints:
        wanted = {hint.lower() for hint in hints}
        text = _HINT_WORD.sub(lambda m: "" if m.group().lower() in wanted else m.group(), text)
    return " ".join(text.split())


ANOTHER_ACCOUNT = "[another account]"


class Presentation:
    """Presenting is for one customer: the one rule every surface asks while it is on.

    `shows(account_id)`: only the presented account may appear (a row, a picker entry, a
    dialog). `text(...)`: any text on screen or in an export, with the `presentable` mask and,
    besides, every other account's label and id replaced: a status message about a background
    re-test, a notice naming an account, a server's echo.
    """

    def __init__(self, account: Account, accounts: Iterable[Account]) -> None:
        self.account = account
        everyone = list(accounts)
        self.hints = frozenset(a.key_hint for a in everyone)
        others = {
            name
            for other in everyone
            if other.id != account.id
            for name in (other.label, other.id)
            if name.strip() and name != account.label
        }
        own = {account.label} if account.label.strip() and others else set()
        # One pattern, longest name first: where another label holds the customer's name
        # ("Acme Live" around "Acme") it goes whole; where the customer's name holds another
        # label ("Acme Ltd" around "Acme") it stays whole.
        self._names = _whole_words(others | own)

    @property
    def account_id(self) -> str:
        return self.account.id

    def shows(self, account_id: str | None) -> bool:
        return account_id == self.account.id

    def text(self, text: str) -> str:
        """`text` as a shared screen may show it."""
        text = presentable(text, self.hints)
        if self._names is None:
            return text
        own = self.account.label
        return self._names.sub(lambda m: m.group() if m.group() == own else ANOTHER_ACCOUNT, text)


def _whole_words(names: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern for all `names` as whole words (longest first), or None for no names."""
    ordered = sorted(set(names), key=len, reverse=True)
    if not ordered:
        return None
    alternatives = "|".join(re.escape(name) for name in ordered)
    return re.compile(f"(?<![\\w])(?:{alternatives})(?![\\w])")
