"""Zinc's two environments, their URLs, and the overrides that point them elsewhere."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from zinc_desktop.core.errors import ConfigError


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


def validate_base_url(url: str, *, setting: str) -> str:
    """Return `url` without a trailing slash, or raise ConfigError saying what is wrong with it.

    The URL is never echoed back when it might carry credentials.
    """
    text = url.strip()
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
        _ = parts.port  # raises on a non-numeric port
    except ValueError as error:
        raise ConfigError(f"{setting} is not a valid URL ({error}).") from None
    if parts.username or parts.password:
        raise ConfigError(f"{setting} must not contain a user name or password.")
    if parts.scheme not in ("https", "http") or not host:
        raise ConfigError(f"{setting}={text!r} must be an https:// URL with a host name.")
    if parts.scheme == "http" and not is_loopback_host(host):
        raise ConfigError(
            f"{setting}={text!r}: plain http:// is allowed only for loopback hosts "
            "(127.0.0.1, ::1, localhost), because the API key would travel unencrypted. "
            "Use https://."
        )
    if parts.query or parts.fragment:
        raise ConfigError(f"{setting}={text!r} must not contain a query or fragment.")
    return text.rstrip("/")


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
