"""User- and server-supplied text never becomes markup: escape it, or show it as plain text.

Qt guesses: a QLabel, a QMessageBox and a tooltip render anything that looks like HTML as
HTML. A label such as `Prod</b> is a <b>Staging</b> account<!--` would rewrite a warning.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel


def escape(text: str) -> str:
    return html.escape(text, quote=True)


def rich(template: str, *values: str) -> str:
    """`template` is ours (trusted markup); each `{}` is filled with an escaped value."""
    return template.format(*(escape(value) for value in values))


def tooltip(text: str) -> str:
    """A tooltip that shows `text` literally, line breaks kept (tooltips guess like labels)."""
    return "<p style='white-space:pre-wrap'>" + escape(text) + "</p>"


_SENTENCE_ENDS = (".", "!", "?", "…")


def sentences(*parts: str) -> str:
    """`parts` read one after another as sentences: each but the last ends with a full stop
    unless it ends a sentence already ("are run." then "Verified" is "are run. Verified", never
    "are run.. Verified"); empty parts are left out."""
    said = [" ".join(part.split()) for part in parts]
    said = [part for part in said if part]
    return " ".join(
        part if index == len(said) - 1 or part.endswith(_SENTENCE_ENDS) else f"{part}."
        for index, part in enumerate(said)
    )


def live_label(object_name: str, description: str = "") -> QLabel:
    """A label whose text changes (status, problems, counts): plain text, and no fixed
    accessible name, so a screen reader reads what it says now; `description` says what it is."""
    label = plain_label(QLabel())
    label.setObjectName(object_name)
    if description:
        label.setAccessibleDescription(description)
    return label


def plain_label(label: QLabel) -> QLabel:
    """Make `label` show whatever it is given as plain text, never as markup."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label
