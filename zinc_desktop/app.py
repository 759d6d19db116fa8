"""The composition root: decides between the window and a command, and builds the services."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from zinc_desktop.command_line import wants_window
from zinc_desktop.core.foundation.log_redaction import configure_file_logging
from zinc_desktop.services import Services, build_services


def make_services_factory(environ: Mapping[str, str], keyring_backend: Any | None = None) -> Any:
    def make(
        use_sandbox: bool, demo_seconds: float = 60.0, *, start_sandbox: bool = True
    ) -> Services:
        services = build_services(
            environ,
            use_sandbox=use_sandbox,
            sandbox_demo_seconds=demo_seconds,
            keyring_backend=keyring_backend,
            start_sandbox=start_sandbox,
        )
        configure_file_logging(services.paths.log_file)
        from zinc_desktop.support_log import log_run_start

        log_run_start()
        return services

    return make


def main(argv: Sequence[str] | None = None) -> int:
    # Everything this process creates is owner-only whatever the user's umask (Qt's QSettings
    # and third-party writers included); our own writers also set 0700/0600 explicitly.
    os.umask(0o077)
    args = list(sys.argv[1:] if argv is None else argv)
    environ = dict(os.environ)
    # Only what each path needs is imported: the window never loads the CLI, nor the CLI Qt.
    if wants_window(args):
        # The window collects garbage on its own thread, on its own clock (gui_thread_gc); off
        # from here, start-up's many new objects do not trigger collections as they arrive.
        gc.disable()
        from zinc_desktop.gui.launch import launch_window

        return launch_window(args, environ, make_services_factory(environ))
    from zinc_desktop import cli

    return cli.run(args, cli.standard_console(environ), make_services_factory(environ))
