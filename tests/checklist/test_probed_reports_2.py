"""Report shapes probed in a second round (法治政府建设年度报告 as units publish them): each part
written the way a real unit writes it must not be charged as missing (gap), nor sent for review
when it is clear — and the same report with the part truly left out still is a gap.

The reports are a department's and a township's (kept as probes in /tmp/fazhi2 by the tester);
each case replaces one passage and names the verdicts of the rules that passage decides.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.document import understand
from auditor.engine import audit
from auditor.readers import read_document

from .conftest import assert_statuses, fazhi, replaced_once

MEASURES = """一、主要举措和成效
（一）规范行政决策。公布重大行政决策事项目录3项，全部经过公众参与、专家论证、风险评估、合法性审查和集体讨论决定。局法律顾问审查合同74份。制定行政规范性文件5件，均经合法性审核并报备。
（二）规范行政执法。全面落实行政执法公示、执法全过程记录、重大执法决定法制审核制度，组织执法案卷评查150卷。
（三）化解行政争议。全年收到行政复议申请12件，发生行政诉讼案件7件，局长出庭应诉7件，出庭应诉率100%。开展普法活动80场次。
"""
LEADERS = """二、党政主要负责人履行推进法治建设第一责任人职责情况
局党组书记、局长认真履行推进法治建设第一责任人职责，对法治建设重要工作亲自部署、重大问题亲自过问。局党组会议专题研究法治政府建设2次，会前学法12次。局长在年终述职中专题述法。
"""
SHORTCOMINGS = """三、存在的不足和原因
一是法治人才短缺，合法性审查力量薄弱，全局仅有2名具有法律职业资格的工作人员；二是行政执法数字化水平有待提升，执法监督平台与业务系统数据尚未打通。究其原因，主要是受编制和经费所限。
"""
PLANS = """四、2024年工作安排
2024年，我局将重点做好以下工作：一是加强法治人才队伍建设；二是推进数字法治建设；三是深化行政执法规范化建设。
"""
REPORT = (
    "金溪县自然资源局2023年度法治政府建设情况报告\n\n"
    "2023年，我局坚持以习近平法治思想为指导，统筹推进法治政府建设。现将有关情况报告如下：\n"
    + MEASURES
    + LEADERS
    + SHORTCOMINGS
    + PLANS
    + "\n金溪县自然资源局\n2024年3月6日\n"
)


def _with(old: str, new: str) -> str:
    return replaced_once(REPORT, old, new)


DISPUTES = "全年收到行政复议申请12件，发生行政诉讼案件7件，局长出庭应诉7件，出庭应诉率100%。"
TABLE = (
    "全年行政复议、行政应诉情况见下表。\n"
    "案件类别 | 收案数（件） | 审结数（件） | 被纠错数（件） | 负责人出庭应诉率\n"
    "行政复议 | 12 | 11 | 1 | —\n"
    "行政诉讼 | 7 | 6 | 0 | 100%\n"
)

CASES = {
    # 1. the 复议 and 诉讼 figures only in a table (a Word table, read as cells between |)
    "figures in a table": (_with(DISPUTES, TABLE), {"IND-01": "met", "IND-06": "met"}),
    "a table without 复议 or 出庭": (
        _with(DISPUTES, "全年案件情况见下表。\n案件类别 | 收案数（件） | 审结数（件）\n民事调解 | 12 | 11\n"),
        {"IND-01": "gap", "IND-06": "gap"},
    ),
    # 2. 述法 written as what the leaders reported at the year's 述职, across a comma
    "年底述职时…报告履行法治建设职责": (
        _with("局长在年终述职中专题述法。", "年底述职时，局党政主要负责人一并报告履行法治建设职责情况。"),
        {"FR-04": "met"},
    ),
    "年底述职 without 法治": (
        _with("局长在年终述职中专题述法。", "年底述职时，局主要负责人对全年工作作了全面总结。"),
        {"FR-04": "needs_review"},
    ),
    "述职 of other work": (
        _with("局长在年终述职中专题述法。", "局长在述职中报告全年经济工作完成情况，法治建设另行部署。"),
        {"FR-04": "gap"},
    ),
    # 3. a township (or a department) that made no 规范性文件 says so: no gap
    **{
        f"no 规范性文件: {said}": (
            _with("制定行政规范性文件5件，均经合法性审核并报备。", said),
            {"IND-05": "needs_review"},
        )
        for said in (
            "镇政府未制定行政规范性文件，对以镇政府名义印发的文件全部进行合法性审查，审查文件14件。",
            "我局全年没有出台行政规范性文件。",
            "本局不具有规范性文件制定权。",
        )
    },
    "no word of 规范性文件": (_with("制定行政规范性文件5件，均经合法性审核并报备。", ""), {"IND-05": "gap"}),
}


@pytest.mark.parametrize("name", list(CASES))
def test_probed_report(name: str) -> None:
    assert_statuses(*CASES[name])


def test_a_word_tables_header_row_is_report_text(tmp_path: Path) -> None:
    """A Word table's header row (案件类别 | 收案数 | 负责人出庭应诉率: short cells, no figures) was
    masked as a site's menu, so the 出庭应诉率 it names was never read."""
    import docx

    document = docx.Document()
    for line in _with(DISPUTES, "全年行政复议、行政应诉情况见下表。").split("\n"):
        document.add_paragraph(line)
        if line.startswith("（三）"):
            rows = [row.split(" | ") for row in TABLE.strip().split("\n")[1:]]
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for r, row in enumerate(rows):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
    path = tmp_path / "report.docx"
    document.save(str(path))
    doc = understand(read_document(str(path)).text)
    assert "负责人出庭应诉率" in doc.text
    statuses = {f.rule_id: f.status for f in audit(doc, fazhi()).findings}
    assert statuses["IND-01"] == "met" and statuses["IND-06"] == "met"


def test_a_menu_is_still_chrome() -> None:
    page = "首页 | 政务公开 | 政务服务 | 互动交流\n" + REPORT
    doc = understand(page)
    assert "政务服务" not in doc.text
