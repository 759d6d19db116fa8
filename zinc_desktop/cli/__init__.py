"""The headless commands: one-line verdicts and the exit codes DESIGN.md promises."""

from zinc_desktop.cli.console import Console, UsageError, standard_console
from zinc_desktop.cli.exit_mapping import exit_code_for
from zinc_desktop.cli.runner import build_parser, run
from zinc_desktop.core.foundation.exit_codes import COMMANDS

__all__ = [
    "COMMANDS",
    "Console",
    "UsageError",
    "build_parser",
    "exit_code_for",
    "run",
    "standard_console",
]
