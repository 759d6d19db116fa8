"""The command line as a scripting tool (hardening items 6, 7, 13-16): JSON everywhere, ids by
prefix or label, one code for "no such account", candidates never on argv, a closed pipe,
a non-UTF-8 terminal.

In-process through the real composition root where that is enough; as whole processes (with a
real Secret Service) where the process itself is the point: pipes, terminals, locales.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import PRODUCTION_KEY, STAGING_KEY
from tests.support.cli_runner import Outcome, run_cli
from tests.support.memory_keyring import MemoryKeyring
from tests.support.platforms import (
    app_folder_variables,
    latin1_locale,
    log_root,
    posix_only,
)
from zinc_desktop.cli import build_parser
from zinc_desktop.core.accounts.csv_export import COLUMNS as CSV_COLUMNS
from zinc_desktop.core.accounts.model import Account, AccountStatus, utc_now
from zinc_desktop.core.accounts.store import AccountStore
from zinc_desktop.core.checks.candidate import candidate_from_json
from zinc_desktop.core.foundation.app_paths import AppPaths
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.core.foundation.errors import InputRefused
from zinc_desktop.sandbox import SandboxServer

Cli = Callable[..., Outcome]
CANDIDATE = {"first_name": "Ada", "last_name": "Lovelace", "email": "adzed@example.org"}


@pytest.fixture
def zinc(environ: dict[str, str], memory_keyring: MemoryKeyring) -> Cli:
    def run(*args: str, stdin: str = "") -> Outcome:
        return run_cli(list(args), environ, memory_keyring, stdin)

    return run


def link(zinc: Cli, environment: str, key: str, label: str) -> dict[str, object]:
    result = zinc("link", "--env", environment, "--label", label, "--json", stdin=key)
    assert result.code == 0, result.err
    account: dict[str, object] = json.loads(result.out)["account"]
    return account


# --- 14: --json on every command ---------------------------------------------------------------


def test_every_command_answers_in_json(zinc: Cli, sandbox: SandboxServer) -> None:
    verdict = json.loads(zinc("verify", "--env", "staging", "--json", stdin=STAGING_KEY).out)
    assert verdict["verdict"] == "valid"
    assert verdict["key_hint"] == STAGING_KEY[-4:]
    assert verdict["packages_found"] == 3
    assert STAGING_KEY not in json.dumps(verdict)

    wrong = zinc("link", "--env", "production", "--json", stdin=STAGING_KEY)
    assert wrong.code == 1
    assert json.loads(wrong.out) | {"verdict": "wrong-environment", "linked": False} == json.loads(
        wrong.out
    )

    linked = json.loads(zinc("link", "--env", "staging", "--json", stdin=STAGING_KEY).out)
    assert linked["linked"] is True
    assert linked["already_linked"] is False
    account = linked["account"]
    assert account["status"] == "verified"
    again = json.loads(zinc("link", "--env", "staging", "--json", stdin=STAGING_KEY).out)
    assert again["already_linked"] is True

    retested = zinc("accounts", "verify", "--json")
    assert retested.code == 0
    assert [row["id"] for row in json.loads(retested.out)] == [account["id"]]

    started = zinc(
        "checks", "start", account["id"], "--package", "pkg_stg_basic", "--candidate", "-",
        "--json", stdin=json.dumps(CANDIDATE),
    )  # fmt: skip
    assert started.code == 0, started.err
    check = json.loads(started.out)
    assert check["check_id"].startswith("chk-s-")
    assert check["status"] == "requested"
    assert "Lovelace" not in started.out

    listed = json.loads(zinc("checks", "list", account["id"], "--json").out)
    assert listed["source"] == "zinc"
    assert [(c["check_id"], c["in_history"]) for c in listed["checks"]] == [
        (check["check_id"], True)
    ]

    gone = json.loads(zinc("unlink", account["id"], "--json").out)
    assert gone["unlinked"]["id"] == account["id"]


def test_sandbox_json_says_where_it_listens() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "zinc_desktop", "sandbox", "--port", "0", "--json"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        described = json.loads(process.stdout.readline())  # one line: one readline
        assert described["listening"].startswith("http://127.0.0.1:")
        assert set(described["base_urls"]) == {"staging", "production"}
    finally:
        process.terminate()
        process.wait(10)


# --- 15: one code for "no such account"; ids by prefix or label ---------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["unlink"],
        ["packages"],
        ["accounts", "verify"],
        ["checks", "status", "{}", "chk-1"],
        ["checks", "list"],
        ["checks", "start", "{}", "--package", "p", "--candidate", "-"],
    ],
)
def test_no_such_account_is_exit_4_in_every_command(zinc: Cli, command: list[str]) -> None:
    args = [part.replace("{}", "nope") for part in command]
    if "{}" not in command:
        args.insert(2 if command[0] in ("accounts", "checks") else 1, "nope")
    result = zinc(*args, stdin=json.dumps(CANDIDATE))
    assert result.code == 4, result
    assert "No linked account" in result.err
    assert len(result.err.splitlines()) == 1


def test_an_account_is_named_by_prefix_or_exact_label_and_ambiguity_is_refused(
    zinc: Cli, app_paths: AppPaths
) -> None:
    acme = str(link(zinc, "staging", STAGING_KEY, "Acme Ltd")["id"])
    live = str(link(zinc, "production", PRODUCTION_KEY, "Acme Live")["id"])
    by_label = zinc("packages", "Acme Ltd", "--json")
    assert by_label.code == 0, by_label.err
    assert {p["id"] for p in json.loads(by_label.out)} >= {"pkg_stg_basic"}
    shared = acme[
        : next((i for i, (a, b) in enumerate(zip(acme, live, strict=False)) if a != b), 0)
    ]
    unique = acme[: len(shared) + 1]
    assert json.loads(zinc("checks", "list", unique, "--json").out)["source"] == "zinc"
    if shared:
        both = zinc("packages", shared)
        assert both.code == 2
        assert acme in both.err
        assert live in both.err
    # Two accounts given the same label: naming it is refused, naming both.
    AccountStore(app_paths.accounts_file).change(acme, lambda a: a.with_changes(label="Acme Live"))
    clash = zinc("packages", "Acme Live")
    assert clash.code == 2
    assert "2 accounts answer to that" in clash.err
    assert acme in clash.err
    assert live in clash.err
    assert zinc("packages", acme).code == 0  # the whole id always names one


# --- 16: --sandbox anywhere, and --help that says what, where the key comes from, exits ---------


def test_sandbox_after_the_command_works_as_before_it(
    memory_keyring: MemoryKeyring, environ: dict[str, str]
) -> None:
    before = run_cli(["--sandbox", "verify", "--env", "staging"], environ, memory_keyring,
                     STAGING_KEY)  # fmt: skip
    after = run_cli(["verify", "--env", "staging", "--sandbox"], environ, memory_keyring,
                    STAGING_KEY)  # fmt: skip
    assert before.code == after.code == 0, (before, after)
    assert after.out.startswith("valid:")


def _subcommands() -> list[list[str]]:
    parser = build_parser()
    found = []
    stack: list[tuple[list[str], object]] = [([], parser)]
    while stack:
        path, current = stack.pop()
        actions = getattr(current, "_subparsers", None)
        if actions is None:
            found.append(path)
            continue
        for action in actions._group_actions:
            for name, sub in action.choices.items():
                stack.append(([*path, name], sub))
    return sorted(p for p in found if p)


@pytest.mark.parametrize("command", _subcommands(), ids=" ".join)
def test_every_subcommand_help_says_what_where_and_how_it_exits(
    zinc: Cli, command: list[str]
) -> None:
    result = zinc(*command, "--help")
    assert result.code == 0
    text = " ".join(result.out.split())
    assert "exit status: 0" in text
    assert "--sandbox" in text
    if command[0] in ("verify", "link"):
        assert "read from stdin" in text
        assert "never from the command line" in text


# --- 7: the candidate never on argv -------------------------------------------------------------


@pytest.mark.parametrize("flag", ["--first-name", "--last-name", "--email", "--phone"])
def test_candidate_details_on_argv_are_refused_unsent_and_unechoed(
    zinc: Cli, sandbox: SandboxServer, flag: str
) -> None:
    account = link(zinc, "staging", STAGING_KEY, "Acme")
    before = len(sandbox.requests)
    result = zinc(
        "checks", "start", str(account["id"]), "--package", "pkg_stg_basic",
        flag, "Zaphod-Secret-Value",
    )  # fmt: skip
    assert result.code == 2
    assert "--candidate FILE" in result.err
    assert "Zaphod-Secret-Value" not in result.err + result.out
    assert len(result.err.splitlines()) == 1
    assert len(sandbox.requests) == before


def test_candidate_from_a_file(zinc: Cli, sandbox: SandboxServer, tmp_path: Path) -> None:
    account = link(zinc, "staging", STAGING_KEY, "Acme")
    path = tmp_path / "candidate.json"
    path.write_text(json.dumps({**CANDIDATE, "phone": "+44 20 7946 0958"}))
    result = zinc("checks", "start", str(account["id"]), "--package", "pkg_stg_care",
                  "--candidate", str(path))  # fmt: skip
    assert result.code == 0, result.err
    (post,) = [r for r in sandbox.requests if r.method == "POST"]
    assert post.body["candidate"]["phone"] == "+44 20 7946 0958"
    assert post.body["package_id"] == "pkg_stg_care"


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "not valid JSON"),
        (b"[1, 2]", "must be a JSON object"),
        (
            b'{"first_name": "Ada", "last_name": "L", "emial": "zed@example.org"}',
            "1 field this command does not know",
        ),
        (b'{"first_name": "Ada", "last_name": "L"}', "needs email"),
        (b'{"first_name": 7, "last_name": "L", "email": "zed@example.org"}', "must be text"),
        (b"[" * 60_000, "not valid JSON"),
        (b'{"first_name": "' + b"A" * 70_000 + b'"}', "larger than 64 KB"),
    ],
)
def test_a_bad_candidate_is_refused_with_a_reason_and_nothing_sent(
    zinc: Cli, sandbox: SandboxServer, tmp_path: Path, content: bytes, says: str
) -> None:
    account = link(zinc, "staging", STAGING_KEY, "Acme")
    before = len(sandbox.requests)
    path = tmp_path / "candidate.json"
    path.write_bytes(content)
    result = zinc("checks", "start", str(account["id"]), "--package", "pkg_stg_basic",
                  "--candidate", str(path))  # fmt: skip
    assert result.code == 2, result
    assert says in result.err
    assert len(result.err.splitlines()) == 1
    assert "zed@example.org" not in result.err
    assert len(sandbox.requests) == before


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=200)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(
                st.sampled_from(["first_name", "last_name", "email", "phone", "x"])
                | st.text(max_size=5),
                inner,
                max_size=5,
            )
        ),
        max_leaves=12,
    )
)
def test_any_json_is_a_candidate_or_a_clear_refusal(value: object) -> None:
    """The trust boundary of --candidate: whatever the file holds, never another exception."""
    try:
        data = json.dumps(value).encode()
    except ValueError:
        return
    try:
        candidate = candidate_from_json(data)
    except InputRefused as refusal:
        said = str(refusal)
    else:
        said = candidate.email
    assert said


# --- whole processes: a pipe closed early, a terminal, a non-UTF-8 locale ------------------------


@posix_only("a closed pipe is SIGPIPE and exit 141 (128 + 13); Windows has no SIGPIPE")
@pytest.mark.parametrize(
    ("flag", "first_line"),
    [
        ("--json", b"[\n"),
        ("--csv", b",".join(column.encode() for column in CSV_COLUMNS) + b"\r\n"),
    ],
)
def test_a_closed_pipe_ends_the_command_quietly(
    tmp_path: Path, flag: str, first_line: bytes
) -> None:
    """`accounts list --json | head -2` (or `--csv`, written in pieces): no message, no
    traceback in the log, exit 141."""
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    env.update(app_folder_variables(tmp_path))
    data = tmp_path / "xdg_data_home" / "zinc-desktop"
    data.mkdir(parents=True)
    rows = [
        Account(f"a{i:05d}", f"Customer {i}", Environment.STAGING, "abcd",
                AccountStatus.VERIFIED, utc_now()).to_json()
        for i in range(3000)
    ]  # fmt: skip
    (data / "accounts.json").write_text(json.dumps({"schema": 1, "accounts": rows}))
    process = subprocess.Popen(
        [sys.executable, "-m", "zinc_desktop", "accounts", "list", flag],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    assert process.stdout.readline() == first_line
    process.stdout.close()  # as head does after its lines
    error = process.stderr.read()
    assert process.wait(60) == 141
    assert error == b""
    log = next(log_root(tmp_path).rglob("*.log")).read_text()
    assert "Traceback" not in log
    assert "BrokenPipe" not in log


def _latin1_locale() -> dict[str, str]:
    """LC_ALL for an ISO-8859-1 locale, built with localedef when missing."""
    name = "en_GB.ISO-8859-1"
    probe = [sys.executable, "-c", "import sys; print(sys.stdout.encoding)"]
    wanted = {"LC_ALL": name, "LANG": name}
    env = {**os.environ, **wanted}
    env.pop("PYTHONUTF8", None)
    env.pop("PYTHONIOENCODING", None)
    if subprocess.run(probe, env=env, capture_output=True, text=True).stdout.strip() != "iso8859-1":
        if shutil.which("localedef") is None:
            if os.environ.get("CI"):
                pytest.fail("CI must build an ISO-8859-1 locale: install Debian's locales")
            pytest.skip("localedef is missing (Debian's locales)")
        subprocess.run(["localedef", "-i", "en_GB", "-f", "ISO-8859-1", name], check=False)
    encoding = subprocess.run(probe, env=env, capture_output=True, text=True).stdout.strip()
    if encoding != "iso8859-1":
        if os.environ.get("CI"):
            pytest.fail(f"the child does not run in {name} ({encoding}): the test proves nothing")
        pytest.skip(f"cannot make {name} here")
    return wanted


@latin1_locale
def test_a_non_utf8_terminal_gets_every_answer_and_the_right_exit(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    env = {**cli_env, **_latin1_locale()}
    env.pop("PYTHONUTF8", None)
    env.pop("PYTHONIOENCODING", None)

    def zinc(*args: str | bytes, stdin: str = "") -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-m", "zinc_desktop", *args],
            input=stdin.encode(),
            env=env,
            capture_output=True,
            timeout=60,
        )

    # As typed on that terminal: the label's bytes are Latin-1.
    linked = zinc("link", "--env", "staging", "--label", "Café Zürich".encode("latin-1"),
                  stdin=STAGING_KEY)  # fmt: skip
    assert linked.returncode == 0, linked.stderr
    text = linked.stdout.decode("latin-1")
    assert "Café Zürich" in text  # what Latin-1 can show, it shows
    assert "****" + STAGING_KEY[-4:] in text  # the bullets it cannot become asterisks
    assert zinc("verify", "--env", "staging", stdin=STAGING_KEY).returncode == 0
    accounts = tmp_path / "xdg_data_home" / "zinc-desktop" / "accounts.json"
    document = json.loads(accounts.read_text())
    document["accounts"][0]["label"] = "Café Zürich → München"  # written elsewhere, say
    accounts.write_text(json.dumps(document))
    listing = zinc("accounts", "list")
    assert listing.returncode == 0, listing.stderr
    assert "Café Zürich ? München" in listing.stdout.decode("latin-1")
    assert listing.stderr == b""
    as_json = zinc("accounts", "list", "--json")
    assert json.loads(as_json.stdout)[0]["label"] == "Café Zürich → München"  # \u escapes


@posix_only("a pseudo-terminal (pty) as the command's stdin; Windows has consoles instead")
def test_candidate_prompts_on_a_terminal(cli_env: dict[str, str]) -> None:
    import pty  # termios: POSIX only

    env = cli_env
    linked = subprocess.run(
        [sys.executable, "-m", "zinc_desktop", "link", "--env", "staging", "--json"],
        input=STAGING_KEY, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    account_id = json.loads(linked.stdout)["account"]["id"]
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "zinc_desktop", "checks", "start", account_id,
         "--package", "pkg_stg_basic"],
        stdin=terminal, stderr=terminal, stdout=subprocess.PIPE, env=env,
    )  # fmt: skip
    os.close(terminal)
    os.write(controller, b"Ada\nLovelace\nadzed@example.org\n\n")
    out, _ = process.communicate(timeout=60)
    prompts = b""
    try:
        while chunk := os.read(controller, 4096):
            prompts += chunk
    except OSError:
        pass
    os.close(controller)
    assert process.returncode == 0, prompts
    assert out.decode().strip().startswith("chk-s-")
    assert b"First name" in prompts
    assert b"Phone (optional)" in prompts


# --- found by the adversarial review of this round ----------------------------------------------


def test_json_and_sandbox_anywhere_and_errors_as_json(zinc: Cli) -> None:
    for args in (["--json", "accounts", "list"], ["accounts", "--json", "list"],
                 ["accounts", "list", "--json"]):  # fmt: skip
        result = zinc(*args)
        assert result.code == 0, (args, result.err)
        assert json.loads(result.out) == []
    missing = zinc("packages", "nobody", "--json")
    assert missing.code == 4
    assert missing.err.startswith("error: No linked account")  # the line, as always
    assert json.loads(missing.out)["error"]["exit"] == 4  # and JSON for a script
    present = zinc("--present", "accounts", "list")
    assert present.code == 2
    assert "--present opens the window" in present.err


def test_a_label_that_is_also_an_id_or_its_start_is_ambiguous(
    zinc: Cli, app_paths: AppPaths
) -> None:
    acme = str(link(zinc, "staging", STAGING_KEY, "Acme")["id"])
    live = str(link(zinc, "production", PRODUCTION_KEY, "Live")["id"])
    store = AccountStore(app_paths.accounts_file)
    store.change(acme, lambda a: a.with_changes(label=live[:3]))  # a label: the start of an id
    result = zinc("packages", live[:3])
    assert result.code == 2
    assert acme in result.err
    assert live in result.err
    store.change(acme, lambda a: a.with_changes(label=live))  # a label: another account's id
    assert zinc("unlink", live).code == 2
    assert zinc("accounts", "list", "--json").out.count('"id"') == 2  # nothing was removed


@posix_only("bash closing the command's stdout or stderr (>&-, 2>&-)")
def test_closed_output_streams_never_give_a_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    env.update(app_folder_variables(tmp_path))
    zinc_command = f"{sys.executable} -m zinc_desktop"
    closed_out = subprocess.run(["bash", "-c", f"{zinc_command} accounts list >&-"], env=env,
                                capture_output=True, text=True, timeout=60)  # fmt: skip
    assert closed_out.returncode == 0, closed_out.stderr
    assert "Traceback" not in closed_out.stderr
    out = tmp_path / "out.txt"
    closed_err = subprocess.run(["bash", "-c", f"{zinc_command} accounts list 2>&- >{out}"],
                                env=env, timeout=60)  # fmt: skip
    assert closed_err.returncode == 0
    assert "No linked accounts" in out.read_text()


def test_arguments_not_taken_and_unreadable_candidates_are_not_repeated(zinc: Cli) -> None:
    account = str(link(zinc, "staging", STAGING_KEY, "Acme")["id"])
    typo = zinc("checks", "start", account, "--package", "p", "--candidate", "-",
                "--first_name", "Jane Doe")  # fmt: skip
    assert typo.code == 2
    assert "Jane" not in typo.err
    inline = zinc("checks", "start", account, "--package", "pkg_stg_basic", "--candidate",
                  '{"first_name": "Jane", "email": "jane@example.com"}')  # fmt: skip
    assert inline.code == 2
    assert "jane" not in inline.err.lower()
