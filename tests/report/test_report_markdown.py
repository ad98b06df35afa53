"""markdown: a gap report safe to paste into a ticket."""

from __future__ import annotations

import re
from typing import Any

from auditor.report import Format, render


def _md(result: dict[str, Any]) -> str:
    text = render(result, Format.markdown)
    assert isinstance(text, str)
    return text


def _table_rows(text: str) -> list[list[str]]:
    rows = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line]
    return [re.split(r"(?<!\\)\|", row.strip())[1:-1] for row in rows]


def test_headings_scores_and_gap_rows(result: dict[str, Any]) -> None:
    text = _md(result)
    for unit in ("张渚镇人民政府", "宜兴市人民政府", "丁蜀镇人民政府"):
        assert f"## {unit}" in text
    assert "得分：71.3 · 等级：合格" in text
    assert "无法审核" in text and "PDF 文件已加密" in text
    rows = [r for r in _table_rows(text) if "状态" not in r[0]]
    listed = [f for r in result["reports"] for f in r["findings"] if f["status"] in ("gap", "needs_review")]
    assert len(rows) == len(listed)
    assert all(len(r) == 6 for r in _table_rows(text))  # pipes in report text are escaped
    assert "整改建议" in text and "依据" in text
    assert "第23行" in text  # near-miss quote with its line number


def test_html_and_markup_are_escaped(result: dict[str, Any]) -> None:
    text = _md(result)
    assert "<script" not in text and "<img" not in text
    assert "&lt;script&gt;" in text
    assert r"异常字符 \| \[bold red\]x\[/\]" in text
    assert "\x1b" not in text and "\x0c" not in text
