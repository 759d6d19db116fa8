"""Parses a command, runs it, and turns every outcome into one line and an exit code."""

from __future__ import annotations

import argparse
import contextlib
import io
import logging
from collections.abc import Sequence
from typing import Any

from zinc_desktop import __version__
from zinc_desktop.cli import account_commands, demo_commands, webhook_commands
from zinc_desktop.cli.console import Console, UsageError
from zinc_desktop.cli.exit_mapping import exit_code_for
from zinc_desktop.cli.purge_command import register as register_purge
from zinc_desktop.command_line import ArgumentProblem, OneLineParser, add_window_options
from zinc_desktop.core.foundation.errors import (
    SecretStoreUnavailable,
    ZincDesktopError,
)
from zinc_desktop.core.foundation.exit_codes import (
    EXIT_CLOSED_PIPE,
    EXIT_USAGE,
)
from zinc_desktop.core.foundation.log_redaction import redact
from zinc_desktop.core.foundation.time_text import zone_problem
from zinc_desktop.services import ServicesFactory

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="zinc-desktop",
        description="Link, prove and demo Zinc Partner API keys. No command: open the window.",
    )
    parser.add_argument("--version", action="version", version=f"zinc-desktop {__version__}")
    add_window_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    account_commands.register(commands)
    demo_commands.register(commands)
    webhook_commands.register(commands)
    register_purge(commands)
    return parser


def _parse(parser: argparse.ArgumentParser, argv: Sequence[str], console: Console) -> Any:
    """argparse's own output (help, version) with key-shaped runs masked; a usage error is
    one line, `error: … (see zinc-desktop … --help)`, exit 2.

    A key pasted as an argument would otherwise be echoed in "unrecognized arguments: …".
    Returns the namespace, or the exit code.
    """
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            return parser.parse_args(list(argv))
    except ArgumentProblem as problem:
        console.warn(redact(f"error: {' '.join(str(problem).split())}"))
        return EXIT_USAGE
    except SystemExit as exit_:
        return int(exit_.code or 0)
    finally:
        console.stdout.write(redact(out.getvalue()))
        console.stderr.write(redact(err.getvalue()))


def _report_failure(
    console: Console, error: BaseException, command: str | None, *, as_json: bool = False
) -> int:
    if isinstance(error, BrokenPipeError):  # the reader went away (`| head`): end quietly
        console.reader_gone()
        return EXIT_CLOSED_PIPE
    code, prefix = exit_code_for(error)
    if isinstance(error, ZincDesktopError | UsageError):
        text = str(error)
        if isinstance(error, SecretStoreUnavailable) and command in ("link", "checks"):
            text += " Nothing was stored."
    else:
        # Not one of ours: a bug or a library surprise. One line here, the details in the log.
        log.error("unexpected failure in %r", command, exc_info=error)
        text = (
            f"unexpected failure ({type(error).__name__}); nothing more was done. "
            "The details are in the log."
        )
    line = redact(f"{prefix}: {' '.join(text.split())}")
    with contextlib.suppress(OSError):  # stderr gone too: the exit code says it all
        console.warn(line)
        if as_json:  # a script reading stdout gets the failure as JSON too
            console.say_json({"error": {"exit": code, "kind": prefix, "message": line}})
    return code


def run(
    argv: Sequence[str],
    console: Console,
    make_services: ServicesFactory,
) -> int:
    """Parse and run one command; every failure becomes one line and an exit code, and a
    reader that went away (`| head`) ends it quietly."""
    try:
        return _run(argv, console, make_services)
    except BrokenPipeError:
        console.reader_gone()
        return EXIT_CLOSED_PIPE


def _run(argv: Sequence[str], console: Console, make_services: ServicesFactory) -> int:
    parsed = _parse(build_parser(), argv, console)
    if isinstance(parsed, int):
        console.finish()
        return parsed
    args: argparse.Namespace = parsed
    if args.command is None:
        console.warn("error: no command given; see zinc-desktop --help (no command: the window).")
        return EXIT_USAGE
    as_json = bool(args.json)
    if args.present:
        return _report_failure(
            console,
            UsageError("--present opens the window; it does not go with a command."),
            args.command,
            as_json=as_json,
        )
    if args.handler is None:  # the simulator alone: no services, keyring or data folder
        try:
            code: int = args.standalone(args, console)
            return code
        except Exception as error:  # noqa: BLE001  # every failure becomes one line
            return _report_failure(console, error, args.command, as_json=as_json)
    try:
        services = make_services(args.sandbox, args.demo_seconds)
    except Exception as error:  # noqa: BLE001
        return _report_failure(console, error, args.command, as_json=as_json)
    try:
        code = args.handler(args, services, console)
        notices = services.links.take_notices() + services.history.take_notices()
        for notice in [*notices, zone_problem()]:
            if notice:
                console.warn(redact(f"notice: {notice}"))
        console.finish()
        return code
    except Exception as error:  # noqa: BLE001
        return _report_failure(console, error, args.command, as_json=as_json)
    finally:
        services.close()
