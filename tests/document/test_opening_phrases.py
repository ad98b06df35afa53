"""Parts found from opening phrases in reports without numbered headings (sections.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.document import understand
from auditor.document.sections import sentence_role_cue

BODY = st.text(
    alphabet=st.sampled_from(list("全年开展普法活动场次办理案件落实制度加强队伍建设，、0123456789")), max_size=60
)


@pytest.mark.parametrize(
    ("sentence", "year", "line_start", "role"),
    [
        ("但与上级目标任务相比,仍存在一定差距,比如:", 2022, False, "shortcomings"),
        ("2023年,我们将继续深化普法。", 2022, False, "next_year"),
        ("2022年,我们将继续深化普法。", 2022, False, None),  # the report's own year: measures
        ("今后,我们将继续努力。", 2022, False, "next_year"),
        ("存在的不足和原因:一是执法力量不足。", 2022, False, "shortcomings"),
        ("党政主要负责人履行推进法治建设第一责任人职责情况:", 2022, False, "first_responsible"),
        ("其他需要报告的情况:我镇被评为示范镇。", 2022, False, "other"),
        ("加强党对法治政府建设的领导和落实第一责任人责任。", 2022, True, "first_responsible"),
        ("加强党对法治政府建设的领导和落实第一责任人责任。", 2022, False, None),  # mid-line: no title
        ("贯彻党政主要负责人履行推进法治建设第一责任人职责规定。", 2022, True, None),  # cites a document
        ("针对存在的问题和不足:及时整改。", 2022, False, None),  # fixing problems is no shortcomings part
        ("工作中还存在一些亟待解决的问题。", 2023, False, "shortcomings"),  # still to be solved: listed
        ("我镇法治政府建设还存在一些不容忽视的问题和不足:", 2023, False, "shortcomings"),
        ("针对存在的问题,着力解决群众反映的难题。", 2023, False, None),
        # a plans paragraph without a heading, opened by whoever will do the work
        ("2020年,区政府将重点推进行政执法规范化建设。", 2019, False, "next_year"),
        ("2020年,区政府将着力推进行政复议体制改革。", 2019, True, "next_year"),
        ("2024年,县政府将重点做好以下工作:", 2023, False, "next_year"),
        ("2024年,市政府将持续深化法治政府建设。", 2023, False, "next_year"),
        ("2024年,镇政府将继续加强执法队伍建设。", 2023, False, "next_year"),
        ("2024年,本局将继续深化普法。", 2023, False, "next_year"),
        ("2024年,县委、县政府将继续深化法治建设。", 2023, False, "next_year"),
        ("2024年,市场监管局将继续深化普法。", 2023, False, "next_year"),
        ("二〇二四年,县政府将重点做好以下工作:", 2023, False, "next_year"),
        ("新的一年,我们将继续深化法治政府建设。", 2023, False, "next_year"),
        ("2023年,区政府将法治建设纳入年度考核。", 2023, False, None),  # the report's own year: measures
        ("2023年,我镇将法治建设纳入年度考核。", 2023, False, None),
        ("二〇二三年,县政府将法治建设纳入年度考核。", 2023, False, None),
    ],
)
def test_opening_phrases(sentence: str, year: int, line_start: bool, role: str | None) -> None:
    assert sentence_role_cue(sentence, year, line_start) == role


@settings(max_examples=300, deadline=None)
@given(BODY, st.booleans())
def test_ordinary_sentences_open_nothing(body: str, line_start: bool) -> None:
    assert sentence_role_cue(body + "。", 2023, line_start) is None


@settings(max_examples=100, deadline=None)
@given(BODY.filter(lambda b: b.strip(",、")))
def test_run_in_titles_open_their_part(body: str) -> None:
    assert sentence_role_cue("存在的问题和不足:" + body + "。", 2023) == "shortcomings"
    assert sentence_role_cue("下一步工作计划:" + body + "。", 2023) == "next_year"


def test_plain_paragraph_report_has_every_part() -> None:
    text = (
        "某某局2023年法治政府建设情况报告\n"
        "2023年，我局认真贯彻落实法治政府建设实施纲要，全年办理行政许可1200件，开展普法活动30场次。\n"
        "党政主要负责人履行推进法治建设第一责任人职责情况：局党组书记亲自部署法治建设，主持召开专题会议3次。\n"
        "但与上级的目标任务相比，仍存在一定差距，比如：执法人员不足，普法形式单一。\n"
        "2024年，我们将继续深化法治政府建设：一是加强执法队伍建设；二是创新普法形式。\n"
        "其他需要报告的情况：我局被评为法治建设示范单位。\n"
    )
    doc = understand(text, year=2023)
    roles = [
        doc.role_at(doc.text.index(s)) for s in ("局党组书记", "执法人员不足", "加强执法队伍", "示范单位", "行政许可")
    ]
    assert roles == ["first_responsible", "shortcomings", "next_year", "other", "measures"]  # untitled body: measures
