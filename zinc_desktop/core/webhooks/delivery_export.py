"""The deliveries exported, redacted, as JSON or HTML, to the one file the user chose.

No Qt here (it belongs in core/webhooks/ beside the deliveries; it sits here until that room
is free). Redacted: every signing token known, every key-shaped run, every email address, and
the value of any field that names a candidate's detail (first_name, email, phone, address…)
wherever it sits in a JSON body, a query string or a header. A body that is not JSON cannot be
searched for such fields, so it is left out and said to be. HTML is escaped throughout.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

from zinc_desktop.core.foundation.api_key import mask_key_runs
from zinc_desktop.core.foundation.app_paths import write_atomically
from zinc_desktop.core.foundation.time_text import iso_utc
from zinc_desktop.core.webhooks.deliveries import Delivery
from zinc_desktop.core.webhooks.delivery_text import (
    number_text,
    signature_description,
    signature_text,
    token_forms,
)
from zinc_desktop.core.zinc.api import json_too_deep

REDACTED = "[redacted]"
TOKEN_REDACTED = "[signing token]"  # noqa: S105  # a placeholder, not a secret
# Field names (lower case, letters and digits only) whose values are a candidate's details.
PERSONAL_FIELDS = frozenset(
    {
        "firstname", "lastname", "middlename", "name", "fullname", "surname", "givenname",
        "familyname", "forename", "forenames", "maidenname", "previousname", "previousnames",
        "candidatename", "email", "emailaddress", "phone", "phonenumber", "telephone", "mobile",
        "mobilenumber", "dateofbirth", "dob", "birthdate", "birthday", "address", "addressline1",
        "addressline2", "addressline3", "street", "city", "town", "postcode", "postalcode",
        "zip", "zipcode", "nationalinsurancenumber", "ninumber", "ssn", "passportnumber",
    }
)  # fmt: skip
# Words in a header's name that say its value is personal (X-Candidate-Email).
_PERSONAL_WORDS = frozenset({"email", "phone", "mobile", "name", "address", "dob", "birth"})
_EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")
REDACTION_NOTE = (
    "Redacted: signing tokens, anything shaped like an API key, email addresses, and the "
    "values of candidate fields (names, email, phone, date of birth, address) are replaced "
    "with [redacted]; a body that is not JSON is left out."
)


class ExportFormat(StrEnum):
    JSON = "json"
    HTML = "html"


def format_for(path: Path, asked: ExportFormat | None = None) -> ExportFormat:
    """The format the Save dialog's filter asked for, else the file's suffix says."""
    if asked is not None:
        return asked
    return ExportFormat.HTML if path.suffix.lower() in (".html", ".htm") else ExportFormat.JSON


def _field(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.casefold())


class Redactor:
    """Applies the export's rule to text, JSON values, paths and headers.

    `personal`: values found under a candidate's fields anywhere in the deliveries exported
    (`personal_values`): redacted wherever else they appear too ("Ada Lovelace's check…" in a
    summary field, a name in a query string)."""

    def __init__(self, tokens: Iterable[str | None], personal: Iterable[str] = ()) -> None:
        self._forms = token_forms(tokens)
        shown = sorted({v.strip() for v in personal if len(v.strip()) >= 3}, key=len, reverse=True)
        self._personal = (
            re.compile("|".join(re.escape(v) for v in shown), re.IGNORECASE) if shown else None
        )

    def text(self, text: str) -> str:
        for form in self._forms:
            text = text.replace(form, TOKEN_REDACTED)
        if self._personal is not None:
            text = self._personal.sub(REDACTED, text)
        return _EMAIL.sub(REDACTED, mask_key_runs(text))

    def value(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {
                self.text(str(key)): REDACTED if _field(str(key)) in PERSONAL_FIELDS
                else self.value(item)
                for key, item in value.items()
            }  # fmt: skip
        if isinstance(value, list):
            return [self.value(item) for item in value]
        if isinstance(value, str):
            return self.text(value)
        return value

    def path(self, path: str) -> str:
        """The request's path; a query's values decoded and redacted like a body's fields."""
        base, mark, query = path.partition("?")
        if not mark:
            return self.text(path)
        pairs = []
        for part in query.split("&"):
            name, equals, value = (unquote_plus(piece) for piece in part.partition("="))
            shown = REDACTED if _field(name) in PERSONAL_FIELDS else self.text(value)
            pairs.append(f"{self.text(name)}{equals}{shown if equals else ''}")
        return f"{self.text(base)}?{'&'.join(pairs)}"

    def header(self, name: str, value: str) -> str:
        words = set(re.split(r"[-_\s]+", name.casefold()))
        return REDACTED if words & _PERSONAL_WORDS else self.text(value)

    def body(self, body: bytes | None) -> tuple[Any, str]:
        """The body as exported (None when left out) and a note saying what was done."""
        if body is None:
            return None, "not kept by the receiver (refused)"
        if not body:
            return None, "empty"
        if json_too_deep(body):
            return None, "left out: JSON nested too deep to read safely"
        try:
            value = json.loads(body)
        except (ValueError, RecursionError):
            return None, f"left out: not JSON ({len(body):,} bytes), so it cannot be redacted"
        return self.value(value), "JSON, redacted"


def personal_values(deliveries: Iterable[Delivery]) -> set[str]:
    """Every string under a candidate's field (PERSONAL_FIELDS) in the deliveries' JSON bodies
    and query strings, at any depth."""
    found: set[str] = set()
    for delivery in deliveries:
        _, mark, query = delivery.path.partition("?")
        for part in query.split("&") if mark else ():
            name, _, value = (unquote_plus(piece) for piece in part.partition("="))
            if _field(name) in PERSONAL_FIELDS and value:
                found.add(value)
        body = delivery.body
        if not body or json_too_deep(body):
            continue
        try:
            stack: list[Any] = [json.loads(body)]
        except (ValueError, RecursionError):
            continue
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                for key, value in item.items():
                    if _field(str(key)) in PERSONAL_FIELDS and isinstance(value, str):
                        found.add(value)
                    else:
                        stack.append(value)
            elif isinstance(item, list):
                stack.extend(item)
    return found


def export_record(delivery: Delivery, redactor: Redactor) -> dict[str, Any]:
    body, note = redactor.body(delivery.body)
    forward = delivery.forward
    verdict = delivery.verdict
    return {
        "number": delivery.number,
        "replay_of": delivery.replay_of,
        "received_at": iso_utc(delivery.received_at),
        "method": delivery.method,
        "path": redactor.path(delivery.path),
        "size": delivery.size,
        "check_id": redactor.text(delivery.check_id) if delivery.check_id else None,
        "status": redactor.text(delivery.status) if delivery.status else None,
        "signature": {
            "verdict": verdict.signature.value if delivery.body is not None else "not-checked",
            "header": verdict.header or None,
            "scheme": verdict.scheme or None,
            "description": redactor.text(signature_description(delivery)),
        },
        "forward": None
        if forward is None
        else {
            "url": redactor.text(forward.url),
            "status": forward.status,
            "ms": round(forward.ms, 1),
            "error": redactor.text(forward.error) or None,
        },
        "refused": delivery.refused or None,
        "headers": [[name, redactor.header(name, value)] for name, value in delivery.headers],
        "body": body,
        "body_note": note,
    }


def deliveries_json(
    deliveries: Iterable[Delivery], tokens: Iterable[str | None], now: datetime | None = None
) -> str:
    chosen = list(deliveries)
    redactor = Redactor(tokens, personal_values(chosen))
    document = {
        "exported_at": iso_utc(now or datetime.now(UTC)),
        "redaction": REDACTION_NOTE,
        "deliveries": [export_record(delivery, redactor) for delivery in chosen],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


_STYLE = (
    "body{font-family:sans-serif;margin:2em;color:#222}"
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}"
    "pre{background:#f6f6f6;padding:8px;white-space:pre-wrap;word-break:break-all}"
)


def deliveries_html(
    deliveries: Iterable[Delivery], tokens: Iterable[str | None], now: datetime | None = None
) -> str:
    chosen = list(deliveries)
    redactor = Redactor(tokens, personal_values(chosen))
    e = html.escape
    rows = []
    sections = []
    for delivery in chosen:
        record = export_record(delivery, redactor)
        forward = record["forward"]
        answer = (
            "not forwarded" if forward is None
            else f"{forward['status']} in {forward['ms']:.0f} ms" if forward["status"] is not None
            else f"not delivered: {forward['error']}"
        )  # fmt: skip
        cells = [
            number_text(delivery), record["received_at"] or "", record["check_id"] or "",
            record["status"] or "", signature_text(delivery), f"{delivery.size:,} bytes", answer,
        ]  # fmt: skip
        rows.append("<tr>" + "".join(f"<td>{e(str(cell))}</td>" for cell in cells) + "</tr>")
        headers = "\n".join(f"{name}: {value}" for name, value in record["headers"])
        body = (
            json.dumps(record["body"], indent=2, ensure_ascii=False)
            if record["body"] is not None
            else ""
        )
        sections.append(
            f"<section><h2>Delivery {e(number_text(delivery))}</h2>"
            f"<p>{e(record['method'])} {e(record['path'])}</p>"
            f"<p>Signature: {e(record['signature']['description'])}</p>"
            f"<h3>Headers</h3><pre>{e(headers)}</pre>"
            f"<h3>Body ({e(record['body_note'])})</h3>"
            + (f"<pre>{e(body)}</pre>" if body else "")
            + "</section>"
        )
    head = "".join(
        f"<th>{e(name)}</th>"
        for name in ("#", "Received (UTC)", "Check", "Status", "Signature", "Size", "Forwarded")
    )
    exported = iso_utc(now or datetime.now(UTC)) or ""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>Webhook deliveries</title><style>{_STYLE}</style></head><body>"
        f"<h1>Webhook deliveries</h1><p>Exported {e(exported)}: {len(chosen)} deliveries. "
        f"{e(REDACTION_NOTE)}</p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        + "".join(sections)
        + "</body></html>\n"
    )


def write_export(
    path: Path, deliveries: Iterable[Delivery], tokens: Iterable[str | None],
    export_format: ExportFormat,
) -> None:  # fmt: skip
    """Write exactly `path` (0600, whole or not at all); OSError when it cannot be written."""
    render = deliveries_html if export_format is ExportFormat.HTML else deliveries_json
    write_atomically(path, render(deliveries, tokens).encode("utf-8"))
