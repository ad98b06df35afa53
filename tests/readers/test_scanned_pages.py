"""A PDF whose middle pages are scans (no text layer): what is on them cannot be read, so no rule
may say it is missing. Before, the pages were dropped without a word and the report was charged
with gaps for what stood on them. A last page without text (the sign-off and seal, scanned) or a
cover loses nothing the rules look for, so it changes no verdict.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.pipeline import Options, audit_source, load_for
from auditor.readers.dispatch import read_document
from auditor.readers.paragraphs import LayoutLine
from auditor.readers.pdf_reader import unread_pages
from auditor.result import Report
from tests.readers.builders import build_image_only_pdf, build_pdf, paragraphs, seed_paths, seed_text


def _pdf(tmp_path: Path, scans_at: str) -> tuple[Path, tuple[int, ...]]:
    """Seed 001 as a PDF, with two scanned (drawing-only) pages in the middle or at the end;
    the pages expected to be unread."""
    from pypdf import PdfReader, PdfWriter

    paras = paragraphs(seed_text(seed_paths()[1]))
    half = len(paras) // 2
    first, second, scan = tmp_path / "a.pdf", tmp_path / "b.pdf", tmp_path / "scan.pdf"
    n_first = build_pdf(paras[:half], first)
    build_pdf(paras[half:], second)
    build_image_only_pdf(scan)
    writer = PdfWriter()
    parts = [first, scan, scan, second] if scans_at == "middle" else [first, second, scan, scan]
    for part in parts:
        for page in PdfReader(str(part)).pages:
            writer.add_page(page)
    out = tmp_path / f"report-{scans_at}.pdf"
    with out.open("wb") as f:
        writer.write(f)
    return out, ((n_first + 1, n_first + 2) if scans_at == "middle" else ())


def test_scanned_pages_in_the_middle_make_every_gap_a_review_and_say_which(tmp_path: Path) -> None:
    path, pages = _pdf(tmp_path, "middle")
    assert read_document(str(path)).unread == pages
    report = audit_source(str(path), Options(), load_for(Options()))
    assert isinstance(report, Report)
    statuses = [f.status for f in report.findings]
    assert "gap" not in statuses
    shown = "、".join(str(p) for p in pages)
    reviewed = [f.message for f in report.findings if f.status == "needs_review"]
    assert any(f"报告第{shown}页没有可读的文字" in m for m in reviewed)


def test_a_scanned_last_page_changes_no_verdict(tmp_path: Path) -> None:
    path, _ = _pdf(tmp_path, "end")
    assert read_document(str(path)).unread == ()
    report = audit_source(str(path), Options(), load_for(Options()))
    assert isinstance(report, Report) and "gap" in [f.status for f in report.findings]
    assert not any("没有可读的文字" in f.message for f in report.findings)


def _page(chars: int) -> list[LayoutLine]:
    return [LayoutLine("字" * chars)] if chars else []


@pytest.mark.parametrize(
    "chars,unread",
    [
        ([500, 0, 0, 500], (2, 3)),
        ([500, 5, 500], (2,)),  # a page number alone is no text
        ([0, 500, 500, 0], ()),  # a cover and a seal page
        ([500, 500], ()),
        ([500, 0], ()),
        ([0, 0, 500], ()),
    ],
)
def test_unread_pages_are_those_between_pages_with_text(chars: list[int], unread: tuple[int, ...]) -> None:
    assert unread_pages([_page(n) for n in chars]) == unread
