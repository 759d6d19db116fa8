"""The collector that keeps Qt objects from being freed on worker threads."""

from __future__ import annotations

import gc

from pytestqt.qtbot import QtBot

from zinc_desktop.gui.common.gui_thread_gc import GuiThreadGarbageCollector


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_collects_cycles_on_the_gui_thread_with_automatic_collection_off(qtbot: QtBot) -> None:
    # The session fixture already runs one; a second behaves the same and restores the state.
    collector = GuiThreadGarbageCollector()
    try:
        assert not gc.isenabled()
        gc.collect()
        for _ in range(gc.get_threshold()[0] * 3):
            Cycle()
        assert gc.get_count()[0] > gc.get_threshold()[0]
        qtbot.waitUntil(lambda: gc.get_count()[0] < gc.get_threshold()[0], timeout=3000)
    finally:
        collector.stop()


def test_freezing_the_start_up_objects_still_collects_new_cycles(qtbot: QtBot) -> None:
    collector = GuiThreadGarbageCollector()
    try:
        collector.freeze()
        assert gc.get_freeze_count() > 1000  # modules, widgets: out of every later collection
        collected: list[int] = []

        class Watched(Cycle):
            def __del__(self) -> None:
                collected.append(1)

        Watched()
        for _ in range(gc.get_threshold()[0] * 3):
            Cycle()
        qtbot.waitUntil(lambda: collected == [1], timeout=3000)
    finally:
        collector.stop()
    assert gc.get_freeze_count() == 0
