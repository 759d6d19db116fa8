"""A cheaper answer to the question PySide6 asks of every module imported after it.

PySide6's `__feature__` support (snake_case, true_property) records, for each newly imported
module, whether its source mentions "PySide6". It finds out with `inspect.getsource`, which
decodes and splits the whole file into lines and keeps them in `linecache` for the life of the
process: about 0.1 ms and 15 KB per module, for every module the app imports after Qt (the
HTTP stack, the keyring, ours), paid on whichever thread imports it. We never use
`__feature__`; the answer is the same when read from the raw bytes, and nothing is cached.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType


def install() -> bool:
    """Swap in the cheaper scan; False (and nothing changed) if this PySide6 has none."""
    feature = sys.modules.get("shibokensupport.feature")
    original: Callable[[ModuleType], bool] | None = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or original is None or getattr(original, "reads_bytes", False):
        return False

    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return original(module)  # built-in, extension or frozen: as PySide6 decides
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return original(module)

    uses_pyside.reads_bytes = True  # type: ignore[attr-defined]
    uses_pyside.original = original  # type: ignore[attr-defined]
    setattr(feature, "_mod_uses_pyside", uses_pyside)  # noqa: B010  # a private name
    return True
