"""printable.display_path: a path written into JSON or HTML, every surrogate (a raw byte of a
non-UTF-8 file name, or a lone surrogate) escaped, nothing else changed."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from auditor.printable import display_path

PATHS = st.lists(
    st.one_of(st.characters(), st.integers(0xD800, 0xDFFF).map(chr), st.sampled_from("/报告\n\x1b.txt"))
).map("".join)


def _shown(c: str) -> str:
    code = ord(c)
    if not 0xD800 <= code <= 0xDFFF:
        return c
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


@given(PATHS)
def test_display_path_escapes_exactly_the_surrogates(path: str) -> None:
    shown = display_path(path)
    assert shown == "".join(_shown(c) for c in path)
    shown.encode("utf-8")  # always writable as UTF-8


def test_a_raw_byte_of_a_file_name_is_shown_as_its_hex() -> None:
    raw = b"/tmp/\xb1\xa8\xb8\xe6-2023.txt".decode("utf-8", "surrogateescape")
    assert display_path(raw) == "/tmp/\\xb1\\xa8\\xb8\\xe6-2023.txt"
    assert display_path("/tmp/报告-2023.txt") == "/tmp/报告-2023.txt"
