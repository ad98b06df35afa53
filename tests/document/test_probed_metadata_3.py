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
