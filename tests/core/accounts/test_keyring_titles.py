"""The keyring item's name (accounts.keyring_title) and who asks for it: never any part of
the key, whatever a label holds; link, rename and replace-key pass it on; a keyring without
names (the memory backend, macOS, Windows) is never asked."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.conftest import STAGING_KEY
from tests.support.memory_keyring import MemoryKeyring
from zinc_desktop.core.accounts.linking import LinkService
from zinc_desktop.core.accounts.model import Account, AccountStatus, keyring_title, utc_now
from zinc_desktop.core.accounts.secret_store import KeyringSecretStore, MemorySecretStore
from zinc_desktop.core.accounts.store import AccountStore
from zinc_desktop.core.accounts.verification import Verifier
from zinc_desktop.core.foundation.api_key import (
    KEY_RUN,
    ApiKey,
    mask_key_runs_in_disguise,
    may_be_a_key_in_disguise,
)
from zinc_desktop.core.foundation.app_paths import AppPaths
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.sandbox import SandboxServer
from zinc_desktop.services import build_services

HEX = "0123456789abcdef"
NEW_KEY = "5e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b"


def account(label: str, hint: str = "8cef", account_id: str = "3f9c2d1a") -> Account:
    return Account(account_id, label, Environment.STAGING, hint, AccountStatus.VERIFIED, utc_now())


@pytest.mark.parametrize(
    ("label", "title"),
    [
        ("Acme Ltd", "Acme Ltd (Staging)"),
        ("Staging ••••8cef", "account 3f9c2d1a (Staging)"),  # the default label
        ("Staging ****8cef", "account 3f9c2d1a (Staging)"),
        ("Acme (••••8cef)", "Acme (Staging)"),
        ("Acme 8CEF", "Acme (Staging)"),  # the ending, even typed as a word
        ("Acme \uff18\uff43\uff45\uff46", "Acme (Staging)"),  # fullwidth
        ("Acme 8\u200bcef", "Acme (Staging)"),  # split by an invisible character
        ("Café <b>Zürich</b>", "Café <b>Zürich</b> (Staging)"),  # plain text, as typed
    ],
)
def test_the_title_is_the_label_and_environment_without_the_key_ending(
    label: str, title: str
) -> None:
    assert keyring_title(account(label)) == title


def test_an_id_holding_the_ending_loses_it_too() -> None:
    assert keyring_title(account("Staging ••••8cef", account_id="008cef00")) == (
        "account 00 00 (Staging)"
    )


@st.composite
def hex_words(draw: st.DrawFn, hint: str) -> str:
    """The key's ending or a key, bare or in disguise, in some case and some form."""
    key = draw(st.text(HEX, min_size=28, max_size=28)) + hint
    piece = draw(st.sampled_from([hint, key, "••••" + hint, "…" + hint]))
    separator = draw(st.sampled_from(["", "-", " ", "\u200b", ".", "_"]))
    if separator:
        piece = separator.join(piece)
    if draw(st.booleans()):
        piece = piece.upper()
    if draw(st.booleans()):
        piece = piece.translate({ord(c): ord(c) - 0x30 + 0xFF10 for c in "0123456789"})
    return piece


@st.composite
def labels_with_a_hint(draw: st.DrawFn) -> tuple[str, str]:
    hint = draw(st.text(HEX, min_size=4, max_size=4))
    pieces = draw(
        st.lists(
            st.one_of(
                st.text(max_size=12),
                st.sampled_from(["=SUM(A1)", "<script>", "(", ")", "Staging", "\n", "•"]),
                hex_words(hint),
            ),
            max_size=6,
        )
    )
    return "".join(pieces), hint


@settings(max_examples=300, deadline=None)
@given(labels_with_a_hint(), st.text("0123456789abcdef", min_size=8, max_size=8))
@example(case=("(())", "0000"), account_id="00000000")  # brackets emptied twice, id holds the hint
def test_no_title_holds_the_key_ending_or_a_key(case: tuple[str, str], account_id: str) -> None:
    label, hint = case
    title = keyring_title(account(label, hint, account_id))
    assert title.endswith(" (Staging)")
    assert len(title) > len(" (Staging)")
    assert title.isprintable()
    seen = "".join(
        c for c in unicodedata.normalize("NFKC", title) if unicodedata.category(c) != "Cf"
    )
    assert hint not in seen.casefold()
    assert KEY_RUN.search(seen) is None
    assert not may_be_a_key_in_disguise(title)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_masking_runs_in_disguise_leaves_none(text: str) -> None:
    masked = mask_key_runs_in_disguise(text)
    assert not may_be_a_key_in_disguise(masked)
    assert mask_key_runs_in_disguise(masked) == masked


class RecordingStore(MemorySecretStore):
    """A memory store that remembers the names it was asked to give."""

    names_items = True  # as the Secret Service does

    def __init__(self) -> None:
        super().__init__()
        self.titles: list[tuple[str, str, str | None]] = []

    def put(self, account_id: str, key: ApiKey, title: str | None = None) -> None:
        super().put(account_id, key, title)
        self.titles.append(("put", account_id, title))

    def retitle(self, account_id: str, title: str) -> None:
        self.titles.append(("retitle", account_id, title))


def test_link_rename_and_replace_key_name_the_item(
    verifier: Verifier, app_paths: AppPaths, sandbox: SandboxServer
) -> None:
    store = RecordingStore()
    links = LinkService(verifier, AccountStore(app_paths.accounts_file), lambda: store)
    linked = links.link(Environment.STAGING, ApiKey.parse(STAGING_KEY), "Acme").account
    assert linked is not None
    links.rename(linked.id, f"Acme {NEW_KEY[-4:]}")  # the ending of the key it gets next
    assert links.settle(10)
    sandbox.add_key(Environment.STAGING, NEW_KEY)
    assert links.replace_key(linked.id, ApiKey.parse(NEW_KEY)).account is not None
    assert store.titles == [
        ("put", linked.id, "Acme (Staging)"),
        ("retitle", linked.id, f"Acme {NEW_KEY[-4:]} (Staging)"),  # not this key's ending yet
        ("put", linked.id, "Acme (Staging)"),  # the new key's ending is left out
    ]


def test_a_session_only_rename_asks_no_keyring(verifier: Verifier, app_paths: AppPaths) -> None:
    store = RecordingStore()
    links = LinkService(verifier, AccountStore(app_paths.accounts_file), lambda: store)
    linked = links.link(
        Environment.STAGING, ApiKey.parse(STAGING_KEY), "Acme", session_only=True
    ).account
    assert linked is not None
    links.rename(linked.id, "Acme Holdings")
    assert links.settle(10)
    assert store.titles == []


def test_a_keyring_without_names_is_never_asked_to_name(memory_keyring: MemoryKeyring) -> None:
    """keyring gives no name hook on macOS, Windows or this memory backend: a title changes
    nothing there, and a rename makes no keyring call at all."""
    store = KeyringSecretStore("zinc-desktop-test", backend=memory_keyring, deadline=1.0)
    store.put("acc1", ApiKey.parse(STAGING_KEY), "Acme (Staging)")
    assert memory_keyring.items == {("zinc-desktop-test", "acc1"): STAGING_KEY}
    memory_keyring.broken = True  # any call would fail now
    assert not store.names_items
    store.retitle("acc1", "Acme Holdings (Staging)")


def test_renames_in_a_row_leave_the_last_name(
    links: LinkService, keyring_store: KeyringSecretStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    named: list[str] = []
    monkeypatch.setattr(KeyringSecretStore, "names_items", True)  # as on the Secret Service
    monkeypatch.setattr(keyring_store, "retitle", lambda account_id, title: named.append(title))
    linked = links.link(Environment.STAGING, ApiKey.parse(STAGING_KEY), "Acme").account
    assert linked is not None
    for index in range(20):
        links.rename(linked.id, f"Acme {index}")
    assert links.settle(10)
    assert named
    assert named[-1] == "Acme 19 (Staging)"


@pytest.mark.parametrize(
    ("sandbox_profile", "prefix"), [(False, "zinc-desktop"), (True, "zinc-desktop simulator")]
)
def test_the_simulators_items_are_named_apart(
    environ: dict[str, str], memory_keyring: MemoryKeyring, sandbox_profile: bool, prefix: str
) -> None:
    services = build_services(
        environ, use_sandbox=sandbox_profile, keyring_backend=memory_keyring, start_sandbox=False
    )
    try:
        store = services.links.keyring()
        assert isinstance(store, KeyringSecretStore)
        assert store.title_prefix == prefix
    finally:
        services.close()
