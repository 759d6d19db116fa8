"""A wall-clock budget per call, enforced under httpx: every connect, TLS handshake, read and write.

httpx's timeouts apply to each socket operation, so a server that sends one byte a second is
never "timed out". Here a network backend for httpcore bounds every operation by the time left
before the current call's deadline, and reads in short slices so that a cancel request ends a
blocked call within a fraction of a second.

The deadline and the cancel event are set per call with `limit_call()`; the streams read them
from a context variable, so one transport serves any number of calls and threads.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx

from zinc_desktop.core.foundation.errors import OperationCancelled

# The longest a blocked read goes without looking at the cancel event.
SLICE_SECONDS = 0.1


@dataclass(frozen=True)
class CallLimits:
    """One call's deadline (time.monotonic) and its cancel event."""

    deadline: float
    cancel: threading.Event

    def remaining(self) -> float:
        return self.deadline - time.monotonic()


_CURRENT: ContextVar[CallLimits | None] = ContextVar("zinc_desktop_call_limits", default=None)


@contextlib.contextmanager
def limit_call(seconds: float, cancel: threading.Event) -> Iterator[CallLimits]:
    """Everything the network backend does inside this block ends within `seconds`."""
    limits = CallLimits(time.monotonic() + seconds, cancel)
    token = _CURRENT.set(limits)
    try:
        yield limits
    finally:
        _CURRENT.reset(token)


def _bounded(timeout: float | None, timeout_error: type[Exception]) -> float | None:
    """`timeout` cut to the current call's time left; raise if none is left or it was cancelled."""
    limits = _CURRENT.get()
    if limits is None:
        return timeout
    if limits.cancel.is_set():
        raise OperationCancelled("Cancelled.")
    left = limits.remaining()
    if left <= 0:
        raise timeout_error("the call's time ran out")
    return left if timeout is None else min(timeout, left)


class BoundedStream(httpcore.NetworkStream):
    """Wraps httpcore's stream: reads in slices, every operation within the call's deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        limit = _bounded(timeout, httpcore.ReadTimeout)
        if limit is None:  # outside a call, and httpx asked for no timeout
            return self._inner.read(max_bytes, None)
        ends = time.monotonic() + limit
        while True:
            left = ends - time.monotonic()
            if left <= 0:
                raise httpcore.ReadTimeout("no answer within the time left")
            try:
                # A timed-out recv consumes nothing (nor does SSL_read), so retrying is safe.
                return self._inner.read(max_bytes, min(left, SLICE_SECONDS))
            except httpcore.ReadTimeout:
                _bounded(None, httpcore.ReadTimeout)  # cancelled, or the call's time is up

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        # Not sliced: a timed-out send may have sent part of the buffer already.
        self._inner.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        limit = _bounded(timeout, httpcore.ConnectTimeout)
        return BoundedStream(self._inner.start_tls(ssl_context, server_hostname, limit))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class BoundedBackend(httpcore.NetworkBackend):
    """httpcore's network backend, with every operation bounded by the current call."""

    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        options = list(socket_options or [])
        last_error: Exception | None = None
        for address in _resolve(host, port):
            limit = _bounded(timeout, httpcore.ConnectTimeout)
            try:
                stream = self._inner.connect_tcp(address, port, limit, local_address, options)
            except httpcore.ConnectError as error:
                last_error = error
                continue
            return BoundedStream(stream)
        raise last_error or httpcore.ConnectError(f"{host} has no address")

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:  # pragma: no cover - we never use Unix sockets
        limit = _bounded(timeout, httpcore.ConnectTimeout)
        return BoundedStream(self._inner.connect_unix_socket(path, limit, socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def _resolve(host: str, port: int) -> list[str]:
    """The addresses of `host`, looked up within the call's time (the resolver has no timeout).

    The lookup runs on a helper thread; when the call ends first, the thread is left to finish
    on its own (it holds no socket).
    """
    with contextlib.suppress(ValueError):
        return [str(ipaddress.ip_address(host))]
    if _CURRENT.get() is None:
        return [host]
    found: list[str] = []
    failure: list[BaseException] = []
    done = threading.Event()

    def look_up() -> None:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            found.extend(dict.fromkeys(str(info[4][0]) for info in infos))
        except (OSError, UnicodeError) as error:
            failure.append(error)
        finally:
            done.set()

    threading.Thread(target=look_up, name=f"resolve {host}", daemon=True).start()
    while not done.wait(SLICE_SECONDS):
        _bounded(None, httpcore.ConnectTimeout)
    if failure:
        raise httpcore.ConnectError(str(failure[0]))
    return found


class BoundedTransport(httpx.HTTPTransport):
    """httpx's own transport (pool, proxies, TLS), with the bounded network backend under it."""

    def __init__(self, *, verify: Any, proxy: str | None) -> None:
        super().__init__(verify=verify, proxy=proxy, trust_env=False)
        install_bounded_backend(self)


def install_bounded_backend(transport: object) -> None:
    """The one place that reaches into httpx/httpcore internals: the pool's network backend.

    httpx does not let a caller choose httpcore's network backend, so it is swapped here. If a
    newer httpx or httpcore moves these attributes, this fails when the client is built, never
    silently at the first slow server.
    """
    pool = getattr(transport, "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if not isinstance(pool, httpcore.ConnectionPool) or not isinstance(
        backend, httpcore.NetworkBackend
    ):
        raise RuntimeError(  # noqa: TRY004  # not a caller's mistake: the library changed
            "This version of httpx/httpcore keeps its connection pool or network backend "
            "elsewhere; zinc-desktop cannot bound call times with it. Install the versions "
            "pinned in pyproject.toml."
        )
    if not isinstance(backend, BoundedBackend):
        pool._network_backend = BoundedBackend(backend)
