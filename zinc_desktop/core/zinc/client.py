"""Talks HTTP to one Zinc environment with one key: timeouts, size cap, retries, typed errors."""

from __future__ import annotations

import dataclasses
import email.utils
import json
import re
import ssl
import threading
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx
import truststore

from zinc_desktop import __version__
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.environments import Endpoint
from zinc_desktop.core.foundation.errors import (
    ConfigError,
    EnvironmentUnreachable,
    InvalidIdentifier,
    KeyRejected,
    NotOffered,
    OperationCancelled,
    RequestRefused,
    ServerFault,
    UnexpectedResponse,
)
from zinc_desktop.core.foundation.log_redaction import scrub_server_text
from zinc_desktop.core.zinc import api as zinc_api
from zinc_desktop.core.zinc.api import AuthForm, Candidate, CheckReport, Package
from zinc_desktop.core.zinc.deadline import BoundedTransport, CallLimits, limit_call
from zinc_desktop.core.zinc.decoding import (
    ACCEPT_ENCODING,
    BodyTooLarge,
    BodyUndecodable,
    BoundedDecoder,
)
from zinc_desktop.core.zinc.settings import ClientSettings, Exchange, ExchangeListener

REDACTED = "[redacted]"
# The longest Retry-After we believe; anything longer reads as this (and is not waited for).
RETRY_AFTER_CAP = 86_400.0
EXCERPT_LIMIT = 65_536
_DIGITS = re.compile(r"[0-9]{1,64}")


def warm_up() -> None:
    """Pay httpx's lazy imports now (about 70 ms holding the GIL), not during the first call.

    The window calls this on a worker thread at start-up, while nobody is waiting on anything.
    """
    httpx.Client(verify=_ssl_context()).close()
    # The first connection encodes its host name with the IDNA codec: a lazy import too.
    "zinc.example".encode("idna")


def _ssl_context() -> ssl.SSLContext:
    # The OS trust store, so a corporate TLS-inspecting proxy's root is honoured.
    return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait per a Retry-After header, in [0, RETRY_AFTER_CAP]; None: no usable hint.

    Strict, as RFC 9110 has it: ASCII digits (delay-seconds) or an HTTP date. Anything else
    ("²", "1.5", "soon") is no hint at all.
    """
    if value is None:
        return None
    value = value.strip()
    if _DIGITS.fullmatch(value):
        digits = value.lstrip("0") or "0"
        return RETRY_AFTER_CAP if len(digits) > 6 else min(float(digits), RETRY_AFTER_CAP)
    if not value.isascii() or not 20 <= len(value) <= 40:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, OverflowError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)  # HTTP dates are GMT
    seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return min(max(0.0, seconds), RETRY_AFTER_CAP)


def _proxy_for(endpoint: Endpoint) -> str | None:
    """The proxy the usual variables choose for this endpoint's host (never for loopback).

    A client only ever talks to its one base URL, so one decision per client suffices.
    """
    if endpoint.is_loopback:
        return None
    parts = urlsplit(endpoint.base_url)
    proxies = urllib.request.getproxies()
    proxy = proxies.get(parts.scheme) or proxies.get("all")
    if not proxy or _no_proxy_matches(parts.hostname or "", proxies.get("no", "")):
        return None
    return proxy if "://" in proxy else f"http://{proxy}"


def _no_proxy_matches(host: str, no_proxy: str) -> bool:
    """NO_PROXY as curl reads it: `*`, or host names matching themselves and their subdomains."""
    host = host.lower().rstrip(".")
    for entry in no_proxy.replace(" ", ",").split(","):
        name = entry.strip().lower().lstrip(".").rstrip(".")
        if name.startswith("[") and "]" in name:
            name = name[1 : name.index("]")]
        elif name.count(":") == 1:
            name = name.split(":")[0]  # host:port; the port is not considered
        if name == "*" or (name and (host == name or host.endswith("." + name))):
            return True
    return False


def _transport(endpoint: Endpoint) -> BoundedTransport:
    proxy = _proxy_for(endpoint)
    try:
        return BoundedTransport(verify=_ssl_context(), proxy=proxy)
    except (ValueError, ImportError, httpx.InvalidURL) as error:
        # The proxy URL may hold a password, and httpx's messages quote parts of it: name the
        # variables and the kind of problem, never the value.
        raise ConfigError(
            "The proxy set in HTTPS_PROXY, HTTP_PROXY or ALL_PROXY cannot be used "
            f"({type(error).__name__}): give it as http://host:port (socks5:// needs the "
            "socksio package)."
        ) from None


def new_http_client(endpoint: Endpoint, settings: ClientSettings | None = None) -> httpx.Client:
    """An httpx client for one environment: never follows redirects, every call bounded."""
    limits = settings or ClientSettings()
    return httpx.Client(
        # Proxy variables are honoured (except for the loopback simulator) by the transport,
        # whose network backend also holds every call to its total time.
        transport=_transport(endpoint),
        trust_env=False,
        follow_redirects=False,
        timeout=httpx.Timeout(limits.read_timeout, connect=limits.connect_timeout),
        headers={
            "Accept": "application/json",
            "User-Agent": f"zinc-desktop/{__version__}",
        },
    )


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
        http: httpx.Client | None = None,
    ) -> None:
        """`http`: a pooled client (see client_pool) to reuse; it is not closed with this one."""
        self.endpoint = endpoint
        self.auth_form = auth_form
        self._key = key
        self._settings = settings or ClientSettings()
        self._on_exchange = on_exchange
        self._cancel = cancel or threading.Event()
        self._owns_http = http is None
        self._http = http if http is not None else new_http_client(endpoint, self._settings)

    def __enter__(self) -> ZincClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __repr__(self) -> str:
        return f"ZincClient({self.endpoint.environment.value}, key={self._key!r})"

    # --- the calls ---------------------------------------------------------------------------

    def list_packages(self) -> list[Package]:
        """GET /packages: the read-only call that also proves a key."""
        packages = zinc_api.parse_packages(self._call("GET", zinc_api.PACKAGES_PATH))
        return [
            Package(
                self._own_id(p.id, "package id"), self._untrusted(p.name), self._untrusted(p.type)
            )
            for p in packages
        ]

    def start_check(
        self, package_id: str, candidate: Candidate, webhook_url: str | None = None
    ) -> str:
        """POST /checks; returns the new check's id. Never retried: it may bill.
        `webhook_url`: where Zinc is to send the check's updates."""
        zinc_api.validate_id(package_id, "package id")
        body = zinc_api.check_request_body(package_id, candidate, webhook_url)
        check_id = zinc_api.parse_check_id(self._call("POST", zinc_api.CHECKS_PATH, body))
        return self._own_id(check_id, "check id")

    def check_report(self, check_id: str) -> CheckReport:
        """GET /results/{id}; InvalidIdentifier (sending nothing) when it cannot be a check id."""
        path = zinc_api.results_path(check_id)
        if self._key.found_in(check_id):
            raise InvalidIdentifier(
                f"That check id is this account's key ({self._key}), pasted into the wrong "
                "field; it was not sent."
            )
        payload = self._call(
            "GET",
            path,
            missing=f"{self.endpoint.environment.display_name} knows no check {check_id!r} "
            "in this account (404).",
        )
        report = zinc_api.parse_report(check_id, payload)
        untrusted = self._untrusted
        # A new object only where scrubbing changed something: a large answer (tens of
        # thousands of updates) would otherwise be copied whole on every poll.
        updates = tuple(
            u if (at := untrusted(u.at, limit=40)) == u.at else dataclasses.replace(u, at=at)
            for u in report.updates
        )
        results = tuple(self._scrubbed_result(r) for r in report.results)
        link = report.report_url
        if link is not None and self._untrusted(link, limit=2000) != link:
            link = None  # a link with a key (or control characters) in it is not offered
        return dataclasses.replace(
            report,
            check_id=self._own_id(report.check_id, "check id"),
            updates=updates,
            results=results,
            report_url=link,
        )

    def list_checks(self) -> list[zinc_api.ListedCheck]:
        """GET /checks (a guess): the account's checks as Zinc lists them; NotOffered when this
        Zinc has no such list (404 or 405)."""
        payload = self._call("GET", zinc_api.LIST_CHECKS_PATH, optional="a list of checks")
        return [
            dataclasses.replace(
                c, id=self._own_id(c.id, "check id"),
                created_at=self._untrusted(c.created_at, limit=40),
                package_id=self._untrusted(c.package_id, limit=80),
            )
            for c in zinc_api.parse_check_list(payload)
        ]  # fmt: skip

    def cancel_check(self, check_id: str) -> None:
        """DELETE /checks/{id} (a guess); NotOffered when this Zinc has no such call, or does
        not know the check there (404 or 405)."""
        zinc_api.validate_id(check_id, "check id")
        self._call("DELETE", zinc_api.cancel_path(check_id), optional="cancelling a check")

    def _scrubbed_result(self, result: zinc_api.CheckResult) -> zinc_api.CheckResult:
        name, outcome = self._untrusted(result.name), self._untrusted(result.outcome)
        if (name, outcome) == (result.name, result.outcome):
            return result
        return dataclasses.replace(result, name=name, outcome=outcome)

    # --- mechanics ---------------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        missing: str | None = None,
        optional: str | None = None,
    ) -> Any:
        """Send with the auth fallback; `missing` is the message for a 404; `optional` names
        what a call whose path is a guess asks for (a 404 or 405 is then NotOffered).

        Everything (connecting, TLS, both header forms, 429 waits, reading) shares one budget:
        the call ends within `total_timeout` whatever the server does.
        """
        with limit_call(self._settings.total_timeout, self._cancel) as limits:
            response = self._send_with_retries(method, path, body, self.auth_form, limits)
            if response.status == 401:
                # Zinc does not publish the header form: try the other one, once.
                retry = self._send_with_retries(method, path, body, self.auth_form.other, limits)
                if retry.status != 401:
                    self.auth_form = self.auth_form.other
                    response = retry
            if optional is not None and response.status in (404, 405):
                raise NotOffered(
                    f"{self.endpoint.environment.display_name} does not offer {optional} at "
                    f"{method} {path} ({response.status}): Zinc has not published this call, "
                    "and this is our guess of it."
                )
            return self._interpret(response, path, missing)

    def _send_with_retries(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None,
        form: AuthForm,
        limits: CallLimits,
    ) -> _Response:
        retries_left = self._settings.max_rate_limit_retries if method == "GET" else 0
        while True:
            response = self._send(method, path, body, form, limits)
            if response.status != 429 or retries_left == 0:
                return response
            wait = parse_retry_after(response.headers.get("Retry-After"))
            if wait is None:
                wait = 1.0
            # A wait we would not survive is not waited: the 429 is the answer.
            if wait > self._settings.max_retry_wait or wait >= limits.remaining():
                return response
            retries_left -= 1
            if self._cancel.wait(wait):
                raise OperationCancelled("Cancelled.")

    def _send(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None,
        form: AuthForm,
        limits: CallLimits,
    ) -> _Response:
        if self._cancel.is_set():
            raise OperationCancelled("Cancelled.")
        url = self.endpoint.base_url + path
        started_at = datetime.now(UTC)
        started = time.monotonic()
        headers = {
            "Authorization": form.header_value(self._key),
            "Accept-Encoding": ACCEPT_ENCODING,  # only what body_decoding reads within bounds
        }
        response: _Response | None = None
        error: str | None = None
        try:
            response = self._read(method, url, headers, body, limits)
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
                        # Ours, not the server's: only the key is masked, so that "Copy as
                        # curl" still sends the same ids.
                        request_body=self._without_key(json.dumps(body))
                        if body is not None
                        else None,
                        response_body=self._excerpt(response.body) if response else None,
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
        limits: CallLimits,
    ) -> _Response:
        name = self.endpoint.environment.display_name
        host = urlsplit(url).netloc
        limit = self._settings.max_body_bytes
        try:
            with self._http.stream(method, url, headers=headers, json=body) as response:
                declared = response.headers.get("Content-Length", "").strip()
                if declared.isascii() and declared.isdigit() and int(declared) > limit:
                    raise UnexpectedResponse(self._too_large(declared))
                # Raw bytes, decoded here within the limit (httpx's own decoding is unbounded).
                decoder = BoundedDecoder(response.headers.get("Content-Encoding", ""), limit)
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_raw():
                    size += len(chunk)
                    if size > limit:
                        raise UnexpectedResponse(self._too_large(str(size)))
                    if limits.remaining() <= 0:
                        raise httpx.ReadTimeout("total deadline passed")
                    if self._cancel.is_set():
                        raise OperationCancelled("Cancelled.")
                    chunks.append(decoder.feed(chunk))
                chunks.append(decoder.finish())
                return _Response(response.status_code, response.headers, b"".join(chunks))
        except BodyTooLarge:
            raise UnexpectedResponse(
                f"{name} sent a compressed body that unpacks to more than "
                f"{limit / 1_048_576:g} MB; it was dropped."
            ) from None
        except BodyUndecodable as problem:
            raise UnexpectedResponse(
                f"{name} sent a body that could not be decoded: {problem}."
            ) from None
        except httpx.TimeoutException:
            raise EnvironmentUnreachable(
                f"{name} ({host}) did not answer within {self._settings.total_timeout:g} s."
            ) from None
        except httpx.ConnectError as error:
            raise EnvironmentUnreachable(self._connect_message(error, name, host)) from None
        except httpx.DecodingError:
            raise UnexpectedResponse(f"{name} sent a body that could not be decoded.") from None
        except httpx.HTTPError as error:
            reason = self._untrusted(str(error), limit=160) or type(error).__name__
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
        text = self._untrusted(str(error), limit=160)
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
            target = self._redirect_target(response.headers.get("Location", ""))
            raise UnexpectedResponse(
                f"{name} answered with a redirect ({status}) to {target}. Redirects are not "
                "followed, so the key was not sent there; check the environment's base URL."
            )
        payload = self._json(response, allow_empty=status >= 400)
        detail = self._untrusted(zinc_api.error_detail(payload), limit=200)
        if detail and detail[-1] not in ".!?…":
            detail += "."
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
            wait = parse_retry_after(response.headers.get("Retry-After"))
            asked = f" and asked us to wait {wait:.0f} s" if wait else ""
            raise ServerFault(
                f"{name} rate-limited the request (429 Too Many Requests){asked}; try again later."
            )
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
        name = self.endpoint.environment.display_name
        if not response.body.strip():
            if allow_empty:
                return None
            raise UnexpectedResponse(
                f"{name} answered {response.status} with an empty body where JSON was expected."
            )
        kind = self._untrusted(response.headers.get("Content-Type", "").split(";")[0], limit=60)
        try:
            return zinc_api.parse_json_body(response.body, source=name, content_type=kind)
        except UnexpectedResponse:
            if allow_empty:  # an error status says enough without its body
                return None
            raise

    def _redirect_target(self, location: str) -> str:
        """Only the host name a redirect points at: never its user info, path or query."""
        try:
            host = urlsplit(location.strip()).hostname
        except ValueError:
            host = None
        return self._untrusted(host, limit=80) if host else "another address"

    def _own_id(self, value: str, what: str) -> str:
        """An id the server sent, refused if it carries our key (it would be shown and stored)."""
        if self._key.found_in(value):
            raise UnexpectedResponse(
                f"{self.endpoint.environment.display_name} sent a {what} that contains the key "
                f"{self._key}; it was not used."
            )
        return value

    def _excerpt(self, body: bytes) -> str:
        """A response body for the Exchange record: scrubbed, capped, and safe to pretty-print."""
        if zinc_api.json_too_deep(body[:EXCERPT_LIMIT]):
            return f"(not shown: nested more than {zinc_api.MAX_JSON_DEPTH} levels deep)"
        text = self._untrusted(body[:EXCERPT_LIMIT].decode("utf-8", "replace"), EXCERPT_LIMIT)
        if len(body) > EXCERPT_LIMIT:
            text += f"\n… [cut at {EXCERPT_LIMIT // 1024} KB of {len(body):,} bytes]"
        return text

    def _without_key(self, text: str) -> str:
        return self._key.masked_in(text)

    def _untrusted(self, text: str, limit: int = 300) -> str:
        """The one way a server-supplied string (a header, a reason, a body, an error from a
        library quoting the server) reaches a message, an Exchange or a log line: our key and
        any other key-shaped run masked, control characters gone, length capped."""
        return scrub_server_text(text, self._key, limit=limit)
