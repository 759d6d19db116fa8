"""The presented customer's account as a card: what the Accounts tab shows while presenting,
in place of a table with one row and a great deal of empty space."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from zinc_desktop.core.accounts.model import Account, utc_now
from zinc_desktop.core.accounts.presenting import Presentation
from zinc_desktop.core.foundation.time_text import relative_time
from zinc_desktop.gui.common import styles
from zinc_desktop.gui.common.naming import named
from zinc_desktop.gui.common.plain_text import plain_label, sentences


class AccountCard(QFrame):
    """Label, environment, status with its reason, last check, packages: large and plain.

    Focusable, so the panel's keys (F5 re-test, F2 rename, Ctrl+E replace key) work from it,
    and a screen reader reads it whole.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "presentedAccountCard", "Presented account")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.title = plain_label(named(QLabel(), "presentedAccountLabel"))
        self.title.setWordWrap(True)
        self.band = plain_label(named(QLabel(), "presentedAccountEnvironment"))
        self.status = plain_label(named(QLabel(), "presentedAccountStatus"))
        self.status.setWordWrap(True)
        self.details = plain_label(named(QLabel(), "presentedAccountDetails"))
        self.details.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addWidget(self.band, 0, Qt.AlignmentFlag.AlignLeft)  # a badge, not a bar
        layout.addWidget(self.status)
        layout.addWidget(self.details)
        layout.addStretch(1)

    def show_account(self, account: Account, presentation: Presentation) -> None:
        shown = presentation.text
        title_font = QFont(self.font())  # the application's, larger while presenting
        title_font.setPointSizeF(title_font.pointSizeF() * 1.6)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.title.setText(shown(account.label))
        self.band.setText(styles.environment_band_text(account.environment))
        styles.restyle(self.band, styles.environment_band_style(account.environment))
        why = f" {shown(account.last_message)}" if account.last_message else ""
        self.status.setText(f"{account.status.label}.{why}")
        checked = relative_time(account.last_checked_at, utc_now())
        packages = (
            "packages not known"
            if account.packages_seen is None
            else f"{account.packages_seen} package{'s' if account.packages_seen != 1 else ''}"
        )
        self.details.setText(f"Last checked: {checked.lower()} · {packages}")
        self.setAccessibleDescription(
            sentences(
                *(label.text() for label in (self.title, self.band, self.status, self.details))
            )
        )
