"""A table's row, as the readers write it (cells between " | "), is never taken for a part's heading: a short
row followed by a longer one looked like a title over its paragraph, and the findings after the table were
filed under a "section" named 收到行政复议申请(件) | 1024 | +12%."""

from __future__ import annotations

from pathlib import Path

from auditor.document import understand
from auditor.readers import read_document
from auditor.readers.tablerows import SEPARATOR

TEXT = """上海市浦东新区人民政府2023年法治政府建设情况报告
2023年,浦东新区深入推进法治政府建设,现将有关情况报告如下。
一、严格规范执法和化解争议
全面落实行政执法公示、执法全过程记录、重大执法决定法制审核制度。行政复议、行政诉讼主要数据如下表:
项目 | 2023年 | 同比
收到行政复议申请(件) | 1024 | +12%
行政诉讼一审案件(件) | 687 | -5%
行政机关负责人出庭应诉率 | 100% | 持平
全区开展"八五"普法活动2100余场次,建成市级法治文化阵地12个,法治宣传覆盖全区各街镇。
二、存在的不足和原因
基层执法力量与超大城市治理需求不匹配,原因是编制不足。
"""


def _titles(text: str) -> list[str]:
    return [s.heading.title for s in understand(text).sections]


def test_a_table_row_is_no_heading() -> None:
    titles = _titles(TEXT)
    assert not [t for t in titles if SEPARATOR in t]
    assert "严格规范执法和化解争议" in titles and "存在的不足和原因" in titles


def test_the_paragraph_after_a_table_stays_in_its_part() -> None:
    doc = understand(TEXT)
    section = doc.section_at(TEXT.index("全区开展"))
    assert section is not None and section.heading.title == "严格规范执法和化解争议"


def test_a_word_table_row_is_no_heading(tmp_path: Path) -> None:
    from docx import Document

    document = Document()
    document.add_paragraph("上海市浦东新区人民政府2023年法治政府建设情况报告")
    document.add_heading("一、严格规范执法和化解争议", level=2)
    document.add_paragraph("全面落实行政执法公示、执法全过程记录、重大执法决定法制审核制度。主要数据如下表：")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate(
        [
            ("项目", "2023年", "同比"),
            ("收到行政复议申请（件）", "1024", "+12%"),
            ("行政诉讼一审案件（件）", "687", "-5%"),
        ]
    ):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("全区开展“八五”普法活动2100余场次，建成市级法治文化阵地12个，法治宣传覆盖全区各街镇。")
    path = tmp_path / "report.docx"
    document.save(str(path))
    extracted = read_document(str(path))
    assert not [t for t in _titles(extracted.text) if SEPARATOR.strip() in t]
