"""How long does the GUI thread stall while a key is verified against a slow server?

Each probe runs in its own process (clean start-up time and peak RSS). The baseline is a bare
PySide6 window ticking the same 5 ms timer; the app probe opens the real MainWindow on the
simulator, presses Connect, and ticks until the 2 s verification has come back.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

TICK_MS = 5
SLOW_SECONDS = 2.0


def _ticker(app: object, until: object) -> list[float]:
    from PySide6.QtCore import QTimer

    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now
        if until():  # type: ignore[operator]
            app.quit()  # type: ignore[attr-defined]

    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(tick)
    timer.start()
    app.exec()  # type: ignore[attr-defined]
    return gaps


def probe_bare() -> dict[str, float]:
    started = time.perf_counter()
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication([])
    window = QWidget()
    window.resize(980, 720)
    window.show()
    app.processEvents()
    startup = time.perf_counter() - started
    deadline = time.perf_counter() + SLOW_SECONDS + 0.5
    gaps = _ticker(app, lambda: time.perf_counter() > deadline)
    return _figures(startup, gaps)


def probe_app() -> dict[str, float]:
    started = time.perf_counter()
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from zinc_desktop.core.app_paths import AppPaths
    from zinc_desktop.core.environments import Environment, sandbox_endpoints
    from zinc_desktop.core.secret_store import MemorySecretStore
    from zinc_desktop.gui.main_window import MainWindow
    from zinc_desktop.sandbox import DEMO_KEYS, Fault, SandboxServer
    from zinc_desktop.services import assemble_services

    app = QApplication([])
    sandbox = SandboxServer().start()
    store = MemorySecretStore()
    services = assemble_services(
        AppPaths.for_profile(), sandbox_endpoints(sandbox.base_urls()), lambda: store
    )
    settings = QSettings(os.path.join(tempfile.mkdtemp(), "w.ini"), QSettings.Format.IniFormat)
    window = MainWindow(services, settings=settings, demo_keys=DEMO_KEYS)
    window.show()
    app.processEvents()
    startup = time.perf_counter() - started
    # Start-up work (loading accounts, warming the HTTP stack) runs in the background; a user
    # takes longer than that to paste a key, so the measurement starts once it is done.
    while window.runner.pending():
        app.processEvents()
        time.sleep(0.005)
    sandbox.inject(Fault(delay=SLOW_SECONDS))
    window.link_panel.key_input.setText(DEMO_KEYS[Environment.STAGING])
    window.link_panel.connect_button.click()
    gaps = _ticker(app, lambda: bool(window.model.accounts()))
    window.close()
    sandbox.stop()
    return _figures(startup, gaps)


def _figures(startup: float, gaps: list[float]) -> dict[str, float]:
    ordered = sorted(gaps)
    return {
        "startup_s": startup,
        "ticks": len(gaps),
        "max_stall_ms": ordered[-1] * 1000,
        "p99_stall_ms": ordered[int(len(ordered) * 0.99) - 1] * 1000,
        "median_tick_ms": statistics.median(ordered) * 1000,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_probe(name: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as home:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            "XDG_DATA_HOME": home,
            "XDG_CONFIG_HOME": home,
            "XDG_STATE_HOME": home,
        }
        output = subprocess.run(
            [sys.executable, __file__, "--probe", name],
            env=env, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    return dict(json.loads(output.strip().splitlines()[-1]))


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--probe":
        print(json.dumps(probe_bare() if sys.argv[2] == "bare" else probe_app()))
        return
    bare, app = run_probe("bare"), run_probe("app")
    print(f"Event loop while verifying against a {SLOW_SECONDS:g} s server, {TICK_MS} ms timer")
    print(f"{'':22}{'bare window':>14}{'zinc-desktop':>14}{'ratio':>9}")
    for key, label in (
        ("max_stall_ms", "longest stall (ms)"),
        ("p99_stall_ms", "p99 tick gap (ms)"),
        ("median_tick_ms", "median tick gap (ms)"),
        ("startup_s", "start-up (s)"),
        ("peak_rss_mb", "peak RSS (MB)"),
    ):
        ratio = app[key] / bare[key] if bare[key] else float("nan")
        print(f"{label:22}{bare[key]:14.1f}{app[key]:14.1f}{ratio:9.2f}")
    print(f"ticks: bare {bare['ticks']:.0f}, app {app['ticks']:.0f}")


if __name__ == "__main__":
    main()
