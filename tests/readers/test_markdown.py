"""Markdown read as Markdown: headings, emphasis, lists and tables become text and lines,
the report gets the verdicts of its plain-text form, and evidence offsets point into the
text that `auditor text` prints."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.readers import read_document
from auditor.readers.markdown_reader import markdown_text
from tests.checklist.conftest import audit_text

from .builders import as_markdown, paragraphs, seed_paths

SEEDS = seed_paths()


def test_headings_emphasis_lists_and_tables() -> None:
    md = (
        "# 某某局关于2023年度法治政府建设情况的报告\n\n"
        "## 二、存在的不足和原因\n\n"
        "**一是**执法力量*不足*，主要原因是编制所限。[详见](http://x.cn)\n\n"
        "1. 普法形式单一\n2. 培训不够系统\n\n"
        "- 甲项\n- 乙项\n\n"
        "| 指标 | 数量 |\n|---|---|\n| 行政复议案件 | 5件 |\n"
    )
    assert markdown_text(md).split("\n") == [
        "某某局关于2023年度法治政府建设情况的报告",
        "二、存在的不足和原因",
        "一是执法力量不足，主要原因是编制所限。详见",
        "1. 普法形式单一",
        "2. 培训不够系统",
        "甲项",
        "乙项",
        "指标 数量",
        "行政复议案件 5件",
        "",
    ]


@pytest.mark.parametrize("seed", SEEDS, ids=[p.name[:3] for p in SEEDS])
def test_marked_up_report_gets_the_plain_verdicts(seed: Path, tmp_path: Path) -> None:
    plain = seed.read_text(encoding="utf-8")
    path = tmp_path / "report.md"
    path.write_text(as_markdown(plain), encoding="utf-8")
    text = read_document(str(path)).text
    assert "##" not in text and "**" not in text
    _, want, want_values = audit_text(plain)
    result, got, got_values = audit_text(text)
    assert got == want
    assert {k: {n: v for n, v in vals.items() if n != "density"} for k, vals in got_values.items()} == {
        k: {n: v for n, v in vals.items() if n != "density"} for k, vals in want_values.items()
    }
    for finding in result.findings:  # offsets point into the extracted text (`auditor text`)
        for ev in finding.evidence:
            assert text[ev.start : ev.end] == ev.text


_CJK_LINE = st.text(
    alphabet=st.sampled_from(list("法治政府建设年度报告一二三是，。、；：（）0123456789%")), min_size=1, max_size=40
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_CJK_LINE, min_size=1, max_size=12))
def test_plain_lines_survive(lines: list[str]) -> None:
    """Text without Markdown marks keeps every non-empty line, in order, unchanged."""
    text = "\n".join(lines)
    assert paragraphs(markdown_text(text)) == paragraphs(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_renders(text: str) -> None:
    out = markdown_text(text)
    assert isinstance(out, str)
    assert "\x00" not in out or "\x00" in text


@pytest.mark.parametrize("hostile", [">" * 5000 + " 法治政府建设", "- " * 5000 + "法治政府建设", "[" * 5000 + "法治"])
def test_hostile_markdown_loses_no_text(hostile: str, tmp_path: Path) -> None:
    path = tmp_path / "hostile.md"
    path.write_text(hostile + "\n全年开展普法活动30余场次。\n", encoding="utf-8")
    text = read_document(str(path)).text
    assert "法治" in text and "全年开展普法活动30余场次。" in text
