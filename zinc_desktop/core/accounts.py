"""A linked account: what we know about one key without holding the key itself."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from zinc_desktop.core.environments import Environment
from zinc_desktop.core.zinc_api import AuthForm


class AccountStatus(StrEnum):
    VERIFIED = "verified"
    REJECTED = "rejected"
    UNREACHABLE = "unreachable"
    UNCHECKED = "unchecked"
    MISSING_SECRET = "missing-secret"  # noqa: S105  # a status, not a secret

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
}
_EXPLANATIONS = {
    AccountStatus.VERIFIED: "Zinc accepted this key the last time it was checked.",
    AccountStatus.REJECTED: "Zinc rejected this key: it was revoked, or belongs elsewhere.",
    AccountStatus.UNREACHABLE: "Zinc could not be reached, or failed, at the last check.",
    AccountStatus.UNCHECKED: "This key has not been checked yet.",
    AccountStatus.MISSING_SECRET: (
        "The key is no longer in the keyring. Re-enter it to restore this account."
    ),
}


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z") if moment else None


def _parse_time(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


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
            "linked_at": _iso(self.linked_at),
            "last_checked_at": _iso(self.last_checked_at),
            "packages_seen": self.packages_seen,
            "auth_form": self.auth_form.value,
            "last_message": self.last_message,
            "session_only": self.session_only,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Account:
        """Raises KeyError, ValueError or TypeError on a record we cannot trust."""
        hint = str(data["key_hint"])
        if len(hint) != 4:
            raise ValueError("key_hint must be 4 characters")
        packages = data.get("packages_seen")
        linked_at = _parse_time(data["linked_at"])
        if linked_at is None:
            raise ValueError("linked_at is required")
        return cls(
            id=str(data["id"]),
            label=str(data["label"]),
            environment=Environment(data["environment"]),
            key_hint=hint,
            status=AccountStatus(data["status"]),
            linked_at=linked_at,
            last_checked_at=_parse_time(data.get("last_checked_at")),
            packages_seen=int(packages) if packages is not None else None,
            auth_form=AuthForm(data.get("auth_form", AuthForm.RAW.value)),
            last_message=str(data.get("last_message", "")),
        )
