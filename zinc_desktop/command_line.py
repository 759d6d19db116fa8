"""What the window and the commands share about arguments: which path a command line takes,
argument types that refuse nonsense, and a parser whose errors are one masked line.

Light on purpose (argparse and math only): the window imports it before Qt.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence
from typing import NoReturn

from zinc_desktop.core.foundation.exit_codes import COMMANDS

# Qt's own options that take a value (`-style fusion`); one or two dashes, as Qt accepts.
_QT_OPTIONS_WITH_VALUE = frozenset(
    {
        "platform",
        "platformpluginpath",
        "platformtheme",
        "plugin",
        "style",
        "stylesheet",
        "display",
        "geometry",
        "qwindowgeometry",
        "qwindowtitle",
        "qwindowicon",
        "session",
        "name",
        "title",
        "qmljsdebugger",
    }
)
_WINDOW_OPTIONS_WITH_VALUE = frozenset({"--demo-seconds"})
_CLI_WORDS = frozenset({*COMMANDS, "-h", "--help", "--version"})
MAX_DEMO_SECONDS = 86_400.0


class ArgumentProblem(Exception):
    """A command line that cannot be used; the message is one line, key shapes masked."""


def wants_window(args: Sequence[str]) -> bool:
    """The window opens for no arguments, window options and Qt's own options only.

    Anything else (a command, a typo such as `lnk`, a key pasted as an argument) goes to the
    command line, which names the problem in one line instead of opening a window that
    silently ignores it.
    """
    expecting_value = False
    for arg in args:
        if expecting_value:
            expecting_value = False
            continue
        if arg in _CLI_WORDS:
            return False
        if not arg.startswith("-") or arg == "-":
            return False  # a positional word: a command the CLI will name as unknown
        name = arg.lstrip("-").split("=", 1)[0]
        if "=" not in arg and (arg in _WINDOW_OPTIONS_WITH_VALUE or name in _QT_OPTIONS_WITH_VALUE):
            expecting_value = True
    return True


def demo_seconds(text: str) -> float:
    """--demo-seconds: a finite number of seconds above 0, up to a day."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not math.isfinite(value) or not 0 < value <= MAX_DEMO_SECONDS:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a journey length: give seconds above 0, up to {MAX_DEMO_SECONDS:g}"
        )
    return value


def port(text: str) -> int:
    """--port: 0 (any free port) to 65535."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(
            f"{value} is not a port: give 0 to 65535 (0: any free one)"
        )
    return value


def add_window_options(parser: argparse.ArgumentParser) -> None:
    """The window's options; the commands' parser has them too, so that --help lists them."""
    parser.add_argument(
        "--sandbox",
        action="store_true",
        help="serve Staging and Production from the built-in simulator on 127.0.0.1",
    )
    parser.add_argument(
        "--demo-seconds",
        type=demo_seconds,
        default=60.0,
        help="with --sandbox: how long a simulated check's whole journey takes (default 60)",
    )
    parser.add_argument(
        "--present", action="store_true", help="no command: open the window in presenting mode"
    )
    parser.add_argument(
        "--json", action="store_true", help="with a command: its answer (and errors) as JSON"
    )


class OneLineParser(argparse.ArgumentParser):
    """argparse, whose usage errors raise ArgumentProblem (one line) instead of printing the
    usage block and exiting; the caller prints it, masked, and exits 2."""

    def error(self, message: str) -> NoReturn:
        if message.startswith("unrecognized arguments:"):
            # Not repeated: what was typed there may be a person's details or a key.
            count = len(message.removeprefix("unrecognized arguments:").split())
            message = f"{count} argument{'s' if count != 1 else ''} this command does not take"
        raise ArgumentProblem(f"{message} (see {self.prog} --help)")
