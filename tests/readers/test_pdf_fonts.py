"""The fonts :mod:`auditor.readers.pdffonts` vouches for, checked on PDFium for every code, and the
characters of their pages asked about only where a character can lack a Unicode value."""

from __future__ import annotations

import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.readers.pdfium_pages import _library, pdfium_pages
from auditor.readers.pdfplain import plain_contents
from tests.hostile.builders import pdf_bytes

_UCS2 = (
    b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /Name /F2 /DescendantFonts"
    b" [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe)"
    b" /Ordering (GB1) /Supplement 0 >> /DW 1000 /W [1 [207 270 342] 34 [555]] /FontDescriptor << /Type"
    b" /FontDescriptor /FontName /STSongStd-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0"
    b" /Ascent 752 /Descent -271 /CapHeight 737 /StemV 58 >> >>] >>"
)  # as reportlab writes STSong-Light
_BARE_UCS2 = (
    b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [<< /Type"
    b" /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1)"
    b" /Supplement 2 >> >>] >>"
)
_STANDARD = [
    f"{family}{style}".encode()
    for family, styles in (
        ("Helvetica", ("", "-Bold", "-Oblique", "-BoldOblique")),
        ("Times", ("-Roman", "-Bold", "-Italic", "-BoldItalic")),
        ("Courier", ("", "-Bold", "-Oblique", "-BoldOblique")),
    )
    for style in styles
]


def _simple(base: bytes = b"Helvetica", extra: bytes = b"") -> bytes:
    return b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding /Name /F1%s >>" % (base, extra)


def _pdf(font: bytes, lines: list[bytes], *, name: bytes = b"F1") -> bytes:
    """One page per 32 lines of hex strings shown in ``font`` (resource ``F1``; ``name`` is the one used)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", font]
    kids = []
    for start in range(0, max(len(lines), 1), 32):
        content = b"\n".join(
            b"BT /%s 10 Tf 20 %d Td <%s> Tj ET" % (name, 800 - 24 * row, line)
            for row, line in enumerate(lines[start : start + 32])
        )
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(zlib.compress(content)))
        objects[-1] += zlib.compress(content) + b"\nendstream"
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 2600 842] /Contents %d 0 R"
            b" /Resources << /Font << /F1 3 0 R >> >> >>" % len(objects)
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    return pdf_bytes(objects)


def _flagged(data: bytes) -> tuple[int, list[str]]:
    """The characters PDFium reads and those it flags as without a Unicode value (whose text is their code)."""
    raw = _library()
    document = raw.FPDF_LoadMemDocument64(data, len(data), None)
    seen, flagged = 0, []
    try:
        for index in range(raw.FPDF_GetPageCount(document)):
            page = raw.FPDF_LoadPage(document, index)
            text_page = raw.FPDFText_LoadPage(page)
            count = raw.FPDFText_CountChars(text_page)
            seen += count
            flagged += [
                chr(raw.FPDFText_GetUnicode(text_page, at))
                for at in range(count)
                if raw.FPDFText_HasUnicodeMapError(text_page, at)
            ]
            raw.FPDFText_ClosePage(text_page)
            raw.FPDF_ClosePage(page)
    finally:
        raw.FPDF_CloseDocument(document)
    return seen, flagged


def _hex_lines(codes: list[int], width: int, per_line: int = 128) -> list[bytes]:
    return [
        b"".join(b"%0*x" % (2 * width, code) for code in codes[start : start + per_line])
        for start in range(0, len(codes), per_line)
    ]


def _mapped(data: bytes) -> list[bool]:
    return [page.mapped for page in plain_contents(data) or []]


@pytest.mark.parametrize("font", [_UCS2, _BARE_UCS2])
def test_pdfium_maps_every_code_of_the_vouched_cid_font(font: bytes) -> None:
    data = _pdf(font, _hex_lines(list(range(1, 0x10000)), 2))
    assert set(_mapped(data)) == {True}
    seen, flagged = _flagged(data)
    assert seen > 60_000 and flagged == []


@pytest.mark.parametrize("base", _STANDARD)
def test_pdfium_flags_only_codes_1_to_31_of_a_vouched_standard_font(base: bytes) -> None:
    data = _pdf(_simple(base), _hex_lines(list(range(1, 256)), 1, per_line=64))
    assert _mapped(data) == [True]
    seen, flagged = _flagged(data)
    assert seen >= 250 and flagged and all("\x01" <= ch <= "\x1f" for ch in flagged)


def test_a_font_missing_from_the_resources_is_a_standard_one() -> None:
    data = _pdf(_simple(), _hex_lines(list(range(1, 256)), 1, per_line=64), name=b"F9")
    assert _mapped(data) == [True]
    seen, flagged = _flagged(data)
    assert seen >= 250 and flagged and all("\x01" <= ch <= "\x1f" for ch in flagged)


@pytest.mark.parametrize(
    "font",
    [
        _simple(extra=b" /ToUnicode 4 0 R"),
        _simple(b"Symbol"),
        _simple(b"Arial"),
        _simple(extra=b" /FirstChar 32"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",  # the font's own encoding
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Differences [65 /g1] >> >>",
        b"<< /Type /Font /Subtype /TrueType /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        _UCS2.replace(b"UniGB-UCS2-H", b"Identity-H"),
        _UCS2.replace(b"UniGB-UCS2-H", b"UniJIS-UCS2-H"),
        _UCS2.replace(b"(GB1)", b"(Japan1)"),
        _UCS2.replace(b"CIDFontType0", b"CIDFontType2"),
        _UCS2.replace(b"/StemV 58", b"/StemV 58 /FontFile3 4 0 R"),
        _UCS2.replace(b"/Name /F2", b"/ToUnicode 4 0 R"),
        _UCS2.replace(b"/DW 1000", b"/CIDToGIDMap /Identity"),
    ],
)
def test_other_fonts_are_not_vouched_for(font: bytes) -> None:
    data = _pdf(font, [b"0041"])
    assert _mapped(data) in ([False], [])  # [] : not plain at all (a reference to a missing object)


@pytest.mark.parametrize("code", [b"01", b"02", b"03", b"08", b"09", b"0a", b"0d", b"0e", b"1b", b"1c", b"1f"])
def test_a_character_without_unicode_on_a_vouched_page_leaves_it_to_pdfplumber(code: bytes) -> None:
    """Codes 1–31 of a standard font, white space (asked about as it is read) or not (the page's
    text holds a control character: every character asked about)."""
    data = _pdf(_simple(), [b"41424344" + code + b"45464748"])
    assert _mapped(data) == [True]
    assert pdfium_pages(data, plain_contents(data) or []) == [None]
    whole = _pdf(_simple(), [b"4142434445464748"])
    (page,) = pdfium_pages(whole, plain_contents(whole) or [])
    assert page is not None and [line.text for line in page] == ["ABCDEFGH"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(1, 255), min_size=1, max_size=60),
    st.lists(st.integers(0, 0xFFFF), min_size=1, max_size=60),
)
def test_pages_of_vouched_fonts_read_as_when_every_character_is_asked_about(simple: list[int], wide: list[int]) -> None:
    """Oracle: the same pages with every character asked about (``mapped`` false)."""
    for data in (_pdf(_simple(), _hex_lines(simple, 1, 30)), _pdf(_UCS2, _hex_lines(wide, 2, 30))):
        contents = plain_contents(data)
        assert contents is not None and all(page.mapped for page in contents)
        asked = [page._replace(mapped=False) for page in contents]
        assert pdfium_pages(data, contents) == pdfium_pages(data, asked)
