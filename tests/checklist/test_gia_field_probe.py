"""False charges a tester found in 政府信息公开 reports (probe s24), each in the shapes it came in.

The hard rule: a gap accuses a government unit, so it is said only when a part is really absent or
the figures really disagree. A table that cannot be read with confidence, or a part headed in
words the checklist does not know, is needs_review with the reason.
"""

from __future__ import annotations

import html as H
from pathlib import Path
from typing import Any

import pytest

from auditor.document import understand
from auditor.document.tables import find_tables, read_cell
from tests.checklist.test_gia_tables import ROWS, _audit

# ------------------------------------------------------------ 1. a blank last row is blank

HEAD = "三、收到和处理政府信息公开申请情况"
AFTER = [
    "四、政府信息公开行政复议、行政诉讼情况",
    "2024年，我镇未发生因政府信息公开引起的行政复议、行政诉讼案件。",
    "五、存在的主要问题及改进情况",
    "一是政策解读形式较为单一；二是部分栏目更新不够及时。下一步将丰富解读形式，建立栏目巡查机制。",
]
INTRO = [
    "白鹭镇人民政府2024年政府信息公开工作年度报告",
    "一、总体情况",
    "2024年，我镇认真贯彻落实《条例》，坚持以公开为常态、不公开为例外，围绕中心工作扎实推进政务公开，"
    "全年通过门户网站主动公开政府信息1286条，其中政策文件42件。",
]


def _blank_carry_over() -> list[tuple[list[str], list[str]]]:
    """A township's table as many sites write it (白鹭镇 2024): zeros left blank, so only six rows
    hold figures (6 + 1 new and carried in, 7 handled) and 四、结转下年度继续办理 is blank. So few
    figures make the readers take the table for text: its rows come out one per line."""
    figures = {0: 6, 1: 1, 2: 4, 12: 2, 16: 1, 23: 7}  # 本年新收, 上年结转, 予以公开, 不掌握, 重复申请, 总计
    return [
        (labels, [str(figures[k]), *[""] * 5, str(figures[k])] if k in figures else [""] * 7)
        for k, (labels, _) in enumerate(ROWS)
    ]


def _tabbed(rows: list[tuple[list[str], list[str]]]) -> str:
    lines = [*INTRO, HEAD]
    lines += ["\t".join([*labels, *figures]) for labels, figures in rows]
    return "\n".join([*lines, *AFTER]) + "\n"


def _page(rows: list[tuple[list[str], list[str]]]) -> str:
    head = (
        '<tr><td colspan="2" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>'
        '<td colspan="7">申请人情况</td></tr><tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td>'
        '<td rowspan="2">总计</td></tr><tr>'
        + "".join(f"<td>{h}</td>" for h in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"))
        + "</tr>"
    )
    trs = head + "".join(
        "<tr>"
        + "".join(f"<td>{H.escape(label)}</td>" for label in labels)
        + ("<td></td>" if len(labels) == 1 else "")
        + "".join(f"<td>{f}</td>" for f in figures)
        + "</tr>"
        for labels, figures in rows
    )
    paras = "".join(f"<p>{H.escape(p)}</p>" for p in INTRO[1:])
    after = "".join(f"<p>{H.escape(p)}</p>" for p in AFTER)
    return (
        f"<html><head><meta charset='utf-8'><title>{INTRO[0]}</title></head><body><h1>{INTRO[0]}</h1>"
        f"{paras}<p>{HEAD}</p><table border='1'>{trs}</table>{after}</body></html>"
    )


def _docx(path: Path, rows: list[tuple[list[str], list[str]]]) -> None:
    import docx

    document = docx.Document()
    for line in [*INTRO, HEAD]:
        document.add_paragraph(line)
    table = document.add_table(rows=len(rows), cols=9)
    for r, (labels, figures) in enumerate(rows):
        for c, value in enumerate([*labels, *([""] * (2 - len(labels))), *figures]):
            table.cell(r, c).text = value
    for line in AFTER:
        document.add_paragraph(line)
    document.save(str(path))


def _write(tmp_path: Path, shape: str, rows: list[tuple[list[str], list[str]]]) -> Path:
    path = tmp_path / f"report.{shape}"
    if shape == "txt":
        path.write_text(_tabbed(rows), encoding="utf-8")
    elif shape == "html":
        path.write_text(_page(rows), encoding="utf-8")
    else:
        _docx(path, rows)
    return path


def test_a_blank_last_row_does_not_read_the_year_of_the_next_paragraph() -> None:
    doc = understand(_tabbed(_blank_carry_over()))
    (table,) = find_tables(doc.text, *doc.body)
    carry = table.find_row("结转下年度继续办理")
    assert carry is not None and carry.problem is None
    assert all(c is None or c.value is None for c in carry.cells), carry  # blank, not 2024
    assert read_cell(table, "结转下年度继续办理", "总计").value is None
    assert "四、政府信息公开" not in doc.text[carry.start : carry.end]


@pytest.mark.parametrize("shape", ["txt", "html", "docx"])
def test_a_blank_carry_over_row_is_no_arithmetic_charge(tmp_path: Path, shape: str) -> None:
    findings: dict[str, Any] = _audit(_write(tmp_path, shape, _blank_carry_over()))
    sum1 = findings["GIA-SUM-01"]
    assert sum1["status"] in ("not_applicable", "needs_review"), sum1["message"]
    assert "2024" not in sum1["message"]
    assert sum1["values"].get("carry_over") != 2024


@pytest.mark.parametrize("shape", ["txt", "html", "docx"])
def test_a_filled_carry_over_row_is_still_checked(tmp_path: Path, shape: str) -> None:
    rows = _blank_carry_over()
    rows[-1] = (rows[-1][0], ["3", "", "", "", "", "", "3"])  # 6 + 1 is not 7 + 3
    sum1 = _audit(_write(tmp_path, shape, rows))["GIA-SUM-01"]
    assert sum1["status"] == "gap", sum1["message"]
    assert sum1["values"]["carry_over"] == 3


# ------------------------------------------------- 2. part headings in other common wording

PARTS = {
    1: "一、总体情况",
    2: "二、主动公开政府信息情况",
    3: "三、收到和处理政府信息公开申请情况",
    4: "四、政府信息公开行政复议、行政诉讼情况",
    5: "五、存在的主要问题及改进情况",
    6: "六、其他需要报告的事项",
}
BODIES = {
    1: "2022年，我局认真贯彻落实《条例》，坚持以公开为常态、不公开为例外，围绕中心工作扎实推进政务公开。"
    "全年通过门户网站主动公开政府信息862条，其中政策文件31件；全年收到政府信息公开申请25件，均在法定期限内答复。",
    2: "全年主动公开政府信息862条，其中行政规范性文件3件。",
    3: "全年收到政府信息公开申请25件，上年结转2件，办结26件，结转下年度继续办理1件。",
    4: "全年未发生因政府信息公开引起的行政复议、行政诉讼案件。",
    5: "一是政策解读形式较为单一，图解、视频等解读方式占比不足10%；二是部分栏目更新不够及时，个别栏目超过3个月未更新。"
    "针对上述问题，下一步将丰富政策解读形式，建立栏目更新定期巡查机制。",
    6: "本机关2022年度未收取信息处理费。",
}
RULES = {1: "GIA-STR-01", 3: "GIA-STR-03", 5: "GIA-STR-05", 6: "GIA-STR-06"}


def _headed_docx(path: Path, headings: dict[int, str]) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("南岭县交通运输局2022年政府信息公开工作年度报告")
    for k in range(1, 7):
        document.add_paragraph(headings.get(k, PARTS[k]))
        document.add_paragraph(BODIES[k])
    document.save(str(path))


@pytest.mark.parametrize(
    ("part", "heading"),
    [
        (1, "一、概述"),
        (3, "三、依申请公开情况"),
        (3, "三、政府信息公开申请的收到和处理情况"),
        (5, "五、存在的不足和下一步打算"),
        (5, "五、存在的短板及改进措施"),
        (5, "五、工作中存在的困难和改进措施"),
        (6, "六、其它需要报告的事项"),
    ],
)
def test_synonymous_part_headings_are_the_parts(tmp_path: Path, part: int, heading: str) -> None:
    path = tmp_path / "report.docx"
    _headed_docx(path, {part: heading})
    findings = _audit(path)
    assert findings[RULES[part]]["status"] == "met", findings[RULES[part]]["message"]
    if part == 5:
        assert findings["GIA-PRB-01"]["status"] == "met", findings["GIA-PRB-01"]["message"]


UNKNOWN = [(1, "一、本年工作回顾"), (3, "三、群众申请答复工作"), (5, "五、几点思考")]


@pytest.mark.parametrize(("part", "heading"), UNKNOWN)
def test_a_part_headed_in_unknown_words_is_for_review_not_a_gap(tmp_path: Path, part: int, heading: str) -> None:
    path = tmp_path / "report.docx"
    _headed_docx(path, {part: heading})
    findings = _audit(path)
    rule = findings[RULES[part]]
    assert rule["status"] == "needs_review", rule["message"]
    assert heading[2:] in rule["evidence"][0]["text"]
    if part == 5:
        assert findings["GIA-PRB-01"]["status"] == "needs_review", findings["GIA-PRB-01"]["message"]


def test_a_missing_part_is_still_a_gap(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(
        "\n".join(f"{PARTS[k]}\n{BODIES[k]}" for k in (1, 2, 3, 4, 6)) + "\n", encoding="utf-8"
    )  # no 五、 at all
    findings = _audit(path)
    assert findings["GIA-STR-05"]["status"] == "gap"
    assert findings["GIA-PRB-01"]["status"] == "gap"


def test_bracket_numbered_parts_keep_their_inline_lists() -> None:
    """（一）总体情况 whose paragraph lists （一）主动公开。（二）依申请公开。: the list is inside the part."""
    text = "\n".join(
        [
            "（一）总体情况",
            "2022年，我局认真贯彻落实《条例》，围绕中心工作扎实推进政务公开。（一）主动公开。全年通过门户网站主动公开"
            "政府信息862条。（二）依申请公开。全年收到政府信息公开申请25件，均在法定期限内答复。（三）平台建设。优化专栏。",
            "（二）主动公开政府信息情况",
            BODIES[2],
            "（三）收到和处理政府信息公开申请情况",
            BODIES[3],
        ]
    )
    doc = understand(text + "\n")
    first = doc.sections[0]
    assert first.heading.title == "总体情况"
    assert "平台建设" in doc.text[first.start : first.end]  # not cut at the inline （一）主动公开
    tops = [s.heading.title for s in doc.sections if s.parent is None]
    assert tops == ["总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况"]


# --------------------------------------- 3–5. the review table with units, all dashes, all blank


def _review_page(cells: list[str]) -> str:
    head = (
        "<tr><td colspan='5'>行政复议</td><td colspan='10'>行政诉讼</td></tr><tr>"
        + "".join(f"<td rowspan='2'>{h}</td>" for h in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"))
        + "<td colspan='5'>未经复议直接起诉</td><td colspan='5'>复议后起诉</td></tr><tr>"
        + "".join(f"<td>{h}</td>" for h in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计") * 2)
        + "</tr>"
    )
    row = "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"
    paras = "".join(f"<p>{H.escape(p)}</p>" for p in INTRO[1:])
    return (
        f"<html><head><meta charset='utf-8'><title>{INTRO[0]}</title></head><body><h1>{INTRO[0]}</h1>{paras}"
        f"<p>四、政府信息公开行政复议、行政诉讼情况</p><table border='1'>{head}{row}</table>"
        f"<p>{AFTER[2]}</p><p>{AFTER[3]}</p></body></html>"
    )


def _review_flat(cells: list[str]) -> str:
    header = ["行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉"]
    header += ["复议后起诉", *(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2)]
    lines = [*INTRO, "四、政府信息公开行政复议、行政诉讼情况", *header, *cells, AFTER[2], AFTER[3]]
    return "\n".join(lines) + "\n"


JIAN = ["2件", "1件", "0件", "0件", "3件", "1件", "0件", "0件", "1件", "2件", "0件", "0件", "0件", "0件", "0件"]


@pytest.mark.parametrize("shape", ["html", "flat"])
def test_review_cells_with_their_unit_are_read(tmp_path: Path, shape: str) -> None:
    path = tmp_path / ("r.html" if shape == "html" else "r.txt")
    path.write_text(_review_page(JIAN) if shape == "html" else _review_flat(JIAN), encoding="utf-8")
    findings = _audit(path)
    assert findings["GIA-TAB-03"]["status"] == "met", findings["GIA-TAB-03"]["message"]
    sum3 = findings["GIA-SUM-03"]
    assert sum3["status"] == "met" and sum3["values"]["fy_total"] == 3 and sum3["values"]["ds_total"] == 2


def test_review_cells_with_their_unit_still_catch_a_wrong_total(tmp_path: Path) -> None:
    wrong = ["2件", "1件", "0件", "0件", "2件", *JIAN[5:]]  # 2 + 1 under a 总计 of 2
    path = tmp_path / "r.txt"
    path.write_text(_review_flat(wrong), encoding="utf-8")
    assert _audit(path)["GIA-SUM-03"]["status"] == "gap"


@pytest.mark.parametrize("shape", ["html", "flat"])
def test_a_review_table_of_dashes_reads_as_zeros(tmp_path: Path, shape: str) -> None:
    path = tmp_path / ("r.html" if shape == "html" else "r.txt")
    dashes = ["—"] * 15
    path.write_text(_review_page(dashes) if shape == "html" else _review_flat(dashes), encoding="utf-8")
    findings = _audit(path)
    tab3 = findings["GIA-TAB-03"]
    assert tab3["status"] == "met", tab3["message"]
    assert tab3["values"]["fy_total"] == 0 and tab3["values"]["as_total"] == 0
    assert findings["GIA-SUM-03"]["status"] == "met"


def test_a_row_of_dashes_is_no_menu() -> None:
    from auditor.document.layout import is_chrome_line

    assert not is_chrome_line(" | ".join(["—"] * 15))
    assert is_chrome_line("首页 | 政务公开 | 政府信息公开年报")


def test_a_blank_review_table_is_for_review_not_missing(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    for line in [*INTRO, "四、政府信息公开行政复议、行政诉讼情况"]:
        document.add_paragraph(line)
    table = document.add_table(rows=4, cols=15)
    for c, h in enumerate(["行政复议"] * 5 + ["行政诉讼"] * 10):
        table.cell(0, c).text = h
    for c, h in enumerate(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] + ["未经复议直接起诉"] * 5):
        table.cell(1, c).text = h
    for c in range(10, 15):
        table.cell(1, c).text = "复议后起诉"
    for c, h in enumerate(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3):
        table.cell(2, c).text = h
    for line in AFTER[2:]:
        document.add_paragraph(line)
    path = tmp_path / "r.docx"
    document.save(str(path))
    tab3 = _audit(path)["GIA-TAB-03"]
    assert tab3["status"] == "needs_review", tab3["message"]
    assert "未填数字" in tab3["message"]


# ------------------------------------------------- the 主动公开 table written with dashes (TAB-01)

ACTIVE_DASHES = [
    "二、主动公开政府信息情况",
    "第二十条第（一）项",
    "信息内容",
    "本年制发件数",
    "本年废止件数",
    "现行有效件数",
    "规章",
    "—",
    "—",
    "—",
    "行政规范性文件",
    "—",
    "—",
    "—",
    "第二十条第（五）项",
    "信息内容",
    "本年处理决定数量",
    "行政许可",
    "—",
    "第二十条第（六）项",
    "信息内容",
    "本年处理决定数量",
    "行政处罚",
    "—",
    "行政强制",
    "—",
]


def test_an_active_disclosure_table_of_dashes_is_found_in_its_part(tmp_path: Path) -> None:
    """A township with nothing to list writes — in every cell of the 主动公开 table: the table is there, in
    part 二 (not "outside" it, and not missing)."""
    path = tmp_path / "r.txt"
    path.write_text("\n".join([*INTRO, *ACTIVE_DASHES, *AFTER[2:]]) + "\n", encoding="utf-8")
    tab1 = _audit(path)["GIA-TAB-01"]
    assert tab1["status"] == "met", tab1["message"]
    assert "以外" not in tab1["message"]
