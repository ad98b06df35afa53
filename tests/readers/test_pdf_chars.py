"""readers/pdfchars.py builds pdfplumber's character objects itself: they must equal pdfplumber's own,
key for key and in order, on every page (plain text, ruled tables, a moved media box, colours)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.readers.pdfchars import fast_chars

from .builders import CJK_FONT, Seed, _register_font, build_pdf

ALPHABET = "法治政府建设年度报告第一责任人２０２３年%（）“”，。、 abcXYZ019"


def _objects_both_ways(path: Path) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    pairs = []
    with pdfplumber.open(str(path)) as generic, pdfplumber.open(str(path)) as fast:
        assert len(generic.pages) == len(fast.pages)
        for a, b in zip(generic.pages, fast.pages, strict=True):
            pairs.append((a.objects, fast_chars(b).objects))
            assert a.extract_text_lines(strip=True) == b.extract_text_lines(strip=True)
    return pairs


def _assert_same(path: Path) -> int:
    chars = 0
    for generic, fast in _objects_both_ways(path):
        assert list(generic) == list(fast)
        for kind in generic:
            assert len(generic[kind]) == len(fast[kind])
            for x, y in zip(generic[kind], fast[kind], strict=True):
                assert list(x.items()) == list(y.items())  # the same keys in the same order, equal values
        chars += len(fast.get("char", []))
    return chars


def test_seed_pdfs_give_the_same_objects(built: dict[str, dict[str, Path]]) -> None:
    assert sum(_assert_same(files["pdf"]) for files in built.values()) > 10_000


def _table_pdf(path: Path, cells: list[list[str]], *, offset: float = 0.0) -> None:
    """A ruled statistics table between two paragraphs, coloured text, optionally a shifted media box."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    _register_font()
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setFont(CJK_FONT, 11)
    pdf.drawString(72, 780, "三、收到和处理政府信息公开申请情况")
    y = 750.0
    for row in cells:
        x = 72.0
        for cell in row:
            pdf.rect(x, y - 4, 90, 18)
            pdf.setFillColorRGB(0.2, 0.1, 0.6)
            pdf.drawString(x + 3, y, cell)
            pdf.setFillColorRGB(0, 0, 0)
            x += 90
        y -= 18
    pdf.drawString(72, y - 30, "四、政府信息公开行政复议、行政诉讼情况")
    pdf.showPage()
    pdf.save()
    if offset:  # a media box that does not start at (0, 0): pdfplumber shifts every x
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter(clone_from=PdfReader(str(path)))
        writer.pages[0].mediabox.lower_left = (offset, offset)
        writer.write(str(path))


@pytest.mark.parametrize("offset", [0.0, 36.0])
def test_ruled_table_gives_the_same_objects(tmp_path: Path, offset: float) -> None:
    path = tmp_path / "table.pdf"
    rows = [["申请人情况", "自然人", "法人", "总计"], ["本年新收", "30", "2", "32"], ["予以公开", "12", "1", "13"]]
    _table_pdf(path, rows, offset=offset)
    with pdfplumber.open(str(path)) as pdf:
        assert pdf.pages[0].mediabox[0] == offset
        assert len(pdf.pages[0].find_tables()) == 1
    assert _assert_same(path) > 20


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    paras=st.lists(
        st.text(alphabet=st.sampled_from(ALPHABET), min_size=1, max_size=90),
        min_size=1,
        max_size=6,
    )
)
def test_any_text_gives_the_same_objects(tmp_path: Path, paras: list[str]) -> None:
    path = tmp_path / "any.pdf"
    build_pdf(paras, path)
    _assert_same(path)


def test_the_reader_uses_it(
    built: dict[str, dict[str, Path]], seeds: list[Seed], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading a PDF with pdfplumber goes through the fast characters (an unpatched page would pass
    the tests above). The seed PDFs are plain, so PDFium reads all their pages: it is switched off."""
    from auditor.readers import pdfchars, read_document

    calls = []
    original = pdfchars.char_object

    def spy(page: Any, obj: Any) -> dict[str, Any]:
        calls.append(1)
        return original(page, obj)

    monkeypatch.setattr(pdfchars, "char_object", spy)
    monkeypatch.setattr("auditor.readers.pdf_reader._with_pdfium", lambda source: None)
    read_document(str(built[seeds[0].name]["pdf"]))
    assert len(calls) > 1000
