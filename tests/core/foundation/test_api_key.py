"""The key value type: what it accepts, how it says no, and that it never shows itself."""

import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zinc_desktop.core.foundation.api_key import KEY_RUN, ApiKey, KeyRunMasker, mask_key_runs
from zinc_desktop.core.foundation.errors import KeyFormatError

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
        f"\ufeff{KEY}\n",  # a file saved with a byte-order mark, piped in
        f"\u00ef\u00bb\u00bf{KEY}",  # the same, read by a Latin-1 terminal
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


# --- the one key matcher: keys in disguise -------------------------------------------------


from zinc_desktop.core.foundation.api_key import KeyMatcher, key_windows  # noqa: E402

hex_keys = st.text(alphabet="0123456789abcdef", min_size=32, max_size=32)
separators = st.sampled_from(["", "-", ".", " ", ":", "_", "\u200b", "\u00ad", " - ", ".."])


@given(
    key=hex_keys,
    gaps=st.lists(separators, min_size=31, max_size=31),
    before=st.text(max_size=20),
    after=st.text(max_size=20),
    upper=st.booleans(),
)
def test_a_linked_key_is_found_in_any_separator_form(
    key: str, gaps: list[str], before: str, after: str, upper: bool
) -> None:
    disguised = "".join(c + g for c, g in zip(key, [*gaps, ""], strict=True))
    text = before + (disguised.upper() if upper else disguised) + after
    matcher = KeyMatcher({key[-4:]}, lambda hint: [ApiKey(key)])
    assert matcher.holds_a_key(text)
    assert matcher.may_hold_a_key(text)


@given(key=hex_keys, other=hex_keys)
def test_a_uuid_that_is_no_linked_key_passes_and_reads_only_keys_ending_like_it(
    key: str, other: str
) -> None:
    uuid = f"{other[:8]}-{other[8:12]}-{other[12:16]}-{other[16:20]}-{other[20:]}"
    asked: list[str] = []

    def keys_ending_in(hint: str) -> list[ApiKey]:
        asked.append(hint)
        return [ApiKey(key)]

    matcher = KeyMatcher({key[-4:]}, keys_ending_in)
    assert matcher.holds_a_key(uuid) is (other == key)
    assert asked == ([key[-4:]] if other[-4:] == key[-4:] else [])


def test_plain_runs_are_refused_by_shape_and_short_ones_pass() -> None:
    matcher = KeyMatcher(set(), lambda hint: [])
    assert matcher.holds_a_key("chk-" + KEY)  # a key in a row: its shape says enough
    assert not matcher.holds_a_key("chk-s-18f3a2b4c5d-c1a2b3c")
    assert not matcher.holds_a_key("1b4e28ba-2fa1-11d2-883f-0016d3cca427")  # ends like no key
    assert list(key_windows("1b4e28ba-2fa1-11d2-883f-0016d3cca427")) == [
        "1b4e28ba2fa111d2883f0016d3cca427"
    ]
    assert len(list(key_windows("a" * 34))) == 3


@settings(max_examples=300, deadline=None)
@given(
    text=st.lists(
        st.one_of(
            st.text(alphabet="0123456789abcdefABCDEF", min_size=0, max_size=80),
            st.text(alphabet=" -.:x/\n", min_size=1, max_size=3),
        ),
        max_size=8,
    ).map("".join),
    cut=st.integers(0, 400),
)
def test_one_masker_for_text_and_bytes(text: str, cut: int) -> None:
    """The same rule in text, in bytes, and in bytes fed in two chunks split anywhere."""
    masked = mask_key_runs(text)
    assert mask_key_runs(text.encode()) == masked.encode()
    masker = KeyRunMasker()
    data = text.encode()
    fed = masker.feed(data[:cut]) + masker.feed(data[cut:]) + masker.finish()
    assert fed == masked.encode()
    assert KEY_RUN.search(masked) is None
