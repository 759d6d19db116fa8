"""Every performance figure of the app beside its same-run baseline and its goal, as a table.

    .venv/bin/python benchmarks/run_all.py [--quick]

Each measurement runs in a fresh process (benchmarks/probes.py); start-up figures are the
median of several runs. The "real display" row needs Xvfb (xvfb-run) or a DISPLAY; without one
it says so. Nothing is asserted: this prints, you judge (and the README quotes a run).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROBES = HERE / "probes.py"


def run_probe(name: str, *, display: str = "offscreen", timeout: float = 300) -> dict[str, float]:
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as home:
        env = {
            **os.environ,
            "XDG_DATA_HOME": home,
            "XDG_CONFIG_HOME": home,
            "XDG_STATE_HOME": home,
            "XDG_RUNTIME_DIR": home,
            "QT_QPA_PLATFORM": "offscreen" if display == "offscreen" else "xcb",
        }
        command = [sys.executable, str(PROBES), name]
        if display == "xvfb":
            command = ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", *command]
        done = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
    if done.returncode != 0:
        raise RuntimeError(f"probe {name} failed:\n{done.stderr[-2000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def median_of(name: str, key: str, runs: int, display: str = "offscreen") -> float:
    return statistics.median(run_probe(name, display=display)[key] for _ in range(runs))


def shutdown_seconds() -> float:
    """From the close (printed by the probe) to the process being gone."""
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as home:
        env = {**os.environ, "XDG_DATA_HOME": home, "XDG_CONFIG_HOME": home,
               "XDG_STATE_HOME": home, "QT_QPA_PLATFORM": "offscreen"}  # fmt: skip
        process = subprocess.Popen(
            [sys.executable, str(PROBES), "shutdown"], env=env, stdout=subprocess.PIPE, text=True
        )
        assert process.stdout is not None
        closing_at = 0.0
        for line in process.stdout:
            if "closing_at" in line:
                closing_at = json.loads(line)["closing_at"]
                break
        process.wait(timeout=60)
        return time.time() - closing_at


Row = tuple[str, str, str, str, str, bool | None]


def stall_row(probe: str, label: str, bare_stall: float, runs: int) -> Row:
    """The median over `runs` of a stall probe's longest gap (and its 95th percentile, when the
    probe gives one), beside the bare window's."""
    found = [run_probe(probe) for _ in range(runs)]
    stall = statistics.median(f["max_stall_ms"] for f in found)
    shown = f"{stall:.1f}"
    if all("p95_stall_ms" in f for f in found):
        shown += f" (p95 {statistics.median(f['p95_stall_ms'] for f in found):.1f})"
    return (f"  longest GUI stall, {label} (ms)", f"{bare_stall:.1f}", shown,
            f"{stall / bare_stall:.2f}x", "< 16 ms", stall < 16)  # fmt: skip


def measure(quick: bool) -> list[Row]:
    runs = 3 if quick else 5
    rows: list[Row] = []

    if shutil.which("xvfb-run") or os.environ.get("DISPLAY"):
        display = "xvfb" if shutil.which("xvfb-run") else "display"
        bare = median_of("startup_bare", "seconds", runs, display)
        app = median_of("startup_app", "seconds", runs, display)
        rows.append(("launch to first frame, X display (s)", f"{bare:.3f}", f"{app:.3f}",
                        f"{app / bare:.2f}x", "<= 1.3x", app / bare <= 1.3))  # fmt: skip
    else:
        rows.append(("launch to first frame, X display (s)", "-", "-", "-", "<= 1.3x", None))
    bare = median_of("startup_bare", "seconds", runs)
    app = median_of("startup_app", "seconds", runs)
    rows.append(("launch to first frame, offscreen (s)", f"{bare:.3f}", f"{app:.3f}",
                    f"{app / bare:.2f}x", "<= 1.3x", app / bare <= 1.3))  # fmt: skip
    widgets = median_of("startup_widgets", "seconds", runs)
    rows.append(("  the same widgets, none of our code (s)", f"{bare:.3f}", f"{widgets:.3f}",
                    f"{widgets / bare:.2f}x", "(a floor)", None))  # fmt: skip

    stalls_bare = [run_probe("stall_bare") for _ in range(runs)]
    stalls_app = [run_probe("stall_app") for _ in range(runs)]
    bare_stall = statistics.median(s["max_stall_ms"] for s in stalls_bare)
    app_stall = statistics.median(s["max_stall_ms"] for s in stalls_app)
    rows.append(("longest GUI stall, 2 s verify (ms)", f"{bare_stall:.1f}", f"{app_stall:.1f}",
                    f"{app_stall / bare_stall:.2f}x", "< 16 ms and <= 1.5x",
                    app_stall < 16 and app_stall / bare_stall <= 1.5))  # fmt: skip
    rows += [
        stall_row(probe, label, bare_stall, runs)
        for probe, label in (
            ("stall_retest_all", "re-test all, 200 accounts"),
            ("stall_polling", "two checks polled"),
            ("stall_big_check", "a 20,000-entry check polled"),
            ("stall_webhook_flood", "1,000 webhooks flooding the Webhooks tab"),
        )
    ]
    bare_rss = statistics.median(s["peak_rss_mb"] for s in stalls_bare)
    app_rss = statistics.median(s["peak_rss_mb"] for s in stalls_app)
    rss_ratio = app_rss / bare_rss
    rows.append(("peak RSS, window + verify, keyring in memory (MB)", f"{bare_rss:.1f}",
                 f"{app_rss:.1f}", f"{rss_ratio:.2f}x", "<= 1.5x", rss_ratio <= 1.5))  # fmt: skip
    secret_service = statistics.median(
        run_probe("memory_secret_service")["peak_rss_mb"] for _ in range(runs)
    )
    if secret_service:
        ratio = secret_service / bare_rss
        rows.append(("  the same, Secret Service keyring (MB)", f"{bare_rss:.1f}",
                     f"{secret_service:.1f}", f"{ratio:.2f}x", "<= 1.5x",
                     ratio <= 1.5))  # fmt: skip
    else:
        rows.append(("  the same, Secret Service keyring (MB)", "-", "-", "-", "<= 1.5x", None))

    small, large = run_probe("listing_10"), run_probe("listing_10000")
    ratio = large["later_s"] / small["later_s"]
    keyring = "Secret Service" if large["secret_service"] else "memory keyring"
    rows.append((f"accounts list, 10 vs 10,000 ({keyring}) (s)", f"{small['later_s']:.3f}",
                    f"{large['later_s']:.3f}", f"{ratio:.2f}x", "<= 2x", ratio <= 2))  # fmt: skip
    first_ratio = large["first_s"] / small["first_s"]
    rows.append(("  the same, first listing: keys missing (s)", f"{small['first_s']:.3f}",
                    f"{large['first_s']:.3f}", f"{first_ratio:.2f}x", "(one write)",
                    None))  # fmt: skip

    retest = run_probe("retest_200")
    bound = 1.3 * retest["ideal_s"]
    rows.append(("re-test all, 200 accounts, 100 ms server (s)", f"{retest['ideal_s']:.2f}",
                    f"{retest['seconds']:.2f}", f"{retest['seconds'] / retest['ideal_s']:.2f}x",
                    f"<= {bound:.2f} s", retest["seconds"] <= bound))  # fmt: skip

    closing = statistics.median(shutdown_seconds() for _ in range(3))
    rows.append(("close with a call in flight (s)", "-", f"{closing:.2f}", "-", "<= 0.5 s",
                    closing <= 0.5))  # fmt: skip

    ring_small, ring_large = run_probe("ring_100"), run_probe("ring_10000")
    growth = ring_large["after_all_mb"] / ring_small["after_all_mb"]
    rows.append(("peak RSS, 100 vs 10,000 exchanges (MB)", f"{ring_small['after_all_mb']:.1f}",
                    f"{ring_large['after_all_mb']:.1f}", f"{growth:.2f}x", "<= 1.1x",
                    growth <= 1.1))  # fmt: skip

    # One run swings by a few ms on 2 cores: the median of `runs`, as for the stalls.
    step = median_of("table_10000", "max_step_ms", runs)
    rows.append(("accounts table, 10,000 rows: longest step, median (ms)", "-",
                    f"{step:.1f}", "-", "<= 16 ms", step <= 16))  # fmt: skip

    overhead = client_overhead()
    rows.append(("GET /packages, ZincClient vs raw httpx (ms)", f"{overhead[0]:.3f}",
                    f"{overhead[1]:.3f}", f"{overhead[1] / overhead[0]:.2f}x", "(no goal)",
                    None))  # fmt: skip
    return rows


def client_overhead() -> tuple[float, float]:
    done = subprocess.run(
        [sys.executable, str(HERE / "client_overhead.py"), "--json"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return figures["raw_ms"], figures["ours_ms"]


def print_table(rows: list[Row], heading: str) -> None:
    print(heading)
    print()
    print("| what | baseline | zinc-desktop | ratio | goal | met |")
    print("|---|---|---|---|---|---|")
    marks: dict[bool | None, str] = {True: "yes", False: "**no**", None: "-"}
    for what, baseline, app, ratio, goal, met in rows:
        print(f"| {what} | {baseline} | {app} | {ratio} | {goal} | {marks[met]} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    options = parser.parse_args(argv)
    started = time.monotonic()
    # As an installed copy runs: pip compiles byte code at install and the bundle ships it,
    # while a checkout under PYTHONDONTWRITEBYTECODE would compile every module at each start.
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(HERE.parent / "zinc_desktop"),
         str(HERE.parent / "tests" / "support"), str(HERE)],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    sys.path.insert(0, str(HERE.parent))
    from benchmarks import user_path

    user_rows = user_path.measure(3 if options.quick else 7)
    rows = measure(options.quick)
    machine = f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores"
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    heading = (
        f"Measured {stamp} on {machine}, Python {platform.python_version()}, "
        f"in {time.monotonic() - started:.0f} s. Baselines: a bare PySide6 main window with httpx "
        "imported, as installed (without httpx's optional command-line packages) (start-up, "
        "stall, memory); the same table with 10 accounts; ceil(N/8) x latency "
        "(re-test all); 100 exchanges (memory); a raw httpx request."
    )
    print("The user's path (the figures the goals are judged by; benchmarks/user_path.py):")
    print()
    user_path.print_table(user_rows)
    print()
    print_table(
        rows, "Diagnostics, in one process (what the profiles below were made with). " + heading
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
