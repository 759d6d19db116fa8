#!/usr/bin/python3
"""Walk zinc-desktop as a screen-reader and keyboard-only user would, on Linux (AT-SPI).

Runs with the SYSTEM python3 (it needs pyatspi: apt-get install python3-pyatspi at-spi2-core
xvfb xdotool dbus). It drives the window with xdotool keys only and prints a transcript of what a
screen reader would hear: focus moves, name/description changes, announcements, text changes.

    # everything in one go: a private D-Bus session, Xvfb :57, the AT-SPI bus, the app on the
    # simulator with a throwaway profile, then the whole walk:
    /usr/bin/python3 scripts/a11y_walk.py --launch --out /tmp/a11y/transcript.txt
    # one part only, or just the accessibility tree of the window as it opens:
    /usr/bin/python3 scripts/a11y_walk.py --launch --scenario first
    /usr/bin/python3 scripts/a11y_walk.py --launch --scenario dump
    # against a window already running (DISPLAY and the AT-SPI bus set up by you):
    /usr/bin/python3 scripts/a11y_walk.py --scenario table

Scenarios: first (Tab through the link form), link (demo key, typing vs pasting, connect),
table (accounts table, F5/Delete/Menu), demo (Demo tab, start and watch a check), present
(presenting mode with a Staging and a Production account), all (these in order), dump.
Each scenario ends with "CHECK" lines: what held and what did not (FAIL). The walk never
edits anything but the throwaway profile.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any, TextIO

# pyatspi (the system python's) has no type information: its objects are Any here.
Accessible = Any
# One AT-SPI event as the walk keeps it: time, type, role, name, objectName, what was heard.
Event = tuple[float, str, str, str, str, str]
Process = subprocess.Popen[Any]

REPO = Path(__file__).resolve().parent.parent  # the checkout this file lives in: its app runs
X11_SOCKETS = Path("/tmp/.X11-unix")  # noqa: S108 - the X server's sockets, not a temp file
BUS_LAUNCHER_CANDIDATES = (
    "/usr/libexec/at-spi-bus-launcher",
    "/usr/lib/at-spi2-core/at-spi-bus-launcher",
    "/usr/lib/x86_64-linux-gnu/at-spi-bus-launcher",
)
# Controls a screen reader needs a name for.
NAMED_ROLES = frozenset(
    {
        "push button",
        "toggle button",
        "check box",
        "radio button",
        "combo box",
        "text",
        "password text",
        "entry",
        "spin button",
        "slider",
        "link",
        "menu item",
        "table",
        "list",
        "tree",
        "tree table",
        "page tab",
    }
)
EVENTS = (
    "object:state-changed:focused",
    "object:property-change:accessible-name",
    "object:property-change:accessible-description",
    "object:announcement",
    "object:text-changed",
    "object:active-descendant-changed",
    "object:state-changed:selected",
    "object:state-changed:showing",
    "window:activate",
)


# --- launching ------------------------------------------------------------------------------


def _venv_python() -> Path:
    """This checkout's .venv; in a git worktree (which has none), the main checkout's."""
    own = REPO / ".venv" / "bin" / "python"
    if own.exists():
        return own
    common = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--path-format=absolute", "--git-common-dir"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    shared = Path(common).parent / ".venv" / "bin" / "python" if common else own
    if not shared.exists():
        sys.exit(f"no virtual environment at {own} or {shared}: make one, or pass --app")
    return shared


def _app_command(args: argparse.Namespace) -> tuple[list[str], dict[str, str]]:
    """The command that opens the window, and what its environment adds. By default this
    checkout's code, whichever venv runs it: another checkout's editable install must not
    answer `import zinc_desktop`."""
    if args.app:
        command, extra = args.app.split(), {}
    else:
        command = [str(_venv_python()), "-m", "zinc_desktop", "--sandbox"]
        extra = {
            "PYTHONPATH": os.pathsep.join(filter(None, (str(REPO), os.environ.get("PYTHONPATH"))))
        }
    if args.demo_seconds:
        command += ["--demo-seconds", str(args.demo_seconds)]
    return command, extra


def _launch(args: argparse.Namespace) -> list[Process]:
    """Xvfb, the AT-SPI bus and the app, in this process's (private) D-Bus session."""
    started: list[Process] = []
    home = Path(args.home)
    if home.exists() and not args.keep_home:
        shutil.rmtree(home)
    for sub in ("data", "config", "state", "cache", "run", "documents"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    os.chmod(home / "run", 0o700)
    display = args.display
    socket = X11_SOCKETS / f"X{display.lstrip(':')}"
    if not socket.exists():
        started.append(
            subprocess.Popen(
                ["Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        for _ in range(50):
            if socket.exists():
                break
            time.sleep(0.1)
    os.environ["DISPLAY"] = display
    launcher = next((p for p in BUS_LAUNCHER_CANDIDATES if Path(p).exists()), None)
    if launcher is None:
        sys.exit("at-spi-bus-launcher not found: apt-get install at-spi2-core")
    started.append(subprocess.Popen([launcher, "--launch-immediately"]))
    time.sleep(1.0)
    env = dict(os.environ)
    env.update(XDG_DATA_HOME=str(home / "data"), XDG_RUNTIME_DIR=str(home / "run"))
    if args.keyring == "gnome" and shutil.which("gnome-keyring-daemon"):
        # an unlocked throwaway login keyring, as in a desktop session (an empty password
        # makes no login collection, and the app would meet a creation prompt)
        daemon = subprocess.Popen(
            ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        assert daemon.stdin is not None
        daemon.stdin.write("a11y-walk")  # the password, then EOF
        daemon.stdin.close()
        started.append(daemon)  # ended with the rest (found by apps on the session bus)
        time.sleep(1.0)
    env.update(
        QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1",
        QT_ACCESSIBILITY="1",
        QT_QPA_PLATFORM="xcb",
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_RUNTIME_DIR=str(home / "run"),
        XDG_DOCUMENTS_DIR=str(home / "documents"),
    )
    if args.keyring == "null":
        env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    log = open(home / "app.log", "w")  # noqa: SIM115 - lives as long as the app
    command, extra = _app_command(args)
    env.update(extra)
    print(f"a11y_walk: {' '.join(command)} (in {REPO})", file=sys.stderr)
    started.append(
        subprocess.Popen(
            command, env=env, cwd=None if args.app else REPO, stdout=log, stderr=subprocess.STDOUT
        )
    )
    return started


def _stop(started: list[Process]) -> None:
    for process in reversed(started):
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()


# --- the walk -------------------------------------------------------------------------------


class Walker:
    """Listens on AT-SPI, sends keys with xdotool, and writes what would be heard."""

    def __init__(self, out: TextIO, verbose: bool = False) -> None:
        import pyatspi  # the system's; imported here so --help works without it

        self.pyatspi = pyatspi
        self.out = out
        self.verbose = verbose
        self.t0 = time.monotonic()
        self.events: list[Event] = []
        self.app: Accessible = None
        self.checks: list[tuple[bool, str]] = []
        self.last_focus: Accessible = None
        # What one scenario leaves for the next.
        self.tab_start = ""  # the Tab cycle's first stop, as heard
        self.tab_stops: list[str] = []  # the last Tab cycle's stops, as heard
        self.events_typed: int | None = None  # typing and pasting are tried once
        self.key_ending = ""  # the demo key's last 4 characters
        self.last_link_events: list[Event] = []

    # transcript ---------------------------------------------------------------------------

    def say(self, line: str) -> None:
        stamp = f"{time.monotonic() - self.t0:7.2f}"
        self.out.write(f"{stamp}  {line}\n")
        self.out.flush()

    def note(self, text: str) -> None:
        self.say(f"## {text}")

    def check(self, ok: bool, text: str) -> None:
        self.checks.append((ok, text))
        self.say(f"CHECK {'ok  ' if ok else 'FAIL'} {text}")

    # AT-SPI helpers -----------------------------------------------------------------------

    @staticmethod
    def _safe(call: Callable[[], Any], default: Any = "") -> Any:
        try:
            return call()
        except Exception:  # noqa: BLE001 - a dead object is as good as nothing
            return default

    def attribute(self, acc: Accessible, name: str, default: Any = None) -> Any:
        """`acc.name` asked of the app, or `default` when the object is gone."""
        return self._safe(lambda: getattr(acc, name), default)

    def child(self, acc: Accessible, index: int) -> Accessible:
        return self._safe(lambda: acc.getChildAtIndex(index), None)

    def role(self, acc: Accessible) -> str:
        return str(self._safe(acc.getRoleName, "?"))

    def name(self, acc: Accessible) -> str:
        return str(self._safe(lambda: acc.name, ""))

    def fresh_name(self, acc: Accessible) -> str:
        """The name asked of the app now, not libatspi's cache (which, like a screen reader's,
        keeps what the last name-change event said)."""
        self._safe(acc.clearCache)
        try:
            from gi.repository import Atspi

            Atspi.Accessible.clear_cache(acc)
            acc.set_cache_mask(Atspi.Cache.NONE)
            name = str(acc.get_name())
            acc.set_cache_mask(Atspi.Cache.DEFAULT)
            return name
        except Exception:  # noqa: BLE001
            return self.name(acc)

    def stale_names(self) -> list[str]:
        """Showing objects whose cached name (what was last announced) is not what the app says
        now: a screen reader reads the stale one."""
        found = []
        for _, acc in self.walk_tree():
            if "showing" not in self.states(acc):
                continue
            cached = self.name(acc)
            fresh = self.fresh_name(acc)
            if cached != fresh:
                found.append(
                    f"{self.role(acc)} #{self.ident(acc)}: heard {cached!r}, now {fresh!r}"
                )
        return found

    def desc(self, acc: Accessible) -> str:
        return str(self._safe(lambda: acc.description, ""))

    def ident(self, acc: Accessible) -> str:
        """Qt's objectName (Qt exposes the dotted path of objectNames as AT-SPI AccessibleId)."""
        return str(self._safe(lambda: acc.accessibleId, "") or "").rsplit(".", 1)[-1]

    def states(self, acc: Accessible) -> set[str]:
        names: set[str] = set()
        state_set = self._safe(acc.getState, None)
        if state_set is None:
            return names
        for state in self._safe(state_set.getStates, []) or []:
            names.add(
                self.pyatspi.stateToString(state)
                if hasattr(self.pyatspi, "stateToString")
                else str(state).replace("STATE_", "").lower()
            )
        return names

    def text_of(self, acc: Accessible) -> str:
        text = self._safe(acc.queryText, None)
        if text is None:
            return ""
        return str(self._safe(lambda: text.getText(0, -1), ""))

    def spoken(self, acc: Accessible) -> str:
        """Roughly what Orca says on focus: name, role, description, a few states."""
        role = self.role(acc)
        name = self.name(acc)
        desc = self.desc(acc)
        states = self.states(acc)
        flags: list[str] = [
            s for s in ("checked", "selected", "expanded", "collapsed", "read-only") if s in states
        ]
        if "sensitive" not in states:
            flags.append("DISABLED")
        parts = [f"{role} {name!r}"]
        if role in ("text", "password text", "entry") and "editable" in states:
            value = self.text_of(acc)
            parts.append(f"value={value!r}")
        if desc:
            parts.append(f"desc={desc!r}")
        if flags:
            parts.append("[" + ",".join(flags) + "]")
        labels = self.labelled_by(acc)
        if labels:
            parts.append(f"labelled-by={labels!r}")
        ident = self.ident(acc)
        if ident:
            parts.append(f"#{ident}")
        return " ".join(parts)

    def labelled_by(self, acc: Accessible) -> str:
        found = []
        for relation in self._safe(acc.getRelationSet, []) or []:
            if self._safe(relation.getRelationType) == self.pyatspi.RELATION_LABELLED_BY:
                for index in range(self._safe(relation.getNTargets, 0) or 0):
                    target = self._safe(partial(relation.getTarget, index), None)
                    if target is not None:
                        found.append(self.name(target))
        return ", ".join(found)

    def find_app(self, timeout: float = 30.0) -> Accessible:
        desktop = self.pyatspi.Registry.getDesktop(0)
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for index in range(self.attribute(desktop, "childCount", 0)):
                child = self.child(desktop, index)
                if child is None:
                    continue
                name = self.name(child).lower()
                if ("zinc" in name or "python" in name) and self.attribute(child, "childCount", 0):
                    self.app = child
                    return child
            time.sleep(0.5)
        return None

    def walk_tree(
        self, root: Accessible = None, depth: int = 0, max_depth: int = 40
    ) -> Iterator[tuple[int, Accessible]]:
        root = root or self.app
        if root is None:
            return
        yield depth, root
        if depth >= max_depth:
            return
        count = self.attribute(root, "childCount", 0) or 0
        if self.role(root) in ("table", "tree table", "list", "tree") and count > 60:
            count = 60  # item views: enough to see the shape
        for index in range(count):
            child = self.child(root, index)
            if child is not None:
                yield from self.walk_tree(child, depth + 1, max_depth)

    def find(
        self,
        role: str | None = None,
        name: str | None = None,
        ident: str | None = None,
        showing: bool = True,
        contains: bool = False,
    ) -> Accessible:
        """The first object with this role and accessible name (and/or objectName)."""
        for _, acc in self.walk_tree():
            if role and self.role(acc) != role:
                continue
            if name is not None:
                got = self.name(acc)
                if (name not in got) if contains else (got != name):
                    continue
            if ident is not None and self.ident(acc) != ident:
                continue
            if showing and "showing" not in self.states(acc):
                continue
            return acc
        return None

    def find_all(self, role: str | None = None, showing: bool = True) -> list[Accessible]:
        found = []
        for _, acc in self.walk_tree():
            if role and self.role(acc) != role:
                continue
            if showing and "showing" not in self.states(acc):
                continue
            found.append(acc)
        return found

    def focused(self) -> Accessible:
        """What a screen reader thinks has focus: the last focus event's object while it still
        says so (Qt leaves stale "focused" states on hidden popups' items), else a showing
        object in the tree that is focused."""
        if self.last_focus is not None and "focused" in self.states(self.last_focus):
            return self.last_focus
        for _, acc in self.walk_tree():
            states = self.states(acc)
            if "focused" in states and "showing" in states:
                return acc
        return None

    def dump(self, root: Accessible = None, only_showing: bool = True) -> None:
        for depth, acc in self.walk_tree(root):
            states = self.states(acc)
            if only_showing and depth and "showing" not in states:
                continue
            self.out.write(
                "  " * depth
                + self.spoken(acc)
                + (" FOCUSABLE" if "focusable" in states else "")
                + "\n"
            )
        self.out.flush()

    # events -------------------------------------------------------------------------------

    def _on_event(self, event: Any) -> None:
        source = event.source
        kind = event.type
        if kind == "object:state-changed:focused" and not event.detail1:
            return  # focus lost: a screen reader says nothing
        if self.app is not None:
            app = self._safe(source.getApplication, None)
            if app is not None and self.name(app) != self.name(self.app):
                return
        role = self.role(source)
        name = self.name(source)
        ident = self.ident(source)
        detail = ""
        if kind == "object:state-changed:focused":
            self.last_focus = source
            detail = "FOCUS " + self.spoken(source)
        elif kind.startswith("object:state-changed:selected"):
            if role not in ("table cell", "list item", "tree item", "page tab", "menu item"):
                return
            detail = f"selected={event.detail1} {role} {name!r}"
        elif kind.startswith("object:state-changed:showing"):
            if role not in ("popup menu", "menu", "dialog", "alert", "window", "tool tip"):
                return
            detail = f"showing={event.detail1} {role} {name!r}"
        elif kind == "object:property-change:accessible-name":
            detail = f"NAME {role} -> {name!r}"
        elif kind == "object:property-change:accessible-description":
            detail = f"DESC {role} {name!r} -> {self.desc(source)!r}"
        elif kind == "object:announcement":
            detail = f"ANNOUNCE {event.any_data!r} (from {role} {name!r})"
        elif kind.startswith("object:text-changed"):
            detail = f"TEXT {kind.split(':')[-1]} {role} {name!r} {event.any_data!r}"
        elif kind == "object:active-descendant-changed":
            child = event.any_data
            detail = f"ACTIVE-DESCENDANT {role} {name!r} -> " + (
                self.spoken(child) if child is not None else "none"
            )
        elif kind == "window:activate":
            detail = f"WINDOW {role} {name!r}"
        else:
            detail = f"{kind} {role} {name!r}"
        self.events.append((time.monotonic() - self.t0, kind, role, name, ident, detail))
        self.say(detail + (f" #{ident}" if ident and "#" not in detail else ""))

    def listen(self) -> None:
        for kind in EVENTS:
            self.pyatspi.Registry.registerEventListener(self._on_event, kind)

    def events_since(
        self, mark: int, kind: str | None = None, ident: str | None = None, contains: str = ""
    ) -> list[Event]:
        found = []
        for event in self.events[mark:]:
            if kind and not event[1].startswith(kind):
                continue
            if ident is not None and event[4] != ident:
                continue
            if contains and contains not in event[5]:
                continue
            found.append(event)
        return found

    def audible(self, events: list[Event]) -> list[str]:
        """What a screen reader such as Orca would speak of these events unprompted: focus
        moves, announcements, and changes to the object that has focus. A label changing
        elsewhere (a status bar, a message under a form) is not spoken."""
        said = []
        focus_ident = None
        for event in events:
            kind, ident, detail = event[1], event[4], event[5]
            if kind == "object:state-changed:focused":
                focus_ident = ident
                said.append(detail)
            elif kind == "object:announcement" or (
                ident and ident == focus_ident and not kind.startswith("object:text-changed")
            ):
                said.append(detail)
        return said

    # keys ---------------------------------------------------------------------------------

    def window_id(self) -> str:
        found = subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--name", "zinc"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.split()
        return found[0] if found else ""

    def activate(self) -> None:
        window = self.window_id()
        if window:
            subprocess.run(["xdotool", "windowactivate", window], capture_output=True, check=False)
            subprocess.run(
                ["xdotool", "windowfocus", "--sync", window], capture_output=True, check=False
            )

    def key(self, *keys: str, note: bool = True) -> None:
        if note:
            self.say(">> key " + " ".join(keys))
        subprocess.run(["xdotool", "key", "--clearmodifiers", "--delay", "60", *keys], check=False)

    def type_async(self, text: str, delay_ms: int = 50, shown: str | None = None) -> Process:
        self.say(f">> type ({len(text)} chars, {delay_ms} ms apart) {shown or text!r}")
        return subprocess.Popen(["xdotool", "type", "--delay", str(delay_ms), text])


# --- scenarios --------------------------------------------------------------------------------
# Each is a generator: it yields seconds to wait (the AT-SPI main loop keeps delivering events
# meanwhile), and looks at the tree between waits.


def tab_cycle(w: Walker, limit: int = 40, back: bool = False) -> Iterator[float]:
    """Tab until focus comes back to where it started; notes each stop."""
    start = w.focused()
    where = w.spoken(start) if start else "nothing"
    w.note(f"Tab {'backwards ' if back else ''}cycle from: {where}")
    seen: list[str] = []
    w.tab_start = w.spoken(start) if start else ""
    for _ in range(limit):
        w.key("shift+Tab" if back else "Tab", note=False)
        yield 0.35
        now = w.focused()
        label = w.spoken(now) if now else "NOTHING FOCUSED"
        seen.append(label)
        if start is not None and now is not None and label == w.spoken(start) and len(seen) > 1:
            break
    w.tab_stops = seen
    w.note(f"{len(seen)} Tab stops")


def scenario_first(w: Walker) -> Iterator[float]:
    w.note("1. First screen: Tab through the link form")
    w.activate()
    yield 1.0
    w.note("focus at start: " + (w.spoken(w.focused()) if w.focused() else "nothing"))
    yield from tab_cycle(w)
    stops = w.tab_stops
    unnamed = [s for s in stops if s.split(" value=")[0].split(" desc=")[0].endswith("''")]
    w.check(not unnamed, f"every Tab stop has a name (unnamed: {unnamed})")
    w.check(
        bool(stops) and stops[-1] == w.tab_start and len(set(stops)) >= 4,
        "Tab cycles through the form and comes back (no trap)",
    )
    yield from tab_cycle(w, back=True)
    # every showing interactive object with no name, focusable or not
    nameless = []
    for acc in w.find_all():
        if w.role(acc) in NAMED_ROLES and not w.name(acc).strip():
            nameless.append(w.spoken(acc))
    w.check(not nameless, f"showing controls without a name: {nameless}")


def scenario_link(w: Walker, environment: str = "staging", label: str = "") -> Iterator[float]:
    w.note(f"2. Link with the demo key ({environment})")
    w.activate()
    yield 0.5
    feedback = w.find(ident="keyFormatFeedback")
    if feedback is None:
        feedback = w.find(role="label", name="32 hexadecimal", contains=True)
    w.note("feedback label: " + (w.spoken(feedback) if feedback else "NOT FOUND"))
    # choose the environment: Alt+E focuses the combo, Home/End picks
    w.key("alt+e")
    yield 0.4
    w.key("Home" if environment == "staging" else "End")
    yield 0.6
    combo = w.focused()
    w.note("environment: " + (w.spoken(combo) if combo else "?"))
    if w.events_typed is None:
        # typing a key char by char: 31 hex chars, 50 ms apart
        w.key("alt+k")
        yield 0.4
        mark = len(w.events)
        typed = w.type_async("0123456789abcdef0123456789abcde", 50)
        while typed.poll() is None:
            yield 0.2
        yield 1.5  # the settle delay passes
        changes = [
            e
            for e in w.events_since(mark)
            if e[4] == "keyFormatFeedback"
            and e[1]
            in (
                "object:property-change:accessible-name",
                "object:property-change:accessible-description",
                "object:text-changed:insert",
                "object:text-changed:delete",
            )
        ]
        names = [e for e in changes if e[1].endswith("accessible-name")]
        w.events_typed = len(changes)
        w.check(
            1 <= len(names) <= 2,
            f"typing 31 chars: feedback name changed {len(names)} times "
            f"({len(changes)} feedback events in all, {len(w.events_since(mark))} events)",
        )
        focus_after = w.focused()
        w.note("focus after typing: " + (w.spoken(focus_after) if focus_after else "nothing"))
        # clear it: select all + delete
        w.key("ctrl+a", "BackSpace")
        yield 1.0
        # pasting: put the text on the clipboard through the field itself? xdotool has no
        # clipboard; simulate a paste with Ctrl+V after copying from the label field.
        w.key("alt+l")
        yield 0.3
        w.type_async("0123456789abcdef0123456789abcde", 0).wait()
        yield 0.3
        w.key("ctrl+a", "ctrl+x")
        yield 0.3
        w.key("alt+k")
        yield 0.3
        mark = len(w.events)
        w.key("ctrl+v")
        yield 1.5
        changes = [
            e
            for e in w.events_since(mark)
            if e[4] == "keyFormatFeedback" and e[1].endswith("accessible-name")
        ]
        w.check(
            1 <= len(changes) <= 2, f"pasting 31 chars: feedback name changed {len(changes)} times"
        )
        w.key("ctrl+a", "BackSpace")
        yield 1.0
    # the demo key
    w.note("Alt+U: use the demo key")
    mark = len(w.events)
    w.key("alt+u")
    yield 1.0
    focus = w.focused()
    w.note("focus after Alt+U: " + (w.spoken(focus) if focus else "nothing"))
    feedback = w.find(ident="keyFormatFeedback")
    if feedback is not None and "(" in w.name(feedback):
        w.key_ending = w.name(feedback).split("(")[1].split(")")[0]
    if label:
        w.key("alt+l")
        yield 0.3
        w.type_async(label, 20).wait()
        yield 0.5
        w.key("alt+k")
        yield 0.3
    w.note("Enter: connect")
    mark = len(w.events)
    w.key("Return")
    focus_during = []
    for _ in range(30):
        yield 0.2
        focus_during.append(w.focused())
    yield 1.0
    lost = [
        f
        for f in focus_during
        if f is None or (w.ident(f) not in ("apiKeyInput", "") and w.name(f) != "Partner API key")
    ]
    focus_events = w.events_since(mark, kind="object:state-changed:focused")
    w.note("focus moves while verifying: " + ("; ".join(e[5] for e in focus_events) or "none"))
    w.note(f"focus off the key field in {len(lost)} of {len(focus_during)} samples")
    w.check(
        bool(focus_during) and all(f is not None for f in focus_during[:5]),
        "during the verify something keeps the focus",
    )
    heard = w.events_since(mark)
    outcome = [e[5] for e in heard if e[4] in ("linkMessageText", "linkMessage")]
    announced = [e[5] for e in heard if e[1] == "object:announcement"]
    w.note(f"the outcome: {outcome}")
    w.check(bool(announced), f"the link's outcome is announced (announcements: {announced})")
    action = w.find(ident="linkMessageAction")
    if action is not None:
        w.note("the message offers a button: " + w.spoken(action) + "; Tab to it")
        for count in range(1, 15):
            w.key("Tab", note=False)
            yield 0.35
            now = w.focused()
            if now is not None and w.ident(now) == "linkMessageAction":
                w.note(f"reached after {count} Tabs; Space")
                mark = len(w.events)
                w.key("space")
                yield 1.5
                w.note("heard: " + ("; ".join(w.audible(w.events_since(mark))) or "nothing"))
                break
    w.last_link_events = w.events_since(mark)


def scenario_table(w: Walker) -> Iterator[float]:
    w.note("3. The accounts table")
    w.activate()
    yield 0.5
    table = w.find(role="table", name="Linked accounts")
    w.note("table: " + (w.spoken(table) if table else "NOT FOUND"))
    start = w.spoken(w.focused()) if w.focused() else ""
    reached = None
    arrival = len(w.events)
    for _ in range(25):
        w.key("Tab", note=False)
        yield 0.35
        now = w.focused()
        if now is None:
            continue
        if w.role(now) in ("table", "table cell") or (
            table is not None and w.attribute(now, "parent") == table
        ):
            reached = now
            break
        if w.spoken(now) == start:
            break
    w.check(reached is not None, "Tab reaches the accounts table")
    row_said = [
        e[5] for e in w.events_since(arrival, kind="object:announcement") if "Label: " in e[5]
    ]
    w.check(
        reached is not None and (w.role(reached) == "table cell" or bool(row_said)),
        "Tab into the table: the current row is heard (a cell focused, or the row announced), "
        f"not just the table (row announced: {row_said})",
    )
    if table is not None:
        selection = w._safe(table.querySelection, None)
        selected = w._safe(lambda: selection.nSelectedChildren, -1) if selection else -1
        table_iface = w._safe(table.queryTable, None)
        rows = w._safe(lambda: table_iface.nSelectedRows, -1) if table_iface else -1
        w.note(f"selected children: {selected}, selected rows: {rows}")
        w.check(
            (rows or 0) > 0 or (selected or 0) > 0, "a row is selected once Tab is in the table"
        )
    buttons = {n: w.find(name=n, contains=True) for n in ("Re-test", "Unlink")}
    for n, acc in buttons.items():
        w.note(f"{n}: " + (w.spoken(acc) if acc else "not showing"))
    mark = len(w.events)
    w.key("F5")
    yield 2.0
    w.note("after F5: " + ("; ".join(e[5] for e in w.events_since(mark)[:12]) or "nothing heard"))
    said = w.audible(w.events_since(mark))
    w.check(bool(said), f"F5 (Re-test): its outcome is heard (audible: {said})")
    # arrows in the table: is each row heard?
    for arrow in ("Down", "Up", "Home"):
        mark = len(w.events)
        w.key(arrow)
        yield 0.8
        heard = w.events_since(mark)
        w.note(f"after {arrow}: " + ("; ".join(e[5] for e in heard[:8]) or "nothing heard"))
    # Menu: exactly one context menu, and its items heard
    mark = len(w.events)
    w.key("Menu")
    yield 1.0
    shown = [
        e
        for e in w.events_since(mark, kind="object:state-changed:showing")
        if "showing=1" in e[5] and "menu" in e[2]
    ]
    w.note(f"menus shown after Menu: {[e[5] for e in shown]}")
    w.check(len(shown) == 1, f"Menu opens exactly one context menu (saw {len(shown)})")
    w.check(
        bool(shown) and all("Zinc Desktop" not in e[5] for e in shown),
        "the context menu is named for what it holds, not after the app",
    )
    for _ in range(2):
        mark = len(w.events)
        w.key("Down")
        yield 0.6
        heard = w.events_since(mark)
        w.note("in the menu, Down: " + ("; ".join(e[5] for e in heard[:6]) or "nothing heard"))
    w.key("Escape")
    yield 0.6
    focus = w.focused()
    w.note("focus after Escape: " + (w.spoken(focus) if focus else "nothing"))
    # Delete: the confirmation, then No/Escape
    mark = len(w.events)
    w.key("Delete")
    yield 1.0
    focus = w.focused()
    w.note("after Delete, focus: " + (w.spoken(focus) if focus else "nothing"))
    dialogs = [w.spoken(w.app.getChildAtIndex(i)) for i in range(w.app.childCount)]
    w.note(f"top-level windows: {dialogs}")
    w.check(any("dialog" in d or "alert" in d for d in dialogs), "Delete asks for confirmation")
    w.key("Escape")
    yield 0.8
    focus = w.focused()
    w.note("after Escape, focus: " + (w.spoken(focus) if focus else "nothing"))


def scenario_demo(w: Walker, watch_seconds: float = 20.0) -> Iterator[float]:
    w.note("4. The Demo tab")
    w.activate()
    yield 0.3
    w.key("ctrl+d")
    yield 1.5
    focus = w.focused()
    w.note("focus after Ctrl+D: " + (w.spoken(focus) if focus else "nothing"))
    stale = w.stale_names()
    for line in stale:
        w.say("STALE " + line)
    w.check(not stale, f"no stale names in the Demo tab ({len(stale)} stale)")
    yield from tab_cycle(w, limit=40)
    stops = w.tab_stops
    for wanted in ("The check's journey", "The check's results"):
        w.check(any(wanted in s for s in stops), f"Tab reaches {wanted!r}")
    # Fill test candidate, then Start test check, by Tab + Space
    for button in ("Fill test candidate", "Start check"):
        target = w.find(name=button, contains=True)
        w.note(f"{button}: " + (w.spoken(target) if target else "NOT FOUND"))
        pressed = False
        for _ in range(60):
            now = w.focused()
            if now is not None and button in w.name(now):
                mark = len(w.events)
                w.key("space")
                yield 2.0
                w.note(
                    f"after {button}: "
                    + ("; ".join(e[5] for e in w.events_since(mark)[:15]) or "nothing")
                )
                said = w.audible(w.events_since(mark))
                w.note(f"a screen reader speaks: {said}")
                if button == "Start check":
                    w.check(
                        any("Started" in x or "ANNOUNCE" in x for x in said),
                        "Start check: that the check started is heard",
                    )
                pressed = True
                break
            w.key("Tab", note=False)
            yield 0.3
        w.check(pressed, f"{button} reached by Tab and pressed with Space")
    # watch the check
    w.note(f"watching the check for {watch_seconds:.0f} s")
    mark = len(w.events)
    yield watch_seconds
    watched = w.events_since(mark)
    announcements = [e[5] for e in watched if e[1] == "object:announcement"]
    w.note(f"{len(announcements)} announcements: {announcements}")
    repeated = {a for a in announcements if announcements.count(a) > 1}
    w.check(bool(announcements), "status changes are announced")
    w.check(not repeated, f"each announcement once (repeated: {repeated})")
    journey = [e for e in watched if "journey" in e[3].lower() or "journey" in e[5].lower()]
    ticks = [e for e in journey if e[1].endswith("accessible-description")]
    w.check(
        len(ticks) <= max(2, watch_seconds / 10),
        f"the journey's description changed "
        f"{len(ticks)} times in {watch_seconds:.0f} s (should not tick every second)",
    )
    chatter: dict[str, int] = {}
    for e in watched:
        if e[1].startswith("object:property-change") or e[1].startswith("object:text-changed"):
            key = f"{e[1].split(':')[-1]} {e[2]} {e[4] or e[3]!r}"
            chatter[key] = chatter.get(key, 0) + 1
    w.note(f"name/description/text changes while watching: {chatter}")
    w.note("with a check: Tab once more through the Demo tab")
    yield from tab_cycle(w, limit=40)
    stops = w.tab_stops
    for wanted in ("Checks, newest first", "The check's journey", "The check's results"):
        w.check(any(wanted in s for s in stops), f"with a check, Tab reaches {wanted!r}")


def scenario_present(w: Walker, secrets: tuple[str, ...]) -> Iterator[float]:
    w.note("5. Presenting mode (Ctrl+Shift+P)")
    w.activate()
    yield 0.3
    w.key("alt+a")  # the Accounts tab
    yield 0.8
    mark = len(w.events)
    w.key("ctrl+shift+p")
    yield 2.0
    w.note("heard: " + ("; ".join(e[5] for e in w.events_since(mark)[:25]) or "nothing"))
    focus = w.focused()
    w.note("focus: " + (w.spoken(focus) if focus else "nothing"))
    windows = [w.spoken(w.app.getChildAtIndex(i)) for i in range(w.app.childCount)]
    w.note(f"top-level windows: {windows}")
    if any("Present one customer" in x for x in windows):
        w.note("the chooser: Enter presents the selected account")
        mark = len(w.events)
        w.key("Return")
        yield 3.0
        w.note("heard: " + ("; ".join(e[5] for e in w.events_since(mark)[:30]) or "nothing"))
    said = w.audible(w.events_since(mark))
    w.note(f"a screen reader speaks: {said}")
    w.check(
        any("Presenting" in x for x in said),
        "entering presenting mode is said (the word 'Presenting' is heard)",
    )
    focus = w.focused()
    w.note("focus: " + (w.spoken(focus) if focus else "nothing"))
    _present_tree(w, *secrets)
    w.note("the Demo tab while presenting")
    w.key("ctrl+d")
    yield 1.5
    combo = w.find(ident="demoAccountSelector")
    if combo is not None:
        items = [w.name(acc) for _, acc in w.walk_tree(combo) if w.role(acc) == "list item"]
        w.note(f"Account to demo offers: {items}")
    _present_tree(w, *secrets)
    mark = len(w.events)
    w.key("ctrl+shift+p")
    yield 2.0
    said = w.audible(w.events_since(mark))
    w.note(f"leaving presenting, a screen reader speaks: {said}")
    w.check(any("Presenting mode is off" in x for x in said), "leaving presenting mode is said")
    w.key("alt+a")
    yield 0.8


def _present_tree(w: Walker, *secrets: str) -> None:
    """Every object (showing or not) whose name, description or text holds a secret."""
    leaks = []
    for _, acc in w.walk_tree():
        states = w.states(acc)
        text = " ".join((w.fresh_name(acc), w.desc(acc), w.text_of(acc)))
        for secret in secrets:
            if secret and secret.lower() in text.lower():
                leaks.append((secret, w.spoken(acc), "showing" in states))
    for leak in leaks:
        w.say(f"EXPOSED {leak[0]!r} in {leak[1]} (showing={leak[2]})")
    showing = [leak for leak in leaks if leak[2]]
    w.check(
        not showing,
        f"nothing of {secrets} showing in the accessibility tree while "
        f"presenting ({len(showing)} showing, {len(leaks) - len(showing)} hidden)",
    )


def run(args: argparse.Namespace) -> int:
    out = open(args.out, "w") if args.out else sys.stdout  # noqa: SIM115
    w = Walker(out)
    app = w.find_app(timeout=40)
    if app is None:
        print("the app did not appear on the AT-SPI bus", file=sys.stderr)
        return 2
    time.sleep(args.settle)
    if args.scenario == "dump":
        w.dump()
        return 0
    w.listen()
    names = (
        ["first", "link", "table", "demo", "present", "table"]
        if args.scenario == "all"
        else (args.scenario.split(","))
    )

    def everything() -> Iterator[float]:
        for name in names:
            if name == "first":
                yield from scenario_first(w)
            elif name == "link":
                yield from scenario_link(w, "staging")
            elif name == "table":
                yield from scenario_table(w)
            elif name == "demo":
                yield from scenario_demo(w, args.watch)
            elif name == "present":
                # a Production account first: what presenting must keep out of sight
                w.events_typed = 0
                w.key("alt+a")
                yield 0.6
                w.key("ctrl+n")  # File › Link account… opens the link form
                yield 1.0
                yield from scenario_link(w, "production", label="Secret Prod Co")
                ending = getattr(w, "key_ending", "")
                yield from scenario_present(w, ("Secret Prod Co", ending, "Production"))
        if args.scenario == "all" or args.dump_end:
            w.note("the tree at the end (showing only)")
            w.dump()

    steps = everything()
    from gi.repository import GLib

    def step() -> bool:
        try:
            wait = next(steps)
        except StopIteration:
            w.pyatspi.Registry.stop()
            return False
        except Exception as error:  # noqa: BLE001
            import traceback

            w.say("WALK ERROR " + "".join(traceback.format_exception(error)))
            w.pyatspi.Registry.stop()
            return False
        GLib.timeout_add(int(wait * 1000), step)
        return False

    GLib.timeout_add(100, step)
    w.pyatspi.Registry.start()
    failed = [text for ok, text in w.checks if not ok]
    w.say(f"SUMMARY {len(w.checks) - len(failed)} ok, {len(failed)} failed")
    for text in failed:
        w.say(f"  FAIL {text}")
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--launch",
        action="store_true",
        help="start Xvfb, the AT-SPI bus and the app (in a private D-Bus session)",
    )
    parser.add_argument(
        "--scenario",
        default="all",
        help="all, dump, or a comma list of: first, link, table, demo, present",
    )
    parser.add_argument("--out", help="write the transcript here (default: stdout)")
    parser.add_argument("--display", default=":57")
    parser.add_argument(
        "--home",
        default=os.path.join(tempfile.gettempdir(), "a11y", "home"),
        help="the throwaway profile (emptied first)",
    )
    parser.add_argument("--keep-home", action="store_true", help="do not empty --home first")
    parser.add_argument(
        "--app",
        help="the command that opens the window (default: python -m zinc_desktop --sandbox, "
        "this checkout's code, with its .venv or, in a git worktree, the main checkout's)",
    )
    parser.add_argument(
        "--demo-seconds",
        type=float,
        default=0.0,
        help="passed to the app: a simulated check's whole journey",
    )
    parser.add_argument("--watch", type=float, default=20.0, help="seconds to watch a check")
    parser.add_argument(
        "--settle", type=float, default=3.0, help="seconds to let the window settle before walking"
    )
    parser.add_argument(
        "--keyring",
        choices=["gnome", "null"],
        default="gnome",
        help="gnome: a throwaway unlocked gnome-keyring; null: no keyring "
        "(links are session-only, after a warning)",
    )
    parser.add_argument("--dump-end", action="store_true", help="dump the tree at the end")
    args = parser.parse_args()
    if args.launch and os.environ.get("A11Y_WALK_IN_SESSION") != "1":
        # a private session bus, so the AT-SPI bus and the app are ours alone
        env = dict(os.environ, A11Y_WALK_IN_SESSION="1")
        return subprocess.call(["dbus-run-session", "--", sys.executable, *sys.argv], env=env)
    started: list[Process] = []
    try:
        if args.launch:
            started = _launch(args)
        return run(args)
    finally:
        _stop(started)


if __name__ == "__main__":
    sys.exit(main())
