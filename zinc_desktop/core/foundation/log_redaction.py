"""Scrubbing text we did not write, and the app's log file, whose filter masks key shapes."""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
from pathlib import Path
from typing import Any

from zinc_desktop.core.foundation.api_key import ApiKey, mask_key_runs
from zinc_desktop.core.foundation.app_paths import private_directory
from zinc_desktop.core.foundation.owner_only import restrict_descriptor, restrict_file

SERVER_TEXT_LIMIT = 300


def redact(text: str) -> str:
    """Text we wrote (a log line, a usage error quoting an argument) with key shapes masked,
    also a key pasted right against other hex ("…<key>deadbeef"): the whole run goes."""
    return mask_key_runs(text, "[key ••••{}]")


def _printable(text: str) -> str:
    """Line breaks and tabs become spaces; every other control or format character goes."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else " " if c.isspace() else "" for c in text)


def scrub_server_text(
    text: str, key: ApiKey | None = None, *, limit: int = SERVER_TEXT_LIMIT
) -> str:
    """Make text a server (or a library quoting one) supplied safe to show, store and log.

    `key` is masked in any case, as is any run of 32+ hex characters (someone's key), the way
    a key is always shown (`••••` and its last 4); control characters and line breaks go, so
    the result is one line; it is at most `limit` characters long.
    """
    if key is not None:
        text = key.masked_in(text)  # before _printable could join a disguised key's pieces
    text = _printable(text)
    text = mask_key_runs(text)
    text = text.strip()
    if len(text) > limit:
        text = text[: max(limit - 1, 0)].rstrip() + "…"
    return text


class RedactingFilter(logging.Filter):
    """Masks key-shaped runs in every record, whatever code logged them."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg = redact(message)
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Opens every log file, the first and each one after a rollover, owner-only (0600).

    The stock handler opens with the process umask (0644 typically, 0666 under `umask 000`);
    rotated files are renamed, so they keep the mode they were written with.
    """

    def _open(self) -> Any:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        restrict_descriptor(fd)  # an existing file from an older version may be wider
        return os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)


def configure_file_logging(log_file: Path, level: int = logging.INFO) -> logging.Handler:
    """Log to `log_file` (owner-only), rotating at 1 MB, replacing an earlier file handler."""
    stop_file_logging()
    root = logging.getLogger("zinc_desktop")
    private_directory(log_file.parent)
    handler = PrivateRotatingFileHandler(
        log_file, maxBytes=1_000_000, backupCount=2, encoding="utf-8"
    )
    for rotated in log_file.parent.glob(f"{log_file.name}.*"):
        restrict_file(rotated)  # written by an older version under a wider umask
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    handler.zinc_desktop_file = True  # type: ignore[attr-defined]
    root.setLevel(level)
    root.addHandler(handler)
    return handler


def stop_file_logging() -> None:
    """Close and detach the log file handler, if any (before its folder is deleted: a handler
    left open would write into a removed file, or make the folder again)."""
    root = logging.getLogger("zinc_desktop")
    for handler in [h for h in root.handlers if getattr(h, "zinc_desktop_file", False)]:
        root.removeHandler(handler)
        handler.close()


def runtime_description(extra: dict[str, str] | None = None) -> str:
    """One line for the top of a run's log: what a support call asks first.

    The app version (and whether it runs from the standalone bundle), the platform and Python;
    `extra` adds what core cannot know (the Qt and PySide6 versions, from the GUI side).
    The log holds 3 files of 1 MB (configure_file_logging), so a support call gets the
    latest few runs, each starting with this line.
    """
    import contextlib
    import platform

    from zinc_desktop import __version__

    build = "bundle" if getattr(sys, "frozen", False) else "python"
    system = f"{platform.system()} {platform.release()} {platform.machine()}"
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, KeyError):
            system += f" ({platform.freedesktop_os_release()['PRETTY_NAME']})"
    parts = {
        "zinc-desktop": f"{__version__} ({build})",
        "platform": system,
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        **(extra or {}),
    }
    return "; ".join(f"{name} {value}" for name, value in parts.items())
