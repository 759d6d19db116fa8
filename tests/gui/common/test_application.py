"""What every run of the window installs, as the app installs it (tests/gui/conftest.py)."""

from __future__ import annotations

import sys

from zinc_desktop.gui.common.application import GUI_SWITCH_INTERVAL


def test_workers_hand_the_interpreter_back_to_the_gui_thread_within_a_millisecond() -> None:
    # Measured by benchmarks/probes.py stall_retest_all: 18-20 ms pauses at 5 ms, 12-15 at 1.
    assert sys.getswitchinterval() == GUI_SWITCH_INTERVAL == 0.001
