"""Render the hicolor PNG icons from resources/zinc-desktop.svg with the app's own Qt.

    python packaging/render_icons.py          # (re)write the hicolor icons and the summary's mark
    python packaging/render_icons.py --check  # exit 1 if the checked-in icons are stale

The PNGs are checked in (the desktop files and install.sh work from a checkout without Qt, and
core, which has no Qt, puts the mark into exported summaries as an inline PNG); the test suite
runs --check, so changing the SVG without re-rendering fails.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "zinc-desktop.svg"
HICOLOR = ROOT / "packaging" / "linux" / "share" / "icons" / "hicolor"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICON_NAME = "zinc-desktop"  # = QApplication.desktopFileName(), the .desktop file's Icon=
# The mark at the top of an exported summary (core/checks/summary.py), shown at 44 px: 128 px
# stays sharp in a PDF zoomed in and on a high-density screen.
MARK = ROOT / "resources" / "zinc-desktop-mark.png"
MARK_SIZE = 128
# Another Qt release may anti-alias an edge pixel differently; a changed drawing moves far more.
TOLERANCE = 24


def png_path(size: int) -> Path:
    return HICOLOR / f"{size}x{size}" / "apps" / f"{ICON_NAME}.png"


def svg_copy() -> Path:
    return HICOLOR / "scalable" / "apps" / f"{ICON_NAME}.svg"


def render(size: int) -> QImage:
    """The SVG drawn into a transparent size x size QImage."""
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"error: Qt cannot read {SVG}")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def differs(expected: QImage, path: Path) -> str:
    """Why the PNG at `path` is not `expected` (within TOLERANCE per channel), or ''."""
    if not path.is_file():
        return "missing"
    actual = QImage(str(path)).convertToFormat(QImage.Format.Format_ARGB32)
    if actual.size() != expected.size():
        return f"{actual.width()}x{actual.height()}, not {expected.width()}x{expected.height()}"
    worst = 0
    for y in range(expected.height()):
        for x in range(expected.width()):
            a, b = actual.pixelColor(x, y), expected.pixelColor(x, y)
            worst = max(
                worst,
                abs(a.red() - b.red()),
                abs(a.green() - b.green()),
                abs(a.blue() - b.blue()),
                abs(a.alpha() - b.alpha()),
            )
            if worst > TOLERANCE:
                return f"pixel ({x}, {y}) differs by {worst}"
    return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    options = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    problems = []
    for size, path in [*((size, png_path(size)) for size in SIZES), (MARK_SIZE, MARK)]:
        image = render(size)
        if options.check:
            why = differs(image, path)
            if why:
                problems.append(f"{path.relative_to(ROOT)}: {why}")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not image.save(str(path)):  # the format from the suffix (.png): no format argument,
                # which PySide6 6.11 types as bytes but refuses as bytes at run time
                raise SystemExit(f"error: could not write {path}")
    svg = SVG.read_bytes()
    if options.check:
        if not svg_copy().is_file() or svg_copy().read_bytes() != svg:
            problems.append(f"{svg_copy().relative_to(ROOT)}: not a copy of {SVG.name}")
    else:
        svg_copy().parent.mkdir(parents=True, exist_ok=True)
        svg_copy().write_bytes(svg)
    del app
    if problems:
        print("stale icons (run python packaging/render_icons.py):", *problems, sep="\n  ")
        return 1
    print(
        f"{'checked' if options.check else 'wrote'} {len(SIZES)} PNGs and the SVG in {HICOLOR}, "
        f"and {MARK.relative_to(ROOT)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
