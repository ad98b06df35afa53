"""Metadata of report shapes probed in a third round (法治政府建设年度报告 as units publish them).

A preface that recalls last year before its own (2022年，我县被确定为…示范创建县。2023年，县政府…) was
read as a report on 2022 when the title names no year, and as contradicting a title that names 2023
(so every year-gated verdict of a clear report went to review)."""

from __future__ import annotations

import pytest

from auditor.document import understand

BODY = (
    "一、主要举措和成效\n"
    "（一）规范行政决策。公布重大行政决策事项目录3项，全部经过公众参与、专家论证、风险评估和集体讨论决定。\n"
    "二、存在的不足和原因\n"
    "一是法治人才短缺，合法性审查力量薄弱；二是行政执法数字化水平有待提升。\n"
    "三、下一步工作打算\n"
    "2024年，县政府将重点加强法治人才队伍建设，推进数字法治政府建设。\n"
    "\n临川县人民政府\n2024年3月25日\n"
)
RECALL = "2022年，我县被确定为全省法治政府建设示范创建县，县政府全年收到行政复议申请31件。"
OWN = "2023年，县政府坚持以习近平法治思想为指导，统筹推进法治政府建设。现将有关情况报告如下：\n"


@pytest.mark.parametrize(
    "title", ["临川县人民政府关于2023年度法治政府建设情况的报告", "临川县人民政府关于法治政府建设情况的报告"]
)
def test_a_preface_recalling_last_year_is_this_years_report(title: str) -> None:
    meta = understand(f"{title}\n\n{RECALL}{OWN}{BODY}").metadata
    assert meta.year == 2023
    assert meta.source("year").sure  # neither contested nor a guess
    assert meta.source("year").conflict is None


def test_a_body_that_only_talks_of_another_year_still_contests_the_title() -> None:
    """A report titled 2023 that opens on 2022 and never turns to 2023 (last year's text kept) is contested."""
    meta = understand(f"临川县人民政府关于2023年度法治政府建设情况的报告\n\n{RECALL}\n{BODY}").metadata
    assert meta.year == 2023
    assert meta.source("year").conflict is not None


# ------------------------------------------------------------ an attachment after the sign-off

OWN_REPORT = f"南湖街道办事处2023年度法治政府建设情况报告\n\n{OWN}{BODY}".replace("临川县人民政府", "南湖街道办事处")
# a Word table read one cell a line: the last lines are a table's cells (one a list, read as prose), the last a month
HEADER = [
    "附件",
    "南湖街道2023年度重大行政决策事项目录",
    "序号",
    "决策事项",
    "承办科室",
    "决策程序履行情况",
    "完成时间",
]
ROWS = [
    ["1", "老旧小区改造实施方案", "城建办", "公众参与、风险评估、合法性审查、集体讨论决定", "2023年6月"],
    ["2", "社区养老服务设施布局", "社会事务办", "公众参与、专家论证、集体讨论决定", "2024年1月"],
]
CELLS = "\n".join([*HEADER, *ROWS[0], *ROWS[1]])


@pytest.mark.parametrize(
    "date_line,signed", [("2024年3月25日", "2024-03-25"), ("二〇二四年三月二十五日", "2024-03-25")]
)
def test_an_attachment_after_the_sign_off_is_not_the_sign_off(date_line: str, signed: str) -> None:
    """A 街道's report with its 重大行政决策 list attached after the sign-off (a Word table, a cell a line):
    the unit was 社区养老服务设施布局 (the table's last item) and the date signed none."""
    text = OWN_REPORT.replace("2024年3月25日", date_line) + "\n" + CELLS + "\n"
    doc = understand(text)
    assert doc.metadata.unit == "南湖街道办事处"
    assert doc.metadata.signed is not None and doc.metadata.signed.isoformat() == signed
    assert "老旧小区改造实施方案" not in doc.text  # the attachment is no report text


def test_an_attachment_note_before_the_sign_off_keeps_the_sign_off() -> None:
    """附件：1.… before the 落款 (the 附件说明 of a 公文) leaves the sign-off and the body as they are."""
    note = "附件：1.2023年度法治政府建设工作台账\n2.2023年度重大行政决策事项目录\n\n"
    text = OWN_REPORT.replace("\n南湖街道办事处\n2024年3月25日", "\n" + note + "南湖街道办事处\n2024年3月25日") + CELLS
    meta = understand(text).metadata
    assert meta.unit == "南湖街道办事处" and meta.signed is not None and meta.signed.isoformat() == "2024-03-25"


def test_a_report_without_attachment_keeps_its_last_lines() -> None:
    doc = understand(OWN_REPORT)
    assert doc.metadata.signed is not None
    assert "推进数字法治政府建设" in doc.text


def test_a_report_attached_to_a_cover_note_stays_the_report() -> None:
    """关于报送2023年度法治政府建设情况的函 / 2024年3月25日 / 附件 / the report: the attachment is the report."""
    cover = (
        "关于报送2023年度法治政府建设情况报告的函\n市依法治市办：\n"
        "现将我街道2023年度法治政府建设情况报告报送你们，请审阅。\n南湖街道办事处\n2024年3月25日\n附件\n"
    )
    doc = understand(cover + OWN_REPORT)
    assert "推进数字法治政府建设" in doc.text and "规范行政决策" in doc.text
