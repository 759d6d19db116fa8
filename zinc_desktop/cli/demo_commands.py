"""The demo commands: packages, checks start, status, summary and list. Production needs
--yes-billable.

Each is: parse, run one typed operation (core/operations, the same the window runs, so a check
is read only with the key of the account that started it and a Production check starts only
when confirmed), print.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path
from typing import Any

from zinc_desktop.cli.command_help import (
    ACCOUNT_EXITS,
    ACCOUNT_ID,
    STORED_KEY,
    add_anywhere_options,
    add_command,
)
from zinc_desktop.cli.console import Console, UsageError
from zinc_desktop.cli.summary_command import CONSULTANT_VARIABLE, check_summary
from zinc_desktop.cli.summary_command import add_arguments as add_summary_arguments
from zinc_desktop.core.accounts.model import Account
from zinc_desktop.core.checks.candidate import (
    FIELD_LABELS,
    MAX_CANDIDATE_BYTES,
    candidate_from_json,
    make_candidate,
)
from zinc_desktop.core.checks.history import CheckRecord
from zinc_desktop.core.foundation.exit_codes import EXIT_OK
from zinc_desktop.core.foundation.time_text import iso_utc, local_time, shown_time
from zinc_desktop.core.operations.checks import (
    CancelCheck,
    ChecksListing,
    ListChecks,
    ListPackages,
    ReadCheck,
    StartCheck,
    billable_warning,
    needs_confirmation,
)
from zinc_desktop.core.zinc.api import Candidate, CheckReport, validate_typed_check_id
from zinc_desktop.sandbox.outcomes import CheckOutcome
from zinc_desktop.services import Services

CANDIDATE_HELP = (
    "the candidate as a JSON object in a file, or - for stdin: first_name, last_name, email "
    "and optional phone (never on the command line: other users could read them there)"
)
_ARGV_REFUSAL = (
    "a candidate's details are not taken on the command line, where other users and the shell "
    "history can read them; put them in a JSON file and give --candidate FILE (or pipe them with "
    "--candidate -). Nothing was sent."
)


class _RefusedOnArgv(argparse.Action):
    """--first-name and friends, refused before anything is sent; the value is never echoed."""

    def __call__(self, parser: Any, namespace: Any, values: Any, option: str | None = None) -> None:
        raise argparse.ArgumentError(self, _ARGV_REFUSAL)


def register(commands: Any) -> None:
    packages = add_command(
        commands,
        "packages",
        summary="list a linked account's screening packages",
        details=f"{STORED_KEY} {ACCOUNT_ID} --json prints an array of id, name and type.",
        exits=ACCOUNT_EXITS,
        json_help="print a JSON array",
    )
    packages.add_argument("id", help="the account")
    packages.set_defaults(handler=list_packages)

    checks = commands.add_parser(
        "checks",
        help="start a test check, read its status, export its summary, list an account's checks",
        description=(
            "Start a test check, read its status, export its summary, list an account's checks."
        ),
    )
    add_anywhere_options(checks)
    actions = checks.add_subparsers(dest="checks_command", metavar="ACTION", required=True)
    start = add_command(
        actions,
        "start",
        summary="start a check for a test candidate and print its id",
        details=(
            f"{STORED_KEY} {ACCOUNT_ID} The candidate comes from a JSON file or stdin "
            "(--candidate), or from prompts on a terminal. On Production a check is real and "
            "billed: it is refused, unsent, without --yes-billable. With --sandbox, --outcome "
            "chooses how the simulated check ends. --json prints the check: "
            "check_id, account_id, environment, package_id, package_name, status, started_at."
        ),
        exits=ACCOUNT_EXITS.replace("2 bad input", "2 bad input or refused (nothing sent)"),
    )
    start.add_argument("id", help="the account")
    start.add_argument("--package", required=True, help="package id (see: packages ID)")
    start.add_argument("--candidate", metavar="FILE", help=CANDIDATE_HELP)
    for name in ("--first-name", "--last-name", "--email", "--phone"):
        start.add_argument(name, action=_RefusedOnArgv, help=argparse.SUPPRESS)
    start.add_argument(
        "--webhook-url",
        metavar="URL",
        help=(
            "where Zinc sends the check's updates (status changes, an open action, the results), "
            "e.g. the URL `webhooks listen` prints; sent as the check's webhook_url (a guess: "
            "Zinc has not published the field's name)"
        ),
    )
    start.add_argument(
        "--yes-billable",
        action="store_true",
        help="confirm a Production check: a real candidate is emailed and the check is billed",
    )
    start.add_argument(
        "--outcome",
        choices=[outcome.value for outcome in CheckOutcome],
        help=(
            "with --sandbox: how this simulated check ends: "
            + ", ".join(f"{o.value} ({o.label.lower()})" for o in CheckOutcome)
            + "; refused, unsent, without --sandbox"
        ),
    )
    start.set_defaults(handler=start_check)

    status = add_command(
        actions,
        "status",
        summary="a check's status, timeline and results",
        details=(
            f"{STORED_KEY} {ACCOUNT_ID} The check is read only with the key of the account it "
            "belongs to. --json prints check_id, status, updates (status, at) and results "
            "(name, outcome)."
        ),
        exits=ACCOUNT_EXITS,
    )
    status.add_argument("id", help="the account")
    status.add_argument("check_id")
    status.set_defaults(handler=check_status)

    summary = add_command(
        actions,
        "summary",
        summary="write a check's summary for the customer, as PDF or HTML",
        details=(
            f"{STORED_KEY} {ACCOUNT_ID} The check is read as `checks status` reads it, then "
            "written to exactly FILE (owner-only), as PDF or HTML by its suffix (.pdf, .html, "
            ".htm): the customer (the account's label), the consultant, the environment, "
            "package, journey with times and durations, results and what happens next; never a "
            "key, key ending, URL, email address or phone number. An existing FILE is replaced "
            "only with --force. The consultant's name comes from --consultant or "
            f"${CONSULTANT_VARIABLE}. A candidate's name, for this export alone, is read from a "
            "file or stdin (--candidate-name FILE|-) and kept nowhere. --json prints written "
            "(the file's path) and format."
        ),
        exits=ACCOUNT_EXITS.replace(
            "2 bad input", "2 bad input, FILE exists (without --force) or has another suffix"
        ).replace("a data file unusable", "a data file unusable, or FILE unwritable"),
    )
    add_summary_arguments(summary)
    summary.set_defaults(handler=check_summary)

    listing = add_command(
        actions,
        "list",
        summary="an account's checks, from Zinc, or from this app's history",
        details=(
            f"{STORED_KEY} {ACCOUNT_ID} Asks Zinc for the account's checks (those the "
            "integration started too); when this Zinc offers no list, reads this app's own "
            "history (checks started or watched here) and says so. --json prints an object "
            "with source (zinc or history) and checks: from Zinc check_id, status, package_id, "
            "created_at, in_history; from the history id, status, package_id, package_name, "
            "started_at, updated_at, origin (and why)."
        ),
        exits=ACCOUNT_EXITS,
    )
    listing.add_argument("id", help="the account")
    listing.set_defaults(handler=list_checks)

    cancel = add_command(
        actions,
        "cancel",
        summary="cancel a test check at Zinc",
        details=(
            f"{STORED_KEY} {ACCOUNT_ID} On Production it stops a real candidate's screening: "
            "refused, unsent, without --yes. When this Zinc offers no cancel, it says so."
        ),
        exits=ACCOUNT_EXITS.replace("2 bad input", "2 bad input or refused (nothing sent)"),
    )
    cancel.add_argument("id", help="the account")
    cancel.add_argument("check_id", help="the check's id")
    cancel.add_argument("--yes", action="store_true", help="confirm cancelling a Production check")
    cancel.set_defaults(handler=cancel_check)


def report_json(report: CheckReport) -> dict[str, Any]:
    return {
        "check_id": report.check_id,
        "status": report.status.value,
        "updates": [{"status": u.status.value, "at": u.at} for u in report.updates],
        "results": [{"name": r.name, "outcome": r.outcome} for r in report.results],
        "report_url": report.report_url,
    }


def record_json(record: CheckRecord) -> dict[str, Any]:
    """A check as --json prints it: times in UTC with a Z, as every answer has them."""
    shown = {key: value for key, value in record.to_json().items() if key != "account_id"}
    shown["started_at"] = iso_utc(record.started_at)
    shown["updated_at"] = iso_utc(record.updated_at)
    return shown


def list_packages(args: argparse.Namespace, services: Services, console: Console) -> int:
    account = services.links.find(args.id)
    packages = ListPackages(account).run(services.context)
    if args.json:
        console.say_json([asdict(p) for p in packages])
    elif not packages:
        console.say(f"{account.label}: no packages are set up in this Zinc account.")
    for package in [] if args.json else packages:
        console.say(f"{package.id:<24} {package.type or '-':<12} {package.name}")
    return EXIT_OK


def read_candidate(source: str | None, console: Console) -> Candidate:
    """From a file, from stdin (`-`), or asked for on a terminal; never from argv."""
    if source is None:
        if not console.stdin.isatty():
            raise UsageError(
                "No candidate given: --candidate FILE (a JSON object with first_name, "
                "last_name, email and optional phone), or --candidate - to read it from stdin."
            )
        return _ask_for_candidate(console)
    if source == "-":
        buffer = getattr(console.stdin, "buffer", None)
        data = (
            buffer.read(MAX_CANDIDATE_BYTES + 1)
            if buffer is not None
            else console.stdin.read(MAX_CANDIDATE_BYTES + 1).encode("utf-8")
        )
        return candidate_from_json(data)
    try:
        with Path(source).open("rb") as handle:
            data = handle.read(MAX_CANDIDATE_BYTES + 1)
    except OSError as error:
        raise UsageError(  # the argument is not repeated: it may be the details themselves
            f"The candidate file cannot be read: {error.strerror or type(error).__name__}. "
            "Give the path of a JSON file, or - to read it from stdin."
        ) from None
    return candidate_from_json(data)


def _ask_for_candidate(console: Console) -> Candidate:
    """Prompts on the terminal (stderr, so stdout stays the check id alone)."""
    answers = {}
    for field in ("first_name", "last_name", "email", "phone"):
        suffix = " (optional)" if field == "phone" else ""
        console.stderr.write(f"{FIELD_LABELS[field]}{suffix}: ")
        console.stderr.flush()
        answers[field] = console.stdin.readline().strip()
    return make_candidate(**answers)


def _chosen_outcome(
    args: argparse.Namespace, services: Services, account: Account
) -> CheckOutcome | None:
    """--outcome, when the simulator in this process serves the account's environment."""
    if args.outcome is None:
        return None
    if services.simulator_for(account.environment) is None:
        raise UsageError(
            f"Refused: --outcome chooses how a check of the built-in simulator ends, and "
            f"{account.label!r} is not served by it in this command: add --sandbox (a simulator "
            "running elsewhere takes a tag in the candidate's email instead, e.g. "
            f"ada+{args.outcome}@example.com). Nothing was sent."
        )
    return CheckOutcome(args.outcome)


def start_check(args: argparse.Namespace, services: Services, console: Console) -> int:
    account = services.links.find(args.id)
    outcome = _chosen_outcome(args, services, account)
    services.links.refuse_key_in(args.package, "package id")
    if needs_confirmation(account) and not args.yes_billable:  # before the candidate is asked
        raise UsageError(f"{billable_warning(account)} Add --yes-billable to confirm.")
    candidate = read_candidate(args.candidate, console)
    packages = {p.id: p for p in ListPackages(account).run(services.context)}
    package = packages.get(args.package)
    if package is None:
        raise UsageError(
            f"{account.label!r} has no package {args.package!r}; "
            f"its packages are: {', '.join(packages) or 'none'}. Nothing was sent."
        )
    start = StartCheck(
        account, package, candidate, confirmed=args.yes_billable, webhook_url=args.webhook_url
    )
    if args.webhook_url and services.simulator_for(account.environment) is not None:
        console.warn(
            "No webhooks will follow: this command's simulator stops when the command ends. "
            "For deliveries, run `zinc-desktop sandbox` (it keeps running) and point commands at "
            "it with the exports it prints."
        )
    simulator = services.simulator_for(account.environment) if outcome is not None else None
    if simulator is not None:
        simulator.set_next_outcome(account.environment, outcome)
    try:
        record = start.run(services.context)
    finally:
        if simulator is not None:  # taken by the check, or dropped when it did not start
            simulator.set_next_outcome(account.environment, None)
    if args.json:
        console.say_json({"check_id": record.id, **record_json(record), "account_id": account.id})
    else:
        console.say(record.id)
    return EXIT_OK


def _say_zinc_checks(
    args: argparse.Namespace, console: Console, account: Account, listing: ChecksListing
) -> int:
    """Zinc's list, each marked when this app's history knows it; then the history's checks
    Zinc did not list (older, cancelled or deleted there), marked as such."""
    known = {record.id for record in listing.history}
    listed = {check.id for check in listing.zinc}
    only_here = [record for record in listing.history if record.id not in listed]
    if args.json:
        rows = [
            {
                "check_id": c.id, "status": c.status.value, "package_id": c.package_id,
                "created_at": c.created_at or None, "in_history": c.id in known,
                "listed_by_zinc": True,
            }
            for c in listing.zinc
        ] + [
            {
                "check_id": r.id, "status": r.status.value, "package_id": r.package_id,
                "created_at": iso_utc(r.started_at), "in_history": True, "listed_by_zinc": False,
            }
            for r in only_here
        ]  # fmt: skip
        console.say_json({"source": "zinc", "checks": rows})
        return EXIT_OK
    console.warn(f"From Zinc ({account.environment.display_name}), {len(listing.zinc)} check(s):")
    for check in listing.zinc:
        where = "" if check.id in known else "  (started elsewhere)"
        console.say(
            f"{check.id:<32} {check.status.label:<20} {check.package_id or '-':<20} "
            f"{check.created_at or '-'}{where}"
        )
    for record in only_here:
        console.say(
            f"{record.id:<32} {record.status.label:<20} {record.package_id or '-':<20} "
            f"{local_time(record.started_at)}  (in this app's history; not listed by Zinc)"
        )
    return EXIT_OK


def cancel_check(args: argparse.Namespace, services: Services, console: Console) -> int:
    account = services.links.find(args.id)
    services.links.refuse_key_in(args.check_id, "check id")
    check_id = validate_typed_check_id(args.check_id)
    if needs_confirmation(account) and not args.yes:
        raise UsageError(
            f"{account.label!r} is a Production account: cancelling stops a real candidate's "
            "screening. Add --yes to confirm. Nothing was sent."
        )
    record = CancelCheck(account, check_id, confirmed=args.yes).run(services.context)
    if args.json:
        console.say_json({"check_id": check_id, "cancelled": True, "in_history": bool(record)})
    else:
        console.say(f"cancelled: {check_id} ({account.label!r}).")
    return EXIT_OK


def check_status(args: argparse.Namespace, services: Services, console: Console) -> int:
    account = services.links.find(args.id)
    # Before anything is sent or echoed: a key in disguise first, then the id's form (exit 2).
    services.links.refuse_key_in(args.check_id, "check id")
    check_id = validate_typed_check_id(args.check_id)
    report = ReadCheck(account, check_id).run(services.context).report
    if args.json:
        console.say_json(report_json(report))
        return EXIT_OK
    console.say(f"{report.check_id}: {report.status.label}")
    for update in report.updates:
        console.say(f"  {shown_time(update.at):<24} {update.status.label}")
    for outcome in report.results:
        console.say(f"  result: {outcome.name}: {outcome.outcome}")
    if report.report_url:
        console.say(f"  report: {report.report_url} (opens in Zinc; a login is needed)")
    return EXIT_OK


def list_checks(args: argparse.Namespace, services: Services, console: Console) -> int:
    account = services.links.find(args.id)
    listing = ListChecks(account).run(services.context)
    if listing.source == "zinc":
        return _say_zinc_checks(args, console, account, listing)
    records = list(listing.history)
    if args.json:
        console.say_json(
            {"source": "history", "why": listing.why, "checks": [record_json(r) for r in records]}
        )
        return EXIT_OK
    console.warn(f"{listing.why} Listed instead:")
    console.warn(
        f"From this app's own history of {account.label!r} (checks started or watched here)."
    )
    if not records:
        console.say(
            "No checks yet. Start one: zinc-desktop checks start ID --package P --candidate FILE"
        )
    for record in records:
        console.say(
            f"{record.id:<32} {record.status.label:<20} {record.package_name or '-':<28} "
            f"{local_time(record.started_at)}"
        )
    return EXIT_OK
