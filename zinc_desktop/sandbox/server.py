"""The simulator's HTTP side: routing, authentication, faults, and a record of what it saw.

The record is bounded: the last RECORD_LIMIT requests, each with its method, path (cut to
KEPT_PATH_CHARS), Authorization form and key hint; a body is kept only for an authorised request
and only up to KEPT_BODY_BYTES, as the bytes that arrived (parsed when read). The body of a request
without a valid key is read and dropped as it arrives, never parsed or held.

Connections are served by connections.ConnectionLoop: idle ones cost no thread, at most
`workers` requests are served at once, and every wait for a client has an end.
"""

from __future__ import annotations

import contextlib
import gzip
import html
import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import quote, unquote

from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.core.zinc.api import MAX_JSON_DEPTH, json_too_deep
from zinc_desktop.sandbox.addresses import API_PREFIX, DEMO_KEYS, base_url
from zinc_desktop.sandbox.clock import SimulatedClock
from zinc_desktop.sandbox.connections import (
    MAX_HEAD_BYTES,
    ConnectionLoop,
    ConnectionReader,
    HeadTooLarge,
)
from zinc_desktop.sandbox.outcomes import CheckOutcome
from zinc_desktop.sandbox.tenant import RequestProblem, Tenant, UnknownCheck
from zinc_desktop.sandbox.webhooks import WebhookSender

__all__ = ["DEMO_KEYS", "CheckOutcome", "Fault", "SandboxServer", "SeenRequest", "UnknownCheck"]
MAX_REQUEST_BODY = 1_000_000
RECORD_LIMIT = 4096  # requests kept in SandboxServer.requests, the oldest dropped first
# A body is kept in the record only when authorised and this short: any key can be the demo key,
# which the sandbox prints, so the record must stay small whoever sends to it (4096 requests at
# most 4 KB of body and 1 KB of path each: 20 MB at worst).
KEPT_BODY_BYTES = 4096
KEPT_PATH_CHARS = 1024
# Connections (see connections.py). Idle ones cost no thread, so they may wait longer than
# httpx's 5 s keep-alive expiry: a client reusing a connection never races the server closing it.
WORKERS = 64  # requests served at once
MAX_CONNECTIONS = 512  # open at once; a new one beyond is answered 503 and closed
IDLE_TIMEOUT = 10.0  # a connection with no request for this long is closed
HEADER_TIMEOUT = 5.0  # a request's line and headers arrive within this of their first byte
BODY_TIMEOUT = 1.0  # its body within this of its headers (a Content-Length larger than sent)
SEND_TIMEOUT = 10.0  # an answer that makes no progress for this long (nobody reads it) ends
BACKLOG = MAX_CONNECTIONS  # a burst of connects waits here, not in SYN retries (1 s each)
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
    """One connection's HTTP: made when it is accepted, then served a turn at a time (see
    ConnectionLoop), not in one call from its constructor as socketserver's handlers are."""

    server_version = "ZincSandbox/1"
    protocol_version = "HTTP/1.1"
    # Headers and body leave in one segment; otherwise Nagle meets delayed ACK: +40 ms a call.
    wbufsize = 65536
    header_timeout = HEADER_TIMEOUT
    body_timeout = BODY_TIMEOUT
    send_timeout = SEND_TIMEOUT
    state: _State  # set on the subclass made per server
    reader: ConnectionReader
    _answered = False

    def __init__(self, request: socket.socket, client_address: Any) -> None:
        self.request = request
        self.client_address = client_address
        self.setup()

    def setup(self) -> None:
        self.connection = self.request
        self.connection.settimeout(self.send_timeout)
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, True)
        self.reader = ConnectionReader(self.connection, self.send_timeout)
        self.rfile = self.reader
        self.wfile = self.connection.makefile("wb", self.wbufsize)

    def serve_turn(self) -> bool:
        """Serve the complete request(s) that arrived; True to keep the connection for more."""
        while True:
            self.close_connection = True
            self.handle_one_request()
            if self.close_connection:
                return False
            if not self.reader.head_complete():
                return True

    def handle_one_request(self) -> None:
        self.reader.begin_head(self.header_timeout)
        try:
            super().handle_one_request()
        except HeadTooLarge:
            self.close_connection = True
            self.requestline = self.request_version = self.command = ""
            status = 431 if self.reader.head_lines else 414  # the headers, or the line itself
            message = f"A request's line and headers have at most {MAX_HEAD_BYTES} bytes."
            self._answered = False
            self._send_json(status, {"message": message}, close=True)
            self.wfile.flush()

    def close(self) -> None:
        """Flush what is left of an answer and close the connection."""
        with contextlib.suppress(OSError, ValueError):
            self.wfile.close()
        self.reader.close()
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_WR)
        self.connection.close()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # tests and demos stay quiet; SandboxServer.requests is the record

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

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
        if method == "GET" and rest.startswith("/reports/"):
            # A report link opens in a browser, with no key: as Zinc's asks for a login, this
            # says what the real one would show.
            self._send_report_page(unquote(rest.removeprefix("/reports/")))
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
        elif method == "GET" and rest == "/checks":
            self._send_json(200, {"data": tenant.list_checks(key)})
        elif method == "DELETE" and rest.startswith("/checks/"):
            self._send_json(200, tenant.cancel(unquote(rest.removeprefix("/checks/")), key))
        elif method == "GET" and rest.startswith("/results/"):
            check_id = unquote(rest.removeprefix("/results/"))
            report = tenant.report(check_id, key)
            if report["status"] == "complete":  # as a real report links to Zinc's own page
                address = self.connection.getsockname()  # where this request came in
                where = f"http://{address[0]}:{address[1]}/{tenant.environment.value}{API_PREFIX}"
                report["report_url"] = f"{where}/reports/{quote(report['check_id'], safe='')}"
            self._send_json(200, report)
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
        self.reader.begin_body(self.body_timeout)
        try:
            raw = self.reader.read(length)
        except TimeoutError:
            raw = b""
        if len(raw) < length:
            raise MalformedRequest(400, f"The body is shorter than its Content-Length ({length}).")
        return raw

    def _drain_body(self, length: int) -> None:
        """Read a body that will not be used, a chunk at a time, keeping none of it."""
        self.reader.begin_body(self.body_timeout)
        if self.reader.discard(length) < length:
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

    def _send_report_page(self, check_id: str) -> None:
        page = (
            "<!doctype html><meta charset=utf-8><title>Simulated Zinc report</title>"
            "<h1>Simulated Zinc report</h1><p>Check <code>"
            f"{html.escape(check_id[:120])}</code>.</p><p>In Zinc, this link opens the "
            "candidate's report once you log in to Zinc. The simulator has no report to show."
        ).encode()
        self._answered = True
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Security-Policy", "default-src 'none'")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)

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

    Steering, for a demo (every method thread-safe, none sends or waits for anything):
    `default_outcome` and `set_next_outcome` choose how checks end (CheckOutcome); `pause`,
    `resume` and `paused` stop and restart the journey clock; `step` moves checks to their next
    stage now; `reset` starts every journey again; `next_change_in` says when a check's status
    changes next, so a poller can read it right then.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        demo_seconds: float = 60.0,
        clock: Callable[[], float] = time.time,
        listening: socket.socket | None = None,
        record_limit: int = RECORD_LIMIT,
        workers: int = WORKERS,
        max_connections: int = MAX_CONNECTIONS,
        idle_timeout: float = IDLE_TIMEOUT,
        header_timeout: float = HEADER_TIMEOUT,
        body_timeout: float = BODY_TIMEOUT,
        outcome: CheckOutcome = CheckOutcome.CLEAR,
    ) -> None:
        """`demo_seconds`: how long a check's whole journey takes. `clock`: the real clock the
        journey clock runs on (tests give their own). `outcome`: the default outcome.
        `listening`: a socket already bound and listening (the window reserves its port
        before it shows, and starts the simulator after); connections wait in its backlog.
        `record_limit`: how many requests `requests` keeps, the oldest dropped first. The rest
        bound connections (see the constants of the same names)."""
        self._clock = SimulatedClock(clock)
        tenants = {
            env: Tenant(env, self._clock, demo_seconds, default_outcome=outcome)
            for env in Environment
        }
        self._state = _State(tenants, seen=deque(maxlen=record_limit))
        # Checks started with a webhook URL hear of each stage while the simulator runs.
        self.webhooks = WebhookSender(tenants.values())
        handler = type(
            "SandboxHandler",
            (_Handler,),
            {"state": self._state, "header_timeout": header_timeout, "body_timeout": body_timeout},
        )
        if listening is None:
            self._host = host
            listening = socket.create_server((host, port), backlog=BACKLOG)
        else:
            self._host = listening.getsockname()[0]
        self._loop = ConnectionLoop(
            listening,
            handler,
            workers=workers,
            max_connections=max_connections,
            idle_timeout=idle_timeout,
            header_timeout=header_timeout,
        )
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._loop.server_address[1])

    def base_url(self, environment: Environment) -> str:
        return base_url(self.port, environment, self._host)

    def base_urls(self) -> dict[Environment, str]:
        return {environment: self.base_url(environment) for environment in Environment}

    def signing_token(self, environment: Environment) -> str:
        """The tenant's webhook signing token (fixed and public: addresses.signing_token)."""
        return self.tenant(environment).signing_token

    def tenant(self, environment: Environment) -> Tenant:
        return self._state.tenants[environment]

    def add_key(self, environment: Environment, key: str) -> None:
        self.tenant(environment).keys.add(key.lower())

    def rotate_key(self, environment: Environment, old: str, new: str) -> None:
        """The customer regenerated their key: `old` stops working, `new` sees their checks."""
        self.tenant(environment).rotate_key(old, new)

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

    # --- steering ------------------------------------------------------------------------------

    @property
    def clock(self) -> SimulatedClock:
        """The journey clock every check moves on."""
        return self._clock

    @property
    def default_outcome(self) -> CheckOutcome:
        """How a check ends unless it was chosen for it (`set_next_outcome`, an email tag)."""
        return self.tenant(Environment.STAGING).default_outcome

    @default_outcome.setter
    def default_outcome(self, outcome: CheckOutcome) -> None:
        for tenant in self._state.tenants.values():
            tenant.default_outcome = outcome

    def set_next_outcome(self, environment: Environment, outcome: CheckOutcome | None) -> None:
        """The next check started in `environment` ends this way; later ones go back to the
        default. It wins over an email tag (`+attention`, ...). None: the choice is dropped."""
        self.tenant(environment).next_outcome = outcome

    def next_outcome(self, environment: Environment) -> CheckOutcome | None:
        """The outcome waiting for the next check in `environment`; None when none is."""
        return self.tenant(environment).next_outcome

    @property
    def paused(self) -> bool:
        return self._clock.paused

    def pause(self) -> None:
        """Every journey stands still until `resume` (idempotent). Requests are still served."""
        self._clock.pause()

    def resume(self) -> None:
        """Journeys move on from where they stood (idempotent)."""
        self._clock.resume()

    def step(self, check_id: str | None = None) -> list[str]:
        """Move the check (None: every check the simulator holds) to its next stage now; the
        rest of its journey follows at the usual pace (or waits, when paused). Returns the ids
        that moved: a finished check does not. Raises UnknownCheck for an id that is neither
        held nor one of the simulator's own (a check id says its environment and story)."""
        if check_id is None:
            return [moved for tenant in self._tenants() for moved in tenant.step()]
        return self._tenant_of(check_id).step(check_id)

    def reset(self) -> None:
        """Every check starts its journey again from Requested, as if started now (a check this
        simulator has not seen yet too, when it is first read). Outcomes stay as they were."""
        for tenant in self._tenants():
            tenant.reset()

    def next_change_in(self, check_id: str) -> float | None:
        """Seconds until the check's status next changes: when to read it again. None while
        paused, once its journey is over (Complete, Withdrawn), or for an id that is not a
        simulated check's."""
        try:
            return self._tenant_of(check_id).next_change_in(check_id)
        except UnknownCheck:
            return None

    def _tenants(self) -> list[Tenant]:
        return list(self._state.tenants.values())

    def _tenant_of(self, check_id: str) -> Tenant:
        tenant = next((t for t in self._tenants() if t.knows(check_id)), None)
        if tenant is None:
            raise UnknownCheck(f"The simulator knows no check {check_id[:80]!r}.")
        return tenant

    @property
    def requests(self) -> list[SeenRequest]:
        """The last `record_limit` requests that arrived (rejected ones too), oldest first."""
        with self._state.lock:
            return list(self._state.seen)

    def start(self) -> SandboxServer:
        self._thread = threading.Thread(
            target=self._loop.serve_forever, name="zinc-sandbox", daemon=True
        )
        self._thread.start()
        self.webhooks.start()
        return self

    def serve_forever(self) -> None:
        self.webhooks.start()
        try:
            self._loop.serve_forever()
        finally:
            self.webhooks.stop()

    def stop(self) -> None:
        """Stop serving and close every connection, idle or not."""
        self.webhooks.stop()
        if self._thread is not None:
            self._loop.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._loop.server_close()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
