"""Report shapes probed in a third round (法治政府建设年度报告 of a 县, a 市, a 省级部门 and a 街道, kept as
probes in /tmp/fazhi3 by the tester): each part written the way a real unit writes it must not be
charged as missing (gap), nor a figure of last year read as this year's — and the same report with
the part truly left out still is a gap.
"""

from __future__ import annotations

import pytest

from auditor.document import understand
from auditor.engine import audit

from .conftest import assert_statuses, audit_text, fazhi, replaced_once

PREFACE = "2023年，县政府坚持以习近平法治思想为指导，统筹推进法治政府建设。现将有关情况报告如下：\n"
MEASURES = """一、主要举措和成效
（一）规范行政决策。公布重大行政决策事项目录5项，全部履行公众参与、专家论证、风险评估、合法性审查、集体讨论决定程序。县政府法律顾问审查合同86份。制定行政规范性文件7件，均经合法性审核并报备。
（二）规范行政执法。全面推行行政执法公示、执法全过程记录、重大执法决定法制审核制度。
（三）化解行政争议。县政府全年收到行政复议申请46件。全县行政机关负责人出庭应诉率100%。开展普法活动320场次。
"""
LEADERS = """二、党政主要负责人履行推进法治建设第一责任人职责情况
县委书记、县长对法治建设重要工作亲自部署、重大问题亲自过问。县政府常务会议专题研究法治政府建设6次，会前学法十二次。年终述职中，县长专题述法。
"""
SHORTCOMINGS = """三、存在的不足和原因
一是基层法治力量仍较薄弱，全县14个乡镇中有9个没有配备法律专业人员，合法性审查质量不高；二是部分执法人员执法能力与新形势要求不相适应，执法文书制作不规范问题仍有发生。究其原因，主要是受编制所限，法治专业人才引进难、留住难。
"""
PLANS = """四、2024年工作安排
2024年，县政府将重点做好以下工作：一是加强法治工作队伍建设；二是深化行政执法规范化建设。
"""
TITLE = "临川县人民政府关于2023年度法治政府建设情况的报告\n\n市人民政府：\n"
SIGNOFF = "\n临川县人民政府\n2024年3月25日\n"
REPORT = TITLE + PREFACE + MEASURES + LEADERS + SHORTCOMINGS + PLANS + SIGNOFF


def _with(old: str, new: str) -> str:
    return replaced_once(REPORT, old, new)


CASES = {
    # 1. the shortcomings part headed by what it counts: 一些问题, 几个问题, 困难和问题, 短板弱项
    **{
        heading: (_with("三、存在的不足和原因", f"三、{heading}"), {"STR-02A": "met", "STR-02B": "met"})
        for heading in ("工作中还存在的一些问题", "存在的几个问题", "工作中的困难和问题", "当前的短板弱项")
    },
    "no shortcomings": (_with(SHORTCOMINGS, ""), {"STR-02A": "gap", "STR-02B": "gap"}),
    # … while a measure that solves 困难和问题 stays a measure (its 复议 figures count)
    "解决困难和问题 is a measure": (
        _with("（三）化解行政争议。", "（三）帮助群众解决困难和问题\n"),
        {"IND-06": "met", "IND-01": "met"},
    ),
    # 2. the plans as a paragraph that enters the new year (进入2024年，…将…), after the shortcomings part
    **{
        f"plans: {lead}": (
            _with(PLANS, f"{lead}，县政府将着力做好以下工作：一是加强法治工作队伍建设；二是深化行政执法规范化建设。\n"),
            {"STR-04": "met", "YR-02": "met"},
        )
        for lead in ("进入2024年", "迈入2024年", "进入二〇二四年")
    },
    "no plans": (_with(PLANS, ""), {"STR-04": "gap", "YR-02": "not_applicable"}),
    **{
        f"{lead} is no plan": (
            _with(PLANS, f"{lead}，县政府将着力做好以下工作：一是加强法治工作队伍建设。\n"),
            {"STR-04": "gap"},
        )
        for lead in ("进入2023年", "进入二〇二三年")
    },
}


@pytest.mark.parametrize("name", list(CASES))
def test_probed_report(name: str) -> None:
    assert_statuses(*CASES[name])


# ------------------------------------------------------------ 2. a preface quoting last year's figures

LAST_YEAR = "2022年，我县被确定为全省法治政府建设示范创建县，县政府全年收到行政复议申请31件，开展集体学法8次。"


@pytest.mark.parametrize("title", [TITLE, "临川县人民政府关于法治政府建设情况的报告\n\n"])
def test_last_years_figures_in_the_preface_are_not_this_years(title: str) -> None:
    """A preface that recalls 2022 (2022年，我县…收到行政复议申请31件，开展集体学法8次) beside 2023's
    account: the counts were 2022's (31 and 8), the report's own are 46 and 12."""
    text = (title + LAST_YEAR + PREFACE + MEASURES + LEADERS + SHORTCOMINGS + PLANS + SIGNOFF).replace(TITLE * 2, TITLE)
    result, statuses, values = audit_text(text)
    assert statuses["IND-06"] == "met" and values["IND-06"]["count"] == 46
    assert statuses["FR-03"] == "met" and values["FR-03"]["count"] == 12
    evidence = next(f for f in result.findings if f.rule_id == "IND-06").evidence
    assert all("2022年" not in e.context for e in evidence)


def test_only_last_years_sentence_is_no_evidence_of_this_year_nor_a_gap() -> None:
    """The report's only word of 复议 is 2022's: nothing of 2023 is stated, yet the sentence may carry last
    year's year by mistake (a report written over last year's): a review item naming the sentence, never a gap."""
    text = _with("县政府全年收到行政复议申请46件。", "").replace(PREFACE, LAST_YEAR + PREFACE)
    assert audit_text(text)[1]["IND-06"] == "needs_review"
    finding = next(f for f in audit_text(text)[0].findings if f.rule_id == "IND-06")
    assert "写往年情况的句子" in finding.message and "2022年，" in finding.message
    assert finding.evidence and finding.evidence[0].context.startswith("2022年")


def test_no_word_of_it_in_any_year_is_still_a_gap() -> None:
    """Neither year's sentences speak of 复议: still a gap (the earlier year's sentences read too find nothing)."""
    text = _with("县政府全年收到行政复议申请46件。", "").replace(
        PREFACE, LAST_YEAR.replace("收到行政复议申请31件，", "") + PREFACE
    )
    assert "复议" not in text
    assert audit_text(text)[1]["IND-06"] == "gap"


def test_a_run_of_years_up_to_this_one_is_this_years() -> None:
    """2021年以来 runs on into the year reported on: what it says counts."""
    text = _with("县政府全年收到行政复议申请46件。", "").replace(
        PREFACE, PREFACE + "2021年以来，县政府累计收到行政复议申请120件，全部依法办结。\n"
    )
    assert understand(text).earlier_years == ()
    assert audit_text(text)[1]["IND-06"] != "gap"


def test_an_earlier_year_sets_nothing_aside_when_the_year_is_a_guess() -> None:
    """Without a stated year (no year in the title, the body's first 2022年 only) no sentence is set aside."""
    text = (
        "临川县人民政府法治政府建设情况报告\n\n" + LAST_YEAR + "\n" + MEASURES.replace("2023", "") + LEADERS + SIGNOFF
    )
    doc = understand(text)
    if not doc.metadata.source("year").sure:
        assert doc.earlier_years == ()


# ------------------------------------------------------------ 3. a web article split over pages

PAGER = "第1页 2 3 下一页\n"


def test_page_one_of_a_split_article_is_no_ground_for_a_gap() -> None:
    """An old CMS cuts a long report into pages; the file saved holds page 1 (measures and leaders) and
    its pager. The shortcomings and plans are on pages 2 and 3: not found is no gap, but a review item."""
    page_one = TITLE + PREFACE + MEASURES + LEADERS + PAGER
    result = audit(understand(page_one), fazhi())
    statuses = {f.rule_id: f.status for f in result.findings}
    for rule in ("STR-02A", "STR-02B", "STR-04"):
        assert statuses[rule] == "needs_review", rule
    message = next(f.message for f in result.findings if f.rule_id == "STR-04")
    assert "网页原文分为3页" in message
    assert statuses["IND-06"] == "met"  # what page 1 holds is still read


@pytest.mark.parametrize(
    "pager",
    [
        "共3页 首页 上一页 [1] 2 3 下一页 尾页\n",
        "上一页 1 2 下一页\n",
    ],
)
def test_pagers_as_sites_write_them(pager: str) -> None:
    doc = understand(TITLE + PREFACE + MEASURES + LEADERS + pager)
    assert doc.split_pages >= 2


def test_a_whole_report_is_not_split() -> None:
    assert understand(REPORT).split_pages == 0
    assert audit_text(_with(SHORTCOMINGS, ""))[1]["STR-02A"] == "gap"
    # 下一页 in a sentence is no pager
    assert understand(_with("开展普法活动320场次。", "开展普法活动320场次，详见下一页附表。")).split_pages == 0


def test_every_page_saved_one_after_another_is_whole() -> None:
    text = (
        TITLE + PREFACE + MEASURES + "第1页 2 下一页\n" + LEADERS + SHORTCOMINGS + PLANS + SIGNOFF + "上一页 1 第2页\n"
    )
    doc = understand(text)
    assert doc.split_pages == 0
