"""Tiny loopback servers for what the simulator cannot be: a TLS impostor and an HTTP proxy."""

from __future__ import annotations

import contextlib
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def listening_socket() -> Iterator[socket.socket]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(5)
    try:
        yield server
    finally:
        server.close()


def serve_in_background(server: socket.socket, handle: Callable[[socket.socket], None]) -> int:
    """Accept connections until the socket closes; `handle` each (its OSErrors are ignored)."""

    def serve() -> None:
        while True:
            try:
                connection, _ = server.accept()
            except OSError:
                return
            with connection, contextlib.suppress(OSError):
                handle(connection)

    threading.Thread(target=serve, daemon=True).start()
    return int(server.getsockname()[1])


@contextmanager
def recording_proxy() -> Iterator[tuple[int, list[bytes]]]:
    """Accepts connections, records the first request line and answers 502."""
    seen: list[bytes] = []

    def answer_502(connection: socket.socket) -> None:
        connection.settimeout(2)
        seen.append(connection.recv(4096))
        connection.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")

    with listening_socket() as server:
        yield serve_in_background(server, answer_502), seen


@contextmanager
def self_signed_tls_server(workdir: Path) -> Iterator[int]:
    """An HTTPS server whose certificate nobody trusts."""
    if shutil.which("openssl") is None:
        raise RuntimeError("openssl is needed to make a test certificate")
    cert, key = workdir / "cert.pem", workdir / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)

    def handshake(connection: socket.socket) -> None:
        with context.wrap_socket(connection, server_side=True) as tls:  # SSLError is an OSError
            tls.recv(4096)

    with listening_socket() as server:
        yield serve_in_background(server, handshake)
