"""The simulator's record and connections stay bounded whoever talks to it (issue item 5)."""

from __future__ import annotations

import contextlib
import http.client
import json
import select
import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import STAGING_KEY
from zinc_desktop.sandbox import SandboxServer
from zinc_desktop.sandbox.connections import MAX_HEAD_BYTES
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


def packages_request(*extra_headers: str) -> bytes:
    lines = [f"GET {PREFIX}/packages HTTP/1.1", "Host: x", f"Authorization: {STAGING_KEY}"]
    return ("\r\n".join([*lines, *extra_headers]) + "\r\n\r\n").encode()


class Answers:
    """Answers read off a raw socket one at a time; pipelined ones may arrive in one segment.
    The socket's timeout bounds every wait."""

    def __init__(self, connection: socket.socket) -> None:
        self.connection = connection
        self.data = b""

    def _more(self) -> None:
        chunk = self.connection.recv(65536)
        assert chunk, f"closed before a whole answer; got {self.data!r}"
        self.data += chunk

    def next(self) -> tuple[int, bytes]:
        while b"\r\n\r\n" not in self.data:
            self._more()
        head, _, self.data = self.data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        length = next(
            int(line.split(":", 1)[1])
            for line in lines
            if line.lower().startswith("content-length")
        )
        while len(self.data) < length:
            self._more()
        body, self.data = self.data[:length], self.data[length:]
        return int(lines[0].split(" ")[1]), body


def read_answer(connection: socket.socket) -> tuple[int, bytes]:
    """The one answer to what was sent."""
    answers = Answers(connection)
    answer = answers.next()
    assert not answers.data, "more bytes than one answer"
    return answer


def closed_by_server(connection: socket.socket) -> bool:
    """Reads to the end: True when the server closed the connection (its timeout bounds it)."""
    try:
        while connection.recv(65536):
            pass
    except ConnectionResetError:
        pass
    return True


@contextlib.contextmanager
def raw_connections(port: int, count: int) -> Iterator[list[socket.socket]]:
    opened: list[socket.socket] = []
    try:
        for _ in range(count):
            opened.append(socket.create_connection(("127.0.0.1", port), timeout=10))
        yield opened
    finally:
        for connection in opened:
            connection.close()


def workers_of(server: SandboxServer) -> int:
    return sum(t.name == f"zinc-sandbox-worker-{server.port}" for t in threading.enumerate())


def until(condition: Callable[[], bool]) -> None:
    """Wait for something another thread does (10 s at most, then fail)."""
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "it never happened"
        time.sleep(0.01)


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


def test_idle_connections_hold_no_thread_and_others_are_still_served(
    sandbox: SandboxServer,
) -> None:
    before = threading.active_count()
    with raw_connections(sandbox.port, 300):
        # Accepted in order: once this one is answered, the 300 before it have been accepted.
        connection = http.client.HTTPConnection("127.0.0.1", sandbox.port, timeout=10)
        try:
            assert call(connection, "GET", f"{PREFIX}/packages")[0] == 200
        finally:
            connection.close()
        grown = threading.active_count() - before
        assert grown <= 1, f"{grown} threads for 300 idle connections and one request"


def test_a_kept_connection_serves_one_request_after_another_and_pipelined_ones(
    sandbox: SandboxServer,
) -> None:
    with socket.create_connection(("127.0.0.1", sandbox.port), timeout=10) as connection:
        for _ in range(3):
            connection.sendall(packages_request())
            assert read_answer(connection)[0] == 200
        connection.sendall(packages_request() * 3)  # in one segment
        answers = Answers(connection)
        assert [answers.next()[0] for _ in range(3)] == [200, 200, 200]
    assert len(sandbox.requests) == 6


@pytest.mark.parametrize("asked_first", [False, True], ids=["never-asked", "after-a-request"])
def test_a_connection_idle_past_the_timeout_is_closed(asked_first: bool) -> None:
    with (
        SandboxServer(idle_timeout=0.2) as server,
        socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection,
    ):
        if asked_first:
            connection.sendall(packages_request())
            assert read_answer(connection)[0] == 200
        assert closed_by_server(connection)


def test_a_slow_header_sender_is_answered_408_and_cut_off() -> None:
    with (
        SandboxServer(header_timeout=0.3) as server,
        socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection,
    ):
        connection.sendall(f"GET {PREFIX}/packages HTTP/1.1\r\n".encode())
        answer = b""
        for byte in b"X-Slow: " + b"a" * 500:  # one byte each 20 ms: 10 s if never cut off
            try:
                connection.sendall(bytes([byte]))
            except OSError:
                break
            readable, _, _ = select.select([connection], [], [], 0.02)
            if readable:
                answer = connection.recv(65536)
                break
        assert answer.startswith(b"HTTP/1.1 408 ")
        assert closed_by_server(connection)


def test_heads_that_trickle_in_hold_no_worker() -> None:
    with SandboxServer(workers=1, header_timeout=60) as server:
        with raw_connections(server.port, 3) as slow:
            for connection in slow:
                connection.sendall(f"GET {PREFIX}/packages HTTP/1.1\r\nHost: x".encode())
            with socket.create_connection(("127.0.0.1", server.port), timeout=10) as prompt:
                prompt.sendall(packages_request())
                assert read_answer(prompt)[0] == 200
        assert workers_of(server) == 1


def test_no_more_requests_are_served_at_once_than_there_are_workers() -> None:
    body = check_body("Ada")
    head = (
        f"POST {PREFIX}/checks HTTP/1.1\r\nHost: x\r\nAuthorization: {STAGING_KEY}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    with SandboxServer(workers=2, body_timeout=60) as server:
        with raw_connections(server.port, 6) as waiting:
            for connection in waiting:
                connection.sendall(head)
            # Two requests wait for their bodies, one worker each; four wait for a worker.
            until(lambda: workers_of(server) == 2)
            for connection in waiting:
                connection.sendall(body)
            assert [read_answer(connection)[0] for connection in waiting] == [201] * 6
        assert workers_of(server) == 2  # workers last as long as the server: none was added
        assert len(server.requests) == 6


def test_at_the_limit_the_idlest_connection_makes_room_and_busy_ones_get_503() -> None:
    """Idle sockets alone never lock others out; only connections mid-request fill it."""
    with SandboxServer(max_connections=2) as server, raw_connections(server.port, 2) as held:
        time.sleep(0.2)  # both parked, held[0] the longest
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as third:
            third.sendall(packages_request())
            assert read_answer(third)[0] == 200  # served: the idlest connection made room
        assert closed_by_server(held[0])
        busy = []
        for _ in range(2):  # both places now taken by connections that have begun a request
            connection = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            connection.sendall(b"GET /staging/partner/v2/packages HTTP/1.1\r\n")
            busy.append(connection)
            time.sleep(0.1)
        try:
            with socket.create_connection(("127.0.0.1", server.port), timeout=10) as fourth:
                assert read_answer(fourth)[0] == 503
                assert closed_by_server(fourth)
        finally:
            for connection in busy:
                connection.close()


@pytest.mark.parametrize(
    ("request_head", "status"),
    [
        (f"GET {PREFIX}/{'x' * MAX_HEAD_BYTES} HTTP/1.1\r\nHost: x\r\n\r\n", 414),
        (f"GET {PREFIX}/packages HTTP/1.1\r\nX-Big: {'x' * MAX_HEAD_BYTES}\r\n\r\n", 431),
        (
            f"GET {PREFIX}/packages HTTP/1.1\r\n"
            + "".join(f"X-{n}: {'x' * 200}\r\n" for n in range(MAX_HEAD_BYTES // 200 + 1))
            + "\r\n",
            431,
        ),
    ],
    ids=["long-line", "long-header", "many-headers"],
)
def test_a_head_past_its_limit_is_refused_and_closed(
    sandbox: SandboxServer, request_head: str, status: int
) -> None:
    with socket.create_connection(("127.0.0.1", sandbox.port), timeout=10) as connection:
        connection.sendall(request_head.encode())
        assert read_answer(connection)[0] == status
        assert closed_by_server(connection)
    assert sandbox.requests == []


# --- whatever arrives: the server answers or closes, keeps serving, and its record stays small ---

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FUZZ_RECORD_LIMIT = 8
METHODS = st.sampled_from(["GET", "POST", "HEAD", "PUT", "BREW", ""]) | st.text(max_size=8)
PATHS = st.sampled_from(
    ["/", f"{PREFIX}/packages", f"{PREFIX}/checks", f"{PREFIX}/results/chk-1", "*", ""]
) | st.text(max_size=KEPT_PATH_CHARS + 50)
VERSIONS = st.sampled_from(["HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/1.1 x", "", "http"])
HEADER_NAMES = st.sampled_from(
    ["Authorization", "Content-Length", "Transfer-Encoding", "Connection", "Expect", "Host"]
) | st.text(max_size=20)
HEADER_VALUES = st.sampled_from(
    [STAGING_KEY, f"Bearer {STAGING_KEY}", WRONG_KEY, "0", "5", "-1", "40000", "1000001",
     "chunked", "close", "keep-alive", "100-continue", ""]
) | st.text(max_size=60)  # fmt: skip


@st.composite
def http_requests(draw: st.DrawFn) -> bytes:
    """A request line, headers and a body: well formed, nearly, or not at all."""
    if draw(st.booleans()):
        routes = ["/", f"{PREFIX}/packages", f"{PREFIX}/checks", f"{PREFIX}/results/chk-1"]
        line = f"{draw(st.sampled_from(['GET', 'POST']))} {draw(st.sampled_from(routes))} HTTP/1.1"
    else:
        line = f"{draw(METHODS)} {draw(PATHS)} {draw(VERSIONS)}"
    body = draw(st.binary(max_size=300) | st.just(check_body("Ada")))
    headers = draw(st.lists(st.tuples(HEADER_NAMES, HEADER_VALUES), max_size=5))
    if draw(st.booleans()):
        headers.append(("Content-Length", str(len(body))))
    if draw(st.booleans()):
        headers.append(("Authorization", draw(st.sampled_from([STAGING_KEY, WRONG_KEY]))))
    head = "".join(f"{name}: {value}\r\n" for name, value in draw(st.permutations(headers)))
    ending = draw(st.sampled_from(["\r\n", "\n", ""]))  # the empty line, or none at all
    return f"{line}\r\n{head}{ending}".encode() + body


@pytest.fixture(scope="module")
def fuzzed() -> Iterator[SandboxServer]:
    with SandboxServer(
        record_limit=FUZZ_RECORD_LIMIT, idle_timeout=2, header_timeout=0.5, body_timeout=0.5
    ) as server:
        yield server


@FUZZ
@given(sent=st.lists(http_requests() | st.binary(min_size=1, max_size=400), min_size=1, max_size=3))
def test_whatever_arrives_is_answered_or_closed_and_the_server_keeps_serving(
    fuzzed: SandboxServer, sent: list[bytes]
) -> None:
    with socket.create_connection(("127.0.0.1", fuzzed.port), timeout=10) as connection:
        with contextlib.suppress(OSError):  # the server may answer and close before the end
            connection.sendall(b"".join(sent))  # pipelined, in one go
            connection.shutdown(socket.SHUT_WR)
        assert closed_by_server(connection)  # or the 10 s timeout fails the test
    with socket.create_connection(("127.0.0.1", fuzzed.port), timeout=10) as connection:
        connection.sendall(packages_request())
        assert read_answer(connection)[0] == 200
    seen = fuzzed.requests
    assert len(seen) <= FUZZ_RECORD_LIMIT
    for request in seen:
        assert len(request.path) <= KEPT_PATH_CHARS + 1
        if request.kept_body is not None:
            assert request.authorised
            assert len(request.kept_body) <= KEPT_BODY_BYTES
