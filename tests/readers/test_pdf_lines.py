"""The PDFium path (readers/pdfium_pages.py, pdflines.py, pdfplain.py) against pdfplumber, which it
replaces for plain pages: the same lines from the same characters, the same lines from the same
files, and every page or file it must not read left to pdfplumber."""

from __future__ import annotations

import json
import math
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pdfplumber.utils.text import chars_to_textmap

from auditor.errors import ReadError
from auditor.readers import read_document
from auditor.readers.paragraphs import LayoutLine
from auditor.readers.pdfchars import fast_chars
from auditor.readers.pdfium_pages import pdfium_pages
from auditor.readers.pdflines import Char, _runs, char_lines, page_lines
from auditor.readers.pdfplain import MAX_CONTENT_BYTES, plain_contents
from auditor.readers.pdftables import page_tables, with_tables
from tests.hostile.builders import pdf_bytes

from .builders import CJK_FONT, _register_font, _wrap, build_pdf

# the generated texts avoid "·", which pdfminer loses in STSong-Light (PDFium keeps it)
ALPHABET = "法治政府建设年度报告第一责任人２０２３年%（）“”，。、 abcXYZ019"


# ------------------------------------------------------------------------------ lines from characters


def _plumber_lines(chars: list[Char]) -> list[tuple[str, float, float]]:
    if not chars:
        return []
    objects = [
        {"text": c.text, "x0": c.x0, "x1": c.x1, "top": c.top, "bottom": c.top + 10, "doctop": c.top, "upright": True}
        for c in chars
    ]
    textmap = chars_to_textmap(objects, layout_bbox=(0, 0, 600, 800))
    return [
        (line["text"], line["x0"], line["x1"]) for line in textmap.extract_text_lines(strip=True, return_chars=False)
    ]


_positions = st.one_of(st.integers(0, 300).map(float), st.floats(0, 300, allow_nan=False))
_chars = st.builds(
    Char,
    st.sampled_from([*"法治府a1 。ﬁ", "\u3000"]),
    _positions,
    st.sampled_from([0.0, 2.5, 6.0, 12.0]),
    st.sampled_from([10.0, 12.5, 13.0, 14.0, 16.1, 30.0]),
).map(lambda c: c._replace(x1=c.x0 + c.x1))


@settings(max_examples=400, deadline=None)
@given(st.lists(_chars, max_size=40))
def test_page_lines_equal_pdfplumbers_text_lines(chars: list[Char]) -> None:
    assert [(line.text, line.x0, line.x1) for line in page_lines(chars)] == _plumber_lines(chars)


_unbounded = st.sampled_from([-math.inf, 0.0, 2.5, 10.0, 12.5, math.inf])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.builds(Char, st.sampled_from([*"法a1 "]), _unbounded, _unbounded, _unbounded), max_size=12))
def test_page_lines_equal_pdfplumbers_with_infinite_coordinates(chars: list[Char]) -> None:
    """A damaged file's positions: a first line of tops at minus infinity, infinite ends."""
    chars = [c._replace(x1=c.x0 + c.x1) for c in chars]
    assert [(line.text, line.x0, line.x1) for line in page_lines(chars)] == _plumber_lines(chars)


def test_page_lines_by_hand() -> None:
    chars = [Char("乙", 23, 35, 50.5), Char("甲", 10, 22, 50), Char("丙", 60, 72, 52), Char("丁", 10, 22, 70)]
    assert page_lines(chars) == [LayoutLine("甲乙 丙", 10, 72), LayoutLine("丁", 10, 22)]
    assert page_lines([Char(" ", 0, 3, 10), Char("ﬁ", 3, 9, 10)]) == [LayoutLine("fi", 3, 9)]
    assert page_lines([]) == []


# ------------------------------------------------------------------------------ runs against characters


def _exact(lines: list[LayoutLine]) -> list[tuple[str, str, str, bool]]:
    """Lines with their ends as written (so that -0.0 and 0.0 differ)."""
    return [(line.text, repr(line.x0), repr(line.x1), line.keep) for line in lines]


@st.composite
def _page(draw: st.DrawFn, edges: st.SearchStrategy[float] | None = None) -> list[Char]:
    """Stretches of characters as text objects draw them (one top, each advancing by its width, now and
    then a gap, a step back, a blank, another top), in any order, some sharing a stretch of x."""
    chars: list[Char] = []
    for _ in range(draw(st.integers(0, 8))):
        top = draw(st.sampled_from([-0.0, 0.0, 10.0, 11.5, 12.0, 13.5, 14.0, 30.0]))
        x = draw(st.sampled_from([-0.0, 0.0, 5.0, 40.0, 41.0, 100.0]) | st.floats(-10, 200))
        for _ in range(draw(st.integers(1, 12))):
            width = draw(st.sampled_from([0.0, 5.5, 6.0, 12.0]))
            text = draw(st.sampled_from([*"法治府a1。ﬁ", " ", "\u3000"]))
            chars.append(Char(text, x, x + width, top + draw(st.sampled_from([0.0, 0.0, 0.0, 0.5, 4.0]))))
            x += width + draw(st.sampled_from([0.0, 0.0, 0.0, 1e-9, 2.9, 3.0, 3.5, -2.0, -width, -width - 0.5]))
            if edges is not None and draw(st.integers(0, 9)) == 0:
                chars[-1] = chars[-1]._replace(**{draw(st.sampled_from(["x0", "x1", "top"])): draw(edges)})
    return draw(st.permutations(chars)) if draw(st.booleans()) else chars


@settings(max_examples=1500, deadline=None)
@given(_page())
def test_lines_by_runs_equal_lines_by_characters(chars: list[Char]) -> None:
    assert _runs(chars) is not None  # read by runs
    assert _exact(page_lines(chars)) == _exact(char_lines(chars))


@settings(max_examples=500, deadline=None)
@given(_page(st.sampled_from([math.inf, -math.inf, math.nan, 1e308])))
def test_lines_by_runs_equal_lines_by_characters_whatever_the_coordinates(chars: list[Char]) -> None:
    assert _exact(page_lines(chars)) == _exact(char_lines(chars))


def test_lines_by_runs_by_hand() -> None:
    """Two runs of a row with a gap of 3 (one word) and of 3.5 (two), a run that starts where
    another ends on a top 2 lower (one word), a blank run, and runs sharing a stretch of x."""
    one = [Char(ch, 10 + 6 * i, 16 + 6 * i, 50) for i, ch in enumerate("法治")]
    assert page_lines([*one, Char("府", 25, 31, 50)]) == [LayoutLine("法治府", 10, 31)]
    assert page_lines([*one, Char("府", 25.5, 31, 50)]) == [LayoutLine("法治 府", 10, 31)]
    assert page_lines([Char("府", 22, 28, 52), *one]) == [LayoutLine("法治府", 10, 28)]
    assert page_lines([*one, Char(" ", 22, 25, 50), Char("府", 25, 31, 50)]) == [LayoutLine("法治 府", 10, 31)]
    shared = [*one, Char("a", 15, 20, 51), Char("b", 20, 25, 51)]  # "a" starts inside "法"
    assert page_lines(shared) == char_lines(shared) == [LayoutLine("法a治b", 10, 25)]
    assert _runs([Char("ab", 0, 1, 0)]) is None and _runs([Char("a", math.nan, 1, 0)]) is None


def test_pdfs_lines_by_runs_equal_lines_by_characters(
    built: dict[str, dict[str, Path]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every page PDFium reads of the seed PDFs and of generated ones, read both ways."""
    import auditor.readers.pdfium_pages as module

    pages: list[int] = []

    def both(chars: list[Char]) -> list[LayoutLine]:
        lines = page_lines(chars)
        assert _runs(chars) is not None and _exact(lines) == _exact(char_lines(chars))
        pages.append(len(lines))
        return lines

    monkeypatch.setattr(module, "page_lines", both)
    paths = [files["pdf"] for files in built.values()]
    for size, indent in ((9.0, False), (12.0, True), (16.0, False)):
        paths.append(tmp_path / f"generated{size}.pdf")
        build_pdf(
            ["法治政府建设年度报告２０２３年（一）“依法行政”，abc XYZ 019。" * 9] * 6,
            paths[-1],
            font_size=size,
            indent=indent,
        )
    for path in paths:
        data = path.read_bytes()
        contents = plain_contents(data)
        assert contents is not None
        pdfium_pages(data, contents)
    assert len(pages) >= 10 and sum(pages) >= 200


# ------------------------------------------------------------------------------ lines from files


def _plumber_pages(path: Path) -> list[list[LayoutLine]]:
    with pdfplumber.open(str(path)) as pdf:
        return [
            with_tables(page.extract_text_lines(strip=True, return_chars=False), page_tables(page))
            for page in map(fast_chars, pdf.pages)
        ]


def _both_ways(path: Path) -> tuple[list[list[LayoutLine]], list[list[LayoutLine] | None]]:
    data = path.read_bytes()
    contents = plain_contents(data)
    assert contents is not None
    return _plumber_pages(path), pdfium_pages(data, contents)


def _assert_same_lines(old: list[LayoutLine], new: list[LayoutLine]) -> None:
    """The same texts (but for the middle dot, which pdfminer loses in STSong-Light and PDFium
    keeps), the same left ends and nearly the same right ends."""
    assert [line.text.replace("·", "") for line in new] == [line.text for line in old]
    for a, b in zip(old, new, strict=True):
        assert a.x0 is not None and a.x1 is not None and b.x0 is not None and b.x1 is not None
        assert abs(a.x0 - b.x0) < 0.01
        # PDFium takes STSong-Light's half-width glyphs as 503 units wide, not 462; a lost dot is 12 wide
        assert abs(a.x1 - b.x1) < 3 or "·" in b.text


def test_seed_pdfs_give_the_same_lines(built: dict[str, dict[str, Path]]) -> None:
    fast = 0
    for files in built.values():
        old, new = _both_ways(files["pdf"])
        assert len(old) == len(new)
        for a, b in zip(old, new, strict=True):
            if b is not None:
                _assert_same_lines(a, b)
                fast += 1
    assert fast >= 10


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.text(ALPHABET, min_size=1, max_size=160), min_size=1, max_size=12),
    st.sampled_from([9.0, 10.5, 12.0, 16.0]),
    st.booleans(),
)
def test_generated_pdfs_give_the_same_lines(tmp_path: Path, paras: list[str], size: float, indent: bool) -> None:
    path = tmp_path / "generated.pdf"
    build_pdf(paras, path, font_size=size, indent=indent)
    old, new = _both_ways(path)
    assert len(old) == len(new)
    for a, b in zip(old, new, strict=True):
        if b is not None:
            _assert_same_lines(a, b)


def test_reader_takes_the_pdfium_pages_and_reads_the_others_with_pdfplumber(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page of text, a page with a ruled table (its rows found by pdfplumber's table finder on
    PDFium's paths), a page with a one-character line PDFium drops but the content stream tells
    (its character drawn elsewhere on the page), and one whose lone character is nowhere else on
    its page (its width unknown to PDFium)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    _register_font()
    path = tmp_path / "mixed.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for page in range(4):
        pdf.setFont(CJK_FONT, 12)
        for row in range(12):
            pdf.drawString(72, 780 - 20 * row, f"第{page + 1}页第{row + 1}行：法治政府建设年度报告，依法行政。")
        if page == 1:
            for row in range(3):
                for col in range(3):
                    pdf.rect(72 + 90 * col, 400 - 18 * row, 90, 18)
                    pdf.drawString(76 + 90 * col, 405 - 18 * row, f"{row}{col}件")
        if page == 2:
            pdf.drawString(72, 400, "告")
        if page == 3:
            pdf.drawString(72, 400, "甲")
        pdf.showPage()
    pdf.save()
    old, new = _both_ways(path)
    assert new[0] is not None and new[1] is not None and new[2] is not None and new[3] is None
    _assert_same_lines(old[0], new[0])
    _assert_same_lines(old[1], new[1])  # the table's rows too, found on PDFium's paths
    assert "00件 | 01件 | 02件" in [line.text for line in new[1]]
    _assert_same_lines(old[2], new[2])
    assert "告" in [line.text for line in new[2]]
    calls: list[int] = []
    import auditor.readers.pdfium_pages as module

    real = module.pdfium_pages

    def counted(data: bytes, contents: list[bytes]) -> list[list[LayoutLine] | None]:
        calls.append(len(contents))
        return real(data, contents)

    monkeypatch.setattr(module, "pdfium_pages", counted)
    read = read_document(str(path))
    assert calls == [4]
    assert "第3页第12行" in read.text and "告" in read.text and "甲" in read.text and "00件" in read.text
    monkeypatch.setattr("auditor.readers.pdf_reader._with_pdfium", lambda source: None)
    assert read_document(str(path)) == read  # the same text and pages as pdfplumber alone


# ------------------------------------------------------------------------------ pages with drawings

_ROWS = [f"第{n}行 法治政府建设 {n}{n} 件数 {10 + 3 * n} 人次" for n in range(1, 9)]


def _drawn_page(path: Path, draw: Callable[[Any], None], *, text: bool = True) -> None:
    """A page of rows of text and figures, and what ``draw`` draws on the reportlab canvas."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    _register_font()
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setFont(CJK_FONT, 11)
    if text:
        for row, line in enumerate(_ROWS):
            for col, cell in enumerate(line.split()):
                pdf.drawString(80 + 90 * col, 705 - 20 * row, cell)
    draw(pdf)
    pdf.showPage()
    pdf.save()


def _rules(pdf: Any) -> None:  # a running header's rule, underlines, a 版记's lines, a three-line table
    pdf.line(72, 780, 523, 780)
    pdf.rect(80, 702, 60, 0.5, stroke=0, fill=1)
    pdf.setLineWidth(2)
    for y in (720, 700, 560, 100, 98.5):
        pdf.line(72, y, 523, y)


def _margin_rules(pdf: Any) -> None:  # vertical rules only (a margin line, a column divider)
    pdf.line(60, 100, 60, 760)
    pdf.rect(300, 500, 0.6, 250, stroke=0, fill=1)


def _grid(pdf: Any) -> None:  # a ruled table around the rows
    for row in range(9):
        pdf.line(72, 720 - 20 * row, 523, 720 - 20 * row)
    for col in range(6):
        pdf.line(72 + 90 * col, 720, 72 + 90 * col, 560)


def _rule_and_stub(pdf: Any) -> None:  # flat rules and one short vertical stroke: an edge, but no table
    pdf.line(72, 720, 523, 720)
    pdf.line(72, 720, 72, 718)


@pytest.mark.parametrize(
    ("draw", "rows"),
    [(_rules, 0), (_margin_rules, 0), (_rule_and_stub, 0), (_grid, 8)],
    ids=["rules", "margin rules", "rule and stub", "grid"],
)
def test_a_drawn_page_is_read_with_pdfium_as_pdfplumber_reads_it(
    tmp_path: Path, draw: Callable[[Any], None], rows: int
) -> None:
    """Rules across or down make no table (PDFium's lines alone); a short vertical stroke among
    rules is an edge the table finder keeps, and a grid a table: the finder runs on PDFium's paths
    and characters, and finds what it finds on pdfplumber's page."""
    path = tmp_path / "drawn.pdf"
    _drawn_page(path, draw)
    old, new = _both_ways(path)
    assert new[0] is not None
    _assert_same_lines(old[0], new[0])
    tabled = [line.text for line in new[0] if " | " in line.text]
    assert len(tabled) == rows
    expected = "第1行 | 法治政府建设 | 11 | 件数 | 13" if rows else "第1行 法治政府建设 11 件数 13 人次"
    assert expected in [line.text for line in new[0]]


def test_a_page_of_drawings_without_text_is_read_with_pdfium(tmp_path: Path) -> None:
    path = tmp_path / "drawing.pdf"
    _drawn_page(path, _grid, text=False)
    old, new = _both_ways(path)
    assert old == new == [[]]


_xs = st.sampled_from([72.0, 162.0, 252.0, 342.0, 432.0, 523.0])
_ys = st.sampled_from([720.0, 700.0, 680.0, 660.0, 600.0, 560.0])
_skew = st.sampled_from([0.0, 0.0, 0.0, 0.5, 0.85, 0.95, 1.05, 20.0])  # across a rule: none, a hair, a slant
_side = st.sampled_from([0.0, 0.5, 0.95, 1.0, 1.05, 20.0, 90.0, 160.0])
_across = st.builds(lambda x0, x1, y, d: ("line", x0, y, x1, y + d), _xs, _xs, _ys, _skew)
_down = st.builds(lambda x, y0, y1, d: ("line", x, y0, x + d, y1), _xs, _ys, _ys, _skew)
_path = st.one_of(
    _across,
    _down,
    st.builds(lambda x, y, w, h: ("rect", x, y, w, h), _xs, _ys, _side, _side),
    st.builds(lambda x0, x1, y, d: ("curve", x0, y, x1, y + d), _xs, _xs, _ys, _skew),
)
_grid_lines = [("line", 72.0, 720 - 20.0 * row, 523.0, 720 - 20.0 * row) for row in range(9)] + [
    ("line", 72 + 90.0 * col, 720.0, 72 + 90.0 * col, 560.0) for col in range(6)
]
_grid_rules = [("rect", 72.0, 719.75 - 20.0 * row, 451.0, 0.5) for row in range(9)] + [
    ("rect", 71.75 + 90.0 * col, 560.0, 0.5, 160.0) for col in range(6)
]  # each rule a thin filled rectangle, as LibreOffice draws a table
_cells = [("rect", 72 + 90.0 * col, 700 - 20.0 * row, 90.0, 20.0) for row in range(8) for col in range(5)]
_drawings = st.one_of(
    st.lists(_path, max_size=8),
    st.lists(_across, min_size=1, max_size=8),
    st.lists(_down, min_size=1, max_size=8),
    st.lists(_path, max_size=3).map(lambda extra: _grid_lines + extra),
    st.lists(_path, max_size=3).map(lambda extra: _grid_rules + extra),
    st.lists(_path, max_size=3).map(lambda extra: _cells + extra),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_drawings, st.sampled_from([1.0, 0.5, 2.0]), st.booleans())
def test_pdfium_reads_a_drawn_page_as_pdfplumber_does(
    tmp_path: Path, paths: list[tuple[Any, ...]], scale: float, text: bool
) -> None:
    """Whatever is drawn: a page PDFium reads has pdfplumber's lines, ruled tables included."""

    def draw(pdf: Any) -> None:
        pdf.scale(scale, scale)
        for kind, a, b, c, d in paths:
            if kind == "line":
                pdf.line(a / scale, b / scale, c / scale, d / scale)
            elif kind == "rect":
                pdf.rect(a / scale, b / scale, c / scale, d / scale, fill=1)
            else:
                pdf.bezier(a / scale, b / scale, a / scale, d / scale, c / scale, b / scale, c / scale, d / scale)

    path = tmp_path / "drawn.pdf"
    _drawn_page(path, draw, text=text)
    old, new = _both_ways(path)
    if new[0] is not None:
        _assert_same_lines(old[0], new[0])


# ------------------------------------------------------------------------------ fonts of other metrics


def _mixed_fonts(path: Path, size: float, *, zeroed: bool) -> None:
    """A title and lines whose figures are in an embedded TrueType font (reportlab's Vera: ascent
    and descent 1.164 em apart, not 1 as STSong-Light's) among Chinese characters; ``zeroed``: its
    descriptor says ascent 0 and descent 0, as LibreOffice writes (PDFium then takes the ascent
    from the glyphs, pdfminer a descent of 0)."""
    import reportlab
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    _register_font()
    pdfmetrics.registerFont(TTFont("Vera", str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf")))
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for row, (before, figure, after) in enumerate(
        [("民权县人民政府关于", "2022", "年度法治政府建设情况的报告"), ("全年办理行政复议", "15", "件，纠错率")]
    ):
        y = 760 - row * 3 * size
        text = pdf.beginText(60, y)
        for font, piece in ((CJK_FONT, before), ("Vera", figure), (CJK_FONT, after)):
            text.setFont(font, size)
            text.textOut(piece)
        pdf.drawText(text)
    pdf.showPage()
    pdf.save()
    if zeroed:  # the same length, so the cross-reference table still holds
        data = path.read_bytes()
        for key in (b"/Ascent", b"/Descent"):
            start = data.index(key) + len(key) + 1
            end = start + len(data[start:].split(b"/", 1)[0].split(b">", 1)[0].rstrip())
            data = data[:start] + b"0".ljust(end - start) + data[end:]
        path.write_bytes(data)


@pytest.mark.parametrize("zeroed", [False, True])
@pytest.mark.parametrize("size", [12.0, 22.0, 36.0])
def test_characters_of_fonts_of_other_metrics_make_pdfplumbers_lines(tmp_path: Path, size: float, zeroed: bool) -> None:
    """PDFium's loose boxes put a character's top at the font's ascent, pdfminer at 1 em above its
    descent: the tops are moved to pdfminer's. Before, a title's year in LibreOffice's Latin font
    was a line of its own (民权县人民政府关于 年度法治…, then 2022), which pdfplumber reads as one."""
    path = tmp_path / "mixed.pdf"
    _mixed_fonts(path, size, zeroed=zeroed)
    assert (b"/Ascent 0 " in path.read_bytes()) is zeroed
    old, new = _both_ways(path)
    assert new[0] is not None
    _assert_same_lines(old[0], new[0])


@pytest.mark.parametrize("turn", ["rotate 90", "rotate 180", "rotate 10", "mirror", "none"])
def test_text_that_is_not_upright_and_horizontal_is_left_to_pdfplumber(tmp_path: Path, turn: str) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    _register_font()
    path = tmp_path / "turned.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setFont(CJK_FONT, 12)
    pdf.drawString(72, 700, "法治政府建设年度报告")
    pdf.translate(300, 400)
    if turn.startswith("rotate"):
        pdf.rotate(int(turn.split()[1]))
    elif turn == "mirror":
        pdf.scale(1, -1)
    pdf.drawString(0, 0, "旋转的文字")
    pdf.showPage()
    pdf.save()
    old, new = _both_ways(path)
    if turn == "none":
        assert new[0] is not None
        _assert_same_lines(old[0], new[0])
    else:
        assert new == [None]


def test_a_file_with_more_characters_than_pdfplumber_may_lay_out_is_left_to_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import auditor.readers.pdfium_pages as module

    path = tmp_path / "long.pdf"
    build_pdf(["法治政府建设年度报告。" * 30] * 3, path)
    data = path.read_bytes()
    contents = plain_contents(data)
    assert contents is not None and all(page is not None for page in pdfium_pages(data, contents))
    monkeypatch.setattr(module, "MAX_PDF_OBJECTS", 500)
    with pytest.raises(module.PdfiumError):
        pdfium_pages(data, contents)


def test_pdfium_handles_are_closed_after_many_reads(tmp_path: Path) -> None:
    path = tmp_path / "one.pdf"
    build_pdf(["法治政府建设年度报告。" * 3], path)
    data = path.read_bytes()
    contents = plain_contents(data)
    assert contents is not None and len(contents) == 1
    fds = len(list(Path("/proc/self/fd").iterdir()))
    first = pdfium_pages(data, contents)
    for _ in range(1000):
        assert pdfium_pages(data, contents) == first
    assert len(list(Path("/proc/self/fd").iterdir())) <= fds


# ------------------------------------------------------------------------------ what PDFium may not see


def _pdf(content: bytes, *, resources: bytes = b"/Font << /F1 5 0 R >>", extra: list[bytes] | None = None) -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << " + resources + b" >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        *(extra or []),
    ]
    return pdf_bytes(objects)


_TEXT = b"BT /F1 12 Tf 72 720 Td (Hello world, a plain page) Tj ET\n"


def test_a_plain_file_is_let_through() -> None:
    assert len(plain_contents(_pdf(zlib.compress(_TEXT))) or ()) == 1


def _font_file_bomb() -> bytes:
    bomb = zlib.compress(b"\0" * 80_000_000)  # over MAX_STREAM_BYTES once inflated
    return _pdf(
        zlib.compress(_TEXT),
        resources=b"/Font << /F1 6 0 R >>",
        extra=[
            b"<< /Type /Font /Subtype /TrueType /BaseFont /X /FontDescriptor 7 0 R >>",
            b"<< /Type /FontDescriptor /FontFile2 8 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(bomb) + bomb + b"\nendstream",
        ],
    )


_NOT_PLAIN: dict[str, Callable[[], bytes]] = {
    "content over the bound": lambda: _pdf(zlib.compress(_TEXT + b"%" + b" " * MAX_CONTENT_BYTES + b"\n")),
    "inline image": lambda: _pdf(zlib.compress(_TEXT + b"BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI\n")),
    "form xobject": lambda: _pdf(
        zlib.compress(_TEXT),
        resources=b"/XObject << /X1 6 0 R >>",
        extra=[b"<< /Type /XObject /Subtype /Form /BBox [0 0 9 9] /Length 0 >>\nstream\n\nendstream"],
    ),
    "shading": lambda: _pdf(zlib.compress(_TEXT), resources=b"/Shading << /S1 << /ShadingType 2 >> >>"),
    "type 3 font": lambda: _pdf(
        zlib.compress(_TEXT),
        resources=b"/Font << /F1 6 0 R >>",
        extra=[b"<< /Type /Font /Subtype /Type3 /CharProcs << >> /FontMatrix [1 0 0 1 0 0] >>"],
    ),
    "font file bomb": _font_file_bomb,
    "broken xref": lambda: _pdf(zlib.compress(_TEXT)).replace(b"xref\n0 6", b"xref\n0 9"),
    "not a pdf": lambda: b"%PDF-1.4\n garbage %%EOF",
    "actual text": lambda: _pdf(zlib.compress(b"/Span <</ActualText (fi) >> BDC " + _TEXT + b"EMC\n")),
    "marked-content properties": lambda: _pdf(zlib.compress(_TEXT), resources=b"/Properties << /P1 << /MCID 0 >> >>"),
    "string PDFium would cut": lambda: _pdf(zlib.compress(b"BT /F1 1 Tf 10 10 Td (" + b"a" * 40_000 + b") Tj ET")),
}


@pytest.mark.parametrize("why", sorted(_NOT_PLAIN))
def test_files_pdfium_may_not_see(why: str) -> None:
    assert plain_contents(_NOT_PLAIN[why]()) is None


def read_error_of(data: bytes) -> ReadError:
    from auditor.readers.pdf_reader import read_pdf
    from auditor.readers.source import STDIN_PATH, open_source

    with pytest.raises(ReadError) as caught:
        read_pdf(open_source(STDIN_PATH, 10**7, data), 10**7)
    return caught.value


def test_encrypted_file_is_left_to_pdfplumber(tmp_path: Path) -> None:
    path = tmp_path / "secret.pdf"
    build_pdf(["法治政府建设年度报告。"], path, encrypt="pw")
    assert plain_contents(path.read_bytes()) is None


@pytest.mark.parametrize(
    "font",
    [
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Differences [65 /g123 /zzz] >> >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /Foo /Encoding /Identity-H /DescendantFonts [<< /Type /Font"
        b" /Subtype /CIDFontType2 /BaseFont /Foo /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity)"
        b" /Supplement 0 >> /DW 1000 >>] >>",
    ],
)
def test_a_page_with_characters_without_unicode_is_left_to_pdfplumber(font: bytes) -> None:
    """Glyph names without a Unicode value, or CIDs without a ToUnicode map: PDFium would give
    the character codes as text."""
    data = _pdf(zlib.compress(b"BT /F1 12 Tf 72 720 Td <0041> Tj (ABC) Tj ET\n"), extra=[font])
    data = data.replace(b"/Font << /F1 5 0 R >>", b"/Font << /F1 6 0 R >>")
    contents = plain_contents(data)
    assert contents is not None
    assert pdfium_pages(data, contents) == [None]
    plain = _pdf(zlib.compress(b"BT /F1 12 Tf 72 720 Td (ABC) Tj ET\n"))  # the same text in a mapped font
    (page,) = pdfium_pages(plain, plain_contents(plain) or [])
    assert page is not None and [(line.text, line.x0) for line in page] == [("ABC", 72)]
    assert abs((page[0].x1 or 0) - 96.672) < 0.001  # Helvetica's A, B, C: 667 + 667 + 722 units at 12 pt


_UCS2_FONT = (
    b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [<< /Type /Font"
    b" /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1)"
    b" /Supplement 2 >> /DW 1000 >>] >>"
)


@pytest.mark.parametrize("code", [b"0000", b"0002", b"0003"])
def test_a_page_whose_text_pdfium_shortens_is_left_to_pdfplumber(code: bytes) -> None:
    """PDFium's page text leaves out U+0000, U+0002 and U+0003 (NULs pad its end): the characters after
    one would be paired with the boxes of the characters before them."""
    shown = zlib.compress(b"BT /F1 12 Tf 72 720 Td <0041%s004200430044> Tj ET\n" % code)
    data = _pdf(shown, resources=b"/Font << /F1 6 0 R >>", extra=[_UCS2_FONT])
    assert pdfium_pages(data, plain_contents(data) or []) == [None]
    whole = _pdf(
        zlib.compress(b"BT /F1 12 Tf 72 720 Td <0041004200430044> Tj ET\n"),
        resources=b"/Font << /F1 6 0 R >>",
        extra=[_UCS2_FONT],
    )
    (page,) = pdfium_pages(whole, plain_contents(whole) or [])
    assert page is not None and [(line.text, line.x0) for line in page] == [("ABCD", 72)]


def test_page_with_too_many_glyphs_is_left_to_pdfplumber() -> None:
    """Under 1 MB of content but 200,000 glyphs on one page: pdfplumber refuses it as before."""
    data = _pdf(zlib.compress(b"BT /F1 1 Tf 10 10 Td " + (b"(" + b"a" * 8000 + b") Tj ") * 25 + b"ET\n"))
    contents = plain_contents(data)
    assert contents is not None and len(contents) == 1
    assert pdfium_pages(data, contents) == [None]
    assert "过大" in str(read_error_of(data))


def test_a_pdfium_failure_leaves_the_file_to_pdfplumber(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import auditor.readers.pdfium_pages as module

    path = tmp_path / "report.pdf"
    build_pdf(["法治政府建设年度报告。" * 20] * 4, path)
    expected = read_document(str(path))

    def broken(data: bytes, contents: list[bytes]) -> list[list[LayoutLine] | None]:
        raise RuntimeError("PDFium trouble")

    monkeypatch.setattr(module, "pdfium_pages", broken)
    assert read_document(str(path)) == expected


def _lone_characters(path: Path, lines: list[tuple[float, str]], lone: list[tuple[float, float, float, str]]) -> None:
    """A page of ``lines`` (size, text) and one-character text objects ``lone`` (x, y, size, character)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    _register_font()
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for row, (size, text) in enumerate(lines):
        pdf.setFont(CJK_FONT, size)
        pdf.drawString(72, 780 - 20 * row, text)
    for x, y, size, text in lone:
        pdf.setFont(CJK_FONT, size)
        pdf.drawString(x, y, text)
    pdf.showPage()
    pdf.save()


def test_a_dropped_character_drawn_elsewhere_only_in_another_size_leaves_the_page_to_pdfplumber(
    tmp_path: Path,
) -> None:
    path = tmp_path / "sizes.pdf"
    _lone_characters(path, [(9, "法治政府建设年度报告"), (12, "依法行政工作")], [(72, 400, 12, "告")])
    assert _both_ways(path)[1] == [None]
    _lone_characters(path, [(9, "法治政府建设年度报告"), (12, "依法行政工作报告")], [(72, 400, 12, "告")])
    old, new = _both_ways(path)
    assert new[0] is not None
    _assert_same_lines(old[0], new[0])


def test_a_page_of_many_dropped_characters_is_read_in_one_pass(tmp_path: Path) -> None:
    """3,000 one-character objects: each found in the content and measured once per style."""
    path = tmp_path / "lone.pdf"
    lone = [(72 + 14 * (i % 30), 700 - 6 * (i // 30), 12, "法治政府建设告"[i % 7]) for i in range(3000)]
    _lone_characters(path, [(12, "法治政府建设年度报告")], lone)
    old, new = _both_ways(path)
    assert new[0] is not None
    _assert_same_lines(old[0], new[0])


def test_a_pdf_title_wrapped_over_two_centred_lines_is_read_whole(tmp_path: Path) -> None:
    """The title in 22 pt, centred and wrapped as Word and LibreOffice wrap it, above a body in 16 pt:
    the report's title is one paragraph, and the audit finds it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from tests.helpers import ROOT, run_cli

    _register_font()
    width, _ = A4
    path = tmp_path / "title.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setFont(CJK_FONT, 22)
    pdf.drawCentredString(width / 2, 760, "民权县双塔镇人民政府关于2022年度法治政")
    pdf.drawCentredString(width / 2, 730, "府建设情况的报告")
    pdf.setFont(CJK_FONT, 16)
    seed = (ROOT / "fixtures" / "seeds" / "000_3b88b001ffea4908.txt").read_text(encoding="utf-8")
    y = 690.0
    for text in [line.strip() for line in seed.splitlines()[1:] if line.strip()]:  # the body, its title left out
        for line, offset in _wrap(text, width - 180, 32, 16):
            if y < 80:
                pdf.showPage()
                pdf.setFont(CJK_FONT, 16)
                y = 780.0
            pdf.drawString(90 + offset, y, line)
            y -= 24
    pdf.showPage()
    pdf.save()
    paragraphs = read_document(str(path)).text.split("\n")
    assert paragraphs[0] == "民权县双塔镇人民政府关于2022年度法治政府建设情况的报告"
    _, out, _ = run_cli(["check", str(path), "--format", "json"])
    report = json.loads(out)["reports"][0]
    assert report["metadata"]["title"] == paragraphs[0] and report["metadata"]["year"] == 2022


def _outlined(path: Path, *, text: bool = False) -> None:
    """Two pages of paths only, over PDFium's per-page cap (text drawn as outlines, 转曲); with
    ``text``, a line of text on each page as well."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    _register_font()
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for page in range(2):
        if text:  # not the same line on both pages (a running header, dropped)
            pdf.setFont(CJK_FONT, 12)
            pdf.drawString(72, 760, ["法治政府建设年度报告，依法行政。", "严格规范公正文明执法，全面推进。"][page])
        for row in range(24_000):  # ≈ 1.2 MB of path operators a page
            pdf.line(72 + row % 400, 100 + row % 600, 80 + row % 400, 104 + row % 600)
        pdf.showPage()
    pdf.save()


def test_a_pdf_whose_pages_show_no_text_is_refused_without_pdfplumber(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Text drawn as outlines: no page shows text, so no page is interpreted (pdfplumber took
    seconds a page to find no character)."""
    path = tmp_path / "outlined.pdf"
    _outlined(path)
    data = path.read_bytes()
    assert plain_contents(data) is None  # over the cap: not PDFium's

    def interpreted(*args: Any, **kwargs: Any) -> Any:
        pytest.fail("pdfplumber read the file")  # not an Exception: no fallback catches it

    monkeypatch.setattr("auditor.readers.pdf_reader._with_pdfplumber", interpreted)
    monkeypatch.setattr("auditor.readers.pdf_reader._with_pypdf", interpreted)
    assert "没有文字层" in read_error_of(data).message


def test_a_pdf_over_the_cap_that_shows_text_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "drawn.pdf"
    _outlined(path, text=True)
    assert plain_contents(path.read_bytes()) is None
    assert "严格规范公正文明执法" in read_document(str(path)).text  # no shortcut: pdfplumber read it


def _grid_rows(pdf: Any, top: float, rows: list[list[str]]) -> None:
    """A ruled table of ``rows`` from ``top`` down: 20 pt rows, columns at fixed left ends."""
    lefts, right = [72.0, 190.0, 300.0, 360.0, 420.0], 480.0
    pdf.setFont(CJK_FONT, 10)
    for i, row in enumerate(rows):
        for left, cell in zip(lefts, row, strict=True):
            pdf.drawString(left + 3, top - 20 * i - 14, cell)
    for i in range(len(rows) + 1):
        pdf.line(lefts[0], top - 20 * i, right, top - 20 * i)
    for x in [*lefts, right]:
        pdf.line(x, top, x, top - 20 * len(rows))


def test_a_table_row_a_page_break_split_is_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Word lets a table row break across pages: its labels end in the next page's first row. The
    row is one again, read with PDFium and with pdfplumber alike."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    _register_font()
    path = tmp_path / "split.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setFont(CJK_FONT, 12)
    pdf.drawString(72, 780, "三、收到和处理政府信息公开申请情况")
    _grid_rows(pdf, 760, [["一、本年新收", "申请数量", "3", "0", "3"], ["三、", "（一）予以公", "2", "0", "2"]])
    pdf.showPage()
    _grid_rows(pdf, 780, [["本年度办理结果", "开", "", "", ""], ["四、结转下年度", "继续办理", "0", "0", "0"]])
    pdf.showPage()
    pdf.save()
    with_pdfium = read_document(str(path))
    assert "三、本年度办理结果 | （一）予以公开 | 2 | 0 | 2" in with_pdfium.text.split("\n")
    assert "本年度办理结果 | 开" not in with_pdfium.text
    monkeypatch.setattr("auditor.readers.pdf_reader._with_pdfium", lambda source: None)
    assert read_document(str(path)) == with_pdfium
