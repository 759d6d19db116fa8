"""The simulator as a demo partner, steered from the Demo tab ("present one customer", item 5):
how the next check ends, pause, next stage, reset; polling notices a change when it happens."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.conftest import STAGING_KEY
from tests.gui.conftest import WindowFactory
from tests.gui.demo.test_demo import checks_shown, fill_candidate, open_demo
from zinc_desktop.core.accounts.model import Account
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.gui.main_window import MainWindow
from zinc_desktop.sandbox import SandboxServer
from zinc_desktop.services import Services


def linked(make_services: Callable[..., Services]) -> Account:
    result = make_services().links.link(Environment.STAGING, ApiKey.parse(STAGING_KEY), "Acme")
    assert result.account is not None
    return result.account


def status_of_selected(window: MainWindow) -> str:
    return window.demo_panel.checks.list.item(0).text().split(" · ")[0]


def test_the_bar_steers_the_simulator_and_the_journey_follows(
    qtbot: QtBot,
    make_window: WindowFactory,
    make_services: Callable[..., Services],
    sandbox: SandboxServer,
) -> None:
    account = linked(make_services)
    window = make_window(steerable=True)
    open_demo(qtbot, window, account)
    demo = window.demo_panel
    bar = demo.simulator
    assert bar.isVisible()
    bar.outcome.setCurrentIndex(bar.outcome.findData("consider"))
    sandbox.pause()  # the journey waits while the presenter talks
    bar.show_paused(True)
    fill_candidate(qtbot, window)
    qtbot.mouseClick(demo.form.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: checks_shown(window) == 1, timeout=5000)
    qtbot.waitUntil(lambda: status_of_selected(window) == "Requested", timeout=5000)
    for stage in ("Awaiting candidate", "In progress", "Complete"):
        qtbot.mouseClick(bar.step, Qt.MouseButton.LeftButton)  # one stage per press

        def reached(stage: str = stage) -> bool:
            return status_of_selected(window) == stage

        qtbot.waitUntil(reached, timeout=5000)
    qtbot.waitUntil(lambda: "consider" in demo.checks.results_text(), timeout=5000)

    qtbot.mouseClick(bar.reset, Qt.MouseButton.LeftButton)  # the journey starts again
    qtbot.waitUntil(lambda: status_of_selected(window) == "Requested", timeout=5000)
    qtbot.mouseClick(bar.pause, Qt.MouseButton.LeftButton)  # resume: it moves by itself
    assert not sandbox.paused
    qtbot.waitUntil(lambda: status_of_selected(window) == "Complete", timeout=10_000)


def test_the_bar_is_not_there_for_real_zinc(
    qtbot: QtBot, make_window: WindowFactory, make_services: Callable[..., Services]
) -> None:
    account = linked(make_services)
    window = make_window()  # the simulator is not this run's own: as with real Zinc
    open_demo(qtbot, window, account)
    assert not window.demo_panel.simulator.isVisible()
