"""The partner system being demoed: a real HTTP server on 127.0.0.1 that webhooks are forwarded
to. It records every POST (path, headers as sent, body byte for byte) and answers as told, or
hangs until released. One for the receiver's tests, the Webhooks tab's and the CLI's."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Received = tuple[str, list[tuple[str, str]], bytes]  # path, headers in order, body


class WebhookTarget:
    def __init__(self, path: str = "/hooks/zinc") -> None:
        self.seen: list[Received] = []
        self.answer: tuple[int, bytes] = (200, b'{"ok": true}')
        self.hang: threading.Event | None = None  # set it, and each POST waits (10 s at most)
        target = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                target.seen.append((self.path, list(self.headers.items()), body))
                if target.hang is not None:
                    target.hang.wait(10)
                status, answer = target.answer
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}{path}"

    def close(self) -> None:
        if self.hang is not None:
            self.hang.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


@contextlib.contextmanager
def webhook_target(path: str = "/hooks/zinc") -> Iterator[WebhookTarget]:
    target = WebhookTarget(path)
    try:
        yield target
    finally:
        target.close()
