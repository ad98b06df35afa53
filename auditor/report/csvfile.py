"""CSV: one row per report with a Chinese status label per rule; UTF-8 with BOM.

Text cells that a spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@``)
get a leading apostrophe (CSV injection guard).
"""

from __future__ import annotations

import csv
import io

from auditor.report.table import Cell, summary_table
from auditor.result import Batch

BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse(value: Cell) -> Cell:
    """Neutralise text a spreadsheet would evaluate as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def render_csv(batch: Batch) -> str:
    table = summary_table(batch)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.header)
    for row in table.rows:
        labels = [s.label if s else "" for s in row.statuses]
        writer.writerow([_plain(defuse(c)) for c in row.cells] + labels)
    return BOM + buffer.getvalue()


def _plain(value: Cell) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    return value
