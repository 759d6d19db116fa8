"""The bundle's entry script: the same entry point as the console script.

On Windows the bundle holds two programs built from this script: `zinc-desktop.exe` (a console
program, for the command line) and `Zinc Desktop.exe` (a windowed one, for the Start menu, which
opens no console window). A windowed program starts with no standard streams: Python then sets
sys.stdout and sys.stderr to None, and the first print or log line to the console would fail.
"""

import os
import sys


def give_streams_somewhere() -> None:
    """Point missing standard streams at the null device (a windowed Windows program)."""
    for name in ("stdin", "stdout", "stderr"):
        if getattr(sys, name) is None:
            # Open for the life of the process, as the standard streams are.
            stream = open(os.devnull, "r" if name == "stdin" else "w", encoding="utf-8")  # noqa: SIM115
            setattr(sys, name, stream)


if __name__ == "__main__":
    give_streams_somewhere()
    from zinc_desktop.app import main

    sys.exit(main())
