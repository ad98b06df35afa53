"""The strings a content stream shows (readers/pdfshown.py): which character a text object
holds when PDFium drops it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auditor.readers.pdfshown import shown_strings


def test_every_text_showing_operator_in_order_with_its_font() -> None:
    content = b"""q 1 0 0 1 0 0 cm BT /F1 12 Tf 14.4 TL (a\\(b\\)c\\\\) Tj
        /F2 9 Tf [(x) -250 <0041 42> 3.5 (\\101\\n)] TJ T* (\\
next) ' 1 2 (quote) " % a comment (not shown) Tj
        /F3 10 Tf <4> Tj ET Q"""
    assert shown_strings(content) == [
        ("F1", b"a(b)c\\"),
        ("F2", b"x\x00ABA\n"),
        ("F2", b"next"),
        ("F2", b"quote"),
        ("F3", b"@"),
    ]


def test_a_page_without_text_shows_nothing() -> None:
    assert shown_strings(b"") == []
    assert shown_strings(b"0 0 m 10 10 l S /Im1 Do") == []


@pytest.mark.parametrize(
    "content",
    [
        b"BT /F1 12 Tf (nested (parentheses)) Tj ET",  # a literal string this tokenizer does not split
        b"BT /F1 12 Tf (unterminated Tj ET",
        b"BT /F1 12 Tf [(a) Tj] ET",  # an operator inside an array
        b"BT /F1 12 Tf (a)] Tj ET",  # an unbalanced array
        b"{ 1 2 } BT ET",  # a PostScript procedure
        b"BT /F1 12 Tf /Name Tj ET",  # a show operator without a string
    ],
)
def test_anything_unknown_gives_none(content: bytes) -> None:
    assert shown_strings(content) is None


def _literal(data: bytes) -> bytes:
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


@st.composite
def _shows(draw: st.DrawFn) -> tuple[bytes, list[tuple[str | None, bytes]]]:
    """A content stream of text-showing operators (literal or hex strings, TJ arrays with kerning
    between pieces, fonts changed now and then) and what it shows."""
    parts, expected, font = [b"q BT"], [], None
    for data in draw(st.lists(st.binary(max_size=12), max_size=8)):
        if draw(st.booleans()):
            font = draw(st.sampled_from(["F1", "F2", "T1_0"]))
            parts.append(f"/{font} {draw(st.integers(1, 30))} Tf".encode())
        cut = draw(st.integers(0, len(data)))
        pieces = [data[:cut], data[cut:]]
        encoded = [_literal(p) if draw(st.booleans()) else b"<" + p.hex().encode() + b">" for p in pieces]
        operator = draw(st.sampled_from(["Tj", "'", "TJ"]))
        if operator == "TJ":
            parts.append(b"[" + encoded[0] + b" -120.5 " + encoded[1] + b"] TJ")
        else:
            parts.append(_literal(data) + b" " + operator.encode())
        expected.append((font, data))
    parts.append(b"ET Q")
    return b"\n".join(parts), expected


@given(_shows())
def test_generated_content_gives_back_what_it_shows(case: tuple[bytes, list[tuple[str | None, bytes]]]) -> None:
    content, expected = case
    assert shown_strings(content) == expected
