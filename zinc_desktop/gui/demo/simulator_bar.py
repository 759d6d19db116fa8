"""The simulator, steered from the Demo tab: how the next check ends, pause, next stage,
reset. Shown only when the chosen account's environment is served by the simulator in this
process (--sandbox); real Zinc cannot be steered."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QPushButton, QWidget

from zinc_desktop.gui.common.naming import buddy_label, named

# The simulator's outcomes, by the word it takes (zinc_desktop.sandbox.outcomes.CheckOutcome),
# as a person reads them; the GUI names them without importing the simulator at start-up.
OUTCOMES = {
    "clear": "All clear",
    "consider": "Needs review",
    "attention": "Attention needed, then cleared",
    "withdrawn": "Candidate withdrew",
}


class SimulatorBar(QWidget):
    """The controls; the Demo panel does the steering.

    Signals:
        outcomeChosen(str): how checks started from now on end (an OUTCOMES key).
        pauseToggled(bool): pause (True) or resume the simulator's clock.
        stepRequested(): move the selected check (or every check) to its next stage now.
        resetRequested(): every check starts its journey again.
    """

    outcomeChosen = Signal(str)
    pauseToggled = Signal(bool)
    stepRequested = Signal()
    resetRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("simulatorBar")
        self.outcome = named(QComboBox(), "simulatorOutcome", "How the next checks end")
        for word, text in OUTCOMES.items():
            self.outcome.addItem(text, word)
        self.outcome.setToolTip(
            "The offline simulator ends the checks started from now on this way."
        )
        label = buddy_label("Simulator — next checks &end:", self.outcome)
        self.outcome.activated.connect(self._on_outcome)
        self.pause = named(QPushButton("&Pause"), "simulatorPause", "Pause the simulator")
        self.pause.setCheckable(True)
        self.pause.setToolTip("Stop the simulated clock: every check stays where it is")
        self.pause.toggled.connect(self._on_pause)
        self.step = named(QPushButton("Next &stage"), "simulatorStep", "Next stage")
        self.step.setToolTip("Move the selected check to its next stage now")
        self.step.clicked.connect(self.stepRequested)
        self.reset = named(QPushButton("Rese&t clock"), "simulatorReset", "Reset the clock")
        self.reset.setToolTip("Every check starts its journey again, from Requested")
        self.reset.clicked.connect(self.resetRequested)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(label)
        row.addWidget(self.outcome)
        row.addStretch(1)
        for button in (self.pause, self.step, self.reset):
            row.addWidget(button)

    def focus_order(self) -> list[QWidget]:
        return [self.outcome, self.pause, self.step, self.reset]

    def chosen_outcome(self) -> str:
        value = self.outcome.currentData()
        return value if isinstance(value, str) else "clear"

    def show_paused(self, paused: bool) -> None:
        self.pause.blockSignals(True)
        self.pause.setChecked(paused)
        self.pause.setText("Resu&me" if paused else "&Pause")
        self.pause.setAccessibleName("Resume the simulator" if paused else "Pause the simulator")
        self.pause.blockSignals(False)

    @Slot(int)
    def _on_outcome(self, index: int) -> None:
        self.outcomeChosen.emit(self.chosen_outcome())

    @Slot(bool)
    def _on_pause(self, paused: bool) -> None:
        self.show_paused(paused)
        self.pauseToggled.emit(paused)
