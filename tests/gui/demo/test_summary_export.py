"""Export summary writes exactly the file the user named (hardening item 1), and nothing a
server sent that would give away a key ending or an address (item 9).

Through the real window, worker threads and simulator; files are read back from disk, PDFs
with pdftotext.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from tests.conftest import STAGING_KEY
from tests.gui.conftest import WindowFactory, wait_for_dialog
from tests.gui.demo.test_demo import checks_shown, fill_candidate, open_demo
from tests.support.pdf_text import pdf_to_text
from tests.support.platforms import FILE_MODES, WINDOWS, latin1_locale, posix_only
from zinc_desktop.core.accounts.model import Account
from zinc_desktop.core.checks.summary import SummaryFormat, summary_targets
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.gui.demo.panel import EXPORT_FILTERS
from zinc_desktop.gui.main_window import MainWindow
from zinc_desktop.sandbox import Fault, SandboxServer
from zinc_desktop.services import Services

PDF_ONLY, HTML_ONLY, BOTH = list(EXPORT_FILTERS)


@pytest.fixture
def staging(make_services: Callable[..., Services]) -> Account:
    account = make_services().links.link(Environment.STAGING, ApiKey.parse(STAGING_KEY), "Acme")
    assert account.account is not None
    return account.account


def finished_check(qtbot: QtBot, window: MainWindow, account: Account) -> str:
    open_demo(qtbot, window, account)
    fill_candidate(qtbot, window)
    qtbot.mouseClick(window.demo_panel.form.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: checks_shown(window) == 1, timeout=5000)
    item = window.demo_panel.checks.list.item(0)
    qtbot.waitUntil(lambda: item.text().startswith("Complete"), timeout=10000)
    check_id = window.demo_panel.session.selected_check_id
    assert check_id is not None
    return check_id


def keep(path: Path) -> tuple[bytes, int]:
    path.write_bytes(b"the user's own file")
    os.chmod(path, 0o644)
    return path.read_bytes(), stat.S_IMODE(path.stat().st_mode)


def test_a_dotted_name_writes_that_file_only(
    qtbot: QtBot, make_window: WindowFactory, staging: Account, tmp_path: Path
) -> None:
    window = make_window()
    check_id = finished_check(qtbot, window, staging)
    tmp_path = tmp_path / "exports"
    tmp_path.mkdir()
    mine = {name: keep(tmp_path / name) for name in ("report.html", "report.pdf")}
    window.demo_panel.export_chosen(check_id, tmp_path / "report.v2.pdf", PDF_ONLY)
    assert (tmp_path / "report.v2.pdf").read_bytes().startswith(b"%PDF")
    for name, (content, mode) in mine.items():  # untouched, mode included
        assert (tmp_path / name).read_bytes() == content
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == mode
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "report.html", "report.pdf", "report.v2.pdf"
    ]  # fmt: skip

    window.demo_panel.export_chosen(check_id, tmp_path / "Acme Ltd. summary", HTML_ONLY)
    assert "<html" in (tmp_path / "Acme Ltd. summary.html").read_text()
    assert not (tmp_path / "Acme Ltd.html").exists()
    assert not (tmp_path / "Acme Ltd. summary.pdf").exists()


def test_the_other_format_is_confirmed_before_it_replaces_anything(
    qtbot: QtBot, make_window: WindowFactory, staging: Account, tmp_path: Path
) -> None:
    window = make_window()
    check_id = finished_check(qtbot, window, staging)
    chosen, other = tmp_path / "x.html", tmp_path / "x.pdf"
    chosen_before, other_before = keep(chosen), keep(other)
    window.demo_panel.export_chosen(check_id, chosen, BOTH)
    dialog = wait_for_dialog(qtbot, "replaceExportDialog")
    assert "x.pdf" in dialog.text()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Cancel is the default: nothing is written
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert (chosen.read_bytes(), other.read_bytes()) == (chosen_before[0], other_before[0])

    window.demo_panel.export_chosen(check_id, chosen, BOTH)
    dialog = wait_for_dialog(qtbot, "replaceExportDialog")
    replace = next(b for b in dialog.buttons() if b.objectName() == "confirmReplaceButton")
    qtbot.mouseClick(replace, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: other.read_bytes().startswith(b"%PDF"))
    assert "<html" in chosen.read_text()
    if FILE_MODES:
        assert {stat.S_IMODE(p.stat().st_mode) for p in (chosen, other)} == {0o600}


@given(
    stem=st.text(
        # No separator: "/" anywhere; on Windows "\\" too, and ":" (a drive: "c:x" is no name).
        alphabet=st.characters(
            blacklist_categories=["Cs"], blacklist_characters="/\\:\x00" if WINDOWS else "/\x00"
        ),
        min_size=1,
        max_size=30,
    ).filter(lambda s: s not in (".", "..")),
    suffix=st.sampled_from(["", ".pdf", ".PDF", ".html", ".htm", ".v2", ".txt"]),
    asked=st.sampled_from([None, SummaryFormat.PDF, SummaryFormat.HTML]),
    both=st.booleans(),
)
def test_targets_are_the_chosen_name_with_every_dot(
    stem: str, suffix: str, asked: SummaryFormat | None, both: bool
) -> None:
    chosen = Path("/exports") / f"{stem}{suffix}"
    targets = summary_targets(chosen, asked, both=both)
    first = targets[0]
    assert first.path.parent == chosen.parent
    assert first.path.name.startswith(chosen.name.rstrip())  # nothing of the name is dropped
    if SummaryFormat.of(chosen) is not None and chosen.name == chosen.name.rstrip():
        assert first.path == chosen
    assert SummaryFormat.of(first.path) is first.format
    assert len(targets) == (2 if both else 1)
    if both:
        assert targets[1].format is first.format.other
        assert targets[1].path.parent == first.path.parent
        assert SummaryFormat.of(targets[1].path) is first.format.other
        kept = first.path.name.rsplit(".", 1)[0]  # the same name, the other suffix
        assert targets[1].path.name == f"{kept}{first.format.other.suffix}"


def test_a_server_echoing_key_endings_and_addresses_never_reaches_the_export(
    qtbot: QtBot,
    make_window: WindowFactory,
    staging: Account,
    sandbox: SandboxServer,
    tmp_path: Path,
) -> None:
    """Item 9: result text a server sent passes the same mask as presenting mode."""
    window = make_window()
    check_id = finished_check(qtbot, window, staging)
    hostile = {
        "check_id": check_id,
        "status": "complete",
        "updates": [{"status": "complete", "at": "2026-12-03T10:00:00Z"}],
        "results": [
            {"name": f"Identity (key ••••{STAGING_KEY[-4:]})",
             "outcome": f"clear, see {sandbox.base_url(Environment.STAGING)}/x"},
            {"name": "Right to work", "outcome": "ask ops@zincwork.com or +44 20 7946 0958"},
            {"name": "Host", "outcome": "served by api.internal.example:8443"},
        ],
    }  # fmt: skip
    sandbox.inject(Fault(status=200, body=json.dumps(hostile).encode(), times=None))
    demo = window.demo_panel
    demo.session.select_check(None)
    demo.session.check(check_id).report = None  # type: ignore[union-attr]
    demo.session.select_check(check_id)  # a finished check without a report: read once
    demo._run(demo.session.due_calls())
    qtbot.waitUntil(lambda: "Host" in demo.checks.results_text(), timeout=5000)
    sandbox.clear_faults()
    demo.export_chosen(check_id, tmp_path / "s.pdf", BOTH)
    page = (tmp_path / "s.html").read_text()
    for text in (page, pdf_to_text(tmp_path / "s.pdf")):
        for leak in (STAGING_KEY[-4:], "127.0.0.1", str(sandbox.port), "ops@zincwork.com",
                     "7946", "api.internal.example", "8443"):  # fmt: skip
            assert leak not in text, leak
        assert "Right to work" in text


@latin1_locale
def test_export_into_a_folder_named_in_latin1_writes_every_file(tmp_path: Path) -> None:
    """Item 6: under an ISO-8859-1 locale, Qt (UTF-8 names) and Python (the locale's) would
    disagree on the folder `é`; everything goes through Python now."""
    from tests.integration.test_cli_scripting import _latin1_locale

    env = {**os.environ, **_latin1_locale(), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTHONUTF8", None)
    script = """
import sys
from datetime import UTC, datetime
from pathlib import Path
from PySide6.QtWidgets import QApplication
from zinc_desktop.core.checks.history import CheckRecord
from zinc_desktop.core.checks.summary import CheckSummary, summary_targets
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.core.zinc.api import CheckReport, CheckStatus
from zinc_desktop.gui.demo.summary_export import export_summary

app = QApplication([])
now = datetime.now(UTC)
done = CheckStatus.COMPLETE
record = CheckRecord("chk-1", "a1", Environment.STAGING, "p", "Basic", done, now, now)
report = CheckReport("chk-1", done, (), ())
summary = CheckSummary("Caf\\u00e9", Environment.STAGING, record, report, now)
folder = Path(sys.argv[1]) / "\\u00e9"
folder.mkdir()
export_summary(summary, summary_targets(folder / "r\\u00e9sum\\u00e9.pdf", both=True))
print(sys.getfilesystemencoding())
"""
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr.decode("latin-1")
    assert result.stdout.strip() == b"iso8859-1"
    folder = os.path.join(os.fsencode(tmp_path), "é".encode("latin-1"))
    assert sorted(os.listdir(folder)) == [
        "résumé.html".encode("latin-1"), "résumé.pdf".encode("latin-1")
    ]  # fmt: skip


@posix_only(
    "names with a trailing space or of 254 characters, and a dangling symbolic link; Windows "
    "drops trailing spaces, limits paths to 260 characters and links to a privilege"
)
def test_odd_names_folders_and_dangling_links_are_handled_before_anything_is_written(
    qtbot: QtBot, make_window: WindowFactory, staging: Account, tmp_path: Path
) -> None:
    window = make_window()
    check_id = finished_check(qtbot, window, staging)
    folder = tmp_path / "odd"
    folder.mkdir()
    demo = window.demo_panel
    demo.export_chosen(check_id, folder / ".pdf", PDF_ONLY)  # a name that is only a suffix
    demo.export_chosen(check_id, folder / "x.pdf ", PDF_ONLY)  # a stray space at the end
    long_name = "n" * 250 + ".pdf"  # fine for the file system; the temporary name must be too
    demo.export_chosen(check_id, folder / long_name, PDF_ONLY)
    assert sorted(p.name for p in folder.iterdir()) == sorted([".pdf", "x.pdf", long_name])

    (folder / "v.html").mkdir()  # the second format's place is a folder: nothing is written
    demo.export_chosen(check_id, folder / "v.pdf", BOTH)
    assert not (folder / "v.pdf").exists()

    (folder / "w.html").symlink_to(folder / "nowhere")  # a link to nothing is still replaced
    demo.export_chosen(check_id, folder / "w.pdf", BOTH)
    dialog = wait_for_dialog(qtbot, "replaceExportDialog")
    assert "w.html" in dialog.text()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not (folder / "w.pdf").exists()


def test_names_for_the_export_and_open_or_show_in_folder_after_saving(
    qtbot: QtBot,
    make_window: WindowFactory,
    staging: Account,
    tmp_path: Path,
    app_paths: object,
) -> None:
    from PySide6.QtWidgets import QDialog

    from zinc_desktop.gui.demo.export_dialog import ExportOptions

    window = make_window()
    check_id = finished_check(qtbot, window, staging)
    options = ExportOptions("Jo Consultant", ("8cef",), window)
    options.candidate_input.setText("Ada https://evil.example")  # not a name alone
    options._check_and_accept()
    assert options.result() != QDialog.DialogCode.Accepted
    assert "a name alone" in options.feedback.text()
    options.candidate_input.setText("Ada Lovelace")
    options._check_and_accept()
    assert options.result() == QDialog.DialogCode.Accepted

    folder = tmp_path / "sent"
    folder.mkdir()
    window.demo_panel.export_chosen(
        check_id, folder / "acme.pdf", PDF_ONLY,
        consultant=options.consultant(), candidate_name=options.candidate_name(),
    )  # fmt: skip
    saved = wait_for_dialog(qtbot, "summarySavedDialog")
    names = {b.objectName() for b in saved.buttons()}
    assert {"openSummaryButton", "showSummaryFolderButton"} <= names
    saved.reject()
    text = pdf_to_text(folder / "acme.pdf")
    assert "Jo Consultant" in text
    assert "Ada Lovelace" in text
    window.close()  # settings are written: the folder is remembered, the candidate never
    ini = app_paths.window_settings  # type: ignore[attr-defined]
    stored = QSettings(str(ini), QSettings.Format.IniFormat).value("export/folder")
    assert stored == str(folder)  # read back as Qt wrote it (Windows' backslashes escaped)
    assert "Ada" not in ini.read_text()
    for path in app_paths.data.rglob("*"):  # type: ignore[attr-defined]
        if path.is_file():
            assert b"Lovelace" not in path.read_bytes()
