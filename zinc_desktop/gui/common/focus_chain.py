"""Tab order stated once, in full: the order a person reads the page in."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from PySide6.QtWidgets import QWidget


def chain_tab_order(widgets: Sequence[QWidget]) -> None:
    """Make Tab visit `widgets` in this order (Qt skips the hidden and disabled ones)."""
    for first, second in itertools.pairwise(widgets):
        QWidget.setTabOrder(first, second)
