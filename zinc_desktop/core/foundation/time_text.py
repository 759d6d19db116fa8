"""How times are read and written, everywhere: one parser, one formatter, and neither ever raises.

A person reads local time with its zone ("3 min ago" where space is short); the CLI's JSON and
the data files keep ISO 8601 UTC (a contract). A time that cannot be shown (Go's zero time in a
zone whose year-1 offset leaves the calendar, `9999-12-31T23:59:59-23:59`, a hand-edited file)
reads "unknown time", and the raw text stays available for a tooltip. A `TZ` the system cannot
use (`UTC+25`) falls back to UTC, and `zone_problem()` says so, once.
"""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime, tzinfo

UNKNOWN = "unknown time"
_MAX_TEXT = 40
# The representable extremes, as stored: a time past them is clamped there, never refused.
EARLIEST = datetime.min.replace(tzinfo=UTC)
LATEST = datetime.max.replace(tzinfo=UTC)


def _zone_problem(tz: str | None) -> str | None:
    """Why the reader's zone cannot be used, or None. A named zone the system does not know
    (`Europe/Nowhere`, `:/dev/zero`) silently reads as UTC labelled with its own name in the C
    library; an offset of a day or more (`UTC+25`) makes Python refuse local times."""
    try:
        datetime.now(UTC).astimezone()
    except (ValueError, OverflowError, OSError) as error:
        return f"cannot be used as a time zone ({type(error).__name__})"
    if tz and ("/" in tz or tz.startswith(":")):
        import zoneinfo

        name = tz.removeprefix(":")
        try:
            if name.startswith("/"):
                with open(name, "rb") as handle:  # a zone file given by its path
                    zoneinfo.ZoneInfo.from_file(handle)
            else:
                zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            return "is not a time zone this system knows"
    return None


class _ReaderZone:
    """The zone times are shown in: the system's, or UTC when the system's cannot be used."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._checked = False
        self.zone: tzinfo | None = None  # None: the system's local zone
        self._problem: str | None = None
        self._told = False

    def check(self) -> tzinfo | None:
        with self._lock:
            if not self._checked:
                self._checked = True
                problem = _zone_problem(os.environ.get("TZ"))
                if problem is not None:
                    self.zone = UTC
                    shown = os.environ.get("TZ", "")[:40]
                    setting = f"TZ={shown!r}" if shown else "The system's time zone"
                    self._problem = f"{setting} {problem}; times are shown in UTC."
            return self.zone

    def problem_once(self) -> str | None:
        self.check()
        with self._lock:
            if self._problem is None or self._told:
                return None
            self._told = True
            return self._problem


_READER_ZONE = _ReaderZone()


def zone_problem() -> str | None:
    """Why times are shown in UTC (a TZ the system cannot use): the first call says it, later
    calls return None, so it is said once."""
    return _READER_ZONE.problem_once()


def _local(moment: datetime) -> datetime | None:
    """`moment` in the reader's zone, or None when it cannot be shown: the calendar cannot hold
    it there, or it sits in the calendar's first or last year (Go's zero time, a clamped edge,
    "forever"): no event Zinc reports happened then."""
    if moment.year in (EARLIEST.year, LATEST.year):
        return None
    try:
        local = moment.astimezone(_READER_ZONE.check())
    except (OverflowError, ValueError, OSError):
        return None
    return None if local.year in (EARLIEST.year, LATEST.year) else local


def now_local() -> datetime:
    """Now, in the reader's zone (UTC when the zone cannot be used)."""
    return _local(datetime.now(UTC)) or datetime.now(UTC)


def _zone_name(local: datetime) -> str:
    return local.tzname() or local.strftime("%z")


def relative_time(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "Never"
    try:
        seconds = (now - moment).total_seconds()
    except (OverflowError, ValueError):
        return UNKNOWN.capitalize()
    if seconds < -90:  # later than now (a clock ahead, an edited file): the date, not "just now"
        local = _local(moment)
        return local.strftime("%d %b %Y") if local else UNKNOWN.capitalize()
    if seconds < 45:
        return "Just now"
    if seconds < 90:
        return "1 min ago"
    if seconds < 3600:
        return f"{round(seconds / 60)} min ago"
    if seconds < 86400:
        hours = round(seconds / 3600)
        return f"{hours} h ago"
    if seconds < 2 * 86400:
        return "Yesterday"
    local = _local(moment)
    return local.strftime("%d %b %Y") if local else UNKNOWN.capitalize()


def local_time(moment: datetime | None, *, seconds: bool = False) -> str:
    """`22 Nov 2026, 14:05 GMT`: short, unambiguous, in the reader's zone."""
    if moment is None:
        return "never"
    local = _local(moment)
    if local is None:
        return UNKNOWN
    return local.strftime("%d %b %Y, %H:%M" + (":%S" if seconds else "")) + f" {_zone_name(local)}"


def clock_time(moment: datetime, *, zone: bool = False) -> str:
    """`14:05:09` (`14:05:09 GMT` with `zone`), local: within one session, the date goes
    without saying; under a journey's steps the caption names the zone once."""
    local = _local(moment)
    if local is None:
        return UNKNOWN
    return local.strftime("%H:%M:%S") + (f" {_zone_name(local)}" if zone else "")


def local_day(moment: datetime) -> str:
    """`22 Nov 2026`: the day, in the reader's zone, for a column of times that names the day
    only where it changes."""
    local = _local(moment)
    return local.strftime("%d %b %Y") if local is not None else UNKNOWN


def exact_time(moment: datetime | None) -> str:
    """For tooltips: `Sunday 22 November 2026, 14:05:09 GMT`."""
    if moment is None:
        return "Not checked yet"
    local = _local(moment)
    if local is None:
        return f"{UNKNOWN.capitalize()} (recorded as {iso_utc(moment) or moment.isoformat()})"
    return local.strftime("%A %d %B %Y, %H:%M:%S ") + _zone_name(local)


def zone_caption(now: datetime) -> str:
    """The zone times are shown in (`GMT`), for a caption under many times."""
    local = _local(now)
    return _zone_name(local) if local else "UTC"


def parse_server_time(text: str) -> datetime | None:
    """An ISO 8601 time as Zinc sends it (`2026-11-22T10:00:00Z`), or None if it is not one.

    A time without a zone is taken as UTC. Never raises.
    """
    if not isinstance(text, str) or not text or len(text) > _MAX_TEXT:
        return None
    return _from_iso(text)


def _from_iso(text: str) -> datetime | None:
    """The one reading of ISO 8601, for Zinc's times and our files' alike: `Z` is UTC, a time
    without a zone is taken as UTC; None when it is not a time."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def shown_time(raw: str, *, seconds: bool = True) -> str:
    """A time as a server sent it, as a person reads it; "unknown time" when it is not one or
    cannot be shown (the caller may offer `raw`, scrubbed, on hover)."""
    moment = parse_server_time(raw)
    return local_time(moment, seconds=seconds) if moment is not None else UNKNOWN


def parse_stored_time(text: str) -> datetime:
    """A time from one of our files, as UTC. What is not a time at all (a hand edit, `garbage`,
    month 13) is kept as the calendar's first moment, which reads "unknown time"; a time UTC
    cannot hold (`9999-12-31T23:59:59-23:59`) is clamped to the calendar's edge: one odd time
    never fails (and quarantines) the whole file."""
    moment = _from_iso(text)
    if moment is None:
        return EARLIEST
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        return LATEST if moment.year > 1 else EARLIEST


def iso_utc(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, as files and --json keep times; None stays None."""
    if moment is None:
        return None
    try:
        return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
    except OverflowError:
        return (LATEST if moment.year > 1 else EARLIEST).isoformat().replace("+00:00", "Z")


def seconds_between(start: datetime, end: datetime) -> float | None:
    """`end - start` in seconds, or None when it cannot be computed."""
    try:
        return (end - start).total_seconds()
    except (OverflowError, ValueError):
        return None


def elapsed_text(seconds: float) -> str:
    """`4 min 05 s` for a check's running time."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {secs:02d} s"
    return f"{secs} s"
