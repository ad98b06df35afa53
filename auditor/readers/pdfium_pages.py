"""The lines of a PDF's pages read with PDFium (C++, through pypdfium2's raw bindings): about ten
times faster than pdfminer's Python interpreter, to the same lines (:mod:`pdflines`).

Only a file that :mod:`pdfplain` let through comes here (its streams decoded under the caps, no
forms, patterns, Type 3 fonts or inline images, a sound cross-reference table), and only its
plain pages are read here: a page with drawings (paths: perhaps a ruled table, whose rows
pdfplumber's table finder gives), a form or shading, text that is not upright or horizontal, a
moved or rotated media box, a character without a Unicode mapping or a text object PDFium drops
and :func:`_with_dropped` cannot be sure of (below) comes back as ``None``, and the reader reads
it with pdfplumber as before.

* **Fonts.** PDFium is told to use no system fonts (``FPDF_SetSystemFontInfo(NULL)``, once per
  process: :func:`_library`): for a
  font the file does not embed, such as reportlab's STSong-Light, it would otherwise load a
  20 MB CJK font for every document and interpret the outline of every glyph (5× the cost of the
  rest). Character positions and widths come from the PDF (``FPDFText_GetLooseCharBox``), not
  from outlines. Without outlines a text object of one CJK character has a width of 0 and
  PDFium leaves it out of the text (the last character of a paragraph, wrapped onto a line of
  its own: 11 of the 109 pages of the benchmark's PDFs). Its character is then the string the
  content stream shows for that object (:mod:`pdfshown`), when every other object's string
  equals PDFium's text of it, and its box that of the same character drawn elsewhere on the
  page in the same style; else the page goes to pdfplumber.
* **One document at a time** per process (PDFium is not thread-safe: a lock), every page, text
  page and document closed in ``finally`` blocks.
"""

from __future__ import annotations

import ctypes
import re
import threading
from collections.abc import Sequence
from functools import cache
from itertools import repeat
from typing import Any, NamedTuple

from auditor.readers.paragraphs import LayoutLine
from auditor.readers.pdflimits import MAX_PAGE_OBJECTS, MAX_PDF_OBJECTS
from auditor.readers.pdflines import Char, Positioned, page_lines
from auditor.readers.pdfplain import PlainPage
from auditor.readers.pdfshown import shown_strings

_LOCK = threading.Lock()
_SAME_WIDTH = 0.01  # points: widths of one character in one style that differ by float rounding only
# a surrogate (of a character beyond the BMP), an undecodable unit, or a NUL: PDFium's text leaves out the
# characters U+0000, U+0002 and U+0003, so the rest no longer stands at their character indices (NULs pad the end)
_UNREADABLE = re.compile("[\x00\ud800-\udfff\ufffd]")
_CONTROL = re.compile("[\x01-\x08\x0e-\x1b]")  # U+0001–U+001F but white space
_MIN_TEXT_WIDTH = 0.5  # PDFium drops a text object narrower than ~0.01 pt; below this pdfplumber reads the page


class PdfiumError(Exception):
    """PDFium could not open the document, disagrees with pdfminer on its pages, or the file has
    more characters than pdfplumber may lay out (which then refuses it)."""


def pdfium_pages(data: bytes, contents: Sequence[PlainPage]) -> list[list[LayoutLine] | None]:
    """The lines of each page (``contents``: each page's decoded content and fonts, from
    :mod:`pdfplain`), ``None`` for a page PDFium should not read."""
    with _LOCK:
        raw = _library()
        document = raw.FPDF_LoadMemDocument64(data, len(data), None)
        if not document:
            raise PdfiumError(f"PDFium error {raw.FPDF_GetLastError()}")
        try:
            if raw.FPDF_GetPageCount(document) != len(contents):
                raise PdfiumError("page count")
            pages = []
            total = 0
            for index, content in enumerate(contents):
                pages.append(_page(raw, document, index, content))
                total += sum(len(line.text) for line in pages[-1] or [])
                if total > MAX_PDF_OBJECTS:
                    raise PdfiumError("characters")
            return pages
        finally:
            raw.FPDF_CloseDocument(document)


@cache
def _library() -> Any:
    """pypdfium2's raw bindings, PDFium initialised and told to use no system fonts, once per
    process: telling it again for each document empties its cache of the built-in fonts it
    substitutes (≈ 0.4 ms a document)."""
    import pypdfium2  # noqa: F401  (initialises the library)
    import pypdfium2.raw as raw

    raw.FPDF_SetSystemFontInfo(None)
    return raw


def _page(raw: Any, document: Any, index: int, content: PlainPage) -> list[LayoutLine] | None:
    page = raw.FPDF_LoadPage(document, index)
    if not page:
        raise PdfiumError(f"page {index + 1}")
    try:
        plain = _plain_page(raw, page)
        if plain is None:
            return None
        shifts = _shifts(raw, plain, content.descents)
        if shifts is None:
            return None
        text_page = raw.FPDFText_LoadPage(page)
        if not text_page:
            raise PdfiumError(f"text of page {index + 1}")
        sizes: list[float] | None = [] if plain.ruled else None
        try:
            page_text = _page_text(raw, text_page)
            chars = (
                None
                if page_text is None
                else _chars(raw, text_page, page_text, plain.height, mapped=content.mapped, shifts=shifts, sizes=sizes)
            )
            if page_text is not None and chars is not None and plain.dropped:
                chars = _with_dropped(
                    raw, text_page, page_text, plain.height, chars, plain.texts, plain.dropped, content.content, shifts
                )
                if sizes is not None:  # the recovered characters come last, in the order of their objects
                    sizes.extend(shifts.sizes[_key(plain.texts[at])] for at in plain.dropped)
        finally:
            raw.FPDFText_ClosePage(text_page)
        if chars is None:
            return None
        if sizes is not None:
            return _ruled_lines(raw, plain, chars, sizes)
        return page_lines(chars)
    finally:
        raw.FPDF_ClosePage(page)


class _Plain(NamedTuple):
    """A page PDFium may read: its size, its text objects and their scales, which of them (positions
    in that list) PDFium drops, its paths, and whether they may make a table (:class:`_Rules`)."""

    width: float
    height: float
    texts: list[Any]
    scales: list[tuple[float, float]]  # each text object's scale across and down (its matrix's a and d)
    dropped: list[int]
    paths: list[Any]
    ruled: bool


def _plain_page(raw: Any, page: Any) -> _Plain | None:
    """The page, if its media box starts at 0, 0, it is not rotated and holds only images, paths
    and upright, horizontal text objects; else ``None``."""
    box = [ctypes.c_float() for _ in range(4)]
    if not raw.FPDFPage_GetMediaBox(page, *map(ctypes.byref, box)) or raw.FPDFPage_GetRotation(page):
        return None
    left, bottom, right, top = (value.value for value in box)
    if left or bottom:
        return None
    matrix = raw.FS_MATRIX()
    matrix_pointer = ctypes.byref(matrix)
    bounds = [ctypes.byref(value) for value in box]
    get_object, get_type = _unconverted(raw.FPDFPage_GetObject), _unconverted(raw.FPDFPageObj_GetType)
    get_matrix, get_bounds = _unconverted(raw.FPDFPageObj_GetMatrix), _unconverted(raw.FPDFPageObj_GetBounds)
    texts: list[Any] = []
    scales: list[tuple[float, float]] = []
    dropped: list[int] = []
    paths: list[Any] = []
    rules = _Rules(raw)
    for number in range(raw.FPDFPage_CountObjects(page)):
        item = get_object(page, number)
        kind = get_type(item)
        if kind == raw.FPDF_PAGEOBJ_IMAGE:
            continue
        if kind == raw.FPDF_PAGEOBJ_PATH:
            rules.add(item)
            paths.append(item)
            continue
        if kind != raw.FPDF_PAGEOBJ_TEXT or not get_matrix(item, matrix_pointer):
            return None
        if matrix.b or matrix.c or matrix.a <= 0 or matrix.d <= 0:
            return None
        if not get_bounds(item, *bounds):
            return None
        if box[2].value - box[0].value < _MIN_TEXT_WIDTH:
            dropped.append(len(texts))
        texts.append(item)
        scales.append((matrix.a, matrix.d))
    return _Plain(float(right), float(top), texts, scales, dropped, paths, bool(texts) and not rules.untabled)


def _ruled_lines(raw: Any, plain: _Plain, chars: list[Positioned], sizes: list[float]) -> list[LayoutLine] | None:
    """The lines of a page whose paths may make a table: pdfplumber's table finder and text map on
    PDFium's paths and characters (:class:`~pdftables.DrawnPage`); ``None`` for a path it cannot
    follow."""
    from auditor.readers.pdftables import DrawnPage, page_tables, shapes, with_tables

    shaped = []
    for item in plain.paths:
        path = _segments(raw, item)
        if path is None:
            return None
        shaped.extend(shapes(path))
    objects = [
        {"text": ch, "x0": x0, "x1": x1, "top": top, "bottom": top + size, "doctop": top, "upright": True}
        for (ch, x0, x1, top), size in zip(chars, sizes, strict=True)
    ]
    drawn = DrawnPage(plain.width, plain.height, shaped, objects)
    tables = page_tables(drawn)
    return with_tables(drawn.text_lines(), tables) if tables else page_lines(chars)


def _segments(raw: Any, item: Any) -> list[tuple[str, float, float, bool]] | None:
    """A path object's segments in page space (:func:`_points`): a move, a line, or a Bézier
    curve's end (its two control points skipped), and whether it closes its subpath; ``None`` if
    PDFium fails one or a curve is not three points."""
    points = _points(raw, item)
    if points is None:
        return None
    kinds = {raw.FPDF_SEGMENT_MOVETO: "m", raw.FPDF_SEGMENT_LINETO: "l", raw.FPDF_SEGMENT_BEZIERTO: "c"}
    path: list[tuple[str, float, float, bool]] = []
    controls = 0  # of the curve being read: two control points, then its end
    for number, x, y, closes in points:
        kind = kinds.get(number)
        if kind is None or (kind != "c" and controls) or (kind == "c" and controls < 2 and closes):
            return None
        if kind == "c" and controls < 2:
            controls += 1
            continue
        controls = 0
        path.append((kind, x, y, closes))
    return None if controls else path


_RULE = 0.9  # points: a path no taller than this gives no vertical edge pdfplumber's table finder keeps (≥ 1)


class _Rules:
    """A page's paths, while none can be part of a table pdfplumber's table finder would find
    (else the page's tables are looked for: :func:`_ruled_lines`).

    The finder (``lines`` strategy) builds cells where vertical and horizontal edges cross, and
    first drops every edge shorter than 1 point (``edge_min_length_prefilter``). The edges of a
    path (pdfminer's line, rectangle or curve: a segment between any two of its points that
    follow one another) are no taller and no wider than the box of all its points, so when every
    path's points lie within :data:`_RULE` of one height (rules under a running header, the
    lines of a 版记, underlines, a three-line table's rules) no vertical edge is left, or when
    every path's lie within it of one abscissa no horizontal edge: no cell, no table, and the
    page's lines are those of its characters alone, as PDFium reads them. The points are those
    of the path's segments (Bézier control points too, which only widen the box) in page
    space (the object's matrix); strokes are not counted, as pdfminer does not count them.

    A page without text needs no such care, whatever its paths: a table found there would have
    empty cells, which are no statistics table (:func:`~tablerows.is_data_table`)."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self.flat = self.thin = True

    @property
    def untabled(self) -> bool:
        """Whether the paths taken in so far make no table."""
        return self.flat or self.thin

    def add(self, item: Any) -> None:
        """Take a path object in (not read once the page's paths might make a table)."""
        if not self.untabled:
            return
        points = _points(self.raw, item)
        if points is None:
            self.flat = self.thin = False
        elif points:
            xs, ys = [x for _, x, _, _ in points], [y for _, _, y, _ in points]
            self.flat = self.flat and max(ys) - min(ys) < _RULE
            self.thin = self.thin and max(xs) - min(xs) < _RULE


def _points(raw: Any, item: Any) -> list[tuple[int, float, float, bool]] | None:
    """A path object's points in page space (its matrix applied): each segment's kind
    (``FPDF_SEGMENT_*``), point and whether it closes its subpath; ``None`` if PDFium fails one."""
    matrix, x, y = raw.FS_MATRIX(), ctypes.c_float(), ctypes.c_float()
    count = raw.FPDFPath_CountSegments(item)
    if count < 0 or not raw.FPDFPageObj_GetMatrix(item, ctypes.byref(matrix)):
        return None
    points = []
    for index in range(count):
        segment = raw.FPDFPath_GetPathSegment(item, index)
        if not segment or not raw.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y)):
            return None
        points.append(
            (
                raw.FPDFPathSegment_GetType(segment),
                matrix.a * x.value + matrix.c * y.value + matrix.e,
                matrix.b * x.value + matrix.d * y.value + matrix.f,
                bool(raw.FPDFPathSegment_GetClose(segment)),
            )
        )
    return points


def _with_dropped(
    raw: Any,
    text_page: Any,
    page_text: str,
    height: float,
    chars: list[Positioned],
    texts: list[Any],
    dropped: list[int],
    content: bytes,
    shifts: _Shifts,
) -> list[Positioned] | None:
    """``chars`` and the character of each dropped text object, or ``None`` unless each is sure.

    The strings the content shows (:mod:`pdfshown`) must be one per text object and, read as
    UTF-16BE (a ``Uni…-UCS2`` CMap such as reportlab's STSong-Light uses), equal to PDFium's text
    of every object it kept (spaces aside); a dropped object's string must be one character in
    a font of those, drawn elsewhere on the page in the same font, size and scale, whose width
    it takes. Its left end is the object's origin and its top the font's ascent above it, as
    PDFium's loose boxes are, moved as theirs are (:func:`_shifts`)."""
    shown = shown_strings(content)
    if shown is None or len(shown) != len(texts):
        return None
    lost = set(dropped)
    fonts = {font for at, (font, _) in enumerate(shown) if at not in lost}
    for at, (_, string) in enumerate(shown):
        text = _utf16(string)
        if at not in lost and (
            text is None or "".join(text.split()) != "".join(_object_text(raw, texts[at], text_page).split())
        ):
            return None
    lone = [_utf16(shown[at][1]) or "" for at in dropped]
    if any(
        len(text) != 1 or text.isspace() or shown[at][0] not in fonts for at, text in zip(dropped, lone, strict=True)
    ):
        return None
    widths = _drawn_widths(raw, text_page, page_text, set(lone))
    recovered: list[Positioned] = list(chars)
    matrix, size, ascent = raw.FS_MATRIX(), ctypes.c_float(), ctypes.c_float()
    for at, text in zip(dropped, lone, strict=True):
        item = texts[at]
        style = _style(raw, item)
        drawn = widths.get((text, style), []) if widths is not None and style is not None else []
        if not drawn or max(drawn) - min(drawn) > _SAME_WIDTH:
            return None  # not drawn elsewhere in this style, or not with one width
        width = drawn[0]
        if not (
            raw.FPDFPageObj_GetMatrix(item, ctypes.byref(matrix))
            and raw.FPDFTextObj_GetFontSize(item, ctypes.byref(size))
            and raw.FPDFFont_GetAscent(raw.FPDFTextObj_GetFont(item), size, ctypes.byref(ascent))
        ):
            return None
        top = height - (matrix.f + ascent.value) + shifts.by_object[_key(item)]
        recovered.append(Char(text, matrix.e, matrix.e + width, top))
    return recovered


def _style(raw: Any, item: Any) -> tuple[int | None, float, float, float] | None:
    """A text object's font, size and horizontal and vertical scale."""
    matrix, size = raw.FS_MATRIX(), ctypes.c_float()
    if not raw.FPDFPageObj_GetMatrix(item, ctypes.byref(matrix)) or not raw.FPDFTextObj_GetFontSize(
        item, ctypes.byref(size)
    ):
        return None
    return ctypes.cast(raw.FPDFTextObj_GetFont(item), ctypes.c_void_p).value, size.value, matrix.a, matrix.d


def _drawn_widths(
    raw: Any, text_page: Any, page_text: str, wanted: set[str]
) -> dict[tuple[str, Any], list[float]] | None:
    """The widths PDFium gives each of the ``wanted`` characters where the page draws it, by the
    style of its text object (one pass over the page's characters)."""
    box = raw.FS_RECTF()
    styles: dict[int | None, Any] = {}
    widths: dict[tuple[str, Any], list[float]] = {}
    for index, ch in enumerate(page_text):
        if ch not in wanted:
            continue
        item = raw.FPDFText_GetTextObject(text_page, index)
        key = ctypes.cast(item, ctypes.c_void_p).value
        if key not in styles:
            styles[key] = _style(raw, item)
        if not raw.FPDFText_GetLooseCharBox(text_page, index, ctypes.byref(box)):
            return None
        widths.setdefault((ch, styles[key]), []).append(box.right - box.left)
    return widths


def _utf16(string: bytes) -> str | None:
    try:
        text = string.decode("utf-16-be")
    except UnicodeDecodeError:
        return None
    return None if any("\ud800" <= ch <= "\udfff" for ch in text) else text


def _object_text(raw: Any, item: Any, text_page: Any) -> str:
    size = raw.FPDFTextObj_GetText(item, text_page, None, 0)
    buffer = (ctypes.c_ushort * (size // 2 + 1))()
    raw.FPDFTextObj_GetText(item, text_page, buffer, size)
    return bytes(buffer).decode("utf-16-le").split("\0", 1)[0]


def _chars(
    raw: Any,
    text_page: Any,
    text: str,
    height: float,
    *,
    mapped: bool,
    shifts: _Shifts,
    sizes: list[float] | None = None,
) -> list[Positioned] | None:
    """The page's characters (``text``: :func:`_page_text`) in PDFium's order, without those it
    generated (spaces, line ends), with their boxes; ``None`` if one has no Unicode mapping.

    PDFium is asked whether a character has one (``FPDFText_HasUnicodeMapError``) for every
    character, or, when the page's fonts are all ``mapped`` (:mod:`pdffonts`: only a character whose
    text is U+0001–U+001F can lack one), for such characters only. The calls per character are made
    without ctypes' conversion of each argument by the binding's types (:func:`_unconverted`: ≈ 0.2 µs
    a call instead of 0.5), the box read from a float array (``FS_RECTF``'s fields in their order:
    left, top, right, bottom). Each top is moved to pdfminer's by ``shifts`` (:func:`_shifts`), found
    by the character's text object, or on a page of one font by the first one's ratio of shift to
    loose box height; ``sizes`` (a ruled page) receives each character's height as pdfminer gives it."""
    generated = _unconverted(raw.FPDFText_IsGenerated)
    unmapped = _unconverted(raw.FPDFText_HasUnicodeMapError)
    loose_box = _unconverted(raw.FPDFText_GetLooseCharBox)
    if (not mapped or _CONTROL.search(text)) and any(map(unmapped, repeat(text_page, len(text)), range(len(text)))):
        return None
    box = (ctypes.c_float * 4)()
    pointer = ctypes.byref(box)
    chars: list[Positioned] = []
    append = chars.append
    by_object = shifts.by_object
    moved = any(by_object.values())
    text_object = _unconverted(raw.FPDFText_GetTextObject, ctypes.c_void_p)
    ratio: float | None = None  # one font: shift / loose height
    for index, ch in enumerate(text):
        if ch.isspace():
            if generated(text_page, index):
                continue
            if ch < " " and unmapped(text_page, index):  # a control character that is white space
                return None
        if not loose_box(text_page, index, pointer):
            return None
        if sizes is not None:  # a ruled page: each character's height too, from its object
            key = text_object(text_page, index) or 0
            if key not in by_object:
                return None
            sizes.append(shifts.sizes[key])
            shift = by_object[key]
            append((ch, box[0], box[2], height - box[1] + shift))
        elif moved:
            if ratio is not None:
                shift = ratio * (box[1] - box[3])
            else:
                found = by_object.get(text_object(text_page, index) or 0)
                if found is None:
                    return None
                shift = found
                if shifts.one_font and box[1] > box[3]:
                    ratio = found / (box[1] - box[3])
            append((ch, box[0], box[2], height - box[1] + shift))
        else:
            append((ch, box[0], box[2], height - box[1]))
    return chars


def _key(item: Any) -> int:
    """A page object's address, as :func:`_unconverted` with ``c_void_p`` gives it."""
    return ctypes.cast(item, ctypes.c_void_p).value or 0


class _Shifts(NamedTuple):
    """How far the characters' tops are moved, by their text object's address; ``one_font``: every
    object is in one font at one scale across and down, so a character's shift is its loose box's
    height times one ratio, learnt from the first character (no call for the others' objects)."""

    by_object: dict[int, float]
    one_font: bool
    sizes: dict[int, float]  # by object: its characters' height as pdfminer gives it (the font size, scaled)


def _shifts(raw: Any, plain: _Plain, descents: dict[str, float | None]) -> _Shifts | None:
    """How far each text object's characters' tops (PDFium's loose boxes: the font's ascent above
    the baseline) are moved to be pdfminer's (``1 + descent`` em above it, :func:`~pdffonts.pdfminer_descent`);
    ``None`` when an object's font is not one of the page's resources by one name (pdfplumber then
    reads the page).

    The two differ by a fraction of a point for reportlab's STSong-Light; LibreOffice writes an
    ascent and descent of 0, and PDFium takes the ascent from the glyphs, a different height for
    each font: a title's year in a Latin font was a line of its own."""
    size, ascent, descent = ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    size_pointer = ctypes.byref(size)
    get_font, get_size = _unconverted(raw.FPDFTextObj_GetFont), _unconverted(raw.FPDFTextObj_GetFontSize)
    names: dict[int, str] = {}
    heights: dict[tuple[int, float], float | None] = {}  # (font, size) → ascent - size × (1 + descent)
    by_object: dict[int, float] = {}
    sizes: dict[int, float] = {}
    proportional = True  # every loose box as tall as its object's size times one ratio of its font
    buffer = ctypes.create_string_buffer(256)
    for item, (across, down) in zip(plain.texts, plain.scales, strict=True):
        font = get_font(item)
        font_key = _key(font)
        if font_key not in names:
            length = raw.FPDFFont_GetBaseFontName(font, buffer, len(buffer)) if font else 0
            names[font_key] = buffer.raw[: max(length - 1, 0)].decode("latin-1") if 0 < length <= len(buffer) else ""
        if not get_size(item, size_pointer):
            return None
        style = (font_key, size.value)
        if style not in heights:
            theirs = descents.get(names[font_key])
            heights[style] = (
                ascent.value - size.value * (1 + theirs)
                if theirs is not None
                and raw.FPDFFont_GetAscent(font, size, ctypes.byref(ascent))
                and raw.FPDFFont_GetDescent(font, size, ctypes.byref(descent))
                else None
            )
            # PDFium boxes a character of a font without a height (or of no size) by its glyph instead
            boxed = size.value and ascent.value != descent.value
            proportional = proportional and bool(boxed)
        above = heights[style]
        if above is None:
            return None
        key = _key(item)
        by_object[key] = down * above
        sizes[key] = down * size.value
        proportional = proportional and across == down
    return _Shifts(by_object, proportional and len(names) == 1, sizes)


def _unconverted(function: Any, result: Any = None) -> Any:
    """A PDFium function of the binding, with its result type, called without its argument types:
    ctypes then passes an ``int`` as a C ``int`` and a pointer (a handle, ``byref``) as it is —
    right for the functions called per character or object here, which take only those. ``result``:
    another result type (``c_void_p``: a handle as an ``int``, its address)."""
    bare = type(function)(ctypes.cast(function, ctypes.c_void_p).value)
    bare.restype = function.restype if result is None else result
    return bare


def _page_text(raw: Any, text_page: Any) -> str | None:
    """The text page's characters (one per character index), ``None`` if one is outside the Basic
    Multilingual Plane or unreadable, the text does not give one character per index (PDFium's
    ``FPDFText_GetText`` leaves out U+0000, U+0002 and U+0003 and pads the end with NULs), or there
    are more than a page may have."""
    count = raw.FPDFText_CountChars(text_page)
    if count < 0 or count > MAX_PAGE_OBJECTS:
        return None
    buffer = (ctypes.c_ushort * (count + 1))()
    raw.FPDFText_GetText(text_page, 0, count, buffer)
    text = bytes(buffer)[: 2 * count].decode("utf-16-le", errors="replace")
    if len(text) != count or _UNREADABLE.search(text):
        return None
    return text
