"""Renders a check summary as PDF (Qt's own PDF writer, into memory) or HTML, and writes exactly
the files it is given, each atomically and owner-only.

Qt never opens the file itself: its file names are always UTF-8, while Python (like the rest of
the app) uses the OS's own encoding, so a folder named with `é` under a Latin-1 locale would be
two different folders. Rendering into a buffer and writing with Python keeps one.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QUrl
from PySide6.QtGui import QFont, QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from zinc_desktop.core.checks.summary import (
    CheckSummary,
    SummaryFormat,
    SummaryTarget,
    mark_png,
    mark_uri,
)
from zinc_desktop.core.foundation.app_paths import write_atomically


def render(summary: CheckSummary, kind: SummaryFormat) -> bytes:
    page = summary.html()
    if kind is SummaryFormat.HTML:
        return page.encode("utf-8")
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(summary.title())
    writer.setCreator("zinc-desktop")
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageOrientation(QPageLayout.Orientation.Portrait)
    writer.setResolution(144)
    document = QTextDocument()
    font = document.defaultFont()  # no ligatures: "Whitfield" is found, and copied, as typed
    font.setFeature(QFont.Tag("liga"), 0)
    document.setDefaultFont(font)
    if mark_uri():  # the page's inline mark, given to Qt itself: no Qt release need read data URIs
        document.addResource(
            QTextDocument.ResourceType.ImageResource, QUrl(mark_uri()), QImage.fromData(mark_png())
        )
    document.setHtml(page)
    document.print_(writer)
    del writer  # the PDF is finished when the writer goes
    buffer.close()
    pdf = bytes(data.data())
    if not pdf.startswith(b"%PDF"):
        raise OSError("Qt could not make the PDF")
    return pdf


def export_summary(summary: CheckSummary, targets: list[SummaryTarget]) -> None:
    """Write each target (and nothing else). Everything is rendered before the first file is
    written; raises OSError when a file cannot be written (those already written stay whole)."""
    contents = [(target.path, render(summary, target.format)) for target in targets]
    for path, data in contents:
        write_atomically(path, data)
