"""Small painted icons for account status and environment, crisp at any device pixel ratio."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

from zinc_desktop.core.accounts.model import AccountStatus

STATUS_COLORS = {
    AccountStatus.VERIFIED: "#1e9e5a",
    AccountStatus.REJECTED: "#d43c3c",
    AccountStatus.UNREACHABLE: "#d98a00",
    AccountStatus.UNCHECKED: "#7a8594",
    AccountStatus.MISSING_SECRET: "#8a4fd8",
    AccountStatus.INCOMPLETE: "#b0548a",
}
CHECKING_COLOR = "#2a6df4"
PRODUCTION_COLOR = "#c62828"
STAGING_COLOR = "#00838f"


def _glyph(kind: str, size: float) -> QPainterPath:
    path = QPainterPath()
    s = size
    if kind == "check":
        path.moveTo(QPointF(0.28 * s, 0.52 * s))
        path.lineTo(QPointF(0.44 * s, 0.68 * s))
        path.lineTo(QPointF(0.72 * s, 0.36 * s))
    elif kind == "cross":
        path.moveTo(QPointF(0.33 * s, 0.33 * s))
        path.lineTo(QPointF(0.67 * s, 0.67 * s))
        path.moveTo(QPointF(0.67 * s, 0.33 * s))
        path.lineTo(QPointF(0.33 * s, 0.67 * s))
    elif kind == "bang":
        path.moveTo(QPointF(0.5 * s, 0.27 * s))
        path.lineTo(QPointF(0.5 * s, 0.56 * s))
        path.moveTo(QPointF(0.5 * s, 0.72 * s))
        path.lineTo(QPointF(0.5 * s, 0.73 * s))
    elif kind == "dash":
        path.moveTo(QPointF(0.32 * s, 0.5 * s))
        path.lineTo(QPointF(0.68 * s, 0.5 * s))
    elif kind == "key":
        path.addEllipse(QRectF(0.25 * s, 0.38 * s, 0.22 * s, 0.22 * s))
        path.moveTo(QPointF(0.47 * s, 0.49 * s))
        path.lineTo(QPointF(0.75 * s, 0.49 * s))
        path.moveTo(QPointF(0.68 * s, 0.49 * s))
        path.lineTo(QPointF(0.68 * s, 0.62 * s))
    elif kind == "dots":
        for x in (0.32, 0.5, 0.68):
            path.addEllipse(QPointF(x * s, 0.5 * s), 0.045 * s, 0.045 * s)
    return path


def _paint(color: str, glyph: str, size: int) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(color))
    painter.drawEllipse(QRectF(0.5, 0.5, size - 1.0, size - 1.0))
    pen = QPen(QColor("white"), max(1.5, size * 0.11))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(_glyph(glyph, size))
    painter.end()
    return pixmap


def _icon(color: str, glyph: str) -> QIcon:
    icon = QIcon()
    for size in (16, 24, 32, 48):
        icon.addPixmap(_paint(color, glyph, size))
    return icon


_GLYPHS = {
    AccountStatus.VERIFIED: "check",
    AccountStatus.REJECTED: "cross",
    AccountStatus.UNREACHABLE: "bang",
    AccountStatus.UNCHECKED: "dash",
    AccountStatus.MISSING_SECRET: "key",
    AccountStatus.INCOMPLETE: "key",
}


@cache
def status_icon(status: AccountStatus) -> QIcon:
    return _icon(STATUS_COLORS[status], _GLYPHS[status])


@cache
def checking_icon() -> QIcon:
    return _icon(CHECKING_COLOR, "dots")


@cache
def environment_icon(production: bool) -> QIcon:
    # Production warns; Staging is a calm dot (a dash would read as "no entry").
    return _icon(PRODUCTION_COLOR if production else STAGING_COLOR, "bang" if production else "")


@cache
def eye_icon(crossed: bool = False) -> QIcon:
    """The reveal-key toggle: an eye, struck through while the key is shown."""
    icon = QIcon()
    for size in (16, 24, 32):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(QColor("#5f6b7a"), max(1.2, size * 0.08))
        painter.setPen(pen)
        outline = QPainterPath()
        outline.moveTo(QPointF(0.08 * size, 0.5 * size))
        outline.quadTo(QPointF(0.5 * size, 0.05 * size), QPointF(0.92 * size, 0.5 * size))
        outline.quadTo(QPointF(0.5 * size, 0.95 * size), QPointF(0.08 * size, 0.5 * size))
        painter.drawPath(outline)
        painter.setBrush(QColor("#5f6b7a"))
        painter.drawEllipse(QPointF(0.5 * size, 0.5 * size), 0.14 * size, 0.14 * size)
        if crossed:
            painter.drawLine(QPointF(0.15 * size, 0.85 * size), QPointF(0.85 * size, 0.15 * size))
        painter.end()
        icon.addPixmap(pixmap)
    return icon
