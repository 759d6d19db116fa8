"""keyring's backends by the names people know them by, beside the class a support call needs.

One rule for the window (status bar, About), the CLI and the log: the macOS Keychain, the
Windows Credential Manager, the Secret Service, KWallet. A backend not named here (a plugin,
a test's in-memory keyring) keeps its class path, which is the most a person can be told.
Classes are matched by their path, so nothing here imports keyring or its platform modules.
"""

from __future__ import annotations

from collections.abc import Iterable

SECRET_SERVICE_BACKEND = "keyring.backends.SecretService.Keyring"  # noqa: S105  # a class path
NO_USABLE_KEYRING = "no usable keyring"

# keyring's WinVaultKeyring writes with CredWrite: its items are listed in Control Panel's
# Credential Manager (Windows Credentials), which is where a user goes to look for them.
_NAMES = {
    "keyring.backends.macOS.Keyring": "macOS Keychain",
    "keyring.backends.Windows.WinVaultKeyring": "Windows Credential Manager",
    SECRET_SERVICE_BACKEND: "Secret Service",
    "keyring.backends.libsecret.Keyring": "Secret Service (libsecret)",
    "keyring.backends.kwallet.DBusKeyring": "KWallet",
    "keyring.backends.kwallet.DBusKeyringKWallet4": "KWallet",
    # keyring's stand-ins when nothing works: one fails every call, the other forgets.
    "keyring.backends.fail.Keyring": NO_USABLE_KEYRING,
    "keyring.backends.null.Keyring": NO_USABLE_KEYRING,
}
_CHAINER = "keyring.backends.chainer.ChainerBackend"


def _class_path(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _known(backend: object) -> str | None:
    """The first class in the backend's ancestry this module names (a subclass of keyring's
    own is still that store), or None."""
    for cls in type(backend).__mro__:
        path = _class_path(cls)
        if path in _NAMES or path == _CHAINER:
            return path
    return None


def _chained(backend: object) -> list[object]:
    return list(getattr(backend, "backends", ()) or ())


def keyring_backend_label(backend: object) -> str:
    """The backend's class path (`keyring.backends.macOS.Keyring`); a chainer's with the
    backends it chains, in the order it tries them."""
    label = _class_path(type(backend))
    if _known(backend) == _CHAINER:
        label += f"({', '.join(keyring_backend_label(inner) for inner in _chained(backend))})"
    return label


def keyring_backend_name(backend: object) -> str:
    """What a person calls the store `backend` keeps secrets in.

    keyring's chainer is named by the backends it uses, the first (the one it writes to)
    first; with none it is no usable keyring. Reading a real chainer's backends asks each for
    its priority (the Secret Service's is a D-Bus call): name a backend once, off the GUI
    thread, and keep the name.
    """
    known = _known(backend)
    if known is None:
        return keyring_backend_label(backend)
    if known != _CHAINER:
        return _NAMES[known]
    names = _distinct(keyring_backend_name(inner) for inner in _chained(backend))
    names = [name for name in names if name != NO_USABLE_KEYRING]
    return ", then ".join(names) if names else NO_USABLE_KEYRING


def keyring_class_name(class_path: str) -> str:
    """The name for a backend known only by its class path (one not loaded yet)."""
    return _NAMES.get(class_path, class_path)


def _distinct(names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(names))


def name_and_label(name: str, label: str) -> str:
    """Both, for the log: `macOS Keychain (keyring.backends.macOS.Keyring)`; the label alone
    when it is all the name there is."""
    return label if name == label else f"{name} ({label})"
