"""Talks HTTP to one Zinc environment with one key: timeouts, size cap, retries, typed errors."""

from __future__ import annotations

import email.utils
import json
import re
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx
import truststore

from zinc_desktop import __version__
from zinc_desktop.core import zinc_api
from zinc_desktop.core.api_key import ApiKey
from zinc_desktop.core.environments import Endpoint
from zinc_desktop.core.errors import (
    EnvironmentUnreachable,
    KeyRejected,
    OperationCancelled,
    RequestRefused,
    ServerFault,
    UnexpectedResponse,
)
from zinc_desktop.core.zinc_api import AuthForm, Candidate, CheckReport, Package

REDACTED = "[redacted]"


@dataclass(frozen=True)
class ClientSettings:
    """Limits every call obeys. The defaults end a hung server within 15 s."""

    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    total_timeout: float = 15.0
    max_body_bytes: int = 8 * 1024 * 1024
    max_rate_limit_retries: int = 2
    max_retry_wait: float = 10.0


@dataclass(frozen=True)
class Exchange:
    """One HTTP exchange, as the request inspector shows it. Holds no secret."""

    started_at: datetime
    environment: str
    method: str
    url: str
    auth_form: AuthForm
    status: int | None
    duration: float
    request_body: str | None = None
    response_body: str | None = None
    error: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


ExchangeListener = Callable[[Exchange], None]


def warm_up() -> None:
    """Pay httpx's lazy imports now (about 70 ms holding the GIL), not during the first call.

    The window calls this on a worker thread at start-up, while nobody is waiting on anything.
    """
    httpx.Client(verify=_ssl_context()).close()


def _ssl_context() -> ssl.SSLContext:
    # The OS trust store, so a corporate TLS-inspecting proxy's root is honoured.
    return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def _retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


@dataclass
class _Response:
    status: int
    headers: httpx.Headers
    body: bytes


class ZincClient:
    """A session with one environment, for one key.

    The key goes only in the Authorization header, only to `endpoint.base_url`; redirects are
    never followed. On 401 the other header form is tried once; `auth_form` then tells which
    worked, so the caller can remember it for the account.
    """

    def __init__(
        self,
        endpoint: Endpoint,
        key: ApiKey,
        *,
        auth_form: AuthForm = AuthForm.RAW,
        settings: ClientSettings | None = None,
        on_exchange: ExchangeListener | None = None,
        cancel: threading.Event | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.auth_form = auth_form
        self._key = key
        self._settings = settings or ClientSettings()
        self._on_exchange = on_exchange
        self._cancel = cancel or threading.Event()
        self._http = httpx.Client(
            verify=_ssl_context(),
            follow_redirects=False,
            # Proxy variables are honoured, except for the loopback simulator.
            trust_env=not endpoint.is_loopback,
            timeout=httpx.Timeout(
                self._settings.read_timeout, connect=self._settings.connect_timeout
            ),
            headers={"Accept": "application/json", "User-Agent": f"zinc-desktop/{__version__}"},
        )

    def __enter__(self) -> ZincClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def __repr__(self) -> str:
        return f"ZincClient({self.endpoint.environment.value}, key={self._key!r})"

    # --- the calls ---------------------------------------------------------------------------

    def list_packages(self) -> list[Package]:
        """GET /packages: the read-only call that also proves a key."""
        return zinc_api.parse_packages(self._call("GET", zinc_api.PACKAGES_PATH))

    def start_check(self, package_id: str, candidate: Candidate) -> str:
        """POST /checks; returns the new check's id. Never retried: it may bill."""
        body = zinc_api.check_request_body(package_id, candidate)
        return zinc_api.parse_check_id(self._call("POST", zinc_api.CHECKS_PATH, body))

    def check_report(self, check_id: str) -> CheckReport:
        payload = self._call(
            "GET",
            zinc_api.results_path(check_id),
            missing=f"{self.endpoint.environment.display_name} knows no check {check_id!r} "
            "in this account (404).",
        )
        return zinc_api.parse_report(check_id, payload)

    # --- mechanics ---------------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        missing: str | None = None,
    ) -> Any:
        """Send with the auth fallback; `missing` is the message for a 404."""
        response = self._send_with_retries(method, path, body, self.auth_form)
        if response.status == 401:
            # Zinc does not publish the header form: try the other one, once.
            retry = self._send_with_retries(method, path, body, self.auth_form.other)
            if retry.status != 401:
                self.auth_form = self.auth_form.other
                response = retry
        return self._interpret(response, path, missing)

    def _send_with_retries(
        self, method: str, path: str, body: dict[str, Any] | None, form: AuthForm
    ) -> _Response:
        retries_left = self._settings.max_rate_limit_retries if method == "GET" else 0
        while True:
            response = self._send(method, path, body, form)
            if response.status != 429 or retries_left == 0:
                return response
            wait = _retry_after_seconds(response.headers.get("Retry-After"))
            if wait is None:
                wait = 1.0
            if wait > self._settings.max_retry_wait:
                return response
            retries_left -= 1
            if self._cancel.wait(wait):
                raise OperationCancelled("Cancelled.")

    def _send(
        self, method: str, path: str, body: dict[str, Any] | None, form: AuthForm
    ) -> _Response:
        if self._cancel.is_set():
            raise OperationCancelled("Cancelled.")
        url = self.endpoint.base_url + path
        started_at = datetime.now(UTC)
        started = time.monotonic()
        headers = {"Authorization": form.header_value(self._key)}
        response: _Response | None = None
        error: str | None = None
        try:
            response = self._read(method, url, headers, body, started)
        except (EnvironmentUnreachable, UnexpectedResponse, OperationCancelled) as failure:
            error = str(failure)
            raise
        finally:
            if self._on_exchange is not None:
                self._on_exchange(
                    Exchange(
                        started_at=started_at,
                        environment=self.endpoint.environment.value,
                        method=method,
                        url=url,
                        auth_form=form,
                        status=response.status if response else None,
                        duration=time.monotonic() - started,
                        request_body=self._scrub(json.dumps(body)) if body is not None else None,
                        response_body=self._scrub(response.body[:65536].decode("utf-8", "replace"))
                        if response
                        else None,
                        error=error,
                        headers={"Authorization": REDACTED},
                    )
                )
        return response

    def _read(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        body: dict[str, Any] | None,
        started: float,
    ) -> _Response:
        name = self.endpoint.environment.display_name
        host = urlsplit(url).netloc
        limit = self._settings.max_body_bytes
        try:
            with self._http.stream(method, url, headers=headers, json=body) as response:
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise UnexpectedResponse(self._too_large(declared))
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise UnexpectedResponse(self._too_large(str(size)))
                    if time.monotonic() - started > self._settings.total_timeout:
                        raise httpx.ReadTimeout("total deadline passed")
                    if self._cancel.is_set():
                        raise OperationCancelled("Cancelled.")
                    chunks.append(chunk)
                return _Response(response.status_code, response.headers, b"".join(chunks))
        except httpx.TimeoutException:
            raise EnvironmentUnreachable(
                f"{name} ({host}) did not answer within {self._settings.total_timeout:g} s."
            ) from None
        except httpx.ConnectError as error:
            raise EnvironmentUnreachable(self._connect_message(error, name, host)) from None
        except httpx.DecodingError:
            raise UnexpectedResponse(f"{name} sent a body that could not be decoded.") from None
        except httpx.HTTPError as error:
            reason = self._scrub(str(error)) or type(error).__name__
            raise EnvironmentUnreachable(
                f"The connection to {name} ({host}) failed: {reason}."
            ) from None

    def _too_large(self, size: str) -> str:
        limit_mb = self._settings.max_body_bytes / 1_048_576
        return (
            f"{self.endpoint.environment.display_name} sent more than {limit_mb:g} MB "
            f"({size} bytes or more); the answer was dropped unread."
        )

    def _connect_message(self, error: httpx.ConnectError, name: str, host: str) -> str:
        text = str(error)
        if "CERTIFICATE_VERIFY_FAILED" in text or "SSL" in text or "TLS" in text:
            return (
                f"The TLS certificate of {host} could not be verified ({text}). Behind a "
                "corporate proxy, its root certificate must be in the system's trust store."
            )
        if "Name or service not known" in text or "getaddrinfo" in text or "nodename" in text:
            return f"{host} could not be found (DNS). Check the network connection."
        if "refused" in text.lower():
            return f"{name} ({host}) refused the connection. Is the address right, is it up?"
        return f"Could not connect to {name} ({host}): {text or 'no detail'}."

    def _interpret(self, response: _Response, path: str, missing: str | None) -> Any:
        name = self.endpoint.environment.display_name
        status = response.status
        if 300 <= status < 400:
            target = urlsplit(response.headers.get("Location", "")).netloc or "another address"
            raise UnexpectedResponse(
                f"{name} answered with a redirect ({status}) to {target}. Redirects are not "
                "followed, so the key was not sent there; check the environment's base URL."
            )
        payload = self._json(response, allow_empty=status >= 400)
        detail = self._scrub(zinc_api.error_detail(payload))
        suffix = f" Zinc said: {detail}" if detail else ""
        if status == 401:
            raise KeyRejected(f"{name} rejected the key (401 Unauthorized).{suffix}", 401)
        if status == 403:
            raise KeyRejected(
                f"{name} recognised the request but refused it (403 Forbidden): the key may be "
                "revoked, or Partner API access is not enabled for this account; ask the "
                f"customer's Zinc account team.{suffix}",
                403,
            )
        if status == 429:
            raise ServerFault(f"{name} is rate-limiting us (429 Too Many Requests); try later.")
        if status == 404 and missing:
            raise RequestRefused(missing)
        if status == 404:
            raise UnexpectedResponse(
                f"{name} has nothing at {path} (404). Check the base URL "
                f"{self.endpoint.base_url}.{suffix}"
            )
        if 400 <= status < 500:
            raise RequestRefused(f"{name} refused the request ({status}).{suffix}")
        if status >= 500:
            raise ServerFault(
                f"{name} is having trouble ({status}); this is on Zinc's side, try again later."
            )
        if not 200 <= status < 300:
            raise UnexpectedResponse(f"{name} answered with an unexpected status {status}.")
        return payload

    def _json(self, response: _Response, *, allow_empty: bool) -> Any:
        if not response.body.strip():
            if allow_empty:
                return None
            raise UnexpectedResponse(
                f"{self.endpoint.environment.display_name} answered {response.status} with an "
                "empty body where JSON was expected."
            )
        try:
            return json.loads(response.body)
        except (ValueError, UnicodeDecodeError):
            if allow_empty:
                return None
            kind = response.headers.get("Content-Type", "unknown type").split(";")[0]
            raise UnexpectedResponse(
                f"{self.endpoint.environment.display_name} answered with something that is not "
                f"JSON ({kind}, {len(response.body)} bytes)."
            ) from None

    def _scrub(self, text: str) -> str:
        """Remove the key from anything a server or a library says, in case it echoes it."""
        return re.sub(re.escape(self._key.reveal()), self._key.masked, text, flags=re.IGNORECASE)
