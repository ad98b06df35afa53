"""Misreads found in the second probe of 政府信息公开 reports, fixed in a third round (gia3).
Each test builds the report shape at test time and fails on the code before the fix.

A gap accuses a government unit: it is said only when a thing is absent where it counts; a
figure we cannot read is needs_review.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from auditor.document import understand
from auditor.document.tables import find_tables, read_cell
from auditor.readers.dispatch import read_document
from auditor.readers.textnorm import blank_page_numbers
from tests.checklist.test_gia_tables import INTRO, ROWS, _audit
from tests.helpers import evaluate

# ------------------------------------------------------------ 1. a review table written all 无

REVIEW_HEAD_PIPES = (
    "行政复议 | 行政诉讼\n"
    "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 | 复议后起诉\n"
    " | | | | | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计\n"
)


def _review_report(row: str) -> str:
    """A provincial department's report whose review table (a rendered table: cells between
    pipes) follows a sentence with a year, its two upper header rows read as menu-like lines."""
    app = "\n".join(" | ".join([*labels, *figures]) for labels, figures in ROWS)
    return (
        "江淮省水利厅2023年政府信息公开工作年度报告\n发布日期：2024-01-26\n"
        f"{INTRO}\n三、收到和处理政府信息公开申请情况\n{app}\n"
        "四、政府信息公开行政复议、行政诉讼情况\n2023年，本厅未发生因政府信息公开引起的行政复议、行政诉讼。\n"
        f"{REVIEW_HEAD_PIPES}{row}\n"
        "五、存在的主要问题及改进情况\n一是政策解读的针对性不强，个别解读照搬原文；二是依申请公开答复的说理不够充分。"
        "下一步，我厅将建立解读审核机制，组织答复文书评查。\n"
    )


@pytest.mark.parametrize("nil", ["无", "0", "—"])
def test_a_review_table_of_nil_cells_is_read(nil: str) -> None:
    doc = understand(_review_report(" | ".join([nil] * 15)))
    review = next(t for t in doc.tables if t.kind == "review")
    assert [c.value for c in review.rows[0].cells if c is not None] == [0.0] * 15
    assert not review.problems


def test_a_review_table_written_all_wu_is_met(tmp_path: Path) -> None:
    path = tmp_path / "wu.txt"
    path.write_text(_review_report(" | ".join(["无"] * 15)), encoding="utf-8")
    findings = _audit(path)
    assert findings["GIA-TAB-03"]["status"] == "met", findings["GIA-TAB-03"]["message"]
    assert findings["GIA-SUM-03"]["status"] == "met", findings["GIA-SUM-03"]["message"]


def test_a_review_table_of_wu_in_layout_text_is_read() -> None:
    text = (
        "四、政府信息公开行政复议、行政诉讼情况\n"
        "        行政复议                         行政诉讼\n"
        "  结果维持 结果纠正 其他结果 尚未审结 总计  未经复议直接起诉  复议后起诉\n"
        "     " + "    ".join(["无"] * 15) + "\n五、存在的主要问题及改进情况\n"
    )
    (review,) = find_tables(text)
    assert [c.value for c in review.rows[0].cells if c is not None] == [0.0] * 15


def test_a_wu_in_words_is_no_review_table() -> None:
    text = (
        "四、政府信息公开行政复议、行政诉讼情况\n本年度行政复议、行政诉讼案件结果维持、尚未审结的总计 无 件。\n"
        "五、存在的主要问题及改进情况\n"
    )
    assert find_tables(text) == ()


# ------------------------------------------------------------ 2. figures between the lines of a wrapped label

_FIG = "".join(f"{f:>8}" for f in ("2", "0", "0", "0", "0", "0", "2"))
_ZERO = "".join(f"{f:>8}" for f in ["0"] * 7)


def _layout(rows: list[str]) -> str:
    head = [
        "三、收到和处理政府信息公开申请情况",
        "一、本年新收政府信息公开申请数量                         " + "".join(f"{f:>8}" for f in ROWS[0][1]),
        "二、上年结转政府信息公开申请数量                         " + "".join(f"{f:>8}" for f in ROWS[1][1]),
        "三、本年度办理结果   （一）予以公开                       " + "".join(f"{f:>8}" for f in ROWS[2][1]),
        "（二）部分公开                                           " + "".join(f"{f:>8}" for f in ROWS[3][1]),
    ]
    return "\n\n".join([*head, *rows]) + "\n\n四、政府信息公开行政复议、行政诉讼情况\n"


OTHER_GROUP = [  # pdftotext -layout of a report: the group label (六) centred on the figure line
    "5.要求行政机关确认或重新出具已获取信息                   " + _ZERO,
    "                      1.申请人无正当理由逾期不补正、行政机关不\n（六）其他处理                 "
    + _FIG
    + "\n                      再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求\n缴纳费用、行政机关不再处理其           " + _ZERO + "\n政府信息公开申请",
    "3.其他                                                   " + _ZERO,
    "（七）总计                                               " + _FIG,
]


def test_figures_between_the_lines_of_a_wrapped_label_are_its_own() -> None:
    (app,) = understand(_layout(OTHER_GROUP)).tables
    assert read_cell(app, "逾期不补正", "总计").value == 2
    assert read_cell(app, "逾期不补正", "自然人").value == 2
    assert read_cell(app, "缴纳费用", "总计").value == 0
    assert app.find_row("其他处理") is not None
    assert all(c is None for c in app.find_row("其他处理").cells)  # type: ignore[union-attr]
    assert read_cell(app, "其他处理", "总计").value == 2  # the sum of its three items


NONE_GROUP = [  # the same with the group label (四) on the figure line and the row's label keyed on its 2nd line
    "1.本机关不掌握相关政府信息                                " + _ZERO,
    "2.没有现成信息需要\n（四）无法提供                 " + _FIG + "\n另行制作",
    "3.补正后申请内容仍不明确                                 " + _ZERO,
]


def test_a_group_label_on_the_figure_line_of_a_row_keyed_on_its_second_line() -> None:
    (app,) = understand(_layout(NONE_GROUP)).tables
    assert read_cell(app, "另行制作", "总计").value == 2
    assert read_cell(app, "不掌握", "总计").value == 0
    assert read_cell(app, "无法提供", "总计").value == 2


def test_a_group_row_with_figures_of_its_own_keeps_them() -> None:
    """No label wraps around the figure line: the figures stay the group row's (a local table that
    fills in the group's own total)."""
    rows = [
        "（六）其他处理                                           " + _FIG,
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 " + _FIG,
        "3.其他                                                   " + _ZERO,
    ]
    (app,) = understand(_layout(rows)).tables
    assert read_cell(app, "其他处理", "总计").value == 2
    assert read_cell(app, "逾期不补正", "总计").value == 2


# ------------------------------------------------------------ 3. inline 一是…二是… in one paragraph


def _part(body: str) -> str:
    head = "一、总体情况\n全年主动公开政府信息386条。\n五、存在的主要问题及改进情况\n"
    return f"{head}{body}\n六、其他需要报告的事项\n无。\n"


GIA_SECTION = {
    "type": "section",
    "heading": "存在的?(主要)?(问题|不足)|改进情况",
    "min_items": 2,
    "value_prefix": "",
    "generic": ["有待(进一步)?(加强|提高|提升|完善|改进|增强)|还(存在|有)(一定|较大)?差距"],
}


def test_an_item_with_an_empty_phrase_and_a_concrete_clause_counts() -> None:
    body = (
        "一是信息公开的及时性有待提高，部分行政处罚信息未在7个工作日内公开；二是政策解读形式单一，主要为文字解读。"
        "下一步，我局将建立信息公开台账。"
    )
    out = evaluate(GIA_SECTION, _part(body))
    assert out.values["items"] == 2
    assert out.status == "met"


def test_items_made_only_of_empty_phrases_still_do_not_count() -> None:
    body = "一是公开意识有待加强，工作水平还有差距；二是公开质量有待提高，内容有待完善。下一步将加强学习。"
    assert evaluate(GIA_SECTION, _part(body)).values["items"] == 0


def test_the_fazhi_shortcomings_part_counts_inline_items_alike() -> None:
    text = (
        "一、主要举措和成效\n全年开展执法检查12次，办理案件20件。\n二、存在的问题和不足\n"
        "一是执法规范化水平有待提高，3起行政处罚案卷存在文书不规范问题；二是普法宣传有待加强，全年仅开展2次进村入户宣讲。\n"
        "三、2024年工作安排\n继续加强执法队伍建设。"
    )
    out = evaluate({"type": "section", "role": "shortcomings", "min_items": 2, "value_prefix": ""}, text)
    assert out.values["items"] == 2
    assert out.status == "met"


def test_the_market_report_of_2019_lists_two_problems(tmp_path: Path) -> None:
    path = tmp_path / "market.txt"
    path.write_text(
        "安澜县市场监督管理局2019年政府信息公开工作年度报告\n发布日期：2020-01-21\n一、概述\n"
        "2019年，我局认真贯彻落实新修订的《中华人民共和国政府信息公开条例》，全年主动公开政府信息386条。\n"
        "六、政府信息公开工作存在的主要问题及改进情况\n"
        "一是信息公开的及时性有待提高，部分行政处罚信息未在7个工作日内公开；二是政策解读形式单一，主要为文字解读。"
        "下一步，我局将建立信息公开台账，落实专人负责，丰富图解、视频等解读形式。\n七、其他需要报告的事项\n无。\n",
        encoding="utf-8",
    )
    finding = _audit(path)["GIA-PRB-01"]
    assert finding["status"] == "met", finding["message"]
    assert finding["values"]["problem_items"] == 2


# ------------------------------------------------------------ 4. a table split across two pages


BALANCED = [(labels, list(figures)) for labels, figures in ROWS]
BALANCED[23] = (BALANCED[23][0], ["26", "0", "0", "0", "0", "0", "26"])  # results: 26 = 25 new + 2 - 1 carried
BALANCED[2] = (BALANCED[2][0], ["9", "3", "0", "0", "0", "0", "12"])  # 予以公开: the results add up to 26
BALANCED[0] = (BALANCED[0][0], ["20", "5", "0", "0", "0", "0", "25"])
BALANCED[23] = (BALANCED[23][0], ["22", "4", "0", "0", "0", "0", "26"])
HEADER_LINES = [
    "                                              申请人情况",
    "（本列数据的勾稽关系为：第一项加第二项之和，         自然人      法人或其他组织                 总计",
    "等于第三项加第四项之和）                          商业企业 科研机构 社会公益组织 法律服务机构 其他",
]


def _split_layout(page_number: str) -> str:
    lines = [INTRO, "三、收到和处理政府信息公开申请情况", *HEADER_LINES]
    for k, (labels, figures) in enumerate(BALANCED):
        lines.append(f"{'  '.join(labels):<44}" + "".join(f"{f:>7}" for f in figures))
        if k == 13:  # inside the group （四）: the page ends, the next repeats the header
            lines += ["", page_number, "\f" + HEADER_LINES[0], *HEADER_LINES[1:]]
    lines += ["四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况"]
    return "\n".join(lines) + "\n"


def _check_balanced(app: Any) -> None:
    assert not app.problems, [r.problem for r in app.problems]
    assert read_cell(app, "补正后", "总计").value == 1  # the first row after the break
    assert read_cell(app, "信访举报投诉", "总计").value == 2
    assert read_cell(app, "总计", "总计").value == 26
    assert read_cell(app, "结转下年度继续办理", "总计").value == 1


@pytest.mark.parametrize(
    "page_number",
    ["                        - 3 -", "                    第 3 页 共 5 页", "                          3", "3"],
)
def test_a_layout_table_split_over_two_pages_reads_the_rows_after_the_break(page_number: str, tmp_path: Path) -> None:
    """Read from a file, as pdftotext's output comes: a page number alone on its line before the form
    feed (3) is no cell of the row the page break cuts (textnorm.blank_page_numbers)."""
    path = tmp_path / "split.txt"
    path.write_text(_split_layout(page_number), encoding="utf-8")
    doc = understand(read_document(str(path)).text)
    _check_balanced(next(t for t in doc.tables if t.kind == "application"))


def test_a_lone_number_away_from_a_page_break_is_kept() -> None:
    """Only a number next to a form feed is a page number: a figure on a line of its own elsewhere (a
    cell-per-line paste) stays, and every offset stays where it was."""
    text = "予以公开\n3\n部分公开\n12\n\n                  4\n\x0c  不予公开\n  7\n"
    blanked = blank_page_numbers(text)
    assert len(blanked) == len(text)
    assert blanked.split("\n")[:4] == ["予以公开", "3", "部分公开", "12"]
    assert blanked.split("\n")[5].strip() == "" and "7" in blanked.split("\n")[7]


def test_a_layout_table_split_over_two_pages_adds_up(tmp_path: Path) -> None:
    path = tmp_path / "split.txt"
    path.write_text(_split_layout("                        - 3 -"), encoding="utf-8")
    findings = _audit(path)
    for rule in ("GIA-SUM-01", "GIA-SUM-02"):
        assert findings[rule]["status"] == "met", (rule, findings[rule]["message"])


def _split_pdf(path: Path) -> None:
    """A reportlab PDF (STSong-Light) whose application table runs over two pages, its two
    header rows repeated on the second (repeatRows)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("body", fontName="STSong-Light", fontSize=10, leading=14)
    grid = TableStyle([("FONT", (0, 0), (-1, -1), "STSong-Light", 7), ("GRID", (0, 0), (-1, -1), 0.5, "black")])
    header = [
        ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况", "", "", "", "", "", ""],
        ["", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"],
    ]
    data = header + [[labels[-1][:24], *figures] for labels, figures in BALANCED]
    flow: list[Any] = [Paragraph("安澜县教育局2023年政府信息公开工作年度报告", style)]
    flow += [Paragraph(line, style) for line in INTRO.split("\n")]
    flow += [Spacer(1, 420), Paragraph("三、收到和处理政府信息公开申请情况", style)]
    flow += [Table(data, style=grid, repeatRows=2, rowHeights=18)]
    flow += [Paragraph("四、政府信息公开行政复议、行政诉讼情况", style)]
    SimpleDocTemplate(str(path), pagesize=A4).build(flow)


def test_a_pdf_table_split_over_two_pages_with_its_header_repeated(tmp_path: Path) -> None:
    path = tmp_path / "split.pdf"
    _split_pdf(path)
    layout = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    assert layout.stdout.count("\f") >= 2 and layout.stdout.count("申请人情况") == 2  # split, header repeated
    from auditor.readers.dispatch import read_document

    doc = understand(read_document(str(path)).text)
    _check_balanced(next(t for t in doc.tables if t.kind == "application"))
    findings = _audit(path)
    for rule in ("GIA-SUM-01", "GIA-SUM-02"):
        assert findings[rule]["status"] == "met", (rule, findings[rule]["message"])
