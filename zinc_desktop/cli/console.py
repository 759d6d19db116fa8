"""Where a command reads and writes, and how it reads a key: stdin or ZINC_API_KEY, never argv."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TextIO

from zinc_desktop.core.api_key import ApiKey
from zinc_desktop.core.errors import KeyFormatError


class UsageError(Exception):
    """Bad input on the command line or stdin: exit 2, nothing was done."""


@dataclass
class Console:
    """Where the CLI reads and writes, so tests can run it in-process."""

    stdin: TextIO
    stdout: TextIO
    stderr: TextIO
    environ: Mapping[str, str]

    def say(self, text: str) -> None:
        print(text, file=self.stdout)

    def warn(self, text: str) -> None:
        print(text, file=self.stderr)


def standard_console(environ: Mapping[str, str]) -> Console:
    return Console(sys.stdin, sys.stdout, sys.stderr, environ)


def read_key(console: Console) -> ApiKey:
    """The key from ZINC_API_KEY or stdin (hidden prompt on a terminal), never from argv."""
    text = console.environ.get("ZINC_API_KEY", "")
    if not text.strip():
        if console.stdin.isatty():
            text = getpass.getpass("Zinc API key (input hidden): ", stream=console.stderr)
        else:
            text = console.stdin.read(4096)
    if not text.strip():
        raise UsageError("No key given: pipe it on stdin or set ZINC_API_KEY.")
    try:
        return ApiKey.parse(text)
    except KeyFormatError as error:
        raise UsageError(f"Not a Zinc key: {error.reason}") from None
