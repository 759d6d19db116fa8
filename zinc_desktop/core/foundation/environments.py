"""Zinc's two environments, their URLs, and the overrides that point them elsewhere."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from zinc_desktop.core.foundation.errors import ConfigError


class Environment(StrEnum):
    """A Zinc tenant. Keys, accounts and packages never cross between the two."""

    STAGING = "staging"
    PRODUCTION = "production"

    @property
    def display_name(self) -> str:
        return self.value.capitalize()

    @property
    def other(self) -> Environment:
        return Environment.PRODUCTION if self is Environment.STAGING else Environment.STAGING

    @property
    def is_billable(self) -> bool:
        """Production runs real checks on real candidates and bills for them."""
        return self is Environment.PRODUCTION

    @property
    def override_variable(self) -> str:
        return f"ZINC_{self.name}_API_URL"


DEFAULT_BASE_URLS: Mapping[Environment, str] = {
    Environment.STAGING: "https://stagingapi.zincwork.com/partner/v2",
    Environment.PRODUCTION: "https://api.zincwork.com/partner/v2",
}
SIGN_IN_URLS: Mapping[Environment, str] = {
    Environment.STAGING: "https://stagingapp.zincwork.com/",
    Environment.PRODUCTION: "https://app.zincwork.com/",
}


class EndpointSource(StrEnum):
    """Where an environment's base URL came from; anything but DEFAULT is shown in the window."""

    DEFAULT = "default"
    OVERRIDE = "override"
    SANDBOX = "sandbox"


@dataclass(frozen=True)
class Endpoint:
    """Where one environment's API lives for this run."""

    environment: Environment
    base_url: str
    source: EndpointSource = EndpointSource.DEFAULT

    @property
    def sign_in_url(self) -> str:
        return SIGN_IN_URLS[self.environment]

    @property
    def overridden(self) -> bool:
        return self.source is not EndpointSource.DEFAULT

    @property
    def is_loopback(self) -> bool:
        return is_loopback_host(urlsplit(self.base_url).hostname or "")


Endpoints = Mapping[Environment, Endpoint]


def is_loopback_host(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


_DEFAULT_PORTS = {"https": 443, "http": 80}
_HOST_NAME = re.compile(r"[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?")


def _describe_character(character: str) -> str:
    names = {" ": "a space", "\t": "a tab", "\n": "a line break", "\r": "a line break"}
    if character in names:
        return names[character]
    if character.isprintable():
        return repr(character)
    return f"the invisible character U+{ord(character):04X}"


def _is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def validate_base_url(url: str, *, setting: str) -> str:
    """Return `url` without a trailing slash, or raise ConfigError saying what is wrong with it.

    Accepted only when urllib and httpx read the same scheme, host and port from it, so the
    host we judge (loopback or not) is the host the key is sent to. The URL is never echoed
    back when it might carry credentials.
    """
    text = url.strip()
    for position, character in enumerate(text, start=1):
        if not ("!" <= character <= "~"):
            rule = (
                "a base URL is plain ASCII (write an international host name in its xn-- form)"
                if character.isprintable() and not character.isspace()
                else "a base URL has no spaces, line breaks or control characters"
            )
            raise ConfigError(
                f"{setting} has {_describe_character(character)} at character {position}; {rule}."
            )
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
        port = parts.port  # raises on a non-numeric or out-of-range port
    except ValueError as error:
        raise ConfigError(f"{setting} is not a valid URL ({error}).") from None
    if "@" in parts.netloc or parts.username or parts.password:
        raise ConfigError(f"{setting} must not contain a user name or password.")
    if parts.scheme not in ("https", "http") or not host:
        raise ConfigError(f"{setting}={text!r} must be an https:// URL with a host name.")
    if parts.scheme == "http" and not is_loopback_host(host):
        raise ConfigError(
            f"{setting}={text!r}: plain http:// is allowed only for loopback hosts "
            "(127.0.0.1, ::1, localhost), because the API key would travel unencrypted. "
            "Use https://."
        )
    if not _HOST_NAME.fullmatch(host) and not _is_ip_address(host):
        raise ConfigError(
            f"{setting}={text!r}: {host!r} is not a host name (letters, digits, '-' and dots) "
            "or an IP address."
        )
    if "?" in text or "#" in text:
        raise ConfigError(f"{setting}={text!r} must not contain a query or fragment.")
    if port == 0:
        raise ConfigError(f"{setting}={text!r} has port 0; a port is 1 to 65535.")
    _agree_with_httpx(text, parts.scheme, host, port, setting)
    return text.rstrip("/")


def _agree_with_httpx(text: str, scheme: str, host: str, port: int | None, setting: str) -> None:
    """Refuse a URL that httpx reads differently from urllib (or not at all)."""
    import httpx

    default = _DEFAULT_PORTS[scheme]
    try:
        parsed = httpx.URL(text.rstrip("/") + "/packages")
        agrees = (
            parsed.scheme == scheme
            and parsed.host.lower() == host.lower()
            and (parsed.port or default) == (port or default)
            and not parsed.userinfo
            and not parsed.query
            and not parsed.fragment
        )
    except (httpx.InvalidURL, ValueError, TypeError, UnicodeError):
        agrees = False
    if not agrees:
        raise ConfigError(
            f"{setting}={text!r} is not a URL every part of zinc-desktop reads the same way "
            "(check the brackets around an IPv6 address, the port and the host name)."
        )


def resolve_endpoints(environ: Mapping[str, str]) -> dict[Environment, Endpoint]:
    """Both environments' endpoints, honouring ZINC_STAGING_API_URL / ZINC_PRODUCTION_API_URL."""
    endpoints: dict[Environment, Endpoint] = {}
    for environment in Environment:
        override = environ.get(environment.override_variable, "").strip()
        if override:
            url = validate_base_url(override, setting=environment.override_variable)
            endpoints[environment] = Endpoint(environment, url, EndpointSource.OVERRIDE)
        else:
            endpoints[environment] = Endpoint(environment, DEFAULT_BASE_URLS[environment])
    return endpoints


def sandbox_endpoints(base_urls: Mapping[Environment, str]) -> dict[Environment, Endpoint]:
    """Endpoints that point both environments at the built-in simulator."""
    return {
        environment: Endpoint(environment, url.rstrip("/"), EndpointSource.SANDBOX)
        for environment, url in base_urls.items()
    }
