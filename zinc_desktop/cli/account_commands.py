"""Account commands: verify, link, accounts list/verify, unlink, and the simulator on its own."""

from __future__ import annotations

import argparse
import json
from typing import Any

from zinc_desktop.cli.console import Console, UsageError, read_key
from zinc_desktop.command_line import demo_seconds, port
from zinc_desktop.core.accounts import Account, AccountStatus
from zinc_desktop.core.environments import Environment
from zinc_desktop.core.key_verification import Outcome, Verdict
from zinc_desktop.core.log_redaction import redact
from zinc_desktop.core.time_text import local_time
from zinc_desktop.exit_codes import EXIT_OK, EXIT_REJECTED
from zinc_desktop.services import Services

_VERDICT_WORD = {
    Outcome.VALID: "valid",
    Outcome.REJECTED: "rejected",
    Outcome.WRONG_ENVIRONMENT: "wrong environment",
    Outcome.UNREACHABLE: "unreachable",
    Outcome.SERVER_FAULT: "server fault",
}
ENV_HELP = "the Zinc environment the key was generated in"


def register(commands: Any) -> None:
    """Add these commands to the top-level subparsers; each sets its own handler."""
    environments = [e.value for e in Environment]
    verify = commands.add_parser("verify", help="check a key (read from stdin or ZINC_API_KEY)")
    verify.add_argument("--env", required=True, choices=environments, help=ENV_HELP)
    verify.set_defaults(handler=verify_key)

    link = commands.add_parser("link", help="verify a key, then keep it in the OS keyring")
    link.add_argument("--env", required=True, choices=environments, help=ENV_HELP)
    link.add_argument("--label", help="a name for the account (default: environment and key hint)")
    link.set_defaults(handler=link_key)

    accounts = commands.add_parser("accounts", help="list or re-test linked accounts")
    actions = accounts.add_subparsers(dest="accounts_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="the linked accounts, never a secret")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    listing.set_defaults(handler=list_accounts)
    retest = actions.add_parser("verify", help="re-test keys and update their status")
    which = retest.add_mutually_exclusive_group()
    which.add_argument("--all", action="store_true", help="every account (the default)")
    which.add_argument("id", nargs="?", help="one account id")
    retest.set_defaults(handler=verify_accounts)

    unlink = commands.add_parser("unlink", help="remove an account's key and metadata")
    unlink.add_argument("id")
    unlink.set_defaults(handler=unlink_account)

    sandbox = commands.add_parser("sandbox", help="run the simulator alone")
    sandbox.add_argument(
        "--port", type=port, default=8470, help="port on 127.0.0.1 (0: any free one)"
    )
    sandbox.add_argument(
        "--demo-seconds",
        type=demo_seconds,
        default=60.0,
        help="how long a check's whole journey takes",
    )
    sandbox.set_defaults(handler=None, standalone=run_sandbox)


def verdict_line(verdict: Verdict) -> str:
    # Core scrubs verdicts already; masking key-shaped text once more costs nothing.
    return redact(f"{_VERDICT_WORD[verdict.outcome]}: {verdict.message}")


def verify_key(args: argparse.Namespace, services: Services, console: Console) -> int:
    verdict = services.links.verifier.verify(Environment(args.env), read_key(console))
    console.say(verdict_line(verdict))
    return verdict.outcome.exit_code


def link_key(args: argparse.Namespace, services: Services, console: Console) -> int:
    environment = Environment(args.env)
    key = read_key(console)
    result = services.links.link(environment, key, args.label)
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


def _account_row(account: Account) -> str:
    return (
        f"{account.id:<9} {account.environment.value:<11} {account.label[:32]:<33} "
        f"••••{account.key_hint:<5} {account.status.value:<15} "
        f"{local_time(account.last_checked_at)}"
    )


def list_accounts(args: argparse.Namespace, services: Services, console: Console) -> int:
    accounts = services.links.reconcile()  # one keyring enumeration, no secret read
    if args.json:
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


def verify_accounts(args: argparse.Namespace, services: Services, console: Console) -> int:
    """Re-test one account, or all of them on the same lane as the window (8 at a time)."""
    account_id: str | None = args.id
    targets = [services.links.account(account_id)] if account_id else services.links.accounts()
    if not targets:
        console.say("No linked accounts to verify.")
        return EXIT_OK
    lines: dict[str, str] = {}

    def report(account_id: str, outcome: Account | BaseException) -> None:
        if isinstance(outcome, Account):
            line = f"{outcome.status.value}: {outcome.label}: {outcome.last_message}"
        else:
            line = f"error: {' '.join(str(outcome).split())}"
        lines[account_id] = redact(f"{account_id}  {line}")

    results = services.links.reverify_many([a.id for a in targets], on_result=report)
    for account in targets:  # in listing order, whatever order they finished in
        console.say(lines[account.id])
    all_valid = all(
        isinstance(result, Account) and result.status is AccountStatus.VERIFIED
        for result in results.values()
    )
    return EXIT_OK if all_valid else EXIT_REJECTED


def unlink_account(args: argparse.Namespace, services: Services, console: Console) -> int:
    account = services.unlink(args.id)
    console.say(f"unlinked: account {account.id} ({account.label!r}); its key was removed.")
    return EXIT_OK


def run_sandbox(args: argparse.Namespace, console: Console) -> int:
    """The simulator alone, in the foreground; needs no services, no keyring, no data folder."""
    from zinc_desktop.sandbox import DEMO_KEYS, SandboxServer

    try:
        server = SandboxServer(port=args.port, demo_seconds=args.demo_seconds)
    except OSError as error:
        raise UsageError(
            f"Cannot listen on 127.0.0.1:{args.port}: {error.strerror}. Try --port 0."
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
        f"Checks move through every status in {args.demo_seconds:g} s; an email with +attention "
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
