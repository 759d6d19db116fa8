"""The columns an account list shows, declared once: the window's table, its sort keys and the
command line's `accounts list` all read them from here."""

from __future__ import annotations

from enum import IntEnum


class Column(IntEnum):
    """By position in the window's table."""

    ENVIRONMENT = 0
    LABEL = 1
    KEY = 2
    STATUS = 3
    LAST_CHECKED = 4
    PACKAGES = 5

    @property
    def header(self) -> str:
        return _HEADERS[self]


_HEADERS = {
    Column.ENVIRONMENT: "Environment",
    Column.LABEL: "Label",
    Column.KEY: "Key",
    Column.STATUS: "Status",
    Column.LAST_CHECKED: "Last checked",
    Column.PACKAGES: "Packages",
}
