"""Misreads found in a fourth probe of 政府信息公开 reports (gia4): 2025 reports published in 2026, in
shapes the earlier rounds had not seen. Each test builds the report shape at test time and fails on
the code before the fix.

A gap accuses a government unit: it is said only when a thing is absent where it counts; a figure we
cannot read is needs_review.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from auditor.checklist import Checklist
from auditor.document import understand
from auditor.document.normalize import normalize
from auditor.document.tables import find_tables, read_cell
from auditor.engine import audit
from auditor.loader import load_checklist
from tests.checklist.test_gia_probe_2 import _big_rows
from tests.checklist.test_gia_tables import INTRO, ROWS, _audit


@cache
def _gia() -> Checklist:
    return load_checklist("gov-info-disclosure")


def _statuses(text: str) -> dict[str, str]:
    return {f.rule_id: f.status for f in audit(understand(text), _gia()).findings}


# ------------------------------------------------------------ 1. thousands grouped by spaces (2 890)

SPACES = [" ", "\u00a0", "\u2009"]  # GB/T 15835's 千分空, as a page or a Word file writes it


def _spaced(figure: str, space: str) -> str:
    return figure.replace(",", space)


def _page(rows: list[tuple[list[str], list[str]]], space: str) -> str:
    """A county's page: every rendered cell one figure, four-figure counts grouped by a space."""
    body = "".join(
        "<tr>" + "".join(f"<td>{c}</td>" for c in [" ".join(labels), *(_spaced(f, space) for f in figures)]) + "</tr>"
        for labels, figures in rows
    )
    head = "<tr><td>申请人情况</td>" + "".join(
        f"<td>{h}</td>" for h in ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
    )
    review = "<tr>" + "".join(f"<td>{f}</td>" for f in ["0"] * 15) + "</tr>"
    review_head = "<tr><td colspan='5'>行政复议</td><td colspan='10'>行政诉讼</td></tr><tr>" + "".join(
        f"<td>{h}</td>" for h in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计") * 3
    )
    intro = "".join(f"<p>{line}</p>" for line in INTRO.split("\n"))
    return (
        "<html><head><meta charset='utf-8'><title>安澜市人民政府2025年政府信息公开工作年度报告</title></head><body>"
        f"<h1>安澜市人民政府2025年政府信息公开工作年度报告</h1><p>发布时间：2026-03-20</p>{intro}"
        f"<p>三、收到和处理政府信息公开申请情况</p><table border='1'>{head}</tr>{body}</table>"
        f"<p>四、政府信息公开行政复议、行政诉讼情况</p><table border='1'>{review_head}</tr>{review}</table>"
        "<p>五、存在的主要问题及改进情况</p></body></html>"
    )


@pytest.mark.parametrize("space", SPACES)
def test_a_rendered_cell_grouped_by_spaces_is_one_figure(space: str) -> None:
    rows = _big_rows()
    text = "三、收到和处理政府信息公开申请情况\n" + "\n".join(
        " | ".join([*labels, *(_spaced(f, space) for f in figures)]) for labels, figures in rows
    )
    (app,) = find_tables(understand(text + "\n四、政府信息公开行政复议、行政诉讼情况\n").text)
    assert read_cell(app, "本年新收", "自然人").value == 1180
    assert read_cell(app, "本年新收", "总计").value == 1234
    assert read_cell(app, "总计", "总计").value == 1244
    assert not app.problems


@pytest.mark.parametrize("space", SPACES)
def test_a_page_with_spaced_thousands_is_no_arithmetic_charge(tmp_path: Path, space: str) -> None:
    """Before: 3 455 was read 3, and the sum rules charged a city whose table adds up."""
    path = tmp_path / "city.html"
    path.write_text(_page(_big_rows(), space), encoding="utf-8")
    findings = _audit(path)
    for rule in ("GIA-TAB-02", "GIA-SUM-01", "GIA-SUM-02"):
        assert findings[rule]["status"] == "met", (rule, findings[rule]["message"])
    assert findings["GIA-SUM-01"]["values"]["new_apps"] == 1234


def test_spaced_thousands_still_catch_a_wrong_total(tmp_path: Path) -> None:
    rows = _big_rows()
    rows[23] = (rows[23][0], ["1,200", "54", "0", "0", "0", "0", "1,254"])  # 10 more than the results hold
    path = tmp_path / "city.html"
    path.write_text(_page(rows, " "), encoding="utf-8")
    findings = _audit(path)
    assert findings["GIA-SUM-01"]["status"] == "gap", findings["GIA-SUM-01"]["message"]
    assert findings["GIA-SUM-02"]["status"] == "gap", findings["GIA-SUM-02"]["message"]


def test_two_figures_in_a_cell_are_not_joined() -> None:
    """Only a cell's whole content grouped by threes is one figure: "12 34" is not 1234."""
    line = "一、本年新收政府信息公开申请数量 | 12 34 | 0 | 0 | 0 | 0 | 0 | 12"
    (app,) = find_tables(understand("三、收到和处理政府信息公开申请情况\n" + line + "\n" + _rest()).text)
    assert read_cell(app, "本年新收", "自然人").value == 12


def _rest() -> str:
    return "\n".join(" | ".join([*labels, *figures]) for labels, figures in ROWS[1:])


# ------------------------------------------------------------ 2. part one headed 第一部分 or 1. under the title

PARTS = [
    "总体情况",
    "主动公开政府信息情况",
    "收到和处理政府信息公开申请情况",
    "政府信息公开行政复议、行政诉讼情况",
    "存在的主要问题及改进情况",
    "其他需要报告的事项",
]
BODIES = [
    "2025年，县教育局认真贯彻落实《中华人民共和国政府信息公开条例》，围绕教育重点工作推进政务公开，"
    "全年通过门户网站主动公开政府信息1286条，其中政策文件32件，政策解读18篇；收到政府信息公开申请21件，均按期答复。"
    "严格落实信息发布审核制度，整合政务新媒体账号2个。",
    "行政规范性文件 | 2 | 1 | 15\n行政许可 | 318\n行政处罚 | 42",
    "\n".join(" | ".join([*labels, *figures]) for labels, figures in ROWS),
    "行政复议 | 行政诉讼\n" + " | ".join(["0"] * 15),
    "一是政策解读形式较为单一，图解、视频解读占比不足10%；二是部分栏目更新不够及时，个别栏目超过3个月未更新。"
    "下一步，我局将丰富解读形式，建立栏目更新台账。",
    "2025年度，我局未收取信息处理费。",
]


def _report(markers: list[str]) -> str:
    parts = "".join(f"{m}{title}\n{body}\n" for m, title, body in zip(markers, PARTS, BODIES, strict=True))
    return f"安澜县教育局2025年政府信息公开工作年度报告\n发布时间：2026-01-21\n{parts}"


@pytest.mark.parametrize(
    "markers",
    [
        [f"第{n}部分 " for n in "一二三四五六"],
        [f"第{n}部分\u3000" for n in "一二三四五六"],
        [f"{n}." for n in range(1, 7)],
        [f"{n}、" for n in range(1, 7)],
    ],
    ids=["part-space", "part-ideographic", "arabic-dot", "arabic-comma"],
)
def test_part_one_under_the_title_is_part_of_the_body(markers: list[str]) -> None:
    """Before: the first heading, not yet body-like for the layout, fell into the front matter with the
    title, and a unit whose report opens on 第一部分 总体情况 was charged with having no such part."""
    statuses = _statuses(_report(markers))
    assert {rule: statuses[rule] for rule in ("GIA-STR-01", "GIA-STR-02", "GIA-STR-06")} == dict.fromkeys(
        ("GIA-STR-01", "GIA-STR-02", "GIA-STR-06"), "met"
    )


def test_a_report_without_part_one_still_has_its_gap() -> None:
    text = _report([f"第{n}部分 " for n in "一二三四五六"])
    text = re.sub(r"第一部分 总体情况\n[^\n]*\n", "", text)
    assert "总体情况" not in text
    assert _statuses(text)["GIA-STR-01"] == "gap"


# ------------------------------------------------------------ 3. the review table one group a row

REVIEW = [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]
HEADER = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
GROUPS = ["行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）"]


def _one_header(sep: str, figures: list[int]) -> str:
    rows = [sep.join(["类别", *HEADER])]
    rows += [sep.join([g, *map(str, figures[5 * k : 5 * k + 5])]) for k, g in enumerate(GROUPS)]
    return "\n".join(rows)


def _three_blocks(sep: str, figures: list[int]) -> str:
    return "\n".join(
        f"{g}\n{sep.join(HEADER)}\n{sep.join(map(str, figures[5 * k : 5 * k + 5]))}" for k, g in enumerate(GROUPS)
    )


def _review_report(table: str) -> str:
    app = "\n".join(" | ".join([*labels, *figures]) for labels, figures in ROWS)
    return (
        f"安澜县税务局2025年政府信息公开工作年度报告\n发布日期：2026-01-20\n{INTRO}\n"
        f"二、主动公开政府信息情况\n行政规范性文件 | 2 | 1 | 15\n行政处罚 | 42\n"
        f"三、收到和处理政府信息公开申请情况\n{app}\n四、政府信息公开行政复议、行政诉讼情况\n{table}\n"
        "五、存在的主要问题及改进情况\n一是政策解读形式单一；二是栏目更新不及时。下一步将建立更新台账。\n"
        "六、其他需要报告的事项\n未收取信息处理费。\n"
    )


SHAPES = {
    "one-header-tabs": lambda f: _one_header("\t", f),
    "one-header-pipes": lambda f: _one_header(" | ", f),
    "three-blocks-tabs": lambda f: _three_blocks("\t", f),
    "three-blocks-spaces": lambda f: _three_blocks("   ", f),
}


@pytest.mark.parametrize("shape", SHAPES)
def test_a_review_table_one_group_a_row_is_read(shape: str) -> None:
    doc = understand(_review_report(SHAPES[shape](REVIEW)))
    review = next(t for t in doc.tables if t.kind == "review")
    assert [c.value for c in review.rows[0].cells if c is not None] == [float(v) for v in REVIEW]
    assert read_cell(review, "案件数", "未经复议直接起诉/总计").value == 1
    assert not review.problems


@pytest.mark.parametrize("shape", SHAPES)
def test_a_review_table_one_group_a_row_is_met(shape: str) -> None:
    """Before: only the first group's five figures were read, and TAB-03/SUM-03 said needs_review."""
    statuses = _statuses(_review_report(SHAPES[shape](REVIEW)))
    assert (statuses["GIA-TAB-03"], statuses["GIA-SUM-03"]) == ("met", "met")


def test_a_review_table_one_group_a_row_still_catches_a_wrong_total() -> None:
    wrong = list(REVIEW)
    wrong[4] = 2  # 行政复议: 1 + 0 + 0 + 0 is not 2
    statuses = _statuses(_review_report(_one_header("\t", wrong)))
    assert (statuses["GIA-TAB-03"], statuses["GIA-SUM-03"]) == ("met", "gap")


def test_a_web_page_review_table_one_group_a_row(tmp_path: Path) -> None:
    rows = "".join(
        "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"
        for cells in [["类别", *HEADER], *([g, *map(str, REVIEW[5 * k : 5 * k + 5])] for k, g in enumerate(GROUPS))]
    )
    text = _review_report("@@")
    page = "".join(f"<p>{line}</p>" for line in text.split("\n")).replace("<p>@@</p>", f"<table>{rows}</table>")
    path = tmp_path / "tax.html"
    path.write_text(f"<html><head><meta charset='utf-8'></head><body>{page}</body></html>", encoding="utf-8")
    findings = _audit(path)
    assert findings["GIA-TAB-03"]["status"] == "met", findings["GIA-TAB-03"]["message"]
    assert findings["GIA-SUM-03"]["status"] == "met", findings["GIA-SUM-03"]["message"]


def test_columns_in_another_order_are_not_read_as_the_national_ones() -> None:
    """总计 first: the figures would land in the wrong columns; the one-group-a-row reader declines."""
    header = ["总计", "结果维持", "结果纠正", "其他结果", "尚未审结"]
    table = "\n".join(
        ["\t".join(["类别", *header])]
        + ["\t".join([g, str(REVIEW[5 * k + 4]), *map(str, REVIEW[5 * k : 5 * k + 4])]) for k, g in enumerate(GROUPS)]
    )
    statuses = _statuses(_review_report(table))
    assert statuses["GIA-SUM-03"] != "gap"
    assert statuses["GIA-TAB-03"] == "needs_review"


# ------------------------------------------------------------ 4. a commission named short (县卫健委)


@pytest.mark.parametrize("unit", ["安澜县卫健委", "安澜市发改委", "安澜县教体委"])
def test_a_commission_named_short_is_the_unit(unit: str) -> None:
    """Before: the unit was null, the title's issuer ending in 委 alone being no unit name."""
    doc = understand(f"{unit}2025年政府信息公开工作年度报告\n发布时间：2026-01-21\n{INTRO}\n")
    assert doc.metadata.unit == unit
    assert doc.metadata.level == "department"


def test_a_party_committee_named_short_is_still_no_department() -> None:
    doc = understand(f"中共安澜县委2025年政府信息公开工作年度报告\n{INTRO}\n")
    assert doc.metadata.level != "department"


# ------------------------------------------------------------ 5. parts numbered 一. or 一．


@pytest.mark.parametrize("dot", [".", ". ", "．", "． "])
def test_parts_numbered_with_a_dot_are_the_parts(dot: str) -> None:
    """Before: the dot after 一 was folded to a full stop (一。总体情况), no part was numbered, and
    GIA-STR-01, -02 and -06 were gaps for a report that has all six parts."""
    statuses = _statuses(_report([f"{n}{dot}" for n in "一二三四五六"]))
    rules = [f"GIA-STR-0{k}" for k in range(1, 7)]
    assert {rule: statuses[rule] for rule in rules} == dict.fromkeys(rules, "met")


@pytest.mark.parametrize(
    ("source", "folded"),
    [
        ("一.总体情况", "一.总体情况"),
        ("  十二．其他", "十二.其他"),
        ("全年完成。三.下一步", "全年完成。三.下一步"),
        ("位列第一.", "位列第一。"),
        ("工作分为三.", "工作分为三。"),
        ("一二三四.再", "一二三四。再"),
    ],
)
def test_only_a_part_number_keeps_its_dot(source: str, folded: str) -> None:
    assert normalize(source).text == folded


def test_a_report_numbered_with_dots_still_gets_a_missing_part() -> None:
    text = _report([f"{n}." for n in "一二三四五六"])
    text = re.sub(r"六\.其他需要报告的事项\n[^\n]*\n", "", text)
    assert _statuses(text)["GIA-STR-06"] == "gap"


# ------------------------------------------------------------ 6. the fee named 政府信息公开处理费


def _fee_report(line: str) -> str:
    return (
        f"安澜县人民政府2025年政府信息公开工作年度报告\n发布时间：2026-03-20\n{INTRO}\n"
        f"五、存在的主要问题及改进情况\n一是解读形式单一；二是更新不及时。下一步将建立台账。\n六、其他需要报告的事项\n{line}\n"
    )


def test_the_fee_named_in_full_words_is_reported() -> None:
    """Before: 政府信息公开处理费 did not hold 信息处理费, and FEE-01 asked for a review."""
    assert _statuses(_fee_report("2025年度，本机关未收取政府信息公开处理费。"))["GIA-FEE-01"] == "met"


def test_no_word_of_the_fee_is_still_a_gap() -> None:
    assert _statuses(_fee_report("人大代表建议和政协提案办理结果均已全文公开。"))["GIA-FEE-01"] == "gap"


# ------------------------------------------------------------ 7. rule lines of a text table


def _ruled_part_two(rule: str, bar: str) -> str:
    """Part 二's table as text: its section's title row, a rule line under it, the rows."""

    def row(*cells: str) -> str:
        return f"{bar} " + f" {bar} ".join(cells) + f" {bar}"

    return "\n".join(
        [
            row("第二十条第（一）项", "", "", ""),
            rule,
            row("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
            row("规章", "0", "0", "0"),
            row("行政规范性文件", "2", "1", "15"),
            row("第二十条第（五）项", ""),
            rule,
            row("行政许可", "318"),
            row("行政处罚", "42"),
        ]
    )


@pytest.mark.parametrize(
    ("rule", "bar"),
    [
        ("|---|---|---|---|", "|"),
        ("｜---｜---｜---｜---｜", "｜"),
        ("+------+------+------+------+", "|"),
        ("-" * 40, ""),
    ],
    ids=["markdown", "full-width-bars", "grid", "dashes"],
)
def test_a_rule_line_of_a_text_table_is_no_heading(rule: str, bar: str) -> None:
    """Before: |---|---| (a Markdown table pasted as text, a grid table's +----+) was an unnumbered
    heading that ended part 二 above its table: GIA-TAB-01 said no table was found (gap)."""
    text = _report([f"{n}、" for n in "一二三四五六"]).replace(
        "行政规范性文件 | 2 | 1 | 15\n行政许可 | 318\n行政处罚 | 42", _ruled_part_two(rule, bar)
    )
    assert _statuses(text)["GIA-TAB-01"] == "met"


# ------------------------------------------------------------ 8. the publication date under other labels

DATE_LABELS = ["日期：{d}  来源：县教育局", "公布时间：{d}", "公布日期：{d}", "发稿时间：{d} 来源：县教育局"]


def _dated(line: str) -> str:
    return f"安澜县教育局2025年政府信息公开工作年度报告\n{line}\n{INTRO}\n"


@pytest.mark.parametrize("label", DATE_LABELS)
def test_a_publication_date_under_another_label_is_read(label: str) -> None:
    """Before: these labels were unknown, the report had no date, and GIA-DL-01 was not_applicable
    for a department that published after 1月31日."""
    assert understand(_dated(label.format(d="2026-02-10"))).metadata.published == date(2026, 2, 10)
    assert _statuses(_dated(label.format(d="2026-02-10")))["GIA-DL-01"] == "gap"
    assert _statuses(_dated(label.format(d="2026-01-20")))["GIA-DL-01"] == "met"


@pytest.mark.parametrize("label", ["生成日期：{d}", "截止日期：{d}", "打印日期：{d}"])
def test_other_dates_are_still_no_publication_date(label: str) -> None:
    assert understand(_dated(label.format(d="2026-02-10"))).metadata.published is None


@pytest.mark.parametrize("label", ["日期：{d} 来源：县教育局", "公布时间：{d}", "<span>日期：</span><span>{d}</span>"])
def test_a_web_page_dated_under_another_label(tmp_path: Path, label: str) -> None:
    path = tmp_path / "edu.html"
    path.write_text(
        "<html><head><meta charset='utf-8'></head><body><h1>安澜县教育局2025年政府信息公开工作年度报告</h1>"
        f"<div class='info'>{label.format(d='2026-02-10')}</div><div id='zoom'>"
        + "".join(f"<p>{line}</p>" for line in INTRO.split("\n"))
        + "</div></body></html>",
        encoding="utf-8",
    )
    assert _audit(path)["GIA-DL-01"]["status"] == "gap"


# ------------------------------------------------ 9. parts numbered 1、2、: the next part's number under a table


def _arabic_report(sep: str) -> str:
    app = "\n".join(sep.join([*labels, *figures]) for labels, figures in ROWS)
    review = sep.join(["行政复议", "行政诉讼"]) + "\n" + sep.join(["2", "1", "0", "0", "3"] + ["0"] * 10)
    return (
        f"安澜县教育局2025年政府信息公开工作年度报告\n发布时间：2026-01-21\n1、{INTRO.split(chr(10), 1)[0][2:]}\n"
        f"{INTRO.split(chr(10), 1)[1]}\n2、主动公开政府信息情况\n行政规范性文件{sep}2{sep}1{sep}15\n行政许可{sep}318\n"
        f"3、收到和处理政府信息公开申请情况\n{app}\n4、政府信息公开行政复议、行政诉讼情况\n{review}\n"
        "5、存在的主要问题及改进情况\n一是政策解读形式单一，图解占比不足10%；二是栏目更新不及时。下一步将建立更新台账。\n"
        "6、其他需要报告的事项\n本年度未收取信息处理费。\n"
    )


@pytest.mark.parametrize("sep", ["\t", "   "])
def test_the_next_parts_number_is_no_figure_of_the_table_above(sep: str) -> None:
    """Before: the 4 of 4、政府信息公开行政复议… was read as an eighth figure of the carry-over row, the
    5 of 5、存在的主要问题… as a sixteenth of the review row: SUM-01/02/03 and TAB-03 said needs_review."""
    doc = understand(_arabic_report(sep))
    app = next(t for t in doc.tables if t.kind == "application")
    review = next(t for t in doc.tables if t.kind == "review")
    assert read_cell(app, "结转下年度继续办理", "总计").value == 1
    assert not app.problems and not review.problems
    statuses = _statuses(_arabic_report(sep))
    rules = ["GIA-TAB-03", "GIA-SUM-01", "GIA-SUM-03"]
    assert {rule: statuses[rule] for rule in rules} == dict.fromkeys(rules, "met")
    assert statuses["GIA-SUM-02"] == "gap"  # ROWS' results add up to 25 under a total of 26: still caught


# ------------------------------------------------ 10. part one headed in words a known number does not lead


PART_ONE = [
    "总体情况",
    "【总体情况】",
    "壹、总体情况",
    "Ⅰ、总体情况",
    "第一章 总体情况",
    "一 总体情况",
    "一\u3000总体情况",
]


@pytest.mark.parametrize("heading", PART_ONE)
def test_part_one_headed_in_other_words_under_the_title_opens_the_body(heading: str) -> None:
    """Before: a first heading that was not yet body-like fell into the front matter with the title,
    and GIA-STR-01 charged the unit with having no 总体情况."""
    text = _report(["@"] + [f"{n}、" for n in "二三四五六"]).replace("@总体情况", heading)
    assert _statuses(text)["GIA-STR-01"] == "met"


@pytest.mark.parametrize("line", ["安澜县教育局", "政府信息公开工作年度报告", "（2025年度）"])
def test_a_title_line_above_the_body_stays_front_matter(line: str) -> None:
    """The line above the first paragraph is no heading when it is the title's or the issuer's."""
    text = f"安澜县教育局2025年政府信息公开工作年度报告\n{line}\n{BODIES[0]}\n"
    doc = understand(text)
    assert doc.metadata.title == "安澜县教育局2025年政府信息公开工作年度报告"
    assert all(line.strip("（）") not in s.heading.title for s in doc.sections)


# ------------------------------------------------------------ 11. parts numbered with a space, a short last part


@pytest.mark.parametrize("space", [" ", "\u3000"])
def test_a_space_numbered_part_over_one_short_sentence_is_a_part(space: str) -> None:
    """六 其他需要报告的事项 over 「2025年度，我局未收取信息处理费。」 (18 characters): normalising drops the
    space, and a line of bare words over a short paragraph was no heading: GIA-STR-06 was a gap. Going on
    with the run of parts numbered so (五…, then 六…), it is the part."""
    statuses = _statuses(_report([f"{n}{space}" for n in "一二三四五六"]))
    assert statuses["GIA-STR-06"] == "met"


def test_a_report_without_part_six_still_has_its_gap() -> None:
    report = _report([f"{n} " for n in "一二三四五六"])
    assert _statuses(report[: report.index("六 其他")])["GIA-STR-06"] == "gap"


def test_a_bare_numeral_out_of_sequence_over_a_short_line_is_no_part() -> None:
    """Only the next number of the run: 七… after 五… over a short sentence is not taken for a part."""
    report = _report([f"{n} " for n in "一二三四五六"]).replace("六 其他需要报告的事项", "七 其他需要报告的事项")
    assert _statuses(report)["GIA-STR-06"] == "gap"
