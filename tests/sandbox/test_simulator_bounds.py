"""The simulator's record and connections stay bounded whoever talks to it (issue item 5)."""

from __future__ import annotations

import http.client
import json

from tests.conftest import STAGING_KEY
from zinc_desktop.sandbox import SandboxServer
from zinc_desktop.sandbox.server import KEPT_BODY_BYTES, KEPT_PATH_CHARS, RECORD_LIMIT

PREFIX = "/staging/partner/v2"
WRONG_KEY = "0123456789abcdef0123456789abcdef"
# 1,000,000 bytes of JSON that a parser turns into 333,333 objects (about 20 MB of them).
MEGABYTE_OF_JSON = b"[" + b"{}," * 333_331 + b"{}]"


def call(
    connection: http.client.HTTPConnection,
    method: str,
    path: str,
    body: bytes | None = None,
    key: str | None = STAGING_KEY,
) -> tuple[int, bytes]:
    headers = {"Content-Type": "application/json"}
    if key is not None:
        headers["Authorization"] = key
    connection.request(method, path, body, headers)
    response = connection.getresponse()
    return response.status, response.read()


def check_body(first_name: str) -> bytes:
    candidate = {"first_name": first_name, "last_name": "Lovelace", "email": "ada@example.com"}
    return json.dumps({"package_id": "pkg_stg_basic", "candidate": candidate}).encode()


def test_the_record_keeps_the_newest_requests_up_to_its_limit(sandbox: SandboxServer) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", sandbox.port, timeout=10)
    sent = RECORD_LIMIT + 25
    try:
        for number in range(sent):
            key = STAGING_KEY if number % 2 else None  # rejected ones are recorded too
            status, _ = call(connection, "GET", f"{PREFIX}/results/chk-{number}", key=key)
            assert status in (401, 404)
    finally:
        connection.close()
    seen = sandbox.requests
    assert len(seen) == RECORD_LIMIT
    assert seen[0].path == f"{PREFIX}/results/chk-{sent - RECORD_LIMIT}"
    assert seen[-1].path == f"{PREFIX}/results/chk-{sent - 1}"
    assert [r.authorised for r in seen[-2:]] == [(sent - 2) % 2 == 1, (sent - 1) % 2 == 1]


def test_a_smaller_record_limit_is_kept() -> None:
    with SandboxServer(record_limit=3) as server:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        try:
            for number in range(5):
                call(connection, "GET", f"/nowhere/{number}")
        finally:
            connection.close()
        assert [r.path for r in server.requests] == [f"/nowhere/{n}" for n in (2, 3, 4)]


def test_a_body_without_a_valid_key_is_recorded_by_its_size_only(sandbox: SandboxServer) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", sandbox.port, timeout=10)
    try:
        assert call(connection, "POST", "/", MEGABYTE_OF_JSON, key=None)[0] == 404
        status, _ = call(connection, "POST", f"{PREFIX}/checks", MEGABYTE_OF_JSON, key=WRONG_KEY)
        assert status == 401
        # The connection was kept and still works: each body was read to its end.
        assert call(connection, "GET", f"{PREFIX}/packages")[0] == 200
    finally:
        connection.close()
    unauthorised = sandbox.requests[:2]
    assert [(r.path, r.authorised, r.key_hint) for r in unauthorised] == [
        ("/", False, None),
        (f"{PREFIX}/checks", False, WRONG_KEY[-4:]),
    ]
    for seen in unauthorised:
        assert seen.body is None
        assert seen.kept_body is None
        assert seen.body_bytes == len(MEGABYTE_OF_JSON)


def test_an_authorised_body_is_kept_only_when_short(sandbox: SandboxServer) -> None:
    short = check_body("Ada")
    long = check_body("A" * KEPT_BODY_BYTES)
    connection = http.client.HTTPConnection("127.0.0.1", sandbox.port, timeout=10)
    try:
        assert call(connection, "POST", f"{PREFIX}/checks", short)[0] == 201
        assert call(connection, "POST", f"{PREFIX}/checks", long)[0] == 201  # still served
    finally:
        connection.close()
    kept, dropped = sandbox.requests
    assert kept.body["candidate"]["first_name"] == "Ada"
    assert kept.body_bytes == len(short)
    assert dropped.authorised
    assert dropped.body is None
    assert dropped.body_bytes == len(long)


def test_a_long_path_is_recorded_cut_short(sandbox: SandboxServer) -> None:
    path = f"{PREFIX}/results/" + "x" * 10_000
    connection = http.client.HTTPConnection("127.0.0.1", sandbox.port, timeout=10)
    try:
        assert call(connection, "GET", path)[0] == 404
    finally:
        connection.close()
    (seen,) = sandbox.requests
    assert seen.path == path[:KEPT_PATH_CHARS] + "…"
