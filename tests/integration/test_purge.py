"""`zinc-desktop purge`: every account, its key and the profile's folders, through the real CLI
(composition root, LinkService, KeyringSecretStore) against the simulator."""

from __future__ import annotations

import io
import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import PRODUCTION_KEY, STAGING_KEY
from tests.support.cli_runner import Outcome, run_cli
from tests.support.memory_keyring import MemoryKeyring, failing_backend, secret_service_backend
from tests.support.platforms import file_modes, folder_links, secret_service_only
from zinc_desktop import cli
from zinc_desktop.app import make_services_factory
from zinc_desktop.core.accounts.secret_store import KeyringSecretStore
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.app_paths import SANDBOX_PROFILE, AppPaths
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.sandbox import DEMO_KEYS

Cli = Callable[..., Outcome]
XDG_ROOTS = ("xdg_data_home", "xdg_config_home", "xdg_state_home")


@pytest.fixture
def zinc(environ: dict[str, str], memory_keyring: MemoryKeyring) -> Cli:
    def run(*args: str, stdin: str = "") -> Outcome:
        return run_cli(list(args), environ, memory_keyring, stdin)

    return run


class TerminalInput(io.StringIO):
    """What the user types at a terminal."""

    def isatty(self) -> bool:
        return True


def on_terminal(args: list[str], environ: dict[str, str], backend: object, typed: str) -> Outcome:
    stdout, stderr = io.StringIO(), io.StringIO()
    console = cli.Console(TerminalInput(typed), stdout, stderr, environ)
    code = cli.run(args, console, make_services_factory(environ, backend))
    return Outcome(code, stdout.getvalue(), stderr.getvalue())


def link(zinc: Cli, *args: str, key: str) -> str:
    result = zinc(*args, stdin=key)
    assert result.code == 0, result.err
    assert result.out.startswith("linked: account ")
    return result.out.split()[2]


def accounts_in(paths: AppPaths) -> list[str]:
    return [row["id"] for row in json.loads(paths.accounts_file.read_text())["accounts"]]


def link_both_profiles(zinc: Cli, app_paths: AppPaths) -> tuple[AppPaths, set[str]]:
    """Two accounts in the normal profile, one in the sandbox's, and a window settings file."""
    ids = {
        link(zinc, "link", "--env", "staging", "--label", "Acme", key=STAGING_KEY),
        link(zinc, "link", "--env", "production", key=PRODUCTION_KEY),
    }
    link(zinc, "--sandbox", "link", "--env", "staging", key=DEMO_KEYS[Environment.STAGING])
    sandbox = AppPaths.for_profile(SANDBOX_PROFILE)
    for paths in (app_paths, sandbox):  # as the window leaves it
        paths.config.mkdir(parents=True, exist_ok=True)
        paths.window_settings.write_text("[window]\n")
    assert len(accounts_in(sandbox)) == 1
    return sandbox, ids


def leftovers(tmp_path: Path) -> list[str]:
    return sorted(
        str(p.relative_to(tmp_path)) for r in XDG_ROOTS for p in (tmp_path / r).rglob("*")
    )


def open_files_under(folders: tuple[Path, ...]) -> list[str]:
    """Files this process holds open inside `folders` (Linux's /proc; elsewhere none known)."""
    fds = Path("/proc/self/fd")
    targets = []
    for fd in fds.iterdir() if fds.is_dir() else ():
        try:
            targets.append(os.readlink(fd))
        except OSError:
            continue  # closed since the listing
    return [t for t in targets if any(t.startswith(f"{folder}/") for folder in folders)]


def test_purge_removes_every_account_key_and_folder(
    zinc: Cli, app_paths: AppPaths, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    sandbox, ids = link_both_profiles(zinc, app_paths)
    assert len(memory_keyring.items) == 3

    purged = zinc("--sandbox", "purge", "--yes")
    assert purged.code == 0, purged.err
    assert len(memory_keyring.items) == 2  # the normal profile's keys stay
    assert all(not folder.exists() for folder in sandbox.all())
    assert sorted(accounts_in(app_paths)) == sorted(ids)

    purged = zinc("purge", "--yes")
    assert purged.code == 0, purged.err
    for account_id in ids:
        assert f"removed account {account_id} " in purged.out
    assert f"removed {app_paths.data}\n" in purged.out
    assert purged.out.rstrip().endswith(
        "Purged this profile: its accounts, keys, data, settings and logs are gone."
    )
    assert memory_keyring.items == {}
    assert all(not folder.exists() for folder in app_paths.all())
    assert leftovers(tmp_path) == []
    assert open_files_under(app_paths.all()) == []  # the log file was closed, not orphaned
    for key in (STAGING_KEY, PRODUCTION_KEY):
        assert key not in purged.out + purged.err
    listing = zinc("accounts", "list", "--json")
    assert json.loads(listing.out) == []


def test_purging_the_normal_profile_first_keeps_the_sandbox_profile_until_its_own_purge(
    zinc: Cli, app_paths: AppPaths, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    sandbox, _ = link_both_profiles(zinc, app_paths)
    purged = zinc("purge", "--yes")
    assert purged.code == 0, purged.err
    assert f"kept {app_paths.data}: it holds the --sandbox profile's folders" in purged.out
    assert len(accounts_in(sandbox)) == 1
    assert len(memory_keyring.items) == 1  # the sandbox profile's key
    assert not app_paths.accounts_file.exists()
    assert not app_paths.window_settings.exists()

    purged = zinc("--sandbox", "purge", "--yes")
    assert purged.code == 0, purged.err
    assert f"removed {app_paths.data} (nothing was left in it)" in purged.out
    assert memory_keyring.items == {}
    assert leftovers(tmp_path) == []


def test_without_yes_and_no_terminal_nothing_is_removed(
    zinc: Cli, app_paths: AppPaths, memory_keyring: MemoryKeyring
) -> None:
    link(zinc, "link", "--env", "staging", key=STAGING_KEY)
    accounts = app_paths.accounts_file.read_bytes()
    items = dict(memory_keyring.items)
    refused = zinc("purge")
    assert refused.code == 2
    assert "--yes" in refused.err
    assert "Nothing was removed." in refused.err
    assert refused.err.count("\n") == 1
    assert app_paths.accounts_file.read_bytes() == accounts
    assert memory_keyring.items == items


def test_on_a_terminal_only_typing_yes_goes_on(
    environ: dict[str, str], app_paths: AppPaths, memory_keyring: MemoryKeyring, zinc: Cli
) -> None:
    link(zinc, "link", "--env", "staging", key=STAGING_KEY)
    accounts = app_paths.accounts_file.read_bytes()
    for typed in ("", "no\n", "y\n", "YES please\n"):
        answered = on_terminal(["purge"], environ, memory_keyring, typed)
        assert answered.code == 2, typed
        assert "Type yes to go on: " in answered.err
        assert str(app_paths.data) in answered.err  # it says what would go
        assert "Not confirmed; nothing was removed." in answered.err
        assert app_paths.accounts_file.read_bytes() == accounts
        assert len(memory_keyring.items) == 1
    confirmed = on_terminal(["purge"], environ, memory_keyring, "yes\n")
    assert confirmed.code == 0, confirmed.err
    assert memory_keyring.items == {}
    assert not app_paths.data.exists()


def test_a_keyring_that_refuses_to_delete_stops_purge_before_any_folder_goes(
    zinc: Cli, app_paths: AppPaths, memory_keyring: MemoryKeyring
) -> None:
    link(zinc, "link", "--env", "staging", key=STAGING_KEY)
    memory_keyring.writes_locked = True
    failed = zinc("purge", "--yes")
    assert failed.code == 3
    assert failed.err.count("\n") == 1
    assert "locked" in failed.err
    assert len(memory_keyring.items) == 1
    assert len(accounts_in(app_paths)) == 1  # the account that names the key is kept


def test_no_keyring_stops_purge_before_anything_is_removed(
    zinc: Cli, environ: dict[str, str], app_paths: AppPaths
) -> None:
    link(zinc, "link", "--env", "staging", key=STAGING_KEY)
    accounts = app_paths.accounts_file.read_bytes()
    failed = run_cli(["purge", "--yes"], environ, failing_backend())
    assert failed.code == 3
    assert failed.err.count("\n") == 1
    assert "No usable OS keyring" in failed.err
    assert "Nothing was removed" in failed.err
    assert app_paths.accounts_file.read_bytes() == accounts


@pytest.mark.secret_service
@secret_service_only
def test_keys_no_account_names_are_removed_from_the_real_secret_service(
    secret_service_env: dict[str, str],
    environ: dict[str, str],
    app_paths: AppPaths,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in secret_service_env.items():
        if name not in ("HOME", "XDG_DATA_HOME"):
            monkeypatch.setenv(name, value)
    env = {**environ, **{k: v for k, v in secret_service_env.items() if k != "XDG_DATA_HOME"}}
    backend = secret_service_backend()
    service = app_paths.keyring_service
    linked = run_cli(["link", "--env", "staging"], env, backend, STAGING_KEY)
    assert linked.code == 0, linked.err
    orphans = KeyringSecretStore(service, backend=backend)
    orphans.put("0ld0rph4", ApiKey.parse(PRODUCTION_KEY))  # as an interrupted old link left it
    assert len(orphans.account_ids() or ()) == 2

    purged = run_cli(["purge", "--yes"], env, backend)
    assert purged.code == 0, purged.err
    assert "removed a key that no account named (keyring item '0ld0rph4')" in purged.out
    assert "notice" not in purged.err  # no stale "kept" notice about the key just removed
    assert orphans.account_ids() == set()
    assert not app_paths.data.exists()


@folder_links
@file_modes
def test_a_linked_data_folder_loses_only_the_apps_own_files(
    zinc: Cli, app_paths: AppPaths, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    """$XDG_DATA_HOME/zinc-desktop is a link to a folder that holds the user's own files: the
    link is followed only to remove zinc-desktop's files by name; the rest, the link and its
    target's mode stay."""
    elsewhere = tmp_path / "synced"
    (elsewhere / "sub").mkdir(parents=True)
    os.chmod(elsewhere, 0o755)  # noqa: S103  # the user's folder, as they made it
    (elsewhere / "mine.txt").write_text("my notes")
    (elsewhere / "sub" / "deep.txt").write_text("deeper")
    app_paths.data.parent.mkdir(parents=True)
    app_paths.data.symlink_to(elsewhere)
    link(zinc, "link", "--env", "staging", key=STAGING_KEY)
    assert (elsewhere / "accounts.json").is_file()
    assert stat.S_IMODE(elsewhere.stat().st_mode) == 0o755, "the link's target was chmodded"

    purged = zinc("purge", "--yes", "--json")
    assert purged.code == 0, purged.err
    done = json.loads(purged.out)
    assert len(done["removed_accounts"]) == 1
    assert memory_keyring.items == {}
    assert (elsewhere / "mine.txt").read_text() == "my notes"
    assert (elsewhere / "sub" / "deep.txt").read_text() == "deeper"
    assert sorted(p.name for p in elsewhere.iterdir()) == ["mine.txt", "sub"]
    assert app_paths.data.is_symlink()
    assert os.readlink(app_paths.data) == str(elsewhere)
    assert stat.S_IMODE(elsewhere.stat().st_mode) == 0o755
    assert str(app_paths.data) in done["kept_folders"]
    assert str(app_paths.data) not in done["removed_folders"]
    assert any(str(app_paths.data) in note and "link" in note for note in done["notes"])


@folder_links
def test_a_data_folder_with_the_users_own_files_keeps_them_and_says_so(
    zinc: Cli, app_paths: AppPaths, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    link(zinc, "link", "--env", "staging", key=STAGING_KEY)
    (app_paths.data / "notes.txt").write_text("mine")
    (app_paths.data / "exports").mkdir()
    (app_paths.data / "exports" / "summary.pdf").write_bytes(b"%PDF")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("outside")
    (app_paths.data / "shortcut").symlink_to(outside)
    (app_paths.data / "checks.json.bak").symlink_to(outside / "keep.txt")  # our name: the link

    purged = zinc("purge", "--yes")
    assert purged.code == 0, purged.err
    assert sorted(p.name for p in app_paths.data.iterdir()) == ["exports", "notes.txt", "shortcut"]
    assert (app_paths.data / "exports" / "summary.pdf").read_bytes() == b"%PDF"
    assert (outside / "keep.txt").read_text() == "outside"
    kept = [line for line in purged.out.splitlines() if line.startswith(f"kept {app_paths.data}")]
    assert len(kept) == 1, purged.out
    assert "did not write" in kept[0]
    assert "notes.txt" in kept[0]
    assert purged.out.rstrip().endswith("What zinc-desktop did not write is kept (see above).")
    assert not app_paths.accounts_file.exists()
    assert memory_keyring.items == {}


def test_purge_removes_every_file_the_app_writes(
    zinc: Cli, app_paths: AppPaths, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    """Backups, locks, quarantined copies, an interrupted write's temporary file, rotated logs
    and the native crash file are the app's own: none is left, and so no folder is."""
    link(zinc, "link", "--env", "staging", key=STAGING_KEY)
    app_paths.accounts_file.write_text("{damaged")  # quarantined by the next read, as it does
    assert zinc("accounts", "list").code == 0
    assert list(app_paths.data.glob("accounts.json.corrupt-*"))
    written = [
        app_paths.data / "accounts.json.bak.corrupt-20250101T000000Z-2",
        app_paths.data / "checks.json",
        app_paths.data / "checks.json.bak",
        app_paths.data / "checks.json.lock",
        app_paths.data / "checks.json.corrupt-20250101T000000Z",
        app_paths.data / ".accounts.json.k3j_9x0q",
        app_paths.config / "window.ini",
        app_paths.config / "window.ini.lock",
        app_paths.log / "zinc-desktop.log",
        app_paths.log / "zinc-desktop.log.1",
        app_paths.log / "zinc-desktop.log.2",
        app_paths.log / "native-crash.log",
    ]
    for path in written:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    purged = zinc("purge", "--yes")
    assert purged.code == 0, purged.err
    assert "kept" not in purged.out
    assert leftovers(tmp_path) == []
