"""The lines of a PDF's pages read with PDFium (C++, through pypdfium2's raw bindings): about ten
times faster than pdfminer's Python interpreter, to the same lines (:mod:`pdflines`).

Only a file that :mod:`pdfplain` let through comes here (its streams decoded under the caps, no
forms, patterns, Type 3 fonts or inline images, a sound cross-reference table), and only its
plain pages are read here: a page with drawings (paths: perhaps a ruled table, whose rows
pdfplumber's table finder gives), a form or shading, text that is not upright or horizontal, a
moved or rotated media box, a character without a Unicode mapping or a text object PDFium would
drop (below) comes back as ``None``, and the reader reads it with pdfplumber as before.

* **Fonts.** PDFium is told to use no system fonts (``FPDF_SetSystemFontInfo(NULL)``): for a
  font the file does not embed, such as reportlab's STSong-Light, it would otherwise load a
  20 MB CJK font for every document and interpret the outline of every glyph (5× the cost of the
  rest). Character positions and widths come from the PDF (``FPDFText_GetLooseCharBox``), not
  from outlines. Without outlines a text object of one CJK character has a width of 0 and
  PDFium leaves it out of the text; such a page goes to pdfplumber.
* **One document at a time** per process (PDFium is not thread-safe: a lock), every page, text
  page and document closed in ``finally`` blocks.
"""

from __future__ import annotations

import ctypes
import threading
from typing import Any

from auditor.readers.paragraphs import LayoutLine
from auditor.readers.pdflimits import MAX_PAGE_OBJECTS, MAX_PDF_OBJECTS
from auditor.readers.pdflines import Char, page_lines

_LOCK = threading.Lock()
_MIN_TEXT_WIDTH = 0.5  # PDFium drops a text object narrower than ~0.01 pt; below this pdfplumber reads the page


class PdfiumError(Exception):
    """PDFium could not open the document, disagrees with pdfminer on its pages, or the file has
    more characters than pdfplumber may lay out (which then refuses it)."""


def pdfium_pages(data: bytes, count: int) -> list[list[LayoutLine] | None]:
    """The lines of each of the ``count`` pages, ``None`` for a page PDFium should not read."""
    import pypdfium2  # noqa: F401  (initialises the library)
    import pypdfium2.raw as raw

    with _LOCK:
        raw.FPDF_SetSystemFontInfo(None)
        document = raw.FPDF_LoadMemDocument64(data, len(data), None)
        if not document:
            raise PdfiumError(f"PDFium error {raw.FPDF_GetLastError()}")
        try:
            if raw.FPDF_GetPageCount(document) != count:
                raise PdfiumError("page count")
            pages = []
            total = 0
            for index in range(count):
                pages.append(_page(raw, document, index))
                total += sum(len(line.text) for line in pages[-1] or [])
                if total > MAX_PDF_OBJECTS:
                    raise PdfiumError("characters")
            return pages
        finally:
            raw.FPDF_CloseDocument(document)


def _page(raw: Any, document: Any, index: int) -> list[LayoutLine] | None:
    page = raw.FPDF_LoadPage(document, index)
    if not page:
        raise PdfiumError(f"page {index + 1}")
    try:
        height = _plain_height(raw, page)
        if height is None:
            return None
        text_page = raw.FPDFText_LoadPage(page)
        if not text_page:
            raise PdfiumError(f"text of page {index + 1}")
        try:
            chars = _chars(raw, text_page, height)
        finally:
            raw.FPDFText_ClosePage(text_page)
        return None if chars is None else page_lines(chars)
    finally:
        raw.FPDF_ClosePage(page)


def _plain_height(raw: Any, page: Any) -> float | None:
    """The page's height if its media box starts at 0, 0, it is not rotated and holds only images
    and upright, horizontal text objects that PDFium keeps; else ``None``."""
    box = [ctypes.c_float() for _ in range(4)]
    if not raw.FPDFPage_GetMediaBox(page, *map(ctypes.byref, box)) or raw.FPDFPage_GetRotation(page):
        return None
    left, bottom, _, top = (value.value for value in box)
    if left or bottom:
        return None
    matrix = raw.FS_MATRIX()
    for number in range(raw.FPDFPage_CountObjects(page)):
        item = raw.FPDFPage_GetObject(page, number)
        kind = raw.FPDFPageObj_GetType(item)
        if kind == raw.FPDF_PAGEOBJ_IMAGE:
            continue
        if kind != raw.FPDF_PAGEOBJ_TEXT or not raw.FPDFPageObj_GetMatrix(item, ctypes.byref(matrix)):
            return None
        if matrix.b or matrix.c or matrix.a <= 0 or matrix.d <= 0:
            return None
        if (
            not raw.FPDFPageObj_GetBounds(item, *map(ctypes.byref, box))
            or box[2].value - box[0].value < _MIN_TEXT_WIDTH
        ):
            return None
    return float(top)


def _chars(raw: Any, text_page: Any, height: float) -> list[Char] | None:
    """The page's characters in PDFium's order, without those it generated (spaces, line ends);
    ``None`` if one has no Unicode mapping, is outside the Basic Multilingual Plane, or there are
    more than a page may have."""
    count = raw.FPDFText_CountChars(text_page)
    if count < 0 or count > MAX_PAGE_OBJECTS:
        return None
    buffer = (ctypes.c_ushort * (count + 1))()
    raw.FPDFText_GetText(text_page, 0, count, buffer)
    text = bytes(buffer)[: 2 * count].decode("utf-16-le", errors="replace")
    if len(text) != count or any("\ud800" <= ch <= "\udfff" or ch == "\ufffd" for ch in text):
        return None
    chars: list[Char] = []
    box = raw.FS_RECTF()
    pointer = ctypes.byref(box)
    for index, ch in enumerate(text):
        if ch.isspace() and raw.FPDFText_IsGenerated(text_page, index):
            continue
        if raw.FPDFText_HasUnicodeMapError(text_page, index) or not raw.FPDFText_GetLooseCharBox(
            text_page, index, pointer
        ):
            return None
        chars.append(Char(ch, box.left, box.right, height - box.top))
    return chars
