"""Evidence is located in the author's own file (issue 17.5): the seeds built as .docx, .pdf,
Markdown and a web page with headings carry the paragraph / table cell / page / source line /
heading the generator put the text in, checked against the generator's own placement."""

from __future__ import annotations

import difflib
import html
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from auditor.loader import load_bundled
from auditor.pipeline import Options, audit_source, tool_info
from auditor.readers import read_document
from auditor.report import Format, render
from auditor.report.htmlpage import render_scorecards
from auditor.result import Batch, Report
from tests.readers import builders

SEEDS = builders.seed_paths()
IDS = [p.name[:3] for p in SEEDS]
TABLE = (3, 7)  # build_docx puts paragraphs 3..6 into a 2-column table


@cache
def _checklists() -> tuple[Any, ...]:
    return tuple(load_bundled())


def _audit(path: Path) -> Report:
    report = audit_source(str(path), Options(), _checklists())
    assert isinstance(report, Report), report
    return report


def _quotes(report: Report) -> list[Any]:
    """Every evidence and near miss of the report."""
    out: list[Any] = [e for f in report.findings for e in f.evidence]
    return out + [f.near_miss for f in report.findings if f.near_miss is not None]


def _first_line(text: str) -> str:
    return builders.squash(next((line for line in text.split("\n") if line.strip()), ""))


@pytest.mark.parametrize("seed", SEEDS, ids=IDS)
def test_docx_evidence_carries_the_paragraph_or_table_cell(seed: Path, tmp_path: Path) -> None:
    paras = builders.paragraphs(builders.seed_text(seed))
    out = tmp_path / f"{seed.stem}.docx"
    builders.build_docx(paras, out, table=TABLE)
    start, end = TABLE
    body = [*paras[:start], *paras[end:]]  # Word's body paragraphs, in order (python-docx adds no other)
    quotes = _quotes(_audit(out))
    assert quotes
    seen = set()
    for quote in quotes:
        loc = quote.location
        assert loc is not None, quote
        where = _first_line(quote.text)
        if loc.paragraph is not None:
            assert where in builders.squash(body[loc.paragraph - 1]), (loc, quote.text)
            seen.add("paragraph")
        else:
            assert loc.table == 1 and loc.row is not None and loc.column is not None, loc
            cell = paras[start + 2 * (loc.row - 1) + (loc.column - 1)]
            assert where in builders.squash(cell), (loc, quote.text)
            seen.add("table")
    assert "paragraph" in seen


def _page_of(placed: list[tuple[int, str]], squashed_offset: int) -> int:
    """The page holding the ``squashed_offset``-th non-space character of the body, by the generator."""
    count = 0
    for page, line in placed:
        count += len(builders.squash(line))
        if squashed_offset < count:
            return page
    raise AssertionError("offset beyond the drawn text")


@pytest.mark.parametrize("seed", SEEDS, ids=IDS)
def test_pdf_evidence_carries_the_page(seed: Path, tmp_path: Path) -> None:
    paras = builders.paragraphs(builders.encodable(builders.seed_text(seed), "gb18030"))
    out = tmp_path / f"{seed.stem}.pdf"
    placed: list[tuple[int, str]] = []
    pages = builders.build_pdf(paras, out, placed=placed)
    assert pages >= 2
    text = read_document(str(out)).text
    # the extracted text is the drawn body text (running head and page numbers dropped), but for
    # a glyph the font cannot give back (·): offsets are carried over through the matching blocks
    drawn = builders.squash("".join(line for _, line in placed))
    blocks = difflib.SequenceMatcher(None, builders.squash(text), drawn, autojunk=False).get_matching_blocks()
    assert sum(b.size for b in blocks) >= len(drawn) - 5
    quotes = _quotes(_audit(out))
    assert quotes
    pages_seen = set()
    for quote in quotes:
        at = len(builders.squash(text[: quote.start]))
        block = next((b for b in blocks if b.a <= at < b.a + b.size), None)
        if block is None:
            continue  # at the dropped glyph
        expected = _page_of(placed, block.b + at - block.a)
        assert quote.location is not None and quote.location.to_dict() == {"page": expected}, quote
        pages_seen.add(expected)
    assert len(pages_seen) >= 2  # not one page for everything


@pytest.mark.parametrize("seed", SEEDS[:2], ids=IDS[:2])
def test_markdown_evidence_carries_the_source_line(seed: Path, tmp_path: Path) -> None:
    out = tmp_path / f"{seed.stem}.md"
    source = builders.as_markdown(builders.seed_text(seed))
    out.write_text(source, encoding="utf-8")
    lines = source.split("\n")
    for quote in _quotes(_audit(out)):
        assert quote.location is not None and quote.location.line is not None, quote
        written = builders.squash(lines[quote.location.line - 1].replace("**", "").lstrip("#"))
        assert _first_line(quote.text) in written, (quote.location, quote.text)


_HEADING = re.compile(r"^([一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)])")


@pytest.mark.parametrize("seed", SEEDS[:3], ids=IDS[:3])
def test_web_page_evidence_carries_the_nearest_heading(seed: Path, tmp_path: Path) -> None:
    paras = builders.paragraphs(builders.seed_text(seed))
    headed = [bool(_HEADING.match(p)) and len(p) <= 60 for p in paras]
    body = "\n".join(
        f"<h2>{html.escape(p)}</h2>" if h else f"<p>{html.escape(p)}</p>" for p, h in zip(paras, headed, strict=True)
    )
    out = tmp_path / f"{seed.stem}.html"
    page = f"<html><head><title>{builders.HTML_TITLE}</title></head><body><div id='zoom'>{body}</div></body></html>"
    out.write_text(page, encoding="utf-8")
    assert any(headed)
    nearest: dict[str, str | None] = {}
    current: str | None = None
    for p, h in zip(paras, headed, strict=True):
        current = p if h else current
        nearest.setdefault(builders.squash(p), current)
    checked = 0
    for quote in _quotes(_audit(out)):
        owner = next((k for k in nearest if _first_line(quote.text) in k), None)
        if owner is None or sum(_first_line(quote.text) in k for k in nearest) > 1:
            continue  # a quote found in several paragraphs: no single expected heading
        expected = nearest[owner]
        got = quote.location.heading if quote.location is not None else None
        assert got == expected, (quote.text, got, expected)
        checked += 1
    assert checked


def test_human_outputs_show_the_place_in_the_authors_file(tmp_path: Path) -> None:
    seed = SEEDS[0]
    paras = builders.paragraphs(builders.seed_text(seed))
    out = tmp_path / f"{seed.stem}.docx"
    builders.build_docx(paras, out, table=TABLE)
    result = Batch(tool_info(), [_audit(out)])
    scorecard = render_scorecards(result, result.reports, index_href=None)
    for fmt, rendered in (
        (Format.text, render(result, Format.text)),
        (Format.markdown, render(result, Format.markdown)),
        (Format.html, scorecard),
    ):
        assert isinstance(rendered, str)
        assert re.search(r"第\d+段", rendered), fmt
        assert not re.search(r"证据第\d+行", rendered), fmt  # not the extracted text's line


def test_ofd_evidence_carries_pages(tmp_path: Path) -> None:
    seed = SEEDS[1]
    out = tmp_path / f"{seed.stem}.ofd"
    pages = builders.build_ofd(builders.paragraphs(builders.seed_text(seed)), out)
    assert pages >= 2
    found = {q.location.page for q in _quotes(_audit(out)) if q.location is not None}
    assert all(q.location is not None for q in _quotes(_audit(out)))
    assert len(found) >= 2 and found <= set(range(1, pages + 1))
