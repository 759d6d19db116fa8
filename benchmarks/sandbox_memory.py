"""The simulator under abuse: RSS and threads of `zinc-desktop sandbox` as a whole process.

    .venv/bin/python benchmarks/sandbox_memory.py [--json] [--posts N] [--idle N]

Starts the real command (`python -m zinc_desktop sandbox --port 0`), reads its VmRSS and
Threads from /proc/PID/status at start, after 50 unauthenticated 1 MB POSTs to `/` (each on a
connection of its own, as curl would send them; each a JSON array of empty objects, the body
that costs a JSON parser the most memory per byte), and while 300 idle connections are open (TCP
connected, nothing sent), then asks it for the packages as a client would while they are still
open. Threads are sampled every 5 ms throughout, for the peak. The goal (issue item 5): RSS stays
within 20 MB of the start. Nothing is asserted: this prints, you judge. Linux only (/proc).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import platform
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BODY_BYTES = 1_000_000  # the simulator reads bodies up to this size; a larger one is a 413
# 1,000,000 bytes of valid JSON: [{},{},...,{}] (333,333 objects).
BODY = b"[" + b"{}," * ((BODY_BYTES - 4) // 3) + b"{}]"
GOAL_MB = 20.0
SETTLE_SECONDS = 1.0
DEMO_STAGING_PATH = "/staging/partner/v2/packages"


def status_of(pid: int) -> dict[str, int]:
    """VmRSS (kB) and Threads of a live process, from the kernel."""
    figures: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "Threads"):
            figures[name] = int(value.split()[0])
    return figures


def rss_mb(pid: int) -> float:
    return status_of(pid)["VmRSS"] / 1024


class ThreadPeak:
    """The most threads the process had, sampled every 5 ms on a thread of ours."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self._stop.wait(0.005):
            with contextlib.suppress(OSError, KeyError):
                self.peak = max(self.peak, status_of(self.pid)["Threads"])

    def __enter__(self) -> ThreadPeak:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()


def unauthenticated_post(port: int, body: bytes) -> str:
    """POST / without a key on a fresh connection: the answer's status, or what went wrong."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("POST", "/", body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        return str(response.status)
    except OSError as error:  # the server may answer and hang up before the body is read
        return type(error).__name__
    finally:
        connection.close()


def packages_answered(port: int, key: str) -> tuple[str, float]:
    """GET the staging packages with the demo key: its status, and how long it took."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", DEMO_STAGING_PATH, headers={"Authorization": key})
        response = connection.getresponse()
        response.read()
        outcome = str(response.status)
    except OSError as error:
        outcome = type(error).__name__
    finally:
        connection.close()
    return outcome, time.perf_counter() - started


def measure(posts: int, idle: int) -> dict[str, float | str]:
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as home:
        env = {**os.environ, "XDG_DATA_HOME": home, "XDG_CONFIG_HOME": home,
               "XDG_STATE_HOME": home, "PYTHONPATH": str(ROOT)}  # fmt: skip
        process = subprocess.Popen(
            [sys.executable, "-m", "zinc_desktop", "sandbox", "--port", "0"],
            cwd=ROOT,  # `-m` puts the working folder first: this checkout's code is measured
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            return _measure_running(process, posts, idle)
        finally:
            process.terminate()
            process.wait(timeout=30)


def _measure_running(
    process: subprocess.Popen[str], posts: int, idle: int
) -> dict[str, float | str]:
    assert process.stdout is not None
    first = process.stdout.readline()
    found = re.search(r"http://127\.0\.0\.1:(\d+)", first)
    if found is None:
        raise RuntimeError(f"no address in the sandbox's first line: {first!r}")
    port = int(found.group(1))
    key = ""
    for line in iter(process.stdout.readline, ""):
        demo = re.search(r"staging\s+\S+\s+demo key: ([0-9a-f]{32})", line)
        if demo:
            key = demo.group(1)
        if line.startswith("Checks move"):
            break
    time.sleep(SETTLE_SECONDS)
    figures: dict[str, float | str] = {
        "start_mb": rss_mb(process.pid),
        "start_threads": status_of(process.pid)["Threads"],
    }
    with ThreadPeak(process.pid) as peak:
        answers = [unauthenticated_post(port, BODY) for _ in range(posts)]
        time.sleep(SETTLE_SECONDS)
        figures["after_posts_mb"] = rss_mb(process.pid)
        figures["post_answers"] = ", ".join(
            f"{answers.count(answer)}x {answer}" for answer in sorted(set(answers))
        )
        sockets: list[socket.socket] = []
        try:
            opening = time.perf_counter()
            for _ in range(idle):
                sockets.append(socket.create_connection(("127.0.0.1", port), timeout=30))
            figures["idle_open_s"] = time.perf_counter() - opening
            time.sleep(SETTLE_SECONDS)
            figures["idle_mb"] = rss_mb(process.pid)
            figures["idle_threads"] = status_of(process.pid)["Threads"]
            answer, seconds = packages_answered(port, key)
            figures["served_while_idle"] = answer
            figures["served_while_idle_ms"] = seconds * 1000
        finally:
            for connection in sockets:
                connection.close()
        figures["peak_threads"] = max(peak.peak, int(figures["idle_threads"]))
    return figures


def print_table(figures: dict[str, float | str], posts: int, idle: int) -> None:
    start = float(figures["start_mb"])

    def rss_row(what: str, key: str) -> str:
        value = float(figures[key])
        grew = value - start
        met = "yes" if grew <= GOAL_MB else "**no**"
        return f"| {what} | {start:.1f} | {value:.1f} | {grew:+.1f} | <= +{GOAL_MB:.0f} | {met} |"

    machine = f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores"
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    print(
        f"Measured {stamp} on {machine}, Python {platform.python_version()}: "
        f"`zinc-desktop sandbox` as a process of its own. Baseline: its own figures at start."
    )
    print()
    print("| what | start | measured | difference | goal | met |")
    print("|---|---|---|---|---|---|")
    print(rss_row(f"RSS after {posts} unauthenticated 1 MB POSTs to / (MB)", "after_posts_mb"))
    print(rss_row(f"RSS with {idle} idle connections open (MB)", "idle_mb"))
    start_threads = int(figures["start_threads"])
    for what, key in (("threads with the idle connections open", "idle_threads"),
                      ("peak threads, whole run", "peak_threads")):  # fmt: skip
        value = int(figures[key])
        print(f"| {what} | {start_threads} | {value} | {value - start_threads:+d} | - | - |")
    served = figures["served_while_idle"]
    print(
        f"| GET /packages while they are open | - | {served} in "
        f"{float(figures['served_while_idle_ms']):.1f} ms | - | 200 | "
        f"{'yes' if served == '200' else '**no**'} |"
    )
    print()
    print(
        f"Answers to the POSTs: {figures['post_answers']}. Opening the {idle} connections took "
        f"{float(figures['idle_open_s']):.2f} s."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="one JSON object instead")
    parser.add_argument("--posts", type=int, default=50, help="unauthenticated POSTs (50)")
    parser.add_argument("--idle", type=int, default=300, help="idle connections (300)")
    options = parser.parse_args(argv)
    figures = measure(options.posts, options.idle)
    if options.json:
        print(json.dumps(figures))
    else:
        print_table(figures, options.posts, options.idle)
    return 0


if __name__ == "__main__":
    sys.exit(main())
