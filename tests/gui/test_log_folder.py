"""Help › Open log folder opens the folder the log file is written to."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction

from zinc_desktop.core.foundation.app_paths import AppPaths
from zinc_desktop.core.foundation.log_redaction import configure_file_logging
from zinc_desktop.gui import main_window
from zinc_desktop.gui.main_window import MainWindow


def test_open_log_folder_opens_the_folder_of_the_log_file(
    window: MainWindow, app_paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[QUrl] = []

    class Desktop:
        @staticmethod
        def openUrl(url: QUrl) -> bool:
            opened.append(url)
            return True

    monkeypatch.setattr(main_window, "QDesktopServices", Desktop)
    handler = configure_file_logging(app_paths.log_file)
    try:
        logging.getLogger("zinc_desktop.test").info("something for support")
        handler.flush()
        action = window.findChild(QAction, "openLogFolderAction")
        assert action is not None
        action.trigger()
    finally:
        logging.getLogger("zinc_desktop").removeHandler(handler)
        handler.close()
    assert len(opened) == 1
    folder = opened[0].toLocalFile()  # with "/" on Windows too: compared as paths
    assert Path(folder) == app_paths.log_file.parent
    assert (app_paths.log_file.parent / "zinc-desktop.log").read_text("utf-8")
