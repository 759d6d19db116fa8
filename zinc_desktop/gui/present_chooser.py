"""Which customer to present: asked on the consultant's own screen, before it is shared."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from zinc_desktop.core.accounts.model import Account
from zinc_desktop.gui.common.naming import named, with_clear_button

ACCOUNT_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class PresentChooser(QDialog):
    """A list of the accounts that can be presented (Staging, demoable), the default selected;
    a filter for long lists. `chosen_id()` after it is accepted."""

    def __init__(
        self, accounts: list[Account], default: str | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("presentChooser")
        self.setWindowTitle("Present one customer")
        intro = QLabel(
            "Choose the customer to present. While presenting, nothing of any other account "
            "is shown: not in the tables, the Demo tab, messages or exports."
        )
        intro.setWordWrap(True)
        self.filter_input = named(QLineEdit(), "presentFilter", "Filter accounts to present")
        self.filter_input.setPlaceholderText("Filter by label…")
        with_clear_button(self.filter_input, "Clear the filter")
        self.filter_input.textChanged.connect(self._filter)
        self.list = named(QListWidget(), "presentList", "Account to present")
        for account in sorted(accounts, key=lambda a: (a.label.casefold(), a.id)):
            item = QListWidgetItem(account.label)
            item.setData(ACCOUNT_ID_ROLE, account.id)
            self.list.addItem(item)
            if account.id == default:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        self.list.itemActivated.connect(self.accept)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Present")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.filter_input)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.buttons)
        self.list.setFocus()
        self.resize(420, 360)

    def chosen_id(self) -> str | None:
        item = self.list.currentItem()
        value = item.data(ACCOUNT_ID_ROLE) if item is not None and not item.isHidden() else None
        return value if isinstance(value, str) else None

    @Slot(str)
    def _filter(self, text: str) -> None:
        needle = text.strip().casefold()
        first = None
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setHidden(needle not in item.text().casefold())
            if first is None and not item.isHidden():
                first = item
        current = self.list.currentItem()
        if first is not None and (current is None or current.isHidden()):
            self.list.setCurrentItem(first)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(first is not None)
