"""`zinc-desktop purge`: remove everything this profile keeps, keys first.

Every linked account is unlinked (its key leaves the keyring, then its metadata goes), keys the
keyring lists under this profile with no account are deleted, and then the profile's folders
(data, settings, state, log) are removed. A keyring that cannot be used stops it before a
folder is touched, so no key is ever left without the account that names it. The other
profile's folders, which sit inside the normal profile's (`sandbox/`), are kept: each profile
is purged on its own (`zinc-desktop --sandbox purge`). uninstall.sh --purge runs both.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path
from typing import Any

from zinc_desktop.cli.command_help import add_command
from zinc_desktop.cli.console import Console
from zinc_desktop.core.app_paths import SANDBOX_PROFILE, AppPaths
from zinc_desktop.core.errors import AccountStoreError, SecretStoreUnavailable
from zinc_desktop.core.log_redaction import redact, stop_file_logging
from zinc_desktop.exit_codes import EXIT_OK, EXIT_USAGE
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

    def say(self, kind: str, value: str, line: str) -> None:
        self.done[kind].append(value)
        if not self._json:
            self._console.say(line)


def register(commands: Any) -> None:
    purge = add_command(
        commands,
        "purge",
        summary="remove every account and its key, and this profile's data, settings and logs",
        details=(
            "Keys leave the keyring first, then each account's metadata and checks, then the "
            "profile's folders. Asks on a terminal; --yes confirms. --json prints what was "
            "removed: removed_accounts, removed_orphan_keys, removed_folders, kept_folders."
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
        console.say(f"Purged {profile}: its accounts, keys, data, settings and logs are gone.")
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
        services.unlink(account.id)
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
    """This profile's folders, except the other profile's inside them; then the other
    profile's folders that only held this one's (the normal profile's around the sandbox's),
    if nothing is left in them, so the order of two purges makes no difference."""
    mine = paths.all()
    keep = frozenset(folder for folder in other.all() if folder not in mine)
    for folder in mine:
        if not (folder.exists() or folder.is_symlink()):
            continue  # absent, or inside a folder already removed
        try:
            gone = _remove(folder, keep)
        except OSError as error:
            raise AccountStoreError(
                f"The folder {folder} could not be removed: {error.strerror or error} "
                f"({error.filename or folder}). The accounts and their keys are gone already."
            ) from None
        if gone:
            said.say("removed_folders", str(folder), f"removed {folder}")
        else:
            said.say(
                "kept_folders",
                str(folder),
                f"kept {folder}: it holds the --sandbox profile's folders "
                "(zinc-desktop --sandbox purge removes them)",
            )
    for enclosing in sorted(keep, key=lambda path: len(path.parts), reverse=True):
        if any(folder.is_relative_to(enclosing) for folder in mine) and _empty(enclosing):
            try:
                enclosing.rmdir()
            except OSError:
                continue  # something arrived meanwhile: not empty, so it stays
            said.say(
                "removed_folders", str(enclosing), f"removed {enclosing} (nothing was left in it)"
            )


def _confirmed(console: Console, profile: str, folders: tuple[Path, ...]) -> bool:
    if not console.stdin.isatty():
        console.warn(
            f"refused: purge removes every account of {profile}, its key and its folders; "
            "confirm with --yes (stdin is not a terminal). Nothing was removed."
        )
        return False
    console.warn(
        f"This removes every account of {profile} and its key from the keyring, and the "
        f"folders {', '.join(str(f) for f in folders)}. It cannot be undone. Close any "
        "zinc-desktop window of this profile first."
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


def _remove(folder: Path, keep: frozenset[Path]) -> bool:
    """Delete `folder` with everything in it except the folders in `keep` (and the folders on
    the way to them); symbolic links are removed, never followed. True if `folder` is gone."""
    for child in folder.iterdir():
        if child in keep:
            continue
        if child.is_dir() and not child.is_symlink():
            if any(kept.is_relative_to(child) for kept in keep):
                _remove(child, keep)
            else:
                shutil.rmtree(child)
        else:
            child.unlink()
    if folder.is_symlink():  # the profile's folder itself may be a link to elsewhere
        folder.unlink()
        return True
    if any(folder.iterdir()):
        return False
    folder.rmdir()
    return True
