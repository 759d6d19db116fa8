"""Presenting mode's rule for text on a shared screen: no addresses, ports or key endings."""

from __future__ import annotations

import re

_URL = re.compile(r"\b(?:https?|wss?)://[^\s)\]]+", re.IGNORECASE)
_HOST_PORT = re.compile(
    r"(?<![\w.])(?:localhost|\d{1,3}(?:\.\d{1,3}){3}|\[[0-9A-Fa-f:.]+\]|[\w-]+(?:\.[\w-]+)+):\d{1,5}\b"
)
_LOOPBACK = re.compile(r"(?<![\w.])(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?![\w.])")
_KEY_ENDING = re.compile(r"\s*(?:•{2,}|…)[0-9A-Fa-f]{4}\b")
HIDDEN = "[hidden]"


def presentable(text: str) -> str:
    """`text` without base URLs, host:port pairs or key endings (`••••8cef`)."""
    text = _URL.sub(HIDDEN, text)
    text = _HOST_PORT.sub(HIDDEN, text)
    text = _LOOPBACK.sub(HIDDEN, text)
    text = _KEY_ENDING.sub("", text)
    return " ".join(text.split())
