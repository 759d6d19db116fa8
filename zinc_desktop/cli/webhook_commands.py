"""`webhooks listen`, `webhooks set-token`, `webhooks clear-token`: what Zinc tells the partner
system, received on 127.0.0.1, verified, forwarded; and the signing token kept in the keyring."""

from __future__ import annotations

import argparse
import getpass
import queue
from typing import Any

from zinc_desktop.cli.command_help import (
    ACCOUNT_EXITS,
    ACCOUNT_ID,
    add_anywhere_options,
    add_command,
)
from zinc_desktop.cli.console import Console, UsageError
from zinc_desktop.core.accounts.webhook_tokens import (
    clear_webhook_token,
    set_webhook_token,
    webhook_token,
)
from zinc_desktop.core.foundation.exit_codes import EXIT_OK
from zinc_desktop.core.foundation.log_redaction import scrub_server_text
from zinc_desktop.core.foundation.time_text import local_time
from zinc_desktop.core.webhooks.deliveries import DELIVERIES, Delivery
from zinc_desktop.core.webhooks.forwarding import http_url
from zinc_desktop.core.webhooks.receiver import ReceiverSettings, WebhookReceiver
from zinc_desktop.services import Services

# Help text, not a secret.
FROM_STDIN = (
    "The token comes from stdin (a hidden prompt on a terminal), never from the command line."
)


def register(commands: Any) -> None:
    webhooks = commands.add_parser(
        "webhooks",
        help="receive Zinc's webhooks on 127.0.0.1; keep an account's signing token",
        description="Receive Zinc's webhooks on 127.0.0.1; keep an account's signing token.",
    )
    add_anywhere_options(webhooks)
    actions = webhooks.add_subparsers(dest="webhooks_command", metavar="ACTION", required=True)
    listen = add_command(
        actions,
        "listen",
        summary="receive webhooks, verify their signatures, and forward them",
        details=(
            "Listens on 127.0.0.1 only, until Ctrl+C (exit 0). The first line says where "
            '(--json: {"listening": URL}); then one line per delivery: when it came, its check, '
            "its signature verdict (valid, invalid, unsigned, no-token) and scheme, its size, "
            "and, with --forward-to, what the handler answered. Bodies stay in memory: never "
            "printed, written or logged. With --account, deliveries are verified with that "
            "account's signing token (webhooks set-token)."
        ),
        exits="exit status: 0 when stopped with Ctrl+C, 2 bad input (a port in use), "
        "4 no account has that id",
        json_help="one JSON object per line",
    )
    listen.add_argument("--port", type=int, default=0, help="the port (default: any free one)")
    listen.add_argument("--account", metavar="ID", help="whose signing token verifies deliveries")
    listen.add_argument("--forward-to", metavar="URL", help="pass each delivery on, byte for byte")
    listen.set_defaults(handler=run_listen)
    for name, summary, handler in (
        ("set-token", "keep an account's webhook signing token in the keyring", run_set_token),
        ("clear-token", "forget an account's webhook signing token", run_clear_token),
    ):
        command = add_command(
            actions, name, summary=summary,
            details=f"{ACCOUNT_ID} {FROM_STDIN if name == 'set-token' else ''}".strip(),
            exits=ACCOUNT_EXITS,
        )  # fmt: skip
        command.add_argument("id", help="the account")
        command.set_defaults(handler=handler)


def read_token(console: Console) -> str:
    if console.stdin.isatty():
        text = getpass.getpass("Webhook signing token (input hidden): ", stream=console.stderr)
    else:
        text = console.stdin.read(4096)
    if not text.strip():
        raise UsageError("No signing token given: pipe it on stdin.")
    return text


def run_set_token(args: argparse.Namespace, services: Services, console: Console) -> int:
    account = services.links.find(args.id)
    set_webhook_token(services.links, account.id, read_token(console))
    where = services.links.keyring_description() or "memory (this session)"
    if args.json:
        console.say_json({"account_id": account.id, "signing_token": "set", "keyring": where})
    else:
        console.say(f"The signing token of {account.label!r} is kept in {where}.")
    return EXIT_OK


def run_clear_token(args: argparse.Namespace, services: Services, console: Console) -> int:
    account = services.links.find(args.id)
    had = clear_webhook_token(services.links, account.id)
    if args.json:
        console.say_json({"account_id": account.id, "cleared": had})
    else:
        console.say(
            f"The signing token of {account.label!r} was removed."
            if had
            else f"{account.label!r} had no signing token; nothing changed."
        )
    return EXIT_OK


def run_listen(args: argparse.Namespace, services: Services, console: Console) -> int:
    account = services.links.find(args.account) if args.account else None
    forward_to = http_url(args.forward_to) if args.forward_to else None
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port} is not a port: give 0 to 65535 (0: any free one).")
    token = webhook_token(services.links, account.id) if account is not None else None
    settings = ReceiverSettings(account.id if account else None, forward_to)
    receiver = WebhookReceiver(
        services.events, lambda _id: token, port=args.port, settings=settings
    )
    arrived: queue.Queue[Delivery] = queue.Queue()
    services.events.subscribe(DELIVERIES, arrived.put)
    try:
        url = receiver.start()
    except OSError as error:
        raise UsageError(
            f"Cannot listen on 127.0.0.1:{args.port}: {error.strerror}. Try --port 0."
        ) from None
    try:
        label = account.label if account else None
        _say_listening(args, console, url, label, token=token, forward_to=forward_to)
        while True:
            try:
                delivery = arrived.get(timeout=0.5)
            except queue.Empty:
                continue
            if forward_to and delivery.body is not None and delivery.forward is None:
                continue  # said once its forward result is in
            _say_delivery(args, console, delivery)
    except KeyboardInterrupt:
        if not args.json:
            console.say("Stopped listening.")
        return EXIT_OK
    finally:
        receiver.stop()


def _say_listening(
    args: argparse.Namespace, console: Console, url: str, label: str | None, *,
    token: str | None, forward_to: str | None,
) -> None:  # fmt: skip
    if args.json:
        console.say_json({"listening": url}, one_line=True)
    else:
        console.say(f"Listening on {url} (127.0.0.1 only; Ctrl+C stops)")
        if label is None:
            console.say("  No --account: signatures are not checked (no-token).")
        elif token is None:
            console.say(f"  {label!r} has no signing token (webhooks set-token): no-token.")
        else:
            console.say(f"  Verifying with the signing token of {label!r}.")
        if forward_to:
            console.say(f"  Forwarding each delivery, byte for byte, to {forward_to}")
    console.stdout.flush()


def _say_delivery(args: argparse.Namespace, console: Console, delivery: Delivery) -> None:
    check_id = scrub_server_text(delivery.check_id, limit=80) if delivery.check_id else None
    status = scrub_server_text(delivery.status, limit=40) if delivery.status else None
    forward = delivery.forward
    if args.json:
        line: dict[str, Any] = {
            "number": delivery.number,
            "received_at": delivery.received_at.isoformat().replace("+00:00", "Z"),
            "check_id": check_id,
            "status": status,
            "signature": delivery.verdict.signature.value,
            "scheme": delivery.verdict.scheme or None,
            "header": delivery.verdict.header or None,
            "bytes": delivery.size,
        }
        if delivery.refused:
            line["refused"] = delivery.refused
        if forward is not None:
            line["forward"] = (
                {"status": forward.status, "ms": round(forward.ms, 1)}
                if forward.status is not None
                else {"error": forward.error, "ms": round(forward.ms, 1)}
            )
        console.say_json(line, one_line=True)
    else:
        parts = [
            local_time(delivery.received_at, seconds=True), f"#{delivery.number}",
            check_id or "(no check id)", status or "-", delivery.verdict.describe(),
            f"{delivery.size:,} bytes",
        ]  # fmt: skip
        if delivery.refused:
            parts.append(f"refused: {delivery.refused}")
        if forward is not None:
            parts.append(f"forward: {forward.describe()}")
        console.say("  ".join(parts))
    console.stdout.flush()
