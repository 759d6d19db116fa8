"""What a support call asks first, at the top of each run's log: versions and the keyring.

The log itself (rotating, owner-only, keys masked) is core.log_redaction's.
"""

from __future__ import annotations

import logging
import sys
import threading

from zinc_desktop.core.log_redaction import runtime_description
from zinc_desktop.services import Services

log = logging.getLogger("zinc_desktop.app")


def qt_versions() -> dict[str, str]:
    """Qt and PySide6 as loaded; a command never loads them."""
    if "PySide6.QtCore" not in sys.modules:
        return {"Qt": "not loaded"}
    import PySide6
    from PySide6.QtCore import qVersion

    return {"Qt": qVersion(), "PySide6": PySide6.__version__}


def log_run_start() -> None:
    """One line: app version (bundle or not), platform, Python, Qt and PySide6."""
    log.info("started: %s", runtime_description(qt_versions()))


def report_keyring_backend(services: Services) -> threading.Thread:
    """Log the keyring backend from a thread of its own: finding it may wait on D-Bus.

    The window calls this once it is on screen; the first use of the keyring (here or by the
    window's own workers, whichever comes first) discovers the backend, and later uses reuse it.
    """

    def report() -> None:
        try:
            description = services.links.keyring_description()
        except Exception as error:  # noqa: BLE001  # a log line, whatever went wrong
            description = f"unusable ({type(error).__name__})"
        log.info("keyring backend: %s", description)

    thread = threading.Thread(target=report, name="keyring-report", daemon=True)
    thread.start()
    return thread
