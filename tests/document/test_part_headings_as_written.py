"""Part headings as real authors write them (sections.py): the shortcomings part named 工作中的不足
or 需要改进的方面, the leader's part named 主要负责人履职情况, and reports divided into
第一部分 … whose parts are numbered 一、二、 inside. A part not recognised is read as measures,
so its problems went uncounted (STR-02A/B gaps) and its plans counted as the year's work."""

from __future__ import annotations

import pytest

from auditor.document import understand
from auditor.document.sections import role_of_title


@pytest.mark.parametrize(
    "title,role",
    [
        ("工作中的不足", "shortcomings"),
        ("工作中的差距", "shortcomings"),
        ("差距和不足", "shortcomings"),  # the gap first: 三、差距和不足 was read as measures (STR-02A/B gaps)
        ("差距与不足", "shortcomings"),
        ("存在的差距", "shortcomings"),
        ("不足与差距", "shortcomings"),
        ("工作中的差距和不足", "shortcomings"),
        ("查找差距和不足", None),  # a measure: looking for gaps
        ("几点不足", "shortcomings"),
        ("需要改进的方面", "shortcomings"),
        ("有待加强的地方", "shortcomings"),
        ("区政府主要负责人履职情况", "first_responsible"),
        ("着力解决群众关心的问题", None),  # a measure that solves problems
        ("加强执法队伍建设", None),
        ("全面提升依法行政水平", None),
    ],
)
def test_part_titles_as_written(title: str, role: str | None) -> None:
    assert role_of_title(title, 2023, top_level=True) == role


PARTS = """长兴县人民政府关于2022年度法治政府建设情况的报告
2022年,我县深入推进法治政府建设,现将有关情况报告如下。
第一部分 2022年度推进法治政府建设的主要举措和成效
一、依法全面履行政府职能
深化放管服改革,全年办理行政许可事项12000件,群众满意率99%。
二、推进严格规范公正文明执法
全面落实行政执法三项制度,重大执法决定法制审核56件。
第二部分 存在的不足和原因
一、基层法治力量不足
乡镇司法所人员偏少,主要原因是机构改革后编制未同步增加。
二、执法规范化水平有待提高
个别执法人员程序意识不强,原因是培训不够系统。
第三部分 2023年度推进法治政府建设的主要安排
一、持续压实法治建设责任
组织开展年终述法,推动述法全覆盖。
二、深化行政执法改革
推进乡镇综合行政执法规范化建设。
长兴县人民政府
2023年3月20日
"""


def test_parts_divided_into_numbered_sections_keep_their_sections() -> None:
    doc = understand(PARTS)
    roles = {s.heading.title: s.role for s in doc.sections}
    assert roles["基层法治力量不足"] == "shortcomings"
    assert roles["执法规范化水平有待提高"] == "shortcomings"
    assert roles["持续压实法治建设责任"] == "next_year"
    assert roles["依法全面履行政府职能"] == "measures"
    levels = {s.heading.title: s.heading.level for s in doc.sections}
    assert levels["存在的不足和原因"] == 0 and levels["基层法治力量不足"] == 1
    text = doc.text
    shortcomings = "".join(text[p.start : p.end] for p in doc.parts if p.role == "shortcomings")
    plans = "".join(text[p.start : p.end] for p in doc.parts if p.role == "next_year")
    assert "主要原因是机构改革后编制未同步增加" in shortcomings
    assert "组织开展年终述法" in plans and "组织开展年终述法" not in shortcomings


def test_parts_alone_stay_the_top_level() -> None:
    plain = "\n".join(line for line in PARTS.splitlines() if not line.startswith(("一、", "二、")))
    doc = understand(plain)
    assert {s.heading.level for s in doc.sections} == {1}


LAYOUT = """青石镇人民政府2020年政府信息公开工作年度报告
     一、总体情况
     2020年，我镇认真贯彻落实《中华人民共和国政府信息公开条例》，全年主动公开政府信息
156条，办理政府信息公开申请3件，政务公开工作取得新进展。
     五、存在的主要问题及改进情况
     2020年我镇政务公开工作虽取得一定成绩，但仍存在不足：一是网站专栏信息
更新频率不高，部分栏目全年只更新1至2次；二是政策解读工作开展较少，全年仅
对惠农补贴政策发布解读2篇。
     六、其他需要报告的事项
     本年度未收取信息处理费。
"""


def test_the_first_line_of_a_wrapped_paragraph_that_opens_a_list_is_no_heading() -> None:
    doc = understand(LAYOUT)
    titles = [s.heading.title for s in doc.sections]
    assert not any("一是网站专栏信息" in t for t in titles), titles
    (part5,) = [s for s in doc.sections if s.heading.title.startswith("存在的主要问题")]
    assert "部分栏目全年只更新1至2次" in doc.text[part5.heading.title_end : part5.end]
