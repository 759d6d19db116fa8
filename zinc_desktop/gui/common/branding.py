"""Name, title and icon, read from the resources folder."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from PySide6.QtGui import QIcon


@dataclass(frozen=True)
class Branding:
    application_name: str
    window_title: str
    tagline: str
    organization: str


@cache
def branding() -> Branding:
    data = json.loads(files("zinc_desktop.resources").joinpath("branding.json").read_text("utf-8"))
    return Branding(**data)


def app_icon() -> QIcon:
    return QIcon(str(files("zinc_desktop.resources").joinpath("zinc-desktop.svg")))
