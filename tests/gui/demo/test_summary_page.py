"""The summary as a page worth sending ("present one customer", item 4): who it is for and by
whom, the journey with durations, each outcome once, what happens next; read back as a reader
sees it, from the HTML (tags stripped) and from the PDF (pdftotext). Typed names are refused
with a reason or shown escaped, whatever they hold."""

from __future__ import annotations

import html
import re
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytestqt.qtbot import QtBot

from tests.conftest import STAGING_KEY
from tests.support.html_text import html_rows, html_tags, html_text
from tests.support.pdf_text import pdf_to_text
from zinc_desktop.core.checks.history import CheckRecord
from zinc_desktop.core.checks.summary import (
    MAX_NAME_LENGTH,
    CheckSummary,
    clean_export_name,
    duration_text,
    summary_targets,
)
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.core.foundation.errors import InputRefused
from zinc_desktop.core.zinc.api import CheckReport, CheckResult, CheckStatus, CheckUpdate
from zinc_desktop.gui.demo.summary_export import export_summary

START = datetime(2026, 11, 22, 10, 0, 0, tzinfo=UTC)
# Each step after the first with a duration of its own: 1 min 05 s, 2 h, 1 d 3 h; 1 d 5 h in all.
STEPS = (
    (CheckStatus.REQUESTED, 0),
    (CheckStatus.AWAITING_CANDIDATE, 65),
    (CheckStatus.IN_PROGRESS, 65 + 7200),
    (CheckStatus.COMPLETE, 65 + 7200 + 97200),
)
DURATIONS = {
    "Awaiting candidate": "1 min 05 s",
    "In progress": "2 h",
    "Complete": "1 d 3 h",
}
TOTAL = "1 d 5 h"
RESULTS = (
    CheckResult("Identity", "clear"),
    CheckResult("Right to work", "needs review"),
    CheckResult("Criminal record (Basic DBS)", "clear"),
)


def iso(seconds: int) -> str:
    return (START + timedelta(seconds=seconds)).isoformat().replace("+00:00", "Z")


def make_summary(
    status: CheckStatus = CheckStatus.COMPLETE,
    *,
    steps: tuple[tuple[CheckStatus, int], ...] = STEPS,
    results: tuple[CheckResult, ...] = RESULTS,
    environment: Environment = Environment.STAGING,
    consultant: str = "Jane Whitfield",
    candidate_name: str = "",
    hints: tuple[str, ...] = (),
) -> CheckSummary:
    record = CheckRecord(
        "chk-s-19a4b2c3d4e-c1a2b3c", "acct1", environment, "pkg_stg_basic",
        "Basic DBS + Right to Work", status, START, START,
    )  # fmt: skip
    updates = tuple(CheckUpdate(s, iso(at)) for s, at in steps)
    report = CheckReport(record.id, status, updates, results)
    return CheckSummary(
        "Acme Ltd", environment, record, report, START + timedelta(days=3), hints=hints,
        consultant=consultant, candidate_name=candidate_name,
    )  # fmt: skip


def texts(summary: CheckSummary, folder: Path) -> dict[str, str]:
    """The page's text from the HTML and from the PDF, each as one line, written as the window
    and the CLI write them."""
    targets = summary_targets(folder / "summary.pdf", both=True)
    export_summary(summary, targets)
    page = (folder / "summary.html").read_text("utf-8")
    pdf = pdf_to_text(folder / "summary.pdf")
    return {"html": html_text(page), "pdf": " ".join(unicodedata.normalize("NFKC", pdf).split())}


def section(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


def squeezed(text: str) -> str:
    """Without spaces: pdftotext may close up a right-aligned `1 s`."""
    return "".join(text.split())


def test_the_page_says_for_whom_by_whom_and_about_what(qtbot: QtBot, tmp_path: Path) -> None:
    summary = make_summary(candidate_name="Ada Lovelace")
    for where, text in texts(summary, tmp_path).items():
        for expected in ("Background check summary", "Acme Ltd", "Jane Whitfield",
                         "Ada Lovelace", "Basic DBS + Right to Work",
                         "chk-s-19a4b2c3d4e-c1a2b3c", "Complete", "Staging",
                         "Test data, nothing billed", "Zinc Desktop"):  # fmt: skip
            assert expected in text, (where, expected)
        assert "Live, billable" not in text


def test_production_is_badged_live_and_billable(qtbot: QtBot, tmp_path: Path) -> None:
    summary = make_summary(environment=Environment.PRODUCTION, consultant="")
    for where, text in texts(summary, tmp_path).items():
        assert "Production" in text, where
        assert "Live, billable" in text, where
        assert "nothing billed" not in text, where
        assert "prepared by" not in text.lower(), where  # no consultant: no empty caption
    page = summary.html()
    assert ">Candidate<" not in page  # none typed: no caption either
    assert ">Customer<" in page


def test_each_step_has_its_time_since_the_previous_one_and_the_total(
    qtbot: QtBot, tmp_path: Path
) -> None:
    summary = make_summary()
    page_rows = html_rows(summary.html())
    for step, duration in DURATIONS.items():
        row = next(r for r in page_rows if step in r)
        assert row[-1] == duration, row
    total = next(r for r in page_rows if any("Total" in cell for cell in r))
    assert total[-1] == TOTAL
    pdf = texts(summary, tmp_path)["pdf"]
    journey = squeezed(section(pdf, "Journey", "Results"))
    for step, duration in DURATIONS.items():  # the step, its local time, then its duration
        assert re.search(re.escape(squeezed(step)) + r"[^●]*?" + squeezed(duration), journey), step
    assert squeezed(TOTAL) in journey


def test_an_open_check_shows_the_steps_to_come_and_its_time_so_far(
    qtbot: QtBot, tmp_path: Path
) -> None:
    summary = make_summary(CheckStatus.AWAITING_CANDIDATE, steps=STEPS[:2], results=())
    for where, text in texts(summary, tmp_path).items():
        journey = section(text, "Journey", "Results")
        assert journey.count("to come") == 2, where  # in progress, complete
        assert "So far" in journey, where
        assert "No results yet" in text, where


@pytest.mark.parametrize(
    "case",
    [
        (CheckStatus.AWAITING_CANDIDATE, STEPS[:2], (), "Zinc has emailed the candidate"),
        (CheckStatus.IN_PROGRESS, STEPS[:3], (), "The candidate has done their part"),
        (CheckStatus.ATTENTION_NEEDED,
         (*STEPS[:3], (CheckStatus.ATTENTION_NEEDED, 90000)), (), "Something needs attention"),
        (CheckStatus.COMPLETE, STEPS, RESULTS[:1], "its results are final: nothing is left"),
        (CheckStatus.COMPLETE, STEPS, RESULTS, "Zinc marked one component for review"),
        (CheckStatus.REQUESTED, STEPS[:1], (), "Zinc has received the request"),
    ],
)  # fmt: skip
def test_what_happens_next_is_written_for_the_status(
    qtbot: QtBot,
    tmp_path: Path,
    case: tuple[CheckStatus, tuple[tuple[CheckStatus, int], ...], tuple[CheckResult, ...], str],
) -> None:
    """(the status, its journey, its results, a sentence of what happens next)"""
    status, steps, results, sentence = case
    summary = make_summary(status, steps=steps, results=results)
    for where, text in texts(summary, tmp_path).items():
        after = text[text.index("What happens next") :]
        assert sentence in after, where
        assert status.label in text, where


def test_each_outcome_is_said_once_with_one_note_column(qtbot: QtBot, tmp_path: Path) -> None:
    results = (*RESULTS, CheckResult("Credit check", ""))
    summary = make_summary(results=results)
    page = summary.html()
    assert page.lower().count(">note<") == 1  # one note column
    header = next(r for r in html_rows(page) if "Component" in r)
    assert header == ["Component", "Outcome", "Note"]
    for where, text in texts(summary, tmp_path).items():
        table = section(text, "Results", "What happens next").lower()
        assert table.count("needs review") == 1, where
        assert table.count("clear") == 2, where
        assert table.count("no outcome given") == 1, where
    rows = {r[0]: r[1:] for r in html_rows(page) if r and r[0] in {x.name for x in results}}
    assert rows["Identity"] == ["✓ Clear", ""]
    assert rows["Right to work"][0] == "! Needs review"
    assert "review" not in rows["Right to work"][1].lower()  # the note says what to do, once


def test_when_every_result_is_clear_there_is_no_empty_note_column() -> None:
    page = make_summary(results=(RESULTS[0], RESULTS[2])).html()
    assert next(r for r in html_rows(page) if "Component" in r) == ["Component", "Outcome"]


def test_a_huge_report_is_summarised_within_its_bound() -> None:
    updates = tuple(
        (CheckStatus.IN_PROGRESS if i % 2 else CheckStatus.AWAITING_CANDIDATE, i)
        for i in range(20_000)
    )
    results = tuple(CheckResult(f"Component {i}", "clear") for i in range(20_000))
    page = make_summary(CheckStatus.IN_PROGRESS, steps=updates, results=results).html()
    text = html_text(page)
    assert "19,850 earlier updates, not shown" in text  # 150 steps and 300 results listed
    assert "and 19,700 more, not shown here" in text
    assert "20,000 components" in text
    assert len(page) < 2_000_000


def test_durations_read_as_a_person_says_them() -> None:
    cases = {0: "under 1 s", 1: "1 s", 59: "59 s", 60: "1 min", 65: "1 min 05 s",
             3600: "1 h", 3660: "1 h 01 min", 86400: "1 d", 97200: "1 d 3 h"}  # fmt: skip
    assert {seconds: duration_text(seconds) for seconds in cases} == cases


def test_started_is_when_zinc_began_the_check_not_when_this_app_saw_it() -> None:
    summary = make_summary()
    seen = START + timedelta(days=5)
    record = CheckRecord(summary.record.id, "acct1", Environment.STAGING, "", "",
                         CheckStatus.COMPLETE, seen, seen)  # fmt: skip
    seen_later = CheckSummary("Acme Ltd", Environment.STAGING, record, summary.report,
                              START + timedelta(days=6))  # fmt: skip
    started = next(r for r in html_rows(seen_later.html()) if "Started" in r[-1])[-1]
    assert "22 Nov 2026" in started
    assert "27 Nov 2026" not in html_text(seen_later.html())


def test_a_server_sending_keys_addresses_and_numbers_leaves_none_in_the_page(
    qtbot: QtBot, tmp_path: Path
) -> None:
    hint = STAGING_KEY[-4:]
    results = (
        CheckResult(f"Identity ({STAGING_KEY})", f"clear, see https://ops.zinc.example/x?k={hint}"),
        CheckResult("Right to work", "ask ops@zincwork.com or +44 20 7946 0958"),
        CheckResult(f"Host ••••{hint}", "served by api.internal.example:8443 (key ending in beef)"),
        CheckResult(f"Ends {hint}.", "needs review at 10.1.2.3"),
    )  # fmt: skip
    summary = make_summary(results=results, hints=(hint,))
    page = summary.html()
    for where, text in {"raw html": page, **texts(summary, tmp_path)}.items():
        for leak in (STAGING_KEY, hint, "https://", "ops.zinc.example", "ops@zincwork.com",
                     "7946", "api.internal.example", "8443", "beef", "10.1.2.3"):  # fmt: skip
            assert leak not in text, (where, leak)
        assert "Right to work" in text, where


# --- names typed for an export ----------------------------------------------------------------

AWKWARD = [
    "</td></tr></table><h1>Pwned</h1>",
    "<script>alert(1)</script>",
    'O\'Brien & Daughters "Ltd"',
    "\u200fAda",  # a right-to-left mark: invisible, refused
    "Ada\u202eecalevoL",  # a right-to-left override
    "שרה כהן",  # Hebrew: right-to-left text itself is a name
    "محمد علي",
    "Zoë Ñandú",
    "Ada 471e527d2337da5dfaf28666fe1d8cef",
    "jane@zincwork.com",
    "Call +44 20 7946 0958",
    "x" * (MAX_NAME_LENGTH + 1),
    "  Ada   Lovelace\t",
    "Ada\x00Lovelace",
    "&amp; &lt;td&gt;",
]
NAMES = st.one_of(
    st.sampled_from(AWKWARD),
    st.text(max_size=MAX_NAME_LENGTH + 10),
    st.text(alphabet=st.sampled_from("<>&'\"/ tdr\u200f\u202eAz9é@.:+"), max_size=40),
)
BASELINE = make_summary(consultant="C", candidate_name="N")


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(consultant=NAMES, candidate=NAMES)
def test_any_typed_name_is_refused_with_a_reason_or_shown_escaped(
    consultant: str, candidate: str
) -> None:
    try:
        summary = make_summary(consultant=consultant, candidate_name=candidate)
    except InputRefused as refusal:
        reason = str(refusal)
        assert reason.strip()
        assert reason.endswith((".", ")")), reason
        for name in (consultant, candidate):
            if len(name.strip()) >= 12 or name in AWKWARD:
                assert name.strip() not in reason  # the message never repeats a name
        return
    page = summary.html()
    for typed, kept in ((consultant, summary.consultant), (candidate, summary.candidate_name)):
        assert kept == " ".join(typed.split())
        if kept:
            assert html.escape(kept) in page
            assert kept in html_text(page)
    shape = html_tags(page)
    baseline = html_tags(
        make_summary(consultant="C" if summary.consultant else "",
                     candidate_name="N" if summary.candidate_name else "").html()
    )  # fmt: skip
    assert shape == baseline  # no tag came from a name


@pytest.mark.parametrize(
    ("name", "reason"),
    [("\u200fAda", "U+200F"), ("Ada\u202eecalevoL", "U+202E"), ("x" * 81, "at most 80"),
     ("ops@zincwork.com", "email"), ("Ada 471e527d2337da5dfaf28666fe1d8cef", "API key")],
)  # fmt: skip
def test_a_name_is_refused_saying_why(name: str, reason: str) -> None:
    with pytest.raises(InputRefused, match=re.escape(reason)):
        clean_export_name(name, "candidate's name")


def test_the_candidate_name_stays_out_of_repr() -> None:
    summary = make_summary(candidate_name="Ada Lovelace")
    assert "Lovelace" not in repr(summary)
    assert "Jane Whitfield" in repr(summary)


def test_times_that_cannot_be_shown_give_no_duration_rather_than_a_wrong_one() -> None:
    report = make_summary().report
    updates = (CheckUpdate(CheckStatus.REQUESTED, "0001-01-01T00:00:00Z"),
               CheckUpdate(CheckStatus.AWAITING_CANDIDATE, iso(65)),
               CheckUpdate(CheckStatus.IN_PROGRESS, "not a time"),
               CheckUpdate(CheckStatus.COMPLETE, iso(7300)))  # fmt: skip
    summary = make_summary()
    odd = CheckSummary("Acme Ltd", Environment.STAGING, summary.record,
                       CheckReport(report.check_id, CheckStatus.COMPLETE, updates, RESULTS),
                       START + timedelta(days=1))  # fmt: skip
    rows = html_rows(odd.html())
    assert next(r for r in rows if "Requested" in r)[-2:] == ["unknown time", "–"]
    assert next(r for r in rows if "Awaiting candidate" in r)[-1] == "–"  # nothing known before
    assert next(r for r in rows if "Complete" in r)[-1] == "–"  # nor just before
    assert not any("Total" in cell for row in rows for cell in row)  # when it began is unknown
