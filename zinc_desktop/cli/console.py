"""Where a command reads and writes: output that never fails on the terminal's encoding, a
reader that went away (`| head`), and a key read from stdin or ZINC_API_KEY, never argv."""

from __future__ import annotations

import codecs
import contextlib
import getpass
import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TextIO

from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.errors import KeyFormatError

# What a terminal that cannot show our few non-ASCII characters gets instead (say, under
# LC_ALL=en_GB.ISO-8859-1, or a Windows console's code page); anything else becomes "?".
_FALLBACKS = {
    "•": "*",
    "…": "...",
    "·": "-",
    "–": "-",
    "—": "-",
    "’": "'",
    "\u2018": "'",
    "“": '"',
    "”": '"',
    "›": ">",
    "✓": "v",
    "⚠": "!",
    "\u00d7": "x",
}
ERRORS = "zinc-desktop-fallback"
_PIECE = 8192  # bytes per write of say_exactly


def _fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    return "".join(_FALLBACKS.get(character, "?") for character in text), error.end


codecs.register_error(ERRORS, _fallback)


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

    def say_exactly(self, text: str) -> None:
        """`text` as it is: no line end added, none translated (CSV's CRLF stays CRLF, also
        where a text stream would make each one CR CR LF), in the output's encoding, with the
        same fallbacks as every line."""
        binary = getattr(self.stdout, "buffer", None)
        if binary is None:  # a StringIO, say: it translates nothing
            self.stdout.write(text)
            return
        self.stdout.flush()
        encoding = getattr(self.stdout, "encoding", None) or "utf-8"
        data = text.encode(encoding, errors=ERRORS)
        # In pieces: one large write to a pipe its reader closed (`| head`) ends in a short
        # write, not an error, and the command would not know the reader went away.
        for start in range(0, len(data), _PIECE):
            binary.write(data[start : start + _PIECE])
        binary.flush()

    def say_json(self, value: Any, *, one_line: bool = False) -> None:
        """`value` as indented JSON (a list: one item a line; `one_line`: all on one line);
        \\u escapes where the output cannot carry the text."""
        encoding = (getattr(self.stdout, "encoding", None) or "utf-8").lower().replace("_", "-")
        ascii_only = encoding not in ("utf-8", "utf8")
        if isinstance(value, list) and value and not one_line:
            # A list of records, one a line, by json's C encoder: `indent` switches json to its
            # pure-Python encoder, a third of a second for 10,000 accounts.
            encode = json.JSONEncoder(ensure_ascii=ascii_only).encode
            self.say("[\n  " + ",\n  ".join(map(encode, value)) + "\n]")
            return
        self.say(json.dumps(value, indent=None if one_line else 2, ensure_ascii=ascii_only))

    def finish(self) -> None:
        """Flush what is buffered; BrokenPipeError if the reader has gone."""
        self.stdout.flush()

    def reader_gone(self) -> None:
        """The reader went away: nothing more goes to it, and the interpreter's own final flush
        must not complain either (it would print "Exception ignored ... BrokenPipeError")."""
        if self.stdout is not sys.stdout:
            return
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)


def standard_console(environ: Mapping[str, str]) -> Console:
    """The process's own streams, made so that output never fails on an encoding. A stream
    the shell closed (`>&-`, `2>&-`) is None in Python: what would go there goes nowhere, and
    the other stream still gets its share."""
    streams: list[TextIO] = []
    for given in (sys.stdout, sys.stderr):
        stream = given if given is not None else open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors=ERRORS)  # type: ignore[union-attr]
        streams.append(stream)
    stdin = sys.stdin if sys.stdin is not None else open(os.devnull, encoding="utf-8")  # noqa: SIM115
    return Console(stdin, streams[0], streams[1], environ)


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
