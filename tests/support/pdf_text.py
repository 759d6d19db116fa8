"""A PDF's text as a reader sees it (pdftotext), never its raw bytes: Qt compresses PDF text,
so a search of the bytes finds nothing and proves nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.platforms import LINUX, PLATFORM


def pdf_to_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        if not LINUX:  # CI installs it on Linux only; Homebrew or Chocolatey's poppler would do
            pytest.skip(f"pdftotext (poppler) is not installed on this {PLATFORM} runner")
        if os.environ.get("CI"):
            pytest.fail("CI must read exported PDFs: install Debian's poppler-utils")
        pytest.skip("pdftotext is missing (Debian's poppler-utils)")
    result = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    text = result.stdout.decode("utf-8")
    assert text.strip(), f"{path} has no text at all: the search would prove nothing"
    return text
