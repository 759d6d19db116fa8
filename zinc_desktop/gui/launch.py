"""Starts Qt, builds the services through the composition root, and shows the window."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Mapping, Sequence

from zinc_desktop.command_line import ArgumentProblem, OneLineParser, add_window_options
from zinc_desktop.core.foundation.app_paths import SANDBOX_PROFILE
from zinc_desktop.core.foundation.errors import ConfigError
from zinc_desktop.core.foundation.exit_codes import EXIT_UNREACHABLE, EXIT_USAGE
from zinc_desktop.core.foundation.log_redaction import redact
from zinc_desktop.services import ServicesFactory


def window_options(args: Sequence[str]) -> tuple[argparse.Namespace, list[str]]:
    """The window's own options, and the rest for Qt; ArgumentProblem when one is unusable."""
    parser = OneLineParser(prog="zinc-desktop")
    add_window_options(parser)
    options, qt_args = parser.parse_known_args(list(args))
    return options, qt_args


def bindings_drop_none() -> bool:
    """True for Qt bindings that lose references to None (PySide6 6.12.0 on Python 3.11).

    Such a build aborts the app after minutes of use; saying so at start is kinder.
    """
    if sys.version_info >= (3, 12):
        return False  # None is immortal: nothing to lose
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(200):
        probe.setObjectName("probe")
    return sys.getrefcount(None) - before < -100


def launch_window(
    args: Sequence[str], environ: Mapping[str, str], make_services: ServicesFactory
) -> int:
    try:
        options, qt_args = window_options(args)
    except ArgumentProblem as problem:
        print(redact(f"error: {problem}"), file=sys.stderr)
        return EXIT_USAGE

    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtWidgets import QApplication, QMessageBox

    from zinc_desktop.gui.common import pyside_feature_scan

    pyside_feature_scan.install()  # before the imports below: each is scanned
    from zinc_desktop.core.foundation.app_paths import AppPaths, private_directory
    from zinc_desktop.gui.common.application import ApplicationSupport
    from zinc_desktop.gui.common.branding import app_icon, branding
    from zinc_desktop.gui.common.crash_reporter import CrashReporter
    from zinc_desktop.gui.main_window import MainWindow
    from zinc_desktop.gui.single_instance import claim

    if bindings_drop_none():
        import PySide6

        print(
            f"error: PySide6 {PySide6.__version__} has a reference-counting bug on Python "
            f"{sys.version.split()[0]} that crashes the window. Install PySide6-Essentials<6.12 "
            "(pip install 'PySide6-Essentials<6.12') or use Python 3.12 or newer.",
            file=sys.stderr,
        )
        return EXIT_UNREACHABLE
    brand = branding()
    QApplication.setApplicationName(brand.application_name)
    QApplication.setOrganizationName(brand.organization)
    QApplication.setDesktopFileName("zinc-desktop")
    app = QApplication([sys.argv[0], *qt_args])
    # One window per profile: a later launch brings this one forward and exits 0.
    instance = claim(AppPaths.for_profile(SANDBOX_PROFILE if options.sandbox else "").data, app)
    if isinstance(instance, int):
        return instance
    app.setWindowIcon(app_icon())
    support = ApplicationSupport(app)
    try:
        # The simulator's port is reserved now; it starts once the window is on screen.
        services = make_services(options.sandbox, options.demo_seconds, start_sandbox=False)
        private_directory(services.paths.config)  # QSettings would create it 0755
    except Exception as error:  # noqa: BLE001  # one clear message, never a traceback
        message = redact(" ".join(str(error).split()) or type(error).__name__)
        print(f"error: {message}", file=sys.stderr)
        box = QMessageBox(QMessageBox.Icon.Critical, brand.window_title, message)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()
        return EXIT_USAGE if isinstance(error, ConfigError) else EXIT_UNREACHABLE
    demo_keys = None
    if options.sandbox:
        from zinc_desktop.sandbox.addresses import DEMO_KEYS

        demo_keys = DEMO_KEYS
    settings = QSettings(str(services.paths.window_settings), QSettings.Format.IniFormat)
    window = MainWindow(services, settings=settings, demo_keys=demo_keys)
    window.loaded.connect(support.collector.freeze)
    window.started.connect(services.start_sandbox_in_background)
    reporter = CrashReporter(services.paths.log, window)
    if options.present:
        window.set_presenting(True)
    window.show()
    instance.bring_forward_on_request(window)
    window.started.connect(instance.listen)  # after the first frame
    try:
        code = app.exec()
    finally:
        instance.release()
        reporter.uninstall()
        services.close()
        support.stop()
    if window.runner.active_threads():
        # A worker still waits on the keyring (it cannot be interrupted): do not let Qt's
        # thread pool hold the process open for it. Logs are flushed; nothing else is pending.
        logging.shutdown()
        sys.stdout.flush()
        os._exit(code)
    return code
