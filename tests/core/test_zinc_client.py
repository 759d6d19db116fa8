"""The client against a live simulator: every error branch, and where the key may travel."""

from __future__ import annotations

import json
import time
import tracemalloc
from pathlib import Path

import pytest

from tests.conftest import FAST, PRODUCTION_KEY, STAGING_KEY
from tests.support.raw_servers import listening_socket, recording_proxy, self_signed_tls_server
from zinc_desktop.core.api_key import ApiKey
from zinc_desktop.core.environments import (
    Endpoint,
    Endpoints,
    EndpointSource,
    Environment,
    sandbox_endpoints,
)
from zinc_desktop.core.errors import (
    EnvironmentUnreachable,
    KeyRejected,
    RequestRefused,
    ServerFault,
    UnexpectedResponse,
    ZincApiError,
)
from zinc_desktop.core.zinc_api import AuthForm, Candidate, CheckStatus
from zinc_desktop.core.zinc_client import ClientSettings, Exchange, ZincClient
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


def test_attention_needed_branch_and_review_result() -> None:
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
    assert ("Criminal record (Basic DBS)", "needs review") in [
        (r.name, r.outcome) for r in report.results
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
