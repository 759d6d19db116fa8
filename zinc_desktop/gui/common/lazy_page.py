"""A tab page built the first time it is needed, so start-up pays only for what it shows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from zinc_desktop.gui.common.scrolling import scrolling

W = TypeVar("W", bound=QWidget)


class LazyPage(QWidget, Generic[W]):
    """Stands in a QTabWidget; `content()` builds the real page (once) inside it."""

    def __init__(
        self,
        build: Callable[[], W],
        object_name: str,
        on_built: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName(object_name)
        self._build = build
        self._on_built = on_built
        self._content: W | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def built(self) -> W | None:
        return self._content

    def content(self) -> W:
        if self._content is None:
            self._content = self._build()
            area = scrolling(self._content, f"{self.objectName()}Scroll")
            self._layout.addWidget(area)
            area.show()  # a child added to a shown widget stays hidden until told
            if self._on_built is not None:
                self._on_built()  # e.g. put the new widgets in the window's tab order
        return self._content

    def showEvent(self, event: QShowEvent) -> None:
        self.content()  # opened before anything asked for it: build now
        super().showEvent(event)
