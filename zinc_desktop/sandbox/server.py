"""The simulator's HTTP side: routing, authentication, faults, and a record of what it saw.

The record is bounded: the last RECORD_LIMIT requests, each with its method, path (cut to
KEPT_PATH_CHARS), Authorization form and key hint; a body is kept only for an authorised request
and only up to KEPT_BODY_BYTES, as the bytes that arrived (parsed when read). The body of a request
without a valid key is read and dropped as it arrives, never parsed or held.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

from zinc_desktop.core.environments import Environment
from zinc_desktop.core.zinc_api import MAX_JSON_DEPTH, json_too_deep
from zinc_desktop.sandbox.addresses import API_PREFIX, DEMO_KEYS, base_url
from zinc_desktop.sandbox.tenant import RequestProblem, Tenant

__all__ = ["DEMO_KEYS", "Fault", "SandboxServer", "SeenRequest"]
MAX_REQUEST_BODY = 1_000_000
RECORD_LIMIT = 4096  # requests kept in SandboxServer.requests, the oldest dropped first
# A body is kept in the record only when authorised and this short: any key can be the demo key,
# which the sandbox prints, so the record must stay small whoever sends to it (4096 requests at
# most 4 KB of body and 1 KB of path each: 20 MB at worst).
KEPT_BODY_BYTES = 4096
KEPT_PATH_CHARS = 1024
DRAIN_CHUNK = 65536
GZIP_MIN_BYTES = 200  # answers this long or longer are gzip-compressed for a client that asks


class MalformedRequest(Exception):
    """A request whose framing or body cannot be read: answered, then the connection closes."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Fault:
    """How the next request(s) misbehave. Only the fields set apply."""

    status: int | None = None
    retry_after: str | None = None
    delay: float = 0.0
    body: bytes | None = None
    content_type: str = "application/json"
    location: str | None = None
    huge_body_bytes: int = 0
    declare_length: bool = True  # False: no Content-Length, the body ends when we hang up
    times: int | None = 1  # None: until cleared


@dataclass(frozen=True, slots=True)
class SeenRequest:
    """What arrived, for tests to assert on. The key itself is kept only as its form."""

    environment: Environment | None
    method: str
    path: str  # cut to KEPT_PATH_CHARS, with "…" after a cut
    auth_form: str | None  # "raw", "bearer" or None when absent
    authorised: bool
    kept_body: bytes | None = field(default=None, repr=False)  # see `body`
    key_hint: str | None = None  # the presented key's last 4 characters, never more
    body_bytes: int = 0  # the body's length as declared, whether kept or not

    @property
    def body(self) -> Any:
        """The body as JSON (its text when not JSON); None when there was none or it was not
        kept: the request was not authorised, its body was longer than KEPT_BODY_BYTES, or it
        could not be read or used. Parsed at each read, so the record holds bytes only."""
        if self.kept_body is None:
            return None
        try:
            return json.loads(self.kept_body)
        except ValueError:
            return self.kept_body.decode("utf-8", "replace")


@dataclass
class _State:
    tenants: dict[Environment, Tenant]
    accepted_forms: set[str] = field(default_factory=lambda: {"raw", "bearer"})
    faults: list[Fault] = field(default_factory=list)
    seen: deque[SeenRequest] = field(default_factory=lambda: deque(maxlen=RECORD_LIMIT))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_fault(self) -> Fault | None:
        with self.lock:
            if not self.faults:
                return None
            fault = self.faults[0]
            if fault.times is not None:
                fault.times -= 1
                if fault.times <= 0:
                    self.faults.pop(0)
            return fault


class _Handler(BaseHTTPRequestHandler):
    server_version = "ZincSandbox/1"
    protocol_version = "HTTP/1.1"
    # Headers and body leave in one segment; otherwise Nagle meets delayed ACK: +40 ms a call.
    disable_nagle_algorithm = True
    wbufsize = 65536
    # How long a body may take to arrive in full (a Content-Length larger than what is sent).
    body_timeout = 1.0
    state: _State  # set on the subclass made per server
    _answered = False

    def handle(self) -> None:
        # The client hung up (a timeout or a cancel): normal for a simulator.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().handle()

    def finish(self) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # tests and demos stay quiet; SandboxServer.requests is the record

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def _handle(self, method: str) -> None:
        """Every request gets an answer, however broken it is; the server keeps serving."""
        self._answered = False
        try:
            self._serve(method)
        except MalformedRequest as problem:
            self._refuse(problem.status, str(problem))
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as error:  # noqa: BLE001  # a simulator bug must not hang a client
            self._refuse(500, f"The simulator failed on this request ({type(error).__name__}).")

    def _refuse(self, status: int, message: str) -> None:
        self.close_connection = True
        if not self._answered:
            self._send_json(status, {"message": message}, close=True)

    def _serve(self, method: str) -> None:
        environment, rest = self._route()
        form, key = self._credentials()
        tenant = self.state.tenants.get(environment) if environment else None
        authorised = bool(tenant and key in tenant.keys and form in self.state.accepted_forms)
        hint = key[-4:] if key and len(key) > 4 else None
        path = self.path if len(self.path) <= KEPT_PATH_CHARS else self.path[:KEPT_PATH_CHARS] + "…"
        body: Any = None
        kept: bytes | None = None
        length = 0
        try:
            length = self._content_length()
            if authorised:
                raw = self._read_body(length)
                body = self._parse_body(raw)
                kept = raw if raw and len(raw) <= KEPT_BODY_BYTES else None
            else:
                self._drain_body(length)  # no key, no parsing: read it and let it go
        finally:
            with self.state.lock:
                self.state.seen.append(
                    SeenRequest(environment, method, path, form, authorised, kept, hint, length)
                )
        fault = self.state.next_fault()
        if fault is not None and self._apply(fault):
            return
        if tenant is None or rest is None:
            self._send_json(404, {"message": "Not found."})
            return
        if not authorised or key is None:
            self._send_json(401, {"message": "Invalid API key."})
            return
        try:
            self._dispatch(tenant, method, rest, body, key)
        except RequestProblem as problem:
            self._send_json(problem.status, {"message": str(problem)})

    def _dispatch(self, tenant: Tenant, method: str, rest: str, body: Any, key: str) -> None:
        if method == "GET" and rest == "/packages":
            self._send_json(200, {"data": tenant.packages})
        elif method == "POST" and rest == "/checks":
            self._send_json(201, tenant.start_check(body, key))
        elif method == "GET" and rest.startswith("/results/"):
            check_id = unquote(rest.removeprefix("/results/"))
            self._send_json(200, tenant.report(check_id, key))
        else:
            raise RequestProblem(404, f"No route for {method} {rest}.")

    def _route(self) -> tuple[Environment | None, str | None]:
        path = self.path.split("?", 1)[0]
        for environment in Environment:
            prefix = f"/{environment.value}{API_PREFIX}"
            if path == prefix or path.startswith(prefix + "/"):
                return environment, path.removeprefix(prefix) or "/"
        return None, None

    def _credentials(self) -> tuple[str | None, str | None]:
        value = self.headers.get("Authorization")
        if value is None:
            return None, None
        if value.startswith("Bearer "):
            return "bearer", value.removeprefix("Bearer ").strip().lower()
        return "raw", value.strip().lower()

    def _content_length(self) -> int:
        if self.headers.get("Transfer-Encoding") is not None:
            raise MalformedRequest(411, "Send the body with a Content-Length, not chunked.")
        values = {v.strip() for v in self.headers.get_all("Content-Length") or []}
        if not values:
            return 0
        if len(values) > 1:
            raise MalformedRequest(400, "The request has conflicting Content-Length headers.")
        (value,) = values
        if not (value.isascii() and value.isdigit()):
            raise MalformedRequest(400, f"Content-Length {value[:20]!r} is not a byte count.")
        length = int(value)
        if length > MAX_REQUEST_BODY:
            raise MalformedRequest(413, f"A body has at most {MAX_REQUEST_BODY} bytes.")
        return length

    def _read_body(self, length: int) -> bytes:
        if not length:
            return b""
        self.connection.settimeout(self.body_timeout)
        try:
            raw = self.rfile.read(length)
        except TimeoutError:
            raw = b""
        finally:
            self.connection.settimeout(None)
        if len(raw) < length:
            raise MalformedRequest(400, f"The body is shorter than its Content-Length ({length}).")
        return raw

    def _drain_body(self, length: int) -> None:
        """Read a body that will not be used, a chunk at a time, keeping none of it."""
        left = length
        self.connection.settimeout(self.body_timeout)
        try:
            while left:
                chunk = self.rfile.read(min(left, DRAIN_CHUNK))
                if not chunk:
                    break
                left -= len(chunk)
        except TimeoutError:
            pass
        finally:
            self.connection.settimeout(None)
        if left:
            raise MalformedRequest(400, f"The body is shorter than its Content-Length ({length}).")

    @staticmethod
    def _parse_body(raw: bytes) -> Any:
        if not raw:
            return None
        if json_too_deep(raw):
            raise MalformedRequest(400, f"The body nests more than {MAX_JSON_DEPTH} levels.")
        try:
            return json.loads(raw)
        except RecursionError:
            raise MalformedRequest(400, "The body nests too deeply.") from None
        except ValueError:
            return raw.decode("utf-8", "replace")

    def _accepts_gzip(self) -> bool:
        offered = self.headers.get("Accept-Encoding") or ""
        return "gzip" in {part.split(";")[0].strip().lower() for part in offered.split(",")}

    def _apply(self, fault: Fault) -> bool:
        """Misbehave as told; True when the fault answered the request itself."""
        if fault.delay:
            time.sleep(fault.delay)
        if fault.huge_body_bytes:
            self._answered = True
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            if fault.declare_length:
                self.send_header("Content-Length", str(fault.huge_body_bytes))
            else:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            chunk = b" " * 65536
            sent = 0
            try:
                while sent < fault.huge_body_bytes:
                    self.wfile.write(chunk[: fault.huge_body_bytes - sent])
                    sent += len(chunk)
            except OSError:
                pass  # the client hung up, as it should
            return True
        if fault.status is None and fault.body is None:
            return False
        status = fault.status or 200
        self._answered = True
        self.send_response(status)
        if fault.retry_after is not None:
            self.send_header("Retry-After", fault.retry_after)
        if fault.location is not None:
            self.send_header("Location", fault.location)
        payload = fault.body if fault.body is not None else b'{"message": "Simulated fault."}'
        self.send_header("Content-Type", fault.content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
        return True

    def _send_json(self, status: int, payload: object, *, close: bool = False) -> None:
        data = json.dumps(payload).encode()
        self._answered = True
        self.send_response(status, HTTPStatus(status).phrase)
        self.send_header("Content-Type", "application/json")
        if len(data) >= GZIP_MIN_BYTES and self._accepts_gzip():
            # As a web server in front of an API does: larger bodies compressed when asked.
            data = gzip.compress(data, 6, mtime=0)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        if close:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)


class SandboxServer:
    """Both tenants on one loopback port: /staging/partner/v2 and /production/partner/v2.

    Usable as a context manager. `inject()` queues faults; `requests` is what arrived.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        demo_seconds: float = 60.0,
        record_limit: int = RECORD_LIMIT,
        clock: Callable[[], float] = time.time,
        listening: socket.socket | None = None,
    ) -> None:
        """`listening`: a socket already bound and listening (the window reserves its port
        before it shows, and starts the simulator after); connections wait in its backlog.
        `record_limit`: how many requests `requests` keeps, the oldest dropped first."""
        tenants = {env: Tenant(env, clock, demo_seconds) for env in Environment}
        self._state = _State(tenants, seen=deque(maxlen=record_limit))
        handler = type("SandboxHandler", (_Handler,), {"state": self._state})
        if listening is None:
            self._host = host
            self._httpd = ThreadingHTTPServer((host, port), handler)
        else:
            self._host = listening.getsockname()[0]
            self._httpd = ThreadingHTTPServer(
                listening.getsockname()[:2], handler, bind_and_activate=False
            )
            self._httpd.socket.close()
            self._httpd.socket = listening
            self._httpd.server_address = listening.getsockname()[:2]
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def base_url(self, environment: Environment) -> str:
        return base_url(self.port, environment, self._host)

    def base_urls(self) -> dict[Environment, str]:
        return {environment: self.base_url(environment) for environment in Environment}

    def tenant(self, environment: Environment) -> Tenant:
        return self._state.tenants[environment]

    def add_key(self, environment: Environment, key: str) -> None:
        self.tenant(environment).keys.add(key.lower())

    def revoke_key(self, environment: Environment, key: str) -> None:
        self.tenant(environment).keys.discard(key.lower())

    def accept_forms(self, *forms: str) -> None:
        """Which Authorization forms are accepted ("raw", "bearer"); both by default."""
        self._state.accepted_forms = set(forms)

    def inject(self, fault: Fault) -> None:
        with self._state.lock:
            self._state.faults.append(fault)

    def clear_faults(self) -> None:
        with self._state.lock:
            self._state.faults.clear()

    @property
    def requests(self) -> list[SeenRequest]:
        """The last `record_limit` requests that arrived (rejected ones too), oldest first."""
        with self._state.lock:
            return list(self._state.seen)

    def start(self) -> SandboxServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},  # a quick stop(): tests start hundreds of these
            name="zinc-sandbox",
            daemon=True,
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._httpd.serve_forever()

    def stop(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
