"""Checks started from this app, remembered across restarts; never a candidate's details."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.core.foundation.time_text import parse_stored_time
from zinc_desktop.core.storage.json_document import DamagedDocument, JsonDocument
from zinc_desktop.core.zinc.api import CheckStatus

SCHEMA = 1


def check_time() -> datetime:
    """Full precision, so two checks started within a second still sort newest first."""
    return datetime.now(UTC)


class CheckOrigin(StrEnum):
    """Started from this app, or elsewhere (the integration being demoed) and only watched here."""

    HERE = "here"
    ELSEWHERE = "elsewhere"


@dataclass(frozen=True)
class CheckRecord:
    """One check started from this app, as the history keeps it."""

    id: str
    account_id: str
    environment: Environment
    package_id: str
    package_name: str
    status: CheckStatus
    started_at: datetime
    updated_at: datetime
    origin: CheckOrigin = CheckOrigin.HERE

    @property
    def started_elsewhere(self) -> bool:
        return self.origin is CheckOrigin.ELSEWHERE

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "account_id": self.account_id,
            "environment": self.environment.value,
            "package_id": self.package_id,
            "package_name": self.package_name,
            "status": self.status.value,
            "started_at": self.started_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "origin": self.origin.value,
        }

    @classmethod
    def from_json(cls, data: Any) -> CheckRecord:
        """Raises KeyError, ValueError or TypeError on a record we cannot trust."""
        if not isinstance(data, dict):
            raise TypeError("a check must be a JSON object")

        def text(name: str, default: str | None = None) -> str:
            value = data[name] if default is None else data.get(name, default)
            if not isinstance(value, str):
                raise TypeError(f"{name} must be a text, not {type(value).__name__}")
            return value

        def moment(name: str) -> datetime:
            return parse_stored_time(text(name))  # UTC: comparable with every other

        check_id = text("id")
        if not check_id:
            raise ValueError("a check needs an id")
        return cls(
            id=check_id,
            account_id=text("account_id"),
            environment=Environment(text("environment")),
            package_id=text("package_id"),
            package_name=text("package_name", ""),
            status=CheckStatus(text("status")),
            started_at=moment("started_at"),
            updated_at=moment("updated_at"),
            origin=CheckOrigin(text("origin", CheckOrigin.HERE.value)),
        )


def newest_first(records: Iterable[CheckRecord]) -> list[CheckRecord]:
    """By start time, newest first; among equal times, the one added last first."""
    ordered = sorted(enumerate(records), key=lambda pair: (pair[1].started_at, pair[0]))
    return [record for _, record in reversed(ordered)]


def _decode(document: dict[str, Any]) -> list[CheckRecord]:
    records = document.get("checks")
    if not isinstance(records, list):
        raise DamagedDocument("no list of checks")
    checks = [CheckRecord.from_json(record) for record in records]
    if len({check.id for check in checks}) != len(checks):
        raise DamagedDocument("two checks share an id")
    return checks


def _encode(records: list[CheckRecord]) -> dict[str, Any]:
    return {"checks": [record.to_json() for record in records]}


class CheckHistory:
    """checks.json: the same guarantees as the account store."""

    def __init__(self, path: Path) -> None:
        self._document: JsonDocument[list[CheckRecord]] = JsonDocument(
            path, schema=SCHEMA, decode=_decode, empty=list, encode=_encode
        )

    def take_notices(self) -> list[str]:
        """What recovery did since the last call (a damaged checks.json), to tell the user once."""
        notices, self._document.notices = self._document.notices, []
        return notices

    def for_account(self, account_id: str) -> list[CheckRecord]:
        """Newest first."""
        return newest_first(r for r in self._document.read() if r.account_id == account_id)

    def find(self, check_id: str) -> CheckRecord | None:
        """The record of a check, whichever account it belongs to."""
        return next((r for r in self._document.read() if r.id == check_id), None)

    def add(self, record: CheckRecord) -> None:
        """Keep `record`. A check already known (by id) keeps its first record and owner: a
        check is read only with its own account's key, so ownership never moves."""
        with self._document.update() as box:
            if all(r.id != record.id for r in box[0]):
                box[0] = [*box[0], record]

    def update_status(self, check_id: str, status: CheckStatus) -> CheckRecord | None:
        """The check's record with `status`, stamped when it changed; a poll that finds the
        status as it was writes nothing (None: not one of ours)."""
        with self._document.update() as box:
            for index, record in enumerate(box[0]):
                if record.id == check_id:
                    if record.status is not status:
                        box[0][index] = replace(record, status=status, updated_at=check_time())
                    return box[0][index]
        return None

    def forget_account(self, account_id: str) -> None:
        """Forget every check of the account, in the backup and any damaged copy too."""
        with self._document.update(forgetting=True) as box:
            box[0] = [r for r in box[0] if r.account_id != account_id]
        self._document.forget_in_quarantine(account_id)
