"""Fixtures shared by every test: a live simulator, private app folders, keyrings.

Which real keyring the tests that need one use (printed once per run, in the header):
- Linux: a real Secret Service, gnome-keyring on a private D-Bus (`secret_service_env`). Where
  it cannot start the tests that need it skip, except on CI (CI=true), where they fail.
- macOS and Windows: no Secret Service; the tests that need one skip, saying so. A test that
  needs only "a real keyring shared between processes" (`cli_env`) uses the platform's own
  (macOS Keychain, Windows Credential Manager: keyring's default backend) when
  ZINC_TEST_NATIVE_KEYRING=1 opts in, under a keyring service of its own that it empties
  after; otherwise it skips.
- Everywhere, in-process tests use the in-memory keyring (`memory_keyring`, `keyring_store`).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from keyring.backend import KeyringBackend

from tests.support.memory_keyring import MemoryKeyring
from tests.support.platforms import LINUX, MACOS, PLATFORM, WINDOWS, app_folder_variables
from tests.support.secret_service import missing_tools, private_secret_service
from zinc_desktop.core.accounts.linking import LinkService
from zinc_desktop.core.accounts.secret_store import (
    KeyringSecretStore,
    SecretStore,
    with_its_secrets,
)
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
    """Every platformdirs folder moved under tmp_path, as XDG_* variables move them (and, on
    macOS and Windows, what else moves them there: platforms.app_folder_variables)."""
    for variable, value in app_folder_variables(tmp_path).items():
        monkeypatch.setenv(variable, value)
    for variable in ("ZINC_API_KEY", "ZINC_STAGING_API_URL", "ZINC_PRODUCTION_API_URL"):
        monkeypatch.delenv(variable, raising=False)
    paths = AppPaths.for_profile()
    elsewhere = [str(folder) for folder in paths.all() if not folder.is_relative_to(tmp_path)]
    if elsewhere:  # a test would write in the user's own folders
        import platformdirs

        pytest.fail(
            f"platformdirs {platformdirs.__version__} on {PLATFORM} keeps {elsewhere} outside "
            "tmp_path whatever the environment says"
        )
    return paths


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


NATIVE_KEYRING = "ZINC_TEST_NATIVE_KEYRING"


@dataclass(frozen=True)
class KeyringPlan:
    """Which real keyring this run's tests use: "secret-service", "native" or "memory"."""

    kind: str
    header: str
    reason: str = ""  # why there is none (memory): what a test that needs one skips with
    problem: str = ""  # asked for and not there: what such a test fails with


def _native_backend() -> KeyringBackend:
    """The platform's own keyring backend, as keyring's default chooses it there. Raises
    RuntimeError (keyring's "not viable") where it cannot be used."""
    kind: type[KeyringBackend]
    if MACOS:
        from keyring.backends import macOS

        kind = macOS.Keyring
    elif WINDOWS:
        from keyring.backends import Windows

        kind = Windows.WinVaultKeyring
    else:
        raise RuntimeError(f"no native keyring known on {PLATFORM}")
    kind.priority  # noqa: B018  # keyring's viability check: raises when not viable
    return kind()


@cache
def keyring_plan() -> KeyringPlan:
    if LINUX:
        missing = missing_tools()
        if not missing:
            header = "real Secret Service (gnome-keyring, private D-Bus)"
            return KeyringPlan("secret-service", header)
        tools = ", ".join(missing)
        header = f"in-memory (no real keyring on this runner: {tools} missing)"
        return KeyringPlan("memory", header, f"no Secret Service here (missing: {tools})")
    native = {"darwin": "macOS Keychain", "win32": "Windows Credential Manager"}.get(sys.platform)
    if native is None:
        reason = f"no real keyring known on {PLATFORM}"
        return KeyringPlan("memory", f"in-memory ({reason})", reason)
    if os.environ.get(NATIVE_KEYRING) != "1":
        reason = f"no real keyring on this runner; {NATIVE_KEYRING}=1 would use the {native}"
        return KeyringPlan("memory", f"in-memory ({reason})", reason)
    try:
        _native_backend()
    except (ImportError, RuntimeError) as error:
        problem = f"{NATIVE_KEYRING}=1 asks for the {native}, which keyring cannot use: {error}"
        return KeyringPlan("memory", f"in-memory ({problem})", problem, problem)
    return KeyringPlan("native", f"{native} (native, opt-in)")


def pytest_report_header(config: pytest.Config) -> str:
    return f"keyring: {keyring_plan().header}"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Under -q (or --no-header) there is no header: the keyring line is said here instead."""
    if terminalreporter.verbosity < 0 or terminalreporter.config.option.no_header:
        terminalreporter.write_line(pytest_report_header(terminalreporter.config))


@pytest.fixture(scope="session")
def secret_service_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A real Secret Service on a private bus. Skipped where it cannot run, except on a Linux
    CI; on macOS and Windows, which have keyrings of their own, always skipped."""
    if not LINUX:
        pytest.skip(
            f"the Secret Service (gnome-keyring on a private D-Bus) is Linux's keyring, and this "
            f"is {PLATFORM}"
        )
    missing = missing_tools()
    if missing:
        reason = f"no Secret Service here (missing: {', '.join(missing)})"
        if os.environ.get("CI"):
            pytest.fail(f"CI must exercise a real Secret Service: {reason}")
        pytest.skip(reason)
    with private_secret_service(tmp_path_factory.mktemp("secret-service")) as env:
        yield env


@pytest.fixture(scope="session")
def real_keyring_env(request: pytest.FixtureRequest) -> dict[str, str]:
    """What a process needs in its environment to reach this run's real keyring (keyring_plan):
    the private Secret Service's variables on Linux, nothing for a native keyring. Skipped
    where there is none: the in-memory keyring lives in this process alone."""
    plan = keyring_plan()
    if LINUX:
        env: dict[str, str] = request.getfixturevalue("secret_service_env")
        return env
    if plan.kind == "native":
        return {}
    if plan.problem:
        pytest.fail(plan.problem)
    pytest.skip(f"needs a real keyring shared between processes: {plan.reason}")


def _forget_native_items(root: Path) -> None:
    """Delete from the native keyring what the commands of a test wrote: the key and other
    secrets of every account any accounts.json under `root` lists, under that data folder's
    service (each test's own: AppPaths.keyring_service of a folder under its tmp_path)."""
    from keyring.errors import KeyringError

    backend = _native_backend()
    for accounts in root.rglob("accounts.json"):
        data = accounts.parent
        service = AppPaths(data, data, data, data).keyring_service
        try:
            ids = [row["id"] for row in json.loads(accounts.read_text("utf-8"))["accounts"]]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        for account_id in ids:
            for item in with_its_secrets(account_id):
                with contextlib.suppress(KeyringError):
                    backend.delete_password(service, item)


@pytest.fixture
def cli_env(
    real_keyring_env: dict[str, str], sandbox: SandboxServer, tmp_path: Path
) -> Iterator[dict[str, str]]:
    """An environment for whole CLI processes: the app's folders under tmp_path, both
    environments on the simulator, keyring's default backend reaching this run's real keyring.

    With the native keyring HOME stays the user's (the macOS Keychain is found through it), so
    there the log goes to the runner's own ~/Library/Logs/zinc-desktop."""
    native = keyring_plan().kind == "native"
    env = {**os.environ, **real_keyring_env}
    env.pop("PYTHON_KEYRING_BACKEND", None)
    env.pop("ZINC_API_KEY", None)
    env.update(app_folder_variables(tmp_path, home=not native))
    for environment in Environment:
        env[environment.override_variable] = sandbox.base_url(environment)
    try:
        yield env
    finally:
        if native:
            _forget_native_items(tmp_path)


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
