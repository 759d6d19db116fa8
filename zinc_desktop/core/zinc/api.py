"""What we assume about Zinc's Partner API: paths, field names, statuses, the auth header.

Much of this is INFERRED (see shared ZINC.md). Everything that is a guess about the wire lives
in this module, so correcting it is a one-file change. The HTTP mechanics live in zinc_client.
"""

from __future__ import annotations

import itertools
import json
import re
import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import quote

from zinc_desktop.core.foundation.api_key import ApiKey, looks_like_a_key, may_be_a_key_in_disguise
from zinc_desktop.core.foundation.errors import InvalidIdentifier, UnexpectedResponse
from zinc_desktop.core.foundation.log_redaction import scrub_server_text

PACKAGES_PATH = "/packages"
CHECKS_PATH = "/checks"
LIST_WRAPPER_KEYS = ("data", "items", "packages", "results", "checks")

# What we read of any JSON a server sends: deeper or larger is refused unread.
MAX_JSON_DEPTH = 64
MAX_JSON_BYTES = 8 * 1024 * 1024
# A JSON string (skipped whole) or a bracket: the tokens a depth count needs, one at a time.
_STRING_OR_BRACKET = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)

# Check and package ids: conservative, so an id is always exactly one path segment.
ID_MAX_LENGTH = 128
_ID_CHARACTERS = frozenset(string.ascii_letters + string.digits + "._:-")
_ID_EXAMPLE = {"check id": "chk-s-18f3a2b4c5d-c1a2b3c", "package id": "pkg_stg_basic"}


class AuthForm(StrEnum):
    """How the key is put in the Authorization header. Zinc does not publish which it wants."""

    RAW = "raw"
    BEARER = "bearer"

    @property
    def other(self) -> AuthForm:
        return AuthForm.BEARER if self is AuthForm.RAW else AuthForm.RAW

    def header_value(self, key: ApiKey) -> str:
        return key.reveal() if self is AuthForm.RAW else f"Bearer {key.reveal()}"


def json_too_deep(data: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether brackets outside strings nest deeper than `limit` (malformed text may say yes).

    Linear and without recursion, so it is safe on any input, unlike json.loads. Token by
    token, so a worker thread reading a large answer lets the GUI thread run in between: one
    regular-expression call over a whole 2 MB body held the interpreter's lock for 20 ms.
    """
    depth = 0
    for token in _STRING_OR_BRACKET.finditer(data):
        byte = token.group()[0]
        if byte == 0x22:  # a string: brackets inside it do not count
            continue
        if byte in b"[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def parse_json_body(data: bytes, *, source: str = "Zinc", content_type: str = "") -> Any:
    """The one way a server's body becomes Python values: bounded in size and depth.

    Anything that is not JSON we can read safely is an UnexpectedResponse. `content_type` (as
    the caller scrubbed it) only makes the message more specific.
    """
    if len(data) > MAX_JSON_BYTES:
        raise UnexpectedResponse(
            f"{source} sent {len(data)} bytes of JSON; more than {MAX_JSON_BYTES} is not read."
        )
    if json_too_deep(data):
        raise UnexpectedResponse(
            f"{source} sent JSON nested more than {MAX_JSON_DEPTH} levels deep; it was not read."
        )
    try:
        return json.loads(data)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        kind = content_type or "unknown type"
        raise UnexpectedResponse(
            f"{source} answered with something that is not JSON ({kind}, {len(data)} bytes)."
        ) from None


def pretty_json(text: str) -> str:
    """`text` indented for display if it is JSON we read safely (bounded), else as it is.

    For the request inspector: json.loads on a body nested thousands deep raises
    RecursionError, which `except ValueError` does not catch.
    """
    try:
        value = parse_json_body(text.encode("utf-8", "replace"))
    except UnexpectedResponse:
        return text
    return json.dumps(value, indent=2, ensure_ascii=False)


def id_problem(value: object, what: str = "check id") -> str | None:
    """Why `value` cannot be a check or package id, or None when it can."""
    if not isinstance(value, str):
        return f"a {what} is text, not {type(value).__name__}"
    if not value:
        return f"the {what} is empty"
    if len(value) > ID_MAX_LENGTH:
        return f"it is {len(value)} characters long; a {what} has at most {ID_MAX_LENGTH}"
    if value in (".", ".."):
        return f"{value!r} is not a {what}"
    for position, character in enumerate(value, start=1):
        if character not in _ID_CHARACTERS:
            shown = repr(character) if character.isprintable() else f"U+{ord(character):04X}"
            return f"character {position} is {shown}"
    return None


def validate_id(value: object, what: str = "check id") -> str:
    """`value` if it is a usable check/package id; else InvalidIdentifier saying why.

    An id is 1 to 128 letters, digits, '.', '_', ':' or '-', and never '.' or '..', so that it
    is always exactly one path segment.
    """
    problem = id_problem(value, what)
    if problem is None:
        assert isinstance(value, str)
        return value
    # Never echoed when it may be a key in disguise (32 hex characters with separators).
    echo = isinstance(value, str) and not may_be_a_key_in_disguise(value)
    shown = scrub_server_text(value, limit=40) if echo and isinstance(value, str) else ""
    subject = f"{shown!r} is not a {what}" if shown else f"Not a {what}"
    raise InvalidIdentifier(
        f"{subject}: {problem}. A {what} is 1 to {ID_MAX_LENGTH} letters, digits, '.', '_', "
        f"':' or '-' (for example {_ID_EXAMPLE.get(what, 'abc-123')})."
    )


def validate_typed_check_id(text: str) -> str:
    """A check id a person typed or pasted: validate_id, and never key-shaped.

    A key pasted into the check id field would otherwise be sent in a URL and shown in full
    ("Looking for check …", the Requests tab, the history). A UUID (hex in groups of at most
    12) is fine; 32 hexadecimal characters in a row are refused, unsent and unshown.
    """
    check_id = validate_id(text.strip(), "check id")
    if looks_like_a_key(check_id):
        raise InvalidIdentifier(
            "That looks like an API key (32 hexadecimal characters in a row), not a check id; "
            "it was not sent. Paste the id the integration logged when it started the check."
        )
    return check_id


def path_segment(value: object, what: str = "check id") -> str:
    """A validated id, percent-encoded for use as one path segment."""
    return quote(validate_id(value, what), safe="")


def _server_id(value: str, what: str) -> str:
    """An id a server sent: the same rules, but breaking them is the server's fault."""
    problem = id_problem(value, what)
    if problem is not None:
        raise UnexpectedResponse(f"Zinc sent a {what} that cannot be used: {problem}.")
    return value


def results_path(check_id: str) -> str:
    return f"/results/{path_segment(check_id, 'check id')}"


# GUESSES (ZINC.md: unified.to offers List and Remove on Zinc's requests, so the Partner API
# likely lists checks and cancels one; neither path is published). A Zinc answering 404 or 405
# here does not offer it: the caller falls back (NotOffered).
LIST_CHECKS_PATH = "/checks"  # GET


def cancel_path(check_id: str) -> str:
    """DELETE here cancels a check (a guess: unified.to's "Remove")."""
    return f"/checks/{path_segment(check_id, 'check id')}"


# GUESS (ZINC.md: a Workday integration "gets back a report link"; nothing public says where
# the API puts it): the fields a report link may come in, http(s) only.
REPORT_URL_FIELDS = ("report_url", "reportUrl", "report_link", "report")


@dataclass(frozen=True)
class ListedCheck:
    """One check as Zinc's list names it (fields beyond the id are optional)."""

    id: str
    status: CheckStatus
    created_at: str  # ISO 8601 as sent, "" when not
    package_id: str


def parse_check_list(payload: object) -> list[ListedCheck]:
    """A bare list or one wrapped (`data`, `checks`, ...); entries without a usable id skipped."""
    found = []
    for item in _mappings(extract_list(payload, "checks")):
        raw_id = _text(item, "id", "check_id", "request_id")
        if not raw_id or id_problem(raw_id, "check id") is not None:
            continue
        found.append(
            ListedCheck(
                raw_id,
                parse_status(item.get("status")),
                _text(item, "created_at", "createdAt", "requested_at"),
                _text(item, "package_id", "packageId"),
            )
        )
    return found


@dataclass(frozen=True)
class Package:
    """A screening package the customer has set up in Zinc."""

    id: str
    name: str
    type: str


@dataclass(frozen=True)
class Candidate:
    """Who a check is for. Held only for the request; never written to disk."""

    first_name: str
    last_name: str
    email: str
    phone: str = ""


class CheckStatus(StrEnum):
    """A check's place in its journey, with the labels Zinc's web app uses."""

    REQUESTED = "requested"
    AWAITING_CANDIDATE = "awaiting_candidate"
    IN_PROGRESS = "in_progress"
    ATTENTION_NEEDED = "attention_needed"
    COMPLETE = "complete"
    WITHDRAWN = "withdrawn"  # the candidate withdrew (or the request was cancelled): it stops
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @property
    def is_final(self) -> bool:
        """Nothing follows: the check is complete, or withdrawn before it could be."""
        return self in (CheckStatus.COMPLETE, CheckStatus.WITHDRAWN)


_STATUS_LABELS = {
    CheckStatus.REQUESTED: "Requested",
    CheckStatus.AWAITING_CANDIDATE: "Awaiting candidate",
    CheckStatus.IN_PROGRESS: "In progress",
    CheckStatus.ATTENTION_NEEDED: "Attention needed",
    CheckStatus.COMPLETE: "Complete",
    CheckStatus.WITHDRAWN: "Withdrawn",
    CheckStatus.UNKNOWN: "Unknown",
}
_STATUS_SPELLINGS = {
    "requested": CheckStatus.REQUESTED,
    "pending": CheckStatus.REQUESTED,
    "created": CheckStatus.REQUESTED,
    "awaitingcandidate": CheckStatus.AWAITING_CANDIDATE,
    "invited": CheckStatus.AWAITING_CANDIDATE,
    "inprogress": CheckStatus.IN_PROGRESS,
    "processing": CheckStatus.IN_PROGRESS,
    "attentionneeded": CheckStatus.ATTENTION_NEEDED,
    "actionrequired": CheckStatus.ATTENTION_NEEDED,
    "complete": CheckStatus.COMPLETE,
    "completed": CheckStatus.COMPLETE,
    "withdrawn": CheckStatus.WITHDRAWN,
    "cancelled": CheckStatus.WITHDRAWN,
    "canceled": CheckStatus.WITHDRAWN,
}


def parse_status(value: object) -> CheckStatus:
    """Read any spelling Zinc might use ("Awaiting candidate", "AWAITING_CANDIDATE", ...)."""
    if not isinstance(value, str):
        return CheckStatus.UNKNOWN
    return _STATUS_SPELLINGS.get(re.sub(r"[^a-z]", "", value.lower()), CheckStatus.UNKNOWN)


@dataclass(frozen=True)
class CheckUpdate:
    """One step of a check's timeline."""

    status: CheckStatus
    at: str  # ISO 8601 as Zinc sent it; shown, never computed with


@dataclass(frozen=True)
class CheckResult:
    """One component of a finished check, e.g. right to work: clear."""

    name: str
    outcome: str


@dataclass(frozen=True)
class CheckReport:
    """What /results says about one check."""

    check_id: str
    status: CheckStatus
    updates: tuple[CheckUpdate, ...]
    results: tuple[CheckResult, ...]
    report_url: str | None = None  # a link to the report in Zinc (a login is needed to open it)


# GUESS (ZINC.md: updates go to "the webhook URL registered for that candidate"; most likely a
# field of the POST /checks body, its name unknown): the field a check's webhook URL travels in.
WEBHOOK_URL_FIELD = "webhook_url"


def check_request_body(
    package_id: str, candidate: Candidate, webhook_url: str | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "package_id": package_id,
        "candidate": {
            "first_name": candidate.first_name,
            "last_name": candidate.last_name,
            "email": candidate.email,
        },
    }
    if candidate.phone:
        body["candidate"]["phone"] = candidate.phone
    if webhook_url:
        body[WEBHOOK_URL_FIELD] = webhook_url
    return body


def extract_list(payload: object, what: str) -> list[Any]:
    """A bare JSON list, or one wrapped under a usual key (one level of nesting tolerated)."""
    if isinstance(payload, list):
        return payload
    if isinstance(payload, Mapping):
        for key in LIST_WRAPPER_KEYS:
            inner = payload.get(key)
            if isinstance(inner, list):
                return inner
            if isinstance(inner, Mapping):
                for nested_key in LIST_WRAPPER_KEYS:
                    nested = inner.get(nested_key)
                    if isinstance(nested, list):
                        return nested
    raise UnexpectedResponse(f"Zinc's answer does not contain a list of {what}.")


def _unwrap_object(payload: object, what: str) -> Mapping[str, Any]:
    if isinstance(payload, Mapping):
        inner = payload.get("data")
        return inner if isinstance(inner, Mapping) else payload
    raise UnexpectedResponse(f"Zinc's answer is not a {what} object.")


def _scalar(value: object) -> str:
    """A string or a number as text; anything else (and a number too long to print) is ""."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return ""
    try:
        return str(value).strip()
    except ValueError:  # an int with more digits than Python will print
        return ""


def _text(item: Mapping[str, Any], *names: str) -> str:
    for name in names:
        text = _scalar(item.get(name))
        if text:
            return text
    return ""


def _mappings(value: object) -> list[Mapping[str, Any]]:
    """The objects in a JSON list; a missing or non-list value reads as none."""
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, Mapping)]


def parse_packages(payload: object) -> list[Package]:
    packages = []
    for item in extract_list(payload, "packages"):
        if not isinstance(item, Mapping):
            raise UnexpectedResponse(
                "Zinc's list of packages holds something that is not a package."
            )
        package_id = _text(item, "id", "package_id", "uuid")
        if not package_id:
            raise UnexpectedResponse("Zinc sent a package without an id.")
        package_id = _server_id(package_id, "package id")
        name = _text(item, "name", "title") or f"Package {package_id}"
        packages.append(Package(package_id, name, _text(item, "type", "package_type")))
    return packages


def parse_check_id(payload: object) -> str:
    check_id = _text(_unwrap_object(payload, "check"), "id", "check_id", "request_id")
    if not check_id:
        raise UnexpectedResponse("Zinc accepted the check but its answer has no check id.")
    return _server_id(check_id, "check id")


def parse_report(check_id: str, payload: object) -> CheckReport:
    item = _unwrap_object(payload, "results")
    updates = tuple(
        CheckUpdate(parse_status(u.get("status")), _text(u, "at", "timestamp", "created_at"))
        for u in _mappings(item.get("updates"))
    )
    results = tuple(
        CheckResult(
            _text(r, "name", "check", "type") or "Check", _text(r, "outcome", "result", "status")
        )
        for r in _mappings(item.get("results"))
    )
    status = parse_status(item.get("status"))
    if status is CheckStatus.UNKNOWN and updates:
        status = updates[-1].status
    reported_id = _text(item, "id", "check_id")
    link = _text(item, *REPORT_URL_FIELDS)
    report_url = link if re.match(r"^https?://[^\s/]+", link) and len(link) <= 2000 else None
    return CheckReport(
        _server_id(reported_id, "check id") if reported_id else check_id, status, updates, results,
        report_url,
    )  # fmt: skip


def error_detail(payload: object) -> str:
    """Zinc's own words from an error body, if it sent any (unscrubbed: the caller scrubs)."""
    if isinstance(payload, Mapping):
        for name in ("message", "error", "detail", "title", "errors"):
            value = payload.get(name)
            if isinstance(value, str) and value.strip():
                return value.strip()[:200]
            if isinstance(value, Mapping | list) and value:
                return _leaves(value, 200)
    return ""


def _leaves(value: object, limit: int) -> str:
    """`name: text; ...` for the strings and numbers in nested data, without recursion.

    Visits at most a few hundred nodes, so neither depth nor size of the data matters.
    """
    parts: list[str] = []
    length = 0
    stack: list[tuple[str, object]] = [("", value)]
    for _ in range(500):
        if not stack or length >= limit:
            break
        label, item = stack.pop()
        children: Iterator[tuple[str, object]]
        if isinstance(item, Mapping):
            children = ((k if isinstance(k, str) else label, v) for k, v in item.items())
        elif isinstance(item, list | tuple):
            children = ((label, v) for v in item)
        else:
            text = _scalar(item) if not isinstance(item, float) else repr(item)
            if text:
                parts.append(f"{label}: {text}" if label else text)
                length += len(parts[-1]) + 2
            continue
        stack.extend(reversed(list(itertools.islice(children, 50))))
    return "; ".join(parts)[:limit]
