"""The presenting mask (`presentable`), case by case: what an adversarial review found leaking
and what it found hidden for no reason."""

from __future__ import annotations

import pytest

from zinc_desktop.core.presenting import HIDDEN, presentable

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
