"""The simulator answers every request, however malformed, and keeps serving; keys own checks."""

from __future__ import annotations

import json
import socket

import pytest

from tests.conftest import FAST, STAGING_KEY
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.environments import Endpoints, Environment
from zinc_desktop.core.foundation.errors import RequestRefused
from zinc_desktop.core.zinc.api import Candidate, CheckStatus
from zinc_desktop.core.zinc.client import ZincClient
from zinc_desktop.sandbox import SandboxServer

OTHER_KEY = "5e1c0ffee0ddba11ab1ec0de5ca1ab1e"
PREFIX = "/staging/partner/v2"


def exchange(port: int, head: str, body: bytes = b"") -> tuple[int, dict[str, object]]:
    """One raw request on a fresh connection: the status and the JSON body of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(head.replace("\n", "\r\n").encode() + b"\r\n" + body)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = connection.recv(65536)
            assert chunk, f"no answer; got {data!r}"
            data += chunk
        header_block, _, rest = data.partition(b"\r\n\r\n")
        lines = header_block.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        length = next(
            int(line.split(":", 1)[1])
            for line in lines
            if line.lower().startswith("content-length")
        )
        while len(rest) < length:
            chunk = connection.recv(65536)
            assert chunk
            rest += chunk
    return status, json.loads(rest[:length])


def post_checks(port: int, body: bytes, length: str | None = None) -> tuple[int, dict[str, object]]:
    declared = str(len(body)) if length is None else length
    head = (
        f"POST {PREFIX}/checks HTTP/1.1\nHost: x\nAuthorization: {STAGING_KEY}\n"
        f"Content-Type: application/json\nContent-Length: {declared}\n"
    )
    return exchange(port, head, body)


def still_serving(port: int) -> None:
    status, payload = exchange(
        port, f"GET {PREFIX}/packages HTTP/1.1\nHost: x\nAuthorization: {STAGING_KEY}\n"
    )
    assert status == 200
    assert payload["data"]


def candidate_body(**changes: object) -> bytes:
    body: dict[str, object] = {
        "package_id": "pkg_stg_basic",
        "candidate": {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"},
    }
    body.update(changes)
    return json.dumps(body).encode()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "nests more than"),
        (b'{"package_id": ' + b"[" * 900 + b"]" * 900 + b"}", "nests more than"),
        (candidate_body(package_id=["pkg_stg_basic"]), "package_id must be a string"),
        (candidate_body(package_id={"id": 1}), "package_id must be a string"),
        (
            candidate_body(
                candidate={"first_name": [["Ada"]], "last_name": "L", "email": "a@b.co"}
            ),
            "candidate.first_name must be a string",
        ),
    ],
)
def test_a_body_it_cannot_use_is_a_400_and_it_keeps_serving(
    sandbox: SandboxServer, body: bytes, message: str
) -> None:
    status, payload = post_checks(sandbox.port, body)
    assert status == 400
    assert message in str(payload["message"])
    still_serving(sandbox.port)


@pytest.mark.parametrize(
    ("length", "sent", "message"),
    [
        ("abc", b"{}", "is not a byte count"),
        ("-5", b"{}", "is not a byte count"),
        ("1e3", b"{}", "is not a byte count"),
        ("100", b'{"package_id": "x"}', "shorter than its Content-Length"),
    ],
)
def test_a_bad_content_length_is_a_400_and_it_keeps_serving(
    sandbox: SandboxServer, length: str, sent: bytes, message: str
) -> None:
    status, payload = post_checks(sandbox.port, sent, length)
    assert status == 400
    assert message in str(payload["message"])
    still_serving(sandbox.port)


def test_requests_record_only_the_keys_last_four_characters(
    sandbox: SandboxServer, endpoints: Endpoints
) -> None:
    sandbox.accept_forms("bearer")
    with ZincClient(endpoints[Environment.STAGING], ApiKey.parse(STAGING_KEY), settings=FAST) as z:
        z.list_packages()
    exchange(sandbox.port, f"GET {PREFIX}/packages HTTP/1.1\nHost: x\n")
    assert [(r.auth_form, r.key_hint) for r in sandbox.requests] == [
        ("raw", STAGING_KEY[-4:]),
        ("bearer", STAGING_KEY[-4:]),
        (None, None),
    ]
    assert STAGING_KEY not in repr(sandbox.requests)


def test_a_check_can_only_be_read_with_the_key_that_started_it(
    sandbox: SandboxServer, endpoints: Endpoints
) -> None:
    sandbox.add_key(Environment.STAGING, OTHER_KEY)
    endpoint = endpoints[Environment.STAGING]
    with ZincClient(endpoint, ApiKey.parse(STAGING_KEY), settings=FAST) as owner:
        check_id = owner.start_check("pkg_stg_basic", Candidate("Ada", "Lovelace", "a@x.co"))
        assert owner.check_report(check_id).status is CheckStatus.REQUESTED
    with (
        ZincClient(endpoint, ApiKey.parse(OTHER_KEY), settings=FAST) as stranger,
        pytest.raises(RequestRefused, match="knows no check"),
    ):
        stranger.check_report(check_id)
    assert [r.key_hint for r in sandbox.requests] == [
        STAGING_KEY[-4:],
        STAGING_KEY[-4:],
        OTHER_KEY[-4:],
    ]
