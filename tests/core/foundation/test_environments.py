"""Environment URLs and their overrides."""

from urllib.parse import urlsplit

import httpx
import pytest

from zinc_desktop.core.foundation.environments import (
    EndpointSource,
    Environment,
    resolve_endpoints,
)
from zinc_desktop.core.foundation.errors import ConfigError


def test_defaults_are_zincs_published_urls() -> None:
    endpoints = resolve_endpoints({})
    staging = endpoints[Environment.STAGING]
    production = endpoints[Environment.PRODUCTION]
    assert staging.base_url == "https://stagingapi.zincwork.com/partner/v2"
    assert staging.sign_in_url == "https://stagingapp.zincwork.com/"
    assert production.base_url == "https://api.zincwork.com/partner/v2"
    assert production.sign_in_url == "https://app.zincwork.com/"
    assert not staging.overridden
    assert not production.overridden


def test_an_override_is_used_and_known_to_be_an_override() -> None:
    endpoints = resolve_endpoints(
        {"ZINC_PRODUCTION_API_URL": "https://gateway.example.com/zinc/v2/ "}
    )
    production = endpoints[Environment.PRODUCTION]
    assert production.base_url == "https://gateway.example.com/zinc/v2"
    assert production.overridden
    assert production.source is EndpointSource.OVERRIDE
    assert not endpoints[Environment.STAGING].overridden


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8470/x", "http://localhost/x", "http://[::1]:9/x", "http://127.3.2.1/"],
)
def test_plain_http_is_allowed_for_loopback(url: str) -> None:
    assert resolve_endpoints({"ZINC_STAGING_API_URL": url})[Environment.STAGING].is_loopback


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://stagingapi.example.com/v2", "plain http:// is allowed only for loopback"),
        ("http://10.0.0.5/v2", "plain http:// is allowed only for loopback"),
        ("ftp://example.com/", "must be an https:// URL"),
        ("stagingapi.zincwork.com", "must be an https:// URL"),
        ("https://user:pw@example.com/", "must not contain a user name or password"),
        ("https://example.com/v2?key=1", "must not contain a query"),
        ("https://example.com:notaport/", "is not a valid URL"),
    ],
)
def test_unsafe_or_broken_overrides_are_refused_clearly(url: str, message: str) -> None:
    with pytest.raises(ConfigError, match="ZINC_STAGING_API_URL") as caught:
        resolve_endpoints({"ZINC_STAGING_API_URL": url})
    assert message in str(caught.value)
    assert "pw@" not in str(caught.value)


def test_environment_facts() -> None:
    assert Environment.STAGING.other is Environment.PRODUCTION
    assert Environment.PRODUCTION.is_billable
    assert not Environment.STAGING.is_billable
    assert Environment.PRODUCTION.override_variable == "ZINC_PRODUCTION_API_URL"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://[::1]evil.com/v2", "reads the same way"),
        ("https://example.com/v2\r\nX-Injected: 1", "a line break at character 23"),
        ("https://example.com/v 2", "a space at character 22"),
        ("https://exa mple.com/", "a space"),
        ("https://example.com/\x00", "the invisible character U+0000"),
        ("https://example.com/\u200bv2", "the invisible character U+200B"),
        ("https://bücher.example/", "its xn-- form"),
        ("https://example.com:+443/", "is not a valid URL"),
        ("https://example.com:0/", "port 0"),
        ("https://example.com:65536/", "is not a valid URL"),
        ("https://example.com:٣/", "plain ASCII"),
        ("https://exa%6dple.com/", "is not a host name"),
        ("https://example.com/v2?", "must not contain a query"),
        ("https://example.com/v2#", "must not contain a query"),
        ("https://user@example.com/", "must not contain a user name"),
        ("https://[::1/", "is not a valid URL"),
    ],
)
def test_urls_httpx_would_read_differently_are_refused(url: str, message: str) -> None:
    with pytest.raises(ConfigError, match="ZINC_STAGING_API_URL") as caught:
        resolve_endpoints({"ZINC_STAGING_API_URL": url})
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "url",
    [
        "https://gateway.example.com:8443/zinc/v2",
        "https://EXAMPLE.com/v2",
        "https://[2001:db8::1]/v2",
        "http://[::1]:8470/staging/partner/v2",
        "https://example.com:443/v2",
    ],
)
def test_ordinary_overrides_still_work_and_httpx_agrees(url: str) -> None:
    endpoint = resolve_endpoints({"ZINC_STAGING_API_URL": url})[Environment.STAGING]
    parsed = httpx.URL(endpoint.base_url + "/packages")
    assert parsed.host == (urlsplit(url).hostname or "")
