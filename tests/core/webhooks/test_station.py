"""The window's receiver: off until started, tokens read once per account, a keyring that
fails asked again (never remembered as "no token"), the URL a check carries."""

from __future__ import annotations

import pytest

from zinc_desktop.core.foundation.errors import SecretStoreError
from zinc_desktop.core.foundation.events import EventHub
from zinc_desktop.core.webhooks.forwarding import BadForwardUrl
from zinc_desktop.core.webhooks.station import WebhookStation


def test_a_failing_keyring_is_asked_again_and_a_token_read_once() -> None:
    asked: list[str] = []
    failing = [True]

    def token_for(account_id: str) -> str | None:
        asked.append(account_id)
        if failing[0]:
            raise SecretStoreError("the keyring is locked")
        return "tok-1"

    station = WebhookStation(EventHub(), token_for)
    assert station.token("acc") is None
    failing[0] = False
    assert station.token("acc") == "tok-1"
    assert station.token("acc") == "tok-1"
    assert asked == ["acc", "acc"]  # the failure was not kept; the token was
    station.forget_token("acc")
    assert station.token("acc") == "tok-1"
    assert len(asked) == 3
    assert station.token(None) is None


def test_the_url_a_check_carries_follows_the_receiver_and_the_public_url() -> None:
    station = WebhookStation(EventHub(), lambda _a: None)
    assert station.webhook_url_for_checks() is None  # off: nowhere
    local = station.start()
    try:
        assert station.webhook_url_for_checks() == local
        station.set_public_url("https://abc.example-tunnel.test/hooks")
        assert station.webhook_url_for_checks() == "https://abc.example-tunnel.test/hooks"
        with pytest.raises(BadForwardUrl):
            station.set_public_url("ftp://nope")
        station.set_public_url("  ")
        assert station.webhook_url_for_checks() == local
    finally:
        station.stop()
    assert station.webhook_url_for_checks() is None
    assert not station.running
