"""How each command presents itself: what it does, where its key comes from, its exit codes;
and the options every command takes (`--sandbox` before or after the command, `--json`)."""

from __future__ import annotations

import argparse
from typing import Any

KEY_SOURCE = (
    "The key is read from stdin (a hidden prompt on a terminal) or from ZINC_API_KEY, never "
    "from the command line, where other users and the shell history could read it."
)
STORED_KEY = "The account's key comes from the OS keyring; nothing is typed."
ACCOUNT_ID = "ID is an account's id, a unique start of it, or its exact label (see: accounts list)."
VERIFY_EXITS = (
    "exit status: 0 valid, 1 rejected (or a key of the other environment), 2 bad input, "
    "3 Zinc unreachable or at fault (or the keyring or a data file unusable)"
)
ACCOUNT_EXITS = VERIFY_EXITS + ", 4 no account has that id"


def add_command(
    commands: Any,
    name: str,
    *,
    summary: str,
    details: str,
    exits: str,
    json_help: str | None = "print a JSON object (or array) instead of text",
) -> argparse.ArgumentParser:
    """A subcommand whose --help says what it does, where the key comes from and how it exits.

    It takes --sandbox after the command as well as before it, and --json unless `json_help`
    is None.
    """
    parser: argparse.ArgumentParser = commands.add_parser(
        name,
        help=summary,
        description=f"{summary[0].upper()}{summary[1:]}. {details}",
        epilog=exits,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_anywhere_options(parser, json_help)
    return parser


def add_anywhere_options(
    parser: argparse.ArgumentParser,
    json_help: str | None = "print a JSON object (or array) instead of text",
) -> None:
    """--sandbox and --json, taken before the command, after it, or between its words: each
    level leaves the value alone unless it is given there."""
    parser.add_argument(
        "--sandbox",
        action="store_true",
        default=argparse.SUPPRESS,
        help="serve Staging and Production from the built-in simulator for this run",
    )
    if json_help is not None:
        parser.add_argument(
            "--json", action="store_true", default=argparse.SUPPRESS, help=json_help
        )
