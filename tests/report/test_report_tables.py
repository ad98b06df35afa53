"""csv and xlsx: one row per report, one status column per rule."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest

from auditor.report import Format, render
from auditor.report.sanitize import xml_safe
from auditor.report.table import FIXED_COLUMNS
from auditor.report.xlsx import OPEN_HEADER, OPEN_SHEET, RATES_SHEET, STATUS_FILLS, SUMMARY_SHEET
from auditor.vocabulary import Status

RULES = ["STR-01", "STR-02", "STR-02B", "STR-03", "PUB-01", "PUB-02", "DAT-01", "DAT-02", "DAT-03"]


def _csv_rows(result: dict[str, Any]) -> list[dict[str, str]]:
    data = render(result, Format.csv)
    assert isinstance(data, str)
    raw = data.encode("utf-8")
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM, so spreadsheet programs read UTF-8
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_csv_rows_match_the_verdicts(result: dict[str, Any]) -> None:
    rows = _csv_rows(result)
    assert len(rows) == len(result["reports"])
    assert list(rows[0]) == [*FIXED_COLUMNS, *RULES]
    for row, report in zip(rows, result["reports"], strict=True):
        assert row["来源"] == report["source"]
        for finding in report["findings"]:
            assert row[finding["rule_id"]] == Status(finding["status"]).label
    first = rows[0]
    assert (first["单位"], first["层级"], first["年度"]) == ("张渚镇人民政府", "乡镇/街道", "2023")
    assert (first["得分"], first["等级"], first["缺失数"], first["待复核数"]) == ("71.3", "合格", "2", "1")
    assert rows[2]["得分"] == "" and "DAT-01" in rows[2]["错误"]
    assert rows[3]["错误"] == "PDF 文件已加密"
    assert all(rows[3][rule] == "" for rule in RULES)


def test_csv_defuses_formulas(make_result: Callable[..., dict[str, Any]], reports_factory: dict[str, Any]) -> None:
    report = reports_factory["zhangzhu"]()
    report["metadata"]["unit"] = '=HYPERLINK("http://x")'
    (row,) = _csv_rows(make_result(report))
    assert row["单位"] == '\'=HYPERLINK("http://x")'


@pytest.fixture
def workbook(result: dict[str, Any]) -> Any:
    openpyxl = pytest.importorskip("openpyxl")
    data = render(result, Format.xlsx)
    assert isinstance(data, bytes)
    return openpyxl.load_workbook(io.BytesIO(data))


def test_xlsx_summary_sheet(workbook: Any, result: dict[str, Any]) -> None:
    sheet = workbook[SUMMARY_SHEET]
    assert sheet.freeze_panes == "C2"
    assert sheet.auto_filter.ref == sheet.dimensions
    header = [c.value for c in sheet[1]]
    assert header == [*FIXED_COLUMNS, *RULES]
    assert sheet.max_row == len(result["reports"]) + 1
    for row, report in zip(sheet.iter_rows(min_row=2), result["reports"], strict=True):
        cells = {header[i]: cell for i, cell in enumerate(row)}
        assert cells["来源"].value == report["source"]
        for finding in report["findings"]:
            cell = cells[finding["rule_id"]]
            assert cell.value == Status(finding["status"]).label
            assert cell.fill.fgColor.rgb.endswith(STATUS_FILLS[Status(finding["status"])])
    assert sheet["E2"].value == 71.3 and sheet["E2"].number_format == "0.0"
    assert sheet.column_dimensions["A"].width > 10
    assert sheet["D1"].comment is None and sheet.cell(1, len(FIXED_COLUMNS) + 1).comment is not None


def test_xlsx_every_status_colour_used(workbook: Any) -> None:
    colours = {
        cell.fill.fgColor.rgb[-6:]
        for row in workbook[SUMMARY_SHEET].iter_rows(min_row=2, min_col=len(FIXED_COLUMNS) + 1)
        for cell in row
        if cell.value
    }
    assert colours == set(STATUS_FILLS.values())


def test_xlsx_pass_rate_sheet(workbook: Any) -> None:
    sheet = workbook[RATES_SHEET]
    assert sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(RULES)
    rates = [r[-1] for r in rows]
    assert rates == sorted(rates)  # most-missed first
    by_rule = {r[0]: r for r in rows}
    assert by_rule["STR-02"][2:] == (1, 2, 0, 0, 0, pytest.approx(1 / 3))
    assert by_rule["DAT-03"][2:] == (1, 0, 0, 2, 0, 1.0)


def test_xlsx_text_never_becomes_a_formula(
    make_result: Callable[..., dict[str, Any]], reports_factory: dict[str, Any]
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    report = reports_factory["yixing"]()
    report["metadata"]["unit"] = "=1+2\x07"
    data = render(make_result(report), Format.xlsx)
    assert isinstance(data, bytes)
    cell = openpyxl.load_workbook(io.BytesIO(data))[SUMMARY_SHEET]["B2"]
    assert cell.data_type == "s" and cell.value.startswith("=1+2")


def test_xlsx_status_cells_carry_the_message(workbook: Any, result: dict[str, Any]) -> None:
    sheet = workbook[SUMMARY_SHEET]
    header = [c.value for c in sheet[1]]
    for row, report in zip(sheet.iter_rows(min_row=2), result["reports"], strict=True):
        cells = {header[i]: cell for i, cell in enumerate(row)}
        for finding in report["findings"]:
            comment = cells[finding["rule_id"]].comment
            assert comment is not None and comment.text == xml_safe(finding["message"])


def test_xlsx_open_items_sheet(workbook: Any, result: dict[str, Any]) -> None:
    assert workbook.sheetnames[:2] == [SUMMARY_SHEET, OPEN_SHEET]
    sheet = workbook[OPEN_SHEET]
    assert [c.value for c in sheet[1]] == list(OPEN_HEADER)
    assert sheet.auto_filter.ref == sheet.dimensions
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    expected = [
        (r["source"], f["rule_id"], Status(f["status"]).label, f["message"], f["remediation"])
        for r in result["reports"]
        for f in r["findings"]
        if f["status"] in ("gap", "needs_review", "error")
    ]
    assert [(r[0], r[2], r[4], r[5], r[6]) for r in rows if r[2]] == [
        (source, rule, label, xml_safe(message), remediation) for source, rule, label, message, remediation in expected
    ]
    (unreadable,) = [r for r in rows if not r[2]]
    assert unreadable[0] == "reports/broken.pdf" and unreadable[4] == "无法审核" and unreadable[5] == "PDF 文件已加密"
    units = {r[0]: r[1] for r in rows}
    assert units["reports/张渚镇.txt"] == "张渚镇人民政府"
