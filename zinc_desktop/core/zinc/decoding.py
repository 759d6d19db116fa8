"""Undoing a response's Content-Encoding without ever holding more than the size limit.

httpx decodes gzip and deflate itself, but without a bound: one 64 KB chunk of a "zip bomb"
becomes 64 MB, and `Content-Encoding: gzip, gzip` multiplies that again (an attack left a
client holding 2 GB). So the client reads the raw bytes and decodes them here, each layer
producing at most `limit` bytes in all, whatever the input.

We ask for gzip and deflate only (ACCEPT_ENCODING); anything else a server sends is refused.
"""

from __future__ import annotations

import zlib

ACCEPT_ENCODING = "gzip, deflate"
MAX_LAYERS = 2
_WBITS = {"gzip": zlib.MAX_WBITS | 16, "x-gzip": zlib.MAX_WBITS | 16, "deflate": zlib.MAX_WBITS}


class BodyTooLarge(Exception):
    """The decoded body would be larger than the limit; `size` is how far we got."""

    def __init__(self, size: int) -> None:
        super().__init__(f"more than {size} bytes")
        self.size = size


class BodyUndecodable(Exception):
    """The body's encoding is one we did not ask for, or its bytes are not that encoding."""


def encodings(header: str) -> list[str]:
    """The Content-Encoding layers in the order they must be undone (the last applied first)."""
    names = [n.strip().lower() for n in header.split(",")]
    layers = [n for n in names if n and n != "identity"]
    for name in layers:
        if name not in _WBITS:
            shown = name[:20] if name.isascii() and name.isprintable() else "unknown"
            raise BodyUndecodable(f"it is encoded as {shown!r}, which we did not ask for")
    if len(layers) > MAX_LAYERS:
        raise BodyUndecodable(f"it is compressed {len(layers)} times over")
    return list(reversed(layers))


class _Layer:
    """One decompressor whose total output is bounded by `limit`."""

    def __init__(self, name: str, limit: int) -> None:
        self._name = name
        self._limit = limit
        self._produced = 0
        self._engine = zlib.decompressobj(_WBITS[name])
        self._started = False

    def feed(self, data: bytes) -> bytes:
        if not data or self._engine.eof:
            return b""  # bytes after the end of the stream are ignored, as httpx does
        try:
            out = self._engine.decompress(data, self._limit - self._produced + 1)
        except zlib.error:
            if self._name == "deflate" and not self._started:
                # Some servers send raw deflate without the zlib header (as httpx allows).
                self._engine = zlib.decompressobj(-zlib.MAX_WBITS)
                self._started = True
                return self.feed(data)
            raise BodyUndecodable(f"it is not valid {self._name} data") from None
        self._started = True
        return self._count(out)

    def finish(self) -> bytes:
        try:
            out = b"" if self._engine.eof else self._engine.flush()
        except zlib.error:
            raise BodyUndecodable(f"its {self._name} data is cut short") from None
        return self._count(out)

    def _count(self, out: bytes) -> bytes:
        # Output below the cap means all input was consumed; reaching it means "too large".
        self._produced += len(out)
        if self._produced > self._limit:
            raise BodyTooLarge(self._limit)
        return out


class BoundedDecoder:
    """Feed raw chunks, get decoded bytes; BodyTooLarge/BodyUndecodable when it must stop."""

    def __init__(self, content_encoding: str, limit: int) -> None:
        self._layers = [_Layer(name, limit) for name in encodings(content_encoding)]
        self._limit = limit
        self._size = 0

    def feed(self, chunk: bytes) -> bytes:
        for layer in self._layers:
            chunk = layer.feed(chunk)
        return self._count(chunk)

    def finish(self) -> bytes:
        out = b""
        for layer in self._layers:
            out = layer.feed(out) + layer.finish()
        return self._count(out)

    def _count(self, out: bytes) -> bytes:
        self._size += len(out)
        if self._size > self._limit:
            raise BodyTooLarge(self._limit)
        return out
