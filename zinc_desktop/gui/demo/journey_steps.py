"""A check's journey as a large row of steps, for presenting: reached, current, still to come."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from zinc_desktop.core.checks.journey import JourneyStep, StepState
from zinc_desktop.gui.common import styles
from zinc_desktop.gui.common.focus_style import draw_ring
from zinc_desktop.gui.common.naming import named

_MARKS = {StepState.DONE: "✓", StepState.CURRENT: "●", StepState.ATTENTION: "!",
          StepState.PENDING: ""}  # fmt: skip


class JourneySteps(QWidget):
    """Paints the steps left to right; `caption` (e.g. the elapsed time) goes underneath."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "journeySteps", "The check's journey")
        self._steps: list[tuple[JourneyStep, str]] = []
        self._caption = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a screen reader user Tabs to it to hear it

    def show_steps(
        self, steps: list[tuple[JourneyStep, str]], caption: str, spoken_caption: str | None = None
    ) -> None:
        """`steps`: each step with the time to show under it (may be empty). `spoken_caption`:
        the caption as a screen reader gets it, without what ticks (a running clock would be
        re-read every second); by default the caption itself."""
        if (steps, caption) == (self._steps, self._caption):
            return
        self._steps = steps
        self._caption = caption
        spoken = "; ".join(
            f"{step.status.label}: {step.state.value}" + (f" at {when}" if when else "")
            for step, when in steps
        )
        said = caption if spoken_caption is None else spoken_caption
        description = f"{spoken}. {said}".strip(" .") if spoken or said else ""
        if description != self.accessibleDescription():
            self.setAccessibleDescription(description)
        self.update()

    def sizeHint(self) -> QSize:
        height = self.fontMetrics().height()
        return QSize(520, int(height * 5.4))

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._steps:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text_colour = palette.windowText().color()
        faint = palette.placeholderText().color()
        done = QColor(styles.accent("success", palette))
        attention = QColor(styles.accent("warning", palette))
        line_height = self.fontMetrics().height()
        radius = line_height * 0.75
        count = len(self._steps)
        width = self.width()
        slot = width / count
        centre_y = radius + 4
        centres = [QPointF(slot * (i + 0.5), centre_y) for i in range(count)]
        for i in range(count - 1):
            reached = self._steps[i + 1][0].state is not StepState.PENDING
            painter.setPen(QPen(done if reached else faint, 3))
            painter.drawLine(centres[i] + QPointF(radius, 0), centres[i + 1] - QPointF(radius, 0))
        bold = QFont(self.font())
        bold.setBold(True)
        for (step, when), centre in zip(self._steps, centres, strict=True):
            colour = {
                StepState.DONE: done,
                StepState.CURRENT: done,
                StepState.ATTENTION: attention,
                StepState.PENDING: faint,
            }[step.state]
            painter.setPen(QPen(colour, 3))
            painter.setBrush(colour if step.state is StepState.DONE else Qt.BrushStyle.NoBrush)
            painter.drawEllipse(centre, radius, radius)
            mark = _MARKS[step.state]
            if mark:
                painter.setFont(bold)
                painter.setPen(palette.base().color() if step.state is StepState.DONE else colour)
                box = QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)
                painter.drawText(box, Qt.AlignmentFlag.AlignCenter, mark)
            label_box = QRectF(centre.x() - slot / 2, centre_y + radius + 4, slot, line_height)
            painter.setFont(bold if step.state is StepState.CURRENT else self.font())
            painter.setPen(faint if step.state is StepState.PENDING else text_colour)
            painter.drawText(label_box, Qt.AlignmentFlag.AlignCenter, step.status.label)
            if when:
                painter.setFont(self.font())
                painter.setPen(faint)
                painter.drawText(
                    label_box.translated(0, line_height), Qt.AlignmentFlag.AlignCenter, when
                )
        if self.hasFocus():
            draw_ring(painter, self.rect(), palette)
        if self._caption:
            painter.setFont(bold)
            painter.setPen(text_colour)
            caption_box = QRectF(0, centre_y + radius + 4 + 2.1 * line_height, width, line_height)
            painter.drawText(caption_box, Qt.AlignmentFlag.AlignCenter, self._caption)
        painter.end()
