"""Colours and small style sheets that read well on light and dark palettes alike."""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QWidget

from zinc_desktop.core.foundation.environments import EndpointSource, Environment

_TINTS = {
    "error": ("#d43c3c", "#ff8a80"),
    "warning": ("#b26a00", "#ffcc80"),
    "info": ("#2a6df4", "#90b4ff"),
    "success": ("#1e8e4f", "#7ee2a8"),
    "ok": ("#1e8e4f", "#7ee2a8"),
    "hint": ("", ""),
}


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def accent(kind: str, palette: QPalette) -> str:
    light, dark = _TINTS[kind]
    return dark if is_dark(palette) else light


def _rgba(colour: str, alpha: float) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, {alpha})"


def message_style(kind: str, palette: QPalette) -> str:
    colour = accent(kind, palette)
    return (
        f"QFrame#linkMessage {{ border: 1px solid {colour};"
        f" border-left: 4px solid {colour};"
        f" border-radius: 4px; background: {_rgba(colour, 0.12)}; }}"
        " QLabel { border: none; background: transparent; }"
    )


def feedback_style(kind: str, palette: QPalette) -> str:
    if kind == "hint":
        return "color: palette(placeholder-text);"
    return f"color: {accent(kind, palette)};"


def badge_style(source: EndpointSource) -> str:
    colour = "#6a1b9a" if source is EndpointSource.SANDBOX else "#b26a00"
    return (
        f"QLabel {{ color: white; background: {colour}; border-radius: 3px;"
        " padding: 1px 6px; font-weight: bold; font-size: 11px; }"
    )


def environment_band_text(environment: Environment) -> str:
    if environment.is_billable:
        return "LIVE · Production: real candidates, billable checks."
    return "Staging: test data only, no real checks are run."


def environment_band_style(environment: Environment) -> str:
    if environment.is_billable:
        return (
            "QLabel { color: white; background: #c62828; border-radius: 4px;"
            " padding: 5px 10px; font-weight: bold; }"
        )
    return "QLabel { color: white; background: #00838f; border-radius: 4px; padding: 5px 10px; }"


def chip_style(colour: str) -> str:
    return (
        f"QLabel {{ color: white; background: {colour}; border-radius: 9px;"
        " padding: 2px 9px; font-weight: bold; }"
    )


def restyle(widget: QWidget, sheet: str) -> None:
    """Set `widget`'s style sheet only when it changes: setting one re-polishes and repaints
    the widget even when the sheet is the same, and views refresh on every poll."""
    if widget.styleSheet() != sheet:
        widget.setStyleSheet(sheet)
