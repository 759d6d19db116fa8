"""A simulated check's id holds what a fresh simulator needs to tell its story again.

    chk-<s|p>-<start, ms since the epoch, 8 to 12 hex digits>-<outcome><package><random>

`outcome` is one letter (CheckOutcome.letter: c clear, r consider, a attention, w withdrawn),
`package` two hex digits (its place in catalogue.PACKAGES of that environment; ff: not there),
`random` six hex digits, e.g. chk-s-19a4c2b1f00-r01c3d9e2. A simulator that restarts, or a
one-shot `--sandbox` command (a new simulator each), rebuilds the check from its id alone.
Ids from before outcomes and packages were encoded (chk-s-<ms>-<a|c><6 hex>: the attention
branch or all clear, package not said) are still read.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.sandbox.catalogue import package_at, package_index
from zinc_desktop.sandbox.outcomes import CheckOutcome

UNKNOWN_PACKAGE = 0xFF
_LETTERS = "".join(outcome.letter for outcome in CheckOutcome)
_ID = re.compile(
    r"^chk-(?P<env>[sp])-(?P<ms>[0-9a-f]{8,12})-"
    rf"(?:(?P<letter>[{_LETTERS}])(?P<package>[0-9a-f]{{2}})[0-9a-f]{{6}}"
    r"|(?P<old>[ac])[0-9a-f]{6})$"  # an id from before outcomes and packages
)
_ENVIRONMENTS = {environment.value[0]: environment for environment in Environment}
_LARGEST_MS = 16**12 - 1


@dataclass(frozen=True)
class CheckIdParts:
    environment: Environment
    started_at: float  # real-clock seconds, to the millisecond
    outcome: CheckOutcome
    package_id: str  # "" when the id does not say (an older id, or a package not catalogued)


def new_check_id(
    environment: Environment, started_at: float, outcome: CheckOutcome, package_id: str
) -> str:
    """A fresh id for a check started at `started_at` (real-clock seconds)."""
    ms = min(max(int(started_at * 1000), 0), _LARGEST_MS)
    index = package_index(environment, package_id)
    package = UNKNOWN_PACKAGE if index is None or index >= UNKNOWN_PACKAGE else index
    return (
        f"chk-{environment.value[0]}-{ms:08x}-{outcome.letter}{package:02x}{secrets.token_hex(3)}"
    )


_LAST_SECOND = 253_402_300_799  # 9999-12-31T23:59:59Z: the last moment a time can show


def read_check_id(check_id: str) -> CheckIdParts | None:
    """What the id says; None when it is not a simulated check's id."""
    match = _ID.match(check_id)
    if match is None:
        return None
    environment = _ENVIRONMENTS[match["env"]]
    started_at = int(match["ms"], 16) / 1000
    if not 0 <= started_at < _LAST_SECOND:
        return None  # no check started after the calendar ends: not one of ours
    if match["old"] is not None:
        old = CheckOutcome.ATTENTION if match["old"] == "a" else CheckOutcome.CLEAR
        return CheckIdParts(environment, started_at, old, "")
    outcome = CheckOutcome.from_letter(match["letter"])
    if outcome is None:
        return None
    return CheckIdParts(
        environment, started_at, outcome, package_at(environment, int(match["package"], 16))
    )
