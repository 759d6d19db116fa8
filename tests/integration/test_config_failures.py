"""A setting that points at something unusable is one clear line and an exit code, never a
traceback: an unloadable keyring backend, a data folder that is a file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import STAGING_KEY
from tests.support.cli_runner import Outcome, run_cli
from tests.support.memory_keyring import MemoryKeyring
from tests.support.platforms import file_modes, xdg_folders
from zinc_desktop.sandbox import SandboxServer


def one_line(result: Outcome) -> str:
    assert "Traceback" not in result.out + result.err
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    return lines[0]


@pytest.mark.parametrize(
    ("backend", "keyring_said"),
    [
        ("nope.Keyring", "ModuleNotFoundError: No module named 'nope'"),
        ("Keyring", "ValueError: Empty module name"),
        ("keyring.backends.SecretService.Nope", "AttributeError: module"),
        ("keyring.backends.kwallet.DBusKeyring", "RuntimeError:"),  # raises on load
    ],
)
def test_an_unloadable_keyring_backend_is_one_line_and_exit_2(
    environ: dict[str, str], sandbox: SandboxServer, backend: str, keyring_said: str
) -> None:
    env = {**environ, "PYTHON_KEYRING_BACKEND": backend}
    result = run_cli(["link", "--env", "staging"], env, None, STAGING_KEY)
    assert result.code == 2
    assert result.out == ""
    line = one_line(result)
    assert f"PYTHON_KEYRING_BACKEND={backend!r} cannot be used" in line
    assert keyring_said in line
    assert "Nothing was stored" in line
    assert sandbox.requests == []  # refused before the key went anywhere


def test_commands_that_need_no_keyring_still_work_with_a_broken_backend(
    environ: dict[str, str],
) -> None:
    env = {**environ, "PYTHON_KEYRING_BACKEND": "nope.Keyring"}
    assert run_cli(["verify", "--env", "staging"], env, None, STAGING_KEY).code == 0
    listing = run_cli(["accounts", "list"], env, None)
    assert listing.code == 0
    assert "PYTHON_KEYRING_BACKEND='nope.Keyring' cannot be used" in one_line(listing)


@xdg_folders
@pytest.mark.parametrize("command", [["accounts", "list"], ["link", "--env", "staging"]])
def test_a_data_folder_that_is_a_file_is_one_line_and_exit_3(
    environ: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    memory_keyring: MemoryKeyring,
    command: list[str],
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    env = {**environ, "XDG_DATA_HOME": str(blocker)}
    result = run_cli(command, env, memory_keyring, STAGING_KEY)
    assert result.code == 3
    line = one_line(result)
    assert f"The folder {blocker}/zinc-desktop cannot be used" in line
    assert f"{blocker} is a file, not a folder" in line
    assert f"XDG_DATA_HOME={blocker}" in line
    assert memory_keyring.items == {}
    assert blocker.read_text() == "a file where the data folder should be"


@file_modes
def test_the_app_makes_everything_it_creates_owner_only(capsys: pytest.CaptureFixture[str]) -> None:
    from zinc_desktop.app import main

    previous = os.umask(0o000)
    try:
        assert main(["--version"]) == 0
        assert os.umask(0o000) == 0o077  # Qt's settings file included, whatever the user's umask
    finally:
        os.umask(previous)
    assert capsys.readouterr().out.startswith("zinc-desktop ")
