"""``table``: a national statistics table of the report, read by :mod:`auditor.document.tables`.

``check: read`` is met when the table is there and the named rows (default: all) could be
read; needs_review when some could not (digits run together with several possible splits,
a wrong number of cells), quoting those rows; gap when there is no such table.
``check: unreadable`` is met exactly when some named row could not be read: a decision
table (``cases``) uses it to say needs_review instead of deciding on a guess.
Single cells are read by a ``value`` with ``cell:`` (see :mod:`auditor.matchers.values`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from auditor.document.tables import Row, Table
from auditor.matchers.base import Context, Hit, Outcome, Spec
from auditor.vocabulary import Status

TableKind = Literal["application", "review"]
TABLE_TITLES = {"application": "申请情况统计表", "review": "行政复议、行政诉讼情况统计表"}


def table_of(ctx: Context, kind: str) -> Table | None:
    return next((t for t in ctx.doc.tables if t.kind == kind), None)


def row_hit(rows: tuple[Row, ...] | list[Row], label: str | None = None) -> Hit:
    if len(rows) == 1:  # most cells: one row
        return Hit(rows[0].start, rows[0].end, label=label)
    return Hit(min(r.start for r in rows), max(r.end for r in rows), label=label)


def _why(row: Row) -> str:
    return f"“{row.label}”行（{row.problem}）"


class TableSpec(Spec):
    type: Literal["table"]
    table: TableKind = Field(..., description="which national table: application (申请情况) or review (复议诉讼)")
    rows: list[str] | None = Field(None, description="row labels that must be readable (default: every row found)")
    check: Literal["read", "unreadable"] = Field(
        "read", description="read: the table is there and readable; unreadable: met when a named row could not be read"
    )

    def evaluate(self, ctx: Context) -> Outcome:
        table = table_of(ctx, self.table)
        if table is None:
            return Outcome(Status.gap, missing=(TABLE_TITLES[self.table],))
        rows = [table.find_row(label) for label in self.rows] if self.rows else list(table.rows)
        missing = tuple(label for label, row in zip(self.rows or [], rows, strict=False) if row is None)
        bad = [row for row in rows if row is not None and row.problem]
        if self.check == "unreadable":
            if not bad:
                return Outcome(Status.gap)
            return Outcome(Status.met, tuple(row_hit([r], r.label) for r in bad), found=tuple(_why(r) for r in bad))
        if bad:
            return Outcome(
                Status.needs_review,
                tuple(row_hit([r], r.label) for r in bad),
                found=tuple(_why(r) for r in bad),
                missing=missing,
            )
        if missing:
            return Outcome(Status.gap, (row_hit(table.rows),), missing=missing)
        return Outcome(Status.met, (row_hit(table.rows[:1]),), found=(TABLE_TITLES[self.table],))

    def describe(self) -> str:
        rows = f"（行：{'、'.join(self.rows)}）" if self.rows else ""
        what = "有无法读出的行" if self.check == "unreadable" else "已读出"
        return f"统计表 {TABLE_TITLES[self.table]}{rows}{what}"
