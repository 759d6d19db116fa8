"""The simulator's connections: a few worker threads, however many clients, and no endless wait.

One thread, the loop, accepts connections and watches each one that is between requests on a
selector, reading a request's line and headers as they arrive, without a thread of its own. When
a request's head is complete the connection goes to one of at most `workers` threads, which
serves it (reads its body, writes the answer) and hands the connection back. So an idle
keep-alive connection, or one whose headers trickle in a byte at a time, costs a socket and a
small buffer, never a thread.

Every wait ends:
- a connection with nothing to say for `idle_timeout` is closed;
- a request's line and headers must be complete within `header_timeout` of their first byte
  (else 408 and close), and at most MAX_HEAD_BYTES long (the handler answers 414 or 431);
- a worker's reads end at the deadline its handler set (`ConnectionReader.begin_body`), its
  writes after `send_timeout` without progress;
- beyond `max_connections` open connections the one idle longest is closed for a new one;
  when none is idle (all mid-request), the new one is answered 503 and closed at once.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import selectors
import socket
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any, Protocol

MAX_HEAD_BYTES = 16384  # a request's line and headers together, as nginx's default buffers
CHUNK = 65536
ACCEPT_BURST = 64  # connections accepted in one turn of the loop before it looks at the others
ACCEPT_PAUSE = 0.1  # when accept() fails (out of file descriptors), the listener rests this long


def _canned(status: str, message: str) -> bytes:
    body = json.dumps({"message": message}).encode()
    return (
        f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode() + body


BUSY = _canned("503 Service Unavailable", "The simulator has too many open connections.")
TOO_SLOW = _canned("408 Request Timeout", "The request's headers took too long to arrive.")


class HeadTooLarge(Exception):
    """A request's line and headers go past MAX_HEAD_BYTES."""


class ConnectionReader(io.BufferedIOBase):
    """A connection's incoming bytes: a buffer, a deadline on every wait for more, and a limit on
    the size of a request's head. What an HTTP handler reads as its `rfile`."""

    def __init__(self, connection: socket.socket, send_timeout: float) -> None:
        super().__init__()
        self.connection = connection
        self.eof = False
        self.head_lines = 0  # lines of the current request's head read so far
        self._send_timeout = send_timeout
        self._buffer = bytearray()
        self._deadline = 0.0  # a read before begin_head/begin_body does not wait
        self._head_left = MAX_HEAD_BYTES

    def readable(self) -> bool:
        return True

    @property
    def buffered(self) -> int:
        return len(self._buffer)

    def head_complete(self, since: int = 0) -> bool:
        """Whether the buffer holds a whole head (a line, then an empty line); `since`: where
        the search may start (what was already searched, less the 2 bytes a line end spans)."""
        start = max(0, since - 2)
        return self._buffer.find(b"\n\n", start) >= 0 or self._buffer.find(b"\n\r\n", start) >= 0

    def begin_head(self, seconds: float) -> None:
        self._deadline = time.monotonic() + seconds
        self._head_left = MAX_HEAD_BYTES
        self.head_lines = 0

    def begin_body(self, seconds: float) -> None:
        self._deadline = time.monotonic() + seconds

    def receive_ready(self) -> int | None:
        """Take in what has arrived, without waiting, up to one byte past a head's limit: the
        bytes added (0 when the peer has closed), or None when nothing was there."""
        room = max(1, MAX_HEAD_BYTES + 1 - len(self._buffer))
        self.connection.settimeout(0.0)
        try:
            chunk = self.connection.recv(min(CHUNK, room))
        except BlockingIOError:
            return None
        finally:
            self.connection.settimeout(self._send_timeout)
        if not chunk:
            self.eof = True
        self._buffer += chunk
        return len(chunk)

    def readline(self, size: int | None = -1) -> bytes:
        limit = self._head_left + 1
        if size is not None and size >= 0:
            limit = min(limit, size)
        searched = 0
        while True:
            end = self._buffer.find(b"\n", searched, limit)
            if end >= 0:
                return self._take_line(end + 1)
            if len(self._buffer) >= limit:
                return self._take_line(limit)
            searched = len(self._buffer)
            if not self._fill():
                return self._take_line(len(self._buffer))

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            while self._fill():
                pass
            return self._take(len(self._buffer))
        while len(self._buffer) < size and self._fill():
            pass
        return self._take(min(size, len(self._buffer)))

    def discard(self, size: int) -> int:
        """Read up to `size` bytes and keep none of them (until the deadline): how many came."""
        dropped = min(size, len(self._buffer))
        self._take(dropped)
        while dropped < size and not self.eof:
            try:
                chunk = self._receive(min(CHUNK, size - dropped))
            except TimeoutError:
                break
            if not chunk:
                self.eof = True
            dropped += len(chunk)
        return dropped

    def _receive(self, size: int) -> bytes:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("the client took too long to send")
        self.connection.settimeout(remaining)
        try:
            return self.connection.recv(size)
        finally:
            self.connection.settimeout(self._send_timeout)

    def _fill(self) -> bool:
        if self.eof:
            return False
        chunk = self._receive(CHUNK)
        if not chunk:
            self.eof = True
            return False
        self._buffer += chunk
        return True

    def _take_line(self, size: int) -> bytes:
        if size > self._head_left:
            raise HeadTooLarge(f"a request's head has at most {MAX_HEAD_BYTES} bytes")
        self._head_left -= size
        self.head_lines += 1
        return self._take(size)

    def _take(self, size: int) -> bytes:
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        if len(self._buffer) < CHUNK and sys.getsizeof(self._buffer) > 4 * CHUNK:
            self._buffer = bytearray(self._buffer)  # a 1 MB body's room is not kept while idle
        return data


class Connection(Protocol):
    """What the loop needs of a connection's handler."""

    connection: Any  # the socket (typed Any by http.server's handlers)
    reader: ConnectionReader

    def serve_turn(self) -> bool:
        """Serve the complete request(s) in `reader`; True to keep the connection for more."""
        ...

    def close(self) -> None: ...


ConnectionFactory = Callable[[socket.socket, Any], Connection]
_LISTENER = object()
_WAKE = object()


def _say(connection: socket.socket, answer: bytes) -> None:
    """A short answer, if the socket takes it now: never waits (the connection closes next)."""
    with contextlib.suppress(OSError):
        connection.setblocking(False)
        connection.send(answer)


class ConnectionLoop:
    """Serves a listening socket with the loop thread and at most `workers` worker threads."""

    def __init__(
        self,
        listening: socket.socket,
        factory: ConnectionFactory,
        *,
        workers: int,
        max_connections: int,
        idle_timeout: float,
        header_timeout: float,
    ) -> None:
        self.socket = listening
        self.server_address: tuple[str, int] = listening.getsockname()[:2]
        self._factory = factory
        self._max_workers = workers
        self._max_connections = max_connections
        self._idle_timeout = idle_timeout
        self._header_timeout = header_timeout
        self._selector = selectors.DefaultSelector()
        self._wake_in, self._wake_out = socket.socketpair()
        self._wake_in.setblocking(False)
        self._wake_out.setblocking(False)
        self._parked: dict[Connection, float] = {}  # between requests, on the selector: deadline
        self._next_deadline = math.inf
        self._accept_paused_until = 0.0
        self._stopping = threading.Event()
        # Shared with the workers, under the lock:
        self._lock = threading.Lock()
        self._work_ready = threading.Condition(self._lock)
        self._queue: deque[Connection | None] = deque()
        self._returned: list[Connection] = []
        self._workers: list[threading.Thread] = []
        self._idle_workers = 0
        self._open = 0
        self._closed = False

    # --- the loop thread ----------------------------------------------------------------------

    def serve_forever(self) -> None:
        self.socket.setblocking(False)
        self._selector.register(self.socket, selectors.EVENT_READ, _LISTENER)
        self._selector.register(self._wake_in, selectors.EVENT_READ, _WAKE)
        try:
            while not self._stopping.is_set():
                self._turn()
        finally:
            for registered in (self.socket, self._wake_in):
                with contextlib.suppress(KeyError, ValueError, OSError):
                    self._selector.unregister(registered)

    def _turn(self) -> None:
        now = time.monotonic()
        wake_at = self._next_deadline
        if self._accept_paused_until:
            wake_at = min(wake_at, self._accept_paused_until)
        timeout = None if wake_at == math.inf else max(0.0, wake_at - now)
        for key, _ in self._selector.select(timeout):
            if key.data is _LISTENER:
                self._accept()
            elif key.data is _WAKE:
                with contextlib.suppress(OSError):
                    while self._wake_in.recv(4096):
                        pass
            else:
                self._arrived(key.data)
        self._take_back()
        now = time.monotonic()
        if now >= self._next_deadline:
            self._sweep(now)
        if self._accept_paused_until and now >= self._accept_paused_until:
            self._accept_paused_until = 0.0
            self._selector.register(self.socket, selectors.EVENT_READ, _LISTENER)

    def _accept(self) -> None:
        for _ in range(ACCEPT_BURST):
            try:
                connection, address = self.socket.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:  # out of file descriptors, or the like: rest, then try again
                self._selector.unregister(self.socket)
                self._accept_paused_until = time.monotonic() + ACCEPT_PAUSE
                return
            with self._lock:
                full = self._open >= self._max_connections
            if full and self._evict_idlest():
                full = False  # a connection that only sat there made room for this one
            with self._lock:
                if not full:
                    self._open += 1
            if full:
                _say(connection, BUSY)
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_WR)
                connection.close()
                continue
            try:
                handler = self._factory(connection, address)
            except Exception:  # noqa: BLE001  # a connection that cannot be set up is dropped
                connection.close()
                self._forget_one()
                continue
            self._park(handler, time.monotonic() + self._idle_timeout)

    def _evict_idlest(self) -> bool:
        """At the limit, the connection idle the longest (nothing of a request begun on it)
        is closed for a new one: idle sockets alone must not lock everyone else out."""
        idle = [(deadline, h) for h, deadline in self._parked.items() if not h.reader.buffered]
        if not idle:
            return False
        _, handler = min(idle, key=lambda pair: pair[0])
        self._unpark(handler)
        self._close(handler)
        return True

    def _arrived(self, handler: Connection) -> None:
        """Bytes (or the end) arrived on a parked connection: read them; a whole head is served."""
        reader = handler.reader
        before = reader.buffered
        try:
            got = reader.receive_ready()
        except OSError:  # reset by the peer
            self._unpark(handler)
            self._close(handler)
            return
        if got is None:
            return
        if reader.eof and not reader.buffered:
            self._unpark(handler)
            self._close(handler)
        elif reader.eof or reader.buffered > MAX_HEAD_BYTES or reader.head_complete(before):
            self._unpark(handler)
            self._dispatch(handler)
        elif before == 0:  # the first bytes of a head: from now on it has header_timeout
            self._park(handler, time.monotonic() + self._header_timeout, registered=True)

    def _park(self, handler: Connection, deadline: float, *, registered: bool = False) -> None:
        if not registered:
            self._selector.register(handler.connection, selectors.EVENT_READ, handler)
        self._parked[handler] = deadline
        self._next_deadline = min(self._next_deadline, deadline)

    def _unpark(self, handler: Connection) -> None:
        del self._parked[handler]
        with contextlib.suppress(KeyError, ValueError, OSError):
            self._selector.unregister(handler.connection)

    def _take_back(self) -> None:
        """Connections the workers are done with for now: parked again, or served again."""
        with self._lock:
            returned, self._returned = self._returned, []
        now = time.monotonic()
        for handler in returned:
            if handler.reader.head_complete():
                self._dispatch(handler)
            elif handler.reader.buffered:
                self._park(handler, now + self._header_timeout)
            else:
                self._park(handler, now + self._idle_timeout)

    def _sweep(self, now: float) -> None:
        upcoming = math.inf
        for handler, deadline in list(self._parked.items()):
            if deadline > now:
                upcoming = min(upcoming, deadline)
                continue
            self._unpark(handler)
            if handler.reader.buffered:  # a head begun and never finished
                _say(handler.connection, TOO_SLOW)
            self._close(handler)
        self._next_deadline = upcoming

    # --- the workers ------------------------------------------------------------------------------

    def _dispatch(self, handler: Connection) -> None:
        with self._lock:
            closed = self._closed
            if not closed:
                self._queue.append(handler)
                if self._idle_workers >= len(self._queue):
                    self._work_ready.notify()
                elif len(self._workers) < self._max_workers:
                    worker = threading.Thread(
                        target=self._work,
                        name=f"zinc-sandbox-worker-{self.server_address[1]}",
                        daemon=True,
                    )
                    self._workers.append(worker)
                    worker.start()
                # else every worker is busy: the first to finish takes it
        if closed:
            self._close(handler)

    def _work(self) -> None:
        while True:
            with self._lock:
                self._idle_workers += 1
                while not self._queue:
                    self._work_ready.wait()
                self._idle_workers -= 1
                handler = self._queue.popleft()
            if handler is None:
                return
            try:
                keep = handler.serve_turn()
            except Exception:  # noqa: BLE001  # a request that breaks its handler closes, no more
                keep = False
            if keep and self._hand_back(handler):
                continue
            self._close(handler)

    def _hand_back(self, handler: Connection) -> bool:
        with self._lock:
            if self._closed or self._stopping.is_set():
                return False
            self._returned.append(handler)
        with contextlib.suppress(OSError):  # full: the loop is awake already
            self._wake_out.send(b"\0")
        return True

    def _close(self, handler: Connection) -> None:
        with contextlib.suppress(Exception):
            handler.close()
        self._forget_one()

    def _forget_one(self) -> None:
        with self._lock:
            self._open -= 1

    # --- from other threads ---------------------------------------------------------------------

    def shutdown(self) -> None:
        """Ask the loop to stop (it returns from serve_forever soon after); does not wait."""
        self._stopping.set()
        with contextlib.suppress(OSError):
            self._wake_out.send(b"\0")

    def server_close(self) -> None:
        """Close the listener and every connection; the workers end. Call after the loop ends."""
        self._stopping.set()
        with self._lock:
            if self._closed:
                return
            self._closed = True
            waiting = [handler for handler in self._queue if handler is not None]
            self._queue.clear()
            self._queue.extend([None] * len(self._workers))
            self._work_ready.notify_all()
            returned, self._returned = self._returned, []
        self.socket.close()
        for handler in [*self._parked, *waiting, *returned]:
            self._close(handler)
        self._parked.clear()
        self._selector.close()
        self._wake_in.close()
        self._wake_out.close()
