"""The export the user asks for: exactly the file chosen, 0600, redacted (no token, no key, no
candidate's details), HTML escaped; nothing else of a payload reaches the disk or the log."""

from __future__ import annotations

import json
import logging
import os
import stat
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.conftest import STAGING_KEY
from tests.gui.conftest import WindowFactory
from tests.gui.webhooks.support import (
    CANDIDATE,
    TOKEN,
    open_page,
    payload,
    post,
    rows,
    set_token,
    station_of,
    switch_on,
)
from tests.support.disk_scan import files_containing
from tests.support.platforms import FILE_MODES
from zinc_desktop.core.accounts.model import Account
from zinc_desktop.core.foundation.app_paths import AppPaths
from zinc_desktop.core.webhooks.delivery_export import ExportFormat
from zinc_desktop.core.webhooks.signing import sign
from zinc_desktop.gui.main_window import MainWindow

FORBIDDEN = (
    TOKEN, STAGING_KEY, STAGING_KEY.upper(), "Ada", "Lovelace", "ada.lovelace", "7946",
    "1815-12-10", "St James", "SW1Y", "ops@example.org",
)  # fmt: skip


@pytest.fixture
def exported_from(
    qtbot: QtBot, make_window: WindowFactory, acme: Account
) -> tuple[MainWindow, list[bytes]]:
    window = make_window()
    page = open_page(qtbot, window)
    set_token(qtbot, page)
    url = switch_on(qtbot, page, station_of(window))
    bodies = [
        payload("<b>complete</b>", api_key=STAGING_KEY, note="ask ops@example.org"),
        payload("in_progress", check={"id": "chk_9", "candidate_name": "Ada Lovelace"}),
        b"first_name=Ada&last_name=Lovelace",  # not JSON: left out
    ]
    post(url, bodies[0], sign(bodies[0], TOKEN))
    post(f"{url}?email=ada.lovelace%40example.com&ref=7", bodies[1], {"X-Auth": TOKEN})
    post(url, bodies[2], {"Authorization": f"Bearer {TOKEN}"})
    qtbot.waitUntil(lambda: rows(page) == 3, timeout=10_000)
    return window, bodies


def export(qtbot: QtBot, window: MainWindow, path: Path, kind: ExportFormat | None = None) -> str:
    window.status_line.clear_message()
    window.webhooks_panel.export_to(path, kind)
    qtbot.waitUntil(
        lambda: window.status_line.message().startswith("Exported 3 deliveries"), timeout=10_000
    )
    if FILE_MODES:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    return path.read_text(encoding="utf-8")


def test_json_holds_no_token_key_or_candidate(
    qtbot: QtBot, exported_from: tuple[MainWindow, list[bytes]], tmp_path: Path
) -> None:
    window, _ = exported_from
    folder = tmp_path / "chosen"
    folder.mkdir()
    text = export(qtbot, window, folder / "deliveries.json")
    assert [p.name for p in folder.iterdir()] == ["deliveries.json"]  # that file, nothing else
    for secret in FORBIDDEN:
        assert secret not in text, secret
    document = json.loads(text)
    first, second, third = document["deliveries"]
    # Every field of the candidate, whatever its value's shape (the address is an object).
    assert first["body"]["candidate"] == dict.fromkeys(CANDIDATE, "[redacted]")
    assert first["body"]["api_key"] == f"••••{STAGING_KEY[-4:]}"
    assert first["body"]["note"] == "ask [redacted]"
    assert first["status"] == "<b>complete</b>"  # JSON keeps it as it was: text, not markup
    assert first["signature"]["verdict"] == "valid"
    assert second["body"]["check"] == {"id": "chk_9", "candidate_name": "[redacted]"}
    assert second["path"].endswith("?email=[redacted]&ref=7")
    assert ["X-Auth", "[signing token]"] in second["headers"]
    assert third["body"] is None
    assert third["body_note"].startswith("left out: not JSON")
    assert ["Authorization", "Bearer [signing token]"] in third["headers"]


def test_html_is_escaped_and_redacted(
    qtbot: QtBot, exported_from: tuple[MainWindow, list[bytes]], tmp_path: Path
) -> None:
    window, _ = exported_from
    text = export(qtbot, window, tmp_path / "deliveries.html")
    assert text.startswith("<!DOCTYPE html>")
    for secret in FORBIDDEN:
        assert secret not in text, secret
    assert "<b>complete</b>" not in text
    assert "&lt;b&gt;complete&lt;/b&gt;" in text
    assert "[redacted]" in text
    chosen = tmp_path / "named-by-the-user"  # no suffix: the filter chosen decides
    text = export(qtbot, window, chosen, ExportFormat.HTML)
    assert text.startswith("<!DOCTYPE html>")
    assert not (tmp_path / "named-by-the-user.html").exists()


def test_nothing_of_a_payload_reaches_the_disk_or_the_log(
    qtbot: QtBot,
    exported_from: tuple[MainWindow, list[bytes]],
    app_paths: AppPaths,
    caplog: pytest.LogCaptureFixture,
) -> None:
    window, _ = exported_from
    caplog.set_level(logging.DEBUG)
    window.webhooks_panel.table.selectRow(0)
    window.close()
    for secret in ("Lovelace", TOKEN, "ops@example.org"):
        assert files_containing(app_paths.all(), secret) == []
        assert secret not in caplog.text
