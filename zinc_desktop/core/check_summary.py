"""A check's summary as an HTML page: for the customer after a demo, safe to hand over.

It holds the environment, the package, the journey with times and the results; never a key (not
even its ending) and never the candidate's contact details.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from zinc_desktop import __version__
from zinc_desktop.core.check_history import CheckRecord
from zinc_desktop.core.check_journey import (
    SHOWN_RESULTS,
    SHOWN_STEPS,
    StepState,
    needs_review,
    report_view,
)
from zinc_desktop.core.environments import Environment
from zinc_desktop.core.presenting import presentable
from zinc_desktop.core.time_text import local_time, shown_time
from zinc_desktop.core.zinc_api import CheckReport

SUMMARY_HOLDS = 10  # times what the Demo tab shows: a summary is for reading at leisure

_STATE_WORDS = {
    StepState.DONE: "done",
    StepState.CURRENT: "current",
    StepState.ATTENTION: "needed attention",
    StepState.PENDING: "to come",
}


@dataclass(frozen=True)
class CheckSummary:
    account_label: str
    environment: Environment
    record: CheckRecord
    report: CheckReport
    exported_at: datetime
    hints: tuple[str, ...] = ()  # the linked keys' endings: never in a summary, even alone

    def shown(self, text: str) -> str:
        """Text as the summary may hold it: the presenting mask, then HTML-escaped."""
        return html.escape(presentable(text, self.hints))

    def title(self) -> str:
        return presentable(f"Zinc check {self.record.id}", self.hints)

    def html(self) -> str:
        e = html.escape
        shown = self.shown
        environment = self.environment.display_name
        where = (
            "a real, billable check"
            if self.environment.is_billable
            else "test data, nothing is billed"
        )
        view = report_view(
            self.report, steps=SHOWN_STEPS * SUMMARY_HOLDS, results=SHOWN_RESULTS * SUMMARY_HOLDS
        )
        rows = []
        if view.earlier_steps:
            rows.append(f"<tr><td colspan='3'>… {view.earlier_steps:,} earlier updates</td></tr>")
        for step in view.steps:
            when = shown_time(step.at) if step.at else ""
            rows.append(
                f"<tr><td>{e(step.status.label)}</td><td>{e(_STATE_WORDS[step.state])}</td>"
                f"<td>{e(when)}</td></tr>"
            )
        results = [
            f"<tr><td>{shown(r.name)}</td><td>{shown(r.outcome or 'no outcome given')}</td>"
            f"<td>{'needs review' if needs_review(r.outcome) else ''}</td></tr>"
            for r in view.results
        ]
        if view.more_results:
            results.append(f"<tr><td colspan='3'>… and {view.more_results:,} more</td></tr>")
        results_html = (
            "<table border='1' cellspacing='0' cellpadding='6' width='100%'>"
            "<tr><th align='left'>Component</th><th align='left'>Outcome</th>"
            "<th align='left'>Note</th></tr>" + "".join(results) + "</table>"
            if results
            else "<p>No results yet: the check has not finished.</p>"
        )
        origin = " (started outside zinc-desktop)" if self.record.started_elsewhere else ""
        return (
            "<!DOCTYPE html><html><head><meta charset='utf-8'>"
            f"<title>{e(self.title())}</title></head><body style='font-family: sans-serif'>"
            f"<h1>Zinc background check</h1>"
            f"<p><b>Environment:</b> {e(environment)} ({e(where)})<br>"
            f"<b>Account:</b> {shown(self.account_label)}<br>"
            f"<b>Package:</b> {shown(self.record.package_name or 'not known')}<br>"
            f"<b>Check:</b> {shown(self.record.id)}{e(origin)}<br>"
            f"<b>Status:</b> {e(self.report.status.label)}<br>"
            f"<b>Started:</b> {e(local_time(self.record.started_at, seconds=True))}</p>"
            "<h2>Journey</h2>"
            "<table border='1' cellspacing='0' cellpadding='6' width='100%'>"
            "<tr><th align='left'>Step</th><th align='left'>State</th>"
            "<th align='left'>When</th></tr>"
            + "".join(rows)
            + "</table><h2>Results</h2>"
            + results_html
            + "<p style='color:#666; margin-top:18px'>Exported "
            f"{e(local_time(self.exported_at, seconds=True))} "
            f"by zinc-desktop {e(__version__)}. This summary holds no API key and no candidate "
            "contact details.</p></body></html>"
        )


class SummaryFormat(StrEnum):
    """What a summary file is written as; a file's suffix names its format."""

    PDF = "pdf"
    HTML = "html"

    @property
    def suffix(self) -> str:
        return f".{self.value}"

    @property
    def other(self) -> SummaryFormat:
        return SummaryFormat.HTML if self is SummaryFormat.PDF else SummaryFormat.PDF

    @classmethod
    def of(cls, path: Path) -> SummaryFormat | None:
        """The format a file name's last suffix names (`.pdf`, `.html`, `.htm`), if any."""
        suffix = path.suffix.lower()
        if suffix == ".pdf":
            return cls.PDF
        if suffix in (".html", ".htm"):
            return cls.HTML
        return None


@dataclass(frozen=True)
class SummaryTarget:
    path: Path
    format: SummaryFormat


def summary_targets(
    chosen: Path, format_asked: SummaryFormat | None = None, *, both: bool = False
) -> list[SummaryTarget]:
    """Exactly the files a chosen name means: never another file the user did not name.

    The chosen name keeps every dot (`report.v2`, `Acme Ltd. summary`); its suffix decides the
    format, else the format asked for (the Save dialog's filter, PDF by default) is added to the
    name. With `both`, the other format is written beside it, same name, other suffix: an
    explicit choice, which the caller shows and confirms before it replaces anything.
    """
    named = SummaryFormat.of(chosen)
    first = (
        SummaryTarget(chosen, named)
        if named is not None
        else SummaryTarget(
            chosen.with_name(chosen.name + (format_asked or SummaryFormat.PDF).suffix),
            format_asked or SummaryFormat.PDF,
        )
    )
    if not both:
        return [first]
    other = first.format.other
    return [first, SummaryTarget(first.path.with_suffix(other.suffix), other)]


_NOT_IN_FILE_NAMES = str.maketrans(dict.fromkeys('/\\:*?"<>|', "-") | {"\x00": ""})


def suggested_file_name(summary: CheckSummary) -> str:
    """`Acme Ltd - Zinc check chk-s-….pdf`: what the Save dialog offers (no folder, no path
    characters, no control characters)."""
    label = "".join(c for c in summary.account_label if c.isprintable()).translate(
        _NOT_IN_FILE_NAMES
    )
    name = f"{label.strip(' .')[:60]} - Zinc check {summary.record.id}".strip(" -")
    return f"{name}{SummaryFormat.PDF.suffix}"
