"""Runs the CLI in-process, through the real composition root, with captured streams."""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from zinc_desktop import cli
from zinc_desktop.app import make_services_factory


@dataclass
class Outcome:
    code: int
    out: str
    err: str


class TtyLessInput(io.StringIO):
    def isatty(self) -> bool:
        return False


def run_cli(
    args: list[str], environ: Mapping[str, str], keyring_backend: Any, stdin: str = ""
) -> Outcome:
    stdout, stderr = io.StringIO(), io.StringIO()
    console = cli.Console(TtyLessInput(stdin), stdout, stderr, environ)
    code = cli.run(args, console, make_services_factory(environ, keyring_backend))
    return Outcome(code, stdout.getvalue(), stderr.getvalue())
