"""What we assume about Zinc's Partner API: paths, field names, statuses, the auth header.

Much of this is INFERRED (see shared ZINC.md). Everything that is a guess about the wire lives
in this module, so correcting it is a one-file change. The HTTP mechanics live in zinc_client.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from zinc_desktop.core.api_key import ApiKey
from zinc_desktop.core.errors import UnexpectedResponse

PACKAGES_PATH = "/packages"
CHECKS_PATH = "/checks"
LIST_WRAPPER_KEYS = ("data", "items", "packages", "results", "checks")


class AuthForm(StrEnum):
    """How the key is put in the Authorization header. Zinc does not publish which it wants."""

    RAW = "raw"
    BEARER = "bearer"

    @property
    def other(self) -> AuthForm:
        return AuthForm.BEARER if self is AuthForm.RAW else AuthForm.RAW

    def header_value(self, key: ApiKey) -> str:
        return key.reveal() if self is AuthForm.RAW else f"Bearer {key.reveal()}"


def results_path(check_id: str) -> str:
    return f"/results/{check_id}"


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
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @property
    def is_final(self) -> bool:
        return self is CheckStatus.COMPLETE


_STATUS_LABELS = {
    CheckStatus.REQUESTED: "Requested",
    CheckStatus.AWAITING_CANDIDATE: "Awaiting candidate",
    CheckStatus.IN_PROGRESS: "In progress",
    CheckStatus.ATTENTION_NEEDED: "Attention needed",
    CheckStatus.COMPLETE: "Complete",
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


def check_request_body(package_id: str, candidate: Candidate) -> dict[str, Any]:
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


def _text(item: Mapping[str, Any], *names: str) -> str:
    for name in names:
        value = item.get(name)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
            return str(value).strip()
    return ""


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
        name = _text(item, "name", "title") or f"Package {package_id}"
        packages.append(Package(package_id, name, _text(item, "type", "package_type")))
    return packages


def parse_check_id(payload: object) -> str:
    check_id = _text(_unwrap_object(payload, "check"), "id", "check_id", "request_id")
    if not check_id:
        raise UnexpectedResponse("Zinc accepted the check but its answer has no check id.")
    return check_id


def parse_report(check_id: str, payload: object) -> CheckReport:
    item = _unwrap_object(payload, "results")
    updates = tuple(
        CheckUpdate(parse_status(u.get("status")), _text(u, "at", "timestamp", "created_at"))
        for u in item.get("updates") or []
        if isinstance(u, Mapping)
    )
    results = tuple(
        CheckResult(
            _text(r, "name", "check", "type") or "Check", _text(r, "outcome", "result", "status")
        )
        for r in item.get("results") or []
        if isinstance(r, Mapping)
    )
    status = parse_status(item.get("status"))
    if status is CheckStatus.UNKNOWN and updates:
        status = updates[-1].status
    return CheckReport(_text(item, "id", "check_id") or check_id, status, updates, results)


def error_detail(payload: object) -> str:
    """Zinc's own words from an error body, if it sent any."""
    if isinstance(payload, Mapping):
        for name in ("message", "error", "detail", "title", "errors"):
            value = payload.get(name)
            if isinstance(value, str) and value.strip():
                return value.strip()[:200]
            if isinstance(value, Mapping | list) and value:
                return str(value)[:200]
    return ""
