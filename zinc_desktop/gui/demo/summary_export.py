"""Writes a check summary as HTML and as PDF (Qt's own PDF writer), owner-only."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from zinc_desktop.core.check_summary import CheckSummary


def export_summary(summary: CheckSummary, base: Path) -> tuple[Path, Path]:
    """`base`.html and `base`.pdf; returns both paths. Raises OSError if they cannot be written."""
    base = base.with_suffix("")
    html_path = base.with_suffix(".html")
    pdf_path = base.with_suffix(".pdf")
    page = summary.html()
    html_path.write_text(page, encoding="utf-8")
    writer = QPdfWriter(str(pdf_path))
    writer.setTitle(summary.title())
    writer.setCreator("zinc-desktop")
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageOrientation(QPageLayout.Orientation.Portrait)
    writer.setResolution(144)
    document = QTextDocument()
    document.setHtml(page)
    document.print_(writer)
    del writer  # the PDF is finished when the writer goes
    if not pdf_path.exists() or pdf_path.stat().st_size == 0:
        raise OSError(f"Qt could not write {pdf_path}")
    if os.name == "posix":
        for path in (html_path, pdf_path):
            os.chmod(path, 0o600)
    return html_path, pdf_path
