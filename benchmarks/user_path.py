"""The figures as a user meets them, each beside a baseline measured the same way in this run.

- the real `zinc-desktop` command as a whole process (the venv's console script), with a real
  gnome-keyring on a private D-Bus (tests/support/secret_service.py) holding the keys;
- a loopback Zinc stand-in (the simulator, in a process of its own) answering after 100 ms;
- the window from spawn to its first mapped frame on a real X server (Xvfb), watched from
  outside with xdotool, beside a bare PySide6 window that imports httpx; its peak RSS (VmHWM)
  once it has loaded, beside the bare window's.

Runs alternate (ours, baseline, ours, ...) and each figure is the median. Prints a Markdown
table; asserts nothing.

    .venv/bin/python benchmarks/user_path.py [--runs N] [--only listing|verify|window]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.secret_service import missing_tools, private_secret_service  # noqa: E402

PYTHON = Path(sys.executable)
ZINC = PYTHON.parent / "zinc-desktop"
LATENCY = 0.1
RETEST_CONCURRENCY = 8
BARE_WINDOW = """
import sys
import httpx  # what our window also has at hand
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.setWindowTitle("bare")
window.resize(1024, 640)
window.show()
app.exec()
"""


@dataclass
class Row:
    what: str
    measured: str
    baseline: str
    ratio: str
    goal: str
    met: str


def median(values: list[float]) -> float:
    return statistics.median(values)


def alternate(
    runs: int, ours: Callable[[], float], base: Callable[[], float]
) -> tuple[float, float]:
    """Medians of `runs` alternating runs of each (ours first, then the baseline)."""
    mine: list[float] = []
    theirs: list[float] = []
    for _ in range(runs):
        mine.append(ours())
        theirs.append(base())
    return median(mine), median(theirs)


def profile_env(home: Path, keyring_env: dict[str, str], name: str) -> dict[str, str]:
    folder = home / name
    env = {**os.environ, **keyring_env}
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[variable] = str(folder / variable.lower())
    for variable in ("PYTHON_KEYRING_BACKEND", "ZINC_API_KEY", "PYTHONDONTWRITEBYTECODE"):
        env.pop(variable, None)
    return env


def in_profile(env: dict[str, str], code: str) -> None:
    """Run `code` with the profile's environment (its folders, its keyring)."""
    subprocess.run([str(PYTHON), "-c", code], env=env, check=True, cwd=ROOT)


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True
    )
    return time.perf_counter() - started


def fingerprint(env: dict[str, str]) -> dict[str, tuple[int, int]]:
    folder = Path(env["XDG_DATA_HOME"]) / "zinc-desktop"
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.glob("*.json*")}


# --- accounts list --json -----------------------------------------------------------------------

WRITE_ACCOUNTS = """
import json, sys
sys.path.insert(0, {root!r})
from benchmarks.probes import _accounts
from zinc_desktop.core.accounts.store import SCHEMA
from zinc_desktop.core.foundation.app_paths import AppPaths, private_directory
data = AppPaths.for_profile().accounts_file
private_directory(data.parent)
document = {{"schema": SCHEMA, "accounts": [a.to_json() for a in _accounts({count})]}}
data.write_text(json.dumps(document))
"""


def listing(home: Path, keyring_env: dict[str, str], runs: int) -> list[Row]:
    envs = {}
    for count in (10, 10_000):
        env = profile_env(home, keyring_env, f"list-{count}")
        in_profile(env, WRITE_ACCOUNTS.format(root=str(ROOT), count=count))
        subprocess.run([str(ZINC), "accounts", "list", "--json"], env=env,
                       stdout=subprocess.DEVNULL, check=True)  # fmt: skip  # the sweep settles
        envs[count] = env
    command = [str(ZINC), "accounts", "list", "--json"]
    before = {count: fingerprint(env) for count, env in envs.items()}
    big, small = alternate(
        runs, lambda: timed(command, envs[10_000]), lambda: timed(command, envs[10])
    )
    untouched = all(fingerprint(env) == before[count] for count, env in envs.items())
    ratio = big / small
    return [
        Row(
            "`accounts list --json`, 10,000 accounts",
            f"{big:.2f} s",
            f"10 accounts: {small:.2f} s",
            f"{ratio:.1f}×",
            "≤ 2×",
            "yes" if ratio <= 2 else "no",
        ),
        Row(
            "… the files after every listing",
            "untouched" if untouched else "WRITTEN",
            "inode and mtime before",
            "",
            "untouched",
            "yes" if untouched else "no",
        ),
    ]


# --- accounts verify --all ----------------------------------------------------------------------

SEED_LINKED = """
import json, sys
sys.path.insert(0, {root!r})
from keyring.backends import SecretService
from zinc_desktop.core.accounts.model import Account, AccountStatus, utc_now
from zinc_desktop.core.accounts.secret_store import KeyringSecretStore
from zinc_desktop.core.accounts.store import SCHEMA
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.app_paths import AppPaths, private_directory
from zinc_desktop.core.foundation.environments import Environment
paths = AppPaths.for_profile()
store = KeyringSecretStore(paths.keyring_service, backend=SecretService.Keyring())
now = utc_now()
accounts = []
for index in range({count}):
    key = ApiKey.parse(f"{{index + 1:032x}}")
    account = Account(f"{{index + 1:08x}}", f"Customer {{index}}", Environment.STAGING, key.hint,
                      AccountStatus.VERIFIED, now, now)
    store.put(account.id, key)
    accounts.append(account)
private_directory(paths.accounts_file.parent)
paths.accounts_file.write_text(json.dumps({{"schema": SCHEMA,
                                            "accounts": [a.to_json() for a in accounts]}}))
"""


@contextmanager
def slow_zinc(count: int) -> Iterator[dict[str, str]]:
    """A simulator knowing `count` keys, in a process of its own, answering after LATENCY."""
    server = subprocess.Popen(
        [str(PYTHON), str(ROOT / "benchmarks" / "probes.py"), "slow_simulator", str(count),
         str(LATENCY)], stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        from zinc_desktop.core.foundation.environments import Environment
        from zinc_desktop.sandbox.addresses import base_urls

        urls = base_urls(port)
        yield {
            Environment.STAGING.override_variable: urls[Environment.STAGING],
            Environment.PRODUCTION.override_variable: urls[Environment.PRODUCTION],
        }
    finally:
        server.kill()
        server.wait()


def verify_all(home: Path, keyring_env: dict[str, str], runs: int) -> list[Row]:
    count = 200
    with slow_zinc(count) as urls:
        envs = {}
        for accounts in (1, count):
            env = {**profile_env(home, keyring_env, f"verify-{accounts}"), **urls}
            in_profile(env, SEED_LINKED.format(root=str(ROOT), count=accounts))
            envs[accounts] = env
        command = [str(ZINC), "accounts", "verify", "--all", "--json"]
        many, one = alternate(runs, lambda: timed(command, envs[count]),
                              lambda: timed(command, envs[1]))  # fmt: skip
    goal = one + 1.3 * math.ceil(count / RETEST_CONCURRENCY) * LATENCY
    return [
        Row(
            f"`accounts verify --all`, {count} accounts, {LATENCY * 1000:.0f} ms server",
            f"{many:.2f} s",
            f"one account: {one:.2f} s",
            f"{many / one:.1f}×",
            f"≤ {goal:.2f} s",
            "yes" if many <= goal else "no",
        ),
    ]


# --- the window -----------------------------------------------------------------------------------


@contextmanager
def x_server() -> Iterator[str]:
    """A private Xvfb; yields its DISPLAY."""
    read, write = os.pipe()
    xvfb = subprocess.Popen(
        # -noreset: by default the server resets when its last client leaves, and a window
        # spawned during that reset was refused ("could not connect"): a lost run.
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp",
         "-noreset"],
        pass_fds=(write,), stderr=subprocess.DEVNULL,
    )  # fmt: skip
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    display = f":{number}"
    # Ready, says -displayfd; on a busy machine the first client was still refused now and
    # then (a whole run lost to "could not connect"): wait until one gets through.
    give_up = time.monotonic() + 10
    while time.monotonic() < give_up:
        probe = subprocess.run(
            ["xdotool", "getdisplaygeometry"], env={**os.environ, "DISPLAY": display},
            capture_output=True, check=False,
        )  # fmt: skip
        if probe.returncode == 0:
            break
        time.sleep(0.05)
    try:
        yield display
    finally:
        xvfb.terminate()
        xvfb.wait()


def mapped(pid: int, env: dict[str, str]) -> bool:
    found = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--pid", str(pid)],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    return bool(found.stdout.strip())


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return math.nan


def first_frame(command: list[str], env: dict[str, str], settle: float) -> tuple[float, float]:
    """Seconds from spawn to a mapped window, and the peak RSS (MB) `settle` s after it."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT
    )
    try:
        while not mapped(process.pid, env):
            if process.poll() is not None or time.perf_counter() - started > 30:
                process.kill()
                _, errors = process.communicate()
                raise RuntimeError(f"{command[-1]} never showed a window: {errors[-1500:]}")
            time.sleep(0.005)
        elapsed = time.perf_counter() - started
        time.sleep(settle)
        return elapsed, peak_rss_mb(process.pid)
    finally:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def window(home: Path, keyring_env: dict[str, str], runs: int) -> list[Row]:
    bare_script = home / "bare_window.py"
    bare_script.write_text(BARE_WINDOW)
    with x_server() as display:
        env = {**profile_env(home, keyring_env, "window"), "DISPLAY": display,
               "QT_QPA_PLATFORM": "xcb"}  # fmt: skip
        in_profile(env, WRITE_ACCOUNTS.format(root=str(ROOT), count=10))
        ours_command = [str(ZINC)]
        bare_command = [str(PYTHON), str(bare_script)]
        first_frame(ours_command, env, 0.5)  # byte code compiled, caches warm, as installed
        first_frame(bare_command, env, 0.1)
        ours_times, bare_times, ours_rss, bare_rss = [], [], [], []
        for _ in range(runs):
            elapsed, rss = first_frame(ours_command, env, 2.0)
            ours_times.append(elapsed)
            ours_rss.append(rss)
            elapsed, rss = first_frame(bare_command, env, 2.0)
            bare_times.append(elapsed)
            bare_rss.append(rss)
    ours, bare = median(ours_times), median(bare_times)
    rss, bare_peak = median(ours_rss), median(bare_rss)
    return [
        Row(
            "launch to a mapped window (Xvfb, watched from outside), 10 accounts",
            f"{ours:.2f} s",
            f"bare PySide6 window + httpx: {bare:.2f} s",
            f"{ours / bare:.2f}×",
            "≤ 1.3×",
            "yes" if ours / bare <= 1.3 else "no",
        ),
        Row(
            "peak RSS 2 s after the window shows, Secret Service keyring",
            f"{rss:.0f} MB",
            f"bare window: {bare_peak:.0f} MB",
            f"{rss / bare_peak:.2f}×",
            "≤ 1.5×",
            "yes" if rss / bare_peak <= 1.5 else "no",
        ),
    ]


def print_table(rows: list[Row]) -> None:
    header = ("what (whole process, real Secret Service)", "measured", "baseline, same run",
              "ratio", "goal", "met")  # fmt: skip
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        cells = (row.what, row.measured, row.baseline, row.ratio, row.goal, row.met)
        print("| " + " | ".join(cells) + " |")


def measure(runs: int, only: str | None = None) -> list[Row]:
    missing = missing_tools() + [t for t in ("Xvfb", "xdotool") if shutil.which(t) is None]
    if missing:
        raise SystemExit(f"needs {', '.join(missing)} (see .ci/run for the Debian packages)")
    subprocess.run([str(PYTHON), "-m", "compileall", "-q", str(ROOT / "zinc_desktop")], check=True)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="zinc-user-path-") as folder:
        home = Path(folder)
        with private_secret_service(home / "keyring") as keyring_env:
            for name, part in (("listing", listing), ("verify", verify_all), ("window", window)):
                if only in (None, name):
                    rows += part(home, keyring_env, runs)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", choices=("listing", "verify", "window"))
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args(argv)
    rows = measure(args.runs, args.only)
    if args.json:
        print(json.dumps([row.__dict__ for row in rows], indent=2))
    else:
        print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
