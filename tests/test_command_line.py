"""Which path a command line takes, and how a bad one is told: one line, exit 2, no key."""

from __future__ import annotations

import gc

import pytest

from tests.conftest import PRODUCTION_KEY, STAGING_KEY
from zinc_desktop import app
from zinc_desktop.command_line import wants_window


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--sandbox"],
        ["--sandbox", "--present", "--demo-seconds", "20"],
        ["--demo-seconds=5"],
        ["-platform", "offscreen"],
        ["--platform", "xcb", "-style", "fusion", "-reverse"],
        ["-qwindowgeometry=800x600"],
    ],
)
def test_window_options_and_qt_options_open_the_window(args: list[str]) -> None:
    assert wants_window(args)


@pytest.mark.parametrize(
    "args",
    [
        ["link", "--env", "staging"],
        ["--sandbox", "accounts", "list"],
        ["--help"],
        ["--version"],
        [STAGING_KEY],  # a key pasted as the argument
        ["lnk"],  # a typo
        ["--sandbox", "-style", "fusion", "lsit"],
    ],
)
def test_anything_else_goes_to_the_command_line(args: list[str]) -> None:
    assert not wants_window(args)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        ([STAGING_KEY], "invalid choice: '[key ••••"),
        (["lnk"], "invalid choice: 'lnk'"),
        (["link", "--env", "nowhere"], "argument --env: invalid choice: 'nowhere'"),
        (["link", "--env", "staging", f"x{PRODUCTION_KEY}beef"], "argument this command does not"),
        (["sandbox", "--port", "70000"], "70000 is not a port"),
        (["sandbox", "--port", "-1"], "-1 is not a port"),
        (["sandbox", "--demo-seconds", "nan"], "'nan' is not a journey length"),
        (["--demo-seconds", "inf", "accounts", "list"], "'inf' is not a journey length"),
        (["sandbox", "--demo-seconds", "0"], "'0' is not a journey length"),
        (["checks", "start"], "the following arguments are required"),
    ],
)
def test_a_bad_command_line_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    assert app.main(args) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.splitlines()) == 1, err
    assert err.startswith("error: ")
    assert says in err
    assert err.rstrip().endswith("--help)")
    for key in (STAGING_KEY, PRODUCTION_KEY):
        assert key not in err.lower()


def test_the_window_refuses_a_journey_length_in_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    try:
        assert app.main(["--sandbox", "--demo-seconds", "-5"]) == 2  # before Qt starts
    finally:
        gc.enable()  # the window path turns collection off for its start-up
    _, err = capsys.readouterr()
    assert err == (
        "error: argument --demo-seconds: '-5' is not a journey length: give seconds above 0, "
        "up to 86400 (see zinc-desktop --help)\n"
    )
