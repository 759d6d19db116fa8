"""One sentence for the user, whatever went wrong."""

from __future__ import annotations

from zinc_desktop.core.foundation.errors import ZincDesktopError


def describe_error(error: BaseException | None) -> str:
    if isinstance(error, ZincDesktopError | ValueError):
        return str(error)
    if isinstance(error, OSError):
        return f"A file could not be read or written: {error.strerror or error}."
    return f"Something unexpected went wrong ({type(error).__name__}); details are in the log."
