"""The Zinc Partner API key as a value that never shows more than its last 4 characters."""

from __future__ import annotations

import hmac
import re
import string
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator
from typing import NoReturn, overload

from zinc_desktop.core.foundation.errors import KeyFormatError

KEY_LENGTH = 32
HINT_LENGTH = 4
_HEX = frozenset(string.hexdigits)
_QUOTES = ('"', "'", "`")
_BEARER_PREFIX = re.compile(r"^bearer(\s+|$)", re.IGNORECASE)
_CHARACTER_NAMES = {" ": "a space", "\t": "a tab", "\n": "a line break", "\r": "a line break"}
# What may sit between a key's characters without a reader (or a naive search) noticing:
# white space, the punctuation people group characters with, and invisible format characters
# (soft hyphen, zero-width space/joiners, direction marks, word joiner, byte-order mark).
# Anything that is not a letter or a digit (punctuation in any script, dashes, slashes, commas,
# symbols, spaces, marks, format and control characters), the underscore, and the "letters"
# that draw nothing (Hangul fillers): a reader sees the hex through all of them.
_SEPARATORS = r"(?:[^\w]|[_\u115f\u1160\u3164\uffa0])*"
# 32 or more hex characters, separators allowed between them: where a key may hide. One
# pattern for every key, compiled once (a pattern per key cost 2.5 ms, holding the GIL).
_HEX_RUN_WITH_SEPARATORS = re.compile(f"[0-9A-Fa-f](?:{_SEPARATORS}[0-9A-Fa-f]){{31,}}")
# Any run of 32 or more hex characters may be a key (ours, or another customer's): the one
# definition of "key-shaped" that masking and refusing text everywhere use, in text and bytes.
_KEY_RUN_SOURCE = "[0-9A-Fa-f]{32,}"
KEY_RUN = re.compile(_KEY_RUN_SOURCE)
KEY_RUN_BYTES = re.compile(_KEY_RUN_SOURCE.encode("ascii"))


def _describe(character: str) -> str:
    if character in _CHARACTER_NAMES:
        return _CHARACTER_NAMES[character]
    if character.isprintable():
        return f"{character!r}"
    return f"the invisible character U+{ord(character):04X}"


# A byte-order mark a file or a pipe may start with: as text, and as a Latin-1 terminal decodes
# the UTF-8 one.
_BYTE_ORDER_MARKS = ("\ufeff", "\u00ef\u00bb\u00bf")


def _strip_paste_noise(text: str) -> str:
    """Trim what a copy from a web page, a file or a header commonly brings along."""
    text = text.strip()
    for mark in _BYTE_ORDER_MARKS:
        text = text.removeprefix(mark).strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in _QUOTES:
        text = text[1:-1].strip()
    return _BEARER_PREFIX.sub("", text).strip()


def is_unfinished_key(text: str) -> bool:
    """Whether `text` is the start of a key still being typed: hexadecimal, and too short."""
    candidate = _strip_paste_noise(text)
    return 0 < len(candidate) < KEY_LENGTH and all(c in _HEX for c in candidate)


def looks_like_a_key(text: str) -> bool:
    """Whether typed text holds 32 hexadecimal characters in a row: the shape of a key.

    For fields that take something else (a check id, a label), so that a key pasted into the
    wrong field is refused before it is sent, shown or stored. A UUID, whose hex comes in
    groups of at most 12, is not key-shaped: whether it *is* a key only the linked keys can
    say (KeyMatcher).
    """
    return KEY_RUN.search(text) is not None


def masked_run(match: re.Match[str]) -> str:
    """How one key-shaped run is shown: its last 4 characters, lower-cased, masked."""
    return mask_hint(match.group()[-HINT_LENGTH:].lower())


@overload
def mask_key_runs(text: str, template: str = ...) -> str: ...
@overload
def mask_key_runs(text: bytes) -> bytes: ...
def mask_key_runs(text: str | bytes, template: str = "••••{}") -> str | bytes:
    """Every key-shaped run (KEY_RUN) shown as its last 4 characters, lower-cased, masked: the
    one masker, for text (`template` places the ending: a log marks it "[key ••••{}]") and for
    bytes (a damaged file's copy; KeyRunMasker does the same in chunks)."""
    if isinstance(text, bytes):
        masker = KeyRunMasker()
        return masker.feed(text) + masker.finish()
    return KEY_RUN.sub(lambda match: template.format(match.group()[-HINT_LENGTH:].lower()), text)


_HEX_BYTES_RUN = re.compile(rb"[0-9A-Fa-f]+")
_MASK_BYTES = "••••".encode()


class KeyRunMasker:
    """mask_key_runs for bytes fed in chunks: a run split across chunks is still one run, and
    memory stays bounded however long a run is."""

    def __init__(self) -> None:
        self._run = b""  # the current run: all of it while short, its last 4 once long
        self._long = False

    def feed(self, chunk: bytes) -> bytes:
        out = bytearray()
        position = 0
        for match in _HEX_BYTES_RUN.finditer(chunk):
            start, end = match.span()
            if start > position:  # something else came first: a carried run has ended
                out += self._flush()
                out += chunk[position:start]
            self._extend(match.group())
            position = end
        if position < len(chunk):
            out += self._flush()
            out += chunk[position:]
        return bytes(out)

    def finish(self) -> bytes:
        return self._flush()

    def _extend(self, run: bytes) -> None:
        combined = self._run + run
        if self._long or len(combined) >= KEY_LENGTH:
            self._long = True
            self._run = combined[-HINT_LENGTH:]
        else:
            self._run = combined

    def _flush(self) -> bytes:
        run = _MASK_BYTES + self._run.lower() if self._long else self._run
        self._run, self._long = b"", False
        return run


def separated_hex_runs(text: str) -> Iterator[str]:
    """The hex digits, lower-cased, of every run of 32 or more hex characters in `text`,
    separators allowed between them (dashes of any kind, dots, slashes, commas, spaces,
    brackets, invisible characters, mixed): where a key may hide in disguise, a UUID's
    8-4-4-4-12 among them. Fullwidth and other compatibility digits count as the digits they
    look like (NFKC)."""
    for run in _HEX_RUN_WITH_SEPARATORS.finditer(unicodedata.normalize("NFKC", text)):
        yield "".join(character for character in run.group() if character in _HEX).lower()


def mask_key_runs_in_disguise(text: str, shown: Callable[[str], str] | None = None) -> str:
    """`text` with every run of 32 or more hex characters, separators allowed between them (a
    key in disguise, as `separated_hex_runs` finds them: fullwidth digits too), replaced by its
    masked last 4 digits, or by `shown(digits)` (the run's hex digits, lower-cased).

    For text that leaves the app (an export, a keyring item's name), where no linked key can be
    asked whether a run is one: every such run is treated as a key. A run only NFKC reveals is
    replaced in the normalised text.
    """

    def replace(run: re.Match[str]) -> str:
        digits = "".join(character for character in run.group() if character in _HEX).lower()
        return shown(digits) if shown is not None else mask_hint(digits[-HINT_LENGTH:])

    text = _HEX_RUN_WITH_SEPARATORS.sub(replace, text)
    if may_be_a_key_in_disguise(text):
        text = _HEX_RUN_WITH_SEPARATORS.sub(replace, unicodedata.normalize("NFKC", text))
    return text


def may_be_a_key_in_disguise(text: str) -> bool:
    """Whether `text` holds 32 hex characters with anything between them: never echo such a
    text (in an error, a notice, a log line) before the linked keys have said it is none."""
    return next(separated_hex_runs(text), None) is not None


def key_windows(text: str) -> Iterator[str]:
    """Every 32 consecutive hex digits of every separated run: each one a key it could be."""
    for digits in separated_hex_runs(text):
        for start in range(len(digits) - KEY_LENGTH + 1):
            yield digits[start : start + KEY_LENGTH]


class KeyMatcher:
    """The one test for "does this text hold a key?", for every field that takes something else.

    A plain run of 32 hex characters is refused by its shape alone. A run with separators (a
    UUID-shaped check id, say) may be a real identifier, so it is compared with the keys that are
    linked: only the keys whose last 4 characters end one of its 32-digit windows are read
    (`keys_ending_in`), so a UUID whose ending matches no linked key costs no keyring call.
    """

    def __init__(
        self,
        hints: Collection[str],
        keys_ending_in: Callable[[str], Iterable[ApiKey]] | None = None,
    ) -> None:
        self._hints = frozenset(hint.lower() for hint in hints)
        self._keys_ending_in = keys_ending_in

    def _suspects(self, text: str) -> Iterator[str]:
        for window in key_windows(text):
            if window[-HINT_LENGTH:] in self._hints:
                yield window

    def may_hold_a_key(self, text: str) -> bool:
        """Key-shaped, or a separated run ending like a linked key: no keyring read. For fields
        that must answer at once on the GUI thread (the accounts filter), where refusing one UUID
        in tens of thousands is no loss."""
        return looks_like_a_key(text) or next(self._suspects(text), None) is not None

    def holds_a_key(self, text: str) -> bool:
        """Key-shaped, or holding a linked key in any separator form. Reads the few keys whose
        ending matches (on a worker thread: the keyring may be slow)."""
        if looks_like_a_key(text):
            return True
        suspects = set(self._suspects(text))
        if not suspects:
            return False
        if self._keys_ending_in is None:
            return True  # no way to read the keys: what may be a key is treated as one
        read: dict[str, list[ApiKey]] = {}
        for window in suspects:
            hint = window[-HINT_LENGTH:]
            if hint not in read:
                read[hint] = list(self._keys_ending_in(hint))
            if any(hmac.compare_digest(key.reveal(), window) for key in read[hint]):
                return True
        return False


def mask_hint(hint: str) -> str:
    """`••••8cef`: how a key's last 4 characters are shown everywhere."""
    return f"••••{hint}"


class ApiKey:
    """A proven-format Zinc key: 32 lower-case hex characters.

    `repr`/`str` show only the hint, so a key that ends up in a log line, an exception or a
    debugger shows nothing usable. `reveal()` is the one way to get the full value.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    @classmethod
    def parse(cls, text: str) -> ApiKey:
        """Accept a pasted key or raise KeyFormatError with a specific reason."""
        candidate = _strip_paste_noise(text)
        if not candidate:
            raise KeyFormatError("The key is empty: paste the 32-character key Zinc showed you.")
        for position, character in enumerate(candidate, start=1):
            if character not in _HEX:
                raise KeyFormatError(
                    f"Character {position} is {_describe(character)}; a Zinc key has only "
                    "hexadecimal characters (0-9, a-f)."
                )
        if len(candidate) != KEY_LENGTH:
            raise KeyFormatError(
                f"A Zinc key is {KEY_LENGTH} hexadecimal characters; this one has {len(candidate)}."
            )
        return cls(candidate.lower())

    @property
    def hint(self) -> str:
        """The last 4 characters: all of a key we ever show or store outside the keyring."""
        return self._value[-HINT_LENGTH:]

    @property
    def masked(self) -> str:
        """The one way a key ending is written, in the window, the CLI and the log."""
        return mask_hint(self.hint)

    def reveal(self) -> str:
        """The full key, for the Authorization header and the keyring only."""
        return self._value

    def found_in(self, text: str) -> bool:
        """Whether this key is in `text`, in any case, also when separators or invisible
        characters were put between its characters (`1a2b-3c4d…`, `1a2b 3c4d…`, U+200B)."""
        return self.masked_in(text) != text

    def masked_in(self, text: str) -> str:
        """`text` with every occurrence of this key (disguised or not) written as `masked`."""
        return _HEX_RUN_WITH_SEPARATORS.sub(lambda run: self._mask_in_run(run.group()), text)

    def _mask_in_run(self, run: str) -> str:
        # The run's hex characters, lower-cased, and where each one sits in the run.
        places = [i for i, character in enumerate(run) if character in _HEX]
        digits = "".join(run[i] for i in places).lower()
        pieces: list[str] = []
        shown_up_to = 0
        found = digits.find(self._value)
        while found >= 0:
            start, end = places[found], places[found + KEY_LENGTH - 1] + 1
            pieces += [run[shown_up_to:start], self.masked]
            shown_up_to = end
            found = digits.find(self._value, found + KEY_LENGTH)
        return "".join(pieces) + run[shown_up_to:] if pieces else run

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ApiKey):
            return NotImplemented
        return hmac.compare_digest(self._value, other._value)

    __hash__ = None  # type: ignore[assignment]  # keys are not dictionary material

    def __repr__(self) -> str:
        return f"ApiKey('{self.masked}')"

    def __str__(self) -> str:
        return self.masked

    def __reduce__(self) -> NoReturn:
        raise TypeError("An ApiKey cannot be pickled: it lives only in memory and the keyring.")
