"""The linked accounts as CSV for a spreadsheet: never a secret, never a formula.

Columns: id, label, environment (`staging`/`production`), status (as `accounts list --json`
says it), key_ending (`••••8cef`, as the app shows it), linked_at, last_checked_at (ISO 8601,
UTC, empty when never), last_message (the last check's verdict or the reason for the status).

Every text cell is made safe for a spreadsheet:

- any run that may be a key (32 or more hex characters, also with separators or invisible
  characters between them) is masked as its last 4 (`••••8cef`), as everywhere;
- a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so
  Excel, LibreOffice and Google Sheets show it as text instead of running it as a formula
  (OWASP's advice on CSV injection);
- control characters other than tab and line breaks become spaces, and what UTF-8 cannot
  carry (a lone surrogate from a hand-edited file) becomes `?`.

Quoting and line ends are RFC 4180's, by the csv module: CRLF after every record, a field with
a comma, quote or line break quoted, quotes doubled.

Encoding: UTF-8. A file (`write_accounts_csv`) starts with a byte-order mark, because Excel on
Windows opens a double-clicked .csv without one in the ANSI code page (`••••` and `é` come out
garbled); LibreOffice, Numbers, Google Sheets and Python (`encoding="utf-8-sig"`) read it
either way. Text for a pipe (`accounts_csv`, what `accounts list --csv` prints) has none: a
script reading it would find the mark glued to the first column's name.

While presenting (`presented`: the presented account's id), the CSV holds that account alone,
its texts masked as a shared screen shows them (`presenting.Presentation`) and no key ending:
nothing of any other account, no address, no ending of any key.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from zinc_desktop.core.accounts.model import Account
from zinc_desktop.core.accounts.presenting import HIDDEN, Presentation
from zinc_desktop.core.foundation.api_key import mask_hint, mask_key_runs_in_disguise
from zinc_desktop.core.foundation.app_paths import write_atomically
from zinc_desktop.core.foundation.time_text import iso_utc

COLUMNS = (
    "id",
    "label",
    "environment",
    "status",
    "key_ending",
    "linked_at",
    "last_checked_at",
    "last_message",
)
# What makes a spreadsheet read a cell as a formula (or, for tab and CR, can hide one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BYTE_ORDER_MARK = "\ufeff"
_KEPT_CONTROLS = frozenset("\t\n\r")


def spreadsheet_cell(text: str) -> str:
    """`text` as a cell may hold it: key-shaped runs masked, no formula, no stray control
    character, nothing UTF-8 cannot carry."""
    text = mask_key_runs_in_disguise(text)
    text = "".join(
        " " if (ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0) and c not in _KEPT_CONTROLS else c
        for c in text
    )
    text = text.encode("utf-8", errors="replace").decode("utf-8")
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _row(account: Account, presentation: Presentation | None) -> list[str]:
    label, message = account.label, account.last_message
    if presentation is not None:
        label, message = presentation.text(label), presentation.text(message)
    return [
        spreadsheet_cell(cell)
        for cell in (
            account.id,
            label,
            account.environment.value,
            account.status.value,
            HIDDEN if presentation is not None else mask_hint(account.key_hint),
            iso_utc(account.linked_at) or "",
            iso_utc(account.last_checked_at) or "",
            message,
        )
    ]


def accounts_csv(accounts: Iterable[Account], *, presented: str | None = None) -> str:
    """The accounts as CSV text (a header, then a record per account, CRLF line ends, no
    byte-order mark). `presented`: the presented account's id while presenting: only that
    account, as a shared screen shows it (none at all when no account has that id)."""
    everyone = list(accounts)
    presentation: Presentation | None = None
    shown = everyone
    if presented is not None:
        shown = [account for account in everyone if account.id == presented][:1]
        if shown:
            presentation = Presentation(shown[0], everyone)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(_row(account, presentation) for account in shown)
    return out.getvalue()


def write_accounts_csv(
    path: Path, accounts: Iterable[Account], *, presented: str | None = None
) -> None:
    """Write the CSV to exactly `path` (the file the user named), UTF-8 with a byte-order mark,
    in one step and owner-only (0600): a crash leaves the old file or the new one. A link at
    `path` is replaced, not followed. Raises OSError."""
    text = accounts_csv(accounts, presented=presented)
    write_atomically(path, (BYTE_ORDER_MARK + text).encode("utf-8"))
