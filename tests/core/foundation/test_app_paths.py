"""Which keyring service a data folder's keys are kept under."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.platforms import xdg_folders
from zinc_desktop.core.foundation.app_paths import AppPaths


def paths_with_data(data: Path) -> AppPaths:
    return AppPaths(data, data / "c", data / "s", data / "l")


def test_the_usual_folders_keep_the_plain_names(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        monkeypatch.delenv(variable, raising=False)
    assert AppPaths.for_profile().keyring_service == "zinc-desktop"
    assert AppPaths.for_profile("sandbox").keyring_service == "zinc-desktop-sandbox"


@xdg_folders
def test_a_moved_data_folder_gets_a_name_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "one"))
    one = AppPaths.for_profile().keyring_service
    one_sandbox = AppPaths.for_profile("sandbox").keyring_service
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "two"))
    two = AppPaths.for_profile().keyring_service
    assert len({one, one_sandbox, two, "zinc-desktop", "zinc-desktop-sandbox"}) == 5
    assert one.startswith("zinc-desktop:")
    assert len(one) == len("zinc-desktop:") + 8
    # The same folder, however it is written, is the same name.
    (tmp_path / "one" / "zinc-desktop").mkdir(parents=True)
    (tmp_path / "link").symlink_to(tmp_path / "one")
    assert paths_with_data(tmp_path / "link" / "zinc-desktop").keyring_service == one
    assert paths_with_data(tmp_path / "one" / "." / "zinc-desktop").keyring_service == one
