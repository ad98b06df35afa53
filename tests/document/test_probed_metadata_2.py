"""Metadata of report shapes probed in a second round (法治政府建设年度报告 as units publish them).

Each case is a title or a date a real report states in a way the first round did not see: a
department's summary titled together with next year's plan, a title broken after its issuer's
关于 (a PDF's two centred lines, a page's two <p>)."""

from __future__ import annotations

import pytest

from auditor.document import understand

BODY = (
    "2023年，我们坚持以习近平法治思想为指导，统筹推进法治政府建设。现将有关情况报告如下：\n"
    "一、主要举措和成效\n"
    "（一）规范行政决策。公布重大行政决策事项目录3项，全部经过公众参与、专家论证、风险评估和集体讨论决定。\n"
    "二、存在的不足和原因\n"
    "一是法治人才短缺，合法性审查力量薄弱；二是行政执法数字化水平有待提升。\n"
    "三、下一步工作打算\n"
    "2024年，重点加强法治人才队伍建设，推进数字法治政府建设。\n"
)


@pytest.mark.parametrize(
    "title,unit,level",
    [
        ("南城县交通运输局2023年度法治政府建设工作总结及2024年工作计划", "南城县交通运输局", "department"),
        ("清河镇2023年法治政府建设工作总结和2024年工作打算", "清河镇", "township"),
        ("东湖区司法局2023年度法治政府建设情况暨2024年工作思路", "东湖区司法局", "department"),
    ],
)
def test_a_summary_titled_with_next_years_plan_is_the_title(title: str, unit: str, level: str) -> None:
    meta = understand(f"{title}\n\n{BODY}").metadata
    assert meta.title == title
    assert meta.year == 2023  # the summary's year, not the plan's
    assert meta.unit == unit and meta.level == level


@pytest.mark.parametrize(
    "first,second",
    [
        ("松山区人民政府关于", "2023年度法治政府建设情况的报告"),
        ("中共红旗镇委员会　红旗镇人民政府关于", "2023年度法治政府建设工作情况的报告"),
    ],
)
def test_a_title_broken_after_its_issuers_about_is_one_title(first: str, second: str) -> None:
    meta = understand(f"{first}\n{second}\n\n{BODY}").metadata
    assert meta.title is not None and meta.title.endswith(second)
    assert meta.title.startswith(first.split("　")[-1]) or meta.title.startswith(first)
    assert meta.unit is not None and meta.unit.endswith("人民政府")
    assert meta.unit in first


def test_a_line_ending_in_about_that_is_no_body_joins_nothing() -> None:
    meta = understand(f"经研究，现将有关情况报告如下。根据上级关于\n2023年度法治政府建设情况的报告\n\n{BODY}").metadata
    assert meta.title is None or "根据" not in meta.title
