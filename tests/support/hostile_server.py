"""A raw-socket HTTP/1.1 server on 127.0.0.1 that attacks its client, one way per mode.

The mode is the first path segment, so one server serves every attack at once:
`base_url(mode, environment)` is `http://127.0.0.1:PORT/<mode>/<environment>/partner/v2`.
Modes that echo the key take it from the request's Authorization header (raw or Bearer).
Every connection is answered once and then closed (or dripped on until the client hangs up).
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import json
import socket
import struct
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from zinc_desktop.core.foundation.environments import Environment

DRIP_INTERVAL = 0.5  # seconds between bytes in the slow modes
FAR_FUTURE = "Fri, 31 Dec 9999 23:59:59 GMT"


class Mode(StrEnum):
    KEY_IN_CONTENT_TYPE = "key-in-content-type"  # 200, Content-Type: text/html-<KEY>
    KEY_IN_REASON = "key-in-reason"  # 401 <key>
    KEY_IN_LOCATION = "key-in-location"  # 302 to http://u:<key>@gw.example/
    KEY_IN_MESSAGE = "key-in-message"  # 401 {"message": "... <key> ..."}
    KEY_IN_PLAIN_BODY = "key-in-plain-body"  # 200 text/plain with the key
    KEY_IN_BAD_HEADER = "key-in-bad-header"  # a malformed header line the library quotes
    SLOW_HEADERS = "slow-headers"  # the status line and headers, one byte per 0.5 s, forever
    SLOW_BODY = "slow-body"  # headers at once, then the body one byte per 0.5 s, forever
    NESTED_JSON = "nested-json"  # 200 with JSON 100 000 levels deep
    HUGE_WITH_LENGTH = "huge-with-length"  # Content-Length: 50 MB, and it comes
    HUGE_WITHOUT_LENGTH = "huge-without-length"  # no Content-Length, 50 MB until hang-up
    RESET_MID_HEADERS = "reset-mid-headers"  # half a header block, then a TCP reset
    RESET_MID_BODY = "reset-mid-body"  # half the declared body, then a TCP reset
    RETRY_AFTER_10 = "retry-after-10"  # 429, Retry-After: 10, always
    RETRY_AFTER_SUPERSCRIPT = "retry-after-superscript"  # 429, Retry-After: ² (isdigit!)
    RETRY_AFTER_FAR_DATE = "retry-after-far-date"  # 429, Retry-After: year 9999
    RAW_401_SLOW_BEARER = "raw-401-slow-bearer"  # the raw form gets 401, Bearer slow headers
    GARBAGE = "garbage"  # bytes that are not HTTP at all
    STAGING_REJECTS_PRODUCTION_HANGS = "staging-rejects-production-hangs"
    GZIP_BOMB = "gzip-bomb"  # 200, Content-Encoding: gzip; 256 MB of zeros in 250 KB
    GZIP_TWICE_BOMB = "gzip-twice-bomb"  # Content-Encoding: gzip, gzip; the same in 1 KB
    UNASKED_ENCODING = "unasked-encoding"  # 200, Content-Encoding: br (we ask for gzip, deflate)


@dataclass(frozen=True)
class Request:
    mode: str
    environment: str
    method: str
    path: str
    authorization: str | None
    accept_encoding: str | None = None

    @property
    def key(self) -> str:
        value = self.authorization or ""
        return value.removeprefix("Bearer ").strip()

    @property
    def auth_form(self) -> str | None:
        if self.authorization is None:
            return None
        return "bearer" if self.authorization.startswith("Bearer ") else "raw"


@functools.cache
def zeros_gzipped(megabytes: int) -> bytes:
    """`megabytes` MB of zeros, gzip-compressed (about a thousandth of the size)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = bytes(1 << 20)
    return b"".join(packer.compress(block) for _ in range(megabytes)) + packer.flush()


def _encoded(encoding: str, body: bytes) -> bytes:
    return _response(
        "200 OK",
        {
            "Content-Type": "application/json",
            "Content-Encoding": encoding,
            "Content-Length": str(len(body)),
            "Connection": "close",
        },
        body,
    )


def _response(status: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    lines = [f"HTTP/1.1 {status}", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + body


def _json(status: str, payload: object, **headers: str) -> bytes:
    body = json.dumps(payload).encode()
    return _response(
        status,
        {
            "Content-Type": "application/json",
            "Content-Length": str(len(body)),
            "Connection": "close",
            **headers,
        },
        body,
    )


class HostileServer:
    """Start with `with HostileServer() as server:`; `requests` records what arrived."""

    def __init__(self) -> None:
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(128)
        self._listener.settimeout(0.2)  # so the accept loop notices a stop
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self.requests: list[Request] = []
        self.port = int(self._listener.getsockname()[1])
        self._accepting = threading.Thread(target=self._accept, name="hostile-accept", daemon=True)

    def base_url(self, mode: Mode, environment: Environment) -> str:
        return f"http://127.0.0.1:{self.port}/{mode.value}/{environment.value}/partner/v2"

    def environ(self, mode: Mode) -> dict[str, str]:
        """The override variables that point both environments at `mode`."""
        return {e.override_variable: self.base_url(mode, e) for e in Environment}

    def __enter__(self) -> HostileServer:
        self._accepting.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stopping.set()
        with self._lock:
            for connection in list(self._connections):
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)  # its own thread closes it
        self._accepting.join(timeout=5)
        self._listener.close()

    # --- serving ------------------------------------------------------------------------------

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self._connections.add(connection)
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        try:
            connection.settimeout(5)
            request = self._read_request(connection)
            if request is not None:
                with self._lock:
                    self.requests.append(request)
                self._attack(connection, request)
        except OSError:
            pass  # the client hung up: that is how most attacks end
        finally:
            with self._lock:
                self._connections.discard(connection)
            with contextlib.suppress(OSError):
                connection.close()

    def _read_request(self, connection: socket.socket) -> Request | None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = connection.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, path, _ = [*lines[0].split(" "), "", ""][:3]
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0") or 0)
        while len(rest) < length:
            chunk = connection.recv(65536)
            if not chunk:
                break
            rest += chunk
        parts = path.split("/")
        mode = parts[1] if len(parts) > 1 else ""
        environment = parts[2] if len(parts) > 2 else ""
        return Request(
            mode,
            environment,
            method,
            path,
            headers.get("authorization"),
            headers.get("accept-encoding"),
        )

    def _attack(self, connection: socket.socket, request: Request) -> None:
        attacks: dict[str, Callable[[socket.socket, Request], None]] = {
            Mode.SLOW_HEADERS: self._slow_headers,
            Mode.SLOW_BODY: self._slow_body,
            Mode.HUGE_WITH_LENGTH: lambda c, r: self._huge(c, declare_length=True),
            Mode.HUGE_WITHOUT_LENGTH: lambda c, r: self._huge(c, declare_length=False),
            Mode.RESET_MID_HEADERS: lambda c, r: self._reset(
                c, b"HTTP/1.1 200 OK\r\nContent-Type: applic"
            ),
            Mode.RESET_MID_BODY: lambda c, r: self._reset(
                c,
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                b"Content-Length: 1000\r\n\r\n" + b'{"data": [' + b" " * 400,
            ),
            Mode.RAW_401_SLOW_BEARER: self._raw_401_slow_bearer,
            Mode.STAGING_REJECTS_PRODUCTION_HANGS: self._staging_rejects_production_hangs,
            Mode.GZIP_BOMB: lambda c, r: c.sendall(_encoded("gzip", zeros_gzipped(256))),
            Mode.GZIP_TWICE_BOMB: lambda c, r: c.sendall(
                _encoded("gzip, gzip", gzip.compress(zeros_gzipped(256), 9))
            ),
            Mode.UNASKED_ENCODING: lambda c, r: c.sendall(_encoded("br", b"\x0b\x02\x80[]\x03")),
        }
        attack = attacks.get(request.mode)
        if attack is not None:
            attack(connection, request)
            return
        connection.sendall(self._answer(request))

    def _answer(self, request: Request) -> bytes:
        key = request.key
        mode = request.mode
        if mode == Mode.KEY_IN_CONTENT_TYPE:
            body = b"<html>gateway</html>"
            return _response(
                "200 OK",
                {
                    "Content-Type": f"text/html-{key.upper()}",
                    "Content-Length": str(len(body)),
                    "Connection": "close",
                },
                body,
            )
        if mode == Mode.KEY_IN_REASON:
            return _json(f"401 {key}", {"message": "Unauthorized."})
        if mode == Mode.KEY_IN_LOCATION:
            return _json("302 Found", {}, Location=f"http://u:{key}@gw.example/partner/v2")
        if mode == Mode.KEY_IN_MESSAGE:
            return _json("401 Unauthorized", {"message": f"Key {key} is not valid\nat all"})
        if mode == Mode.KEY_IN_PLAIN_BODY:
            body = f"Your key {key} was logged.".encode()
            return _response(
                "200 OK",
                {"Content-Type": "text/plain", "Content-Length": str(len(body))},
                body,
            )
        if mode == Mode.KEY_IN_BAD_HEADER:
            return f"HTTP/1.1 200 OK\r\nX-Echo the key {key}\r\nContent-Length: 0\r\n\r\n".encode()
        if mode == Mode.NESTED_JSON:
            body = b"[" * 100_000 + b"]" * 100_000
            return _response(
                "200 OK",
                {"Content-Type": "application/json", "Content-Length": str(len(body))},
                body,
            )
        if mode == Mode.RETRY_AFTER_10:
            return _json(
                "429 Too Many Requests", {"message": "Slow down."}, **{"Retry-After": "10"}
            )
        if mode == Mode.RETRY_AFTER_SUPERSCRIPT:
            return _json("429 Too Many Requests", {"message": "Slow down."}, **{"Retry-After": "²"})
        if mode == Mode.RETRY_AFTER_FAR_DATE:
            return _json(
                "429 Too Many Requests", {"message": "Slow down."}, **{"Retry-After": FAR_FUTURE}
            )
        if mode == Mode.GARBAGE:
            return b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03\xff\xfe garbage \x00\r\n\r\n"
        return _json("404 Not Found", {"message": f"No mode {mode[:40]!r}."})

    # --- the attacks that take their time ------------------------------------------------------

    def _drip(self, connection: socket.socket, data: bytes, *, forever: bytes = b"") -> None:
        """Send `data`, then `forever` repeated, one byte per DRIP_INTERVAL, until hang-up."""
        position = 0
        while not self._stopping.is_set():
            if position < len(data):
                byte = data[position : position + 1]
            elif forever:
                byte = forever[(position - len(data)) % len(forever) :][:1]
            else:
                return
            connection.sendall(byte)
            position += 1
            if self._stopping.wait(DRIP_INTERVAL):
                return

    def _slow_headers(self, connection: socket.socket, request: Request) -> None:
        self._drip(connection, b"HTTP/1.1 200 OK\r\nX-Slow: ", forever=b"a")

    def _slow_body(self, connection: socket.socket, request: Request) -> None:
        connection.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n"
        )
        self._drip(connection, b'{"data": [', forever=b" ")

    def _huge(self, connection: socket.socket, *, declare_length: bool) -> None:
        size = 50_000_000
        length = f"Content-Length: {size}\r\n" if declare_length else "Connection: close\r\n"
        connection.sendall(
            f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{length}\r\n".encode()
        )
        chunk = b" " * 65536
        sent = 0
        while sent < size and not self._stopping.is_set():
            connection.sendall(chunk)
            sent += len(chunk)

    def _reset(self, connection: socket.socket, data: bytes) -> None:
        connection.sendall(data)
        # SO_LINGER with a zero timeout: close() sends RST instead of FIN.
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        connection.close()

    def _raw_401_slow_bearer(self, connection: socket.socket, request: Request) -> None:
        if request.auth_form == "bearer":
            self._slow_headers(connection, request)
        else:
            connection.sendall(_json("401 Unauthorized", {"message": "Invalid API key."}))

    def _staging_rejects_production_hangs(
        self, connection: socket.socket, request: Request
    ) -> None:
        if request.environment == Environment.STAGING.value:
            connection.sendall(_json("401 Unauthorized", {"message": "Invalid API key."}))
        else:
            self._slow_headers(connection, request)
