"""Turns a recorded exchange into a curl command that uses $ZINC_API_KEY, never the key."""

from __future__ import annotations

import shlex

from zinc_desktop.core.zinc.api import AuthForm
from zinc_desktop.core.zinc.settings import Exchange


def as_curl(exchange: Exchange) -> str:
    """A shell command that repeats the request; the key comes from the environment."""
    authorization = (
        '"Authorization: Bearer $ZINC_API_KEY"'
        if exchange.auth_form is AuthForm.BEARER
        else '"Authorization: $ZINC_API_KEY"'
    )
    parts = [
        "curl --silent --show-error",
        f"--request {exchange.method}",
        f"--header {authorization}",
        "--header 'Accept: application/json'",
    ]
    if exchange.request_body is not None:
        parts.append("--header 'Content-Type: application/json'")
        parts.append(f"--data {shlex.quote(exchange.request_body)}")
    parts.append(shlex.quote(exchange.url))
    return " \\\n  ".join(parts)
