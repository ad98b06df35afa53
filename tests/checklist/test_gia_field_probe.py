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
