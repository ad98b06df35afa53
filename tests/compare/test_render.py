"""The text, Markdown and HTML views of a comparison: hostile report text stays text."""

from __future__ import annotations

from auditor.compare.comparison import compare
from auditor.compare.model import Comparison
from auditor.compare.render import render_html, render_markdown, render_text
from auditor.document import understand

LAST = (
    "某镇2022年法治政府建设情况报告\n一、主要举措\n办理案件3件。\n二、2023年工作安排\n"
    "一是建设<script>alert(1)</script>普法平台|开通微信公众号，推送普法内容。\n"
)
THIS = "某镇2023年法治政府建设情况报告\n一、主要举措\n全年办理行政复议案件4件，负责人出庭应诉率100%。\n"


def _comparison() -> Comparison:
    return compare(understand(LAST), understand(THIS), {"source": "a.txt"}, {"source": "b.txt"}, None)


def test_html_escapes_report_text_and_markdown_keeps_its_table() -> None:
    c = _comparison()
    page = render_html(c)
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    md = render_markdown(c)
    row = next(line for line in md.splitlines() if "普法平台" in line)
    assert row.count(" | ") == 4  # the | in the report text is escaped, the row keeps five cells
    assert "未提及" in render_text(c)
