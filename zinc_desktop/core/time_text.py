"""How times read, everywhere: local time with its zone; "3 min ago" where space is short.

The CLI's JSON keeps ISO 8601 UTC (a contract); everything a person reads goes through here.
"""

from __future__ import annotations

from datetime import UTC, datetime


def relative_time(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "Never"
    seconds = (now - moment).total_seconds()
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
    return moment.astimezone().strftime("%d %b %Y")


def _zone(local: datetime) -> str:
    return local.tzname() or local.strftime("%z")


def local_time(moment: datetime | None, *, seconds: bool = False) -> str:
    """`22 Nov 2026, 14:05 GMT`: short, unambiguous, in the reader's zone."""
    if moment is None:
        return "never"
    local = moment.astimezone()
    return local.strftime("%d %b %Y, %H:%M" + (":%S" if seconds else "")) + f" {_zone(local)}"


def clock_time(moment: datetime, *, zone: bool = False) -> str:
    """`14:05:09` (`14:05:09 GMT` with `zone`), local: within one session, the date goes
    without saying; under a journey's steps the caption names the zone once."""
    local = moment.astimezone()
    return local.strftime("%H:%M:%S") + (f" {_zone(local)}" if zone else "")


def exact_time(moment: datetime | None) -> str:
    """For tooltips: `Sunday 22 November 2026, 14:05:09 GMT`."""
    if moment is None:
        return "Not checked yet"
    local = moment.astimezone()
    return local.strftime("%A %d %B %Y, %H:%M:%S ") + _zone(local)


def parse_server_time(text: str) -> datetime | None:
    """An ISO 8601 time as Zinc sends it (`2026-11-22T10:00:00Z`), or None if it is not one."""
    if not text or len(text) > 40:
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


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
