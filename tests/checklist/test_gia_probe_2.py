"""False charges and misread tables found in a second probe of 政府信息公开 reports (gia2): shapes
the earlier rounds had not seen. Each test builds the report shape at test time.

A gap accuses a government unit: it is said only when a thing is absent where it counts. A
table we cannot see (an image the report points to) or a figure we cannot read is needs_review.
"""

from __future__ import annotations

import html as H
from pathlib import Path

import pytest

from auditor.document import understand
from auditor.document.tables import find_tables, read_cell
from tests.checklist.test_gia_tables import ROWS, _audit

# ------------------------------------------------------------ 1. thousands separators (1,234)

BIG = [  # a street office or a provincial department: four-figure counts, written 1,180
    ["1,180", "54", "0", "0", "0", "0", "1,234"],
    ["40", "0", "0", "0", "0", "0", "40"],
]


def _big_rows() -> list[tuple[list[str], list[str]]]:
    """ROWS scaled up: 1,234 new + 40 carried in = 1,244 handled + 30 carried over; 予以公开 954,
    the other results as in ROWS but 不掌握 150 and 重复申请 40 (every row adds up across)."""
    rows = [(labels, list(figures)) for labels, figures in ROWS]
    rows[0] = (rows[0][0], BIG[0])
    rows[1] = (rows[1][0], BIG[1])
    fills = {
        2: ["900", "54", "0", "0", "0", "0", "954"],
        3: ["100", "0", "0", "0", "0", "0", "100"],
        7: ["0"] * 7,
        12: ["150", "0", "0", "0", "0", "0", "150"],
        14: ["0"] * 7,
        15: ["0"] * 7,
        16: ["40", "0", "0", "0", "0", "0", "40"],
        20: ["0"] * 7,
        23: ["1,190", "54", "0", "0", "0", "0", "1,244"],
        24: ["30", "0", "0", "0", "0", "0", "30"],
    }
    for k, figures in fills.items():
        rows[k] = (rows[k][0], figures)
    return rows


def _pipe_text(rows: list[tuple[list[str], list[str]]]) -> str:
    lines = ["三、收到和处理政府信息公开申请情况"]
    lines += [" | ".join([*labels, *figures]) for labels, figures in rows]
    return "\n".join(lines) + "\n四、政府信息公开行政复议、行政诉讼情况\n"


def _layout_text(rows: list[tuple[list[str], list[str]]]) -> str:
    lines = ["三、收到和处理政府信息公开申请情况", "          自然人   商业  科研  社会  法律  其他   总计"]
    lines += [f"   {labels[-1]:<40}" + "".join(f"{f:>8}" for f in figures) for labels, figures in rows]
    return "\n".join(lines) + "\n四、政府信息公开行政复议、行政诉讼情况\n"


@pytest.mark.parametrize("shape", [_pipe_text, _layout_text])
def test_thousands_separators_are_one_figure(shape: object) -> None:
    text = shape(_big_rows())  # type: ignore[operator]
    (app,) = find_tables(text)
    assert read_cell(app, "本年新收", "总计").value == 1234
    assert read_cell(app, "本年新收", "自然人").value == 1180
    assert read_cell(app, "总计", "总计").value == 1244
    assert not app.problems


def _street_page() -> str:
    head = (
        '<tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>'
        '<td colspan="7">申请人情况</td></tr><tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td>'
        '<td rowspan="2">总计</td></tr><tr>'
        + "".join(f"<td>{h}</td>" for h in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"))
        + "</tr>"
    )
    trs = [
        "<tr>"
        + "".join(f'<td colspan="{4 - len(labels)}">{H.escape(label)}</td>' for label in labels)
        + "".join(f"<td>{f}</td>" for f in figures)
        + "</tr>"
        for labels, figures in _big_rows()
    ]
    # the table split in two <table> elements, the second repeating the header (a page break in Word)
    tables = f"<table border='1'>{head}{''.join(trs[:12])}</table><table border='1'>{head}{''.join(trs[12:])}</table>"
    return (
        "<html><head><meta charset='utf-8'><title>城关街道办事处2023年政府信息公开工作年度报告</title></head><body>"
        "<div class='TRS_Editor'><p>一、总体情况</p><p>2023年，街道全年主动公开政府信息1286条，其中政策文件42件。</p>"
        f"<p>三、收到和处理政府信息公开申请情况</p>{tables}"
        "<p>四、政府信息公开行政复议、行政诉讼情况</p></div></body></html>"
    )


def test_a_page_with_thousands_separators_is_no_arithmetic_charge(tmp_path: Path) -> None:
    path = tmp_path / "street.html"
    path.write_text(_street_page(), encoding="utf-8")
    findings = _audit(path)
    assert findings["GIA-SUM-01"]["status"] == "met", findings["GIA-SUM-01"]["message"]
    assert findings["GIA-SUM-01"]["values"] == {"new_apps": 1234, "carried_in": 40, "total": 1244, "carry_over": 30}
    assert findings["GIA-SUM-02"]["status"] == "met", findings["GIA-SUM-02"]["message"]


def test_thousands_separators_still_catch_a_wrong_total() -> None:
    rows = _big_rows()
    rows[23] = (rows[23][0], ["1,190", "54", "0", "0", "0", "0", "1,254"])  # 1,244 + 10: the row's own sum is off
    (app,) = find_tables(_pipe_text(rows))
    assert read_cell(app, "总计", "总计").value == 1254


def test_a_comma_run_is_never_split_as_digits() -> None:
    """A flattened row whose only figure is 1,234 gives that figure (the 总计), never digits cut from it."""
    text = "三、收到和处理政府信息公开申请情况\n" + "\n".join(
        f"{labels[-1]} {figures[-1]}" for labels, figures in _big_rows()
    )
    (app,) = find_tables(text)
    assert read_cell(app, "本年新收", "总计").value == 1234


# ------------------------------------------------------------ 2. a wrapped 部分公开 label in layout text

WRAPPED = """三、收到和处理政府信息公开申请情况
一、本年新收政府信息公开申请
                                                       48       6      0       0       0       0       54
数量
二、上年结转政府信息公开申请
                                                       3        0      0       0       0       0       3
数量
三、本年度办理结果   （一）予以公开                          20       4      0       0       0       0       24

（二）部分公开（区分处理的，
                                                       5        0      0       0       0       0       5
只计这一情形，不计其他情形）

（三）不予公开               1.属于国家秘密                         0        0      0       0       0       0       0
"""


def test_a_wrapped_partial_label_does_not_swallow_its_figures() -> None:
    """pdftotext -layout writes a wrapped label's figures between its two lines: inside the
    （区分处理的，…） note. The note holds no figure, so the figures are the row's."""
    doc = understand(WRAPPED + "（七）总计 48 6 0 0 0 0 54\n四、结转下年度继续办理 3 0 0 0 0 0 3\n")
    (app,) = doc.tables
    assert read_cell(app, "部分公开", "总计").value == 5
    assert read_cell(app, "部分公开", "自然人").value == 5


# ------------------------------------------------------------ 3. tables as images, "见下表"


def _image_docx(path: Path) -> None:
    import docx
    from docx.shared import Inches
    from PIL import Image

    image = path.with_suffix(".png")
    Image.new("RGB", (200, 100), "white").save(image)
    document = docx.Document()
    document.add_paragraph("安澜县交通运输局2023年政府信息公开工作年度报告")
    document.add_paragraph("一、总体情况")
    document.add_paragraph(
        "2023年，县交通运输局认真贯彻落实《条例》，全年通过门户网站主动公开政府信息512条，其中政策文件12件。"
    )
    document.add_paragraph("二、主动公开政府信息情况")
    document.add_paragraph("本年度主动公开政府信息情况详见下表：")
    document.add_picture(str(image), width=Inches(3))
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    document.add_paragraph("2023年，我局共收到政府信息公开申请12件，均已按期答复，具体情况见下表：")
    document.add_picture(str(image), width=Inches(3))
    document.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    document.add_paragraph("2023年，本局因政府信息公开工作被申请行政复议、提起行政诉讼的情况见下表：")
    document.add_picture(str(image), width=Inches(3))
    document.add_paragraph("五、存在的主要问题及改进情况")
    document.add_paragraph(
        "一是政策解读形式较为单一；二是部分栏目更新不够及时。下一步将丰富解读形式，建立栏目巡查机制。"
    )
    document.save(str(path))


def test_tables_shown_as_images_below_a_reference_are_for_review(tmp_path: Path) -> None:
    path = tmp_path / "images.docx"
    _image_docx(path)
    findings = _audit(path)
    for rule in ("GIA-TAB-01", "GIA-TAB-02", "GIA-TAB-03"):
        assert findings[rule]["status"] == "needs_review", (rule, findings[rule]["message"])
        assert "见下表" in findings[rule]["message"]


def test_a_part_with_words_but_no_table_and_no_reference_is_still_a_gap(tmp_path: Path) -> None:
    path = tmp_path / "words.txt"
    path.write_text(
        "安澜县交通运输局2023年政府信息公开工作年度报告\n一、总体情况\n"
        "2023年，县交通运输局认真贯彻落实《条例》，全年通过门户网站主动公开政府信息512条，其中政策文件12件。\n"
        "二、主动公开政府信息情况\n全年通过政府网站主动公开政府信息512条，其中政策文件12件，政策解读5篇。\n"
        "三、收到和处理政府信息公开申请情况\n2023年，我局共收到政府信息公开申请12件，均在法定期限内答复。\n",
        encoding="utf-8",
    )
    findings = _audit(path)
    assert findings["GIA-TAB-01"]["status"] == "gap"
    assert findings["GIA-TAB-02"]["status"] == "gap"


# ------------------------------------------------------------ 4. a 2019 report with the old 统计指标 table

OLD_2019 = """安澜县市场监督管理局2019年政府信息公开工作年度报告
发布日期：2020-01-21
一、概述
2019年，我局认真贯彻落实新修订的《中华人民共和国政府信息公开条例》，进一步完善政府信息公开工作机制，全年主动公开政府信息386条，受理政府信息公开申请9件。
二、主动公开政府信息情况
2019年，我局通过县政府门户网站主动公开政府信息386条，其中行政许可类203条，行政处罚类68条。
三、依申请公开政府信息情况
2019年，我局共受理政府信息公开申请9件，已按期答复9件，其中同意公开6件，不属于本机关公开范围2件，信息不存在1件。
四、因政府信息公开申请行政复议、提起行政诉讼的情况
2019年，我局未发生因政府信息公开申请行政复议、提起行政诉讼的情况。
五、政府信息公开工作存在的主要问题及改进情况
一是部分行政处罚信息未在7个工作日内公开；二是政策解读形式单一。下一步将建立公开台账，丰富解读形式。
附件：安澜县市场监督管理局2019年政府信息公开情况统计表
统计指标 | 单位 | 统计数
（一）主动公开政府信息数 | 条 | 386
其中：主动公开规范性文件数 | 条 | 2
（一）收到申请数 | 件 | 9
（三）申请答复数 | 件 | 9
2.同意公开答复数 | 件 | 6
四、行政复议数量 | 件 | 0
五、行政诉讼数量 | 件 | 0
"""


def test_an_old_format_statistics_table_is_for_review_not_missing(tmp_path: Path) -> None:
    """A 2019 report (the 2019 national format was new) still in the old 统计指标 table: it has
    statistics tables, in the superseded format. "未找到统计表" would be untrue."""
    path = tmp_path / "old.txt"
    path.write_text(OLD_2019, encoding="utf-8")
    findings = _audit(path)
    for rule in ("GIA-TAB-01", "GIA-TAB-02"):
        assert findings[rule]["status"] == "needs_review", (rule, findings[rule]["message"])
        assert "统计指标" in findings[rule]["message"]


# ------------------------------------------------------------ 5. 无 for nil in a rendered table


def _wu_text() -> str:
    """ROWS as a rendered table (one row a line, cells between pipes), every 0 written 无."""
    lines = ["三、收到和处理政府信息公开申请情况"]
    lines += [" | ".join([*labels, *("无" if f == "0" else f for f in figures)]) for labels, figures in ROWS]
    return "\n".join(lines) + "\n五、存在的主要问题及改进情况\n一是政策解读形式单一。\n"


def test_wu_cells_read_as_nil_to_the_last_row() -> None:
    (app,) = find_tables(_wu_text())
    assert not app.problems, [row.problem for row in app.problems]
    assert read_cell(app, "结转下年度继续办理", "总计").value == 1
    assert read_cell(app, "结转下年度继续办理", "商业企业").value == 0
    assert read_cell(app, "本年新收", "总计").value == 25


def test_wu_cells_let_the_sum_rules_decide(tmp_path: Path) -> None:
    path = tmp_path / "wu.txt"
    path.write_text(_wu_text(), encoding="utf-8")
    findings = _audit(path)
    assert findings["GIA-SUM-01"]["status"] == "met", findings["GIA-SUM-01"]["message"]
    assert findings["GIA-SUM-02"]["status"] == "gap"  # ROWS: results add up to 25 under a 总计 of 26


def test_a_wu_in_words_after_the_table_is_no_cell() -> None:
    text = _wu_text().replace("五、存在的主要问题及改进情况\n", "") + "无其他需要报告的事项。\n"
    (app,) = find_tables(text)
    assert read_cell(app, "结转下年度继续办理", "总计").value == 1


# ------------------------------------------------------------ 6. the date in a 集约化 metadata table


def _platform_page(published: str) -> str:
    """A 集约化平台 page: the metadata table (索引号/发布机构/成文日期/发布日期, label and value in
    cells side by side, no colon) sits above the article container, outside it."""
    meta = (
        "<div class='xxgk-head'><table>"
        "<tr><th>索引号</th><td>003245123/2024-00031</td><th>信息分类</th><td>政府信息公开年报</td></tr>"
        "<tr><th>发布机构</th><td>安澜县自然资源局</td><th>成文日期</th><td>2024-01-10</td></tr>"
        f"<tr><th>文号</th><td></td><th>发布日期</th><td>{published}</td></tr></table></div>"
    )
    body = "".join(
        f"<p>{H.escape(p)}</p>"
        for p in (
            "一、总体情况",
            "2023年，县自然资源局认真贯彻落实《条例》，全年通过门户网站主动公开政府信息326条，其中政策文件12件。" * 3,
            "五、存在的主要问题及改进情况",
            "一是政策解读形式较为单一；二是部分栏目更新不够及时。下一步将丰富解读形式，建立栏目巡查机制。",
        )
    )
    title = "安澜县自然资源局2023年政府信息公开工作年度报告"
    return (
        f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>"
        f"<div class='nav'>首页 &gt; 信息公开</div>{meta}<div class='content'><h2>{title}</h2>"
        f"<div id='zoom'>{body}</div></div></body></html>"
    )


@pytest.mark.parametrize(("published", "status"), [("2024-01-26", "met"), ("2024-02-20", "gap")])
def test_the_publication_date_of_a_platform_metadata_table_is_read(tmp_path: Path, published: str, status: str) -> None:
    path = tmp_path / "platform.html"
    path.write_text(_platform_page(published), encoding="utf-8")
    doc = understand(_read_text(path))
    assert doc.metadata.published is not None and doc.metadata.published.isoformat() == published
    assert _audit(path)["GIA-DL-01"]["status"] == status  # a department: 1月31日


def _read_text(path: Path) -> str:
    from auditor.readers.dispatch import read_document

    return read_document(str(path)).text
