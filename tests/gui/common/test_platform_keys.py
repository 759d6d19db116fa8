"""Keys from Qt's standard keys where it has one, and written for people as Qt writes them."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from tests.gui.conftest import find_dialog
from zinc_desktop.gui import main_window as gui_package_anchor
from zinc_desktop.gui.common.platform_keys import (
    NATIVE,
    StandardKey,
    modifier_text,
    native_text,
    shifted,
    standard_keys,
    typed,
)
from zinc_desktop.gui.main_window import MainWindow

GUI = Path(gui_package_anchor.__file__).parent
# A key as prose names it: a modifier, "+", then the key (or "click").
KEY_IN_TEXT = re.compile(r"\b(?:Ctrl|Alt|Meta|Shift)\+[^\s()/,;:]+")


def test_a_standard_key_is_the_platforms_and_a_fallback_only_where_it_has_none(
    qapp: QApplication,
) -> None:
    bindings = QKeySequence.keyBindings(StandardKey.Quit)
    quit_keys = standard_keys(StandardKey.Quit, fallback="Ctrl+Q")
    assert quit_keys == (bindings or [QKeySequence("Ctrl+Q")])
    assert (
        standard_keys(StandardKey.Refresh, fallback="F5")[0]
        == (QKeySequence.keyBindings(StandardKey.Refresh) or [QKeySequence("F5")])[0]
    )
    assert standard_keys(StandardKey.Preferences) == QKeySequence.keyBindings(
        StandardKey.Preferences
    )  # no fallback: none where the platform has none


def test_a_keyboards_dedicated_keys_are_pressed_but_not_written(qapp: QApplication) -> None:
    dedicated = [QKeySequence(Qt.Key.Key_Refresh), QKeySequence(Qt.Key.Key_Help)]
    f5 = QKeySequence("F5")
    assert typed([f5, *dedicated, QKeySequence()]) == [f5]
    assert native_text([f5, *dedicated]) == f5.toString(NATIVE)
    assert shifted([f5, QKeySequence("Ctrl+R"), *dedicated]) == [
        QKeySequence("Shift+F5"),
        QKeySequence("Ctrl+Shift+R"),
    ]


def test_a_modifier_before_a_click_is_written_as_qt_writes_it(qapp: QApplication) -> None:
    written = QKeySequence("Ctrl+A").toString(NATIVE)
    assert modifier_text(Qt.KeyboardModifier.ControlModifier) + "A" == written


def _prose_strings(path: Path) -> list[tuple[int, str]]:
    """String constants that are not docstrings (comments are not in the tree)."""
    tree = ast.parse(path.read_text("utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_no_modifier_key_is_written_into_the_windows_text_by_hand() -> None:
    """A "Ctrl+…" in the GUI's source is only ever a whole key for Qt to read (QKeySequence
    maps Ctrl to ⌘ on macOS); text shown to people gets its keys from Qt (NativeText)."""
    found = []
    for path in sorted(GUI.rglob("*.py")):
        for line, text in _prose_strings(path):
            if not KEY_IN_TEXT.search(text):
                continue
            # Whole keys for Qt to read (" / " between them, as the shortcuts list reads them).
            keys = text.split(" / ")
            if not all(QKeySequence(key).toString() == key for key in keys):
                found.append(f"{path.relative_to(GUI)}:{line}: {text!r}")
    assert not found, "keys written by hand:\n" + "\n".join(found)


def _shown_text(window: MainWindow) -> list[str]:
    widgets = [window, *window.findChildren(QWidget)]
    texts = [w.toolTip() for w in widgets] + [w.accessibleDescription() for w in widgets]
    texts += [a.toolTip() + "\n" + a.statusTip() for a in window.findChildren(QAction)]
    return [text for text in texts if text]


def test_keys_shown_in_tooltips_and_the_shortcuts_list_are_the_ones_qt_writes(
    qtbot: QtBot, window: MainWindow
) -> None:
    # Every key the window answers to, as Qt writes it for this platform.
    pressed: set[str] = set()
    for action in window.findChildren(QAction):
        pressed |= {keys.toString(NATIVE) for keys in action.shortcuts()}
    for shortcut in window.findChildren(QShortcut):
        pressed |= {keys.toString(NATIVE) for keys in shortcut.keys()}  # noqa: SIM118

    qtbot.keyClick(window.link_panel.key_input, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: find_dialog("shortcutsDialog") is not None)
    dialog = find_dialog("shortcutsDialog")
    assert dialog is not None
    table = dialog.findChild(QTableWidget, "shortcutsTable")
    assert isinstance(table, QTableWidget)
    rows = [(table.item(row, 0), table.item(row, 1)) for row in range(table.rowCount())]
    listed = {keys.text(): meaning.text() for keys, meaning in rows if keys and meaning}
    dialog.close()

    for keys in listed:  # each part of a row as Qt writes it, never as typed in the code
        for part in keys.split(" / "):
            sequence = QKeySequence.fromString(part, QKeySequence.SequenceFormat.NativeText)
            assert sequence.toString(NATIVE) == part, (keys, part)
    click = modifier_text(Qt.KeyboardModifier.ControlModifier) + "click"
    texts = _shown_text(window) + list(listed.values())
    for text in texts:
        for key in KEY_IN_TEXT.findall(text):
            if key.endswith("click"):
                assert key in (click, modifier_text(Qt.KeyboardModifier.ShiftModifier) + "click")
            else:
                assert key in pressed, (key, text)  # a key the window answers to, as Qt writes it

    # The tooltips that name a key name the action's own, as the menu shows it.
    link_keys = window.link_action.shortcut().toString(NATIVE)
    assert window.accounts_page.link_toggle.toolTip().endswith(f"({link_keys})")
    present_keys = window.present_action.shortcut().toString(NATIVE)
    assert present_keys in window.presenting_chip.toolTip()
    panel = window.accounts_panel
    assert panel.retest_action.toolTip().endswith(
        f"({native_text(panel.retest_action.shortcuts())})"
    )
