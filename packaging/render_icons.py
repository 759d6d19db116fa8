"""Render the hicolor PNG icons from resources/zinc-desktop.svg with the app's own Qt.

    python packaging/render_icons.py          # (re)write the icons and the summary's mark
    python packaging/render_icons.py --check  # exit 1 if the checked-in icons are stale

It also writes the two platform icon files the bundle needs, from the same SVG:
packaging/icons/zinc-desktop.icns (macOS, the .app's icon) and zinc-desktop.ico (Windows, the
programs' and the installer's icon). Both are containers of PNG images, written here by hand:
Qt's own ICNS and ICO writers store one image per file, and these need every size.

The PNGs are checked in (the desktop files and install.sh work from a checkout without Qt, and
core, which has no Qt, puts the mark into exported summaries as an inline PNG); the test suite
runs --check, so changing the SVG without re-rendering fails.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
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
ICONS = ROOT / "packaging" / "icons"
ICO = ICONS / "zinc-desktop.ico"
ICNS = ICONS / "zinc-desktop.icns"
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 256)  # Windows' list, taskbar and Explorer sizes
# ICNS entry types holding PNG data, by pixel size (the @2x types share the pixel sizes).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"ic11", 32),
    (b"icp6", 64),
    (b"ic12", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic13", 256),
    (b"ic09", 512),
    (b"ic14", 512),
    (b"ic10", 1024),
)
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


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]  # PySide6 types it bytes
        raise SystemExit("error: Qt could not encode a PNG")
    return bytes(data.data())


def ico_file(images: dict[int, bytes]) -> bytes:
    """An ICO of PNG images (Windows Vista and later read PNG entries)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, payload = b"", b""
    for size, png in sorted(images.items()):
        side = 0 if size >= 256 else size  # 0 means 256 in an ICO directory
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        payload += png
        offset += len(png)
    return header + entries + payload


def icns_file(images: dict[int, bytes]) -> bytes:
    """An ICNS of PNG images: 'icns', its length, then (type, length, data) per entry."""
    body = b"".join(
        kind + struct.pack(">I", 8 + len(images[size])) + images[size] for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def read_ico(data: bytes) -> dict[int, bytes]:
    reserved, kind, count = struct.unpack_from("<HHH", data)
    if (reserved, kind) != (0, 1):
        raise ValueError("not an ICO file")
    images = {}
    for index in range(count):
        side, _, _, _, _, _, length, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * index)
        images[side or 256] = data[offset : offset + length]
    return images


def read_icns(data: bytes) -> list[tuple[bytes, bytes]]:
    if data[:4] != b"icns" or struct.unpack_from(">I", data, 4)[0] != len(data):
        raise ValueError("not an ICNS file")
    entries, at = [], 8
    while at < len(data):
        kind, length = data[at : at + 4], struct.unpack_from(">I", data, at + 4)[0]
        entries.append((kind, data[at + 8 : at + length]))
        at += length
    return entries


def platform_icon_problems() -> list[str]:
    """Why the checked-in ICO and ICNS are not this SVG's, entry by entry ([] if they are)."""
    problems = []
    try:
        ico = read_ico(ICO.read_bytes())
        icns = read_icns(ICNS.read_bytes())
    except (OSError, ValueError, struct.error) as error:
        return [f"{ICONS.relative_to(ROOT)}: {error}"]
    if sorted(ico) != sorted(ICO_SIZES):
        problems.append(f"{ICO.name}: sizes {sorted(ico)}, not {sorted(ICO_SIZES)}")
    if [kind for kind, _ in icns] != [kind for kind, _ in ICNS_TYPES]:
        problems.append(f"{ICNS.name}: entries {[k.decode() for k, _ in icns]}")
    sizes = dict(ICNS_TYPES)
    for name, size, png in [
        *((ICO.name, size, png) for size, png in ico.items()),
        *((ICNS.name, sizes.get(kind, 0), png) for kind, png in icns),
    ]:
        why = image_differs(render(size), QImage.fromData(png))
        if why:
            problems.append(f"{name} ({size} px): {why}")
    return problems


def differs(expected: QImage, path: Path) -> str:
    """Why the PNG at `path` is not `expected` (within TOLERANCE per channel), or ''."""
    if not path.is_file():
        return "missing"
    return image_differs(expected, QImage(str(path)))


def image_differs(expected: QImage, image: QImage) -> str:
    """Why `image` is not `expected` (within TOLERANCE per channel), or ''."""
    if image.isNull():
        return "not an image"
    actual = image.convertToFormat(QImage.Format.Format_ARGB32)
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
    if options.check:
        problems += platform_icon_problems()
    else:
        ICONS.mkdir(parents=True, exist_ok=True)
        ICO.write_bytes(ico_file({size: png_bytes(render(size)) for size in ICO_SIZES}))
        pngs = {size: png_bytes(render(size)) for size in {size for _, size in ICNS_TYPES}}
        ICNS.write_bytes(icns_file(pngs))
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
        f"{MARK.relative_to(ROOT)}, {ICO.relative_to(ROOT)} and {ICNS.relative_to(ROOT)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
