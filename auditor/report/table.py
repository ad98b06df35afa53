"""The one-row-per-report summary table shared by CSV and XLSX."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from auditor.report import access
from auditor.report.access import Report, Result
from auditor.report.labels import level_label

FIXED_COLUMNS: Final = ("来源", "单位", "层级", "年度", "得分", "等级", "缺失数", "待复核数", "错误", "核查清单")
SCORE_COLUMN: Final = FIXED_COLUMNS.index("得分")

Cell = str | int | float | None


@dataclass(frozen=True)
class SummaryRow:
    cells: list[Cell]  # one per FIXED_COLUMNS entry
    statuses: list[str | None]  # raw status per rule column, None if not checked


@dataclass(frozen=True)
class SummaryTable:
    rule_ids: list[str]
    rule_titles: list[str]
    rows: list[SummaryRow]

    @property
    def header(self) -> list[str]:
        return [*FIXED_COLUMNS, *self.rule_ids]


def summary_table(result: Result) -> SummaryTable:
    """One row per report; a batch mixing checklists is sorted by checklist (the 核查清单 column
    says which), so each checklist's reports stay together."""
    catalogue = access.rule_catalogue(result)
    rule_ids = list(catalogue)
    order = {b.checklist_id: i for i, b in enumerate(access.by_checklist(result))}
    entries = sorted(
        access.reports(result), key=lambda r: order.get(str(access.checklist(r).get("id") or ""), len(order))
    )
    rows = [_row(report, rule_ids) for report in entries]
    return SummaryTable(rule_ids, [catalogue[r] for r in rule_ids], rows)


def _row(report: Report, rule_ids: list[str]) -> SummaryRow:
    meta = access.metadata(report)
    counts = access.counts(report)
    failure = access.error(report)
    year = meta.get("year")
    cells: list[Cell] = [
        access.source(report),
        access.unit(report),
        level_label(meta.get("level")) if meta else None,
        year if isinstance(year, int | str) else None,
        access.score(report),
        str(report["grade"]) if report.get("grade") else None,
        None if failure else counts["gap"],
        None if failure else counts["needs_review"],
        failure or _rule_errors(report),
        str(access.checklist(report).get("title") or "") or None,
    ]
    by_rule = access.statuses_by_rule(report)
    return SummaryRow(cells, [by_rule.get(rule_id) for rule_id in rule_ids])


def _rule_errors(report: Report) -> str | None:
    failed = [str(f.get("rule_id")) for f in access.findings(report) if access.status(f) == "error"]
    return "规则出错：" + "、".join(failed) if failed else None
