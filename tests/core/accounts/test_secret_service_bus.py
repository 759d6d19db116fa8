"""When keyring's choice is known without loading it: each condition that could change its
choice makes the answer no (the bus itself is asked in tests/integration/test_secret_service.py)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from zinc_desktop.core.accounts.secret_service_bus import keyring_would_choose_it

KEYRING_OWN = ["keyring.backends.SecretService", "keyring.backends.kwallet"]


def choose(
    environ: dict[str, str],
    tmp_path: Path,
    *,
    platform: str = "linux",
    backends: list[str] = KEYRING_OWN,
    modules: frozenset[str] = frozenset(),
) -> bool:
    return keyring_would_choose_it(
        environ,
        platform=platform,
        home=tmp_path,
        installed_backends=lambda: backends,
        importable=lambda name: name in modules,
    )


def test_a_plain_linux_machine_is_a_yes(tmp_path: Path) -> None:
    assert choose({}, tmp_path)


def test_anything_that_could_change_keyrings_choice_is_a_no(tmp_path: Path) -> None:
    assert not choose({}, tmp_path, platform="darwin")
    assert not choose({}, tmp_path, platform="win32")
    assert not choose({"PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}, tmp_path)
    assert not choose({"KEYRING_PROPERTY_PREFERRED_COLLECTION": "/x"}, tmp_path)
    assert not choose({}, tmp_path, backends=[*KEYRING_OWN, "keyrings.alt.file"])
    assert not choose({}, tmp_path, modules=frozenset({"dbus"}))  # KWallet usable
    assert not choose({}, tmp_path, modules=frozenset({"gi"}))  # libsecret usable: chained


def test_a_keyring_configuration_file_is_a_no_wherever_keyring_reads_it(tmp_path: Path) -> None:
    (tmp_path / ".config" / "python_keyring").mkdir(parents=True)
    (tmp_path / ".config" / "python_keyring" / "keyringrc.cfg").write_text("[backend]\n")
    assert not choose({}, tmp_path)
    elsewhere = tmp_path / "xdg"
    assert choose({"XDG_CONFIG_HOME": str(elsewhere)}, tmp_path)
    (elsewhere / "python_keyring").mkdir(parents=True)
    (elsewhere / "python_keyring" / "keyringrc.cfg").write_text("[backend]\n")
    assert not choose({"XDG_CONFIG_HOME": str(elsewhere)}, tmp_path)


@given(
    st.dictionaries(
        st.sampled_from(
            ["PYTHON_KEYRING_BACKEND", "KEYRING_PROPERTY_SCHEME", "KEYRING_PROPERTY_X", "PATH"]
        ),
        st.text(alphabet=" \tab.", max_size=4),
    )
)
def test_the_environment_decides_as_keyring_reads_it(environ: dict[str, str]) -> None:
    expected = "PYTHON_KEYRING_BACKEND" not in environ and not any(
        name.startswith("KEYRING_PROPERTY_") for name in environ
    )
    home = Path("/nonexistent-home-for-tests")
    assert choose(environ, home) == expected
