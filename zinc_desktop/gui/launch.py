"""Starts Qt, builds the services through the composition root, and shows the window."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping, Sequence

from zinc_desktop.core.errors import ConfigError
from zinc_desktop.core.log_redaction import redact
from zinc_desktop.exit_codes import EXIT_UNREACHABLE, EXIT_USAGE
from zinc_desktop.services import SANDBOX_PROFILE, Services


def window_options(args: Sequence[str]) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(prog="zinc-desktop")
    parser.add_argument("--sandbox", action="store_true")
    parser.add_argument("--demo-seconds", type=float, default=60.0)
    parser.add_argument("--present", action="store_true", help="start in presenting mode")
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
    args: Sequence[str], environ: Mapping[str, str], make_services: Callable[..., Services]
) -> int:
    options, qt_args = window_options(args)

    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtWidgets import QApplication, QMessageBox

    from zinc_desktop.core.app_paths import AppPaths, private_directory
    from zinc_desktop.gui.common.branding import app_icon, branding
    from zinc_desktop.gui.common.crash_reporter import CrashReporter
    from zinc_desktop.gui.common.enter_key import EnterPressesButtons
    from zinc_desktop.gui.common.focus_style import install_focus_style
    from zinc_desktop.gui.common.gui_thread_gc import GuiThreadGarbageCollector
    from zinc_desktop.gui.main_window import MainWindow
    from zinc_desktop.gui.single_instance import claim
    from zinc_desktop.support_log import report_keyring_backend

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
    focus_style = install_focus_style(app)
    enter_key = EnterPressesButtons(app)
    app.installEventFilter(enter_key)
    collector = GuiThreadGarbageCollector(app)
    try:
        services = make_services(options.sandbox, options.demo_seconds)
        private_directory(services.paths.config)  # QSettings would create it 0755
    except Exception as error:  # noqa: BLE001  # one clear message, never a traceback
        message = redact(" ".join(str(error).split()) or type(error).__name__)
        print(f"error: {message}", file=sys.stderr)
        box = QMessageBox(QMessageBox.Icon.Critical, brand.window_title, message)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()
        return EXIT_USAGE if isinstance(error, ConfigError) else EXIT_UNREACHABLE
    demo_keys = None
    if services.sandbox is not None:
        from zinc_desktop.sandbox import DEMO_KEYS

        demo_keys = DEMO_KEYS
    settings = QSettings(str(services.paths.window_settings), QSettings.Format.IniFormat)
    window = MainWindow(services, settings=settings, demo_keys=demo_keys)
    reporter = CrashReporter(services.paths.log, window)
    if options.present:
        window.set_presenting(True)
    window.show()
    instance.bring_forward_on_request(window)
    report_keyring_backend(services)
    try:
        return app.exec()
    finally:
        instance.release()
        reporter.uninstall()
        services.close()
        collector.stop()
        del focus_style
