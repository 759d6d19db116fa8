"""Typed errors the CLI and GUI map to messages; none carries more of a key than its hint."""

import threading
from collections.abc import Mapping


class ZincDesktopError(Exception):
    """Base of every error we raise on purpose; `str()` is a complete, user-facing sentence."""


class ConfigError(ZincDesktopError):
    """A setting (environment variable, override URL) is not usable."""


class KeyFormatError(ZincDesktopError, ValueError):
    """The text given as a key is not a Zinc key; `reason` says exactly why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class InputRefused(ZincDesktopError, ValueError):
    """Input that cannot be used (a label, a candidate, an id, a file of them); nothing was done.

    The message says why and never repeats what could be a secret.
    """


class InvalidIdentifier(InputRefused):
    """A check or package id that cannot be one (it would not be a single path segment)."""


class KeyInInput(InputRefused):
    """Text that holds an API key where something else belongs (a check id, a label, a filter).

    Refused before it is sent, shown or kept; the message never echoes it.
    """


class ZincApiError(ZincDesktopError):
    """Base of failures while talking to Zinc."""


class KeyRejected(ZincApiError):
    """Zinc answered 401 or 403 for this key."""

    def __init__(self, message: str, status_code: int) -> None:
        super().__init__(message)
        self.status_code = status_code


class EnvironmentUnreachable(ZincApiError):
    """No answer: DNS, refused connection, timeout or a TLS failure."""


class ServerFault(ZincApiError):
    """Zinc answered 5xx, or kept answering 429 beyond what we wait for."""


class UnexpectedResponse(ZincApiError):
    """An answer we cannot read: not JSON, the wrong shape, too large, a redirect, a 4xx."""


class RequestRefused(ZincApiError):
    """Zinc refused a request body (400/404/409/422): the message carries Zinc's reason."""


class NotOffered(RequestRefused):
    """This Zinc has no such endpoint (404 or 405 on a call whose path is a guess): the caller
    falls back (the local history; no cancel) and says so."""


class OperationCancelled(ZincDesktopError):
    """The user cancelled while a call was in flight."""


class SecretStoreError(ZincDesktopError):
    """The OS keyring failed, is missing, locked or did not answer in time."""


class UnusableSecret(SecretStoreError):
    """The keyring holds something under the account's name that is not a Zinc key (edited, or
    overwritten by another program): as good as missing, and said so."""


class SecretStoreUnavailable(SecretStoreError):
    """No usable keyring backend: nothing can be stored beyond this session."""


class AccountStoreError(ZincDesktopError):
    """The metadata file could not be read or written."""


class UnknownAccount(ZincDesktopError):
    """No linked account has that id (nor that id prefix, nor that exact label)."""


class AmbiguousAccount(InputRefused):
    """An id prefix or a label that names more than one account; the message names them."""


class SecretStoreTimeout(SecretStoreError):
    """The keyring did not answer in time. The request is still running and may complete later.

    `finished` is set once the request has really ended (in success or failure), so a caller
    that must not act while it could still land can wait for it.
    """

    def __init__(
        self,
        message: str,
        finished: threading.Event,
        outcome: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.finished = finished
        self._outcome: Mapping[str, object] = outcome if outcome is not None else {}

    def ended_well(self) -> bool:
        """Whether the request has ended by now, and without an error."""
        return self.finished.is_set() and "error" not in self._outcome


class SecretStoreBusy(SecretStoreError):
    """The keyring is still busy with an earlier request; this one was never started."""


class SecretStoreLocked(SecretStoreError):
    """The keyring is locked and would not unlock: the request changed nothing."""


class KeyringConfigError(SecretStoreUnavailable, ConfigError):
    """PYTHON_KEYRING_BACKEND (or keyring's own configuration) names a backend that cannot load."""
