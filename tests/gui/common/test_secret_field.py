"""The key field keeps the key out of Qt: Qt (and what it tells assistive technology) only ever
holds bullets, while every way of editing still edits the key. A property test runs random
edits against a plain string doing the same."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import (
    QAccessible,
    QDropEvent,
    QGuiApplication,
    QInputMethodEvent,
)
from PySide6.QtWidgets import QApplication, QLineEdit, QToolButton
from pytestqt.qtbot import QtBot

from tests.conftest import STAGING_KEY
from zinc_desktop.gui.common.naming import with_clear_button
from zinc_desktop.gui.common.secret_field import MASK, SecretLineEdit


def make(qtbot: QtBot) -> SecretLineEdit:
    field = SecretLineEdit()
    with_clear_button(field, "Clear the key")
    qtbot.addWidget(field)
    field.show()
    field.setFocus()
    return field


def assert_masked(field: SecretLineEdit, secret: str) -> None:
    assert field.text() == secret
    assert field.shown_text() == MASK * len(secret)
    assert QLineEdit.text(field) == MASK * len(secret)  # what C++ (and so the bridge) reads
    interface = QAccessible.queryAccessibleInterface(field)
    assert interface is not None
    for kind in (QAccessible.Text.Value, QAccessible.Text.Name, QAccessible.Text.Description):
        said = interface.text(kind)
        assert not secret or secret not in said


def test_typing_keeps_the_key_out_of_qt(qtbot: QtBot) -> None:
    field = make(qtbot)
    changes: list[str] = []
    field.secretChanged.connect(lambda: changes.append(field.text()))
    qtbot.keyClicks(field, STAGING_KEY)
    assert_masked(field, STAGING_KEY)
    assert len(changes) == len(STAGING_KEY)
    qtbot.keyClick(field, Qt.Key.Key_Backspace)
    assert_masked(field, STAGING_KEY[:-1])
    qtbot.keyClick(field, Qt.Key.Key_Home)
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    assert_masked(field, STAGING_KEY[1:-1])
    qtbot.keyClick(field, Qt.Key.Key_Right)
    qtbot.keyClicks(field, "Z")
    assert_masked(field, STAGING_KEY[1] + "Z" + STAGING_KEY[2:-1])
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # select all
    qtbot.keyClicks(field, "ab")  # replaces the selection
    assert_masked(field, "ab")
    qtbot.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo: ignored
    assert_masked(field, "ab")


def test_paste_drop_and_input_method_edit_the_key(qtbot: QtBot) -> None:
    field = make(qtbot)
    QGuiApplication.clipboard().setText(f" {STAGING_KEY}\n")
    qtbot.keyClick(field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert_masked(field, f" {STAGING_KEY}")  # line breaks dropped; the rest as pasted
    field.clear()
    data = QMimeData()
    data.setText(STAGING_KEY)
    drop = QDropEvent(
        QPointF(5, 5),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    field.dropEvent(drop)  # Qt delivers a drop only during a real drag: the handler itself
    assert_masked(field, STAGING_KEY)
    field.clear()
    commit = QInputMethodEvent("", [])
    commit.setCommitString(STAGING_KEY[:8])
    QApplication.sendEvent(field, commit)
    assert_masked(field, STAGING_KEY[:8])


def test_the_clear_button_and_read_only_and_reveal(qtbot: QtBot) -> None:
    field = make(qtbot)
    field.setText(STAGING_KEY)
    assert_masked(field, STAGING_KEY)
    edited: list[bool] = []
    field.secretEdited.connect(lambda: edited.append(True))
    (clear_button,) = field.findChildren(QToolButton)
    clear_button.click()  # Qt's own clear button clears the mask; the key follows
    assert_masked(field, "")
    assert edited == [True]
    field.setText(STAGING_KEY)
    field.setReadOnly(True)
    qtbot.keyClicks(field, "abc")
    qtbot.keyClick(field, Qt.Key.Key_Backspace)
    assert_masked(field, STAGING_KEY)  # read-only: nothing changes
    field.setReadOnly(False)
    field.set_revealed(True)  # the user's explicit choice: an ordinary field for a moment
    assert field.shown_text() == STAGING_KEY
    qtbot.keyClick(field, Qt.Key.Key_End)
    qtbot.keyClick(field, Qt.Key.Key_Backspace)
    assert field.text() == STAGING_KEY[:-1]
    field.set_revealed(False)
    assert_masked(field, STAGING_KEY[:-1])


EDITS = st.one_of(
    st.tuples(st.just("type"), st.text(alphabet="0123456789abcdefXY -", min_size=1, max_size=3)),
    st.tuples(st.just("backspace"), st.none()),
    st.tuples(st.just("delete"), st.none()),
    st.tuples(st.just("move"), st.integers(0, 40)),
    st.tuples(st.just("select"), st.tuples(st.integers(0, 40), st.integers(0, 40))),
    st.tuples(st.just("paste"), st.text(alphabet="0123456789abcdef\n", max_size=40)),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(EDITS, max_size=25))
def test_any_edits_keep_the_key_and_the_mask_in_step(
    qtbot: QtBot, edits: list[tuple[str, object]]
) -> None:
    field = make(qtbot)
    model, cursor, selection = "", 0, None  # what a plain field would hold
    for kind, value in edits:
        if kind == "move":
            assert isinstance(value, int)
            cursor, selection = min(value, len(model)), None
            field.setCursorPosition(cursor)
            continue
        if kind == "select":
            assert isinstance(value, tuple)
            start, end = sorted(min(v, len(model)) for v in value)
            field.setSelection(start, end - start)
            selection = (start, end) if end > start else None
            cursor = end
            continue
        start, end = selection or (cursor, cursor)
        if kind == "type":
            assert isinstance(value, str)
            qtbot.keyClicks(field, value)
            model, cursor = model[:start] + value + model[end:], start + len(value)
            selection = None
            continue
        if kind == "paste":
            assert isinstance(value, str)
            QGuiApplication.clipboard().setText(value)
            qtbot.keyClick(field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
            put = value.replace("\n", "")
            model, cursor = model[:start] + put + model[end:], start + len(put)
            selection = None
            continue
        if selection is None:
            if kind == "backspace" and cursor > 0:
                start = cursor - 1
            if kind == "delete" and cursor < len(model):
                end = cursor + 1
        qtbot.keyClick(field, Qt.Key.Key_Backspace if kind == "backspace" else Qt.Key.Key_Delete)
        model, cursor, selection = model[:start] + model[end:], start, None
    assert_masked(field, model)
    assert field.cursorPosition() == cursor
    field.deleteLater()
