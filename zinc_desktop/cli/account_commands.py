"""Account commands: verify, link, accounts list/verify, unlink, and the simulator on its own."""

from __future__ import annotations

import argparse
from typing import Any

from zinc_desktop.cli.command_help import (
    ACCOUNT_ID,
    KEY_SOURCE,
    STORED_KEY,
    VERIFY_EXITS,
    add_anywhere_options,
    add_command,
)
from zinc_desktop.cli.console import Console, UsageError, read_key
from zinc_desktop.cli.exit_mapping import exit_code_for, exit_code_for_outcome
from zinc_desktop.command_line import demo_seconds, port
from zinc_desktop.core.accounts.columns import Column
from zinc_desktop.core.accounts.csv_export import accounts_csv
from zinc_desktop.core.accounts.linking import LinkResult
from zinc_desktop.core.accounts.model import Account, AccountStatus
from zinc_desktop.core.accounts.verification import Outcome, Verdict
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.core.foundation.exit_codes import EXIT_OK, EXIT_REJECTED
from zinc_desktop.core.foundation.log_redaction import redact
from zinc_desktop.core.foundation.time_text import local_time
from zinc_desktop.core.operations.accounts import Link, ReplaceKey, RetestMany, Unlink, Verify
from zinc_desktop.sandbox.outcomes import CheckOutcome
from zinc_desktop.services import Services

_VERDICT_WORD = {
    Outcome.VALID: "valid",
    Outcome.REJECTED: "rejected",
    Outcome.WRONG_ENVIRONMENT: "wrong environment",
    Outcome.UNREACHABLE: "unreachable",
    Outcome.SERVER_FAULT: "server fault",
}
ENV_HELP = "the Zinc environment the key was generated in"
OUTCOME_WORDS = ", ".join(f"{o.value} ({o.label.lower()})" for o in CheckOutcome)


def register(commands: Any) -> None:
    """Add these commands to the top-level subparsers; each sets its own handler."""
    environments = [e.value for e in Environment]
    verify = add_command(
        commands,
        "verify",
        summary="check a key with a read-only call to Zinc",
        details=f"Nothing is stored. {KEY_SOURCE}",
        exits=VERIFY_EXITS,
    )
    verify.add_argument("--env", required=True, choices=environments, help=ENV_HELP)
    verify.set_defaults(handler=verify_key)

    link = add_command(
        commands,
        "link",
        summary="verify a key, then keep it in the OS keyring",
        details=(
            "The key is stored only once Zinc has accepted it; a key already linked in that "
            f"environment creates no second account. {KEY_SOURCE}"
        ),
        exits=VERIFY_EXITS,
    )
    link.add_argument("--env", required=True, choices=environments, help=ENV_HELP)
    link.add_argument("--label", help="a name for the account (default: environment and key hint)")
    link.set_defaults(handler=link_key)

    accounts = commands.add_parser(
        "accounts",
        help="list or re-test linked accounts",
        description="List or re-test the linked accounts.",
    )
    add_anywhere_options(accounts)
    actions = accounts.add_subparsers(dest="accounts_command", metavar="ACTION", required=True)
    listing = add_command(
        actions,
        "list",
        summary="list the linked accounts, never a secret",
        details=(
            "Reads the account list and asks the keyring only which keys it holds (no key is "
            "read). --json prints an array of objects: id, label, environment, key_hint (the "
            "last 4 characters), status, linked_at, last_checked_at (ISO 8601, UTC), "
            "packages_seen, auth_form, last_message, session_only. --csv prints CSV for a "
            "spreadsheet (UTF-8, no byte-order mark, CRLF line ends): id, label, environment, "
            "status, key_ending (••••8cef), linked_at, last_checked_at, last_message; a cell "
            "that would start a formula (= + - @) begins with ', and anything shaped like a "
            "key is masked. Redirect it to a file: zinc-desktop accounts list --csv > "
            "accounts.csv."
        ),
        exits="exit status: 0; 2 --csv with --json; 3 the keyring or the account list unusable",
        json_help="print a JSON array",
    )
    listing.add_argument(
        "--csv", action="store_true", help="print CSV for a spreadsheet (not with --json)"
    )
    listing.set_defaults(handler=list_accounts)
    retest = add_command(
        actions,
        "verify",
        summary="re-test keys with Zinc and record each status",
        details=f"8 at a time. {STORED_KEY} {ACCOUNT_ID}",
        exits=(
            "exit status: 0 every account valid, 1 any not, 2 bad input, "
            "3 the keyring or the account list unusable, 4 no account has that id"
        ),
        json_help="print a JSON array: one object per account (its fields, or id and error)",
    )
    which = retest.add_mutually_exclusive_group()
    which.add_argument("--all", action="store_true", help="every account (the default)")
    which.add_argument("id", nargs="?", help="one account")
    retest.set_defaults(handler=verify_accounts)

    replace = add_command(
        actions,
        "replace-key",
        summary="give an account a new key (rotated, rejected or missing)",
        details=(
            "The new key is proven in the account's own environment first (a key of the other "
            "environment gets the wrong-environment verdict), then kept in place of the old one; "
            f"the account keeps its id, label and checks. {KEY_SOURCE} {ACCOUNT_ID} --json "
            "prints what link --json prints."
        ),
        exits=VERIFY_EXITS + ", 4 no account has that id",
    )
    replace.add_argument("id", help="the account")
    replace.set_defaults(handler=replace_key)

    unlink = add_command(
        commands,
        "unlink",
        summary="remove an account's key from the keyring, then its metadata and checks",
        details=f"Nothing of it stays, not in the backups either. {ACCOUNT_ID}",
        exits=(
            "exit status: 0 unlinked, 2 bad input (an id several accounts start with), "
            "3 the keyring or the account list unusable, 4 no account has that id"
        ),
    )
    unlink.add_argument("id", help="the account")
    unlink.set_defaults(handler=unlink_account)

    sandbox = add_command(
        commands,
        "sandbox",
        summary="run the simulator of Zinc's two environments alone, until Ctrl+C",
        details=(
            "Prints its base URLs and demo keys (the simulator's own, never a real secret). "
            f"Each check ends as --outcome says: {OUTCOME_WORDS}. One check ends otherwise "
            "when its candidate's email has a tag: ada+consider@example.com (+clear, "
            "+consider, +attention, +withdrawn). "
            "--json prints an object with listening, base_urls, demo_keys, demo_seconds and "
            "outcome."
        ),
        exits="exit status: 0 stopped with Ctrl+C, 2 the port cannot be used",
        json_help="print where it listens as one JSON object",
    )
    sandbox.add_argument(
        "--port", type=port, default=8470, help="port on 127.0.0.1 (0: any free one)"
    )
    sandbox.add_argument(
        "--demo-seconds",
        type=demo_seconds,
        default=60.0,
        help="how long a check's whole journey takes",
    )
    sandbox.add_argument(
        "--outcome",
        choices=[outcome.value for outcome in CheckOutcome],
        default=CheckOutcome.CLEAR.value,
        help="how each check ends unless chosen for it (default: clear)",
    )
    sandbox.set_defaults(handler=None, standalone=run_sandbox)


def verdict_line(verdict: Verdict) -> str:
    # Core scrubs verdicts already; masking key-shaped text once more costs nothing.
    return redact(f"{_VERDICT_WORD[verdict.outcome]}: {verdict.message}")


def verdict_json(verdict: Verdict) -> dict[str, Any]:
    return {
        "verdict": verdict.outcome.value,
        "environment": verdict.environment.value,
        "key_hint": verdict.key_hint,
        "message": redact(verdict.message),
        "packages_found": verdict.packages_found,
        "auth_form": verdict.auth_form.value if verdict.auth_form else None,
        "belongs_to": verdict.belongs_to.value if verdict.belongs_to else None,
    }


def verify_key(args: argparse.Namespace, services: Services, console: Console) -> int:
    verdict = Verify(Environment(args.env), read_key(console)).run(services.context)
    if args.json:
        console.say_json(verdict_json(verdict))
    else:
        console.say(verdict_line(verdict))
    return exit_code_for_outcome(verdict.outcome)


def link_key(args: argparse.Namespace, services: Services, console: Console) -> int:
    environment = Environment(args.env)
    key = read_key(console)
    result = Link(environment, key, args.label).run(services.context)
    if args.json:
        console.say_json(_link_json(result, services))
    elif result.account is None:
        console.say(verdict_line(result.verdict))
    elif result.already_linked:
        account = result.account
        console.say(
            f"valid: already linked in {environment.display_name} as account {account.id} "
            f"({account.label!r}); no second account was created."
        )
    else:
        account = result.account
        console.say(
            f"linked: account {account.id} ({account.label!r}). {result.verdict.message} "
            f"The key is in {services.links.keyring_description() or 'the keyring'}."
        )
    return EXIT_OK if result.account is not None else exit_code_for_outcome(result.verdict.outcome)


def replace_key(args: argparse.Namespace, services: Services, console: Console) -> int:
    account = services.links.find(args.id)
    result = ReplaceKey(account.id, read_key(console)).run(services.context)
    if args.json:
        console.say_json(_link_json(result, services))
    elif result.account is None:
        console.say(verdict_line(result.verdict))
    else:
        console.say(
            f"replaced: account {account.id} ({account.label!r}) now holds the key ending in "
            f"{result.account.key_hint}. {result.verdict.message}"
        )
    return EXIT_OK if result.account is not None else exit_code_for_outcome(result.verdict.outcome)


def _link_json(result: LinkResult, services: Services) -> dict[str, Any]:
    return {
        **verdict_json(result.verdict),
        "linked": result.account is not None,
        "already_linked": result.already_linked,
        "account": result.account.to_json() if result.account else None,
        "keyring": services.links.keyring_description() if result.account else None,
    }


def _head(column: Column) -> str:
    return column.header.upper()


def _account_row(account: Account) -> str:
    return (
        f"{account.id:<9} {account.environment.value:<11} {account.label[:32]:<33} "
        f"••••{account.key_hint:<5} {account.status.value:<15} "
        f"{local_time(account.last_checked_at)}"
    )


def list_accounts(args: argparse.Namespace, services: Services, console: Console) -> int:
    if args.csv and args.json:
        raise UsageError(
            "--csv and --json do not go together: choose one (--csv for a spreadsheet, "
            "--json for a script)."
        )
    accounts = services.links.reconcile()  # one keyring enumeration, no secret read
    if args.csv:
        console.say_exactly(accounts_csv(accounts))
        return EXIT_OK
    if args.json:
        console.say_json([a.to_json() for a in accounts])
        return EXIT_OK
    if not accounts:
        console.say("No linked accounts. Link one: zinc-desktop link --env staging < key.txt")
        return EXIT_OK
    console.say(
        f"{'ID':<9} {_head(Column.ENVIRONMENT):<11} {_head(Column.LABEL):<33} "
        f"{_head(Column.KEY):<9} {_head(Column.STATUS):<15} {_head(Column.LAST_CHECKED)}"
    )
    for account in accounts:
        console.say(_account_row(account))
    return EXIT_OK


def verify_accounts(args: argparse.Namespace, services: Services, console: Console) -> int:
    """Re-test one account, or all of them on the same lane as the window (8 at a time)."""
    targets = [services.links.find(args.id)] if args.id else services.links.accounts()
    if not targets:
        if args.json:
            console.say_json([])
        else:
            console.say("No linked accounts to verify.")
        return EXIT_OK
    lines: dict[str, str] = {}

    def report(account_id: str, outcome: Account | BaseException) -> None:
        if isinstance(outcome, Account):
            line = f"{outcome.status.value}: {outcome.label}: {outcome.last_message}"
        else:
            line = f"error: {' '.join(str(outcome).split())}"
        lines[account_id] = redact(f"{account_id}  {line}")

    results = RetestMany([a.id for a in targets], on_result=report).run(services.context)
    if not args.json:
        for account in targets:  # in listing order, whatever order they finished in
            console.say(lines[account.id])
    else:
        console.say_json(
            [
                result.to_json()
                if isinstance(result, Account)
                else {"id": account.id, "error": redact(" ".join(str(result).split()))}
                for account in targets
                if (result := results.get(account.id)) is not None
            ]
        )
    failures = [r for r in results.values() if isinstance(r, BaseException)]
    if failures:  # the keyring or a data file failed (not Zinc's verdict): as every command says
        return exit_code_for(failures[0])[0]
    all_valid = all(
        isinstance(result, Account) and result.status is AccountStatus.VERIFIED
        for result in results.values()
    )
    return EXIT_OK if all_valid else EXIT_REJECTED


def unlink_account(args: argparse.Namespace, services: Services, console: Console) -> int:
    account = Unlink([services.links.find(args.id).id]).one(services.context)
    if args.json:
        console.say_json({"unlinked": account.to_json()})
    else:
        console.say(f"unlinked: account {account.id} ({account.label!r}); its key was removed.")
    return EXIT_OK


def run_sandbox(args: argparse.Namespace, console: Console) -> int:
    """The simulator alone, in the foreground; needs no services, no keyring, no data folder."""
    from zinc_desktop.sandbox import DEMO_KEYS, SandboxServer

    outcome = CheckOutcome(args.outcome)
    try:
        server = SandboxServer(port=args.port, demo_seconds=args.demo_seconds, outcome=outcome)
    except OSError as error:
        raise UsageError(
            f"Cannot listen on 127.0.0.1:{args.port}: {error.strerror}. Try --port 0."
        ) from None
    if args.json:
        console.say_json(  # one line: a script reads it with one readline
            {
                "listening": f"http://127.0.0.1:{server.port}",
                "base_urls": {e.value: server.base_url(e) for e in Environment},
                "demo_keys": {e.value: DEMO_KEYS[e] for e in Environment},
                "signing_tokens": {e.value: server.signing_token(e) for e in Environment},
                "demo_seconds": args.demo_seconds,
                "outcome": outcome.value,
            },
            one_line=True,
        )
    else:
        _describe_sandbox(server, args.demo_seconds, outcome, console)
    console.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        if not args.json:
            console.say("Sandbox stopped.")
    finally:
        server.stop()
    return EXIT_OK


def _describe_sandbox(server: Any, seconds: float, outcome: CheckOutcome, console: Console) -> None:
    from zinc_desktop.sandbox import DEMO_KEYS

    console.say(f"Zinc sandbox on http://127.0.0.1:{server.port} (Ctrl+C stops it)")
    for environment in Environment:
        console.say(
            f"  {environment.value:<11} {server.base_url(environment)}  "
            f"demo key: {DEMO_KEYS[environment]}"
        )
    console.say("Webhook signing tokens (public, for the simulator only):")
    for environment in Environment:
        console.say(f"  {environment.value:<11} {server.signing_token(environment)}")
    console.say("Point the app at it:")
    for environment in Environment:
        console.say(f"  export {environment.override_variable}={server.base_url(environment)}")
    others = ", ".join(o.value for o in CheckOutcome if o is not outcome)
    console.say(
        f"Checks move through every status in {seconds:g} s and end: {outcome.label.lower()} "
        f"(--outcome {outcome.value}; the others: {others})."
    )
    tags = ", ".join(f"+{o.value} ({o.label.lower()})" for o in CheckOutcome)
    console.say(
        f"One check ends otherwise when its candidate's email has a tag: {tags}; "
        "e.g. ada+consider@example.com."
    )
