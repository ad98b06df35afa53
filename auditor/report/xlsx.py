"""XLSX a supervisor can filter and send out.

1. 「核查结果」: one row per report (unit, level, year, score, grade, counts, the Chinese error of
   a report that could not be audited) and each rule's status in Chinese, coloured, with the
   finding's message as the cell's comment; the rule id heads its column, its title is the
   header's comment.
2. 「待整改事项」: every open item (gap, 待复核, a rule that failed, a report that could not be
   audited): report, unit, rule, requirement, status, message, remediation; with an autofilter.
3. 「规则通过率」: each rule's pass rate across the batch (one sheet per checklist in a mixed batch).

Text is always stored as text (never as a formula) and cleaned of characters
the XLSX XML cannot hold.
"""

from __future__ import annotations

import io
import unicodedata
from typing import TYPE_CHECKING, Any, Final

from auditor.report import access
from auditor.report.access import by_checklist, rule_stats
from auditor.report.sanitize import xml_safe
from auditor.report.table import SCORE_COLUMN, Cell, ordered, summary_table
from auditor.result import Batch, ErrorReport
from auditor.vocabulary import Status

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

SUMMARY_SHEET: Final = "核查结果"
OPEN_SHEET: Final = "待整改事项"
RATES_SHEET: Final = "规则通过率"
OPEN_HEADER: Final = ("来源", "单位", "规则", "要求", "状态", "核查结果", "整改建议")
OPEN_STATUSES: Final = (Status.gap, Status.needs_review, Status.error)
UNREADABLE: Final = "无法审核"
STATUS_FILLS: Final = {
    Status.met: "C6EFCE",  # green
    Status.gap: "FFC7CE",  # red
    Status.needs_review: "FFEB9C",  # amber
    Status.not_applicable: "D9D9D9",  # grey
    Status.error: "F4B084",  # orange
}
HEADER_FILL: Final = "DDEBF7"
RATE_HEADER: Final = ("规则", "要求", "达标", "缺失", "待复核", "不适用", "出错", "通过率")


def render_xlsx(batch: Batch) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = SUMMARY_SHEET
    _fill_summary(summary, batch)
    _fill_open_items(book.create_sheet(OPEN_SHEET), batch)
    for name, group in rule_batches(batch):  # pass rates per checklist: report types are never ranked together
        _fill_rates(book.create_sheet(name), group)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rule_batches(batch: Batch) -> list[tuple[str, Batch]]:
    """(sheet name, batch) per checklist: one 规则通过率 sheet, or one per checklist in a mixed batch."""
    groups = by_checklist(batch)
    if len(groups) <= 1:
        return [(RATES_SHEET, batch)]
    return [(f"{RATES_SHEET}-{g.checklist_id}"[:31], g.batch) for g in groups]


def _put(sheet: Worksheet, row: int, column: int, value: Cell) -> Any:
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = xml_safe(value)
        cell.data_type = "s"  # text such as "=SUM(…)" must not become a formula
    else:
        cell.value = value
    return cell


def _header(sheet: Worksheet, names: list[str], freeze: str) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    for column, name in enumerate(names, start=1):
        cell = _put(sheet, 1, column, name)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    sheet.freeze_panes = freeze
    sheet.auto_filter.ref = sheet.dimensions


def _fill_summary(sheet: Worksheet, batch: Batch) -> None:
    from openpyxl.styles import PatternFill

    table = summary_table(batch)
    fixed = len(table.header) - len(table.rule_ids)
    for index, row in enumerate(table.rows, start=2):
        for column, value in enumerate(row.cells, start=1):
            cell = _put(sheet, index, column, value)
            if column - 1 == SCORE_COLUMN:
                cell.number_format = "0.0"
        for column, finding in enumerate(row.findings, start=fixed + 1):
            if finding:
                cell = _put(sheet, index, column, finding.status.label)
                cell.fill = PatternFill("solid", fgColor=STATUS_FILLS[finding.status])
                if finding.message:
                    cell.comment = _comment(finding.message)
    _header(sheet, table.header, "C2")
    for offset, title in enumerate(table.rule_titles):
        if title:
            sheet.cell(row=1, column=fixed + 1 + offset).comment = _comment(title)
    _widths(sheet)


def _comment(text: str) -> Any:
    from openpyxl.comments import Comment

    comment = Comment(xml_safe(text), "auditor")
    comment.width, comment.height = 320, 40 + 20 * (len(text) // 22)  # points: room for the whole text
    return comment


def _open_rows(batch: Batch) -> list[tuple[list[Cell], Status | None]]:
    """(cells, status) of every open item, report by report in the summary's order; None as the
    status of a report that could not be audited."""
    rows: list[tuple[list[Cell], Status | None]] = []
    for report in ordered(batch):
        unit = access.unit(report)
        if isinstance(report, ErrorReport):
            rows.append(([report.source, unit, None, None, UNREADABLE, report.error, None], None))
            continue
        for f in report.findings:
            if f.status in OPEN_STATUSES:
                cells: list[Cell] = [report.source, unit, f.rule_id, access.headline(f), f.status.label]
                rows.append(([*cells, f.message or None, f.remediation or None], f.status))
    return rows


def _fill_open_items(sheet: Worksheet, batch: Batch) -> None:
    from openpyxl.styles import Alignment, PatternFill

    status_column = OPEN_HEADER.index("状态") + 1
    wrap = Alignment(wrap_text=True, vertical="top")
    for index, (cells, state) in enumerate(_open_rows(batch), start=2):
        for column, value in enumerate(cells, start=1):
            cell = _put(sheet, index, column, value)
            cell.alignment = wrap
        fill = STATUS_FILLS[state] if state else STATUS_FILLS[Status.error]
        sheet.cell(row=index, column=status_column).fill = PatternFill("solid", fgColor=fill)
    _header(sheet, list(OPEN_HEADER), "C2")
    _widths(sheet)


def _fill_rates(sheet: Worksheet, batch: Batch) -> None:
    for index, stat in enumerate(rule_stats(batch), start=2):
        values: list[Cell] = [stat.rule_id, stat.title, *(stat.tally[s] for s in Status), stat.pass_rate]
        for column, value in enumerate(values, start=1):
            _put(sheet, index, column, value)
        sheet.cell(row=index, column=len(values)).number_format = "0%"
    _header(sheet, list(RATE_HEADER), "A2")
    _widths(sheet)


def _display_width(value: object) -> int:
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _widths(sheet: Worksheet) -> None:
    from openpyxl.utils import get_column_letter

    for column_cells in sheet.iter_cols():
        widest = max((_display_width(c.value) for c in column_cells), default=8)
        letter = get_column_letter(column_cells[0].column)
        sheet.column_dimensions[letter].width = min(max(widest + 2, 8), 60)
