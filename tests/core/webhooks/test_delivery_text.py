"""How a delivery reads (core/webhooks/delivery_text, delivery_export): what cannot be seen is
named, a token and key shapes hidden and put back byte for byte, candidate fields redacted."""

from __future__ import annotations

import json

from tests.conftest import STAGING_KEY
from zinc_desktop.core.webhooks.delivery_export import Redactor
from zinc_desktop.core.webhooks.delivery_text import editable_body, visible

TOKEN = "whsec_model-test-1234"  # made up


def test_what_cannot_be_seen_is_named_and_hidden_parts_come_back_as_they_were() -> None:
    assert visible("a\u202eb\u200bc\r\nd\te") == "a⟨U+202E⟩b⟨U+200B⟩c\nd\te"
    body = json.dumps({"token": TOKEN, "key": STAGING_KEY, "again": TOKEN, "x": "⟦hidden 1⟧"})
    editable = editable_body(body.encode(), [TOKEN])
    assert editable.text is not None
    assert TOKEN not in editable.text
    assert STAGING_KEY not in editable.text
    assert editable.restore(editable.text) == body.encode()  # untouched: byte for byte
    assert editable_body(b"\xff\xfe", [TOKEN]).text is None  # not UTF-8: not editable


def test_the_export_redacts_candidate_fields_anywhere() -> None:
    redactor = Redactor([TOKEN])
    value = {
        "data": [{"candidate": {"firstName": "Ada", "Last-Name": "Lovelace"}}],
        "Email": "ada@example.com",
        "dob": {"year": 1815},
        "note": f"Bearer {TOKEN} for ada@example.com, key {STAGING_KEY}",
        "status": "complete",
    }
    assert redactor.value(value) == {
        "data": [{"candidate": {"firstName": "[redacted]", "Last-Name": "[redacted]"}}],
        "Email": "[redacted]",
        "dob": "[redacted]",
        "note": f"Bearer [signing token] for [redacted], key ••••{STAGING_KEY[-4:]}",
        "status": "complete",
    }
    assert redactor.path("/hooks?first_name=Ada&ok=1&t=" + TOKEN) == (
        "/hooks?first_name=[redacted]&ok=1&t=[signing token]"
    )
    assert redactor.header("X-Candidate-Email", "ada@example.com") == "[redacted]"
