"""A second window of this app on the built-in simulator (`--sandbox`): a demo without a key,
from an installed app whose own window talks to real Zinc."""

from __future__ import annotations

import sys

from PySide6.QtCore import QProcess


def simulator_command() -> list[str]:
    """How this very app is started on the simulator: the frozen bundle's executable, or this
    Python running the package."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "--sandbox"]
    return [sys.executable, "-m", "zinc_desktop", "--sandbox"]


def open_simulator_window() -> int | None:
    """Start it, detached (it outlives this window); its process id, or None if it could not
    start. A simulator window already open comes forward instead (the single-instance guard of
    the sandbox profile)."""
    program, *arguments = simulator_command()
    started, pid = QProcess.startDetached(program, arguments)
    return pid if started else None
