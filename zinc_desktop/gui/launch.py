"""Starts Qt, builds the services through the composition root, and shows the window."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping, Sequence

from zinc_desktop.core.errors import ConfigError
from zinc_desktop.services import Services


def launch_window(
    args: Sequence[str], environ: Mapping[str, str], make_services: Callable[..., Services]
) -> int:
    parser = argparse.ArgumentParser(prog="zinc-desktop")
    parser.add_argument("--sandbox", action="store_true")
    parser.add_argument("--demo-seconds", type=float, default=60.0)
    options, _qt_args = parser.parse_known_args(list(args))

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QMessageBox

    from zinc_desktop.gui.common.branding import app_icon, branding
    from zinc_desktop.gui.common.focus_style import install_focus_style
    from zinc_desktop.gui.common.gui_thread_gc import GuiThreadGarbageCollector
    from zinc_desktop.gui.main_window import MainWindow

    brand = branding()
    QApplication.setApplicationName(brand.application_name)
    QApplication.setOrganizationName(brand.organization)
    QApplication.setDesktopFileName("zinc-desktop")
    app = QApplication([sys.argv[0], *_qt_args])
    app.setWindowIcon(app_icon())
    focus_style = install_focus_style(app)
    collector = GuiThreadGarbageCollector(app)
    try:
        services = make_services(options.sandbox, options.demo_seconds)
    except ConfigError as error:
        QMessageBox.critical(None, brand.window_title, str(error))
        return 2
    demo_keys = None
    if services.sandbox is not None:
        from zinc_desktop.sandbox import DEMO_KEYS

        demo_keys = DEMO_KEYS
    settings = QSettings(str(services.paths.window_settings), QSettings.Format.IniFormat)
    window = MainWindow(services, settings=settings, demo_keys=demo_keys)
    window.show()
    try:
        return app.exec()
    finally:
        services.close()
        collector.stop()
        del focus_style
