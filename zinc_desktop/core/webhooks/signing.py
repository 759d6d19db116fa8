"""Webhook signatures: the simulator's scheme (a guess) and a verifier that knows no scheme.

ZINC.md (CONFIRMED): Zinc calls "the webhook URL registered for that candidate" when a check
changes ("status change, open action, or final results"), and "the Zinc team will send the
signing token to be used to authenticate API calls made to your API". How the token is used
(sent as is in a header, or as an HMAC key over the body), the header's name and the payload's
shape are NOT published. So:

- `SIMULATOR_SCHEME` is our guess, used by the simulator alone and kept here, in one place:
  an HMAC-SHA256 of the raw body with the token, hex, `sha256=`-prefixed, in `X-Zinc-Signature`.
- `verify` assumes no scheme: it tries the token as a header's value (raw or `Bearer`) and an
  HMAC-SHA256 of the raw body (hex or base64, with or without `sha256=`) in every header that
  carries something, and says which header and scheme matched; or, when none did, what it
  compared (header names and schemes, never the token nor a digest made with it).

Comparisons are constant-time (hmac.compare_digest).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from zinc_desktop.core.foundation.errors import InputRefused

# GUESS (ZINC.md: header and scheme unknown): the simulator's signature, in one place.
SIMULATOR_HEADER = "X-Zinc-Signature"
SIMULATOR_SCHEME = "hmac-sha256-hex"

# Headers that say nothing about a signature: never compared (their values are the sender's
# own, and a token equal to, say, a content type would be a coincidence, not a proof).
_NEVER_SIGNATURES = frozenset(
    {
        "host", "content-length", "content-type", "content-encoding", "transfer-encoding",
        "connection", "accept", "accept-encoding", "user-agent", "date", "expect",
    }
)  # fmt: skip
# Header names that look like they carry a signature: a delivery with none is "unsigned".
_SIGNATURE_WORDS = ("signature", "sign", "token", "auth", "hmac", "secret", "webhook", "hook")


class Signature(StrEnum):
    """The verdict on one delivery (the CLI's `signature` field)."""

    VALID = "valid"
    INVALID = "invalid"
    UNSIGNED = "unsigned"
    NO_TOKEN = "no-token"  # noqa: S105  # a verdict's name, not a secret


@dataclass(frozen=True)
class Verdict:
    signature: Signature
    header: str = ""  # the header that matched (VALID)
    scheme: str = ""  # how it matched (VALID): one of SCHEMES
    compared: tuple[str, ...] = ()  # the headers compared (INVALID): names only

    def describe(self) -> str:
        """One line a person reads; never the token, never a digest."""
        if self.signature is Signature.VALID:
            return f"valid: {self.header} carries the signing token ({_SCHEME_TEXT[self.scheme]})"
        if self.signature is Signature.NO_TOKEN:
            return "not checked: no signing token is set for this account"
        if self.signature is Signature.UNSIGNED:
            return "unsigned: no header that could carry a signature"
        if not self.compared:
            return "not verified: its body was refused unread, so no signature was checked"
        names = ", ".join(self.compared)
        return (
            f"invalid: compared {names} with the signing token as the value itself, as Bearer, "
            "and as an HMAC-SHA256 of the raw body (hex or base64, with or without sha256=); "
            "none matched. Is the token the one Zinc sent for this account?"
        )


_SCHEME_TEXT = {
    "token": "the token as the value",
    "bearer": "Bearer and the token",
    "hmac-sha256-hex": "HMAC-SHA256 of the raw body, hex",
    "hmac-sha256-base64": "HMAC-SHA256 of the raw body, base64",
}
SCHEMES = tuple(_SCHEME_TEXT)


MAX_TOKEN = 512


def read_signing_token(text: str) -> str:
    """A signing token as pasted (surrounding whitespace dropped); InputRefused, never quoting
    it, when it is empty, too long, or holds spaces or control characters."""
    token = text.strip()
    if not token:
        raise InputRefused(
            "The signing token is empty: paste the token Zinc sent for this account."
        )
    if len(token) > MAX_TOKEN:
        raise InputRefused(
            f"That is {len(token)} characters: a signing token is at most {MAX_TOKEN}."
        )
    if any(c.isspace() or not c.isprintable() for c in token):
        raise InputRefused(
            "The signing token holds spaces, line breaks or control characters: paste it again, "
            "as one unbroken run."
        )
    return token


def sign(body: bytes, token: str) -> dict[str, str]:
    """The headers the simulator adds to a delivery of `body` (SIMULATOR_SCHEME)."""
    digest = hmac.new(token.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return {SIMULATOR_HEADER: f"sha256={digest}"}


def resign(
    headers: Iterable[tuple[str, str]], body: bytes, token: str, matched: Verdict
) -> list[tuple[str, str]]:
    """`headers` for an edited `body`, signed again with `token` as the original was signed
    (`matched`, a VALID verdict): the header that matched gets the new HMAC in its own form
    (its `sha256=` kept or not); a token sent as is needs nothing. Without a valid match the
    simulator's guess is added (SIMULATOR_SCHEME), replacing any header of that name."""
    expected = _expected(body, token)
    if matched.signature is not Signature.VALID:
        kept = [(n, v) for n, v in headers if n.lower() != SIMULATOR_HEADER.lower()]
        return [*kept, *sign(body, token).items()]
    out: list[tuple[str, str]] = []
    for name, value in headers:
        if name.lower() == matched.header.lower() and matched.scheme in expected:
            prefix = "sha256=" if value.strip().lower().startswith("sha256=") else ""
            out.append((name, prefix + expected[matched.scheme]))
        else:
            out.append((name, value))
    return out


def _expected(body: bytes, token: str) -> dict[str, str]:
    digest = hmac.new(token.encode("utf-8"), body, hashlib.sha256).digest()
    return {
        "hmac-sha256-hex": digest.hex(),
        "hmac-sha256-base64": base64.b64encode(digest).decode("ascii"),
    }


def _candidates(value: str) -> list[str]:
    """A header's value as a signature may sit in it: whole, after `sha256=`, and each part of
    a comma-separated list (`t=…,v1=…`) after its `name=`."""
    found = [value.strip()]
    for raw in value.split(","):
        part = raw.strip()
        if "=" in part:
            found.append(part.split("=", 1)[1].strip())
        found.append(part)
    if value.strip().lower().startswith("sha256="):
        found.append(value.strip()[7:])
    return list(dict.fromkeys(v for v in found if v))


def _equal(a: str, b: str) -> bool:
    return hmac.compare_digest(
        a.encode("utf-8", "surrogateescape"), b.encode("utf-8", "surrogateescape")
    )


def verify(headers: Iterable[tuple[str, str]], body: bytes, token: str | None) -> Verdict:
    """Which header and scheme carry `token` for this raw `body`, without knowing either."""
    if not token:
        return Verdict(Signature.NO_TOKEN)
    expected = _expected(body, token)
    compared: list[str] = []
    for name, value in headers:
        lowered = name.lower()
        if lowered in _NEVER_SIGNATURES:
            continue
        if any(word in lowered for word in _SIGNATURE_WORDS):
            compared.append(name)
        stripped = value.strip()
        if _equal(stripped, token):
            return Verdict(Signature.VALID, name, "token")
        if stripped[:7].lower() == "bearer " and _equal(stripped[7:].strip(), token):
            return Verdict(Signature.VALID, name, "bearer")
        for candidate in _candidates(value):
            if _equal(candidate.lower(), expected["hmac-sha256-hex"]):
                return Verdict(Signature.VALID, name, "hmac-sha256-hex")
            if _equal(candidate, expected["hmac-sha256-base64"]):
                return Verdict(Signature.VALID, name, "hmac-sha256-base64")
    if not compared:
        return Verdict(Signature.UNSIGNED)
    return Verdict(Signature.INVALID, compared=tuple(dict.fromkeys(compared)))
