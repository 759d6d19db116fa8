"""The client against a live simulator: every error branch, and where the key may travel."""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import FAST, PRODUCTION_KEY, STAGING_KEY
from tests.support.hostile_server import HostileServer, Mode, zeros_gzipped
from tests.support.raw_servers import listening_socket, recording_proxy, self_signed_tls_server
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.environments import (
    Endpoint,
    Endpoints,
    EndpointSource,
    Environment,
    sandbox_endpoints,
)
from zinc_desktop.core.foundation.errors import (
    ConfigError,
    EnvironmentUnreachable,
    InvalidIdentifier,
    KeyRejected,
    OperationCancelled,
    RequestRefused,
    ServerFault,
    UnexpectedResponse,
    ZincApiError,
)
from zinc_desktop.core.zinc.api import AuthForm, Candidate, CheckStatus
from zinc_desktop.core.zinc.client import ZincClient, _proxy_for
from zinc_desktop.core.zinc.deadline import (
    BoundedBackend,
    BoundedTransport,
    install_bounded_backend,
)
from zinc_desktop.core.zinc.settings import ClientSettings, Exchange
from zinc_desktop.sandbox import Fault, SandboxServer

STAGING = ApiKey.parse(STAGING_KEY)


def client(endpoints: Endpoints, key: ApiKey = STAGING, **kwargs: object) -> ZincClient:
    return ZincClient(endpoints[Environment.STAGING], key, settings=FAST, **kwargs)  # type: ignore[arg-type]


def failure(endpoints: Endpoints, error: type[ZincApiError], key: ApiKey = STAGING) -> str:
    """Run list_packages expecting `error`; return its message, checked to hold no key."""
    with client(endpoints, key) as zinc, pytest.raises(error) as caught:
        zinc.list_packages()
    message = str(caught.value)
    assert key.reveal() not in message.lower()
    return message


def test_lists_packages(endpoints: Endpoints) -> None:
    with client(endpoints) as zinc:
        packages = zinc.list_packages()
    assert packages[0].name == "Basic DBS + Right to Work"
    assert {p.id for p in packages} == {"pkg_stg_basic", "pkg_stg_care", "pkg_stg_fca"}


@pytest.mark.parametrize(
    "body",
    [
        [{"id": "p1", "name": "Basic", "type": "standard"}],
        {"data": [{"id": "p1", "name": "Basic", "type": "standard"}]},
        {"items": [{"id": "p1", "name": "Basic", "type": "standard", "extra": {"x": 1}}]},
        {"packages": [{"package_id": 7, "title": "Basic", "type": "standard"}]},
        {"results": [{"id": "p1", "name": "Basic", "type": "standard"}], "next": None},
        {"data": {"items": [{"id": "p1", "name": "Basic", "type": "standard"}]}},
    ],
)
def test_reads_any_reasonable_list_shape(
    sandbox: SandboxServer, endpoints: Endpoints, body: object
) -> None:
    sandbox.inject(Fault(status=200, body=json.dumps(body).encode()))
    with client(endpoints) as zinc:
        (package,) = zinc.list_packages()
    assert package.name == "Basic"
    assert package.id in ("p1", "7")


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (b"<html>Gateway</html>", "text/html", "not JSON (text/html"),
        (b"{not json", "application/json", "not JSON"),
        (b"", "application/json", "empty body"),
        (b'{"message": "hello"}', "application/json", "does not contain a list of packages"),
        (b'[{"name": "no id"}]', "application/json", "without an id"),
        (b"[1, 2]", "application/json", "not a package"),
    ],
)
def test_garbage_is_an_unexpected_response_not_a_crash(
    sandbox: SandboxServer,
    endpoints: Endpoints,
    body: bytes,
    content_type: str,
    expected: str,
) -> None:
    sandbox.inject(Fault(status=200, body=body, content_type=content_type))
    assert expected in failure(endpoints, UnexpectedResponse)


def test_unknown_key_is_rejected(endpoints: Endpoints) -> None:
    message = failure(endpoints, KeyRejected, ApiKey.parse("0" * 32))
    assert "401" in message


def test_403_explains_partner_access(sandbox: SandboxServer, endpoints: Endpoints) -> None:
    sandbox.inject(Fault(status=403, times=2))
    assert "Partner API access" in failure(endpoints, KeyRejected)


def test_falls_back_to_bearer_once_and_remembers_it(
    sandbox: SandboxServer, endpoints: Endpoints
) -> None:
    sandbox.accept_forms("bearer")
    with client(endpoints) as zinc:
        zinc.list_packages()
        assert zinc.auth_form is AuthForm.BEARER
        zinc.list_packages()
    assert [r.auth_form for r in sandbox.requests] == ["raw", "bearer", "bearer"]


def test_a_remembered_form_is_used_first(sandbox: SandboxServer, endpoints: Endpoints) -> None:
    with client(endpoints, auth_form=AuthForm.BEARER) as zinc:
        zinc.list_packages()
    assert [r.auth_form for r in sandbox.requests] == ["bearer"]


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_server_faults(
    sandbox: SandboxServer, endpoints: Endpoints, status: int
) -> None:
    sandbox.inject(Fault(status=status, body=b"<h1>down</h1>", content_type="text/html"))
    assert f"({status})" in failure(endpoints, ServerFault)


def test_404_points_at_the_base_url(sandbox: SandboxServer, endpoints: Endpoints) -> None:
    sandbox.inject(Fault(status=404))
    assert "Check the base URL" in failure(endpoints, UnexpectedResponse)


def test_429_with_retry_after_is_retried_then_succeeds(
    sandbox: SandboxServer, endpoints: Endpoints
) -> None:
    sandbox.inject(Fault(status=429, retry_after="0", times=2))
    with client(endpoints) as zinc:
        assert len(zinc.list_packages()) == 3
    assert len(sandbox.requests) == 3


def test_429_retries_are_bounded(sandbox: SandboxServer, endpoints: Endpoints) -> None:
    sandbox.inject(Fault(status=429, retry_after="0", times=None))
    assert "429" in failure(endpoints, ServerFault)
    assert len(sandbox.requests) == 1 + FAST.max_rate_limit_retries


def test_429_asking_for_a_long_wait_is_not_waited_for(
    sandbox: SandboxServer, endpoints: Endpoints
) -> None:
    sandbox.inject(Fault(status=429, retry_after="3600"))
    started = time.monotonic()
    failure(endpoints, ServerFault)
    assert time.monotonic() - started < 1.0
    assert len(sandbox.requests) == 1


def test_a_post_is_never_retried_on_429(sandbox: SandboxServer, endpoints: Endpoints) -> None:
    sandbox.inject(Fault(status=429, retry_after="0"))
    with client(endpoints) as zinc, pytest.raises(ServerFault):
        zinc.start_check("pkg_stg_basic", Candidate("Ada", "Lovelace", "ada@example.com"))
    assert [r.method for r in sandbox.requests] == ["POST"]


def test_a_refused_body_carries_zincs_reason(endpoints: Endpoints) -> None:
    with client(endpoints) as zinc, pytest.raises(RequestRefused, match="Unknown package_id"):
        zinc.start_check("pkg_nope", Candidate("Ada", "Lovelace", "ada@example.com"))


def test_a_redirect_is_not_followed_and_the_key_goes_nowhere(
    sandbox: SandboxServer, endpoints: Endpoints
) -> None:
    with SandboxServer(host="127.0.0.2") as elsewhere:
        target = elsewhere.base_url(Environment.STAGING) + "/packages"
        sandbox.inject(Fault(status=302, location=target))
        message = failure(endpoints, UnexpectedResponse)
        assert "redirect" in message
        assert "127.0.0.2" in message
        assert elsewhere.requests == []


def test_a_hung_server_ends_in_an_error_within_the_timeout(
    sandbox: SandboxServer, endpoints: Endpoints
) -> None:
    sandbox.inject(Fault(delay=5.0))
    started = time.monotonic()
    assert "did not answer" in failure(endpoints, EnvironmentUnreachable)
    assert time.monotonic() - started < 3.0


def test_default_limits_end_a_hung_server_within_15_seconds() -> None:
    defaults = ClientSettings()
    assert defaults.connect_timeout <= 15
    assert defaults.read_timeout <= 15
    assert defaults.total_timeout <= 15


def test_a_refused_connection_is_unreachable() -> None:
    with listening_socket() as taken:
        port = taken.getsockname()[1]
    endpoint = Endpoint(Environment.STAGING, f"http://127.0.0.1:{port}/v2", EndpointSource.OVERRIDE)
    with (
        ZincClient(endpoint, STAGING, settings=FAST) as zinc,
        pytest.raises(EnvironmentUnreachable) as caught,
    ):
        zinc.list_packages()
    assert "refused" in str(caught.value)


def test_an_unknown_host_is_unreachable() -> None:
    endpoint = Endpoint(
        Environment.STAGING, "https://no-such-host.invalid/v2", EndpointSource.OVERRIDE
    )
    with (
        ZincClient(endpoint, STAGING, settings=FAST) as zinc,
        pytest.raises(EnvironmentUnreachable),
    ):
        zinc.list_packages()


def test_an_untrusted_certificate_is_refused(tmp_path: Path) -> None:
    with self_signed_tls_server(tmp_path) as port:
        endpoint = Endpoint(
            Environment.STAGING, f"https://127.0.0.1:{port}/v2", EndpointSource.OVERRIDE
        )
        with (
            ZincClient(endpoint, STAGING, settings=FAST) as zinc,
            pytest.raises(EnvironmentUnreachable) as caught,
        ):
            zinc.list_packages()
    assert "certificate" in str(caught.value)


def test_proxy_variables_are_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    with recording_proxy() as (port, seen):
        monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{port}")
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        endpoint = Endpoint(
            Environment.STAGING, "https://api.zinc.test/partner/v2", EndpointSource.OVERRIDE
        )
        with (
            ZincClient(endpoint, STAGING, settings=FAST) as zinc,
            pytest.raises(EnvironmentUnreachable),
        ):
            zinc.list_packages()
    assert seen, "the request did not go through the proxy"
    assert seen[0].startswith(b"CONNECT api.zinc.test:443")
    assert STAGING_KEY.encode() not in b"".join(seen)


@pytest.mark.parametrize("declare_length", [True, False])
def test_a_50_mb_body_is_an_error_not_a_memory_spike(
    sandbox: SandboxServer, endpoints: Endpoints, declare_length: bool
) -> None:
    sandbox.inject(Fault(huge_body_bytes=50_000_000, declare_length=declare_length))
    tracemalloc.start()
    try:
        assert "more than 8 MB" in failure(endpoints, UnexpectedResponse)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000


def test_exchanges_are_recorded_without_the_key(endpoints: Endpoints) -> None:
    exchanges: list[Exchange] = []
    with client(endpoints, on_exchange=exchanges.append) as zinc:
        zinc.list_packages()
        check_id = zinc.start_check(
            "pkg_stg_basic", Candidate("Ada", "Lovelace", "ada@example.com")
        )
    assert [(e.method, e.status) for e in exchanges] == [("GET", 200), ("POST", 201)]
    assert exchanges[0].headers == {"Authorization": "[redacted]"}
    assert check_id in (exchanges[1].response_body or "")
    assert STAGING_KEY not in repr(exchanges)


def test_a_server_echoing_the_key_is_scrubbed(sandbox: SandboxServer, endpoints: Endpoints) -> None:
    sandbox.inject(
        Fault(status=400, body=json.dumps({"message": f"bad key {STAGING_KEY}"}).encode())
    )
    exchanges: list[Exchange] = []
    with (
        client(endpoints, on_exchange=exchanges.append) as zinc,
        pytest.raises(RequestRefused) as caught,
    ):
        zinc.list_packages()
    assert STAGING_KEY not in str(caught.value)
    assert STAGING_KEY not in (exchanges[0].response_body or "")


def test_check_journey_on_the_demo_clock() -> None:
    now = [1_800_000_000.0]
    with SandboxServer(demo_seconds=60, clock=lambda: now[0]) as server:
        endpoints = sandbox_endpoints(server.base_urls())
        seen = []
        with client(endpoints) as zinc:
            check_id = zinc.start_check("pkg_stg_basic", Candidate("Ada", "Lovelace", "a@x.co"))
            for _ in range(7):
                seen.append(zinc.check_report(check_id).status)
                now[0] += 10
            report = zinc.check_report(check_id)
    assert seen == [
        CheckStatus.REQUESTED,
        CheckStatus.AWAITING_CANDIDATE,
        CheckStatus.IN_PROGRESS,
        CheckStatus.IN_PROGRESS,
        CheckStatus.IN_PROGRESS,
        CheckStatus.IN_PROGRESS,
        CheckStatus.COMPLETE,
    ]
    assert [u.status for u in report.updates] == [
        CheckStatus.REQUESTED,
        CheckStatus.AWAITING_CANDIDATE,
        CheckStatus.IN_PROGRESS,
        CheckStatus.COMPLETE,
    ]
    assert {r.outcome for r in report.results} == {"clear"}


def test_attention_in_the_email_is_the_attention_outcome_then_cleared() -> None:
    now = [1_800_000_000.0]
    with SandboxServer(demo_seconds=60, clock=lambda: now[0]) as server:
        endpoints = sandbox_endpoints(server.base_urls())
        with client(endpoints) as zinc:
            check_id = zinc.start_check(
                "pkg_stg_basic", Candidate("Ada", "Lovelace", "ada+attention@example.com")
            )
            now[0] += 40
            assert zinc.check_report(check_id).status is CheckStatus.ATTENTION_NEEDED
            now[0] += 30
            report = zinc.check_report(check_id)
    assert report.status is CheckStatus.COMPLETE
    assert CheckStatus.ATTENTION_NEEDED in [u.status for u in report.updates]
    assert [(r.name, r.outcome) for r in report.results] == [
        ("Identity", "clear"),
        ("Right to work", "clear"),
        ("Criminal record (Basic DBS)", "clear"),
    ]


def test_a_restarted_sandbox_still_knows_a_check_by_its_id() -> None:
    now = [1_800_000_000.0]
    with SandboxServer(demo_seconds=60, clock=lambda: now[0]) as first:
        with client(sandbox_endpoints(first.base_urls())) as zinc:
            check_id = zinc.start_check("pkg_stg_basic", Candidate("Ada", "Lovelace", "a@x.co"))
    now[0] += 61
    with SandboxServer(demo_seconds=60, clock=lambda: now[0]) as second:
        with client(sandbox_endpoints(second.base_urls())) as zinc:
            assert zinc.check_report(check_id).status is CheckStatus.COMPLETE


def test_tenants_are_isolated(endpoints: Endpoints) -> None:
    production_key = ApiKey.parse(PRODUCTION_KEY)
    with client(endpoints, production_key) as zinc, pytest.raises(KeyRejected):
        zinc.list_packages()
    with ZincClient(endpoints[Environment.PRODUCTION], STAGING, settings=FAST) as zinc:
        with pytest.raises(KeyRejected):
            zinc.list_packages()
    with client(endpoints) as zinc:
        check_id = zinc.start_check(
            "pkg_stg_basic", Candidate("Ada", "Lovelace", "ada@example.com")
        )
    with ZincClient(endpoints[Environment.PRODUCTION], production_key, settings=FAST) as zinc:
        with pytest.raises(RequestRefused, match="knows no check"):
            zinc.check_report(check_id)


# --- hardening: server-supplied text, time budgets, hostile bodies, ids -------------------------

OTHER_KEY = "0123456789abcdef0123456789ABCDEF"
HEX_RUN = re.compile(r"[0-9a-fA-F]{32}")


def assert_harmless(text: str, key: str = STAGING_KEY) -> None:
    """No key of ours in any case, no key-shaped run at all, one line, no control characters."""
    assert key.lower() not in text.lower()
    assert not HEX_RUN.search(text), text
    assert text.isprintable(), repr(text)


@pytest.fixture
def hostile() -> Iterator[HostileServer]:
    with HostileServer() as server:
        yield server


def hostile_client(server: HostileServer, mode: Mode, **kwargs: object) -> ZincClient:
    endpoint = Endpoint(
        Environment.STAGING, server.base_url(mode, Environment.STAGING), EndpointSource.OVERRIDE
    )
    kwargs.setdefault("settings", FAST)
    return ZincClient(endpoint, STAGING, **kwargs)  # type: ignore[arg-type]


def test_a_content_type_carrying_the_key_is_masked(
    sandbox: SandboxServer, endpoints: Endpoints
) -> None:
    sandbox.inject(
        Fault(status=200, body=b"<html/>", content_type=f"text/html-{STAGING_KEY.upper()}")
    )
    message = failure(endpoints, UnexpectedResponse)
    assert_harmless(message)
    assert f"text/html-{STAGING.masked}" in message


@pytest.mark.parametrize(
    "location",
    [
        f"http://u:{STAGING_KEY}@gw.example/partner/v2",
        f"https://{STAGING_KEY}@gw.example/",
        f"https://{OTHER_KEY}.gw.example/x?key={STAGING_KEY}",
    ],
)
def test_a_redirect_names_only_the_target_host(
    sandbox: SandboxServer, endpoints: Endpoints, location: str
) -> None:
    sandbox.inject(Fault(status=302, location=location))
    message = failure(endpoints, UnexpectedResponse)
    assert_harmless(message)
    assert "gw.example" in message
    assert "u:" not in message
    assert "partner" not in message


def test_zincs_own_words_are_one_short_line_without_any_key(
    sandbox: SandboxServer, endpoints: Endpoints
) -> None:
    said = f"bad\nkey {STAGING_KEY.upper()} or {OTHER_KEY}\x1b[31m\u202e" + "x" * 5000
    sandbox.inject(Fault(status=400, body=json.dumps({"message": said}).encode()))
    message = failure(endpoints, RequestRefused)
    assert_harmless(message)
    assert f"bad key {STAGING.masked} or ••••cdef" in message
    assert len(message) < 400


def test_errors_the_library_raises_quoting_the_server_are_scrubbed(
    hostile: HostileServer,
) -> None:
    with (
        hostile_client(hostile, Mode.KEY_IN_BAD_HEADER) as zinc,
        pytest.raises(EnvironmentUnreachable) as caught,
    ):
        zinc.list_packages()
    assert_harmless(str(caught.value))
    assert STAGING.masked in str(caught.value)


def test_the_reason_phrase_never_reaches_a_message(hostile: HostileServer) -> None:
    exchanges: list[Exchange] = []
    with (
        hostile_client(hostile, Mode.KEY_IN_REASON, on_exchange=exchanges.append) as zinc,
        pytest.raises(KeyRejected) as caught,
    ):
        zinc.list_packages()
    assert_harmless(str(caught.value))
    for exchange in exchanges:
        assert_harmless(repr(exchange))


def test_exchange_records_hold_no_key_shaped_text(
    sandbox: SandboxServer, endpoints: Endpoints
) -> None:
    body = json.dumps({"data": [], "echo": f"{STAGING_KEY}\n{OTHER_KEY}"}).encode()
    sandbox.inject(Fault(status=200, body=body, content_type=f"application/json; k={STAGING_KEY}"))
    exchanges: list[Exchange] = []
    with client(endpoints, on_exchange=exchanges.append) as zinc:
        assert zinc.list_packages() == []
    (exchange,) = exchanges
    assert_harmless(repr(exchange))
    assert "••••cdef" in (exchange.response_body or "")


def test_names_the_server_sends_are_scrubbed_and_ids_carrying_the_key_refused(
    sandbox: SandboxServer, endpoints: Endpoints
) -> None:
    named = [{"id": "p1", "name": f"Basic {STAGING_KEY}\r\n", "type": OTHER_KEY}]
    sandbox.inject(Fault(status=200, body=json.dumps(named).encode()))
    with client(endpoints) as zinc:
        (package,) = zinc.list_packages()
    assert package.name == f"Basic {STAGING.masked}"
    assert_harmless(package.type)
    sandbox.inject(Fault(status=200, body=json.dumps([{"id": STAGING_KEY}]).encode()))
    assert "contains the key" in failure(endpoints, UnexpectedResponse)


def disguise(key: str) -> str:
    """The key as a hostile server might hide it from a naive search: grouped by hyphens."""
    return "-".join(key[i : i + 4] for i in range(0, len(key), 4)).upper()


def test_a_disguised_key_is_masked_in_names_and_refused_in_ids(
    sandbox: SandboxServer, endpoints: Endpoints
) -> None:
    spaced = " ".join(STAGING_KEY[i : i + 8] for i in range(0, 32, 8))
    zero_width = "\u200b".join(STAGING_KEY)
    named = [{"id": "p1", "name": f"Basic {spaced}", "type": zero_width}]
    sandbox.inject(Fault(status=200, body=json.dumps(named).encode()))
    with client(endpoints) as zinc:
        (package,) = zinc.list_packages()
    assert package.name == f"Basic {STAGING.masked}"
    assert package.type == STAGING.masked
    sandbox.inject(Fault(status=200, body=json.dumps([{"id": disguise(STAGING_KEY)}]).encode()))
    assert "contains the key" in failure(endpoints, UnexpectedResponse)
    sandbox.inject(Fault(status=201, body=json.dumps({"id": disguise(STAGING_KEY)}).encode()))
    with client(endpoints) as zinc, pytest.raises(UnexpectedResponse, match="contains the key"):
        zinc.start_check("pkg_stg_basic", Candidate("Ada", "Lovelace", "ada@example.com"))


def test_the_key_is_never_sent_as_a_check_id(sandbox: SandboxServer, endpoints: Endpoints) -> None:
    for pasted in (STAGING_KEY, disguise(STAGING_KEY), f"x:{STAGING_KEY.upper()}"):
        with client(endpoints) as zinc, pytest.raises(InvalidIdentifier, match="not sent") as e:
            zinc.check_report(pasted)
        assert STAGING_KEY not in str(e.value).lower()
    assert sandbox.requests == []


def test_slow_headers_end_within_the_total(hostile: HostileServer) -> None:
    started = time.monotonic()
    with (
        hostile_client(hostile, Mode.SLOW_HEADERS) as zinc,
        pytest.raises(EnvironmentUnreachable, match="did not answer within 2 s"),
    ):
        zinc.list_packages()
    assert time.monotonic() - started < FAST.total_timeout + 1.0


def test_a_slow_body_ends_within_the_total(hostile: HostileServer) -> None:
    started = time.monotonic()
    with hostile_client(hostile, Mode.SLOW_BODY) as zinc, pytest.raises(EnvironmentUnreachable):
        zinc.list_packages()
    assert time.monotonic() - started < FAST.total_timeout + 1.0


def test_the_bearer_retry_shares_the_calls_budget(hostile: HostileServer) -> None:
    started = time.monotonic()
    with (
        hostile_client(hostile, Mode.RAW_401_SLOW_BEARER) as zinc,
        pytest.raises(EnvironmentUnreachable),
    ):
        zinc.list_packages()
    assert time.monotonic() - started < FAST.total_timeout + 1.0
    assert [r.auth_form for r in hostile.requests] == ["raw", "bearer"]


def test_429_waits_never_outlast_the_call(sandbox: SandboxServer, endpoints: Endpoints) -> None:
    settings = ClientSettings(total_timeout=1.5, max_retry_wait=10.0, max_rate_limit_retries=5)
    sandbox.inject(Fault(status=429, retry_after="1", times=None))
    started = time.monotonic()
    with (
        ZincClient(endpoints[Environment.STAGING], STAGING, settings=settings) as zinc,
        pytest.raises(ServerFault, match="rate-limited") as caught,
    ):
        zinc.list_packages()
    assert time.monotonic() - started < settings.total_timeout + 0.5
    assert len(sandbox.requests) == 2  # waited once (1 s of 1.5), not a second time
    assert "asked us to wait 1 s" in str(caught.value)


def test_a_retry_after_longer_than_the_time_left_is_not_waited(
    sandbox: SandboxServer, endpoints: Endpoints
) -> None:
    settings = ClientSettings(total_timeout=3.0, max_retry_wait=10.0)
    sandbox.inject(Fault(status=429, retry_after="10", times=None))
    started = time.monotonic()
    with (
        ZincClient(endpoints[Environment.STAGING], STAGING, settings=settings) as zinc,
        pytest.raises(ServerFault, match="rate-limited"),
    ):
        zinc.list_packages()
    assert time.monotonic() - started < 1.0
    assert len(sandbox.requests) == 1


@pytest.mark.parametrize("value", ["²", "1e3"])
def test_a_malformed_retry_after_is_no_hint_not_a_crash(
    sandbox: SandboxServer, endpoints: Endpoints, value: str
) -> None:
    sandbox.inject(Fault(status=429, retry_after=value, times=None))
    assert "rate-limited" in failure(endpoints, ServerFault)


def test_cancel_ends_a_hung_read_quickly(sandbox: SandboxServer, endpoints: Endpoints) -> None:
    sandbox.inject(Fault(delay=5.0))
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    started = time.monotonic()
    with (
        ZincClient(endpoints[Environment.STAGING], STAGING, cancel=cancel) as zinc,
        pytest.raises(OperationCancelled),
    ):
        zinc.list_packages()
    assert time.monotonic() - started < 1.0


def test_a_slow_name_lookup_ends_within_the_total(monkeypatch: pytest.MonkeyPatch) -> None:
    released = threading.Event()
    real_getaddrinfo = socket.getaddrinfo

    def slow_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "slow-dns.zinc.test":
            released.wait(30)
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", slow_getaddrinfo)
    monkeypatch.setenv("NO_PROXY", "*")
    endpoint = Endpoint(
        Environment.STAGING, "https://slow-dns.zinc.test/partner/v2", EndpointSource.OVERRIDE
    )
    started = time.monotonic()
    try:
        with (
            ZincClient(endpoint, STAGING, settings=FAST) as zinc,
            pytest.raises(EnvironmentUnreachable, match="did not answer within"),
        ):
            zinc.list_packages()
        assert time.monotonic() - started < FAST.total_timeout + 1.0
    finally:
        released.set()


def test_every_connection_runs_on_the_bounded_backend() -> None:
    transport = BoundedTransport(verify=True, proxy=None)
    assert isinstance(transport._pool._network_backend, BoundedBackend)
    proxied = BoundedTransport(verify=True, proxy="http://127.0.0.1:9")
    assert isinstance(proxied._pool._network_backend, BoundedBackend)


def test_a_library_that_moved_its_internals_fails_at_construction() -> None:
    class Moved:
        _pool = object()

    with pytest.raises(RuntimeError, match="cannot bound call times"):
        install_bounded_backend(Moved())


def test_deeply_nested_json_is_an_unexpected_response(
    sandbox: SandboxServer, endpoints: Endpoints
) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    sandbox.inject(Fault(status=200, body=deep))
    exchanges: list[Exchange] = []
    with (
        client(endpoints, on_exchange=exchanges.append) as zinc,
        pytest.raises(UnexpectedResponse, match="nested more than 64 levels"),
    ):
        zinc.list_packages()
    # The request inspector pretty-prints bodies: what it gets must be safe to parse.
    body = exchanges[0].response_body or ""
    with contextlib.suppress(ValueError):
        json.loads(body)


def test_a_deep_error_body_is_only_the_status(sandbox: SandboxServer, endpoints: Endpoints) -> None:
    deep = b'{"errors": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    sandbox.inject(Fault(status=400, body=deep))
    assert "refused the request (400)" in failure(endpoints, RequestRefused)


def test_a_check_id_cannot_leave_the_results_path(
    sandbox: SandboxServer, endpoints: Endpoints
) -> None:
    for check_id in ("../packages", "..", ".", "a/b", "a%2Fb", "a?b", "a#b", "a b", ""):
        with client(endpoints) as zinc, pytest.raises(InvalidIdentifier, match="check id"):
            zinc.check_report(check_id)
    assert sandbox.requests == []


def test_a_check_id_is_percent_encoded_into_one_segment(
    sandbox: SandboxServer, endpoints: Endpoints
) -> None:
    with client(endpoints) as zinc, pytest.raises(RequestRefused, match="knows no check"):
        zinc.check_report("odd:id.1")
    assert sandbox.requests[0].path.endswith("/results/odd%3Aid.1")


@pytest.mark.parametrize(
    "body",
    [
        [{"id": "../x", "name": "Evil"}],
        [{"id": "a/b", "name": "Evil"}],
        {"data": [{"id": "p" * 129}]},
    ],
)
def test_a_package_id_the_server_sends_must_be_an_id(
    sandbox: SandboxServer, endpoints: Endpoints, body: object
) -> None:
    sandbox.inject(Fault(status=200, body=json.dumps(body).encode()))
    assert "package id that cannot be used" in failure(endpoints, UnexpectedResponse)


def test_a_check_id_the_server_sends_must_be_an_id(
    sandbox: SandboxServer, endpoints: Endpoints
) -> None:
    sandbox.inject(Fault(status=201, body=b'{"id": "../../packages"}'))
    with client(endpoints) as zinc, pytest.raises(UnexpectedResponse, match="check id"):
        zinc.start_check("pkg_stg_basic", Candidate("Ada", "Lovelace", "ada@example.com"))


def test_a_package_id_we_send_must_be_an_id(sandbox: SandboxServer, endpoints: Endpoints) -> None:
    with client(endpoints) as zinc, pytest.raises(InvalidIdentifier, match="package id"):
        zinc.start_check("pkg/../x", Candidate("Ada", "Lovelace", "ada@example.com"))
    assert sandbox.requests == []


@pytest.mark.parametrize(
    ("no_proxy", "host", "bypassed"),
    [
        ("*", "api.zinc.test", True),
        ("zinc.test", "api.zinc.test", True),
        (".zinc.test", "api.zinc.test", True),
        ("other.test, api.zinc.test:443", "api.zinc.test", True),
        ("inc.test", "api.zinc.test", False),
        ("", "api.zinc.test", False),
    ],
)
def test_no_proxy_is_honoured(
    monkeypatch: pytest.MonkeyPatch, no_proxy: str, host: str, bypassed: bool
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:3128")
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.setenv("NO_PROXY", no_proxy)
    endpoint = Endpoint(Environment.STAGING, f"https://{host}/v2", EndpointSource.OVERRIDE)
    assert (_proxy_for(endpoint) is None) is bypassed


def test_an_unusable_proxy_is_a_config_error_that_hides_its_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "ftp://user:s3cret@proxy.example:21")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    endpoint = Endpoint(Environment.STAGING, "https://api.zinc.test/v2", EndpointSource.OVERRIDE)
    with pytest.raises(ConfigError, match="HTTPS_PROXY") as caught:
        ZincClient(endpoint, STAGING, settings=FAST)
    assert "s3cret" not in str(caught.value)


def test_our_own_request_body_is_recorded_as_sent(endpoints: Endpoints) -> None:
    exchanges: list[Exchange] = []
    email = "0123456789abcdef0123456789abcdef@example.com"  # key-shaped, but ours to send
    with client(endpoints, on_exchange=exchanges.append) as zinc:
        zinc.start_check("pkg_stg_basic", Candidate("Ada", "Lovelace", email))
    assert email in (exchanges[0].request_body or "")


def test_a_long_body_is_recorded_cut_with_a_marker(
    endpoints: Endpoints, sandbox: SandboxServer
) -> None:
    body = json.dumps({"data": [{"id": f"p{i}", "name": "x" * 100} for i in range(1000)]})
    sandbox.inject(Fault(status=200, body=body.encode()))
    seen: list[Exchange] = []
    with client(endpoints, on_exchange=seen.append) as zinc:
        zinc.list_packages()
    recorded = seen[-1].response_body or ""
    assert "[cut at 64 KB of" in recorded
    assert len(recorded) < 70_000


def test_compressed_answers_are_read_and_recorded_decoded(
    sandbox: SandboxServer, endpoints: Endpoints
) -> None:
    url = endpoints[Environment.STAGING].base_url + "/packages"
    raw = httpx.get(url, headers={"Authorization": STAGING_KEY, "Accept-Encoding": "gzip"})
    assert raw.headers["Content-Encoding"] == "gzip"  # the simulator compresses, as servers do
    exchanges: list[Exchange] = []
    with client(endpoints, on_exchange=exchanges.append) as zinc:
        packages = zinc.list_packages()
    assert [p.id for p in packages] == [p["id"] for p in raw.json()["data"]]
    assert json.loads(exchanges[0].response_body or "")["data"]


@pytest.mark.parametrize("mode", [Mode.GZIP_BOMB, Mode.GZIP_TWICE_BOMB])
def test_a_compressed_bomb_is_an_error_not_a_memory_spike(
    hostile: HostileServer, mode: Mode
) -> None:
    zeros_gzipped(256)  # the server's bomb, built before memory is traced
    tracemalloc.start()
    try:
        with (
            hostile_client(hostile, mode) as zinc,
            pytest.raises(UnexpectedResponse, match="unpacks to more than 8 MB"),
        ):
            zinc.list_packages()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 40_000_000  # 256 MB of zeros were on offer
    assert hostile.requests[-1].accept_encoding == "gzip, deflate"


def test_an_encoding_we_did_not_ask_for_is_refused(hostile: HostileServer) -> None:
    with (
        hostile_client(hostile, Mode.UNASKED_ENCODING) as zinc,
        pytest.raises(UnexpectedResponse, match="encoded as 'br', which we did not ask for"),
    ):
        zinc.list_packages()
