"""No outside string is ever interpreted as markup (hardening item 17): with hostile labels
linked, every label, tooltip, message box and item tooltip of the window and its dialogs is
walked, and none renders the markup a label or a server sent."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from PySide6 import QtGui
from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel, QWidget
from pytestqt.qtbot import QtBot

from tests.conftest import PRODUCTION_KEY, STAGING_KEY
from tests.gui.conftest import WindowFactory, find_dialog, wait_for_dialog
from tests.gui.demo.test_demo import open_demo
from zinc_desktop.core.accounts.model import AccountStatus
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.sandbox import SandboxServer
from zinc_desktop.services import Services

MARK = "<b>BOLD</b>"
HOSTILE = f"{MARK}<img src='x'><a href='http://evil.example'>click</a>"
SECOND_KEY = "6d" * 16


def _indexes(model: QAbstractItemModel, parent: QModelIndex | None = None) -> Iterator[QModelIndex]:
    parent = parent if parent is not None else QModelIndex()
    for row in range(min(model.rowCount(parent), 200)):
        for column in range(model.columnCount(parent)):
            index = model.index(row, column, parent)
            yield index
            yield from _indexes(model, index)


def rendered_markup(widget: QWidget) -> list[str]:
    """Where `widget` or its children would draw the hostile markup as markup."""
    found = []
    for each in [widget, *widget.findChildren(QWidget)]:
        name = f"{type(each).__name__}({each.objectName()!r})"
        if isinstance(each, QLabel) and MARK in each.text():
            rich = each.textFormat() == Qt.TextFormat.RichText or (
                each.textFormat() == Qt.TextFormat.AutoText
                and QtGui.Qt.mightBeRichText(each.text())
            )
            if rich:
                found.append(f"{name} text")
        if MARK in each.toolTip():  # tooltips always guess: an escaped one holds &lt;b&gt;
            found.append(f"{name} tooltip")
        if isinstance(each, QAbstractItemView) and each.model() is not None:
            for index in _indexes(each.model()):
                tip = index.data(Qt.ItemDataRole.ToolTipRole)
                if isinstance(tip, str) and MARK in tip:
                    found.append(f"{name} item tooltip")
    return found


def test_hostile_labels_are_text_everywhere(
    qtbot: QtBot,
    make_window: WindowFactory,
    make_services: Callable[..., Services],
    sandbox: SandboxServer,
) -> None:
    links = make_services().links
    sandbox.add_key(Environment.STAGING, SECOND_KEY)
    staging = links.link(Environment.STAGING, ApiKey.parse(STAGING_KEY), f"S {HOSTILE}").account
    lost = links.link(Environment.STAGING, ApiKey.parse(SECOND_KEY), f"L {HOSTILE}").account
    live = links.link(Environment.PRODUCTION, ApiKey.parse(PRODUCTION_KEY), f"P {HOSTILE}").account
    assert staging is not None
    assert lost is not None
    assert live is not None
    links.keyring().delete(lost.id)
    window = make_window()
    assert rendered_markup(window) == []

    panel = window.accounts_panel
    qtbot.waitUntil(
        lambda: (
            getattr(window.model.account(lost.id), "status", None) is AccountStatus.MISSING_SECRET
        )
    )
    panel.select_account(lost.id)
    assert panel.replace_action.isEnabled()
    panel.replace_action.trigger()
    qtbot.waitUntil(lambda: find_dialog("replaceKeyDialog") is not None)
    dialog = find_dialog("replaceKeyDialog")
    assert dialog is not None
    assert rendered_markup(dialog) == []
    assert "BOLD" in " ".join(label.text() for label in dialog.findChildren(QLabel))
    dialog.close()

    panel.select_account(live.id)
    panel.unlink_action.trigger()
    unlink = wait_for_dialog(qtbot, "unlinkDialog")
    assert rendered_markup(unlink) == []
    assert "BOLD" in unlink.text()
    unlink.close()

    open_demo(qtbot, window, staging)
    assert rendered_markup(window) == []
    window.set_presenting(True)
    assert rendered_markup(window) == []


def test_an_override_url_with_markup_is_plain_text_in_the_link_form(qtbot: QtBot) -> None:
    from zinc_desktop.core.foundation.environments import Endpoint, EndpointSource
    from zinc_desktop.gui.accounts.link_panel import LinkPanel

    hostile = f"http://127.0.0.1:1/{MARK}/partner/v2"
    endpoints = {
        environment: Endpoint(environment, hostile, EndpointSource.OVERRIDE)
        for environment in Environment
    }
    panel = LinkPanel(endpoints, None)
    qtbot.addWidget(panel)
    assert rendered_markup(panel) == []
    assert MARK.replace("<", "&lt;").replace(">", "&gt;") in panel.endpoint_label.toolTip()
