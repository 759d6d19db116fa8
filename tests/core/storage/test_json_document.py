"""Properties: the data files against any content, and linking against any sequence of
operations with a keyring that stalls or fails."""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from tests.conftest import FAST
from tests.support.memory_keyring import MemoryKeyring
from tests.support.platforms import FILE_MODES
from zinc_desktop.core.accounts.linking import LinkService
from zinc_desktop.core.accounts.model import Account, AccountStatus
from zinc_desktop.core.accounts.secret_store import KeyringSecretStore
from zinc_desktop.core.accounts.store import AccountStore
from zinc_desktop.core.accounts.verification import Verifier
from zinc_desktop.core.checks.history import CheckHistory, CheckRecord
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.environments import Environment, sandbox_endpoints
from zinc_desktop.core.foundation.errors import AccountStoreError, ZincDesktopError
from zinc_desktop.core.zinc.api import CheckStatus
from zinc_desktop.sandbox import SandboxServer

FILES = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
MOMENT = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)

# --- any content -------------------------------------------------------------------------------

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=40)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=16,
)


def deeply_nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def hostile_documents(
    good_records: st.SearchStrategy[dict[str, Any]], fields: list[str], key: str
) -> st.SearchStrategy[bytes]:
    """Bytes a data file might hold: noise, any JSON, and our own shape with records broken in
    any field, nested deep, duplicated, with huge numbers or a newer schema."""

    def broken_record(record: dict[str, Any], field: str, value: Any, drop: bool) -> Any:
        changed = dict(record)
        if drop:
            changed.pop(field, None)
        else:
            changed[field] = value
        return changed

    broken = st.builds(
        broken_record,
        good_records,
        st.sampled_from(fields),
        json_values,
        st.booleans(),
    )
    records = st.lists(good_records | broken | json_values, max_size=4)

    def document(schema: Any, items: list[Any]) -> bytes:
        return json.dumps({"schema": schema, key: items}).encode()

    return st.one_of(
        st.binary(max_size=200),
        json_values.map(lambda value: json.dumps(value).encode()),
        st.builds(document, st.just(1), records),
        st.builds(document, st.sampled_from([0, 2, "1", None, 1.0, True, [1]]), records),
        st.builds(lambda items: document(1, [*items, *items]), st.lists(good_records, min_size=1)),
        st.integers(1, 3000).map(
            lambda depth: f'{{"schema": 1, "{key}": {deeply_nested(depth)}}}'.encode()
        ),
        st.builds(
            lambda items, digits: document(1, items).replace(b"[", b"[" + digits + b", ", 1),
            st.lists(good_records, min_size=1),
            st.sampled_from([b"1" * 5000, b"1e999", b"NaN", b"-Infinity"]),
        ),
    )


def account_record(account_id: str, label: str, hint: str) -> dict[str, Any]:
    return Account(
        id=account_id,
        label=label,
        environment=Environment.STAGING,
        key_hint=hint,
        status=AccountStatus.VERIFIED,
        linked_at=MOMENT,
    ).to_json()


good_account_records = st.builds(
    account_record,
    st.from_regex(r"[0-9a-f]{8}", fullmatch=True),
    st.text(min_size=1, max_size=20),
    st.from_regex(r"[0-9a-f]{4}", fullmatch=True),
)


def check_record(check_id: str, account_id: str) -> dict[str, Any]:
    return CheckRecord(
        id=check_id,
        account_id=account_id,
        environment=Environment.STAGING,
        package_id="pkg_stg_basic",
        package_name="Basic",
        status=CheckStatus.REQUESTED,
        started_at=MOMENT,
        updated_at=MOMENT,
    ).to_json()


good_check_records = st.builds(
    check_record,
    st.from_regex(r"chk-[0-9a-z]{1,8}", fullmatch=True),
    st.sampled_from(["a1", "a2"]),
)


def assert_private(folder: Path) -> None:
    if not FILE_MODES:
        return  # Windows: ACLs, not modes, and the app leaves those as the profile sets them
    for path in folder.rglob("*"):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), f"{path.name}: {mode:o}"


def write_backup(path: Path, document: dict[str, Any]) -> list[Any]:
    backup = path.with_name(path.name + ".bak")
    backup.write_text(json.dumps(document))
    os.chmod(backup, 0o644)  # as an older version may have left it
    return list(next(v for k, v in document.items() if k != "schema"))


@FILES
@given(
    backup=st.none() | st.lists(good_account_records, unique_by=lambda r: r["id"], max_size=3),
    content=hostile_documents(
        good_account_records, sorted(account_record("a1", "A", "abcd")), "accounts"
    ),
)
def test_accounts_json_from_any_content(
    backup: list[dict[str, Any]] | None, content: bytes
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = AccountStore(Path(folder) / "data" / "accounts.json")
        store.path.parent.mkdir(mode=0o700)
        store.path.write_bytes(content)
        os.chmod(store.path, 0o644)
        if backup is not None:
            write_backup(store.path, {"schema": 1, "accounts": backup})
        try:
            loaded = store.all()
        except AccountStoreError:  # a newer schema: refused, and left as it was
            assert store.path.read_bytes() == content
            return
        notices = store.take_notices()
        if notices:  # the file was damaged
            assert [a.to_json() for a in loaded] == (backup or [])
            if backup:  # the good backup survives, on disk too
                kept = json.loads(store.path.with_name("accounts.json.bak").read_text())
                assert kept["accounts"] == backup
        assert_private(Path(folder))
        extra = Account.from_json(account_record("zz000000", "New", "abcd"))
        store.add(extra)
        assert store.all() == [*loaded, extra]
        assert_private(Path(folder))


@FILES
@given(
    backup=st.none() | st.lists(good_check_records, unique_by=lambda r: r["id"], max_size=3),
    content=hostile_documents(good_check_records, sorted(check_record("c1", "a1")), "checks"),
)
def test_checks_json_from_any_content(backup: list[dict[str, Any]] | None, content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data" / "checks.json"
        path.parent.mkdir(mode=0o700)
        path.write_bytes(content)
        os.chmod(path, 0o644)
        if backup is not None:
            write_backup(path, {"schema": 1, "checks": backup})
        history = CheckHistory(path)
        try:
            loaded = history.for_account("a1") + history.for_account("a2")
        except AccountStoreError:
            assert path.read_bytes() == content
            return
        if history.take_notices():
            expected = {r["id"] for r in backup or []}
            assert {record.id for record in loaded} == expected
        assert_private(Path(folder))
        history.forget_account("a2")
        assert_private(Path(folder))


# --- any sequence of operations ----------------------------------------------------------------

SERVICE = "zinc-desktop-machine"
KEYS = [
    "a" * 28 + "1111",
    "b" * 28 + "1111",  # the same hint as the first: only the secret tells them apart
    "c" * 28 + "2222",
]


class LinkingMachine(RuleBasedStateMachine):
    """Link, unlink, re-enter and sweep while the keyring stalls past its deadline (and answers
    later), fails outright, or fails after writing."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = tempfile.TemporaryDirectory()
        self.keyring = MemoryKeyring()
        store = KeyringSecretStore(SERVICE, backend=self.keyring, deadline=0.1)
        self.accounts = AccountStore(
            Path(self.folder.name) / "accounts.json", link_lock_timeout=0.3
        )
        # The real verifier against the simulator, which accepts every key in both
        # environments: the linking rules are what is tested, not the verdicts.
        self.sandbox = SandboxServer().start()
        for environment in Environment:
            for key in KEYS:
                self.sandbox.add_key(environment, key)
        verifier = Verifier(sandbox_endpoints(self.sandbox.base_urls()), settings=FAST)
        self.links = LinkService(verifier, self.accounts, lambda: store)
        self.stalled = False

    def _rows(self) -> list[Account]:
        return self.accounts.all()

    @rule(key=st.sampled_from(KEYS), environment=st.sampled_from(list(Environment)))
    def link(self, key: str, environment: Environment) -> None:
        with contextlib.suppress(ZincDesktopError):
            self.links.link(environment, ApiKey.parse(key))

    # Choices are drawn as plain numbers whatever the state, so every run draws the same data
    # (timing decides some of the state: which requests ran out of time).
    @rule(pick=st.integers(0, 9))
    def unlink(self, pick: int) -> None:
        rows = self._rows()
        if rows:
            with contextlib.suppress(ZincDesktopError):
                self.links.unlink(rows[pick % len(rows)].id)

    @rule(pick=st.integers(0, 9), which=st.integers(0, 1))
    def reenter(self, pick: int, which: int) -> None:
        rows = self._rows()
        if rows:
            account = rows[pick % len(rows)]
            keys = [k for k in KEYS if k.endswith(account.key_hint)]
            with contextlib.suppress(ZincDesktopError, ValueError):
                self.links.replace_key(account.id, ApiKey.parse(keys[which % len(keys)]))

    @rule()
    def sweep(self) -> None:
        self.links.reconcile()

    @precondition(lambda self: not self.stalled)
    @rule()
    def stall(self) -> None:
        self.keyring.release.clear()
        self.keyring.hang.set()
        self.stalled = True

    @precondition(lambda self: self.stalled)
    @rule()
    def answer_late(self) -> None:
        self.keyring.hang.clear()
        self.keyring.release.set()
        assert self.links.settle(10)
        self.stalled = False

    @rule(broken=st.booleans(), fail_after_write=st.booleans())
    def failures(self, broken: bool, fail_after_write: bool) -> None:
        self.keyring.broken = broken
        self.keyring.fail_after_write = fail_after_write

    @precondition(lambda self: not self.stalled and not self.keyring.broken)
    @rule(pick=st.integers(0, 9))
    def someone_empties_an_entry_then_the_app_sweeps(self, pick: int) -> None:
        if self.keyring.items:
            del self.keyring.items[sorted(self.keyring.items)[pick % len(self.keyring.items)]]
            self.links.reconcile()

    @invariant()
    def every_key_shown_and_every_claim_true(self) -> None:
        if not self.stalled:
            assert self.links.settle(10)
        items = dict(self.keyring.items)
        rows = self._rows()
        held = {account_id: key for (service, account_id), key in items.items()}
        assert set(held) <= {row.id for row in rows}, "a key no row shows"
        for row in rows:
            if row.status.claims_secret:
                assert row.id in held, f"{row.status} without its key"
        pairs = [(row.environment, held[row.id]) for row in rows if row.id in held]
        assert len(pairs) == len(set(pairs)), "two rows share a key in one environment"

    def teardown(self) -> None:
        self.keyring.hang.clear()
        self.keyring.release.set()
        self.links.settle(10)
        self.links.verifier.pool.close_all()
        self.sandbox.stop()
        self.folder.cleanup()


LinkingMachine.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_linking_rules_hold_whatever_the_keyring_does = LinkingMachine.TestCase
