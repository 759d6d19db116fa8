"""Content-Encoding undone within a bound: a compressed bomb costs at most the limit."""

from __future__ import annotations

import gzip
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zinc_desktop.core.zinc.decoding import (
    BodyTooLarge,
    BodyUndecodable,
    BoundedDecoder,
    encodings,
)

SOME = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LIMIT = 1 << 20


def decode_body(content_encoding: str, chunks: list[bytes], limit: int) -> bytes:
    """All of `chunks` decoded, as the client reads a body."""
    decoder = BoundedDecoder(content_encoding, limit)
    parts = [decoder.feed(chunk) for chunk in chunks]
    parts.append(decoder.finish())
    return b"".join(parts)


def pieces(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)] or [b""]


def raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


@SOME
@given(st.binary(max_size=5000), st.integers(1, 700), st.sampled_from(["", "identity", "gzip"]))
def test_what_was_encoded_is_what_comes_back(data: bytes, chunk: int, encoding: str) -> None:
    encoded = gzip.compress(data) if encoding == "gzip" else data
    assert decode_body(encoding, pieces(encoded, chunk), LIMIT) == data


@pytest.mark.parametrize(
    ("header", "encode"),
    [
        ("deflate", zlib.compress),
        ("deflate", raw_deflate),  # without the zlib header, as some servers send it
        ("gzip, gzip", lambda d: gzip.compress(gzip.compress(d))),
        ("x-gzip", gzip.compress),
        ("GZIP , identity", gzip.compress),
    ],
)
def test_every_encoding_we_ask_for_is_read(header: str, encode: object) -> None:
    data = b'{"data": [{"id": "p1"}]}' * 50
    assert decode_body(header, pieces(encode(data), 7), LIMIT) == data  # type: ignore[operator]


@pytest.mark.parametrize("header", ["gzip", "gzip, gzip"])
def test_a_bomb_stops_at_the_limit(header: str) -> None:
    zeros = gzip.compress(bytes(64 * LIMIT), 9)  # 64 MB of zeros in about 64 KB
    body = gzip.compress(zeros, 9) if header == "gzip, gzip" else zeros
    decoder = BoundedDecoder(header, LIMIT)
    produced = 0

    def feed_all() -> None:
        nonlocal produced
        for chunk in pieces(body, 65536):
            produced += len(decoder.feed(chunk))

    with pytest.raises(BodyTooLarge):
        feed_all()
    assert produced <= LIMIT


@SOME
@given(st.binary(max_size=3000), st.sampled_from(["gzip", "deflate", "gzip, gzip"]))
def test_any_bytes_decode_within_the_limit_or_are_refused(data: bytes, header: str) -> None:
    try:
        out = decode_body(header, pieces(data, 100), 2000)
    except (BodyTooLarge, BodyUndecodable):
        return
    assert len(out) <= 2000


@pytest.mark.parametrize(
    ("header", "says"),
    [
        ("br", "encoded as 'br'"),
        ("gzip, zstd", "encoded as 'zstd'"),
        ("gzip, gzip, gzip", "compressed 3 times over"),
        ("\x00evil", "encoded as 'unknown'"),
    ],
)
def test_encodings_we_did_not_ask_for_are_refused(header: str, says: str) -> None:
    with pytest.raises(BodyUndecodable, match=says):
        encodings(header)


def test_bytes_that_are_not_the_encoding_are_refused() -> None:
    with pytest.raises(BodyUndecodable, match="not valid gzip"):
        decode_body("gzip", [b"this is not gzip at all"], LIMIT)
