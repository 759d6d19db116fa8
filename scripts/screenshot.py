"""Renders the real window, on the simulator, with accounts in several states, to a PNG.

    python scripts/screenshot.py [--page accounts|demo|requests|present|summary|webhooks]
                                 [--many N] [--size 1024x640] [--scale 2] [--dark] [--out FILE]

Runs under Xvfb (xvfb-run) or, without a display, Qt's offscreen platform. Uses a throwaway
profile and an in-memory keyring: your own accounts and keyring are never touched.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DARK = {
    "Window": "#2b2d31",
    "WindowText": "#e8e8e8",
    "Base": "#1f2023",
    "AlternateBase": "#26282c",
    "Text": "#e8e8e8",
    "Button": "#34373c",
    "ButtonText": "#e8e8e8",
    "Highlight": "#3d6fd6",
    "HighlightedText": "#ffffff",
    "PlaceholderText": "#9aa0a6",
    "ToolTipBase": "#34373c",
    "ToolTipText": "#e8e8e8",
    "Link": "#8ab4f8",
}


def use_dark_palette(app: object) -> None:
    """Ask for the dark scheme; where the platform ignores that (offscreen), set a palette."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QApplication

    assert isinstance(app, QApplication)
    app.styleHints().setColorScheme(Qt.ColorScheme.Dark)
    if app.palette().color(QPalette.ColorRole.Window).lightness() <= 128:
        return
    palette = QPalette()
    for role, colour in DARK.items():
        palette.setColor(getattr(QPalette.ColorRole, role), QColor(colour))
    for role in ("WindowText", "Text", "ButtonText"):
        palette.setColor(
            QPalette.ColorGroup.Disabled, getattr(QPalette.ColorRole, role), QColor("#6b6f75")
        )
    app.setPalette(palette)


# fmt: off
CUSTOMERS = (
    "Abbott & Finch", "Beacon Care Homes", "Blythe Logistics", "Calder Academy Trust",
    "Copperleaf Foods", "Dunmore Security", "Elm Street Dental", "Fenwick Engineering",
    "Galloway Hotels", "Harrow Nursing", "Inverness Freight", "Juniper Recruitment",
    "Kestrel Aviation", "Larkspur Schools", "Meridian Finance", "Northgate Retail",
    "Oakridge Clinics", "Pennine Transport", "Quayside Bank", "Riverside Council",
)
# fmt: on


def seed_many(services: object, sandbox: object, count: int) -> None:
    """`count` more accounts, mostly verified, for the "many accounts" screenshot."""
    from zinc_desktop.core.foundation.api_key import ApiKey
    from zinc_desktop.core.foundation.environments import Environment
    from zinc_desktop.sandbox import SandboxServer
    from zinc_desktop.services import Services

    assert isinstance(services, Services)
    assert isinstance(sandbox, SandboxServer)
    for index in range(count):
        environment = Environment.PRODUCTION if index % 3 == 2 else Environment.STAGING
        key = f"{index + 16:08x}" * 4
        sandbox.add_key(environment, key)
        name = CUSTOMERS[index % len(CUSTOMERS)]
        suffix = "" if index < len(CUSTOMERS) else f" {index // len(CUSTOMERS) + 1}"
        label = f"{name}{suffix} ({environment.value})"
        services.links.link(environment, ApiKey.parse(key), label)


def seed_accounts(services: object, sandbox: object) -> str:
    """Five accounts: verified in both environments, rejected, key missing, unreachable.

    Returns the id of the account to select.
    """
    from zinc_desktop.core.accounts.retesting import retest
    from zinc_desktop.core.accounts.secret_store import SecretStore
    from zinc_desktop.core.foundation.api_key import ApiKey
    from zinc_desktop.core.foundation.environments import Environment
    from zinc_desktop.sandbox import DEMO_KEYS, Fault, SandboxServer
    from zinc_desktop.services import Services

    assert isinstance(services, Services)
    assert isinstance(sandbox, SandboxServer)
    links = services.links
    staging, production = Environment.STAGING, Environment.PRODUCTION
    plan = [
        ("Acme Ltd (staging)", staging, DEMO_KEYS[staging]),
        ("Acme Ltd (production)", production, DEMO_KEYS[production]),
        ("Globex UK (staging)", staging, "1" * 32),
        ("Initech (staging)", staging, "2" * 32),
        ("Umbrella plc", production, "3" * 32),
    ]
    ids = []
    for label, environment, key in plan:
        sandbox.add_key(environment, key)
        account = links.link(environment, ApiKey.parse(key), label).account
        assert account is not None
        ids.append(account.id)
    globex, initech, umbrella = ids[2:]
    sandbox.revoke_key(staging, "1" * 32)
    retest(links, globex)
    store: SecretStore = links.keyring()
    store.delete(initech)
    sandbox.inject(Fault(status=503))
    retest(links, umbrella)
    return globex


def settle(app: object, seconds: float) -> None:
    from PySide6.QtWidgets import QApplication

    assert isinstance(app, QApplication)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)


def run_demo(app: object, window: object) -> None:
    """Two checks on the Staging demo account: one completed, one still moving."""
    from zinc_desktop.gui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    demo = window.demo_panel
    acme = next(a for a in window.model.accounts() if a.label == "Acme Ltd (staging)")
    window.accounts_panel.select_account(acme.id)
    window.accounts_panel.demo_action.trigger()
    settle(app, 0.5)
    for first, last, email, package in (
        ("Ada", "Lovelace", "ada.lovelace@example.com", 0),
        ("Alan", "Turing", "alan.turing+attention@example.com", 1),
    ):
        demo.packages.table.selectRow(package)
        for field, text in (("first_name", first), ("last_name", last), ("email", email)):
            demo.form.inputs[field].setText(text)
        demo.form.start_button.click()
        settle(app, 3.6 if package == 0 else 2.4)
    settle(app, 1.0)
    demo.checks.list.setCurrentRow(1)  # the first check, complete by now
    settle(app, 0.6)


def render_summary(app: object, window: object, out: Path) -> None:
    """Export the completed check's summary, with a consultant's and the candidate's name as a
    consultant would type them for the export, and picture its PDF's first page."""
    import dataclasses
    import shutil
    import subprocess

    from zinc_desktop.core.checks.summary import summary_targets
    from zinc_desktop.gui.demo.summary_export import export_summary
    from zinc_desktop.gui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    demo = window.demo_panel
    check_id = demo.session.selected_check_id
    assert check_id is not None
    summary = demo._summary(check_id)  # the window's own summary of the check
    assert summary is not None
    summary = dataclasses.replace(
        summary, consultant="Jane Whitfield", candidate_name="Ada Lovelace"
    )
    folder = Path(tempfile.mkdtemp(prefix="zinc-summary-"))
    targets = summary_targets(folder / "summary.pdf")
    export_summary(summary, targets)
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise SystemExit("pdftoppm (poppler-utils) is needed to picture the PDF")
    subprocess.run(
        [pdftoppm, "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile",
         str(targets[0].path), str(out.with_suffix(""))],
        check=True,
    )  # fmt: skip


def show_webhooks(app: object, window: object, sandbox: object) -> None:
    """The Webhooks tab as a consultant uses it: the token set and the receiver switched on
    through the page, a delivery signed with the token, one signed with another, and one
    forwarded to a handler on 127.0.0.1 (the integration being demoed); the last one chosen."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    import httpx

    from zinc_desktop.core.foundation.environments import Environment
    from zinc_desktop.core.webhooks.signing import sign
    from zinc_desktop.gui.main_window import MainWindow
    from zinc_desktop.gui.webhooks.receiver_form import ACCOUNT_ID_ROLE
    from zinc_desktop.sandbox import SandboxServer

    assert isinstance(window, MainWindow)
    assert isinstance(sandbox, SandboxServer)

    class Integration(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            self.send_response(200)
            self.send_header("Content-Length", "17")
            self.end_headers()
            self.wfile.write(b'{"received":true}')

        def log_message(self, format: str, *args: object) -> None:
            pass

    handler = ThreadingHTTPServer(("127.0.0.1", 0), Integration)
    threading.Thread(target=handler.serve_forever, daemon=True).start()
    window.tabs.setCurrentWidget(window.webhooks_page)
    page = window.webhooks_panel
    acme = next(a for a in window.model.accounts() if a.label == "Acme Ltd (staging)")
    index = page.form.account.findData(acme.id, ACCOUNT_ID_ROLE)
    page.form.account.setCurrentIndex(max(index, 0))
    page.form.account.activated.emit(max(index, 0))
    token = sandbox.signing_token(Environment.STAGING)
    page.form.token_input.setText(token)
    page.form.set_token_button.click()
    page.form.switch.click()
    settle(app, 0.8)
    url = window._services.webhooks.local_url
    assert url is not None
    candidate = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"}
    for number, (status, signer) in enumerate(
        (("requested", token), ("in_progress", "an-old-token"), ("complete", token)), start=1
    ):
        if number == 3:
            page.form.forward_input.setText(f"http://127.0.0.1:{handler.server_address[1]}/zinc")
            page.form.forward_input.editingFinished.emit()
        body = json.dumps(
            {"event": "status_changed", "check_id": "chk-s-18f3a2b4c5d-c1a2b3c",
             "package_id": "pkg_stg_basic", "status": status,
             "occurred_at": f"2026-12-03T10:0{number}:00Z", "candidate": candidate},
            indent=None,
        ).encode()  # fmt: skip
        headers = {"Content-Type": "application/json", **sign(body, signer)}
        httpx.post(url, content=body, headers=headers, timeout=5)
        settle(app, 0.4)
    page.table.selectRow(0)
    page.table.setFocus()
    settle(app, 0.4)
    handler.shutdown()
    handler.server_close()


def parse_options() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dark", action="store_true", help="render with the dark colour scheme")
    parser.add_argument(
        "--page",
        choices=(
            "accounts",
            "demo",
            "requests",
            "present",
            "present-accounts",
            "summary",
            "webhooks",
        ),
        default="accounts",
    )
    parser.add_argument("--many", type=int, default=0, help="this many more accounts")
    parser.add_argument(
        "--size",
        default="1024x640",
        help="window size, WIDTHxHEIGHT, or 'auto': the size the app opens at on this screen",
    )
    parser.add_argument("--scale", type=float, default=1.0, help="device pixel ratio, e.g. 2")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument(
        "--receiving",
        action="store_true",
        help="the webhook receiver on: the demo's checks hear from the simulator's webhooks",
    )
    return parser.parse_args()


def main() -> int:  # noqa: PLR0915  # one linear script: set up, shoot, save
    options = parse_options()
    page = "" if options.page == "accounts" else f"-{options.page}"
    hearing = "-webhooks" if options.receiving else ""
    name = f"screenshot{page}{hearing}{'-dark' if options.dark else ''}.png"
    out: Path = options.out or ROOT / "docs" / name
    if options.scale != 1.0:
        os.environ["QT_SCALE_FACTOR"] = f"{options.scale:g}"
    size = None if options.size == "auto" else tuple(int(n) for n in options.size.split("x"))

    profile = tempfile.mkdtemp(prefix="zinc-screenshot-")
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        os.environ[variable] = profile
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from zinc_desktop.core.accounts.secret_store import MemorySecretStore
    from zinc_desktop.core.foundation.app_paths import AppPaths
    from zinc_desktop.core.foundation.environments import sandbox_endpoints
    from zinc_desktop.gui.common.branding import app_icon
    from zinc_desktop.gui.main_window import MainWindow
    from zinc_desktop.sandbox import DEMO_KEYS, SandboxServer
    from zinc_desktop.services import assemble_services

    app = QApplication(sys.argv[:1])
    if options.dark:
        use_dark_palette(app)
    app.setWindowIcon(app_icon())
    sandbox = SandboxServer(demo_seconds=6.0).start()
    store = MemorySecretStore()
    endpoints = sandbox_endpoints(sandbox.base_urls())
    services = assemble_services(AppPaths.for_profile(), endpoints, lambda: store)
    selected = seed_accounts(services, sandbox)
    if options.receiving:  # checks started in the demo carry the receiver's URL, signed
        from zinc_desktop.core.accounts.webhook_tokens import set_webhook_token
        from zinc_desktop.core.foundation.environments import Environment

        acme = next(a for a in services.links.accounts() if a.label == "Acme Ltd (staging)")
        set_webhook_token(services.links, acme.id, sandbox.signing_token(Environment.STAGING))
        services.webhooks.set_account(acme.id)
        services.webhooks.start()
    if options.many:
        seed_many(services, sandbox, options.many)

    settings = QSettings(str(Path(profile) / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(services, settings=settings, demo_keys=DEMO_KEYS)
    if size is not None:
        window.resize(*size)
    window.show()
    settle(app, 0.6)
    window.accounts_panel.select_account(selected)
    if options.page not in ("accounts", "present-accounts", "webhooks"):
        run_demo(app, window)
    if options.page.startswith("present"):
        window.set_presenting(True)
        settle(app, 0.6)
    if options.page == "summary":
        render_summary(app, window, out)
        window.close()
        services.close()
        sandbox.stop()
        print(f"wrote {out}")
        return 0
    if options.page == "webhooks":
        show_webhooks(app, window, sandbox)
    if options.page == "requests":
        window.tabs.setCurrentWidget(window.inspector)
        inspector = window.inspector
        rows = [i for i, e in enumerate(inspector.model.exchanges()) if e.method == "POST"]
        inspector.table.selectRow(rows[-1] if rows else 0)
    settle(app, 0.4)
    out.parent.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(out))
    window.close()
    services.close()
    sandbox.stop()
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
