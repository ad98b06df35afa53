"""The fast ASCII85 decoder (readers/ascii85.py) against pdfminer's, which it replaces under
``bounded_pdfminer``: the same bytes, or the same error, for any input."""

from __future__ import annotations

import base64
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pdfminer.ascii85 import ascii85decode as pdfminers

from auditor.readers.ascii85 import ascii85decode
from auditor.readers.pdflimits import bounded_pdfminer


def _outcome(decode: Callable[[bytes], bytes], data: bytes) -> bytes | str:
    try:
        return decode(data)
    except Exception as exc:  # the error must be the same too
        return f"{type(exc).__name__}: {exc}"


@st.composite
def _encoded(draw: st.DrawFn) -> bytes:
    raw = draw(st.binary(max_size=64) | st.sampled_from([b"", b"\0\0\0\0", b"\0" * 9, b"\xff" * 7]))
    text = bytearray(base64.a85encode(raw, adobe=draw(st.booleans())))
    for _ in range(draw(st.integers(0, 4))):  # whitespace, framing leftovers, stray or invalid characters
        text.insert(draw(st.integers(0, len(text))), draw(st.sampled_from(b" \n\r\t\v\f~<>zu!xy\x00\x7f{")))
    return bytes(text)


@settings(max_examples=1000, deadline=None)
@given(_encoded() | st.binary(max_size=40))
def test_equals_pdfminers_decoder(data: bytes) -> None:
    assert _outcome(ascii85decode, data) == _outcome(pdfminers, data)


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=200, max_size=3000), st.integers(0, 5000), st.sampled_from([b"", b's8W-"', b"uuuuu", b"z"]))
def test_long_streams_equal_pdfminers(raw: bytes, at: int, group: bytes) -> None:
    """Hundreds of groups decoded at once, one perhaps over 2**32 - 1 (or a "z") among them."""
    text = base64.a85encode(raw)
    at -= at % 5
    data = text[:at] + group + text[at:]
    assert _outcome(ascii85decode, data) == _outcome(pdfminers, data)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"<~~>",
        b'87cURD]i,"Ebo80~>',
        b"z",
        b"!!!!z",
        b"uuuuu",
        b"s8W-!",
        b's8W-"',
        b"s8W-!" * 3 + b'"',  # the largest group, then a one-character tail
        b"!!!!!" * 50 + b's8W-"' + b"!!!!!" * 50,  # one group over 2**32 - 1 among many
        b"uuuu" + b"!!!!!" * 9,  # a group over it whose slot must not carry into the next group
    ],
)
def test_by_hand(data: bytes) -> None:
    assert _outcome(ascii85decode, data) == _outcome(pdfminers, data)


def test_pdfminer_uses_it_inside_the_bounds() -> None:
    import pdfminer.pdftypes as pdftypes

    with bounded_pdfminer():
        assert vars(pdftypes)["ascii85decode"] is ascii85decode
    assert vars(pdftypes)["ascii85decode"] is pdfminers
