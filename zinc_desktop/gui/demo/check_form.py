"""The test-check form: the chosen package, a candidate, Start; each problem next to its field."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from zinc_desktop.core.checks.candidate import MAX_EMAIL_LENGTH, MAX_NAME_LENGTH, TEST_CANDIDATE
from zinc_desktop.core.demo.session import Notice
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.gui.common import styles
from zinc_desktop.gui.common.naming import buddy_label, named
from zinc_desktop.gui.common.plain_text import live_label

# (field, label with mnemonic, objectName, accessible name: a contract, see DESIGN.md)
FIELDS = (
    ("first_name", "F&irst name", "candidateFirstName", "First name"),
    ("last_name", "La&st name", "candidateLastName", "Last name"),
    ("email", "E&mail", "candidateEmail", "Email"),
    ("phone", "&Phone (optional)", "candidatePhone", "Phone (optional)"),
)
_LIMITS = {"first_name": MAX_NAME_LENGTH, "last_name": MAX_NAME_LENGTH,
           "email": MAX_EMAIL_LENGTH, "phone": 20}  # fmt: skip


class CheckForm(QGroupBox):
    """A view: it reports what the user typed and shows what the session decided.

    Signals:
        startRequested(): the Start button, or Enter in a field.
        fillRequested(): fill in the fictitious test candidate.
    """

    startRequested = Signal()
    fillRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Start a test check", parent)
        self.setObjectName("checkFormGroup")
        # Two fields a row (names, then contact), each label above its field and each problem
        # below it: the form stays short enough for a 640-pixel-high laptop screen.
        grid = QGridLayout(self)
        grid.setVerticalSpacing(2)
        grid.setHorizontalSpacing(10)
        self.package_label = live_label("chosenPackage", "The package the check will use")
        self.package_label.setWordWrap(True)
        package_row = QHBoxLayout()
        package_row.setSpacing(6)
        package_row.addWidget(QLabel("Package:"))
        package_row.addWidget(self.package_label, 1)
        grid.addLayout(package_row, 0, 0, 1, 2)
        self.inputs: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        for index, (field, label, name, accessible) in enumerate(FIELDS):
            edit = named(QLineEdit(), name, accessible)
            edit.setMaxLength(_LIMITS[field] + 20)  # over-long input is refused with a reason
            edit.returnPressed.connect(self.startRequested)
            edit.textEdited.connect(self._clear_error)
            error = live_label(f"{name}Error", f"What is wrong with {accessible}")
            error.setWordWrap(True)
            styles.restyle(error, styles.feedback_style("error", self.palette()))
            error.hide()
            self.inputs[field] = edit
            self.errors[field] = error
            box = QVBoxLayout()
            box.setSpacing(1)
            box.addWidget(buddy_label(label, edit))
            box.addWidget(edit)
            box.addWidget(error)
            box.addStretch(1)
            grid.addLayout(box, 1 + index // 2, index % 2)
        self.inputs["email"].setPlaceholderText("name@example.com")
        self.inputs["email"].setToolTip("Zinc emails the candidate an invitation to this address")
        self.fill_button = named(
            QPushButton("Fill test &candidate"), "fillTestCandidateButton", "Fill test candidate"
        )
        self.fill_button.setToolTip(
            f"{TEST_CANDIDATE['first_name']} {TEST_CANDIDATE['last_name']}, "
            f"{TEST_CANDIDATE['email']}: a fictitious person at an address that reaches nobody."
        )
        self.fill_button.clicked.connect(self.fillRequested)
        self.start_button = named(
            QPushButton("Start &test check"), "startCheckButton", "Start check"
        )
        self.start_button.clicked.connect(self.startRequested)
        self.status = live_label("checkFormStatus", "What happened to the last start")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.fill_button)
        buttons.addStretch(1)
        buttons.addWidget(self.start_button)
        grid.addLayout(buttons, 3, 0, 1, 2)
        grid.addWidget(self.status, 4, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(5, 1)
        self._busy = False

    # --- what the user typed -------------------------------------------------------------------

    def values(self) -> dict[str, str]:
        return {field: edit.text() for field, edit in self.inputs.items()}

    def fill(self, values: dict[str, str]) -> None:
        for field, edit in self.inputs.items():
            edit.setText(values.get(field, ""))
            self.errors[field].hide()

    def clear(self) -> None:
        for field, edit in self.inputs.items():
            edit.clear()
            self.errors[field].hide()

    def focus_first_empty(self) -> None:
        for edit in self.inputs.values():
            if edit.isEnabled() and not edit.text():
                edit.setFocus()
                return
        self.start_button.setFocus()

    # --- what the session decided --------------------------------------------------------------

    def show_problems(self, problems: dict[str, str]) -> None:
        """Each problem under its field; focus goes to the first one."""
        for field, label in self.errors.items():
            label.setText(problems.get(field, ""))
            label.setVisible(field in problems)
        for field, *_ in FIELDS:
            if field in problems:
                self.inputs[field].setFocus()
                break

    def show_state(
        self,
        environment: Environment | None,
        package_name: str | None,
        notice: Notice | None,
        *,
        busy: bool,
    ) -> None:
        billable = environment is not None and environment.is_billable
        self.setTitle("Start a billable check" if billable else "Start a test check")
        self.start_button.setText("Start &billable check…" if billable else "Start &test check")
        self.start_button.setAccessibleDescription(
            "Production: a real check, billed; asks before sending"
            if billable
            else "Staging: a test check, nothing is billed"
        )
        self.fill_button.setVisible(environment is not None and not billable)
        usable = environment is not None
        for edit in self.inputs.values():
            edit.setEnabled(usable)
        # Enabled while a start is under way: the session ignores a second press, and a
        # button that turns itself off would throw the keyboard focus elsewhere.
        self.start_button.setEnabled(usable and package_name is not None)
        self._busy = busy
        if environment is None:
            self.package_label.setText("Choose an account first.")
        elif package_name is None:
            self.package_label.setText("Choose one in the Packages list.")
        else:
            self.package_label.setText(package_name)
        if notice is None:
            self.status.clear()
        else:
            self.status.setText(notice.text)
            styles.restyle(self.status, styles.feedback_style(notice.kind, self.palette()))

    @Slot()
    def _clear_error(self) -> None:
        for field, edit in self.inputs.items():
            if edit is self.sender():
                self.errors[field].hide()
