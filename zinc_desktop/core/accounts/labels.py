"""What an account's label may be: a plain, visible name, never a key."""

from __future__ import annotations

from zinc_desktop.core.foundation.api_key import ApiKey, looks_like_a_key
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.core.foundation.errors import InputRefused

MAX_LABEL_LENGTH = 80


def default_label(environment: Environment, key: ApiKey) -> str:
    return f"{environment.display_name} {key.masked}"


def clean_label(label: str, key: ApiKey | None = None) -> str:
    """The label as kept: white space collapsed; InputRefused saying why when it cannot be one.

    Refused: invisible and control characters (a right-to-left override would make a label
    read differently from what it is; an escape would reach a terminal), and anything that
    holds a key: 32 hex characters in a row, also with spaces between them, and `key` itself
    however it is split up.
    """
    text = " ".join(label.split())
    if not text:
        raise InputRefused("A label cannot be empty.")
    squeezed = "".join(text.split())
    if looks_like_a_key(squeezed) or (key is not None and key.found_in(label)):
        # Never echo the label: it holds the key.
        raise InputRefused(
            "A label must not contain an API key: labels are shown in lists and exports and "
            "kept in a plain file. Remove the 32-character key from the label."
        )
    for position, character in enumerate(text, start=1):
        if not character.isprintable():
            raise InputRefused(
                f"Character {position} of the label is the invisible or control character "
                f"U+{ord(character):04X}; a label is plain, visible text."
            )
    if len(text) > MAX_LABEL_LENGTH:
        raise InputRefused(
            f"A label is at most {MAX_LABEL_LENGTH} characters; this has {len(text)}."
        )
    return text
