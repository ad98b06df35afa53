"""Metadata the report states, read where the report states it, from real-shaped pages and sign-offs.

Found by a tester on realistic reports (each a stated value that was wrong, so a verdict charged
on it): a sidebar's 发布时间 taken for the article's (a false 未按时公开); a joint 党工委 + 街道办事处
sign-off giving the party committee as the unit, a department; a 落款 date missed because a 版记
(抄送, …印发) followed it; a department's title cut to its bare name (国有资产监督管理委员会 of which
city?); a title opening on its year (2023年青溪县人民政府…) giving no unit at all.
"""

from __future__ import annotations

from datetime import date

import pytest

from auditor.document import understand

TITLE = "遂昌县人民政府关于2023年度法治政府建设情况的报告"
BODY = (
    "2023年，县政府坚持以习近平法治思想为指导，统筹推进法治政府建设。现将有关情况报告如下：\n"
    "一、主要举措和成效\n"
    "（一）规范行政决策。公布重大行政决策事项目录3项，全部经过公众参与、专家论证、风险评估和集体讨论决定。\n"
    "二、存在的不足和原因\n"
    "一是山区县法治人才短缺，乡镇合法性审查力量薄弱；二是行政执法数字化水平有待提升。\n"
    "三、下一步工作打算\n"
    "2024年，县政府将重点加强法治人才队伍建设，推进数字法治政府建设。\n"
)
SIGNOFF = "遂昌县人民政府\n2024年3月25日\n"

# ------------------------------------------------------------------ 1. the dates of other pages

OTHER_PAGES = {
    "related, before": "相关文章\n遂昌县人民政府关于2023年度部门预算公开的说明 发布时间：2024-05-10\n",
    "latest, own lines": "最新发布\n遂昌县人民政府关于印发2024年重点工作的通知\n发布日期：2024-05-10\n",
    "previous page": "上一篇：遂昌县人民政府关于印发某某实施方案的通知\n发布时间：2024-05-10\n",
    "an item without a heading": "遂昌县2024年政府信息公开工作年度报告 发布时间：2025-01-20\n",
}


@pytest.mark.parametrize("where", ["before", "after"])
@pytest.mark.parametrize("other", OTHER_PAGES.values(), ids=OTHER_PAGES.keys())
def test_another_pages_date_never_dates_the_report(other: str, where: str) -> None:
    own = "来源：县司法局 发布时间：2024-03-28 浏览次数：35\n"
    page = f"{other}{TITLE}\n{own}{BODY}{SIGNOFF}" if where == "before" else f"{TITLE}\n{own}{BODY}{SIGNOFF}{other}"
    meta = understand(page).metadata
    assert meta.published == date(2024, 3, 28)
    undated = f"{TITLE}\n{BODY}{SIGNOFF}{other}"
    if where == "before":
        undated = f"{other}{TITLE}\n来源：县司法局\n{BODY}{SIGNOFF}"
    assert understand(undated).metadata.published is None


@pytest.mark.parametrize(
    "info",
    [
        "发布时间：2024-03-28",
        "遂昌县司法局 发布时间：2024-03-28",  # 来源 written without its label
        "首页>政务公开>法治政府建设 发布时间：2024-03-28",  # a breadcrumb
        f"{TITLE} 发布时间：2024-03-28",  # the title glued to its info line
        "遂昌县关于2023年度法治政府建设情况的报告 发布时间：2024-03-28",  # the headline naming the place only
    ],
)
def test_the_reports_own_info_line_still_dates_it(info: str) -> None:
    assert understand(f"{TITLE}\n{info}\n{BODY}{SIGNOFF}").metadata.published == date(2024, 3, 28)


# ------------------------------------------------------------------ 3. a sign-off before a 版记

DOCUMENT_HEAD = [
    "遂昌县人民政府文件",
    "遂政〔2024〕5号",
    "遂昌县人民政府",
    "关于2023年度法治政府建设情况的报告",
    "丽水市人民政府：",
]
COLOPHONS = {
    "note, cc, printed": [
        "（此件公开发布）",
        "抄送：市委依法治市办，县委办，县人大常委会办公室，县政协办公室。",
        "遂昌县人民政府办公室 2024年3月26日印发",
    ],
    "cc wrapped": [
        "抄送：市委依法治市办，县委办，县人大常委会办公室，县政协办公室，县法院，",
        "县检察院，县纪委县监委机关，县人武部。",
        "遂昌县人民政府办公室            2024年3月26日印发",
    ],
    "contact note": [
        "（联系人：张明，联系电话：0578-8123456）",
        "抄送：市司法局。",
        "遂昌县人民政府办公室 2024年3月26日印发",
    ],
}


def _docx(path: object, paragraphs: list[str], table: list[list[str]] | None = None) -> None:
    from docx import Document

    doc = Document()
    for p in paragraphs:
        doc.add_paragraph(p)
    if table:
        t = doc.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                t.cell(r, c).text = cell
    doc.save(str(path))


@pytest.mark.parametrize("colophon", COLOPHONS.values(), ids=COLOPHONS.keys())
def test_the_signing_date_is_read_before_a_colophon(tmp_path: object, colophon: list[str]) -> None:
    from pathlib import Path

    from auditor.readers.dispatch import read_document

    lines = [*DOCUMENT_HEAD, *BODY.splitlines(), *SIGNOFF.splitlines()]
    path = Path(str(tmp_path)) / "report.docx"
    _docx(path, [*lines, *colophon])
    for text in (read_document(str(path)).text, "\n".join([*lines, *colophon])):
        meta = understand(text).metadata
        assert meta.signed == date(2024, 3, 25)  # not the day it was printed (印发)
        assert meta.source("signed").source == "signoff" and meta.source("signed").stated
    # the 版记 as many documents set it: a table of its own under the sign-off
    _docx(
        path,
        lines,
        [["抄送：市委依法治市办，县委办，县人大常委会办公室。", ""], ["遂昌县人民政府办公室", "2024年3月26日印发"]],
    )
    assert understand(read_document(str(path)).text).metadata.signed == date(2024, 3, 25)


# ------------------------------------------------------------------ 2. a joint sign-off of party and government

FAZHI_STREET = (
    "关于2023年度法治建设工作情况的报告\n区委全面依法治区委员会办公室：\n"
    "2023年，新塘街道党工委、办事处坚持以习近平法治思想为指引，扎实推进法治街道建设，现将有关情况报告如下。\n"
    "一、主要工作及成效\n（一）落实第一责任人职责。街道党工委书记、办事处主任严格履行推进法治建设第一责任人职责，"
    "全年主持召开党工委会议专题研究法治工作4次。\n（二）推进依法决策。街道重大事项均经合法性审查和班子会议集体讨论决定。\n"
    "二、存在的问题\n一是综合执法队伍专业化程度不高；二是村（社区）法治宣传阵地作用发挥不够。\n"
    "三、2024年工作打算\n一是加强执法队伍培训；二是提升法治阵地建设水平。\n"
)


@pytest.mark.parametrize(
    "signoff,unit,level",
    [
        (["中共萧山区新塘街道工作委员会", "萧山区人民政府新塘街道办事处"], "萧山区人民政府新塘街道办事处", "township"),
        (["萧山区人民政府新塘街道办事处", "中共萧山区新塘街道工作委员会"], "萧山区人民政府新塘街道办事处", "township"),
        (["中共新塘街道工作委员会", "新塘街道办事处"], "新塘街道办事处", "township"),
        (["中共张渚镇委员会", "张渚镇人民政府"], "张渚镇人民政府", "township"),
        (["中共张渚镇党委", "张渚镇人民政府"], "张渚镇人民政府", "township"),
        (["中共安澜县委", "安澜县人民政府"], "安澜县人民政府", "county"),
        (["中共安澜县委员会 安澜县人民政府"], "安澜县人民政府", "county"),  # joint on one line
        (["中共安澜县委员会安澜县人民政府"], "安澜县人民政府", "county"),  # glued: a space folded away
        (["中共安澜经济开发区工作委员会", "安澜经济开发区管理委员会"], "安澜经济开发区管理委员会", None),
    ],
)
def test_a_joint_signoff_of_party_and_government_is_the_governments(
    signoff: list[str], unit: str, level: str | None
) -> None:
    meta = understand(FAZHI_STREET + "\n".join([*signoff, "2024年2月6日"]) + "\n").metadata
    assert meta.unit == unit and meta.source("unit").source == "signoff" and meta.source("unit").stated
    if level is not None:  # (a development zone's level is no place's: left as it was read)
        assert meta.level == level and meta.source("level").stated


def test_a_streets_party_working_committee_alone_is_a_township() -> None:
    meta = understand(FAZHI_STREET + "中共萧山区新塘街道工作委员会\n2024年2月6日\n").metadata
    assert meta.unit == "中共萧山区新塘街道工作委员会" and meta.level == "township"


# ------------------------------------------------------------------ 4, 5. a title's unit as the title writes it

GIA_BODY = (
    "本报告由{unit}根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《中华人民共和国政府信息公开工作年度报告格式》"
    "要求编制。本报告所列数据的统计期限自2023年1月1日起至2023年12月31日止。\n"
    "一、总体情况\n2023年，我县认真贯彻落实《条例》，全年主动公开政府信息1523条。\n"
    "五、存在的主要问题及改进情况\n政策解读质量有待提高。下一步，我们将加强解读。\n"
)


def _gia_page(title: str, unit_field: str = "") -> str:
    """A crawler's dump of a 政府信息公开 report page, as the tester's pages were saved."""
    return (
        f"标题: {title}\n发布时间: 2024-03-01 09:00\n文号: \n发布机构: {unit_field}\n栏目: 政府信息公开年报\n"
        f"==================== 正文 ====================\n{GIA_BODY.format(unit='本机关')}"
    )


@pytest.mark.parametrize(
    "title,unit,level",
    [
        (
            "临江市人民政府国有资产监督管理委员会2023年政府信息公开工作年度报告",
            "临江市人民政府国有资产监督管理委员会",
            "department",
        ),
        ("东湖区人民政府金沙街道办事处2023年政府信息公开工作年度报告", "东湖区人民政府金沙街道办事处", "township"),
        (
            "临江市人民政府国有资产监督管理委员会关于2023年度法治政府建设情况的报告",
            "临江市人民政府国有资产监督管理委员会",
            "department",
        ),
        # two issuers glued (a site's name, a party committee): the government reporting stays
        ("宜兴市人民政府张渚镇人民政府关于2023年度法治政府建设情况的报告", "张渚镇人民政府", "township"),
        ("中共安澜县委安澜县人民政府关于2023年度法治政府建设情况的报告", "安澜县人民政府", "county"),
        # the year first
        ("2023年青溪县人民政府政府信息公开工作年度报告", "青溪县人民政府", "county"),
        ("2023年度青溪县司法局政府信息公开工作年度报告", "青溪县司法局", "department"),
        ("二〇二三年青溪县清河镇人民政府法治政府建设情况报告", "青溪县清河镇人民政府", "township"),
        ("青溪县人民政府政府信息公开工作年度报告（2023年度）", "青溪县人民政府", "county"),
    ],
)
def test_the_unit_is_the_body_the_title_names_in_full(title: str, unit: str, level: str) -> None:
    meta = understand(_gia_page(title)).metadata
    assert meta.year == 2023 and meta.source("year").sure
    assert meta.unit == unit and meta.source("unit").stated
    assert meta.level == level and meta.source("level").stated  # from the title, not from 我县


@pytest.mark.parametrize(
    "last,this",
    [
        ("临江市国有资产监督管理委员会", "临江市人民政府国有资产监督管理委员会"),
        ("东湖区金沙街道办事处", "东湖区人民政府金沙街道办事处"),
        ("青溪县人民政府", "青溪县"),
    ],
)
def test_a_body_named_under_its_government_pairs_with_its_short_name(last: str, this: str) -> None:
    from auditor.compare.pairing import pair
    from auditor.document.metadata import unit_key

    assert unit_key(last) == unit_key(this)

    def report(unit: str, year: int) -> dict[str, object]:
        stated = {"source": "title", "stated": True, "evidence": unit}
        return {
            "metadata": {"unit": unit, "year": year, "title": f"{unit}{year}年政府信息公开工作年度报告"},
            "metadata_sources": {"unit": stated, "year": stated},
            "checklist": {"id": "gov_info_disclosure"},
        }

    pairs, ambiguous = pair([report(this, 2023)], [report(last, 2022)])
    assert [(p.this, p.last, p.inferred) for p in pairs] == [(0, 0, ())] and not ambiguous


@pytest.mark.parametrize("name", ["宜兴市人民政府办公室", "宜兴市人民政府", "苏州市吴中区人民政府", "张渚镇人民政府"])
def test_a_governments_own_name_and_office_keep_their_keys(name: str) -> None:
    from auditor.document.metadata import unit_key

    assert unit_key(name) == {"宜兴市人民政府办公室": "宜兴市人民政府办公室"}.get(name, name.removesuffix("人民政府"))


@pytest.mark.parametrize("glued", [False, True])
def test_a_report_title_before_its_date_is_its_own_when_the_title_found_tells_nothing(glued: bool) -> None:
    """A site's page title (法治政府建设年度报告_门户网站) taken for the title names no issuer and no
    year: the report's own title line above its info line cannot be told from another page's."""
    own = (
        "白鹤街道2022年度法治政府建设报告" + (" " if glued else "\n") + "发布时间: 2023-03-14 14:40 信息来源: 白鹤街道"
    )
    for title in ("法治政府建设年度报告", None):
        head = f"{title}\n" if title else ""
        meta = understand(f"{head}{own}\n{BODY}{SIGNOFF}").metadata
        assert meta.published == date(2023, 3, 14)
