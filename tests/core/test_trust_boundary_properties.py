"""Property tests for every parser at the trust boundary: whatever arrives, only the typed
error or a sound result comes out, never a crash or a key."""

from __future__ import annotations

import email.utils
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import unquote, urlsplit

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zinc_desktop.core.accounts.labels import MAX_LABEL_LENGTH, clean_label
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.environments import is_loopback_host, validate_base_url
from zinc_desktop.core.foundation.errors import (
    ConfigError,
    InvalidIdentifier,
    KeyFormatError,
    UnexpectedResponse,
)
from zinc_desktop.core.foundation.log_redaction import scrub_server_text
from zinc_desktop.core.zinc import api as zinc_api
from zinc_desktop.core.zinc.client import RETRY_AFTER_CAP, parse_retry_after

SOME = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HEX_RUN = re.compile(r"[0-9a-fA-F]{32}")

keys = st.text(alphabet="0123456789abcdef", min_size=32, max_size=32)


@st.composite
def any_case(draw: st.DrawFn, text: str) -> str:
    flips = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    return "".join(c.upper() if flip else c for c, flip in zip(text, flips, strict=True))


# --- key input -----------------------------------------------------------------------------------


@SOME
@given(st.text(max_size=80))
def test_key_parse_returns_a_key_or_says_why_not(text: str) -> None:
    try:
        key: ApiKey | None = ApiKey.parse(text)
    except KeyFormatError as error:
        key, reason = None, error.reason
    if key is None:
        assert reason
    else:
        assert re.fullmatch(r"[0-9a-f]{32}", key.reveal())


@SOME
@given(
    keys.flatmap(lambda k: st.tuples(st.just(k), any_case(k))),
    st.sampled_from(["", " ", "\t", "\n", "  \r\n"]),
    st.sampled_from(["", '"', "'", "`"]),
    st.sampled_from(["", "Bearer ", "bearer  ", "BEARER\t"]),
)
def test_a_valid_key_round_trips_however_it_is_pasted(
    pair: tuple[str, str], space: str, quote: str, bearer: str
) -> None:
    key, cased = pair
    pasted = f"{space}{quote}{bearer}{cased}{quote}{space}"
    assert ApiKey.parse(pasted).reveal() == key


# --- URL overrides -------------------------------------------------------------------------------

url_hosts = st.one_of(
    st.sampled_from(
        [
            "127.0.0.1", "localhost", "[::1]", "::1", "example.com", "[::1]evil.com", "a b",
            "exa%6dple.com", "127.1", "[fe80::1%25eth0]", "EXAMPLE.com", "[::ffff:127.0.0.1]",
            "user:pw@example.com", "example.com\\@evil.com", "xn--bcher-kva.example", "b\u00fccher",
        ]
    ),
    st.text(alphabet="abz019.-_[]:@%\\ \r\n\t/?#", max_size=16),
)  # fmt: skip
url_ports = st.one_of(
    st.just(""),
    st.integers(-3, 70_000).map(lambda p: f":{p}"),
    st.text(alphabet="0123456789+-٣ a", max_size=6).map(lambda t: f":{t}"),
)
url_paths = st.one_of(
    st.sampled_from(["", "/", "/partner/v2", "/partner/v2/", "/a?b", "/#x", "/a b"]),
    st.text(max_size=12).map(lambda t: "/" + t),
)
well_formed_urls = st.builds(
    "{}://{}{}{}".format,
    st.sampled_from(["https", "http"]),
    st.one_of(
        st.sampled_from(["127.0.0.1", "localhost", "[::1]", "api.zinc.test", "10.0.0.1"]),
        st.from_regex(r"\A[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?(\.[a-z0-9]{1,6}){0,2}\Z"),
    ),
    st.one_of(st.just(""), st.integers(1, 65_535).map(lambda p: f":{p}")),
    st.from_regex(r"\A(/[A-Za-z0-9._~%!$&'()*+,;=:@-]{0,8}){0,3}/?\Z"),
)
urls = st.one_of(
    well_formed_urls,
    st.builds(
        "{}{}{}{}{}".format,
        st.sampled_from(["https", "http", "HTTPS", "ftp", "", "https:"]),
        st.sampled_from(["://", ":/", "//", ":///"]),
        url_hosts,
        url_ports,
        url_paths,
    ),
    st.text(max_size=40),
)


@SOME
@given(urls)
def test_an_override_is_either_refused_clearly_or_read_alike_by_httpx(url: str) -> None:
    try:
        accepted = validate_base_url(url, setting="ZINC_STAGING_API_URL")
    except ConfigError as error:
        refusal = str(error)
    else:
        refusal = ""
    if refusal:
        assert "ZINC_STAGING_API_URL" in refusal
        assert refusal.isprintable()
        return
    ours = urlsplit(accepted)
    theirs = httpx.URL(accepted + "/packages")
    default = {"https": 443, "http": 80}[ours.scheme]
    assert theirs.scheme == ours.scheme
    assert theirs.host.lower() == (ours.hostname or "").lower()
    assert (theirs.port or default) == (ours.port or default)
    assert not theirs.userinfo
    assert not theirs.query
    assert not theirs.fragment
    assert ours.scheme == "https" or is_loopback_host(ours.hostname or "")


# --- the tolerant reader -------------------------------------------------------------------------

json_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
)
json_values = st.recursive(
    json_leaves,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.sampled_from(
                ["data", "items", "packages", "results", "checks", "id", "name", "type",
                 "status", "updates", "message", "errors", "check_id", "at", "outcome", "x"]
            ),
            children,
            max_size=5,
        ),
    ),
    max_leaves=20,
)  # fmt: skip
WRAPPERS = ("list", "data", "items", "message", "errors", "updates", "results", "id")


def _wrap(value: object, wrapper: str) -> object:
    return [value] if wrapper == "list" else {wrapper: value}


@st.composite
def deep_values(draw: st.DrawFn) -> object:
    """A JSON value under up to 5 000 levels of lists and objects, built without recursion."""
    value: object = draw(json_values)
    pattern = draw(st.lists(st.sampled_from(WRAPPERS), min_size=1, max_size=6))
    for level in range(draw(st.integers(1, 5_000))):
        value = _wrap(value, pattern[level % len(pattern)])
    return value


reader_inputs = st.one_of(json_values, deep_values())


def _only_unexpected_response(parse: Any, *args: object) -> object:
    try:
        return parse(*args)
    except UnexpectedResponse:
        return None


@SOME
@given(reader_inputs)
def test_the_reader_turns_anything_into_a_result_or_an_unexpected_response(value: object) -> None:
    packages = _only_unexpected_response(zinc_api.parse_packages, value)
    for package in packages or []:  # type: ignore[attr-defined]
        assert zinc_api.id_problem(package.id, "package id") is None
    report = _only_unexpected_response(zinc_api.parse_report, "chk-1", value)
    if report is not None:
        assert zinc_api.id_problem(report.check_id) is None  # type: ignore[attr-defined]
    check_id = _only_unexpected_response(zinc_api.parse_check_id, value)
    assert check_id is None or zinc_api.id_problem(check_id) is None
    detail = zinc_api.error_detail(value)
    assert isinstance(detail, str)
    assert len(detail) <= 200


@FEW
@given(
    st.one_of(
        st.binary(max_size=200),
        st.integers(0, 100_000).map(lambda n: b"[" * n + b"]" * n),
        st.integers(0, 3_000).map(lambda n: b'{"a":' * n + b"1" + b"}" * n),
        st.integers(0, 200).map(lambda n: b'["' + b"[" * n + b'"]'),
    )
)
def test_any_body_parses_or_is_an_unexpected_response(body: bytes) -> None:
    try:
        value = zinc_api.parse_json_body(body)
    except UnexpectedResponse:
        return
    depth = 0
    while isinstance(value, list | dict) and value:
        value = value[0] if isinstance(value, list) else next(iter(value.values()))
        depth += 1
    assert depth <= zinc_api.MAX_JSON_DEPTH


# --- Retry-After ---------------------------------------------------------------------------------

http_dates = st.datetimes(
    min_value=datetime(1, 1, 2),  # naive bounds; the zone is given below
    max_value=datetime(9999, 12, 30),
    timezones=st.just(UTC),
).map(lambda moment: email.utils.format_datetime(moment, usegmt=True))


@SOME
@given(
    st.one_of(
        st.text(max_size=40),
        st.from_regex(r"\A *[0-9]{1,80} *\Z"),
        http_dates,
        st.sampled_from(["²", "1.5", "-1", "1e3", "٣", "Sun, 06 Nov 1994 08:49:37", "", " "]),
    )
)
def test_retry_after_is_no_hint_or_a_wait_within_the_cap(value: str) -> None:
    wait = parse_retry_after(value)
    assert wait is None or (isinstance(wait, float) and 0.0 <= wait <= RETRY_AFTER_CAP)


@SOME
@given(st.integers(0, 10_000))
def test_retry_after_reads_delay_seconds_and_dates(seconds: int) -> None:
    assert parse_retry_after(str(seconds)) == float(seconds)
    now = datetime(2030, 1, 1, tzinfo=UTC)
    date = email.utils.format_datetime(now + timedelta(seconds=seconds), usegmt=True)
    assert parse_retry_after(date, now=now) == float(seconds)


# --- check and package ids -----------------------------------------------------------------------

ids = st.one_of(
    st.text(max_size=140),
    st.text(alphabet="aZ09._:-/%?# \x00\u00e9", max_size=12),
    st.sampled_from(
        [".", "..", "...", "../packages", "%2e%2e", "a/b", "chk-s-18f3a2b4c5d-c1a2b3c"]
    ),
)


@SOME
@given(ids)
def test_an_accepted_id_is_exactly_one_harmless_path_segment(value: str) -> None:
    try:
        segment = zinc_api.path_segment(value)
    except InvalidIdentifier as error:
        refusal = str(error)
    else:
        refusal = ""
    if refusal:
        assert "A check id is 1 to 128" in refusal
        assert refusal.isprintable()
        return
    assert "/" not in segment
    assert segment not in (".", "..")
    assert unquote(segment) == value
    url = httpx.URL("https://zinc.example/partner/v2/results/" + segment)
    assert url.path == "/partner/v2/results/" + unquote(segment)
    assert url.host == "zinc.example"
    assert not url.query
    assert not url.fragment


# --- the scrubber --------------------------------------------------------------------------------


@SOME
@given(
    keys.flatmap(lambda k: st.tuples(st.just(k), any_case(k))),
    st.text(max_size=60),
    st.text(max_size=60),
    st.booleans(),
)
def test_scrubbed_text_holds_no_key_shaped_run(
    pair: tuple[str, str], before: str, after: str, tell_the_key: bool
) -> None:
    key, cased = pair
    scrubbed = scrub_server_text(before + cased + after, ApiKey(key) if tell_the_key else None)
    assert not HEX_RUN.search(scrubbed), scrubbed
    assert key not in scrubbed.lower()
    assert scrubbed.isprintable()
    assert len(scrubbed) <= 300


@SOME
@given(st.text(), st.integers(1, 500))
def test_scrubbed_text_is_one_printable_line_within_the_limit(text: str, limit: int) -> None:
    scrubbed = scrub_server_text(text, limit=limit)
    assert scrubbed.isprintable()
    assert len(scrubbed) <= limit
    assert not HEX_RUN.search(scrubbed)


def test_the_scrubber_keeps_ordinary_text() -> None:
    assert scrub_server_text("Package 7: Basic DBS (£40)") == "Package 7: Basic DBS (£40)"


@pytest.mark.parametrize("depth", [3, 1_000, 200_000])
def test_error_detail_reads_nested_errors_at_any_depth_without_recursion(depth: int) -> None:
    value: object = {"email": "is invalid"}
    for _ in range(depth):
        value = [value]
    detail = zinc_api.error_detail({"errors": value})
    assert detail == ("email: is invalid" if depth < 100 else "")  # deeper: not worth a walk


@FEW
@given(st.one_of(st.text(max_size=100), st.integers(0, 50_000).map(lambda n: "[" * n + "]" * n)))
def test_pretty_json_never_recurses_and_keeps_what_it_cannot_read(text: str) -> None:
    shown = zinc_api.pretty_json(text)
    if shown != text:
        assert shown == json.dumps(json.loads(text), indent=2, ensure_ascii=False)


separators = st.sampled_from(
    [" ", "-", "_", ":", ".", "\n", "\u00ad", "\u200b", "\u200d", "\ufeff"]
)


@st.composite
def disguised(draw: st.DrawFn, key: str) -> str:
    """`key` with separators a reader skips over put between some of its characters."""
    pieces = []
    for character in key:
        pieces.append(draw(st.sampled_from([character, character.upper()])))
        pieces.append(draw(st.lists(separators, max_size=2).map("".join)))
    return "".join(pieces)


@SOME
@given(keys.flatmap(lambda k: st.tuples(st.just(k), disguised(k))), st.text(max_size=40))
def test_a_disguised_key_is_masked_and_found(pair: tuple[str, str], around: str) -> None:
    key, shown = pair
    api_key = ApiKey(key)
    text = around + shown + around
    scrubbed = scrub_server_text(text, api_key, limit=1000)
    squeezed = re.sub(r"[^0-9a-f]", "", scrubbed.lower())
    assert key not in squeezed, scrubbed
    assert api_key.found_in(text)
    assert api_key.masked in scrubbed


def test_the_key_matcher_does_not_reach_across_other_characters() -> None:
    key = ApiKey("0123456789abcdef0123456789abcdef")
    assert not key.found_in("0123456789abcdefX0123456789abcdef")
    assert key.masked_in("id 0123-4567-89ab-cdef 0123-4567-89ab-cdef!") == "id ••••cdef!"


@SOME
@given(st.text(alphabet="0123456789abcdefABCDEF-", max_size=60))
def test_a_typed_check_id_is_never_key_shaped(text: str) -> None:
    try:
        accepted = zinc_api.validate_typed_check_id(text)
    except InvalidIdentifier as refusal:
        said = str(refusal)
    else:
        said = accepted
    assert not HEX_RUN.search(said)


def test_a_uuid_is_a_check_id_and_a_key_is_not() -> None:
    uuid = "3f2b8c1e-9d4a-4e7b-a1c2-5d6e7f8a9b0c"
    assert zinc_api.validate_typed_check_id(f" {uuid} ") == uuid
    with pytest.raises(InvalidIdentifier, match="looks like an API key"):
        zinc_api.validate_typed_check_id("chk-" + "ab" * 16)


@SOME
@given(st.text(max_size=120), keys)
def test_a_label_is_refused_or_plain_visible_text_without_a_key(text: str, key: str) -> None:
    try:
        label = clean_label(text, ApiKey(key))
    except ValueError as refusal:
        said = str(refusal)
        assert not HEX_RUN.search("".join(said.split()))
        return
    assert label.isprintable()
    assert label == label.strip()
    assert len(label) <= MAX_LABEL_LENGTH
    assert not HEX_RUN.search("".join(label.split()))
    assert not ApiKey(key).found_in(label)
