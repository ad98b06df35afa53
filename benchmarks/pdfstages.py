"""In-process CPU per PDF of each step of reading a plain text PDF (issue 19).

For each PDF in the given folders (default: the PDFs of the shapes corpus), the CPU milliseconds
(``time.process_time``, best of R per file) of the steps ``read_document`` takes on a file that
PDFium reads: the plain check (``pdfplain.plain_contents``), PDFium's document and page loading
(``FPDF_LoadPage``: content parsing, fonts, each glyph's box), the text page (``FPDFText_LoadPage``),
the page's characters (``_page_text``, ``_plain_page``, ``_chars``: two calls through ctypes per
character), the fonts' tops (``_shifts``: pdfminer's tops for PDFium's), the lines
(``pdflines.page_lines``), the paragraphs (``pages_to_located``), and the whole ``read_document``
(the steps, dropped characters and the rest).

    .venv/bin/python benchmarks/pdfstages.py [--repeat 5] [--blank-cjk-face] [PATH ...]

``--blank-cjk-face`` measures an option that is NOT what the reader does: PDFium given a font
mapper (``FPDF_SetSystemFontInfo``) that answers CJK charsets with a TrueType face without outlines
(built with fontTools), instead of no system fonts at all (its built-in Type 1 substitute, whose
glyphs it interprets for every CJK character's box, which ``CPDF_CIDFont`` does not cache above
code 255). It prints PDFium's page and text-page loading both ways, alternating, and how many
pages and characters are read otherwise (PDFium takes half-width characters' widths from the face).
"""

from __future__ import annotations

import argparse
import ctypes
import io
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from inprocess import report_files

DEFAULT = ("benchmarks/.corpus/shapes",)
STEPS = (
    "plain check",
    "PDFium pages",
    "text pages",
    "characters",
    "tops (fonts)",
    "lines",
    "paragraphs",
    "read_document",
)
_CJK_CHARSETS = (128, 129, 134, 136)  # FXFONT_SHIFTJIS, HANGEUL, GB2312, CHINESEBIG5


def steps(path: str) -> dict[str, float]:
    """CPU seconds of each step of reading ``path`` once (a file PDFium reads whole)."""
    from auditor.readers import pdfium_pages as pdfium
    from auditor.readers.dispatch import read_document
    from auditor.readers.paragraphs import pages_to_located
    from auditor.readers.pdflines import page_lines
    from auditor.readers.pdfplain import plain_contents

    clock = time.process_time
    spent: dict[str, float] = defaultdict(float)
    data = Path(path).read_bytes()
    raw = pdfium._library()
    t = clock()
    contents = plain_contents(data)
    spent["plain check"] += clock() - t
    if contents is None:
        raise SystemExit(f"{path}: not a plain PDF (pdfplumber reads it)")
    t = clock()
    document = raw.FPDF_LoadMemDocument64(data, len(data), None)
    spent["PDFium pages"] += clock() - t
    pages = []
    for index, plain_page in enumerate(contents):
        t = clock()
        page = raw.FPDF_LoadPage(document, index)
        spent["PDFium pages"] += clock() - t
        t = clock()
        text_page = raw.FPDFText_LoadPage(page)
        spent["text pages"] += clock() - t
        t = clock()
        plain = pdfium._plain_page(raw, page)
        text = pdfium._page_text(raw, text_page)
        spent["characters"] += clock() - t
        t = clock()
        shifts = pdfium._shifts(raw, plain, plain_page.descents) if plain else None
        spent["tops (fonts)"] += clock() - t
        t = clock()
        mapped = plain_page.mapped
        chars = (
            pdfium._chars(raw, text_page, text, plain.height, mapped=mapped, shifts=shifts)
            if plain and text and shifts
            else None
        )
        spent["characters"] += clock() - t
        raw.FPDFText_ClosePage(text_page)
        raw.FPDF_ClosePage(page)
        t = clock()
        pages.append(page_lines(chars or []))
        spent["lines"] += clock() - t
    raw.FPDF_CloseDocument(document)
    t = clock()
    pages_to_located(pages)
    spent["paragraphs"] += clock() - t
    t = clock()
    read_document(path)
    spent["read_document"] += clock() - t
    return spent


def blank_face() -> bytes:
    """A TrueType font of one empty glyph and no character map."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef"])
    builder.setupCharacterMap({})
    builder.setupGlyf({".notdef": TTGlyphPen(None).glyph()})
    builder.setupHorizontalMetrics({".notdef": (1000, 0)})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": "Blank", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    out = io.BytesIO()
    builder.save(out)
    return out.getvalue()


def font_mapper(raw: Any, face: bytes) -> tuple[Any, list[Any]]:
    """An ``FPDF_SYSFONTINFO`` that maps CJK charsets to ``face`` and nothing else (and the
    callbacks, which must outlive it)."""
    info = raw.FPDF_SYSFONTINFO()
    info.version = 1
    kinds = dict(raw.FPDF_SYSFONTINFO._fields_)
    kept: list[Any] = []

    def font_data(_: Any, __: Any, table: int, buffer: Any, size: int) -> int:
        if table:
            return 0
        if buffer and size >= len(face):
            ctypes.memmove(buffer, face, len(face))
        return len(face)

    callbacks: dict[str, Callable[..., Any]] = {
        "Release": lambda _: None,
        "EnumFonts": lambda _, __: None,
        "MapFont": lambda _, weight, italic, charset, pitch, name, exact: 1 if charset in _CJK_CHARSETS else None,
        "GetFont": lambda _, __: None,
        "GetFontData": font_data,
        "GetFaceName": lambda _, __, ___, ____: 0,
        "GetFontCharset": lambda _, __: 134,
        "DeleteFont": lambda _, __: None,
    }
    for name, function in callbacks.items():
        kept.append(kinds[name](function))
        setattr(info, name, kept[-1])
    return info, kept


def compare_faces(files: list[str], repeat: int) -> None:
    """PDFium's page and text-page loading with no system fonts and with a blank CJK face."""
    from auditor.readers import pdfium_pages as pdfium

    raw = pdfium._library()
    data = [Path(f).read_bytes() for f in files]
    info, _kept = font_mapper(raw, blank_face())
    unmoved = pdfium._Shifts({}, False, {})  # the loose boxes as PDFium gives them

    def load_all() -> tuple[float, list[Any]]:
        boxes: list[Any] = []
        spent = 0.0
        for one in data:
            document = raw.FPDF_LoadMemDocument64(one, len(one), None)
            for index in range(raw.FPDF_GetPageCount(document)):
                t = time.process_time()
                page = raw.FPDF_LoadPage(document, index)
                text_page = raw.FPDFText_LoadPage(page)
                spent += time.process_time() - t
                text = pdfium._page_text(raw, text_page)
                boxes.append(pdfium._chars(raw, text_page, text or "", 0.0, mapped=False, shifts=unmoved))
                raw.FPDFText_ClosePage(text_page)
                raw.FPDF_ClosePage(page)
            raw.FPDF_CloseDocument(document)
        return spent, boxes

    for _ in range(repeat):
        raw.FPDF_SetSystemFontInfo(None)
        plain_spent, plain_boxes = min(load_all() for _ in range(3))
        raw.FPDF_SetSystemFontInfo(ctypes.byref(info))
        blank_spent, blank_boxes = min(load_all() for _ in range(3))
        pairs = list(zip(plain_boxes, blank_boxes, strict=True))
        pages = sum(one != other for one, other in pairs)
        same_length = [(one, other) for one, other in pairs if one and other and len(one) == len(other)]
        boxes = sum(a != b for one, other in same_length for a, b in zip(one, other, strict=True))
        print(
            f"PDFium page + text page, ms per PDF: no system fonts {plain_spent / len(files) * 1000:.2f}, "
            f"blank CJK face {blank_spent / len(files) * 1000:.2f}; pages read otherwise {pages} of {len(pairs)}, "
            f"characters with another box {boxes} (on pages of as many characters)"
        )
    raw.FPDF_SetSystemFontInfo(None)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--blank-cjk-face", action="store_true", help="also measure PDFium with a blank CJK face")
    ap.add_argument("paths", nargs="*", default=list(DEFAULT))
    args = ap.parse_args()

    import auditor

    files = [f for f in report_files(args.paths) if f.endswith(".pdf")]
    print(f"package: {Path(auditor.__file__).parent}; {len(files)} PDFs, best of {args.repeat} per file")
    best: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(lambda: float("inf")))
    for f in files:
        steps(f)  # warm: imports, PDFium, regex compilation
    for _ in range(args.repeat):
        for f in files:
            for step, spent in steps(f).items():
                best[f][step] = min(best[f][step], spent)
    for step in STEPS:
        print(f"{step:>14}: {sum(best[f][step] for f in files) / len(files) * 1000:6.2f} ms per PDF")
    if args.blank_cjk_face:
        compare_faces(files, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
