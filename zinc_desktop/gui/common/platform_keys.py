"""Keys as each platform expects them (Qt's standard keys), written as the platform writes them.

Where Qt has a standard key for an action, the platform's keys come from it: Quit is Ctrl+Q on
Linux and ⌘Q on macOS, Re-test is F5 (and Ctrl+R on GNOME) or ⌘R on macOS. A literal "Ctrl+…"
is Qt's portable spelling (⌘ on macOS), so it may stay where no standard key fits; but a key is
only ever shown to people as Qt writes it for the platform (NativeText), never as typed here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QKeyCombination, Qt
from PySide6.QtGui import QKeySequence

StandardKey = QKeySequence.StandardKey
NATIVE = QKeySequence.SequenceFormat.NativeText
Keys = QKeySequence | str | StandardKey | Sequence[QKeySequence]


def standard_keys(key: StandardKey, fallback: str = "") -> list[QKeySequence]:
    """The platform's keys for `key`, its preferred one first; `fallback` where it has none.

    Qt gives no Quit key on Windows (Alt+F4 closes the window there) and no Full screen key
    in a plain X11 or KDE session without Plasma's integration: a fallback keeps a key the
    menu can show.
    """
    bindings = [keys for keys in QKeySequence.keyBindings(key) if not keys.isEmpty()]
    return bindings or ([QKeySequence(fallback)] if fallback else [])


def _chords(keys: QKeySequence) -> list[QKeyCombination]:
    # PySide6 has QKeySequence[i] (Qt's operator[]); its stubs do not.
    chords: list[QKeyCombination] = [keys[i] for i in range(keys.count())]  # type: ignore[index]
    return chords


def _is_dedicated(keys: QKeySequence) -> bool:
    """A key of its own on some keyboards (Refresh, Help, New), no modifier: Qt lists them
    among a standard key's bindings, but nobody reads "Refresh" as something to press."""
    chords = _chords(keys)
    if len(chords) != 1 or chords[0].keyboardModifiers() != Qt.KeyboardModifier.NoModifier:
        return False
    key = chords[0].key()
    return key == Qt.Key.Key_Help or key.value >= Qt.Key.Key_Back.value


def typed(keys: Iterable[QKeySequence]) -> list[QKeySequence]:
    """The keys a person types on an ordinary keyboard, in the order given."""
    return [each for each in keys if not each.isEmpty() and not _is_dedicated(each)]


def shifted(keys: Iterable[QKeySequence]) -> list[QKeySequence]:
    """Each single-chord key with Shift added (Re-test all beside Re-test)."""
    single = [chords[0] for chords in map(_chords, typed(keys)) if len(chords) == 1]
    return [
        QKeySequence(
            QKeyCombination(
                chord.keyboardModifiers() | Qt.KeyboardModifier.ShiftModifier, chord.key()
            )
        )
        for chord in single
    ]


def as_sequences(keys: Keys) -> list[QKeySequence]:
    if isinstance(keys, StandardKey):
        return standard_keys(keys)
    if isinstance(keys, QKeySequence | str):
        return [QKeySequence(keys)]
    return list(keys)


def native_text(keys: Keys) -> str:
    """`keys` as the platform writes them ("Ctrl+Shift+P", "⇧⌘P"); several joined by " / "."""
    return " / ".join(each.toString(NATIVE) for each in typed(as_sequences(keys)))


def with_keys(text: str, keys: Keys) -> str:
    """A tooltip's text followed by its keys in brackets, as the platform writes them."""
    written = native_text(keys)
    return f"{text} ({written})" if written else text


def modifier_text(modifier: Qt.KeyboardModifier) -> str:
    """A modifier as the platform writes it before a click: "Ctrl+" or "⌘"."""
    written = QKeySequence(QKeyCombination(modifier, Qt.Key.Key_A)).toString(NATIVE)
    return written[: -len("A")]


def mnemonic_keys(titles: Iterable[str]) -> list[QKeySequence]:
    """The Alt+letter each "&Title" answers to; none where the platform turns mnemonics off
    (Qt does on macOS)."""
    keys = [QKeySequence.mnemonic(title) for title in titles]
    return [each for each in keys if not each.isEmpty()]
