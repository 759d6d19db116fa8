"""Verifying a delivery without knowing Zinc's scheme: every form the issue names is found, in
any header; a wrong token or a changed body never passes; what is said never holds the token."""

from __future__ import annotations

import base64
import hashlib
import hmac

from hypothesis import given
from hypothesis import strategies as st

from zinc_desktop.core.webhooks.signing import (
    SIMULATOR_HEADER,
    Signature,
    Verdict,
    resign,
    sign,
    verify,
)

tokens = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=8, max_size=40
).filter(lambda t: t.strip() == t)
bodies = st.binary(max_size=300)
header_names = st.sampled_from(
    ["X-Zinc-Signature", "Authorization", "X-Signature", "Webhook-Signature", "X-Hook-Token"]
)


def forms(body: bytes, token: str) -> dict[str, str]:
    digest = hmac.new(token.encode(), body, hashlib.sha256).digest()
    return {
        "token": token,
        "bearer": f"Bearer {token}",
        "hmac-sha256-hex": digest.hex(),
        "hmac-sha256-hex ": "sha256=" + digest.hex(),
        "hmac-sha256-hex  ": digest.hex().upper(),
        "hmac-sha256-base64": base64.b64encode(digest).decode(),
        "hmac-sha256-base64 ": "sha256=" + base64.b64encode(digest).decode(),
        "hmac-sha256-hex   ": f"t=1733200000,v1={digest.hex()}",
    }


@given(body=bodies, token=tokens, name=header_names, data=st.data())
def test_each_form_is_found_in_any_header_and_named(
    body: bytes, token: str, name: str, data: st.DataObject
) -> None:
    scheme, value = data.draw(st.sampled_from(sorted(forms(body, token).items())))
    headers = [("Content-Type", "application/json"), (name, value), ("User-Agent", "Zinc")]
    verdict = verify(headers, body, token)
    assert verdict == Verdict(Signature.VALID, name, scheme.strip())
    assert token not in verdict.describe()


@given(body=bodies, token=tokens, other=tokens, name=header_names, data=st.data())
def test_a_wrong_token_or_a_changed_body_never_passes(
    body: bytes, token: str, other: str, name: str, data: st.DataObject
) -> None:
    scheme, value = data.draw(st.sampled_from(sorted(forms(body, token).items())))
    if other != token:
        wrong = verify([(name, value)], body, other)
        assert wrong.signature is Signature.INVALID
        assert wrong.compared == (name,)
        said = wrong.describe()
        assert other not in said
        assert token not in said
        assert hmac.new(other.encode(), body, hashlib.sha256).hexdigest() not in said
    if scheme.startswith("hmac"):
        assert verify([(name, value)], body + b"x", token).signature is Signature.INVALID


@given(body=bodies, token=tokens)
def test_the_simulators_guess_verifies_and_an_edit_signed_again_does_too(
    body: bytes, token: str
) -> None:
    headers = [("Content-Type", "application/json"), *sign(body, token).items()]
    verdict = verify(headers, body, token)
    assert verdict == Verdict(Signature.VALID, SIMULATOR_HEADER, "hmac-sha256-hex")
    edited = body + b' {"edited": true}'
    assert verify(headers, edited, token).signature is Signature.INVALID
    again = resign(headers, edited, token, verdict)
    assert verify(again, edited, token) == verdict
    assert [n for n, _ in again] == [n for n, _ in headers]  # same headers, same order


def test_no_signature_header_is_unsigned_and_no_token_is_said_so() -> None:
    headers = [("Content-Type", "application/json"), ("User-Agent", "Zinc")]
    assert verify(headers, b"{}", "tok-123456").signature is Signature.UNSIGNED
    assert verify([("X-Zinc-Signature", "x")], b"{}", None).signature is Signature.NO_TOKEN
    # A header that says nothing about signing, carrying the token by chance, is still a match
    # only where a value can carry it (never Content-Type and the like).
    assert verify([("Content-Type", "tok-123456")], b"{}", "tok-123456").signature is (
        Signature.UNSIGNED
    )


def test_an_unsigned_delivery_edited_for_replay_gets_the_simulators_signature() -> None:
    headers = [("Content-Type", "application/json")]
    again = resign(headers, b'{"a": 1}', "tok-123456", verify(headers, b"", "tok-123456"))
    assert verify(again, b'{"a": 1}', "tok-123456").signature is Signature.VALID
