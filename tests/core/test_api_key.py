"""The key value type: what it accepts, how it says no, and that it never shows itself."""

import pickle

import pytest

from zinc_desktop.core.api_key import ApiKey
from zinc_desktop.core.errors import KeyFormatError

KEY = "25d3aa00bb11cc22dd33ee44ff559f0e"


@pytest.mark.parametrize(
    "pasted",
    [
        KEY,
        f"  {KEY}\n",
        f"Bearer {KEY}",
        f"bearer   {KEY} ",
        f'"{KEY}"',
        KEY.upper(),
        f"\t{KEY.upper()}\r\n",
    ],
)
def test_accepts_what_people_paste_and_normalises(pasted: str) -> None:
    key = ApiKey.parse(pasted)
    assert key.reveal() == KEY
    assert key.hint == "9f0e"


@pytest.mark.parametrize(
    ("pasted", "reason"),
    [
        ("", "The key is empty"),
        ("   \n", "The key is empty"),
        ("Bearer ", "The key is empty"),
        (KEY[:-1], "this one has 31"),
        (KEY + "a", "this one has 33"),
        (KEY[:5] + "g" + KEY[6:], "Character 6 is 'g'"),
        (KEY[:16] + " " + KEY[16:], "Character 17 is a space"),
        (KEY + "\n" + KEY, "Character 33 is a line break"),
        (KEY[:3] + "\u200b" + KEY[3:], "Character 4 is the invisible character U+200B"),
    ],
)
def test_rejects_with_a_specific_reason(pasted: str, reason: str) -> None:
    with pytest.raises(KeyFormatError) as caught:
        ApiKey.parse(pasted)
    assert reason in caught.value.reason


def test_repr_and_str_show_only_the_hint() -> None:
    key = ApiKey.parse(KEY)
    for text in (repr(key), str(key), f"{key}", f"{key!r}", str([key]), key.masked):
        assert KEY not in text
        assert KEY[:28] not in text
        assert "9f0e" in text


def test_equality_is_by_value_and_keys_are_not_hashable() -> None:
    assert ApiKey.parse(KEY) == ApiKey.parse(KEY.upper())
    assert ApiKey.parse(KEY) != ApiKey.parse("0" * 32)
    with pytest.raises(TypeError):
        hash(ApiKey.parse(KEY))


def test_cannot_be_pickled() -> None:
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(ApiKey.parse(KEY))
