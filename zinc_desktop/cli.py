"""The headless commands: one-line verdicts and the exit codes DESIGN.md promises."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import io
import json
import logging
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from zinc_desktop import __version__
from zinc_desktop.core.accounts import Account, AccountStatus
from zinc_desktop.core.api_key import ApiKey
from zinc_desktop.core.environments import Environment
from zinc_desktop.core.errors import (
    ConfigError,
    KeyFormatError,
    KeyRejected,
    RequestRefused,
    SecretStoreUnavailable,
    UnknownAccount,
    ZincApiError,
    ZincDesktopError,
)
from zinc_desktop.core.key_verification import Outcome, Verdict
from zinc_desktop.core.log_redaction import redact
from zinc_desktop.exit_codes import EXIT_OK, EXIT_REJECTED, EXIT_UNREACHABLE, EXIT_USAGE
from zinc_desktop.services import Services

log = logging.getLogger(__name__)

COMMANDS = ("verify", "link", "accounts", "unlink", "sandbox", "packages", "checks")

_VERDICT_WORD = {
    Outcome.VALID: "valid",
    Outcome.REJECTED: "rejected",
    Outcome.WRONG_ENVIRONMENT: "wrong environment",
    Outcome.UNREACHABLE: "unreachable",
    Outcome.SERVER_FAULT: "server fault",
}


class UsageError(Exception):
    """Bad input on the command line or stdin: exit 2."""


@dataclass
class Console:
    """Where the CLI reads and writes, so tests can run it in-process."""

    stdin: TextIO
    stdout: TextIO
    stderr: TextIO
    environ: Mapping[str, str]

    def say(self, text: str) -> None:
        print(text, file=self.stdout)

    def warn(self, text: str) -> None:
        print(text, file=self.stderr)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zinc-desktop",
        description="Link, prove and demo Zinc Partner API keys. No command: open the window.",
    )
    parser.add_argument("--version", action="version", version=f"zinc-desktop {__version__}")
    parser.add_argument(
        "--sandbox",
        action="store_true",
        help="serve Staging and Production from the built-in simulator on 127.0.0.1",
    )
    parser.add_argument(
        "--demo-seconds",
        type=float,
        default=60.0,
        help="with --sandbox: how long a simulated check's whole journey takes (default 60)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    env_help = "the Zinc environment the key was generated in"

    verify = commands.add_parser("verify", help="check a key (read from stdin or ZINC_API_KEY)")
    verify.add_argument(
        "--env", required=True, choices=[e.value for e in Environment], help=env_help
    )

    link = commands.add_parser("link", help="verify a key, then keep it in the OS keyring")
    link.add_argument("--env", required=True, choices=[e.value for e in Environment], help=env_help)
    link.add_argument("--label", help="a name for the account (default: environment and key hint)")

    accounts = commands.add_parser("accounts", help="list or re-test linked accounts")
    account_commands = accounts.add_subparsers(
        dest="accounts_command", metavar="ACTION", required=True
    )
    listing = account_commands.add_parser("list", help="the linked accounts, never a secret")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    retest = account_commands.add_parser("verify", help="re-test keys and update their status")
    which = retest.add_mutually_exclusive_group()
    which.add_argument("--all", action="store_true", help="every account (the default)")
    which.add_argument("id", nargs="?", help="one account id")

    unlink = commands.add_parser("unlink", help="remove an account's key and metadata")
    unlink.add_argument("id")

    sandbox = commands.add_parser("sandbox", help="run the simulator alone")
    sandbox.add_argument(
        "--port", type=int, default=8470, help="port on 127.0.0.1 (0: any free one)"
    )
    sandbox.add_argument(
        "--demo-seconds", type=float, default=60.0, help="how long a check's whole journey takes"
    )

    from zinc_desktop import demo_cli

    demo_cli.add_commands(commands)
    return parser


def read_key(console: Console) -> ApiKey:
    """The key from ZINC_API_KEY or stdin (hidden prompt on a terminal), never from argv."""
    text = console.environ.get("ZINC_API_KEY", "")
    if not text.strip():
        if console.stdin.isatty():
            text = getpass.getpass("Zinc API key (input hidden): ", stream=console.stderr)
        else:
            text = console.stdin.read(4096)
    if not text.strip():
        raise UsageError("No key given: pipe it on stdin or set ZINC_API_KEY.")
    try:
        return ApiKey.parse(text)
    except KeyFormatError as error:
        raise UsageError(f"Not a Zinc key: {error.reason}") from None


def verdict_line(verdict: Verdict) -> str:
    return f"{_VERDICT_WORD[verdict.outcome]}: {verdict.message}"


def _account_row(account: Account) -> str:
    checked = (
        account.last_checked_at.strftime("%Y-%m-%d %H:%M UTC")
        if account.last_checked_at
        else "never"
    )
    return (
        f"{account.id:<9} {account.environment.value:<11} {account.label[:32]:<33} "
        f"••••{account.key_hint:<5} {account.status.value:<15} {checked}"
    )


def _accounts_list(services: Services, console: Console, as_json: bool) -> int:
    accounts = services.links.accounts()
    if as_json:
        console.say(json.dumps([a.to_json() for a in accounts], indent=2))
        return EXIT_OK
    if not accounts:
        console.say("No linked accounts. Link one: zinc-desktop link --env staging < key.txt")
        return EXIT_OK
    console.say(
        f"{'ID':<9} {'ENVIRONMENT':<11} {'LABEL':<33} {'KEY':<9} {'STATUS':<15} LAST CHECKED"
    )
    for account in accounts:
        console.say(_account_row(account))
    return EXIT_OK


def _accounts_verify(services: Services, console: Console, account_id: str | None) -> int:
    targets = [services.links.account(account_id)] if account_id else services.links.accounts()
    if not targets:
        console.say("No linked accounts to verify.")
        return EXIT_OK
    all_valid = True
    for account in targets:
        updated = services.links.reverify(account.id)
        all_valid &= updated.status is AccountStatus.VERIFIED
        console.say(
            f"{updated.id}  {updated.status.value}: {updated.label}: {updated.last_message}"
        )
    return EXIT_OK if all_valid else EXIT_REJECTED


def _link(services: Services, console: Console, environment: Environment, label: str | None) -> int:
    key = read_key(console)
    try:
        result = services.links.link(environment, key, label)
    except ValueError as error:
        raise UsageError(str(error)) from None
    if result.account is None:
        console.say(verdict_line(result.verdict))
        return result.verdict.outcome.exit_code
    account = result.account
    if result.already_linked:
        console.say(
            f"valid: already linked in {environment.display_name} as account {account.id} "
            f"({account.label!r}); no second account was created."
        )
    else:
        console.say(
            f"linked: account {account.id} ({account.label!r}). {result.verdict.message} "
            f"The key is in {services.links.keyring_description()}."
        )
    return EXIT_OK


def _sandbox(console: Console, port: int, demo_seconds: float) -> int:
    from zinc_desktop.sandbox import DEMO_KEYS, SandboxServer

    try:
        server = SandboxServer(port=port, demo_seconds=demo_seconds)
    except OSError as error:
        raise UsageError(
            f"Cannot listen on 127.0.0.1:{port}: {error.strerror}. Try --port 0."
        ) from None
    console.say(f"Zinc sandbox on http://127.0.0.1:{server.port} (Ctrl+C stops it)")
    for environment in Environment:
        console.say(
            f"  {environment.value:<11} {server.base_url(environment)}  "
            f"demo key: {DEMO_KEYS[environment]}"
        )
    console.say("Point the app at it:")
    for environment in Environment:
        console.say(f"  export {environment.override_variable}={server.base_url(environment)}")
    console.say(
        f"Checks move through every status in {demo_seconds:g} s; an email with +attention "
        "in it shows the attention-needed branch."
    )
    console.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        console.say("Sandbox stopped.")
    finally:
        server.stop()
    return EXIT_OK


def dispatch(args: argparse.Namespace, services: Services, console: Console) -> int:
    if args.command == "verify":
        verdict = services.links.verifier.verify(Environment(args.env), read_key(console))
        console.say(verdict_line(verdict))
        return verdict.outcome.exit_code
    if args.command == "link":
        return _link(services, console, Environment(args.env), args.label)
    if args.command == "accounts" and args.accounts_command == "list":
        return _accounts_list(services, console, args.json)
    if args.command == "accounts":
        return _accounts_verify(services, console, args.id)
    if args.command == "unlink":
        account = services.unlink(args.id)
        console.say(f"unlinked: account {account.id} ({account.label!r}); its key was removed.")
        return EXIT_OK
    from zinc_desktop import demo_cli

    return demo_cli.dispatch(args, services, console)


def _parse(parser: argparse.ArgumentParser, argv: Sequence[str], console: Console) -> Any:
    """argparse's own output (help, usage errors) with key-shaped runs masked.

    A key pasted as an argument would otherwise be echoed in "unrecognized arguments: …".
    Returns the namespace, or the exit code argparse chose.
    """
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            return parser.parse_args(list(argv))
    except SystemExit as exit_:
        return int(exit_.code or 0)
    finally:
        console.stdout.write(redact(out.getvalue()))
        console.stderr.write(redact(err.getvalue()))


def exit_code_for(error: BaseException, command: str | None = None) -> tuple[int, str]:
    """The exit code and the line's prefix for an error: the one mapping for every command."""
    if isinstance(error, UnknownAccount):
        return (EXIT_REJECTED if command == "unlink" else EXIT_USAGE), "error"
    if isinstance(error, KeyRejected):
        return EXIT_REJECTED, "rejected"
    if isinstance(error, RequestRefused):
        return EXIT_USAGE, "refused"
    if isinstance(error, UsageError | ConfigError | KeyFormatError | ValueError):
        return EXIT_USAGE, "error"
    if isinstance(error, ZincApiError):
        return EXIT_UNREACHABLE, "unreachable"
    return EXIT_UNREACHABLE, "error"


def _report_failure(console: Console, error: BaseException, command: str | None) -> int:
    code, prefix = exit_code_for(error, command)
    if isinstance(error, ZincDesktopError | UsageError | ValueError):
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
    console.warn(redact(f"{prefix}: {' '.join(text.split())}"))
    return code


def run(
    argv: Sequence[str],
    console: Console,
    make_services: Callable[..., Services],
) -> int:
    """Parse and run one command; every failure becomes one line and an exit code."""
    parsed = _parse(build_parser(), argv, console)
    if isinstance(parsed, int):
        return parsed
    args: argparse.Namespace = parsed
    if args.command == "sandbox":
        try:
            return _sandbox(console, args.port, args.demo_seconds)
        except Exception as error:  # noqa: BLE001  # every failure becomes one line
            return _report_failure(console, error, args.command)
    try:
        services = make_services(args.sandbox, args.demo_seconds)
    except Exception as error:  # noqa: BLE001
        return _report_failure(console, error, args.command)
    try:
        code = dispatch(args, services, console)
        for notice in services.links.take_notices():
            console.warn(redact(f"notice: {notice}"))
        return code
    except Exception as error:  # noqa: BLE001
        return _report_failure(console, error, args.command)
    finally:
        services.close()


def standard_console(environ: Mapping[str, str]) -> Console:
    return Console(sys.stdin, sys.stdout, sys.stderr, environ)
