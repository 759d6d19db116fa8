"""The names a passwords app (GNOME Passwords, Seahorse) shows for our keyring items: the
account's label and environment, never any part of its key, through link, rename and
replace-key; found by the same attributes as before. A real gnome-keyring on a private D-Bus."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import FAST, STAGING_KEY
from tests.support.memory_keyring import MemoryKeyring, secret_service_backend
from tests.support.platforms import secret_service_only
from tests.support.secret_service import private_secret_service
from zinc_desktop.core.accounts.linking import LinkService
from zinc_desktop.core.accounts.secret_store import KeyringSecretStore
from zinc_desktop.core.accounts.store import AccountStore
from zinc_desktop.core.accounts.verification import Verifier
from zinc_desktop.core.foundation.api_key import ApiKey, may_be_a_key_in_disguise
from zinc_desktop.core.foundation.app_paths import AppPaths
from zinc_desktop.core.foundation.environments import Environment, sandbox_endpoints
from zinc_desktop.sandbox import SandboxServer

pytestmark = [pytest.mark.secret_service, secret_service_only]

NEW_KEY = "5e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b"


@pytest.fixture
def real_backend(secret_service_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> object:
    for name, value in secret_service_env.items():
        if name != "HOME":
            monkeypatch.setenv(name, value)
    return secret_service_backend()


def items(service: str) -> dict[str, tuple[str, dict[str, str]]]:
    """Our service's items: username -> (label, attributes), as a passwords app reads them."""
    import secretstorage

    connection = secretstorage.dbus_init()
    try:
        collection = secretstorage.get_default_collection(connection)
        return {
            item.get_attributes()["username"]: (item.get_label(), item.get_attributes())
            for item in collection.search_items({"service": service})
        }
    finally:
        connection.close()


def assert_holds_no_part_of(label: str, key: str) -> None:
    """Not the key, its ending, nor any 4 characters of it in a row, in any case."""
    folded = label.casefold()
    for start in range(len(key) - 3):
        assert key[start : start + 4] not in folded, (label, key[start : start + 4])
    assert not may_be_a_key_in_disguise(label)


@pytest.fixture
def links(
    real_backend: object, sandbox: SandboxServer, app_paths: AppPaths
) -> Iterator[LinkService]:
    store = KeyringSecretStore("zinc-desktop-test-names", backend=real_backend)
    verifier = Verifier(sandbox_endpoints(sandbox.base_urls()), settings=FAST)
    service = LinkService(verifier, AccountStore(app_paths.accounts_file), lambda: store)
    yield service
    service.settle(30)
    for account in service.accounts():
        service.unlink(account.id)
    assert items("zinc-desktop-test-names") == {}


def test_link_rename_and_replace_name_the_item_after_the_account(
    links: LinkService, sandbox: SandboxServer
) -> None:
    sandbox.add_key(Environment.STAGING, NEW_KEY)
    account = links.link(Environment.STAGING, ApiKey.parse(STAGING_KEY), "Acme Ltd").account
    assert account is not None
    label, attributes = items("zinc-desktop-test-names")[account.id]
    assert label == "zinc-desktop: Acme Ltd (Staging)"
    # The lookup is as it always was: keyring's own attributes, username = the account id
    # (gnome-keyring adds xdg:schema to some items by itself, with or without a rename).
    attributes.pop("xdg:schema", None)
    assert attributes == {
        "service": "zinc-desktop-test-names",
        "username": account.id,
        "application": "Python keyring library",
    }
    assert_holds_no_part_of(label, STAGING_KEY)

    links.rename(account.id, "Acme Holdings")
    assert links.settle(30)
    label, _ = items("zinc-desktop-test-names")[account.id]
    assert label == "zinc-desktop: Acme Holdings (Staging)"

    assert links.replace_key(account.id, ApiKey.parse(NEW_KEY)).account is not None
    label, attributes = items("zinc-desktop-test-names")[account.id]
    assert label == "zinc-desktop: Acme Holdings (Staging)"
    assert attributes["username"] == account.id
    for key in (STAGING_KEY, NEW_KEY):
        assert_holds_no_part_of(label, key)
    # keyring itself (a new backend object, as another process would have) still finds it.
    assert secret_service_backend().get_password("zinc-desktop-test-names", account.id) == NEW_KEY


def test_a_default_label_names_the_account_not_its_key_ending(links: LinkService) -> None:
    account = links.link(Environment.STAGING, ApiKey.parse(STAGING_KEY)).account
    assert account is not None
    assert STAGING_KEY[-4:] in account.label  # "Staging ••••…": the default label
    label, _ = items("zinc-desktop-test-names")[account.id]
    assert label == f"zinc-desktop: account {account.id} (Staging)"
    assert_holds_no_part_of(label, STAGING_KEY)


@pytest.mark.parametrize(
    "disguised",
    [
        "-".join(STAGING_KEY[i : i + 4] for i in range(0, 32, 4)),  # 1a2b-3c4d-…
        " ".join(STAGING_KEY[i : i + 8] for i in range(0, 32, 8)).upper(),
        "\u200b".join(STAGING_KEY),  # zero-width spaces
    ],
)
def test_a_key_in_disguise_never_reaches_the_name(links: LinkService, disguised: str) -> None:
    """Refused as a label (the key being linked, however split); and a label from an older
    file that holds one anyway is left out of the name."""
    from zinc_desktop.core.foundation.errors import InputRefused

    with pytest.raises(InputRefused):
        links.link(Environment.STAGING, ApiKey.parse(STAGING_KEY), f"Acme {disguised}")
    assert items("zinc-desktop-test-names") == {}
    account = links.link(Environment.STAGING, ApiKey.parse(STAGING_KEY), "Acme").account
    assert account is not None
    links._accounts.change(account.id, lambda a: a.with_changes(label=f"Acme {disguised}"))
    links._retitle_later(account.id)  # as a rename does, with the label an old file had
    assert links.settle(30)
    label, _ = items("zinc-desktop-test-names")[account.id]
    assert label.startswith("zinc-desktop: ")
    assert label.endswith(" (Staging)")
    assert_holds_no_part_of(label, STAGING_KEY)


def test_through_keyrings_chainer_the_item_is_named_too(
    real_backend: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from keyring.backends import chainer

    # Chained before another backend, as keyring chains what it finds (one alone it refuses).
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [real_backend, MemoryKeyring()])
    chained = chainer.ChainerBackend()  # type: ignore[no-untyped-call]
    store = KeyringSecretStore("zinc-desktop-test-chained", backend=chained)
    store.put("acc-chained", ApiKey.parse(STAGING_KEY), "Acme (Production)")
    assert items("zinc-desktop-test-chained")["acc-chained"][0] == "zinc-desktop: Acme (Production)"
    store.retitle("acc-chained", "Acme Live (Production)")
    label = items("zinc-desktop-test-chained")["acc-chained"][0]
    assert label == "zinc-desktop: Acme Live (Production)"
    store.delete("acc-chained")


def test_a_locked_keyring_keeps_the_old_name_and_the_rename_stands(
    tmp_path: Path, sandbox: SandboxServer, app_paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No prompt and no wait for the keyring: the label changes at once, the item keeps its
    name (a locked collection cannot be renamed), and nothing fails."""
    import secretstorage

    with private_secret_service(tmp_path / "locked") as env:
        for name, value in env.items():
            if name != "HOME":
                monkeypatch.setenv(name, value)
        store = KeyringSecretStore("zinc-desktop-test", backend=secret_service_backend())
        verifier = Verifier(sandbox_endpoints(sandbox.base_urls()), settings=FAST)
        links = LinkService(verifier, AccountStore(app_paths.accounts_file), lambda: store)
        account = links.link(Environment.STAGING, ApiKey.parse(STAGING_KEY), "Acme").account
        assert account is not None
        connection = secretstorage.dbus_init()
        try:
            secretstorage.get_default_collection(connection).lock()
            started = time.monotonic()
            renamed = links.rename(account.id, "Acme Holdings")
            assert time.monotonic() - started < 2
            assert renamed.label == "Acme Holdings"
            assert links.settle(30)
            assert links.account(account.id).label == "Acme Holdings"
            collection = secretstorage.get_default_collection(connection)
            (item,) = collection.search_items({"service": "zinc-desktop-test"})
            assert item.get_label() == "zinc-desktop: Acme (Staging)"
        finally:
            connection.close()


def test_the_cli_names_the_item_it_links(
    cli_env: dict[str, str], real_backend: object, tmp_path: Path
) -> None:
    linked = subprocess.run(
        [sys.executable, "-m", "zinc_desktop", "link", "--env", "staging", "--label", "Acme"],
        input=STAGING_KEY,
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert linked.returncode == 0, linked.stderr
    data = tmp_path / "xdg_data_home" / "zinc-desktop"
    service = AppPaths(data, tmp_path, tmp_path, tmp_path).keyring_service
    ((account_id, (label, _)),) = items(service).items()
    assert label == "zinc-desktop: Acme (Staging)"
    unlinked = subprocess.run(
        [sys.executable, "-m", "zinc_desktop", "unlink", account_id],
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert unlinked.returncode == 0, unlinked.stderr
