"""The accounts as CSV (core/accounts/csv_export.py): parses back to the same accounts, never a key,
never a formula; one account alone while presenting; a file written atomically with a BOM."""

from __future__ import annotations

import csv
import io
import stat
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.platforms import FILE_MODES, file_links
from zinc_desktop.core.accounts.csv_export import (
    BYTE_ORDER_MARK,
    COLUMNS,
    FORMULA_STARTS,
    accounts_csv,
    write_accounts_csv,
)
from zinc_desktop.core.accounts.model import Account, AccountStatus
from zinc_desktop.core.accounts.presenting import HIDDEN
from zinc_desktop.core.foundation.api_key import KEY_RUN, ApiKey, may_be_a_key_in_disguise
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.core.foundation.time_text import iso_utc

HEX = "0123456789abcdef"
KEY = "471e527d2337da5dfaf28666fe1d8cef"


def parsed(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), strict=True))


@st.composite
def keys_in_disguise(draw: st.DrawFn) -> str:
    """A key, whole or split by separators or invisible characters, in some case."""
    key = draw(st.text(HEX, min_size=32, max_size=32))
    separator = draw(st.sampled_from(["", "-", " ", "\u200b", ".", "\n", ","]))
    text = separator.join(key) if separator else key
    return text.upper() if draw(st.booleans()) else text


LABEL_PIECES = st.one_of(
    st.text(max_size=15),
    st.sampled_from(
        [
            "=SUM(A1:A9)",
            '=HYPERLINK("http://evil.example","x")',
            "+1",
            "-2",
            "@cmd",
            "\t=1",
            "\r=1",
            "<b>bold</b><script>alert(1)</script>",
            ",",
            '"',
            '""',
            "\n",
            "\r\n",
            "Café Zürich – 東京 🙂",
            "\u202eevil",
        ]
    ),
    keys_in_disguise(),
)
labels = st.lists(LABEL_PIECES, max_size=5).map("".join)
times = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
).map(lambda moment: moment.replace(microsecond=0))


@st.composite
def accounts(draw: st.DrawFn) -> list[Account]:
    ids = draw(
        st.lists(st.from_regex(r"[0-9a-z_-]{1,12}", fullmatch=True), max_size=6, unique=True)
    )
    return [
        Account(
            id=account_id,
            label=draw(labels),
            environment=draw(st.sampled_from(Environment)),
            key_hint=draw(st.text(HEX, min_size=4, max_size=4)),
            status=draw(st.sampled_from(AccountStatus)),
            linked_at=draw(times),
            last_checked_at=draw(st.none() | times),
            last_message=draw(labels),
        )
        for account_id in ids
    ]


def escaped(text: str) -> str:
    """`text` as the CSV must carry it when it holds nothing to mask: a leading `'` before
    what a spreadsheet would run as a formula."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def plain(text: str) -> bool:
    """Text the CSV carries unchanged: no control character but tab and line breaks, and no
    hex run that may be a key."""
    return not may_be_a_key_in_disguise(text) and all(
        c in "\t\n\r" or unicodedata.category(c) != "Cc" for c in text
    )


@settings(max_examples=300, deadline=None)
@given(accounts())
def test_the_csv_parses_back_to_the_accounts_with_no_formula_and_no_key(
    listed: list[Account],
) -> None:
    text = accounts_csv(listed)
    assert not text.startswith(BYTE_ORDER_MARK)
    assert text.endswith("\r\n")
    rows = parsed(text)
    assert rows[0] == list(COLUMNS)
    assert len(rows) == len(listed) + 1
    for account, row in zip(listed, rows[1:], strict=True):
        record = dict(zip(COLUMNS, row, strict=True))
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), cell  # a formula never runs
            assert KEY_RUN.search(cell) is None
            assert not may_be_a_key_in_disguise(cell)
        assert record["id"] == escaped(account.id)
        assert record["environment"] == account.environment.value
        assert record["status"] == account.status.value
        assert record["key_ending"] == f"••••{account.key_hint}"
        assert record["linked_at"] == iso_utc(account.linked_at)
        assert record["last_checked_at"] == (iso_utc(account.last_checked_at) or "")
        for column, original in (("label", account.label), ("last_message", account.last_message)):
            if plain(original):  # what holds no key or control character comes back whole
                assert record[column] == escaped(original)


def test_formula_starters_are_escaped_and_keys_masked() -> None:
    account = Account(
        "a1",
        f'=HYPERLINK("http://x","{KEY}")',
        Environment.STAGING,
        "8cef",
        AccountStatus.VERIFIED,
        datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        last_message="-".join(KEY[i : i + 4] for i in range(0, 32, 4)),
    )
    (header, row) = parsed(accounts_csv([account]))
    assert header == list(COLUMNS)
    assert row == [
        "a1",
        '\'=HYPERLINK("http://x","••••8cef")',
        "staging",
        "verified",
        "••••8cef",
        "2026-01-02T03:04:05Z",
        "",
        "••••8cef",
    ]
    assert not ApiKey(KEY).found_in(accounts_csv([account]))


def test_while_presenting_only_the_presented_account_and_no_key_ending() -> None:
    moment = datetime(2026, 1, 2, tzinfo=UTC)
    acme = Account("acme1", "Acme", Environment.STAGING, "8cef", AccountStatus.VERIFIED, moment,
                   last_message="Staging accepted key ••••8cef; Globex too")  # fmt: skip
    globex = Account(
        "globex1", "Globex", Environment.PRODUCTION, "d8c9", AccountStatus.VERIFIED, moment
    )
    text = accounts_csv([globex, acme], presented="acme1")
    (_header, row) = parsed(text)
    assert row[:5] == ["acme1", "Acme", "staging", "verified", HIDDEN]
    for absent in ("Globex", "globex1", "8cef", "d8c9", "production"):
        assert absent not in text
    assert parsed(accounts_csv([globex, acme], presented="gone")) == [list(COLUMNS)]


def test_the_file_has_a_bom_crlf_and_is_owner_only(tmp_path: Path) -> None:
    account = Account("a1", "Café", Environment.STAGING, "8cef", AccountStatus.VERIFIED,
                      datetime(2026, 1, 2, tzinfo=UTC))  # fmt: skip
    target = tmp_path / "accounts.csv"
    write_accounts_csv(target, [account])
    data = target.read_bytes()
    assert data.startswith(BYTE_ORDER_MARK.encode())
    assert data.decode("utf-8-sig") == accounts_csv([account])
    assert data.count(b"\r\n") == 2
    if FILE_MODES:
        assert stat.S_IMODE(target.stat().st_mode) == 0o600


@file_links
def test_a_link_at_the_path_is_replaced_not_followed(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("theirs")
    target = tmp_path / "accounts.csv"
    target.symlink_to(elsewhere)
    write_accounts_csv(target, [])
    assert not target.is_symlink()
    assert elsewhere.read_text() == "theirs"
    assert target.read_bytes() == (BYTE_ORDER_MARK + ",".join(COLUMNS) + "\r\n").encode()


def test_a_folder_that_is_not_there_is_an_error_and_nothing_is_made(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_accounts_csv(tmp_path / "missing" / "accounts.csv", [])
    assert list(tmp_path.iterdir()) == []
