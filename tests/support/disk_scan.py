"""Looks for a key in every file under some folders: "secrets live only in the keyring"."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def files_containing(folders: Iterable[Path], secret: str) -> list[Path]:
    needles = {secret.lower().encode(), secret.upper().encode()}
    found = []
    scanned = 0
    for folder in folders:
        if not folder.exists():
            continue
        for path in folder.rglob("*"):
            if path.is_file():
                scanned += 1
                data = path.read_bytes()
                if any(needle in data for needle in needles):
                    found.append(path)
    assert scanned > 0, "nothing was written at all: the scan would prove nothing"
    return found
