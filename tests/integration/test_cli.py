"""The command line, end to end against the simulator, through the real composition root."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from tests.conftest import PRODUCTION_KEY, STAGING_KEY
from tests.support.cli_runner import Outcome, run_cli
from tests.support.memory_keyring import MemoryKeyring, failing_backend
from zinc_desktop.core.foundation.app_paths import AppPaths
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.sandbox import Fault, SandboxServer

Cli = Callable[..., Outcome]
REQUIRED_FIELDS = {
    "id",
    "label",
    "environment",
    "key_hint",
    "status",
    "linked_at",
    "last_checked_at",
}


@pytest.fixture
def zinc(environ: dict[str, str], memory_keyring: MemoryKeyring) -> Cli:
    def run(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> Outcome:
        return run_cli(list(args), env or environ, memory_keyring, stdin)

    return run


def test_verify_valid(zinc: Cli) -> None:
    result = zinc("verify", "--env", "staging", stdin=STAGING_KEY + "\n")
    assert result.code == 0
    assert result.out.startswith("valid: Staging accepted key ••••")
    assert "3 packages found" in result.out
    assert result.out.count("\n") == 1


def test_verify_reads_zinc_api_key(zinc: Cli, environ: dict[str, str]) -> None:
    result = zinc("verify", "--env", "production", env={**environ, "ZINC_API_KEY": PRODUCTION_KEY})
    assert result.code == 0


def test_verify_wrong_environment(zinc: Cli) -> None:
    result = zinc("verify", "--env", "staging", stdin=PRODUCTION_KEY)
    assert result.code == 1
    assert result.out.startswith("wrong environment:")
    assert "is a Production key" in result.out


def test_verify_rejected(zinc: Cli) -> None:
    result = zinc("verify", "--env", "staging", stdin="ab" * 16)
    assert result.code == 1
    assert result.out.startswith("rejected:")


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        ("", "No key given"),
        ("abc", "this one has 3"),
        ("zz" * 16, "Character 1 is 'z'"),
    ],
)
def test_verify_bad_input_exits_2_with_a_specific_message(
    zinc: Cli, stdin: str, message: str
) -> None:
    result = zinc("verify", "--env", "staging", stdin=stdin)
    assert result.code == 2
    assert message in result.err


def test_the_key_is_never_taken_from_argv(zinc: Cli) -> None:
    result = zinc("verify", "--env", "staging", STAGING_KEY)
    assert result.code == 2
    assert STAGING_KEY not in result.out


def test_verify_unreachable_and_server_fault_exit_3(zinc: Cli, sandbox: SandboxServer) -> None:
    sandbox.inject(Fault(status=503))
    result = zinc("verify", "--env", "staging", stdin=STAGING_KEY)
    assert result.code == 3
    assert result.out.startswith("server fault:")
    account = linked_id(zinc, "production", PRODUCTION_KEY)
    sandbox.inject(Fault(status=503))
    result = zinc("packages", account)  # every command names the failure as verify does
    assert result.code == 3
    assert result.err.startswith("server fault: ")
    sandbox.stop()
    result = zinc("verify", "--env", "staging", stdin=STAGING_KEY)
    assert result.code == 3
    assert result.out.startswith("unreachable:")
    assert zinc("packages", account).err.startswith("unreachable: ")


def test_a_bad_override_url_exits_2(zinc: Cli, environ: dict[str, str]) -> None:
    bad = {**environ, "ZINC_STAGING_API_URL": "http://zinc.example.com/v2"}
    result = zinc("verify", "--env", "staging", stdin=STAGING_KEY, env=bad)
    assert result.code == 2
    assert "only for loopback" in result.err


def test_link_list_verify_unlink(zinc: Cli, sandbox: SandboxServer) -> None:
    linked = zinc("link", "--env", "staging", "--label", "Acme staging", stdin=STAGING_KEY)
    assert linked.code == 0, linked.err
    assert linked.out.startswith("linked: account ")
    zinc("link", "--env", "production", stdin=PRODUCTION_KEY)

    again = zinc("link", "--env", "staging", "--label", "Duplicate", stdin=STAGING_KEY)
    assert again.code == 0
    assert "already linked" in again.out

    listing = json.loads(zinc("accounts", "list", "--json").out)
    assert len(listing) == 2
    staging = next(a for a in listing if a["environment"] == "staging")
    assert staging.keys() >= REQUIRED_FIELDS
    assert staging["label"] == "Acme staging"
    assert staging["key_hint"] == STAGING_KEY[-4:]
    assert staging["status"] == "verified"
    assert staging["linked_at"].endswith("Z")

    table = zinc("accounts", "list")
    assert "Acme staging" in table.out
    assert STAGING_KEY not in table.out

    assert zinc("accounts", "verify").code == 0
    sandbox.revoke_key(Environment.STAGING, STAGING_KEY)
    checked = zinc("accounts", "verify", "--all")
    assert checked.code == 1
    assert "rejected" in checked.out
    assert zinc("accounts", "verify", staging["id"]).code == 1

    assert zinc("unlink", staging["id"]).code == 0
    assert [a["environment"] for a in json.loads(zinc("accounts", "list", "--json").out)] == [
        "production"
    ]
    unknown = zinc("unlink", staging["id"])
    assert unknown.code == 4  # the one "no such account" code, in every command
    assert "No linked account" in unknown.err


def test_link_wrong_environment_stores_nothing(zinc: Cli) -> None:
    result = zinc("link", "--env", "production", stdin=STAGING_KEY)
    assert result.code == 1
    assert "is a Staging key" in result.out
    assert json.loads(zinc("accounts", "list", "--json").out) == []


def test_link_without_a_keyring_says_why_and_how_to_fix_it(environ: dict[str, str]) -> None:
    result = run_cli(["link", "--env", "staging"], environ, failing_backend(), STAGING_KEY)
    assert result.code == 3
    assert "keyring.backends.fail.Keyring" in result.err
    assert "gnome-keyring" in result.err
    assert "Nothing was stored" in result.err


def test_version(zinc: Cli) -> None:
    result = zinc("--version")
    assert result.code == 0
    assert result.out.startswith("zinc-desktop ")


def test_empty_list_tells_what_to_do(zinc: Cli) -> None:
    result = zinc("accounts", "list")
    assert "No linked accounts" in result.out
    assert zinc("accounts", "list", "--json").out.strip() == "[]"


def test_recovery_is_reported_once(zinc: Cli, app_paths: AppPaths) -> None:
    zinc("link", "--env", "staging", stdin=STAGING_KEY)
    zinc("link", "--env", "production", stdin=PRODUCTION_KEY)
    app_paths.accounts_file.write_text("{garbage")
    result = zinc("accounts", "list", "--json")
    # The backup is the file as it was before the last write: the second link's row recorded
    # as incomplete, completed again by the sweep because its key is in the keyring.
    assert [a["status"] for a in json.loads(result.out)] == ["verified", "verified"]
    assert "notice: accounts.json was damaged" in result.err
    assert "notice" not in zinc("accounts", "list").err


def linked_id(zinc: Cli, environment: str, key: str) -> str:
    result = zinc("link", "--env", environment, stdin=key)
    assert result.code == 0, result.err
    return str(next(a["id"] for a in json.loads(zinc("accounts", "list", "--json").out)
                    if a["environment"] == environment))  # fmt: skip


def test_packages(zinc: Cli) -> None:
    account = linked_id(zinc, "staging", STAGING_KEY)
    table = zinc("packages", account)
    assert table.code == 0
    assert "Basic DBS + Right to Work" in table.out
    packages = json.loads(zinc("packages", account, "--json").out)
    assert {p["id"] for p in packages} == {"pkg_stg_basic", "pkg_stg_care", "pkg_stg_fca"}
    assert set(packages[0]) == {"id", "name", "type"}


def test_packages_of_an_unknown_account_exits_4(zinc: Cli) -> None:
    result = zinc("packages", "nope")
    assert result.code == 4
    assert "No linked account" in result.err


def candidate(email: str = "ada@example.com", **more: str) -> str:
    return json.dumps({"first_name": "Ada", "last_name": "Lovelace", "email": email, **more})


def start_args(account: str, *extra: str) -> list[str]:
    return ["checks", "start", account, "--package", "pkg_stg_basic", "--candidate", "-", *extra]


def test_checks_start_and_status(zinc: Cli, sandbox: SandboxServer) -> None:
    account = linked_id(zinc, "staging", STAGING_KEY)
    started = zinc(*start_args(account), stdin=candidate(phone="+44 20 7946 0958"))
    assert started.code == 0, started.err
    check_id = started.out.strip()
    assert check_id.startswith("chk-s-")
    posts = [r for r in sandbox.requests if r.method == "POST"]
    assert len(posts) == 1
    assert posts[0].body["candidate"]["phone"] == "+44 20 7946 0958"
    status = zinc("checks", "status", account, check_id)
    assert status.code == 0
    assert status.out.startswith(f"{check_id}: Requested")
    as_json = json.loads(zinc("checks", "status", account, check_id, "--json").out)
    assert as_json["status"] == "requested"
    assert as_json["updates"][0]["status"] == "requested"


def test_production_refuses_without_yes_billable_and_sends_nothing(
    zinc: Cli, sandbox: SandboxServer
) -> None:
    account = linked_id(zinc, "production", PRODUCTION_KEY)
    before = len(sandbox.requests)
    refused = zinc(*start_args(account), stdin=candidate())
    assert refused.code == 2
    assert "billed" in refused.err
    assert "Nothing was sent" in refused.err
    assert len(sandbox.requests) == before
    args = start_args(account, "--yes-billable")
    args[args.index("pkg_stg_basic")] = "pkg_prd_basic"
    accepted = zinc(*args, stdin=candidate())
    assert accepted.code == 0, accepted.err
    assert [r.method for r in sandbox.requests[before:]].count("POST") == 1


@pytest.mark.parametrize(
    ("email", "package", "message"),
    [("not-an-email", "pkg_stg_basic", "is not an email address"),
     ("ada@example.com", "pkg_nope", "has no package 'pkg_nope'")],
)  # fmt: skip
def test_bad_check_input_exits_2_and_sends_no_check(
    zinc: Cli, sandbox: SandboxServer, email: str, package: str, message: str
) -> None:
    account = linked_id(zinc, "staging", STAGING_KEY)
    args = start_args(account)
    args[args.index("pkg_stg_basic")] = package
    result = zinc(*args, stdin=candidate(email))
    assert result.code == 2
    assert message in result.err
    assert not [r for r in sandbox.requests if r.method == "POST"]


def test_checks_status_of_an_unknown_check(zinc: Cli) -> None:
    account = linked_id(zinc, "staging", STAGING_KEY)
    result = zinc("checks", "status", account, "chk-nope")
    assert result.code == 2
    assert "knows no check" in result.err


def test_unlink_forgets_the_accounts_checks(zinc: Cli, app_paths: AppPaths) -> None:
    account = linked_id(zinc, "staging", STAGING_KEY)
    other = linked_id(zinc, "production", PRODUCTION_KEY)
    check_id = zinc(*start_args(account), stdin=candidate()).out.strip()
    args = start_args(other, "--yes-billable")
    args[args.index("pkg_stg_basic")] = "pkg_prd_basic"
    other_check = zinc(*args, stdin=candidate()).out.strip()
    assert check_id in app_paths.checks_file.read_text()
    assert zinc("unlink", account).code == 0
    remaining = app_paths.checks_file.read_text()
    assert check_id not in remaining
    assert other_check in remaining


def test_a_label_holding_a_key_exits_2_and_stores_nothing(
    zinc: Cli, memory_keyring: MemoryKeyring, app_paths: AppPaths
) -> None:
    result = zinc(
        "link", "--env", "staging", "--label", f"Acme {PRODUCTION_KEY}", stdin=STAGING_KEY
    )
    assert result.code == 2
    assert result.err.startswith("error: A label must not contain an API key")
    assert PRODUCTION_KEY not in result.err + result.out
    assert memory_keyring.items == {}
    assert not app_paths.accounts_file.exists()


def test_a_key_given_on_the_command_line_is_not_echoed(zinc: Cli) -> None:
    result = zinc("verify", "--env", "staging", STAGING_KEY)
    assert result.code == 2
    assert STAGING_KEY not in result.err + result.out
    assert STAGING_KEY[-4:] not in result.err  # an argument not taken is never repeated
    assert "1 argument this command does not take" in result.err


@pytest.mark.parametrize("pasted", [STAGING_KEY, f"chk-{PRODUCTION_KEY.upper()}"])
def test_a_key_given_as_a_check_id_is_refused_unsent_and_unshown(
    zinc: Cli, sandbox: SandboxServer, app_paths: AppPaths, pasted: str
) -> None:
    account = linked_id(zinc, "staging", STAGING_KEY)
    before = len(sandbox.requests)
    result = zinc("checks", "status", account, pasted)
    assert result.code == 2
    assert result.err.startswith("error: That check id holds an API key")
    assert len(result.err.strip().splitlines()) == 1
    assert pasted.lower()[-32:] not in (result.err + result.out).lower()
    assert len(sandbox.requests) == before
