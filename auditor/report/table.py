"""The one-row-per-report summary table shared by CSV and XLSX."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from auditor.findings import Finding
from auditor.report import access
from auditor.report.labels import level_label
from auditor.result import AnyReport, Batch, ErrorReport
from auditor.vocabulary import Status

FIXED_COLUMNS: Final = ("来源", "单位", "层级", "年度", "得分", "等级", "缺失数", "待复核数", "错误", "核查清单")
SCORE_COLUMN: Final = FIXED_COLUMNS.index("得分")

Cell = str | int | float | None


@dataclass(frozen=True)
class SummaryRow:
    report: AnyReport
    cells: list[Cell]  # one per FIXED_COLUMNS entry
    findings: list[Finding | None]  # the finding per rule column, None if not checked

    @property
    def statuses(self) -> list[Status | None]:
        return [f.status if f else None for f in self.findings]


@dataclass(frozen=True)
class SummaryTable:
    rule_ids: list[str]
    rule_titles: list[str]
    rows: list[SummaryRow]

    @property
    def header(self) -> list[str]:
        return [*FIXED_COLUMNS, *self.rule_ids]


def ordered(batch: Batch) -> list[AnyReport]:
    """The reports of a batch with each checklist's together (in order of first appearance; a
    report of no known checklist last): the order of every one-row-per-report table."""
    order = {g.checklist_id: i for i, g in enumerate(access.by_checklist(batch))}
    return sorted(batch.reports, key=lambda r: order.get(r.checklist.id if r.checklist else "", len(order)))


def summary_table(batch: Batch) -> SummaryTable:
    """One row per report; a batch mixing checklists is sorted by checklist (the 核查清单 column
    says which), so each checklist's reports stay together."""
    catalogue = access.rule_catalogue(batch)
    rule_ids = list(catalogue)
    rows = [_row(report, rule_ids) for report in ordered(batch)]
    return SummaryTable(rule_ids, [catalogue[r] for r in rule_ids], rows)


def _row(report: AnyReport, rule_ids: list[str]) -> SummaryRow:
    counts = access.counts(report)
    failure = report.error if isinstance(report, ErrorReport) else None
    errors = access.rule_errors(report)
    meta = None if isinstance(report, ErrorReport) else report.metadata
    cells: list[Cell] = [
        report.source,
        access.unit(report),
        level_label(meta.level) if meta else None,
        meta.year if meta else None,
        None if report.score is None else float(report.score),
        None if isinstance(report, ErrorReport) else report.grade or None,
        None if failure else counts[Status.gap],
        None if failure else counts[Status.needs_review],
        failure or ("规则出错：" + "、".join(errors) if errors else None),
        access.checklist_title(report) or None,
    ]
    by_rule = access.findings_by_rule(report)
    return SummaryRow(report, cells, [by_rule.get(rule_id) for rule_id in rule_ids])
