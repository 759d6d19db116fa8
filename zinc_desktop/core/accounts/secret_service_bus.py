"""Which accounts hold an item on the Secret Service, asked over D-Bus with jeepney alone.

No secret crosses the bus here, so neither keyring nor secretstorage nor cryptography loads
(about 13 MB of a window that otherwise weighs 90) to learn which accounts hold a key; reading
and writing keys stays with keyring. Items are found as keyring's Secret Service backend keeps
them: in its collection (the `default` alias unless one is named), attribute `service` holding
the keyring service and `username` the account id, or the names of another of its schemes.

`keyring_would_choose_it` says when keyring, left to choose, surely picks that backend with its
defaults; anything it cannot be sure of (a configuration, another backend installed) is a no.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BUS_NAME = "org.freedesktop.secrets"
SERVICE_PATH = "/org/freedesktop/secrets"
_PREFIX = "org.freedesktop.Secret."
# Replies asked for before reading any back: few enough that neither side's socket buffer fills.
_BATCH = 64


class CollectionLocked(Exception):
    """The collection is locked: its items' attributes may be hidden, and nothing is unlocked."""


class BusProblem(RuntimeError):
    """The session bus or the Secret Service on it did not answer as it should."""


@dataclass(frozen=True)
class ItemQuery:
    """Where keyring's Secret Service backend keeps a service's items, and by which names."""

    service: str
    collection: str | None = None  # a D-Bus path; None: the `default` alias
    service_attribute: str = "service"
    username_attribute: str = "username"


def keyring_would_choose_it(
    environ: Mapping[str, str],
    *,
    platform: str = sys.platform,
    home: Path | None = None,
    installed_backends: Callable[[], Iterable[str]] | None = None,
    importable: Callable[[str], bool] | None = None,
) -> bool:
    """Whether keyring, left to choose, picks its Secret Service backend with its defaults for
    sure, as far as can be told without importing it: Linux (or another Unix keyring treats
    alike), no PYTHON_KEYRING_BACKEND or KEYRING_PROPERTY_* variable, no keyringrc.cfg, no
    backend but keyring's own, and none of keyring's other Linux backends usable (KWallet needs
    the `dbus` module, libsecret the `gi` module; either would make keyring chain them).

    Whether a Secret Service answers on the bus is asked separately (`SecretServiceBus.available`).
    """
    if platform in ("win32", "darwin", "cygwin") or platform.startswith("java"):
        return False
    if any(name.startswith(("PYTHON_KEYRING_BACKEND", "KEYRING_PROPERTY_")) for name in environ):
        return False  # even blank: keyring reads it as it is
    folder = home if home is not None else Path.home()
    config_root = environ.get("XDG_CONFIG_HOME") or str(folder / ".config")
    if (Path(config_root) / "python_keyring" / "keyringrc.cfg").exists():
        return False
    can_import = importable if importable is not None else _importable
    if can_import("dbus") or can_import("gi"):
        return False
    listed = installed_backends if installed_backends is not None else _installed_backends
    return all(module.startswith("keyring.backends.") for module in listed())


def _importable(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def _installed_backends() -> list[str]:
    """The module of every keyring backend installed (keyring's own among them)."""
    from importlib.metadata import entry_points

    return [entry.value for entry in entry_points(group="keyring.backends")]


class SecretServiceBus:
    """One D-Bus connection to the session bus for one question, each call with a deadline."""

    def __init__(self, deadline: float) -> None:
        self._deadline = deadline

    def available(self) -> bool:
        """Whether a Secret Service runs, or D-Bus can start one (as secretstorage asks)."""
        from jeepney import new_method_call
        from jeepney.bus_messages import message_bus

        with self._connection() as ask:
            (owned,) = ask([new_method_call(message_bus, "NameHasOwner", "s", (BUS_NAME,))])[0]
            if owned:
                return True
            (names,) = ask([new_method_call(message_bus, "ListActivatableNames")])[0]
            return BUS_NAME in names

    def items(self, query: ItemQuery) -> dict[str, str]:
        """The D-Bus path of each account's item (the first found for each account id); never
        unlocks anything: a locked collection is CollectionLocked, as attributes read from it
        may be hidden. No collection behind the default alias: no items."""
        from jeepney import DBusAddress, Properties, new_method_call

        with self._connection() as ask:
            path = query.collection
            if path is None:
                service = DBusAddress(SERVICE_PATH, BUS_NAME, _PREFIX + "Service")
                (path,) = ask([new_method_call(service, "ReadAlias", "s", ("default",))])[0]
                if path == "/":
                    return {}
            collection = DBusAddress(path, BUS_NAME, _PREFIX + "Collection")
            ((_, locked),) = ask([Properties(collection).get("Locked")])[0]
            if locked:
                raise CollectionLocked(path)
            wanted = {query.service_attribute: query.service}
            (paths,) = ask([new_method_call(collection, "SearchItems", "a{ss}", (wanted,))])[0]
            asks = [
                Properties(DBusAddress(item, BUS_NAME, _PREFIX + "Item")).get("Attributes")
                for item in paths
            ]
            found: dict[str, str] = {}
            for item, ((_, attributes),) in zip(paths, ask(asks), strict=True):
                username = attributes.get(query.username_attribute)
                if isinstance(username, str):
                    found.setdefault(username, item)
            return found

    def _connection(self) -> Any:
        """A context manager yielding `ask(messages) -> bodies`, on a fresh connection."""
        import contextlib

        from jeepney.io.blocking import open_dbus_connection

        deadline = time.monotonic() + self._deadline

        @contextlib.contextmanager
        def opened() -> Any:
            try:
                connection = open_dbus_connection(bus="SESSION")
            except (OSError, KeyError, ValueError) as error:
                raise BusProblem(
                    f"the session D-Bus cannot be reached ({type(error).__name__}: {error})"
                ) from None
            try:
                yield lambda messages: _ask(connection, messages, deadline)
            finally:
                connection.close()

        return opened()


def _ask(connection: Any, messages: Sequence[Any], deadline: float) -> list[Any]:
    """Each message's reply body, in order: sent a batch at a time, replies matched by serial
    (the Secret Service answers each Properties.Get in one round trip; 10,000 of them one after
    another would take seconds). An error reply is a BusProblem naming it."""
    from jeepney import HeaderFields, MessageType

    bodies: list[Any] = []
    for start in range(0, len(messages), _BATCH):
        serials: list[int] = []
        for message in messages[start : start + _BATCH]:
            serial = next(connection.outgoing_serial)
            connection.send_message(message, serial=serial)
            serials.append(serial)
        replies: dict[int, Any] = {}
        while len(replies) < len(serials):
            left = deadline - time.monotonic()
            if left <= 0:
                raise BusProblem("the Secret Service did not answer in time")
            reply = connection.receive(timeout=left)
            replying_to = reply.header.fields.get(HeaderFields.reply_serial)
            if replying_to in serials:
                replies[replying_to] = reply
        for serial in serials:
            reply = replies[serial]
            if reply.header.message_type == MessageType.error:
                name = reply.header.fields.get(HeaderFields.error_name, "an error")
                raise BusProblem(f"the Secret Service answered {name}")
            bodies.append(reply.body)
    return bodies


def secret_service_is_the_choice(environ: Mapping[str, str], deadline: float = 5.0) -> bool:
    """keyring would choose its Secret Service backend with its defaults, and one answers (or
    D-Bus can start one): then which accounts hold a key can be asked here, without keyring."""
    if not keyring_would_choose_it(environ):
        return False
    try:
        return SecretServiceBus(deadline).available()
    except (BusProblem, ImportError):  # no bus, or no jeepney (not Linux): keyring decides
        return False
