"""When something we did not expect goes wrong: a redacted traceback in the log and a dialog.

Without this, an exception in a slot is printed to a terminal nobody sees and the window carries
on in an unknown state, or a native crash leaves nothing behind. Here every uncaught exception
(GUI thread or worker thread) is logged with key-shaped text masked, and shown in a dialog with
the same redacted details and a Copy button; a native crash is written by faulthandler to a file
in the log folder.
"""

from __future__ import annotations

import faulthandler
import logging
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType
from typing import TextIO

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from zinc_desktop import __version__
from zinc_desktop.core.foundation.app_paths import NATIVE_CRASH_FILE, private_directory
from zinc_desktop.core.foundation.log_redaction import redact
from zinc_desktop.core.foundation.owner_only import restrict_file

log = logging.getLogger(__name__)


def redacted_traceback(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> str:
    return redact("".join(traceback.format_exception(kind, error, trace)))


class CrashReporter(QObject):
    """Install once, on the GUI thread; `uninstall()` puts the previous hooks back.

    Signals:
        crashed(str, str): a one-line summary and the redacted details (queued to the GUI).
    """

    crashed = Signal(str, str)

    def __init__(self, log_folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._window = parent
        self._previous_hook = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        self._native: TextIO | None = None
        self._showing = False
        self.last_details = ""
        self.crashed.connect(self._show, Qt.ConnectionType.QueuedConnection)
        sys.excepthook = self._on_exception
        threading.excepthook = self._on_thread_exception
        self._enable_native(log_folder)

    def _enable_native(self, log_folder: Path) -> None:
        try:
            private_directory(log_folder)
            path = log_folder / NATIVE_CRASH_FILE
            self._native = open(path, "a", encoding="utf-8")  # noqa: SIM115  # open for life
            restrict_file(path)
            faulthandler.enable(self._native)
        except OSError:
            log.warning("native crash reports are off: the log folder is not writable")

    def uninstall(self) -> None:
        """Give the hooks back. faulthandler stays on: a crash while Python shuts down (Qt
        objects being freed) is exactly the kind worth a file; the OS closes it at exit."""
        sys.excepthook = self._previous_hook
        threading.excepthook = self._previous_thread_hook

    # --- hooks (any thread) --------------------------------------------------------------------

    def _on_exception(
        self, kind: type[BaseException], error: BaseException, trace: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            self._previous_hook(kind, error, trace)
            return
        self._report(kind, error, trace, "the window")

    def _on_thread_exception(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            return
        where = f"background thread {args.thread.name if args.thread else '?'}"
        self._report(args.exc_type, args.exc_value, args.exc_traceback, where)

    def _report(
        self,
        kind: type[BaseException],
        error: BaseException,
        trace: TracebackType | None,
        where: str,
    ) -> None:
        details = redacted_traceback(kind, error, trace)
        log.error("unexpected failure in %s:\n%s", where, details)
        summary = redact(f"{kind.__name__} in {where}")
        self.crashed.emit(summary, f"zinc-desktop {__version__}, in {where}\n{details}")

    # --- the dialog (GUI thread) ---------------------------------------------------------------

    @Slot(str, str)
    def _show(self, summary: str, details: str) -> None:
        self.last_details = details
        if self._showing:
            return  # one at a time: a burst of the same failure is one dialog
        self._showing = True
        box = QMessageBox(self._window)
        box.setObjectName("crashDialog")
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle("Something went wrong")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(
            f"zinc-desktop ran into a problem it did not expect ({summary}). Your accounts and "
            "keys are safe; what you were doing may not have finished."
        )
        box.setInformativeText(
            "The details below (with any key masked) are also in the log (Help › Open log "
            "folder). Copy them into a support request."
        )
        box.setDetailedText(details)
        copy = QPushButton("Copy details", box)  # parented: a local would die with this slot
        copy.setObjectName("copyCrashDetailsButton")
        box.addButton(copy, QMessageBox.ButtonRole.ActionRole)
        copy.clicked.disconnect()  # an action button would close the box: keep it open
        copy.clicked.connect(self._copy)
        box.addButton(QMessageBox.StandardButton.Close)
        box.setDefaultButton(QMessageBox.StandardButton.Close)
        box.finished.connect(self._closed)
        box.finished.connect(box.deleteLater)
        box.open()

    @Slot()
    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.last_details)

    @Slot()
    def _closed(self) -> None:
        self._showing = False
