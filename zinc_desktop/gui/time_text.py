"""How times read in the window: "3 min ago" in the table, the exact moment on hover."""

from __future__ import annotations

from datetime import datetime


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


def exact_time(moment: datetime | None) -> str:
    if moment is None:
        return "Not checked yet"
    local = moment.astimezone()
    return local.strftime("%A %d %B %Y, %H:%M:%S ") + (local.tzname() or "")
