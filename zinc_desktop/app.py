"""The composition root: decides between the window and a command, and builds the services."""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Mapping, Sequence
from typing import Any

from zinc_desktop.core.log_redaction import configure_file_logging, runtime_description
from zinc_desktop.services import Services, build_services

log = logging.getLogger(__name__)


def make_services_factory(
    environ: Mapping[str, str], keyring_backend: Any | None = None, *, window: bool = False
) -> Any:
    def make(use_sandbox: bool, demo_seconds: float = 60.0) -> Services:
        services = build_services(
            environ,
            use_sandbox=use_sandbox,
            sandbox_demo_seconds=demo_seconds,
            keyring_backend=keyring_backend,
        )
        configure_file_logging(services.paths.log_file)
        log.info("started: %s", runtime_description(qt_versions()))
        if window:
            report_keyring_backend(services)
        return services

    return make


def qt_versions() -> dict[str, str]:
    """Qt and PySide6 as loaded; a command never loads them."""
    if "PySide6.QtCore" not in sys.modules:
        return {"Qt": "not loaded"}
    import PySide6
    from PySide6.QtCore import qVersion

    return {"Qt": qVersion(), "PySide6": PySide6.__version__}


def report_keyring_backend(services: Services) -> threading.Thread:
    """Log the keyring backend from the thread that discovers it (it may wait on D-Bus)."""

    def report() -> None:
        try:
            description = services.links.keyring_description()
        except Exception as error:  # noqa: BLE001  # a log line, whatever went wrong
            description = f"unusable ({type(error).__name__})"
        log.info("keyring backend: %s", description)

    thread = threading.Thread(target=report, name="keyring-report", daemon=True)
    thread.start()
    return thread


def main(argv: Sequence[str] | None = None) -> int:
    from zinc_desktop import cli

    args = list(sys.argv[1:] if argv is None else argv)
    environ = dict(os.environ)
    wants_window = not any(a in cli.COMMANDS or a in ("-h", "--help", "--version") for a in args)
    if wants_window:
        from zinc_desktop.gui.launch import launch_window

        return launch_window(args, environ, make_services_factory(environ, window=True))
    return cli.run(args, cli.standard_console(environ), make_services_factory(environ))
