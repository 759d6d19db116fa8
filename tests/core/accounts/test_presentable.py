"""The presenting mask (`presentable`), case by case: what an adversarial review found leaking
and what it found hidden for no reason; then random sentences, every secret in them gone and
every date, time, amount and ordinary word still there."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zinc_desktop.core.accounts.presenting import HIDDEN, presentable

H = HIDDEN

# (text, what may be shown): a leak where the two differ, a readable text where they are equal.
CASES = [
    # IPv6 without brackets, bracketed, with a zone, a port, an IPv4 tail
    ("Reached 2001:db8::1 today", f"Reached {H} today"),
    ("Reached fe80::1%eth0 today", f"Reached {H} today"),
    ("Reached ::1 today", f"Reached {H} today"),
    ("Reached 2001:db8::1:8443 today", f"Reached {H} today"),
    ("Reached [::1]:8443 today", f"Reached {H} today"),
    ("Reached ::ffff:10.0.0.1 and 2001:0db8:0:0:0:0:0:1.", f"Reached {H} and {H}."),
    # times are no IPv6
    ("Started 08:34:47, done 10:00.", "Started 08:34:47, done 10:00."),
    ("Logged at 10:00:00.123456 UTC", "Logged at 10:00:00.123456 UTC"),
    ("At [08:34:47] it began", "At [08:34:47] it began"),
    ("At [10:00:00.123456] it began", "At [10:00:00.123456] it began"),
    # IPv4 before a full stop, glued to a word, with a port
    ("Connection to 10.0.0.1.", f"Connection to {H}."),
    ("Connection to 10.0.0.1:8443 refused", f"Connection to {H} refused"),
    # a four-part version number looks exactly like an IPv4 address: it goes too
    ("Version 1.2.3.4", f"Version {H}"),
    # phone numbers with dashes, dots and spaces
    ("Call 020-7946-0958 now", f"Call {H} now"),
    ("Call 07700-900-123 now", f"Call {H} now"),
    ("Call 0800-123-4567 now", f"Call {H} now"),
    ("Call 202.555.0173 now", f"Call {H} now"),
    ("Call +44.20.7946.0958 now", f"Call {H} now"),
    ("Call +44 20 7946 0958 now", f"Call {H} now"),
    ("Call 020 7946 0958 now", f"Call {H} now"),
    ("Call 07946095800 now", f"Call {H} now"),
    ("Call (202) 555-0173 or 1-202-555-0173.", f"Call {H} or {H}."),
    ("Call 0044 20 7946 0958 now", f"Call {H} now"),
    # numbers that are no phone number
    ("Ref 123456789 was paid", "Ref 123456789 was paid"),
    ("DBS no. 001234567890 is clear", "DBS no. 001234567890 is clear"),
    ("Logged at 10:00:00.123456789 UTC", "Logged at 10:00:00.123456789 UTC"),
    ("Logged at 10:00:00.123456 2026", "Logged at 10:00:00.123456 2026"),
    # URLs go whole, a user, password and bracketed host too
    ("See https://u:p@[::1]:8443/secret now", f"See {H} now"),
    ("See https://api.zincwork.com/v2/checks?id=1 (docs)", f"See {H} (docs)"),
    # a host goes whole, every label; two labels only in lower case or with a known TLD
    ("Served by api.zincwork.co.za today", f"Served by {H} today"),
    ("Served by zincwork.co and Zincwork.com", f"Served by {H} and {H}"),
    ("Served by API.ZINCWORK.COM today", f"Served by {H} today"),
    ("Built on ASP.NET and Microsoft.NET", "Built on ASP.NET and Microsoft.NET"),
    (
        "Summary saved as summary.pdf and summary.html.",
        "Summary saved as summary.pdf and summary.html.",
    ),
    ("Served from localhost.", f"Served from {H}."),
    # an email with no dot in its domain
    ("Ask ops@zinc today", f"Ask {H} today"),
    ("Ask ops@zincwork.com.", f"Ask {H}."),
    # lookalike dots and digits
    ("Go to evil\u3002example\u3002com now", f"Go to {H} now"),
    ("Go to evil\u2024example\u2024com now", f"Go to {H} now"),
    ("Go to evil\uff61example\uff61com now", f"Go to {H} now"),
    ("Go to \uff11\uff10.\uff10.\uff10.\uff11 now", f"Go to {H} now"),
    ("Go to 10\u200b.0.0.1 now", f"Go to {H} now"),
    ("Ask ops\uff20zinc\u3002com now", f"Ask {H} now"),
    ("Go to \uff48\uff54\uff54\uff50\uff53\uff1a\uff0f\uff0fevil.example/x now", f"Go to {H} now"),
    # other non-ASCII text stays exactly as it was
    ("Résumé checked… ½ done", "Résumé checked… ½ done"),
]


# (text, hints, what may be shown): key endings, and the years they must not take with them
ENDINGS = [
    ("Completed 03/12/2026", {"2026"}, "Completed 03/12/2026"),
    ("Completed 2026-12-03 in 2026", {"2026"}, "Completed 2026-12-03 in 2026"),
    ("Linked the key ending in 2026.", {"2026"}, "Linked the."),
    ("Linked the key ending in 2026.", set(), "Linked the."),
    ("Linked ••••2026 today", {"2026"}, "Linked today"),
    ("Linked …2026 today", {"2026"}, "Linked today"),
    ("Linked ****8cef today", set(), "Linked today"),
    ("Linked [key ••••8cef] today", set(), "Linked today"),
    ("The key ends 8cef.", {"8cef"}, "The."),
    ("It ends 8cef.", set(), "It."),
    ("It ends 8cef and 8cef again", {"8cef"}, "It and again"),
    ("The trial ends in 2026.", set(), "The trial ends in 2026."),
    ("Bold **2026** stays", set(), "Bold **2026** stays"),
    ("Key 0123456789abcdef0123456789abcdef was sent", set(), "Key was sent"),
]


@pytest.mark.parametrize(("text", "shown"), CASES)
def test_each_case(text: str, shown: str) -> None:
    assert presentable(text) == shown


@pytest.mark.parametrize(("text", "hints", "shown"), ENDINGS)
def test_each_key_ending(text: str, hints: set[str], shown: str) -> None:
    assert presentable(text, hints) == shown


# --- random sentences -----------------------------------------------------------------------

# Ordinary words: none is a key ending's context ("key", "ending", "ends") nor 4 hex letters.
VOCABULARY = [
    "The", "check", "for", "Acme", "completed", "on", "at", "Identity", "verified", "clear",
    "Right", "to", "work", "needs", "review", "payment", "of", "was", "received", "and", "report",
    "sent", "Criminal", "record", "Started", "Completed", "candidate", "amount", "due", "by",
    "Monday", "with", "from", "team", "support", "call", "email", "visit", "server", "address",
    "phone", "ASP.NET", "Microsoft.NET", "Résumé", "café", "naïve", "e.g.", "Ltd.", "St.",
]  # fmt: skip

LOOKALIKE_DOTS = ["\u3002", "\uff61", "\u2024", "\uff0e"]
FULLWIDTH_DIGITS = {ord("0") + i: 0xFF10 + i for i in range(10)}  # 0-9 as fullwidth digits


@dataclass(frozen=True)
class Piece:
    """A piece of a sentence and what may be shown of it (None: nothing, not even a marker)."""

    text: str
    shown: str | None


def ordinary(text: str) -> Piece:
    return Piece(text, text)


def secret(text: str, after: str = "") -> Piece:
    return Piece(text + after, HIDDEN + after)


words = st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=3).map(
    lambda chosen: ordinary(" ".join(chosen))
)

# --- what must stay

some_day = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
dates = st.builds(
    lambda day, form: ordinary(day.strftime(form)),
    some_day,
    st.sampled_from(["%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d %B %Y", "%Y"]),
)
times = st.builds(
    lambda moment, form: ordinary(moment.strftime(form)),
    st.times(),
    st.sampled_from(["%H:%M", "%H:%M:%S", "%H:%M:%S.%f", "[%H:%M:%S]", "%H:%M:%S.%f000"]),
) | st.builds(
    lambda day, moment: ordinary(f"{day:%Y-%m-%d}T{moment:%H:%M:%S.%f}Z"), some_day, st.times()
)
amounts = st.builds(
    lambda cents, form: ordinary(form.format(cents / 100)),
    st.integers(min_value=0, max_value=10**9),
    st.sampled_from(["£{:,.2f}", "${:.2f}", "R{:,.0f}", "{:.1f}%", "€{:,.2f}"]),
)
numbers = st.builds(
    lambda number, form: ordinary(form.format(number)),
    st.integers(min_value=0, max_value=10**12),
    st.sampled_from(["{}", "Ref {}", "DBS no. 00{:010d}", "#{}", "{:,}"]),
)
kept = dates | times | amounts | numbers

# --- what must go

after = st.sampled_from(["", "", ",", ".", ";"])  # punctuation that follows it and stays
label = st.from_regex(r"[a-z][a-z0-9-]{0,8}[a-z0-9]", fullmatch=True)
tld = st.sampled_from(["com", "co.za", "net", "io", "za", "internal", "example", "org", "co.uk"])


def disguised(address: str, draw: st.DrawFn) -> str:
    """`address` as it is, or with lookalike dots or fullwidth digits."""
    if draw(st.booleans()):
        address = address.replace(".", draw(st.sampled_from(LOOKALIKE_DOTS)))
    if draw(st.booleans()):
        address = address.translate(FULLWIDTH_DIGITS)
    return address


@st.composite
def host_names(draw: st.DrawFn) -> str:
    labels = draw(st.lists(label, min_size=1, max_size=3))
    name = ".".join([*labels, draw(tld)])
    case = draw(st.sampled_from(["lower", "upper", "capitalized"]))
    if case == "upper" and name.count(".") >= 2:  # three labels or more: any case
        name = name.upper()
    elif case == "capitalized":  # two, with a known top-level domain: Zincwork.com
        name = labels[-1].capitalize() + "." + draw(st.sampled_from(["com", "net", "org"]))
    return name


ipv4 = st.lists(st.integers(0, 255), min_size=4, max_size=4).map(
    lambda parts: ".".join(map(str, parts))
)
ipv6 = st.builds(
    lambda number, form: form(ipaddress.IPv6Address(number)),
    st.integers(min_value=1, max_value=2**128 - 1) | st.integers(min_value=1, max_value=2**16),
    st.sampled_from([
        lambda a: a.compressed, lambda a: a.exploded, lambda a: a.compressed.upper(),
        lambda a: f"{a.compressed}%eth0", lambda a: f"[{a.compressed}]:8443",
        lambda a: f"[{a.compressed}]",
    ]),
)  # fmt: skip
port = st.integers(min_value=1, max_value=65535).map(lambda n: f":{n}")


@st.composite
def addresses(draw: st.DrawFn) -> Piece:
    kind = draw(st.sampled_from(["host", "ipv4", "ipv6", "localhost"]))
    if kind == "host":
        text = disguised(draw(host_names()), draw) + draw(st.just("") | port)
    elif kind == "ipv4":
        text = disguised(draw(ipv4), draw) + draw(st.just("") | port)
    elif kind == "ipv6":
        text = draw(ipv6)
    else:
        text = "localhost" + draw(st.just("") | port)
    return secret(text, draw(after))


@st.composite
def emails(draw: st.DrawFn) -> Piece:
    local = draw(st.from_regex(r"[a-z0-9][a-z0-9._+-]{0,10}", fullmatch=True))
    domain = draw(host_names() | label)
    return secret(disguised(f"{local}@{domain}", draw), draw(after))


@st.composite
def urls(draw: st.DrawFn) -> Piece:
    scheme = draw(st.sampled_from(["http", "https", "wss", "ftp"]))
    user = draw(st.sampled_from(["", "u:p@", "admin@"]))
    host = draw(
        host_names()
        | ipv4
        | ipv6.filter(lambda a: "%" not in a and "[" not in a).map(lambda a: f"[{a}]")
    )
    path = draw(
        st.from_regex(r"(/[A-Za-z0-9._-]{0,8}){0,3}(\?[a-z]=[0-9a-z]{1,6})?", fullmatch=True)
    )
    return secret(f"{scheme}://{user}{host}{draw(st.just('') | port)}{path}")  # it takes a "."


def digits(count: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=count, max_size=count)


@st.composite
def phones(draw: st.DrawFn) -> Piece:
    form = draw(st.sampled_from([
        "+44 20 {4} {4}", "+44.20.{4}.{4}", "+44-20-{4}-{4}", "+1 {3} {3} {4}", "+27 {2} {3} {4}",
        "+44 (0)20 {4} {4}", "020 {4} {4}", "020-{4}-{4}", "07{3}-{3}-{3}", "07{3} {6}",
        "0800-{3}-{4}", "0{10}", "{n3}.{3}.{4}", "{n3}-{3}-{4}", "({n3}) {3}-{4}",
        "1-{n3}-{3}-{4}", "0044 20 {4} {4}",
    ]))  # fmt: skip

    def fill(field: re.Match[str]) -> str:
        if field.group(1) == "n3":  # a North American area code starts with 2-9
            return draw(st.sampled_from("23456789")) + draw(digits(2))
        return draw(digits(int(field.group(1))))

    return secret(re.sub(r"\{(\w+)\}", fill, form), draw(after))


hex4 = st.text(alphabet="0123456789abcdefABCDEF", min_size=4, max_size=4)


@st.composite
def key_endings(draw: st.DrawFn) -> tuple[Piece, str]:
    """A key's ending as our writers or a server may show it; it goes without a marker."""
    ending = draw(hex4)
    form = draw(st.sampled_from([
        "••••{}", "****{}", "…{}", "...{}", "key ending in {}", "[key ••••{}]",
        "key ends with {}", "key {}",
    ]))  # fmt: skip
    return Piece(form.format(ending), None), ending


@st.composite
def hint_words(draw: st.DrawFn) -> tuple[Piece, str]:
    """A linked key's ending, with a letter a-f, standing alone: it goes too."""
    ending = draw(hex4.filter(lambda h: not h.isdigit()))
    return Piece(ending, None), ending


@st.composite
def sentences(draw: st.DrawFn) -> tuple[list[Piece], set[str]]:
    """Words, then some things (kept or secret), each followed by words again."""
    pieces = [draw(words)]
    hints = set(draw(st.lists(hex4, max_size=3)))  # other linked keys' endings
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        choice = draw(st.sampled_from(["kept", "kept", "address", "email", "url", "phone", "key"]))
        if choice == "kept":
            pieces.append(draw(kept))
        elif choice == "address":
            pieces.append(draw(addresses()))
        elif choice == "email":
            pieces.append(draw(emails()))
        elif choice == "url":
            pieces.append(draw(urls()))
        elif choice == "phone":
            pieces.append(draw(phones()))
        else:
            piece, ending = draw(key_endings() | hint_words())
            pieces.append(piece)
            hints.add(ending)
        pieces.append(draw(words))
    return pieces, hints


@settings(max_examples=500, deadline=None)
@given(sentence=sentences())
def test_every_secret_goes_and_everything_else_stays(
    sentence: tuple[list[Piece], set[str]],
) -> None:
    """Exactly the secrets go (a marker for each address, email and phone number; nothing for
    a key ending), and every word, date, time, amount and number around them stays as it was."""
    pieces, hints = sentence
    text = " ".join(piece.text for piece in pieces) + "."
    expected = " ".join(piece.shown for piece in pieces if piece.shown is not None) + "."
    assert presentable(text, hints) == expected
