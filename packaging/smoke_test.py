"""Smoke test of the built bundle, as a user would meet it, on the platform it was built on.

    python3 packaging/smoke_test.py [--bundle dist/zinc-desktop] [--wheel build/wheel/...whl]

The bundle is dist/zinc-desktop/ on Linux and Windows (zinc-desktop.exe there) and
"dist/Zinc Desktop.app" on macOS. Standard library only; every check runs the frozen program,
never the source tree. On Linux (this repository's CI):

- `--version`, the bundle's size, and the sandbox command (whose demo keys the rest use);
- `--sandbox verify` with the Staging demo key on stdin;
- `--sandbox link`, `accounts list --json` and `accounts verify --all` against a REAL Secret
  Service: gnome-keyring on a private D-Bus, in a throwaway HOME (never your own keyring);
- TLS through the OS trust store: a test CA is added with update-ca-certificates (root only),
  a loopback HTTPS server answers GET /packages, and the frozen `verify` must fail before the
  CA is trusted and succeed after; the CA is always removed again;
- the window under Xvfb: an X window titled "Zinc Desktop" appears, a second launch brings it
  forward and exits 0, and the log starts with the bundle's versions and keyring backend;
- install.sh --user / uninstall.sh into a temporary HOME: the menu entry validates, the
  launcher runs, and uninstalling leaves the HOME exactly as it was (user data kept);
- a plain install of the wheel into a throwaway venv brings the runtime dependencies only.

On macOS and Windows (the hosted workflow's runners; never run here): the same version, sandbox
and verify checks; link, list, re-test and unlink through the platform's own keyring (macOS
Keychain, Windows Credential Manager) under a throwaway profile; the window opened with the
platform's own Qt plugin (it logs the keyring backend once shown; a second launch brings it
forward); on macOS the .dmg mounted and the app in it run; the light install. Checks that mean
nothing on a platform (gnome-keyring, update-ca-certificates, install.sh) say "n/a".

Prints one line per check and exits non-zero if any failed. Checks that need root (or sudo
without a password), Xvfb or gnome-keyring are skipped with the reason when those are missing,
except on CI (CI=true).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import json
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import venv
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINUX = sys.platform.startswith("linux")
MACOS = sys.platform == "darwin"
WINDOWS = sys.platform == "win32"
# Linux: measured (137 MB). macOS (PySide6's wheel is universal2: both architectures) and Windows
# are not measured yet: generous limits that still catch a bundle that swallowed a toolchain.
SIZE_LIMIT_MB = 150 if LINUX else 400
DISPLAY_NAME = "Zinc Desktop"
CA_NAME = "zinc-desktop-smoke-test"
CA_DIR = Path("/usr/local/share/ca-certificates")
DEV_TOOLS = {"pytest", "pytest-qt", "hypothesis", "ruff", "mypy", "import-linter", "pyinstaller"}
ON_CI = bool(os.environ.get("CI"))


class Skip(Exception):
    """A check that cannot run here (and is allowed not to, off CI)."""


class NotHere(Exception):
    """A check that means nothing on this platform (never a failure, on CI either)."""


def default_bundle() -> Path:
    return ROOT / "dist" / (f"{DISPLAY_NAME}.app" if MACOS else "zinc-desktop")


def program_in(bundle: Path) -> Path:
    """The command-line program of a bundle (inside Contents/MacOS of a macOS app)."""
    if MACOS:
        return bundle / "Contents" / "MacOS" / "zinc-desktop"
    return bundle / ("zinc-desktop.exe" if WINDOWS else "zinc-desktop")


class Smoke:
    def __init__(self, bundle: Path, work: Path) -> None:
        self.bundle = bundle
        self.program = program_in(bundle)
        self.work = work
        self.passed = 0
        self.failed: list[str] = []
        self.skipped: list[str] = []
        self.demo_keys: dict[str, str] = {}

    def check(self, name: str, body: Callable[[], str]) -> None:
        started = time.monotonic()
        try:
            detail = body()
        except NotHere as reason:
            print(f"n/a   {name}: {reason}", flush=True)
            return
        except Skip as reason:
            if ON_CI:
                self.failed.append(name)
                print(f"FAIL  {name}: cannot run on CI: {reason}", flush=True)
            else:
                self.skipped.append(name)
                print(f"skip  {name}: {reason}", flush=True)
            return
        except Exception as error:  # noqa: BLE001  # one failed check must not hide the others
            self.failed.append(name)
            print(f"FAIL  {name}: {type(error).__name__}: {error}", flush=True)
            return
        self.passed += 1
        seconds = time.monotonic() - started
        print(f"ok    {name} ({seconds:.1f} s){': ' + detail if detail else ''}", flush=True)

    # --- running the frozen program ------------------------------------------------------------

    def profile(self, name: str) -> dict[str, str]:
        """An environment whose app folders are private to this check.

        Linux: HOME and the XDG folders. macOS: the XDG folders (platformdirs follows them there
        since 4.8) but the real HOME, where the Security framework finds the login keychain
        (with HOME moved there is none). Windows: platformdirs' WIN_PD_OVERRIDE_* (it asks the
        shell for the known folders, not the environment's LOCALAPPDATA)."""
        home = self.work / name
        home.mkdir(parents=True, exist_ok=True)
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("XDG_", "ZINC_", "DBUS_", "PYTHON_KEYRING", "WIN_PD_"))
        }
        env["QT_QPA_PLATFORM"] = "offscreen"
        if not MACOS:
            env["HOME"] = str(home)
        if not WINDOWS:
            env.update(
                XDG_DATA_HOME=str(home / "data"),
                XDG_CONFIG_HOME=str(home / "config"),
                XDG_STATE_HOME=str(home / "state"),
                XDG_CACHE_HOME=str(home / "cache"),
            )
        else:
            env.update(
                WIN_PD_OVERRIDE_LOCAL_APPDATA=str(home / "AppData" / "Local"),
                WIN_PD_OVERRIDE_APPDATA=str(home / "AppData" / "Roaming"),
            )
        return env

    def log_file(self, env: dict[str, str], profile: str) -> Path:
        """Where platformdirs puts the log of a profile, under this check's environment."""
        if MACOS:  # ~/Library/Logs follows no variable: the real one, a profile of its own
            folder = Path.home() / "Library" / "Logs" / "zinc-desktop"
        elif WINDOWS:
            folder = Path(env["WIN_PD_OVERRIDE_LOCAL_APPDATA"]) / "zinc-desktop" / "Logs"
        else:
            folder = Path(env["XDG_STATE_HOME"]) / "zinc-desktop" / "log"
        return folder / profile / "zinc-desktop.log"

    def run(
        self,
        env: dict[str, str],
        *args: str,
        stdin: str = "",
        timeout: float = 60,
        program: Path | None = None,
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(program or self.program), *args],
            input=stdin,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def sh(command: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run a command to completion, output captured, its exit code left to the caller."""
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


def expect(result: subprocess.CompletedProcess[str], code: int, contains: str = "") -> str:
    output = (result.stdout + result.stderr).strip()
    if result.returncode != code or contains not in output:
        raise AssertionError(f"exit {result.returncode} (wanted {code}): {output[-800:]}")
    return output


def tree_size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())


# --- the checks -------------------------------------------------------------------------------


def check_version(smoke: Smoke) -> str:
    out = expect(smoke.run(smoke.profile("version"), "--version"), 0, "zinc-desktop ")
    megabytes = tree_size(smoke.bundle) / 1e6
    if megabytes > SIZE_LIMIT_MB:
        raise AssertionError(f"{out}, but the bundle is {megabytes:.0f} MB (> {SIZE_LIMIT_MB})")
    return f"{out}; bundle {megabytes:.1f} MB unpacked"


def check_sandbox_command(smoke: Smoke) -> str:
    process = subprocess.Popen(
        [str(smoke.program), "sandbox", "--port", "0"],
        env=smoke.profile("sandbox"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + 30
        while len(smoke.demo_keys) < 2 and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            words = line.split()
            if "demo" in words and words[0] in ("staging", "production"):
                smoke.demo_keys[words[0]] = words[-1]
    finally:
        process.terminate()
        process.wait(timeout=10)
    if set(smoke.demo_keys) != {"staging", "production"}:
        raise AssertionError(f"no demo keys printed (got {smoke.demo_keys})")
    return "printed both demo keys"


def check_sandbox_verify(smoke: Smoke) -> str:
    env = smoke.profile("verify")
    key = smoke.demo_keys["staging"]
    out = expect(smoke.run(env, "--sandbox", "verify", "--env", "staging", stdin=key), 0, "valid:")
    if key in out:
        raise AssertionError("the key was printed")
    return out


@contextlib.contextmanager
def private_secret_service(home: Path) -> Iterator[dict[str, str]]:
    """gnome-keyring on a D-Bus of its own, unlocked with a throwaway password."""
    tools = ("dbus-daemon", "gnome-keyring-daemon", "dbus-send")
    missing = [tool for tool in tools if not shutil.which(tool)]
    if missing:
        raise Skip(f"missing {', '.join(missing)} (apt install dbus gnome-keyring)")
    runtime = home / "run"
    runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
    bus = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1", "--nopidfile"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert bus.stdout is not None
    env = {
        "DBUS_SESSION_BUS_ADDRESS": bus.stdout.readline().strip(),
        "XDG_RUNTIME_DIR": str(runtime),
    }
    keyring_env = {**os.environ, **env, "HOME": str(home), "XDG_DATA_HOME": str(home / "kr")}
    daemon = subprocess.Popen(
        ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=keyring_env,
    )
    assert daemon.stdin is not None
    daemon.stdin.write(b"zinc-desktop-smoke-test")
    daemon.stdin.close()
    try:
        ask = [
            "dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner",
            "string:org.freedesktop.secrets",
        ]  # fmt: skip
        deadline = time.monotonic() + 20
        while "boolean true" not in sh(ask, keyring_env).stdout:
            if time.monotonic() > deadline or daemon.poll() is not None:
                raise AssertionError("gnome-keyring did not come up on the private bus")
            time.sleep(0.2)
        yield env
    finally:
        for process in (daemon, bus):
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()


def check_secret_service(smoke: Smoke) -> str:
    if not LINUX:
        raise NotHere("the Secret Service is Linux's keyring (the native keyring check runs here)")
    env = smoke.profile("keyring")
    key = smoke.demo_keys["staging"]
    with private_secret_service(Path(env["HOME"])) as bus:
        env.update(bus)
        linked = expect(
            smoke.run(env, "--sandbox", "link", "--env", "staging", "--label", "Smoke", stdin=key),
            0,
            "linked:",
        )
        if "Secret Service" not in linked:
            raise AssertionError(f"not stored in the Secret Service: {linked}")
        listed = expect(smoke.run(env, "--sandbox", "accounts", "list", "--json"), 0)
        accounts = json.loads(listed)
        if len(accounts) != 1 or accounts[0]["key_hint"] != key[-4:]:
            raise AssertionError(f"unexpected accounts: {listed}")
        if accounts[0]["status"] != "verified" or key in listed:
            raise AssertionError(f"unexpected account: {listed}")
        # Re-testing reads the key back from the keyring: the round trip through D-Bus.
        expect(smoke.run(env, "--sandbox", "accounts", "verify", "--all"), 0)
    return "linked, listed and re-verified through gnome-keyring (keyring's SecretService backend)"


def check_native_keyring(smoke: Smoke) -> str:
    """macOS Keychain or Windows Credential Manager: keyring's backend found in the frozen app."""
    if LINUX:
        raise NotHere("Linux's keyring is the Secret Service, checked above")
    wanted = "macOS Keychain" if MACOS else "Windows Credential Manager"
    env = smoke.profile("native-keyring")
    key = smoke.demo_keys["staging"]
    linked = expect(
        smoke.run(env, "--sandbox", "link", "--env", "staging", "--label", "Smoke", stdin=key),
        0,
        "linked:",
    )
    try:
        if wanted not in linked:
            raise AssertionError(f"not stored in the {wanted}: {linked}")
        listed = expect(smoke.run(env, "--sandbox", "accounts", "list", "--json"), 0)
        accounts = json.loads(listed)
        if len(accounts) != 1 or accounts[0]["key_hint"] != key[-4:] or key in listed:
            raise AssertionError(f"unexpected accounts: {listed}")
        expect(smoke.run(env, "--sandbox", "accounts", "verify", "--all"), 0)
    finally:
        # The runner's own keyring outlives this check: take the key out again (quietly: a
        # failure here must not hide the one that brought us here).
        remaining = smoke.run(env, "--sandbox", "accounts", "list", "--json")
        with contextlib.suppress(ValueError, KeyError, TypeError):
            for account in json.loads(remaining.stdout):
                smoke.run(env, "--sandbox", "unlink", account["id"])
    return f"linked, listed, re-verified and unlinked through the {wanted}"


class _PackagesHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # http.server's name
        if self.path.endswith("/packages") and self.headers.get("Authorization"):
            body = json.dumps({"packages": [{"id": "pkg-smoke", "name": "Smoke"}]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
        else:
            body = b'{"error": "not found"}'
            self.send_response(404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


def make_test_ca(folder: Path) -> tuple[Path, Path, Path]:
    """A CA and a localhost server certificate it signed, with the openssl command."""
    if not shutil.which("openssl"):
        raise Skip("openssl is not installed")
    ca_key, ca_crt = folder / "ca.key", folder / "ca.crt"
    key, csr, crt = folder / "server.key", folder / "server.csr", folder / "server.crt"
    ext = folder / "server.ext"
    ext.write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], check=True, capture_output=True)

    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(ca_key), "-out",
            str(ca_crt), "-days", "2", "-subj", f"/CN={CA_NAME} CA",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")  # fmt: skip
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(csr),
            "-subj", "/CN=localhost")  # fmt: skip
    openssl("x509", "-req", "-in", str(csr), "-CA", str(ca_crt), "-CAkey", str(ca_key),
            "-CAcreateserial", "-out", str(crt), "-days", "2", "-extfile", str(ext))  # fmt: skip
    return ca_crt, crt, key


@contextlib.contextmanager
def https_server(cert: Path, key: Path) -> Iterator[int]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _PackagesHandler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def trusted_by_the_os(ca_crt: Path, root: list[str]) -> Iterator[None]:
    """The CA in the OS trust store (Debian's update-ca-certificates) for the duration."""
    target = CA_DIR / f"{CA_NAME}.crt"
    subprocess.run([*root, "cp", str(ca_crt), str(target)], check=True, capture_output=True)
    try:
        subprocess.run([*root, "update-ca-certificates"], check=True, capture_output=True)
        yield
    finally:
        subprocess.run([*root, "rm", "-f", str(target)], check=False, capture_output=True)
        subprocess.run([*root, "update-ca-certificates"], check=False, capture_output=True)


def as_root() -> list[str]:
    """How to run a command as root here: directly, or through sudo that asks no password."""
    if sys.platform != "win32" and os.geteuid() == 0:
        return []
    if shutil.which("sudo") and sh(["sudo", "-n", "true"]).returncode == 0:
        return ["sudo", "-n"]
    raise Skip("adding a CA to the OS trust store needs root (or sudo without a password)")


def check_os_trust_store(smoke: Smoke) -> str:
    if not LINUX:
        raise NotHere("checked on Linux (update-ca-certificates); truststore asks the OS here")
    root = as_root()
    if not shutil.which("update-ca-certificates") or not CA_DIR.is_dir():
        raise Skip("no update-ca-certificates (apt install ca-certificates)")
    folder = smoke.work / "tls"
    folder.mkdir()
    ca_crt, crt, key = make_test_ca(folder)
    env = smoke.profile("tls")
    for name in ("SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE"):
        env.pop(name, None)
    demo_key = smoke.demo_keys["staging"]
    with https_server(crt, key) as port:
        env["ZINC_STAGING_API_URL"] = f"https://localhost:{port}/partner/v2"
        untrusted = smoke.run(env, "verify", "--env", "staging", stdin=demo_key)
        if untrusted.returncode == 0:
            raise AssertionError("verify succeeded before the CA was trusted: TLS is not checked")
        with trusted_by_the_os(ca_crt, root):
            trusted = expect(smoke.run(env, "verify", "--env", "staging", stdin=demo_key), 0)
    return f"refused before the CA was trusted (exit {untrusted.returncode}), then {trusted!r}"


def x_tools() -> None:
    missing = [t for t in ("Xvfb", "xdotool", "xprop") if not shutil.which(t)]
    if missing:
        raise Skip(f"missing {', '.join(missing)} (apt install xvfb xdotool x11-utils)")


@contextlib.contextmanager
def xvfb() -> Iterator[str]:
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    try:
        with os.fdopen(read) as pipe:
            display = pipe.readline().strip()
        if not display:
            raise AssertionError("Xvfb did not start")
        yield f":{display}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def wait_for_window(env: dict[str, str], title: str, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--name", title],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if found.stdout.split():
            return found.stdout.split()[0]
        time.sleep(0.3)
    raise AssertionError(f"no visible X window titled {title!r} within {seconds:.0f} s")


def check_window(smoke: Smoke) -> str:
    if not LINUX:
        return check_native_window(smoke)
    x_tools()
    env = smoke.profile("window")
    env.pop("QT_QPA_PLATFORM")  # the real X11 (xcb) plugin this time
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"  # no keyring needed here
    runtime = Path(tempfile.mkdtemp(prefix="zd-"))
    env["XDG_RUNTIME_DIR"] = str(runtime)
    with xvfb() as display:
        env["DISPLAY"] = display
        output = (smoke.work / "window.out").open("w")
        window = subprocess.Popen(
            [str(smoke.program), "--sandbox"], env=env, stdout=output, stderr=subprocess.STDOUT
        )
        try:
            window_id = wait_for_window(env, "Zinc Desktop", 60)
            title = sh(["xdotool", "getwindowname", window_id], env).stdout.strip()
            wm_class = sh(["xprop", "-id", window_id, "WM_CLASS"], env).stdout.strip()
            raised = raise_and_read_the_log(smoke, env, window)
        finally:
            stop(window)
            output.close()
            shutil.rmtree(runtime, ignore_errors=True)
    return f"{title!r} ({wm_class}); {raised}"


def raise_and_read_the_log(
    smoke: Smoke, env: dict[str, str], window: subprocess.Popen[bytes]
) -> str:
    """A second launch brings the first forward; the first's log has its header, 0600 in 0700."""
    log_file = smoke.log_file(env, "sandbox")
    deadline = time.monotonic() + 60
    while not log_file.is_file() or "keyring backend:" not in log_file.read_text("utf-8"):
        if window.poll() is not None:
            raise AssertionError(f"the window exited ({window.returncode}) before it showed")
        if time.monotonic() > deadline:
            raise AssertionError(f"no keyring line in {log_file} within 60 s")
        time.sleep(0.2)
    second = smoke.run(env, "--sandbox", timeout=30)
    expect(second, 0, "brought forward")
    if window.poll() is not None:
        raise AssertionError(f"the first window exited ({window.returncode})")
    deadline = time.monotonic() + 20
    while "asked this window to come forward" not in log_file.read_text("utf-8"):
        if time.monotonic() > deadline:
            raise AssertionError(f"the raise request is not in {log_file}")
        time.sleep(0.2)
    text = log_file.read_text("utf-8")
    for wanted in ("(bundle)", "Qt 6.", "PySide6 6."):
        if wanted not in text:
            raise AssertionError(f"{wanted!r} missing from the log:\n{text[-1500:]}")
    line = next(line for line in text.splitlines() if "keyring backend:" in line)
    backend = line.split("keyring backend:", 1)[1].split(" (")[0].strip()
    if not WINDOWS:  # Windows keeps files private by the profile folder's ACL, not by modes
        modes = {oct(log_file.parent.stat().st_mode & 0o777), oct(log_file.stat().st_mode & 0o777)}
        if modes != {"0o700", "0o600"}:
            raise AssertionError(f"log folder/file modes are {modes}")
    return f"a second launch brought it forward; log header in place; keyring backend: {backend}"


def stop(window: subprocess.Popen[bytes]) -> None:
    window.terminate()
    try:
        window.wait(timeout=10)
    except subprocess.TimeoutExpired:
        window.kill()
        window.wait()


def check_native_window(smoke: Smoke) -> str:
    """The window with the platform's own Qt plugin (cocoa, windows), as the launcher starts it."""
    env = smoke.profile("window")
    env.pop("QT_QPA_PLATFORM")
    # Windows: the Start menu starts the program without a console; macOS: the .app's program.
    first = smoke.bundle / f"{DISPLAY_NAME}.exe" if WINDOWS else smoke.program
    with (smoke.work / "window.out").open("w") as output:
        window = subprocess.Popen([str(first), "--sandbox"], env=env, stdout=output, stderr=output)
        try:
            raised = raise_and_read_the_log(smoke, env, window)
        finally:
            stop(window)
    return f"{first.name} opened its window; {raised}"


def check_install_uninstall(smoke: Smoke) -> str:
    if not LINUX:
        raise NotHere(
            "install.sh is Linux's; the Windows installer has its own smoke test and the macOS "
            ".dmg is checked below"
        )
    home = smoke.work / "install-home"
    user_data = home / ".local" / "share" / "zinc-desktop"
    user_data.mkdir(parents=True)
    (user_data / "accounts.json").write_text("[]\n")
    before = sorted(str(p.relative_to(home)) for p in home.rglob("*"))
    env = {"HOME": str(home), "PATH": os.environ.get("PATH", ""), "ZINC_DESKTOP_ALLOW_ROOT": "1"}
    unpacked = smoke.work / "unpacked" / "zinc-desktop"
    shutil.copytree(smoke.bundle, unpacked, symlinks=True)
    expect(sh(["bash", str(unpacked / "install.sh"), "--user"], env), 0, "Installed zinc-desktop")
    launcher = home / ".local" / "bin" / "zinc-desktop"
    expect(sh([str(launcher), "--version"]), 0, "zinc-desktop ")
    entry = home / ".local" / "share" / "applications" / "zinc-desktop.desktop"
    if shutil.which("desktop-file-validate"):
        expect(sh(["desktop-file-validate", str(entry)]), 0)
    elif ON_CI:
        raise AssertionError("desktop-file-validate is missing")
    icons = list((home / ".local" / "share" / "icons" / "hicolor").rglob("zinc-desktop.*"))
    if len(icons) != 10:
        raise AssertionError(f"{len(icons)} icons installed, wanted 9 PNGs and the SVG")
    uninstall = home / ".local" / "opt" / "zinc-desktop" / "uninstall.sh"
    expect(sh(["bash", str(uninstall)], env), 0)
    after = sorted(str(p.relative_to(home)) for p in home.rglob("*"))
    if after != before:
        raise AssertionError(f"left behind: {sorted(set(after) - set(before))}")
    if (user_data / "accounts.json").read_text() != "[]\n":
        raise AssertionError("the user's data changed")
    return "menu entry valid, launcher runs, 10 icons; uninstall left the HOME as it was"


def check_disk_image(smoke: Smoke) -> str:
    """macOS: the .dmg mounts read-only, holds the app and /Applications, and the app runs."""
    if not MACOS:
        raise NotHere("the .dmg is macOS's")
    images = sorted((ROOT / "dist").glob("zinc-desktop-*.dmg"))
    if not images:
        raise Skip("no dist/zinc-desktop-*.dmg (python3 dev.py package --archive makes it)")
    mount = smoke.work / "dmg"
    mount.mkdir()
    expect(
        sh(
            [
                "hdiutil",
                "attach",
                "-nobrowse",
                "-readonly",
                "-mountpoint",
                str(mount),
                str(images[-1]),
            ]
        ),
        0,
    )
    try:
        app = mount / f"{DISPLAY_NAME}.app"
        if not (mount / "Applications").is_symlink():
            raise AssertionError("no link to /Applications beside the app")
        out = expect(
            smoke.run(smoke.profile("dmg"), "--version", program=program_in(app)),
            0,
            "zinc-desktop ",
        )
        signature = sh(["codesign", "--verify", "--deep", "--strict", str(app)])
        if signature.returncode != 0:
            raise AssertionError(f"codesign --verify: {signature.stderr.strip()}")
    finally:
        for attempt in range(5):  # "Resource busy" comes and goes on macOS runners
            if (
                sh(["hdiutil", "detach", *(["-force"] if attempt else []), str(mount)]).returncode
                == 0
            ):
                break
            time.sleep(2)
    return f"{images[-1].name}: the app in it runs ({out}), its signature verifies"


def check_light_install(smoke: Smoke, wheel: Path | None) -> str:
    if wheel is None:
        raise Skip("no wheel given (dev.py package builds build/wheel/*.whl)")
    target = smoke.work / "light-venv"
    venv.EnvBuilder(with_pip=True).create(target)
    scripts = target / ("Scripts" if WINDOWS else "bin")
    python = scripts / "python"
    pip = [str(python), "-m", "pip", "--disable-pip-version-check"]
    expect(sh([*pip, "install", str(wheel)]), 0)
    listed = expect(sh([*pip, "list", "--format=json"]), 0)
    names = {p["name"].lower().replace("_", "-") for p in json.loads(listed.splitlines()[0])}
    if names & DEV_TOOLS:
        raise AssertionError(f"development tools came in: {sorted(names & DEV_TOOLS)}")
    expect(sh([str(scripts / "zinc-desktop"), "--version"]), 0, "zinc-desktop ")
    megabytes = tree_size(target) / 1e6
    return f"{len(names)} packages, no development tool; {megabytes:.0f} MB venv"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--bundle", type=Path, default=default_bundle())
    parser.add_argument("--wheel", type=Path, default=None)
    options = parser.parse_args(argv)
    bundle = options.bundle.resolve()
    if not program_in(bundle).is_file():
        print(f"error: no bundle at {bundle}; build it with `python3 dev.py package`")
        return 2
    wheel = options.wheel
    if wheel is None:
        wheel = next(iter(sorted((ROOT / "build" / "wheel").glob("zinc_desktop-*.whl"))), None)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="zinc-smoke-") as work:
        smoke = Smoke(bundle, Path(work))
        print(f"Smoke-testing {bundle}", flush=True)
        checks: list[tuple[str, Callable[[Smoke], str]]] = [
            ("--version and size", check_version),
            ("sandbox command prints demo keys", check_sandbox_command),
            ("--sandbox verify (key on stdin)", check_sandbox_verify),
            ("link + accounts list, real Secret Service", check_secret_service),
            ("link + list + unlink, the platform's own keyring", check_native_keyring),
            ("TLS through the OS trust store", check_os_trust_store),
            ("window (Xvfb on Linux, the desktop elsewhere), one instance", check_window),
            ("install.sh --user / uninstall.sh", check_install_uninstall),
            ("the .dmg mounts and its app runs", check_disk_image),
            ("light install: runtime dependencies only", lambda s: check_light_install(s, wheel)),
        ]
        for name, check in checks:
            smoke.check(name, functools.partial(check, smoke))
    seconds = time.monotonic() - started
    print(f"smoke test took {seconds:.0f} s; skipped: {', '.join(smoke.skipped) or 'none'}")
    print(f"smoke: {smoke.passed} passed, {len(smoke.failed)} failed")
    return 1 if smoke.failed else 0


if __name__ == "__main__":
    sys.exit(main())
