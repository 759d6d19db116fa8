"""The Demo tab hears Zinc's webhooks: a check started while the receiver is on carries its URL;
each delivery the simulator sends joins the check's journey beside the polls, a webhook ahead
of the last poll is marked, and its arrival is said as a moment of the demo ("Zinc told the
partner system: …"), presenting too, with nothing of the payload."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from tests.conftest import STAGING_KEY
from tests.gui.conftest import WindowFactory
from tests.gui.demo.test_demo import fill_candidate, open_demo
from zinc_desktop.core.accounts.model import Account
from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.gui.main_window import MainWindow
from zinc_desktop.sandbox import SandboxServer
from zinc_desktop.services import Services


@pytest.fixture
def staging(make_services: Callable[..., Services]) -> Account:
    key = ApiKey.parse(STAGING_KEY)
    account = make_services().links.link(Environment.STAGING, key, "Acme").account
    assert account is not None
    return account


def timeline(window: MainWindow) -> list[str]:
    view = window.demo_panel.checks.timeline
    return [view.item(i).text() for i in range(view.count())]


def start_check(qtbot: QtBot, window: MainWindow) -> None:
    fill_candidate(qtbot, window)
    window.demo_panel.form.start_button.click()
    qtbot.waitUntil(lambda: window.demo_panel.checks.list.count() == 1, timeout=5000)


def test_webhooks_join_the_journey_and_their_arrival_is_a_moment(
    qtbot: QtBot, make_window: WindowFactory, staging: Account, sandbox: SandboxServer
) -> None:
    sandbox.pause()  # each stage when the test steps it, not on the simulator's own clock
    window = make_window(steerable=True)
    station = window._services.webhooks
    station.set_account(staging.id)
    url = station.start()
    open_demo(qtbot, window, staging)
    start_check(qtbot, window)
    qtbot.waitUntil(lambda: any("↪  Requested" in t for t in timeline(window)), timeout=5000)
    requested = next(t for t in timeline(window) if "↪  Requested" in t)
    assert requested.endswith("· not verified")  # no token set for the account
    assert url.endswith(station.ring.all()[0].path)
    moment = window.demo_panel.checks.moment
    qtbot.waitUntil(moment.isVisible, timeout=5000)
    assert moment.text() == "Zinc told the partner system: Basic DBS + Right to Work: Requested"
    window.set_presenting(True)
    sandbox.step()
    qtbot.waitUntil(lambda: moment.text().endswith(": Awaiting candidate"), timeout=5000)
    assert moment.text() in window.demo_panel.announced
    for shown in (moment.text(), *window.demo_panel.announced):
        assert "Ada" not in shown
        assert "Lovelace" not in shown
        assert "127.0.0.1" not in shown
    window.set_presenting(False)
    qtbot.waitUntil(
        lambda: any("↪  Awaiting candidate" in t for t in timeline(window)), timeout=5000
    )


def test_a_check_started_with_the_receiver_off_carries_no_url(
    qtbot: QtBot, make_window: WindowFactory, staging: Account, sandbox: SandboxServer
) -> None:
    window = make_window(steerable=True)
    open_demo(qtbot, window, staging)
    start_check(qtbot, window)
    posted = [r for r in sandbox.requests if r.method == "POST"]
    body = posted[-1].body
    assert isinstance(body, dict)
    assert "webhook_url" not in body
    assert not window.demo_panel.checks.moment.isVisible()
    assert sandbox.signing_token(Environment.STAGING)  # the simulator has one all the same
