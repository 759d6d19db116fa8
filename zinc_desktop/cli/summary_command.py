"""`checks summary ID CHECK_ID --output FILE`: the check's summary, as the window exports it.

The check is read through the same ReadCheck operation as `checks status` (the account's own key,
a check of another account refused), then the page is rendered by the window's own exporter
and written to exactly FILE, atomically and owner-only. Qt is imported here, inside the
command, so that every other command starts without it.

A candidate's name, like every candidate detail, never comes from the command line: it is read
from a file or stdin (`--candidate-name FILE|-`), used for this one file and kept nowhere.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from zinc_desktop.cli.console import Console, UsageError
from zinc_desktop.core.checks.summary import (
    MAX_NAME_LENGTH,
    CheckSummary,
    SummaryFormat,
    clean_export_name,
    summary_targets,
)
from zinc_desktop.core.foundation.errors import InputRefused, ZincDesktopError
from zinc_desktop.core.foundation.exit_codes import EXIT_OK
from zinc_desktop.core.foundation.time_text import now_local
from zinc_desktop.core.operations.checks import ReadCheck, elsewhere_record
from zinc_desktop.core.zinc.api import validate_typed_check_id
from zinc_desktop.services import Services

CONSULTANT_VARIABLE = "ZINC_CONSULTANT"
SUFFIXES = ".pdf, .html or .htm"
_MAX_NAME_BYTES = 4096  # far more than any name: a file larger than this is not one

_qt_application: Any = None  # the one Qt application of a command-line run, kept alive


class SummaryNotWritten(ZincDesktopError):
    """The file could not be written (exit 3, like any file the app cannot use)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", help="the account")
    parser.add_argument("check_id")
    parser.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        required=True,
        help=f"the file to write; its suffix ({SUFFIXES}) decides PDF or HTML",
    )
    parser.add_argument(
        "--consultant",
        metavar="NAME",
        help=f"your name, shown as 'Prepared by' (default: ${CONSULTANT_VARIABLE}, if set)",
    )
    parser.add_argument(
        "--candidate-name",
        metavar="FILE|-",
        nargs="?",
        const="-",
        help=(
            "show the candidate's name in this export: read from a file, or from stdin with - "
            "(prompted for on a terminal); never taken on the command line, never kept"
        ),
    )
    parser.add_argument(
        "--force", action="store_true", help="replace FILE if it exists (else: exit 2)"
    )


def check_summary(args: argparse.Namespace, services: Services, console: Console) -> int:
    account = services.links.find(args.id)
    # Before anything is sent or read: a key in disguise, the id's form, the file, the names.
    services.links.refuse_key_in(args.check_id, "check id")
    check_id = validate_typed_check_id(args.check_id)
    output = Path(args.output)
    kind = _format_of(output)
    _refuse_to_replace(output, force=args.force)
    hints = services.links.key_hints()
    consultant = _consultant(args, console, services, hints)
    candidate_name = _candidate_name(args.candidate_name, console, services, hints)

    result = ReadCheck(account, check_id).run(services.context)
    # A check this app does not know is summarised as seen now, and not remembered.
    record = result.record or elsewhere_record(account, result.report)
    summary = CheckSummary(
        account.label,
        account.environment,
        record,
        result.report,
        now_local(),
        hints=hints,
        consultant=consultant,
        candidate_name=candidate_name,
    )
    targets = summary_targets(output)
    assert [t.path for t in targets] == [output]  # a named suffix: exactly FILE, nothing beside
    _refuse_to_replace(output, force=args.force)  # again: the read took a while
    _write(summary, targets)
    written = os.path.abspath(output)
    if args.json:
        console.say_json({"written": written, "format": kind.value})
    else:
        console.say(f"Wrote the summary of {check_id} to {written} ({kind.name}).")
    return EXIT_OK


def _format_of(output: Path) -> SummaryFormat:
    kind = SummaryFormat.of(output)
    if kind is None:
        shown = output.suffix or "no suffix"
        raise UsageError(
            f"The output file must end in {SUFFIXES}, which decides PDF or HTML; "
            f"{output.name!r} has {shown}. Nothing was read or written."
        )
    return kind


def _refuse_to_replace(output: Path, *, force: bool) -> None:
    if output.is_dir():
        raise UsageError(f"{output} is a folder; name a file in it. Nothing was written.")
    if not output.parent.is_dir():
        raise UsageError(f"The folder {output.parent} does not exist. Nothing was written.")
    if (output.exists() or output.is_symlink()) and not force:
        raise UsageError(
            f"{output} exists; add --force to replace it, or name another file. "
            "Nothing was written."
        )


def _consultant(
    args: argparse.Namespace, console: Console, services: Services, hints: tuple[str, ...]
) -> str:
    given = args.consultant is not None
    text = args.consultant if given else console.environ.get(CONSULTANT_VARIABLE, "")
    source = "--consultant" if given else CONSULTANT_VARIABLE
    try:
        services.links.refuse_key_in(text, "consultant's name")
        return clean_export_name(text, "consultant's name", hints)
    except InputRefused as problem:
        raise InputRefused(f"{problem} (from {source})") from None


def _candidate_name(
    source: str | None, console: Console, services: Services, hints: tuple[str, ...]
) -> str:
    """The name from a file or stdin (`-`), or asked for on a terminal; "" when not asked for."""
    if source is None:
        return ""
    if source == "-":
        if console.stdin.isatty():
            console.stderr.write("Candidate's name (for this export only): ")
            console.stderr.flush()
            text = console.stdin.readline()
        else:
            text = console.stdin.read(_MAX_NAME_BYTES + 1)
    else:
        text = _read_name_file(Path(source))
    if len(text) > _MAX_NAME_BYTES:
        raise UsageError(
            f"The candidate's name is at most {MAX_NAME_LENGTH} characters; that input is "
            "far longer. Nothing was read or written."
        )
    text = text.removeprefix("\ufeff")  # a byte order mark some editors write first
    if not text.strip():
        raise UsageError(
            "--candidate-name was given, but no name came "
            + ("from stdin." if source == "-" else "from that file.")
            + " Nothing was read or written."
        )
    services.links.refuse_key_in(text, "candidate's name")
    return clean_export_name(text, "candidate's name", hints)


def _read_name_file(path: Path) -> str:
    """The name in a file. The message never repeats the argument: someone may have typed the
    name itself where the file belongs."""
    advice = (
        "give a file holding the candidate's name, or - to pipe it on stdin; a name is not "
        "taken on the command line, where other users and the shell history can read it. "
        "Nothing was read or written."
    )
    try:
        with path.open("rb") as handle:
            data = handle.read(_MAX_NAME_BYTES + 1)
    except OSError as error:
        raise UsageError(
            f"The --candidate-name file cannot be read ({error.strerror or 'unreadable'}): "
            + advice
        ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"The --candidate-name file is not UTF-8 text: {advice}") from None


def _write(summary: CheckSummary, targets: list[Any]) -> None:
    """Render with Qt's own PDF writer (the window's exporter) and write the file."""
    _start_qt()
    from zinc_desktop.gui.demo.summary_export import export_summary

    try:
        export_summary(summary, targets)
    except OSError as error:
        raise SummaryNotWritten(
            f"The summary could not be written to {targets[0].path}: "
            f"{error.strerror or error}. Nothing else was written."
        ) from None


def _start_qt() -> None:
    """Qt's PDF writer needs an application object. A file export needs no window, so on Linux
    and the BSDs it takes the offscreen platform (no display, or one gone stale over ssh: Qt
    would abort on it) unless QT_QPA_PLATFORM says otherwise; macOS and Windows use their own.

    A QApplication, not only a QGuiApplication: in a process that later shows widgets (the
    tests run commands in-process) a bare QGuiApplication would be the one instance, and
    widgets need a QApplication.
    """
    global _qt_application  # noqa: PLW0603  # one per process, made on first use
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    if existing is not None:
        return
    argv = ["zinc-desktop"]
    if not os.environ.get("QT_QPA_PLATFORM") and sys.platform not in ("darwin", "win32"):
        argv += ["-platform", "offscreen"]
    _qt_application = QApplication(argv)
