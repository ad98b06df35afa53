"""The encoding heuristics' character shares, computed with regexes, equal the per-character definitions."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.readers.encoding import _COMMON, _chinese_share, _plausible_share, common_share


def _is_chinese(ch: str) -> bool:
    code = ord(ch)
    return any(
        lo <= code <= hi
        for lo, hi in (
            (0x4E00, 0x9FFF),
            (0x3400, 0x4DBF),
            (0x3000, 0x303F),
            (0xFF00, 0xFFEF),
            (0x2010, 0x206F),
            (0x20000, 0x2FA1F),
        )
    )


def _non_ascii(text: str) -> list[str]:
    return [ch for ch in text if ord(ch) > 0x7F and not ch.isspace()]


TEXT = st.text(
    st.one_of(st.characters(), st.sampled_from("法治政府的這　，。（）\u2028\u205f\u3000 \t\n¥é")), max_size=60
)


@settings(max_examples=500, deadline=None)
@given(TEXT)
def test_shares_match_their_definitions(text: str) -> None:
    chars = _non_ascii(text)
    assert _chinese_share(text) == (sum(map(_is_chinese, chars)) / len(chars) if chars else 0.0)
    good = sum(1 for ch in text if " " <= ch <= "~" or ch in "\t\r\n" or _is_chinese(ch))
    assert _plausible_share(text) == (good / len(text) if text else 0.0)
    assert common_share(text) == (sum(ch in _COMMON for ch in chars) / len(chars) if chars else 0.0)
