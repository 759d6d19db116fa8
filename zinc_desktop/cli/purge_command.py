"""`zinc-desktop purge`: remove everything this profile keeps, keys first.

Every linked account is unlinked (its key leaves the keyring, then its metadata goes), keys the
keyring lists under this profile with no account are deleted, and then the files the app writes
in the profile's folders (data, settings, state, log) are removed by name, and each folder that
is empty then. Nothing else goes: a file or folder the app did not write stays (and is named),
with the folder that holds it, and a profile folder that is a symbolic link to a folder of the
user's loses only the app's files; the link and everything else there stay. A keyring that
cannot be used stops it before a file is touched, so no key is ever left without the account
that names it. The other profile's folders, which sit inside the normal profile's (`sandbox/`),
are kept: each profile is purged on its own (`zinc-desktop --sandbox purge`). uninstall.sh
--purge runs both.
"""

from __future__ import annotations

import argparse
import errno
import os
import re
import stat
from pathlib import Path
from typing import Any

from zinc_desktop.cli.command_help import add_command
from zinc_desktop.cli.console import Console
from zinc_desktop.core.foundation.app_paths import SANDBOX_PROFILE, AppPaths
from zinc_desktop.core.foundation.errors import AccountStoreError, SecretStoreUnavailable
from zinc_desktop.core.foundation.exit_codes import EXIT_OK, EXIT_USAGE
from zinc_desktop.core.foundation.log_redaction import redact, stop_file_logging
from zinc_desktop.core.operations.accounts import Unlink
from zinc_desktop.services import Services


class _Said:
    """What purge did: said line by line, or gathered for --json."""

    def __init__(self, console: Console, as_json: bool) -> None:
        self._console = console
        self._json = as_json
        self.done: dict[str, list[str]] = {
            "removed_accounts": [], "removed_orphan_keys": [], "removed_folders": [],
            "kept_folders": [], "notes": [],
        }  # fmt: skip

        self.kept_theirs = False  # something the app did not write was kept

    def say(self, kind: str, value: str, line: str) -> None:
        self.done[kind].append(value)
        if not self._json:
            self._console.say(line)

    def keep(self, folder: Path, why: str) -> None:
        line = f"kept {folder}: {why}"
        self.done["notes"].append(line)
        self.say("kept_folders", str(folder), line)


def register(commands: Any) -> None:
    purge = add_command(
        commands,
        "purge",
        summary="remove every account and its key, and this profile's data, settings and logs",
        details=(
            "Keys leave the keyring first, then each account's metadata and checks, then the "
            "files zinc-desktop writes in the profile's folders, and each folder left empty; "
            "anything else stays, and is named. Asks on a terminal; --yes confirms. --json "
            "prints what was done: removed_accounts, removed_orphan_keys, removed_folders, "
            "kept_folders, notes."
        ),
        exits=(
            "exit status: 0 purged, 2 not confirmed (nothing removed), "
            "3 the keyring or a folder unusable"
        ),
    )
    purge.add_argument(
        "--yes", action="store_true", help="do not ask (needed when stdin is not a terminal)"
    )
    purge.set_defaults(handler=purge_profile)


def purge_profile(args: argparse.Namespace, services: Services, console: Console) -> int:
    profile = "the --sandbox profile" if args.sandbox else "this profile"
    if not args.yes and not _confirmed(console, profile, services.paths.all()):
        return EXIT_USAGE
    said = _Said(console, args.json)
    _remove_keys(services, said)
    # What reading the accounts noticed (keys without an account "kept", a damaged file moved
    # aside) is no longer true once the folders go.
    services.links.take_notices()
    services.history.take_notices()
    stop_file_logging()  # the log folder goes too; nothing is logged after this
    other = AppPaths.for_profile() if args.sandbox else AppPaths.for_profile(SANDBOX_PROFILE)
    _remove_folders(services.paths, other, said)
    if args.json:
        console.say_json({"purged": "sandbox" if args.sandbox else "default", **said.done})
    else:
        console.say(
            f"Purged {profile}: its accounts, keys, data, settings and logs are gone."
            + (" What zinc-desktop did not write is kept (see above)." if said.kept_theirs else "")
        )
    return EXIT_OK


def _remove_keys(services: Services, said: _Said) -> None:
    """Unlink every account (key, then metadata), then delete the keys no account names."""
    links = services.links
    try:
        store = links.keyring()  # no keyring: stop before anything is removed
    except SecretStoreUnavailable as problem:
        raise type(problem)(
            f"{problem} Nothing was removed: purge deletes the keys first."
        ) from None
    accounts = links.accounts()
    for account in accounts:
        Unlink([account.id]).one(services.context)
        said.say(
            "removed_accounts",
            account.id,
            redact(f"removed account {account.id} ({account.label!r}) and its key"),
        )
    if not accounts:
        said.say("notes", "no linked accounts", "no linked accounts")
    listed = store.account_ids()
    if listed is None:
        note = (
            f"{store.description} cannot list its items, so keys that no account names "
            "(left by an older version) were not looked for"
        )
        said.say("notes", note, f"note: {note}")
    for orphan in sorted((listed or set()) - {account.id for account in links.accounts()}):
        links.remove_orphaned_key(orphan)
        said.say(
            "removed_orphan_keys",
            orphan,
            redact(f"removed a key that no account named (keyring item {orphan!r})"),
        )


def _remove_folders(paths: AppPaths, other: AppPaths, said: _Said) -> None:
    """The app's own files in this profile's folders, then each folder left empty, deepest
    first (the other profile's folders inside them stay); then the other profile's folders
    that only held this one's, if nothing is left in them, so the order of two purges makes no
    difference. Never a file by any other name, never through a link but by name."""
    mine = paths.all()
    keep = frozenset(folder for folder in other.all() if folder not in mine)
    written = paths.written_names()
    for folder in sorted(set(mine), key=lambda path: len(path.parts), reverse=True):
        if not os.path.lexists(folder):
            continue  # never made, or removed with a folder above it
        try:
            why = _purge_folder(folder, written.get(folder, ()), frozenset(mine), keep, said)
        except OSError as error:
            raise AccountStoreError(
                f"The folder {folder} could not be emptied: {error.strerror or error} "
                f"({error.filename or folder}). The accounts and their keys are gone already."
            ) from None
        if why is None:
            said.say("removed_folders", str(folder), f"removed {folder}")
        else:
            said.keep(folder, why)
    for enclosing in sorted(keep, key=lambda path: len(path.parts), reverse=True):
        if any(folder.is_relative_to(enclosing) for folder in mine) and _empty(enclosing):
            try:
                enclosing.rmdir()
            except OSError:
                continue  # something arrived meanwhile: not empty, so it stays
            said.say(
                "removed_folders", str(enclosing), f"removed {enclosing} (nothing was left in it)"
            )


def _purge_folder(
    folder: Path,
    written: tuple[re.Pattern[str], ...],
    mine: frozenset[Path],
    keep: frozenset[Path],
    said: _Said,
) -> str | None:
    """Remove the files in `folder` the app writes, then `folder` if it is empty and a real
    folder. None when it is gone; else why it stays."""
    target = os.readlink(folder) if folder.is_symlink() else None
    if not folder.is_dir():
        said.kept_theirs = True
        if target is not None:
            return f"it is a link to {target}, which is not a folder; left as it is"
        return "it is not a folder (zinc-desktop did not make it); left as it is"
    others, ours_kept, theirs = False, [], []
    for child in sorted(folder.iterdir()):
        if child in keep or any(kept.is_relative_to(child) for kept in keep):
            others = True
        elif child in mine:
            ours_kept.append(child.name)  # a folder of ours kept, said already
        elif _written_by_the_app(child, written):
            child.unlink()  # a link by our name goes itself; what it leads to stays
        else:
            theirs.append(child.name)
    if target is not None:
        said.kept_theirs = True
        return (
            f"it is a link to {target}: only zinc-desktop's own files in it were removed; the "
            "link and everything else there stay"
        )
    if theirs:
        said.kept_theirs = True
    if others or theirs or ours_kept:
        return _why_kept(others=others, ours_kept=ours_kept, theirs=theirs)
    try:
        folder.rmdir()
    except OSError as error:
        if error.errno not in (errno.ENOTEMPTY, errno.EEXIST):
            raise
        return "something was put in it meanwhile"
    return None


def _why_kept(*, others: bool, ours_kept: list[str], theirs: list[str]) -> str:
    reasons = []
    if others:
        reasons.append(
            "it holds the --sandbox profile's folders (zinc-desktop --sandbox purge removes them)"
        )
    if theirs:
        more = f" and {len(theirs) - 5} more" if len(theirs) > 5 else ""
        reasons.append(f"it holds what zinc-desktop did not write: {', '.join(theirs[:5])}{more}")
    if ours_kept:
        reasons.append(f"it holds {', '.join(ours_kept)}, kept as said")
    return "; ".join(reasons)


def _written_by_the_app(child: Path, written: tuple[re.Pattern[str], ...]) -> bool:
    """A file (or a link) by one of the names the app writes; a folder never is."""
    if not any(pattern.fullmatch(child.name) for pattern in written):
        return False
    mode = child.lstat().st_mode
    return stat.S_ISREG(mode) or stat.S_ISLNK(mode)


def _confirmed(console: Console, profile: str, folders: tuple[Path, ...]) -> bool:
    if not console.stdin.isatty():
        console.warn(
            f"refused: purge removes every account of {profile}, its key and its files; "
            "confirm with --yes (stdin is not a terminal). Nothing was removed."
        )
        return False
    console.warn(
        f"This removes every account of {profile} and its key from the keyring, and "
        f"zinc-desktop's files in {', '.join(str(f) for f in folders)} (each folder too, once "
        "nothing else is in it). It cannot be undone. Close any zinc-desktop window of this "
        "profile first."
    )
    console.stderr.write("Type yes to go on: ")
    console.stderr.flush()
    if console.stdin.readline().strip() == "yes":
        return True
    console.warn("Not confirmed; nothing was removed.")
    return False


def _empty(folder: Path) -> bool:
    try:
        return folder.is_dir() and not folder.is_symlink() and not any(folder.iterdir())
    except OSError:
        return False
