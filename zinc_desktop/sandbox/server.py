"""The simulator's HTTP side: routing, authentication, faults, and a record of what it saw."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from zinc_desktop.core.environments import Environment
from zinc_desktop.sandbox.tenant import RequestProblem, Tenant, demo_key

DEMO_KEYS = {environment: demo_key(environment) for environment in Environment}
API_PREFIX = "/partner/v2"


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


@dataclass(frozen=True)
class SeenRequest:
    """What arrived, for tests to assert on. The key itself is kept only as its form."""

    environment: Environment | None
    method: str
    path: str
    auth_form: str | None  # "raw", "bearer" or None when absent
    authorised: bool
    body: Any = None


@dataclass
class _State:
    tenants: dict[Environment, Tenant]
    accepted_forms: set[str] = field(default_factory=lambda: {"raw", "bearer"})
    faults: list[Fault] = field(default_factory=list)
    seen: list[SeenRequest] = field(default_factory=list)
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
    state: _State  # set on the subclass made per server

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
        body = self._read_body()
        environment, rest = self._route()
        form, key = self._credentials()
        tenant = self.state.tenants.get(environment) if environment else None
        authorised = bool(tenant and key in tenant.keys and form in self.state.accepted_forms)
        with self.state.lock:
            self.state.seen.append(
                SeenRequest(environment, method, self.path, form, authorised, body)
            )
        fault = self.state.next_fault()
        if fault is not None and self._apply(fault):
            return
        if tenant is None or rest is None:
            self._send_json(404, {"message": "Not found."})
            return
        if not authorised:
            self._send_json(401, {"message": "Invalid API key."})
            return
        try:
            self._dispatch(tenant, method, rest, body)
        except RequestProblem as problem:
            self._send_json(problem.status, {"message": str(problem)})

    def _dispatch(self, tenant: Tenant, method: str, rest: str, body: Any) -> None:
        if method == "GET" and rest == "/packages":
            self._send_json(200, {"data": tenant.packages})
        elif method == "POST" and rest == "/checks":
            self._send_json(201, tenant.start_check(body))
        elif method == "GET" and rest.startswith("/results/"):
            self._send_json(200, tenant.report(rest.removeprefix("/results/")))
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
            return "bearer", value.removeprefix("Bearer ").strip()
        return "raw", value.strip()

    def _read_body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        if not length:
            return None
        raw = self.rfile.read(min(length, 1_000_000))
        try:
            return json.loads(raw)
        except ValueError:
            return raw.decode("utf-8", "replace")

    def _apply(self, fault: Fault) -> bool:
        """Misbehave as told; True when the fault answered the request itself."""
        if fault.delay:
            time.sleep(fault.delay)
        if fault.huge_body_bytes:
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

    def _send_json(self, status: int, payload: object) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status, HTTPStatus(status).phrase)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
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
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._host = host
        tenants = {env: Tenant(env, clock, demo_seconds) for env in Environment}
        self._state = _State(tenants)
        handler = type("SandboxHandler", (_Handler,), {"state": self._state})
        self._httpd = ThreadingHTTPServer((host, port), handler)
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def base_url(self, environment: Environment) -> str:
        return f"http://{self._host}:{self.port}/{environment.value}{API_PREFIX}"

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
