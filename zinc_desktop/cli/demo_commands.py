"""The demo commands: packages, checks start, checks status. Production needs --yes-billable.

They run through the same DemoCalls as the window, so a check is read only with the key of
the account that started it, and candidate fields obey the same limits.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from typing import Any

from zinc_desktop.cli.console import Console, UsageError
from zinc_desktop.core.candidate import make_candidate
from zinc_desktop.core.demo_calls import Call, CallKind, DemoCalls, ReadResult
from zinc_desktop.core.time_text import local_time, parse_server_time
from zinc_desktop.core.zinc_api import CheckReport, Package, validate_typed_check_id
from zinc_desktop.exit_codes import EXIT_OK
from zinc_desktop.services import Services


def register(commands: Any) -> None:
    packages = commands.add_parser("packages", help="list a linked account's screening packages")
    packages.add_argument("id", help="account id")
    packages.add_argument("--json", action="store_true")
    packages.set_defaults(handler=list_packages)

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
    start.set_defaults(handler=start_check)
    status = actions.add_parser("status", help="a check's status and results")
    status.add_argument("id", help="account id")
    status.add_argument("check_id")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=check_status)


def report_json(report: CheckReport) -> dict[str, Any]:
    return {
        "check_id": report.check_id,
        "status": report.status.value,
        "updates": [{"status": u.status.value, "at": u.at} for u in report.updates],
        "results": [{"name": r.name, "outcome": r.outcome} for r in report.results],
    }


def _packages(services: Services, call: Call) -> list[Package]:
    result = DemoCalls(services.links, services.history).run(call)
    assert isinstance(result, list)
    return result


def list_packages(args: argparse.Namespace, services: Services, console: Console) -> int:
    account = services.links.account(args.id)
    packages = _packages(services, Call(CallKind.PACKAGES, account))
    if args.json:
        console.say(json.dumps([asdict(p) for p in packages], indent=2))
    elif not packages:
        console.say(f"{account.label}: no packages are set up in this Zinc account.")
    for package in [] if args.json else packages:
        console.say(f"{package.id:<24} {package.type or '-':<12} {package.name}")
    return EXIT_OK


def start_check(args: argparse.Namespace, services: Services, console: Console) -> int:
    account = services.links.account(args.id)
    candidate = make_candidate(args.first_name, args.last_name, args.email, args.phone)
    if account.environment.is_billable and not args.yes_billable:
        raise UsageError(
            f"Refused: {account.label!r} is a Production account, where a check emails a real "
            "candidate and is billed. Nothing was sent. Add --yes-billable to confirm."
        )
    packages = {p.id: p for p in _packages(services, Call(CallKind.PACKAGES, account))}
    package = packages.get(args.package)
    if package is None:
        raise UsageError(
            f"{account.label!r} has no package {args.package!r}; "
            f"its packages are: {', '.join(packages) or 'none'}. Nothing was sent."
        )
    call = Call(CallKind.START, account, package=package, candidate=candidate)
    record = DemoCalls(services.links, services.history).run(call)
    console.say(getattr(record, "id", ""))
    return EXIT_OK


def check_status(args: argparse.Namespace, services: Services, console: Console) -> int:
    account = services.links.account(args.id)
    # Before anything is sent; InvalidIdentifier is exit 2.
    check_id = validate_typed_check_id(args.check_id)
    call = Call(CallKind.READ, account, check_id=check_id)
    result = DemoCalls(services.links, services.history).run(call)
    assert isinstance(result, ReadResult)
    report = result.report
    if args.json:
        console.say(json.dumps(report_json(report), indent=2))
        return EXIT_OK
    console.say(f"{report.check_id}: {report.status.label}")
    for update in report.updates:
        moment = parse_server_time(update.at)
        when = local_time(moment) if moment else update.at
        console.say(f"  {when:<24} {update.status.label}")
    for outcome in report.results:
        console.say(f"  result: {outcome.name}: {outcome.outcome}")
    return EXIT_OK
