"""Real tables (HTML ``<table>``, .docx ``w:tbl``, a PDF table) as text: one row per line.

A statistics table is written one row per line with `` | `` between its cells, a blank cell
staying blank (``予以公开 | 7 | | 0``), so that ``auditor.document.tables`` can read it by
row and column and evidence quotes the row. Tables used for page layout or holding running
text (few columns, few figures) keep the readers' usual one-paragraph-per-line text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

SEPARATOR = " | "
_FIGURE = re.compile(r"^\s*(?:-?\d+(?:[.,]\d+)*\s*(?:件|个|条|%)?|[-—–－]{1,2})\s*$")  # a dash: nil, as tables write 0
MIN_COLUMNS = 3
MIN_FIGURE_SHARE = 0.3


def is_figure(cell: str) -> bool:
    """Whether a cell holds a figure (or a dash: nil)."""
    return bool(_FIGURE.match(cell))


def is_data_table(rows: Sequence[Sequence[str]]) -> bool:
    """A statistics table: some row has 3+ cells and figures fill a good share of the cells."""
    cells = [c for row in rows for c in row if c.strip()]
    if not cells or max((len(row) for row in rows), default=0) < MIN_COLUMNS:
        return False
    figures = sum(1 for c in cells if is_figure(c))
    return figures >= MIN_FIGURE_SHARE * len(cells)


def row_line(cells: Sequence[str]) -> str:
    """One row: cells (inner whitespace collapsed, ``|`` inside a cell dropped) joined by `` | ``."""
    return SEPARATOR.join(" ".join(c.replace("|", " ").split()) for c in cells).rstrip()
