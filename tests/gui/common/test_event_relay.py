"""Events published on worker threads reach the GUI thread through a HubRelay, in bursts."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from zinc_desktop.core.foundation.events import EventHub, Topic
from zinc_desktop.gui.common.event_relay import HubRelay

TICKS: Topic[int] = Topic("ticks")


def test_worker_events_arrive_on_the_gui_thread_in_order_and_stop_on_close(qtbot: QtBot) -> None:
    hub = EventHub()
    relay: HubRelay[int] = HubRelay(hub, TICKS)
    taken: list[int] = []
    threads: list[threading.Thread] = []

    def on_arrived() -> None:
        threads.append(threading.current_thread())
        taken.extend(relay.take())

    relay.arrived.connect(on_arrived)

    def publish() -> None:
        for i in range(1000):
            hub.publish(TICKS, i)

    worker = threading.Thread(target=publish)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(taken) == 1000, timeout=5000)
    assert taken == list(range(1000))
    assert set(threads) == {threading.main_thread()}
    assert len(threads) < 1000  # one wake-up per burst, not one per event

    relay.close()
    assert hub.subscribers(TICKS) == 0
    hub.publish(TICKS, 1000)
    qtbot.wait(50)
    assert taken == list(range(1000))
    relay.deleteLater()
