"""The composition root: decides between the window and a command, and builds the services."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from zinc_desktop.core.log_redaction import configure_file_logging
from zinc_desktop.services import Services, build_services


def make_services_factory(environ: Mapping[str, str], keyring_backend: Any | None = None) -> Any:
    def make(use_sandbox: bool, demo_seconds: float = 60.0) -> Services:
        services = build_services(
            environ,
            use_sandbox=use_sandbox,
            sandbox_demo_seconds=demo_seconds,
            keyring_backend=keyring_backend,
        )
        configure_file_logging(services.paths.log_file)
        from zinc_desktop.support_log import log_run_start

        log_run_start()
        return services

    return make


def main(argv: Sequence[str] | None = None) -> int:
    from zinc_desktop import cli

    args = list(sys.argv[1:] if argv is None else argv)
    environ = dict(os.environ)
    wants_window = not any(a in cli.COMMANDS or a in ("-h", "--help", "--version") for a in args)
    if wants_window:
        from zinc_desktop.gui.launch import launch_window

        return launch_window(args, environ, make_services_factory(environ))
    return cli.run(args, cli.standard_console(environ), make_services_factory(environ))
