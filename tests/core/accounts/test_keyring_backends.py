"""keyring's backends by the names people know, with the class path kept for the log."""

from __future__ import annotations

import logging
from typing import ClassVar

import pytest
from keyring.backend import KeyringBackend
from keyring.backends import (
    SecretService,
    Windows,
    chainer,
    fail,
    kwallet,
    libsecret,
    macOS,
    null,
)

from tests.support.memory_keyring import MemoryKeyring
from zinc_desktop.core.accounts.keyring_backends import (
    keyring_backend_label,
    keyring_backend_name,
    name_and_label,
)
from zinc_desktop.core.accounts.linking import LinkService
from zinc_desktop.core.accounts.secret_store import KeyringSecretStore
from zinc_desktop.core.accounts.store import AccountStore
from zinc_desktop.core.accounts.verification import Verifier
from zinc_desktop.core.foundation.app_paths import AppPaths


def _chain(*chained: KeyringBackend) -> KeyringBackend:
    """keyring's own chainer over the given backends (its class property would ask the ones
    installed here, each for its priority)."""

    class Chain(chainer.ChainerBackend):
        backends: ClassVar[list[KeyringBackend]] = list(chained)

    return Chain()  # type: ignore[no-untyped-call]


class KeychainInMemory(MemoryKeyring, macOS.Keyring):
    """keyring's macOS Keychain class, keeping its items in memory (the Keychain is not here)."""


MEMORY = "tests.support.memory_keyring.MemoryKeyring"
# keyring's real classes: their modules import on Linux, and constructing one calls nothing.
NAMES = [
    (macOS.Keyring, "macOS Keychain", "macOS.Keyring"),
    (Windows.WinVaultKeyring, "Windows Credential Manager", "Windows.WinVaultKeyring"),
    (SecretService.Keyring, "Secret Service", "SecretService.Keyring"),
    (libsecret.Keyring, "Secret Service (libsecret)", "libsecret.Keyring"),
    (kwallet.DBusKeyring, "KWallet", "kwallet.DBusKeyring"),
    (kwallet.DBusKeyringKWallet4, "KWallet", "kwallet.DBusKeyringKWallet4"),
    (fail.Keyring, "no usable keyring", "fail.Keyring"),
    (null.Keyring, "no usable keyring", "null.Keyring"),
]  # fmt: skip


@pytest.mark.parametrize(("backend_class", "name", "label"), NAMES)
def test_each_backend_has_the_name_people_know_and_keeps_its_class_path(
    backend_class: type[KeyringBackend], name: str, label: str
) -> None:
    backend = backend_class()
    assert keyring_backend_name(backend) == name
    assert keyring_backend_label(backend) == f"keyring.backends.{label}"


def test_a_backend_not_named_here_is_named_by_its_class_path() -> None:
    assert keyring_backend_name(MemoryKeyring()) == MEMORY
    assert keyring_backend_label(MemoryKeyring()) == MEMORY


def test_a_subclass_of_a_known_backend_is_that_store_under_its_own_class_path() -> None:
    backend = KeychainInMemory()
    assert keyring_backend_name(backend) == "macOS Keychain"
    assert keyring_backend_label(backend).endswith("test_keyring_backends.KeychainInMemory")


@pytest.mark.parametrize(
    ("chained", "name"),
    [
        ((SecretService.Keyring,), "Secret Service"),
        ((SecretService.Keyring, kwallet.DBusKeyring), "Secret Service, then KWallet"),
        ((kwallet.DBusKeyring, kwallet.DBusKeyringKWallet4), "KWallet"),
        ((MemoryKeyring,), MEMORY),
        ((), "no usable keyring"),
    ],
)
def test_the_chainer_is_named_by_the_backends_it_uses_first_first(
    chained: tuple[type[KeyringBackend], ...], name: str
) -> None:
    backend = _chain(*(cls() for cls in chained))
    assert keyring_backend_name(backend) == name
    inner = ", ".join(f"{cls.__module__}.{cls.__qualname__}" for cls in chained)
    assert keyring_backend_label(backend).endswith(f"Chain({inner})")


def test_the_log_carries_the_name_and_the_class_path_once() -> None:
    assert name_and_label("KWallet", "keyring.backends.kwallet.DBusKeyring") == (
        "KWallet (keyring.backends.kwallet.DBusKeyring)"
    )
    assert name_and_label("a.b.C", "a.b.C") == "a.b.C"


def test_the_store_answers_with_the_name_and_keeps_the_label() -> None:
    store = KeyringSecretStore("zinc-desktop", backend=KeychainInMemory())
    assert store.description == "macOS Keychain"
    assert store.backend_label.endswith("KeychainInMemory")
    later = KeyringSecretStore("zinc-desktop", resolve_later=KeychainInMemory)
    assert (later.description, later.backend_label) == (
        "Secret Service",
        "keyring.backends.SecretService.Keyring",
    )  # what keyring is known to choose, until it is loaded


def test_the_log_names_the_keyring_as_the_window_does_and_the_class_behind_it(
    verifier: Verifier, app_paths: AppPaths, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "zinc_desktop")
    links = LinkService(
        verifier,
        AccountStore(app_paths.accounts_file),
        lambda: KeyringSecretStore("zinc-desktop-test", backend=KeychainInMemory()),
    )
    assert links.keyring_description() == "macOS Keychain"
    (line,) = [r.getMessage() for r in caplog.records if "keyring backend:" in r.getMessage()]
    assert line == (
        "keyring backend: macOS Keychain "
        f"({KeychainInMemory.__module__}.{KeychainInMemory.__qualname__})"
    )


def test_the_log_says_when_no_keyring_is_usable(
    verifier: Verifier, app_paths: AppPaths, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "zinc_desktop")
    links = LinkService(
        verifier,
        AccountStore(app_paths.accounts_file),
        lambda: KeyringSecretStore("zinc-desktop-test", backend=fail.Keyring()),  # type: ignore[no-untyped-call]
    )
    assert links.keyring_description() is None
    (line,) = [r.getMessage() for r in caplog.records if "keyring backend:" in r.getMessage()]
    assert line.startswith("keyring backend: no usable keyring (No usable OS keyring")
    assert "keyring.backends.fail.Keyring" in line
