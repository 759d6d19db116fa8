"""A private Secret Service: its own D-Bus and gnome-keyring in a temporary home.

Tests never talk to the developer's real session keyring.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PASSWORD = b"zinc-desktop-tests"


def missing_tools() -> list[str]:
    return [tool for tool in ("dbus-daemon", "gnome-keyring-daemon") if shutil.which(tool) is None]


@contextmanager
def private_secret_service(home: Path) -> Iterator[dict[str, str]]:
    """Yields the environment variables that reach the private service."""
    runtime = home / "run"
    runtime.mkdir(mode=0o700, parents=True)
    bus = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1", "--nopidfile"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert bus.stdout is not None
    address = bus.stdout.readline().strip()
    env = {
        "DBUS_SESSION_BUS_ADDRESS": address,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "keyring-data"),
        "XDG_RUNTIME_DIR": str(runtime),
    }
    full_env = {**os.environ, **env}
    full_env.pop("PYTHON_KEYRING_BACKEND", None)
    daemon = subprocess.Popen(
        ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=full_env,
    )
    assert daemon.stdin is not None
    daemon.stdin.write(PASSWORD)
    daemon.stdin.close()
    try:
        _wait_until_ready(full_env)
        yield env
    finally:
        for process in (daemon, bus):
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait_until_ready(env: dict[str, str]) -> None:
    probe = (
        "import keyring, sys\n"
        "k = keyring.get_keyring()\n"
        "sys.exit(0 if 'SecretService' in type(k).__module__ else 3)\n"
        "k.get_password('zinc-desktop-probe', 'probe')\n"
    )
    deadline = time.monotonic() + 20
    last = ""
    while time.monotonic() < deadline:
        result = subprocess.run(
            [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=20
        )
        if result.returncode == 0:
            return
        last = result.stderr[-500:]
        time.sleep(0.2)
    raise RuntimeError(f"the private Secret Service did not come up: {last}")
