"""The Demo tab's account picker: Staging first, Production marked LIVE, unusable ones disabled."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QColor, QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QWidget

from zinc_desktop.core.accounts.demo_choice import PickerEntry
from zinc_desktop.gui.common.naming import named
from zinc_desktop.gui.common.plain_text import tooltip

ACCOUNT_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class AccountPicker(QComboBox):
    """Shows PickerEntry rows; headings and unusable accounts cannot be chosen.

    Signals:
        accountChosen(str): the user picked an account (by id).
    """

    accountChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "demoAccountSelector", "Account to demo")
        self.setToolTip("The linked account whose packages and checks the demo shows")
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setMinimumContentsLength(28)
        self._items = QStandardItemModel(self)
        self.setModel(self._items)
        self._shown: tuple[tuple[str, str | None, bool, str], ...] = ()
        self.activated.connect(self._on_activated)

    def show_entries(
        self, entries: list[PickerEntry], chosen: str | None, shown: Callable[[str], str]
    ) -> None:
        """Rebuild only when the entries changed, so an open drop-down is not closed under you.

        `shown`: how text may appear (presenting: masked).
        """
        rows = tuple((shown(e.text), e.account_id, e.enabled, e.reason) for e in entries)
        if rows != self._shown:
            self._shown = rows
            self.blockSignals(True)
            self._items.clear()
            for entry, row in zip(entries, rows, strict=True):
                self._items.appendRow(self._item(entry, row[0]))
            self.blockSignals(False)
        self.blockSignals(True)
        index = self.findData(chosen, ACCOUNT_ID_ROLE) if chosen else -1
        self.setCurrentIndex(index)
        if index < 0:
            self.setPlaceholderText(
                "Choose an account…"
                if any(entry.enabled for entry in entries)
                else "No account can be demoed yet"
            )
        self.blockSignals(False)

    @staticmethod
    def _item(entry: PickerEntry, text: str) -> QStandardItem:
        if entry.is_heading:
            item = QStandardItem(text)
            font = QFont()
            font.setBold(True)
            item.setFont(font)
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            if entry.environment is not None and entry.environment.is_billable:
                item.setForeground(QColor("#c62828"))
            return item
        item = QStandardItem(text + (f"  ({entry.reason})" if entry.reason else ""))
        item.setData(entry.account_id, ACCOUNT_ID_ROLE)
        item.setData(f"{text}, {entry.reason}" if entry.reason else text,
                     Qt.ItemDataRole.AccessibleTextRole)  # fmt: skip
        if not entry.enabled:
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            item.setToolTip(
                tooltip(f"Cannot be demoed: {entry.reason}. Fix it on the Accounts tab.")
            )
        return item

    def chosen_id(self) -> str | None:
        value = self.currentData(ACCOUNT_ID_ROLE)
        return value if isinstance(value, str) else None

    @Slot(int)
    def _on_activated(self, index: int) -> None:
        value = self.itemData(index, ACCOUNT_ID_ROLE)
        if isinstance(value, str):
            self.accountChosen.emit(value)
