"""Verification verdicts, including the wrong-environment case."""

from __future__ import annotations

import time

from tests.conftest import FAST, PRODUCTION_KEY, STAGING_KEY
from tests.support.hostile_server import HostileServer, Mode
from zinc_desktop.cli.exit_mapping import exit_code_for_outcome
from zinc_desktop.core.accounts.verification import Outcome, Verifier
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.environments import Endpoint, EndpointSource, Environment
from zinc_desktop.core.zinc.api import AuthForm
from zinc_desktop.sandbox import Fault, SandboxServer

STAGING = ApiKey.parse(STAGING_KEY)
PRODUCTION = ApiKey.parse(PRODUCTION_KEY)


def test_a_good_key_is_valid_with_its_package_count(verifier: Verifier) -> None:
    verdict = verifier.verify(Environment.STAGING, STAGING)
    assert verdict.outcome is Outcome.VALID
    assert verdict.packages_found == 3
    assert verdict.auth_form is AuthForm.RAW
    assert "3 packages found" in verdict.message
    assert exit_code_for_outcome(verdict.outcome) == 0


def test_a_production_key_in_staging_is_named_as_such(
    verifier: Verifier, sandbox: SandboxServer
) -> None:
    verdict = verifier.verify(Environment.STAGING, PRODUCTION)
    assert verdict.outcome is Outcome.WRONG_ENVIRONMENT
    assert verdict.belongs_to is Environment.PRODUCTION
    assert "is a Production key" in verdict.message
    assert exit_code_for_outcome(verdict.outcome) == 1
    # One read-only call to the other environment, nothing more.
    production_calls = [r for r in sandbox.requests if r.environment is Environment.PRODUCTION]
    assert [(r.method, r.path.rsplit("/", 1)[-1]) for r in production_calls] == [
        ("GET", "packages")
    ]


def test_a_staging_key_in_production_is_named_as_such(verifier: Verifier) -> None:
    verdict = verifier.verify(Environment.PRODUCTION, STAGING)
    assert verdict.belongs_to is Environment.STAGING
    assert "is a Staging key" in verdict.message


def test_an_unknown_key_is_rejected_by_both(verifier: Verifier) -> None:
    verdict = verifier.verify(Environment.STAGING, ApiKey.parse("ab" * 16))
    assert verdict.outcome is Outcome.REJECTED
    assert "Production does not accept it either" in verdict.message
    assert verdict.belongs_to is None


def test_rejected_while_the_other_environment_is_down_says_only_rejected(
    verifier: Verifier, sandbox: SandboxServer
) -> None:
    sandbox.revoke_key(Environment.STAGING, STAGING_KEY)
    sandbox.inject(Fault(status=401, times=2))  # staging: raw and bearer
    sandbox.inject(Fault(status=503, times=2))  # production: down
    verdict = verifier.verify(Environment.STAGING, STAGING)
    assert verdict.outcome is Outcome.REJECTED
    assert "either" not in verdict.message


def test_unreachable_and_server_fault_map_to_exit_3(
    verifier: Verifier, sandbox: SandboxServer
) -> None:
    sandbox.inject(Fault(status=503))
    fault = verifier.verify(Environment.STAGING, STAGING)
    assert fault.outcome is Outcome.SERVER_FAULT
    assert exit_code_for_outcome(fault.outcome) == 3
    sandbox.inject(Fault(delay=3))
    unreachable = verifier.verify(Environment.STAGING, STAGING)
    assert unreachable.outcome is Outcome.UNREACHABLE
    assert exit_code_for_outcome(unreachable.outcome) == 3


def test_a_revoked_key_is_rejected(verifier: Verifier, sandbox: SandboxServer) -> None:
    sandbox.revoke_key(Environment.STAGING, STAGING_KEY)
    assert verifier.verify(Environment.STAGING, STAGING).outcome is Outcome.REJECTED


def test_asking_the_other_environment_ends_within_two_totals() -> None:
    with HostileServer() as server:
        endpoints = {
            e: Endpoint(
                e,
                server.base_url(Mode.STAGING_REJECTS_PRODUCTION_HANGS, e),
                EndpointSource.OVERRIDE,
            )
            for e in Environment
        }
        started = time.monotonic()
        verdict = Verifier(endpoints, settings=FAST).verify(Environment.STAGING, STAGING)
        elapsed = time.monotonic() - started
    assert verdict.outcome is Outcome.REJECTED
    assert "either" not in verdict.message  # Production did not answer: we do not know
    assert elapsed < 2 * FAST.total_timeout + 1.0


def test_a_verdict_message_carries_no_key_shaped_text(
    verifier: Verifier, sandbox: SandboxServer
) -> None:
    said = f'{{"message": "no\\n{STAGING_KEY.upper()}"}}'.encode()
    sandbox.inject(Fault(status=401, body=said, times=4))  # both forms, both environments
    verdict = verifier.verify(Environment.STAGING, STAGING)
    assert verdict.outcome is Outcome.REJECTED
    assert STAGING_KEY not in verdict.message.lower()
    assert f"no {STAGING.masked}" in verdict.message
