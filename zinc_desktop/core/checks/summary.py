"""A check's summary, as a page worth sending a customer after a demo, and safe to hand over.

One self-contained HTML page: tables for layout, inline styles, the app's mark as an inline PNG
(rendered from resources/zinc-desktop.svg by packaging/render_icons.py), so that Qt's rich text,
which makes the PDF, and a browser both render it well. It holds the customer (the account's
label), the consultant and, when typed for this export alone, the candidate's name; the
environment, package, the journey with times and durations, the results and what happens next.

Never a key (not even its ending), a URL, host, email address or phone number: every outside
string passes the presenting mask (`presentable`), then HTML escaping, and the two names typed
for an export are refused when they would need the mask at all.
"""

from __future__ import annotations

import base64
import html
import json
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import cache
from importlib.resources import files
from pathlib import Path

from zinc_desktop import __version__
from zinc_desktop.core.accounts.presenting import presentable
from zinc_desktop.core.checks.history import CheckRecord
from zinc_desktop.core.checks.journey import (
    SHOWN_RESULTS,
    SHOWN_STEPS,
    ReportView,
    StepState,
    needs_review,
    report_view,
)
from zinc_desktop.core.foundation.api_key import looks_like_a_key, may_be_a_key_in_disguise
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.core.foundation.errors import InputRefused
from zinc_desktop.core.foundation.time_text import (
    UNKNOWN,
    clock_time,
    local_day,
    local_time,
    parse_server_time,
    seconds_between,
    zone_caption,
)
from zinc_desktop.core.zinc.api import CheckReport, CheckResult, CheckStatus

SUMMARY_HOLDS = 3  # times what the Demo tab shows: 300 results, 150 steps; more is counted,
# not listed (a page for a customer; and Qt lays a PDF out on the GUI thread: 20,000 took 450 ms)
MAX_NAME_LENGTH = 80  # a consultant's or candidate's name, as typed for an export
MAX_SHOWN_TEXT = 200  # a component's name or outcome as a server sent it, on the page
_BOLD_OUTCOME = 32  # an outcome up to this long is a verdict, in bold; a longer one is prose

# Characters a typed name may not hold: controls, format characters (bidirectional marks and
# overrides, zero-width joiners), private-use, surrogates, unassigned, line and paragraph breaks.
_INVISIBLE = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"})

# The palette: the app's own colours (gui/common/styles.py, status_icons.py), dark enough on
# their tints to read in greyscale, where every meaning also has a word or a symbol.
_INK = "#1f2933"
_MUTED = "#5f6b7a"
_RULE = "#dde2e8"
_PANEL = "#f4f6f9"
_BRAND = "#1b3fa8"
_BAND = "#172a5e"  # the header band: darker than the mark's blue, so the mark stands out
_ENVIRONMENT_COLOURS = {Environment.STAGING: "#00838f", Environment.PRODUCTION: "#c62828"}
_ENVIRONMENT_WORDS = {
    Environment.STAGING: "Test data, nothing billed",
    Environment.PRODUCTION: "Live, billable",
}
_GREEN, _GREEN_TINT = "#1e7a46", "#e4f4ea"
_AMBER, _AMBER_TINT = "#9a5a00", "#fdf0d9"
_BLUE = "#2a6df4"
_GREY, _GREY_TINT = "#5f6b7a", "#eef1f4"
_STATUS_COLOURS = {
    CheckStatus.REQUESTED: _BLUE,
    CheckStatus.AWAITING_CANDIDATE: _BLUE,
    CheckStatus.IN_PROGRESS: _BLUE,
    CheckStatus.ATTENTION_NEEDED: _AMBER,
    CheckStatus.COMPLETE: _GREEN,
    CheckStatus.UNKNOWN: _GREY,
}
_STEP_DOTS = {  # a filled dot for a step reached, an open one for a step to come
    StepState.DONE: ("●", _GREEN),
    StepState.CURRENT: ("●", _BLUE),
    StepState.ATTENTION: ("●", _AMBER),
    StepState.PENDING: ("○", "#9aa5b1"),
}
_STEP_NOTES = {
    StepState.CURRENT: "now",
    StepState.ATTENTION: "",  # its name says it
    StepState.PENDING: "",
    StepState.DONE: "",
}
_FONTS = "'Segoe UI', 'Helvetica Neue', Arial, 'DejaVu Sans', sans-serif"
# Qt's rich text ignores a media query it cannot read; browsers get a centred column, tables in
# the body's size (a browser's tables do not inherit it in every mode), and keep the colours
# when printing.
_BROWSER_ONLY = (
    "@media (min-width: 1px) { body { max-width: 820px; margin: 32px auto; padding: 0 24px; } "
    "table { font-size: 10pt; } "
    "* { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }"
)

_NEXT = {
    CheckStatus.REQUESTED: (
        "Zinc has received the request and is about to invite the candidate. Nothing is needed "
        "from you."
    ),
    CheckStatus.AWAITING_CANDIDATE: (
        "Zinc has emailed the candidate a secure link to give their details and share their "
        "documents. The check moves on by itself as soon as they have done so; nothing is "
        "needed from you in the meantime."
    ),
    CheckStatus.IN_PROGRESS: (
        "The candidate has done their part. Zinc is now running each check in the package and "
        "reports every result as soon as it is ready."
    ),
    CheckStatus.ATTENTION_NEEDED: (
        "Something needs attention before the check can go on, such as a document to send "
        "again or a detail to confirm. The check's page in Zinc says what is needed and from "
        "whom; once it is resolved, the check continues."
    ),
    CheckStatus.UNKNOWN: (
        "Zinc reported a status this summary does not know. The check's page in Zinc shows "
        "where it stands."
    ),
}
_ENVIRONMENT_NOTES = {
    Environment.STAGING: (
        "This check ran on Staging, Zinc's test environment: it uses test data and nothing is "
        "billed."
    ),
    Environment.PRODUCTION: "This is a live check on Production, billed to the account.",
}


def clean_export_name(text: str, what: str, hints: Collection[str] = ()) -> str:
    """A name typed for an export (the consultant's, the candidate's) as the page shows it:
    white space collapsed; "" when none was typed.

    InputRefused, saying why and never repeating the name, when it is not plain visible text
    of at most MAX_NAME_LENGTH characters, or holds what a summary never shows: a key or a key
    ending (`hints`: the linked keys' endings), an address, an email address or a phone number.
    """
    name = " ".join(text.split())
    if not name:
        return ""
    if looks_like_a_key("".join(name.split())) or may_be_a_key_in_disguise(name):
        raise InputRefused(f"The {what} must not contain an API key; nothing was exported.")
    for position, character in enumerate(name, start=1):
        if unicodedata.category(character) in _INVISIBLE:
            raise InputRefused(
                f"Character {position} of the {what} is the invisible or control character "
                f"U+{ord(character):04X}; a name is plain, visible text."
            )
    if len(name) > MAX_NAME_LENGTH:
        raise InputRefused(
            f"The {what} is at most {MAX_NAME_LENGTH} characters; this has {len(name)}."
        )
    if presentable(name, hints) != name:
        raise InputRefused(
            f"The {what} must be a name alone: a summary never shows a web address, host, email "
            "address, phone number or key ending."
        )
    return name


@cache
def _mark_uri() -> str:
    """The app's mark as a data URI, or "" when the package lacks it (the page does without)."""
    try:
        png = files("zinc_desktop.resources").joinpath("zinc-desktop-mark.png").read_bytes()
    except OSError:
        return ""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


@cache
def _app_name() -> str:
    try:
        text = files("zinc_desktop.resources").joinpath("branding.json").read_text("utf-8")
        name = json.loads(text).get("application_name")
    except (OSError, ValueError, AttributeError):
        name = None
    return name if isinstance(name, str) and name else "zinc-desktop"


def mark_uri() -> str:
    """The `src` of the page's mark: a renderer may register the image under it."""
    return _mark_uri()


def mark_png() -> bytes:
    uri = _mark_uri()
    return base64.b64decode(uri.partition(",")[2]) if uri else b""


def duration_text(seconds: float) -> str:
    """`under 1 s`, `4 s`, `3 min 05 s`, `2 h 05 min`, `5 h`, `3 d 4 h`: the unit below the
    largest only when it is not zero."""
    whole = int(seconds)
    if whole < 1:
        return "under 1 s"
    days, rest = divmod(whole, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {minutes:02d} min" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min {secs:02d} s" if secs else f"{minutes} min"
    return f"{secs} s"


def _shown_moment(raw: str) -> datetime | None:
    """A server's time as a moment a person can be shown, or None (unparsable, or a time no
    check happened at: Go's zero time, the calendar's edge)."""
    moment = parse_server_time(raw) if raw else None
    if moment is None or clock_time(moment) == UNKNOWN:
        return None
    return moment


def _clipped(text: str) -> str:
    return text if len(text) <= MAX_SHOWN_TEXT else text[: MAX_SHOWN_TEXT - 1].rstrip() + "…"


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


class _Outcome(StrEnum):
    CLEAR = "clear"
    REVIEW = "review"
    NONE = "none"


def _outcome_kind(result: CheckResult) -> _Outcome:
    if not result.outcome.strip():
        return _Outcome.NONE
    return _Outcome.REVIEW if needs_review(result.outcome) else _Outcome.CLEAR


_OUTCOME_STYLES = {  # symbol, ink, tint
    _Outcome.CLEAR: ("✓", _GREEN, _GREEN_TINT),
    _Outcome.REVIEW: ("!", _AMBER, _AMBER_TINT),
    _Outcome.NONE: ("–", _GREY, _GREY_TINT),
}
_OUTCOME_NOTES = {
    _Outcome.CLEAR: "",
    _Outcome.REVIEW: "Look at the details in Zinc before a decision is made.",
    _Outcome.NONE: "Zinc has not given an outcome for this component.",
}


def _label(text: str) -> str:
    """A small, spaced caption above a value, in capitals by its style (the text stays as
    written, for a screen reader and a copy)."""
    return (
        f"<span style='font-size:7pt; letter-spacing:1px; text-transform:uppercase; "
        f"color:{_MUTED}'>{html.escape(text)}</span>"
    )


def _heading(text: str, aside: str = "") -> str:
    extra = (
        f"<span style='font-size:9pt; font-weight:normal; color:{_MUTED}'>&nbsp;&nbsp;"
        f"{html.escape(aside)}</span>"
        if aside
        else ""
    )
    # A cell's padding, not a paragraph's margin: Qt drops a paragraph's top margin after some
    # tables, and the sections must not run into each other.
    return (
        "<table width='100%' cellspacing='0' cellpadding='0' "
        "style='border-collapse:collapse; width:100%'><tr>"
        f"<td style='padding:26px 0 10px 0; font-size:12.5pt; font-weight:bold; color:{_INK}'>"
        f"{html.escape(text)}{extra}</td></tr></table>"
    )


def _table(rows: Sequence[str], *, header: str = "") -> str:
    return (
        "<table width='100%' cellspacing='0' cellpadding='0' "
        "style='border-collapse:collapse; width:100%'>" + header + "".join(rows) + "</table>"
    )


def _cell(content: str, *, width: str = "", align: str = "left", style: str = "") -> str:
    width_attr = f" width='{width}'" if width else ""
    return (
        f"<td{width_attr} align='{align}' valign='top' "
        f"style='padding:7px 10px; border-bottom:1px solid {_RULE}; {style}'>{content}</td>"
    )


def _header_cell(text: str, *, width: str = "", align: str = "left") -> str:
    width_attr = f" width='{width}'" if width else ""
    return (
        f"<td{width_attr} align='{align}' style='padding:0 10px 6px 10px; "
        f"border-bottom:1.5px solid {_INK}'>{_label(text)}</td>"
    )


def _muted(text: str) -> str:
    return f"<span style='color:{_MUTED}'>{text}</span>"


@dataclass(frozen=True)
class CheckSummary:
    """What an export shows. `consultant` and `candidate_name` are typed by the user for the
    export (the consultant's as a setting); both are validated here (InputRefused, see
    `clean_export_name`), and a candidate's name is held for this export alone: never stored,
    never logged (it is left out of `repr`)."""

    account_label: str
    environment: Environment
    record: CheckRecord
    report: CheckReport
    exported_at: datetime
    hints: tuple[str, ...] = ()  # the linked keys' endings: never in a summary, even alone
    consultant: str = ""
    candidate_name: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        for name, what in (
            ("consultant", "consultant's name"),
            ("candidate_name", "candidate's name"),
        ):
            object.__setattr__(self, name, clean_export_name(getattr(self, name), what, self.hints))

    def shown(self, text: str) -> str:
        """Text as the summary may hold it: the presenting mask, then HTML-escaped."""
        return html.escape(presentable(text, self.hints))

    def title(self) -> str:
        return presentable(f"Zinc check {self.record.id}", self.hints)

    def html(self) -> str:
        view = report_view(
            self.report, steps=SHOWN_STEPS * SUMMARY_HOLDS, results=SHOWN_RESULTS * SUMMARY_HOLDS
        )
        title = f"Background check summary: {presentable(self.account_label, self.hints)}"
        return (
            "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{html.escape(title)}</title><style>{_BROWSER_ONLY}</style></head>"
            f"<body style='font-family:{_FONTS}; font-size:10pt; color:{_INK}; "
            "background-color:#ffffff'>"
            + self._banner()
            + self._facts()
            + self._status(view)
            + self._journey(view)
            + self._results(view)
            + self._next(view)
            + self._footer()
            + "</body></html>"
        )

    # --- the parts, top to bottom -------------------------------------------------------

    def _banner(self) -> str:
        colour = _ENVIRONMENT_COLOURS[self.environment]
        mark = _mark_uri()
        mark_cell = (
            f"<td width='8%' valign='middle' bgcolor='{_BAND}' style='padding:16px 0 16px 18px; "
            f"background-color:{_BAND}'>"
            f"<img src='{mark}' width='44' height='44' alt=''></td>"
            if mark
            else ""
        )
        badge = (
            "<table width='100%' cellspacing='0' cellpadding='0' bgcolor='#ffffff' "
            "style='background-color:#ffffff; border-collapse:collapse'><tr>"
            "<td bgcolor='#ffffff' style='padding:6px 12px 6px 10px; background-color:#ffffff; "
            f"border-left:4px solid {colour}'>"
            f"<span style='font-size:9.5pt; font-weight:bold; color:{colour}'>"
            f"{html.escape(self.environment.display_name)}</span><br>"
            f"<span style='font-size:8pt; color:{_INK}'>"
            f"{html.escape(_ENVIRONMENT_WORDS[self.environment])}</span></td></tr></table>"
        )
        return (
            f"<table width='100%' cellspacing='0' cellpadding='0' bgcolor='{_BAND}' "
            f"style='background-color:{_BAND}; border-collapse:collapse; width:100%'><tr>"
            + mark_cell
            + f"<td width='57%' valign='middle' bgcolor='{_BAND}' style='padding:16px 12px; "
            f"background-color:{_BAND}'>"
            "<span style='font-size:7.5pt; letter-spacing:1.5px; color:#c9d5fb'>ZINC</span><br>"
            "<span style='font-size:15pt; font-weight:bold; color:#ffffff'>"
            "Background check summary</span></td>"
            f"<td width='35%' align='right' valign='middle' bgcolor='{_BAND}' "
            f"style='padding:16px 18px 16px 8px; background-color:{_BAND}'>{badge}</td>"
            "</tr></table>"
        )

    def _facts(self) -> str:
        """Two rows: who (customer, consultant, candidate) and what (package, check, start)."""
        widths = ("34%", "35%", "31%")

        def fact(caption: str, value: str, *, strong: bool = False, size: str = "10pt") -> str:
            style = f"font-size:{size}" + ("; font-weight:bold" if strong else "")
            return f"{_label(caption)}<br><span style='{style}'>{value}</span>"

        shown = self.shown
        people = [fact("Customer", shown(self.account_label), strong=True)]
        if self.consultant:
            people.append(fact("Prepared by", shown(self.consultant)))
        if self.candidate_name:
            people.append(fact("Candidate", shown(self.candidate_name)))
        origin = _muted(" (started elsewhere)") if self.record.started_elsewhere else ""
        check = [
            fact("Package", shown(self.record.package_name or "not known")),
            # Smaller, so a long id stays on one line (a reader copies it from the PDF).
            fact("Check", shown(self.record.id), size="8.5pt") + origin,
            fact("Started", html.escape(local_time(self._started()))),
        ]
        rows = [[*people, *[""] * (3 - len(people))], check]
        return (
            "<table width='100%' cellspacing='0' cellpadding='0' "
            "style='margin-top:22px; border-collapse:collapse; width:100%'>"
            + "".join(
                "<tr>"
                + "".join(
                    f"<td width='{width}' valign='top' style='padding:0 14px 14px 0'>{value}</td>"
                    for width, value in zip(widths, row, strict=True)
                )
                + "</tr>"
                for row in rows
            )
            + "</table>"
        )

    def _started(self) -> datetime:
        """When Zinc says the check began (its first update), else when this app first saw it:
        a check started elsewhere was only seen here later."""
        first = next(
            (m for u in self.report.updates if (m := _shown_moment(u.at)) is not None), None
        )
        return first or self.record.started_at

    def _gist(self, view: ReportView) -> str:
        status = self.report.status
        total = len(self.report.results)
        if status is CheckStatus.COMPLETE and total:
            if not view.to_review:
                return f"All {total:,} components clear" if total > 1 else "The component is clear"
            return f"{view.to_review:,} of {total:,} to review"
        return {
            CheckStatus.REQUESTED: "Request received",
            CheckStatus.AWAITING_CANDIDATE: "Waiting for the candidate",
            CheckStatus.IN_PROGRESS: "Checks under way",
            CheckStatus.ATTENTION_NEEDED: "Action needed: see what happens next",
            CheckStatus.COMPLETE: "No results reported",
        }.get(status, "")

    def _status(self, view: ReportView) -> str:
        status = self.report.status
        colour = _STATUS_COLOURS[status]
        if status is CheckStatus.COMPLETE and view.to_review:
            colour = _AMBER  # complete, with something to look at: not all green
        gist = self._gist(view)
        return (
            f"<table width='100%' cellspacing='0' cellpadding='0' bgcolor='{_PANEL}' "
            f"style='background-color:{_PANEL}; border-collapse:collapse; width:100%; "
            "margin-top:4px'><tr>"
            f"<td valign='middle' bgcolor='{_PANEL}' style='padding:10px 14px; "
            f"background-color:{_PANEL}; border-left:5px solid {colour}'>"
            f"{_label('Status')}<br>"
            f"<span style='font-size:14pt; font-weight:bold; color:{colour}'>"
            f"{html.escape(status.label)}</span></td>"
            f"<td align='right' valign='middle' bgcolor='{_PANEL}' style='padding:10px 14px; "
            f"background-color:{_PANEL}'>"
            f"<span style='font-size:10pt; color:{_INK}'>{html.escape(gist)}</span></td>"
            "</tr></table>"
        )

    def _journey(self, view: ReportView) -> str:
        steps = view.steps
        first = next((m for s in steps if (m := _shown_moment(s.at)) is not None), None)
        zone = zone_caption(first or self.exported_at)
        header = (
            "<tr><td width='4%' style='padding:0 0 6px 0; border-bottom:1.5px solid "
            f"{_INK}'></td>"
            + _header_cell("Step", width="36%")
            + _header_cell("Date", width="22%")
            + _header_cell(f"Time ({zone})", width="18%")
            + _header_cell("Since previous", width="20%", align="right")
            + "</tr>"
        )
        rows: list[str] = []
        if view.earlier_steps:
            rows.append(
                "<tr><td></td>"
                + _cell(_muted(f"… {view.earlier_steps:,} earlier updates, not shown"))
                + "<td></td><td></td><td></td></tr>"
            )
        previous: datetime | None = None
        previous_day = ""
        for step in steps:
            dot, colour = _STEP_DOTS[step.state]
            dot_cell = (
                "<td align='center' valign='top' style='padding:7px 0; border-bottom:1px "
                f"solid {_RULE}; color:{colour}'>{dot}</td>"
            )
            note = _STEP_NOTES[step.state]
            name = html.escape(step.status.label)
            if step.state is StepState.PENDING:
                rows.append(
                    "<tr>"
                    + dot_cell
                    + _cell(_muted(name))
                    + _cell(_muted("to come"))
                    + _cell("")
                    + _cell("", align="right")
                    + "</tr>"
                )
                continue
            if note:
                name += _muted(f" &nbsp;· {html.escape(note)}")
            moment = _shown_moment(step.at)
            if moment is None:
                day, clock, since = "", UNKNOWN, "–"
                previous = None
            else:
                day = local_day(moment)
                clock = clock_time(moment, zone=zone_caption(moment) != zone)
                seconds = seconds_between(previous, moment) if previous is not None else None
                since = duration_text(seconds) if seconds is not None and seconds >= 0 else "–"
                day, previous_day = ("" if day == previous_day else day), day
                previous = moment
            rows.append(
                "<tr>"
                + dot_cell
                + _cell(name)
                + _cell(html.escape(day))
                + _cell(html.escape(clock))
                + _cell(html.escape(since), align="right")
                + "</tr>"
            )
        total = self._total()
        if total is not None:
            caption, span = total
            rows.append(
                "<tr><td></td>"
                f"<td colspan='3' style='padding:8px 10px'><b>{html.escape(caption)}</b></td>"
                f"<td align='right' style='padding:8px 10px'><b>{html.escape(span)}</b></td></tr>"
            )
        return _heading("Journey") + _table(rows, header=header)

    def _total(self) -> tuple[str, str] | None:
        """The journey's length: request to result when complete, else so far (to the export).
        None when its start or its end is not a time that can be shown."""
        updates = [u for u in self.report.updates if u.status is not CheckStatus.UNKNOWN]
        start = _shown_moment(updates[0].at) if updates else None
        if start is None:
            return None
        last = _shown_moment(updates[-1].at)
        if self.report.status.is_final:
            caption, end = "Total, from request to result", last
        else:  # a server's clock a little ahead of this one's: never a negative time
            caption, end = "So far, to this summary", max(last or start, self.exported_at)
        seconds = seconds_between(start, end) if end is not None else None
        if seconds is None or seconds < 0:
            return None
        return caption, duration_text(seconds)

    def _results(self, view: ReportView) -> str:
        if not view.results:
            return _heading("Results") + (
                f"<table width='100%' cellspacing='0' cellpadding='0' bgcolor='{_PANEL}' "
                f"style='background-color:{_PANEL}; width:100%'><tr>"
                f"<td bgcolor='{_PANEL}' style='padding:10px 14px; background-color:{_PANEL}'>"
                "No results yet: Zinc reports them when the "
                "check is complete.</td></tr></table>"
            )
        kinds = [_outcome_kind(r) for r in view.results]
        with_notes = any(_OUTCOME_NOTES[k] for k in kinds)
        widths = ("38%", "27%", "35%") if with_notes else ("60%", "40%", "")
        header = (
            "<tr>"
            + _header_cell("Component", width=widths[0])
            + _header_cell("Outcome", width=widths[1])
            + (_header_cell("Note", width=widths[2]) if with_notes else "")
            + "</tr>"
        )
        rows = []
        for result, kind in zip(view.results, kinds, strict=True):
            symbol, ink, tint = _OUTCOME_STYLES[kind]
            words = (
                "No outcome given"
                if kind is _Outcome.NONE
                else _capitalised(_clipped(presentable(result.outcome, self.hints)))
            )
            weight = "bold" if len(words) <= _BOLD_OUTCOME else "normal"  # a verdict, or prose
            outcome = (
                f"<td valign='top' bgcolor='{tint}' style='padding:7px 10px; "
                f"background-color:{tint}; border-bottom:1px solid #ffffff; color:{ink}; "
                f"font-weight:{weight}'>{symbol}&nbsp;&nbsp;{html.escape(words)}</td>"
            )
            note = _cell(_muted(html.escape(_OUTCOME_NOTES[kind]))) if with_notes else ""
            name = html.escape(_clipped(presentable(result.name, self.hints)) or "Unnamed")
            rows.append("<tr>" + _cell(name) + outcome + note + "</tr>")
        if view.more_results:
            rows.append(
                "<tr><td colspan='3' style='padding:8px 10px'>"
                + _muted(f"… and {view.more_results:,} more, not shown here: see Zinc.")
                + "</td></tr>"
            )
        count = len(self.report.results)
        aside = f"{count:,} component{'s' if count != 1 else ''}"
        return _heading("Results", aside) + _table(rows, header=header)

    def _next(self, view: ReportView) -> str:
        status = self.report.status
        if status is CheckStatus.COMPLETE:
            if not self.report.results:
                text = (
                    "The check is complete. Zinc reported no results for it; its page in Zinc "
                    "has the full report."
                )
            elif view.to_review:
                some = "one component" if view.to_review == 1 else f"{view.to_review:,} components"
                text = (
                    f"The check is complete and its results are final. Zinc marked {some} for "
                    "review: look at the details in Zinc before a decision is made."
                )
            else:
                text = (
                    "The check is complete and its results are final: nothing is left to do. "
                    "The full report stays available in Zinc."
                )
        else:
            text = _NEXT.get(status, _NEXT[CheckStatus.UNKNOWN])
        return _heading("What happens next") + (
            f"<table width='100%' cellspacing='0' cellpadding='0' bgcolor='{_PANEL}' "
            f"style='background-color:{_PANEL}; border-collapse:collapse; width:100%'><tr>"
            f"<td bgcolor='{_PANEL}' style='padding:12px 16px; background-color:{_PANEL}; "
            f"border-left:5px solid {_BRAND}; line-height:140%'>"
            f"{html.escape(text)}<br>"
            f"<span style='color:{_MUTED}'>{html.escape(_ENVIRONMENT_NOTES[self.environment])}"
            "</span></td></tr></table>"
        )

    def _footer(self) -> str:
        exported = local_time(self.exported_at, seconds=True)
        return (
            "<table width='100%' cellspacing='0' cellpadding='0' "
            "style='margin-top:30px; border-collapse:collapse; width:100%'><tr>"
            f"<td style='padding-top:8px; border-top:1px solid {_RULE}; font-size:8pt; "
            f"color:{_MUTED}'>Exported {html.escape(exported)} with {html.escape(_app_name())} "
            f"{html.escape(__version__)}. This summary holds no API key and no candidate contact "
            "details.</td></tr></table>"
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
        """The format a file name's last suffix names (`.pdf`, `.html`, `.htm`), if any; a
        name that is nothing but the suffix (`.pdf`) names its format too."""
        suffix = "." + path.name.rsplit(".", 1)[-1].lower() if "." in path.name else ""
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
    if chosen.name != chosen.name.rstrip() and chosen.name.strip():
        chosen = chosen.with_name(chosen.name.rstrip())  # "x.pdf " meant x.pdf
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
    stem = first.path.name[: len(first.path.name) - len(first.format.suffix)]
    if first.path.name.lower().endswith(".htm"):
        stem = first.path.name[:-4]
    return [first, SummaryTarget(first.path.with_name(stem + other.suffix), other)]


_NOT_IN_FILE_NAMES = str.maketrans(dict.fromkeys('/\\:*?"<>|', "-") | {"\x00": ""})


def suggested_file_name(summary: CheckSummary) -> str:
    """`Acme Ltd - Zinc check chk-s-….pdf`: what the Save dialog offers (no folder, no path
    characters, no control characters)."""
    label = "".join(c for c in summary.account_label if c.isprintable()).translate(
        _NOT_IN_FILE_NAMES
    )
    name = f"{label.strip(' .')[:60]} - Zinc check {summary.record.id}".strip(" -")
    return f"{name}{SummaryFormat.PDF.suffix}"
