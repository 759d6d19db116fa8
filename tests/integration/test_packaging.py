"""The install story, without building the bundle: desktop files, icons, scripts, dependencies.

The bundle itself is built and exercised by packaging/smoke_test.py (CI runs it after the
suite); here are the parts that are cheap to check on every run.
"""

from __future__ import annotations

import configparser
import importlib.metadata
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import dev
import pytest

from tests.support.platforms import linux_install_scripts, linux_only
from zinc_desktop import __version__
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.sandbox import DEMO_KEYS, SandboxServer

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
DESKTOP_FILE = LINUX / "share" / "applications" / "zinc-desktop.desktop"
METAINFO = next((LINUX / "share" / "metainfo").glob("*.metainfo.xml"))
# CI installs them on Linux, where the desktop entry and metainfo are used.
freedesktop_tools = linux_only("desktop-file-validate and appstreamcli, freedesktop.org's tools")
DEV_TOOLS = {"pytest", "pytest-qt", "pytest-timeout", "hypothesis", "ruff", "mypy", "import-linter"}


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must have {name}")
        pytest.skip(f"{name} is not installed")
    return path


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DESKTOP_FILE, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_file_name_is_the_one_qt_announces() -> None:
    # Wayland compositors match the window to its .desktop file (and icon) by this name.
    source = (ROOT / "zinc_desktop" / "gui" / "launch.py").read_text("utf-8")
    announced = re.search(r'setDesktopFileName\("([^"]+)"\)', source)
    assert announced is not None
    assert DESKTOP_FILE.name == f"{announced.group(1)}.desktop"
    entry = desktop_entry()
    assert entry["Icon"] == announced.group(1)
    assert entry["Exec"] == "zinc-desktop"  # install.sh makes it absolute
    assert entry["StartupWMClass"] == announced.group(1)


def test_metainfo_names_the_desktop_file_and_this_version() -> None:
    component = ET.parse(METAINFO).getroot()  # noqa: S314  # our own file
    assert METAINFO.name == f"{component.findtext('id')}.metainfo.xml"
    assert component.findtext("launchable") == DESKTOP_FILE.name
    release = component.find("releases/release")
    assert release is not None
    assert release.get("version") == __version__


@freedesktop_tools
def test_desktop_file_validates() -> None:
    result = subprocess.run(
        [tool("desktop-file-validate"), str(DESKTOP_FILE)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "", result.stdout  # no warnings or hints either


@freedesktop_tools
def test_metainfo_validates() -> None:
    result = subprocess.run(
        [tool("appstreamcli"), "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # No error or warning; the one info (`developer` is newer than AppStream 0.16) is expected.
    assert not re.search(r"^[EW]: ", result.stdout, re.MULTILINE), result.stdout


def test_icons_are_rendered_from_the_svg() -> None:
    # A process of its own: the script makes a QGuiApplication, and this one's tests need
    # pytest-qt's QApplication.
    result = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "render_icons.py"), "--check"],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    sizes = sorted(int(p.parent.parent.name.split("x")[0]) for p in LINUX.rglob("*/apps/*.png"))
    assert sizes == [16, 22, 24, 32, 48, 64, 128, 256, 512]


def test_a_plain_install_brings_the_runtime_only() -> None:
    requirements = importlib.metadata.requires("zinc-desktop") or []
    assert dev.unconditional_extras(requirements) == []
    plain = {
        re.split(r"[<>=!;\s\[]", r, maxsplit=1)[0].lower() for r in requirements if "extra" not in r
    }
    assert plain == dev.RUNTIME_DEPENDENCIES
    extras = {
        re.split(r"[<>=!;\s\[]", r, maxsplit=1)[0].lower(): r for r in requirements if "extra" in r
    }
    assert extras.keys() >= DEV_TOOLS
    assert all('extra == "dev"' in extras[name] for name in DEV_TOOLS)
    assert 'extra == "package"' in extras["pyinstaller"]


@pytest.fixture
def fake_bundle(tmp_path: Path) -> Path:
    """The bundle's layout with a stand-in program: enough for install.sh and uninstall.sh."""
    bundle = tmp_path / "unpacked" / "zinc-desktop-0.1.0"
    bundle.mkdir(parents=True)
    shutil.copytree(LINUX / "share", bundle / "share")
    for script in ("install.sh", "uninstall.sh"):
        shutil.copy2(LINUX / script, bundle / script)
    program = bundle / "zinc-desktop"
    # --version answers as the real one; any other call is written to $ZINC_FAKE_CALLS (and
    # fails without it), and fails on purpose when $ZINC_FAKE_FAILS is set.
    program.write_text(
        "#!/bin/sh\n"
        f'if [ "$*" = --version ]; then echo "zinc-desktop {__version__}"; exit 0; fi\n'
        'printf "%s\\n" "$0 $*" >> "$ZINC_FAKE_CALLS" || exit 1\n'
        'if [ -n "${ZINC_FAKE_FAILS:-}" ]; then\n'
        '  echo "error: the keyring is locked" >&2; exit 3\n'
        "fi\n"
    )
    program.chmod(0o755)
    (bundle / "_internal").mkdir()
    return bundle


def tree(home: Path) -> set[str]:
    return {str(p.relative_to(home)) for p in home.rglob("*")}


@linux_install_scripts
def test_install_then_uninstall_leaves_the_home_as_it_was(
    fake_bundle: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    data = home / ".local" / "share" / "zinc-desktop"
    data.mkdir(parents=True)
    (data / "accounts.json").write_text("[]")
    (home / ".local" / "bin").mkdir()
    before = tree(home)
    env = {
        "HOME": str(home),
        "PATH": os.environ["PATH"],
        "ZINC_DESKTOP_ALLOW_ROOT": "1",  # CI runs as root; the scripts refuse root otherwise
    }
    installed = subprocess.run(
        ["bash", str(fake_bundle / "install.sh"), "--user"], env=env, capture_output=True, text=True
    )
    assert installed.returncode == 0, installed.stderr
    opt = home / ".local" / "opt" / "zinc-desktop"
    entry = home / ".local" / "share" / "applications" / "zinc-desktop.desktop"
    assert (opt / "zinc-desktop").is_file()
    assert (home / ".local" / "bin" / "zinc-desktop").resolve() == (opt / "zinc-desktop").resolve()
    text = entry.read_text("utf-8")
    assert f'Exec="{opt}/zinc-desktop"\n' in text
    assert f'Exec="{opt}/zinc-desktop" --sandbox\n' in text
    for size in ("16x16", "48x48", "512x512"):
        assert (home / f".local/share/icons/hicolor/{size}/apps/zinc-desktop.png").is_file()
    assert (home / ".local/share/icons/hicolor/scalable/apps/zinc-desktop.svg").is_file()
    assert (home / f".local/share/metainfo/{METAINFO.name}").is_file()
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(
            ["desktop-file-validate", str(entry)], capture_output=True, text=True
        )
        assert check.returncode == 0, check.stdout

    again = subprocess.run(  # an upgrade over the same version
        ["bash", str(fake_bundle / "install.sh"), "--user"], env=env, capture_output=True, text=True
    )
    assert again.returncode == 0, again.stderr

    removed = subprocess.run(
        ["bash", str(opt / "uninstall.sh")], env=env, capture_output=True, text=True
    )
    assert removed.returncode == 0, removed.stderr
    assert tree(home) == before
    assert (data / "accounts.json").read_text() == "[]"


@linux_install_scripts
def test_install_wants_user() -> None:
    result = subprocess.run(["bash", str(LINUX / "install.sh")], capture_output=True, text=True)
    assert result.returncode == 2
    assert "--user" in result.stdout + result.stderr


def test_readme_and_ci_install_the_checked_system_libraries() -> None:
    listed = LINUX / "debian-qt-libs.txt"
    packages = [
        line.strip()
        for line in listed.read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert "libxcb-cursor0" in packages  # Qt 6.5+ will not start on X11 without it
    readme = (ROOT / "README.md").read_text("utf-8").replace("\\\n", " ")
    apt_line = next(line for line in readme.splitlines() if line.startswith("sudo apt install"))
    assert set(packages) <= set(apt_line.split())
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "packaging/linux/debian-qt-libs.txt" in ci


# --- install.sh / uninstall.sh against a fake bundle in a throwaway HOME -----------------------

OPT = Path(".local/opt/zinc-desktop")
LAUNCHER = Path(".local/bin/zinc-desktop")


def script_env(home: Path, **extra: str) -> dict[str, str]:
    return {
        "HOME": str(home),
        "PATH": os.environ["PATH"],
        "ZINC_DESKTOP_ALLOW_ROOT": "1",  # CI runs as root; the scripts refuse root otherwise
        **extra,
    }


def run_script(
    script: Path, env: dict[str, str], *args: str, stdin: int | None = subprocess.DEVNULL
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(script), *args], env=env, stdin=stdin, capture_output=True, text=True
    )


def install(bundle: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    installed = run_script(bundle / "install.sh", env, "--user")
    assert installed.returncode == 0, installed.stderr
    return installed


def uninstall(home: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_script(home / OPT / "uninstall.sh", env, *args)


def on_terminal(
    command: list[str], env: dict[str, str], typed: bytes
) -> subprocess.CompletedProcess[str]:
    """Run `command` with a pseudo-terminal as stdin, typing `typed` into it."""
    leader, follower = os.openpty()
    try:
        with subprocess.Popen(
            command, env=env, stdin=follower, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True,
        ) as process:  # fmt: skip
            os.close(follower)
            follower = -1
            os.write(leader, typed)
            out, err = process.communicate(timeout=60)
        return subprocess.CompletedProcess(command, process.returncode, out, err)
    finally:
        os.close(leader)
        if follower >= 0:
            os.close(follower)


_STRING_ESCAPES = {"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}


def _unescape_string(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\" and value[i + 1 : i + 2] in _STRING_ESCAPES:
            out.append(_STRING_ESCAPES[value[i + 1]])
            i += 2
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def exec_argv(value: str) -> list[str]:
    """An Exec value read as the Desktop Entry Specification says: the string escapes first,
    then arguments split at spaces unless double-quoted (inside, a backslash escapes " ` $ and
    itself), then %% is a literal %. Unquoted reserved characters are a fault."""
    text = _unescape_string(value)
    args: list[str] = []
    current: str | None = None
    quoted = False
    i = 0
    while i < len(text):
        c = text[i]
        if quoted and c == "\\" and text[i + 1 : i + 2] in ('"', "`", "$", "\\"):
            current = (current or "") + text[i + 1]
            i += 1
        elif quoted:
            if c == '"':
                quoted = False
            else:
                current = (current or "") + c
        elif c == " ":
            if current is not None:
                args.append(current)
            current = None
        elif c == '"':
            quoted, current = True, current or ""
        else:
            assert c not in "\t\n\"'\\><~|&;$*?#()`", f"unquoted {c!r} in {value!r}"
            current = (current or "") + c
        i += 1
    assert not quoted, f"unclosed quote in {value!r}"
    if current is not None:
        args.append(current)
    assert all(re.fullmatch(r"([^%]|%%)*", arg) for arg in args), value
    return [arg.replace("%%", "%") for arg in args]


def entry_values(path: Path) -> dict[tuple[str, str], str]:
    values, group = {}, ""
    for line in path.read_text("utf-8").splitlines():
        if line.startswith("[") and line.endswith("]"):
            group = line[1:-1]
        elif "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            values[group, key] = value
    return values


# Path characters the scripts must carry through: sed took & as "the match" and | ended its
# command; \t is a tab; a % is special to a desktop entry's Exec.
ODD_NAMES = ["a & b | c", "q \"d\" 'e' \\f $g `h` ~ ; # (i) ü 🙂\tj", "p % q %% r"]


@linux_install_scripts
@pytest.mark.parametrize("name", ODD_NAMES)
def test_any_character_in_home_and_xdg_data_home(
    fake_bundle: Path, tmp_path: Path, name: str
) -> None:
    home = tmp_path / f"home {name}"
    home.mkdir()
    data = tmp_path / f"data {name}" / "share"  # outside HOME, and made by the install
    calls = tmp_path / "calls"
    env = script_env(home, XDG_DATA_HOME=str(data), ZINC_FAKE_CALLS=str(calls))
    install(fake_bundle, env)
    program = str(home / OPT / "zinc-desktop")
    entry = data / "applications" / "zinc-desktop.desktop"
    check = subprocess.run(
        [tool("desktop-file-validate"), str(entry)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout
    assert check.stdout == "", check.stdout
    values = entry_values(entry)
    run = [program] if "%" not in program else ["/bin/sh", "-c", 'exec "$0" "$@"', program]
    assert exec_argv(values["Desktop Entry", "Exec"]) == run
    assert exec_argv(values["Desktop Action sandbox", "Exec"]) == [*run, "--sandbox"]
    assert _unescape_string(values["Desktop Entry", "TryExec"]) == program
    assert (data / f"metainfo/{METAINFO.name}").is_file()
    assert (data / "icons/hicolor/48x48/apps/zinc-desktop.png").is_file()
    assert os.readlink(home / LAUNCHER) == program
    if shutil.which("gio"):  # GLib's own reading of the entry, as GNOME launches it
        gio_env = {**env, "XDG_CACHE_HOME": str(tmp_path / "gio-cache")}  # not in our HOME
        launched = subprocess.run(["gio", "launch", str(entry)], env=gio_env, capture_output=True)
        assert launched.returncode == 0, launched.stderr
        for _ in range(100):
            if calls.exists():
                break
            time.sleep(0.05)
        assert calls.read_text("utf-8") == f"{program} \n"

    removed = uninstall(home, env)
    assert removed.returncode == 0, removed.stderr
    assert tree(home) == set()
    assert not data.parent.exists()


def snapshot(*roots: Path) -> dict[str, tuple[str, bytes]]:
    """Every file, link and folder under `roots`: its mode and what it holds (or points to)."""
    seen = {}
    for root in roots:
        for path in [root, *root.rglob("*")]:
            info = path.lstat()
            if path.is_symlink():
                held = os.readlink(path).encode()
            elif path.is_file():
                held = path.read_bytes()
            else:
                held = b""
            seen[str(path)] = (oct(info.st_mode), held)
    return seen


@linux_install_scripts
@pytest.mark.parametrize("name", ["plain", *ODD_NAMES])
def test_install_moves_aside_what_it_did_not_make_and_uninstall_puts_it_back(
    fake_bundle: Path, tmp_path: Path, name: str
) -> None:
    """Your own menu entry, another app's icon or metainfo where install.sh puts its own: it
    is moved aside (never onto an earlier backup), not overwritten; uninstall.sh does not
    delete it but puts it back. An upgrade replaces only what an install made."""
    home = tmp_path / f"home {name}"
    home.mkdir()
    data = tmp_path / f"data {name}" / "share"
    entry = data / "applications" / "zinc-desktop.desktop"
    icon = data / "icons/hicolor/48x48/apps/zinc-desktop.png"
    metainfo = data / "metainfo" / METAINFO.name
    theirs = {
        entry: b"[Desktop Entry]\nType=Application\nName=My Zinc\nExec=my-zinc --custom\n",
        icon: b"another app's icon",
        metainfo: b"<component><id>com.example.other</id></component>\n",
    }
    for path, content in theirs.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        path.chmod(0o640)
    taken = icon.with_name(f"{icon.name}.before-zinc-desktop")  # an earlier backup, not ours
    taken.write_bytes(b"kept from before")
    dotfile = tmp_path / "dotfiles" / "icon.png"  # a link a dotfiles manager keeps there
    dotfile.parent.mkdir()
    dotfile.write_bytes(b"my icon")
    linked = data / "icons/hicolor/16x16/apps/zinc-desktop.png"
    linked.parent.mkdir(parents=True)
    linked.symlink_to(dotfile)
    before = snapshot(home, data, dotfile.parent)
    backups = {
        entry: entry.with_name(f"{entry.name}.before-zinc-desktop"),
        icon: icon.with_name(f"{icon.name}.before-zinc-desktop.1"),
        metainfo: metainfo.with_name(f"{metainfo.name}.before-zinc-desktop"),
    }
    env = script_env(home, XDG_DATA_HOME=str(data))

    installed = install(fake_bundle, env)
    for path, backup in backups.items():
        assert backup.read_bytes() == theirs[path], path
        assert oct(backup.lstat().st_mode) == before[str(path)][0]
        notes = [line for line in installed.stdout.splitlines() if f"aside {path} " in line]
        assert len(notes) == 1, installed.stdout
        assert str(backup) in notes[0]
        assert "uninstall.sh puts it back" in notes[0]
    assert taken.read_bytes() == b"kept from before"
    assert os.readlink(linked.with_name(f"{linked.name}.before-zinc-desktop")) == str(dotfile)
    assert not linked.is_symlink()
    assert dotfile.read_bytes() == b"my icon"
    program = str(home / OPT / "zinc-desktop")  # the new entry is in place
    assert _unescape_string(entry_values(entry)["Desktop Entry", "TryExec"]) == program
    assert icon.read_bytes() != theirs[icon]
    manifest = (home / OPT / "install-manifest").read_text("utf-8")
    assert f"backup\t{backups[entry]}\n" in manifest

    upgraded = install(fake_bundle, env)  # the files are the install's own now: replaced
    assert "moved" not in upgraded.stdout
    assert sorted(p.name for p in data.rglob("*.before-zinc-desktop*")) == sorted(
        [taken.name, f"{linked.name}.before-zinc-desktop", *(b.name for b in backups.values())]
    )

    removed = uninstall(home, env)
    assert removed.returncode == 0, removed.stderr
    assert removed.stdout.count("put back ") == 4, removed.stdout
    assert snapshot(home, data, dotfile.parent) == before


@linux_install_scripts
def test_an_install_that_stops_after_moving_a_file_aside_puts_it_back_on_uninstall(
    fake_bundle: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    icon = home / ".local/share/icons/hicolor/16x16/apps/zinc-desktop.png"
    icon.parent.mkdir(parents=True)
    icon.write_bytes(b"another app's icon")
    (home / ".local/share/metainfo").write_text("a file where install wants a folder\n")
    before, env = snapshot(home), script_env(home)
    failed = run_script(fake_bundle / "install.sh", env, "--user")
    assert failed.returncode != 0
    assert icon.with_name(f"{icon.name}.before-zinc-desktop").is_file()
    removed = uninstall(home, env)
    assert removed.returncode == 0, removed.stderr
    assert snapshot(home) == before


@linux_install_scripts
def test_a_newline_in_the_path_is_refused_in_one_line(fake_bundle: Path, tmp_path: Path) -> None:
    home = tmp_path / "two\nlines"
    home.mkdir()
    refused = run_script(fake_bundle / "install.sh", script_env(home), "--user")
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1, refused.stderr
    assert "line break" in refused.stderr
    assert tree(home) == set()


@linux_install_scripts
def test_uninstall_removes_no_folder_it_did_not_create(fake_bundle: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "Documents" / "empty").mkdir(parents=True)
    env = script_env(home)
    install(fake_bundle, env)
    # Other programs' folders, empty, some inside folders the install created.
    theirs = [
        ".local/share/Trash/files",
        ".local/share/otherapp/cache",
        ".local/share/icons/hicolor/1024x1024/apps",
        ".local/share/applications/wine",
        ".local/opt/otherapp",
        ".local/bin/empty",
    ]
    for folder in theirs:
        (home / folder).mkdir(parents=True, exist_ok=True)
    expected = {"Documents", "Documents/empty"}
    for folder in theirs:
        parts = Path(folder).parts
        expected |= {str(Path(*parts[: i + 1])) for i in range(len(parts))}
    install(fake_bundle, env)  # an upgrade: the folders the first install made stay recorded
    removed = uninstall(home, env)
    assert removed.returncode == 0, removed.stderr
    assert tree(home) == expected


@linux_install_scripts
@pytest.mark.parametrize("kind", ["pipx script", "symlink elsewhere"])
def test_a_launcher_install_did_not_make_is_kept(
    fake_bundle: Path, tmp_path: Path, kind: str
) -> None:
    home = tmp_path / "home"
    launcher = home / LAUNCHER
    launcher.parent.mkdir(parents=True)
    if kind == "pipx script":
        launcher.write_text("#!/home/u/.local/pipx/venvs/zinc-desktop/bin/python\n")
        launcher.chmod(0o755)
    else:
        launcher.symlink_to(home / ".local/pipx/venvs/zinc-desktop/bin/zinc-desktop")

    def state() -> tuple[str, bool, str]:
        link = launcher.is_symlink()
        return (
            os.readlink(launcher) if link else launcher.read_text(),
            link,
            oct(launcher.lstat().st_mode),
        )

    before, tree_before, env = state(), tree(home), script_env(home)
    for _ in range(2):  # install, then upgrade
        installed = install(fake_bundle, env)
        notes = [line for line in installed.stdout.splitlines() if str(launcher) in line]
        assert len(notes) == 1, installed.stdout
        assert "kept" in notes[0]
        assert f"{home / OPT}/zinc-desktop" in notes[0]  # how to run this install instead
        assert state() == before
    removed = uninstall(home, env)
    assert removed.returncode == 0, removed.stderr
    assert state() == before
    assert tree(home) == tree_before


@linux_install_scripts
def test_uninstall_keeps_a_launcher_that_replaced_the_one_install_made(
    fake_bundle: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = script_env(home)
    install(fake_bundle, env)
    launcher = home / LAUNCHER
    assert launcher.is_symlink()
    launcher.unlink()
    launcher.write_text('#!/bin/sh\nexec pipx run zinc-desktop "$@"\n')  # pipx install, later
    removed = uninstall(home, env)
    assert removed.returncode == 0, removed.stderr
    assert launcher.read_text().startswith("#!/bin/sh\nexec pipx")
    assert tree(home) == {".local", ".local/bin", ".local/bin/zinc-desktop"}


@linux_install_scripts
def test_install_refusing_root_names_the_override(fake_bundle: Path, tmp_path: Path) -> None:
    shims = tmp_path / "shims"  # `id -u` says root, whoever runs the suite
    shims.mkdir()
    (shims / "id").write_text('#!/bin/sh\nif [ "$1" = -u ]; then echo 0; else exec id "$@"; fi\n')
    (shims / "id").chmod(0o755)
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "PATH": f"{shims}:{os.environ['PATH']}"}
    refused = run_script(fake_bundle / "install.sh", env, "--user")
    assert refused.returncode == 2
    assert "ZINC_DESKTOP_ALLOW_ROOT=1" in refused.stderr
    assert refused.stderr.count("\n") == 1
    assert tree(home) == set()


@linux_install_scripts
def test_uninstall_purge_refuses_without_confirmation(fake_bundle: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    calls = tmp_path / "calls"
    env = script_env(home, ZINC_FAKE_CALLS=str(calls))
    install(fake_bundle, env)
    installed = tree(home)
    refused = uninstall(home, env, "--purge")  # stdin is not a terminal
    assert refused.returncode == 2
    assert "--yes" in refused.stderr
    assert "nothing was removed" in refused.stderr.lower()
    assert tree(home) == installed
    assert not calls.exists()
    for typed in (b"\n", b"no\n", b"y\n"):
        answered = on_terminal(["bash", str(home / OPT / "uninstall.sh"), "--purge"], env, typed)
        assert answered.returncode == 2, answered.stderr
        assert "Type yes" in answered.stderr
        assert tree(home) == installed
        assert not calls.exists()
    assert uninstall(home, env, "--yes").returncode == 2  # --yes alone is not a purge
    assert tree(home) == installed


@linux_install_scripts
@pytest.mark.parametrize("confirm", ["--yes", "typed yes"])
def test_uninstall_purge_purges_both_profiles_before_removing_the_bundle(
    fake_bundle: Path, tmp_path: Path, confirm: str
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    calls = tmp_path / "calls"
    env = script_env(home, ZINC_FAKE_CALLS=str(calls))
    install(fake_bundle, env)
    script = ["bash", str(home / OPT / "uninstall.sh"), "--purge"]
    if confirm == "--yes":
        removed = subprocess.run([*script, "--yes"], env=env, capture_output=True, text=True)
    else:
        removed = on_terminal(script, env, b"yes\n")
    assert removed.returncode == 0, removed.stderr
    program = home / OPT / "zinc-desktop"
    assert calls.read_text().splitlines() == [
        f"{program} --sandbox purge --yes",
        f"{program} purge --yes",
    ]
    assert tree(home) == set()


@linux_install_scripts
def test_a_purge_that_fails_stops_uninstall(fake_bundle: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    calls = tmp_path / "calls"
    env = script_env(home, ZINC_FAKE_CALLS=str(calls), ZINC_FAKE_FAILS="1")
    install(fake_bundle, env)
    installed = tree(home)
    failed = uninstall(home, env, "--purge", "--yes")
    assert failed.returncode == 3
    assert "the keyring is locked" in failed.stderr  # the program's own line, then ours
    assert "nothing else was removed" in failed.stderr
    assert tree(home) == installed
    assert len(calls.read_text().splitlines()) == 1


def keyring_items(service: str) -> set[str]:
    """The account ids the (private) Secret Service holds under `service`."""
    import secretstorage

    connection = secretstorage.dbus_init()
    try:
        collection = secretstorage.get_default_collection(connection)
        return {
            i.get_attributes()["username"] for i in collection.search_items({"service": service})
        }
    finally:
        connection.close()


@pytest.mark.secret_service
@linux_install_scripts
def test_uninstall_purge_with_the_real_program_and_keyring(
    fake_bundle: Path,
    tmp_path: Path,
    secret_service_env: dict[str, str],
    sandbox: SandboxServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The bundle's program is the real command line here, its keys in a real Secret Service:
    after uninstall.sh --purge --yes no account, key or folder of either profile is left."""
    program = fake_bundle / "zinc-desktop"
    program.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m zinc_desktop "$@"\n')
    bus = {k: v for k, v in secret_service_env.items() if k not in ("HOME", "XDG_DATA_HOME")}
    for name, value in bus.items():
        monkeypatch.setenv(name, value)
    home = tmp_path / "home"
    home.mkdir()
    env = script_env(home, **bus, ZINC_STAGING_API_URL=sandbox.base_url(Environment.STAGING))
    for profile in ([], ["--sandbox"]):
        linked = subprocess.run(
            [str(program), *profile, "link", "--env", "staging"],
            input=DEMO_KEYS[Environment.STAGING], env=env, capture_output=True, text=True,
        )  # fmt: skip
        assert linked.returncode == 0, linked.stderr
    services = ("zinc-desktop", "zinc-desktop-sandbox")  # the usual folders: the usual names
    assert [len(keyring_items(service)) for service in services] == [1, 1]
    assert (home / ".local/share/zinc-desktop/sandbox/accounts.json").is_file()
    install(fake_bundle, env)

    purged = uninstall(home, env, "--purge", "--yes")
    assert purged.returncode == 0, purged.stderr
    assert "removed account" in purged.stdout
    assert DEMO_KEYS[Environment.STAGING] not in purged.stdout + purged.stderr
    assert [keyring_items(service) for service in services] == [set(), set()]
    # The XDG base folders the app's first run made stay: other programs use them too.
    assert tree(home) == {".local", ".local/share", ".local/state"}


@linux_install_scripts
def test_an_install_that_stops_half_way_can_be_uninstalled(
    fake_bundle: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    (home / ".local/share").mkdir(parents=True)
    (home / ".local/share/metainfo").write_text("a file where install wants a folder\n")
    before, env = tree(home), script_env(home)
    failed = run_script(fake_bundle / "install.sh", env, "--user")
    assert failed.returncode != 0
    assert (home / OPT / "install-manifest").is_file()  # what it created so far
    assert len(list((home / ".local/share/icons").rglob("*.png"))) == 9
    removed = uninstall(home, env)
    assert removed.returncode == 0, removed.stderr
    assert tree(home) == before


def test_every_package_of_the_source_is_in_the_wheel() -> None:
    """pyproject lists the packages a wheel holds: a new folder left off (core/webhooks once)
    imports fine from a checkout and fails in every install."""
    import tomllib

    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    source = ROOT / "zinc_desktop"
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in source.rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert found <= listed, sorted(found - listed)
