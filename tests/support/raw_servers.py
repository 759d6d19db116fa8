"""Tiny loopback servers for what the simulator cannot be: a TLS impostor and an HTTP proxy."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
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


@contextmanager
def recording_proxy() -> Iterator[tuple[int, list[bytes]]]:
    """Accepts connections, records the first request line and answers 502."""
    seen: list[bytes] = []
    with listening_socket() as server:

        def serve() -> None:
            while True:
                try:
                    connection, _ = server.accept()
                except OSError:
                    return
                with connection:
                    connection.settimeout(2)
                    try:
                        seen.append(connection.recv(4096))
                        connection.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                    except OSError:
                        pass

        threading.Thread(target=serve, daemon=True).start()
        yield server.getsockname()[1], seen


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
    with listening_socket() as server:

        def serve() -> None:
            while True:
                try:
                    connection, _ = server.accept()
                except OSError:
                    return
                try:
                    with context.wrap_socket(connection, server_side=True) as tls:
                        tls.recv(4096)
                except (OSError, ssl.SSLError):
                    pass

        threading.Thread(target=serve, daemon=True).start()
        yield server.getsockname()[1]
