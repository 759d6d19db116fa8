"""What may be shown on a shared screen or handed to a customer: the one mask for presenting
mode and every export. No addresses (URLs, hosts, ports, IPs), no email addresses or phone
numbers, no key and no key ending, whatever a server or a label holds.

Detection reads a folded copy of the text (NFKC, so fullwidth digits and letters are plain ones,
and every lookalike full stop a plain one, invisible characters left out); what is taken out is
the original characters that copy came from, so the rest of the text stays exactly as it was.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from zinc_desktop.core.foundation.api_key import KEY_RUN, masked_run

if TYPE_CHECKING:
    from zinc_desktop.core.accounts.model import Account

HIDDEN = "[hidden]"

# --- the folded copy detection reads --------------------------------------------------------

# Full stops NFKC leaves alone (or makes U+3002) that a reader takes for a dot in an address.
_LOOKALIKE_DOTS = str.maketrans(dict.fromkeys("\u3002\uff61\u2024\ufe52\uff0e\u2e3c", "."))


@lru_cache(maxsize=4096)
def _fold(character: str) -> str:
    """How detection reads one character: NFKC, lookalike dots as `.`, invisible ones as
    nothing (a zero-width space or a combining mark inside an address hides nothing)."""
    if unicodedata.category(character) in ("Cf", "Mn", "Me"):
        return ""
    return unicodedata.normalize("NFKC", character).translate(_LOOKALIKE_DOTS)


def _folded(text: str) -> tuple[str, list[int] | None]:
    """The folded copy of `text` and, for each of its characters, the index of the original
    character it came from (None: the copy is `text` itself)."""
    if text.isascii():
        return text, None
    pieces: list[str] = []
    origin: list[int] = []
    for index, character in enumerate(text):
        folded = _fold(character)
        pieces.append(folded)
        origin.extend([index] * len(folded))
    return "".join(pieces), origin


Replacement = str | Callable[[re.Match[str]], str | None]


def _replace(pattern: re.Pattern[str], replacement: Replacement, text: str) -> str:
    """`text` with what `pattern` finds in its folded copy replaced: the original characters
    each match came from give way to `replacement` (a callable may answer None: keep them)."""
    folded, origin = _folded(text)
    pieces: list[str] = []
    kept_to = 0
    for match in pattern.finditer(folded):
        start, end = match.span()
        if start == end:
            continue
        new = replacement if isinstance(replacement, str) else replacement(match)
        if new is None:
            continue
        if origin is not None:
            start, end = origin[start], origin[end - 1] + 1
        if start < kept_to:  # inside what an earlier match (one folded character) took
            continue
        pieces += (text[kept_to:start], new)
        kept_to = end
    if not pieces:
        return text
    pieces.append(text[kept_to:])
    return "".join(pieces)


# --- addresses ------------------------------------------------------------------------------

# A URL goes whole: scheme, user and password, host (a bracketed IPv6 one too), port and path,
# up to white space or a closing quote or bracket that is not its own.
_URL = re.compile(r"\b[a-z][a-z0-9+.-]{1,15}://(?:\[[^\]\s]*\]|[^\s)\]>\"'])+", re.IGNORECASE)
# An email address, its domain with or without a dot (ops@zinc), or a bracketed address. It
# starts where its local part starts (linear time on a long run with no `@` in it).
_LOCAL = r"[\w.!#$%&'*+/=?^`{|}~-]"
_EMAIL = re.compile(rf"(?<!{_LOCAL}){_LOCAL}+@(?:\[[^\]\s]*\]|[\w-]+(?:\.[\w-]+)*)")
# IPv6 without brackets, told from a time (08:34:47, 10:00:00.123456) by its shape: a `::`
# with at least one group, or five or more colon-separated hex groups; an IPv4 tail and a zone
# (%eth0) belong to it. Bracketed, the same with an optional port ([::1]:8443).
_H = r"[0-9A-Fa-f]{1,4}"
_V4 = r"\d{1,3}(?:\.\d{1,3}){3}"
_V6_TAIL = rf"(?:(?:{_H}:)*{_V4}|{_H}(?::{_H})*)"
_V6 = (
    rf"(?:{_H}(?::{_H})*::{_V6_TAIL}?|::{_V6_TAIL}|(?:{_H}:){{4,6}}{_V4}|{_H}(?::{_H}){{4,7}})"
    r"(?:%[\w-]+)?"
)
_IPV6 = re.compile(rf"\[{_V6}\](?::\d{{1,5}})?|(?<![\w:.]){_V6}(?![\w:])")
# IPv4 (and its port), before a full stop too ("Connection to 10.0.0.1."), and glued to a
# word (x10.0.0.1, or a zero-width space between). A version number of four parts (Version
# 1.2.3.4) has exactly this shape and goes too: nothing tells the two apart, and an address
# shown is worse than a version hidden.
_IPV4 = re.compile(rf"(?<!\d)(?<!\d\.){_V4}(?::\d{{1,5}})?(?!\d)(?!\.\d)")
_LOOPBACK = re.compile(r"(?<![\w.-])localhost(?::\d{1,5})?(?![\w-])", re.IGNORECASE)
# A dotted name, every label of it (a host goes whole, not api.zincwork.co + ".za"), with its
# port if it has one; `_is_host` decides whether it is a host name.
_DOTTED = re.compile(r"(?<![\w@.-])[\w-]+(?:\.[\w-]+)+(?P<port>:\d{1,5})?(?![\w-])")
_KNOWN_TLDS = frozenset((
    "com", "net", "org", "io", "co", "uk", "dev", "app", "cloud", "local", "internal", "example",
    "test", "invalid", "eu", "info", "biz", "za", "us", "de", "ie", "au", "ca", "nz", "ai", "gov",
    "edu", "me", "tv", "xyz", "online", "site", "tech",
))  # fmt: skip
# File names' suffixes that are no top-level domain: `summary.pdf` is no host.
_FILE_SUFFIXES = frozenset((
    "pdf", "html", "htm", "txt", "csv", "json", "xml", "yaml", "yml", "toml", "log", "png", "jpg",
    "jpeg", "gif", "svg", "doc", "docx", "xls", "xlsx", "gz", "tgz", "exe", "ini", "cfg", "bak",
    "tmp", "js",
))  # fmt: skip


def _is_host(name: str, *, port: bool) -> bool:
    """Whether a dotted name is a host. Three labels or more ending in a top-level-domain shape
    (letters, or punycode) always are; two labels when all lower case (zincwork.co) or ending
    in a known top-level domain written in lower case (Zincwork.com), so ASP.NET and
    Microsoft.NET stay. With a port, any name with a letter is one. Numbers (1.5, 03.12.2026,
    00.123456) never are."""
    labels = name.split(".")
    if not any(character.isalpha() for character in name):
        return False
    if port:
        return True
    tld = labels[-1]
    if not (len(tld) >= 2 and tld.isalpha()) and not tld.lower().startswith("xn--"):
        return False
    if tld.lower() in _FILE_SUFFIXES:
        return False
    if len(labels) >= 3:
        return True
    return name == name.lower() or tld in _KNOWN_TLDS


def _hide_host(match: re.Match[str]) -> str | None:
    name = match.group()
    if match.group("port"):
        name = name[: match.start("port") - match.start()]
    return HIDDEN if _is_host(name, port=bool(match.group("port"))) else None


# --- phone numbers --------------------------------------------------------------------------

# Phone numbers by their shapes, with spaces, dashes or dots between the groups. A run of
# digits alone (Ref 123456789, DBS no. 001234567890), a date or a time is none of them.
_PHONE = re.compile(
    # international: +44 20 7946 0958, +44 (0)20 7946 0958, +44.20.7946.0958, 0044 20 7946 0958
    r"(?<![\w+])(?:\+\(?\d|00[1-9]\d{0,2}[ .-]\(?\d)(?:[ .()-]{0,2}\d){5,14}(?!\w)"
    # national, from a 0: 020 7946 0958, 020-7946-0958, 07700-900-123, 0800-123-4567, 07946095800
    r"|(?<![\w+])(?<!\d[.-])(?P<national>0\d{2,4}(?:[ .-]?\d{2,4}){1,3})(?!\w)(?![.-]\d)"
    # North American: 202.555.0173, 202-555-0173, (202) 555-0173, 1-202-555-0173
    r"|(?<![\w+])(?<!\d[.-])(?:1[ .-])?(?:\(\d{3}\) ?|\d{3}[ .-])\d{3}[ .-]\d{4}(?!\w)(?![.-]\d)"
)


def _hide_phone(match: re.Match[str]) -> str | None:
    national = match.group("national")
    if national is None:
        return HIDDEN
    digits = sum(character.isdigit() for character in national)
    # 9 to 11 digits in groups; 10 or 11 when they are one run (0 and a 9- or 10-digit number)
    grouped = not national.isdigit()
    return HIDDEN if (9 if grouped else 10) <= digits <= 11 else None


# --- keys and their endings -----------------------------------------------------------------

# A key's ending as any of our writers show it (•••• and its ASCII fallback ****, …), or as a
# server may word it: after "key" ("key ending in 2026") always, after "ending"/"ends" alone
# only when it holds a letter a-f or is a linked key's ending ("the trial ends in 2026" stays).
_KEY_ENDING = re.compile(
    r"(?<!\s)\s*(?:"  # with the space before it (linear time on a long run of spaces)
    r"(?:\[key\s*)?(?:[•*]{2,}|…|\.{3})[0-9A-Fa-f]{4}\b(?!\*)\]?"
    r"|\bkey\s+(?:(?:ending|ends)\s+)?(?:(?:in|with)\s+)?[0-9A-Fa-f]{4}\b"
    r"|\b(?:ending|ends)\s+(?:(?:in|with)\s+)?(?P<worded>[0-9A-Fa-f]{4})\b)",
    re.IGNORECASE,
)
# A linked key's ending standing alone as a word ("…ends 8cef." with no "key" before it): only
# one with a letter a-f, so a year (2026) or any other 4-digit number stays.
_HINT_WORD = re.compile(r"(?<![0-9A-Za-z])[0-9A-Fa-f]{4}(?![0-9A-Za-z])")


def presentable(text: str, hints: Collection[str] = ()) -> str:
    """`text` with every address, email, phone number, key and key ending taken out.

    `hints`: the linked accounts' key endings; where one with a letter a-f stands alone as a
    word it goes too ("…ends 8cef." with no "key" before it).
    """
    wanted = {hint.lower() for hint in hints}

    def key_ending(match: re.Match[str]) -> str | None:
        worded = match.group("worded")
        if worded is None or not worded.isdigit() or worded.lower() in wanted:
            return ""
        return None

    def hint_word(match: re.Match[str]) -> str | None:
        word = match.group().lower()
        return "" if word in wanted and not word.isdigit() else None

    text = _replace(KEY_RUN, masked_run, text)
    text = _replace(_URL, HIDDEN, text)
    text = _replace(_EMAIL, HIDDEN, text)
    text = _replace(_IPV6, HIDDEN, text)
    text = _replace(_IPV4, HIDDEN, text)
    text = _replace(_LOOPBACK, HIDDEN, text)
    text = _replace(_DOTTED, _hide_host, text)
    text = _replace(_KEY_ENDING, key_ending, text)
    text = _replace(_PHONE, _hide_phone, text)
    if wanted:
        text = _replace(_HINT_WORD, hint_word, text)
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
