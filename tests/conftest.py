"""Fixtures shared by every test: a live simulator, private app folders, keyrings."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.memory_keyring import MemoryKeyring
from tests.support.secret_service import missing_tools, private_secret_service
from zinc_desktop.core.accounts.linking import LinkService
from zinc_desktop.core.accounts.secret_store import KeyringSecretStore, SecretStore
from zinc_desktop.core.accounts.store import AccountStore
from zinc_desktop.core.accounts.verification import Verifier
from zinc_desktop.core.foundation.app_paths import AppPaths
from zinc_desktop.core.foundation.environments import Endpoints, Environment, sandbox_endpoints
from zinc_desktop.core.zinc.settings import ClientSettings
from zinc_desktop.sandbox import DEMO_KEYS, SandboxServer


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests under tests/integration start other processes: marked, so `-m "not integration"`
    runs the in-process suite alone."""
    for item in items:
        if "integration" in item.path.parts:
            item.add_marker(pytest.mark.integration)


# Short limits keep failure tests fast; the defaults are tested on their own.
FAST = ClientSettings(connect_timeout=1.0, read_timeout=1.0, total_timeout=2.0, max_retry_wait=1.0)
STAGING_KEY = DEMO_KEYS[Environment.STAGING]
PRODUCTION_KEY = DEMO_KEYS[Environment.PRODUCTION]


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(demo_seconds=3.0) as server:
        yield server


@pytest.fixture
def endpoints(sandbox: SandboxServer) -> Endpoints:
    return sandbox_endpoints(sandbox.base_urls())


@pytest.fixture
def app_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppPaths:
    """Every platformdirs folder moved under tmp_path, as XDG_* variables move them."""
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(variable, str(tmp_path / variable.lower()))
    for variable in ("ZINC_API_KEY", "ZINC_STAGING_API_URL", "ZINC_PRODUCTION_API_URL"):
        monkeypatch.delenv(variable, raising=False)
    return AppPaths.for_profile()


@pytest.fixture
def environ(sandbox: SandboxServer, app_paths: AppPaths) -> dict[str, str]:
    """This process's environment with both base URLs pointing at the live simulator."""
    env = dict(os.environ)
    for environment in Environment:
        env[environment.override_variable] = sandbox.base_url(environment)
    return env


@pytest.fixture
def memory_keyring() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def verifier(endpoints: Endpoints) -> Verifier:
    return Verifier(endpoints, settings=FAST)


@pytest.fixture
def keyring_store(memory_keyring: MemoryKeyring) -> SecretStore:
    return KeyringSecretStore("zinc-desktop-test", backend=memory_keyring, deadline=2.0)


@pytest.fixture
def links(verifier: Verifier, app_paths: AppPaths, keyring_store: SecretStore) -> LinkService:
    return LinkService(verifier, AccountStore(app_paths.accounts_file), lambda: keyring_store)


@pytest.fixture(scope="session")
def secret_service_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A real Secret Service on a private bus. Skipped where it cannot run, except on CI."""
    missing = missing_tools()
    if missing or os.name != "posix":
        reason = f"no Secret Service here (missing: {', '.join(missing) or 'a POSIX system'})"
        if os.environ.get("CI"):
            pytest.fail(f"CI must exercise a real Secret Service: {reason}")
        pytest.skip(reason)
    with private_secret_service(tmp_path_factory.mktemp("secret-service")) as env:
        yield env


@pytest.fixture
def cli_env(
    secret_service_env: dict[str, str], sandbox: SandboxServer, tmp_path: Path
) -> dict[str, str]:
    env = {**os.environ, **secret_service_env}
    env.pop("PYTHON_KEYRING_BACKEND", None)
    env.pop("ZINC_API_KEY", None)
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[variable] = str(tmp_path / variable.lower())
    for environment in Environment:
        env[environment.override_variable] = sandbox.base_url(environment)
    return env


_SWITCH_INTERVALS: list[float] = []


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Outside tests/gui, the interpreter's switch interval a command has (5 ms), set before
    any fixture (a module's campaign of commands in threads too): the window's 1 ms
    (gui/common/application.py), in force once the GUI tests' session began, is not the
    CLI's, and such a campaign ran seconds slower under it."""
    if "gui" not in item.path.parts:
        _SWITCH_INTERVALS.append(sys.getswitchinterval())
        sys.setswitchinterval(0.005)


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item) -> None:
    if "gui" not in item.path.parts and _SWITCH_INTERVALS:
        sys.setswitchinterval(_SWITCH_INTERVALS.pop())
