"""Opens the window (built in the window issue); for now it says how to use the CLI."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any


def launch_window(
    args: Sequence[str], environ: Mapping[str, str], make_services: Callable[[bool], Any]
) -> int:
    print("The window is not built yet; see `zinc-desktop --help`.", file=sys.stderr)
    return 2
