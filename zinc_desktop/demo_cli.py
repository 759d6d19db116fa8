"""The demo commands: packages, checks start, checks status. Production needs --yes-billable."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from zinc_desktop.core.accounts import Account
from zinc_desktop.core.check_history import (
    CheckRecord,
    candidate_problems,
    check_time,
    make_candidate,
)
from zinc_desktop.core.zinc_api import CheckReport, CheckStatus
from zinc_desktop.exit_codes import EXIT_OK, EXIT_USAGE

if TYPE_CHECKING:
    from zinc_desktop.cli import Console
    from zinc_desktop.services import Services


class RefusedInput(Exception):
    """The command's input cannot be sent; exit 2 and nothing goes out."""


def add_commands(commands: Any) -> None:
    packages = commands.add_parser("packages", help="list a linked account's screening packages")
    packages.add_argument("id", help="account id")
    packages.add_argument("--json", action="store_true")

    checks = commands.add_parser("checks", help="start a test check, or read its status")
    actions = checks.add_subparsers(dest="checks_command", metavar="ACTION", required=True)
    start = actions.add_parser("start", help="start a check for a test candidate")
    start.add_argument("id", help="account id")
    start.add_argument("--package", required=True, help="package id (see: packages ID)")
    start.add_argument("--first-name", required=True)
    start.add_argument("--last-name", required=True)
    start.add_argument("--email", required=True)
    start.add_argument("--phone", default="")
    start.add_argument(
        "--yes-billable",
        action="store_true",
        help="confirm a Production check: a real candidate is emailed and the check is billed",
    )
    status = actions.add_parser("status", help="a check's status and results")
    status.add_argument("id", help="account id")
    status.add_argument("check_id")
    status.add_argument("--json", action="store_true")


def report_json(report: CheckReport) -> dict[str, Any]:
    return {
        "check_id": report.check_id,
        "status": report.status.value,
        "updates": [{"status": u.status.value, "at": u.at} for u in report.updates],
        "results": [{"name": r.name, "outcome": r.outcome} for r in report.results],
    }


def _packages(
    args: argparse.Namespace, services: Services, account: Account, console: Console
) -> None:
    with services.links.client_for(account.id) as client:
        packages = client.list_packages()
        services.links.remember_auth_form(account.id, client)
    if args.json:
        console.say(json.dumps([asdict(p) for p in packages], indent=2))
    elif not packages:
        console.say(f"{account.label}: no packages are set up in this Zinc account.")
    for package in [] if args.json else packages:
        console.say(f"{package.id:<24} {package.type or '-':<12} {package.name}")


def _start(
    args: argparse.Namespace, services: Services, account: Account, console: Console
) -> None:
    problems = candidate_problems(args.first_name, args.last_name, args.email, args.phone)
    if problems:
        raise RefusedInput(" ".join(problems.values()))
    if account.environment.is_billable and not args.yes_billable:
        raise RefusedInput(
            f"Refused: {account.label!r} is a Production account, where a check emails a real "
            "candidate and is billed. Nothing was sent. Add --yes-billable to confirm."
        )
    candidate = make_candidate(args.first_name, args.last_name, args.email, args.phone)
    with services.links.client_for(account.id) as client:
        names = {p.id: p.name for p in client.list_packages()}
        if args.package not in names:
            raise RefusedInput(
                f"{account.label!r} has no package {args.package!r}; "
                f"its packages are: {', '.join(names) or 'none'}."
            )
        check_id = client.start_check(args.package, candidate)
        services.links.remember_auth_form(account.id, client)
    now = check_time()
    services.history.add(
        CheckRecord(
            check_id,
            account.id,
            account.environment,
            args.package,
            names[args.package],
            CheckStatus.REQUESTED,
            now,
            now,
        )
    )
    console.say(check_id)


def _status(
    args: argparse.Namespace, services: Services, account: Account, console: Console
) -> None:
    with services.links.client_for(account.id) as client:
        report = client.check_report(args.check_id)
    services.history.update_status(report.check_id, report.status)
    if args.json:
        console.say(json.dumps(report_json(report), indent=2))
        return
    console.say(f"{report.check_id}: {report.status.label}")
    for update in report.updates:
        console.say(f"  {update.at:<22} {update.status.label}")
    for result in report.results:
        console.say(f"  result: {result.name}: {result.outcome}")


def dispatch(args: argparse.Namespace, services: Services, console: Console) -> int:
    account = services.links.account(args.id)
    command = args.command if args.command == "packages" else args.checks_command
    handler = {"packages": _packages, "start": _start, "status": _status}[command]
    try:
        handler(args, services, account, console)
    except RefusedInput as error:
        console.warn(f"error: {error}")
        return EXIT_USAGE
    return EXIT_OK
