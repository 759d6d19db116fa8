"""A check's summary as an HTML page: for the customer after a demo, safe to hand over.

It holds the environment, the package, the journey with times and the results; never a key (not
even its ending) and never the candidate's contact details.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime

from zinc_desktop import __version__
from zinc_desktop.core.check_history import CheckRecord
from zinc_desktop.core.check_journey import StepState, journey, needs_review
from zinc_desktop.core.environments import Environment
from zinc_desktop.core.presenting import presentable
from zinc_desktop.core.time_text import local_time, shown_time
from zinc_desktop.core.zinc_api import CheckReport

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

    def title(self) -> str:
        return f"Zinc check {self.record.id}"

    def html(self) -> str:
        e = html.escape
        environment = self.environment.display_name
        where = (
            "a real, billable check"
            if self.environment.is_billable
            else "test data, nothing is billed"
        )
        rows = []
        for step in journey(self.report):
            when = shown_time(step.at) if step.at else ""
            rows.append(
                f"<tr><td>{e(step.status.label)}</td><td>{e(_STATE_WORDS[step.state])}</td>"
                f"<td>{e(when)}</td></tr>"
            )
        results = [
            f"<tr><td>{e(r.name)}</td><td>{e(r.outcome or 'no outcome given')}</td>"
            f"<td>{'needs review' if needs_review(r.outcome) else ''}</td></tr>"
            for r in self.report.results
        ]
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
            f"<b>Account:</b> {e(presentable(self.account_label))}<br>"
            f"<b>Package:</b> {e(self.record.package_name or 'not known')}<br>"
            f"<b>Check:</b> {e(self.record.id)}{e(origin)}<br>"
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
