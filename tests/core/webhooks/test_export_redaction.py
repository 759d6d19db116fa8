"""The export's redaction, as a rule over any payload (no window needed): whatever nesting,
field names, query strings, headers or bodies a sender chose, no candidate field's value, no
email address, no key shape and no signing token survives into the JSON or HTML written."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from zinc_desktop.core.webhooks.deliveries import Delivery, ForwardResult
from zinc_desktop.core.webhooks.delivery_export import deliveries_html, deliveries_json
from zinc_desktop.core.webhooks.signing import Signature, Verdict

TOKEN = "whsec_export_test_77"
KEY = "471e527d2337da5dfaf28666fe1d8cef"
SECRET_NAME = "Quillfeather"
AT = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
personal = st.sampled_from(["first_name", "lastName", "Email", "phone", "date_of_birth", "name"])
plain = st.text("abcxyz_", min_size=1, max_size=6)
leaves = st.sampled_from([SECRET_NAME, f"{SECRET_NAME}@example.test", KEY, TOKEN, "ok", 3])


def payloads() -> st.SearchStrategy[object]:
    return st.recursive(
        leaves,
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(personal | plain, inner, max_size=4)
        ),
        max_leaves=12,
    )


def delivery(body: bytes | None, path: str, headers: list[tuple[str, str]]) -> Delivery:
    return Delivery(
        number=1, received_at=AT, method="POST", path=path, headers=tuple(headers), body=body,
        size=len(body or b""), verdict=Verdict(Signature.VALID, "Authorization", "bearer"),
        forward=ForwardResult(f"http://127.0.0.1:9/h?token={TOKEN}", 3.0, 500, f"echo {KEY}"),
    )  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(payload=payloads(), field=personal, raw=st.booleans())
def test_nothing_personal_or_secret_survives_the_export(
    payload: object, field: str, raw: bool
) -> None:
    wrapped = {"check": {"id": "chk-1", field: SECRET_NAME}, "data": payload}
    body = (
        json.dumps(wrapped).encode()
        if not raw
        else f"not json {SECRET_NAME} {KEY} {TOKEN}".encode()
    )
    headers = [
        ("Authorization", f"Bearer {TOKEN}"),
        ("X-Candidate-Email", f"{SECRET_NAME}@example.test"),
        ("X-Trace", KEY),
    ]
    path = f"/webhooks/zinc?{field}={SECRET_NAME}&note={KEY}"
    chosen = [delivery(body, path, headers)]
    for written in (deliveries_json(chosen, [TOKEN], AT), deliveries_html(chosen, [TOKEN], AT)):
        for secret in (SECRET_NAME, KEY, TOKEN):
            assert secret not in written
