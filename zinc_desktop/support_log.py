"""What a support call asks first, at the top of each run's log: the versions.

The keyring backend follows once it is first opened (LinkService.keyring, off the GUI
thread). The log itself (rotating, owner-only, keys masked) is core.log_redaction's.
"""

from __future__ import annotations

import logging
import sys

from zinc_desktop.core.foundation.log_redaction import runtime_description

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
