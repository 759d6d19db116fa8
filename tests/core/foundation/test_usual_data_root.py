"""The data folder "when nothing moves it", per platform: what names a moved folder's keyring
service. platformdirs follows XDG_DATA_HOME on macOS too (since 4.8) and WIN_PD_OVERRIDE_* on
Windows, so asking it would call a moved folder "usual" there and give a test folder the user's
own keyring service. Each platform's branch is run here with sys.platform set to it."""

from __future__ import annotations

from pathlib import Path

import pytest

from zinc_desktop.core.foundation import app_paths


@pytest.fixture
def moved(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("WIN_PD_OVERRIDE_LOCAL_APPDATA", str(tmp_path / "override"))
    return home


@pytest.mark.parametrize(
    ("platform", "under_home"),
    [
        ("linux", (".local", "share", "zinc-desktop")),
        ("darwin", ("Library", "Application Support", "zinc-desktop")),
    ],
)
def test_the_usual_folder_ignores_what_moves_it(
    monkeypatch: pytest.MonkeyPatch, moved: Path, platform: str, under_home: tuple[str, ...]
) -> None:
    monkeypatch.setattr("sys.platform", platform)
    assert app_paths._usual_data_root() == moved.joinpath(*under_home)


def test_on_windows_the_usual_folder_is_local_app_data(
    monkeypatch: pytest.MonkeyPatch, moved: Path, tmp_path: Path
) -> None:
    monkeypatch.setattr("sys.platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    assert app_paths._usual_data_root() == tmp_path / "Local" / "zinc-desktop"
    monkeypatch.delenv("LOCALAPPDATA")
    assert app_paths._usual_data_root() == moved / "AppData" / "Local" / "zinc-desktop"
