"""A county report as a tester probed it: each part written the way some real authors write it
must not be charged as missing (gap) — and the same report with the part truly left out still is.

The report is the probe's 遂昌县 2023 report (fixtures of /tmp/s24/probe-fazhi); each case
replaces one passage of it and names the verdicts of the rules that passage decides.
"""

from __future__ import annotations

import pytest

from .conftest import assert_statuses, audit_text, replaced_once

MEASURES = """一、主要举措和成效
（一）规范行政决策。公布重大行政决策事项目录3项，全部经过公众参与、专家论证、风险评估、合法性审查和集体讨论决定。县政府法律顾问审查合同74份。县政府制定行政规范性文件5件，均经合法性审核并报备。
（二）规范行政执法。全面落实行政执法公示、执法全过程记录、重大执法决定法制审核制度，组织执法案卷评查150卷。
（三）化解行政争议。县政府收到行政复议申请39件。全县行政机关负责人出庭应诉率100%。开展普法活动280场次。
"""
LEADERS = """二、党政主要负责人履行推进法治建设第一责任人职责情况
县委书记、县长认真履行推进法治建设第一责任人职责，对法治建设重要工作亲自部署、重大问题亲自过问。县政府常务会议专题研究法治政府建设2次，会前学法12次。县长在年终述职中专题述法。
"""
SHORTCOMINGS = """三、存在的不足和原因
一是山区县法治人才短缺，乡镇合法性审查力量薄弱，全县18个乡镇中有11个没有专职审查人员；二是行政执法数字化水平有待提升，执法监督平台与业务系统数据尚未打通。究其原因，主要是受地理区位和财力所限，人才引进难、留住难。
"""
PLANS = """四、2024年工作安排
2024年，县政府将重点做好以下工作：一是加强法治人才队伍建设；二是推进数字法治政府建设；三是深化行政执法规范化建设。
"""
REPORT = (
    "遂昌县人民政府关于2023年度法治政府建设情况的报告\n\n"
    "2023年，县政府坚持以习近平法治思想为指导，统筹推进法治政府建设。现将有关情况报告如下：\n"
    + MEASURES
    + LEADERS
    + SHORTCOMINGS
    + PLANS
    + "\n遂昌县人民政府\n2024年3月25日\n"
)


def _with(old: str, new: str) -> str:
    return replaced_once(REPORT, old, new)


CASES = {
    # 1. the shortcomings part headed as authors head it
    "差距和不足": (_with("三、存在的不足和原因", "三、差距和不足"), {"STR-02A": "met", "STR-02B": "met"}),
    "差距与不足": (_with("三、存在的不足和原因", "三、差距与不足"), {"STR-02A": "met", "STR-02B": "met"}),
    "存在的差距": (_with("三、存在的不足和原因", "三、存在的差距"), {"STR-02A": "met", "STR-02B": "met"}),
    "不足与差距": (_with("三、存在的不足和原因", "三、不足与差距"), {"STR-02A": "met", "STR-02B": "met"}),
    "no shortcomings": (_with(SHORTCOMINGS, ""), {"STR-02A": "gap", "STR-02B": "gap"}),
    # 2. the leaders' part without the words 第一责任人
    "加强党的领导": (
        _with(
            LEADERS,
            "二、加强党对法治政府建设的领导\n县委、县政府主要负责同志带头抓法治建设，对法治建设重要工作亲自部署、"
            "重大问题亲自过问。县长主持召开县政府常务会议专题研究法治政府建设2次，会前学法12次。县长在年终述职中专题述法。\n",
        ),
        {"STR-03": "met", "FR-01": "met", "FR-04": "met"},
    ),
    "no leaders' part": (_with(LEADERS, ""), {"STR-03": "gap", "FR-01": "gap", "FR-04": "gap"}),
    # 3. the plans as a paragraph without a heading
    **{
        f"plans by {who}": (
            _with(PLANS, f"2024年，{who}将重点推进行政执法规范化建设和数字法治政府建设。\n"),
            {"STR-04": "met", "YR-02": "met"},
        )
        for who in ("县政府", "市政府", "镇政府", "本局", "我们", "县委、县政府")
    },
    "no plans": (_with(PLANS, ""), {"STR-04": "gap", "YR-02": "not_applicable"}),
    # 4. the plan year in numerals, before a plan period and a target year
    "二〇二四年": (
        _with(
            PLANS,
            "四、下一步工作打算\n二〇二四年，县政府将对标《法治政府建设实施纲要（2021—2025年）》确定的到2025年目标任务，"
            "重点做好以下工作：一是加强法治人才队伍建设；二是推进数字法治政府建设。\n",
        ),
        {"STR-04": "met", "YR-02": "met"},
    ),
    "二〇二三年": (
        _with(PLANS, "四、下一步工作打算\n二〇二三年，县政府将重点做好以下工作：一是加强法治人才队伍建设。\n"),
        {"STR-04": "met", "YR-02": "gap"},
    ),
    # 5. no lawsuit, the defendant named
    "无以县政府为被告": (
        _with("全县行政机关负责人出庭应诉率100%。", "全年无以县政府为被告的行政诉讼案件。"),
        {"IND-01": "not_applicable"},
    ),
    "no 出庭 sentence": (_with("全县行政机关负责人出庭应诉率100%。", ""), {"IND-01": "gap"}),
    # 6. 述法 at a meeting
    "会议上述法": (
        _with("县长在年终述职中专题述法。", "县长在县委全面依法治县委员会会议上述法。"),
        {"FR-04": "met"},
    ),
    # 7. no 复议 case: a negated statement is no evidence of cases handled
    "未收到行政复议申请": (
        _with("县政府收到行政复议申请39件。", "全年未收到行政复议申请，无行政复议案件。"),
        {"IND-06": "not_applicable"},
    ),
    "no 复议 sentence": (_with("县政府收到行政复议申请39件。", ""), {"IND-06": "gap"}),
}


@pytest.mark.parametrize("name", list(CASES))
def test_probed_report(name: str) -> None:
    assert_statuses(*CASES[name])


def test_the_probed_report_as_written() -> None:
    _, statuses, _ = audit_text(REPORT)
    for rule in ("STR-01", "STR-02A", "STR-02B", "STR-03", "STR-04", "FR-01", "FR-04", "IND-01", "IND-06", "YR-02"):
        assert statuses[rule] == "met", rule
