"""Where zinc-desktop keeps its files (never a secret): platformdirs' folders, per profile."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from zinc_desktop import APP_NAME


@dataclass(frozen=True)
class AppPaths:
    """The four folders we may write to. The sandbox profile keeps demo accounts apart."""

    data: Path
    config: Path
    state: Path
    log: Path

    @classmethod
    def for_profile(cls, profile: str = "") -> AppPaths:
        def under(base: str) -> Path:
            return Path(base) / profile if profile else Path(base)

        return cls(
            data=under(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            config=under(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            state=under(platformdirs.user_state_dir(APP_NAME, appauthor=False)),
            log=under(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
        )

    @property
    def accounts_file(self) -> Path:
        return self.data / "accounts.json"

    @property
    def checks_file(self) -> Path:
        return self.data / "checks.json"

    @property
    def log_file(self) -> Path:
        return self.log / "zinc-desktop.log"

    @property
    def window_settings(self) -> Path:
        return self.config / "window.ini"

    def all(self) -> tuple[Path, ...]:
        return (self.data, self.config, self.state, self.log)


def private_directory(path: Path) -> Path:
    """Create `path` (and parents) readable by the owner only, and tighten it if it exists."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name == "posix":
        os.chmod(path, 0o700)
    return path
