"""Fonts whose characters PDFium always maps to Unicode, but for codes 1–31 of a standard font.

PDFium gives a character whose font has no Unicode value for its code that code as its text and
flags it (``FPDFText_HasUnicodeMapError``); :mod:`pdfium_pages` leaves a page with such a character
to pdfplumber. Asking for every character costs a call through ctypes each (≈ 0.15 µs, ≈ 5 % of a
PDF's reading); for a page whose fonts are all of the two kinds below, only a character whose text
is U+0001–U+001F can be flagged, so only those need asking:

* the fonts reportlab writes for Chinese text: a ``Type0`` font over the predefined CMap
  ``UniGB-UCS2-H`` (character codes are UCS-2), without ``/ToUnicode``, whose one descendant is a
  ``CIDFontType0`` of the Adobe-GB1 collection with no embedded font program — PDFium maps every
  code but 0 (which it leaves out of the text);
* a standard, non-symbolic Type 1 font (Helvetica, Times, Courier and their styles), not embedded,
  in ``WinAnsiEncoding`` without differences or ``/ToUnicode`` — PDFium maps every code but 1–31,
  as it does for the standard font it draws a font name missing from the page's resources with.

Anything else (another CMap or encoding, an embedded program, a ``/ToUnicode`` map, a key not
listed here) is not vouched for, and every character of its page is asked about as before.
``tests/readers/test_pdf_fonts.py`` checks these claims on PDFium for every code.
"""

from __future__ import annotations

from typing import Any

from pdfminer.pdftypes import resolve1

_STANDARD = frozenset(
    f"{family}{style}"
    for family, styles in (
        ("Helvetica", ("", "-Bold", "-Oblique", "-BoldOblique")),
        ("Times", ("-Roman", "-Bold", "-Italic", "-BoldItalic")),
        ("Courier", ("", "-Bold", "-Oblique", "-BoldOblique")),
    )
    for style in styles
)
_SIMPLE_KEYS = frozenset({"Type", "Subtype", "BaseFont", "Encoding", "Name"})
_TYPE0_KEYS = frozenset({"Type", "Subtype", "BaseFont", "Encoding", "DescendantFonts", "Name"})
_CID_KEYS = frozenset({"Type", "Subtype", "BaseFont", "CIDSystemInfo", "FontDescriptor", "DW", "W", "Name"})
_PROGRAMS = frozenset({"FontFile", "FontFile2", "FontFile3"})


def mapped_font(font: Any) -> bool:
    """Whether PDFium maps every code of ``font`` (pdfminer's resolved font dictionary) to Unicode,
    but codes 1–31 of a standard font."""
    if not isinstance(font, dict):
        return False
    subtype = _name(font.get("Subtype"))
    if subtype == "Type1":
        return (
            font.keys() <= _SIMPLE_KEYS
            and _name(font.get("BaseFont")) in _STANDARD
            and _name(font.get("Encoding")) == "WinAnsiEncoding"
        )
    if subtype != "Type0" or not font.keys() <= _TYPE0_KEYS or _name(font.get("Encoding")) != "UniGB-UCS2-H":
        return False
    descendants = resolve1(font.get("DescendantFonts"))
    if not isinstance(descendants, list) or len(descendants) != 1:
        return False
    cid = resolve1(descendants[0])
    if not isinstance(cid, dict) or not cid.keys() <= _CID_KEYS or _name(cid.get("Subtype")) != "CIDFontType0":
        return False
    system = resolve1(cid.get("CIDSystemInfo"))
    descriptor = resolve1(cid.get("FontDescriptor"))
    return (
        isinstance(system, dict)
        and resolve1(system.get("Registry")) == b"Adobe"
        and resolve1(system.get("Ordering")) == b"GB1"
        and (descriptor is None or (isinstance(descriptor, dict) and not descriptor.keys() & _PROGRAMS))
    )


def _name(value: Any) -> str | None:
    name = getattr(resolve1(value), "name", None)
    return name if isinstance(name, str) else None


def pdfminer_descent(font: Any) -> float:
    """The descent pdfminer gives ``font`` (pdfminer's resolved font dictionary), in em (≤ 0): its
    descriptor's ``/Descent`` (the standard 14 fonts: their metrics'), 0 when there is none, as
    pdfminer reads it. pdfminer puts a character's top ``1 + descent`` em above its baseline;
    PDFium's loose box puts it at the font's ascent, which it may take from elsewhere (from the
    glyphs when the descriptor says 0, as LibreOffice writes): :mod:`pdfium_pages` moves its tops
    to pdfminer's by this."""
    from pdfminer.fontmetrics import FONT_METRICS

    if not isinstance(font, dict):
        return 0.0
    if _name(font.get("Subtype")) == "Type0":
        descendants = resolve1(font.get("DescendantFonts"))
        font = resolve1(descendants[0]) if isinstance(descendants, list) and descendants else {}
        if not isinstance(font, dict):
            return 0.0
    name = _name(font.get("BaseFont"))
    if _name(font.get("Subtype")) not in ("CIDFontType0", "CIDFontType2") and name in FONT_METRICS:
        descriptor: Any = FONT_METRICS[name][0]
    else:
        descriptor = resolve1(font.get("FontDescriptor"))
    value = resolve1(descriptor.get("Descent", 0)) if isinstance(descriptor, dict) else 0
    descent = float(value) if isinstance(value, int | float) else 0.0
    return -abs(descent) / 1000
