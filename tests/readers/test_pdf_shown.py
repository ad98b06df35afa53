"""The strings a content stream shows (readers/pdfshown.py): which character a text object
holds when PDFium drops it."""

from __future__ import annotations

import pytest

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
