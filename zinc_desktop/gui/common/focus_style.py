"""A focus ring you can see from across a meeting room, whatever the platform style draws.

Fusion (Qt's default off the desktop) marks a focused button by a faint change that reads the
same as "default button". This proxy style draws a 2-pixel ring in the highlight colour around
whichever control has keyboard focus, so the default button and the focused one always differ.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleOption,
    QStyleOptionComplex,
    QWidget,
)

_RING_CONTROLS = {
    QStyle.ControlElement.CE_PushButton,
    QStyle.ControlElement.CE_CheckBox,
    QStyle.ControlElement.CE_RadioButton,
}
_RING_COMPLEX = {QStyle.ComplexControl.CC_ToolButton}


def _ring(option: QStyleOption, painter: QPainter, *, inset: int = 1, always: bool = False) -> None:
    if not always and not option.state & QStyle.StateFlag.State_HasFocus:
        return
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(option.palette.color(QPalette.ColorRole.Highlight), 2)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(option.rect.adjusted(inset, inset, -inset, -inset), 3, 3)
    painter.restore()


class FocusRingStyle(QProxyStyle):
    """The platform's style, plus a clear ring around the focused control."""

    def drawControl(
        self,
        element: QStyle.ControlElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawControl(element, option, painter, widget)
        if element in _RING_CONTROLS:
            _ring(option, painter)
        elif element is QStyle.ControlElement.CE_ShapedFrame and isinstance(
            widget, QAbstractItemView
        ):
            # A table or list with focus: ring the whole view, not only its current cell, which
            # a selected row of the same colour would hide.
            _ring(option, painter, inset=0)

    def drawComplexControl(
        self,
        control: QStyle.ComplexControl,
        option: QStyleOptionComplex,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawComplexControl(control, option, painter, widget)
        if control in _RING_COMPLEX:
            _ring(option, painter)

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if element is QStyle.PrimitiveElement.PE_FrameFocusRect and not isinstance(
            widget, QAbstractItemView
        ):
            _ring(option, painter, inset=0, always=True)  # tabs, check boxes, labels
            return
        super().drawPrimitive(element, option, painter, widget)


def install_focus_style(app: QApplication) -> FocusRingStyle:
    """Wrap the application's style; keep the returned object alive as long as the app."""
    style = FocusRingStyle(app.style().name())
    app.setStyle(style)
    return style
