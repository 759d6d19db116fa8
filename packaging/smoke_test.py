"""Smoke test of the built Linux bundle (dist/zinc-desktop), as a user would meet it.

    python3 packaging/smoke_test.py [--bundle dist/zinc-desktop] [--wheel build/wheel/...whl]

Standard library only; every check runs the frozen program, never the source tree:

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

Prints one line per check and exits non-zero if any failed. Checks that need root, Xvfb or
gnome-keyring are skipped with the reason when those are missing, except on CI (CI=true).
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
SIZE_LIMIT_MB = 150
CA_NAME = "zinc-desktop-smoke-test"
CA_DIR = Path("/usr/local/share/ca-certificates")
DEV_TOOLS = {"pytest", "pytest-qt", "hypothesis", "ruff", "mypy", "import-linter", "pyinstaller"}
ON_CI = bool(os.environ.get("CI"))


class Skip(Exception):
    """A check that cannot run here (and is allowed not to, off CI)."""


class Smoke:
    def __init__(self, bundle: Path, work: Path) -> None:
        self.bundle = bundle
        self.program = bundle / "zinc-desktop"
        self.work = work
        self.passed = 0
        self.failed: list[str] = []
        self.skipped: list[str] = []
        self.demo_keys: dict[str, str] = {}

    def check(self, name: str, body: Callable[[], str]) -> None:
        started = time.monotonic()
        try:
            detail = body()
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
        """An environment whose HOME and XDG folders are private to this check."""
        home = self.work / name
        home.mkdir(parents=True, exist_ok=True)
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("XDG_", "ZINC_", "DBUS_", "PYTHON_KEYRING"))
        }
        env.update(
            HOME=str(home),
            XDG_DATA_HOME=str(home / "data"),
            XDG_CONFIG_HOME=str(home / "config"),
            XDG_STATE_HOME=str(home / "state"),
            XDG_CACHE_HOME=str(home / "cache"),
            QT_QPA_PLATFORM="offscreen",
        )
        return env

    def run(
        self, env: dict[str, str], *args: str, stdin: str = "", timeout: float = 60
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.program), *args],
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
def trusted_by_the_os(ca_crt: Path) -> Iterator[None]:
    """The CA in the OS trust store (Debian's update-ca-certificates) for the duration."""
    target = CA_DIR / f"{CA_NAME}.crt"
    shutil.copyfile(ca_crt, target)
    try:
        subprocess.run(["update-ca-certificates"], check=True, capture_output=True)
        yield
    finally:
        target.unlink(missing_ok=True)
        subprocess.run(["update-ca-certificates"], check=False, capture_output=True)


def check_os_trust_store(smoke: Smoke) -> str:
    if os.name != "posix" or os.geteuid() != 0:
        raise Skip("adding a CA to the OS trust store needs root")
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
        with trusted_by_the_os(ca_crt):
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
            second = smoke.run(env, "--sandbox", timeout=30)
            expect(second, 0, "brought forward")
            if window.poll() is not None:
                raise AssertionError(f"the first window exited ({window.returncode})")
            log = Path(env["XDG_STATE_HOME"]) / "zinc-desktop" / "log" / "sandbox"
            log_file = log / "zinc-desktop.log"
            deadline = time.monotonic() + 20
            while "keyring backend:" not in log_file.read_text("utf-8"):
                if time.monotonic() > deadline:
                    raise AssertionError(f"no keyring line in {log_file}")
                time.sleep(0.2)
            text = log_file.read_text("utf-8")
            for wanted in ("(bundle)", "Qt 6.", "PySide6 6.", "asked this window to come forward"):
                if wanted not in text:
                    raise AssertionError(f"{wanted!r} missing from the log:\n{text[-1500:]}")
            modes = {oct(log.stat().st_mode & 0o777), oct(log_file.stat().st_mode & 0o777)}
            if modes != {"0o700", "0o600"}:
                raise AssertionError(f"log folder/file modes are {modes}")
        finally:
            window.terminate()
            try:
                window.wait(timeout=10)
            except subprocess.TimeoutExpired:
                window.kill()
                window.wait()
            output.close()
            shutil.rmtree(runtime, ignore_errors=True)
    return f"{title!r} ({wm_class}); a second launch brought it forward; log header in place"


def check_install_uninstall(smoke: Smoke) -> str:
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


def check_light_install(smoke: Smoke, wheel: Path | None) -> str:
    if wheel is None:
        raise Skip("no wheel given (dev.py package builds build/wheel/*.whl)")
    target = smoke.work / "light-venv"
    venv.EnvBuilder(with_pip=True).create(target)
    python = target / "bin" / "python"
    pip = [str(python), "-m", "pip", "--disable-pip-version-check"]
    expect(sh([*pip, "install", str(wheel)]), 0)
    listed = expect(sh([*pip, "list", "--format=json"]), 0)
    names = {p["name"].lower().replace("_", "-") for p in json.loads(listed.splitlines()[0])}
    if names & DEV_TOOLS:
        raise AssertionError(f"development tools came in: {sorted(names & DEV_TOOLS)}")
    expect(sh([str(target / "bin" / "zinc-desktop"), "--version"]), 0, "zinc-desktop ")
    megabytes = tree_size(target) / 1e6
    return f"{len(names)} packages, no development tool; {megabytes:.0f} MB venv"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "zinc-desktop")
    parser.add_argument("--wheel", type=Path, default=None)
    options = parser.parse_args(argv)
    bundle = options.bundle.resolve()
    if not (bundle / "zinc-desktop").is_file():
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
            ("TLS through the OS trust store", check_os_trust_store),
            ("window under Xvfb, one instance", check_window),
            ("install.sh --user / uninstall.sh", check_install_uninstall),
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
