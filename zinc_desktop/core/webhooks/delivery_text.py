"""How a webhook delivery reads: plain text, with signing tokens and key shapes hidden.

No Qt here: the table, the detail pane, the edit-and-replay dialog and the export all read a
delivery through these functions. A delivery's bytes are the sender's: anything in them may be
HTML, an API key, a signing token (raw, as Bearer, JSON-escaped, in a query) or characters meant
to rearrange or hide what a reader sees.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import quote

from zinc_desktop.core.foundation.api_key import KEY_RUN, mask_key_runs
from zinc_desktop.core.foundation.log_redaction import scrub_server_text
from zinc_desktop.core.foundation.time_text import exact_time
from zinc_desktop.core.webhooks.deliveries import Delivery
from zinc_desktop.core.webhooks.signing import Signature
from zinc_desktop.core.zinc.api import json_too_deep

TOKEN_SHOWN = "[signing token]"  # noqa: S105  # a placeholder, not a secret
SHOWN_CHARACTERS = 64_000  # of one body in the detail pane; the rest is counted, not shown
PRETTY_BYTES = 512 * 1024  # larger bodies are shown raw only (pretty-printing them stalls)
# What a reader cannot see but a text view acts on: control characters, bidirectional
# overrides and isolates, zero-width characters, line and paragraph separators, BOMs.
_UNSEEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e"
    "\u2060-\u206f\ufeff\ufff9-\ufffb]"
)
_SCHEMES = {  # short, for a column: the detail says it in full (Verdict.describe)
    "token": "token",
    "bearer": "Bearer",
    "hmac-sha256-hex": "HMAC hex",
    "hmac-sha256-base64": "HMAC base64",
}
_VERDICT_WORDS = {
    Signature.INVALID: "invalid",
    Signature.UNSIGNED: "unsigned",
    Signature.NO_TOKEN: "no token",
}


def visible(text: str) -> str:
    """`text` with every character a reader cannot see named (`⟨U+202E⟩`); line breaks and
    tabs stay, a carriage return before a line break goes."""
    text = text.replace("\r\n", "\n")
    return _UNSEEN.sub(lambda match: f"⟨U+{ord(match.group()):04X}⟩", text)


def token_forms(tokens: Iterable[str | None]) -> list[str]:
    """Each token as it may appear in a payload: as is, JSON-escaped, percent-encoded;
    longest first, so a longer form is hidden whole before a shorter one inside it."""
    forms: set[str] = set()
    for token in tokens:
        if token:
            forms |= {token, json.dumps(token)[1:-1], quote(token, safe="")}
    return sorted(forms, key=len, reverse=True)


class LineMask(Protocol):
    """What presenting hides in a line of text (core/accounts/presenting.Presentation is one;
    named by its shape, so the webhooks layer needs nothing from the accounts above it)."""

    def text(self, text: str) -> str: ...


class Masker:
    """What a delivery's text may show: the signing tokens known (`tokens`) and every
    key-shaped run hidden; while presenting, the presentation's mask besides."""

    def __init__(
        self, tokens: Iterable[str | None] = (), presentation: LineMask | None = None
    ) -> None:
        self._forms = token_forms(tokens)
        self.presentation = presentation

    def hide_tokens(self, text: str) -> str:
        for form in self._forms:
            text = text.replace(form, TOKEN_SHOWN)
        return text

    def text(self, text: str) -> str:
        """Many lines, as a text view shows them; presenting masks each line, its
        indentation kept (pretty-printed JSON stays readable)."""
        text = visible(mask_key_runs(self.hide_tokens(text)))
        if self.presentation is None:
            return text
        return "\n".join(self._presented(line) for line in text.split("\n"))

    def line(self, text: str, limit: int = 200) -> str:
        """One line for a table cell: control characters and line breaks go, cut at `limit`."""
        text = scrub_server_text(visible(self.hide_tokens(text)), limit=limit)
        return self.presentation.text(text) if self.presentation is not None else text

    def _presented(self, line: str) -> str:
        assert self.presentation is not None
        indent = line[: len(line) - len(line.lstrip())]
        return indent + self.presentation.text(line) if line.strip() else line


# --- the parts of a delivery ----------------------------------------------------------------


def number_text(delivery: Delivery) -> str:
    if delivery.replay_of is None:
        return str(delivery.number)
    return f"{delivery.number} (replay of {delivery.replay_of})"


def signature_text(delivery: Delivery) -> str:
    """The verdict in a word or two, with the scheme when valid."""
    if delivery.body is None:
        return "not checked"
    verdict = delivery.verdict
    if verdict.signature is Signature.VALID:
        return f"valid ({_SCHEMES.get(verdict.scheme, verdict.scheme)})"
    return _VERDICT_WORDS[verdict.signature]


def signature_description(delivery: Delivery) -> str:
    if delivery.body is None:
        return f"not checked: the body was refused ({delivery.refused or 'not read'})"
    return delivery.verdict.describe()


def forward_text(delivery: Delivery, *, waiting: bool = False) -> str:
    """The handler's answer (status and time), or why there is none."""
    forward = delivery.forward
    if forward is None:
        return "waiting…" if waiting else "not forwarded"
    if forward.status is None:
        return forward.error
    return f"{forward.status} in {forward.ms:.0f} ms"


def forward_description(delivery: Delivery, *, waiting: bool = False) -> str:
    forward = delivery.forward
    if forward is None:
        if waiting:
            return "waiting for the handler's answer…"
        return "not forwarded (no forward URL was set when it came)"
    return f"to {forward.url}: {forward.describe()}"


def size_text(delivery: Delivery) -> str:
    return f"{delivery.size:,} bytes"


def pretty_body(body: bytes) -> str | None:
    """The body indented, when it is JSON read safely (bounded in size and depth); else None."""
    if len(body) > PRETTY_BYTES or json_too_deep(body):
        return None
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):
        return None
    return json.dumps(value, indent=2, ensure_ascii=False)


def _cut(text: str) -> str:
    if len(text) <= SHOWN_CHARACTERS:
        return text
    rest = len(text) - SHOWN_CHARACTERS
    return f"{text[:SHOWN_CHARACTERS]}\n… and {rest:,} more characters, not shown"


def detail_text(
    delivery: Delivery, masker: Masker, *, account: str | None, waiting: bool = False
) -> str:
    """Everything about one delivery, as plain text: what it was, its verdict and forward
    result, its headers as received (in order), its body pretty-printed and raw.

    `account`: the label of the account whose token verified it (None: none was chosen).
    """
    title = f"Delivery {delivery.number}"
    if delivery.replay_of is not None:
        title += f", a replay of delivery {delivery.replay_of}"
    lines = [
        title,
        f"Received: {exact_time(delivery.received_at)}",
        f"Request: {delivery.method} {delivery.path}",
        f"Size: {size_text(delivery)}",
        f"Check: {delivery.check_id or '(none named)'}",
        f"Status in the payload: {delivery.status or '(none named)'}",
        f"Signature: {signature_description(delivery)}",
        f"Verified with the signing token of: {account or 'no account'}",
        f"Forwarded: {forward_description(delivery, waiting=waiting)}",
    ]
    if delivery.refused:
        lines.append(f"Refused: {delivery.refused}")
    lines += ["", "Headers, as received:"]
    lines += [f"  {name}: {value}" for name, value in delivery.headers]
    body = delivery.body
    if body is None:
        lines += ["", "Body: not kept."]
    elif not body:
        lines += ["", "Body: empty."]
    elif masker.presentation is not None:
        # A shared screen: the candidate's details go (as in an export), the raw body too.
        from zinc_desktop.core.webhooks.delivery_export import Redactor, personal_values

        shown, note = Redactor((), personal_values([delivery])).body(body)
        lines += ["", f"Body ({note}; the candidate's details hidden while presenting):"]
        if shown is not None:
            lines.append(_cut(json.dumps(shown, indent=2, ensure_ascii=False)))
    else:
        pretty = pretty_body(body)
        if pretty is not None:
            lines += ["", "Body, pretty-printed:", _cut(pretty)]
        lines += ["", "Body, raw:" if pretty is not None else "Body, raw (not JSON):"]
        lines.append(_cut(body.decode("utf-8", "replace")))
    return masker.text("\n".join(lines))


# --- an edited replay -----------------------------------------------------------------------


@dataclass(frozen=True)
class EditableBody:
    """A body as the edit dialog shows it: each token or key-shaped run in it stands as a
    numbered placeholder, put back as it was when the edit is sent."""

    text: str | None  # None: the body is not UTF-8 text, so it cannot be edited
    hidden: tuple[tuple[str, str], ...] = ()  # (placeholder, what it stands for)

    def restore(self, edited: str) -> bytes:
        for placeholder, original in self.hidden:
            edited = edited.replace(placeholder, original)
        return edited.encode("utf-8")


def editable_body(body: bytes, tokens: Iterable[str | None]) -> EditableBody:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return EditableBody(None)
    forms = token_forms(tokens)
    pattern = re.compile(
        "|".join([*(re.escape(form) for form in forms), KEY_RUN.pattern]), re.DOTALL
    )
    opening = "⟦hidden "
    while opening in text:  # a body that holds our placeholder's shape: pick another one
        opening = "⟦" + opening
    placeholders: dict[str, str] = {}

    def hide(match: re.Match[str]) -> str:
        original = match.group()
        if original not in placeholders:
            placeholders[original] = f"{opening}{len(placeholders) + 1}⟧"
        return placeholders[original]

    shown = pattern.sub(hide, text)
    return EditableBody(shown, tuple((p, o) for o, p in placeholders.items()))
