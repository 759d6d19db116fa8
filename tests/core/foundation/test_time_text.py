"""Times as people read them: one parser and one formatter that never raise, whatever the time
(edges of the calendar, garbage) and whatever the zone (hardening item 3)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zinc_desktop.core.foundation import time_text
from zinc_desktop.core.foundation.time_text import (
    UNKNOWN,
    clock_time,
    exact_time,
    iso_utc,
    local_time,
    parse_server_time,
    parse_stored_time,
    relative_time,
    shown_time,
)

EDGES = [
    "0001-01-01T00:00:00Z",  # Go's zero time
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-23:59",
    "9999-12-31T23:59:59.999999+00:00",
]


@pytest.fixture(params=["Europe/London", "America/St_Johns", "Pacific/Kiritimati", "UTC"])
def zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The process's local zone, for real (TZ and tzset), with a fresh view of it."""
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    monkeypatch.setattr(time_text, "_READER_ZONE", time_text._ReaderZone())
    yield request.param
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("raw", EDGES)
def test_edge_times_read_as_unknown_or_a_time_never_an_error(zone: str, raw: str) -> None:
    moment = parse_server_time(raw)
    assert moment is not None
    for text in (
        shown_time(raw),
        local_time(moment),
        clock_time(moment),
        exact_time(moment),
        relative_time(moment, datetime.now(UTC)),
    ):
        assert isinstance(text, str)
        assert text


def test_go_zero_time_is_unknown_in_every_zone(zone: str) -> None:
    """In London its year-1 offset (-0:01:15) even leaves the calendar; anywhere, it means
    "no time" (Go's zero value), never 1 January of year 1."""
    assert shown_time("0001-01-01T00:00:00Z") == UNKNOWN
    assert "0001-01-01T00:00:00Z" in exact_time(parse_server_time("0001-01-01T00:00:00Z"))


@given(
    moment=st.datetimes(timezones=st.just(UTC)),
    offset=st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1),
)
def test_any_time_in_any_offset_formats_without_raising(moment: datetime, offset: int) -> None:
    aware = moment.replace(tzinfo=timezone(timedelta(minutes=offset)))
    raw = aware.isoformat()
    assert isinstance(shown_time(raw), str)
    assert isinstance(local_time(aware), str)
    assert isinstance(exact_time(aware), str)
    assert isinstance(relative_time(aware, datetime.now(UTC)), str)
    stored = parse_stored_time(raw)  # never fails a whole file: clamped at the edges
    assert stored.tzinfo is UTC
    assert parse_stored_time(iso_utc(stored) or "") == stored


@given(st.text(max_size=60))
def test_garbage_is_unknown(raw: str) -> None:
    assert isinstance(shown_time(raw), str)
    if parse_server_time(raw) is None:
        assert shown_time(raw) == UNKNOWN
