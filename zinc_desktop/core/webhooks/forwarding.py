"""Passing a delivery on to the integration being demoed, byte for byte, as
`stripe listen --forward-to` does: its method, path's query, headers (signature headers
included) and raw body unchanged, so a handler that checks the signature sees what Zinc sent.

Only hop-by-hop headers (RFC 9110 §7.6.1) and Host are left for the HTTP client to set; the
body is never parsed and re-serialised (the most common way relays break signatures).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from urllib.parse import urlsplit

import httpx

from zinc_desktop.core.foundation.errors import InputRefused
from zinc_desktop.core.foundation.log_redaction import scrub_server_text
from zinc_desktop.core.webhooks.deliveries import ForwardResult
from zinc_desktop.core.zinc.deadline import BoundedTransport, limit_call

FORWARD_TIMEOUT = httpx.Timeout(10.0, connect=3.0)
EXCERPT = 200
_HOP_BY_HOP = frozenset(
    {
        "host", "content-length", "connection", "keep-alive", "transfer-encoding", "te",
        "trailer", "upgrade", "proxy-authorization", "proxy-authenticate", "proxy-connection",
    }
)  # fmt: skip


class BadForwardUrl(InputRefused):
    """A forward or webhook URL that is not an http(s) URL with a host."""


def http_url(url: str, what: str = "forward URL") -> str:
    """`url` stripped, when it is an http or https URL with a host; BadForwardUrl otherwise."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 2000:
        raise BadForwardUrl(
            f"The {what} must start with http:// or https:// and name a host (got "
            f"{scrub_server_text(url, limit=80)!r}), e.g. http://127.0.0.1:3000/webhooks/zinc."
        )
    return url.strip()


def forward(
    client: httpx.Client,
    url: str,
    method: str,
    headers: Iterable[tuple[str, str]],
    body: bytes,
    *,
    secrets: Iterable[str] = (),
) -> ForwardResult:
    """Send the delivery to `url`; its answer's status, time and start (scrubbed: key shapes
    and each of `secrets` masked), or, when there is none, what went wrong, said plainly."""
    # As received: http.server decoded each header as latin-1, so that gives back its bytes
    # (httpx would refuse a non-ASCII str, and a relay that re-encodes breaks signatures).
    sent = [
        (n.encode("latin-1", "replace"), v.encode("latin-1", "replace"))
        for n, v in headers
        if n.lower() not in _HOP_BY_HOP
    ]
    started = time.perf_counter()
    seconds = client.timeout.read or FORWARD_TIMEOUT.read or 10.0
    try:
        # The whole exchange within `seconds`: a handler trickling a byte at a time must not
        # hold a forwarding worker for hours (httpx's timeouts are per read).
        with (
            limit_call(seconds, threading.Event()),
            client.stream(method, url, headers=sent, content=body) as answer,
        ):
            start = b""
            for chunk in answer.iter_raw():
                start += chunk
                if len(start) >= EXCERPT * 4:
                    break
        ms = (time.perf_counter() - started) * 1000
    except httpx.ConnectError:
        return _failed(
            url, started, f"the handler at {url} is down: nothing accepts connections there"
        )
    except httpx.TimeoutException:
        waited = time.perf_counter() - started
        return _failed(url, started, f"the handler at {url} did not answer within {waited:.0f} s")
    except httpx.HTTPError as error:
        return _failed(url, started, f"the handler at {url} failed: {type(error).__name__}")
    text = start.decode("utf-8", "replace")
    for secret in secrets:
        if secret:
            text = text.replace(secret, "••••")
    return ForwardResult(url, ms, answer.status_code, scrub_server_text(text, limit=EXCERPT))


def _failed(url: str, started: float, error: str) -> ForwardResult:
    return ForwardResult(url, (time.perf_counter() - started) * 1000, error=error)


def forward_client(seconds: float | None = None) -> httpx.Client:
    """One client for a receiver's forwards: no proxies from the environment (a payload holds a
    candidate's details), no redirects followed (a 3xx is the handler's answer), every forward
    bounded as a whole (the transport of core/zinc/deadline)."""
    timeout = FORWARD_TIMEOUT if seconds is None else httpx.Timeout(seconds)
    return httpx.Client(
        transport=BoundedTransport(verify=True, proxy=None),
        timeout=timeout,
        trust_env=False,
        follow_redirects=False,
    )
