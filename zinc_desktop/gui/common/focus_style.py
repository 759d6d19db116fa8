"""A focus ring you can see from across a meeting room, whatever the platform style draws.

Fusion (Qt's default off the desktop) marks a focused button by a faint change that reads the
same as "default button". This proxy style draws a 2-pixel ring in the highlight colour around
whichever control has keyboard focus, so the default button and the focused one always differ.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFocusEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QStyleOption,
    QStyleOptionComplex,
    QTableView,
    QWidget,
)
from shiboken6 import Shiboken

_RING_CONTROLS = {
    QStyle.ControlElement.CE_PushButton,
    QStyle.ControlElement.CE_CheckBox,
    QStyle.ControlElement.CE_RadioButton,
}
_RING_COMPLEX = {QStyle.ComplexControl.CC_ToolButton}


def draw_ring(painter: QPainter, rect: QRect, palette: QPalette, inset: int = 1) -> None:
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(rect.adjusted(inset, inset, -inset, -inset), 3, 3)
    painter.restore()


def _ring(option: QStyleOption, painter: QPainter, *, inset: int = 1, always: bool = False) -> None:
    if always or option.state & QStyle.StateFlag.State_HasFocus:
        draw_ring(painter, option.rect, option.palette, inset)


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


_plain: list[QStyle] = []


def _plain_style() -> QStyle:
    """One instance of the application's base style, outside the proxy.

    Not the proxy's own base style object: that one sends the parts it draws back through the
    proxy (QStyle.proxy()), into Python again.
    """
    style = QApplication.style()
    if not isinstance(style, QProxyStyle):
        return style
    if not _plain or not Shiboken.isValid(_plain[0]):
        plain = QStyleFactory.create(style.baseStyle().name()) or style
        plain.setParent(QApplication.instance())  # lives as long as the application
        _plain[:] = [plain]
    return _plain[0]


class RingedTableView(QTableView):
    """A table painted by the platform's own style, with the same ring when it has focus.

    Under the proxy style every cell of a repaint called into Python (and waited for the
    interpreter while workers held it): about 200 calls for a screenful of rows. This view
    paints its cells in C++ and calls Python once a repaint, to draw the ring on its viewport.
    The view's children (header, editors, scroll bars) keep the application's style.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyle(_plain_style())

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.hasFocus():
            painter = QPainter(self.viewport())
            draw_ring(painter, self.viewport().rect(), self.palette(), inset=1)
            painter.end()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        # Qt scrolls the viewport by moving its pixels, ring included, and repaints only the
        # strip uncovered: the ring would smear into the rows and leave an edge undrawn.
        super().scrollContentsBy(dx, dy)
        if self.hasFocus():
            self.viewport().update()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.viewport().update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.viewport().update()


def install_focus_style(app: QApplication) -> FocusRingStyle:
    """Wrap the application's style; keep the returned object alive as long as the app."""
    style = FocusRingStyle(app.style().name())
    app.setStyle(style)
    return style
