"""Install, run and uninstall the Windows installer silently, as a user's machine would see it.

    python packaging/windows/installer_smoke_test.py dist/zinc-desktop-*-setup.exe

Checks, in a per-user install into a temporary folder: the Start menu entry and both programs are
there, `zinc-desktop.exe --version` runs, the PATH task puts the folder on the user's PATH; after
the silent uninstall the folder, the entry and the PATH entry are gone, and the user's data
folder is untouched (a silent uninstall keeps the accounts). Windows only; the hosted workflow
runs it on its Windows runner. Exits 1 on any failure.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def user_path() -> str:
    if sys.platform != "win32":
        raise SystemExit("the installer runs on Windows only")
    import winreg

    with winreg.OpenKey(winreg.HKEY_CURRENT_USER, "Environment") as key:
        try:
            value, _ = winreg.QueryValueEx(key, "Path")
        except FileNotFoundError:
            return ""
    return str(value)


def on_path(folder: Path) -> bool:
    """Whether the user's PATH names `folder` (compared resolved: the runner's TEMP is a short
    8.3 name such as RUNNER~1, which Inno Setup may write out in full)."""
    wanted = os.path.normcase(os.path.realpath(folder))
    return any(
        os.path.normcase(os.path.realpath(entry)) == wanted
        for entry in user_path().split(";")
        if entry.strip()
    )


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_file():
        print(__doc__)
        return 2
    setup = Path(argv[0]).resolve()
    failures: list[str] = []

    def check(what: str, ok: bool) -> None:
        print(f"{'ok  ' if ok else 'FAIL'}  {what}", flush=True)
        if not ok:
            failures.append(what)

    target = Path(tempfile.mkdtemp(prefix="zinc-install-")) / "Zinc Desktop"
    data = Path(os.environ["LOCALAPPDATA"]) / "zinc-desktop"
    data.mkdir(parents=True, exist_ok=True)
    marker = data / "installer-smoke-test.txt"
    marker.write_text("kept\n", encoding="utf-8")
    menu = Path(os.environ["APPDATA"]) / "Microsoft" / "Windows" / "Start Menu" / "Programs"
    entry = menu / "Zinc Desktop.lnk"
    installed = subprocess.run(
        [
            str(setup),
            "/VERYSILENT",
            "/SUPPRESSMSGBOXES",
            "/NORESTART",
            f"/DIR={target}",
            "/TASKS=addtopath",
            f"/LOG={target.parent / 'install.log'}",
        ],
        check=False,
        timeout=300,
    )
    check(f"installer exited 0 (got {installed.returncode})", installed.returncode == 0)
    check(
        "both programs installed",
        all((target / n).is_file() for n in ("zinc-desktop.exe", "Zinc Desktop.exe")),
    )
    check("Start menu entry", entry.is_file())
    check("the folder is on the user's PATH", on_path(target))
    version = subprocess.run(
        [str(target / "zinc-desktop.exe"), "--version"], capture_output=True, text=True, check=False
    )
    check(
        f"zinc-desktop.exe --version: {version.stdout.strip()!r}",
        version.returncode == 0 and "zinc-desktop" in version.stdout,
    )

    uninstaller = target / "unins000.exe"
    removed = subprocess.run(
        [str(uninstaller), "/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART"],
        check=False,
        timeout=300,
    )
    check(f"uninstaller started (exit {removed.returncode})", removed.returncode == 0)
    # The uninstaller hands over to a copy of itself in %TEMP% and returns at once: wait for it.
    deadline = time.monotonic() + 120
    while target.exists() and time.monotonic() < deadline:
        time.sleep(1)
    check("the install folder is gone", not target.exists())
    check("the Start menu entry is gone", not entry.exists())
    check("the PATH entry is gone", not on_path(target))
    check("the user's data is untouched", marker.read_text(encoding="utf-8") == "kept\n")
    marker.unlink()
    print(f"installer: {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
