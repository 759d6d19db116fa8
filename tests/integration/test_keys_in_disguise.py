"""Another account's key written with separators (a UUID's dashes, dots, spaces, mixed) is
refused wherever outside text reaches the app: unsent, unshown, unstored (hardening item 2).

Through the real CLI against the simulator, whose record of requests shows what was sent.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from tests.conftest import PRODUCTION_KEY, STAGING_KEY
from tests.support.cli_runner import Outcome, run_cli
from tests.support.memory_keyring import MemoryKeyring
from zinc_desktop.core.foundation.app_paths import AppPaths
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.sandbox import SandboxServer

Cli = Callable[..., Outcome]
OTHER_STAGING_KEY = "7c" * 14 + "a1b2"


def as_uuid(key: str) -> str:
    return f"{key[:8]}-{key[8:12]}-{key[12:16]}-{key[16:20]}-{key[20:]}"


def disguises(key: str) -> list[str]:
    """The same key, as people (or a hostile page) write it apart."""
    groups = [key[i : i + 4] for i in range(0, 32, 4)]
    mixed = "".join(c + ("-. \u200b:"[i % 5] if i < 31 else "") for i, c in enumerate(key))
    return [
        as_uuid(key),
        as_uuid(key).upper(),
        ".".join(groups),
        " ".join(groups),
        mixed,
    ]


def digits_in(text: str, key: str) -> bool:
    """Whether `key` (or its first 28 characters) appears in `text` once separators go."""
    squeezed = "".join(c for c in text.lower() if c in "0123456789abcdef")
    return key[:28] in squeezed


@pytest.fixture
def zinc(environ: dict[str, str], memory_keyring: MemoryKeyring) -> Cli:
    def run(*args: str, stdin: str = "") -> Outcome:
        return run_cli(list(args), environ, memory_keyring, stdin)

    return run


@pytest.fixture
def two_accounts(zinc: Cli, sandbox: SandboxServer) -> dict[str, str]:
    sandbox.add_key(Environment.STAGING, OTHER_STAGING_KEY)
    ids = {}
    for name, key in (("acme", STAGING_KEY), ("other", OTHER_STAGING_KEY)):
        result = zinc("link", "--env", "staging", "--label", name, "--json", stdin=key)
        assert result.code == 0, result.err
        ids[name] = json.loads(result.out)["account"]["id"]
    return ids


def files_text(paths: AppPaths) -> str:
    return "".join(
        p.read_text(errors="replace") for p in paths.data.rglob("*") if p.is_file()
    ) + "".join(p.read_text(errors="replace") for p in paths.log.rglob("*") if p.is_file())


@pytest.mark.parametrize("disguised", disguises(OTHER_STAGING_KEY))
def test_checks_status_refuses_another_accounts_key_unsent(
    zinc: Cli,
    two_accounts: dict[str, str],
    sandbox: SandboxServer,
    app_paths: AppPaths,
    disguised: str,
) -> None:
    before = len(sandbox.requests)
    result = zinc("checks", "status", two_accounts["acme"], disguised)
    assert result.code == 2, result
    assert "holds an API key" in result.err
    assert len(sandbox.requests) == before  # nothing was sent, not even the account's key
    for text in (result.out, result.err, files_text(app_paths)):
        assert not digits_in(text, OTHER_STAGING_KEY)


def test_a_uuid_that_is_no_key_still_reaches_zinc(
    zinc: Cli, two_accounts: dict[str, str], sandbox: SandboxServer
) -> None:
    """Real check ids may be UUIDs: the shape alone never decides."""
    uuid = as_uuid("0f" * 14 + OTHER_STAGING_KEY[-4:])  # even one ending like a linked key
    result = zinc("checks", "status", two_accounts["acme"], uuid)
    assert result.code == 2  # the simulator has no such check: Zinc's own refusal
    assert "refused" in result.err
    assert any(uuid in r.path for r in sandbox.requests)


@pytest.mark.parametrize("disguised", disguises(PRODUCTION_KEY)[:3])
def test_link_refuses_a_label_holding_a_linked_key(
    zinc: Cli, two_accounts: dict[str, str], app_paths: AppPaths, disguised: str
) -> None:
    zinc("link", "--env", "production", stdin=PRODUCTION_KEY)
    stored = app_paths.accounts_file.read_text()
    result = zinc(
        "link", "--env", "staging", "--label", f"Acme {as_uuid(STAGING_KEY)}", stdin=STAGING_KEY
    )
    assert result.code == 2
    result = zinc(
        "link", "--env", "staging", "--label", f"Acme {disguised}", stdin=OTHER_STAGING_KEY
    )
    assert result.code == 2
    assert "holds an API key" in result.err
    assert app_paths.accounts_file.read_text() == stored
    assert not digits_in(result.out + result.err + files_text(app_paths), PRODUCTION_KEY)


def test_checks_start_refuses_a_package_id_holding_a_key(
    zinc: Cli, two_accounts: dict[str, str], sandbox: SandboxServer, tmp_path: object
) -> None:
    before = len(sandbox.requests)
    candidate = json.dumps({"first_name": "Ada", "last_name": "L", "email": "ada@example.com"})
    result = zinc(
        "checks", "start", two_accounts["acme"], "--package", as_uuid(OTHER_STAGING_KEY),
        "--candidate", "-", stdin=candidate,
    )  # fmt: skip
    assert result.code == 2
    assert "holds an API key" in result.err
    assert len(sandbox.requests) == before
    assert not digits_in(result.out + result.err, OTHER_STAGING_KEY)
