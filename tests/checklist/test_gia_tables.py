"""The 政府信息公开 statistics tables in every shape they come in (issue 13).

Real tables are built at test time (HTML with rowspan/colspan, .docx with python-docx, a PDF
with reportlab), the text shapes come from the two field reports in ../shared/field (kept
as the checklist's example files) and from layout/one-cell-per-line/flattened variants of
one table. Each is read by the reader, recognised by ``auditor.document.tables`` and judged
by the GIA rules, which must quote the row they decided on.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.document import understand
from auditor.document.tables import APPLICANTS, _row_sum_ok, find_tables, read_cell, split_runs

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "auditor" / "checklists" / "gov-info-disclosure" / "examples"
PINGTAN = EXAMPLES / "平潭综合实验区-2019-一行页面.txt"
HONGZE = EXAMPLES / "洪泽区-2023-pdftotext.txt"
AUDITOR = str(Path(sys.executable).with_name("auditor"))

# The national application table (2021 format), one list per row: label cells, then 7 figures
# (自然人, 5 kinds of 法人或其他组织, 总计); each row adds up across, and 25 + 2 = 26 + 1, but the
# results add up to 25 under a （七）总计 of 26 (GIA-SUM-02 must say gap and quote the row).
HEAD = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
ROWS: list[tuple[list[str], list[str]]] = [
    (["一、本年新收政府信息公开申请数量"], ["21", "4", "0", "0", "0", "0", "25"]),
    (["二、上年结转政府信息公开申请数量"], ["2", "0", "0", "0", "0", "0", "2"]),
    (["三、本年度办理结果", "（一）予以公开"], ["9", "2", "0", "0", "0", "0", "11"]),
    (["（二）部分公开（区分处理的，只计这一情形，不计其他情形）"], ["3", "0", "0", "0", "0", "0", "3"]),
    (["（三）不予公开", "1.属于国家秘密"], ["0", "0", "0", "0", "0", "0", "0"]),
    (["2.其他法律行政法规禁止公开"], ["0"] * 7),
    (["3.危及“三安全一稳定”"], ["0"] * 7),
    (["4.保护第三方合法权益"], ["1", "0", "0", "0", "0", "0", "1"]),
    (["5.属于三类内部事务信息"], ["0"] * 7),
    (["6.属于四类过程性信息"], ["0"] * 7),
    (["7.属于行政执法案卷"], ["0"] * 7),
    (["8.属于行政查询事项"], ["0"] * 7),
    (["（四）无法提供", "1.本机关不掌握相关政府信息"], ["6", "0", "0", "0", "0", "0", "6"]),
    (["2.没有现成信息需要另行制作"], ["0"] * 7),
    (["3.补正后申请内容仍不明确"], ["1", "0", "0", "0", "0", "0", "1"]),
    (["（五）不予处理", "1.信访举报投诉类申请"], ["2", "0", "0", "0", "0", "0", "2"]),
    (["2.重复申请"], ["0"] * 7),
    (["3.要求提供公开出版物"], ["0"] * 7),
    (["4.无正当理由大量反复申请"], ["0"] * 7),
    (["5.要求行政机关确认或重新出具已获取信息"], ["0"] * 7),
    (
        ["（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"],
        ["1", "0", "0", "0", "0", "0", "1"],
    ),
    (["2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"], ["0"] * 7),
    (["3.其他"], ["0"] * 7),
    (["（七）总计"], ["25", "1", "0", "0", "0", "0", "26"]),
    (["四、结转下年度继续办理"], ["1", "0", "0", "0", "0", "0", "1"]),
]
REVIEW = ["2", "1", "0", "0", "3", "0", "0", "0", "1", "1", "0", "0", "0", "0", "0"]  # every group adds up
INTRO = "一、总体情况\n" + "2023年，本局认真贯彻《中华人民共和国政府信息公开条例》，全年主动公开政府信息512条。" * 3


def _html() -> str:
    rows = [
        f'<tr><td colspan="3" rowspan="3">{HEAD}</td><td colspan="7">申请人情况</td></tr>',
        '<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>',
        "<tr>"
        + "".join(f"<td>{h}</td>" for h in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"))
        + "</tr>",
    ]
    spans = {
        "三、本年度办理结果": 23,
        "（三）不予公开": 8,
        "（四）无法提供": 3,
        "（五）不予处理": 5,
        "（六）其他处理": 3,
    }
    for labels, figures in ROWS:
        cells = []
        for label in labels:
            attr = f'rowspan="{spans[label]}"' if label in spans else f'colspan="{4 - len(labels)}"'
            cells.append(f"<td {attr}><p>{label}</p></td>")
        cells += [f"<td>{f}</td>" for f in figures]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    review_head = (
        "<tr><td colspan='5'>行政复议</td><td colspan='10'>行政诉讼</td></tr>"
        "<tr>"
        + "".join(f"<td rowspan='2'>{h}</td>" for h in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"))
        + "<td colspan='5'>未经复议直接起诉</td><td colspan='5'>复议后起诉</td></tr>"
        "<tr>"
        + "".join(f"<td>{h}</td>" for h in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计") * 2)
        + "</tr>"
    )
    review = "<tr>" + "".join(f"<td>{f}</td>" for f in REVIEW) + "</tr>"
    body = "".join(f"<p>{line}</p>" for line in INTRO.split("\n"))
    return (
        f"<html><head><meta charset='utf-8'><title>安澜县教育局2023年政府信息公开工作年度报告</title></head><body>"
        f"<nav>首页 | 政务公开</nav><div id='zoom'><h1>安澜县教育局2023年政府信息公开工作年度报告</h1>{body}"
        f"<p>三、收到和处理政府信息公开申请情况</p><table border='1'>{''.join(rows)}</table>"
        f"<p>四、政府信息公开行政复议、行政诉讼情况</p><table border='1'>{review_head}{review}</table>"
        "<p>五、存在的主要问题及改进情况</p></div></body></html>"
    )


def _docx(path: Path) -> None:
    import docx

    document = docx.Document()
    for line in INTRO.split("\n"):
        document.add_paragraph(line)
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    table = document.add_table(rows=len(ROWS), cols=10)
    for r, (labels, figures) in enumerate(ROWS):
        cells = [*labels, *([""] * (3 - len(labels))), *figures]
        for c, value in enumerate(cells):
            table.cell(r, c).text = value
    document.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    review = document.add_table(rows=1, cols=15)
    for c, value in enumerate(REVIEW):
        review.cell(0, c).text = value
    document.save(str(path))


def _pdf(path: Path, ruled: bool = True) -> None:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("body", fontName="STSong-Light", fontSize=10, leading=14)
    lines = [("GRID", (0, 0), (-1, -1), 0.5, "black")] if ruled else []  # unruled: the text fallback reads it
    grid = TableStyle([("FONT", (0, 0), (-1, -1), "STSong-Light", 6), *lines])
    data = [[" ".join(labels)[:30], *figures] for labels, figures in ROWS]
    flow: list[Any] = [Paragraph(line, style) for line in INTRO.split("\n")]
    flow += [
        Paragraph("三、收到和处理政府信息公开申请情况", style),
        Table(data, style=grid),
        Paragraph("四、政府信息公开行政复议、行政诉讼情况", style),
        Table([REVIEW], style=grid),
        Paragraph("五、存在的主要问题及改进情况", style),
    ]
    SimpleDocTemplate(str(path), pagesize=landscape(A4)).build(flow)


def _layout_text() -> str:
    """pdftotext -layout: aligned columns, a page number and a form feed inside the table."""
    lines = [
        INTRO,
        "三、收到和处理政府信息公开申请情况",
        "                 申请人情况",
        "          自然人   商业  科研  社会  法律  其他   总计",
    ]
    for k, (labels, figures) in enumerate(ROWS):
        lines.append(f"   {labels[-1]:<40}" + "".join(f"{f or ' ':>6}" for f in figures))
        if k == 12:
            lines.append("\n                                  -3-\n\f")
    lines += [
        "四、政府信息公开行政复议、行政诉讼情况",
        "  行政复议            行政诉讼",
        "结果 结果 其他 尚未 总计 未经复议直接起诉 复议后起诉",
        "维持 纠正 结果 审结",
        "  ".join(REVIEW),
        "五、存在的主要问题及改进情况",
    ]
    return "\n".join(lines) + "\n"


def _one_cell_per_line() -> str:
    lines = [INTRO, "三、收到和处理政府信息公开申请情况", HEAD, "申请人情况", "自然人", "总计"]
    for labels, figures in ROWS:
        lines += [*labels, *figures]
    lines += [
        "四、政府信息公开行政复议、行政诉讼情况",
        "行政复议",
        "行政诉讼",
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
        *REVIEW,
        "五、存在的主要问题及改进情况",
    ]
    return "\n".join(lines) + "\n"


def _flattened() -> str:
    """A page dump: the table flattened onto the body line, neighbouring cells' digits run together."""
    rows = "".join("".join(labels) + "".join(figures) for labels, figures in ROWS)
    return (
        INTRO.replace("\n", "")
        + "三、收到和处理政府信息公开申请情况"
        + HEAD
        + "申请人情况自然人法人或其他组织总计"
        + rows
        + "四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计"
        + "".join(REVIEW)
        + " 五、存在的主要问题及改进情况\n"
    )


def _audit(path: Path) -> dict[str, Any]:
    out = subprocess.run(
        [AUDITOR, "check", str(path), "--checklist", "gov-info-disclosure", "--format", "json", "--no-progress"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr
    (report,) = json.loads(out.stdout)["reports"]
    return {f["rule_id"]: f for f in report["findings"]}


def _write(tmp_path: Path, shape: str) -> Path:
    if shape == "html":
        path = tmp_path / "report.html"
        path.write_text(_html(), encoding="utf-8")
    elif shape == "docx":
        path = tmp_path / "report.docx"
        _docx(path)
    elif shape in ("pdf", "pdf-unruled"):
        path = tmp_path / "report.pdf"
        _pdf(path, ruled=shape == "pdf")
    else:
        text = {"layout": _layout_text, "cells": _one_cell_per_line, "flat": _flattened}[shape]()
        path = tmp_path / f"report-{shape}.txt"
        path.write_text(text, encoding="utf-8")
    return path


SHAPES = ["html", "docx", "pdf", "pdf-unruled", "layout", "cells", "flat"]


@pytest.mark.parametrize("shape", SHAPES)
def test_every_shape_reads_the_same_table_and_the_sum_rules_decide(tmp_path: Path, shape: str) -> None:
    findings = _audit(_write(tmp_path, shape))
    tab2, sum1, sum2, sum3 = (findings[r] for r in ("GIA-TAB-02", "GIA-SUM-01", "GIA-SUM-02", "GIA-SUM-03"))
    assert tab2["status"] == "met", tab2["message"]
    assert tab2["values"]["new_apps"] == 25 and tab2["values"]["total"] == 26
    assert sum1["status"] == "met", sum1["message"]  # 25 + 2 == 26 + 1
    assert sum2["status"] == "gap", sum2["message"]  # results add up to 25, 总计 says 26
    assert "26" in sum2["evidence"][0]["text"] and "总计" in sum2["evidence"][0]["text"]  # the row is quoted
    assert sum3["status"] == "met", sum3["message"]
    assert sum3["values"]["fy_total"] == 3 and sum3["values"]["ds_pending"] == 1
    assert findings["GIA-TAB-03"]["status"] == "met"


@pytest.mark.parametrize("shape", ["html", "docx"])
def test_blank_cell_stays_blank(tmp_path: Path, shape: str) -> None:
    from auditor.readers import read_document

    ROWS[0][1][2] = ""
    try:
        text = read_document(str(_write(tmp_path, shape)), max_chars=10**7).text
    finally:
        ROWS[0][1][2] = "0"
    assert re.search(r"\| 21 \| 4 \| +\| 0 \|", text), text
    doc = understand(text)
    table = doc.tables[0]
    row = table.find_row("本年新收政府信息公开申请数量")
    assert row is not None and row.cells[2] is not None and row.cells[2].value is None  # blank, not 0
    assert read_cell(table, "本年新收政府信息公开申请数量", "科研机构").value is None
    assert read_cell(table, "本年新收政府信息公开申请数量", "自然人").value == 21


def test_group_row_reads_as_the_sum_of_its_items() -> None:
    doc = understand(_one_cell_per_line())
    (table, _) = find_tables(doc.text, *doc.body)
    assert read_cell(table, "其他处理", "总计").value == 1  # 2021: three sub-rows 1 + 0 + 0
    assert read_cell(table, "不予公开", "总计").value == 1


# ------------------------------------------------------------------- the field reports


def test_text_shapes_with_a_blank_cell_are_not_guessed(tmp_path: Path) -> None:
    """In text a blank cell leaves no trace: the row cannot be split for sure → needs_review."""
    text = _one_cell_per_line().replace("\n21\n4\n0\n0\n0\n0\n25\n", "\n21\n4\n\n0\n0\n0\n25\n", 1)
    path = tmp_path / "blank.txt"
    path.write_text(text, encoding="utf-8")
    sum1 = _audit(path)["GIA-SUM-01"]
    assert sum1["status"] == "needs_review", sum1["message"]
    assert "本年新收" in sum1["message"] and "本年新收" in sum1["evidence"][0]["text"]


def test_flattened_field_report_end_to_end() -> None:
    doc = understand(PINGTAN.read_text(encoding="utf-8"))
    titles = [s.heading.title for s in doc.sections if s.parent is None]
    assert titles[2:5] == [
        "收到和处理政府信息公开申请情况",
        "政府信息公开行政复议、行政诉讼情况",
        "存在的主要问题及改进情况",
    ]
    app, review = doc.tables
    assert [c.value if c else None for c in app.find_row("本年新收").cells] == [23, 0, 0, 0, 0, 0, 23]  # "230 000023"
    assert app.find_row("其他处理").cells[-1].value == 0  # 2019 layout: one 其他处理 row
    assert not app.problems and not review.problems
    findings = _audit(PINGTAN)
    for rule in ("GIA-STR-03", "GIA-STR-04", "GIA-STR-05", "GIA-SUM-01", "GIA-SUM-02", "GIA-SUM-03"):
        assert findings[rule]["status"] == "met", (rule, findings[rule]["message"])
    assert findings["GIA-FEE-01"]["status"] == "not_applicable"  # a 2019 report


def test_layout_field_report_end_to_end() -> None:
    findings = _audit(HONGZE)
    assert findings["GIA-SUM-02"]["status"] == "met"
    sum3 = findings["GIA-SUM-03"]
    assert sum3["status"] == "gap"  # 行政复议 10 + 1 under 总计 0; 复议后起诉 5 under 总计 0
    assert sum3["values"]["fy_keep"] == 10 and sum3["values"]["fy_total"] == 0 and sum3["values"]["as_keep"] == 5
    assert "10" in sum3["evidence"][0]["text"]


def test_text_tables_option_shows_the_tables() -> None:
    out = subprocess.run([AUDITOR, "text", str(PINGTAN), "--tables"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "收到和处理政府信息公开申请情况" in out.stdout
    assert (
        "本年新收政府信息公开申请数量（第10行；数字连写，按本行总计唯一拆分）：23 | 0 | 0 | 0 | 0 | 0 | 23"
        in out.stdout
    )


# --------------------------------------------------------------- digit runs (property)


def test_a_hostile_digit_run_is_bounded() -> None:
    """A long run of digits has millions of splits: the row is given up, quickly."""
    assert split_runs(["1" * 60], 15, lambda values: False) is None
    doc = understand(
        "四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计"
        + "12345678901234567890123456789012345678901234567890"
        + " 五、存在的主要问题\n"
    )
    (review,) = doc.tables
    assert review.rows[0].problem  # not read, and not guessed


def test_an_inconsistent_flattened_row_is_quoted_not_guessed(tmp_path: Path) -> None:
    """予以公开5000000: items add up to 5 under a 总计 of 0 — no split is consistent, so no figure
    is made up (not 5000000, not 0): SUM-02 says needs_review and quotes the row."""
    text = _flattened().replace("（一）予以公开92000011", "（一）予以公开5000000")
    assert text != _flattened()
    path = tmp_path / "flat.txt"
    path.write_text(text, encoding="utf-8")
    sum2 = _audit(path)["GIA-SUM-02"]
    assert sum2["status"] == "needs_review", sum2["message"]
    assert "予以公开5000000" in sum2["evidence"][0]["text"]


def _merge(values: list[int], joins: list[bool]) -> list[str]:
    """The figures as a flattened page writes them: some separators lost."""
    tokens = [str(values[0])]
    for value, joined in zip(values[1:], joins, strict=True):
        if joined:
            tokens[-1] += str(value)
        else:
            tokens.append(str(value))
    return tokens


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(0, 120), min_size=len(APPLICANTS) - 1, max_size=len(APPLICANTS) - 1),
    st.lists(st.booleans(), min_size=len(APPLICANTS) - 1, max_size=len(APPLICANTS) - 1),
)
def test_split_is_the_truth_or_no_answer(items: list[int], joins: list[bool]) -> None:
    row = [*items, sum(items)]
    found = split_runs(_merge(row, joins), len(row), _row_sum_ok)
    assert found is not None
    assert row in found  # the true split is always among the consistent ones
    if len(found) == 1:
        assert found[0] == row  # a unique answer is the right one, never a guess


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 30), min_size=6, max_size=6), st.lists(st.booleans(), min_size=6, max_size=6))
def test_flattened_row_is_read_or_reported(items: list[int], joins: list[bool]) -> None:
    row = [*items, sum(items)]
    figures = "".join(t if i == 0 else (" " + t) for i, t in enumerate(_merge(row, joins)))
    text = (
        "".join("".join(labels) + "".join(f) for labels, f in ROWS[:2]) + "三、本年度办理结果（一）予以公开" + figures
    )
    text += "".join("".join(labels) + "".join(f) for labels, f in ROWS[3:])
    doc = understand("三、收到和处理政府信息公开申请情况" + text + "\n")
    (table,) = find_tables(doc.text, *doc.body)
    granted = table.find_row("予以公开")
    assert granted is not None
    if granted.problem is None:
        assert [c.value if c else None for c in granted.cells] == row
    else:
        assert "拆分" in granted.problem


@pytest.mark.parametrize("sep", [" | ", " "])
def test_fewer_columns_give_the_total_when_it_adds_up(sep: str) -> None:
    """A local variant with 自然人 / 法人或其他组织 / 总计: the last figure is the total only when
    it is the sum of the others; otherwise the row is not read."""
    rows = [
        ("一、本年新收政府信息公开申请数量", "5 1 6"),
        ("二、上年结转政府信息公开申请数量", "0 0 0"),
        ("（一）予以公开", "3 1 4"),
        ("（二）部分公开", "1 0 1"),
        ("（七）总计", "5 1 6"),
        ("四、结转下年度继续办理", "0 0 7"),
    ]
    text = "三、收到和处理政府信息公开申请情况\n" + "".join(f"{k}{sep}{v.replace(' ', sep)}\n" for k, v in rows)
    (table,) = understand(text).tables
    assert read_cell(table, "本年新收政府信息公开申请数量", "总计").value == 6
    assert read_cell(table, "本年新收政府信息公开申请数量", "自然人").value is None  # not guessed
    assert read_cell(table, "结转下年度继续办理", "总计").problem  # 0 + 0 is not 7


@pytest.mark.parametrize(("shape", "pipes"), [("html", True), ("docx", True), ("pdf", True), ("pdf-unruled", False)])
def test_readers_write_real_tables_one_row_per_line(tmp_path: Path, shape: str, pipes: bool) -> None:
    from auditor.readers import read_document

    text = read_document(str(_write(tmp_path, shape)), max_chars=10**7).text
    row = next(line for line in text.splitlines() if "本年新收" in line)
    assert ("| 21 | 4 | 0 | 0 | 0 | 0 | 25" in row) is pipes, row  # the ruled PDF: pdfplumber's table finder
    assert "25" in row


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.one_of(st.none(), st.integers(0, 999)), min_size=7, max_size=7).filter(
            lambda row: any(v is not None for v in row)
        ),
        min_size=1,
        max_size=4,
    )
)
def test_pipe_rows_read_back_exactly(figures: list[list[int | None]]) -> None:
    """A rendered table row reads back cell by cell; a blank cell stays blank (None), never 0.
    (A row with no figure at all is dropped with the page chrome: not found, so never read as 0.)"""
    labels = [
        "一、本年新收政府信息公开申请数量",
        "二、上年结转政府信息公开申请数量",
        "（一）予以公开",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "（七）总计",
    ]
    rows = [*figures, *([[0] * 7] * (len(labels) - len(figures)))]
    text = "三、收到和处理政府信息公开申请情况\n" + "".join(
        f"{label} | " + " | ".join("" if v is None else str(v) for v in row) + "\n"
        for label, row in zip(labels, rows, strict=True)
    )
    (table,) = understand(text).tables
    for label, row in zip(labels, rows, strict=True):
        got = table.find_row(label)
        assert got is not None and got.problem is None
        assert [c.value if c is not None else "absent" for c in got.cells] == row
