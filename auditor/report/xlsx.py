"""XLSX: the summary table (frozen header, coloured status cells, autofilter)
and a second sheet "规则通过率" with each rule's pass rate across the batch.

Text is always stored as text (never as a formula) and cleaned of characters
the XLSX XML cannot hold.
"""

from __future__ import annotations

import io
import unicodedata
from typing import TYPE_CHECKING, Any, Final

from auditor.report.access import by_checklist, rule_stats
from auditor.report.sanitize import xml_safe
from auditor.report.table import SCORE_COLUMN, Cell, summary_table
from auditor.result import Batch
from auditor.vocabulary import Status

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

SUMMARY_SHEET: Final = "核查结果"
RATES_SHEET: Final = "规则通过率"
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
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    table = summary_table(batch)
    fixed = len(table.header) - len(table.rule_ids)
    for index, row in enumerate(table.rows, start=2):
        for column, value in enumerate(row.cells, start=1):
            cell = _put(sheet, index, column, value)
            if column - 1 == SCORE_COLUMN:
                cell.number_format = "0.0"
        for column, state in enumerate(row.statuses, start=fixed + 1):
            if state:
                cell = _put(sheet, index, column, state.label)
                cell.fill = PatternFill("solid", fgColor=STATUS_FILLS[state])
    _header(sheet, table.header, "C2")
    for offset, title in enumerate(table.rule_titles):
        if title:
            sheet.cell(row=1, column=fixed + 1 + offset).comment = Comment(xml_safe(title), "auditor")
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
