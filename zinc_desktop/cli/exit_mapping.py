"""The one table of exit codes: for an error (with the line's prefix) and for a verdict, for
every command. The numbers themselves are in core/foundation/exit_codes.py."""

from __future__ import annotations

from zinc_desktop.cli.console import UsageError
from zinc_desktop.core.accounts.verification import Outcome
from zinc_desktop.core.foundation.errors import (
    ConfigError,
    EnvironmentUnreachable,
    InputRefused,
    KeyFormatError,
    KeyRejected,
    RequestRefused,
    UnknownAccount,
    ZincApiError,
)
from zinc_desktop.core.foundation.exit_codes import (
    EXIT_NO_ACCOUNT,
    EXIT_OK,
    EXIT_REJECTED,
    EXIT_UNREACHABLE,
    EXIT_USAGE,
)


def exit_code_for(error: BaseException) -> tuple[int, str]:
    """The exit code and the line's prefix for an error: the one mapping for every command.

    Only our own typed errors say "bad input" (2): a ValueError from anywhere else (a
    UnicodeEncodeError is one) is a surprise, exit 3.
    """
    if isinstance(error, UnknownAccount):
        return EXIT_NO_ACCOUNT, "error"
    if isinstance(error, KeyRejected):
        return EXIT_REJECTED, "rejected"
    if isinstance(error, RequestRefused):
        return EXIT_USAGE, "refused"
    if isinstance(error, UsageError | ConfigError | KeyFormatError | InputRefused):
        return EXIT_USAGE, "error"
    if isinstance(error, EnvironmentUnreachable):
        return EXIT_UNREACHABLE, "unreachable"
    if isinstance(error, ZincApiError):  # a 5xx, a 429, an answer we cannot read: as verify says
        return EXIT_UNREACHABLE, "server fault"
    return EXIT_UNREACHABLE, "error"


_FOR_OUTCOME = {
    Outcome.VALID: EXIT_OK,
    Outcome.REJECTED: EXIT_REJECTED,
    Outcome.WRONG_ENVIRONMENT: EXIT_REJECTED,  # a key of the other environment is no key here
    Outcome.UNREACHABLE: EXIT_UNREACHABLE,
    Outcome.SERVER_FAULT: EXIT_UNREACHABLE,
}


def exit_code_for_outcome(outcome: Outcome) -> int:
    """A verification's exit code: 0 valid, 1 rejected, 3 unreachable or server fault."""
    return _FOR_OUTCOME[outcome]
