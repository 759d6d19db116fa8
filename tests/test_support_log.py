"""The log a support call can use: rotating (1 MB x 3 files), owner-only, redacted, a header."""

from __future__ import annotations

import logging
import os
import stat
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import STAGING_KEY
from tests.support.memory_keyring import MemoryKeyring
from tests.support.platforms import FILE_MODES
from zinc_desktop import __version__
from zinc_desktop.app import make_services_factory
from zinc_desktop.core.foundation.app_paths import AppPaths
from zinc_desktop.core.foundation.log_redaction import configure_file_logging

LOG_FILES = 3  # 1 MB each: the current file and two rotated ones


@pytest.fixture
def wide_umask() -> Iterator[None]:
    previous = os.umask(0)  # the worst case: everything created world-writable unless told
    try:
        yield
    finally:
        os.umask(previous)


@pytest.fixture
def detach_handlers() -> Iterator[None]:
    root = logging.getLogger("zinc_desktop")
    before = list(root.handlers)
    yield
    for handler in [h for h in root.handlers if h not in before]:
        root.removeHandler(handler)
        handler.close()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("wide_umask", "detach_handlers")
def test_log_files_rotate_owner_only_and_redacted(app_paths: AppPaths) -> None:
    handler = configure_file_logging(app_paths.log_file)
    log = logging.getLogger("zinc_desktop.test")
    line = "x" * 1000
    for _ in range(4500):  # 4.5 MB: more than the 3 files hold
        log.info("%s", line)
    log.info("a key in passing: %s", STAGING_KEY)
    handler.flush()

    files = sorted(app_paths.log.glob("zinc-desktop.log*"))
    assert [f.name for f in files] == [
        "zinc-desktop.log",
        "zinc-desktop.log.1",
        "zinc-desktop.log.2",
    ]
    assert len(files) == LOG_FILES
    assert all(f.stat().st_size <= 1_000_000 for f in files)
    if FILE_MODES:
        assert all(mode(f) == 0o600 for f in files), {f.name: oct(mode(f)) for f in files}
        assert mode(app_paths.log) == 0o700
    text = app_paths.log_file.read_text("utf-8")
    assert STAGING_KEY not in text
    assert f"••••{STAGING_KEY[-4:]}" in text


@pytest.mark.usefixtures("detach_handlers")
class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.mark.usefixtures("detach_handlers", "app_paths")
def test_a_run_starts_its_log_with_versions_and_the_keyring_backend() -> None:
    records = Records()
    logging.getLogger("zinc_desktop").addHandler(records)
    make = make_services_factory(os.environ, MemoryKeyring())
    services = make(True, 5.0)
    services.links.accounts()  # the start-up sweep opens the keyring, as the window's does
    try:
        log_file = services.paths.log_file
        deadline = time.monotonic() + 10
        while "keyring backend:" not in log_file.read_text("utf-8"):
            assert time.monotonic() < deadline, log_file.read_text("utf-8")
            time.sleep(0.05)
    finally:
        services.close()
    text = log_file.read_text("utf-8")
    started = next(line for line in text.splitlines() if "started:" in line)
    assert f"zinc-desktop {__version__} (python)" in started
    assert "; platform " in started
    assert f"Python {sys.version_info.major}.{sys.version_info.minor}" in started
    assert "Qt " in started
    backend = next(line for line in text.splitlines() if "keyring backend:" in line)
    assert "MemoryKeyring" in backend
    # Named once, where it is first opened (in the window: its start-up worker).
    assert sum("keyring backend" in r.getMessage() for r in records.records) == 1
