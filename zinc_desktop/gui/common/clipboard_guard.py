"""Puts a key on the clipboard, hidden from clipboard managers, and takes it back in time."""

from __future__ import annotations

import hashlib
import hmac
import math
import time

from PySide6.QtCore import QMimeData, QObject, QTimer, Signal, Slot
from PySide6.QtGui import QClipboard

# Hints that ask clipboard managers (KDE Klipper, Windows history, macOS tools) not to keep it.
_CONCEALED_FORMATS = {
    "x-kde-passwordManagerHint": b"secret",
    "ExcludeClipboardContentFromMonitorProcessing": b"\x01\x00\x00\x00",
    "CanIncludeInClipboardHistory": b"\x00\x00\x00\x00",
    "CanUploadToCloudClipboard": b"\x00\x00\x00\x00",
    "org.nspasteboard.ConcealedType": b"",
}


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode()).digest()


class ClipboardGuard(QObject):
    """Clears the clipboard after `seconds`, but only if it still holds what we put there.

    Only a hash of the copied text is kept, not the text.

    Signals:
        countdown(int): whole seconds left before the clipboard is cleared.
        finished(bool): True if we cleared it, False if something else had replaced it.
    """

    countdown = Signal(int)
    finished = Signal(bool)

    def __init__(
        self, clipboard: QClipboard, seconds: float = 30.0, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._clipboard = clipboard
        self._seconds = seconds
        self._digest: bytes | None = None
        self._deadline = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(min(250, max(50, int(seconds * 250))))
        self._timer.timeout.connect(self._tick)

    @property
    def seconds(self) -> float:
        return self._seconds

    def copy_secret(self, text: str) -> None:
        mime = QMimeData()
        mime.setText(text)
        for mime_type, value in _CONCEALED_FORMATS.items():
            mime.setData(mime_type, value)
        self._clipboard.setMimeData(mime)
        self._digest = _digest(text)
        self._deadline = time.monotonic() + self._seconds
        self._timer.start()
        self.countdown.emit(math.ceil(self._seconds))

    def holds_our_secret(self) -> bool:
        if self._digest is None:
            return False
        return hmac.compare_digest(_digest(self._clipboard.text()), self._digest)

    def clear_now(self) -> None:
        """Clear at once if the clipboard still holds our copy (e.g. when the window closes)."""
        if self._digest is None:
            return
        ours = self.holds_our_secret()
        if ours:
            self._clipboard.clear()
        self._digest = None
        self._timer.stop()
        self.finished.emit(ours)

    @Slot()
    def _tick(self) -> None:
        if not self.holds_our_secret():
            self._digest = None
            self._timer.stop()
            self.finished.emit(False)
            return
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            self.clear_now()
        else:
            self.countdown.emit(math.ceil(remaining))
